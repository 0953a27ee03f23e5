"""The merge layers of redes.nn.layers.merging: forward parity with keras.layers (broadcasting
included), float64 gradient checks of every backward, ties of Maximum and Minimum against
TensorFlow, errors, graphs and configs (JSON round trip)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import redes.nn
from redes.nn import backend, gradcheck, layers

# (id, layer class name, constructor arguments, shapes of the inputs, batch axis first)
CASES = [
    ("add", "Add", {}, [(4, 3), (4, 3)]),
    ("add-three", "Add", {}, [(4, 3), (4, 3), (4, 3)]),
    ("add-one-input", "Add", {}, [(4, 3)]),
    ("add-broadcast-dim", "Add", {}, [(4, 3), (4, 1)]),
    ("add-broadcast-rank", "Add", {}, [(4, 3), (4, 2, 3)]),
    ("add-broadcast-both", "Add", {}, [(2, 3, 1), (2, 1, 5)]),
    ("subtract", "Subtract", {}, [(4, 3), (4, 3)]),
    ("subtract-broadcast", "Subtract", {}, [(4, 2, 3), (4, 3)]),
    ("multiply", "Multiply", {}, [(4, 3), (4, 3)]),
    ("multiply-three-broadcast", "Multiply", {}, [(2, 3, 4), (2, 1, 4), (2, 4)]),
    ("average", "Average", {}, [(4, 3), (4, 3)]),
    ("average-three-broadcast", "Average", {}, [(2, 3, 4), (2, 3, 1), (2, 4)]),
    ("maximum", "Maximum", {}, [(4, 3), (4, 3)]),
    ("maximum-three-broadcast", "Maximum", {}, [(2, 3, 4), (2, 1, 4), (2, 4)]),
    ("minimum", "Minimum", {}, [(4, 3), (4, 3)]),
    ("minimum-three-broadcast", "Minimum", {}, [(2, 3, 4), (2, 3, 1), (2, 4)]),
    ("concatenate", "Concatenate", {}, [(4, 3), (4, 2)]),
    ("concatenate-3d-axis1", "Concatenate", {"axis": 1}, [(2, 3, 4), (2, 5, 4)]),
    ("concatenate-3d-axis-1", "Concatenate", {"axis": -1}, [(2, 3, 4), (2, 3, 2), (2, 3, 1)]),
    ("concatenate-axis0", "Concatenate", {"axis": 0}, [(2, 3), (3, 3)]),
    ("dot-axes1", "Dot", {"axes": 1}, [(4, 5), (4, 5)]),
    ("dot-axes-1-3d", "Dot", {"axes": -1}, [(2, 3, 4), (2, 5, 4)]),
    ("dot-axes(1,2)", "Dot", {"axes": (1, 2)}, [(2, 3, 5), (2, 4, 3)]),
    ("dot-2d-3d", "Dot", {"axes": (1, 2)}, [(2, 3), (2, 4, 3)]),
    ("dot-3d-2d", "Dot", {"axes": (2, 1)}, [(2, 4, 3), (2, 3)]),
    ("dot-4d", "Dot", {"axes": (2, 3)}, [(2, 4, 3, 5), (2, 2, 2, 3)]),
    ("dot-normalize", "Dot", {"axes": 1, "normalize": True}, [(4, 5), (4, 5)]),
    ("dot-normalize-(1,2)", "Dot", {"axes": (1, 2), "normalize": True},
     [(2, 3, 5), (2, 4, 3)]),
]
PARAMS = [pytest.param(name, kwargs, shapes, id=case) for case, name, kwargs, shapes in CASES]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.fixture
def float64():
    """floatx() is float64 during the test and float32 again after it."""
    backend.set_floatx("float64")
    yield
    backend.set_floatx("float32")


def _inputs(shapes, dtype="float32", seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype(dtype) for shape in shapes]


# ------------------------------------------------------------------------ forward parity
@pytest.mark.parametrize("name, kwargs, shapes", PARAMS)
def test_forward_parity_with_keras(keras, name, kwargs, shapes):
    xs = _inputs(shapes)
    y = getattr(layers, name)(**kwargs)(xs)
    expected = np.asarray(getattr(keras.layers, name)(**kwargs)(xs))
    assert y.shape == expected.shape and y.dtype == np.float32
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name, kwargs, shapes", PARAMS)
def test_output_shape_matches_keras(keras, name, kwargs, shapes):
    symbolic = [(None, *shape[1:]) for shape in shapes]
    ours = getattr(layers, name)(**kwargs)
    ours.build_for(symbolic)
    theirs = getattr(keras.layers, name)(**kwargs).compute_output_shape(symbolic)
    assert ours.output_shape == tuple(theirs)


def test_dot_normalize_of_a_zero_vector_matches_keras(keras):
    x1, x2 = _inputs([(3, 4), (3, 4)])
    x1[1] = 0.0   # its norm is clipped to epsilon: the cosine is 0, not NaN
    y = layers.Dot(axes=1, normalize=True)([x1, x2])
    assert np.all(np.isfinite(y)) and y[1, 0] == 0
    expected = np.asarray(keras.layers.Dot(axes=1, normalize=True)([x1, x2]))
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)


def test_functional_forms_match_the_layers():
    xs = _inputs([(4, 3), (4, 3)])
    for fn, cls in [(layers.add, layers.Add), (layers.subtract, layers.Subtract),
                    (layers.multiply, layers.Multiply), (layers.average, layers.Average),
                    (layers.maximum, layers.Maximum), (layers.minimum, layers.Minimum),
                    (layers.concatenate, layers.Concatenate), (layers.dot, layers.Dot)]:
        np.testing.assert_array_equal(fn(xs), cls(axes=-1)(xs) if cls is layers.Dot else
                                      cls()(xs))
    np.testing.assert_array_equal(layers.concatenate(xs, axis=0), np.concatenate(xs, axis=0))
    np.testing.assert_allclose(layers.dot(xs, axes=1, normalize=True, name="cosine"),
                               layers.Dot(1, normalize=True)(xs), rtol=1e-6)


# ------------------------------------------------------------------------------ gradients
def _numeric_grads(layer, xs, upstream, step=1e-5):
    """dL/d(each input) of L = sum(layer(xs) * upstream), by central differences."""
    grads = []
    for x in xs:
        g = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            value = x[idx]
            x[idx] = value + step
            plus = np.sum(layer(xs) * upstream)
            x[idx] = value - step
            minus = np.sum(layer(xs) * upstream)
            x[idx] = value
            g[idx] = (plus - minus) / (2 * step)
        grads.append(g)
    return grads


@pytest.mark.parametrize("name, kwargs, shapes", PARAMS)
def test_gradient_check(name, kwargs, shapes):
    layer = getattr(layers, name)(dtype="float64", **kwargs)
    xs = _inputs(shapes, "float64", seed=1)
    y = layer(xs)
    upstream = np.random.default_rng(2).normal(size=y.shape)
    analytic = layer.backward(upstream)
    assert layer.grads == [] and len(analytic) == len(xs)
    numeric = _numeric_grads(layer, xs, upstream)
    for a, n, x in zip(analytic, numeric, xs):
        assert a.shape == x.shape and a.dtype == np.float64
        assert gradcheck.relative_error(a, n).max() < 1e-6


def test_gradient_check_with_floatx_float64(float64):
    layer = layers.Multiply()
    assert layer.dtype == np.float64
    xs = _inputs([(3, 2, 4), (3, 4)], "float64", seed=3)
    upstream = np.random.default_rng(4).normal(size=layer(xs).shape)
    analytic = layer.backward(upstream)
    for a, n in zip(analytic, _numeric_grads(layer, xs, upstream)):
        assert gradcheck.relative_error(a, n).max() < 1e-6


@pytest.mark.parametrize("name, kwargs, shapes", PARAMS)
def test_gradients_match_tensorflow(keras, name, kwargs, shapes):
    import tensorflow as tf

    xs = _inputs(shapes, "float64", seed=5)
    ours = getattr(layers, name)(dtype="float64", **kwargs)
    upstream = np.random.default_rng(6).normal(size=ours(xs).shape)
    tensors = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        loss = tf.reduce_sum(getattr(keras.layers, name)(dtype="float64", **kwargs)(tensors)
                             * upstream)
    for a, expected in zip(ours.backward(upstream), tape.gradient(loss, tensors)):
        np.testing.assert_allclose(a, expected.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["Maximum", "Minimum"])
@pytest.mark.parametrize("shapes", [[(1, 4), (1, 4), (1, 4)], [(1, 1), (1, 4)]],
                         ids=["same-shapes", "broadcast"])
def test_ties_get_the_gradient_tensorflow_gives(keras, name, shapes):
    import tensorflow as tf

    values = [np.array([[1.0, 2.0, 3.0, 3.0]]), np.array([[1.0, 5.0, 3.0, 0.0]]),
              np.array([[1.0, 0.0, 3.0, 3.0]])]
    xs = [v[:, :s[1]].astype("float32") for v, s in zip(values, shapes)]
    ours = getattr(layers, name)()
    upstream = np.arange(1.0, 5.0, dtype="float32")[None]
    ours(xs)
    tensors = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        loss = tf.reduce_sum(getattr(keras.layers, name)()(tensors) * upstream)
    expected = tape.gradient(loss, tensors)
    for a, e in zip(ours.backward(upstream), expected):
        np.testing.assert_array_equal(a, e.numpy())


def test_ties_go_to_the_first_input():
    x = np.array([[2.0, 2.0, 1.0]], dtype="float32")
    grads = layers.Maximum()
    grads([x, x, x])
    first, second, third = grads.backward(np.ones((1, 3), dtype="float32"))
    np.testing.assert_array_equal(first, [[1, 1, 1]])
    np.testing.assert_array_equal(second + third, 0)


def test_each_input_gets_an_array_of_its_own():
    layer = layers.Add()
    x = np.ones((2, 3), dtype="float32")
    layer([x, x])
    grad = np.ones((2, 3), dtype="float32")
    first, second = layer.backward(grad)
    assert first is not second and first is not grad and second is not grad


def test_backward_returns_none_when_no_input_gradient_is_needed():
    layer = layers.Concatenate()
    layer(_inputs([(2, 3), (2, 3)]))
    layer.input_grad = False
    assert layer.backward(np.ones((2, 6), dtype="float32")) is None


def test_sum_to_shape():
    from redes.nn.layers.merging.elementwise import sum_to_shape

    grad = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(sum_to_shape(grad, (2, 4)), grad.sum(axis=1))
    np.testing.assert_array_equal(sum_to_shape(grad, (2, 3, 1)), grad.sum(axis=2, keepdims=True))
    np.testing.assert_array_equal(sum_to_shape(grad, (2, 1)), grad.sum(axis=(1, 2))[:, None])
    same = sum_to_shape(grad, (2, 3, 4))
    np.testing.assert_array_equal(same, grad)
    assert same is not grad


# --------------------------------------------------------------------------------- graphs
def test_symbolic_add_and_model_predict():
    a = redes.nn.Input((3,))
    b = redes.nn.Input((3,))
    out = layers.Add()([a, b])
    assert out.shape == (None, 3)
    model = redes.nn.Model([a, b], out)
    x1, x2 = _inputs([(5, 3), (5, 3)])
    np.testing.assert_allclose(model.predict([x1, x2], verbose=0), x1 + x2, rtol=1e-6)


@pytest.mark.parametrize("make, shape", [
    (lambda a, b: layers.Concatenate(axis=1)([a, b]), (None, 7)),
    (lambda a, b: layers.Dot(axes=1)([a, layers.Dense(3)(b)]), (None, 1)),
    (lambda a, b: layers.Subtract()([a, layers.Dense(3)(b)]), (None, 3)),
])
def test_symbolic_output_shapes(make, shape):
    assert make(redes.nn.Input((3,)), redes.nn.Input((4,))).shape == shape


@pytest.mark.parametrize("merge", ["add", "subtract", "multiply", "average", "maximum",
                                   "minimum", "concatenate", "dot"])
def test_model_gradients_match_keras(keras, merge):
    """Two Dense(relu) branches merged, then Dense(1): our loss and gradients against
    Keras' (TensorFlow's tape) with the same weights."""
    import tensorflow as tf

    def build(lib):
        a, b = lib.Input((4,)), lib.Input((5,))
        left = lib.layers.Dense(3, activation="relu")(a)
        right = lib.layers.Dense(3, activation="relu")(b)
        args = {"axes": 1} if merge == "dot" else {}
        merged = getattr(lib.layers, merge)([left, right], **args)
        return lib.Model([a, b], lib.layers.Dense(1)(merged))

    theirs, ours = build(keras), build(redes.nn)
    ours.set_weights(theirs.get_weights())
    ours.compile(optimizer="sgd", loss="mse")
    x1, x2, y = _inputs([(6, 4), (6, 5), (6, 1)], seed=7)
    loss, grads = ours.compute_loss_and_grads([x1, x2], y)
    with tf.GradientTape() as tape:
        expected_loss = keras.losses.MeanSquaredError()(y, theirs([x1, x2], training=True))
    expected = tape.gradient(expected_loss, theirs.trainable_weights)
    assert loss == pytest.approx(float(expected_loss), rel=1e-5)
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g, e.numpy(), rtol=1e-4, atol=1e-6)


# --------------------------------------------------------------------------------- errors
X = np.ones((4, 3), dtype="float32")


@pytest.mark.parametrize("call, match", [
    (lambda: layers.Subtract()([X, X, X]),
     r"Subtract 'subtract\w*': inputs must be a list of exactly 2 tensors, got 3"),
    (lambda: layers.Subtract()([X]), "exactly 2 tensors, got 1"),
    (lambda: layers.Dot(axes=1)([X, X, X]), r"Dot 'dot\w*': inputs .* exactly 2 tensors, got 3"),
    (lambda: layers.Add()([]), r"Add 'add\w*': inputs must be a list of at least one tensor"),
    (lambda: layers.Maximum()(X),
     r"Maximum 'maximum\w*': inputs must be a list of tensors, got a single input of shape "
     r"\(None, 3\)"),
    (lambda: layers.Concatenate()([np.ones((2, 3, 4)), np.ones((2, 5, 6))]),
     r"Concatenate 'concatenate\w*': inputs must match except on axis -1, got shapes "
     r"\[\(None, 3, 4\), \(None, 5, 6\)\]"),
    (lambda: layers.Concatenate(axis=1)([np.ones((2, 3)), np.ones((2, 3, 1))]),
     r"inputs must have the same number of dimensions, got shapes \[\(None, 3\), "
     r"\(None, 3, 1\)\]"),
    (lambda: layers.Concatenate(axis=1)([np.ones((2, 3)), np.ones((3, 3))]),
     r"inputs must match except on axis 1, got shapes \[\(2, 3\), \(3, 3\)\]"),
    (lambda: layers.Concatenate(axis=3)([np.ones((2, 3, 4))] * 2),
     r"Concatenate 'concatenate\w*': axis=3 is out of range for inputs with 3 dimensions "
     r"\(expected an integer from -3 to 2\)"),
    (lambda: layers.Concatenate(axis=-4)([np.ones((2, 3, 4))] * 2), "axis=-4 is out of range"),
    (lambda: layers.Add()([X, np.ones((4, 2))]),
     r"Add 'add\w*': inputs must have shapes that broadcast together .*, got shapes "
     r"\[\(None, 3\), \(None, 2\)\]"),
    (lambda: layers.Multiply()([np.ones((4, 2, 3)), np.ones((4, 3, 3))]),
     r"Multiply 'multiply\w*': inputs must have shapes that broadcast together"),
    (lambda: layers.Add()([X, np.ones((1, 3))]),
     r"inputs must have the same batch size, got shapes \[\(4, 3\), \(1, 3\)\]"),
    (lambda: layers.Dot(axes=1)([X, np.ones((4, 4))]),
     r"Dot 'dot\w*': axes=1: the inputs must have the same size on these axes, got 3 \(axis 1 "
     r"of \(None, 3\)\) and 4 \(axis 1 of \(None, 4\)\)"),
    (lambda: layers.Dot(axes=0)([X, X]),
     r"Dot 'dot\w*': axes=0 gives axis 0 .*expected one of \[1, -1\]; axis 0 is the batch"),
    (lambda: layers.Dot(axes=(1, 3))([X, np.ones((4, 2, 3))]), r"axes=\(1, 3\) gives axis 3"),
    (lambda: layers.Dot(axes=1)([X, np.ones((5, 3))]), "inputs must have the same batch size"),
    (lambda: layers.Dot(axes=-1)([X[:, 0], X]), "inputs must have at least 2 dimensions"),
])
def test_call_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Concatenate(axis=1.5), r"Concatenate '\w+': axis must be an integer, "
                                           r"got 1.5"),
    (lambda: layers.Concatenate(axis="1"), "axis must be an integer"),
    (lambda: layers.Dot(axes=(1, 2, 3)), r"Dot '\w+': axes must be an integer or a pair of "
                                         r"integers, got \(1, 2, 3\)"),
    (lambda: layers.Dot(axes="1"), "axes must be an integer or a pair"),
    (lambda: layers.Dot(axes=1, normalize="yes"), "normalize must be True or False"),
])
def test_constructor_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_symbolic_errors_come_at_build_time():
    a, b = redes.nn.Input((3, 4)), redes.nn.Input((5, 6))
    with pytest.raises(ValueError, match=r"inputs must match except on axis -1, got shapes "
                                         r"\[\(None, 3, 4\), \(None, 5, 6\)\]"):
        layers.Concatenate()([a, b])
    with pytest.raises(ValueError, match="broadcast together"):
        layers.Add()([a, b])
    with pytest.raises(ValueError, match="exactly 2 tensors, got 3"):
        layers.Subtract()([a, a, a])


def test_a_later_call_needs_the_same_inputs():
    layer = layers.Add()
    layer([X, X])
    with pytest.raises(ValueError, match="exactly 2 tensors, got 3"):
        layer([X, X, X])
    with pytest.raises(ValueError, match=r"expects inputs of shape \(None, 3\)"):
        layer([X, np.ones((4, 2))])


# -------------------------------------------------------------------------------- configs
SAME = [(2, 3, 4), (2, 3, 4)]


@pytest.mark.parametrize("name, kwargs, shapes", [
    ("Add", {}, SAME), ("Subtract", {"name": "difference"}, SAME),
    ("Multiply", {"dtype": "float64"}, SAME), ("Average", {"trainable": False}, SAME),
    ("Maximum", {}, SAME), ("Minimum", {}, SAME), ("Concatenate", {"axis": 1}, SAME),
    ("Concatenate", {}, SAME), ("Dot", {"axes": (1, 2)}, [(2, 3, 4), (2, 5, 3)]),
    ("Dot", {"axes": -1, "normalize": True}, SAME),
])
def test_config_round_trip_through_json(name, kwargs, shapes):
    from redes.nn.serialization import deserialize, serialize

    layer = getattr(layers, name)(**kwargs)
    config = json.loads(json.dumps(layer.get_config()))
    again = type(layer).from_config(config)
    assert again.get_config() == layer.get_config()
    assert type(deserialize("layer", json.loads(json.dumps(serialize(layer))))) is type(layer)
    for key, value in kwargs.items():
        assert config[key] == (list(value) if isinstance(value, tuple) else value)
    xs = _inputs(shapes, dtype=layer.dtype)
    np.testing.assert_array_equal(again(xs), layer(xs))


def test_config_keys_match_keras(keras):
    for ours, theirs in [(layers.Concatenate(axis=1), keras.layers.Concatenate(axis=1)),
                         (layers.Dot(axes=(1, 2), normalize=True),
                          keras.layers.Dot(axes=(1, 2), normalize=True))]:
        mine, keras_config = ours.get_config(), theirs.get_config()
        for key in ("axis", "axes", "normalize"):
            if key in keras_config:
                value = keras_config[key]
                assert mine[key] == (list(value) if isinstance(value, tuple) else value)
