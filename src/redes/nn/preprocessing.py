"""``keras.preprocessing``: Keras' older home of the data utilities, kept because published
programs still call ``keras.preprocessing.timeseries_dataset_from_array`` and its siblings.
They are the same functions as in ``redes.nn.utils``."""

from .utils import (
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)

__all__ = ["image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
