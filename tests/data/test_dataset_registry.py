"""The dataset registry: names, load, available, and a light import."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import redes.data as data


def test_available_lists_every_dataset(homes, kf):
    infos = {i.name: i for i in data.available()}
    assert list(infos) == data.names()
    assert {"mnist", "fashion_mnist", "imdb", "reuters", "boston_housing", "mnist1d",
            "digits", "gaussian_quantiles", "xor", "spiral"} <= set(infos)  # fmt: skip
    assert infos["mnist"].offline is False and infos["boston_housing"].offline is True
    assert infos["boston_housing"].task == "regression"
    assert infos["boston_housing"].num_classes is None
    assert infos["imdb"].task == "binary" and infos["reuters"].num_classes == 46
    assert infos["mnist"].shapes["x_train"] == (60000, 28, 28)
    assert infos["xor"].offline is True and infos["xor"].shapes == {"X": (500, 2), "y": (500,)}
    kf.write_mnist(homes.keras / "mnist.npz")
    assert data.info("mnist").offline is True
    json.dumps([i.to_dict() for i in data.available()])


@pytest.mark.parametrize(
    "name",
    ["boston_housing", "digits", "breast_cancer", "wine", "gaussian_quantiles", "circles",
     "moons", "xor", "two_gaussians", "spiral"],
)  # fmt: skip
def test_offline_shapes_are_true(name):
    info = data.info(name)
    loaded = data.load(name)
    if "X" in info.shapes:
        assert loaded[0].shape == info.shapes["X"] and loaded[1].shape == info.shapes["y"]
    else:
        (x_train, y_train), (x_test, y_test) = loaded
        assert x_train.shape == info.shapes["x_train"]
        assert x_test.shape == info.shapes["x_test"]
        assert y_test.shape == info.shapes["y_test"]


def test_load_passes_arguments_and_forgives_spelling(homes):
    x, y = data.load("XOR", n_samples=12, seed=1)
    np.testing.assert_array_equal(x, data.xor(n_samples=12, seed=1)[0])
    (x_train, _), _ = data.load("Boston", test_split=0.5)
    assert x_train.shape == (253, 13)
    with pytest.raises(data.DatasetNotFoundError):
        data.load("fashion-mnist")


def test_unknown_name_suggests():
    with pytest.raises(ValueError, match="^name: unknown dataset 'minst'.*Did you mean 'mnist'"):
        data.load("minst")
    with pytest.raises(ValueError, match="^name: expected a dataset name"):
        data.info(3)


def test_import_is_light():
    code = (
        "import sys, redes.data; "
        "heavy = [m for m in ('sklearn', 'keras', 'tensorflow', 'mnist1d', 'matplotlib') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
