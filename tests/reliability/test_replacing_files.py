"""Files that would replace good ones: ``redes data add`` keeps a copy only if training can
use it, and redes writes regular files only, never over a link, a FIFO or a folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from redes import data, nn
from redes._base.files import NotAFileError, atomic_write, pid_alive
from redes.cli import app
from redes.data import storage


@pytest.fixture(autouse=True)
def homes(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "redes_home"))
    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "runs"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _boston(n=506, seed=0):
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=(n, 13)), "y": rng.uniform(5, 50, n)}


def _mnist(n_train=8, n_test=4):
    rng = np.random.default_rng(0)
    return {"x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
            "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
            "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
            "y_test": rng.integers(0, 10, n_test, dtype=np.uint8)}


def _add(name, path):
    return CliRunner().invoke(app, ["data", "add", name, str(path)])


def _folder_listing(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("case, arrays, message", [
    ("nan", "boston_nan", "'x' holds NaN or infinite values (1 rows, the first is row 3)"),
    ("few", "boston_few", "recipe boston cannot train on this boston_housing data, so "
                          "nothing was saved: evaluation.kfold: 4 folds need at least 4 "
                          "training samples; boston_housing holds 2"),
    ("no test", "mnist_no_test", "recipe first_network cannot train on this mnist data, so "
                                 "nothing was saved: dataset mnist: the test set holds no "
                                 "samples"),
])
def test_data_add_keeps_the_good_copy_when_training_could_not_use_the_new_one(
        homes, case, arrays, message):
    name = "mnist" if arrays.startswith("mnist") else "boston_housing"
    good = homes / f"good_{name}.npz"
    np.savez(good, **(_mnist() if name == "mnist" else _boston()))
    assert _add(name, good).exit_code == 0
    registered = homes / "redes_home" / "datasets" / f"{name}.npz"
    before = registered.read_bytes()
    bad = homes / f"{name}.npz"
    if arrays == "boston_nan":
        values = _boston()
        values["x"][3, 4] = np.nan
    elif arrays == "boston_few":
        values = _boston(n=3)
    else:
        values = _mnist(n_test=0)
    np.savez(bad, **values)
    result = _add(name, bad)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert registered.read_bytes() == before                        # the good copy is whole
    assert _folder_listing(registered.parent) == [f"{name}.npz"]    # no temporary file left


def test_the_check_sees_the_new_copy_and_the_old_one_stays_until_it_passes(homes):
    np.savez(homes / "a.npz", **_mnist(n_train=8))
    np.savez(homes / "b.npz", **_mnist(n_train=5))
    data.add("mnist", homes / "a.npz")
    seen = []

    def check(dataset):
        seen.append(len(data.load(dataset)[0][0]))
        raise ValueError("path: refused by the check")

    with pytest.raises(ValueError, match="refused by the check"):
        data.add("mnist", homes / "b.npz", check=check)
    assert seen == [5]                                      # the check loaded the new copy
    assert len(data.load("mnist")[0][0]) == 8               # the old copy is still there
    data.add("mnist", homes / "b.npz", check=lambda dataset: None)
    assert len(data.load("mnist")[0][0]) == 5
    assert storage.find("mnist.npz") == homes / "redes_home" / "datasets" / "mnist.npz"


def test_data_add_refuses_two_files_for_one_name(homes):
    for folder in ("one", "two"):
        (homes / folder).mkdir()
        np.savez(homes / folder / "mnist.npz", **_mnist())
    with pytest.raises(ValueError, match=r"^path: 2 files given for mnist.npz: .*expected one"):
        data.add("mnist", homes / "one", homes / "two")
    assert not (homes / "redes_home" / "datasets").exists()


def test_data_add_checks_a_dataset_only_when_all_its_files_are_there(homes):
    index = homes / "imdb_word_index.json"
    index.write_text('{"the": 1}')
    result = _add("imdb", index)          # the reviews are not registered: nothing to prepare
    assert result.exit_code == 0, result.output
    assert data.get_word_index("imdb") == {"the": 1}


# ---------------------------------------------------------------- links and special files


def _specials(folder, suffix=""):
    """A symbolic link to a good file, a FIFO and a folder, each where a file would go."""
    target = folder / "target.bin"
    target.write_bytes(b"keep me")
    (folder / f"link{suffix}").symlink_to(target)
    os.mkfifo(folder / f"fifo{suffix}")
    (folder / f"folder{suffix}").mkdir()
    return target, {f"link{suffix}": "a symbolic link", f"fifo{suffix}": "a FIFO",
                    f"folder{suffix}": "a folder"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_the_atomic_writer_refuses_links_fifos_and_folders(homes):
    target, kinds = _specials(homes)
    for name, kind in kinds.items():
        with pytest.raises(NotAFileError, match=f"{name}: is {kind}; redes writes only regular"):
            with atomic_write(homes / name) as f:
                f.write(b"new")
    assert target.read_bytes() == b"keep me" and (homes / "link").is_symlink()
    assert (homes / "fifo").is_fifo() and (homes / "folder").is_dir()
    assert sorted(p.name for p in homes.iterdir() if p.name.startswith(".tmp")) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system")
def test_model_save_report_and_predict_leave_a_link_or_a_fifo_as_it_is(homes):
    target, kinds = _specials(homes, ".keras")
    model = nn.Sequential([nn.Input(shape=(2,)), nn.layers.Dense(1)])
    for name in kinds:
        with pytest.raises(NotAFileError, match="redes writes only regular files"):
            model.save(homes / name)
    assert target.read_bytes() == b"keep me" and (homes / "link.keras").is_symlink()
    trained = CliRunner().invoke(app, ["train", "gaussian_quantiles", "--epochs", "1",
                                       "--verbose", "0"])
    assert trained.exit_code == 0, trained.output
    (run,) = (homes / "runs").iterdir()
    np.savetxt(homes / "points.csv", np.zeros((2, 2)), delimiter=",")
    for command, suffix in ((["report", str(run)], ".html"), (["compare", str(run)], ".png"),
                            (["predict", str(run), "points.csv"], ".csv")):
        target, kinds = _specials(homes, suffix)
        for name, kind in kinds.items():
            result = CliRunner().invoke(app, [*command, "-o", name])
            assert result.exit_code == 1, (command, result.output)
            assert f"is {kind}; redes writes only regular files" in " ".join(
                result.output.split())
            assert "Traceback" not in result.output
        assert target.read_bytes() == b"keep me" and (homes / f"link{suffix}").is_symlink()
        assert (homes / f"fifo{suffix}").is_fifo()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="zombies are read from /proc")
def test_a_zombie_process_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while pid_alive(child.pid) and time.monotonic() < deadline:   # ended, not yet reaped
        time.sleep(0.05)
    assert not pid_alive(child.pid)
    assert child.poll() == 0                                      # reaped only now
    assert pid_alive(os.getpid())
