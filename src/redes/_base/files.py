"""Atomic file writes and JSON that every reader understands (also JavaScript's).

Every file is written to a temporary file in the same folder and then renamed over the
real one, so a reader (or a process killed at any moment, even with ``kill -9``) sees
either the old file or the new one, never a part of one. Temporary files are named
``.tmp-<host>-<pid>-<random>.tmp``: their name ends neither like the file they replace nor
holds "tfevents", so no glob for ``*.png`` or TensorBoard picks them up, and the next write
in the same folder removes the ones whose process of this machine is gone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import socket
import stat
import tempfile
from pathlib import Path

import numpy as np

from redes.i18n import _


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
                raise ValueError(_("{where}: keys must be strings, got {key!r}").format(
                    where=where, key=key))
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
        _("{where}: cannot be written as JSON, got a {kind} ({value!r:.80}); "
          "expected numbers, strings, lists or dicts").format(
            where=where, kind=type(value).__name__, value=value)
    )


_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_TEMP = ".tmp-"
_HOST = re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname()) or "host"


class DiskFullError(OSError):
    """A file that could not be written because its disk (or the user's quota) is full.
    The file was left as it was before (see ``atomic_write``).

    Args:
        path: the file that could not be written.
        hint: what to do, in the user's language. Defaults to ``None`` ("Free some space and
            try again.").
        kept: what was kept, in the user's language. Defaults to ``None`` ("the file keeps
            its previous version").
    """

    def __init__(self, path, hint: str | None = None, kept: str | None = None):
        if hint is None:
            hint = _("Free some space and try again.")
        if kept is None:
            kept = _("the file keeps its previous version")
        message = _("{path}: the disk is full (no space left on device); {kept}. {hint}")
        super().__init__(errno.ENOSPC, message.format(path=path, kept=kept, hint=hint))
        self.filename = os.fspath(path)

    def __str__(self) -> str:
        return self.strerror


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk or the quota is full."""
    return isinstance(exc, OSError) and exc.errno in _FULL


def pid_alive(pid) -> bool:
    """Whether process ``pid`` still runs on this machine (assumed yes when unknown)."""
    if not isinstance(pid, int) or pid <= 0 or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)           # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:                          # a zombie has ended; only its parent has not reaped it
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def temp_prefix() -> str:
    """How the temporary files of this process begin: ``.tmp-<host>-<pid>-``."""
    return f"{_TEMP}{_HOST}-{os.getpid()}-"


def remove_stale_temps(folder) -> None:
    """Remove the temporary files in ``folder`` left by processes of this machine that no
    longer run (killed while writing). Those of live processes and of other machines stay."""
    head = f"{_TEMP}{_HOST}-"
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(head):
            pid = entry.name[len(head):].split("-", 1)[0]
            if pid.isdigit() and not pid_alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class NotAFileError(OSError):
    """The path redes was asked to write holds a symbolic link, a folder, a FIFO or a device:
    redes writes only regular files and leaves such paths as they are."""

    def __init__(self, path, kind: str):
        message = _("{path}: is {kind}; redes writes only regular files and left it as it is "
                    "(write to another path, or remove it first)")
        super().__init__(errno.EEXIST, message.format(path=path, kind=kind))
        self.filename = os.fspath(path)

    def __str__(self) -> str:
        return self.strerror


def _check_writable(path: Path) -> None:
    """``path`` is missing or a regular file (not followed if it is a link)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kinds = ((stat.S_ISLNK, _("a symbolic link")), (stat.S_ISDIR, _("a folder")),
             (stat.S_ISFIFO, _("a FIFO")), (stat.S_ISSOCK, _("a socket")))
    kind = next((name for test, name in kinds if test(mode)), _("a device"))
    raise NotAFileError(path, kind)


@contextlib.contextmanager
def atomic_path(path, suffix: str = ".tmp"):
    """Write ``path`` atomically: yields the path of a temporary file in the same folder,
    which replaces ``path`` when the block ends without error and is removed otherwise.
    ``suffix`` ends the temporary name (some writers choose the format by it).

    Raises:
        NotAFileError: ``path`` is a link, a folder, a FIFO or a device (left as it is).
        DiskFullError: the disk or the quota is full; ``path`` keeps its previous version.
    """
    path = Path(path)
    _check_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(), suffix=suffix)
        os.close(fd)
    except OSError as exc:
        if disk_full(exc):
            raise DiskFullError(path) from exc
        raise
    try:
        yield Path(tmp)
        os.chmod(tmp, _FILE_MODE)         # mkstemp makes private files; these are to share
        _check_writable(path)             # still not a link: one made meanwhile stays too
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if disk_full(exc):
            raise DiskFullError(path) from exc
        raise
    remove_stale_temps(path.parent)


@contextlib.contextmanager
def atomic_write(path):
    """Write ``path`` atomically (see ``atomic_path``): yields a binary file open for writing."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        yield f


def write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see ``atomic_write``)."""
    with atomic_write(path) as f:
        f.write(data)
    return Path(path)


def write_text(path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return write_bytes(path, text.encode("utf-8"))


def write_json(path, value, where: str = "value") -> Path:
    """Write ``value`` as indented UTF-8 JSON, atomically (see ``plain`` for the types)."""
    text = json.dumps(plain(value, where), indent=2, ensure_ascii=False, allow_nan=False)
    return write_text(path, text + "\n")


def read_json(path):
    """Read a JSON file written by ``write_json`` (``ValueError`` for anything else, a file
    nested too deeply to read included)."""
    with open(path, encoding="utf-8") as f:
        try:
            return json.load(f)
        except RecursionError:
            raise ValueError(_("JSON nested too deeply")) from None
