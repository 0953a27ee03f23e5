"""Lesson (offline): MNIST-1D with a dense network.

MNIST-1D turns ten digit templates into signals of 40 values, shifted, scaled, sheared and
noisy, generated on this machine (4,000 training and 1,000 test signals). Small, yet hard
for a dense network: a shift moves a pattern to other inputs, which a dense layer sees as
a different pattern, so it has to learn every position separately, and it overfits: the
training accuracy passes 90% while the test accuracy stays near 70%.

The network: Dense 100 ReLU, Dropout 0.2, Dense 100 ReLU, Dropout 0.2 and a softmax of 10,
trained with Adam on batches of 100 for 80 epochs; the learning rate is 0.003 for the first
2,800 steps (70 epochs) and 0.0003 afterwards (``PiecewiseConstantDecay``, counted in steps:
change it with the batch size or the epochs). Dropout and the final small steps make the
result steadier from one run to the next.

Expected result: about 70% test accuracy (68.6-70.5% over seeds 0-2; the MNIST-1D paper
reports 68% for its MLP).
"""

from redes.i18n import N_

RECIPE = {
    "name": "mnist1d_mlp",
    "title": N_("MNIST-1D: a dense network (Dense 100-100-10)"),
    "lesson": N_(
        "Classify 1D signals of 40 values into 10 digit templates with two hidden Dense "
        "layers and dropout: a dense network must learn every shifted copy of a pattern "
        "separately, and overfits."
    ),
    "dataset": {"name": "mnist1d", "kwargs": {}},
    "preprocessing": [],
    "task": {"type": "multiclass", "classes": [str(d) for d in range(10)]},
    "model": {
        "layers": [
            ["Dense", {"units": 100, "activation": "relu"}],
            ["Dropout", {"rate": 0.2}],
            ["Dense", {"units": 100, "activation": "relu"}],
            ["Dropout", {"rate": 0.2}],
            ["Dense", {"units": 10, "activation": "softmax"}],
        ],
        "optimizer": {"class_name": "Adam", "config": {"learning_rate": {
            "class_name": "PiecewiseConstantDecay",
            "config": {"boundaries": [2800], "values": [0.003, 0.0003]},
        }}},
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 80, "batch_size": 100},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.63}},
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [50, 100, 200, 400]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "l2": {"type": "log_uniform", "low": 1e-6, "high": 1e-2},
        "batch_size": {"type": "choice", "values": [32, 64, 100, 128]},
        "optimizer": {"type": "choice", "values": ["adam", "rmsprop"]},
    },
}
