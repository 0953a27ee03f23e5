"""Guided challenges: a task on one dataset, the settings it starts from, the controls it
hides, and a goal the page checks on every frame.

A challenge is opened by the page's address, ``#challenge=<name>`` (see
``docs/guide/*/playground.md``); its texts (title, task, hint) are the page's words
``challenge_<name>_title``, ``_task`` and ``_hint`` (``words.py``). The definitions are data,
sent to the page in ``hello``'s options (``connection.options``), so the page and the tests
check the very same goals: ``checks`` here, ``challengeChecks`` in ``static/classroom.js``,
which must agree (``tests/playground/test_playground_classroom.py`` compares them).

A goal (every condition must hold at once):

* ``metric`` and ``below`` or ``at_least``: the frame's ``test_loss`` below a value, or its
  ``test_accuracy`` at least a value;
* ``features``: exactly these input features;
* ``min_layers``, ``max_layers``: how many hidden layers;
* ``max_neurons``: at most this many hidden neurons in all;
* always: the challenge's dataset, with its noise (the problem must not get easier).

``solution`` is a set of changes known to reach the goal within ``epochs`` epochs (for the
tests, and for a teacher who wants to show one).
"""

from __future__ import annotations

from .presets import BASE

CHALLENGES = {
    "spiral_x1x2": {
        "state": {"problem": "classification", "dataset": "spiral", "features": ["x1", "x2"],
                  "layers": [4, 2], "activations": ["tanh", "tanh"], "optimizer": "sgd",
                  "learning_rate": 0.03},
        "hide": ["features", "datasets", "problem", "preset", "upload", "noise"],
        "goal": {"metric": "test_accuracy", "at_least": 0.9, "features": ["x1", "x2"]},
        "solution": {"layers": [8, 8, 8, 8], "activations": ["relu"] * 4, "optimizer": "adam",
                     "learning_rate": 0.01},
        "epochs": 200,
    },
    "xor_smallest": {
        "state": {"problem": "classification", "dataset": "xor", "features": ["x1", "x2"],
                  "layers": [8, 8], "activations": ["tanh", "tanh"], "optimizer": "adam",
                  "learning_rate": 0.03},
        "hide": ["features", "datasets", "problem", "preset", "upload", "noise"],
        "goal": {"metric": "test_accuracy", "at_least": 0.95, "features": ["x1", "x2"],
                 "max_neurons": 4},
        "solution": {"layers": [4], "activations": ["tanh"]},
        "epochs": 150,
    },
    "circle_one_layer": {
        "state": {"problem": "classification", "dataset": "circle", "features": ["x1", "x2"],
                  "layers": [], "activations": [], "optimizer": "sgd", "learning_rate": 0.03},
        "hide": ["features", "datasets", "problem", "preset", "upload", "noise"],
        "goal": {"metric": "test_loss", "below": 0.1, "features": ["x1", "x2"],
                 "min_layers": 1, "max_layers": 1},
        "solution": {"layers": [4], "activations": ["tanh"], "optimizer": "adam"},
        "epochs": 100,
    },
    "gauss_one_neuron": {
        "state": {"problem": "classification", "dataset": "gauss", "features": ["x1", "x2"],
                  "layers": [4, 2], "activations": ["tanh", "tanh"], "optimizer": "sgd",
                  "learning_rate": 0.03},
        "hide": ["datasets", "problem", "preset", "upload", "noise"],
        "goal": {"metric": "test_loss", "below": 0.1, "max_layers": 0},
        "solution": {"layers": [], "activations": [], "optimizer": "adam"},
        "epochs": 50,
    },
    "sine_regression": {
        "state": {"problem": "regression", "dataset": "sine", "features": ["x1", "x2"],
                  "layers": [2], "activations": ["tanh"], "optimizer": "sgd",
                  "learning_rate": 0.01},
        "hide": ["datasets", "problem", "preset", "upload", "noise"],
        "goal": {"metric": "test_loss", "below": 0.01, "features": ["x1", "x2"]},
        "solution": {"layers": [8, 8], "activations": ["tanh", "tanh"], "optimizer": "adam"},
        "epochs": 250,
    },
}


def start_state(name: str) -> dict:
    """The changes that open challenge ``name`` (what it does not say is reset, as for a
    preset)."""
    return {**BASE, **CHALLENGES[name]["state"]}


def checks(name: str, state: dict, scores: dict) -> dict[str, bool]:
    """Each condition of challenge ``name``'s goal and whether ``state`` and ``scores`` (a
    frame's header, or ``Session.losses()``) meet it."""
    challenge = CHALLENGES[name]
    goal, start = challenge["goal"], start_state(name)
    out = {"data": all(state[k] == start[k] for k in ("problem", "dataset", "noise"))}
    if "features" in goal:
        out["features"] = sorted(state["features"]) == sorted(goal["features"])
    if "min_layers" in goal or "max_layers" in goal:
        out["layers"] = goal.get("min_layers", 0) <= len(state["layers"]) \
            <= goal.get("max_layers", len(state["layers"]))
    if "max_neurons" in goal:
        out["neurons"] = sum(state["layers"]) <= goal["max_neurons"]
    value = scores.get(goal["metric"])
    if value is None:
        out["score"] = False
    elif "below" in goal:
        out["score"] = value < goal["below"]
    else:
        out["score"] = value >= goal["at_least"]
    return out


def met(name: str, state: dict, scores: dict) -> bool:
    """Whether every condition of the goal holds."""
    return all(checks(name, state, scores).values())


def options() -> dict:
    """What the page gets in ``hello``: each challenge's start, hidden controls and goal."""
    return {name: {"state": start_state(name), "hide": c["hide"], "goal": c["goal"],
                   "epochs": c["epochs"]} for name, c in CHALLENGES.items()}
