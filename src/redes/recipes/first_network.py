"""Lesson: the first neural network, MNIST handwritten digits.

The course opens with a whole network before explaining any of it: 60,000 images of
28x28 pixels are flattened to 784 values scaled to [0, 1], a hidden layer of 512 ReLU
units feeds a softmax layer of 10 units (one probability per digit), and RMSprop minimizes
the sparse categorical crossentropy for 5 epochs of batches of 128. The lesson teaches the
words of the rest of the course: layers, loss, optimizer, metrics, epochs, batches, and the
gap between training and test accuracy.

Expected result: about 98% test accuracy (the course reports 97.8%).

MNIST comes from Keras' files (``redes data add mnist PATH`` or Keras' cache). Without
them, run the offline variant ``digits``: the same network on scikit-learn's 8x8 digits.
"""

from redes.i18n import N_

RECIPE = {
    "name": "first_network",
    "title": N_("The first network: MNIST digits with Dense 512 relu and Dense 10 softmax"),
    "lesson": N_(
        "A first look at a neural network: flatten each 28x28 image to 784 values in [0, 1], "
        "one hidden Dense layer of 512 ReLU units and a softmax output of 10 probabilities, "
        "trained with RMSprop on the sparse categorical crossentropy."
    ),
    "dataset": {"name": "mnist", "kwargs": {}},
    "preprocessing": [["flatten", {}], ["scale", {"divide_by": 255}]],
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
    "fit": {"epochs": 5, "batch_size": 128},
    "evaluation": "holdout",
    "expected": {"test_accuracy": {"min": 0.975}},
    "offline_variant": "digits",
    "search_space": {
        "learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
        "units": {"type": "choice", "values": [64, 128, 256, 512, 1024]},
        "layers": {"type": "int", "low": 1, "high": 3},
        "dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
        "batch_size": {"type": "choice", "values": [32, 64, 128, 256]},
        "optimizer": {"type": "choice", "values": ["rmsprop", "adam", "sgd"]},
    },
}
