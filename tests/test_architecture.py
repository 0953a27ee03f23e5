"""The layers of redes import downward only: the import-linter contracts of pyproject.toml
hold, and they do fail on an import that points the wrong way."""

from __future__ import annotations

from pathlib import Path

import pytest

lint = pytest.importorskip("importlinter.cli")

ROOT = Path(__file__).resolve().parents[1]


def test_redes_imports_downward_only(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_the_contracts_catch_an_import_that_points_up(tmp_path, monkeypatch, capsys):
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("X = 1\n")
    (package / "low.py").write_text("from layered import high\n")     # the wrong way
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "layered"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "downward"\ntype = "layers"\n'
                      'layers = ["layered.high", "layered.low"]\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert lint.lint_imports(config_filename=str(config), no_cache=True) == 1
    assert "layered.low -> layered.high" in capsys.readouterr().out


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
