"""TensorFlow's start-up chatter reaches neither a notebook nor the terminal.

When TensorFlow is imported, its C++ core writes notices straight to file descriptor 2
(``oneDNN custom operations are on...``, ``This TensorFlow binary is optimized to use
available CPU instructions...``, absl's ``All log messages before absl::InitializeLog()...``,
and on CUDA builds ``Unable to register cuDNN factory...``). ``redes.engines.import_keras``
hides them: it sets ``TF_CPP_MIN_LOG_LEVEL=2`` unless the user has set it, and imports with
fd 2 pointed at os.devnull. ``TF_ENABLE_ONEDNN_OPTS`` is not touched (it changes numbers).

* In a fresh interpreter: ``import_keras()`` plus a small training prints none of those
  lines, leaves ``TF_CPP_MIN_LOG_LEVEL`` at 2 and ``TF_ENABLE_ONEDNN_OPTS`` unset, and
  stderr (Python's and the native one) works again afterwards.
* ``redes info`` (which imports TensorFlow to list the devices) prints none of them, even
  with the user's ``TF_CPP_MIN_LOG_LEVEL=0``.
* In a Jupyter kernel (nbclient), the first code cell of ``01_fundamentos.ipynb``, which
  imports Keras, and a cell that trains after it show none of them. The notices used to
  reach the notebook twice: in a kernel, ``sys.stderr.fileno()`` is not fd 2.
* With fake ``keras`` and ``tensorflow`` modules that write to fd 2 when imported (no
  TensorFlow needed): the user's values of both variables are kept, and fd 2 comes back
  after the import, also when it fails.

The checks with TensorFlow start it three times, two of them at once (about 40 s in all).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from kernels import kernel_manager

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
HAS_KERAS = importlib.util.find_spec("keras") is not None \
    and importlib.util.find_spec("tensorflow") is not None
needs_tensorflow = pytest.mark.skipif(not HAS_KERAS, reason="needs TensorFlow and Keras")
SECONDS = 180           # a guard against a hang; each check takes 10 to 25 s

# Lines TensorFlow prints on start-up (and their log prefixes), none of which may show.
CHATTER = re.compile("|".join([
    r"oneDNN custom operations",
    r"TF_ENABLE_ONEDNN_OPTS",
    r"This TensorFlow binary is optimized",
    r"To enable the following instructions",
    r"rebuild TensorFlow with the appropriate compiler flags",
    r"absl::InitializeLog",
    r"Unable to register cu(?:DNN|FFT|BLAS) factory",
    r"computation placer already registered",
    r"cpu_feature_guard\.cc",
    r"port\.cc:\d+\]",
    r"^[IWE]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w./-]+:\d+\]",   # an absl/tsl log line
]), re.M)

PROBE = """
import os, sys
import redes.nn
from redes.engines import import_keras

keras = import_keras()
import numpy as np

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=2, verbose=0)
model.predict(np.ones((1, 3)), verbose=0)
print("log level:", os.environ.get("TF_CPP_MIN_LOG_LEVEL", "<unset>"))
print("onednn opts:", os.environ.get("TF_ENABLE_ONEDNN_OPTS", "<unset>"))
print("python stderr after the import", file=sys.stderr, flush=True)
os.write(2, b"native stderr after the import\\n")
"""


def _env(**settings) -> dict:
    """The test process's environment without TensorFlow's settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "REDES_ENGINE")}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env | settings


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    """The interpreters of the tests below, started together (each imports TensorFlow):
    {name: Popen}. Each test waits for its own. ``redes info`` runs with the user's own
    TensorFlow settings, the log level at 0 (everything) among them."""
    work = tmp_path_factory.mktemp("tf_quiet")
    commands = {
        "import_keras": ([sys.executable, "-c", PROBE], _env()),
        "redes info": ([sys.executable, "-m", "redes.cli", "info"],
                       _env(COLUMNS="120", TF_CPP_MIN_LOG_LEVEL="0", TF_ENABLE_ONEDNN_OPTS="1")),
    }
    processes = {name: subprocess.Popen(argv, cwd=work, env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for name, (argv, env) in commands.items()}
    yield processes
    for process in processes.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


def _finish(process) -> subprocess.CompletedProcess:
    try:
        out, err = process.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"{process.args} took more than {SECONDS} s:\n{err[-3000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _assert_quiet(text: str, where: str) -> None:
    found = [m.group(0) for m in CHATTER.finditer(text)]
    assert not found, f"{where} shows TensorFlow's start-up chatter {found}:\n{text[-3000:]}"


def test_the_pattern_finds_the_chatter():
    """The pattern knows the lines this test is about (as TensorFlow 2.21 prints them)."""
    samples = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to "
        "STDERR",
        "I0000 00:00:1796612626.770499   20863 port.cc:153] oneDNN custom operations are on. "
        "You may see slightly different numerical results",
        "2025-01-01 10:00:00.000000: I tensorflow/core/platform/cpu_feature_guard.cc:210] "
        "This TensorFlow binary is optimized to use available CPU instructions",
        "E0000 00:00:1731234567.123456    1234 cuda_dnn.cc:8310] Unable to register cuDNN "
        "factory: Attempting to register factory for plugin cuDNN when one has already been "
        "registered",
    ]
    for line in samples:
        assert CHATTER.search(line), line
    assert not CHATTER.search("Código de Keras ejecutado por: keras\nepoch 1/5 - loss 0.3")


@needs_tensorflow
def test_import_keras_is_quiet(started):
    done = _finish(started["import_keras"])
    assert done.returncode == 0, done.stderr[-3000:]
    _assert_quiet(done.stdout + done.stderr, "import_keras()")
    assert "log level: 3\n" in done.stdout
    assert "onednn opts: <unset>\n" in done.stdout     # numerics are not changed
    # stderr is given back after the import: what follows it is shown
    assert "python stderr after the import" in done.stderr
    assert "native stderr after the import" in done.stderr


# ------------------------------------------- the same rules, with a TensorFlow that is fake
@pytest.fixture
def fake_tensorflow(tmp_path, monkeypatch):
    """``keras`` and ``tensorflow`` modules that write to fd 2 (as TensorFlow's C++ core does)
    and to sys.stderr when imported; the real ones, if imported, are put back afterwards."""
    (tmp_path / "keras.py").write_text(
        "import os\nos.write(2, b'I0000 port.cc:153] oneDNN custom operations are on\\n')\n")
    (tmp_path / "tensorflow.py").write_text(
        "import logging, os\n"
        "os.write(2, b'This TensorFlow binary is optimized to use available CPU\\n')\n"
        "def get_logger():\n    return logging.getLogger('fake_tensorflow')\n")
    saved = {name: sys.modules.pop(name) for name in ("keras", "tensorflow")
             if name in sys.modules}
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"):
        monkeypatch.delenv(name, raising=False)
    yield
    for name in ("keras", "tensorflow"):
        sys.modules.pop(name, None)
    sys.modules.update(saved)


@pytest.mark.parametrize("settings, level, onednn", [
    ({}, "3", None),
    ({"TF_CPP_MIN_LOG_LEVEL": "0", "TF_ENABLE_ONEDNN_OPTS": "1"}, "0", "1"),
    ({"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}, "3", "0"),
], ids=["defaults", "the user's settings", "the user's other settings"])
def test_import_keras_sets_the_log_level_only_if_unset(fake_tensorflow, monkeypatch, capfd,
                                                     settings, level, onednn):
    from redes.engines import import_keras

    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    keras = import_keras()
    assert keras.__file__.startswith(str(Path(sys.path[0])))        # the fake one
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == level
    assert os.environ.get("TF_ENABLE_ONEDNN_OPTS") == onednn
    os.write(2, b"native stderr after the import\n")
    print("python stderr after the import", file=sys.stderr)
    out, err = capfd.readouterr()
    _assert_quiet(out + err, "import_keras()")
    assert "native stderr after the import" in err
    assert "python stderr after the import" in err


def test_stderr_comes_back_when_the_import_fails(fake_tensorflow, tmp_path, capfd):
    from redes.engines import import_keras

    (Path(sys.path[0]) / "tensorflow.py").write_text(
        "import os\nos.write(2, b'Unable to register cuDNN factory\\n')\n"
        "raise ImportError('no TensorFlow here')\n")
    with pytest.raises(RuntimeError, match="pip install"):
        import_keras()
    os.write(2, b"native stderr after the failed import\n")
    out, err = capfd.readouterr()
    _assert_quiet(out + err, "a failed import_keras()")
    assert "native stderr after the failed import" in err


@needs_tensorflow
def test_redes_info_is_quiet(started):
    """Even with the user's TF_CPP_MIN_LOG_LEVEL=0: the oneDNN notice ignores the level."""
    done = _finish(started["redes info"])
    assert done.returncode == 0, done.stderr[-3000:]
    assert "devices" in done.stdout                # it did import TensorFlow
    _assert_quiet(done.stdout + done.stderr, "redes info")


@needs_tensorflow
def test_the_notebook_cell_that_imports_keras_is_quiet(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    for name in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "REDES_ENGINE"):
        monkeypatch.delenv(name, raising=False)       # the kernel starts as a reader's would
    monkeypatch.setenv("REDES_QUICK", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "redes_home"))
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    for module in ("quiz.py", "exercises.py"):         # the first cell imports both
        (tmp_path / module).write_bytes((NOTEBOOKS / module).read_bytes())

    notebook = nbformat.read(NOTEBOOKS / "01_fundamentos.ipynb", as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert "import_keras()" in first.source, "the first code cell no longer imports Keras"
    notebook.cells = [first, nbformat.v4.new_code_cell(
        "import sys\n"
        "quiet = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
        "quiet.compile(optimizer='sgd', loss='mse')\n"
        "quiet.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=2, verbose=0)\n"
        "print('stderr still works', file=sys.stderr)")]
    client = nbclient.NotebookClient(notebook, km=kernel_manager(tmp_path), timeout=SECONDS,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()

    outputs = [o for cell in notebook.cells for o in cell.outputs]
    text = "".join(o.get("text", "") or json.dumps(o.get("data", {})) for o in outputs)
    assert all(o.output_type != "error" for o in outputs), text
    assert "Código de Keras ejecutado por: keras" in text
    assert "stderr still works" in text
    _assert_quiet(text, "the first cell of 01_fundamentos.ipynb")
