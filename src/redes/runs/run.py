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

What each file must hold is in ``redes.runs.format``, the lock in ``redes.runs.lock`` and
the model file in ``redes.runs.checkpoints``.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import traceback
from datetime import datetime
from pathlib import Path

from redes._base.files import read_json, write_json, write_text

from ..i18n import _, translated
from . import checkpoints
from .checkpoints import MODEL_FILES
from .config import new_config
from .folders import new_folder, runs_root
from .format import RunError, check_files
from .history import add_epoch, history_csv
from .lock import process_ended, take_lock
from .tensorboard import EventWriter


def _now() -> datetime:
    return datetime.now().astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


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
        started = _now()
        full = new_config(recipe_name, engine, config, _iso(started), seed, device)
        path = new_folder(runs_root(root), f"{recipe_name}-{engine}-{started:%Y%m%d-%H%M%S}")
        full["name"] = path.name
        (path / "plots").mkdir()
        (path / "tensorboard").mkdir()
        lock = take_lock(path)
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
        check_files(path, config, status, history, metrics)
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
        if status == "running" and process_ended(self.path, self._status):
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
        return checkpoints.saved_epoch(self.model_path, self._status)

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
        self._history = add_epoch(self._history, number, values)
        self._write_history()
        self._write_tensorboard(int(epoch), values)
        self._status.update(status="running", last_epoch=number, pid=os.getpid(),
                            host=socket.gethostname())
        self._write_status()

    def _write_history(self) -> None:
        write_json(self.path / "history.json", self._history, "history")
        write_text(self.path / "history.csv", history_csv(self._history))

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
            self._lock = take_lock(self.path)
        epoch = self.model_epoch
        self._write_status(status="running", finished=None, seconds=None, error=None,
                           pid=os.getpid(), host=socket.gethostname(),
                           model_epoch=epoch or None,
                           model_sha256=checkpoints.sha256(self.model_path))

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
        checkpoints.save_model(model, self.engine, path)
        self._write_status(model_epoch=self.last_epoch if epoch is None else int(epoch),
                           model_sha256=checkpoints.sha256(path))
        return path

    def load_model(self):
        """The saved model, loaded by its engine (compiled, ready to predict or resume)."""
        return checkpoints.load_model(self.model_path, self.engine, self.name)

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
