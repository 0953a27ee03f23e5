"""The two errors a dataset loader raises: the file is missing, or the file is wrong.

They are the engine's (``redes.nn.datasets.errors``): ``redes.data`` and
``redes.nn.datasets`` raise the same classes.
"""

from redes.nn.datasets.errors import DatasetFormatError, DatasetNotFoundError

__all__ = ["DatasetFormatError", "DatasetNotFoundError"]
