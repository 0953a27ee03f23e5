"""Argument checks shared by the data functions.

Every check raises ``ValueError`` (or ``TypeError`` for a wrong kind of object) with a
message of the form ``"<argument>: expected <what>, got <value>"``.
"""

from __future__ import annotations

import numpy as np


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, minimum: int | None = None, allow_none: bool = False):
    """Return ``value`` as an ``int`` after checking it is an integer ``>= minimum``."""
    if value is None and allow_none:
        return None
    ok = is_int(value) and (minimum is None or value >= minimum)
    if not ok:
        what = "an integer" if minimum is None else f"an integer >= {minimum}"
        if allow_none:
            what += " or None"
        raise ValueError(f"{name}: expected {what}, got {value!r}")
    return int(value)


def check_seed(name: str, value, allow_none: bool = True):
    """A seed is ``None`` (fresh randomness, when allowed) or an integer in [0, 2**32)."""
    if value is None and allow_none:
        return None
    if not is_int(value) or not 0 <= value < 2**32:
        what = "an integer in [0, 2**32)" + (" or None" if allow_none else "")
        raise ValueError(f"{name}: expected {what}, got {value!r}")
    return int(value)


def check_fraction(name: str, value, *, allow_zero: bool = True) -> float:
    """A fraction is a real number in [0, 1) (or (0, 1) when zero is not allowed)."""
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    low_ok = real and (value >= 0 if allow_zero else value > 0)
    if not (real and low_ok and value < 1):
        interval = "[0, 1)" if allow_zero else "(0, 1)"
        raise ValueError(f"{name}: expected a number in {interval}, got {value!r}")
    return float(value)


def check_nonnegative(name: str, value) -> float:
    """A real number >= 0 (noise levels, standard deviations)."""
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not real or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name}: expected a finite number >= 0, got {value!r}")
    return float(value)


def check_choice(name: str, value, choices):
    """``value`` must be one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected one of {options}, got {value!r}")
    return value


def check_dtype(name: str, value, kinds: str = "f") -> np.dtype:
    """A NumPy dtype whose kind is one of ``kinds`` ('f' float, 'i' int, 'u' unsigned)."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind not in kinds:
        kind_names = {"f": "float", "i": "integer", "u": "unsigned integer"}
        what = " or ".join(kind_names.get(k, k) for k in kinds)
        raise ValueError(f"{name}: expected a {what} dtype such as 'float32', got {value!r}")
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
        raise ValueError(f"{name}: expected integer values, got an array of dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    return arr
