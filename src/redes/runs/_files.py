"""Atomic file writes and JSON that every reader understands (also JavaScript's)."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def plain(value, where: str = "value"):
    """``value`` turned into plain JSON types: NumPy numbers and arrays become Python ones,
    tuples become lists, and NaN or infinity become ``None`` (JSON has no NaN).

    Args:
        value: a dict, list, tuple, str, number, bool, None or NumPy value.
        where: the name used in the error message, e.g. ``"config"``.

    Raises:
        ValueError: naming the key of a value JSON cannot hold (a function, an object...).
    """
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ValueError(f"{where}: keys must be strings, got {key!r}")
            out[str(key)] = plain(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), where)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise ValueError(
        f"{where}: cannot be written as JSON, got a {type(value).__name__} ({value!r:.80}); "
        "expected numbers, strings, lists or dicts"
    )


def write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a
    rename, so readers see either the old file or the new one, never half of it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _FILE_MODE)         # mkstemp makes private files; these are to share
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_text(path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return write_bytes(path, text.encode("utf-8"))


def write_json(path, value, where: str = "value") -> Path:
    """Write ``value`` as indented UTF-8 JSON, atomically (see ``plain`` for the types)."""
    text = json.dumps(plain(value, where), indent=2, ensure_ascii=False, allow_nan=False)
    return write_text(path, text + "\n")


def read_json(path):
    """Read a JSON file written by ``write_json``."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
