"""The documentation works as written.

* The guides come in two languages with the same pages: every ``docs/guide/es/X.md`` has a
  ``docs/guide/en/X.md`` and the other way round, and the two pages of a pair show the same
  code blocks in the same order: the same language tags and the same code, compared after
  dropping comments (``#`` comments of python and shell blocks, found with ``tokenize`` and
  ``shlex``), so each page may comment its code in its own language while the code itself
  stays the same. Other blocks (```text output, ```json) must be identical. The Spanish
  README has exactly the same code blocks as the English one.
* Every fenced ```python block of README.md and of the English guides runs: the blocks of
  one page run in order in one fresh interpreter (as a reader would type them), in a
  temporary folder, with private data and runs folders and ``REDES_QUICK=1``. The Spanish
  pages have the same code (checked above), so they are not run a second time. A block whose
  first line is ``# doc: skip (reason)`` is not run; such blocks need a reason and stay rare
  (only for what needs internet or a server), counted once per pair of pages. The blocks of
  one page must run within ``PAGE_SECONDS``: examples stay small (few epochs, or they read
  ``REDES_QUICK``).
* Every command line of a ```bash block that starts with ``redes`` names a command that
  exists: ``redes <command ...> --help`` succeeds (checked on the same pages as the python
  blocks: the Spanish ones show the same commands). Nothing else of those blocks (installs,
  servers) is run. Output shown in the pages goes in ```text blocks, which are not parsed.
* Every relative link and image of the pages exists (and so does the heading a ``#anchor``
  of a link to a page points to), and the guides' figures are the ones make_figures.py
  draws.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
SPANISH, ENGLISH = GUIDE / "es", GUIDE / "en"
GUIDE_PAGES = {"README.md", "cli.md", "engine.md", "recipes.md", "data.md", "results.md",
               "playground.md", "tuning.md"}
PAGES = [ROOT / "README.md", ROOT / "README.es.md", *sorted(GUIDE.glob("*.md")),
         *sorted(SPANISH.glob("*.md")), *sorted(ENGLISH.glob("*.md"))]
# The Spanish pages repeat the code of their English pair (see the tests of consistency):
# their code is run and checked once, through the English page.
TRANSLATIONS = {ROOT / "README.es.md", *SPANISH.glob("*.md")}
RUN_PAGES = [p for p in PAGES if p not in TRANSLATIONS]
SKIP = re.compile(r"^#\s*doc:\s*skip\b(.*)$")
MAX_SKIPS = 3           # counted once per pair of pages
PAGE_SECONDS = 300      # the examples of one page must run within this time
SHELLS = ("bash", "sh", "shell", "console")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int           # line of the opening fence, counting from 1
    language: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page."""
    out, language, start, body = [], None, 0, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        fence = re.match(r"^\s*(```+|~~~+)\s*([\w+-]*)", line)
        if language is None and fence:
            language, start, body = fence.group(2).lower(), number, []
        elif language is not None and re.match(r"^\s*(```+|~~~+)\s*$", line):
            out.append(Block(page, start, language, textwrap.dedent("\n".join(body))))
            language = None
        elif language is not None:
            body.append(line)
    assert language is None, f"{page.name}:{start}: a code block is never closed"
    return out


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ----------------------------------------------------------------------- python blocks
_RUNNER = """
import json, sys, traceback
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for block in blocks:
    print(f"--- running {block['where']}", flush=True)
    try:
        exec(compile(block["code"], block["where"], "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print(f"FAILED: the python block at {block['where']}", file=sys.stderr)
        sys.exit(1)
"""


def test_every_page_is_found():
    names = {p.name for p in PAGES}
    assert {"README.md", "README.es.md"} <= names
    assert GUIDE_PAGES <= {p.name for p in SPANISH.glob("*.md")}
    assert GUIDE_PAGES <= {p.name for p in ENGLISH.glob("*.md")}
    assert [p.name for p in GUIDE.glob("*.md")] in ([], ["README.md"]), (
        "the guides live in docs/guide/es and docs/guide/en; docs/guide holds only an index")


def _skipped(block: Block) -> bool:
    return bool(block.code.strip()) and bool(SKIP.match(block.code.lstrip().splitlines()[0]
                                                        .strip()))


@pytest.mark.parametrize("page", [p for p in RUN_PAGES if any(
    b.language == "python" for b in blocks(p))], ids=_id)
def test_python_blocks_run(page, tmp_path):
    runnable, skipped = [], []
    for block in blocks(page):
        if block.language != "python":
            continue
        first = block.code.lstrip().splitlines()[0] if block.code.strip() else ""
        marker = SKIP.match(first.strip())
        if marker:
            assert re.match(r"\s*\(.+\)", marker.group(1)), (
                f"{block.where}: write why the block is skipped: # doc: skip (reason)")
            skipped.append(block)
        else:
            runnable.append({"where": block.where, "code": block.code})
    assert runnable, f"{page.name}: every python block is skipped"
    script = tmp_path / "blocks.json"
    script.write_text(json.dumps(runnable), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "REDES_QUICK": "1", "MPLBACKEND": "Agg",
           "KERAS_HOME": str(tmp_path / "keras_home"), "REDES_HOME": str(tmp_path / "home"),
           "REDES_RUNS": str(work / "runs"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("REDES_ENGINE", None)
    try:
        done = subprocess.run([sys.executable, "-c", _RUNNER, str(script)], cwd=work, env=env,
                              capture_output=True, text=True, timeout=PAGE_SECONDS)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{page.name}: the python blocks took more than {PAGE_SECONDS} s; keep "
                    f"examples small (few epochs, or read REDES_QUICK). Last output:\n"
                    f"{(exc.stdout or b'')[-2000:]!r}")
    assert done.returncode == 0, (
        f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    assert done.stdout.count("--- running") == len(runnable)


def test_skipped_python_blocks_are_rare():
    skipped = [b.where for page in RUN_PAGES for b in blocks(page)
               if b.language == "python" and _skipped(b)]
    assert len(skipped) <= MAX_SKIPS, f"too many skipped blocks: {skipped}"


# ------------------------------------------------------------------------- bash blocks
def _redes_commands():
    """(page, block, argv after `redes`) for every `redes ...` command in a bash block."""
    out = []
    for page in RUN_PAGES:
        for block in blocks(page):
            if block.language not in SHELLS:
                continue
            for offset, line in enumerate(block.code.splitlines(), 1):
                line = line.strip().removeprefix("$ ")
                for part in re.split(r"&&|\|\||;|\|", line):
                    words = shlex.split(part, comments=True)
                    if words and words[0] == "redes":
                        where = f"{block.page.relative_to(ROOT)}:{block.line + offset}"
                        out.append(pytest.param(words[1:], id=f"{where}: {' '.join(words)}"))
    return out


COMMANDS = _redes_commands()


def test_the_docs_show_redes_commands():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("argv", COMMANDS)
def test_redes_command_exists(argv):
    import typer
    from typer.testing import CliRunner

    from redes.cli import app

    path = []
    for word in argv:
        if word.startswith("-"):
            break
        path.append(word)
    group = typer.main.get_command(app)
    if path and path[0] not in group.commands:
        pytest.fail(f"the docs show `redes {' '.join(argv)}`, but `redes {path[0]}` is not a "
                    f"command; commands: {', '.join(sorted(group.commands))}")
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


# ------------------------------------------------------------------------ consistency
def test_the_spanish_readme_has_the_same_code_blocks():
    english = [(b.language, b.code) for b in blocks(ROOT / "README.md")]
    spanish = [(b.language, b.code) for b in blocks(ROOT / "README.es.md")]
    assert spanish == english, "README.es.md must show the same commands and code as README.md"


def _without_comments(block: Block) -> str:
    """The code of a block without its comments, trailing spaces and blank lines: python
    comments as ``tokenize`` finds them, shell comments as ``shlex`` does (each line becomes
    its words). Other blocks are returned as they are."""
    if block.language == "python":
        cuts = {}
        for token in tokenize.generate_tokens(io.StringIO(block.code).readline):
            if token.type == tokenize.COMMENT:
                cuts[token.start[0]] = token.start[1]
        lines = [line[:cuts.get(number, len(line))].rstrip()
                 for number, line in enumerate(block.code.splitlines(), 1)]
        return "\n".join(line for line in lines if line)
    if block.language in SHELLS:
        lines = []
        for line in block.code.splitlines():
            try:
                words = shlex.split(line, comments=True)
            except ValueError:              # an unbalanced quote: compare the line itself
                words = [line.strip()]
            if words:
                lines.append(" ".join(map(shlex.quote, words)))
        return "\n".join(lines)
    return block.code


@pytest.mark.parametrize("name", sorted({p.name for p in SPANISH.glob("*.md")}
                                        | {p.name for p in ENGLISH.glob("*.md")}))
def test_each_guide_has_the_same_code_in_both_languages(name):
    spanish, english = SPANISH / name, ENGLISH / name
    assert spanish.exists(), f"docs/guide/en/{name} has no Spanish page docs/guide/es/{name}"
    assert english.exists(), f"docs/guide/es/{name} has no English page docs/guide/en/{name}"

    def shown(page):
        return [(b.language, _skipped(b), _without_comments(b)) for b in blocks(page)]

    es, en = shown(spanish), shown(english)
    for i, (a, b) in enumerate(zip(es, en, strict=False)):
        assert a == b, (f"code block {i + 1} differs between es/{name} and en/{name} "
                        f"(comments aside):\n--- es\n{a[2]}\n--- en\n{b[2]}")
    assert len(es) == len(en), (f"es/{name} has {len(es)} code blocks and en/{name} "
                                f"{len(en)}")

    def figures(page):
        return re.findall(r"img/([\w-]+)\.png", page.read_text(encoding="utf-8"))

    assert figures(spanish) == figures(english), f"es/{name} and en/{name} show other figures"


def _slugs(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of a page (``#`` lines outside code blocks)."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    slugs, seen = set(), {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        slugs.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return slugs


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_relative_links_and_images_exist(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        assert path.exists(), f"{page.name}: the link {target} points to nothing"
        if anchor and path.suffix == ".md" and path.is_relative_to(ROOT / "docs" / "guide"):
            assert anchor in _slugs(path), (
                f"{_id(page)}: the link {target} points to no heading of {_id(path)}")


def _make_figures():
    spec = importlib.util.spec_from_file_location("make_figures", GUIDE / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_figure_of_the_guides_is_drawn_by_make_figures():
    module = _make_figures()
    drawn = {f.__name__ for f in module.FIGURES}
    images = {p.stem for p in (GUIDE / "img").glob("*.png")}
    assert images, "docs/guide/img holds no figures: run python docs/guide/make_figures.py"
    assert images <= drawn, f"figures no function of make_figures.py draws: {images - drawn}"
    used = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        used |= set(re.findall(r"img/([\w-]+)\.png", text))
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
            assert (page.parent / target).resolve().parent == GUIDE / "img", (
                f"{_id(page)}: the figure {target} is not in docs/guide/img")
    assert used <= images, f"pages show figures that are missing: {used - images}"


def test_make_figures_draws_a_figure(tmp_path, monkeypatch):
    module = _make_figures()
    monkeypatch.setattr(module, "IMG", tmp_path)
    path = module.datos_2d()
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
