"""Argument checks of the dataset loaders (``redes.data`` uses the same ones).

Every check raises ``ValueError`` with a message of the form
``"<argument>: expected <what>, got <value>"``, in the user's language.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _


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
