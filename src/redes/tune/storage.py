"""Where a study lives: a SQLite file by default, or a PostgreSQL (or MySQL) database that
processes on several machines share.

Optuna keeps every trial of a study in a relational database (``RDBStorage``). redes opens
it with:

* a connect timeout (``CONNECT_TIMEOUT`` seconds), so an unreachable server fails at once
  with a clear message instead of hanging;
* a few retries when several processes create the tables of a new database at once;
* a heartbeat: every running trial records a heartbeat every ``heartbeat_interval``
  seconds. A trial whose process died (killed, machine lost) stops beating; after
  ``2 * heartbeat_interval`` seconds the next process that starts a trial marks it
  ``FAIL`` and queues its parameters again once (``RetryFailedTrialCallback``), so the
  point is not lost and the study stays usable.
"""

from __future__ import annotations

import logging
import os
import re
import time
import warnings
from pathlib import Path

from ..i18n import _
from .space import TuneError

CONNECT_TIMEOUT = 10
SCHEMES = ("sqlite", "postgresql", "mysql")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_study_name(name) -> str:
    """``name`` if it can name a study and its files (letters, digits, ``_ . -``)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise TuneError(_("study_name: expected 1 to 100 letters, digits, '_', '.' or '-' "
                          "(starting with a letter or digit), got {value!r}").format(value=name))
    return name


def mask(url: str) -> str:
    """``url`` without its password: ``postgresql://user:***@host/db``."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def resolve(storage, study_name: str, root=None) -> str:
    """The database URL of a study.

    Args:
        storage: ``None`` (the SQLite file ``<runs>/tune/<study>.db``), a SQLAlchemy URL
            (``sqlite:///path.db``, ``postgresql://user:password@host:5432/db``), or the
            path of a SQLite file ending in ``.db``.
        study_name: the study's name.
        root: the runs folder. Defaults to ``REDES_RUNS`` or ``./runs``.

    Raises:
        TuneError: a storage that is neither a URL of a known database nor a ``.db`` path.
    """
    from redes.runs import runs_root

    if storage is None:
        folder = runs_root(root) / "tune"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(folder / f'{study_name}.db').resolve()}"
    if isinstance(storage, os.PathLike) or (isinstance(storage, str) and "://" not in storage
                                            and storage.endswith((".db", ".sqlite"))):
        path = Path(storage).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if not isinstance(storage, str) or "://" not in storage:
        raise TuneError(_("storage: expected a database URL such as "
                          "'postgresql://user:password@host:5432/db' or 'sqlite:///study.db', "
                          "or a .db file path, got {value!r}").format(value=storage))
    scheme = storage.split("://", 1)[0].split("+", 1)[0]
    if scheme not in SCHEMES:
        raise TuneError(_("storage: expected a URL starting with one of {schemes}, got "
                          "{value!r}").format(schemes=", ".join(s + "://" for s in SCHEMES),
                                              value=mask(storage)))
    if scheme == "sqlite":
        database = storage.split("://", 1)[1].removeprefix("/").split("?", 1)[0]
        if database in ("", ":memory:") or database.endswith("/"):
            raise TuneError(_(
                "storage: {url!r} names no database file (an SQLite database in memory is "
                "lost when the process ends, and workers cannot share it); give a file, "
                "e.g. sqlite:///study.db").format(url=storage))
    if storage.startswith("postgresql://"):
        return _with_postgres_driver(storage)
    return storage


def _with_postgres_driver(url: str) -> str:
    """``postgresql://...`` with the driver that is installed named in it (SQLAlchemy's
    default driver changed from psycopg2 to psycopg 3 in version 2.1)."""
    import importlib.util

    for module, driver in (("psycopg2", "psycopg2"), ("psycopg", "psycopg")):
        if importlib.util.find_spec(module) is not None:
            return url.replace("postgresql://", f"postgresql+{driver}://", 1)
    raise TuneError(_("storage: {url} needs a PostgreSQL driver: pip install "
                      "psycopg2-binary").format(url=mask(url)))


def quiet_optuna_logs() -> None:
    """Optuna's warnings only, written to the standard error of the moment: Optuna's own
    handler keeps the stream it first saw, which a test runner or a notebook may close."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    optuna.logging.disable_default_handler()    # Python's last-resort handler takes over


def open_storage(url: str, heartbeat_interval: int = 30):
    """Connect to the study database (creating its tables if needed).

    Args:
        url: a database URL (``resolve``).
        heartbeat_interval: seconds between the heartbeats of a running trial; a trial
            silent for twice as long is marked failed. Defaults to ``30``.

    Returns:
        An ``optuna.storages.RDBStorage``.

    Raises:
        TuneError: the database driver is missing or the server does not answer within
            ``CONNECT_TIMEOUT`` seconds; the message says which, with the masked URL.
    """
    import inspect

    import optuna
    import sqlalchemy.exc

    if isinstance(heartbeat_interval, bool) or not isinstance(heartbeat_interval, int) \
            or heartbeat_interval < 1:
        raise TuneError(_("heartbeat_interval: expected an integer number of seconds >= 1, "
                          "got {value!r}").format(value=heartbeat_interval))
    scheme = url.split("://", 1)[0].split("+", 1)[0]
    engine_kwargs = {"pool_pre_ping": True}
    if scheme == "sqlite":
        engine_kwargs["connect_args"] = {"timeout": 60}   # wait for other processes' writes
    else:
        engine_kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    quiet_optuna_logs()
    # Optuna 4.9 renamed the retry callback and the argument that takes it
    params = inspect.signature(optuna.storages.RDBStorage).parameters
    callback = ("heartbeat_stale_trial_callback" if "heartbeat_stale_trial_callback" in params
                else "failed_trial_callback")
    retry_class = getattr(optuna.storages, "RetryHeartbeatStaleTrialCallback",
                          optuna.storages.RetryFailedTrialCallback)
    try:
        for attempt in range(5):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    storage = optuna.storages.RDBStorage(
                        url, engine_kwargs=engine_kwargs, heartbeat_interval=heartbeat_interval,
                        grace_period=2 * heartbeat_interval,
                        **{callback: retry_class(max_retry=1)})
                break
            except sqlalchemy.exc.DBAPIError as exc:
                if attempt == 4 or not _race(exc):
                    raise
                time.sleep(0.2 * (attempt + 1))   # another process is creating the tables
    except ImportError as exc:
        driver = {"postgresql": "psycopg2-binary", "mysql": "pymysql"}.get(scheme, exc.name)
        raise TuneError(_("storage: {url} needs the database driver {module!r}: "
                          "pip install {driver}").format(url=mask(url), module=exc.name,
                                                         driver=driver)) from None
    except sqlalchemy.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise TuneError(_("storage: cannot open {url}: {reason}. Check that the "
                          "database server runs, accepts connections from this machine and "
                          "that the user, password and database are right (waited at most "
                          "{seconds} s)").format(url=mask(url), reason=reason,
                                                 seconds=CONNECT_TIMEOUT)) from None
    if scheme == "sqlite":
        _write_ahead_log(storage.engine)
    pool_logger = logging.getLogger(storage.engine.pool.logger.name)
    if not any(isinstance(f, _QuietInterruptedClose) for f in pool_logger.filters):
        pool_logger.addFilter(_QuietInterruptedClose())
    return storage


class _QuietInterruptedClose(logging.Filter):
    """SQLAlchemy logs, with a traceback, a cursor it could not close because Ctrl+C broke
    the read it served; ``redes tune`` says in one line what was saved. Any other error of
    the connection pool is still logged."""

    def filter(self, record) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not any(isinstance(e, KeyboardInterrupt) for e in exception_chain(exc))


def exception_chain(exc):
    """``exc`` and the errors it comes from (its cause, else its context), each once."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _race(exc) -> bool:
    """Whether ``exc`` comes from another process creating the same tables at this moment
    (PostgreSQL: duplicate type or table; SQLite: table already exists, database locked)."""
    import sqlalchemy

    if isinstance(exc, (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.ProgrammingError)):
        return True
    text = str(exc.orig).lower()
    return "already exists" in text or "database is locked" in text


def _write_ahead_log(engine) -> None:
    """Make SQLite commit without a full disk sync each time (WAL journal), so that the
    per-epoch reports of a trial cost little; processes of one machine can still share the
    file (not over a network file system: use PostgreSQL there).

    Every transaction also begins with ``BEGIN IMMEDIATE``: it takes the file's write lock
    before it reads. SQLite has no row locks, and Optuna checks a trial's state before it
    changes it (a queued trial is taken only if it still waits, a trial is told only if it
    still runs); without the lock two workers could both read "waiting" and run the same
    queued trial, or both record one trial and run one trial too few."""
    import sqlalchemy

    def pragmas(connection, _record):
        connection.isolation_level = None   # the driver's own BEGIN off: ours below
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    sqlalchemy.event.listen(engine, "connect", pragmas)
    sqlalchemy.event.listen(engine, "begin", begin)
    engine.dispose()   # connections opened from now on get the pragmas
