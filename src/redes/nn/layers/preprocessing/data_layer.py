"""What the preprocessing layers share: their inputs, batches for ``adapt``, one-hot codes.

A preprocessing layer turns raw data (numbers, categories, strings) into what a network
reads. Most of them have no weights that training changes: their state (a vocabulary, bin
boundaries, a mean) comes from ``adapt(data)`` or from their arguments, and is kept in their
config or in non-trainable weights, so that ``model.save`` keeps it.

Their inputs keep their type: strings stay strings (NumPy arrays of ``str``), integers stay
integers; they are not turned into floats as the inputs of other layers are. Their outputs
are indices (step functions of the input), so no gradient flows back through them: their
``backward`` returns ``None``.
"""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ..base import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def choice(value, options, argument: str):
    """``value`` if it is one of ``options``, otherwise a clear error."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(_("{argument}: expected one of {options}, got {value!r}").format(
            argument=argument, options=", ".join(repr(o) for o in options), value=value))
    return value


def whole(value, argument: str, low: int = 0, allow_none: bool = False):
    """``value`` as an int ``>= low`` (or ``None`` where allowed), otherwise a clear error."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(_("{argument}: expected an integer >= {low}, got {value!r}").format(
            argument=argument, low=low, value=value))
    return int(value)


def salt_pair(salt, argument: str = "salt"):
    """Keras' ``salt``: one integer (used twice) or two, as the key of the keyed hash."""
    if salt is None:
        return None
    if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    if isinstance(salt, (list, tuple)) and len(salt) == 2 and all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in salt):
        return [int(s) for s in salt]
    raise ValueError(_("{argument}: expected an integer or a pair of integers, got {value!r}")
                     .format(argument=argument, value=salt))


def as_strings(x, argument: str = "inputs") -> np.ndarray:
    """``x`` as a NumPy array of ``str`` (bytes are read as UTF-8)."""
    array = np.asarray(x)
    if array.dtype.kind == "U":
        return array
    if array.dtype.kind == "S":
        return np.char.decode(array, "utf-8")
    if array.dtype.kind == "O":
        flat = [v.decode("utf-8") if isinstance(v, bytes) else v for v in array.ravel()]
        if all(isinstance(v, str) for v in flat):
            return np.array(flat, dtype=str).reshape(array.shape)
    raise ValueError(_("{argument}: expected an array of strings, got dtype {dtype}").format(
        argument=argument, dtype=array.dtype))


def as_integers(x, argument: str = "inputs") -> np.ndarray:
    """``x`` as an array of int64 (floats must hold whole numbers)."""
    array = np.asarray(x)
    if array.dtype.kind in "iub":
        return array.astype(np.int64, copy=False)
    if array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array)):
        return array.astype(np.int64)
    raise ValueError(_("{argument}: expected an array of integers, got dtype {dtype}").format(
        argument=argument, dtype=array.dtype))


def batches(data, batch_size=None, steps=None, argument: str = "data", lists=False):
    """The batches ``adapt`` reads: one array as one batch (or cut in ``batch_size`` rows),
    an iterable of batches (the first ``steps`` of them when ``steps`` is given). A list is
    one array, or with ``lists=True`` a list of batches (as the numeric layers of Keras
    read it)."""
    batch_size = whole(batch_size, "batch_size", 1, allow_none=True)
    steps = whole(steps, "steps", 1, allow_none=True)
    one = (np.ndarray, str) if lists else (np.ndarray, list, tuple, str)
    if isinstance(data, one) or np.isscalar(data):
        array = np.asarray(data)
        if batch_size is None or array.ndim == 0:
            return [array]
        cut = [array[i:i + batch_size] for i in range(0, len(array), batch_size)]
        return cut[:steps] if steps is not None else cut
    if not hasattr(data, "__iter__"):
        raise TypeError(_("{argument}: expected an array or an iterable of batches, got {kind}")
                        .format(argument=argument, kind=type(data).__name__))
    out = []
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        out.append(np.asarray(batch[0] if isinstance(batch, tuple) else batch))
    if not out:
        raise ValueError(_("{argument}: the iterable gave no batches").format(argument=argument))
    return out


def encode(indices, output_mode: str, depth: int, dtype, count_weights=None) -> np.ndarray:
    """Indices in ``[0, depth)`` as Keras encodes them: ``"int"`` leaves them; ``"one_hot"``
    gives one row of ``depth`` per index (a last axis of size 1 is replaced); ``"multi_hot"``
    and ``"count"`` give one row per sample (the last axis: 1 where an index appears, or how
    many times; a 1-D input is one sample)."""
    if output_mode == "int":
        return indices
    indices = np.asarray(indices)
    if indices.ndim == 0:
        indices = indices[None]
    if np.any((indices < 0) | (indices >= depth)):
        bad = indices[(indices < 0) | (indices >= depth)].ravel()[0]
        raise ValueError(_("inputs: expected indices in [0, {depth}), got {value}").format(
            depth=depth, value=bad))
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        return (indices[..., None] == np.arange(depth)).astype(dtype)
    rows = indices.reshape(-1, indices.shape[-1])
    out = np.zeros((len(rows), depth), dtype=np.float64)
    sample = np.repeat(np.arange(len(rows)), rows.shape[1])
    weights = 1.0 if count_weights is None else np.asarray(count_weights).reshape(-1)
    np.add.at(out, (sample, rows.ravel()), weights)
    if output_mode == "multi_hot":
        out = (out > 0).astype(np.float64)
    return out.reshape((*indices.shape[:-1], depth)).astype(dtype)


def encoded_shape(input_shape, output_mode: str, depth) -> tuple:
    """The output shape that ``encode`` gives for inputs of ``input_shape``."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return (*input_shape[:-1], depth)
        return (*input_shape, depth)
    return (*input_shape[:-1], depth)


class DataLayer(Layer):
    """Base of the preprocessing layers: inputs keep their type, no gradient flows back.

    ``input_kind`` says what the layer reads: ``"float"`` (numbers as the layer's dtype),
    ``"int"``, ``"string"`` or ``"any"`` (numbers or strings, as given).
    """

    input_kind = "any"

    def convert_input(self, inputs):
        if self.input_kind == "float":
            return np.asarray(inputs, dtype=self.dtype)
        array = np.asarray(inputs)
        if self.input_kind == "string" or array.dtype.kind in "USO":
            return as_strings(array) if self.input_kind != "int" else as_integers(array)
        if self.input_kind == "int":
            return as_integers(array)
        return array

    def check_input(self, x) -> None:
        # a layer without weights takes any shape (texts as (batch,) or (batch, 1)...)
        if self._variables:
            super().check_input(x)

    def forward(self, x, training, mask=None):
        # inside a model the inputs arrive as the model's arrays (texts as objects)
        return super().forward(self.convert_input(x), training, mask)

    def output_dtype(self):
        """The dtype of the outputs (indices are integers, codes are floats)."""
        return self.dtype

    def compute_output_spec(self, inputs) -> list:
        return [(tuple(self.compute_output_shape(inputs.shape)), np.dtype(self.output_dtype()))]

    def backward(self, grad):
        # the outputs are indices or codes, step functions of the inputs: their derivative
        # is 0 wherever it exists, and the inputs (tokens, categories) are data
        self.grads = []
        return None
