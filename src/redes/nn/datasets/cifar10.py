"""CIFAR-10: 60,000 color 32x32 images of 10 classes, as ``keras.datasets.cifar10``.

Classes, in label order (``CLASS_NAMES``): airplane, automobile, bird, cat, deer, dog,
frog, horse, ship, truck. Read from the batches of the archive ``cifar-10-python.tar.gz``
as Keras extracts it: ``cifar-10-batches-py/data_batch_1`` ... ``data_batch_5`` and
``test_batch``, Python pickles read with an unpickler that can only rebuild NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from ...i18n import N_
from .locations import KERAS_FILES, locate
from .readers import read_cifar_batch

__all__ = ["CLASS_NAMES", "load_data"]

CLASS_NAMES = (
    N_("airplane"), N_("automobile"), N_("bird"), N_("cat"), N_("deer"), N_("dog"),
    N_("frog"), N_("horse"), N_("ship"), N_("truck"),
)  # fmt: skip


def load_data():
    """Load CIFAR-10 from its extracted batches, without downloading.

    Same arrays as ``keras.datasets.cifar10.load_data()``. The batches are looked for in
    ``cifar-10-batches-py/`` of the redes data folder, then in Keras' cache, where Keras 3
    extracts them into ``cifar-10-batches-py-target/cifar-10-batches-py/`` (older Keras into
    ``cifar-10-batches-py/``). Images are channels last (``image_data_format`` of redes is
    always ``"channels_last"``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)``, and ``uint8`` labels 0-9 of
        shape ``(50000, 1)`` and ``(10000, 1)``.

    Raises:
        DatasetNotFoundError: a batch is missing; the message says how to get it.
        DatasetFormatError: a batch is not a CIFAR batch file.
    """
    paths = [locate(kfile) for kfile in KERAS_FILES["cifar10"]]
    batches = [read_cifar_batch(path) for path in paths]
    x_train = np.concatenate([x for x, _y in batches[:5]]).astype(np.uint8, copy=False)
    y_train = np.concatenate([y for _x, y in batches[:5]]).astype(np.uint8)
    x_test, y_test = batches[5]
    # (n, 3, 32, 32) planes of red, green, blue -> (n, 32, 32, 3) pixels
    x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.astype(np.uint8).transpose(0, 2, 3, 1)
    return (x_train, y_train.reshape(-1, 1)), (x_test, y_test.astype(np.uint8).reshape(-1, 1))
