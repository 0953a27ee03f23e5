"""MNIST: 70,000 grayscale 28x28 images of handwritten digits, as ``keras.datasets.mnist``.

License: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative work of
the original NIST datasets, made available under the terms of the Creative Commons
Attribution-Share Alike 3.0 license.
"""

from __future__ import annotations

from .locations import locate, spec
from .readers import read_mnist_npz

__all__ = ["load_data"]


def load_data(path="mnist.npz"):
    """Load the MNIST dataset of handwritten digits, without downloading.

    Same arrays as ``keras.datasets.mnist.load_data()`` reads from ``mnist.npz``: 60,000
    training and 10,000 test images. The file is looked for in the redes data folder (a copy
    registered with ``redes data add mnist FILE``) and then in Keras' cache
    (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``).

    Args:
        path: the file's name in those folders. Defaults to ``"mnist.npz"``. An existing
            file may also be given by its full path.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(60000, 28, 28)`` and ``(10000, 28, 28)`` with values 0-255, and ``uint8`` labels
        0-9 of shape ``(60000,)`` and ``(10000,)``.

    Raises:
        DatasetNotFoundError: the file is missing; the message says where it was looked for
            and how to get it.
        DatasetFormatError: the file is not Keras' MNIST archive.
    """
    return read_mnist_npz(locate(spec("mnist"), path))
