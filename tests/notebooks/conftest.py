"""Fixtures for the notebook tests: tiny copies of the course's Keras datasets, and a summary
of how long each notebook took, printed at the end of the test session."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

TIMINGS = pytest.StashKey[list]()


@pytest.fixture
def notebook_timings(request):
    """The list of (notebook run, seconds) printed at the end of the session."""
    return request.config.stash.setdefault(TIMINGS, [])


def pytest_terminal_summary(terminalreporter, config):
    timings = config.stash.get(TIMINGS, [])
    if not timings:
        return
    terminalreporter.section("notebook execution times")
    for name, seconds in timings:
        terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
    terminalreporter.write_line(f"{sum(s for _, s in timings):7.1f} s  total")


def _object_array(sequences) -> np.ndarray:
    out = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        out[i] = list(sequence)
    return out


def _reviews(rng, labels, vocab=10000, max_len=60):
    """Word-index lists whose words depend a little on the label, as Keras stores them."""
    out = []
    for label in labels:
        size = int(rng.integers(5, max_len))
        words = rng.integers(1, vocab, size=size)
        words[: size // 3] = rng.integers(1, 50, size=size // 3) + 50 * int(label)
        out.append(words.tolist())
    return out


def _images(rng, labels):
    """28x28 uint8 images: noise plus a bright square whose place depends on the label."""
    x = rng.integers(0, 60, (len(labels), 28, 28), dtype=np.uint8)
    for i, label in enumerate(labels):
        row, col = divmod(int(label), 5)
        x[i, 4 + 10 * row: 12 + 10 * row, 2 + 5 * col: 7 + 5 * col] = 250
    return x


def _idx(array: np.ndarray) -> bytes:
    header = (0x0800 + array.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_course_datasets(folder: Path, seed: int = 0, imdb_train: int = 3000) -> None:
    """Small MNIST, Fashion-MNIST, IMDB and Reuters files in the exact formats of the files
    ``keras.datasets`` downloads, in ``folder`` (a ``datasets`` folder of a Keras home).
    ``imdb_train`` reviews train (the imdb recipe validates on the first 10,000)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_train, n_test = 2500, 500

    y_train, y_test = rng.integers(0, 10, n_train), rng.integers(0, 10, n_test)
    np.savez_compressed(folder / "mnist.npz",
                        x_train=_images(rng, y_train), y_train=y_train.astype(np.uint8),
                        x_test=_images(rng, y_test), y_test=y_test.astype(np.uint8))

    fashion = folder / "fashion-mnist"
    fashion.mkdir(exist_ok=True)
    y_train, y_test = rng.integers(0, 10, n_train), rng.integers(0, 10, n_test)
    parts = {"train-labels-idx1-ubyte.gz": y_train, "train-images-idx3-ubyte.gz":
             _images(rng, y_train), "t10k-labels-idx1-ubyte.gz": y_test,
             "t10k-images-idx3-ubyte.gz": _images(rng, y_test)}
    for name, array in parts.items():
        with gzip.open(fashion / name, "wb") as f:
            f.write(_idx(np.asarray(array, dtype=np.uint8)))

    y_train, y_test = rng.integers(0, 2, imdb_train), rng.integers(0, 2, 1000)
    np.savez(folder / "imdb.npz",
             x_train=_object_array(_reviews(rng, y_train)), y_train=y_train.astype(np.int64),
             x_test=_object_array(_reviews(rng, y_test)), y_test=y_test.astype(np.int64))
    topics = rng.integers(0, 46, 4000)
    np.savez(folder / "reuters.npz", x=_object_array(_reviews(rng, topics % 2)),
             y=topics.astype(np.int64))
    index = {f"word{rank}": rank for rank in range(1, 10000)}
    for name in ("imdb_word_index.json", "reuters_word_index.json"):
        (folder / name).write_text(json.dumps(index), encoding="utf-8")


@pytest.fixture
def course_datasets(tmp_path):
    """A Keras home holding tiny copies of MNIST, Fashion-MNIST, IMDB and Reuters."""
    home = tmp_path / "keras_home_with_datasets"
    write_course_datasets(home / "datasets")
    return home
