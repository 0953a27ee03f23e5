"""Property-based tests of the NumPy engine ``redes.nn``, with hypothesis.

A strategy draws a random but valid ``Sequential`` model as plain data (a ``Spec``): the
kind of input (flat vectors, sequences, token ids for an ``Embedding``, images), a stack
of layers that fits it with random sizes and options, a ``Dense`` head with a loss that
suits it, the float type (given to every layer, set through ``backend.set_floatx``, or
float32 and float64 layers mixed in one model), the seed, the number of samples and the
batch size (1, and sizes that leave a last partial batch, included). The same ``Spec``
builds the same model as many times as a property needs. Every property then holds for
every model:

1. ``predict`` on finite inputs (small or large) gives finite outputs of the expected
   shape and float type;
2. the gradient of the loss with respect to every weight (``compute_loss_and_grads``)
   matches central differences (``gradcheck.check_model``, float64, smooth activations);
3. ``save`` then ``load_model`` gives back the same config, bit-identical weights,
   predictions and optimizer state, and one more epoch of training on both ends with
   bit-identical weights;
4. ``predict`` and ``evaluate`` give the same results whatever their ``batch_size``
   (Dropout and BatchNormalization in inference mode), within a tolerance of the float
   type;
5. the same seed gives bit-identical initial weights, fit histories and final weights;
6. ``fit`` with a last partial batch of one sample (sample weights, validation data)
   trains, with finite losses;
7. with ``Embedding(mask_zero=True)``, padding added before or after the sequences does
   not change the predictions (a second strategy draws stacks that keep the mask).

Every example uses models of a few dozen weights and at most 16 samples, so it runs in
milliseconds. ``REDES_PROPERTY_EXAMPLES`` (250 by default) sets the number of examples
of each property, e.g. higher for a longer local run; the runs are derandomized, so CI
sees the same examples every time.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from dataclasses import dataclass, replace

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

import redes.nn as keras
from redes.nn import backend, gradcheck

settings.register_profile(
    "redes-nn-properties",
    max_examples=int(os.environ.get("REDES_PROPERTY_EXAMPLES", "250")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("redes-nn-properties")
# A RuntimeWarning (overflow in exp, division by zero...) is a failure, but for the "invalid
# value" flag a matrix product sometimes raises on finite inputs: OpenBLAS' SIMD kernels can
# compute on the padding beyond an array and discard it, leaving the flag set (seen once in
# thousands of runs, never with a non-finite result). The results are checked finite instead.
pytestmark = [pytest.mark.filterwarnings("error::RuntimeWarning"),
              pytest.mark.filterwarnings(
                  "ignore:invalid value encountered in matmul:RuntimeWarning")]

# activations with continuous derivatives of every order, for the gradient property. The
# central difference of softsign or elu at exactly 0 (a zero bias, a dropped input or the
# zero initial state of a recurrent layer give such pre-activations) is off by O(h), as
# their second derivative jumps there: they go with the kinked ones.
SMOOTH = [None, "linear", "tanh", "sigmoid", "softplus", "silu", "gelu", "mish"]
# every activation whose output stays finite for finite inputs ("exponential" overflows)
ANY = SMOOTH + ["softsign", "elu", "relu", "leaky_relu", "relu6", "selu", "hard_sigmoid",
                "hard_silu", "log_sigmoid", "softmax"]
RECURRENT = ["SimpleRNN", "LSTM", "GRU"]
SMOOTH_REGULARIZERS = [None, None, "l2"]
ANY_REGULARIZERS = SMOOTH_REGULARIZERS + ["l1", "l1_l2"]   # |w| has a kink at 0


def regs(acts):
    """The regularizers that go with the activations ``acts`` (smooth ones or any)."""
    return SMOOTH_REGULARIZERS if acts is SMOOTH else ANY_REGULARIZERS


def pools(acts, prefix=""):
    """Pooling layer names that go with ``acts``. A max has a kink where two values of a
    window tie, as dropped inputs, zero biases or a BatchNormalization of one value per
    feature make them (the gradient checks of tests/nn/cases give max pooling tie-free
    data)."""
    kinds = ["AveragePooling"] if acts is SMOOTH else ["AveragePooling", "MaxPooling"]
    return [prefix + kind for kind in kinds]


# ------------------------------------------------------------------------ the model spec
@dataclass
class Spec:
    """A model and its data, as data: ``build`` and ``data`` turn it into objects.

    ``layers`` holds ``(class name in keras.layers, keyword arguments)`` pairs, the last
    one the head; a wrapper's ``layer`` argument is such a pair too. ``output_shape`` is the
    shape of one output, worked out by the strategy (not by redes).
    """

    input_shape: tuple
    layers: tuple
    output_shape: tuple
    loss: tuple = ("MeanSquaredError", {})
    target: str = "real"          # "real", "binary", "onehot" or "label"
    dtype: str = "float32"
    via_floatx: bool = False      # dtype through backend.set_floatx instead of dtype=
    layer_dtypes: tuple = ()      # one dtype per layer, in place of ``dtype`` (mixed models)
    vocab: int = 0                # > 0: the inputs are token ids in [0, vocab)
    pad: bool = False             # token sequences end with padding zeros
    scale: float = 1.0            # magnitude of the float inputs
    seed: int = 0
    n: int = 5
    batch_size: int = 2
    optimizer: tuple = ("SGD", {"learning_rate": 0.01})
    metrics: tuple = ()


@contextlib.contextmanager
def floatx(value):
    """``backend.floatx()`` set to ``value`` inside the block, and restored after it."""
    before = backend.floatx()
    backend.set_floatx(value)
    try:
        yield
    finally:
        backend.set_floatx(before)


def dtypes(spec: Spec) -> tuple:
    """The dtype of each layer of ``spec``."""
    return spec.layer_dtypes or (spec.dtype,) * len(spec.layers)


def make_layer(entry, dtype_kw):
    name, kwargs = entry
    kwargs = dict(kwargs)
    if "layer" in kwargs:
        kwargs["layer"] = make_layer(kwargs["layer"], dtype_kw)
    return getattr(keras.layers, name)(**kwargs, **dtype_kw)


def build(spec: Spec, compile=True) -> keras.Sequential:
    """A fresh model of ``spec`` (weights drawn after ``set_random_seed(spec.seed)``),
    compiled with its loss and optimizer."""
    backend.set_random_seed(spec.seed)
    kwargs = [{} if spec.via_floatx else {"dtype": d} for d in dtypes(spec)]
    with floatx(spec.dtype if spec.via_floatx else backend.floatx()):
        model = keras.Sequential([keras.Input(shape=spec.input_shape),
                                  *(make_layer(e, kw) for e, kw in zip(spec.layers, kwargs))])
    if compile:
        name, kwargs = spec.optimizer
        model.compile(optimizer=getattr(keras.optimizers, name)(**kwargs),
                      loss=getattr(keras.losses, spec.loss[0])(**spec.loss[1]),
                      metrics=list(spec.metrics))
    return model


def data(spec: Spec, n=None):
    """Inputs and targets for ``spec``: ``n`` samples (``spec.n`` by default)."""
    rng = np.random.default_rng(spec.seed)
    n = spec.n if n is None else n
    if spec.vocab:
        x = rng.integers(1 if spec.pad else 0, spec.vocab, size=(n, *spec.input_shape))
        if spec.pad:   # sequences of random lengths (0 to all steps), padded with 0 after
            steps = spec.input_shape[0]
            lengths = rng.integers(0, steps + 1, size=n)
            x[np.arange(steps)[None, :] >= lengths[:, None]] = 0
    else:
        x = spec.scale * rng.standard_normal((n, *spec.input_shape))
    out = spec.output_shape
    if spec.target == "real":
        y = rng.standard_normal((n, *out))
    elif spec.target == "binary":
        y = rng.integers(0, 2, size=(n, *out)).astype(float)
    elif spec.target == "onehot":
        y = np.eye(out[-1])[rng.integers(0, out[-1], size=(n, *out[:-1]))]
    else:
        y = rng.integers(0, out[-1], size=(n, *out[:-1]))
    return x, y


# --------------------------------------------------------------------------- strategies
def _out_length(size, k, s, padding):
    """Positions of a window of ``k`` moved by ``s`` along ``size`` (Keras' formulas)."""
    if padding == "valid":
        return (size - k) // s + 1
    return math.ceil(size / s)      # "same", and "causal" (k - 1 zeros before)


@st.composite
def _window(draw, sizes, conv):
    """kernel_size (or pool_size), strides and padding that fit spatial ``sizes``."""
    rank = len(sizes)
    paddings = ["valid", "same"] + (["causal"] if conv and rank == 1 else [])
    padding = draw(st.sampled_from(paddings))
    k = tuple(draw(st.integers(1, 3 if padding != "valid" else min(3, d))) for d in sizes)
    strides = tuple(draw(st.integers(1, 2)) for _ in sizes)
    out = tuple(_out_length(d, kk, s, padding) for d, kk, s in zip(sizes, k, strides))
    if rank == 1:
        k, strides = k[0], strides[0]
    return k, strides, padding, out


@st.composite
def _recurrent(draw, acts, layer_seeds, return_sequences=None):
    """A SimpleRNN, LSTM or GRU entry and its units."""
    name = draw(st.sampled_from(RECURRENT))
    units = draw(st.integers(1, 3))
    kwargs = {"units": units, "use_bias": draw(st.booleans()),
              "go_backwards": draw(st.booleans()),
              "return_sequences": (draw(st.booleans()) if return_sequences is None
                                   else return_sequences),
              "dropout": draw(st.sampled_from([0.0, 0.3])),
              "recurrent_dropout": draw(st.sampled_from([0.0, 0.3]))}
    kwargs["activation"] = draw(st.sampled_from(
        [a for a in ("tanh", "sigmoid", "softsign", "relu") if a in acts]))
    kwargs["recurrent_regularizer"] = draw(st.sampled_from(regs(acts)))
    if name == "GRU":
        kwargs["reset_after"] = draw(st.booleans())
    if name == "LSTM":
        kwargs["unit_forget_bias"] = draw(st.booleans())
    if layer_seeds and draw(st.booleans()):
        kwargs["seed"] = draw(st.integers(0, 99))
    return (name, kwargs), units


@st.composite
def _rnn_layer(draw, steps, acts, layer_seeds, return_sequences=None):
    """A recurrent layer, bare or in a Bidirectional, and the shape of its output."""
    entry, units = draw(_recurrent(acts, layer_seeds, return_sequences))
    if draw(st.booleans()):
        entry[1]["go_backwards"] = False
        merge = draw(st.sampled_from(["concat", "sum", "ave", "mul"]))
        entry = ("Bidirectional", {"layer": entry, "merge_mode": merge})
        units = 2 * units if merge == "concat" else units
    if entry[0] == "Bidirectional":
        sequences = entry[1]["layer"][1]["return_sequences"]
    else:
        sequences = entry[1]["return_sequences"]
    return entry, ((steps, units) if sequences else (units,))


@st.composite
def _layer(draw, shape, acts, layer_seeds):
    """One layer that accepts samples of ``shape``, and the shape of its output."""
    rank = len(shape)
    choices = ["Dense", "Activation", "Dropout", "BatchNormalization"]
    if rank == 1:
        choices += ["Reshape"]
    if rank == 2:   # the layers of sequences twice, to meet them as often as the others
        choices += 2 * ["Conv1D", "Pool1D", "RNN", "TimeDistributed"] + ["Flatten",
                                                                        "GlobalPool1D"]
    if rank == 3:
        choices += 2 * ["Conv2D", "Pool2D"] + ["Flatten", "GlobalPool2D", "Reshape"]
    kind = draw(st.sampled_from(choices))
    act = st.sampled_from(acts)
    if kind == "Dense":
        units = draw(st.integers(1, 4))
        return ("Dense", {"units": units, "activation": draw(act),
                          "use_bias": draw(st.booleans()),
                          "kernel_regularizer": draw(st.sampled_from(regs(acts)))}), \
            (*shape[:-1], units)
    if kind == "Activation":
        return ("Activation", {"activation": draw(act)}), shape
    if kind == "Dropout":
        kwargs = {"rate": draw(st.sampled_from([0.0, 0.25, 0.5]))}
        if layer_seeds and draw(st.booleans()):
            kwargs["seed"] = draw(st.integers(0, 99))
        return ("Dropout", kwargs), shape
    if kind == "BatchNormalization":
        return ("BatchNormalization", {"axis": draw(st.sampled_from([-1, *range(1, rank + 1)])),
                                       "momentum": draw(st.sampled_from([0.0, 0.5, 0.99])),
                                       "center": draw(st.booleans()),
                                       "scale": draw(st.booleans())}), shape
    if kind == "Reshape":
        if rank == 1:   # flat vectors to sequences
            target = draw(st.sampled_from([(shape[0], 1), (1, shape[0]), (-1, 1)]))
            out = (shape[0], 1) if target[0] == -1 else target
            return ("Reshape", {"target_shape": target}), out
        return ("Reshape", {"target_shape": (shape[0], shape[1] * shape[2])}), \
            (shape[0], shape[1] * shape[2])   # images to sequences of rows
    if kind in ("Conv1D", "Conv2D"):
        k, strides, padding, out = draw(_window(shape[:-1], conv=True))
        filters = draw(st.integers(1, 3))
        return (kind, {"filters": filters, "kernel_size": k, "strides": strides,
                       "padding": padding, "activation": draw(act),
                       "use_bias": draw(st.booleans()),
                       "kernel_regularizer": draw(st.sampled_from(regs(acts)))}), \
            (*out, filters)
    if kind in ("Pool1D", "Pool2D"):
        k, strides, padding, out = draw(_window(shape[:-1], conv=False))
        name = draw(st.sampled_from(pools(acts))) + kind[-2:]
        kwargs = {"pool_size": k, "padding": padding}
        if draw(st.booleans()):
            kwargs["strides"] = strides
        else:
            out = tuple(_out_length(d, kk, kk, padding)
                        for d, kk in zip(shape[:-1], np.atleast_1d(k)))
        return (name, kwargs), (*out, shape[-1])
    if kind == "RNN":
        return draw(_rnn_layer(shape[0], acts, layer_seeds))
    if kind == "TimeDistributed":
        units = draw(st.integers(1, 3))
        inner = ("Dense", {"units": units, "activation": draw(act)})
        return ("TimeDistributed", {"layer": inner}), (shape[0], units)
    if kind == "Flatten":
        return ("Flatten", {}), (int(np.prod(shape)),)
    # global pooling
    name = draw(st.sampled_from(pools(acts, "Global"))) + kind[-2:]
    if draw(st.booleans()):
        return (name, {"keepdims": True}), (*(1,) * (rank - 1), shape[-1])
    return (name, {}), (shape[-1],)


HEADS = {   # loss -> (target kind, head activation, smallest and largest number of units)
    "MeanSquaredError": ("real", [None, "tanh", "sigmoid"], 1, 3),
    # their kinks (y_pred == y_true, |y_pred - y_true| == delta) are never met by random
    # real targets, unlike the exact zeros that reach activations
    "MeanAbsoluteError": ("real", [None, "tanh"], 1, 3),
    "Huber": ("real", [None, "tanh"], 1, 3),
    "BinaryCrossentropy": ("binary", ["sigmoid"], 1, 2),
    "BinaryCrossentropy-logits": ("binary", [None], 1, 2),
    "CategoricalCrossentropy": ("onehot", ["softmax"], 2, 4),
    "SparseCategoricalCrossentropy": ("label", ["softmax"], 2, 4),
    "SparseCategoricalCrossentropy-logits": ("label", [None], 2, 4),
}

OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.01}),
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01}),
    ("RMSprop", {"learning_rate": 0.01}),
    ("Nadam", {"learning_rate": 0.01}),
    ("Adagrad", {"learning_rate": 0.05}),
    ("Adamax", {"learning_rate": 0.01}),
    ("Adadelta", {"learning_rate": 1.0}),
]


@st.composite
def specs(draw, smooth=False, dtype=None, layer_seeds=True, scales=(0.1, 1.0, 1e3)):
    """A random valid model (``Spec``) of tiny size.

    Args:
        smooth: only activations, regularizers and poolings without kinks (for
            gradient checks).
        dtype: the float type; ``None`` draws float32 or float64.
        layer_seeds: allow layers that own a seeded generator (Dropout(seed=...)).
        scales: magnitudes the float inputs may have.
    """
    acts = SMOOTH if smooth else ANY
    kind = draw(st.sampled_from(["flat", "sequence", "tokens", "image"]))
    layers, vocab, pad = [], 0, False
    if kind == "flat":
        shape = (draw(st.integers(1, 5)),)
        input_shape = shape
    elif kind == "sequence":
        shape = (draw(st.integers(1, 5)), draw(st.integers(1, 3)))
        input_shape = shape
    elif kind == "image":
        shape = (draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 2)))
        input_shape = shape
    else:
        input_shape = (draw(st.integers(1, 5)),)
        vocab = draw(st.integers(2, 6))
        pad = draw(st.booleans())
        dim = draw(st.integers(1, 3))
        layers.append(("Embedding", {"input_dim": vocab, "output_dim": dim, "mask_zero": pad}))
        shape = (input_shape[0], dim)
    for _ in range(draw(st.integers(0, 3))):
        entry, shape = draw(_layer(shape, acts, layer_seeds))
        layers.append(entry)
    # the head: on every step of a sequence, or on one vector
    loss_key = draw(st.sampled_from(sorted(HEADS)))
    target, head_acts, low, high = HEADS[loss_key]
    if len(shape) == 2 and draw(st.booleans()):
        pass   # a Dense on (batch, steps, features) is applied to every step
    elif len(shape) == 2:
        reduce = draw(st.sampled_from(["Flatten", "RNN", *pools(acts, "Global")]))
        if reduce == "RNN":
            entry, shape = draw(_rnn_layer(shape[0], acts, layer_seeds, return_sequences=False))
        elif reduce == "Flatten":
            entry, shape = ("Flatten", {}), (shape[0] * shape[1],)
        else:
            entry, shape = (reduce + "1D", {}), (shape[1],)
        layers.append(entry)
    elif len(shape) == 3:
        reduce = draw(st.sampled_from(["Flatten", *pools(acts, "Global")]))
        layers.append((reduce if reduce == "Flatten" else reduce + "2D", {}))
        shape = (int(np.prod(shape)),) if reduce == "Flatten" else (shape[-1],)
    units = draw(st.integers(low, high))
    head = {"units": units, "activation": draw(st.sampled_from(head_acts))}
    layers.append(("Dense", head))
    name, _, logits = loss_key.partition("-")
    loss = (name, {"from_logits": True} if logits else {})
    # float32 and float64 layers in one model: each computes in its own dtype, as in Keras
    # (the tolerances of float32 apply)
    mixed = dtype is None and draw(st.integers(0, 3)) == 0
    batch_size = draw(st.integers(1, 4))
    # 1 sample, a multiple of the batch size, or a last partial batch
    n = draw(st.sampled_from([1, batch_size, 2 * batch_size, batch_size + 1,
                              2 * batch_size + 1])) if batch_size > 1 else draw(
        st.integers(1, 3))
    return Spec(
        input_shape=input_shape, layers=tuple(layers), output_shape=(*shape[:-1], units),
        loss=loss, target=target,
        dtype=dtype or ("float32" if mixed else draw(st.sampled_from(["float32", "float64"]))),
        via_floatx=not mixed and draw(st.booleans()),
        layer_dtypes=tuple(draw(st.sampled_from(["float32", "float64"])) for _ in layers)
        if mixed else (), vocab=vocab, pad=pad,
        scale=1.0 if vocab else draw(st.sampled_from(scales)),
        seed=draw(st.integers(0, 2**16)), n=n, batch_size=batch_size,
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        metrics=draw(st.sampled_from([(), ("accuracy",) if target != "real" else ("mae",)])),
    )


# ---------------------------------------------------------------------------- helpers
def fit(model, spec, x, y, seed, epochs=1, batch_size=None):
    backend.set_random_seed(seed)
    return model.fit(x, y, epochs=epochs, batch_size=batch_size or spec.batch_size,
                     verbose=0)


def assert_bit_identical(actual, expected, what):
    assert len(actual) == len(expected), what
    for i, (a, b) in enumerate(zip(actual, expected)):
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype, f"{what}[{i}]: dtype {a.dtype} != {b.dtype}"
        np.testing.assert_array_equal(a, b, err_msg=f"{what}[{i}]", strict=True)


# ------------------------------------------------------------------------- properties
# found by this property: a float32 layer after a float64 one computed in float64, so
# predict gave float64 (float32 in Keras, where each layer casts its inputs)
MIXED = Spec(input_shape=(3,), output_shape=(2,), layer_dtypes=("float64", "float32"),
             layers=(("Dense", {"units": 4, "activation": "tanh"}), ("Dense", {"units": 2})))


@PROFILE
@example(spec=MIXED)
@given(spec=specs())
def test_predict_is_finite_with_the_expected_shape_and_dtype(spec):
    note(f"spec = {spec!r}")
    model = build(spec, compile=False)
    x, _ = data(spec)
    out = model.predict(x, batch_size=spec.batch_size, verbose=0)
    assert out.shape == (spec.n, *spec.output_shape)
    assert out.dtype == np.dtype(dtypes(spec)[-1])   # the dtype of the last layer
    assert np.all(np.isfinite(out)), out
    for layer, dtype in zip(model.layers, dtypes(spec)):
        assert all(w.dtype == np.dtype(dtype) for w in layer.weights), layer.name


# A central difference with step h differs from the derivative by rounding, about
# 1e-16 |L| / h (1e-11 for h = 1e-5 and a loss near 1), and by truncation, h^2 |L'''| / 6.
# A right gradient then agrees to a relative 1e-9 or so, up to an absolute GRAD_ATOL for
# elements that are almost 0; a wrong formula misses by a relative error near 1. Where the
# loss bends sharply (a BatchNormalization of values whose variance is near its epsilon),
# the truncation term alone can exceed the tolerance: an element that fails is checked
# again with a step 10 times smaller, which divides that term by 100 (a wrong gradient
# fails at every step).
GRAD_RTOL, GRAD_ATOL = 1e-6, 1e-9


def gradient_misses(model, x, y, seed, step):
    """``|analytic - numeric|`` beyond the tolerance, by weight (<= 0 where they agree)."""
    result = gradcheck.check_model(model, x, y, training=True, step=step, max_checks=6,
                                   seed=seed)
    assert result.errors, "no weight was checked"
    misses = {}
    for name in result.errors:
        a, n = result.analytic[name], result.numeric[name]
        misses[name] = np.abs(a - n) - (GRAD_RTOL * (np.abs(a) + np.abs(n)) + GRAD_ATOL)
    return misses, result


# found by this property: the dropout masks of the layers inside a Bidirectional were not
# frozen during the check (gradcheck rewound only the generators of the model's layers)
BIDIRECTIONAL_DROPOUT = Spec(
    input_shape=(3, 2), output_shape=(1,), dtype="float64",
    layers=(("Bidirectional", {"layer": ("SimpleRNN", {"units": 2, "dropout": 0.5,
                                                       "seed": 3})}),
            ("Dense", {"units": 1})))


@PROFILE
@example(spec=BIDIRECTIONAL_DROPOUT)
@given(spec=specs(smooth=True, dtype="float64", scales=(1.0,)))
def test_gradients_match_numerical_ones(spec):
    note(f"spec = {spec!r}")
    model = build(spec)
    x, y = data(spec)
    misses, result = gradient_misses(model, x, y, spec.seed, step=1e-5)
    if any(m.max() > 0 for m in misses.values()):
        finer, result = gradient_misses(model, x, y, spec.seed, step=1e-6)
        misses = {name: np.minimum(m, finer[name]) for name, m in misses.items()}
    for name, m in misses.items():
        assert m.max() <= 0, f"{name}\n{result}"


# Layers with a seed of their own (Dropout(seed=...), LSTM(dropout=..., seed=...)) restart
# their generator from that seed when loaded, as Keras does (it saves no generator state):
# training after loading then draws other masks, so this property leaves them out.
@PROFILE
@given(spec=specs(layer_seeds=False, scales=(1.0,)), epochs=st.integers(0, 2))
def test_save_and_load_round_trip_exactly(spec, epochs):
    note(f"spec = {spec!r}")
    model = build(spec)
    x, y = data(spec)
    fit(model, spec, x, y, seed=spec.seed, epochs=epochs)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
    assert loaded.get_config() == model.get_config()
    assert_bit_identical(loaded.get_weights(), model.get_weights(), "weights")
    assert_bit_identical(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                         "predictions")
    assert_bit_identical(loaded.optimizer.get_state(), model.optimizer.get_state(),
                         "optimizer state")
    # training goes on identically (same global seed: same shuffling and dropout masks)
    history = fit(model, spec, x, y, seed=spec.seed + 1).history
    assert fit(loaded, spec, x, y, seed=spec.seed + 1).history == history
    assert_bit_identical(loaded.get_weights(), model.get_weights(), "weights after fit")


# The rows of one batch are computed independently, but BLAS may add up a row's products
# in another order for another batch size (one row goes through a matrix-vector kernel,
# several through blocked, vectorized matrix products). Each output is then the same sum
# rounded differently: a few units in the last place of the float type, grown a little
# by the layers after it. Hence rtol 1e-4 in float32 (eps 1.2e-7) and 1e-10 in float64
# (eps 2.2e-16), with an absolute floor for outputs near 0.
TOLERANCE = {"float32": (1e-4, 1e-5), "float64": (1e-10, 1e-12)}


@PROFILE
@given(spec=specs(scales=(1.0,)))
def test_predictions_do_not_depend_on_the_batch_size(spec):
    note(f"spec = {spec!r}")
    model = build(spec)
    x, y = data(spec, n=7)
    fit(model, spec, x, y, seed=spec.seed)   # BatchNormalization has moving statistics
    whole = model.predict(x, batch_size=len(x), verbose=0)
    scores = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    rtol, atol = TOLERANCE[spec.dtype]
    for b in (1, 2, 3, 6):
        np.testing.assert_allclose(model.predict(x, batch_size=b, verbose=0), whole,
                                   rtol=rtol, atol=atol, err_msg=f"batch_size={b}")
        np.testing.assert_allclose(model(x[:b]), whole[:b], rtol=rtol, atol=atol,
                                   err_msg=f"model(x[:{b}])")
        by_batch = model.evaluate(x, y, batch_size=b, verbose=0, return_dict=True)
        assert by_batch.keys() == scores.keys()
        for name, value in scores.items():
            assert by_batch[name] == pytest.approx(value, rel=rtol, abs=atol), (b, name)


@PROFILE
@given(spec=specs(scales=(0.1, 1.0)))
def test_the_same_seed_gives_the_same_model_and_training(spec):
    note(f"spec = {spec!r}")
    runs = []
    for _ in range(2):
        model = build(spec)
        initial = model.get_weights()
        x, y = data(spec)
        history = model.fit(x, y, epochs=2, batch_size=spec.batch_size, verbose=0).history
        runs.append((initial, history, model.get_weights()))
    (w0, h0, f0), (w1, h1, f1) = runs
    assert_bit_identical(w1, w0, "initial weights")
    assert h1 == h0
    assert_bit_identical(f1, f0, "weights after fit")


@PROFILE
@given(spec=specs(scales=(1.0,)), batches=st.integers(1, 3))
def test_fit_with_a_last_batch_of_one_sample(spec, batches):
    note(f"spec = {spec!r}")
    b = spec.batch_size + 1          # at least 2, so the last batch is partial
    model = build(spec)
    x, y = data(spec, n=batches * b + 1)
    weights = np.random.default_rng(spec.seed).uniform(0.5, 2.0, size=len(x))
    backend.set_random_seed(spec.seed)
    history = model.fit(x, y, epochs=2, batch_size=b, sample_weight=weights, verbose=0,
                        validation_data=(x[:b + 1], y[:b + 1])).history   # ends with 1 too
    assert len(history["loss"]) == len(history["val_loss"]) == 2
    assert np.all(np.isfinite(history["loss"] + history["val_loss"])), history
    assert np.all(np.isfinite(model.evaluate(x, y, batch_size=b, verbose=0)))
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())


@st.composite
def masked_specs(draw):
    """A model whose ``Embedding(mask_zero=True)`` mask reaches the layer that ends the
    sequence (a recurrent layer or GlobalAveragePooling1D): between them only layers that
    pass a mask on in Keras."""
    steps, dim = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    layers = [("Embedding", {"input_dim": draw(st.integers(2, 6)), "output_dim": dim,
                             "mask_zero": True})]
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["Dense", "Activation", "Dropout", "BatchNormalization",
                                     "TimeDistributed", "RNN"]))
        if kind == "RNN":
            entry, _ = draw(_rnn_layer(steps, ANY, True, return_sequences=True))
            # go_backwards outputs the steps in reverse order, but the mask passed on keeps
            # the input's order, as in Keras: the two no longer match
            if entry[0] != "Bidirectional":
                entry[1]["go_backwards"] = False
        elif kind in ("Dense", "TimeDistributed"):
            entry = ("Dense", {"units": draw(st.integers(1, 3)),
                               "activation": draw(st.sampled_from(ANY))})
            entry = ("TimeDistributed", {"layer": entry}) if kind == "TimeDistributed" else entry
        elif kind == "Activation":
            entry = ("Activation", {"activation": draw(st.sampled_from(ANY))})
        elif kind == "Dropout":
            entry = ("Dropout", {"rate": 0.5})
        else:
            entry = ("BatchNormalization", {"momentum": 0.5})
        layers.append(entry)
    if draw(st.booleans()):
        layers.append(draw(_rnn_layer(steps, ANY, True, return_sequences=False))[0])
    else:
        layers.append(("GlobalAveragePooling1D", {}))
    units = draw(st.integers(1, 3))
    layers.append(("Dense", {"units": units}))
    return Spec(input_shape=(steps,), layers=tuple(layers), output_shape=(units,),
                vocab=layers[0][1]["input_dim"], pad=True, seed=draw(st.integers(0, 2**16)),
                dtype=draw(st.sampled_from(["float32", "float64"])),
                optimizer=draw(st.sampled_from(OPTIMIZERS)))


# found by this property: GlobalAveragePooling1D averaged the padded steps too, and
# BatchNormalization ended the mask (the LSTM after it then read the padding)
MASKED_AVERAGE = Spec(
    input_shape=(3,), vocab=4, pad=True, output_shape=(1,),
    layers=(("Embedding", {"input_dim": 4, "output_dim": 2, "mask_zero": True}),
            ("GlobalAveragePooling1D", {}), ("Dense", {"units": 1})))
MASKED_NORMALIZATION = Spec(
    input_shape=(3,), vocab=4, pad=True, output_shape=(1,),
    layers=(("Embedding", {"input_dim": 4, "output_dim": 2, "mask_zero": True}),
            ("BatchNormalization", {"momentum": 0.5}), ("LSTM", {"units": 2}),
            ("Dense", {"units": 1})))


@PROFILE
@example(spec=MASKED_AVERAGE, extra=2, where="end")
@example(spec=MASKED_NORMALIZATION, extra=1, where="start")
@given(spec=masked_specs(), extra=st.integers(1, 3), where=st.sampled_from(["end", "start"]))
def test_padding_does_not_change_predictions(spec, extra, where):
    """As in Keras, the padded steps of a masked sequence change nothing downstream."""
    note(f"spec = {spec!r}")
    model = build(spec)
    x, y = data(spec, n=5)
    fit(model, spec, x, y, seed=spec.seed)   # BatchNormalization has moving statistics
    longer = build(replace(spec, input_shape=(spec.input_shape[0] + extra,)), compile=False)
    longer.set_weights(model.get_weights())
    zeros = np.zeros((len(x), extra), dtype=x.dtype)
    padded = np.concatenate([x, zeros] if where == "end" else [zeros, x], axis=1)
    rtol, atol = TOLERANCE[spec.dtype]
    np.testing.assert_allclose(longer.predict(padded, verbose=0), model.predict(x, verbose=0),
                               rtol=rtol, atol=atol)


def test_the_strategy_reaches_every_layer():
    """The properties above run over every kind of layer the strategy knows."""
    seen = set()

    @settings(PROFILE, max_examples=600)
    @given(spec=specs())
    def collect(spec):
        def walk(entry):
            seen.add(entry[0])
            if "layer" in entry[1]:
                walk(entry[1]["layer"])
        for entry in spec.layers:
            walk(entry)

    collect()
    expected = {"Dense", "Activation", "Dropout", "BatchNormalization", "Reshape", "Flatten",
                "Conv1D", "Conv2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
                "AveragePooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
                "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Embedding", "TimeDistributed",
                "Bidirectional", *RECURRENT}
    assert expected <= seen, expected - seen



# ------------------------------------------------------------------ regression tests
def test_gradcheck_freezes_the_dropout_of_wrapped_layers():
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(2, dropout=0.5, recurrent_dropout=0.5, seed=7, dtype="float64"))
    x = np.random.default_rng(0).normal(size=(3, 4, 2))
    result = gradcheck.check_layer(layer, x, training=True)
    assert result.max_error < 1e-6, str(result)


def masked_model(*layers, steps=4, dim=1):
    """Embedding(mask_zero=True) with rows [0], [2], [4], [6] (row 0, padding, unused)."""
    embedding = keras.layers.Embedding(4, dim, mask_zero=True, dtype="float64",
                                       weights=[np.arange(0.0, 8.0, 2.0)[:, None]
                                                * np.ones(dim)])
    return keras.Sequential([keras.Input(shape=(steps,)), embedding, *layers])


TOKENS = np.array([[1, 2, 0, 0], [3, 0, 0, 0], [0, 0, 0, 0], [1, 0, 2, 3]])


def test_global_average_pooling_1d_averages_the_real_steps_only():
    model = masked_model(keras.layers.GlobalAveragePooling1D(dtype="float64"))
    # rows: mean(2, 4), mean(6), no real step, mean(2, 4, 6)
    np.testing.assert_allclose(model.predict(TOKENS, verbose=0), [[3.0], [6.0], [0.0], [4.0]])
    keep = masked_model(keras.layers.GlobalAveragePooling1D(keepdims=True, dtype="float64"))
    assert keep.predict(TOKENS, verbose=0).shape == (4, 1, 1)
    plain = keras.Sequential([keras.Input(shape=(4, 1)),
                              keras.layers.GlobalAveragePooling1D(dtype="float64")])
    np.testing.assert_allclose(plain.predict(TOKENS[..., None] * 2.0, verbose=0),
                               [[1.5], [1.5], [0.0], [3.0]])   # no mask: every step counts


def test_batch_normalization_leaves_padding_out_of_batch_statistics():
    norm = keras.layers.BatchNormalization(momentum=0.0, center=False, scale=False,
                                           dtype="float64")
    model = masked_model(norm, keras.layers.SimpleRNN(1, dtype="float64"))
    model(TOKENS, training=True)
    real = np.array([2.0, 4.0, 6.0, 2.0, 4.0, 6.0])   # the values of the real steps
    np.testing.assert_allclose(norm.moving_mean, [real.mean()])
    np.testing.assert_allclose(norm.moving_variance, [real.var()])
    # the mask reaches the SimpleRNN: it skips padding, so a row without real steps
    # keeps the zero initial state
    assert model.predict(TOKENS, verbose=0)[2, 0] == 0.0


def test_masked_batch_normalization_gradients():
    backend.set_random_seed(0)
    model = masked_model(keras.layers.BatchNormalization(dtype="float64"),
                         keras.layers.GlobalAveragePooling1D(dtype="float64"),
                         keras.layers.Dense(3, activation="softmax", dtype="float64"), dim=2)
    model.compile(loss="sparse_categorical_crossentropy")
    misses, result = gradient_misses(model, TOKENS, np.array([0, 1, 2, 1]), 0, step=1e-5)
    assert model.layers[1].weights_of_values is not None   # the statistics were masked
    assert all(m.max() <= 0 for m in misses.values()), str(result)
    assert {"batch_normalization" in name for name in misses} == {True, False}


def test_batch_normalization_refuses_a_mask_of_the_wrong_shape():
    layer = keras.layers.BatchNormalization()
    layer.build_for((None, 4, 2))
    with pytest.raises(ValueError, match=r"mask: BatchNormalization .* expects a mask of shape"
                                         r" \(3, 4\)"):
        layer.call(np.ones((3, 4, 2), dtype="float32"), training=True, mask=np.ones((3, 2)))


@pytest.mark.parametrize("first, last", [("float64", "float32"), ("float32", "float64")])
def test_each_layer_computes_in_its_own_dtype(first, last):
    model = build(replace(MIXED, layer_dtypes=(first, last)))
    x, y = data(MIXED)
    assert model.predict(x, verbose=0).dtype == np.dtype(last)
    _, grads = model.compute_loss_and_grads(x, y)
    assert [g.dtype for g in grads] == [w.dtype for w in model.trainable_weights]
    assert [g.dtype.name for g in grads] == [first, first, last, last]


L = keras.layers
# models the strategy never draws, because Keras refuses them too: redes names the argument
INVALID = [
    (lambda: [keras.Input((3,)), L.BatchNormalization(axis=0)], r"^axis: 0 is not a feature"),
    (lambda: [keras.Input((2, 1)), L.Conv1D(1, 3)], r"^kernel_size: 3 is larger than the"),
    (lambda: [keras.Input((2, 4, 1)), L.AveragePooling2D(3)], r"^pool_size: \(3, 3\) is larger"),
    (lambda: [L.MaxPooling1D(2, padding="causal")], r"^padding: expected one of 'valid', 'same'"),
    (lambda: [keras.Input((3,)), L.Reshape((2, 2))], r"^target_shape: samples of shape \(3,\)"),
    (lambda: [L.Bidirectional(L.LSTM(2, go_backwards=True))], r"^layer: Bidirectional makes"),
    (lambda: [L.Bidirectional(L.GRU(2), merge_mode=None)], r"^merge_mode: expected one of"),
    (lambda: [keras.Input((3,)), L.GRU(2)], r"^x: GRU .* expects sequences of shape"),
    (lambda: [keras.Input((3, 2)), L.GlobalMaxPooling2D()], r"^input_shape: GlobalMaxPooling2D"),
]


@pytest.mark.parametrize("make, message", INVALID)
def test_an_invalid_model_gets_an_error_naming_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        keras.Sequential(make())
