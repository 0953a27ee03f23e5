"""The code keeps the project's style: ruff, with the rules of pyproject.toml (lines of at
most 100 characters among them), finds nothing in the package, the tests, the notebooks and
the benchmarks; and it does find a line that is too long."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ruff")

ROOT = Path(__file__).resolve().parents[1]


def ruff(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    run = ruff("src", "tests", "notebooks", "benchmarks")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_finds_a_line_too_long(tmp_path):
    module = tmp_path / "long_line.py"
    module.write_text(f'TEXT = "{"x" * 120}"\n')
    run = ruff(module)
    assert run.returncode == 1 and "E501" in run.stdout, run.stdout + run.stderr
