"""Settings known to solve each dataset: a starting point that works, to learn from.

Each preset is a set of changes to the state plus the goal it reaches: the test loss
(crossentropy for classification, mean squared error for regression) falls below ``goal``
within ``epochs`` epochs. ``tests/playground/test_playground_presets.py`` trains every preset and
checks it.
"""

from __future__ import annotations

ALL_FEATURES = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "cosx1", "cosx2"]

PRESETS = {
    "circle": {
        "state": {"problem": "classification", "dataset": "circle", "features": ["x1sq", "x2sq"],
                  "layers": [2], "activations": ["tanh"], "optimizer": "adam",
                  "learning_rate": 0.03, "batch_size": 10},
        "goal": 0.1, "epochs": 60,
    },
    "xor": {
        "state": {"problem": "classification", "dataset": "xor", "features": ["x1", "x2"],
                  "layers": [8], "activations": ["tanh"], "optimizer": "adam",
                  "learning_rate": 0.03, "batch_size": 10},
        "goal": 0.1, "epochs": 150,
    },
    "gauss": {
        "state": {"problem": "classification", "dataset": "gauss", "features": ["x1", "x2"],
                  "layers": [], "activations": [], "optimizer": "sgd",
                  "learning_rate": 0.03, "batch_size": 10},
        "goal": 0.1, "epochs": 30,
    },
    "spiral": {
        "state": {"problem": "classification", "dataset": "spiral",
                  "features": ["x1", "x2", "sinx1", "sinx2"], "layers": [8, 8, 6],
                  "activations": ["tanh", "tanh", "tanh"], "optimizer": "adam",
                  "learning_rate": 0.01, "batch_size": 10},
        "goal": 0.1, "epochs": 300,
    },
    "moons": {
        "state": {"problem": "classification", "dataset": "moons", "features": ["x1", "x2"],
                  "layers": [8, 4], "activations": ["tanh", "tanh"], "optimizer": "adam",
                  "learning_rate": 0.03, "batch_size": 10},
        "goal": 0.1, "epochs": 100,
    },
    "checkerboard": {
        "state": {"problem": "classification", "dataset": "checkerboard",
                  "features": ["sinx1", "sinx2"], "layers": [8],
                  "activations": ["tanh"], "optimizer": "adam",
                  "learning_rate": 0.03, "batch_size": 10, "points": 1000},
        "goal": 0.1, "epochs": 150,
    },
    "spiral3": {
        "state": {"problem": "classification", "dataset": "spiral3",
                  "features": ["x1", "x2", "sinx1", "sinx2", "cosx1", "cosx2"], "layers": [8, 8, 8],
                  "activations": ["tanh", "tanh", "tanh"], "optimizer": "adam",
                  "learning_rate": 0.01, "batch_size": 10, "points": 1000},
        "goal": 0.15, "epochs": 150,
    },
    "blobs": {
        "state": {"problem": "classification", "dataset": "blobs", "features": ["x1", "x2"],
                  "layers": [4], "activations": ["tanh"], "optimizer": "adam",
                  "learning_rate": 0.03, "batch_size": 10},
        "goal": 0.1, "epochs": 60,
    },
    "plane": {
        "state": {"problem": "regression", "dataset": "plane", "features": ["x1", "x2"],
                  "layers": [], "activations": [], "optimizer": "sgd",
                  "learning_rate": 0.01, "batch_size": 10},
        "goal": 0.001, "epochs": 30,
    },
    "multigauss": {
        "state": {"problem": "regression", "dataset": "multigauss",
                  "features": ALL_FEATURES, "layers": [8, 8], "activations": ["tanh", "tanh"],
                  "optimizer": "adam", "learning_rate": 0.01, "batch_size": 10},
        "goal": 0.02, "epochs": 300,
    },
    "sine": {
        "state": {"problem": "regression", "dataset": "sine", "features": ["x1", "x2"],
                  "layers": [8, 8], "activations": ["tanh", "tanh"], "optimizer": "adam",
                  "learning_rate": 0.01, "batch_size": 10},
        "goal": 0.01, "epochs": 200,
    },
}

# Settings every preset starts from (what it does not say is reset to these).
BASE = {"noise": 0, "train_ratio": 50, "points": 500, "regularization": "none",
        "reg_rate": 0.0, "dropout": 0.0}


def preset_state(name: str) -> dict:
    """The changes that load preset ``name``."""
    return {**BASE, **PRESETS[name]["state"]}
