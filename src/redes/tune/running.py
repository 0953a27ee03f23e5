"""Running the trials of a study: in this process (``optimize``, what each worker does) or
in worker processes (``run_workers``), and what stops them: Ctrl+C, SIGTERM, a full disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

from ..i18n import _
from . import storage as storage_module
from .opening import fail_dead_trials
from .space import TuneError


@contextlib.contextmanager
def disk_full_errors(url):
    """A full disk under the study's database (SQLite says "database or disk is full",
    which Optuna may wrap in its own errors) or under its files becomes a ``DiskFullError``
    naming the file and saying that the finished trials are kept."""
    from redes.runs import DiskFullError

    try:
        yield
    except Exception as exc:
        where = _full_disk_in(exc, url)
        if where is None:
            raise
        raise DiskFullError(where, _("Free some space and run the same command again to "
                                     "continue it."),
                            kept=_("the study keeps every finished trial")) from exc


def _full_disk_in(exc, url) -> str | None:
    """The file (or database) that a full disk stopped, if ``exc`` or an error it comes
    from says so, else None."""
    from redes._base.files import disk_full

    database = (url.removeprefix("sqlite:///") if url.startswith("sqlite:///")
                else storage_module.mask(url))
    for error in storage_module.exception_chain(exc):
        if disk_full(error):
            return error.filename or database
        text = str(error).lower()
        if "database or disk is full" in text or "no space left" in text:
            return database
    return None


class _QuietTrialLogs(logging.Filter):
    """Optuna logs a failed trial with its traceback. A trial stopped by a full disk stops
    the study, and ``redes tune`` says so once, clearly, without it; a trial stopped by
    Ctrl+C is not logged at all (``redes tune`` says in one line what was saved)."""

    def __init__(self):
        super().__init__()
        self.interrupted: set[str] = set()    # "Trial 7 " of the trials Ctrl+C stopped

    def filter(self, record) -> bool:
        message = record.getMessage()
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, KeyboardInterrupt):
            self.interrupted.add(message.split("failed", 1)[0])
            return False
        if message.split("failed", 1)[0] in self.interrupted:   # "Trial 7 failed with value"
            return False
        if exc is not None and _full_disk_in(exc, "") is not None:
            record.exc_info = None
        return True


@contextlib.contextmanager
def _heartbeat_quiet_on_full_disk():
    """Optuna records each running trial's heartbeat from a thread of its own; when a full
    disk stops that write, the thread ends with a traceback on the terminal. The trial's
    next write fails the same way, and ``redes tune`` then says once, clearly, that the disk
    is full: the heartbeat's traceback is left out."""
    previous = threading.excepthook

    def hook(args):
        if ("_record_heartbeat" in getattr(args.thread, "name", "")
                and _full_disk_in(args.exc_value, "") is not None):
            return
        previous(args)

    threading.excepthook = hook
    try:
        yield
    finally:
        threading.excepthook = previous


_STORAGE = ("optuna.storages", "sqlalchemy")   # the code of a call to the study's storage


def _in_storage(frame) -> bool:
    """Whether the frame is in the middle of a call to the study's storage."""
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith(_STORAGE):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def _stops_outside_storage():
    """Ctrl+C (and SIGTERM, where it stops as Ctrl+C does) raises KeyboardInterrupt as
    usual, but not in the middle of a call to the study's storage: raised there, it would
    leave Optuna's database session broken, and Optuna, failing to record the trial it
    stopped, would end with an error of its own. It waits instead, looking again every 20
    ms, until the call is over. Only in the main thread, where signals arrive, and where
    the system has interval timers (not on Windows)."""
    if (threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer")):
        yield
        return
    waiting = []          # (signal, handler) of a stop that waits for a storage call

    def stop(signum, frame, handler):
        if _in_storage(frame):
            waiting[:] = [(signum, handler)]
            signal.setitimer(signal.ITIMER_REAL, 0.02)
        else:
            waiting.clear()
            handler(signum, frame)          # raises KeyboardInterrupt

    def look_again(_signum, frame):
        if waiting:
            signum, handler = waiting[0]
            stop(signum, frame, handler)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if callable(handler):      # SIG_DFL (a worker's SIGTERM) ends the process at once
            previous[signum] = signal.signal(
                signum, lambda n, f, h=handler: stop(n, f, h))
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, look_again)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def optimize(study, attrs, folder, trials, timeout=None, callbacks=()):
    """Run ``trials`` trials of ``study`` in this process (what each worker does)."""
    import optuna

    from .trial import Objective

    trial_logger = logging.getLogger("optuna.study._optimize")
    if not any(isinstance(f, _QuietTrialLogs) for f in trial_logger.filters):
        trial_logger.addFilter(_QuietTrialLogs())

    logdir = Path(folder) / "tensorboard"
    objective = Objective(attrs["recipe"], attrs["search_space"], attrs["engine"],
                          attrs["seed"], attrs["epochs"], logdir)
    storage_module.quiet_optuna_logs()
    finished = []    # the trials this process ran to the end

    def count(study, trial):
        finished.append(trial.number)

    deadline = None if timeout is None else time.monotonic() + timeout
    with warnings.catch_warnings(), _stops_outside_storage(), _heartbeat_quiet_on_full_disk():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        while len(finished) < trials:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            try:
                study.optimize(objective, n_trials=trials - len(finished), timeout=left,
                               callbacks=[*callbacks, count], gc_after_trial=False)
                break
            except ValueError as exc:
                # The trial ended elsewhere: a worker paused longer than the heartbeat
                # grace finds its trial marked failed (and retried by another worker). Its
                # run is not counted: it goes on with the trials it still owes the study.
                if not str(exc).startswith("Cannot tell a"):
                    raise


def run_workers(url, study_name, folder, trials, workers, timeout, sampler_seed, spec,
                 heartbeat_interval, study, before, bar):
    """Start ``workers`` processes (``python -m redes.tune.worker``) on the same storage,
    each running its share of ``trials``, and show their progress.

    A worker ends when its standard input closes: this process keeps it open until the
    worker is done, and the system closes it when this process ends, even killed (see
    ``redes.tune.worker``). SIGTERM ends the study as Ctrl+C does: it is passed on to the
    workers, which end at once; their running trials are marked failed (and queued again),
    and ``Interrupted`` says what was kept."""
    shares = [trials // workers + (i < trials % workers) for i in range(workers)]
    processes = []
    stopping = []      # the SIGTERM received

    def terminate(signum, frame):
        # KeyboardInterrupt is raised by the loop below, not here: raised in the middle of
        # a read of the study it would break that read instead of stopping the study
        for p in processes:
            p.send_signal(signal.SIGTERM)     # nothing if it has ended
        stopping.append(signum)

    in_main = threading.current_thread() is threading.main_thread()  # handlers live there
    previous = signal.signal(signal.SIGTERM, terminate) if in_main else None
    try:
        for i, share in enumerate(s for s in shares if s):
            if stopping:
                break
            job = {"storage": url, "study_name": study_name, "folder": str(folder),
                   "trials": share, "timeout": timeout,
                   "sampler_seed": (sampler_seed + i) % 2**32, "pruner": spec,
                   "heartbeat_interval": heartbeat_interval}
            process = subprocess.Popen([sys.executable, "-m", "redes.tune.worker"],
                                       stdin=subprocess.PIPE, text=True)
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()
            processes.append(process)
        while not stopping and any(p.poll() is None for p in processes):
            bar.poll(study, before)
            time.sleep(0.5)
        if stopping:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        # Ctrl+C in a terminal reaches the workers too; a SIGINT sent to this process
        # alone is passed on to the workers still running a moment later
        for p in processes:
            try:
                p.wait(timeout=2)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGINT)
        for p in processes:
            p.wait()
        fail_dead_trials(study, study._storage)
        bar.poll(study, before)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
        for p in processes:
            with contextlib.suppress(OSError):
                p.stdin.close()
    bar.poll(study, before)
    failed = [(i, p.returncode) for i, p in enumerate(processes) if p.returncode]
    if failed:
        raise TuneError(_("workers: worker {number} exited with code {code} (its message is "
                          "above); the trials of the other workers are saved").format(
                              number=failed[0][0], code=failed[0][1]))
