"""The course notebooks: stored without outputs, and run from top to bottom without error.

Each notebook is executed headless by nbclient (kernel ``python3``) in a copy made in a
temporary folder, with ``REDES_QUICK=1`` (fewer epochs) and private ``KERAS_HOME`` and
``REDES_HOME`` folders. A notebook collects its results in a dict ``results``; the test
reads it back and checks the numbers. Two runs cover both sides of every switch:

* the defaults: Keras on TensorFlow and the offline datasets (digits, breast cancer, wine,
  Boston, MNIST-1D);
* the NumPy engine (``REDES_ENGINE=numpy``) with the course's datasets present (tiny copies
  of MNIST, Fashion-MNIST, IMDB and Reuters in Keras' formats).

The exercises are left as shipped in the first run (every check says it is not done yet,
and the notebook goes on) and solved in the second: the executed copy gets the solution of
each <details> cell in its function cell, and every check must pass. Notebook 02 uses no
dataset that needs a switch: it runs once as shipped and once with the solutions.

Every run is in Spanish, as a learner runs it: each figure the notebook shows is saved in
``tests/notebooks/artifacts/`` to be looked at, and its titles, axis labels and legends must
not be left in English.

The time of every notebook is printed at the end of the session.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from exercise_cells import exercises_in, fill_in_solutions
from kernels import kernel_manager

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = Path(__file__).parent / "artifacts"      # figures of the last run, not in git
NAMES = ["01_fundamentos", "02_redes_con_python", "03_keras"]
CELL_TIMEOUT = 600          # seconds for one cell
HAS_KERAS = importlib.util.find_spec("keras") is not None \
    and importlib.util.find_spec("tensorflow") is not None


def _read(name) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------- stored form
def test_the_course_has_one_notebook_per_part():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name):
    notebook = _read(name)
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, "a notebook without code cells"
    for i, cell in enumerate(code):
        assert cell.get("outputs") == [], f"code cell {i} has stored outputs: clear them"
        assert cell.get("execution_count") is None, f"code cell {i} has an execution count"
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in notebook["metadata"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_a_valid_nbformat_4_file(name):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_in_spanish_and_ends_with_the_quiz(name):
    notebook = _read(name)
    text = "\n".join("".join(c["source"]) for c in notebook["cells"])
    assert "Cuestionario de autoevaluación" in text
    part = name[:2]
    assert f'quiz.show("{part}")' in text and f'quiz.check("{part}", answers)' in text
    assert "REDES_QUICK" in text


# ----------------------------------------------------------------------------- running
def _execute(name, tmp_path, monkeypatch, timings, keras_home=None, engine=None,
             solved=False):
    """Run a copy of the notebook, with the exercises' solutions filled in if ``solved``;
    return (executed notebook, results dict, {exercise: status of its check})."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(NOTEBOOKS / "quiz.py", work)
    shutil.copy(NOTEBOOKS / "exercises.py", work)
    monkeypatch.setenv("REDES_QUICK", "1")
    monkeypatch.setenv("KERAS_HOME", str(keras_home or tmp_path / "keras_home"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "redes_home"))
    monkeypatch.setenv("REDES_RUNS", str(work / "runs"))
    monkeypatch.delenv("MPLBACKEND", raising=False)   # the kernel draws inline
    monkeypatch.delenv("REDES_LANG", raising=False)   # in Spanish, as a learner runs it
    if engine:
        monkeypatch.setenv("REDES_ENGINE", engine)
    else:
        monkeypatch.delenv("REDES_ENGINE", raising=False)
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    if solved:
        fill_in_solutions(name, notebook)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(FIRST_CELL))
    notebook.cells.append(nbformat.v4.new_code_cell(FINAL_CELL))
    client = nbclient.NotebookClient(notebook, km=kernel_manager(work), timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(work)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    timings.append((f"{name} ({engine or 'default engine'}"
                    f"{', course datasets' if keras_home else ''}"
                    f"{', exercises solved' if solved else ''})", seconds))
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    results = json.loads(printed.split("RESULTS=", 1)[1].split("EXERCISES=", 1)[0])
    statuses = json.loads(printed.split("EXERCISES=", 1)[1].split("FIGURES=", 1)[0])
    _save_figures(f"{name}-{engine or 'default'}{'-solved' if solved else ''}", notebook)
    _check_figure_labels(json.loads(printed.split("FIGURES=", 1)[1]))
    notebook.cells = notebook.cells[1:-1]           # the notebook's own cells, as shipped
    return notebook, results, statuses


# every figure the notebook shows goes through print_figure: its texts are recorded there
FIRST_CELL = """import matplotlib.backend_bases as _backend_bases
_figure_labels, _print_figure = [], _backend_bases.FigureCanvasBase.print_figure


def _recording_print_figure(self, *args, **kwargs):
    figure = self.figure
    texts = [figure._suptitle.get_text()] if figure._suptitle else []
    for ax in figure.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        if ax.get_legend():
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    _figure_labels.append([t for t in texts if t])
    return _print_figure(self, *args, **kwargs)


_backend_bases.FigureCanvasBase.print_figure = _recording_print_figure
"""
FINAL_CELL = """import json as _json
print('RESULTS=' + _json.dumps(results))
print('EXERCISES=' + _json.dumps(exercises.status()))
print('FIGURES=' + _json.dumps(_figure_labels))
"""


def _save_figures(stem, notebook) -> None:
    """Every figure the run drew, as ``artifacts/<notebook>-<run>-<cell>.png``, to be looked
    at."""
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    for i, cell in enumerate(notebook.cells):
        images = [o["data"]["image/png"] for o in cell.get("outputs", [])
                  if "image/png" in o.get("data", {})]
        for j, image in enumerate(images):
            (ARTIFACTS / f"{stem}-cell{i:03d}-{j}.png").write_bytes(base64.b64decode(image))


ENGLISH = re.compile(r"\b(loss|accuracy|epochs?|weights?|training|validation|learning rate|"
                     r"steps?|count|values?|filters?|feature maps?|time|size|units?|"
                     r"optimizer|label)\b", re.IGNORECASE)


def _check_figure_labels(labels) -> None:
    """The titles, axis labels and legends of every figure shown, ``[[texts], ...]``, are
    Spanish."""
    assert labels, "the notebook showed no figure"
    english = [t for texts in labels for t in texts if ENGLISH.search(t)]
    assert not english, f"English in the figures' labels: {english}"


def _outputs(notebook):
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def _images(notebook) -> int:
    return sum("image/png" in o.get("data", {}) for o in _outputs(notebook))


def _check_clean_run(notebook):
    for output in _outputs(notebook):
        assert output.output_type != "error", output
        text = output.get("text", "")
        assert "Traceback" not in text, text


def _check_exercises(name, notebook, statuses, solved=False):
    """Every check ran and said "not done yet" (as shipped) or "right" (solved)."""
    exercises = exercises_in(name, notebook.cells)
    assert exercises
    expected = "correcto" if solved else "sin resolver"
    assert statuses == {e.id: expected for e in exercises}
    for exercise in exercises:
        printed = "".join(o.get("text", "") for o in notebook.cells[exercise.cell + 1].outputs)
        said = "✔ ¡correcto!" if solved else "todavía sin resolver"
        assert f"Ejercicio {exercise.id}: {said}" in printed, printed


def _check_one_hot_example(notebook, results):
    """Section 3 of notebook 03 prints one sample's label next to its own one-hot row."""
    example = results["one_hot_example"]
    one_hot = example["one_hot"]
    assert sorted(one_hot) == [0.0] * (len(one_hot) - 1) + [1.0]
    assert one_hot.index(1.0) == example["label"]
    printed = "".join(o.get("text", "") for o in _outputs(notebook))
    label, row = re.search(r"etiqueta (\d+) en one-hot: \[([^\]]*)\]", printed).groups()
    assert int(label) == example["label"]
    assert [float(v) for v in row.split()] == one_hot


def test_01_fundamentos(tmp_path, monkeypatch, notebook_timings):
    notebook, results, statuses = _execute("01_fundamentos", tmp_path, monkeypatch,
                                           notebook_timings)
    _check_clean_run(notebook)
    _check_exercises("01_fundamentos", notebook, statuses)
    assert results["engine"] == ("keras" if HAS_KERAS else "numpy")
    assert results["backprop_max_error"] < 1e-7        # backprop by hand vs central differences
    assert results["gradcheck_passed"] is True
    assert results["dataset"] == "digits"
    assert results["test_accuracy"] >= 0.85            # 5 epochs; about 0.97 after 20
    _check_fundamentals(results)
    assert _images(notebook) >= 11


def _check_fundamentals(results):
    """Sections 1 and 7 of notebook 01: what a hidden layer adds, and counting parameters."""
    accuracy = results["circles_accuracy"]               # two circles, on a test set
    assert accuracy["lineal"] < 0.7                      # a straight line: about chance
    assert accuracy["red"] > 0.9                         # 8 hidden neurons: a closed curve
    assert accuracy["lineal + x₁²+x₂²"] > 0.9             # the hand-made feature fixes it
    assert results["params_by_hand"] == results["params_count_params"]
    error = results["fit_error"]                         # sin(3x) + 0.3x, one hidden layer
    assert error["2"] > error["8"] > error["64"]


def test_02_redes_con_python(tmp_path, monkeypatch, notebook_timings):
    notebook, results, statuses = _execute("02_redes_con_python", tmp_path, monkeypatch,
                                           notebook_timings)
    _check_clean_run(notebook)
    _check_exercises("02_redes_con_python", notebook, statuses)
    # the NumPy network and redes.nn, from the same weights, give the same numbers
    assert results["max_output_difference"] < 1e-6
    assert results["loss_difference"] < 1e-6
    assert results["numpy_test_accuracy"] >= 0.95
    assert results["redes_test_accuracy"] == results["numpy_test_accuracy"]
    # section 6: the optimizers raced on one valley, the same number of steps
    distance = results["optimizer_distance"]             # from the minimum at the end
    assert distance["Adam"] < distance["SGD"] and distance["RMSprop"] < distance["SGD"]
    assert distance["momento"] < distance["SGD"]
    noise = results["batch_noise"]                       # std of the epoch-to-epoch changes
    assert noise["1"] > noise["32"] > noise["800"]              # 800: the full batch
    # a learning rate of 10 ends higher than 1e-3 (a NaN fails "<=", and passes)
    assert not results["high_lr_final_loss"] <= results["normal_lr_final_loss"]
    assert _images(notebook) >= 9


def test_03_keras(tmp_path, monkeypatch, notebook_timings):
    notebook, results, statuses = _execute("03_keras", tmp_path, monkeypatch, notebook_timings)
    _check_clean_run(notebook)
    _check_exercises("03_keras", notebook, statuses)
    assert results["engine"] == ("keras" if HAS_KERAS else "numpy")
    assert results["binary_dataset"] == "breast_cancer"
    assert set(results["binary_test_accuracy"]) == {"base", "dropout 0.5", "L2 0.001",
                                                    "early stopping"}
    assert min(results["binary_test_accuracy"].values()) >= 0.9
    near_zero = results["near_zero_weights"]            # first-layer weights with |w| < 0.01
    assert near_zero["L1 0.001"] > near_zero["L2 0.001"]
    assert near_zero["L1 0.001"] > near_zero["sin regularización"]
    best, final = results["capacity_best_epoch"], results["capacity_final_val_loss"]
    big, small = "grande (256, 256)", "pequeña (4)"
    assert best[big] < best[small] or final[big] > final[small]   # the bigger overfits sooner
    memorised = results["random_labels_accuracy"]       # 10 classes: chance is 0.1
    assert memorised["train"] > memorised["val"] + 0.2 and memorised["val"] < 0.25
    noise = results["noise_min_val_loss"]
    assert noise["con 500 columnas de ruido"] > noise["sin ruido"]
    assert results["multiclass_dataset"] == "wine"
    _check_one_hot_example(notebook, results)
    assert results["multiclass_test_accuracy"] >= 0.85
    assert results["kfold_val_mae"] < 6.0               # predicting the mean price: about 6.6
    assert results["boston_test_mae"] < 6.0
    assert results["cnn_dataset"] == "mnist1d"
    cnn = results["cnn_test_accuracy"]
    assert cnn["convolucional"] > cnn["densa"] and cnn["convolucional"] >= 0.4
    assert results["conv_hand_vs_keras_max_diff"] < 1e-5    # NumPy by hand == Conv2D
    seconds = results["matmul_cpu_seconds"]             # n x n products, n = 128, 256, ...
    assert len(seconds) == len(results["matmul_sizes"]) >= 4
    # times on a shared machine say little (a first call may wait for threads to start):
    # only that each size was measured; the lesson's figures are the learner's own
    assert all(0 < s < 60 for s in seconds)
    assert results["tensorboard_event_files"] >= 2      # train and validation of the run
    assert results["search_trials"] == 8
    assert _images(notebook) >= 8
    assert (tmp_path / "work" / "runs").is_dir()        # written next to the notebook
    if results["engine"] == "keras":
        assert list((tmp_path / "work" / "logs").rglob("events.out.tfevents*"))


def test_02_with_the_exercises_solved(tmp_path, monkeypatch, notebook_timings):
    notebook, results, statuses = _execute("02_redes_con_python", tmp_path, monkeypatch,
                                           notebook_timings, solved=True)
    _check_clean_run(notebook)
    _check_exercises("02_redes_con_python", notebook, statuses, solved=True)
    assert results["redes_test_accuracy"] == results["numpy_test_accuracy"]


@pytest.mark.parametrize("name", ["01_fundamentos", "03_keras"])
def test_notebook_with_the_course_datasets_on_the_numpy_engine(name, tmp_path, monkeypatch,
                                                               course_datasets,
                                                               notebook_timings):
    """This run also fills in the solutions of the exercises: every check must pass."""
    notebook, results, statuses = _execute(name, tmp_path, monkeypatch, notebook_timings,
                                           keras_home=course_datasets, engine="numpy",
                                           solved=True)
    _check_clean_run(notebook)
    _check_exercises(name, notebook, statuses, solved=True)
    assert results["engine"] == "numpy"
    if name == "01_fundamentos":
        assert results["dataset"] == "mnist"
        assert 0 <= results["test_accuracy"] <= 1
        _check_fundamentals(results)
    else:
        assert results["binary_dataset"] == "imdb"
        assert results["multiclass_dataset"] == "reuters"
        _check_one_hot_example(notebook, results)
        assert results["cnn_dataset"] == "fashion_mnist"
        assert results["search_trials"] == 8
