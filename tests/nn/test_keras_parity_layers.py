"""The common Keras parity test of the layers: every case of ``tests/nn/parity/`` builds the
same model in redes and in Keras 3, from Keras' initial weights; the outputs agree within
1e-5, and so do the weights and outputs after five Adam steps on the same batches."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import redes.nn as rn


def _load_cases() -> list:
    """Import ``tests/nn/parity`` as a package (under a name of its own) and gather its cases."""
    folder = Path(__file__).parent / "parity"
    name = "redes_tests_parity_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return sys.modules[name].gather()


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.mark.parametrize("case", _load_cases())
def test_layer_matches_keras(case, keras):
    keras.utils.set_random_seed(case.seed)
    theirs, ours = case.model(keras), case.model(rn)
    x = case.inputs()
    ours.set_weights(theirs.get_weights())
    out_theirs = np.asarray(theirs.predict(x, verbose=0))
    np.testing.assert_allclose(ours.predict(x, verbose=0), out_theirs, rtol=1e-5, atol=1e-5)
    if not case.steps:
        return
    y = case.targets(out_theirs.shape)
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss=case.loss)
        model.fit(x, y, batch_size=case.batch // case.steps, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
