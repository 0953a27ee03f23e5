"""The exercises of the course notebooks, read from their cells.

Every exercise is four cells in a row: the task (markdown, "### Ejercicio ..."), the function
to fill in (code, with ``# TU CÓDIGO AQUÍ`` and ``raise NotImplementedError``), the check
(code, ``exercises.check("<id>", <function>)``) and the folded solution (markdown,
``<details><summary>Solución</summary>`` with a fenced Python block that replaces the
function cell). ``fill_in_solutions`` puts each solution in its function cell.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CHECK = re.compile(r'^exercises\.check\("(?P<id>\w+)", (?P<function>\w+)\)$')
SOLUTION = re.compile(r"^<details><summary>Solución</summary>\n\n```python\n(?P<code>.*?\n)```"
                      r"\n.*</details>$", re.S)


@dataclass(frozen=True)
class Exercise:
    notebook: str
    id: str
    function: str
    cell: int            # the index of the code cell the learner fills in
    task: str
    stub: str
    solution: str

    def __str__(self) -> str:
        return f"{self.notebook}:{self.id}"


def _source(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def exercises_in(name: str, cells=None) -> list[Exercise]:
    """The exercises of notebook ``name`` (its stored cells, or the ``cells`` given), in order.
    Raises AssertionError when an exercise does not have the four cells in a row."""
    if cells is None:
        path = NOTEBOOKS / f"{name}.ipynb"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        match = CHECK.match(_source(cell).strip()) if cell["cell_type"] == "code" else None
        if not match:
            continue
        where = f"{name}, exercise {match['id']!r} (cell {i})"
        assert 2 <= i < len(cells) - 1, f"{where}: needs a cell before and after the check"
        task, stub, solution = cells[i - 2], cells[i - 1], cells[i + 1]
        assert task["cell_type"] == "markdown", f"{where}: the task is not a markdown cell"
        assert stub["cell_type"] == "code", f"{where}: the function cell is not a code cell"
        assert solution["cell_type"] == "markdown", f"{where}: the solution is not markdown"
        folded = SOLUTION.match(_source(solution).strip())
        assert folded, f"{where}: no <details> solution with a ```python block after the check"
        found.append(Exercise(name, match["id"], match["function"], i - 1, _source(task),
                              _source(stub), folded["code"]))
    return found


def fill_in_solutions(name: str, notebook) -> list[Exercise]:
    """Put every solution of ``notebook`` (an nbformat notebook) in its function cell; return
    the exercises."""
    exercises = exercises_in(name, notebook.cells)
    for exercise in exercises:
        notebook.cells[exercise.cell].source = exercise.solution
    return exercises


def load_module():
    """notebooks/exercises.py, imported under the name ``course_exercises``, a fresh copy."""
    spec = importlib.util.spec_from_file_location("course_exercises",
                                                  NOTEBOOKS / "exercises.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def define(code: str):
    """The function that ``code`` (a cell defining one function) defines, run as a notebook
    cell would run it (with ``np`` imported)."""
    import numpy as np

    namespace = {"np": np}
    exec(compile(code, "<cell>", "exec"), namespace)
    functions = [v for k, v in namespace.items() if k not in ("np", "__builtins__")]
    assert len(functions) == 1 and callable(functions[0]), f"not one function: {code}"
    return functions[0]
