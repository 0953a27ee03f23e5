"""``MultiHeadAttention``: each position of the query looks at every position of the value.

Attention in one head, for a query sequence of T positions and a value sequence of S::

    q = query @ Wq + bq          (T, key_dim)      what each query position looks for
    k = key   @ Wk + bk          (S, key_dim)      what each value position offers
    v = value @ Wv + bv          (S, value_dim)    what it gives when chosen
    s = q k^T / sqrt(key_dim)    (T, S)            how well query t matches position s
    p = softmax(s) over S        (T, S)            each row sums to 1 (masked entries: 0)
    c = p v                      (T, value_dim)    a weighted average of the values

``num_heads`` heads do this side by side with weights of their own, and the output layer
mixes their results: ``out = sum over heads of c_h @ Wo_h + bo``. The weights have Keras'
names, shapes and order: ``query/kernel`` (dim, heads, key_dim), ``query/bias`` (heads,
key_dim), the same for ``key`` and ``value`` (value_dim), then ``attention_output/kernel``
(heads, value_dim, out_dim) and ``attention_output/bias`` (out_dim,).

A mask says which (t, s) pairs may attend (True) and which not; it combines, with a logical
AND as in Keras: ``attention_mask`` (batch, T, S), the causal mask (``use_causal_mask``:
position t sees s <= t) and the padding masks of the query and of the value (and key) that
``Embedding(mask_zero=True)`` makes. The scores of masked pairs are set to -1e9 before the
softmax, so they get probability 0. A query position with nothing to attend to (a padded
one) gets, as in Keras 3, probabilities 0 when the scores are returned or dropout is on,
and otherwise equal ones (the mean of the values): Keras takes two paths there.
"""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from .. import backend, constraints, initializers, regularizers
from ..graph import KerasTensor, is_symbolic
from ..serialization import register, serialize
from .attention_math import (
    attention_backward,
    attention_forward,
    combine_masks,
    project,
    project_backward,
)
from .base import Layer

_PROJECTIONS = ("query", "key", "value", "attention_output")
_CALL_OPTIONS = ("key", "attention_mask", "use_causal_mask", "return_attention_scores")


def _positive(value, argument, allow_none=False):
    if allow_none and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(_("{argument}: expected a positive integer, got {value!r}").format(
            argument=argument, value=value))
    return int(value)


def _output_shape_arg(value):
    if value is None:
        return None
    shape = (value,) if isinstance(value, (int, np.integer)) else value
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if shape is None or len(shape) != 1:
        raise ValueError(_(
            "output_shape: redes supports None or one positive integer (the size of the last "
            "axis of the output), got {value!r}").format(value=value))
    return (_positive(shape[0], "output_shape"),)


def _attention_axes_arg(value):
    axes = (value,) if isinstance(value, (int, np.integer)) else value
    if axes is None or (isinstance(axes, (list, tuple)) and tuple(axes) in ((1,), (-2,))):
        return None
    raise ValueError(_(
        "attention_axes: redes supports only attention over the steps of inputs shaped "
        "(batch, steps, features), attention_axes=None (the default); got {value!r}"
    ).format(value=value))


@register("layer")
class MultiHeadAttention(Layer):
    """Multi-head (scaled dot-product) attention, as ``keras.layers.MultiHeadAttention``.

    Call it as ``mha(query, value, key=None, attention_mask=None,
    return_attention_scores=False, training=None, use_causal_mask=False)`` on arrays or
    tensors of shape (batch, steps, features): ``mha(x, x)`` is self-attention. The output
    has the query's shape, with ``output_shape`` features if given; with
    ``return_attention_scores=True`` the call also returns the probabilities ``p``, of shape
    (batch, num_heads, T, S).

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head's query and key vectors.
        value_dim: size of each head's value vectors. Defaults to ``None``: ``key_dim``.
        dropout: fraction of the attention probabilities dropped in training. Defaults
            to 0.0.
        use_bias: whether the four projections add a bias. Defaults to ``True``.
        output_shape: size of the output's last axis. Defaults to ``None``: the query's.
        attention_axes: only ``None`` (the default: attention over the steps) is supported.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer: penalties added to the loss; default ``None``.
        kernel_constraint, bias_constraint: applied after each update; default ``None``.
        seed: seed of the dropout; ``None`` (default) uses the engine's generator.

    A layer object remembers how it was called in a model (with a key, a mask, causal or
    not, scores returned or not; its config keeps that as ``call_options`` for a saved
    model); a layer shared between several calls of a model must be called the same way.
    """

    supports_masking = True

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, seed=None, **kwargs):
        self.num_heads = _positive(num_heads, "num_heads")
        self.key_dim = _positive(key_dim, "key_dim")
        self.value_dim = _positive(value_dim, "value_dim", allow_none=True) or self.key_dim
        number = (int, float, np.integer, np.floating)
        if isinstance(dropout, bool) or not isinstance(dropout, number) or not 0 <= dropout < 1:
            raise ValueError(_("dropout: expected a number in [0, 1), got {value!r}").format(
                value=dropout))
        seed = backend.check_seed(seed)
        call_options = kwargs.pop("call_options", None)
        super().__init__(**kwargs)
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        self.output_shape_arg = _output_shape_arg(output_shape)
        self.attention_axes = _attention_axes_arg(attention_axes)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._rng = backend.rng(seed) if seed is not None else None
        # how the call recorded in a model was made (a saved model's config keeps it)
        self._options = None if call_options is None else tuple(
            bool(call_options.get(name)) for name in _CALL_OPTIONS)

    # ------------------------------------------------------------------ calling
    def __call__(self, query, value=None, key=None, attention_mask=None,
                 return_attention_scores=False, training=None, use_causal_mask=False,
                 mask=None):
        if value is None and isinstance(query, (list, tuple)) and self._options:
            inputs, options = list(query), self._options    # a loaded model's node
        elif value is None:
            raise TypeError(_(
                "value: MultiHeadAttention {name!r} needs a value: mha(query, value), e.g. "
                "mha(x, x) for self-attention").format(name=self.name))
        else:
            inputs = [query, value] + ([key] if key is not None else [])
            if attention_mask is not None:
                inputs.append(attention_mask)
            options = (key is not None, attention_mask is not None, bool(use_causal_mask),
                       bool(return_attention_scores))
        on_tape = next((t.tape for t in inputs if isinstance(t, KerasTensor)
                        and t.value is not None), None)
        symbolic = is_symbolic(inputs) and on_tape is None
        if on_tape is not None:      # inside a layer's call that is being recorded
            inputs = [t if isinstance(t, KerasTensor) else KerasTensor(
                np.shape(t), np.asarray(t).dtype, value=np.asarray(t), tape=on_tape)
                for t in inputs]
        if symbolic:
            self._check_symbolic(inputs, options)
        previous, self._options = self._options, options
        try:
            return super().__call__(inputs, training=training, mask=mask)
        finally:
            if not symbolic:          # a model's graph keeps the options of its call
                self._options = previous

    def _check_symbolic(self, inputs, options):
        if not all(is_symbolic(t) for t in inputs):
            raise TypeError(_(
                "attention_mask: MultiHeadAttention {name!r} was called on symbolic tensors "
                "with a mask that is an array; give the mask as a keras.Input too (or call "
                "the layer on arrays)").format(name=self.name))
        if self._options is not None and self._options != options:
            raise ValueError(_(
                "key, attention_mask, use_causal_mask, return_attention_scores: "
                "MultiHeadAttention {name!r} is called in a model in two different ways; call "
                "it the same way each time, or use one layer per way").format(name=self.name))

    def _unpack(self, inputs):
        has_key, has_mask, causal, scores = self._options or (False, False, False, False)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if has_key else None
        attention_mask = inputs[-1] if has_mask else None
        return query, value, key, attention_mask, causal, scores

    def convert_input(self, inputs):
        has_mask = (self._options or (False, False))[1]
        arrays = [np.asarray(x) for x in inputs]
        tensors = arrays[:-1] if has_mask else arrays
        converted = [x.astype(self.dtype, copy=False) for x in tensors]
        return converted + (arrays[-1:] if has_mask else [])

    def check_input(self, x):
        query, value, key, attention_mask, *_rest = self._unpack(x)
        shapes = [t.shape for t in (query, value, key) if t is not None]
        built = self.input_shape
        for t, name, expected in zip((query, value, key), ("query", "value", "key"), built):
            if t is None:
                continue
            if len(t.shape) != 3 or (expected[-1] is not None and t.shape[-1] != expected[-1]):
                raise ValueError(_(
                    "{argument}: MultiHeadAttention {name!r} expects a tensor of shape "
                    "(batch, steps, {features}), got shape {shape}").format(
                        argument=name, name=self.name, features=expected[-1],
                        shape=tuple(t.shape)))
        if key is not None and key.shape[:2] != value.shape[:2]:
            raise ValueError(_(
                "key: MultiHeadAttention {name!r} needs a key with the batch and steps of the "
                "value {value}, got shape {shape}").format(
                    name=self.name, value=tuple(value.shape), shape=tuple(key.shape)))
        if query.shape[0] is not None and value.shape[0] is not None and \
                query.shape[0] != value.shape[0]:
            raise ValueError(_(
                "value: MultiHeadAttention {name!r} needs query and value of one batch size, "
                "got shapes {shapes}").format(name=self.name, shapes=shapes))

    # ----------------------------------------------------------------- building
    def build(self, input_shape):
        query_shape, value_shape, key_shape, *_rest = self._unpack(list(input_shape))
        for shape, name in zip((query_shape, value_shape, key_shape), ("query", "value", "key")):
            if shape is not None and (len(shape) != 3 or shape[-1] is None):
                raise ValueError(_(
                    "{argument}: MultiHeadAttention {name!r} expects inputs of shape (batch, "
                    "steps, features) with a known number of features, got {shape}").format(
                        argument=name, name=self.name, shape=tuple(shape)))
        key_shape = value_shape if key_shape is None else key_shape
        heads, out_dim = self.num_heads, self._out_dim(query_shape)
        sizes = {"query": (query_shape[-1], heads, self.key_dim),
                 "key": (key_shape[-1], heads, self.key_dim),
                 "value": (value_shape[-1], heads, self.value_dim),
                 "attention_output": (heads, self.value_dim, out_dim)}
        for name in _PROJECTIONS:
            kernel = self._add_array(f"{name}/kernel", sizes[name], self.kernel_initializer,
                                     self.kernel_regularizer, constraint=self.kernel_constraint)
            setattr(self, f"{name}_kernel", kernel)
            if self.use_bias:
                shape = (out_dim,) if name == "attention_output" else sizes[name][1:]
                bias = self._add_array(f"{name}/bias", shape, self.bias_initializer,
                                       self.bias_regularizer, constraint=self.bias_constraint)
                setattr(self, f"{name}_bias", bias)

    def _out_dim(self, query_shape):
        return self.output_shape_arg[0] if self.output_shape_arg else query_shape[-1]

    def compute_output_shape(self, input_shape):
        query_shape = input_shape[0]
        return (*query_shape[:-1], self._out_dim(query_shape))

    def compute_output_spec(self, inputs):
        query, value, _key, _mask, _causal, scores = self._unpack(inputs)
        out = [(tuple(self.compute_output_shape([query.shape])), self.dtype)]
        if scores:
            out.append(((query.shape[0], self.num_heads, query.shape[1], value.shape[1]),
                        self.dtype))
        return out

    def compute_mask(self, inputs, mask=None):
        """As in Keras, the output keeps the query's padding mask."""
        return mask[0] if isinstance(mask, (list, tuple)) else None

    # ------------------------------------------------------------ forward, backward
    def _bias(self, name):
        return getattr(self, f"{name}_bias") if self.use_bias else None

    def call(self, inputs, training=False, mask=None):
        query, value, key, attention_mask, causal, scores = self._unpack(inputs)
        key_given = key is not None
        key = value if key is None else key
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        allowed = combine_masks(
            query.shape[0], query.shape[1], value.shape[1], query_mask=masks[0],
            value_mask=masks[1], key_mask=masks[2] if key_given else None,
            attention_mask=attention_mask, causal=causal, who=self.name)
        q = project(query, self.query_kernel, self._bias("query"))       # (B, T, H, dk)
        k = project(key, self.key_kernel, self._bias("key"))             # (B, S, H, dk)
        v = project(value, self.value_kernel, self._bias("value"))       # (B, S, H, dv)
        keep = None
        if training and self.dropout > 0:
            rng = self._rng or backend.rng()
            shape = (query.shape[0], self.num_heads, query.shape[1], value.shape[1])
            keep = (rng.random(shape, dtype=np.float32) >= self.dropout).astype(q.dtype)
            keep *= q.dtype.type(1 / (1 - self.dropout))
        scale = 1 / math.sqrt(self.key_dim)
        # Keras 3 takes two paths: with the scores returned or dropout on, a query with
        # nothing to attend to gets probabilities 0; otherwise (its fused attention) 1 / S
        zero_empty = scores or self.dropout > 0
        p, context, self._attention = attention_forward(q, k, v, scale, allowed, keep,
                                                         zero_empty)
        out = np.tensordot(context, self.attention_output_kernel, axes=2)  # (B, T, out)
        if self.use_bias:
            out += self.attention_output_bias
        self._saved = (query, key, value, key_given, attention_mask is not None, context)
        return [out, p] if scores else out

    def backward(self, grad):
        g, g_scores = (grad + [None])[:2] if isinstance(grad, list) else (grad, None)
        query, key, value, key_given, mask_given, context = self._saved
        wo = self.attention_output_kernel
        if g is None:
            g = np.zeros((*context.shape[:2], wo.shape[-1]), dtype=context.dtype)
        # out = sum over (h, j) of context[b, t, h, j] Wo[h, j, o] + bo
        d_wo = np.tensordot(context, g, axes=([0, 1], [0, 1]))   # dL/dWo = context^T dL/dout
        d_context = np.tensordot(g, wo, axes=([2], [2]))          # dL/dcontext = dL/dout Wo^T
        dq, dk, dv = attention_backward(self._attention, d_context, g_scores)
        grads, inputs = {}, {}
        for name, x, d in (("query", query, dq), ("key", key, dk), ("value", value, dv)):
            grads[name], inputs[name] = project_backward(
                x, getattr(self, f"{name}_kernel"), d, self.use_bias)
        if self.use_bias:
            # the key's bias adds q_t . bk to every score of row t, a shift that softmax
            # ignores: dL/dbk = sum_t q_t (sum_s dL/ds_ts) = 0 exactly (computed, it would
            # be rounding noise, which Adam would blow up into steps of lr)
            grads["key"][1] = np.zeros_like(self.key_bias)
        grads["attention_output"] = [d_wo] + ([g.sum(axis=(0, 1))] if self.use_bias else [])
        self.grads = [w for name in _PROJECTIONS for w in grads[name]]
        if not self.input_grad:
            return None
        dx = [inputs["query"], inputs["value"]]
        if key_given:
            dx.append(inputs["key"])
        else:                          # the value was also the key: both paths add up
            dx[1] = dx[1] + inputs["key"]
        return dx + [None] if mask_given else dx       # a mask has no gradient

    # ------------------------------------------------------------------ config
    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "output_shape": None if self.output_shape_arg is None else list(
                self.output_shape_arg),
            "attention_axes": None,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "seed": self.seed,
            **({} if self._options is None else {
                "call_options": dict(zip(_CALL_OPTIONS, self._options))}),
        }
