"""``BackupAndRestore``: a training that was interrupted starts again where it stopped."""

from __future__ import annotations

import os
import shutil

import numpy as np

from ...i18n import _
from .base import Callback

_FILE = "latest.backup"          # one archive: the training state as a whole, or nothing


class BackupAndRestore(Callback):
    """Saves the training state after each epoch (or every ``save_freq`` batches); when
    ``fit`` runs again with this callback after an interruption (an error, Ctrl+C, a killed
    process), it starts from the last saved state instead of from the beginning.

    The state is one file written atomically (a temporary file renamed over the old one),
    so an interruption while saving leaves the previous state whole. It holds the weights,
    the optimizer's state (its step count and buffers), the epoch, the history so far and
    the state of the engine's random generator (the shuffles and dropout masks to come):
    a training resumed after epoch k ends with the weights, optimizer state and history of
    one that was never interrupted.

    Args:
        backup_dir: the folder of the backup, e.g. ``"backup"``; one training per folder.
        save_freq: ``"epoch"``, or an integer: save every that many batches (the training
            then resumes at the start of the epoch it was in, with the weights of that
            batch, as in Keras). Defaults to ``"epoch"``.
        double_checkpoint: keep the previous state too (``latest.backup.bkp``), used when
            the latest one cannot be read. Defaults to False.
        delete_checkpoint: remove ``backup_dir`` when the training ends normally.
            Defaults to True.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir or not isinstance(backup_dir, (str, os.PathLike)):
            raise ValueError(_("backup_dir: expected the path of a folder, got {value!r}")
                             .format(value=backup_dir))
        if save_freq != "epoch" and (isinstance(save_freq, bool)
                                     or not isinstance(save_freq, (int, np.integer))
                                     or save_freq < 1):
            raise ValueError(_("save_freq: expected 'epoch' or a number of batches >= 1, got "
                               "{value!r}").format(value=save_freq))
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self.resume_epoch = None
        self._path = os.path.join(self.backup_dir, _FILE)
        self._previous = self._path + ".bkp"

    # ---------------------------------------------------------------- restore
    def on_train_begin(self, logs=None):
        """Load the saved state, if any; ``fit`` then starts at ``self.resume_epoch``."""
        from ..archive import ModelFileError

        self.resume_epoch, self._history, self._epoch, self._batches = None, None, 0, 0
        self._logged = None             # the history to save: epochs and logs until now
        if not getattr(self.model, "built", True):
            raise ValueError(_("BackupAndRestore: build the model before fit (call it on a "
                               "batch of data, or give it an Input) so that its weights can "
                               "be restored"))
        for path in (self._path, self._previous):
            if os.path.exists(path):
                try:
                    self._restore(path)
                    return
                except (ModelFileError, ValueError):
                    if path == self._previous or not os.path.exists(self._previous):
                        raise

    def _restore(self, path) -> None:
        from ..archive import ordered, read_archive
        from ..backend import rng

        meta, arrays = read_archive(path)
        state = meta["backup"]
        self.model.set_weights(ordered(arrays, "weights", meta.get("weights"), path))
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and state["optimizer_state"]:
            optimizer.set_state(ordered(arrays, "optimizer", state["optimizer_state"], path))
        rng().bit_generator.state = state["rng"]
        self.resume_epoch = self._epoch = int(state["epoch"])
        self._history = self._logged = state["history"]

    def _put_back_history(self) -> None:
        """The epochs done before the interruption go back into ``model.history``: at the
        first epoch, as ``History`` empties its list at ``on_train_begin`` (after this
        callback's), or at the end when no epoch was left to train."""
        history = getattr(self.model, "history", None)
        if self._history is not None and history is not None:
            history.epoch = list(self._history["epoch"])
            history.history = {k: list(v) for k, v in self._history["logs"].items()}
        self._history = None

    def on_epoch_begin(self, epoch, logs=None):
        self._put_back_history()
        self._epoch = epoch

    # ------------------------------------------------------------------- save
    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save(self._epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        history = getattr(self.model, "history", None)
        self._logged = ({"epoch": [*history.epoch, epoch], "logs": {
            k: [*history.history.get(k, []), v] for k, v in (logs or {}).items()}}
            if history is not None else {"epoch": [], "logs": {}})
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def _save(self, epoch: int, batch: int) -> None:
        from ..archive import FORMAT, FORMAT_VERSION, write_archive
        from ..backend import rng

        os.makedirs(self.backup_dir, exist_ok=True)
        weights = self.model.get_weights()
        optimizer = getattr(self.model, "optimizer", None)
        state = optimizer.get_state() if optimizer is not None and optimizer.built else []
        history = self._logged or {"epoch": [], "logs": {}}
        meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "weights": len(weights),
                "backup": {"epoch": epoch, "batch": batch, "optimizer_state": len(state),
                           "rng": rng().bit_generator.state, "history": history}}
        if self.double_checkpoint and os.path.exists(self._path):
            os.replace(self._path, self._previous)      # atomic: one of the two is whole
        arrays = {f"weights/{i:04d}.npy": w for i, w in enumerate(weights)}
        arrays.update({f"optimizer/{i:04d}.npy": np.asarray(s) for i, s in enumerate(state)})
        write_archive(self._path, meta, arrays)

    def on_train_end(self, logs=None):
        self._put_back_history()
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
