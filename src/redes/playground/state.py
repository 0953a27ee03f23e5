"""The playground's state: every setting a user can change, with its limits.

The state is a flat dict of JSON values. The browser keeps it in the page's URL (so a link
shares it) and sends changes to the server; ``merge`` checks every change against
``FIELDS`` and refuses the whole message, with a reason, when one value breaks a rule, so a
session only ever holds a valid state.
"""

from __future__ import annotations

import math

from ..data import playground_sets as datasets
from ..data.playground_sets import DATASETS, MAX_POINTS
from ..i18n import _

MAX_LAYERS = 6
MAX_UNITS = 8
FEATURES = tuple(datasets.FEATURES)   # x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2, cosx1, cosx2
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "elu", "leaky_relu", "swish")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
PROBLEMS = ("classification", "regression")
DATASET_NAMES = (*DATASETS, "custom")

DEFAULT = {
    "problem": "classification",
    "dataset": "circle",
    "noise": 0,               # percent, 0..50
    "train_ratio": 50,        # percent of the points used for training
    "points": 500,
    "seed": 1,
    "batch_size": 10,
    "features": ["x1", "x2"],
    "layers": [4, 2],
    "activations": ["tanh", "tanh"],
    "optimizer": "sgd",
    "learning_rate": 0.03,
    "regularization": "none",
    "reg_rate": 0.0,
    "dropout": 0.0,
    "speed": 1,               # at most this many epochs per frame
    "show_test": False,
    "discretize": False,
    "stop_epoch": 0,          # pause when training reaches this epoch; 0: never
}


def json_kind(value) -> str:
    """What a JSON value is, for error messages: ``a list``, ``nothing``, ``7``..."""
    if value is None:
        return _("nothing")
    if isinstance(value, (list, dict)):
        return _("a list") if isinstance(value, list) else _("an object")
    return f"{value!r:.40}"


class StateError(ValueError):
    """A change the playground refuses; the message names the field and the rule."""


def _int(lo, hi):
    def check(name, v):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise StateError(_("{name}: expected an integer from {lo} to {hi}, got "
                               "{value!r:.40}").format(name=name, lo=lo, hi=hi, value=v))
        return v
    return check


def _float(lo, hi):
    def check(name, v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                or not lo <= v <= hi:
            raise StateError(_("{name}: expected a number from {lo} to {hi}, got "
                               "{value!r:.40}").format(name=name, lo=lo, hi=hi, value=v))
        return float(v)
    return check


def _enum(options):
    def check(name, v):
        if not isinstance(v, str) or v not in options:
            raise StateError(_("{name}: expected one of {options}, got {value!r:.40}").format(
                name=name, options=", ".join(options), value=v))
        return v
    return check


def _bool(name, v):
    if not isinstance(v, bool):
        raise StateError(_("{name}: expected true or false, got {value!r:.40}").format(
            name=name, value=v))
    return v


def _features(name, v):
    if not isinstance(v, list) or not v or len(v) > len(FEATURES) \
            or any(not isinstance(f, str) or f not in FEATURES for f in v) \
            or len(set(v)) != len(v):
        raise StateError(_("{name}: expected a non-empty list of different features among "
                           "{features}, got {value!r:.40}").format(
                               name=name, features=", ".join(FEATURES), value=v))
    return [f for f in FEATURES if f in v]           # always in the same order


def _layers(name, v):
    if not isinstance(v, list) or len(v) > MAX_LAYERS or any(
            isinstance(u, bool) or not isinstance(u, int) or not 1 <= u <= MAX_UNITS for u in v):
        raise StateError(_("{name}: expected a list of at most {layers} layer sizes, each "
                           "from 1 to {units}, got {value!r:.40}").format(
                               name=name, layers=MAX_LAYERS, units=MAX_UNITS, value=v))
    return list(v)


def _activations(name, v):
    if not isinstance(v, list) or len(v) > MAX_LAYERS or any(
            not isinstance(a, str) or a not in ACTIVATIONS for a in v):
        raise StateError(_("{name}: expected a list of at most {layers} activations among "
                           "{activations}, got {value!r:.40}").format(
                               name=name, layers=MAX_LAYERS,
                               activations=", ".join(ACTIVATIONS), value=v))
    return list(v)


FIELDS = {
    "problem": _enum(PROBLEMS),
    "dataset": _enum(DATASET_NAMES),
    "noise": _int(0, 50),
    "train_ratio": _int(10, 90),
    "points": _int(20, MAX_POINTS),
    "seed": _int(0, 2**31 - 1),
    "batch_size": _int(1, 500),
    "features": _features,
    "layers": _layers,
    "activations": _activations,
    "optimizer": _enum(OPTIMIZERS),
    "learning_rate": _float(1e-6, 10.0),
    "regularization": _enum(REGULARIZATIONS),
    "reg_rate": _float(0.0, 10.0),
    "dropout": _float(0.0, 0.9),
    "speed": _int(1, 100),
    "show_test": _bool,
    "discretize": _bool,
    "stop_epoch": _int(0, 100_000),
}

# What a change means for a running session.
DATA_FIELDS = {"problem", "dataset", "noise", "train_ratio", "points", "seed"}
MODEL_FIELDS = {"features", "layers", "activations", "optimizer", "problem"}


def datasets_for(problem: str) -> list[str]:
    return [name for name, (p, _classes, _make) in DATASETS.items() if p == problem] + ["custom"]


def merge(current: dict, changes) -> dict:
    """``current`` updated with ``changes``, every value checked; raises ``StateError``.

    A change of ``layers`` without ``activations`` keeps one activation per layer (new
    layers take the last layer's), and a problem without a dataset of its kind gets the
    first dataset of that kind.
    """
    if not isinstance(changes, dict):
        raise StateError(_("changes: expected an object of settings, got {value!r:.40}").format(
            value=changes))
    unknown = sorted(repr(k)[:40] for k in changes if k not in FIELDS)
    if unknown:
        if len(unknown) > 1:
            message = _("changes: expected settings among {fields}, got {name} and {more} more")
        else:
            message = _("changes: expected settings among {fields}, got {name}")
        raise StateError(message.format(fields=", ".join(FIELDS), name=unknown[0],
                                        more=len(unknown) - 1))
    state = dict(current)
    for name, value in changes.items():
        state[name] = FIELDS[name](name, value)
    acts = state["activations"][:len(state["layers"])]
    fill = acts[-1] if acts else (current["activations"] or ["tanh"])[-1]
    state["activations"] = acts + [fill] * (len(state["layers"]) - len(acts))
    if state["dataset"] not in datasets_for(state["problem"]):
        if "dataset" in changes and "problem" not in changes:
            if state["problem"] == "regression":
                message = _("dataset: expected a regression dataset (one of {names}), got "
                            "{value!r}")
            else:
                message = _("dataset: expected a classification dataset (one of {names}), "
                            "got {value!r}")
            raise StateError(message.format(names=", ".join(datasets_for(state["problem"])),
                                            value=state["dataset"]))
        state["dataset"] = datasets_for(state["problem"])[0]
    return state
