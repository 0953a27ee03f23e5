"""`redes train`, `evaluate`, `predict`, `runs`, `compare`, `report`, `data`: end to end on
small offline recipes, in a temporary runs folder."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from redes.cli import app
from redes.runs import Run, list_runs

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture()
def runs_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "runs"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "runs"


def test_train_writes_a_complete_run(runs_dir):
    result = invoke("train", "gaussian_quantiles", "--epochs", "3", "--verbose", "0")
    assert result.exit_code == 0, result.output
    (path,) = runs_dir.iterdir()
    run = Run.open(path)
    assert run.status == "finished" and run.last_epoch == 3
    for name in ("config.json", "history.csv", "history.json", "metrics.json", "status.json",
                 "model.redes"):
        assert (path / name).is_file(), name
    plots = {p.name for p in (path / "plots").iterdir()}
    assert {"learning_curves.png", "confusion_matrix.png", "decision_boundary.png"} <= plots
    assert any((path / "tensorboard").rglob("events.out.tfevents.*"))
    assert 0 <= run.metrics["accuracy"] <= 1

    evaluated = invoke("evaluate", str(path))
    assert evaluated.exit_code == 0 and "accuracy" in evaluated.output

    np.savetxt("points.csv", np.array([[0.0, 0.0], [3.0, 3.0]]), delimiter=",")
    predicted = invoke("predict", str(path), "points.csv", "-o", "out.csv")
    assert predicted.exit_code == 0, predicted.output
    out = np.loadtxt("out.csv", delimiter=",", skiprows=1)
    assert out.shape == (2,) and np.all((out >= 0) & (out <= 1))
    assert out[0] < 0.5 < out[1]  # the centre is one class, far away the other

    listed = invoke("runs")
    assert listed.exit_code == 0, listed.output
    assert "gaussian_quan" in listed.output and "finished" in listed.output

    compared = invoke("compare", str(path), str(path), "--metric", "loss", "-o", "c.png")
    assert compared.exit_code == 0 and os.path.getsize("c.png") > 1000
    reported = invoke("report", str(path), "-o", "r.html")
    assert reported.exit_code == 0 and "<img" in open("r.html").read()


def test_train_with_overrides_and_a_recipe_file(runs_dir):
    result = invoke("train", "wine", "--epochs", "2", "--set", "fit.batch_size=8",
                    "--verbose", "0")
    assert result.exit_code == 0, result.output
    (run,) = [Run.open(p) for p in runs_dir.iterdir()]
    assert run.config["recipe"]["fit"]["batch_size"] == 8

    from redes import recipes

    recipe = recipes.get("wine")
    recipe["fit"]["epochs"] = 1
    with open("mine.json", "w") as f:
        json.dump(recipe, f)
    assert invoke("train", "mine.json", "--verbose", "0").exit_code == 0
    assert len(list_runs()) == 2


def test_clear_errors(runs_dir):
    unknown = invoke("train", "digitz")
    assert unknown.exit_code == 2 and "digits" in unknown.output
    bad_set = invoke("train", "wine", "--set", "fit.epochs=-3")
    assert bad_set.exit_code == 2 and "fit.epochs" in bad_set.output
    engine = invoke("train", "wine", "--engine", "torch")
    assert engine.exit_code == 2 and "--engine" in engine.output
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


def test_missing_course_dataset_stops_at_once_with_instructions(runs_dir, tmp_path,
                                                                monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "empty-redes"))
    for name in ("imdb", "first_network_mnist", "fashion_mnist_dense", "reuters"):
        from redes import recipes

        if name not in recipes.names():
            continue
        result = invoke("train", name)
        assert result.exit_code == 2
        assert "redes data add" in result.output
        variant = recipes.get(name)["offline_variant"]
        assert f"redes train {variant}" in result.output      # what runs without the file
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl_c", "sigterm"])
def test_ctrl_c_keeps_the_last_epoch_and_resume_continues(runs_dir, tmp_path, stop):
    """Ctrl+C, and SIGTERM (``kill``, a service manager) which redes takes the same way."""
    env = {**os.environ, "REDES_RUNS": str(runs_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "redes.cli", "train", "digits", "--epochs", "150",
         "--verbose", "0"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        runs = list(runs_dir.glob("*/status.json")) if runs_dir.exists() else []
        if runs and (json.loads(runs[0].read_text()).get("model_epoch") or 0) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(stop)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "--resume" in out
    (path,) = runs_dir.iterdir()
    run = Run.open(path)
    assert run.status == "interrupted"
    done = run.status_info["model_epoch"]
    assert done >= 2 and run.last_epoch >= done
    assert (path / "model.redes").is_file()

    resumed = invoke("train", "--resume", str(path), "--verbose", "0")
    assert resumed.exit_code == 0, resumed.output
    run = Run.open(path)
    assert run.status == "finished" and run.last_epoch == 150
    assert run.history["epoch"] == list(range(1, 151))


def test_data_list_and_add(runs_dir):
    listed = invoke("data", "list")
    assert listed.exit_code == 0 and "boston_housing" in listed.output
    bad = invoke("data", "add", "mnist", "no-such-file.npz")
    assert bad.exit_code == 2 and "no-such-file.npz" in bad.output


# ---------------------------------------------------------------- tables that keep names whole
@pytest.fixture()
def two_runs(runs_dir):
    """A hold-out run (gaussian_quantiles) and a k-fold run (boston), one epoch each."""
    for name in ("gaussian_quantiles", "boston"):
        result = invoke("train", name, "--epochs", "1", "--verbose", "0")
        assert result.exit_code == 0, result.output
    return sorted(runs_dir.iterdir())


@pytest.mark.parametrize("columns", ["80", "110", "200"])
def test_runs_never_cuts_run_names(two_runs, columns):
    result = runner.invoke(app, ["runs"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for path in two_runs:
        assert any(path.name in line for line in lines), (path.name, result.output)
    assert "…" not in result.output
    assert "final metrics" in result.output and "test metrics" not in result.output
    assert "kfold_val_mae" in result.output and "finished" in result.output
    assert lines[0].startswith("runs in ")   # the folder is named in full, never cut
    assert max(len(line) for line in lines[1:]) <= int(columns), result.output


def test_train_and_evaluate_keep_titles_and_names_on_one_line(runs_dir):
    from redes import recipes

    title = recipes.get("gaussian_quantiles")["title"]
    trained = runner.invoke(app, ["train", "gaussian_quantiles", "--epochs", "1", "--verbose",
                                  "0"], env={"COLUMNS": "80"})
    assert trained.exit_code == 0, trained.output
    assert f"{title} (numpy)" in trained.output.splitlines()
    (path,) = runs_dir.iterdir()
    evaluated = runner.invoke(app, ["evaluate", str(path)], env={"COLUMNS": "80"})
    assert evaluated.exit_code == 0, evaluated.output
    assert any(line.startswith(path.name) for line in evaluated.output.splitlines())


# --------------------------------------------------------- report and compare on runs/*
def test_report_and_compare_skip_what_is_not_a_run(two_runs, runs_dir):
    (runs_dir / "tune" / "study").mkdir(parents=True)
    (runs_dir / "tour.html").write_text("<html></html>")
    everything = sorted(str(p) for p in runs_dir.iterdir())          # what runs/* gives
    reported = invoke("report", *everything, "-o", "r.html")
    assert reported.exit_code == 0, reported.output
    assert "skipped" in reported.output and "tune" in reported.output
    html = open("r.html").read()
    assert all(p.name in html for p in two_runs)
    compared = invoke("compare", *everything, "-o", "c.png")
    assert compared.exit_code == 0, compared.output
    assert os.path.getsize("c.png") > 1000

    none = invoke("report", str(runs_dir / "tune"), str(runs_dir / "tour.html"))
    assert none.exit_code == 2 and "RUNS: none of the folders given is a run" in none.output
    missing = invoke("compare", str(two_runs[0]), "no-such-run")
    assert missing.exit_code == 2 and "RUNS: no such folder: no-such-run" in missing.output


def test_compare_chooses_a_curve_every_run_has_and_lists_them(two_runs):
    # a k-fold run (boston) and one without a validation set have no val_loss: loss it is
    compared = invoke("compare", *map(str, two_runs), "-o", "c.png")
    assert compared.exit_code == 0, compared.output
    assert "comparing loss" in compared.output and os.path.getsize("c.png") > 1000
    bad = invoke("compare", *map(str, two_runs), "--metric", "val_mae")
    assert bad.exit_code == 2
    assert "--metric: 'val_mae' is not in the history of" in bad.output
    assert "the curves every run has: loss" in bad.output and "mae" in bad.output


# ------------------------------------------------------------------- --resume and its options
def test_resume_refuses_other_settings_and_extends_with_epochs(runs_dir):
    assert invoke("train", "gaussian_quantiles", "--epochs", "2", "--verbose", "0",
                  "--set", "fit.batch_size=16").exit_code == 0
    (path,) = runs_dir.iterdir()
    Run.open(path).mark_interrupted()        # as Ctrl+C after its last epoch leaves it
    refused = {
        ("wine",): "RECIPE: ",
        ("--engine", "keras"): "--engine: ",
        ("--seed", "3"): "--seed: ",
        ("--set", "fit.batch_size=8"): "--set: ",
        ("--epochs", "1"): "--epochs: ",
        ("--runs", "elsewhere"): "--runs: ",
    }
    for args, message in refused.items():
        result = invoke("train", "--resume", str(path), *args, "--verbose", "0")
        assert result.exit_code == 2, (args, result.output)
        assert f"error: {message}" in result.output, (args, result.output)
    assert Run.open(path).status == "interrupted"

    # the same values are fine, and --epochs trains the run up to that many epochs in all
    resumed = invoke("train", "gaussian_quantiles", "--resume", str(path), "--engine", "numpy",
                     "--seed", "0", "--set", "fit.batch_size=16", "--epochs", "4",
                     "--runs", str(runs_dir), "--verbose", "0")
    assert resumed.exit_code == 0, resumed.output
    run = Run.open(path)
    assert run.status == "finished" and run.history["epoch"] == [1, 2, 3, 4]
    assert run.config["recipe"]["fit"]["epochs"] == 4 and run.status_info["epochs"] == 4
    finished = invoke("train", "--resume", str(path), "--epochs", "6")
    assert finished.exit_code == 2 and "already finished" in finished.output


def test_predict_refuses_npy_files_that_are_not_one_array_of_numbers(runs_dir, tmp_path):
    """An .npz archive named .npy, a header declaring 10^12 rows, pickled objects: one
    error line each (they used to end in a traceback or a MemoryError), nothing allocated."""
    import io

    assert invoke("train", "gaussian_quantiles", "--epochs", "1", "--verbose", "0").exit_code == 0
    (path,) = runs_dir.iterdir()
    np.savez(tmp_path / "two.npz", a=np.ones((2, 2)), b=np.ones(2))
    (tmp_path / "renamed.npy").write_bytes((tmp_path / "two.npz").read_bytes())
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (10**12, 2)})
    (tmp_path / "huge.npy").write_bytes(header.getvalue() + b"\0" * 32)
    np.save(tmp_path / "objects.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
    for name, words in (("renamed.npy", "is an .npz archive of several arrays"),
                        ("huge.npy", "its header announces shape (1000000000000, 2)"),
                        ("objects.npy", "holds Python objects (dtype=object)")):
        result = invoke("predict", str(path), str(tmp_path / name))
        assert result.exit_code == 2 and words in result.output, result.output
        assert "Traceback" not in result.output
    np.save(tmp_path / "points.npy", np.array([[0.0, 0.0], [3.0, 3.0]]))
    assert invoke("predict", str(path), str(tmp_path / "points.npy")).exit_code == 0


@pytest.mark.parametrize("setting, words", [
    ("model.layers.0.1.units=100000000000", "its weight kernel of shape (2, 100000000000) "
                                            "needs 745.06 GiB of memory"),
    ("dataset.kwargs.n_samples=10000000000", "n_samples: 10000000000 points need about"),
    ("dataset.kwargs.samples=10", "kwargs: the dataset 'gaussian_quantiles' takes no "
                                  "argument 'samples'; expected some of n_samples"),
])
def test_a_training_that_cannot_start_says_why_and_leaves_no_run_folder(runs_dir, setting,
                                                                           words):
    """Sizes the computer cannot hold are refused before anything is allocated (they ended
    in a MemoryError), unknown dataset arguments before the run starts (a TypeError), and
    a training that fails before its first epoch leaves no 'failed' folder behind."""
    result = invoke("train", "gaussian_quantiles", "--set", setting, "--epochs", "1",
                    "--verbose", "0")
    assert result.exit_code == 2 and words in result.output, result.output
    assert "Traceback" not in result.output
    assert not runs_dir.exists() or not list(runs_dir.iterdir())


def test_damaged_runs_are_listed_as_unreadable_and_refused_by_name(two_runs, runs_dir):
    """A status.json whose numbers are strings, a config.json nested 100,000 deep, a run
    of an unknown engine: `redes runs` lists them as unreadable with the file and the
    reason, the other runs as usual; every command given one says so in one error line."""
    import json
    import shutil

    good, source = two_runs
    damaged = {}
    for name, edit in (("strings", lambda p: p.joinpath("status.json").write_text(json.dumps(
                            {**json.loads(p.joinpath("status.json").read_text()),
                             "last_epoch": "five", "seconds": "x"}))),
                       ("deep", lambda p: p.joinpath("config.json").write_text(
                           "[" * 100_000 + "]" * 100_000)),
                       ("engine", lambda p: p.joinpath("config.json").write_text(json.dumps(
                           {**json.loads(p.joinpath("config.json").read_text()),
                            "engine": "torch"})))):
        damaged[name] = runs_dir / f"zz-{name}"
        shutil.copytree(source, damaged[name])
        edit(damaged[name])
    listed = invoke("runs")
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("finished") == 2                  # the two good runs
    assert all(f"zz-{name}" in listed.output for name in damaged)
    assert "status.json is damaged: last_epoch is 'five'; expected an integer >= 0 or null" in \
        listed.output.replace("\n", "")
    assert "JSON nested too deeply" in listed.output
    assert "engine is 'torch'; expected 'numpy' or 'keras'" in listed.output.replace("\n", "")
    for path in damaged.values():     # one good run among them: compared, the rest noted
        result = invoke("compare", str(good), str(path), "-o", "c.png")
        assert result.exit_code == 0 and "skipped an unreadable run" in result.output
    for command in (["evaluate"], ["predict", None, "x.csv"], ["train", "--resume"],
                    ["report"], ["compare"]):
        for path in damaged.values():
            args = [str(path) if a is None else a for a in command]
            if None not in command:
                args.append(str(path))
            result = invoke(*args)
            assert result.exit_code in (1, 2) and "error:" in result.output, (args,
                                                                              result.output)
            assert "Traceback" not in result.output


def test_predict_output_is_written_whole_or_not_at_all(runs_dir, tmp_path, monkeypatch):
    """A `redes predict -o` that stops half way (killed, a full disk: here the writer fails
    after one line) leaves the previous predictions file as it was."""
    assert invoke("train", "gaussian_quantiles", "--epochs", "1", "--verbose", "0").exit_code == 0
    (path,) = runs_dir.iterdir()
    np.savetxt("points.csv", np.array([[0.0, 0.0], [3.0, 3.0]]), delimiter=",")
    assert invoke("predict", str(path), "points.csv", "-o", "out.csv").exit_code == 0
    good = (tmp_path / "out.csv").read_text()
    savetxt = np.savetxt

    def failing(target, *args, **kwargs):
        """Write a first line where numpy would (a path is opened, emptied), then fail."""
        if isinstance(target, (str, os.PathLike)):
            with open(target, "w") as f:
                f.write("output_0\n0.5")
        else:
            target.write("output_0\n0.5")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savetxt", failing)
    result = invoke("predict", str(path), "points.csv", "-o", "out.csv")
    monkeypatch.setattr(np, "savetxt", savetxt)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert (tmp_path / "out.csv").read_text() == good
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_outputs_into_a_missing_folder_make_it_and_say_so(two_runs, tmp_path):
    good = str(next(p for p in two_runs if p.name.startswith("gaussian")))   # 2 inputs
    np.savetxt("points.csv", np.array([[0.0, 0.0]]), delimiter=",")
    for args, made in ((["compare", good, "-o", "new/a/c.png"], "new/a"),
                       (["report", good, "-o", "new/b/r.html"], "new/b"),
                       (["predict", good, "points.csv", "-o", "new/c/p.csv"], "new/c")):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert f"made the folder {made} for" in result.output.replace("\n", "")
        assert (tmp_path / args[-1]).is_file()
