"""Keras' datasets, read from files already on this machine: ``keras.datasets`` offline.

``redes.nn.datasets.mnist.load_data()`` returns what ``keras.datasets.mnist.load_data()``
returns, with the same arguments, for ``mnist``, ``fashion_mnist``, ``imdb`` and
``reuters`` (with ``get_word_index``; Reuters also ``get_label_names``),
``boston_housing`` and ``cifar10``: the same arrays, dtypes, shuffles and filtering.

Nothing is ever downloaded. Each file is looked for in the redes data folder
(``$REDES_HOME/datasets``, where ``redes data add NAME FILE`` registers a copy) and then in
Keras' cache (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``), which Keras fills
on a computer with internet; see ``locations``. When a file is missing,
``DatasetNotFoundError`` names it, every place it was looked for, and how to get it. Boston
housing always loads: its table ships with redes. A file that is there but wrong raises
``DatasetFormatError``. Reading never runs code from a file: see ``formats``.

Example::

    import redes.nn as keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
"""

from . import boston_housing, cifar10, fashion_mnist, imdb, mnist, reuters
from .errors import DatasetFormatError, DatasetNotFoundError

__all__ = [
    "DatasetFormatError",
    "DatasetNotFoundError",
    "boston_housing",
    "cifar10",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
