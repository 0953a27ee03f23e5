"""Argument checks of the utilities: each error names the argument, what was given and what
was expected (the same messages as ``redes.data``'s checks)."""

from __future__ import annotations

import numpy as np

from ...i18n import _


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, minimum: int | None = None, allow_none: bool = False):
    """``value`` as an ``int`` after checking it is an integer ``>= minimum``."""
    if value is None and allow_none:
        return None
    if not is_int(value) or (minimum is not None and value < minimum):
        if allow_none:
            message = _("{name}: expected an integer >= {minimum} or None, got {value!r}")
        else:
            message = _("{name}: expected an integer >= {minimum}, got {value!r}")
        raise ValueError(message.format(name=name, minimum=minimum, value=value))
    return int(value)


def check_choice(name: str, value, choices):
    """``value`` must be one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(_("{name}: expected one of {options}, got {value!r}").format(
            name=name, options=options, value=value))
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
        raise ValueError(_(
            "{name}: expected a {kinds} dtype such as 'float32', got {value!r}").format(
                name=name, kinds=what, value=value))
    return dtype


def as_int_array(name: str, value) -> np.ndarray:
    """An integer array from labels given as ints (floats holding whole numbers too)."""
    arr = np.asarray(value)
    if arr.dtype.kind in "iu":
        return arr
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        return arr.astype(np.int64)
    raise ValueError(_("{name}: expected integer values, got an array of dtype {dtype}")
                     .format(name=name, dtype=arr.dtype))


def check_seed(name: str, value):
    """A seed is ``None`` (fresh randomness) or an integer in [0, 2**32)."""
    if value is not None and (not is_int(value) or not 0 <= value < 2**32):
        raise ValueError(_("{name}: expected an integer in [0, 2**32) or None, got {value!r}")
                         .format(name=name, value=value))
    return None if value is None else int(value)


def check_size(name: str, value):
    """An image size: one integer or a pair ``(height, width)``, each >= 1."""
    if is_int(value):
        value = (value, value)
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(
            is_int(v) and v >= 1 for v in value):
        raise ValueError(_(
            "{name}: expected a tuple (height, width) of two integers >= 1, got {value!r}"
        ).format(name=name, value=value))
    return int(value[0]), int(value[1])
