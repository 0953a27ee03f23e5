"""The optimizers' constructor arguments: numbers within their range, and the Keras arguments
that redes accepts only at their default value, so that Keras code runs as is."""

from __future__ import annotations

import inspect
import math
import numbers
import warnings

import numpy as np

from ...i18n import _

# Keras-only arguments that redes accepts at their default value, so Keras code runs as is.
KERAS_DEFAULTS = {
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def check_number(argument, value, *, minimum=None, maximum=None, none_ok=False):
    """``value`` as a float in [minimum, maximum], or a ValueError naming ``argument``."""
    if value is None and none_ok:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    ok = ok and math.isfinite(value)
    ok = ok and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    if not ok:
        if minimum is not None and maximum is not None:
            message = (_("{argument}: expected a number in [{minimum}, {maximum}] or None, got "
                         "{value!r}") if none_ok else
                       _("{argument}: expected a number in [{minimum}, {maximum}], got {value!r}"))
        elif minimum is not None:
            message = (_("{argument}: expected a number >= {minimum} or None, got {value!r}")
                       if none_ok else
                       _("{argument}: expected a number >= {minimum}, got {value!r}"))
        else:
            message = (_("{argument}: expected a finite number or None, got {value!r}")
                       if none_ok else
                       _("{argument}: expected a finite number, got {value!r}"))
        raise ValueError(message.format(argument=argument, minimum=minimum, maximum=maximum,
                                        value=value))
    return float(value)


def check_keras_arguments(cls, kwargs: dict) -> None:
    """Accept the extra keyword arguments ``kwargs`` of optimizer class ``cls`` only when
    they are Keras arguments at their default value (see ``KERAS_DEFAULTS``).

    Keras' old ``decay`` is dropped from ``kwargs`` with a warning.
    """
    if kwargs.pop("decay", None) is not None:
        # stacklevel 4: this function, Optimizer.__init__, the subclass' __init__, the caller
        warnings.warn(_("decay: this old Keras argument is no longer supported and is "
                        "ignored; use a learning-rate schedule instead"), stacklevel=4)
    for key, value in kwargs.items():
        if key not in KERAS_DEFAULTS:
            raise ValueError(_(
                "{optimizer}: unknown argument {key!r}; expected one of {names}"
            ).format(optimizer=cls.__name__, key=key, names=", ".join(argument_names(cls))))
        if value != KERAS_DEFAULTS[key]:
            raise ValueError(_(
                "{argument}: redes optimizers do not implement this Keras option; expected "
                "{default!r}, got {value!r}"
            ).format(argument=key, default=KERAS_DEFAULTS[key], value=value))


def argument_names(cls) -> list[str]:
    """The constructor arguments of optimizer class ``cls`` (its own, then those of its
    bases), followed by the Keras-only ones."""
    names = []
    for klass in cls.__mro__:
        if klass is object:
            break
        for p in inspect.signature(klass.__init__).parameters.values():
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self" and p.name not in names:
                names.append(p.name)
    return names + list(KERAS_DEFAULTS)
