"""Datasets, preprocessing and splits for the course's problems.

Datasets (``load(name)`` or the function of the same name; ``available()`` lists them):

* Keras' datasets, read offline from Keras' cache or from a registered copy
  (``add("mnist", PATH)``): ``mnist``, ``fashion_mnist``, ``imdb`` and ``reuters`` (with
  ``get_word_index``, ``decode_review``, ``decode_newswire``, ``reuters_topics``) and
  ``boston_housing`` (its table ships with redes; read the ethical warning in its
  docstring). A missing file raises ``DatasetNotFoundError`` explaining how to get it.
* scikit-learn's ``digits``, ``breast_cancer`` and ``wine``; ``mnist1d`` generated locally.
* 2D toy problems: ``gaussian_quantiles`` (the course's circles), ``circles``, ``moons``,
  ``xor``, ``two_gaussians`` and ``spiral``.

Preprocessing: ``Normalizer`` / ``normalize`` (statistics of the training data only),
``to_categorical`` / ``to_one_hot``, ``multi_hot`` (``vectorize_sequences``),
``pad_sequences``. Splits: ``holdout`` and ``kfold``.

Example:
    >>> from redes import data
    >>> (x_train, y_train), (x_test, y_test) = data.boston_housing()
    >>> x_train, x_test = data.normalize(x_train, x_test)
    >>> for train_idx, val_idx in data.kfold(len(x_train), 4):
    ...     ...
"""

from .boston import boston_housing
from .errors import DatasetFormatError, DatasetNotFoundError
from .keras_sets import (
    FASHION_MNIST_CLASSES,
    REUTERS_TOPICS,
    add,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
    reuters_topics,
)
from .keras_words import decode_newswire, decode_review, get_word_index
from .mnist1d_data import mnist1d
from .preprocessing import (
    Normalizer,
    multi_hot,
    normalize,
    pad_sequences,
    to_categorical,
    to_one_hot,
    vectorize_sequences,
)
from .registry import DatasetInfo, available, info, load, names
from .sklearn_sets import breast_cancer, digits, wine
from .splits import holdout, kfold
from .storage import dataset_dirs, keras_home, redes_home
from .toy import circles, gaussian_quantiles, moons, spiral, two_gaussians, xor

__all__ = [
    "DatasetFormatError",
    "DatasetInfo",
    "DatasetNotFoundError",
    "FASHION_MNIST_CLASSES",
    "Normalizer",
    "REUTERS_TOPICS",
    "add",
    "available",
    "boston_housing",
    "breast_cancer",
    "circles",
    "dataset_dirs",
    "decode_newswire",
    "decode_review",
    "digits",
    "fashion_mnist",
    "gaussian_quantiles",
    "get_word_index",
    "holdout",
    "imdb",
    "info",
    "keras_home",
    "kfold",
    "load",
    "mnist",
    "mnist1d",
    "moons",
    "multi_hot",
    "names",
    "normalize",
    "pad_sequences",
    "redes_home",
    "reuters",
    "reuters_topics",
    "spiral",
    "to_categorical",
    "to_one_hot",
    "two_gaussians",
    "vectorize_sequences",
    "wine",
    "xor",
]
