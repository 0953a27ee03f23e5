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
