"""2D toy problems: shapes, dtypes, determinism, and the meaning of their labels."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import datasets as skd

import redes.data as data

TOYS = [
    data.gaussian_quantiles,
    data.circles,
    data.moons,
    data.xor,
    data.two_gaussians,
    data.spiral,
]


@pytest.mark.parametrize("make", TOYS, ids=lambda f: f.__name__)
def test_shapes_dtypes_and_determinism(make):
    x, y = make(n_samples=90, noise=0.1, seed=3)
    assert x.shape == (90, 2) and x.dtype == np.float32
    assert y.shape == (90,) and y.dtype == np.int64
    again_x, again_y = make(n_samples=90, noise=0.1, seed=3)
    np.testing.assert_array_equal(x, again_x)
    np.testing.assert_array_equal(y, again_y)
    other_x, _ = make(n_samples=90, noise=0.1, seed=4)
    assert not np.array_equal(x, other_x)
    assert np.all(np.bincount(y) >= 29)  # balanced classes, samples shuffled
    assert len(set(y[:10].tolist())) > 1


@pytest.mark.parametrize("make", TOYS, ids=lambda f: f.__name__)
def test_arguments_are_checked(make):
    with pytest.raises(ValueError, match="^n_samples: expected an integer"):
        make(n_samples=1)
    with pytest.raises(ValueError, match="^noise: expected a finite number >= 0"):
        make(noise=-0.1)
    with pytest.raises(ValueError, match="^seed: expected an integer"):
        make(seed="a")


def test_gaussian_quantiles_is_the_course_problem():
    x, y = data.gaussian_quantiles(n_samples=1000, seed=7)
    sx, sy = skd.make_gaussian_quantiles(
        mean=None, cov=0.1, n_samples=1000, n_features=2, n_classes=2, shuffle=True,
        random_state=7,
    )  # fmt: skip
    np.testing.assert_array_equal(x, sx.astype(np.float32))
    np.testing.assert_array_equal(y, sy)
    radius = np.linalg.norm(x, axis=1)
    assert radius[y == 0].max() <= radius[y == 1].min()  # inner disc against outer ring


def test_circles_and_moons_equal_scikit_learn():
    x, y = data.circles(n_samples=101, noise=0.05, seed=2, factor=0.3)
    sx, sy = skd.make_circles(n_samples=101, noise=0.05, random_state=2, factor=0.3)
    np.testing.assert_array_equal(x, sx.astype(np.float32))
    np.testing.assert_array_equal(y, sy)
    x, y = data.moons(n_samples=80, noise=0.0, seed=1)
    sx, sy = skd.make_moons(n_samples=80, random_state=1)
    np.testing.assert_array_equal(x, sx.astype(np.float32))


def test_xor_labels_follow_quadrants():
    x, y = data.xor(n_samples=400, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(int))
    assert np.abs(x).max() <= 1.0


def test_two_gaussians_centres():
    x, y = data.two_gaussians(n_samples=2000, noise=0.5, seed=0)
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [-1, -1], atol=0.05)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [1, 1], atol=0.05)
    np.testing.assert_allclose(x[y == 1].std(axis=0), [0.5, 0.5], atol=0.05)


def test_spiral_classes_and_radius():
    x, y = data.spiral(n_samples=500, n_classes=5, noise=0.0, seed=0)
    assert np.bincount(y).tolist() == [100] * 5
    assert np.linalg.norm(x, axis=1).max() == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="^n_classes: expected an integer >= 2"):
        data.spiral(n_classes=1)
