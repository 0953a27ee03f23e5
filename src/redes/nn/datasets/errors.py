"""The two errors a dataset loader raises: the file is missing, or the file is wrong.

``redes.data`` raises the same two classes (it re-exports them from here).
"""

from __future__ import annotations

from pathlib import Path


class DatasetNotFoundError(FileNotFoundError):
    """A dataset file is not on this machine.

    The message names the file, every place it was looked for, and the commands that put it
    there. The same facts are kept as attributes for programs (the CLI, the tour).

    Attributes:
        dataset: the dataset name, e.g. ``"mnist"``.
        filename: the file that is missing, relative to a datasets folder.
        searched: the full paths that were tried, in order.
    """

    def __init__(self, message: str, dataset: str, filename: str, searched=()):
        super().__init__(message)
        self.dataset = dataset
        self.filename = filename
        self.searched = [Path(p) for p in searched]

    def __str__(self) -> str:
        return str(self.args[0])


class DatasetFormatError(ValueError):
    """A dataset file exists but does not hold what it should.

    Raised for truncated archives, missing keys, wrong dtypes or shapes, bad magic numbers,
    and pickled Python objects where plain numbers are expected. The message starts with
    the file's path.

    Attributes:
        path: the file that was read.
    """

    def __init__(self, path, problem: str):
        self.path = Path(path)
        super().__init__(f"{self.path}: {problem}")
