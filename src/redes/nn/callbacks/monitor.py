"""Callbacks that watch one logged value (``val_loss``...) for improvement:
``EarlyStopping``, ``ModelCheckpoint`` and ``ReduceLROnPlateau``."""

from __future__ import annotations

import os
import sys

import numpy as np

from ...i18n import _
from .base import Callback


class _Monitor(Callback):
    """Shared by the callbacks that watch one logged value for improvement."""

    def __init__(self, monitor, mode, min_delta):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(_("mode: expected 'auto', 'min' or 'max', got {value!r}").format(
                value=mode))
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(float(min_delta))

    def _direction(self) -> str:
        if self.mode != "auto":
            return self.mode
        name = self.monitor.removeprefix("val_")
        return "max" if ("acc" in name or name.startswith("auc")) else "min"

    def _improved(self, current, reference) -> bool:
        if reference is None:
            return True
        if self._direction() == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def _value(self, logs):
        value = (logs or {}).get(self.monitor)
        if value is None:
            available = ", ".join(sorted(logs or {})) or _("none")
            print(_("{callback}: the monitored value {monitor!r} is not in the "
                    "logs (available: {available})").format(
                      callback=type(self).__name__, monitor=self.monitor, available=available),
                  file=sys.stderr)
        return value


class EarlyStopping(_Monitor):
    """Stops training when the monitored value stops improving.

    Args:
        monitor: the logged value to watch. Defaults to "val_loss".
        min_delta: the smallest change that counts as improvement. Defaults to 0.
        patience: epochs without improvement before stopping. Defaults to 0.
        verbose: 1 prints a message when stopping. Defaults to 0.
        mode: "min", "max" or "auto" (from the name: accuracies are maximized). Default "auto".
        baseline: a value the monitored quantity must beat. Defaults to None.
        restore_best_weights: at the end, put back the weights of the best epoch.
            Defaults to False.
        start_from_epoch: epochs to wait before watching. Defaults to 0.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta)
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(_("patience: expected an integer >= 0, got {value!r}").format(
                value=patience))
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self._value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._improved(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improved(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose:
            print(_("Epoch {epoch}: early stopping").format(epoch=self.stopped_epoch + 1))
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose:
                print(_("Restoring model weights from the end of the best epoch: "
                        "{epoch}.").format(epoch=self.best_epoch + 1))
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Saves the model (or its weights) after epochs, or every few batches.

    Args:
        filepath: where to save; may hold ``epoch``, ``batch`` and fields of the logs, e.g.
            ``"model-{epoch:02d}-{val_loss:.2f}.keras"``.
        monitor: the value that decides which model is best. Defaults to "val_loss".
        verbose: 1 prints a line when saving. Defaults to 0.
        save_best_only: save only when the monitored value improves. Defaults to False.
        save_weights_only: save only the weights. Defaults to False.
        mode: "min", "max" or "auto". Defaults to "auto".
        save_freq: ``"epoch"`` (after each epoch) or an integer: after every that many
            batches, counted from the start of training, with the logs of the batch.
            Defaults to ``"epoch"``.
        initial_value_threshold: a value the first saved model must beat. Defaults to None.

    Weights that hold NaN or inf (a diverged training) are never saved: the last good file
    stays in place.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, 0)
        if save_freq != "epoch" and (isinstance(save_freq, bool)
                                     or not isinstance(save_freq, (int, np.integer))
                                     or save_freq < 1):
            raise ValueError(_("save_freq: expected 'epoch' or a number of batches >= 1, got "
                               "{value!r}").format(value=save_freq))
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._epoch = self._batches = 0

    def on_train_begin(self, logs=None):
        self._batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save(self._epoch, logs or {}, batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs or {})

    def _save(self, epoch, logs, batch=None):
        if self.save_best_only:
            current = self._value(logs)
            if current is None or not self._improved(current, self.best):
                return
            self.best = current
        if not all(np.all(np.isfinite(w)) for w in self.model.weights):
            print(_("Epoch {epoch}: weights hold NaN or inf; not saved").format(
                epoch=epoch + 1), file=sys.stderr)
            return
        fields = {"epoch": epoch + 1, **({} if batch is None else {"batch": batch + 1}), **logs}
        try:
            path = self.filepath.format(**fields)
        except KeyError as exc:
            raise ValueError(_("filepath: {path!r} names {key}, which is not among the values "
                               "known when saving: {known}").format(
                path=self.filepath, key=exc, known=", ".join(fields))) from None
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)   # as Keras does
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
        if self.verbose:
            print(_("Epoch {epoch}: saved model to {path}").format(epoch=epoch + 1, path=path))


class ReduceLROnPlateau(_Monitor):
    """Multiplies the learning rate by ``factor`` when the monitored value stops improving.

    Args:
        monitor: defaults to "val_loss".
        factor: new_lr = lr * factor. Defaults to 0.1.
        patience: epochs without improvement before reducing. Defaults to 10.
        verbose: 1 prints a line when reducing. Defaults to 0.
        mode: "min", "max" or "auto". Defaults to "auto".
        min_delta: the smallest change that counts as improvement. Defaults to 1e-4.
        cooldown: epochs to wait after a reduction. Defaults to 0.
        min_lr: the learning rate never goes below this. Defaults to 0.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        super().__init__(monitor, mode, min_delta)
        if not 0 <= factor < 1:
            raise ValueError(_("factor: expected a number in [0, 1), got {value!r}").format(
                value=factor))
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr

    def on_train_begin(self, logs=None):
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = optimizer.learning_rate
        current = self._value(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = optimizer.learning_rate
                if old > self.min_lr:
                    new = max(old * self.factor, self.min_lr)
                    optimizer.learning_rate = new
                    if self.verbose:
                        print(_("Epoch {epoch}: ReduceLROnPlateau reducing learning rate "
                                "to {rate}.").format(epoch=epoch + 1, rate=new))
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
