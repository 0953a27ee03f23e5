"""Gradient checks of every layer, activation, loss, regularizer and small model (the cases
live in ``tests/nn/cases/``), and tests of the checker itself."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from redes.nn import activations, backend, gradcheck, layers, regularizers

TOLERANCE = 1e-6


def _load_cases() -> list:
    """Import ``tests/nn/cases`` as a package (under a name of its own) and gather its cases."""
    folder = Path(__file__).parent / "cases"
    name = "redes_tests_gradcheck_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return sys.modules[name].gather()


@pytest.mark.parametrize("case", _load_cases())
def test_gradient(case):
    result = case()
    assert result.dtype == "float64", result.notes
    assert result.errors, f"nothing was checked by {result.what}"
    assert result.max_error < TOLERANCE, str(result)


# ------------------------------------------------------------------ the checker itself
def test_relative_error_definition():
    a = np.array([1.0, 0.0, 2.0, 1e-12])
    n = np.array([1.0, 0.0, -2.0, 0.0])
    np.testing.assert_allclose(gradcheck.relative_error(a, n),
                               [0.0, 0.0, 1.0, 1e-12 / gradcheck.TINY])
    with pytest.raises(ValueError, match="shape"):
        gradcheck.relative_error(np.ones(2), np.ones(3))


def test_detects_a_wrong_activation_derivative():
    def cube(x):
        return x**3

    cube.backward = lambda g, x, y: g * 2 * x * x  # wrong: the derivative is 3 x^2
    result = gradcheck.check_activation(cube, np.linspace(0.5, 2, 6))
    assert not result.passed
    assert result.max_error == pytest.approx(0.2, rel=1e-6)  # |2 - 3| / (2 + 3)
    assert "FAILED" in str(result) and "WRONG?" in str(result)
    cube.backward = lambda g, x, y: g * 3 * x * x
    assert gradcheck.check_activation(cube, np.linspace(0.5, 2, 6)).max_error < 1e-9


def test_detects_a_wrong_layer_gradient(monkeypatch):
    backend.set_random_seed(0)     # the same weights whatever ran before
    layer = layers.Dense(3, dtype="float64")
    original = type(layer).backward

    def bad_backward(self, grad, from_logits=False):
        out = original(self, grad, from_logits)
        self.grads[0] = self.grads[0] * 1.01  # a 1% mistake in dL/dkernel
        return out

    monkeypatch.setattr(type(layer), "backward", bad_backward)
    result = gradcheck.check_layer(layer, np.random.default_rng(0).normal(size=(4, 2)))
    kernel = f"{layer.name}/kernel"
    assert result.errors[kernel] == pytest.approx(0.01 / 2.01, rel=1e-4)
    assert result.errors["input"] < 1e-9 and not result.passed


def test_dropout_mask_is_frozen_and_global_rng_advances_once():
    x = np.random.default_rng(1).normal(size=(8, 6))
    backend.set_random_seed(3)
    result = gradcheck.check_layer(layers.Dropout(0.5, dtype="float64"), x, training=True)
    after_check = backend.rng().bit_generator.state
    assert result.max_error < 1e-12
    dropped = result.analytic["input"] == 0
    assert 0 < dropped.mean() < 1  # some inputs were dropped: the mask was really applied
    np.testing.assert_array_equal(result.numeric["input"] == 0, dropped)
    # the engine's generator ends as after one forward pass, not two per nudged element
    backend.set_random_seed(3)
    layers.Dropout(0.5, dtype="float64")(x, training=True)
    assert backend.rng().bit_generator.state == after_check


def test_float32_layer_is_checked_on_a_float64_copy():
    layer = layers.Dense(2, activation="tanh")
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    layer(x)
    result = gradcheck.check_layer(layer, x)
    assert result.dtype == "float64" and result.max_error < TOLERANCE
    assert any("float64 copy" in note for note in result.notes)
    assert layer.kernel.dtype == np.float32  # the user's layer is left as it was


def test_layer_is_left_unchanged():
    layer = layers.Dense(3, activation="sigmoid", dtype="float64",
                         kernel_regularizer=regularizers.L2(0.1))
    x = np.random.default_rng(2).normal(size=(4, 5))
    y = layer(x)
    before = layer.get_weights()
    x_copy = x.copy()
    gradcheck.check_layer(layer, x)
    for w, b in zip(layer.get_weights(), before):
        np.testing.assert_array_equal(w, b)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(layer(x), y)


def test_max_checks_samples_elements():
    layer = layers.Dense(50, activation="tanh", dtype="float64")
    x = np.random.default_rng(3).normal(size=(4, 40))
    result = gradcheck.check_layer(layer, x, max_checks=7)
    assert all(a.shape == (7,) for a in result.analytic.values())
    assert result.passed


def test_result_summary_is_json_ready():
    result = gradcheck.check_regularizer("l2", np.arange(1.0, 7.0).reshape(2, 3))
    summary = json.loads(json.dumps(result.as_dict()))
    assert summary["passed"] is True and summary["dtype"] == "float64"
    assert summary["errors"]["weight"] == result.max_error < 1e-9
    np.testing.assert_allclose(result.analytic["weight"], 0.02 * np.arange(1.0, 7.0).reshape(2, 3))


def test_activation_parameters_reach_forward_and_backward():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    result = gradcheck.check_activation("leaky_relu", x, negative_slope=0.05)
    np.testing.assert_allclose(result.numeric["input"] != 0, True)
    assert result.passed and "negative_slope" in result.what


@pytest.mark.parametrize("kwargs, match", [
    ({"step": 0}, "step"),
    ({"tolerance": -1}, "tolerance"),
    ({"max_checks": 0}, "max_checks"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gradcheck.check_layer(layers.Flatten(dtype="float64"), np.ones((2, 3)), **kwargs)


def test_bad_inputs():
    with pytest.raises(ValueError, match="x: holds NaN"):
        gradcheck.check_activation("relu", [1.0, np.nan])
    with pytest.raises(ValueError, match="x: expected an array"):
        gradcheck.check_activation("relu", "abc")
    with pytest.raises(ValueError, match="activation"):
        gradcheck.check_activation("nope", [1.0])
    with pytest.raises(ValueError, match="regularizer"):
        gradcheck.check_regularizer(None, [1.0])


def test_activation_backward_shape_mismatch_is_reported():
    def f(x):
        return x

    f.backward = lambda g, x, y: g[:1]
    with pytest.raises(ValueError, match="shape"):
        gradcheck.check_activation(f, np.ones(3))
    assert activations.get(f) is f


def test_check_input_off_checks_only_the_weights():
    layer = layers.Dense(2, dtype="float64")
    result = gradcheck.check_layer(layer, np.ones((3, 4)), check_input=False)
    assert list(result.errors) == [f"{layer.name}/kernel", f"{layer.name}/bias"]
    assert result.passed and layer.input_grad is True
