"""Where dataset files live, how they are found, and how they are written safely.

Two folders are searched, in this order:

1. the redes data folder, ``$REDES_HOME/datasets`` (``~/.redes/datasets`` when
   ``REDES_HOME`` is not set), which holds the files registered with ``redes.data.add`` and
   the arrays redes generates and caches (MNIST-1D);
2. the Keras cache, ``$KERAS_HOME/datasets`` (``~/.keras/datasets`` when ``KERAS_HOME`` is
   not set), which ``keras.datasets.*.load_data()`` fills on a machine with internet. As in
   Keras, when the home folder is not writable the cache is ``/tmp/.keras/datasets``.

Both variables are read at every call, so changing them at run time takes effect at once.
Every write goes through redes' one atomic writer (``redes._base.files``): to a temporary
file in the destination folder first, then renamed, so an interrupted copy never leaves a
half-written dataset behind.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import numpy as np

from redes._base.files import atomic_write
from redes.i18n import _


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


# files being registered, read before they replace the copies in the data folder
_STAGED: ContextVar[tuple] = ContextVar("staged", default=())


@contextmanager
def staged(files: dict):
    """Within the block, ``find(name)`` returns ``files[name]`` (a path) before searching the
    folders: ``redes.data.add`` loads new copies this way before they replace old ones."""
    token = _STAGED.set((*_STAGED.get(), *files.items()))
    try:
        yield
    finally:
        _STAGED.reset(token)


def find(filename: str) -> Path | None:
    """The file being registered under ``filename`` (see ``staged``), else the first existing
    file among ``candidates(filename)``, else ``None``."""
    staged_here = dict(_STAGED.get())
    if filename in staged_here:
        return Path(staged_here[filename])
    for path in candidates(filename):
        if path.is_file():
            return path
    return None


def copy_whole(source, destination) -> Path:
    """Copy ``source`` to ``destination`` and check that every byte arrived."""
    shutil.copyfile(source, destination)
    if Path(destination).stat().st_size != Path(source).stat().st_size:
        raise OSError(_("copy of {source} to {destination} is incomplete").format(
            source=source, destination=destination))
    return Path(destination)


def atomic_savez(destination, **arrays) -> Path:
    """Save numeric arrays to an ``.npz`` file through a temporary file and a rename."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(destination) as f:
        np.savez(f, allow_pickle=False, **arrays)
    return destination
