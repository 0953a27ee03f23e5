"""Lesson: Fashion-MNIST with a convolutional network.

A convolution looks at small windows of the image with the same kernel everywhere, so it
learns local patterns (edges, textures) wherever they appear, with far fewer weights than a
dense layer. The notes' model: Conv2D 32 3x3 ReLU, MaxPooling 2x2, Conv2D 64 3x3 ReLU,
MaxPooling 2x2, then Flatten, Dense 64 ReLU and a softmax of 10. The images keep their
shape, with a channel axis: (28, 28, 1).

Expected result: about 91% test accuracy, some 3 points above the dense network.

The data come from Keras' files. Without them, run the offline variant ``mnist1d_cnn``,
a convolutional network on MNIST-1D.
"""

from redes.data.keras_sets import FASHION_MNIST_CLASSES
from redes.i18n import N_

RECIPE = {
    "name": "fashion_mnist_cnn",
    "title": N_("Fashion-MNIST: clothes with a convolutional network (Conv2D + MaxPooling)"),
    "lesson": N_(
        "Convolutions learn local patterns anywhere in the image: two Conv2D + MaxPooling2D "
        "blocks, then Flatten, Dense 64 ReLU and a softmax output. The images keep their "
        "(28, 28, 1) shape."
    ),
    "dataset": {"name": "fashion_mnist", "kwargs": {}},
    "preprocessing": [["scale", {"divide_by": 255}], ["reshape", {"shape": [28, 28, 1]}]],
    "task": {"type": "multiclass", "classes": list(FASHION_MNIST_CLASSES)},
    "model": {
        "layers": [
            ["Conv2D", {"filters": 32, "kernel_size": 3, "activation": "relu"}],
            ["MaxPooling2D", {"pool_size": 2}],
            ["Conv2D", {"filters": 64, "kernel_size": 3, "activation": "relu"}],
            ["MaxPooling2D", {"pool_size": 2}],
            ["Flatten", {}],
            ["Dense", {"units": 64, "activation": "relu"}],
            ["Dense", {"units": 10, "activation": "softmax"}],
        ],
        "optimizer": "adam",
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 10, "batch_size": 64, "validation_split": 0.1},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.9}},
    "offline_variant": "mnist1d_cnn",
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [32, 64, 128]},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "batch_size": {"type": "choice", "values": [32, 64, 128]},
        "optimizer": {"type": "choice", "values": ["adam", "rmsprop"]},
    },
}
