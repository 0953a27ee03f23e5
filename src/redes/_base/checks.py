"""The argument checks shared by every layer of redes (the engine, the data, the recipes...):
one home, so that the same mistake gets the same message everywhere.

Every check raises ``ValueError`` with a message of the form
``"<argument>: expected <what>, got <value>"``, in the user's language.
"""

from __future__ import annotations

import numpy as np

from redes.i18n import _


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, minimum: int | None = None, allow_none: bool = False):
    """Return ``value`` as an ``int`` after checking it is an integer ``>= minimum``."""
    if value is None and allow_none:
        return None
    ok = is_int(value) and (minimum is None or value >= minimum)
    if not ok:
        if minimum is None and allow_none:
            message = _("{name}: expected an integer or None, got {value!r}")
        elif minimum is None:
            message = _("{name}: expected an integer, got {value!r}")
        elif allow_none:
            message = _("{name}: expected an integer >= {minimum} or None, got {value!r}")
        else:
            message = _("{name}: expected an integer >= {minimum}, got {value!r}")
        raise ValueError(message.format(name=name, minimum=minimum, value=value))
    return int(value)


def check_positive_int(name: str, value) -> int:
    """An integer >= 1 (units, filters, a kernel's size...), as an ``int``."""
    if not is_int(value) or value < 1:
        raise ValueError(_("{argument}: expected a positive integer, got {value!r}").format(
            argument=name, value=value))
    return int(value)


def check_bool(name: str, value) -> bool:
    """``True`` or ``False`` (NumPy's too), as a ``bool``."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(_("{argument}: expected True or False, got {value!r}").format(
            argument=name, value=value))
    return bool(value)


def check_seed(name: str, value, allow_none: bool = True):
    """A seed is ``None`` (fresh randomness, when allowed) or an integer in [0, 2**32)."""
    if value is None and allow_none:
        return None
    if not is_int(value) or not 0 <= value < 2**32:
        if allow_none:
            message = _("{name}: expected an integer in [0, 2**32) or None, got {value!r}")
        else:
            message = _("{name}: expected an integer in [0, 2**32), got {value!r}")
        raise ValueError(message.format(name=name, value=value))
    return int(value)


def check_fraction(name: str, value, *, allow_zero: bool = True) -> float:
    """A fraction is a real number in [0, 1) (or (0, 1) when zero is not allowed)."""
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    low_ok = real and (value >= 0 if allow_zero else value > 0)
    if not (real and low_ok and value < 1):
        interval = "[0, 1)" if allow_zero else "(0, 1)"
        message = _("{name}: expected a number in {interval}, got {value!r}")
        raise ValueError(message.format(name=name, interval=interval, value=value))
    return float(value)


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
