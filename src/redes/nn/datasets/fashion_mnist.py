"""Fashion-MNIST: 70,000 grayscale 28x28 images of clothing, as
``keras.datasets.fashion_mnist``.

The classes, in label order, are ``CLASS_NAMES``: 0 T-shirt/top, 1 Trouser, 2 Pullover,
3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
License: Copyright (c) 2017 Zalando SE, MIT license.
"""

from __future__ import annotations

from ...i18n import N_
from .locations import KERAS_FILES, locate
from .readers import read_fashion_files

__all__ = ["CLASS_NAMES", "load_data"]

# In English, marked for translation: show one with ``redes.i18n.translated``.
CLASS_NAMES = (
    N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
    N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
)  # fmt: skip


def load_data():
    """Load the Fashion-MNIST dataset, without downloading.

    Same arrays as ``keras.datasets.fashion_mnist.load_data()`` reads from its four gzip
    IDX files, ``fashion-mnist/{train,t10k}-{labels-idx1,images-idx3}-ubyte.gz``. They are
    looked for in the redes data folder (copies registered with
    ``redes data add fashion_mnist FOLDER``) and then in Keras' cache
    (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(60000, 28, 28)`` and ``(10000, 28, 28)`` with values 0-255, and ``uint8`` labels
        0-9 (see ``CLASS_NAMES``).

    Raises:
        DatasetNotFoundError: a file is missing; the message says where it was looked for
            and how to get it.
        DatasetFormatError: a file is not a gzip IDX file of the right kind and size.
    """
    return read_fashion_files([locate(kfile) for kfile in KERAS_FILES["fashion_mnist"]])
