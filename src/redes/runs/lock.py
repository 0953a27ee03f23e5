"""The lock of a run folder: which process is training the run.

A run is "running" while its process holds ``.lock`` (an exclusive ``flock``); the operating
system lets go of the lock when the process ends in any way, so a killed run reads as
"interrupted" at once. Where there are no locks (Windows, some file systems) the process
recorded in status.json is checked instead.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from redes._base.files import pid_alive

from ..i18n import _
from .format import RunError

_LOCK = ".lock"


def take_lock(path: Path):
    """Lock the run at ``path`` for this process: the open ``.lock`` file holding an
    exclusive ``flock``, or None where there is no ``flock`` (Windows). The lock goes away
    with the process however it ends.

    Raises:
        RunError: another process is training the run.
    """
    try:
        import fcntl
    except ImportError:
        return None
    f = open(path / _LOCK, "ab")
    for _attempt in range(50):       # a reader checking the lock holds it for a moment
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except BlockingIOError:
            time.sleep(0.02)
        except OSError:       # a file system without locks: the recorded pid is checked
            f.close()
            return None
    f.close()
    raise RunError(_("run: {name} is being trained by another process; wait for it to "
                     "end or stop it first").format(name=path.name))


def lock_held(path: Path) -> bool | None:
    """Whether a process holds the lock of the run at ``path``; None when this cannot be
    told (a run of an older redes, no ``flock``, a file system without locks)."""
    try:
        import fcntl

        f = open(path / _LOCK, "rb")
    except (ImportError, OSError):
        return None
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        return False          # closing the file lets go of the shared lock


def process_ended(path: Path, status: dict) -> bool:
    """Whether the process training the run at ``path`` (recorded "running" in ``status``,
    the contents of status.json) ended without saying so: no process holds the run's lock,
    or, without locks, the recorded process of this machine no longer exists."""
    held = lock_held(path)
    return held is False or (held is None and not pid_alive(status.get("pid"))
                             and status.get("host") == socket.gethostname())
