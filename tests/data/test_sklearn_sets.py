"""scikit-learn's digits, breast cancer and wine, split with a fixed stratified seed."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import datasets as skd

import redes.data as data

SETS = [
    (data.digits, skd.load_digits, 1797, 64, 10),
    (data.breast_cancer, skd.load_breast_cancer, 569, 30, 2),
    (data.wine, skd.load_wine, 178, 13, 3),
]


@pytest.mark.parametrize(
    "load, sk_load, n, features, classes", SETS, ids=["digits", "breast_cancer", "wine"]
)
def test_split_shapes_stratification_and_raw(load, sk_load, n, features, classes):
    (x_train, y_train), (x_test, y_test) = load()
    n_test = round(0.2 * n)
    assert x_train.shape == (n - n_test, features) and x_test.shape == (n_test, features)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert set(np.unique(y_test)) == set(range(classes))
    _, y_all = load(raw=True)
    share_all = np.bincount(y_all) / n
    share_test = np.bincount(y_test, minlength=classes) / n_test
    assert np.abs(share_test - share_all).max() < 1.5 / n_test + 1e-9  # stratified
    x_raw, y_raw = load(raw=True)
    bunch = sk_load()
    np.testing.assert_array_equal(x_raw, bunch.data.astype(np.float32))
    np.testing.assert_array_equal(y_raw, bunch.target)
    rows = {row.tobytes() for row in x_raw}
    assert all(row.tobytes() in rows for row in x_test)


def test_fixed_seed_and_other_seed():
    a, b, c = data.wine(seed=0), data.wine(seed=0), data.wine(seed=1)
    np.testing.assert_array_equal(a[1][0], b[1][0])
    assert not np.array_equal(a[1][0], c[1][0])


def test_bad_split():
    with pytest.raises(ValueError, match=r"^test_split: expected a number in \(0, 1\)"):
        data.digits(test_split=0)
