"""Saving a figure: a PNG written atomically, or the Figure itself when no path is given."""

from __future__ import annotations

import os
from pathlib import Path

from redes.i18n import _


def save_figure(fig, path, dpi=None) -> Path:
    """Save ``fig`` as a PNG at ``path`` atomically (creating the folder) and return the
    path. The figure is closed for drawing afterwards only by dropping it."""
    from redes._base.files import write_bytes

    from .._style import DPI, png_bytes

    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError(_("path: expected a file path ending in .png, got {value!r}").format(
            value=path))
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(_("path: expected a file name ending in .png, got {value!r}").format(
            value=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes(path, png_bytes(fig, dpi or DPI))


def _finish(fig, path):
    return fig if path is None else save_figure(fig, path)
