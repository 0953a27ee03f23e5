"""The messages of the pipeline around the engine (datasets, recipes, training a recipe, run
directories, tuning, atomic files), for a person: in Spanish with ``set_language("es")``, and
every one of them through the catalog (the pseudo-language brackets it)."""

from __future__ import annotations

import re
import sys

import pytest

from redes import data, recipes
from redes._base import files
from redes.data import boston, formats, keras_sets, mnist1d_data, sklearn_sets, splits, toy
from redes.data import preprocessing as data_preprocessing
from redes.engines import building, kfold, training
from redes.recipes import preprocessing as recipe_preprocessing
from redes.recipes import spec
from redes.runs import Run, RunError, callbacks
from redes.tune import scaling, space, storage, study, tracking, trial


@pytest.fixture
def empty_homes(tmp_path, monkeypatch):
    """Data folders with no dataset in them."""
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "redes"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path


def _raises(exception, message):
    """pytest.raises matching the whole message exactly."""
    return pytest.raises(exception, match="^" + re.escape(message) + "$")


# ------------------------------------------------------------------ Spanish: data
def test_dataset_files_in_spanish(spanish, tmp_path):
    path = tmp_path / "words.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with _raises(data.DatasetFormatError, f"{path}: debe contener un objeto JSON que asocie "
                                          "palabras con rangos, se recibió list"):
        formats.read_word_index(path)
    path.write_text('{"the": -1}', encoding="utf-8")
    with _raises(data.DatasetFormatError, f"{path}: la palabra 'the' tiene el rango -1; los "
                                          "rangos deben ser números enteros >= 0"):
        formats.read_word_index(path)
    with _raises(ValueError, "sequences: se esperaban secuencias de enteros, se recibió "
                             "secuencias anidadas"):
        formats.flatten_sequences([[[1]], [[2, 3]]])


def test_missing_dataset_message_in_spanish(spanish, empty_homes):
    with pytest.raises(data.DatasetNotFoundError) as caught:
        keras_sets.mnist()
    lines = str(caught.value).splitlines()
    assert lines[0] == ("El conjunto de datos MNIST no está en esta computadora: no se encontró "
                        "el archivo 'mnist.npz'.")
    assert lines[1] == "Se buscó en:"
    assert "Para resolverlo, puedes:" in lines
    assert "  - registra una copia que ya tengas:  redes data add mnist PATH/TO/mnist.npz" \
        in lines
    assert lines[-1] == "Define KERAS_HOME o REDES_HOME para buscar en otras carpetas."
    with _raises(ValueError, "name: se esperaba uno de 'mnist', 'fashion_mnist', 'imdb', "
                             "'reuters', 'boston_housing' (los conjuntos de datos que se leen "
                             "de archivos), se recibió 'cifar'"):
        keras_sets.add("cifar", empty_homes)


def test_preprocessing_registry_splits_and_toys_in_spanish(spanish):
    with _raises(ValueError, "y: las etiquetas de clase deben ser >= 0, se recibió -1"):
        data_preprocessing.to_categorical([0, -1])
    with _raises(RuntimeError, "Normalizer: llama a fit(x_train) antes de transform"):
        data_preprocessing.Normalizer().transform([[1.0]])
    with _raises(ValueError, "name: conjunto de datos desconocido 'mnistt'; se esperaba uno de "
                             f"{data.names()}. ¿Quisiste decir 'mnist'?"):
        data.load("mnistt")
    with _raises(ValueError, "k: se esperaban como máximo n=3 pliegues, se recibió 5"):
        splits.kfold(3, 5)
    with _raises(ValueError, "seed: solo se usa con shuffle=True; pasa shuffle=True o quita "
                             "seed"):
        splits.kfold(10, 2, seed=1)
    with _raises(ValueError, "factor: se esperaba un número en (0, 1), se recibió 2"):
        toy.circles(factor=2)


def test_missing_packages_and_damaged_table_in_spanish(spanish, empty_homes, monkeypatch):
    monkeypatch.setitem(sys.modules, "mnist1d.data", None)
    with _raises(ImportError, "MNIST-1D lo genera el paquete mnist1d: pip install mnist1d (o "
                              "pip install 'redes[data]')"):
        mnist1d_data.mnist1d(cache=False)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with _raises(ImportError, "este conjunto de datos viene con scikit-learn: pip install "
                              "scikit-learn"):
        sklearn_sets.digits()
    table = empty_homes / "boston.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setattr(boston, "csv_path", lambda: table)
    with _raises(RuntimeError, "el archivo boston_house_prices.csv incluido con redes está "
                               "dañado (encabezado ['a', 'b'], forma (1, 2)); reinstala redes"):
        boston.read_csv()


# ------------------------------------------------------------------ Spanish: recipes, training
def test_recipes_in_spanish(spanish):
    digits = recipes.get("digits")
    with _raises(recipes.RecipeError, "receta 'digits': fit.epochs: se esperaba un número "
                                      "entero >= 1, se recibió 0 (después de los cambios "
                                      "fit.epochs)"):
        recipes.apply_overrides(digits, ["fit.epochs=0"])
    with _raises(recipes.RecipeError, "override 'fit.nothing.more': fit no tiene 'nothing'; "
                                      "tiene ['batch_size', 'epochs']"):
        recipes.apply_overrides(digits, ["fit.nothing.more=1"])
    with _raises(recipes.RecipeError, "name: receta desconocida 'digitz'; se esperaba una de "
                                      f"{', '.join(recipes.names())}. ¿Quisiste decir "
                                      "'digits'?"):
        recipes.get("digitz")
    with _raises(ValueError, "paso 0: paso desconocido 'bogus'; se esperaba uno de "
                             f"{list(recipe_preprocessing.STEPS)}"):
        recipe_preprocessing.check_steps([["bogus", {}]])


def test_training_in_spanish(spanish):
    digits = recipes.get("digits")
    with _raises(ValueError, "verbose: se esperaba 0, 1 o 2, se recibió 5"):
        training.train_recipe(digits, "numpy", verbose=5)
    with _raises(ValueError, "engine: se esperaba uno de numpy, keras, se recibió 'torch'"):
        building.build(digits, "torch")


# ------------------------------------------------------------------ Spanish: runs, files
def test_runs_and_files_in_spanish(spanish, tmp_path):
    with _raises(RunError, f"path: {tmp_path} no es la carpeta de una ejecución (no tiene "
                           "config.json)"):
        Run.open(tmp_path)
    with _raises(ValueError, "engine: se esperaba 'numpy' o 'keras', se recibió 'torch'"):
        callbacks.make_callback(None, "torch")
    with _raises(ValueError, "config: las claves deben ser textos, se recibió (1, 2)"):
        files.write_json(tmp_path / "x.json", {(1, 2): 3}, "config")
    assert str(files.DiskFullError("x.json")) == (
        "x.json: el disco está lleno (no queda espacio en el dispositivo); el archivo conserva "
        "su versión anterior. Libera espacio e inténtalo de nuevo.")


# ------------------------------------------------------------------ Spanish: tune
def test_tune_in_spanish(spanish, tmp_path):
    with _raises(space.TuneError, "study_name: se esperaban de 1 a 100 letras, dígitos, '_', "
                                  "'.' o '-' (empezando con una letra o un dígito), se recibió "
                                  "'a b'"):
        storage.check_study_name("a b")
    digits = recipes.get("digits")
    del digits["search_space"]
    example = '{"learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2}}'
    with _raises(space.TuneError, f"receta 'digits': search_space: falta o está vacío; se "
                                  f"esperaba, p. ej., {example} con parámetros de "
                                  f"{list(spec.SEARCH_PARAMS)}"):
        space.check_space(digits)
    with _raises(ValueError, "distribute: se esperaba 'mirrored' o None, se recibió 'bogus'"):
        with scaling.keras_strategy("bogus"):
            pass
    missing = tmp_path / "missing"
    with _raises(ValueError, f"root: la carpeta de ejecuciones {str(missing)!r} no existe; "
                             "primero entrena o ajusta algo, o pasa la carpeta que contiene "
                             "tus ejecuciones"):
        tracking.board_command(missing)
    with _raises(ValueError, "engine: se esperaba 'numpy' o 'keras', se recibió 'torch'"):
        trial.pruning_callback("torch", None)
    with _raises(space.TuneError, "trials: se esperaba un número entero >= 1, se recibió 0"):
        study.run_study("digits", trials=0)
    with _raises(space.TuneError, "timeout: se esperaba un número de segundos > 0 o None, se "
                                  "recibió -1"):
        study.run_study("digits", trials=1, timeout=-1)


# ------------------------------------------------------------------ pseudo-language
BRACKETED = re.compile(r"⟦[^⟦⟧]+⟧")


def _bracketed(exc: BaseException) -> str:
    text = str(exc)
    assert BRACKETED.search(text), text
    return text


def test_every_module_goes_through_the_catalog(pseudo, empty_homes, monkeypatch):
    cases = [
        (ValueError, lambda: data_preprocessing.pad_sequences("abc")),
        (ValueError, lambda: data.load(3)),
        (ValueError, lambda: splits.holdout([1, 2], [1])),
        (ValueError, lambda: toy.circles(factor=2)),
        (data.DatasetNotFoundError, lambda: keras_sets.mnist()),
        (ValueError, lambda: keras_sets.add("cifar", empty_homes)),
        (ValueError, lambda: formats.flatten_sequences("abc")),
        (recipes.RecipeError, lambda: spec.validate({"name": "x"})),
        (recipes.RecipeError, lambda: recipes.variant(recipes.get("digits"), "nope")),
        (ValueError, lambda: recipe_preprocessing.check_steps("normalize")),
        (ValueError, lambda: kfold.smooth([1.0, 2.0], factor=1)),
        (RunError, lambda: Run.open(empty_homes)),
        (ValueError, lambda: callbacks.make_callback(None, "torch")),
        (ValueError, lambda: files.plain({"f": object()})),
        (space.TuneError, lambda: storage.resolve("mongodb://host/db", "s")),
        (space.TuneError, lambda: space.check_space([])),
        (ValueError, lambda: scaling.configure_cpu_devices(0)),
        (ValueError, lambda: tracking.board_command(empty_homes, port=-1)),
        (ValueError, lambda: trial.pruning_callback("torch", None)),
        (space.TuneError, lambda: study.run_study("digits", trials=1, engine="torch")),
    ]
    for exception, call in cases:
        with pytest.raises(exception) as caught:
            call()
        _bracketed(caught.value)
    full = str(files.DiskFullError("x.json"))
    assert full.startswith("⟦x.json: the disk is full") and full.endswith(
        "⟦Free some space and try again.⟧⟧"), full


def test_recipe_errors_bracket_each_piece(pseudo):
    with pytest.raises(recipes.RecipeError) as caught:
        recipes.apply_overrides(recipes.get("digits"), ["fit.epochs=0"])
    text = str(caught.value)
    assert text.startswith("⟦⟦recipe 'digits': ⟧fit.epochs: ⟦expected an integer >= 1, got 0⟧")
    assert text.endswith("(after the overrides fit.epochs)⟧")


def test_missing_dataset_lines_bracketed(pseudo, empty_homes):
    with pytest.raises(data.DatasetNotFoundError) as caught:
        keras_sets.mnist()
    lines = str(caught.value).splitlines()
    prose = [line for line in lines if not line.startswith("  /") and line.strip()]
    assert all("⟦" in line and line.rstrip().endswith("⟧") for line in prose), lines
