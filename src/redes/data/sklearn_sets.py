"""Small classic datasets that ship with scikit-learn, ready offline.

* ``digits``: 1,797 handwritten digits of 8x8 pixels (values 0-16), 10 classes: a small
  MNIST that trains in seconds.
* ``breast_cancer``: 569 breast tumours described by 30 measurements, malignant (0) or
  benign (1): binary classification.
* ``wine``: 178 wines from three cultivars described by 13 chemical measurements: 3 classes.

Each loader returns ``(x_train, y_train), (x_test, y_test)`` from a stratified split with a
fixed seed (the class proportions of both sets match the whole set), or the whole arrays
with ``raw=True``. Inputs are ``float32``, labels ``int64``.
"""

from __future__ import annotations

import numpy as np

from .._base.checks import check_fraction, check_seed
from ..i18n import _
from .splits import holdout


def _load(loader_name: str, test_split, seed, raw: bool):
    test_split = check_fraction("test_split", test_split, allow_zero=False)
    seed = check_seed("seed", seed, allow_none=False)
    try:
        from sklearn import datasets
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise ImportError(
            _("this dataset ships with scikit-learn: pip install scikit-learn")) from exc
    bunch = getattr(datasets, loader_name)()
    x = np.asarray(bunch.data, dtype=np.float32)
    y = np.asarray(bunch.target, dtype=np.int64)
    if raw:
        return x, y
    train, _validation, test = holdout(x, y, validation=0.0, test=test_split, seed=seed,
                                       stratify=True)
    return train, test


def digits(test_split=0.2, seed=0, *, raw=False):
    """Load scikit-learn's digits: 1,797 images of 8x8 pixels flattened to 64 features.

    Args:
        test_split: fraction of samples kept for testing, in (0, 1). Defaults to ``0.2``
            (360 test samples).
        seed: seed of the stratified split. Defaults to ``0``.
        raw: return the whole ``(x, y)`` instead of the split. Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``float32`` pixel values 0-16 of shape
        ``(n, 64)`` (reshape to ``(n, 8, 8)`` to see them) and labels 0-9.
    """
    return _load("load_digits", test_split, seed, raw)


def breast_cancer(test_split=0.2, seed=0, *, raw=False):
    """Load scikit-learn's breast cancer Wisconsin set: 569 tumours, 30 features.

    Labels: 0 malignant, 1 benign. The features have very different scales; normalize
    them (``redes.data.normalize``) before training.

    Args:
        test_split: fraction of samples kept for testing, in (0, 1). Defaults to ``0.2``
            (114 test samples).
        seed: seed of the stratified split. Defaults to ``0``.
        raw: return the whole ``(x, y)`` instead of the split. Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``float32`` features ``(n, 30)`` and
        labels 0-1.
    """
    return _load("load_breast_cancer", test_split, seed, raw)


def wine(test_split=0.2, seed=0, *, raw=False):
    """Load scikit-learn's wine set: 178 wines, 13 chemical features, 3 cultivars.

    Args:
        test_split: fraction of samples kept for testing, in (0, 1). Defaults to ``0.2``
            (36 test samples).
        seed: seed of the stratified split. Defaults to ``0``.
        raw: return the whole ``(x, y)`` instead of the split. Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``float32`` features ``(n, 13)`` and
        labels 0-2.
    """
    return _load("load_wine", test_split, seed, raw)
