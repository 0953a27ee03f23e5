"""The runs folder: where the runs live, and the folder of a new run in it."""

from __future__ import annotations

import os
from pathlib import Path

from ..i18n import _


def runs_root(root=None) -> Path:
    """The folder that holds the runs.

    Args:
        root: a folder. Defaults to the ``REDES_RUNS`` environment variable, else ``./runs``.
    """
    if root is None:
        root = os.environ.get("REDES_RUNS") or "runs"
    if not isinstance(root, (str, os.PathLike)) or not os.fspath(root):
        raise ValueError(_("root: expected a folder path, got {value!r}").format(value=root))
    if "\0" in os.fspath(root):
        raise ValueError(_("root: expected a folder path, got {value!r}").format(value=root))
    path = Path(root)
    for folder in (path, *path.parents):     # a file where a folder of the path should be
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise ValueError(_("root: expected a folder for the runs, got {path}, where "
                                   "{file} is a file").format(path=root, file=folder))
            break
    return path


def new_folder(root: Path, stem: str) -> Path:
    """Make the folder ``<root>/<stem>`` of a new run, or ``<stem>-1``, ``<stem>-2``... when
    that one exists (runs started in the same second). ``root`` is made if missing."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(10_000):
        path = root / (stem if n == 0 else f"{stem}-{n}")
        try:
            path.mkdir()              # atomic: two runs started together get two folders
            return path
        except FileExistsError:
            continue
    raise RuntimeError(_("root: too many runs named {stem} in {root}").format(
        stem=stem, root=root))
