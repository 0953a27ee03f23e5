"""docs/reliability.md names real tests: every test it cites is defined under tests/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"


def test_every_test_named_in_the_reliability_table_exists():
    defined = {m for path in (ROOT / "tests").rglob("test_*.py")
               for m in re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.M)}
    files = {path.relative_to(ROOT / "tests").as_posix()
             for path in (ROOT / "tests").rglob("test_*.py")}
    text = DOC.read_text(encoding="utf-8")
    cited = set(re.findall(r"`(?:[\w/]+\.py)?(?:::)?(test_\w+)`", text))
    cited |= set(re.findall(r"::(test_\w+)", text))
    assert len(cited) >= 40, f"only {len(cited)} tests cited"
    assert not cited - defined, f"tests named in {DOC.name} but not defined: {cited - defined}"
    paths = set(re.findall(r"`([\w/]+\.py)(?:::|`)", text))
    assert not paths - files, f"test files named in {DOC.name} but missing: {paths - files}"
