"""Hold-out splits and k-fold cross-validation."""

from __future__ import annotations

import numpy as np
import pytest

import redes.data as data


def test_holdout_sizes_disjoint_and_complete():
    x = np.arange(100)
    (xt, yt), (xv, yv), (xs, ys) = data.holdout(x, x * 10, validation=0.2, test=0.15, seed=1)
    assert (len(xt), len(xv), len(xs)) == (65, 20, 15)
    assert sorted(np.concatenate([xt, xv, xs]).tolist()) == list(range(100))
    np.testing.assert_array_equal(yv, xv * 10)  # x and y stay paired


def test_holdout_is_reproducible():
    x = np.arange(50)
    a = data.holdout(x, x, seed=3)
    b = data.holdout(x, x, seed=3)
    c = data.holdout(x, x, seed=4)
    np.testing.assert_array_equal(a[2][0], b[2][0])
    assert not np.array_equal(a[2][0], c[2][0])


def test_holdout_stratified_keeps_proportions():
    y = np.repeat([0, 1, 2], [50, 30, 20])
    x = np.arange(100)
    train, val, test = data.holdout(x, y, validation=0.2, test=0.2, seed=0, stratify=True)
    assert np.bincount(test[1]).tolist() == [10, 6, 4]
    assert np.bincount(val[1]).tolist() == [10, 6, 4]
    assert np.bincount(train[1]).tolist() == [30, 18, 12]
    one_hot = data.to_categorical(y)
    _, _, test_oh = data.holdout(x, one_hot, test=0.2, seed=0, stratify=True)
    assert test_oh[1].sum(axis=0).tolist() == [10, 6, 4]


def test_holdout_zero_fraction_gives_empty_set():
    x = np.arange(10)
    train, val, test = data.holdout(x, x, validation=0.0, test=0.3)
    assert len(val[0]) == 0 and len(test[0]) == 3 and len(train[0]) == 7


def test_holdout_errors():
    with pytest.raises(ValueError, match="^x, y: expected the same number of samples"):
        data.holdout(np.zeros(5), np.zeros(4))
    with pytest.raises(ValueError, match="^validation, test: .* leaves none for training"):
        data.holdout(np.zeros(4), np.zeros(4), validation=0.5, test=0.5)
    with pytest.raises(ValueError, match=r"^test: expected a number in \[0, 1\)"):
        data.holdout(np.zeros(4), np.zeros(4), test=1.5)
    with pytest.raises(ValueError, match="^y: expected integer values"):
        data.holdout(np.zeros(4), np.linspace(0, 1, 4), stratify=True)


@pytest.mark.parametrize("n, k, shuffle", [(10, 3, False), (10, 3, True), (404, 4, False)])
def test_kfold_validates_every_index_exactly_once(n, k, shuffle):
    folds = list(data.kfold(n, k, shuffle=shuffle, seed=0 if shuffle else None))
    assert len(folds) == k
    validated = np.concatenate([val for _, val in folds])
    assert sorted(validated.tolist()) == list(range(n))
    for train, val in folds:
        assert len(np.intersect1d(train, val)) == 0
        assert len(train) + len(val) == n
    sizes = [len(val) for _, val in folds]
    assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


def test_kfold_matches_the_course_slices():
    """The course's Boston loop: fold i validates samples [i*101, (i+1)*101)."""
    x = np.arange(404)
    for i, (train, val) in enumerate(data.kfold(x, 4)):
        np.testing.assert_array_equal(val, x[i * 101 : (i + 1) * 101])
        expected = np.concatenate([x[: i * 101], x[(i + 1) * 101 :]])
        np.testing.assert_array_equal(train, expected)


def test_kfold_shuffle_is_seeded():
    a = [v.tolist() for _, v in data.kfold(20, 4, shuffle=True, seed=5)]
    b = [v.tolist() for _, v in data.kfold(20, 4, shuffle=True, seed=5)]
    c = [v.tolist() for _, v in data.kfold(20, 4, shuffle=False)]
    assert a == b and a != c


def test_kfold_errors_are_raised_at_the_call():
    with pytest.raises(ValueError, match="^k: expected at most n=3 folds, got 4"):
        data.kfold(3, 4)
    with pytest.raises(ValueError, match="^k: expected an integer >= 2"):
        data.kfold(10, 1)
    with pytest.raises(ValueError, match="^seed: only used with shuffle=True"):
        data.kfold(10, 2, seed=1)
