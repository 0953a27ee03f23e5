"""Bringing a session back after the connection was lost: the ``restore`` message.

When the server stops (or the network drops) the page keeps what it had: the state, the
epoch and the weights of its last frame. Once it reconnects, its new session is a fresh one,
so the page sends all of that back::

    {"type": "restore", "state": {...}, "epoch": 120, "playing": false,
     "weights": [[kernel 0, flattened row by row], [bias 0], [kernel 1], [bias 1], ...],
     "points": {"train": [[x1, x2, label], ...], "test": [...], "classes": 2}}  # "custom"

``restore`` checks every part before it changes anything: the state as ``state.merge``
does, the points of an uploaded or drawn dataset (on the plane, labels of the problem, at
most ``MAX_POINTS``), the number and size of the weight arrays against the network that
state builds, every weight a finite number that fits in float32. Then the session takes
the state, the points, the network with exactly those weights, the epoch (and ``steps``,
whole epochs of it) and ``playing``.

What is not sent starts afresh: the optimizer's moments (Adam's and RMSprop's running
averages, momentum's velocity) and the order in which the next epoch visits the points.
"""

from __future__ import annotations

import math

import numpy as np

from ..data import playground_sets as datasets
from ..i18n import _
from .session import Session
from .state import DEFAULT, FIELDS, StateError, json_kind, merge

MAX_EPOCH = 10**9
FLOAT32_MAX = float(np.finfo(np.float32).max)


def restore(session: Session, msg: dict):
    """The ``restore`` message's handler: ``session`` becomes the one the page had.
    Raises ``ValueError`` naming the field at fault; then the session is left as it was."""
    state = msg.get("state")
    if not isinstance(state, dict):
        raise StateError(_("state: expected an object of settings, got {value}").format(
            value=json_kind(state)))
    unknown = sorted(repr(k)[:40] for k in state if k not in FIELDS)
    if unknown:
        raise StateError(_("state: expected settings among {fields}, got {name}").format(
            fields=", ".join(FIELDS), name=unknown[0]))
    state = merge(DEFAULT, state)
    epoch = msg.get("epoch", 0)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or not 0 <= epoch <= MAX_EPOCH:
        raise ValueError(_("epoch: expected an integer from 0 to {hi}, got {value}").format(
            hi=MAX_EPOCH, value=json_kind(epoch)))
    playing = msg.get("playing", False)
    if not isinstance(playing, bool):
        raise ValueError(_("playing: expected true or false, got {value}").format(
            value=json_kind(playing)))
    fresh = _session(state, msg.get("points"))
    fresh.set_weights(_weights(msg.get("weights"), [w.shape for w in fresh.weights]))
    fresh.epoch = epoch
    fresh.steps = epoch * fresh.steps_per_epoch
    fresh.playing = playing
    fresh.builds = session.builds + 1          # frames of another network: a new curve
    vars(session).update(vars(fresh))
    return [{"type": "state", "state": session.state, "changed": "restore"},
            session.data_message()], True


def _session(state: dict, points) -> Session:
    """A new session of ``state``; for the dataset "custom", with ``points`` (the page's
    training and test points, kept in that split, and their number of classes)."""
    if state["dataset"] != "custom":
        return Session(state)
    if not isinstance(points, dict) or set(points) != {"train", "test", "classes"}:
        raise ValueError(_("points: expected the points in use, an object with train, test "
                           "and classes, got {value}").format(value=json_kind(points)))
    classes = points["classes"]
    regression = state["problem"] == "regression"
    if isinstance(classes, bool) or not isinstance(classes, int) or (
            classes != 0 if regression else not 2 <= classes <= datasets.MAX_CLASSES):
        expected = "0" if regression else f"2 .. {datasets.MAX_CLASSES}"
        raise ValueError(_("points: expected classes {expected} for {problem}, got "
                           "{value}").format(expected=expected, problem=state["problem"],
                                             value=json_kind(classes)))
    parts = [_rows(part, points[part], classes) for part in ("train", "test")]
    count = len(parts[0][1]) + len(parts[1][1])
    if not len(parts[0][1]) or count > datasets.MAX_POINTS:
        raise ValueError(_("points: expected from 1 to {limit} training and test points, at "
                           "least one of them training, got {count}").format(
                               limit=datasets.MAX_POINTS, count=count))
    generated = "circle" if state["problem"] == "classification" else "plane"
    session = Session({**state, "dataset": generated})
    session.set_points(*parts, classes)
    return session


def _rows(part: str, rows, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of rows ``[x1, x2, label]``: points on the playground's plane, each label
    a class below ``classes`` (or, with no classes, a target from -1 to 1)."""
    def fits(row) -> bool:
        if not isinstance(row, list) or len(row) != 3 or any(
                isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
                for v in row):
            return False
        x1, x2, label = row
        inside = abs(x1) <= datasets.DOMAIN and abs(x2) <= datasets.DOMAIN
        if classes:
            return inside and label == int(label) and 0 <= label < classes
        return inside and abs(label) <= 1

    if not isinstance(rows, list) or len(rows) > datasets.MAX_POINTS \
            or not all(fits(row) for row in rows):
        raise ValueError(_("points: expected {part} as a list of rows [x1, x2, label] with x1 "
                           "and x2 from -{domain} to {domain} and labels of the problem, got "
                           "{value}").format(part=part, domain=datasets.DOMAIN,
                                             value=json_kind(rows)))
    data = np.asarray(rows, dtype=np.float64).reshape(-1, 3)
    labels = data[:, 2].astype(np.int64) if classes else data[:, 2].astype(np.float32)
    return data[:, :2].astype(np.float32), labels


def _weights(value, shapes) -> list[np.ndarray]:
    """The arrays of ``value`` (flat lists of numbers) in ``shapes``, as float32."""
    if not isinstance(value, list) or len(value) != len(shapes):
        raise ValueError(_("weights: expected {count} arrays (a kernel and a bias for each "
                           "layer), got {value}").format(
                               count=len(shapes),
                               value=len(value) if isinstance(value, list) else json_kind(value)))
    out = []
    for i, (flat, shape) in enumerate(zip(value, shapes)):
        size = math.prod(shape)
        if not isinstance(flat, list) or len(flat) != size:
            raise ValueError(_("weights[{i}]: expected {size} numbers (shape {shape}), got "
                               "{value}").format(
                                   i=i, size=size, shape=" x ".join(map(str, shape)),
                                   value=len(flat) if isinstance(flat, list)
                                   else json_kind(flat)))
        for v in flat:
            if isinstance(v, bool) or not isinstance(v, (int, float)) \
                    or not abs(v) <= FLOAT32_MAX:
                raise ValueError(_("weights[{i}]: expected finite numbers, got {value}").format(
                    i=i, value=json_kind(v)))
        out.append(np.asarray(flat, dtype=np.float64).astype(np.float32).reshape(shape))
    return out
