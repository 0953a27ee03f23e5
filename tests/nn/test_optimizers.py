"""Optimizers, schedules and clipping: parity with Keras 3, state, configs and errors."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest

from redes.nn import optimizers
from redes.nn.optimizers import schedules

SHAPES = [(5, 4), (4,), (3, 2, 2)]
RTOL, ATOL = 1e-5, 1e-7


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


def start_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s).astype("float32") for s in SHAPES]


def gradient_steps(n=5, seed=1, scale=2.0):
    rng = np.random.default_rng(seed)
    return [[(scale * rng.normal(size=s)).astype("float32") for s in SHAPES]
            for _ in range(n)]


# (class name, arguments); a ("Schedule", {...}) learning rate is built on each side.
CASES = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    "sgd_weight_decay": ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.05}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_momentum": ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "rho": 0.8}),
    "rmsprop_centered": ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    "rmsprop_centered_momentum": ("RMSprop", {"learning_rate": 0.01, "centered": True,
                                              "momentum": 0.9, "epsilon": 1e-3}),
    "adam": ("Adam", {"learning_rate": 0.05}),
    "adam_amsgrad": ("Adam", {"learning_rate": 0.05, "amsgrad": True, "beta_2": 0.9}),
    "adam_epsilon": ("Adam", {"learning_rate": 0.05, "beta_1": 0.5, "epsilon": 0.1}),
    "adam_weight_decay": ("Adam", {"learning_rate": 0.05, "weight_decay": 0.2}),
    "adam_clipnorm": ("Adam", {"learning_rate": 0.05, "clipnorm": 1.0}),
    "adam_clipvalue": ("Adam", {"learning_rate": 0.05, "clipvalue": 0.5}),
    "adam_global_clipnorm": ("Adam", {"learning_rate": 0.05, "global_clipnorm": 2.0}),
    "adamw": ("AdamW", {"learning_rate": 0.05}),
    "adamw_amsgrad": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "adagrad_args": ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5,
                                 "epsilon": 1e-3, "clipnorm": 2.0}),
    "adamax": ("Adamax", {"learning_rate": 0.05}),
    "adamax_args": ("Adamax", {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.9,
                               "global_clipnorm": 3.0}),
    "nadam": ("Nadam", {"learning_rate": 0.05}),
    "nadam_args": ("Nadam", {"learning_rate": 0.05, "beta_1": 0.8, "weight_decay": 0.1}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "adadelta_args": ("Adadelta", {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-3,
                                   "clipvalue": 0.3}),
    "sgd_exponential": ("SGD", {"learning_rate": ("ExponentialDecay", {
        "initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5}),
        "momentum": 0.9}),
    "sgd_piecewise": ("SGD", {"learning_rate": ("PiecewiseConstantDecay", {
        "boundaries": [1, 3], "values": [0.1, 0.05, 0.01]})}),
    "rmsprop_inverse_time": ("RMSprop", {"learning_rate": ("InverseTimeDecay", {
        "initial_learning_rate": 0.01, "decay_steps": 1, "decay_rate": 0.5,
        "staircase": True})}),
    "adam_polynomial": ("Adam", {"learning_rate": ("PolynomialDecay", {
        "initial_learning_rate": 0.05, "decay_steps": 4, "power": 2.0}),
        "weight_decay": 0.1}),
    "adamw_cosine_warmup": ("AdamW", {"learning_rate": ("CosineDecay", {
        "initial_learning_rate": 0.0, "decay_steps": 3, "warmup_target": 0.05,
        "warmup_steps": 2, "alpha": 0.1})}),
}


def make(module, case):
    """The optimizer of ``case`` from ``module`` (``redes.nn.optimizers`` or Keras')."""
    name, kwargs = CASES[case]
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, tuple):
        kwargs["learning_rate"] = getattr(module.schedules, lr[0])(**lr[1])
    return getattr(module, name)(**kwargs)


def run_ours(opt, grads, weights=None):
    weights = start_weights() if weights is None else weights
    for g in grads:
        opt.apply(g, weights)
    return weights


# --------------------------------------------------------------- Keras parity
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_keras(keras, case):
    grads = gradient_steps()
    ours = make(optimizers, case)
    theirs = make(keras.optimizers, case)
    weights = run_ours(ours, grads)
    kvars = [keras.Variable(w) for w in start_weights()]
    for g in grads:
        theirs.apply_gradients(zip(g, kvars))
    for w, v in zip(weights, kvars):
        np.testing.assert_allclose(w, np.asarray(v), rtol=RTOL, atol=ATOL)
    # the state is laid out as Keras' optimizer.variables, and holds the same numbers
    state, kstate = ours.get_state(), [np.asarray(v) for v in theirs.variables]
    assert len(state) == len(kstate)
    assert int(state[0]) == int(kstate[0]) == 5
    for s, k in zip(state[1:], kstate[1:]):
        assert s.shape == k.shape
        np.testing.assert_allclose(s, k, rtol=RTOL, atol=ATOL)


def test_weights_really_move():
    """Every parity case changes the weights by much more than the tolerance."""
    for case in CASES:
        moved = run_ours(make(optimizers, case), gradient_steps())
        change = max(np.max(np.abs(w - w0)) for w, w0 in zip(moved, start_weights()))
        assert change > 1e-3, case


@pytest.mark.parametrize("case", ["sgd_momentum", "adam", "rmsprop_centered", "nadam"])
def test_learning_rate_changed_between_steps_matches_keras(keras, case):
    grads = gradient_steps()
    ours, theirs = make(optimizers, case), make(keras.optimizers, case)
    weights = start_weights()
    kvars = [keras.Variable(w) for w in start_weights()]
    for i, g in enumerate(grads):
        if i == 2:  # what ReduceLROnPlateau does
            ours.learning_rate = 0.002
            theirs.learning_rate = 0.002
        ours.apply(g, weights)
        theirs.apply_gradients(zip(g, kvars))
    assert ours.learning_rate == 0.002
    for w, v in zip(weights, kvars):
        np.testing.assert_allclose(w, np.asarray(v), rtol=RTOL, atol=ATOL)


def test_exclude_from_weight_decay_matches_keras(keras):
    grads = gradient_steps()
    ours = optimizers.AdamW(learning_rate=0.05, weight_decay=0.5)
    theirs = keras.optimizers.AdamW(learning_rate=0.05, weight_decay=0.5)
    weights = start_weights()
    kvars = [keras.Variable(w) for w in start_weights()]
    ours.exclude_from_weight_decay(var_list=[weights[1]])
    theirs.exclude_from_weight_decay(var_list=[kvars[1]])
    run_ours(ours, grads, weights)
    for g in grads:
        theirs.apply_gradients(zip(g, kvars))
    for w, v in zip(weights, kvars):
        np.testing.assert_allclose(w, np.asarray(v), rtol=RTOL, atol=ATOL)
    # and the excluded weight did not decay: the same as Adam without decay
    plain = run_ours(optimizers.Adam(learning_rate=0.05), grads)
    np.testing.assert_array_equal(weights[1], plain[1])


SCHEDULES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9}),
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5,
                          "staircase": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3.0,
                          "decay_rate": 0.5}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 2.0,
                          "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [3, 10, 20], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "power": 0.5,
                         "end_learning_rate": 0.01, "cycle": True}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 15, "alpha": 0.2}),
    ("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 15, "warmup_target": 0.1,
                     "warmup_steps": 6, "alpha": 0.1}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "warmup_target": 0.1,
                     "warmup_steps": 0}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 4}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 5,
                             "t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1}),
]


@pytest.mark.parametrize("name,kwargs", SCHEDULES)
def test_schedules_match_keras(keras, name, kwargs):
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    for step in range(40):
        assert ours(step) == pytest.approx(float(theirs(step)), rel=1e-5, abs=1e-9), step
    config = json.loads(json.dumps(ours.get_config()))
    assert config == theirs.get_config()
    assert type(ours).from_config(config).get_config() == config


def test_schedule_values_by_hand():
    assert schedules.ExponentialDecay(0.1, 10, 0.5)(20) == pytest.approx(0.025)
    assert schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)(19) == pytest.approx(0.05)
    assert schedules.InverseTimeDecay(0.1, 1, 0.5)(2) == pytest.approx(0.05)
    pc = schedules.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1])
    assert [pc(s) for s in range(8)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1]
    assert schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.0)(5) == pytest.approx(0.05)
    assert schedules.PolynomialDecay(0.1, 10)(50) == pytest.approx(0.0001)
    assert schedules.CosineDecay(0.1, 10)(5) == pytest.approx(0.05)
    warm = schedules.CosineDecay(0.0, 10, warmup_target=0.2, warmup_steps=4)
    assert [warm(s) for s in (0, 2, 4, 14, 99)] == pytest.approx([0.0, 0.1, 0.2, 0.0, 0.0])


def test_schedule_drives_the_optimizer():
    lr = schedules.PiecewiseConstantDecay([1], [0.1, 0.01])
    opt = optimizers.SGD(learning_rate=lr)
    w = [np.zeros(3, dtype="float32")]
    seen = []
    for _ in range(4):
        seen.append(opt.learning_rate)
        opt.apply([np.ones(3, dtype="float32")], w)
    assert seen == [0.1, 0.1, 0.01, 0.01]
    np.testing.assert_allclose(w[0], -0.22, rtol=1e-6)
    opt.learning_rate = schedules.ExponentialDecay(1.0, 1, 0.5)  # a new schedule is fine
    assert opt.learning_rate == 1.0 * 0.5**4


# ------------------------------------------------------------------- clipping
def test_clipping_by_hand():
    g = [np.array([3.0, 4.0], dtype="float32"), np.array([0.0, 12.0], dtype="float32")]

    def first_step(**kwargs):
        w = [np.zeros(2, dtype="float32"), np.zeros(2, dtype="float32")]
        optimizers.SGD(learning_rate=1.0, **kwargs).apply(g, w)
        return [-x for x in w]  # the gradients that were applied

    a, b = first_step(clipnorm=1.0)           # each to norm 1
    np.testing.assert_allclose(a, [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(b, [0.0, 1.0], rtol=1e-6)
    a, b = first_step(global_clipnorm=6.5)    # global norm 13 -> 6.5: all halved
    np.testing.assert_allclose(a, [1.5, 2.0], rtol=1e-6)
    np.testing.assert_allclose(b, [0.0, 6.0], rtol=1e-6)
    a, b = first_step(clipvalue=3.5)
    np.testing.assert_allclose(a, [3.0, 3.5])
    np.testing.assert_allclose(b, [0.0, 3.5])
    a, b = first_step(clipnorm=100.0)         # below the limit: untouched
    np.testing.assert_array_equal(a, g[0])
    # the caller's gradients are not changed by clipping
    np.testing.assert_array_equal(g[0], [3.0, 4.0])


def test_global_clipnorm_with_nan_gives_nan_like_keras():
    w = [np.zeros(2, dtype="float32"), np.zeros(2, dtype="float32")]
    g = [np.array([np.nan, 1.0], dtype="float32"), np.array([1.0, 1.0], dtype="float32")]
    optimizers.SGD(global_clipnorm=1.0).apply(g, w)
    assert np.isnan(w[1]).all()


# ---------------------------------------------------------------------- state
@pytest.mark.parametrize("case", sorted(CASES))
def test_state_round_trip_is_bit_identical(case):
    grads = gradient_steps()
    straight = make(optimizers, case)
    expected = run_ours(straight, grads)

    first = make(optimizers, case)
    weights = run_ours(first, grads[:3])
    buffer = io.BytesIO()  # through .npy files, as a saved model keeps them
    np.savez(buffer, *first.get_state())
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as saved:
        state = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    config = json.loads(json.dumps(optimizers.serialize(first)))

    resumed = optimizers.deserialize(config)
    resumed.build(weights)  # as load_model does; set_state also works unbuilt (next test)
    resumed.set_state(state)
    assert resumed.iterations == 3
    run_ours(resumed, grads[3:], weights)
    for a, b in zip(weights, expected):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(resumed.get_state(), straight.get_state()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", ["adam_amsgrad", "nadam", "sgd", "rmsprop_centered_momentum"])
def test_set_state_on_an_unbuilt_optimizer(case):
    grads = gradient_steps()
    expected = run_ours(make(optimizers, case), grads)
    first = make(optimizers, case)
    weights = run_ours(first, grads[:2])
    resumed = make(optimizers, case)
    resumed.set_state(first.get_state())
    run_ours(resumed, grads[2:], weights)
    for a, b in zip(weights, expected):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", ["nadam", "adam_amsgrad"])
def test_set_state_accepts_scalars_saved_as_one_element_arrays(case):
    grads = gradient_steps()
    expected = run_ours(make(optimizers, case), grads)
    first = make(optimizers, case)
    weights = run_ours(first, grads[:3])
    state = [np.ascontiguousarray(s) for s in first.get_state()]  # 0-d arrays become (1,)
    assert state[0].shape == (1,)
    resumed = make(optimizers, case)
    resumed.set_state(state)
    run_ours(resumed, grads[3:], weights)
    for a, b in zip(weights, expected):
        np.testing.assert_array_equal(a, b)


def test_state_keeps_a_changed_learning_rate():
    grads = gradient_steps()
    opt = optimizers.Adam(learning_rate=0.05)
    weights = run_ours(opt, grads[:2])
    opt.learning_rate = 0.001
    resumed = optimizers.Adam(learning_rate=0.05)
    resumed.set_state(opt.get_state())
    assert resumed.learning_rate == 0.001
    expected = [w.copy() for w in weights]
    run_ours(opt, grads[2:], expected)
    run_ours(resumed, grads[2:], weights)
    for a, b in zip(weights, expected):
        np.testing.assert_array_equal(a, b)


def test_get_state_returns_copies():
    opt = optimizers.SGD(momentum=0.9)
    weights = run_ours(opt, gradient_steps(1))
    state = opt.get_state()
    state[2][...] = 123.0
    assert not np.any(opt.slots["momentum"][0] == 123.0)
    assert weights[0].dtype == np.float32


# ---------------------------------------------------------- behaviour details
def test_updates_are_in_place_and_keep_dtype():
    for case in CASES:
        weights = start_weights()
        ids = [id(w) for w in weights]
        grads = gradient_steps(2)
        copies = [[g.copy() for g in step] for step in grads]
        run_ours(make(optimizers, case), grads, weights)
        assert [id(w) for w in weights] == ids
        assert all(w.dtype == np.float32 for w in weights)
        for step, copy in zip(grads, copies):  # the gradients are only read
            for g, c in zip(step, copy):
                np.testing.assert_array_equal(g, c)


def test_second_build_keeps_the_buffers():
    opt = optimizers.Nadam()
    weights = run_ours(opt, gradient_steps(2))
    state = opt.get_state()
    opt.build(weights)
    for a, b in zip(opt.get_state(), state):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="built for 3 weights"):
        opt.build(weights[:1])


def test_float64_weights_stay_float64():
    weights = [w.astype("float64") for w in start_weights()]
    opt = optimizers.Nadam(learning_rate=0.05)
    run_ours(opt, gradient_steps(3), weights)
    assert all(w.dtype == np.float64 for w in weights)
    assert all(s.dtype == np.float64 for s in opt.get_state()[2:])


def test_centered_rmsprop_stays_finite_with_a_steady_gradient():
    # v - a**2 is 0 in exact arithmetic here; float32 rounding makes it negative and Keras
    # returns NaN for about half of these weights after 300 steps
    g = np.random.default_rng(0).normal(size=(64, 10)).astype("float32")
    w = np.zeros_like(g)
    opt = optimizers.RMSprop(centered=True)
    with np.errstate(invalid="raise"):
        for _ in range(300):
            opt.apply([g], [w])
    assert np.isfinite(w).all()


def subnormal_count(opt):
    tiny = np.finfo(np.float32).tiny
    return sum(int(np.count_nonzero((a != 0) & (np.abs(a) < tiny)))
               for buffers in opt.slots.values() for a in buffers)


def train_then_die(opt):
    """3 steps with gradients, then 893 with none (a dead unit): 896 = 56 x 16 steps, when
    a buffer that decays by 0.9 a step has fallen into the subnormal range."""
    zeros = [np.zeros(s, "float32") for s in SHAPES]
    run_ours(opt, gradient_steps(3) + [zeros] * 893)


@pytest.mark.parametrize("case", sorted(CASES))
def test_buffers_flush_subnormals_to_zero(case):
    # Keras on TensorFlow flushes subnormal floats to zero; NumPy would compute on them,
    # many times slower (see optimizers.base.FLUSH_EVERY)
    opt = make(optimizers, case)
    train_then_die(opt)
    assert subnormal_count(opt) == 0


@pytest.mark.parametrize("case", ["sgd_momentum", "rmsprop", "adam", "nadam", "adamax"])
def test_without_the_flush_decaying_buffers_turn_subnormal(case, monkeypatch):
    from redes.nn.optimizers import base

    monkeypatch.setattr(base, "FLUSH_EVERY", 10**9)
    opt = make(optimizers, case)
    train_then_die(opt)
    assert subnormal_count(opt) > 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_updates_in_pieces_are_bit_identical(case, monkeypatch):
    # a large weight is updated in pieces that stay in the cache (optimizers.base.PIECE);
    # pieces of 7 values split every weight of SHAPES, even across rows
    from redes.nn.optimizers import base

    whole = run_ours(make(optimizers, case), gradient_steps())
    monkeypatch.setattr(base, "PIECE", 7)
    opt = make(optimizers, case)
    weights = start_weights()
    opt.build(weights)
    # 20 values: 7 + 7 + 6, for an update with buffers (plain SGD has none: whole arrays)
    assert len(opt._pieces(0, weights[0], weights[0])) == (3 if opt.slots else 1)
    pieces = run_ours(opt, gradient_steps(), weights)
    for a, b in zip(whole, pieces):
        np.testing.assert_array_equal(a, b)
    # a weight that is not C-contiguous is updated whole, in place
    fortran = [np.asfortranarray(w) for w in start_weights()]
    run_ours(make(optimizers, case), gradient_steps(), fortran)
    for a, b in zip(whole, fortran):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_gradient_arrays_every_step(case, monkeypatch):
    # Sequential hands over the same gradient arrays at every step, refilled; the optimizer
    # keeps its cut of them into pieces, and after set_state (new buffers) it must cut again
    from redes.nn.optimizers import base

    monkeypatch.setattr(base, "PIECE", 7)
    steps = gradient_steps()
    expected = run_ours(make(optimizers, case), steps)   # new gradient arrays every step
    opt = make(optimizers, case)
    weights = start_weights()
    held = [np.empty_like(w) for w in weights]

    def step(grads):
        for h, g in zip(held, grads):
            h[...] = g
        opt.apply(held, weights)

    step(steps[0])
    step(steps[1])
    state, saved = opt.get_state(), [w.copy() for w in weights]
    step(steps[0])                       # a step that set_state and the copies undo
    opt.set_state(state)
    for w, s in zip(weights, saved):
        w[...] = s
    for grads in steps[2:]:
        step(grads)
    for a, b in zip(weights, expected):
        np.testing.assert_array_equal(a, b)


def test_none_gradient_leaves_its_weight_alone():
    weights = start_weights()
    before = [w.copy() for w in weights]
    opt = optimizers.Adam(learning_rate=0.1, weight_decay=0.1)
    g = gradient_steps(1)[0]
    opt.apply([g[0], None, g[2]], weights)
    np.testing.assert_array_equal(weights[1], before[1])
    assert not np.array_equal(weights[0], before[0])
    assert opt.iterations == 1


def test_apply_gradients_and_apply_without_variables():
    weights = start_weights()
    opt = optimizers.SGD(learning_rate=0.5)
    g = gradient_steps(2)
    assert opt.apply_gradients(zip(g[0], weights)) == 1
    opt.apply(g[1])  # the variables it was built with
    np.testing.assert_allclose(weights[1], start_weights()[1] - 0.5 * (g[0][1] + g[1][1]),
                               rtol=1e-6)
    opt.apply([])  # no gradients: nothing happens, as in Keras
    assert opt.iterations == 2


def test_sgd_and_adam_first_step_by_hand():
    w = [np.array([1.0, -2.0], dtype="float32")]
    optimizers.SGD(learning_rate=0.1).apply([np.array([0.5, -1.0], dtype="float32")], w)
    np.testing.assert_allclose(w[0], [0.95, -1.9], rtol=1e-6)
    # Adam's first step is lr * g / (|g| + epsilon): about lr * sign(g)
    w = [np.array([1.0, -2.0], dtype="float32")]
    optimizers.Adam(learning_rate=0.1).apply([np.array([0.5, -1.0], dtype="float32")], w)
    np.testing.assert_allclose(w[0], [0.9, -1.9], rtol=1e-5)


def test_defaults_match_keras(keras):
    for name in ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adamax", "Nadam", "Adadelta"]:
        ours = getattr(optimizers, name)().get_config()
        theirs = getattr(keras.optimizers, name)().get_config()
        for key, value in ours.items():
            if key == "name":
                assert value.split("_")[0] == theirs[key].split("_")[0]
            elif key == "learning_rate":
                assert value == pytest.approx(theirs[key], rel=1e-7)
            else:
                assert value == theirs[key], (name, key)


def test_keras_only_arguments_at_their_defaults_are_accepted():
    opt = optimizers.Adam(use_ema=False, ema_momentum=0.99, loss_scale_factor=None,
                          gradient_accumulation_steps=None, ema_overwrite_frequency=None)
    assert opt.get_config()["beta_1"] == 0.9
    with pytest.warns(UserWarning, match="decay: .* ignored"):
        optimizers.SGD(decay=0.01)
    opt.learning_rate = np.float32(0.25)  # callbacks may compute it with NumPy
    assert opt.learning_rate == 0.25 and type(opt.learning_rate) is float


def test_names_like_keras():
    assert optimizers.Adam().name.startswith("adam")
    assert optimizers.RMSprop().name.startswith("rm_sprop")
    assert optimizers.Adam(name="mine").name == "mine"


# --------------------------------------------------------------------- configs
@pytest.mark.parametrize("case", sorted(CASES))
def test_config_json_round_trip(case):
    opt = make(optimizers, case)
    config = json.loads(json.dumps(opt.get_config()))
    again = type(opt).from_config(config)
    assert again.get_config() == opt.get_config()
    via_get = optimizers.get(json.loads(json.dumps(optimizers.serialize(opt))))
    assert type(via_get) is type(opt) and via_get.get_config() == opt.get_config()


@pytest.mark.parametrize("case", ["adam_clipnorm", "adamw_cosine_warmup", "rmsprop_centered"])
def test_reads_keras_configs(keras, case):
    config = json.loads(json.dumps(keras.optimizers.serialize(make(keras.optimizers, case))))
    ours = optimizers.get(config)  # Keras' extra keys (use_ema...) are accepted at defaults
    assert type(ours).__name__ == CASES[case][0]
    theirs = config["config"]
    for key, value in ours.get_config().items():
        if key == "learning_rate" and isinstance(value, dict):
            assert value["class_name"] == theirs[key]["class_name"]
            assert value["config"] == theirs[key]["config"]
        elif key == "learning_rate":
            assert value == pytest.approx(theirs[key], rel=1e-7)  # Keras keeps it in float32
        else:
            assert value == theirs[key], key


def test_get_by_name():
    for name, cls in [("sgd", "SGD"), ("rmsprop", "RMSprop"), ("adam", "Adam"),
                      ("adamw", "AdamW"), ("adagrad", "Adagrad"), ("adamax", "Adamax"),
                      ("nadam", "Nadam"), ("adadelta", "Adadelta"), ("Adam", "Adam"),
                      ("RMSprop", "RMSprop")]:
        assert type(optimizers.get(name)).__name__ == cls
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt


# ---------------------------------------------------------------------- errors
def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="adamm") as info:
        optimizers.get("adamm")
    message = str(info.value)
    assert "did you mean 'adam'" in message
    for name in ["'sgd'", "'rmsprop'", "'adam'", "'adamw'", "'adagrad'", "'nadam'"]:
        assert name in message
    with pytest.raises(ValueError, match="optimizer: expected a name"):
        optimizers.get(3.5)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.get({"class_name": "Adammm", "config": {}})


@pytest.mark.parametrize("make_it,match", [
    (lambda: optimizers.Adam(learning_rate=-0.1), r"learning_rate: .*got -0\.1"),
    (lambda: optimizers.Adam(learning_rate="fast"), "learning_rate: .*'fast'"),
    (lambda: optimizers.Adam(beta_1=1.5), r"beta_1: expected a number in \[0, 1\], got 1\.5"),
    (lambda: optimizers.Adam(epsilon=-1e-7), "epsilon: expected a number >= 0"),
    (lambda: optimizers.Adam(amsgrad="yes"), "amsgrad: expected True or False, got 'yes'"),
    (lambda: optimizers.SGD(momentum=-0.1), r"momentum: .*got -0\.1"),
    (lambda: optimizers.SGD(nesterov=1), "nesterov: expected True or False"),
    (lambda: optimizers.RMSprop(rho=2), "rho: .*got 2"),
    (lambda: optimizers.RMSprop(centered=None), "centered: expected True or False"),
    (lambda: optimizers.Adagrad(initial_accumulator_value=-1), "initial_accumulator_value"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay: AdamW needs a number"),
    (lambda: optimizers.SGD(weight_decay=-1.0), "weight_decay: .* or None, got -1.0"),
    (lambda: optimizers.SGD(clipnorm=-1.0), "clipnorm: .*got -1.0"),
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=0.5), "at most one of them.*clipnorm=1.0"),
    (lambda: optimizers.Adam(lr=0.1), "unknown argument 'lr'.*learning_rate"),
    (lambda: optimizers.Adam(use_ema=True), "use_ema: .*expected False, got True"),
    (lambda: optimizers.Adam(name=""), "name: expected a non-empty string"),
])
def test_bad_arguments(make_it, match):
    with pytest.raises(ValueError, match=match):
        make_it()


@pytest.mark.parametrize("make_it,match", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.9), "decay_steps: expected a positive"),
    (lambda: schedules.ExponentialDecay(0.1, 10, -0.9), "decay_rate: .*-0.9"),
    (lambda: schedules.InverseTimeDecay(0.1, 10, 0.5, staircase="no"), "staircase"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]), "values: expected one more"),
    (lambda: schedules.PiecewiseConstantDecay([5, 2], [0.1, 0.2, 0.3]), "boundaries: .*increasing"),
    (lambda: schedules.PolynomialDecay(-0.1, 10), "initial_learning_rate: .*-0.1"),
    (lambda: schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=-3), "warmup_steps"),
    (lambda: schedules.CosineDecayRestarts(0.1, 10, t_mul=0.0), "t_mul: expected a positive"),
])
def test_bad_schedule_arguments(make_it, match):
    with pytest.raises(ValueError, match=match):
        make_it()


def test_bad_uses():
    opt = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="learning_rate: .*schedule"):
        opt.learning_rate = 0.01

    opt = optimizers.Adam()
    weights = start_weights()
    g = gradient_steps(1)[0]
    with pytest.raises(ValueError, match=r"grads: the gradient of weight 1 has shape \(3,\)"):
        opt.apply([g[0], np.zeros(3, "float32"), g[2]], weights)
    with pytest.raises(ValueError, match="grads: expected one gradient per weight"):
        opt.apply(g[:2], weights)
    with pytest.raises(ValueError, match="built for 3 weights, got 2"):
        opt.apply(g[:2], weights[:2])
    with pytest.raises(ValueError, match="grads: no gradient was given"):
        opt.apply([None, None, None], weights)
    with pytest.raises(ValueError, match="variables: expected float NumPy arrays"):
        optimizers.SGD().apply([np.ones(2)], [[0.0, 0.0]])
    with pytest.raises(ValueError, match="var_names"):
        optimizers.AdamW().exclude_from_weight_decay(var_names=["bias"])

    adam_state = optimizers.Adam(amsgrad=True)
    run_ours(adam_state, gradient_steps(1))
    with pytest.raises(ValueError, match="state: .* do not fit Adam"):
        optimizers.Adam().set_state(adam_state.get_state())
    built = optimizers.Adam(amsgrad=True)
    built.build([np.zeros((2, 2), "float32")] * 3)
    with pytest.raises(ValueError, match="state: buffers for weights of shapes"):
        built.set_state(adam_state.get_state())
