"""The engine's checks on what a user gives it: empty data, bad weights of classes and
samples, weights float32 cannot hold, the batch methods checked as fit is, custom_objects,
and models of thousands of layers made and loaded in linear time."""

from __future__ import annotations

import numpy as np
import pytest

import redes.nn as rn
from redes.nn.layers.base import Layer


def _classifier():
    rn.utils.set_random_seed(0)
    model = rn.Sequential([rn.Input((3,)), rn.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


X = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
Y = np.array([0, 1, 0, 1])


@pytest.mark.parametrize("call, message", [
    (lambda m: m.fit(X[:0], Y[:0], verbose=0), "x: fit needs at least one sample, got none"),
    (lambda m: m.evaluate(X[:0], Y[:0], verbose=0),
     "x: evaluate needs at least one sample, got none"),
    (lambda m: m.fit(X, Y, validation_data=(X[:0], Y[:0]), verbose=0),
     r"validation_data\[0\]: validation needs at least one sample, got none"),
    (lambda m: m.train_on_batch(X[:0], Y[:0]),
     "x: train_on_batch needs at least one sample, got none"),
])
def test_empty_data_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(_classifier())


@pytest.mark.parametrize("kwargs, message", [
    ({"class_weight": {0: float("nan"), 1: 1.0}},
     "class_weight: the weight of class 0 must be a finite number >= 0, got nan"),
    ({"class_weight": {0: 1.0, 1: float("inf")}}, "weight of class 1 must be a finite"),
    ({"sample_weight": np.array([1.0, np.nan, 1.0, 1.0])},
     r"sample_weight: holds 1 NaN or inf values \(first at index \(1,\)\)"),
])
def test_weights_of_classes_and_samples_must_be_finite(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _classifier().fit(X, Y, verbose=0, **kwargs)


def test_a_class_weight_for_a_huge_class_index_allocates_nothing_for_it():
    """{10**12: 1} used to make a table of 10**12 weights; an absent class changes nothing."""
    model = _classifier()
    with_weight = model.fit(X, Y, class_weight={10**12: 5.0}, shuffle=False, verbose=0)
    again = _classifier().fit(X, Y, shuffle=False, verbose=0)
    assert with_weight.history["loss"] == again.history["loss"]


def test_set_weights_refuses_values_float32_cannot_hold():
    model = _classifier()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"weights: dense\w*/kernel holds values too large for "
                                         r"float32 \(largest 1e\+300, float32 holds up to "
                                         r"3.4e\+38\)"):
        model.set_weights([np.full((3, 2), 1e300), np.zeros(2)])
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)        # nothing was changed


def test_the_batch_methods_check_their_data_as_fit_does():
    model = _classifier()
    with pytest.raises(ValueError, match="x: holds 12 NaN or inf values"):
        model.train_on_batch(X * np.nan, Y)
    with pytest.raises(ValueError, match=r"y: label 5 is outside \[0, 2\)"):
        model.train_on_batch(X, np.array([0, 5, 0, 1]))
    with pytest.raises(ValueError, match="x, y: test_on_batch needs both"):
        model.test_on_batch(X)


def test_the_batch_methods_return_what_keras_returns():
    """train_on_batch, test_on_batch and predict_on_batch against Keras 3 from the same
    weights: [loss, accuracy] of each batch."""
    keras = pytest.importorskip("keras")
    ours = _classifier()
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    theirs.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    theirs.set_weights(ours.get_weights())
    for model in (ours, theirs):
        model.results = [model.train_on_batch(X, Y), model.train_on_batch(X[:2], Y[:2]),
                         model.test_on_batch(X, Y, return_dict=True)]
        model.reset_metrics()
        model.results.append(model.test_on_batch(X[:1], Y[:1]))
        model.results.append(model.predict_on_batch(X))
    for a, b in zip(ours.results[:2] + ours.results[3:4], theirs.results[:2]
                    + theirs.results[3:4]):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    assert ours.results[2] == pytest.approx(
        {k: float(v) for k, v in theirs.results[2].items()}, rel=1e-5)
    np.testing.assert_allclose(ours.results[4], theirs.results[4], rtol=1e-5)


@pytest.mark.parametrize("custom_objects", [[1], {"Thing": 3}, {1: rn.layers.Dense}])
def test_custom_objects_must_map_names_to_classes_or_functions(tmp_path, custom_objects):
    model = _classifier()
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="custom_objects: expected a dict of names to "
                                         "classes or functions"):
        rn.models.load_model(tmp_path / "m.keras", custom_objects=custom_objects)


@pytest.fixture
def layer_calls(monkeypatch):
    """How many times layers are called on symbolic tensors (each call records a node)."""
    calls = [0]
    record = Layer._record

    def counting(self, *args, **kwargs):
        calls[0] += 1
        return record(self, *args, **kwargs)

    monkeypatch.setattr(Layer, "_record", counting)
    return calls


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_making_and_loading_a_model_calls_each_layer_once(tmp_path, layer_calls, functional):
    """The work of making and loading a model grows as its layers do: 10 and 1,000 layers
    each called once (adding a layer used to call every layer before it again, and a
    chain of 1,000 layers was too deep for the graph's recursive walk)."""
    for n in (10, 1000):
        layer_calls[0] = 0
        middle = [rn.layers.Dropout(0.1) for _ in range(n)]
        if functional:
            inputs = rn.Input((4,))
            x = inputs
            for layer in middle:
                x = layer(x)
            model = rn.Model(inputs, rn.layers.Dense(1)(x))
        else:
            model = rn.Sequential([rn.Input((4,)), *middle, rn.layers.Dense(1)])
        assert layer_calls[0] == n + 1
        model.save(tmp_path / f"deep{n}.keras")
        layer_calls[0] = 0
        loaded = rn.models.load_model(tmp_path / f"deep{n}.keras")
        assert layer_calls[0] == n + 1 and len(loaded.layers) == n + 1 + functional
        np.testing.assert_array_equal(loaded.predict(np.ones((2, 4)), verbose=0),
                                      model.predict(np.ones((2, 4)), verbose=0))


def test_a_weight_the_computer_cannot_hold_is_refused_before_it_is_made():
    import tracemalloc

    layer = rn.layers.Dense(10**11, name="huge")
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"shape: layer 'huge': its weight kernel of shape "
                                             r"\(4, 100000000000\) needs 1.46 TiB of memory; "
                                             r"this computer has"):
            layer.build_for((None, 4))
        assert tracemalloc.get_traced_memory()[1] < 2**20
    finally:
        tracemalloc.stop()


def test_complex_inputs_and_targets_are_refused_not_made_real():
    model = _classifier()
    x, y = np.ones((4, 3)), np.array([0, 1, 0, 1])
    before = [w.copy() for w in model.get_weights()]
    for call in (lambda: model.fit(x + 1j, y, verbose=0),
                 lambda: model.evaluate(x + 1j, y, verbose=0),
                 lambda: model.predict(x + 1j, verbose=0),
                 lambda: model.train_on_batch(x.astype(np.complex64), y)):
        with pytest.raises(ValueError, match=r"^x: expected a numeric array, got dtype "
                                             r"complex(128|64)"):
            call()
    with pytest.raises(ValueError, match=r"^y: expected a numeric array, got dtype complex128"):
        model.fit(x, y + 0j, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
