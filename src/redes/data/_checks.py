"""Argument checks shared by the data functions.

Every check raises ``ValueError`` (or ``TypeError`` for a wrong kind of object) with a
message of the form ``"<argument>: expected <what>, got <value>"``, in the user's language
(the messages are marked with ``redes.i18n._``). The integer, seed and fraction checks are
the dataset loaders' of the engine (``redes.nn.datasets.checks``).
"""

from __future__ import annotations

import numpy as np

from redes.i18n import _
from redes.nn.datasets.checks import check_fraction, check_int, check_seed, is_int

__all__ = [
    "as_int_array", "check_choice", "check_dtype", "check_fraction", "check_int",
    "check_nonnegative", "check_seed", "is_int",
]  # fmt: skip


def check_nonnegative(name: str, value) -> float:
    """A real number >= 0 (noise levels, standard deviations)."""
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not real or not np.isfinite(value) or value < 0:
        message = _("{name}: expected a finite number >= 0, got {value!r}")
        raise ValueError(message.format(name=name, value=value))
    return float(value)


def check_choice(name: str, value, choices):
    """``value`` must be one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        message = _("{name}: expected one of {options}, got {value!r}")
        raise ValueError(message.format(name=name, options=options, value=value))
    return value


def check_dtype(name: str, value, kinds: str = "f") -> np.dtype:
    """A NumPy dtype whose kind is one of ``kinds`` ('f' float, 'i' int, 'u' unsigned)."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind not in kinds:
        kind_names = {"f": _("float"), "i": _("integer"), "u": _("unsigned integer")}
        what = _(" or ").join(kind_names.get(k, k) for k in kinds)
        message = _("{name}: expected a {kinds} dtype such as 'float32', got {value!r}")
        raise ValueError(message.format(name=name, kinds=what, value=value))
    return dtype


def as_int_array(name: str, value, ndim: int | None = None) -> np.ndarray:
    """An integer array from labels given as ints (floats holding whole numbers are accepted)."""
    arr = np.asarray(value)
    if arr.dtype.kind in "iu":
        pass
    elif arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    elif arr.size == 0 and arr.dtype.kind == "f":
        arr = arr.astype(np.int64)
    else:
        message = _("{name}: expected integer values, got an array of dtype {dtype}")
        raise ValueError(message.format(name=name, dtype=arr.dtype))
    if ndim is not None and arr.ndim != ndim:
        message = _("{name}: expected a {ndim}-D array, got shape {shape}")
        raise ValueError(message.format(name=name, ndim=ndim, shape=arr.shape))
    return arr
