"""An optimizer's state as a list of arrays, in the order of Keras' ``optimizer.variables``.

The list is a header (the step count, then the learning rate when it is not a schedule),
the buffers, and any running value of the optimizer at the end (Nadam's product). The
buffers are grouped as ``Optimizer.slot_groups()`` says: within a group the buffers of one
weight come together (``m0, v0, m1, v1``...) and groups follow each other
(``m0, v0, m1, v1, vhat0, vhat1``).
"""

from __future__ import annotations

import numpy as np

from ...i18n import _


def buffers_in_keras_order(groups, slots) -> list[np.ndarray]:
    """Copies of the buffers ``slots`` (name -> one array per weight), in Keras' order."""
    buffers = []
    for group in groups:
        n = len(slots[group[0]]) if slots else 0
        for i in range(n):
            buffers.extend(slots[name][i].copy() for name in group)
    return buffers


def split_state(state, optimizer, n_header, per_weight, n_extra):
    """``(header, buffers, extra)`` of a saved ``state``, or a ValueError when its length
    does not fit ``optimizer`` (a class name) or it does not start with the step count."""
    n_buffers = len(state) - n_header - n_extra
    if n_buffers < 0 or (n_buffers % per_weight if per_weight else n_buffers):
        raise ValueError(_(
            "state: {count} arrays do not fit {optimizer} "
            "({header} at the start, {per_weight} per weight, {extra} at the end); "
            "was it saved by an optimizer of another class or configuration?"
        ).format(count=len(state), optimizer=optimizer, header=n_header,
                 per_weight=per_weight, extra=n_extra))
    header, extra = state[:n_header], state[n_header + n_buffers:]
    if header[0].size != 1 or header[0].dtype.kind not in "iu":
        raise ValueError(_("state: the first array must be the step count, got {value!r}")
                         .format(value=header[0]))
    return header, state[n_header:n_header + n_buffers], extra


def slots_from_keras_order(groups, buffers) -> dict[str, list[np.ndarray]]:
    """The buffers by name (one array per weight), from ``buffers`` in Keras' order."""
    # undo the Keras order: group by group, weight by weight, name by name
    n = len(buffers) // sum(len(group) for group in groups)
    buffers = iter(buffers)
    slots = {name: [None] * n for group in groups for name in group}
    for group in groups:
        for i in range(n):
            for name in group:
                slots[name][i] = np.array(next(buffers))
    shapes = [a.shape for a in slots[groups[0][0]]]
    if any([a.shape for a in arrays] != shapes for arrays in slots.values()):
        raise ValueError(_("state: the buffers of one weight have different shapes"))
    return slots


def scalar(a: np.ndarray):
    """The one number held by an array of any shape (a saved 0-d array may come back 1-d)."""
    if a.size != 1:
        raise ValueError(_("state: expected a single number, got an array of shape {shape}")
                         .format(shape=a.shape))
    return a.reshape(-1)[0]
