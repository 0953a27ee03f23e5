"""The numerical gradient: central differences, and how far they are from the analytic one.

For each tensor of a check, ``compare`` nudges its elements one at a time (all of them, or
``max_checks`` picked at random) and compares the central differences with the gradient
from backpropagation, element by element, with ``relative_error``. ``FrozenRandomness``
rewinds random generators so that every forward pass of a check draws the same numbers.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend

TINY = 1e-8


def relative_error(analytic, numeric, tiny: float = TINY) -> np.ndarray:
    """Element by element ``|a - n| / max(|a| + |n|, tiny)``, a number in [0, 1]
    (up to the ``tiny`` floor).

    Args:
        analytic: the gradient from backpropagation.
        numeric: the gradient from central differences (same shape).
        tiny: the floor of the denominator. Defaults to ``1e-8``.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(_("analytic: shape {shape} differs from the numeric shape {numeric}")
                         .format(shape=a.shape, numeric=n.shape))
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), tiny)


class FrozenRandomness:
    """Rewinds random generators to the states they had when this object was made."""

    def __init__(self, objects=()):
        gens = [backend.rng()]
        for obj in objects:
            gens += _generators(obj)
        self.saved = [(g, g.bit_generator.state) for g in gens]

    def rewind(self) -> None:
        for g, state in self.saved:
            g.bit_generator.state = state


def _generators(layer) -> list[np.random.Generator]:
    """The random generators a layer holds, and those of the layers inside it (the
    recurrent layers of a ``Bidirectional``, the layer of a ``TimeDistributed``)."""
    gens = [v for v in vars(layer).values() if isinstance(v, np.random.Generator)]
    for inner in layer.inner_layers() if hasattr(layer, "inner_layers") else []:
        gens += _generators(inner)
    return gens


def defaults(dtype, step, tolerance) -> tuple[float, float]:
    """The step and the tolerance: given ones, or the defaults of the float type."""
    exact = np.dtype(dtype) == np.float64
    if step is None:
        step = 1e-5 if exact else 1e-3
    if tolerance is None:
        tolerance = 1e-6 if exact else 1e-2
    return float(step), float(tolerance)


def _positions(shape, max_checks, rng):
    """The indices to nudge: all of them, or ``max_checks`` chosen at random."""
    size = int(np.prod(shape))
    flat = np.arange(size)
    if max_checks is not None and max_checks < size:
        flat = np.sort(rng.choice(size, size=max_checks, replace=False))
    return [np.unravel_index(i, shape) for i in flat]


def central_differences(t: np.ndarray, evaluate, change, step: float, positions) -> np.ndarray:
    """Central differences of a loss with respect to the array ``t``, nudged in place.

    ``evaluate()`` runs the computation and returns what ``change(plus, minus)`` needs to
    give L(t + h) - L(t - h). The actual step is read back from ``t``, so that rounding of
    ``t +- h`` to t's float type does not bias the quotient.
    """
    out = np.empty(len(positions), dtype=np.float64)
    for k, idx in enumerate(positions):
        value = t[idx]
        t[idx] = value + step
        high, plus = t[idx], evaluate()
        t[idx] = value - step
        low, minus = t[idx], evaluate()
        t[idx] = value
        out[k] = change(plus, minus) / (float(high) - float(low))
    return out


def compare(names, tensors, analytic, evaluate, change, step, max_checks, seed):
    """Numerical gradients of each tensor, and the errors against ``analytic``."""
    rng = np.random.default_rng(seed)
    errors, kept_a, kept_n = {}, {}, {}
    for name, t, a in zip(names, tensors, analytic):
        if a is None:
            raise ValueError(_("{name}: backward returned no gradient for it").format(
                name=name))
        a = np.asarray(a, dtype=np.float64)
        if a.shape != t.shape:
            raise ValueError(_("{name}: the analytic gradient has shape {shape}, the tensor "
                               "{tensor}").format(name=name, shape=a.shape, tensor=t.shape))
        if t.size == 0:
            continue
        positions = _positions(t.shape, max_checks, rng)
        n = central_differences(t, evaluate, change, step, positions)
        picked = np.array([a[idx] for idx in positions])
        errors[name] = float(np.max(relative_error(picked, n)))
        if len(positions) == t.size:
            kept_a[name], kept_n[name] = a, n.reshape(t.shape)
        else:
            kept_a[name], kept_n[name] = picked, n
    return errors, kept_a, kept_n


def check_args(step, tolerance, max_checks):
    if step is not None and (isinstance(step, bool) or not step > 0):
        raise ValueError(_("step: expected a positive number, got {value!r}").format(
            value=step))
    if tolerance is not None and (isinstance(tolerance, bool) or not tolerance > 0):
        raise ValueError(_("tolerance: expected a positive number, got {value!r}").format(
            value=tolerance))
    if max_checks is not None and (
        isinstance(max_checks, bool) or not isinstance(max_checks, (int, np.integer))
        or max_checks < 1
    ):
        raise ValueError(_("max_checks: expected None or a positive integer, got {value!r}")
                         .format(value=max_checks))


def float_array(value, argument, dtype=np.float64) -> np.ndarray:
    try:
        arr = np.array(value, dtype=dtype)  # a copy: the check nudges it in place
    except (TypeError, ValueError):
        raise ValueError(_("{argument}: expected an array of numbers, got {value!r}").format(
            argument=argument, value=value)) from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(_("{argument}: holds NaN or inf values").format(argument=argument))
    return arr
