"""Shapes of layers' inputs: reading a shape argument, checking an input against the shape
a layer was built for, and finding the output shapes of a layer written with ``keras.ops``
by running it on small arrays."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..graph import KerasTensor


def as_shape(value, argument: str) -> tuple[int, ...]:
    """A shape given as an int or a sequence of positive ints (no batch dimension)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value,)
    try:
        shape = tuple(value)
    except TypeError:
        shape = None
    if shape is None or not all(
        d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0)
        for d in shape
    ):
        raise ValueError(_("{argument}: expected a tuple of positive integers, got {value!r}")
                         .format(argument=argument, value=value))
    return tuple(None if d is None else int(d) for d in shape)


def no_batch(shape):
    """``shape`` with an unknown batch size (``None``); a list of such for several inputs."""
    if isinstance(shape, list):
        return [no_batch(s) for s in shape]
    return (None, *tuple(shape)[1:])


def check_shape(layer, expected, x) -> None:
    """Refuse ``x`` (an array or a symbolic tensor; a list of them for several inputs) if its
    sample shape is not ``expected``, naming the layer."""
    if isinstance(expected, list):
        for one, xi in zip(expected, x):
            check_shape(layer, one, xi)
        return
    if x.ndim != len(expected) or any(
        e is not None and e != d for e, d in zip(expected[1:], x.shape[1:])
    ):
        want = ", ".join("None" if d is None else str(d) for d in expected)
        kind = _("a symbolic tensor") if isinstance(x, KerasTensor) else _("an array")
        raise ValueError(_(
            "x: layer {name!r} expects inputs of shape ({want}), got {kind} of shape {shape}"
        ).format(name=layer.name, want=want, kind=kind, shape=tuple(x.shape)))


def specs_by_probing(inputs, run) -> list:
    """[(shape, dtype)] of what ``run`` gives for symbolic ``inputs``: it runs on small
    arrays of their shapes twice, unknown sizes as 2 and then 3, and a size that differs
    between the two runs follows them: it is ``None``."""
    runs = []
    for size in (2, 3):
        out = run(_probe(inputs, size))
        runs.append(out if isinstance(out, list) else [out])
    return [(tuple(None if a != b else a for a, b in zip(o2.shape, o3.shape))
             if o2.ndim == o3.ndim else o3.shape, o3.dtype)
            for o2, o3 in zip(*runs)]


def _probe(inputs, size):
    """Arrays of the shapes of symbolic ``inputs``, with ``size`` for unknown sizes: ones
    for floats, zeros for integers (valid token ids)."""
    if isinstance(inputs, (list, tuple)):
        return [_probe(t, size) for t in inputs]
    shape = tuple(size if d is None else d for d in inputs.shape)
    dtype = np.dtype(inputs.dtype)
    return np.ones(shape, dtype) if dtype.kind == "f" else np.zeros(shape, dtype)
