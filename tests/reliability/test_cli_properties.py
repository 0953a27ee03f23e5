"""The contract of the ``redes`` command, checked with generated arguments (Hypothesis).

Every command (info, train, evaluate, predict, runs, compare, report, recipes, tour, tune,
board, playground, data list/add) is run in-process with ``typer.testing.CliRunner`` on
arguments drawn from sensible and hostile values: valid, misspelled and path-like recipe
names, ``--set`` overrides with unknown keys, wrong types and absurd sizes, bad epochs,
seeds, engines, ports and storages, missing files, run folders with damaged files (a run
trained once per module, copied, then truncated, nested, retyped or deleted), and outputs
into missing folders or with the wrong suffix. Whatever the arguments, in English, in
Spanish and in the pseudo-language (``REDES_LANG``):

* the exit code is 0, 1 (the machine: a full disk, a folder that cannot be written) or 2
  (bad input), and no exception escapes the command (no traceback, ever);
* a failure says so in exactly one line that starts with ``error:`` (``_fail`` in
  ``redes.cli`` prints that prefix as is in every language: the catalogs have no
  translation of it), or in the one "Error" box that click draws for a usage error;
* under ``REDES_LANG=es``, no error message of the catalog is shown in English, and under
  ``REDES_LANG=pseudo`` every error carries a message of the catalog (⟦...⟧): no error is
  written outside the catalogs;
* a failed ``redes train`` leaves no run folder behind, and no command writes outside its
  temporary folder (its sibling folders and the project's own folders keep their entries)
  or changes the working directory.

Each example runs in a fresh temporary folder that holds the runs folder (``REDES_RUNS``),
``REDES_HOME``, ``KERAS_HOME`` and the working directory. Training is kept tiny: whatever
may train gets ``--epochs 1`` or 2 (or ``fit.epochs=1``), on recipes that train in well
under a second; ``redes tour`` trains gaussian_quantiles only (its list of offline recipes
is cut to that one). The keras engine is drawn only in runs of 100 examples or more, since
importing TensorFlow alone takes 10 to 20 seconds. ``redes board`` and ``redes playground``
only get arguments they must refuse, and the functions that would start their servers are
replaced by ones that fail the test if they are ever called.

The default number of examples keeps the module well under a minute; for a long run set
``REDES_CLI_EXAMPLES``::

    REDES_CLI_EXAMPLES=1000 python -m pytest -q -p no:cacheprovider \\
        tests/reliability/test_cli_properties.py
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import traceback
from functools import cache
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from redes.cli import app
from redes.i18n import catalog_path, set_language
from redes.i18n.po import parse_po

EXAMPLES = int(os.environ.get("REDES_CLI_EXAMPLES", "40"))
# The keras engine trains only in longer runs: importing TensorFlow alone takes 10-20 s here
KERAS = ["keras"] if EXAMPLES >= 100 else []
PROJECT = Path(__file__).resolve().parents[2]
ERROR = "error:"          # _fail's prefix, the same in every language (no msgid for it)
USAGE_BOX = "╭─ Error "   # click's usage errors (unknown option, bad integer...)
ENV = ("REDES_HOME", "KERAS_HOME", "REDES_RUNS", "REDES_LANG", "COLUMNS")
RUN_NAME = re.compile(r"^[A-Za-z0-9_.]+-(numpy|keras)-\d{8}-\d{6}(-\d+)?$")

runner = CliRunner()


# ------------------------------------------------------------------------- the sandbox
@contextlib.contextmanager
def sandbox(folder: Path, lang: str):
    """REDES_HOME, KERAS_HOME, REDES_RUNS, the temporary files and the working directory
    inside ``folder``, and messages in ``lang``; everything restored afterwards."""
    saved_env = {name: os.environ.get(name) for name in ENV}
    saved_cwd, saved_tempdir = os.getcwd(), tempfile.tempdir
    for name in ("redes_home", "keras_home/datasets", "tmp", "cwd"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    os.environ.update(REDES_HOME=str(folder / "redes_home"), KERAS_HOME=str(folder / "keras_home"),
                      REDES_RUNS=str(folder / "runs"), REDES_LANG=lang, COLUMNS="200")
    tempfile.tempdir = str(folder / "tmp")
    os.chdir(folder / "cwd")
    try:
        yield folder / "cwd"
    finally:
        os.chdir(saved_cwd)
        tempfile.tempdir = saved_tempdir
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        set_language(None)


def _server_started(*args, **kwargs):
    raise AssertionError(f"a server was about to start: {args} {kwargs}")


@contextlib.contextmanager
def no_servers_and_a_short_tour():
    """``redes board`` and ``redes playground`` fail the test instead of serving; ``redes
    tour`` trains gaussian_quantiles only."""
    import redes.playground.server
    import redes.recipes
    import redes.tune

    with mock.patch.object(redes.tune, "board", _server_started), \
            mock.patch.object(redes.playground.server, "serve", _server_started), \
            mock.patch.object(redes.recipes, "offline_names", lambda: ["gaussian_quantiles"]):
        yield


# --------------------------------------------------------------------- the trained run
@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A gaussian_quantiles run trained one epoch, and the folder the examples go in."""
    base = tmp_path_factory.mktemp("cli-properties")
    with sandbox(base / "setup", "en"):
        result = runner.invoke(app, ["train", "gaussian_quantiles", "--epochs", "1",
                                     "--verbose", "0"])
        assert result.exit_code == 0, result.output
    (run,) = (base / "setup" / "runs").iterdir()
    examples = base / "examples"
    examples.mkdir()
    return run, examples


def _strings(value):
    """``value`` with every number turned into a string (booleans too)."""
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _nested(text: str, depth: int = 100_000) -> str:
    return "[" * depth + text + "]" * depth


def _half(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[:len(raw) // 2])


def _edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps(change(data)))


def _set_recipe(config, **fit):
    config["recipe"]["fit"].update(fit)
    return config


def _interrupted(run: Path) -> None:
    """A run stopped after its first epoch of two: ``--resume`` trains one more."""
    _edit_json(run / "config.json", lambda c: _set_recipe(c, epochs=2))
    _edit_json(run / "status.json", lambda s: {**s, "status": "interrupted", "epochs": 2,
                                              "finished": None})


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


DAMAGES = {
    "good": lambda run: None,
    "interrupted": _interrupted,
    "config_truncated": lambda run: _half(run / "config.json"),
    "config_nested": lambda run: (run / "config.json").write_text(_nested("{}")),
    "config_strings": lambda run: _edit_json(run / "config.json", _strings),
    "config_missing": lambda run: _remove(run / "config.json"),
    "config_folder": lambda run: (_remove(run / "config.json"),
                                  (run / "config.json").mkdir()),
    "config_no_recipe": lambda run: _edit_json(run / "config.json",
                                               lambda c: {**c, "recipe": None}),
    "config_bad_layers": lambda run: _edit_json(
        run / "config.json", lambda c: {**c, "recipe": {**c["recipe"], "model": {
            **c["recipe"]["model"], "layers": "Dense"}}}),
    "config_huge_units": lambda run: _edit_json(
        run / "config.json", lambda c: (c["recipe"]["model"]["layers"][0][1].update(
            units=10**11), c)[1]),
    "config_binary": lambda run: (run / "config.json").write_bytes(b"\xff\xfe\x00garbage"),
    "status_truncated": lambda run: _half(run / "status.json"),
    "status_missing": lambda run: _remove(run / "status.json"),
    "status_strings": lambda run: _edit_json(run / "status.json", _strings),
    "status_nested": lambda run: (run / "status.json").write_text(_nested("1")),
    "status_unknown": lambda run: _edit_json(run / "status.json",
                                             lambda s: {**s, "status": "exploded"}),
    "history_truncated": lambda run: _half(run / "history.json"),
    "history_missing": lambda run: (_remove(run / "history.json"),
                                    _remove(run / "history.csv")),
    "history_strings": lambda run: _edit_json(run / "history.json", _strings),
    "history_ragged": lambda run: _edit_json(run / "history.json",
                                             lambda h: {**h, "loss": [1.0, 2.0, 3.0]}),
    "history_nan": lambda run: (run / "history.json").write_text(
        '{"epoch": [1], "loss": [NaN], "accuracy": [Infinity]}'),
    "history_csv_garbage": lambda run: (run / "history.csv").write_text("a,b\n\x00,\n,,,\n"),
    "metrics_garbage": lambda run: (run / "metrics.json").write_text('{"accuracy": "high"}'),
    "metrics_list": lambda run: (run / "metrics.json").write_text("[1, 2]"),
    "model_missing": lambda run: _remove(run / "model.redes"),
    "model_truncated": lambda run: _half(run / "model.redes"),
    "model_garbage": lambda run: (run / "model.redes").write_bytes(os.urandom(64)),
    "plots_missing": lambda run: _remove(run / "plots"),
    "empty": lambda run: [_remove(p) for p in list(run.iterdir())],
}


def place_run(good: Path, runs: Path, damage: str) -> Path:
    """A copy of ``good`` in ``runs``, damaged as ``DAMAGES[damage]`` says."""
    path = runs / f"{good.name}-{len(list(runs.iterdir())) + 1 if runs.exists() else 1}"
    shutil.copytree(good, path)
    DAMAGES[damage](path)
    return path


def place_files(cwd: Path) -> None:
    """The input files the arguments name, in the working directory."""
    from redes import recipes

    rng = np.random.default_rng(0)
    points = rng.normal(size=(4, 2))
    np.savetxt(cwd / "points.csv", points, delimiter=",")
    np.save(cwd / "points.npy", points)
    np.savetxt(cwd / "three.csv", rng.normal(size=(3, 3)), delimiter=",")
    (cwd / "words.csv").write_text("a,b\nc,d\n")
    (cwd / "empty.csv").write_text("")
    (cwd / "nan.csv").write_text("nan,inf\n1e308,-1e308\n")
    (cwd / "garbage.npy").write_bytes(b"\x93NUMPY garbage")
    np.save(cwd / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (cwd / "points.txt").write_text("1,2\n")
    (cwd / "afile").write_text("a file where a folder is expected\n")
    (cwd / "folder.csv").mkdir()
    (cwd / "garbage.npz").write_bytes(os.urandom(256))
    recipe = recipes.get("gaussian_quantiles")
    recipe["fit"]["epochs"] = 1
    (cwd / "mine.json").write_text(json.dumps(recipe))
    (cwd / "broken.json").write_text(json.dumps(recipe)[:100])
    (cwd / "list.json").write_text("[1, 2, 3]")
    (cwd / "nested.json").write_text(_nested("{}"))
    (cwd / "strings.json").write_text(json.dumps(_strings(recipe)))
    (cwd / "binary.json").write_bytes(b"\xff\xfe\x00{}")


# ------------------------------------------------------------------------ the arguments
# Each command's options have good values (first: what Hypothesis shrinks to) and hostile
# ones; an example gives hostile values to a few options only (``wrong``), so that most
# examples get past click's own checks and reach redes' code.
RUN_GOOD = ["RUN:good", "RUN:interrupted", "RUN:plots_missing", "RUN:history_csv_garbage"]
RUN_BAD = [f"RUN:{name}" for name in DAMAGES if f"RUN:{name}" not in RUN_GOOD] + [
    "missing-run", "", "afile", "RUNS_FOLDER", ".", "../runs", "points.csv", "\x00"]
RECIPES_GOOD = ["gaussian_quantiles", "wine", "mine.json", "digits", "boston"]
RECIPES_BAD = ["digitz", "Wine", "gaussian-quantiles", "", " ", "../x", "../../etc/passwd",
               "imdb", "first_network", "x.json", "folder.csv", "broken.json", "list.json",
               "nested.json", "strings.json", "binary.json", "mine", "wine\x00", "n" * 300]
OVERRIDES_GOOD = [
    "fit.batch_size=8", "fit.epochs=1", "fit.epochs=1000000000000", "fit.batch_size=100000",
    "model.layers.0.1.units=3", "model.layers.0.1.activation=tanh", "model.optimizer=adamw",
    "fit.validation_split=0.2", "fit.shuffle=false", "evaluation={\"kfold\": 2}",
]
OVERRIDES_BAD = [
    "fit.epoch=1", "unit=32", "fit.epochs=abc", "fit.epochs=10**12", "fit.epochs=-1",
    "fit.epochs=0", "fit.epochs=NaN", "fit.epochs=1.5", "fit.epochs=true", "fit.epochs=null",
    "fit.epochs=[1]", "fit.epochs={}", "fit.epochs=1e400", "model.layers.0.units=100000000000",
    "model.layers.0.1.units=100000000000", "model.layers.0.1.units=1000000000000000000000",
    "model.layers.0.1.units=0", "model.layers.0.1.units=-5", "model.layers.0.1.units=NaN",
    "model.layers.0.1.units=abc", "model.layers.0.1.units=2.5", "model.layers.0.1.units=true",
    "model.layers.0.1.activation=os.system", "model.layers.0.1.activation=nope",
    "model.layers.0.1.unit=3", "model.layers.99.1.units=3", "model.layers.-1.1.units=1",
    "model.layers.0.0=Lambda", "model.layers.0.0=Conv2D", "model.layers=[]",
    "model.layers=[[\"Dense\", {\"units\": 1}], [\"Dense\", {\"units\": 100000000000}]]",
    "model.optimizer=nope", "model.optimizer.config.lr=1",
    "model.optimizer={\"class_name\": \"adam\", \"config\": {\"learning_rate\": -1}}",
    "model.optimizer={\"class_name\": \"adam\", \"config\": {\"learning_rate\": 1e308}}",
    "model.loss=nope", "model.metrics=[\"nope\"]", "fit.validation_split=1.5",
    "fit.validation_split=0.999", "fit.validation.first=5", "fit.validation={\"first\": 100000}",
    "fit.shuffle=maybe", "dataset.kwargs.n_samples=100000000000", "dataset.kwargs.n_samples=0",
    "dataset.kwargs.nope=1", "dataset.name=../x", "dataset.test_split=0",
    "dataset.test_split=0.999", "task.type=nope", "task.classes=[]", "evaluation.kfold=1",
    "evaluation={\"kfold\": 100000}", "evaluation.retrain_epochs=0",
    "preprocessing=[[\"nope\", {}]]", "preprocessing=[[\"reshape\", {\"shape\": [7]}]]",
    "a.b.c.d.e.f.g.h.i.j.k=1", "fit..epochs=1", "=1", "fit.epochs", "fit.epochs==1", ".=.",
    "name=../x", "name=", "title=", "plots=[\"nope\"]", "expected.test_accuracy.min=2",
    "search_space={}", "x" * 500 + "=1", "fit.epochs=1\x00",
]
SEEDS_GOOD = [None, "0", "7", "4294967295"]
SEEDS_BAD = ["-1", "abc", "4294967296", "18446744073709551616", "1.5", ""]
RUNS_GOOD = [None, "RUNS_FOLDER", "new/runs/folder", "."]
RUNS_BAD = ["", "afile", "missing-folder", "\x00", "points.csv"]
OUTPUTS = {
    "compare": (["c.png", "new/dir/c.png", "c.pdf", "c"],
                ["c.txt", "afile/c.png", ".", "", "c.png/", "c.png\x00"]),
    "report": (["r.html", "new/dir/r.html", "r"],
               ["r.png", "afile/r.html", ".", "", "r.html/", "folder.csv"]),
    "predict": (["out.csv", "new/dir/out.csv", "out.txt"],
                ["afile/out.csv", ".", "", "out.csv/", "folder.csv"]),
    "tour": (["t.html", "new/dir/t.html"], ["t.png", "afile/t.html", ".", "", "t.html/"]),
}


def option(draw, wrong: set, name: str, good, bad) -> list[str]:
    """``[name, value]``, or ``[]`` for the value None; hostile when ``name`` is wrong."""
    value = draw(st.sampled_from(bad if name in wrong else good))
    return [] if value is None else [name, value]


def wrong_options(draw, names) -> set:
    """The options that get hostile values: none in about a third of the examples."""
    return draw(st.sets(st.sampled_from(names), max_size=2))


@st.composite
def train_args(draw):
    if draw(st.integers(0, 3)) == 0:                      # --resume RUN
        wrong = wrong_options(draw, ["--resume", "--epochs", "RECIPE", "--seed", "--engine",
                                     "--set", "--runs", "--verbose"])
        args = ["train", "--resume", draw(st.sampled_from(
            RUN_BAD if "--resume" in wrong else RUN_GOOD))]
        if "RECIPE" in wrong:
            args.insert(1, draw(st.sampled_from(["wine", "mine.json", "digitz", "broken.json"])))
        elif draw(st.booleans()):
            args.insert(1, "gaussian_quantiles")
        args += option(draw, wrong, "--epochs", [None, "2", "3"], ["1", "0", "abc"])
        if "--set" in wrong:
            args += ["--set", draw(st.sampled_from(OVERRIDES_GOOD + OVERRIDES_BAD))]
        args += option(draw, wrong, "--seed", [None, "0"], SEEDS_BAD + ["7"])
        args += option(draw, wrong, "--engine", [None, "numpy"], ["keras", "torch", ""])
        args += option(draw, wrong, "--runs", [None, "RUNS_FOLDER"], RUNS_BAD + ["."])
        return args + option(draw, wrong, "--verbose", ["0"], ["3", "-1", "abc"])
    wrong = wrong_options(draw, ["RECIPE", "--set", "--epochs", "--seed", "--engine", "--runs",
                                 "--verbose"])
    args = ["train"]
    recipe = draw(st.sampled_from([None, *RECIPES_BAD] if "RECIPE" in wrong else RECIPES_GOOD))
    if recipe is not None:
        args.append(recipe)
    overrides = draw(st.lists(st.sampled_from(OVERRIDES_GOOD), max_size=2))
    if "--set" in wrong:
        bad = draw(st.sampled_from(OVERRIDES_BAD))
        overrides.insert(draw(st.integers(0, len(overrides))), bad)
    for item in overrides:
        args += ["--set", item]
    epochs = draw(st.sampled_from(["0", "-1", "abc", "1e12", ""] if "--epochs" in wrong
                                  else ["1", "2", None]))
    if epochs is None:         # no --epochs: the last overrides say one epoch
        args += ["--set", "fit.epochs=1", "--set", "evaluation.retrain_epochs=1"
                 if recipe == "boston" else "fit.batch_size=32"]
    else:
        args += ["--epochs", epochs]
    args += option(draw, wrong, "--seed", SEEDS_GOOD, SEEDS_BAD)
    args += option(draw, wrong, "--engine", [None, "numpy", "numpy", *KERAS],
                   ["torch", "", "NUMPY", "numpy,keras", "keras "])
    args += option(draw, wrong, "--runs", RUNS_GOOD, RUNS_BAD)
    return args + option(draw, wrong, "--verbose", ["0", "1", "2"], ["3", "-1", "abc"])


@st.composite
def evaluate_args(draw):
    wrong = wrong_options(draw, ["RUN", "extra"])
    args = ["evaluate", draw(st.sampled_from(RUN_BAD if "RUN" in wrong else RUN_GOOD))]
    return args + (["--bogus"] if "extra" in wrong else [])


@st.composite
def predict_args(draw):
    wrong = wrong_options(draw, ["RUN", "INPUT", "-o"])
    inputs = (["points.csv", "points.npy", "nan.csv"],
              ["three.csv", "words.csv", "empty.csv", "garbage.npy", "objects.npy", "points.txt",
               "missing.csv", "folder.csv", "", "mine.json", "\x00"])
    args = ["predict", draw(st.sampled_from(RUN_BAD if "RUN" in wrong else RUN_GOOD)),
            draw(st.sampled_from(inputs["INPUT" in wrong]))]
    return args + option(draw, wrong, "-o", [None, *OUTPUTS["predict"][0]],
                         OUTPUTS["predict"][1])


@st.composite
def several_runs_args(draw, command):
    wrong = wrong_options(draw, ["RUNS", "-o", "--metric", "--title"])
    if "RUNS" in wrong:
        runs = draw(st.lists(st.sampled_from(RUN_BAD + RUN_GOOD), max_size=3))
    else:
        runs = draw(st.lists(st.sampled_from(RUN_GOOD), min_size=1, max_size=3))
    args = [command, *runs, *option(draw, wrong, "-o", [None, *OUTPUTS[command][0]],
                                    OUTPUTS[command][1])]
    if command == "compare":
        return args + option(draw, wrong, "--metric", [None, "loss", "accuracy"],
                             ["val_loss", "nope", "", "epoch"])
    return args + option(draw, wrong, "--title", [None, "a title"],
                         ["", "<script>alert(1)</script>", "t" * 1000, "[bold]x[/bold]"])


@st.composite
def runs_args(draw):
    wrong = wrong_options(draw, ["--runs", "--root"])
    return ["runs", *option(draw, wrong, "--runs", RUNS_GOOD, RUNS_BAD),
            *option(draw, wrong, "--root", [None], RUNS_GOOD[1:] + RUNS_BAD)]


@st.composite
def tour_args(draw):
    wrong = wrong_options(draw, ["--engines", "--epochs", "--seed", "--runs", "-o"])
    args = ["tour", *option(draw, wrong, "--engines", ["numpy", "numpy", *KERAS,
                                                       *[f"numpy,{k}" for k in KERAS]],
                            ["torch", "", ",", "numpy,,", " NUMPY", "numpy,torch"])]
    if not args[1:]:
        args += ["--engines", "numpy"]
    args += option(draw, wrong, "--epochs", ["1"], ["0", "-1", "abc"])
    args += option(draw, wrong, "--seed", SEEDS_GOOD, SEEDS_BAD)
    args += option(draw, wrong, "--runs", RUNS_GOOD, RUNS_BAD)
    args += option(draw, wrong, "-o", [None, *OUTPUTS["tour"][0]], OUTPUTS["tour"][1])
    return args if "--epochs" in args else [*args, "--epochs", "1"]


@st.composite
def tune_args(draw):
    names = ["RECIPE", "--trials", "--epochs", "--storage", "--workers", "--pruner", "--study",
             "--timeout", "--seed", "--engine", "--runs"]
    wrong = wrong_options(draw, names)
    args = ["tune"]
    recipe = draw(st.sampled_from(
        ["digitz", "", "../x", "broken.json", "nested.json", "list.json", "boston", None]
        if "RECIPE" in wrong else ["gaussian_quantiles", "wine", "mine.json"]))
    if recipe is not None:
        args.append(recipe)
    args += option(draw, wrong, "--trials", ["1", "2"], ["0", "-1", "abc"])
    args += option(draw, wrong, "--epochs", ["1"], ["0", "abc"])
    if "--epochs" not in args:
        args += ["--epochs", "1"]
    args += option(draw, wrong, "--storage", [None, "sqlite:///study.db"],
                   ["sqlite://", "sqlite:///", "sqlite:////no/such/folder/x.db",
                    "sqlite:///afile", "postgresql://nohost", "mongodb://x/y", "", "nonsense",
                    "sqlite:///folder.csv"])
    args += option(draw, wrong, "--workers", [None, "1"], ["0", "-1", "abc"])
    args += option(draw, wrong, "--pruner", [None, "median", "hyperband", "none"],
                   ["bogus", "", "Median"])
    args += option(draw, wrong, "--study", [None, "s1", "ok-study"],
                   ["a b", "", "../x", "x" * 200, "s1\x00"])
    args += option(draw, wrong, "--timeout", [None, "30", "0"], ["-1", "nan", "inf", "abc"])
    args += option(draw, wrong, "--seed", SEEDS_GOOD, SEEDS_BAD)
    args += option(draw, wrong, "--engine", [None, "numpy"], ["torch", "", "NUMPY"])
    return args + option(draw, wrong, "--runs", RUNS_GOOD, RUNS_BAD)


@st.composite
def board_args(draw):
    """Only what ``redes board`` must refuse before TensorBoard starts: a bad port, or a
    runs folder that is not a folder."""
    bad_port = ["-1", "70000", "65536", "abc", "", "6006.5", "1e3"]
    if draw(st.booleans()):
        return ["board", "--port", draw(st.sampled_from(bad_port)),
                *option(draw, set(), "--runs", RUNS_GOOD + RUNS_BAD, [])]
    return ["board", "--runs", draw(st.sampled_from(RUNS_BAD)),
            *option(draw, set(), "--port", [None, "0", "6006", *bad_port], [])]


@st.composite
def playground_args(draw):
    """Only what ``redes playground`` must refuse before its server starts."""
    wrong = wrong_options(draw, ["--port", "--host", "--allow-host"]) or {"--port"}
    args = ["playground", "--no-open"]
    args += option(draw, wrong, "--port", [None, "8765"], ["0", "-1", "70000", "abc", ""])
    args += option(draw, wrong, "--host", [None, "127.0.0.1", "localhost", "::1"],
                   ["bad host", "", "x:80", "[zz]", "[::1]", "-", "a" * 300,
                    "http://localhost", "999.1.1.1", "local\x00host"])
    return args + option(draw, wrong, "--allow-host", [None, "aula.local", "192.168.1.5:8765"],
                         ["aula local", "", "x:99999", "[zz]", "a/b"])


@st.composite
def data_args(draw):
    if draw(st.booleans()):
        return ["data", *draw(st.sampled_from([["list"], ["list", "extra"], [], ["nope"],
                                               ["add"], ["add", "mnist"]]))]
    name = draw(st.sampled_from(["mnist", "imdb", "boston_housing", "foo", "", "../x"]))
    paths = draw(st.lists(st.sampled_from(["garbage.npz", "missing.npz", "folder.csv",
                                           "afile", "mine.json", "", ".", "points.npy"]),
                          min_size=1, max_size=2))
    return ["data", "add", name, *paths]


# The strategy of each command's arguments, and its share of the examples: REDES_CLI_EXAMPLES
# is shared out by these weights (at least two examples each), so that every command runs
# even in the short default run.
COMMANDS = {
    "train": (train_args(), 10),
    "evaluate": (evaluate_args(), 3),
    "predict": (predict_args(), 3),
    "runs": (runs_args(), 2),
    "compare": (several_runs_args("compare"), 3),
    "report": (several_runs_args("report"), 3),
    "tour": (tour_args(), 3),
    "tune": (tune_args(), 4),
    "board": (board_args(), 2),
    "playground": (playground_args(), 3),
    "data": (data_args(), 2),
    "others": (st.sampled_from([["info", "--no-devices"], ["info", "--bogus"], ["info", "x"],
                                ["recipes"], ["recipes", "extra"], ["recipes", "--bogus"], [],
                                ["bogus"], ["--bogus"], ["train", "--bogus"], ["--help"]]), 2),
}


# ------------------------------------------------------------------------- the contract
@cache
def marked_spanish_messages() -> list[tuple[str, re.Pattern]]:
    """(msgid, pattern) of the catalog's messages whose Spanish differs from the English:
    the English text, with any value in its placeholders, where a message starts. Messages
    with little fixed text are left out (their pattern would match almost anything)."""
    entries = parse_po(Path(catalog_path("es")).read_text(encoding="utf-8"))
    found = []
    for entry in entries:
        if (entry.is_header or entry.obsolete or not entry.msgstr or entry.msgid_plural
                or "fuzzy" in entry.flags):
            continue
        if entry.msgstr == entry.msgid:
            continue
        # without the Python argument it starts with ("path: "), which the CLI renames
        english = re.sub(r"^([\w.{}!:-]+?: )+", "", entry.msgid)
        pieces = re.split(r"(\{\{|\}\}|\{[^{}]*\})", english)
        fixed = "".join(p for p in pieces[0::2])
        if len(fixed.strip()) < 25:
            continue
        regex = "".join(
            re.escape(re.sub(r"\s+", " ", p.replace("{{", "{").replace("}}", "}")))
            if i % 2 == 0 or p in ("{{", "}}") else ".*?"
            for i, p in enumerate(pieces))
        # where a message starts: the line, or after "--option: ", "(" or "; "
        found.append((entry.msgid, re.compile(r"(?:^|(?<=: )|(?<=\()|(?<=; ))" + regex)))
    return found


def new_runs(before: set[Path], after: set[Path]) -> set[Path]:
    return {p for p in after - before if RUN_NAME.match(p.name) or (p / "config.json").exists()
            or (p / "status.json").exists()}


def folders(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_dir()}


# What a command writes where it is told to (or where it should not): other processes may
# add source files to the project meanwhile, so only such names count there
WRITTEN = re.compile(r"^(runs|tune|new|missing-folder|redes_home|keras_home|datasets)$"
                     r"|\.(png|pdf|html|csv|db|json|npy|npz|txt|redes|keras)$")


def project_entries() -> set[str]:
    """The entries of the project's own folders that a command could have written."""
    places = (PROJECT, PROJECT / "src", PROJECT / "src" / "redes", PROJECT / "tests")
    return {str(folder / name) for folder in places if folder.is_dir()
            for name in os.listdir(folder) if WRITTEN.search(name)}


def check_contract(args: list[str], lang: str, result, before: set[Path], after: set[Path]):
    output = result.output
    shown = f"redes {args!r} (REDES_LANG={lang}) exited {result.exit_code}:\n{output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"an exception escaped {shown}\n{trace}")
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in output, shown
    lines = output.splitlines()
    errors = [line for line in lines if line.startswith(ERROR)]
    boxes = [line for line in lines if line.startswith(USAGE_BOX)]
    if result.exit_code == 0:
        assert not errors and not boxes, shown
    elif args in ([], ["data"]):           # no_args_is_help: the help, exit code 2
        assert any(w in output for w in ("Usage:", "Uso:", "⟦Usage:⟧")) and not errors, shown
    else:
        assert len(errors) + len(boxes) == 1, f"expected one error line or box: {shown}"
    if lang == "pseudo" and (errors or boxes):   # the error went through the catalogs
        start = next(i for i, line in enumerate(lines) if line.startswith((ERROR, USAGE_BOX)))
        assert "⟦" in "".join(lines[start:]), f"an error without a catalog message: {shown}"
    if lang == "es" and (errors or boxes):      # the error message, from its first line on
        start = next(i for i, line in enumerate(lines) if line.startswith((ERROR, USAGE_BOX)))
        text = " ".join(" ".join(lines[start:]).replace("│", " ").split())
        for msgid, pattern in marked_spanish_messages():
            assert not pattern.search(text), f"English message {msgid!r} under es: {shown}"
    made = new_runs(before, after)
    if args[:1] == ["train"] and result.exit_code != 0:
        assert not made, f"a failed train left {sorted(map(str, made))}: {shown}"
    if args[:1] == ["train"] and result.exit_code == 0 and "--resume" not in args:
        assert len(made) == 1, f"a train made {sorted(map(str, made))}: {shown}"


def resolve(args: list[str], good: Path, folder: Path) -> list[str]:
    """The arguments with ``RUN:damage`` made into run folders and ``RUNS_FOLDER`` into
    the runs folder."""
    out = []
    for arg in args:
        if arg.startswith("RUN:"):
            arg = str(place_run(good, folder / "runs", arg.removeprefix("RUN:")))
        elif arg == "RUNS_FOLDER":
            arg = str(folder / "runs")
        out.append(arg)
    return out


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_keeps_the_contract(trained, command):
    good, examples = trained
    strategy, weight = COMMANDS[command]
    total = sum(share for _strategy, share in COMMANDS.values())

    @settings(max_examples=max(2, round(EXAMPLES * weight / total)), derandomize=True,
              deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(args=strategy, lang=st.sampled_from(["en", "es", "pseudo"]),
           runs_before=st.lists(st.sampled_from(["good", "interrupted", "status_missing"]),
                                max_size=2))
    def run(args, lang, runs_before):
        project = project_entries()
        siblings = sorted(os.listdir(examples))
        with tempfile.TemporaryDirectory(dir=examples) as name, \
                sandbox(Path(name), lang) as cwd, no_servers_and_a_short_tour():
            folder = Path(name)
            place_files(cwd)
            (folder / "runs").mkdir()
            for damage in runs_before:        # runs already there (redes runs lists them)
                place_run(good, folder / "runs", damage)
            resolved = resolve(args, good, folder)
            before = folders(folder)
            result = runner.invoke(app, resolved)
            assert os.getcwd() == str(cwd), f"redes {resolved!r} changed the working directory"
            check_contract(resolved, lang, result, before, folders(folder))
        assert sorted(os.listdir(examples)) == siblings, \
            f"redes {resolved!r} wrote beside its folder"
        assert project_entries() <= project, f"redes {resolved!r} wrote into the project"

    run()
