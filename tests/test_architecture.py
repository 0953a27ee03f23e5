"""The layers of redes import downward only: the import-linter contracts of pyproject.toml
hold, and they do fail on an import that points the wrong way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter.cli")

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(config: Path) -> subprocess.CompletedProcess:
    """import-linter on ``config``, from the folder that holds it, in a process of its own:
    it configures logging anew, which closes the handlers that other libraries installed in
    this process (TensorFlow's absl handler), and with them the stream pytest captures
    output into."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True))")
    path = os.pathsep.join(filter(None, [str(config.parent), os.environ.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-c", code, str(config)], cwd=config.parent,
                          env={**os.environ, "PYTHONPATH": path}, capture_output=True,
                          text=True, timeout=300)


def test_redes_imports_downward_only():
    run = lint_imports(ROOT / "pyproject.toml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_contracts_catch_an_import_that_points_up(tmp_path):
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("X = 1\n")
    (package / "low.py").write_text("from layered import high\n")     # the wrong way
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "layered"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "downward"\ntype = "layers"\n'
                      'layers = ["layered.high", "layered.low"]\n')
    run = lint_imports(config)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "layered.low -> layered.high" in run.stdout


# ---------------------------------------------------------------- sizes
# Modules of more than 450 lines and functions of more than 60 (docstrings aside) are hard to
# read in one go: a module that grows past the limit is split by concept, a function into
# named steps.
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 450, 60


def _sizes():
    """``({module: lines}, {module::function: lines without its docstring})`` of src/redes."""
    import ast

    modules, functions = {}, {}
    for path in sorted((ROOT / "src" / "redes").rglob("*.py")):
        name = str(path.relative_to(ROOT / "src"))
        text = path.read_text(encoding="utf-8")
        modules[name] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                        and isinstance(first.value.value, str):
                    lines -= first.end_lineno - first.lineno + 1
                key = f"{name}::{node.name}"             # the longest of the same name
                functions[key] = max(lines, functions.get(key, 0))
    return modules, functions


@pytest.mark.parametrize("kind", ["module", "function"])
def test_no_module_or_function_grows_past_the_limits(kind):
    modules, functions = _sizes()
    sizes, limit = ((modules, MAX_MODULE_LINES) if kind == "module"
                    else (functions, MAX_FUNCTION_LINES))
    too_long = {name: n for name, n in sizes.items() if n > limit}
    assert not too_long, f"{kind}s over {limit} lines: {too_long}; split them by concept"
