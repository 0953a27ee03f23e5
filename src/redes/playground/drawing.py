"""Points drawn by hand on the playground's surface.

``{"type": "point", "x1": .., "x2": .., "label": ..}`` adds one point where the user
clicked; ``{"type": "clear_points"}`` starts from an empty canvas. Either way the points
become the dataset "custom" (as an uploaded CSV does), starting from the points shown, and
the network starts afresh on them (as after an upload).

Where a drawn point goes: to the test set when the test set holds fewer than its share
(``100 - train_ratio`` %, rounded down) of the points with the new one, else to training,
so the sets keep the chosen ratio and a point never moves from one set to the other (the
first point always trains). Changing the ratio or the seed later shuffles and splits the
drawn points again, like any custom points.

A class label is an integer from 0 to ``MAX_CLASSES - 1``; a label above the classes in use
adds classes (the page offers the next one). A regression target is a number from -1 to 1
(the range the surface's colours show, and that uploaded targets are scaled to).

Training needs at least ``MIN_POINTS`` training points, of 2 classes or more when
classifying: ``check_trainable`` says what is missing (``play`` and ``step`` call it).
"""

from __future__ import annotations

import math

import numpy as np

from ..data import playground_sets as datasets
from ..i18n import _

MIN_POINTS = 2


def _coordinate(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or abs(value) > datasets.DOMAIN:
        raise ValueError(_("{name}: expected a number from {lo:g} to {hi:g}, got "
                           "{value!r:.40}").format(name=name, lo=-datasets.DOMAIN,
                                                  hi=datasets.DOMAIN, value=value))
    return float(value)


def _label(session, value):
    if session.classes:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value < datasets.MAX_CLASSES:
            raise ValueError(_("label: expected a class, an integer from 0 to {hi}, got "
                               "{value!r:.40}").format(hi=datasets.MAX_CLASSES - 1,
                                                 value=value))
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or abs(value) > 1:
        raise ValueError(_("label: expected a target value from -1 to 1, got "
                           "{value!r:.40}").format(value=value))
    return float(value)


def _points(session):
    n = len(session.y_train) + len(session.y_test)
    if n >= datasets.MAX_POINTS:
        raise ValueError(_("point: expected at most {limit} points, got one more").format(
            limit=datasets.MAX_POINTS))
    return n


def add_point(session, msg: dict):
    """The handler of ``point``: one more point where the user clicked."""
    x = np.array([[_coordinate("x1", msg.get("x1")), _coordinate("x2", msg.get("x2"))]],
                 dtype=np.float32)
    label = _label(session, msg.get("label"))
    n = _points(session) + 1
    dtype = np.int64 if session.classes else np.float32
    y = np.array([label], dtype=dtype)
    train = (session.x_train, session.y_train.astype(dtype))
    test = (session.x_test, session.y_test.astype(dtype))
    if len(test[1]) < n * (100 - session.state["train_ratio"]) // 100:
        test = (np.concatenate([test[0], x]), np.concatenate([test[1], y]))
    else:
        train = (np.concatenate([train[0], x]), np.concatenate([train[1], y]))
    classes = max(session.classes, label + 1) if session.classes else 0
    session.set_points(train, test, classes)
    return session.data_changed(), True


def clear_points(session, msg: dict):
    """The handler of ``clear_points``: no points at all, to draw from scratch."""
    empty = (np.zeros((0, 2), np.float32),
             np.zeros(0, np.int64 if session.classes else np.float32))
    session.playing = False
    session.set_points(empty, empty, session.classes)
    return session.data_changed(), True


def check_trainable(session) -> None:
    """Raises ``ValueError`` when the training points cannot train a network (too few,
    or a single class)."""
    n = len(session.y_train)
    if n < MIN_POINTS:
        raise ValueError(_("points: expected at least {least} training points to train, got "
                           "{count}; draw more points").format(least=MIN_POINTS, count=n))
    if session.classes and len(np.unique(session.y_train)) < 2:
        raise ValueError(_("points: expected training points of at least 2 classes, got "
                           "points of 1 class; draw points of another class"))

