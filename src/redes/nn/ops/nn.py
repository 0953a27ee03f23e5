"""Activations, one-hot encoding and the crossentropies of ``keras.ops``.

The crossentropies give one value per sample, without averaging (``keras.losses`` averages
them). They follow the formulas of Keras' TensorFlow backend exactly:

* from probabilities, the output is clipped to ``[epsilon, 1 - epsilon]`` (epsilon = 1e-7)
  before its log; ``categorical_crossentropy`` first divides it by its sum along ``axis``,
  ``sparse_categorical_crossentropy`` clips first and then normalizes through a softmax of
  the logs;
* from logits, they use the stable forms ``max(z, 0) - z t + log(1 + e^-|z|)`` (binary)
  and ``-sum(t * log_softmax(z))`` (categorical).

Clipping has gradient 1 inside ``[epsilon, 1 - epsilon]`` (bounds included) and 0 outside,
as TensorFlow's ``clip_by_value``.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from .base import Op, apply
from .common import as_array, check_axes, check_axis, input_grad, to_float


class Relu(Op):
    name = "relu"

    def forward(self, x):
        return np.asarray(np.maximum(as_array(x), 0))

    def backward(self, grad, inputs, out):
        return [input_grad(grad * (inputs[0] > 0), inputs[0])]  # d relu/dx = [x > 0], 0 at 0


class Sigmoid(Op):
    name = "sigmoid"

    def forward(self, x):
        return np.asarray(np.exp(-np.logaddexp(0, -to_float(x))))  # 1 / (1 + e^-x), stable

    def backward(self, grad, inputs, out):
        return [input_grad(grad * out * (1 - out), inputs[0])]  # d sigmoid/dx = s (1 - s)


class Tanh(Op):
    name = "tanh"

    def forward(self, x):
        return np.asarray(np.tanh(to_float(x)))

    def backward(self, grad, inputs, out):
        return [input_grad(grad * (1 - out * out), inputs[0])]  # d tanh/dx = 1 - tanh^2


class Softmax(Op):
    """``e^x / sum(e^x)`` along ``axis`` (an int or a tuple of ints)."""

    name = "softmax"

    def forward(self, x):
        x = to_float(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        e = np.exp(x - x.max(axis=axes, keepdims=True))
        return e / e.sum(axis=axes, keepdims=True)

    def backward(self, grad, inputs, out):
        axes = check_axes(self.name, self.axis, out.ndim)
        inner = np.sum(grad * out, axis=axes, keepdims=True)
        return [input_grad(out * (grad - inner), inputs[0])]  # ds_i/dx_j = s_i (d_ij - s_j)


class Activation(Op):
    """A function of ``keras.activations``, by name and with its parameters, as an op: its
    forward is the function and its derivative the function's own ``backward``. It is what
    ``keras.activations.gelu(x)`` records on the tensors of a graph or of a layer's call."""

    def __init__(self, activation: str, **params):
        super().__init__(activation=activation, **params)
        self.name = activation
        self.params = params

    def _function(self):
        from .. import activations

        return activations.get(self.activation)

    def forward(self, x):
        return np.asarray(self._function()(to_float(x), **self.params))

    def backward(self, grad, inputs, out):
        x = to_float(inputs[0])
        return [input_grad(self._function().backward(grad, x, out, **self.params), inputs[0])]


class LogSoftmax(Op):
    """``x - log(sum(e^x))`` along ``axis`` (an int or a tuple of ints)."""

    name = "log_softmax"

    def forward(self, x):
        x = to_float(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        shifted = x - x.max(axis=axes, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=axes, keepdims=True))

    def backward(self, grad, inputs, out):
        axes = check_axes(self.name, self.axis, out.ndim)
        total = np.sum(grad, axis=axes, keepdims=True)
        return [input_grad(grad - np.exp(out) * total, inputs[0])]  # d ls_i/dx_j = d_ij - s_j


class OneHot(Op):
    """A 1 at each integer's position along a new axis ``axis`` of size ``num_classes``;
    negative or too large integers give a row of zeros (as in TensorFlow). No gradient."""

    name = "one_hot"

    def forward(self, x):
        x = as_array(x).astype(np.int64)
        axis = check_axis(self.name, self.axis, x.ndim + 1)
        hot = x[..., None] == np.arange(self.num_classes)
        return np.moveaxis(hot, -1, axis).astype(self.dtype or backend.floatx())

    def backward(self, grad, inputs, out):
        return [None]  # integers have no gradient


def _same_shape(op, target, output):
    if target.shape != output.shape:
        raise ValueError(_(
            "{op}: target and output must have the same shape, got target.shape={target} and "
            "output.shape={output}"
        ).format(op=op, target=target.shape, output=output.shape))


def _clipped(output):
    """``output`` clipped to ``[epsilon, 1 - epsilon]``, and where the clip lets the gradient
    through."""
    eps = backend.epsilon()
    return np.clip(output, eps, 1 - eps), (output >= eps) & (output <= 1 - eps)


class BinaryCrossentropy(Op):
    """``-(t log(o) + (1 - t) log(1 - o))`` elementwise, for a target ``t`` and an output
    ``o`` of the same shape."""

    name = "binary_crossentropy"

    def forward(self, target, output):
        output = to_float(output)
        target = as_array(target).astype(output.dtype)
        _same_shape(self.name, target, output)
        if self.from_logits:
            z = output
            return np.asarray(np.maximum(z, 0) - z * target + np.log1p(np.exp(-np.abs(z))))
        o, _inside = _clipped(output)
        return np.asarray(-(target * np.log(o) + (1 - target) * np.log(1 - o)))

    def backward(self, grad, inputs, out):
        target, output = inputs
        output = to_float(output)
        t = as_array(target).astype(output.dtype)
        if self.from_logits:
            s = np.exp(-np.logaddexp(0, -output))  # sigmoid(z)
            do, dt = grad * (s - t), grad * -output  # dL/dz = sigmoid(z) - t, dL/dt = -z
        else:
            o, inside = _clipped(output)
            do = grad * (-t / o + (1 - t) / (1 - o)) * inside  # dL/do = -t/o + (1-t)/(1-o)
            dt = grad * (np.log(1 - o) - np.log(o))  # dL/dt = log(1 - o) - log(o)
        return [input_grad(dt, target), input_grad(do, inputs[1])]


class CategoricalCrossentropy(Op):
    """``-sum(t * log(o))`` along ``axis``, for a target ``t`` (one-hot or probabilities)
    and an output ``o`` of the same shape."""

    name = "categorical_crossentropy"

    def forward(self, target, output):
        output = to_float(output)
        target = as_array(target).astype(output.dtype)
        if output.ndim < 1:
            raise ValueError(_("{op}: target and output must have at least 1 dimension, got "
                               "output.shape={shape}").format(op=self.name, shape=output.shape))
        _same_shape(self.name, target, output)
        check_axis(self.name, self.axis, output.ndim)
        log_p = self._log_probabilities(output)
        return np.asarray(-np.sum(target * log_p, axis=self.axis))

    def _log_probabilities(self, output):
        if self.from_logits:
            z = output - output.max(axis=self.axis, keepdims=True)
            return z - np.log(np.exp(z).sum(axis=self.axis, keepdims=True))  # log_softmax
        p = output / output.sum(axis=self.axis, keepdims=True)
        return np.log(_clipped(p)[0])

    def backward(self, grad, inputs, out):
        target, output = inputs
        output = to_float(output)
        t = as_array(target).astype(output.dtype)
        grad = np.expand_dims(grad, self.axis)
        log_p = self._log_probabilities(output)
        dt = -grad * log_p  # dL/dt = -log(p)
        if self.from_logits:
            soft = np.exp(log_p)
            do = grad * (soft * t.sum(axis=self.axis, keepdims=True) - t)  # dL/dz = s sum(t) - t
        else:
            total = output.sum(axis=self.axis, keepdims=True)
            p = output / total
            q, inside = _clipped(p)
            dp = -t / q * inside  # dL/dp = -t/p where the clip lets it through
            inner = np.sum(dp * p, axis=self.axis, keepdims=True)
            do = grad * (dp - inner) / total  # p = o / sum(o): dp_j/do_k = (d_jk - p_j) / sum(o)
        return [input_grad(dt, target), input_grad(do, inputs[1])]


class SparseCategoricalCrossentropy(Op):
    """``-log(o[t])``: the categorical crossentropy for integer targets ``t`` (the class of
    each sample), over the last axis of the output."""

    name = "sparse_categorical_crossentropy"

    def forward(self, target, output):
        log_p = self._log_probabilities(output)
        target = self._labels(target, log_p.shape)
        return np.asarray(-np.take_along_axis(log_p, target[..., None], axis=-1)[..., 0])

    def _labels(self, target, shape):
        if self.axis not in (-1, len(shape) - 1):
            raise ValueError(_("{op}: only axis=-1 is supported, got axis={axis}").format(
                op=self.name, axis=self.axis))
        target = as_array(target).astype(np.int64)
        if target.ndim == len(shape) and target.shape[-1:] == (1,):
            target = target[..., 0]
        if target.shape != shape[:-1]:
            raise ValueError(_(
                "{op}: target.shape must be output.shape without its last axis, got "
                "target.shape={target} and output.shape={output}"
            ).format(op=self.name, target=target.shape, output=shape))
        if target.size and (target.min() < 0 or target.max() >= shape[-1]):
            raise ValueError(_(
                "{op}: target holds labels from {low} to {high}, expected labels in [0, {n})"
            ).format(op=self.name, low=target.min(), high=target.max(), n=shape[-1]))
        return target

    def _log_probabilities(self, output):
        output = to_float(output)
        if output.ndim < 1:
            raise ValueError(_("{op}: output must have at least 1 dimension, got "
                               "output.shape={shape}").format(op=self.name, shape=output.shape))
        z = output if self.from_logits else np.log(_clipped(output)[0])  # logits
        z = z - z.max(axis=-1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # log_softmax(z)

    def backward(self, grad, inputs, out):
        target, output = inputs
        output = to_float(output)
        log_p = self._log_probabilities(output)
        hot = np.arange(log_p.shape[-1]) == self._labels(target, log_p.shape)[..., None]
        dz = grad[..., None] * (np.exp(log_p) - hot)  # dL/dz = softmax(z) - onehot(t)
        if not self.from_logits:
            c, inside = _clipped(output)
            dz = dz / c * inside  # z = log(c): dz/dc = 1/c, where the clip lets it through
        return [None, input_grad(dz, inputs[1])]


class LossOp(Op):
    """A loss object (``keras.losses``) called on tensors: its value, and for ``y_pred`` the
    gradient the loss itself computes."""

    name = "loss"

    def forward(self, y_true, y_pred, sample_weight=None):
        value = self.loss.loss_and_grad(y_true, y_pred, sample_weight, need_grad=False)[0]
        return np.asarray(value, dtype=np.asarray(y_pred).dtype)

    def backward(self, grad, inputs, out):
        y_true, y_pred, *weights = inputs
        _loss, d = self.loss.loss_and_grad(y_true, y_pred, *weights, need_grad=True)
        return [None, grad * d] + [None] * len(weights)   # dL/dy_pred = upstream * loss'


# The functions of keras.ops --------------------------------------------------------------


def relu(x):
    """``max(x, 0)``."""
    return apply(Relu(), x)


def sigmoid(x):
    """``1 / (1 + e ** -x)``."""
    return apply(Sigmoid(), x)


def tanh(x):
    """The hyperbolic tangent of ``x``."""
    return apply(Tanh(), x)


def softmax(x, axis=-1):
    """``e ** x / sum(e ** x)`` along ``axis`` (default -1, the last)."""
    return apply(Softmax(axis=axis), x)


def log_softmax(x, axis=-1):
    """``log(softmax(x))`` along ``axis`` (default -1), computed without overflow."""
    return apply(LogSoftmax(axis=axis), x)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Integers ``x`` as one-hot vectors of ``num_classes`` along a new ``axis`` (default -1),
    of ``dtype`` (default ``floatx``). ``sparse`` is accepted for Keras' signature; the result
    is always a dense array."""
    return apply(OneHot(num_classes=num_classes, axis=axis, dtype=dtype), x)


def binary_crossentropy(target, output, from_logits=False):
    """The binary crossentropy of each value (no averaging); ``output`` holds probabilities
    unless ``from_logits=True`` (default False)."""
    return apply(BinaryCrossentropy(from_logits=from_logits), target, output)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """The crossentropy of each sample along ``axis`` (default -1), for one-hot or probability
    targets; ``output`` holds probabilities unless ``from_logits=True`` (default False)."""
    return apply(CategoricalCrossentropy(from_logits=from_logits, axis=axis), target, output)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """The crossentropy of each sample for integer targets (class indices); ``output`` holds
    probabilities unless ``from_logits=True`` (default False); only ``axis=-1`` is
    supported."""
    op = SparseCategoricalCrossentropy(from_logits=from_logits, axis=axis)
    return apply(op, target, output)
