"""Lesson (offline): the first network on scikit-learn's 8x8 digits.

The same network as the course's first one (a hidden Dense layer of 512 ReLU units, a
softmax of 10, RMSprop, sparse categorical crossentropy, 20 epochs of batches of 128) on the
1,797 digits of 8x8 pixels that ship with scikit-learn, so it runs anywhere in seconds.
1,347 images train and 450 test. Each pixel is normalized with the mean and standard
deviation of the training images: with only 64 pixels, some of them almost always blank,
this gains about 2 points over dividing by 16.

Expected result: about 98% test accuracy on both engines (97.8-98.0% over seeds 0-2), in
under a second on the NumPy engine.
"""

from redes.i18n import N_

RECIPE = {
    "name": "digits",
    "title": N_("Digits 8x8: the first network (Dense 512 relu, Dense 10 softmax), offline"),
    "lesson": N_(
        "The course's first network on scikit-learn's 8x8 digits: normalized pixels, one "
        "hidden Dense layer of 512 ReLU units and a softmax of 10, trained with RMSprop."
    ),
    "dataset": {"name": "digits", "kwargs": {"test_split": 0.25}},
    "preprocessing": [["normalize", {}]],
    "task": {"type": "multiclass", "classes": [str(d) for d in range(10)]},
    "model": {
        "layers": [
            ["Dense", {"units": 512, "activation": "relu"}],
            ["Dense", {"units": 10, "activation": "softmax"}],
        ],
        "optimizer": "rmsprop",
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 20, "batch_size": 128},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.97}},
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [32, 64, 128, 256, 512]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "batch_size": {"type": "choice", "values": [16, 32, 64, 128]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam", "sgd"]},
        "epochs": {"type": "int", "low": 5, "high": 50},
    },
}
