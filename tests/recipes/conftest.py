"""Fixtures for the recipe tests: private data folders, and the optional Conv1D layer.

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


def engine_has_layers(recipe, engine="numpy") -> bool:
    """Whether every layer class of ``recipe`` exists in ``engine`` (Conv1D and Conv2D are
    new in redes.nn)."""
    from redes.engines import library

    layers = library(engine).layers
    return all(hasattr(layers, name) for name, _ in recipe["model"]["layers"])


def skip_missing_layers(recipe, engine="numpy"):
    if not engine_has_layers(recipe, engine):
        missing = [n for n, _ in recipe["model"]["layers"]
                   if not engine_has_layers({"model": {"layers": [[n, {}]]}}, engine)]
        pytest.skip(f"{engine} engine has no {', '.join(sorted(set(missing)))} yet")
