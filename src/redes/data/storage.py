"""Where dataset files live, how they are found, and how they are written safely.

Two folders are searched, in this order:

1. the redes data folder, ``$REDES_HOME/datasets`` (``~/.redes/datasets`` when
   ``REDES_HOME`` is not set), which holds the files registered with ``redes.data.add`` and
   the arrays redes generates and caches (MNIST-1D);
2. the Keras cache, ``$KERAS_HOME/datasets`` (``~/.keras/datasets`` when ``KERAS_HOME`` is
   not set), which ``keras.datasets.*.load_data()`` fills on a machine with internet. As in
   Keras, when the home folder is not writable the cache is ``/tmp/.keras/datasets``.

Both variables are read at every call, so changing them at run time takes effect at once.
Every write goes to a temporary file in the destination folder first and is then renamed,
so an interrupted copy never leaves a half-written dataset behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np


def redes_home() -> Path:
    """The redes folder: ``$REDES_HOME``, or ``~/.redes`` when it is not set."""
    env = os.environ.get("REDES_HOME")
    return Path(env).expanduser() if env else Path.home() / ".redes"


def keras_home() -> Path:
    """Keras' folder: ``$KERAS_HOME``, or ``~/.keras`` (``/tmp/.keras`` if ``~`` is read-only)."""
    env = os.environ.get("KERAS_HOME")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"


def redes_datasets_dir() -> Path:
    """``$REDES_HOME/datasets``: registered files and generated caches."""
    return redes_home() / "datasets"


def dataset_dirs() -> list[Path]:
    """Every folder searched for dataset files, in search order."""
    dirs = [redes_datasets_dir(), keras_home() / "datasets"]
    # keras.utils.get_file falls back to /tmp/.keras when the Keras home is not writable.
    if keras_home().is_dir() and not os.access(keras_home(), os.W_OK):
        dirs.append(Path("/tmp/.keras/datasets"))
    return dirs


def candidates(filename: str) -> list[Path]:
    """The full paths where ``filename`` (e.g. ``"fashion-mnist/t10k-labels-idx1-ubyte.gz"``)
    is looked for, in search order."""
    return [folder / filename for folder in dataset_dirs()]


def find(filename: str) -> Path | None:
    """The first existing file among ``candidates(filename)``, or ``None``."""
    for path in candidates(filename):
        if path.is_file():
            return path
    return None


@contextmanager
def atomic_path(destination):
    """Yield a temporary path next to ``destination``; rename it over ``destination`` at the
    end if the block succeeds, delete it if the block fails."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_copy(source, destination) -> Path:
    """Copy ``source`` to ``destination`` through a temporary file and a rename."""
    destination = Path(destination)
    with atomic_path(destination) as tmp:
        shutil.copyfile(source, tmp)
        if tmp.stat().st_size != Path(source).stat().st_size:
            raise OSError(f"copy of {source} to {destination} is incomplete")
    return destination


def atomic_savez(destination, **arrays) -> Path:
    """Save numeric arrays to an ``.npz`` file through a temporary file and a rename."""
    destination = Path(destination)
    with atomic_path(destination) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, allow_pickle=False, **arrays)
    return destination
