"""Splitting data to measure generalization: hold-out sets and k-fold cross-validation.

A model is trained on the training set, tuned by its score on the validation set, and
judged once, at the end, on the test set. With little data (Boston housing has 404
training rows) a single validation set is noisy; k-fold validation trains k models, each
validated on a different fold, and averages their scores.
"""

from __future__ import annotations

import numpy as np

from .._base.checks import as_int_array, check_fraction, check_int, check_seed
from ..i18n import _


def _quotas(total: int, counts: np.ndarray) -> np.ndarray:
    """Share ``total`` among classes in proportion to ``counts`` (largest remainders)."""
    exact = total * counts / counts.sum()
    quota = np.floor(exact).astype(np.int64)
    remainder_order = np.argsort(-(exact - quota), kind="stable")
    quota[remainder_order[: total - quota.sum()]] += 1
    return np.minimum(quota, counts)


def _labels_for_strata(y) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot labels
        return y.argmax(axis=1)
    return as_int_array("y", y.reshape(len(y), -1)[:, 0] if y.ndim == 2 else y, ndim=1)


def holdout(x, y, validation=0.2, test=0.2, seed=0, stratify=False):
    """Split samples at random into training, validation and test sets.

    ``round(test * n)`` samples go to the test set, ``round(validation * n)`` to the
    validation set and the rest to training. With ``stratify=True`` every set keeps the
    class proportions of ``y``.

    Args:
        x: inputs, samples on axis 0.
        y: targets, one per sample.
        validation: fraction of all samples for validation, in [0, 1). Defaults to ``0.2``.
        test: fraction of all samples for testing, in [0, 1). Defaults to ``0.2``.
        seed: seed of the shuffle, or None for a different split each call. Defaults to
            ``0``.
        stratify: keep class proportions (``y`` must hold class labels, integer or one-hot).
            Defaults to ``False``.

    Returns:
        ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``; a set of fraction 0 is
        empty.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim < 1 or y.ndim < 1 or len(x) != len(y):
        raise ValueError(
            _("x, y: expected the same number of samples, got shapes {x_shape} and "
              "{y_shape}").format(x_shape=x.shape, y_shape=y.shape)
        )
    validation = check_fraction("validation", validation)
    test = check_fraction("test", test)
    seed = check_seed("seed", seed)
    n = len(x)
    n_test, n_val = int(round(test * n)), int(round(validation * n))
    if n_test + n_val >= n:
        raise ValueError(
            _("validation, test: {validation} + {test} of {n} samples leaves none for "
              "training; use smaller fractions").format(validation=validation, test=test, n=n)
        )
    rng = np.random.default_rng(seed)
    if not stratify:
        order = rng.permutation(n)
        parts = [order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]]
    else:
        labels = _labels_for_strata(y)
        classes, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        q_test = _quotas(n_test, counts)
        q_val = _quotas(n_val, counts - q_test)
        parts = [[], [], []]
        for c in range(len(classes)):
            members = rng.permutation(np.flatnonzero(inverse == c))
            a, b = q_test[c], q_test[c] + q_val[c]
            parts[2].append(members[:a])
            parts[1].append(members[a:b])
            parts[0].append(members[b:])
        parts = [rng.permutation(np.concatenate(p)) for p in parts]
    return tuple((x[idx], y[idx]) for idx in parts)


def kfold(n, k, shuffle=False, seed=None):
    """Yield the index pairs of k-fold cross-validation.

    The samples are cut into ``k`` consecutive folds (after a shuffle when ``shuffle``);
    fold ``i`` is the validation set of round ``i`` and the other folds its training set,
    so every sample is validated exactly once. When ``k`` does not divide ``n`` the first
    ``n % k`` folds get one sample more.

    Example (the course's Boston housing, k=4):
        >>> for train_idx, val_idx in kfold(len(x_train), 4):
        ...     model = build_model()
        ...     model.fit(x_train[train_idx], y_train[train_idx], epochs=100)
        ...     scores.append(model.evaluate(x_train[val_idx], y_train[val_idx]))

    Args:
        n: the number of samples, or an array whose length gives it.
        k: the number of folds, from 2 to ``n``.
        shuffle: shuffle the samples before cutting the folds. Defaults to ``False``
            (folds of consecutive samples, as in the course).
        seed: seed of the shuffle; only with ``shuffle=True``. Defaults to ``None``.

    Returns:
        An iterator over ``k`` pairs ``(train_indices, val_indices)`` of sorted int64
        arrays.
    """
    if not isinstance(n, (int, np.integer)) and hasattr(n, "__len__"):
        n = len(n)
    n = check_int("n", n, 2)
    k = check_int("k", k, 2)
    if k > n:
        raise ValueError(_("k: expected at most n={n} folds, got {k}").format(n=n, k=k))
    seed = check_seed("seed", seed)
    if seed is not None and not shuffle:
        raise ValueError(_("seed: only used with shuffle=True; pass shuffle=True or drop "
                           "seed"))
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k, dtype=np.int64)
    sizes[: n % k] += 1
    return _folds(order, sizes)  # arguments are checked now, folds are made when iterated


def _folds(order, sizes):
    stops = np.cumsum(sizes)
    for start, stop in zip(stops - sizes, stops):
        val = np.sort(order[start:stop])
        train = np.sort(np.concatenate([order[:start], order[stop:]]))
        yield train, val
