"""The report of a gradient check, for a person: in English and in Spanish, every line of it
translated (the pseudo-language brackets every translated message)."""

from __future__ import annotations

import numpy as np
import pytest

from redes.i18n import set_language
from redes.nn import gradcheck, layers

X = np.linspace(0.5, 2, 6)


def _wrong_cube():
    def cube(x):
        return x**3

    cube.backward = lambda g, x, y: g * 2 * x * x  # wrong: the derivative is 3 x^2
    return cube


def _float32_layer_check():
    layer = layers.Dense(2, activation="tanh")
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    layer(x)
    return gradcheck.check_layer(layer, x)


def test_the_verdict_in_english():
    passed = gradcheck.check_activation("tanh", X)
    text = str(passed)
    assert text.startswith("gradient check of tanh (float64, h=1e-05)\n")
    assert text.splitlines()[1].split() == ["tensor", "shape", "max", "relative", "error"]
    assert text.splitlines()[2].split()[-1] == "ok"
    assert passed.verdict().startswith("passed: max relative error ")
    assert passed.verdict().endswith(", tolerance 1e-06")
    assert passed.verdict() == text.splitlines()[-1]

    failed = gradcheck.check_activation(_wrong_cube(), X)
    assert failed.verdict() == "FAILED: max relative error 2.00e-01, tolerance 1e-06"
    assert "WRONG?" in str(failed)
    notes = str(_float32_layer_check()).splitlines()
    assert ("note: the layer is float32: checked on a float64 copy with the same weights"
            in notes)


def test_the_verdict_in_spanish():
    set_language("es")
    passed = gradcheck.check_activation("tanh", X)
    lines = str(passed).splitlines()
    assert lines[0] == "comprobación del gradiente de tanh (float64, h=1e-05)"
    assert lines[1].split() == ["tensor", "forma", "error", "relativo", "máximo"]
    assert lines[2].split()[-1] == "bien"
    assert lines[-1] == passed.verdict()
    assert passed.verdict().startswith("superada: error relativo máximo ")
    assert passed.verdict().endswith(", tolerancia 1e-06")

    failed = gradcheck.check_activation(_wrong_cube(), X)
    assert failed.verdict() == "FALLIDA: error relativo máximo 2.00e-01, tolerancia 1e-06"
    assert str(failed).splitlines()[2].split()[-1] == "¿INCORRECTO?"
    for english in ("gradient check", "passed", "FAILED", "WRONG?", "max relative error"):
        assert english not in str(passed) + str(failed)

    notes = str(_float32_layer_check()).splitlines()
    assert ("nota: la capa es float32: se comprobó en una copia float64 con los mismos pesos"
            in notes)


def test_the_columns_stay_aligned_in_spanish():
    set_language("es")
    result = gradcheck.check_layer(layers.Dense(2, dtype="float64"),
                                   np.random.default_rng(1).normal(size=(3, 2)))
    header, *rows = str(result).splitlines()[1:-1]
    start = header.index("error relativo")
    assert all(row[start - 2:start] == "  " and row[start] != " " for row in rows)


def test_every_line_of_the_report_is_translated():
    set_language("pseudo")
    for result in (gradcheck.check_activation(_wrong_cube(), X), _float32_layer_check()):
        lines = str(result).splitlines()
        assert all("⟦" in line for line in lines), lines   # rows: their ok / WRONG? mark
        assert result.verdict().startswith("⟦")


def test_error_messages_in_spanish():
    set_language("es")
    with pytest.raises(ValueError, match="step: se esperaba un número positivo, se recibió -1"):
        gradcheck.check_activation("relu", [1.0], step=-1)
    with pytest.raises(ValueError, match="x: contiene valores NaN o inf"):
        gradcheck.check_activation("relu", [1.0, np.nan])
