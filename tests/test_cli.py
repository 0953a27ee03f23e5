"""The `redes` command: fast help, info, and clear errors."""

import subprocess
import sys

from typer.testing import CliRunner

from redes.cli import app

runner = CliRunner()


def test_help_does_not_import_tensorflow():
    code = ("import sys; from typer.testing import CliRunner; from redes.cli import app; "
            "r = CliRunner().invoke(app, ['--help']); "
            "print(r.exit_code, 'tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "False", "False"]


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "info" in result.output and "tour" in result.output


def test_info_shows_versions_and_devices():
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "numpy" in result.output and "redes" in result.output
    assert "CPU" in result.output


def test_tour_refuses_an_unknown_engine():
    result = runner.invoke(app, ["tour", "--engines", "numpy,torch"])
    assert result.exit_code != 0
    assert "--engines" in result.output and "torch" in result.output
