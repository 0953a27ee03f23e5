"""The playground's messages (bad CSV uploads, refused settings, exports) in Spanish.

The server sends these messages to the browser as they are, so they must follow the
language redes shows: ``set_language("es")`` gives the Spanish text of the catalog, and
``set_language("pseudo")`` brackets every message, proving it goes through ``_``.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

from redes.data import playground_sets as datasets
from redes.data.playground_sets import DataError
from redes.playground import export, presets, serve
from redes.playground.session import Session, decode_frame
from redes.playground.state import DEFAULT, StateError, merge


def _csv(rows):
    return "\n".join(",".join(str(v) for v in row) for row in rows)


# ------------------------------------------------------------------ datasets.py
def test_csv_errors_in_spanish(spanish):
    with pytest.raises(DataError, match=re.escape(
            "csv: línea 2: se esperaban 3 columnas (x1,x2,label), se recibieron 2")):
        datasets.parse_csv("x1,x2,label\n1,2\n", "classification")
    with pytest.raises(DataError, match=re.escape(
            "csv: línea 3: se esperaban números, se recibió '1,dos,0'")):
        datasets.parse_csv("x1,x2,label\n1,2,0\n1,dos,0\n", "classification")
    with pytest.raises(DataError, match=re.escape(
            "csv: se esperaban al menos 10 filas de puntos, se recibieron 3")):
        datasets.parse_csv(_csv([[1, 2, 0], [2, 3, 1], [3, 4, 0]]), "classification")
    with pytest.raises(DataError, match=re.escape(
            "csv: se esperaban etiquetas de clase enteras (0, 1, 2...), se recibió 0.5")):
        datasets.parse_csv(_csv([[i, i, 0.5] for i in range(12)]), "classification")
    with pytest.raises(DataError, match=re.escape(
            "csv: se esperaban de 2 a 8 clases, se recibieron 1")):
        datasets.parse_csv(_csv([[i, i, 1] for i in range(12)]), "classification")
    with pytest.raises(DataError, match=re.escape(
            "csv: se esperaba un archivo de 256 KB como máximo (262144 bytes), "
            "se recibieron 262145 bytes")):
        datasets.parse_csv("1" * (256 * 1024 + 1), "regression")


def test_load_errors_in_spanish(spanish):
    with pytest.raises(ValueError, match=re.escape(
            "dataset: se esperaba uno de circle, xor, gauss, spiral, moons, checkerboard, "
            "spiral3, blobs, plane, multigauss, sine, se recibió 'cuadrado'")):
        datasets.load(dataset="cuadrado")
    with pytest.raises(ValueError, match=r"^features: se esperaban nombres entre x1, x2, "
                                         r".*, se recibió \['x3'\]$"):
        datasets.load(features=["x3"])
    with pytest.raises(ValueError, match=re.escape(
            "test: se esperaban filas de 3 números finitos x1, x2, label")):
        datasets.load(train=[[0, 0, 1]], test=[[0, 0]])


# --------------------------------------------------------------------- state.py
def test_state_errors_in_spanish(spanish):
    with pytest.raises(StateError, match=re.escape(
            "noise: se esperaba un entero de 0 a 50, se recibió 80")):
        merge(DEFAULT, {"noise": 80})
    with pytest.raises(StateError, match=re.escape(
            "learning_rate: se esperaba un número de 1e-06 a 10.0, se recibió 'rápido'")):
        merge(DEFAULT, {"learning_rate": "rápido"})
    with pytest.raises(StateError, match=re.escape(
            "optimizer: se esperaba uno de sgd, momentum, rmsprop, adam, se recibió 'lbfgs'")):
        merge(DEFAULT, {"optimizer": "lbfgs"})
    with pytest.raises(StateError, match=re.escape(
            "show_test: se esperaba true o false, se recibió 1")):
        merge(DEFAULT, {"show_test": 1})
    with pytest.raises(StateError, match=re.escape(
            "layers: se esperaba una lista de 6 tamaños de capa como máximo, cada uno de 1 a 8, "
            "se recibió [9]")):
        merge(DEFAULT, {"layers": [9]})
    with pytest.raises(StateError, match=re.escape(
            "changes: se esperaba un objeto de ajustes, se recibió [1, 2]")):
        merge(DEFAULT, [1, 2])
    with pytest.raises(StateError, match=r"^changes: se esperaban ajustes entre problem, "
                                         r".*, se recibió 'colour' y 1 más$"):
        merge(DEFAULT, {"colour": 1, "size": 2})
    with pytest.raises(StateError, match=re.escape(
            "dataset: se esperaba un conjunto de datos de regresión (uno de plane, multigauss, "
            "sine, custom), se recibió 'circle'")):
        merge({**DEFAULT, "problem": "regression", "dataset": "plane"}, {"dataset": "circle"})


def test_state_english_unchanged():
    """The English text is the one the code always had (other tests match it)."""
    with pytest.raises(StateError, match=re.escape(
            "changes: expected settings among problem, dataset, ") + r".*" + re.escape(
            ", got 'colour' and 1 more")):
        merge(DEFAULT, {"colour": 1, "size": 2})
    with pytest.raises(StateError, match=re.escape(
            "dataset: expected a classification dataset (one of circle, xor, gauss, spiral, "
            "moons, checkerboard, spiral3, blobs, custom), got 'sine'")):
        merge(DEFAULT, {"dataset": "sine"})


def test_state_errors_pseudo(pseudo):
    with pytest.raises(StateError, match=r"^⟦noise: expected an integer from 0 to 50, "
                                         r"got 80⟧$"):
        merge(DEFAULT, {"noise": 80})
    with pytest.raises(StateError, match=r"^⟦changes: expected settings among .*, "
                                         r"got 'colour'⟧$"):
        merge(DEFAULT, {"colour": 1})


# ------------------------------------------------------------------- session.py
def test_session_errors_in_spanish(spanish):
    session = Session()
    with pytest.raises(StateError, match=re.escape(
            "dataset: se esperaban puntos subidos como archivo CSV antes de 'custom', "
            "pero aún no se subió ninguno")):
        session.apply({"dataset": "custom"})
    with pytest.raises(ValueError, match=re.escape("frame: no es un cuadro del playground")):
        decode_frame(b"NOPE" + bytes(8))
    with pytest.raises(DataError, match=re.escape(
            "csv: se esperaban etiquetas de clase enteras")):
        session.upload(_csv([[i, -i, i / 10] for i in range(12)]))


def test_session_errors_pseudo(pseudo):
    session = Session()
    with pytest.raises(StateError, match=r"^⟦dataset: expected points uploaded as a CSV "
                                         r"file before 'custom', got no upload yet⟧$"):
        session.apply({"dataset": "custom"})
    with pytest.raises(DataError, match=r"^⟦csv: expected at least 10 rows of points, "
                                        r"got 1⟧$"):
        session.upload("1,2,0\n")


# ------------------------------------------------------------------- presets.py
def test_preset_loads_and_bad_change_in_spanish(spanish):
    session = Session()
    session.load(presets.preset_state("spiral3"))
    assert session.state["dataset"] == "spiral3" and session.classes == 3
    with pytest.raises(StateError, match=re.escape(
            "activations: se esperaba una lista de 6 activaciones como máximo entre tanh, "
            "relu, sigmoid, linear, elu, leaky_relu, swish, se recibió ['gelu']")):
        session.load({**presets.preset_state("xor"), "activations": ["gelu"]})


# -------------------------------------------------------------------- export.py
def test_exports_are_code_and_data_with_comments_in_the_language(pseudo):
    """The exported recipe is data and its code is code, never translated; the script's
    comments and printed labels are for the learner, in the page's language."""
    session = Session({"dataset": "xor", "layers": [3]})
    session.train_epochs(1)
    script = export.keras_script(session)
    recipe = export.recipe(session)
    assert "⟦" not in repr(recipe)
    assert recipe["title"] == "Playground: xor (classification)"
    assert "# ⟦The playground's points, one row each" in script
    assert "\nimport keras\n" in script and "\nmodel = keras.Sequential([\n" in script
    assert all("⟦" not in line.split("  #")[0] for line in script.splitlines()
               if "np.array(" in line or "layers." in line)
    compile(script, "exported.py", "exec")
    assert np.isfinite(session.losses()["train_loss"])


# ------------------------------------------------------------------- __init__.py
def test_serve_without_web_extra_in_spanish(spanish, monkeypatch):
    monkeypatch.setitem(sys.modules, "redes.playground.server", None)   # import fails
    with pytest.raises(ImportError, match=re.escape(
            "el playground necesita FastAPI y uvicorn: pip install 'redes[web]'")):
        serve(open_browser=False)


def test_serve_without_web_extra_pseudo(pseudo, monkeypatch):
    monkeypatch.setitem(sys.modules, "redes.playground.server", None)
    with pytest.raises(ImportError, match=r"^⟦the playground needs FastAPI and uvicorn: "):
        serve(open_browser=False)
