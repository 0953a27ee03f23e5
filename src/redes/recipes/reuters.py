"""Lesson: multiclass classification of newswires (Reuters, 46 topics).

Each newswire is multi-hot encoded over the 10,000 most frequent words and its topic
one-hot encoded over 46 classes. With 46 classes to tell apart, hidden layers of 16 units
would be an information bottleneck, so the course uses Dense 64, Dense 64 and a softmax of
46, trained with RMSprop on the categorical crossentropy, batches of 512; the first 1,000
training newswires are the validation set. Overfitting starts after about 9 epochs.

The ``bottleneck`` variant squeezes everything through a hidden layer of 4 units (64-4-46)
and loses several points of accuracy: a layer narrower than the number of classes throws
information away that later layers cannot recover.

Expected result: about 78-80% test accuracy (a random classifier gets about 19%); the
bottleneck variant about 71%.

Reuters comes from Keras' files. Without them, run the offline variant ``wine``, a
multiclass problem with the same kind of network.
"""

from redes.data.keras_sets import REUTERS_TOPICS
from redes.i18n import N_


def _dense(units):
    return ["Dense", {"units": units, "activation": "relu"}]


_OUTPUT = ["Dense", {"units": 46, "activation": "softmax"}]

RECIPE = {
    "name": "reuters",
    "title": N_("Reuters newswires: 46 topics with Dense 64-64-46 (and the 64-4-46 bottleneck)"),
    "lesson": N_(
        "Multi-hot encode each newswire, one-hot encode its topic among 46, and classify it "
        "with Dense 64, Dense 64 and a softmax of 46 trained on the categorical "
        "crossentropy; a 4-unit hidden layer shows the information bottleneck."
    ),
    "dataset": {"name": "reuters", "kwargs": {"num_words": 10000}},
    "preprocessing": [["multi_hot", {"dimension": 10000}], ["one_hot", {"num_classes": 46}]],
    "task": {"type": "multiclass", "classes": list(REUTERS_TOPICS)},
    "model": {
        "layers": [_dense(64), _dense(64), _OUTPUT],
        "optimizer": "rmsprop",
        "loss": "categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 9, "batch_size": 512, "validation": {"first": 1000}},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.77}},
    "offline_variant": "wine",
    "variants": {
        "baseline": {},
        "bottleneck": {"model.layers": [_dense(64), _dense(4), _OUTPUT], "fit.epochs": 20},
    },
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [32, 64, 128, 256]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "batch_size": {"type": "choice", "values": [128, 256, 512]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam"]},
        "epochs": {"type": "int", "low": 4, "high": 20},
    },
}
