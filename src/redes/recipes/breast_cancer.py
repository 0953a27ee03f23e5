"""Lesson (offline): binary classification of breast tumours.

The offline companion of the IMDB lesson: the same kind of network (two hidden Dense
layers of 16 ReLU units, one sigmoid unit, RMSprop, binary crossentropy) on the 569
tumours of scikit-learn's breast cancer Wisconsin set, 30 measurements each, malignant (0)
or benign (1). The measurements have very different scales (areas in the hundreds,
smoothness below 0.2), so they are normalized with the mean and standard deviation of the
training set only. 427 tumours train (the last 20% of them validate) and 142 test; 30
epochs of batches of 16.

Expected result: about 99% test accuracy on both engines (97.9-99.3% over seeds 0-2: one
test tumour is 0.7 points), in under a second on the NumPy engine.
"""

from redes.i18n import N_

RECIPE = {
    "name": "breast_cancer",
    "title": N_("Breast cancer: binary classification with Dense 16-16-1, offline"),
    "lesson": N_(
        "Classify tumours as malignant or benign from 30 normalized measurements with two "
        "hidden Dense layers of 16 ReLU units and one sigmoid unit trained on the binary "
        "crossentropy: the IMDB network on data that ships with scikit-learn."
    ),
    "dataset": {"name": "breast_cancer", "kwargs": {"test_split": 0.25}},
    "preprocessing": [["normalize", {}]],
    "task": {"type": "binary", "classes": [N_("malignant"), N_("benign")]},
    "model": {
        "layers": [
            ["Dense", {"units": 16, "activation": "relu"}],
            ["Dense", {"units": 16, "activation": "relu"}],
            ["Dense", {"units": 1, "activation": "sigmoid"}],
        ],
        "optimizer": "rmsprop",
        "loss": "binary_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 30, "batch_size": 16, "validation_split": 0.2},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.96}},
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [4, 8, 16, 32, 64]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "l2": {"type": "log_uniform", "low": 1e-5, "high": 1e-2},
        "batch_size": {"type": "choice", "values": [8, 16, 32, 64]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam", "sgd"]},
    },
}
