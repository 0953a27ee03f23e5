"""Helpers named as in ``keras.utils``: labels and sequences as arrays, datasets in memory
(``Dataset``, ``PyDataset`` and the utilities that read folders of images or texts, or cut a
series into windows), images as arrays, downloads from Keras' cache, and drawings of
models."""

from __future__ import annotations

from ..backend import clear_session, set_random_seed
from ..drawing import plot_model
from .dataset import Dataset
from .directories import text_dataset_from_directory
from .files import get_file
from .image_dataset import image_dataset_from_directory
from .images import array_to_img, img_to_array, load_img, save_img
from .py_dataset import PyDataset
from .sequences import pad_sequences, to_categorical
from .split import split_dataset
from .timeseries import timeseries_dataset_from_array

Sequence = PyDataset      # Keras' older name of it

__all__ = [
    "Dataset", "PyDataset", "Sequence", "array_to_img", "clear_session", "get_file",
    "image_dataset_from_directory", "img_to_array", "load_img", "pad_sequences", "plot_model",
    "save_img", "set_random_seed", "split_dataset", "text_dataset_from_directory",
    "timeseries_dataset_from_array", "to_categorical",
]
