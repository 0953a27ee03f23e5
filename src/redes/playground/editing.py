"""Editing the network by hand: one weight or one bias, as in the TensorFlow Playground.

The page sends ``{"type": "weight", "layer": L, "i": I, "j": J, "value": V}`` (the weight
from input unit ``I`` to unit ``J`` of the ``L``-th Dense layer, the frame's ``w{L}[I, J]``)
or ``{"type": "bias", "layer": L, "j": J, "value": V}`` (the frame's ``b{L}[J]``). Every
field is checked against the session's current network; a message that breaks a rule is
refused with a reason naming the field, and changes nothing.

The value is written where training reads it (``Session.set_weights``): into the layer's
array and into the session's flat copy of every weight, which its optimizer updates, so
the next step starts from the edited value. The optimizer's own state (momentum, Adam's
moments) is kept, as the TensorFlow Playground keeps it.
"""

from __future__ import annotations

import math

from ..i18n import _
from .state import StateError, json_kind

MAX_VALUE = 100.0       # a weight or bias typed by hand lies within [-MAX_VALUE, MAX_VALUE]


def _index(msg: dict, name: str, size: int) -> int:
    """``msg[name]`` as an index below ``size``; StateError naming the field otherwise."""
    v = msg.get(name)
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < size:
        raise StateError(_("{name}: expected an integer from {lo} to {hi}, got {value}")
                         .format(name=name, lo=0, hi=size - 1, value=json_kind(v)))
    return v


def _value(msg: dict) -> float:
    v = msg.get("value")
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
            or not -MAX_VALUE <= v <= MAX_VALUE:
        raise StateError(_("{name}: expected a number from {lo} to {hi}, got {value}")
                         .format(name="value", lo=-MAX_VALUE, hi=MAX_VALUE, value=json_kind(v)))
    return float(v)


def set_weight(session, msg: dict):
    """The message ``weight``: one kernel entry of one Dense layer."""
    layer = _index(msg, "layer", len(session.dense))
    n_in, n_out = session.weights[2 * layer].shape          # the kernel: (inputs, units)
    i = _index(msg, "i", n_in)
    j = _index(msg, "j", n_out)
    session.set_weights(_value(msg), (2 * layer, (i, j)))
    return [], True


def set_bias(session, msg: dict):
    """The message ``bias``: one bias entry of one Dense layer."""
    layer = _index(msg, "layer", len(session.dense))
    j = _index(msg, "j", len(session.weights[2 * layer + 1]))   # the bias: (units,)
    session.set_weights(_value(msg), (2 * layer + 1, (j,)))
    return [], True
