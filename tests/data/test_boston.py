"""Boston housing: the shipped table gives exactly Keras' split."""

from __future__ import annotations

import numpy as np
import pytest

import redes.data as data
from redes.data import boston


def test_shipped_table():
    x, y = boston.read_csv()
    assert x.shape == (506, 13) and y.shape == (506,)
    assert x.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_allclose(x[0, :3], [0.00632, 18.0, 2.31])
    assert y[0] == 24.0 and y.min() == 5.0 and y.max() == 50.0
    assert boston.FEATURE_NAMES[11] == "B" and len(boston.FEATURE_NAMES) == 13


@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.25, 0), (0.0, 5)])
def test_csv_split_equals_keras_loader(homes, kf, keras_datasets, monkeypatch, test_split, seed):
    path = homes.tmp / "boston_housing.npz"
    kf.write_boston_npz(path, *boston.read_csv())  # the Keras file built from the same rows
    monkeypatch.setattr(keras_datasets.boston_housing, "get_file", lambda *a, **k: str(path))
    theirs = keras_datasets.boston_housing.load_data(test_split=test_split, seed=seed)
    for ours in (
        data.boston_housing(test_split=test_split, seed=seed),  # shipped table
        data.boston_housing(path=path, test_split=test_split, seed=seed),  # Keras file
    ):
        for part in (0, 1):
            for i in (0, 1):
                np.testing.assert_array_equal(ours[part][i], theirs[part][i])
                assert ours[part][i].dtype == theirs[part][i].dtype


def test_default_split_sizes_and_first_rows():
    (x_train, y_train), (x_test, y_test) = data.boston_housing()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    order = np.arange(506)
    np.random.RandomState(113).shuffle(order)
    x, y = boston.read_csv()
    np.testing.assert_array_equal(x_train[0], x[order[0]])
    np.testing.assert_array_equal(y_test, y[order[404:]])


def test_sources(homes, kf):
    x, y = boston.read_csv()
    kf.write_boston_npz(homes.keras / "boston_housing.npz", x * 2, y)
    assert data.boston_housing(raw=True)[0][0, 1] == 36.0  # auto: Keras' file wins
    assert data.boston_housing(source="csv", raw=True)[0][0, 1] == 18.0
    assert data.boston_housing(source="keras", raw=True)[0][0, 1] == 36.0
    (homes.keras / "boston_housing.npz").unlink()
    with pytest.raises(data.DatasetNotFoundError, match="boston_housing.npz"):
        data.boston_housing(source="keras")
    with pytest.raises(ValueError, match="^source: expected one of"):
        data.boston_housing(source="web")


def test_drop_b_and_raw():
    x, y = data.boston_housing(raw=True, drop_b=True)
    assert x.shape == (506, 12) and y.shape == (506,)
    full, _ = data.boston_housing(raw=True)
    np.testing.assert_array_equal(x, np.delete(full, 11, axis=1))
    (x_train, _), _ = data.boston_housing(drop_b=True)
    assert x_train.shape == (404, 12)


def test_ethical_warning_is_documented():
    for doc in (boston.__doc__, data.boston_housing.__doc__):
        assert "Ethical warning" in doc and "B" in doc and "Black" in doc


@pytest.mark.parametrize("kwargs", [{"test_split": 1.0}, {"test_split": -0.1}, {"seed": -1}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=f"^{next(iter(kwargs))}: expected"):
        data.boston_housing(**kwargs)
