"""notebooks/README.md maps every lesson of the course, and each extra topic of its notes, to
the section that teaches it: every row names a heading that exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "notebooks" / "README.md"

# the course's index: part 1 (1.1-1.13), part 2 (2.1-2.6), part 3 (3.1-3.10), and the
# extra topics of its companion notes
LESSONS = [f"1.{i}" for i in range(1, 14)] + [f"2.{i}" for i in range(1, 7)] + [
    "3.1", "3.2–3.3", "3.4", "3.5", "3.6–3.7", "3.8–3.10"]
EXTRAS = ["Fashion-MNIST con una CNN", "TensorBoard", "Optimizadores", "Regularización L1 y L2",
          "Conjunto de validación", "Parada temprana", "Búsqueda de hiperparámetros",
          "GPU y CPU", "Cuadernos: Jupyter y Colab"]
ROW = re.compile(r"^\| *([^|]+?) *\| *([^|]+?) *\| *\[`([^`]+)`\]\(([^)]+)\) *› *([^|]+?) *\|$")


def _rows() -> list[tuple[str, str, str, str]]:
    """(lesson, what it teaches, file, heading) of each row of the index's tables."""
    rows = []
    for line in INDEX.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            lesson, topic, shown, target, heading = match.groups()
            assert shown == target, line
            rows.append((lesson, topic, target, heading))
    return rows


def _headings(path: Path) -> set[str]:
    """The text of every heading of a notebook (markdown cells) or a Markdown page."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}


def test_every_lesson_and_extra_topic_has_a_row():
    names = [row[0] for row in _rows()]
    assert names == LESSONS + EXTRAS


def test_every_row_points_to_a_heading_that_exists():
    for lesson, _topic, target, heading in _rows():
        path = INDEX.parent / target
        assert path.is_file(), f"{lesson}: no file {target}"
        assert heading in _headings(path), f"{lesson}: no heading {heading!r} in {target}"
