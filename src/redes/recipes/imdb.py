"""Lesson: binary classification of movie reviews (IMDB), and the fight against overfitting.

Each review is a list of word indices (the 10,000 most frequent words); multi-hot encoding
turns it into a vector of 10,000 zeros and ones. Two hidden Dense layers of 16 ReLU units
and one sigmoid unit give the probability that the review is positive, trained with RMSprop
on the binary crossentropy, batches of 512, for 20 epochs; the first 10,000 training
reviews are the validation set.

The validation loss is lowest after about 4 epochs and then rises while the training loss
keeps falling: the network overfits. The ``variants`` are the course's study of remedies,
each compared with the baseline on the validation loss: a smaller network (4-4-1) overfits
later, a bigger one (512-512-1) at once; an L2 penalty (0.002) or Dropout (0.5) after each
hidden layer keeps the validation loss down.

Expected result: about 85-88% test accuracy after 20 epochs (88% when stopped at 4).

IMDB comes from Keras' files. Without them, run the offline variant ``breast_cancer``, a
binary classification of tumours with the same kind of network.
"""

from redes.i18n import N_

_L2 = {"class_name": "L2", "config": {"l2": 0.002}}


def _dense(units, **extra):
    return ["Dense", {"units": units, "activation": "relu", **extra}]


_OUTPUT = ["Dense", {"units": 1, "activation": "sigmoid"}]

RECIPE = {
    "name": "imdb",
    "title": N_("IMDB reviews: binary classification (16-16-1) and the overfitting study"),
    "lesson": N_(
        "Multi-hot encode each review over the 10,000 most frequent words and classify it as "
        "positive or negative with Dense 16, Dense 16 and one sigmoid unit. The validation "
        "loss turns up after a few epochs: compare smaller and bigger networks, L2 and "
        "dropout."
    ),
    "dataset": {"name": "imdb", "kwargs": {"num_words": 10000}},
    "preprocessing": [["multi_hot", {"dimension": 10000}]],
    "task": {"type": "binary", "classes": [N_("negative"), N_("positive")]},
    "model": {
        "layers": [_dense(16), _dense(16), _OUTPUT],
        "optimizer": "rmsprop",
        "loss": "binary_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 20, "batch_size": 512, "validation": {"first": 10000}},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.84}},
    "offline_variant": "breast_cancer",
    "variants": {
        "baseline": {},
        "smaller": {"model.layers": [_dense(4), _dense(4), _OUTPUT]},
        "bigger": {"model.layers": [_dense(512), _dense(512), _OUTPUT]},
        "l2": {"model.layers": [_dense(16, kernel_regularizer=_L2),
                                _dense(16, kernel_regularizer=_L2), _OUTPUT]},
        "dropout": {"model.layers": [_dense(16), ["Dropout", {"rate": 0.5}],
                                     _dense(16), ["Dropout", {"rate": 0.5}], _OUTPUT]},
    },
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [4, 8, 16, 32, 64]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "l2": {"type": "log_uniform", "low": 1e-5, "high": 1e-2},
        "batch_size": {"type": "choice", "values": [128, 256, 512]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam"]},
        "epochs": {"type": "int", "low": 2, "high": 20},
    },
}
