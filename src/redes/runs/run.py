"""A run directory: everything one training run leaves behind, readable by people and tools.

::

    runs/<recipe>-<engine>-<YYYYmmdd-HHMMSS>[-n]/
        config.json    the resolved recipe, engine, seed, package versions, device, start time
        status.json    running | finished | interrupted | failed, and the last finished epoch
        history.json   per-epoch logs: {"epoch": [1, 2, ...], "loss": [...], "val_loss": [...]}
        history.csv    the same table as CSV, one row per epoch
        metrics.json   final test metrics, written by ``finish``
        model.redes    the model after the last finished epoch (``model.keras`` for Keras)
        tensorboard/   event files in train/ and validation/ (tags epoch_loss, epoch_accuracy...)
        plots/         PNG figures
        .lock          locked (``flock``) by the process training the run

Every file is rewritten atomically after every epoch (temporary file, then rename), so a run
stopped at any moment, even by ``kill -9`` or a power cut, keeps its last finished epoch.
Epochs are numbered from 1 in the history and the status; ``Run.model_epoch`` is the epoch
the model file holds, so ``fit(initial_epoch=run.model_epoch)`` resumes training.
TensorBoard steps are Keras' 0-based epoch indices, so Keras' own TensorBoard logs line up.

A run is "running" while its process holds ``.lock``; the operating system lets go of the
lock when the process ends in any way, so a killed run reads as "interrupted" at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import platform
import re
import shutil
import socket
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

from redes._base.files import (
    atomic_path,
    pid_alive,
    plain,
    read_json,
    write_json,
    write_text,
)

from ..engines import ENGINES
from ..i18n import _, translated
from .tensorboard import EventWriter

FORMAT = "redes-run"
FORMAT_VERSION = 1
STATUSES = ("running", "finished", "interrupted", "failed")
MODEL_FILES = {"numpy": "model.redes", "keras": "model.keras"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*$")
_LOCK = ".lock"


# The type of each field the code reads, so that a tampered or damaged file is refused when
# the run is opened, naming the file and the field, instead of failing somewhere later
_CONFIG_FIELDS = {"recipe": ("dict",), "recipe_name": ("text",), "engine": ("text",),
                  "name": ("text", None), "started": ("text", None), "seed": ("count", None),
                  "device": ("text", None)}
_STATUS_FIELDS = {"last_epoch": ("count", None), "epochs": ("count", None),
                  "model_epoch": ("count", None), "seconds": ("number", None),
                  "started": ("text",), "updated": ("text", None), "finished": ("text", None),
                  "pid": ("count", None), "host": ("text", None), "error": ("dict", None),
                  "warning": ("text", None), "model_sha256": ("text", None)}


def _is(value, kinds) -> bool:
    """Whether ``value`` is one of ``kinds``: "count" (an integer >= 0), "number" (finite
    or not), "text", "dict" or None."""
    if value is None:
        return None in kinds
    if isinstance(value, bool):
        return False
    return (("count" in kinds and isinstance(value, int) and value >= 0)
            or ("number" in kinds and isinstance(value, (int, float)))
            or ("text" in kinds and isinstance(value, str))
            or ("dict" in kinds and isinstance(value, dict)))


def _damaged(path, file, key, value, kinds):
    words = {"count": _("an integer >= 0"), "number": _("a number"), "text": _("a text"),
             "dict": _("a dict"), "numbers": _("a list of numbers"), None: "null"}
    expected = _(" or ").join(words.get(k, repr(k)) for k in kinds)
    raise RunError(_("path: {path}/{file} is damaged: {key} is {value:.60}; expected "
                     "{expected}").format(path=path, file=file, key=key, value=repr(value),
                                          expected=expected))


class RunError(ValueError):
    """A folder that is not a readable run directory."""


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


def _now() -> datetime:
    return datetime.now().astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _versions(engine: str) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    names = ["redes", "numpy"] + (["keras", "tensorflow", "tensorflow-cpu"]
                                  if engine == "keras" else [])
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def _device(engine: str) -> str:
    if engine != "keras" or "tensorflow" not in sys.modules:
        return "cpu"
    gpus = sys.modules["tensorflow"].config.list_physical_devices("GPU")
    return ", ".join(gpu.name for gpu in gpus) or "cpu"


def _take_lock(path: Path):
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


def _lock_held(path: Path) -> bool | None:
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


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def _number(value, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(_("{where}: expected a number, got {value!r}").format(
            where=where, value=value)) from None


class Run:
    """One run directory. Make one with ``Run.create``, read one with ``Run.open``.

    Attributes:
        path: the run's folder.
        config: the contents of config.json (``config["recipe"]`` is the resolved recipe).
    """

    def __init__(self, path: Path, config: dict, status: dict, history: dict, metrics: dict):
        self.path = path
        self.config = config
        self._status = status
        self._history = history
        self._metrics = metrics
        self._writers: dict[str, EventWriter] = {}
        self._lock = None

    # ------------------------------------------------------------ create, open
    @classmethod
    def create(cls, recipe_name, engine, config, root=None, *, seed=None, device=None) -> Run:
        """Make a new run directory ``<root>/<recipe>-<engine>-<YYYYmmdd-HHMMSS>[-n]``.

        Args:
            recipe_name: the recipe's name: letters, digits, ``_``, ``.`` and ``-``.
            engine: "numpy" or "keras".
            config: the resolved recipe, a JSON-compatible dict (tuples and NumPy numbers are
                converted).
            root: the runs folder; defaults to ``REDES_RUNS`` or ``./runs`` (see
                ``runs_root``). Created if missing.
            seed: the random seed; defaults to ``config.get("seed")``.
            device: where training runs, e.g. "cpu" or "GPU:0"; defaults to "cpu", or the
                GPUs TensorFlow sees for the keras engine when TensorFlow is already imported.
        """
        if not isinstance(recipe_name, str) or not _NAME.match(recipe_name) \
                or len(recipe_name) > 100:
            raise ValueError(
                _("recipe_name: expected a name made of letters, digits, '_', '.' and '-' "
                  "(at most 100 characters), got {value!r}").format(value=recipe_name)
            )
        if engine not in ENGINES:
            raise ValueError(_("{name}: expected one of {options}, got {value!r}").format(
                name="engine", options=", ".join(ENGINES), value=engine))
        if not isinstance(config, dict):
            raise ValueError(_("config: expected a dict (the resolved recipe), got "
                               "{kind}").format(kind=type(config).__name__))
        recipe = plain(config, "config")
        started = _now()
        full = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": None,
            "recipe_name": recipe_name,
            "engine": engine,
            "seed": plain(config.get("seed") if seed is None else seed, "seed"),
            "device": device if device is not None else _device(engine),
            "started": _iso(started),
            "platform": platform.platform(),
            "versions": _versions(engine),
            "recipe": recipe,
        }
        root = runs_root(root)
        root.mkdir(parents=True, exist_ok=True)
        stem = f"{recipe_name}-{engine}-{started:%Y%m%d-%H%M%S}"
        for n in range(10_000):
            path = root / (stem if n == 0 else f"{stem}-{n}")
            try:
                path.mkdir()              # atomic: two runs started together get two folders
                break
            except FileExistsError:
                continue
        else:
            raise RuntimeError(_("root: too many runs named {stem} in {root}").format(
                stem=stem, root=root))
        full["name"] = path.name
        (path / "plots").mkdir()
        (path / "tensorboard").mkdir()
        lock = _take_lock(path)
        status = {
            "status": "running", "last_epoch": 0, "epochs": None, "model_epoch": None,
            "started": full["started"], "updated": full["started"], "finished": None,
            "seconds": None, "pid": os.getpid(), "host": socket.gethostname(),
            "error": None, "warning": None,
        }
        run = cls(path, full, status, {"epoch": []}, {})
        run._lock = lock
        run._write_history()
        run._write_status()
        # config.json last: a folder is a run once it has one, so a process killed while
        # creating the run leaves no half-made run behind
        write_json(path / "config.json", full, "config")
        return run

    @classmethod
    def open(cls, path) -> Run:
        """Read the run directory at ``path``.

        Raises:
            RunError: when ``path`` is not a run directory or its files are damaged.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise ValueError(_("path: expected a run folder, got {value!r}").format(value=path))
        path = Path(path)
        if not (path / "config.json").is_file():
            raise RunError(_("path: {path} is not a run directory (no config.json)").format(
                path=path))
        try:
            config = read_json(path / "config.json")
            status = read_json(path / "status.json")
            history = read_json(path / "history.json")
            metrics_file = path / "metrics.json"
            metrics = read_json(metrics_file) if metrics_file.is_file() else {}
        except (OSError, ValueError) as exc:
            raise RunError(_("path: {path} holds an unreadable run ({problem})").format(
                path=path, problem=exc)) from exc
        if not isinstance(config, dict) or config.get("format") != FORMAT:
            raise RunError(_("path: {path}/config.json is not a redes run "
                             "configuration").format(path=path))
        if not isinstance(status, dict) or status.get("status") not in STATUSES:
            raise RunError(_("path: {path}/status.json has no valid status").format(path=path))
        if not isinstance(history, dict) or not isinstance(history.get("epoch"), list) or any(
                not isinstance(v, list) or len(v) != len(history["epoch"])
                for v in history.values()):
            raise RunError(_("path: {path}/history.json is not a table of per-epoch "
                             "lists").format(path=path))
        if not isinstance(metrics, dict):
            raise RunError(_("path: {path}/metrics.json is not a dict of metrics").format(
                path=path))
        for file, data, fields in (("config.json", config, _CONFIG_FIELDS),
                                   ("status.json", status, _STATUS_FIELDS)):
            for key, kinds in fields.items():
                if key in data and not _is(data[key], kinds):
                    _damaged(path, file, key, data[key], kinds)
        if config.get("engine") not in ENGINES:
            _damaged(path, "config.json", "engine", config.get("engine"), tuple(ENGINES))
        for key, values in history.items():
            if not all(_is(v, ("count",) if key == "epoch" else ("number", None))
                       for v in values):
                _damaged(path, "history.json", key, values, ("numbers",))
        for key, value in metrics.items():
            if not _is(value, ("number", None)):
                _damaged(path, "metrics.json", key, value, ("number", None))
        return cls(path, config, status, history, metrics)

    # -------------------------------------------------------------- properties
    @property
    def name(self) -> str:
        return self.path.name

    @property
    def recipe(self) -> str:
        return self.config["recipe_name"]

    @property
    def engine(self) -> str:
        return self.config["engine"]

    @property
    def title(self) -> str:
        """The recipe's title in the user's language when it has one, else its name."""
        recipe = self.config.get("recipe")
        title = recipe.get("title") if isinstance(recipe, dict) else None
        return translated(str(title)) if title else self.recipe

    @property
    def status(self) -> str:
        """running, finished, interrupted or failed. A run recorded as running whose process
        ended without saying so (killed, power cut) reads as interrupted: no process holds
        its lock (or, without locks, its recorded process no longer exists)."""
        status = self._status["status"]
        if status == "running":
            held = _lock_held(self.path)
            if held is False or (held is None and not pid_alive(self._status.get("pid"))
                                 and self._status.get("host") == socket.gethostname()):
                return "interrupted"
        return status

    @property
    def status_info(self) -> dict:
        """A copy of status.json (``status`` as recorded, plus epochs, times, error)."""
        return dict(self._status)

    @property
    def last_epoch(self) -> int:
        """Number of the last finished epoch (0 before the first one ends)."""
        return int(self._status.get("last_epoch") or 0)

    @property
    def model_epoch(self) -> int:
        """The epoch the model file holds (0 without a model file): the ``model_epoch`` of
        status.json, unless the file is not the one status.json describes (its SHA-256
        differs): then the process stopped between saving the model and updating the
        status, and the model holds the last logged epoch (it is saved right after it)."""
        if not self.model_path.is_file():
            return 0
        recorded = int(self._status.get("model_epoch") or 0)
        digest = self._status.get("model_sha256")
        if digest is None and recorded:        # a run of an older redes
            return recorded
        return recorded if _sha256(self.model_path) == digest else self.last_epoch

    @property
    def history(self) -> dict:
        """Per-epoch logs as ``{"epoch": [1, 2, ...], "loss": [...], ...}`` (a copy; missing
        values, such as skipped validations, are ``None``)."""
        return {k: list(v) for k, v in self._history.items()}

    @property
    def metrics(self) -> dict:
        """Final test metrics (empty until ``finish``)."""
        return dict(self._metrics)

    @property
    def seconds(self) -> float | None:
        """Seconds from start to finish (or failure, or interruption); None while running."""
        return self._status.get("seconds")

    @property
    def plots_dir(self) -> Path:
        return self.path / "plots"

    @property
    def tensorboard_dir(self) -> Path:
        return self.path / "tensorboard"

    @property
    def model_path(self) -> Path:
        return self.path / MODEL_FILES[self.engine]

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r}, status={self.status!r}, epochs={self.last_epoch})"

    # ---------------------------------------------------------------- logging
    def set_epochs(self, epochs) -> None:
        """Record how many epochs training plans (shown as "3/20" in run listings)."""
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(_("{name}: expected an integer >= {minimum}, got {value!r}").format(
                name="epochs", minimum=0, value=epochs))
        self._status["epochs"] = epochs
        self._write_status()

    def log_epoch(self, epoch, logs) -> None:
        """Record the logs of a finished epoch and rewrite the history files.

        Args:
            epoch: the 0-based epoch index that callbacks receive (``on_epoch_end(epoch,
                logs)``); it is stored as epoch number ``epoch + 1``. Logging an epoch again
                (after resuming from an earlier model) replaces it and the epochs after it.
            logs: ``{"loss": 0.3, "accuracy": 0.9, "val_loss": 0.4, ...}``.
        """
        if isinstance(epoch, bool) or not hasattr(epoch, "__index__") or epoch < 0:
            raise ValueError(_("epoch: expected an integer >= 0 (0 is the first epoch), "
                               "got {value!r}").format(value=epoch))
        if not isinstance(logs, dict):
            raise ValueError(_("logs: expected a dict such as {{'loss': 0.3}}, got "
                               "{value!r}").format(value=logs))
        number = int(epoch) + 1
        values = {}
        for key, value in logs.items():
            if not isinstance(key, str) or not key or key == "epoch":
                raise ValueError(_("{name}: keys must be metric names, got {key!r}").format(
                    name="logs", key=key))
            values[key] = _number(value, f"logs[{key!r}]")
        history = self._history
        keep = sum(1 for e in history["epoch"] if e < number)
        for column in history.values():
            del column[keep:]
        for key in values:
            history.setdefault(key, [None] * keep)
        for key, column in history.items():
            column.append(number if key == "epoch" else values.get(key))
        self._order_history()
        self._write_history()
        self._write_tensorboard(int(epoch), values)
        self._status.update(status="running", last_epoch=number, pid=os.getpid(),
                            host=socket.gethostname())
        self._write_status()

    def _order_history(self) -> None:
        keys = [k for k in self._history if k != "epoch"]
        train = [k for k in keys if not k.startswith("val_")]
        train.sort(key=lambda k: k != "loss")
        val = [k for k in keys if k.startswith("val_")]
        val.sort(key=lambda k: k != "val_loss")
        self._history = {"epoch": self._history["epoch"],
                         **{k: self._history[k] for k in train + val}}

    def _write_history(self) -> None:
        write_json(self.path / "history.json", self._history, "history")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(list(self._history))
        for row in zip(*self._history.values()):
            writer.writerow(["" if v is None else repr(v) for v in row])
        write_text(self.path / "history.csv", buffer.getvalue())

    def _write_tensorboard(self, step: int, values: dict) -> None:
        for split, prefix in (("train", ""), ("validation", "val_")):
            scalars = {f"epoch_{k[len(prefix):]}": v for k, v in values.items()
                       if k.startswith(prefix) and (prefix or not k.startswith("val_"))}
            if scalars:
                if split not in self._writers:
                    self._writers[split] = EventWriter(self.tensorboard_dir / split)
                self._writers[split].scalars(step, scalars)

    def _write_status(self, **changes) -> None:
        self._status.update(changes, updated=_iso(_now()))
        write_json(self.path / "status.json", self._status, "status")

    def _end(self, status: str, **changes) -> None:
        now = _now()
        started = datetime.fromisoformat(self._status["started"])
        try:
            self._write_status(status=status, finished=_iso(now),
                               seconds=round((now - started).total_seconds(), 3), **changes)
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()                  # closing the file lets go of the lock
            self._lock = None

    # ---------------------------------------------------------------- endings
    def finish(self, metrics=None) -> None:
        """Write the final test metrics to metrics.json and mark the run finished.

        Args:
            metrics: ``{"loss": 0.31, "accuracy": 0.92}``, e.g. from
                ``model.evaluate(x_test, y_test, return_dict=True)``. Defaults to none.
        """
        if metrics is None:
            metrics = {}
        if not isinstance(metrics, dict):
            raise ValueError(_("metrics: expected a dict such as {{'accuracy': 0.9}}, got "
                               "{value!r}").format(value=metrics))
        values = {}
        for key, value in metrics.items():
            if not isinstance(key, str) or not key:
                raise ValueError(_("{name}: keys must be metric names, got {key!r}").format(
                    name="metrics", key=key))
            values[key] = _number(value, f"metrics[{key!r}]")
        write_json(self.path / "metrics.json", values, "metrics")
        self._metrics = {k: (v if math.isfinite(v) else None) for k, v in values.items()}
        self._end("finished", error=None)

    def fail(self, exc) -> None:
        """Mark the run failed and record the error (type, message and traceback)."""
        if not isinstance(exc, BaseException):
            raise ValueError(_("exc: expected an exception, got {value!r}").format(value=exc))
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._end("failed", error={"type": type(exc).__name__, "message": str(exc),
                                   "traceback": trace[-8000:]})

    def resume(self) -> None:
        """Mark an interrupted or failed run as running again (``redes train --resume``):
        lock it for this process and record ``model_epoch``, the epoch to resume from.

        Raises:
            RunError: another process is training the run.
        """
        if self._lock is None:
            self._lock = _take_lock(self.path)
        epoch = self.model_epoch
        self._write_status(status="running", finished=None, seconds=None, error=None,
                           pid=os.getpid(), host=socket.gethostname(),
                           model_epoch=epoch or None, model_sha256=_sha256(self.model_path))

    def discard(self) -> None:
        """Remove the run's folder: for a run that failed before its first epoch, which holds
        nothing worth keeping (``redes runs`` would only list one more failure)."""
        self._release()
        shutil.rmtree(self.path, ignore_errors=True)

    def mark_interrupted(self) -> None:
        """Mark the run interrupted (e.g. Ctrl+C); what was logged so far stays."""
        self._end("interrupted")

    def __enter__(self) -> Run:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        """``with Run.create(...) as run:`` marks the run interrupted on Ctrl+C and failed
        on any other exception (which still propagates)."""
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.mark_interrupted()
        elif exc_type is not None and issubclass(exc_type, Exception):
            try:
                self.fail(exc)
            except OSError:       # the disk is full: the first error says more; the run,
                pass              # unlocked, reads as interrupted
        return False

    # ------------------------------------------------------------------ model
    def save_model(self, model, epoch=None) -> Path:
        """Save ``model`` as the run's model file, atomically.

        Args:
            model: a ``redes.nn`` model (numpy engine) or a Keras model (keras engine).
            epoch: number of the last epoch the model has finished; defaults to the run's
                last finished epoch. Recorded as ``model_epoch`` in status.json.
        """
        path = self.model_path
        if self.engine == "numpy":
            model.save(path)                       # redes writes a temporary file itself
        else:
            with atomic_path(path, suffix=".keras") as tmp:   # Keras reads the suffix
                model.save(tmp)
        self._write_status(model_epoch=self.last_epoch if epoch is None else int(epoch),
                           model_sha256=_sha256(path))
        return path

    def load_model(self):
        """The saved model, loaded by its engine (compiled, ready to predict or resume)."""
        if not self.model_path.is_file():
            raise FileNotFoundError(_("model: {name} has no saved model ({file})").format(
                name=self.name, file=self.model_path.name))
        if self.engine == "numpy":
            from ..nn.models import load_model

            return load_model(self.model_path)
        from ..engines import import_keras

        return import_keras().saving.load_model(self.model_path)

    def callback(self, engine=None, save_model=True):
        """A callback for ``model.fit`` that logs every epoch into this run and saves the
        model after each one.

        Args:
            engine: "numpy" for a ``redes.nn.callbacks.Callback`` or "keras" for a
                ``keras.callbacks.Callback``. Defaults to the run's engine.
            save_model: save the model after every epoch (to resume). Defaults to True.
        """
        from .callbacks import make_callback

        return make_callback(self, self.engine if engine is None else engine, save_model)


def list_runs(root=None) -> list[dict]:
    """One row per run under ``root``, oldest first, for a table of runs.

    Args:
        root: the runs folder (see ``runs_root``). A missing folder has no runs.

    Returns:
        Dicts with ``name, path, recipe, title, engine, status, epochs`` (last finished),
        ``planned_epochs``, ``metrics`` (final test metrics), ``val`` (the last epoch's
        validation logs), ``started`` (ISO time) and ``seconds``. A folder with a damaged
        run has status "unreadable" and an ``error``.
    """
    root = runs_root(root)
    if not root.is_dir():
        return []
    rows = []
    for path in sorted(p for p in root.iterdir() if (p / "config.json").is_file()):
        try:
            run = Run.open(path)
        except RunError as exc:
            rows.append({"name": path.name, "path": str(path), "recipe": None, "title": None,
                         "engine": None, "status": "unreadable", "epochs": 0,
                         "planned_epochs": None, "metrics": {}, "val": {}, "started": None,
                         "seconds": None, "error": str(exc)})
            continue
        history = run.history
        val = {k: v[-1] for k, v in history.items() if k.startswith("val_") and v}
        rows.append({"name": run.name, "path": str(path), "recipe": run.recipe,
                     "title": run.title, "engine": run.engine, "status": run.status,
                     "epochs": run.last_epoch, "planned_epochs": run.status_info.get("epochs"),
                     "metrics": run.metrics, "val": val, "started": run.config.get("started"),
                     "seconds": run.seconds, "error": None})
    rows.sort(key=lambda r: (r["started"] or "", r["name"]))
    return rows
