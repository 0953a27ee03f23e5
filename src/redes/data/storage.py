"""Where dataset files live, how they are found, and how they are written safely.

Two folders are searched, in this order:

1. the redes data folder, ``$REDES_HOME/datasets`` (``~/.redes/datasets`` when
   ``REDES_HOME`` is not set), which holds the files registered with ``redes.data.add`` and
   the arrays redes generates and caches (MNIST-1D);
2. the Keras cache, ``$KERAS_HOME/datasets`` (``~/.keras/datasets`` when ``KERAS_HOME`` is
   not set), which ``keras.datasets.*.load_data()`` fills on a machine with internet. As in
   Keras, when the home folder is not writable the cache is ``/tmp/.keras/datasets``.

Both variables are read at every call, so changing them at run time takes effect at once.
The rule lives in the engine (``redes.nn.datasets.locations``), which reads the same files.
Every write goes through redes' one atomic writer (``redes._base.files``): to a temporary
file in the destination folder first, then renamed, so an interrupted copy never leaves a
half-written dataset behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from redes._base.files import atomic_write
from redes.i18n import _
from redes.nn.datasets.locations import (
    candidates,
    dataset_dirs,
    find,
    keras_home,
    redes_datasets_dir,
    redes_home,
    staged,
)

__all__ = [
    "atomic_savez", "candidates", "copy_whole", "dataset_dirs", "find", "keras_home",
    "redes_datasets_dir", "redes_home", "staged",
]  # fmt: skip


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
