"""Lesson (offline): multiclass classification of wines.

The offline companion of the Reuters lesson: 178 wines from three cultivars, 13 chemical
measurements each, normalized with the statistics of the training set; two hidden Dense
layers and a softmax of 3 trained on the sparse categorical crossentropy (integer labels,
no one-hot needed), 40 epochs of batches of 16 with a 20% validation split. Only 142 wines
train and 36 test, so a single test error costs almost 3 points.

Expected result: 97-100% test accuracy on both engines (99% on average over seeds 0-2).
"""

from redes.i18n import N_

RECIPE = {
    "name": "wine",
    "title": N_("Wine: three cultivars with Dense 16-16-3, offline"),
    "lesson": N_(
        "Classify wines into three cultivars from 13 normalized chemical measurements with "
        "two hidden Dense layers of 16 ReLU units and a softmax of 3: a small multiclass "
        "problem that ships with scikit-learn."
    ),
    "dataset": {"name": "wine", "kwargs": {}},
    "preprocessing": [["normalize", {}]],
    "task": {"type": "multiclass",
             "classes": [N_("cultivar 1"), N_("cultivar 2"), N_("cultivar 3")]},
    "model": {
        "layers": [
            ["Dense", {"units": 16, "activation": "relu"}],
            ["Dense", {"units": 16, "activation": "relu"}],
            ["Dense", {"units": 3, "activation": "softmax"}],
        ],
        "optimizer": "rmsprop",
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 40, "batch_size": 16, "validation_split": 0.2},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.95}},
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [4, 8, 16, 32, 64]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "l2": {"type": "log_uniform", "low": 1e-5, "high": 1e-2},
        "batch_size": {"type": "choice", "values": [8, 16, 32]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam", "sgd"]},
    },
}
