"""Readers for the file formats of Keras' datasets, written so that reading never runs code,
and of the samples a user brings to a trained model (``read_samples``).

The Keras formats are the engine's (``redes.nn.datasets.formats``, where each format is
described); ``redes.data`` uses the same functions.
"""

from pathlib import Path

import numpy as np

from redes.i18n import _
from redes.nn.datasets.formats import (
    MAX_UNPACK_RATIO,
    flatten_sequences,
    npy_header,
    read_idx,
    read_npy,
    read_npz,
    read_pickled_batch,
    read_word_index,
    split_sequences,
)

__all__ = [
    "MAX_UNPACK_RATIO", "flatten_sequences", "npy_header", "read_idx", "read_npy", "read_npz",
    "read_pickled_batch", "read_samples", "read_word_index", "split_sequences",
]  # fmt: skip


def read_samples(path) -> np.ndarray:
    """The samples of a .csv file (one per row, numbers only, no header) or a .npy file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(_("inputs: no such file {path}").format(path=path))
    if path.suffix == ".npy":
        return read_npy(path)
    if path.suffix != ".csv":
        raise ValueError(_("inputs: expected a .csv or .npy file, got {path}").format(path=path))
    try:
        return np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise ValueError(_("inputs: {path} must hold numbers only, comma-separated "
                           "({reason})").format(path=path, reason=exc)) from exc
