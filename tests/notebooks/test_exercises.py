"""notebooks/exercises.py: every exercise of the notebooks says when it is not done yet,
explains typical mistakes and accepts the solution folded in its notebook.

The solutions are read from the notebooks' <details> cells, so a solution that stops
passing its own check fails here, in a second, rather than in the notebook runs.
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_cells import NOTEBOOKS, define, exercises_in, load_module

ex = load_module()
NAMES = ["01_fundamentos", "02_redes_con_python", "03_keras"]
ALL = [exercise for name in NAMES for exercise in exercises_in(name)]


# ----------------------------------------------------------------------------- the layout
def test_every_notebook_has_exercises_and_each_exercise_lives_in_one_notebook():
    per_notebook = {name: [e.id for e in ALL if e.notebook == name] for name in NAMES}
    assert all(per_notebook.values()), per_notebook
    assert len(ALL) >= 5
    assert sorted(e.id for e in ALL) == sorted(ex.EXERCISES)     # each exactly once


@pytest.mark.parametrize("exercise", ALL, ids=str)
def test_an_exercise_is_a_task_a_function_to_fill_in_a_check_and_a_folded_solution(exercise):
    assert exercise.task.startswith("### Ejercicio")
    assert f"`{exercise.function}(" in exercise.task           # the task names the function
    assert "# TU CÓDIGO AQUÍ" in exercise.stub and "raise NotImplementedError" in exercise.stub
    signature = exercise.stub.strip().splitlines()[0]
    assert signature.startswith(f"def {exercise.function}(")
    assert exercise.solution.strip().splitlines()[0] == signature
    assert "NotImplementedError" not in exercise.solution


def test_the_notebooks_import_the_exercises_in_their_first_code_cell():
    import json

    for name in NAMES:
        cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
        assert "\nimport exercises" in first, name


# ---------------------------------------------------------------- not done, done, and wrong
@pytest.mark.parametrize("exercise", ALL, ids=str)
def test_the_shipped_function_is_not_done_yet_and_the_check_does_not_raise(exercise, capsys):
    fn = define(exercise.stub)
    verdict = ex.grade(exercise.id, fn)
    assert verdict.status == ex.UNSOLVED and not verdict.passed
    ex.check(exercise.id, fn)                                   # prints, raises nothing
    assert "todavía sin resolver" in capsys.readouterr().out
    assert ex.status()[exercise.id] == "sin resolver"


@pytest.mark.parametrize("exercise", ALL, ids=str)
def test_the_folded_solution_passes(exercise, capsys):
    fn = define(exercise.solution)
    verdict = ex.grade(exercise.id, fn)
    assert verdict.passed, verdict.message
    ex.check(exercise.id, fn)
    assert "✔ ¡correcto!" in capsys.readouterr().out
    assert ex.status()[exercise.id] == "correcto"


def _relu_itself(z):
    return np.maximum(0, z)


def _relu_backwards(z):
    return (z < 0).astype(float)


def _relu_with_if(z):
    return 1.0 if z > 0 else 0.0


def _relu_scalar(z):
    return float(np.mean(z > 0))


def _forward_difference(f, w, h=1e-5):
    return (f(w + h) - f(w)) / h


def _central_over_h(f, w, h=1e-5):
    return (f(w + h) - f(w - h)) / h


def _central_reversed(f, w, h=1e-5):
    return (f(w - h) - f(w + h)) / (2 * h)


def _error_not_averaged(p, y):
    return p - y


def _error_reversed(p, y):
    return (y - p) / len(y)


def _sigmoid_derivative_only(p, y):
    return p * (1 - p)


def _dl_dp_only(p, y):
    return (-y / p + (1 - y) / (1 - p)) / len(y)


def _no_return(p, y):
    (p - y) / len(y)


def _dense_dw_transposed(X, W, dZ):
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)


def _dense_db_mean(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)


def _dense_db_not_summed(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ


def _dense_dx_without_transpose(X, W, dZ):
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)


def _dense_two_values(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0)


def _dense_dw_over_n(X, W, dZ):
    return dZ @ W.T, X.T @ dZ / len(X), dZ.sum(axis=0)


def _mask_not_scaled(shape, rate, rng):
    return (rng.random(shape) >= rate).astype(float)


def _mask_backwards(shape, rate, rng):
    return (rng.random(shape) < rate) / (1 - rate)


def _mask_over_rate(shape, rate, rng):
    return (rng.random(shape) >= rate) / rate


def _mask_global_random(shape, rate, rng):
    return (np.random.default_rng().random(shape) >= rate) / (1 - rate)


def _mask_wrong_shape(shape, rate, rng):
    return (rng.random(shape[0]) >= rate) / (1 - rate)


def _l2_without_2(w, l2):
    return l2 * w


def _l2_without_l2(w, l2):
    return 2 * w


def _l2_penalty(w, l2):
    return l2 * w ** 2


def _l2_sum(w, l2):
    return 2 * l2 * np.sum(w)


def _conv_flipped(image, kernel):
    kernel = kernel[::-1, ::-1]
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def _conv_same_size(image, kernel):
    out = np.zeros_like(image)
    out[:-2, :-2] = _conv_flipped(image, kernel[::-1, ::-1])
    return out


def _conv_indices_swapped(image, kernel):
    return _conv_flipped(image, kernel[::-1, ::-1]).T


def _conv_off_by_one(image, kernel):
    return _conv_flipped(image, kernel[::-1, ::-1])[:-1, :-1]


MISTAKES = [
    ("derivada_relu", _relu_itself, "devuelves ReLU(z), no su derivada"),
    ("derivada_relu", _relu_backwards, "está al revés"),
    ("derivada_relu", _relu_with_if, "Un `if` no sirve con arrays"),
    ("derivada_relu", _relu_scalar, "tiene forma (); se esperaba (2, 4)"),
    ("diferencias_centrales", _forward_difference, "es la diferencia hacia adelante"),
    ("diferencias_centrales", _central_over_h, "divide entre 2 * h"),
    ("diferencias_centrales", _central_reversed, "tiene el signo cambiado"),
    ("gradiente_salida", _error_not_averaged, "falta dividir entre n = len(y)"),
    ("gradiente_salida", _error_reversed, "tiene el signo cambiado"),
    ("gradiente_salida", _sigmoid_derivative_only, "la derivada de la sigmoide sola"),
    ("gradiente_salida", _dl_dp_only, "eso es dL/dp"),
    ("gradiente_salida", _no_return, "¿olvidaste el `return`?"),
    ("retro_densa", _dense_dw_transposed, "dW tiene la forma traspuesta: (2, 3) en lugar de "
                                          "(3, 2)"),
    ("retro_densa", _dense_db_mean, "db: es la media de dZ"),
    ("retro_densa", _dense_db_not_summed, "dZ.sum(axis=0)"),
    ("retro_densa", _dense_dx_without_transpose, "Revisa las formas"),
    ("retro_densa", _dense_two_values, "se esperaban tres"),
    ("retro_densa", _dense_dw_over_n, "dW es 0.25 veces el valor correcto"),
    ("mascara_dropout", _mask_not_scaled, "te falta escalar"),
    ("mascara_dropout", _mask_backwards, "Parece al revés: rate es la fracción que se apaga"),
    ("mascara_dropout", _mask_over_rate, "divides entre rate"),
    ("mascara_dropout", _mask_global_random, "usa el generador rng"),
    ("mascara_dropout", _mask_wrong_shape, "tiene forma (400,); se esperaba (400, 50)"),
    ("gradiente_l2", _l2_without_2, "te falta el factor 2"),
    ("gradiente_l2", _l2_without_l2, "te falta l2"),
    ("gradiente_l2", _l2_penalty, "eso es la penalización de cada peso"),
    ("gradiente_l2", _l2_sum, "tiene forma (); se esperaba (3, 4)"),
    ("convolucion_2d", _conv_flipped, "volteaste el filtro"),
    ("convolucion_2d", _conv_same_size, "tiene la forma de la imagen"),
    ("convolucion_2d", _conv_indices_swapped, "tiene la forma traspuesta"),
    ("convolucion_2d", _conv_off_by_one, "tiene forma (2, 3); se esperaba (3, 4)"),
]


@pytest.mark.parametrize("exercise_id, fn, explanation", MISTAKES,
                         ids=[f"{e}-{f.__name__.strip('_')}" for e, f, _ in MISTAKES])
def test_a_typical_mistake_fails_and_says_what_is_wrong(exercise_id, fn, explanation, capsys):
    verdict = ex.grade(exercise_id, fn)
    assert verdict.status == ex.WRONG, verdict.message
    assert explanation in verdict.message
    assert verdict.message.startswith(f"Ejercicio {exercise_id}: ✘")
    ex.check(exercise_id, fn)
    assert explanation in capsys.readouterr().out
    assert ex.status()[exercise_id] == "incorrecto"


def test_every_exercise_has_typical_mistakes_tested():
    assert {e for e, _, _ in MISTAKES} == set(ex.EXERCISES)


def test_an_unknown_exercise_is_an_error_and_a_non_function_is_explained():
    with pytest.raises(ValueError, match="no hay ningún ejercicio 'derivada'"):
        ex.grade("derivada", lambda z: z)
    verdict = ex.grade("derivada_relu", None)
    assert verdict.status == ex.WRONG and "se esperaba una función" in verdict.message

