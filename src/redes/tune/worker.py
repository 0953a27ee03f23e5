"""A worker process of a study: ``python -m redes.tune.worker`` reads its job as one line
of JSON on standard input and runs its share of the trials (``run_study(..., workers=K)``
starts K of them on the same storage).

The job: ``{"storage", "study_name", "folder", "trials", "timeout", "sampler_seed",
"pruner", "heartbeat_interval"}``.

A worker ends with the process that started it, however that process ends (Ctrl+C,
SIGTERM, SIGKILL): it runs while its standard input stays open, and ``run_study`` keeps it
open until the worker is done.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1   # from <linux/prctl.h>


def main() -> int:
    from ..i18n import _
    from .opening import open_study
    from .results import stored_attrs
    from .running import disk_full_errors, optimize
    from .space import TuneError

    try:
        job = json.loads(sys.stdin.readline())
        _end_with_parent()
        with disk_full_errors(job["storage"]):
            study, _created = open_study(job["storage"], job["study_name"], None,
                                          job["sampler_seed"], job["pruner"],
                                          job["heartbeat_interval"])
            optimize(study, stored_attrs(study), job["folder"], job["trials"], job["timeout"])
    except TuneError as exc:
        print(_("redes tune worker: {error}").format(error=exc), file=sys.stderr)
        return 2
    except OSError as exc:               # a full disk, a folder that cannot be written
        print(_("redes tune worker: {error}").format(error=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _end_with_parent() -> None:
    """End this worker at once when the process that started it ends, even killed with
    SIGKILL, so that no worker goes on running trials that nobody asked for.

    The worker simply ends (as SIGTERM ends it): the study stays sound, because the
    database commits each change whole or not at all, and the trial it was running, left
    "running", is marked failed and queued again by the next process of this machine that
    opens the study (``redes.tune.opening.fail_dead_trials``; ``run_study`` does it at once
    when it stopped its workers itself). Stopping it gently instead, with an exception in
    the middle of its work, could break a write to the database half-way, and the worker
    would then fail with a database error instead of ending.

    Two ways, because neither covers every case alone. On Linux the kernel sends SIGTERM
    the moment the parent ends (prctl PR_SET_PDEATHSIG), whatever the parent did with its
    files. Everywhere (macOS and Windows have no such call), a thread waits for the end of
    standard input: the parent holds the only other end of that pipe, and the system
    closes it when the parent ends. The pipe also tells when the parent ended before this
    worker got here, where the kernel's signal would never come.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):    # no C library to call: the thread suffices
            pass
    threading.Thread(target=_end_at_end_of_input, daemon=True,
                     name="redes-worker-parent").start()


def _end_at_end_of_input() -> None:
    try:
        while os.read(sys.stdin.fileno(), 4096):    # the parent writes nothing more
            pass
    except OSError:
        pass
    os._exit(143)      # as SIGTERM ends a process (128 + 15)


if __name__ == "__main__":
    sys.exit(main())
