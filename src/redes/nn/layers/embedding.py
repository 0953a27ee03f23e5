"""``Embedding``: turns token ids (whole numbers) into learned vectors.

A text becomes a sequence of token ids (``[12, 7, 391, 0, 0]``); an ``Embedding`` layer keeps
one row of ``output_dim`` numbers per id of the vocabulary and replaces every id by its row::

    embeddings: (input_dim, output_dim)      ids: (batch, timesteps)
    output[b, t] = embeddings[ids[b, t]]     output: (batch, timesteps, output_dim)

Looking up a row is the same as multiplying a one-hot vector by the matrix, so the gradient
of a row is the sum of the output gradients of every position that holds its id (rows of ids
that do not appear in the batch get 0). The ids themselves have no useful gradient.

With ``mask_zero=True`` the id 0 means "padding": the layer also gives a mask
(``compute_mask``) that tells the recurrent layer after it which steps to skip.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from .. import initializers, regularizers
from ..serialization import register, serialize
from .base import Layer


def pad_hint() -> str:
    """How to make sequences of one length, for the messages, in the current language."""
    return _("pad them to one length first with redes.data.pad_sequences(sequences, maxlen=...) "
             "(keras.utils.pad_sequences in Keras)")


def sequences_array(x, argument: str = "x") -> np.ndarray:
    """``x`` as a NumPy array, or a clear error for a ragged list of sequences.

    A list of sequences of different lengths cannot become one array; the error says so and
    points to ``pad_sequences``.
    """
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (list, tuple)) and x and all(
            hasattr(s, "__len__") and not isinstance(s, (str, bytes)) for s in x):
        lengths = sorted({len(s) for s in x})
        if len(lengths) > 1:
            raise ValueError(_(
                "{argument}: got {count} sequences of different lengths (from {shortest} "
                "to {longest}); a batch holds sequences of one length: {hint}"
            ).format(argument=argument, count=len(x), shortest=lengths[0],
                     longest=lengths[-1], hint=pad_hint()))
    try:
        array = np.asarray(x)
    except ValueError as exc:
        raise ValueError(_("{argument}: cannot make one array of it ({error}); for sequences "
                           "of different lengths, {hint}").format(
                               argument=argument, error=exc, hint=pad_hint())) from None
    if array.dtype == object:
        raise ValueError(_("{argument}: expected an array of numbers; for sequences of "
                           "different lengths, {hint}").format(argument=argument,
                                                                hint=pad_hint()))
    return array


def numeric_sequences(x, dtype) -> np.ndarray:
    """``sequences_array(x)`` of numbers, as ``dtype``; a clear error for other values."""
    x = sequences_array(x)
    if x.dtype.kind not in "biuf":
        raise ValueError(_("x: expected an array of numbers, got dtype {dtype}").format(
            dtype=x.dtype))
    return x.astype(dtype, copy=False)


@register("layer")
class Embedding(Layer):
    """Turns token ids (whole numbers in ``[0, input_dim)``) into vectors of ``output_dim``.

    Args:
        input_dim: size of the vocabulary: the largest id plus 1.
        output_dim: length of each vector.
        embeddings_initializer: defaults to ``"uniform"`` (uniform in [-0.05, 0.05], as in
            Keras). An array of shape ``(input_dim, output_dim)`` is used as it is (e.g.
            pretrained word vectors).
        embeddings_regularizer: penalty on the matrix; defaults to ``None``.
        mask_zero: whether the id 0 is padding, to be skipped by the recurrent layers that
            follow. Then no word may have the id 0. Defaults to ``False``.
        weights: optional initial matrix of shape ``(input_dim, output_dim)``; defaults to
            ``None``.

    Input: ids of any shape, e.g. ``(batch, timesteps)``, as integers (or floats holding
    whole numbers). Output: that shape plus ``output_dim``. The matrix ``embeddings`` has
    shape ``(input_dim, output_dim)``, as in Keras.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, mask_zero=False, weights=None, **kwargs):
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            warnings.warn(_("input_length: the argument is deprecated in Keras 3 and has no "
                            "effect; just remove it"), stacklevel=2)
        self.input_dim = check_positive_int("input_dim", input_dim)
        self.output_dim = check_positive_int("output_dim", output_dim)
        if not isinstance(mask_zero, (bool, np.bool_)):
            raise ValueError(_("mask_zero: expected True or False, got {value!r}").format(
                value=mask_zero))
        super().__init__(**kwargs)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if isinstance(weights, (list, tuple)) and len(weights) == 1:
            weights = weights[0]
        self._initial_weights = None
        if weights is not None:
            weights = np.asarray(weights)
            if weights.shape != (self.input_dim, self.output_dim):
                raise ValueError(_(
                    "weights: expected a matrix of shape ({input_dim}, {output_dim})"
                    " (input_dim, output_dim), got shape {shape}"
                ).format(input_dim=self.input_dim, output_dim=self.output_dim,
                         shape=weights.shape))
            self._initial_weights = weights

    def build(self, input_shape):
        self.embeddings = self._add_array(
            "embeddings", (self.input_dim, self.output_dim), self.embeddings_initializer,
            self.embeddings_regularizer)
        if self._initial_weights is not None:
            self.set_weights([self._initial_weights])

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def check_input(self, x):
        expected = self.input_shape
        if expected is not None and (x.ndim != len(expected) or any(
                e is not None and e != d for e, d in zip(expected[1:], x.shape[1:]))):
            if x.ndim == len(expected) + 1 and x.shape[-1] == self.input_dim:
                raise ValueError(_(
                    "x: Embedding {name!r} expects token ids of shape {expected}, got an array "
                    "of shape {shape} that looks one-hot encoded; pass the ids themselves "
                    "(np.argmax(x, axis=-1))"
                ).format(name=self.name, expected=expected, shape=tuple(x.shape)))
        super().check_input(x)

    def ids(self, x) -> np.ndarray:
        """The token ids in ``x`` as integers, or a clear error naming the first bad one."""
        x = sequences_array(x)
        if x.dtype.kind == "b" or x.dtype.kind not in "iuf":
            raise ValueError(_("x: Embedding {name!r} expects token ids (whole numbers), "
                               "got an array of dtype {dtype}").format(name=self.name,
                                                                       dtype=x.dtype))
        if x.dtype.kind == "f":
            whole = np.isfinite(x) & (x == np.round(x))
            if not whole.all():
                where = tuple(int(i) for i in np.argwhere(~whole)[0])
                raise ValueError(_(
                    "x: Embedding {name!r} expects token ids (whole numbers), got "
                    "{value:g} at index {index}"
                ).format(name=self.name, value=float(x[where]), index=where))
        if x.size:
            low, high = x.min(), x.max()
            if low < 0 or high >= self.input_dim:
                bad = low if low < 0 else high
                where = tuple(int(i) for i in np.argwhere(x == bad)[0])
                raise ValueError(_(
                    "x: token id {id} (at index {index}) is outside the vocabulary of "
                    "Embedding {name!r}: input_dim={input_dim} allows ids 0 to "
                    "{largest}; raise input_dim or map rare words to one id"
                ).format(id=int(bad), index=where, name=self.name, input_dim=self.input_dim,
                         largest=self.input_dim - 1))
        return x.astype(np.intp, copy=False)

    def convert_input(self, inputs):
        return sequences_array(inputs)   # token ids keep their integer type

    def call(self, x, training=False, mask=None):
        self.token_ids = self.ids(x)
        return np.take(self.embeddings, self.token_ids, axis=0)    # one row per id

    def backward(self, grad):
        d_embeddings = np.zeros_like(self.embeddings)
        # row k collects the output gradients of every position holding id k:
        # dL/dE[k] = sum over (b, t) with ids[b, t] == k of dL/dy[b, t]
        flat = (self.token_ids.reshape(-1, 1) * self.output_dim
                + np.arange(self.output_dim)).ravel()
        np.add.at(d_embeddings.reshape(-1), flat, grad.reshape(-1).astype(self.dtype, copy=False))
        self.grads = [d_embeddings]
        if not self.input_grad:
            return None
        return np.zeros(self.token_ids.shape, dtype=self.dtype)   # ids are steps: dL/dids = 0

    def compute_mask(self, inputs, mask=None):
        """``inputs != 0`` when ``mask_zero`` (True where a real token is), else ``None``."""
        if not self.mask_zero:
            return None
        return np.asarray(inputs) != 0

    def get_config(self):
        init = self.embeddings_initializer
        if isinstance(init, np.ndarray) or not (hasattr(init, "get_config")
                                                or hasattr(init, "__name__")):
            init = initializers.get("uniform")   # a given matrix is saved as the weights
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": serialize(init),
            "embeddings_regularizer": serialize(self.embeddings_regularizer),
            "mask_zero": self.mask_zero,
        }
