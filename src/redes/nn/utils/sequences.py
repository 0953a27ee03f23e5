"""``to_categorical`` and ``pad_sequences``: labels and word sequences as the arrays a network
takes, as ``keras.utils`` gives them."""

from __future__ import annotations

import numpy as np

from ..._base.checks import as_int_array, check_choice, check_dtype, check_int
from ...i18n import _


def to_categorical(y, num_classes=None, dtype="float32") -> np.ndarray:
    """One-hot encode integer labels, as ``keras.utils.to_categorical``.

    ``[0, 2] -> [[1, 0, 0], [0, 0, 1]]``. The output has shape ``y.shape + (num_classes,)``,
    except that a trailing axis of size 1 (labels shaped ``(n, 1)``) is dropped first.

    Args:
        y: integer labels from 0 to ``num_classes - 1``.
        num_classes: number of classes. Defaults to ``None`` (``max(y) + 1``).
        dtype: dtype of the output. Defaults to ``"float32"`` (Keras gives float64).

    Returns:
        The one-hot array.
    """
    y = as_int_array("y", y)
    shape = y.shape[:-1] if y.ndim > 1 and y.shape[-1] == 1 else y.shape
    flat = y.reshape(-1)
    if flat.size and flat.min() < 0:
        raise ValueError(_("y: class labels must be >= 0, got {value}").format(
            value=int(flat.min())))
    if num_classes is None:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    num_classes = check_int("num_classes", num_classes, 1 if flat.size else 0)
    if flat.size and flat.max() >= num_classes:
        raise ValueError(_("num_classes: got {value}, but y holds the label {label}").format(
            value=num_classes, label=int(flat.max())))
    out = np.zeros((flat.size, num_classes), dtype=check_dtype("dtype", dtype, "fiu"))
    out[np.arange(flat.size), flat] = 1
    return out.reshape(*shape, num_classes)


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
) -> np.ndarray:
    """Pad (or cut) sequences to one length, as ``keras.utils.pad_sequences``.

    Sequences shorter than ``maxlen`` are filled with ``value``; longer ones lose elements.
    ``padding`` and ``truncating`` say on which side, ``"pre"`` (the start) or ``"post"``
    (the end).

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2)
        array([[0, 1], [2, 3], [5, 6]], dtype=int32)

    Args:
        sequences: a list of sequences; each element of a sequence is a number or an array
            of one fixed shape.
        maxlen: the length of the output. Defaults to ``None`` (the longest sequence).
        dtype: dtype of the output. Defaults to ``"int32"``.
        padding: ``"pre"`` or ``"post"``. Defaults to ``"pre"``.
        truncating: ``"pre"`` or ``"post"``. Defaults to ``"pre"``.
        value: the padding value. Defaults to ``0.0``.

    Returns:
        An array of shape ``(len(sequences), maxlen)`` plus the element shape.
    """
    check_choice("padding", padding, ("pre", "post"))
    check_choice("truncating", truncating, ("pre", "post"))
    maxlen = check_int("maxlen", maxlen, 1, allow_none=True)
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise ValueError(_("sequences: expected a list of sequences, got {value!r:.80}").format(
            value=sequences))
    arrays = []
    for i, seq in enumerate(sequences):
        if not hasattr(seq, "__len__") or isinstance(seq, (str, bytes)):
            raise ValueError(_("sequences: element {index} is not a sequence: "
                               "{value!r:.80}").format(index=i, value=seq))
        arrays.append(np.asarray(seq))
    nonempty = [a for a in arrays if len(a)]
    sample_shape = nonempty[0].shape[1:] if nonempty else ()
    if maxlen is None:
        maxlen = max((len(a) for a in arrays), default=0)
    if isinstance(value, str) and np.dtype(dtype).kind not in "OUS":
        raise ValueError(_("value: a string needs dtype=object, got dtype={dtype!r}").format(
            dtype=dtype))
    out = np.full((len(arrays), maxlen, *sample_shape), value, dtype=dtype)
    for i, a in enumerate(arrays):
        if not len(a):
            continue
        if a.shape[1:] != sample_shape:
            raise ValueError(
                _("sequences: element {index} has items of shape {shape}, expected "
                  "{expected} as in the first non-empty sequence").format(
                    index=i, shape=a.shape[1:], expected=sample_shape)
            )
        kept = a[-maxlen:] if truncating == "pre" else a[:maxlen]
        if padding == "pre":
            out[i, maxlen - len(kept) :] = kept
        else:
            out[i, : len(kept)] = kept
    return out
