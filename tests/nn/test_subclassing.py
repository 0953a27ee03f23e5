"""Layers and models written by subclassing, with keras.ops: their backward comes from the
ops their call ran (the tape). Code as Keras' guide "Making new layers and models via
subclassing" writes it, run on both engines with the same weights and data."""

import numpy as np
import pytest

import redes.nn as rn

keras = pytest.importorskip("keras")


def guide_layers(lib):
    """The guide's Linear and MLPBlock, written exactly as the guide writes them."""
    ops = lib.ops

    class Linear(lib.layers.Layer):
        def __init__(self, units=32):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal", trainable=True)
            self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                     trainable=True)

        def call(self, inputs):
            return ops.matmul(inputs, self.w) + self.b

    class MLPBlock(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.linear_1 = Linear(32)
            self.linear_2 = Linear(32)
            self.linear_3 = Linear(1)

        def call(self, inputs):
            x = self.linear_1(inputs)
            x = lib.activations.relu(x) if lib is keras else ops.relu(x)
            x = self.linear_2(x)
            x = ops.relu(x)
            return self.linear_3(x)

    return Linear, MLPBlock


def _same_training(ours, theirs, x, y, loss="mse", steps=5):
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss=loss)
        model.fit(x, y, batch_size=len(x) // steps, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_the_guides_layers_track_their_weights_as_in_keras():
    for lib in (keras, rn):
        Linear, MLPBlock = guide_layers(lib)
        linear = Linear(4)
        assert linear(np.ones((2, 2), dtype="float32")).shape == (2, 4)
        assert len(linear.weights) == 2
        mlp = MLPBlock()
        assert tuple(mlp(np.ones((3, 64), dtype="float32")).shape) == (3, 1)
        assert len(mlp.weights) == 6 and len(mlp.trainable_weights) == 6


def test_mlp_block_in_a_functional_model_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 16)).astype("float32")
    y = rng.normal(size=(40, 1)).astype("float32")
    models = {}
    for lib in (keras, rn):
        _, MLPBlock = guide_layers(lib)
        inputs = lib.Input(shape=(16,))
        models[lib] = lib.Model(inputs, MLPBlock()(inputs))
    assert models[rn].count_params() == models[keras].count_params()
    _same_training(models[rn], models[keras], x, y)


def test_ops_and_operators_in_a_functional_model_match_keras():
    def make(lib):
        ops = lib.ops
        inputs = lib.Input(shape=(6,))
        h = lib.layers.Dense(8)(inputs)
        h = ops.tanh(h) * 2.0 + ops.square(h) / 10.0 - 1.0
        h = ops.concatenate([h, ops.exp(-ops.abs(inputs))], axis=-1)
        h = h[:, 1:] ** 2
        h = ops.maximum(h, 0.5) @ ops.ones((13, 4)) / 13.0
        out = lib.layers.Dense(3, activation="softmax")(ops.log(h + 1.0))
        return lib.Model(inputs, out)

    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 6)).astype("float32")
    y = rng.integers(0, 3, size=30)
    keras.utils.set_random_seed(2)
    _same_training(make(rn), make(keras), x, y, loss="sparse_categorical_crossentropy")


def test_automatic_backward_equals_the_hand_written_one_in_float64():
    rn.backend.set_floatx("float64")
    try:
        Linear, _ = guide_layers(rn)

        class Hidden(rn.layers.Layer):
            """Dense(8, relu) written with ops."""

            def __init__(self):
                super().__init__()
                self.linear = Linear(8)

            def call(self, inputs):
                return rn.ops.relu(self.linear(inputs))

        rng = np.random.default_rng(3)
        x, y = rng.normal(size=(20, 5)), rng.integers(0, 3, size=20)
        grads = {}
        for name, hidden in (("ops", Hidden()), ("dense", rn.layers.Dense(8, "relu"))):
            inputs = rn.Input(shape=(5,))
            model = rn.Model(inputs, rn.layers.Dense(3, activation="softmax")(hidden(inputs)))
            model.set_weights([w.astype("float64") for w in grads.get("weights", [])]
                              or model.get_weights())
            grads.setdefault("weights", model.get_weights())
            model.compile(loss="sparse_categorical_crossentropy")
            grads[name] = model.compute_loss_and_grads(x, y)
        assert grads["ops"][0] == pytest.approx(grads["dense"][0], rel=1e-12)
        for a, b in zip(grads["ops"][1], grads["dense"][1]):
            assert a.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    finally:
        rn.backend.set_floatx("float32")


def _subclassed(lib):
    class Classifier(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(12, activation="relu")
            self.out = lib.layers.Dense(3, activation="softmax")

        def call(self, inputs, training=False):
            x = self.hidden(inputs)
            if x.shape[-1] > 4:                      # Python control flow on shapes
                x = x + lib.ops.relu(inputs @ lib.ops.ones((5, 12)) * 0.1)
            return self.out(x)

    return Classifier()


def test_a_subclassed_model_trains_as_in_keras():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = rng.integers(0, 3, size=40)
    keras.utils.set_random_seed(5)
    theirs, ours = _subclassed(keras), _subclassed(rn)
    theirs(x[:1]), ours(x[:1])
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    _same_training(ours, theirs, x, y, loss="sparse_categorical_crossentropy")
    assert ours.name == "classifier"


def test_add_weight_checks_its_shape():
    class Bad(rn.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(None, 3))

        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match=r"shape: layer 'bad\w*': add_weight needs"):
        Bad()(np.ones((2, 3)))


def test_a_variable_reads_assigns_and_shows_through_the_layer():
    Linear, _ = guide_layers(rn)
    layer = Linear(2)
    layer(np.ones((1, 3), dtype="float32"))
    layer.w.assign(np.zeros((3, 2)))
    layer.b.assign_add(np.ones(2))
    np.testing.assert_array_equal(layer(np.ones((1, 3), dtype="float32")),
                                  layer.b.numpy()[None, :])
    np.testing.assert_array_equal(layer.get_weights()[0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"value: variable .* has shape \(2,\)"):
        layer.b.assign(np.ones(3))


@pytest.mark.parametrize("name, make", [
    ("max_norm", lambda lib: lib.constraints.MaxNorm(0.5)),
    ("non_neg", lambda lib: lib.constraints.NonNeg()),
    ("unit_norm", lambda lib: lib.constraints.UnitNorm()),
])
def test_constraints_hold_after_every_update_as_in_keras(name, make):
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 3))
    weights = {}
    for lib in (keras, rn):
        class Constrained(lib.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 3), initializer="ones",
                                         constraint=make(lib))

            def call(self, inputs):
                return lib.ops.matmul(inputs, self.w)

        inputs = lib.Input(shape=(4,))
        model = lib.Model(inputs, Constrained()(inputs))
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        weights[lib] = model.get_weights()[0]
    np.testing.assert_allclose(weights[rn], weights[keras], rtol=1e-5, atol=1e-6)
