"""The ops of redes.nn.ops: every local derivative against central differences, every
forward against keras.ops (TensorFlow backend), the gradients at kinks against TensorFlow's,
and the errors a person gets."""

from __future__ import annotations

import inspect
import os

import numpy as np
import pytest

from redes.nn import ops
from redes.nn.ops import base
from redes.nn.ops.creation import Cast
from redes.nn.ops.linalg import Dot, Einsum, Matmul
from redes.nn.ops.math import (
    Abs,
    Add,
    Clip,
    Divide,
    Exp,
    Log,
    Maximum,
    Minimum,
    Multiply,
    Negative,
    Power,
    Sqrt,
    Square,
    Subtract,
    Where,
)
from redes.nn.ops.nn import (
    Activation,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    LogSoftmax,
    Relu,
    Sigmoid,
    Softmax,
    SparseCategoricalCrossentropy,
    Tanh,
)
from redes.nn.ops.reduction import Max, Mean, Min, Prod, Std, Sum, Var
from redes.nn.ops.shapes import (
    Concatenate,
    ExpandDims,
    GetItem,
    Reshape,
    Split,
    Squeeze,
    Stack,
    Take,
    Transpose,
)

RNG = np.random.default_rng(1234)


def normal(*shape):
    return RNG.normal(size=shape)


def positive(*shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def away_from_zero(*shape):
    """Values with |x| in [0.3, 2]: no kink of abs or relu within the difference step."""
    return RNG.choice([-1.0, 1.0], size=shape) * RNG.uniform(0.3, 2.0, size=shape)


def distinct(*shape):
    """Values at least 0.1 apart: no tie for max or min within the difference step."""
    n = int(np.prod(shape))
    return (RNG.permutation(n) * 0.1 + RNG.uniform(0, 0.01, size=n)).reshape(shape)


def probabilities(*shape):
    p = RNG.uniform(0.1, 1.0, size=shape)
    return p / p.sum(axis=-1, keepdims=True)


# 1. Gradient check ---------------------------------------------------------------------

H = 1e-6


def _loss(op, inputs, upstream):
    """sum(forward(inputs) * G): its gradient with respect to the output is exactly G."""
    out = op.forward(*inputs)
    outs = out if isinstance(out, list) else [out]
    return sum(float(np.sum(o * g)) for o, g in zip(outs, upstream))


def _numeric_grad(op, inputs, index, upstream):
    x = inputs[index]
    grad = np.zeros_like(x)
    for position in np.ndindex(x.shape):
        values = []
        for step in (H, -H):
            nudged = x.copy()
            nudged[position] += step
            changed = [nudged if i == index else a for i, a in enumerate(inputs)]
            values.append(_loss(op, changed, upstream))
        grad[position] = (values[0] - values[1]) / (2 * H)
    return grad


def check_gradient(op, inputs):
    out = op.forward(*inputs)
    outs = out if isinstance(out, list) else [out]
    upstream = [normal(*np.shape(o)) for o in outs]
    grads = op.backward(upstream if isinstance(out, list) else upstream[0], inputs, out)
    assert len(grads) == len(inputs)
    for i, (x, grad) in enumerate(zip(inputs, grads)):
        if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
            assert grad is None, f"input {i} has no gradient"
            continue
        assert grad.shape == x.shape and grad.dtype == x.dtype
        numeric = _numeric_grad(op, inputs, i, upstream)
        error = np.linalg.norm(grad - numeric) / max(
            np.linalg.norm(grad) + np.linalg.norm(numeric), 1e-12)
        assert error < 1e-6, f"input {i}: relative error {error:.2e}"


AXES = [None, 0, -1, (0, 2)]
LABELS = RNG.integers(0, 4, size=5)

GRAD_CASES = [
    ("add broadcast", Add(), [normal(3, 1), normal(1, 4)]),
    ("add row", Add(), [normal(2, 3), normal(3)]),
    ("add number", Add(), [normal(2, 3), 2.0]),
    ("subtract broadcast", Subtract(), [normal(3, 1), normal(1, 4)]),
    ("subtract number first", Subtract(), [1.5, normal(2, 3)]),
    ("multiply row", Multiply(), [normal(2, 3), normal(3)]),
    ("multiply same", Multiply(), [normal(2, 3), normal(2, 3)]),
    ("divide row", Divide(), [normal(2, 3), positive(3)]),
    ("divide number first", Divide(), [2.0, positive(2, 3)]),
    ("negative", Negative(), [normal(2, 3)]),
    ("power tensor exponent", Power(), [positive(2, 3), normal(2, 3)]),
    ("power broadcast exponent", Power(), [positive(2, 3), normal(3)]),
    ("power number exponent", Power(), [normal(2, 3), 3]),
    ("power fractional exponent", Power(), [positive(2, 3), 0.5]),
    ("power number base", Power(), [2.0, normal(2, 3)]),
    ("exp", Exp(), [normal(2, 3)]),
    ("log", Log(), [positive(2, 3)]),
    ("sqrt", Sqrt(), [positive(2, 3)]),
    ("square", Square(), [normal(2, 3)]),
    ("abs", Abs(), [away_from_zero(2, 3)]),
    ("maximum broadcast", Maximum(), [distinct(3, 1), distinct(1, 4)]),
    ("maximum number", Maximum(), [away_from_zero(2, 3), 0.0]),
    ("minimum broadcast", Minimum(), [distinct(3, 1), distinct(1, 4)]),
    ("clip numbers", Clip(), [normal(3, 4), -0.55, 0.45]),
    ("clip tensors", Clip(), [normal(3, 4), RNG.uniform(-1.05, -0.05, 4),
                              RNG.uniform(0.05, 1.05, (3, 1))]),
    ("where", Where(), [normal(2, 3) > 0, normal(2, 3), normal(3)]),
    ("where number", Where(), [normal(2, 3) > 0, normal(2, 3), 0.0]),
    ("relu", Relu(), [away_from_zero(2, 3)]),
    ("sigmoid", Sigmoid(), [normal(2, 3)]),
    ("tanh", Tanh(), [normal(2, 3)]),
    *[(f"activation {name} {params}", Activation(name, **params), [away_from_zero(2, 3)])
      for name, params in (("elu", {}), ("selu", {}), ("softplus", {}), ("gelu", {}),
                           ("leaky_relu", {"negative_slope": 0.1}), ("swish", {}),
                           ("softmax", {"axis": 0}), ("log_sigmoid", {}))],
    *[(f"softmax axis={a}", Softmax(axis=a), [normal(2, 3, 4)]) for a in (-1, 0, (0, 2))],
    *[(f"log_softmax axis={a}", LogSoftmax(axis=a), [normal(2, 3, 4)]) for a in (-1, 1, (0, 2))],
    *[(f"{cls.name} axis={a} keepdims={k}", cls(axis=a, keepdims=k), [normal(2, 3, 4)])
      for cls in (Sum, Mean, Var, Std) for a in AXES for k in (False, True)],
    *[(f"{cls.name} axis={a} keepdims={k}", cls(axis=a, keepdims=k, initial=None),
       [distinct(2, 3, 4)]) for cls in (Max, Min) for a in AXES for k in (False, True)],
    ("max initial", Max(axis=1, keepdims=False, initial=-100.0), [distinct(2, 3, 4)]),
    *[(f"prod axis={a} keepdims={k}", Prod(axis=a, keepdims=k, dtype=None),
       [away_from_zero(2, 3, 2)]) for a in AXES for k in (False, True)],
    ("prod with a zero", Prod(axis=1, keepdims=False, dtype=None),
     [np.array([[1.5, 0.0, -2.0], [0.5, 1.2, 0.8]])]),
    ("prod with two zeros", Prod(axis=None, keepdims=False, dtype=None),
     [np.array([[1.5, 0.0], [0.0, 0.8]])]),
    ("reshape", Reshape(newshape=(4, -1)), [normal(2, 3, 4)]),
    *[(f"transpose axes={a}", Transpose(axes=a), [normal(2, 3, 4)])
      for a in (None, (1, 0, 2), (2, 0, 1), (-1, 0, 1))],
    *[(f"expand_dims axis={a}", ExpandDims(axis=a), [normal(2, 3)]) for a in (0, -1, (0, 2))],
    *[(f"squeeze axis={a}", Squeeze(axis=a), [normal(2, 1, 3, 1)]) for a in (None, 1, (1, 3))],
    ("concatenate axis=1", Concatenate(axis=1), [normal(2, 3), normal(2, 1), normal(2, 2)]),
    ("concatenate axis=0", Concatenate(axis=0), [normal(1, 3), normal(2, 3)]),
    ("stack axis=0", Stack(axis=0), [normal(2, 3), normal(2, 3)]),
    ("stack axis=-1", Stack(axis=-1), [normal(2, 3), normal(2, 3), normal(2, 3)]),
    ("split sections", Split(indices_or_sections=3, axis=1), [normal(2, 6)]),
    ("split indices", Split(indices_or_sections=[1, 4], axis=-1), [normal(2, 6)]),
    ("take axis=None", Take(axis=None), [normal(2, 3), np.array([[0, 5], [5, 2]])]),
    ("take axis=1 repeated", Take(axis=1), [normal(2, 3, 2), np.array([0, 2, 0, -1])]),
    ("getitem slices", GetItem(key=(slice(1, None), slice(None, None, 2))), [normal(3, 5)]),
    ("getitem int", GetItem(key=1), [normal(3, 4)]),
    ("getitem ellipsis", GetItem(key=(Ellipsis, 0)), [normal(2, 3, 4)]),
    ("getitem none", GetItem(key=(None, slice(0, 2), None)), [normal(3, 4)]),
    ("getitem array repeated", GetItem(key=np.array([0, 2, 0])), [normal(3, 4)]),
    ("getitem arrays", GetItem(key=(np.array([0, 1, 1]), np.array([2, 0, 2]))), [normal(2, 3)]),
    ("getitem mask", GetItem(key=np.array([True, False, True])), [normal(3, 2)]),
    ("getitem mixed", GetItem(key=(slice(0, 2), None, np.array([1, 1]))), [normal(3, 4)]),
    ("matmul", Matmul(), [normal(2, 3), normal(3, 4)]),
    ("matmul batch", Matmul(), [normal(5, 2, 3), normal(3, 4)]),
    ("matmul broadcast batch", Matmul(), [normal(2, 1, 2, 3), normal(4, 3, 2)]),
    ("matmul vector first", Matmul(), [normal(3), normal(2, 3, 4)]),
    ("matmul vector second", Matmul(), [normal(2, 3), normal(3)]),
    ("matmul vectors", Matmul(), [normal(3), normal(3)]),
    ("dot matrices", Dot(), [normal(2, 3), normal(3, 4)]),
    ("dot tensors", Dot(), [normal(2, 3, 4), normal(5, 4, 2)]),
    ("dot vector", Dot(), [normal(2, 3), normal(3)]),
    ("dot scalar", Dot(), [normal(), normal(2, 3)]),
    ("einsum ij,jk->ik", Einsum(subscripts="ij,jk->ik"), [normal(2, 3), normal(3, 4)]),
    ("einsum bij,bjk->bik", Einsum(subscripts="bij,bjk->bik"), [normal(2, 2, 3), normal(2, 3, 4)]),
    ("einsum ii->i", Einsum(subscripts="ii->i"), [normal(3, 3)]),
    ("einsum ij->", Einsum(subscripts="ij->"), [normal(2, 3)]),
    ("einsum ij->ji", Einsum(subscripts="ij->ji"), [normal(2, 3)]),
    ("einsum ij,ij->i", Einsum(subscripts="ij,ij->i"), [normal(2, 3), normal(2, 3)]),
    ("einsum ij,k->ijk", Einsum(subscripts="ij,k->ijk"), [normal(2, 3), normal(2)]),
    ("einsum implicit", Einsum(subscripts="ij,jk"), [normal(2, 3), normal(3, 4)]),
    ("einsum ellipsis", Einsum(subscripts="...ij,jk->...ik"), [normal(2, 2, 3), normal(3, 4)]),
    ("binary_crossentropy", BinaryCrossentropy(from_logits=False),
     [RNG.uniform(0, 1, (4, 3)), RNG.uniform(0.05, 0.95, (4, 3))]),
    ("binary_crossentropy logits", BinaryCrossentropy(from_logits=True),
     [RNG.uniform(0, 1, (4, 3)), normal(4, 3)]),
    ("categorical_crossentropy", CategoricalCrossentropy(from_logits=False, axis=-1),
     [probabilities(4, 3), RNG.uniform(0.1, 1.0, (4, 3))]),
    ("categorical_crossentropy logits", CategoricalCrossentropy(from_logits=True, axis=-1),
     [probabilities(4, 3), normal(4, 3)]),
    ("categorical_crossentropy axis=1", CategoricalCrossentropy(from_logits=False, axis=1),
     [np.moveaxis(probabilities(2, 4, 3), -1, 1), RNG.uniform(0.1, 1.0, (2, 3, 4))]),
    ("categorical_crossentropy logits axis=1", CategoricalCrossentropy(from_logits=True, axis=1),
     [np.moveaxis(probabilities(2, 4, 3), -1, 1), normal(2, 3, 4)]),
    ("sparse_categorical_crossentropy", SparseCategoricalCrossentropy(from_logits=False, axis=-1),
     [LABELS, RNG.uniform(0.05, 0.95, (5, 4))]),
    ("sparse_categorical_crossentropy logits",
     SparseCategoricalCrossentropy(from_logits=True, axis=-1), [LABELS, normal(5, 4)]),
    ("sparse_categorical_crossentropy (n, 1) labels",
     SparseCategoricalCrossentropy(from_logits=True, axis=-1), [LABELS[:, None], normal(5, 4)]),
    ("cast float64", Cast(dtype="float64"), [normal(2, 3)]),
]


@pytest.mark.parametrize("op, inputs", [pytest.param(op, inputs, id=name)
                                        for name, op, inputs in GRAD_CASES])
def test_gradient(op, inputs):
    check_gradient(op, inputs)


def test_every_differentiable_op_is_checked():
    checked = {type(op) for _name, op, _inputs in GRAD_CASES}
    modules = [ops.math, ops.nn, ops.reduction, ops.shapes, ops.linalg]
    every = {cls for m in modules for cls in vars(m).values()
             if isinstance(cls, type) and issubclass(cls, base.Op) and cls is not base.Op}
    # LossOp hands back the gradient of a loss object, checked with the losses
    without_gradient = {ops.OneHot, ops.ArgMax, ops.ArgMin, ops.Compare, ops.nn.LossOp}
    assert every - without_gradient - checked == set()


def test_split_backward_takes_missing_gradients_as_zeros():
    x = normal(2, 6)
    op = Split(indices_or_sections=3, axis=1)
    out = op.forward(x)
    g = normal(2, 2)
    (dx,) = op.backward([None, g, None], [x], out)
    np.testing.assert_array_equal(dx, np.concatenate([np.zeros((2, 2)), g, np.zeros((2, 2))], 1))


def test_float32_gradients_stay_float32():
    x, y = normal(2, 3).astype(np.float32), normal(3).astype(np.float32)
    for op, inputs in [(Multiply(), [x, y]), (Sum(axis=0, keepdims=False), [x]),
                       (Matmul(), [x, x.T]), (Softmax(axis=-1), [x]), (Power(), [x, 2])]:
        out = op.forward(*inputs)
        grads = op.backward(np.ones_like(out), inputs, out)
        assert all(g is None or g.dtype == np.float32 for g in grads)


def test_integer_inputs_and_numbers_get_no_gradient():
    x = normal(2, 3)
    out = Add().forward(x, 2)
    assert Add().backward(np.ones_like(out), [x, 2], out)[1] is None
    i = np.arange(3)
    out = Multiply().forward(x, i)
    assert Multiply().backward(np.ones_like(out), [x, i], out)[1] is None


# 2. Forward parity with keras.ops ---------------------------------------------------------


@pytest.fixture(scope="module")
def keras_ops():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from keras import ops as keras_ops

    return keras_ops


def f32(*shape):
    return normal(*shape).astype(np.float32)


def p32(*shape):
    return positive(*shape).astype(np.float32)


A, B, C = f32(2, 3), f32(3), f32(2, 3, 4)
I32 = RNG.integers(-5, 5, size=(2, 3)).astype(np.int32)
I64 = RNG.integers(1, 5, size=(2, 3))
BOOL = A > 0
ONE_HOT = np.eye(4, dtype=np.float32)[RNG.integers(0, 4, size=5)]
PROBS = probabilities(5, 4).astype(np.float32)

PARITY = [
    ("add", (f32(3, 1), f32(1, 4))), ("add", (A, B)), ("add", (I32, A)), ("add", (I32, I64)),
    ("subtract", (A, B)), ("multiply", (A, B)), ("multiply", (I32, I32)),
    ("divide", (A, p32(3))), ("divide", (I64, I64)), ("divide", (1, 2)), ("divide", (I64, 2)),
    ("true_divide", (A, p32(2, 3))),
    ("negative", (A,)), ("power", (p32(2, 3), A)), ("power", (A, 3)), ("power", (I64, 2)),
    ("matmul", (A, f32(3, 4))), ("matmul", (f32(5, 2, 3), f32(3, 4))), ("matmul", (B, f32(3, 4))),
    ("matmul", (f32(2, 1, 2, 3), f32(4, 3, 2))), ("matmul", (I32, A.T)),
    ("dot", (A, f32(3, 4))), ("dot", (C, f32(5, 4, 2))), ("dot", (A, B)),
    ("einsum", ("ij,jk->ik", A, f32(3, 4))), ("einsum", ("bij,bjk->bik", C, f32(2, 4, 5))),
    ("einsum", ("ii->i", f32(3, 3))), ("einsum", ("ij,jk", A, f32(3, 4))),
    ("einsum", ("...ij,...jk->...ik", C, f32(2, 4, 2))),
    ("exp", (A,)), ("exp", (I32,)), ("log", (p32(2, 3),)), ("sqrt", (p32(2, 3),)),
    ("sqrt", (I64,)), ("square", (A,)), ("square", (BOOL,)), ("abs", (A,)), ("absolute", (I32,)),
    ("maximum", (A, B)), ("maximum", (I64, A)), ("minimum", (f32(3, 1), f32(1, 4))),
    ("clip", (A, -0.5, 0.5)), ("clip", (I64, 2, 3)), ("where", (BOOL, A, B)),
    ("where", (BOOL,)), ("relu", (A,)), ("relu", (I32,)), ("sigmoid", (A,)), ("tanh", (A,)),
    ("softmax", (C,)), ("softmax", (C,), {"axis": 1}), ("log_softmax", (C,)),
    ("log_softmax", (C,), {"axis": 0}),
    *[(name, (C,), {"axis": a, "keepdims": k})
      for name in ("sum", "mean", "max", "min", "std", "var", "prod")
      for a in AXES for k in (False, True)],
    *[(name, (x,)) for name in ("sum", "mean", "max", "min", "std", "var", "prod")
      for x in (I32, I64, BOOL)],
    ("max", (C,), {"axis": 1, "initial": 0.5}),
    *[(name, (C,), {"axis": a, "keepdims": k}) for name in ("argmax", "argmin")
      for a in (None, 1, -1) for k in (False, True)],
    ("argmax", (I64,), {"axis": 0}),
    ("reshape", (A, (3, 2))), ("reshape", (C, (4, -1))), ("transpose", (C,)),
    ("transpose", (C, (2, 0, 1))), ("expand_dims", (A, 0)), ("expand_dims", (A, -1)),
    ("expand_dims", (A, (0, 2))), ("squeeze", (f32(2, 1, 3, 1),)),
    ("squeeze", (f32(2, 1, 3, 1),), {"axis": 1}),
    ("concatenate", ([A, f32(2, 1)],), {"axis": 1}), ("concatenate", ([A, I64],)),
    ("stack", ([A, A],), {"axis": 1}), ("stack", ([A, A.astype(np.float64)],)),
    ("split", (f32(2, 6), 3), {"axis": 1}), ("split", (f32(6, 2), [1, 4])),
    ("take", (f32(4, 3), np.array([0, 2, -1]))), ("take", (f32(4, 3), np.array([0, 2, -1]), 0)),
    ("take", (f32(4, 3), np.array([[0, 2], [1, 1]])), {"axis": 1}),
    ("get_item", (C, (slice(1, None), 0))), ("get_item", (C, (Ellipsis, None, 1))),
    ("cast", (A, "int32")), ("cast", (A, "float64")), ("cast", (I32, "float32")),
    ("convert_to_tensor", ([1, 2],)), ("convert_to_tensor", ([1.0, 2.0],)),
    ("convert_to_tensor", (A,)), ("convert_to_tensor", (1.5,)),
    ("convert_to_tensor", ([1, 2],), {"dtype": "float32"}), ("convert_to_numpy", (A,)),
    ("zeros", ((2, 3),)), ("zeros", ((2,), "int32")), ("ones", ((2, 3),)), ("eye", (3,)),
    ("eye", (3, 4, 1)), ("eye", (3,), {"k": -1}), ("arange", (5,)), ("arange", (1, 7, 2)),
    ("arange", (0.5, 3)), ("arange", (5,), {"dtype": "float32"}), ("arange", (np.int64(5),)),
    ("one_hot", (np.array([0, 2, 1, -1, 5]), 3)), ("one_hot", (np.array([0, 2]), 3, 0)),
    ("one_hot", (np.array([[0, 2]]), 3), {"dtype": "int32"}),
    ("binary_crossentropy", (BOOL.astype(np.float32), np.clip(p32(2, 3) / 2, 0, 1))),
    ("binary_crossentropy", (BOOL.astype(np.float32), np.array([[0, 1, 0.5]] * 2, np.float32))),
    ("binary_crossentropy", (BOOL.astype(np.float32), A), {"from_logits": True}),
    ("categorical_crossentropy", (ONE_HOT, PROBS)),
    ("categorical_crossentropy", (ONE_HOT, np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 0]])),
    ("categorical_crossentropy", (ONE_HOT, f32(5, 4)), {"from_logits": True}),
    ("categorical_crossentropy", (np.moveaxis(PROBS[None], -1, 1), p32(1, 4, 5)), {"axis": 1}),
    ("sparse_categorical_crossentropy", (LABELS, PROBS)),
    ("sparse_categorical_crossentropy", (LABELS[:, None], f32(5, 4)), {"from_logits": True}),
]


# Python numbers are weak: they take the type of the array they meet.
WEAK_PARITY = [
    ("add", (A, 2.5)), ("add", (1, 2)), ("add", (1.5, 2)), ("multiply", (I64, 1.5)),
    ("subtract", (2.0, A)), ("divide", (A, 2.5)), ("power", (p32(2, 3), 0.5)),
    ("maximum", (A, 0.5)), ("where", (BOOL, A, 0.0)), ("exp", (1.0,)), ("sum", (2,)),
]


def _check_parity(keras_ops, name, args, kwargs):
    ours = getattr(ops, name)(*args, **kwargs)
    theirs = getattr(keras_ops, name)(*args, **kwargs)
    if name == "shape" or isinstance(theirs, tuple):
        assert tuple(ours) == tuple(theirs)
        return
    ours = ours if isinstance(ours, list) else [ours]
    theirs = theirs if isinstance(theirs, list) else [theirs]
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs):
        expected = keras_ops.convert_to_numpy(expected)
        assert np.asarray(mine).dtype.name == expected.dtype.name
        assert np.shape(mine) == expected.shape
        np.testing.assert_allclose(mine, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name, args, kwargs", [
    pytest.param(case[0], case[1], case[2] if len(case) > 2 else {}, id=f"{case[0]}-{i}")
    for i, case in enumerate(PARITY)])
def test_forward_matches_keras(keras_ops, name, args, kwargs):
    _check_parity(keras_ops, name, args, kwargs)


@pytest.mark.parametrize("name, args", [
    pytest.param(name, args, id=f"{name}-{i}")
    for i, (name, args) in enumerate(WEAK_PARITY)])
def test_python_numbers_are_weak_as_in_keras(keras_ops, name, args):
    _check_parity(keras_ops, name, args, {})


@pytest.mark.parametrize("op, args, dtype", [
    (Add(), (A, 2.5), "float32"), (Add(), (1, 2), "int32"), (Add(), (1.5, 2), "float32"),
    (Multiply(), (I64, 1.5), "float32"), (Divide(), (1, 2), "float32"),
    (Power(), (np.abs(A), 0.5), "float32"), (Where(), (BOOL, A, 0.0), "float32"),
    (Exp(), (1.0,), "float32"), (Sum(axis=None, keepdims=False), (2,), "int32"),
])
def test_ops_treat_python_numbers_weakly(op, args, dtype):
    assert op.forward(*args).dtype.name == dtype


def test_shape_is_a_tuple(keras_ops):
    assert ops.shape(C) == keras_ops.shape(C) == (2, 3, 4)


def test_signatures_match_keras(keras_ops):
    public = [n for n in ops.__all__ if n[0].islower() and n not in ("apply", "unbroadcast")]
    for name in public:
        ours = inspect.signature(getattr(ops, name)).parameters
        theirs = inspect.signature(getattr(keras_ops, name)).parameters
        assert [(p.name, p.default, p.kind) for p in ours.values()] == [
            (p.name, p.default, p.kind) for p in theirs.values()], name


# 3. Gradients at kinks: TensorFlow's choices ----------------------------------------------


def _tf_grads(fn, inputs):
    import tensorflow as tf

    variables = [tf.Variable(x) for x in inputs]
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(fn(*variables))
    return [np.asarray(g) for g in tape.gradient(total, variables)]


def _our_grads(op, inputs):
    out = op.forward(*inputs)
    return op.backward(np.ones_like(out), inputs, out)


def _v(*values):
    return np.array(values, np.float32)


KINKS = [
    ("abs at 0", Abs(), "abs", [_v(0, 1, -1)], {}),
    ("relu at 0", Relu(), "relu", [_v(0, 1, -1)], {}),
    ("sqrt at 0", Sqrt(), "sqrt", [_v(0, 1)], {}),
    ("maximum ties", Maximum(), "maximum", [_v(1, 2, 3), _v(1, 1, 4)], {}),
    ("minimum ties", Minimum(), "minimum", [_v(1, 2, 3), _v(1, 1, 4)], {}),
    ("max ties", Max(axis=1, keepdims=False, initial=None), "max",
     [np.array([[1, 3, 3], [2, 2, 2]], np.float32)], {"axis": 1}),
    ("max ties all", Max(axis=None, keepdims=False, initial=None), "max", [_v(1, 3, 3, 2)], {}),
    ("min ties", Min(axis=0, keepdims=True, initial=None), "min",
     [np.array([[1, 3], [1, 2]], np.float32)], {"axis": 0, "keepdims": True}),
    ("clip at the bounds", Clip(), "clip", [_v(0, 0.5, 1, 2, -1), _v(0, 0, 0, 0, 0),
                                            _v(1, 1, 1, 1, 1)], {}),
    ("power at 0 and below", Power(), "power", [_v(0, 1, 2, -1), _v(2, 2, 2, 2)], {}),
    ("prod with zeros", Prod(axis=None, keepdims=False, dtype=None), "prod", [_v(0, 2, 3)], {}),
    ("prod with two zeros", Prod(axis=None, keepdims=False, dtype=None), "prod",
     [_v(0, 0, 3)], {}),
    ("binary_crossentropy clipped", BinaryCrossentropy(from_logits=False), "binary_crossentropy",
     [_v(1, 0, 1, 0), _v(1, 0, 0.5, 1)], {}),
    ("categorical_crossentropy clipped", CategoricalCrossentropy(from_logits=False, axis=-1),
     "categorical_crossentropy", [np.array([[1, 0, 0]], np.float32),
                                  np.array([[1, 0, 0]], np.float32)], {}),
]


@pytest.mark.parametrize("op, name, inputs, kwargs", [
    pytest.param(op, name, inputs, kwargs, id=case) for case, op, name, inputs, kwargs in KINKS])
def test_gradients_at_kinks_match_tensorflow(keras_ops, op, name, inputs, kwargs):
    expected = _tf_grads(lambda *xs: getattr(keras_ops, name)(*xs, **kwargs), inputs)
    for mine, theirs in zip(_our_grads(op, inputs), expected):
        np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=1e-6)


def test_sparse_crossentropy_gradient_at_the_clip_matches_tensorflow(keras_ops):
    labels, output = np.array([0, 1]), np.array([[1, 0, 0], [0.2, 0.5, 0.3]], np.float32)
    op = SparseCategoricalCrossentropy(from_logits=False, axis=-1)
    expected = _tf_grads(lambda y: keras_ops.sparse_categorical_crossentropy(labels, y),
                         [output])
    np.testing.assert_allclose(_our_grads(op, [labels, output])[1], expected[0], atol=1e-6)


# 4. Errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("call, message", [
    (lambda: ops.matmul(np.ones((2, 3)), np.ones((4, 5))),
     r"matmul: shapes \(2, 3\) and \(4, 5\) do not match \(3 != 4\)"),
    (lambda: ops.dot(np.ones((2, 3)), np.ones((4, 5))), r"dot: shapes \(2, 3\) and \(4, 5\)"),
    (lambda: ops.reshape(np.ones((2, 3)), (4, 2)),
     r"reshape: cannot reshape an array of shape \(2, 3\) \(6 values\)"),
    (lambda: ops.sum(np.ones((2, 3)), axis=2),
     "sum: axis 2 is out of bounds for an array of 2 dimensions"),
    (lambda: ops.mean(np.ones((2, 3)), axis=(0, 0)), r"mean: repeated axis in \(0, 0\)"),
    (lambda: ops.softmax(np.ones((2, 3)), axis=-3), "softmax: axis -3 is out of bounds"),
    (lambda: ops.concatenate([np.ones((2, 3)), np.ones((3, 2))], axis=1),
     r"concatenate: cannot join arrays of shapes \(2, 3\), \(3, 2\) along axis 1"),
    (lambda: ops.stack([np.ones((2, 3)), np.ones((3, 2))]), "stack: arrays must have the same"),
    (lambda: ops.squeeze(np.ones((2, 3)), axis=1), "squeeze: cannot remove axis 1"),
    (lambda: ops.split(np.ones((2, 5)), 2, axis=1), "split: axis 1 of shape"),
    (lambda: ops.transpose(np.ones((2, 3)), (0, 0)), r"transpose: axes=\(0, 0\)"),
    (lambda: ops.expand_dims(np.ones((2, 3)), 4), "expand_dims: axis 4 is out of bounds"),
    (lambda: ops.einsum("ij,jk->ik", np.ones((2, 3))), "einsum: subscripts 'ij,jk->ik' name 2"),
    (lambda: ops.binary_crossentropy(np.ones(3), np.ones((3, 1))),
     r"binary_crossentropy: target and output must have the same shape"),
    (lambda: ops.sparse_categorical_crossentropy(np.array([0, 3]), np.ones((2, 3))),
     r"sparse_categorical_crossentropy: target holds labels from 0 to 3"),
    (lambda: ops.where(np.ones(3) > 0, np.ones(3)), "where: x1 and x2"),
])
def test_errors_name_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_take_out_of_range_names_the_op():
    with pytest.raises(IndexError, match="take: indices from 0 to 3 are out of range"):
        ops.take(np.ones((2, 3)), np.array([0, 3]), axis=1)


def test_results_are_arrays_even_when_0d():
    x = np.float32(0.5)
    results = [ops.exp(x), ops.add(x, x), ops.dot(x, x), ops.sum(np.ones(3)), ops.take(B, 0),
               ops.einsum("i,i", B, B), ops.matmul(B, B), ops.get_item(B, 0),
               ops.binary_crossentropy(x, x), ops.categorical_crossentropy(B, B)]
    assert all(isinstance(r, np.ndarray) and type(r.numpy()) is np.ndarray for r in results)


def test_errors_are_translated():
    from redes.i18n import set_language

    set_language("es")
    with pytest.raises(ValueError, match=r"matmul: las formas \(2, 3\) y \(4, 5\) no coinciden"):
        ops.matmul(np.ones((2, 3)), np.ones((4, 5)))
