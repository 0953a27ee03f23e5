"""Fixtures for redes.data: private data folders and tiny files in Keras' exact formats.

Every test runs with ``KERAS_HOME`` and ``REDES_HOME`` pointing into its own temporary
folder, so nothing reads or writes the user's real caches and nothing touches the network.
The writers below produce the same layouts as the files ``keras.datasets`` downloads:

* ``mnist.npz``: ``x_train``/``x_test`` uint8 ``(n, 28, 28)``, ``y_train``/``y_test`` uint8.
* ``fashion-mnist/*.gz``: gzip IDX files, magic 2049 (labels) and 2051 (images), big-endian
  sizes after the magic number.
* ``imdb.npz``: ``x_train``/``x_test`` object arrays of Python lists, ``y_train``/``y_test``
  int64; ``reuters.npz``: ``x`` object array of lists, ``y`` int64.
* ``boston_housing.npz``: ``x`` float64 ``(n, 13)``, ``y`` float64 ``(n,)``.
* ``*_word_index.json``: ``{"word": rank}`` with ranks from 1.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def homes(tmp_path, monkeypatch):
    """Point KERAS_HOME and REDES_HOME at fresh temporary folders."""
    keras_home, redes_home = tmp_path / "keras_home", tmp_path / "redes_home"
    (keras_home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.setenv("REDES_HOME", str(redes_home))
    return SimpleNamespace(
        keras=keras_home / "datasets", redes=redes_home / "datasets", tmp=tmp_path
    )


def object_array(sequences) -> np.ndarray:
    """A 1-D object array of lists, as in Keras' IMDB and Reuters files."""
    out = np.empty(len(sequences), dtype=object)
    for i, seq in enumerate(sequences):
        out[i] = list(seq)
    return out


def random_sequences(rng, n, vocab=30, max_len=12, min_len=0):
    """Ragged lists of word ranks 1..vocab-1 (ranks start at 1 in Keras' files)."""
    sizes = rng.integers(min_len, max_len, size=n)
    return [rng.integers(1, vocab, size=size).tolist() for size in sizes]


def write_mnist(path, n_train=6, n_test=4, seed=0, compressed=True):
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return arrays


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: magic 0x0000080N, sizes, then the bytes."""
    header = (0x0800 + array.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


FASHION_NAMES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def write_fashion(folder, n_train=5, n_test=3, seed=0):
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    y_train = rng.integers(0, 10, n_train, dtype=np.uint8)
    x_train = rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8)
    y_test = rng.integers(0, 10, n_test, dtype=np.uint8)
    x_test = rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8)
    for name, array in zip(FASHION_NAMES, (y_train, x_train, y_test, x_test)):
        with gzip.open(folder / name, "wb") as f:
            f.write(idx_bytes(array))
    return (x_train, y_train), (x_test, y_test)


def write_imdb(path, n_train=40, n_test=30, seed=0, vocab=30, max_len=12, min_len=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": object_array(random_sequences(rng, n_train, vocab, max_len, min_len)),
        "y_train": rng.integers(0, 2, n_train).astype(np.int64),
        "x_test": object_array(random_sequences(rng, n_test, vocab, max_len, min_len)),
        "y_test": rng.integers(0, 2, n_test).astype(np.int64),
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays


def write_reuters(path, n=50, seed=0, vocab=30, max_len=12, min_len=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "x": object_array(random_sequences(rng, n, vocab, max_len, min_len)),
        "y": rng.integers(0, 46, n).astype(np.int64),
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays


def write_word_index(path, vocab=30):
    index = {f"w{rank}": rank for rank in range(1, vocab)}
    Path(path).write_text(json.dumps(index), encoding="utf-8")
    return index


def write_boston_npz(path, x, y):
    np.savez(path, x=np.asarray(x, dtype=np.float64), y=np.asarray(y, dtype=np.float64))


@pytest.fixture
def kf():
    """The Keras-format writers, as one namespace."""
    return SimpleNamespace(
        object_array=object_array,
        random_sequences=random_sequences,
        write_mnist=write_mnist,
        idx_bytes=idx_bytes,
        fashion_names=FASHION_NAMES,
        write_fashion=write_fashion,
        write_imdb=write_imdb,
        write_reuters=write_reuters,
        write_word_index=write_word_index,
        write_boston_npz=write_boston_npz,
    )


@pytest.fixture(scope="session")
def keras_datasets():
    """Keras' dataset modules, to compare against (skipped when Keras is missing)."""
    pytest.importorskip("keras")
    from keras.src.datasets import boston_housing, fashion_mnist, imdb, mnist, reuters

    return SimpleNamespace(
        mnist=mnist, fashion_mnist=fashion_mnist, imdb=imdb, reuters=reuters,
        boston_housing=boston_housing,
    )  # fmt: skip
