"""Readers for the file formats of Keras' datasets, written so that reading never runs code.

They are the engine's (``redes.nn.datasets.formats``, where each format is described);
``redes.data`` uses the same functions.
"""

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
    "read_pickled_batch", "read_word_index", "split_sequences",
]  # fmt: skip
