"""The sections the benchmarks write into docs/benchmarks.md: one block per thread count,
a new run replacing only the block of its own thread count."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import common  # noqa: E402


def _write(docs, intro, threads, block):
    body = common.section_by_threads("Speed", intro, common.threads_title(threads), block,
                                     path=docs)
    common.update_docs_section("Speed", body, docs)


def test_a_run_replaces_the_block_of_its_thread_count_and_keeps_the_others(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\n## Other\n\nKept.\n", encoding="utf-8")
    _write(docs, "First intro.", 1, "one thread, first run")
    _write(docs, "Second intro.", 2, "two threads")
    _write(docs, "Third intro.", 1, "one thread, second run")
    text = docs.read_text(encoding="utf-8")
    section = common.read_docs_section("Speed", docs)
    assert section.startswith("Third intro.\n")
    assert "First intro." not in text and "Second intro." not in text
    assert "one thread, first run" not in text
    assert section.index("### 2 threads per library\n\ntwo threads") < \
        section.index("### 1 thread per library\n\none thread, second run")
    assert common.read_docs_section("Other", docs) == "Kept.\n"
