"""The `redes` command: fast help, info, and clear errors."""

import subprocess
import sys

import pytest
import typer
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
    # the NumPy engine's BLAS library and its threads (rich may wrap the row)
    assert "BLAS:" in result.output and "threads:" in result.output


def test_tour_refuses_an_unknown_engine():
    result = runner.invoke(app, ["tour", "--engines", "numpy,torch"])
    assert result.exit_code != 0
    assert "--engines" in result.output and "torch" in result.output


# ------------------------------------------------------------------ errors name CLI options
@pytest.mark.parametrize("args, named, not_named", [
    (["train", "digitz"], "RECIPE: unknown recipe 'digitz'", "name:"),
    (["train", "wine", "--set", "foo"], "--set: expected 'key=value'", "override:"),
    (["train", "wine", "--set", "fit.nope=3"], "--set: fit.nope: unknown key", "recipe 'wine'"),
    (["train", "--resume", "no-such-run"], "--resume: no-such-run is not a run", "path:"),
    (["train", "wine", "--runs", ""], "--runs: expected a folder path", "root:"),
    (["evaluate", "no-such-run"], "RUN: no-such-run is not a run", "path:"),
    (["predict", "no-such-run", "x.csv"], "RUN: no-such-run is not a run", "path:"),
    (["runs", "--runs", ""], "--runs: expected a folder path", "root:"),
    (["board", "--runs", "no-such-folder"], "--runs: the runs folder 'no-such-folder' does "
                                            "not exist", "root:"),
    (["compare", "no-such-run"], "RUNS: no such folder: no-such-run", "path:"),
    (["report", "no-such-run"], "RUNS: no such folder: no-such-run", "path:"),
    (["data", "add", "foo", "x.npz"], "NAME: expected one of 'mnist'", "name:"),
    (["data", "add", "mnist", "no-such-file.npz"], "PATH: no file or folder", "path:"),
    (["tune", "digitz"], "RECIPE: unknown recipe 'digitz'", "name:"),
    (["tune", "wine", "--study", "a b"], "--study: expected 1 to 100 letters", "study_name:"),
    (["tune", "wine", "--storage", "mongodb://x/y"], "--storage: expected a URL", "storage:"),
    (["tour", "--engines", "numpy", "--epochs", "1", "--seed", "4294967296"],
     "--seed: expected an integer", "seed:"),
])
def test_errors_name_the_option_or_argument_of_the_command(args, named, not_named, tmp_path,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "runs"))
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 2, result.output
    assert f"error: {named}" in result.output
    assert f"error: {not_named}" not in result.output


def test_cli_names_replaces_the_python_argument_that_starts_a_message():
    from redes.cli._common import cli_names as _cli_names

    names = {"root": "--runs", "recipe": "RECIPE", "name": "RECIPE"}
    assert _cli_names("root: no folder", names) == "--runs: no folder"
    assert _cli_names("recipe: name: unknown recipe 'x'", names) == "RECIPE: unknown recipe 'x'"
    assert _cli_names("path: not a run", names) == "path: not a run"
    assert _cli_names("no prefix here", names) == "no prefix here"


# ------------------------------------------------------------------- playground addresses
@pytest.mark.parametrize("host", ["bad host", "x:80", "[::1]", "", "http://localhost"])
def test_playground_refuses_a_host_it_cannot_listen_on_before_serving(host, monkeypatch):
    from redes.playground import server

    calls = []
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: calls.append(args))
    result = runner.invoke(app, ["playground", "--no-open", "--host", host])
    assert result.exit_code == 2, result.output       # was: the server stopped with code 3
    assert "--host" in result.output and "Traceback" not in result.output
    assert calls == []


def test_playground_refuses_a_host_name_that_does_not_resolve(monkeypatch):
    import socket

    from redes.playground import server

    def no_address(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_address)
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: pytest.fail("it served"))
    result = runner.invoke(app, ["playground", "--no-open", "--host", "aula.invalid"])
    assert result.exit_code == 2, result.output
    assert "--host" in result.output and "no address found" in result.output


def test_playground_listens_on_the_addresses_of_this_computer(monkeypatch):
    from redes.playground import server

    calls = []
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: calls.append(args[0]))
    for host in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
        result = runner.invoke(app, ["playground", "--no-open", "--host", host])
        assert result.exit_code == 0, result.output
    assert calls == ["127.0.0.1", "localhost", "::1", "0.0.0.0"]


def test_a_playground_that_cannot_listen_says_so_with_exit_code_1(monkeypatch):
    import sys

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: sys.exit(3))  # port taken
    result = runner.invoke(app, ["playground", "--no-open", "--port", "8765"])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "http://127.0.0.1:8765/" in errors[0], result.output
    assert "--port" in errors[0]


# ---------------------------------------------------------------------------- install hints
class _Distribution:
    def __init__(self, direct_url):
        self.direct_url = direct_url

    def read_text(self, name):
        return self.direct_url if name == "direct_url.json" else None


@pytest.mark.parametrize("origin, where, hint", [
    ({"dir_info": {"editable": True}}, "checkout", 'pip install -e ".[keras]"'),
    ({"dir_info": {"editable": True}}, "elsewhere", 'pip install -e "CHECKOUT[keras]"'),
    (None, "elsewhere", 'pip install "redes[keras]"'),              # from PyPI: no direct_url
    ({"archive_info": {}}, "elsewhere", 'pip install "redes[keras]"'),    # a wheel file
])
def test_install_hints_match_how_redes_was_installed(origin, where, hint, monkeypatch,
                                                     tmp_path):
    import importlib.metadata
    import json

    from redes.cli import _common as cli

    checkout = tmp_path / "redes"
    (tmp_path / "elsewhere").mkdir()
    checkout.mkdir()
    direct_url = json.dumps({"url": checkout.as_uri(), **origin}) if origin else None
    monkeypatch.setattr(importlib.metadata, "distribution",
                        lambda name: _Distribution(direct_url))
    monkeypatch.chdir(checkout if where == "checkout" else tmp_path / "elsewhere")
    assert cli.install_hint("keras") == hint.replace("CHECKOUT", str(checkout))


def test_errors_show_the_install_hint_of_this_install(monkeypatch, capsys):
    from redes.cli import _common as cli

    monkeypatch.setattr(cli, "install_hint", lambda extra: f"INSTALL-{extra}")
    with pytest.raises(typer.Exit) as info:
        cli.fail("board: TensorBoard is not installed: pip install 'redes[board]'")
    assert info.value.exit_code == 2
    err = capsys.readouterr().err
    assert "INSTALL-board" in err and "redes[board]" not in err


# ---------------------------------------------------------------------------- small things
def test_data_list_help_says_what_the_table_shows():
    result = runner.invoke(app, ["data", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "shapes" not in result.output and "where it comes from" in result.output


def test_recipes_say_which_recipe_to_use_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "empty-redes"))
    result = runner.invoke(app, ["recipes"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "missing (imdb): use breast_cancer offline" in result.output
    assert "(offline:" not in result.output


def test_runs_keeps_root_as_a_hidden_alias_of_runs(tmp_path):
    help_text = runner.invoke(app, ["runs", "--help"], env={"COLUMNS": "200"}).output
    assert "--runs" in help_text and "--root" not in help_text
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (["--runs", str(empty)], ["--root", str(empty)]):
        result = runner.invoke(app, ["runs", *args])
        assert result.exit_code == 0, result.output
        assert "no runs yet in" in result.output
    assert "--root is now --runs" in runner.invoke(app, ["runs", "--root", str(empty)]).output
    both = runner.invoke(app, ["runs", "--runs", str(empty), "--root", str(tmp_path)])
    assert both.exit_code == 2 and "--root" in both.output


def test_runs_names_a_runs_folder_that_does_not_exist(tmp_path):
    missing = runner.invoke(app, ["runs", "--runs", str(tmp_path / "typo")])
    assert missing.exit_code == 2
    assert "--runs" in missing.output and "does not exist" in missing.output
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert "is a file" in runner.invoke(app, ["runs", "--runs", str(a_file)]).output


@pytest.mark.parametrize("command", [["train", "wine", "--epochs", "1"],
                                     ["tour", "--engines", "numpy", "--epochs", "1"],
                                     ["runs"]])
def test_runs_given_a_file_names_the_option(tmp_path, command):
    (tmp_path / "afile").write_text("not a folder")
    for runs in ("afile", "afile/inside"):
        result = runner.invoke(app, [*command, "--runs", str(tmp_path / runs)])
        assert result.exit_code == 2, result.output
        assert "error: --runs: expected a folder for the runs" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
