"""Fixtures for the recipe tests: private data folders.

Every test session uses its own ``KERAS_HOME`` and ``REDES_HOME``, so the Keras datasets
(MNIST, Fashion-MNIST, IMDB, Reuters) are certainly missing and nothing is written to the
user's folders. MNIST-1D is copied from the user's cache when it is there (it takes seconds
to generate) and generated into the private folder otherwise.
"""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_homes(tmp_path_factory):
    from redes.data import mnist1d_data

    homes = tmp_path_factory.mktemp("homes")
    cached = mnist1d_data.cache_path()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KERAS_HOME", str(homes / "keras"))
        mp.setenv("REDES_HOME", str(homes / "redes"))
        if cached.is_file():
            mnist1d_data.cache_path().parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(cached, mnist1d_data.cache_path())
        yield homes
