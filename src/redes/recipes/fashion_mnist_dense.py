"""Lesson: Fashion-MNIST with a dense network.

Fashion-MNIST has the shape of MNIST (60,000 training and 10,000 test images of 28x28
pixels, 10 classes) but shows clothes: T-shirts, trousers, pullovers, dresses, coats,
sandals, shirts, sneakers, bags and ankle boots. It is harder than digits: shirts, coats
and pullovers look alike. The notes' model flattens the image, scales the pixels to [0, 1]
and stacks Dense 128 ReLU and a softmax of 10, trained with Adam for 10 epochs. Learning
curves with a 10% validation split show where training starts to overfit.

Expected result: about 88% test accuracy.

The data come from Keras' files. Without them, run the offline variant ``digits``.
"""

from redes.data.keras_sets import FASHION_MNIST_CLASSES
from redes.i18n import N_

RECIPE = {
    "name": "fashion_mnist_dense",
    "title": N_("Fashion-MNIST: clothes with a dense network (Dense 128 relu, Dense 10 softmax)"),
    "lesson": N_(
        "Classify 28x28 images of clothes into 10 kinds with a flattened input, one hidden "
        "Dense layer of 128 ReLU units and a softmax output, trained with Adam; the "
        "validation curve shows when the network starts to overfit."
    ),
    "dataset": {"name": "fashion_mnist", "kwargs": {}},
    "preprocessing": [["flatten", {}], ["scale", {"divide_by": 255}]],
    "task": {"type": "multiclass", "classes": list(FASHION_MNIST_CLASSES)},
    "model": {
        "layers": [
            ["Dense", {"units": 128, "activation": "relu"}],
            ["Dense", {"units": 10, "activation": "softmax"}],
        ],
        "optimizer": "adam",
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 10, "batch_size": 32, "validation_split": 0.1},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.87}},
    "offline_variant": "digits",
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [64, 128, 256, 512]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "l2": {"type": "log_uniform", "low": 1e-6, "high": 1e-3},
        "batch_size": {"type": "choice", "values": [32, 64, 128]},
        "optimizer": {"type": "choice", "values": ["adam", "rmsprop"]},
    },
}
