"""Small callbacks: ``LearningRateScheduler``, ``TerminateOnNaN``, ``CSVLogger`` and
``LambdaCallback``."""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from ...i18n import _
from .base import Callback


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to ``schedule(epoch, lr)``."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(_("schedule: expected a function (epoch, lr) -> lr, got {value!r}")
                             .format(value=schedule))
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = float(self.schedule(epoch, self.model.optimizer.learning_rate))
        self.model.optimizer.learning_rate = lr
        if self.verbose:
            print(_("Epoch {epoch}: LearningRateScheduler setting learning rate to {rate}.")
                  .format(epoch=epoch + 1, rate=lr))

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = self.model.optimizer.learning_rate


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch loss is NaN or inf.

    Unlike Keras, it also puts back the weights of the end of the last epoch whose weights
    were all finite, so a diverged model is never left (or saved) full of NaN.
    """

    def _snapshot(self):
        weights = self.model.get_weights()
        if all(np.all(np.isfinite(w)) for w in weights):
            self.good_weights, self.good_epoch = weights, self.epoch

    def on_train_begin(self, logs=None):
        self.good_weights, self.epoch = None, 0
        self._snapshot()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch = epoch + 1
        self._snapshot()

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(loss):
            return
        print(_("Batch {batch}: Invalid loss, terminating training. The loss became {loss}: "
                "the training diverged; try a smaller learning rate or normalized inputs.")
              .format(batch=batch, loss=loss))
        self.model.stop_training = True
        if self.good_weights is not None:
            self.model.set_weights(self.good_weights)
            print(_("Restored the weights of the end of epoch {epoch} "
                    "(the last ones without NaN or inf).").format(epoch=self.good_epoch))


class CSVLogger(Callback):
    """Writes one CSV row per epoch with the logs.

    Args:
        filename: the CSV file.
        separator: column separator. Defaults to ",".
        append: add to an existing file instead of overwriting it. Defaults to False.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.separator = separator
        self.append = append
        self.keys = None

    def on_train_begin(self, logs=None):
        has_header = self.append and os.path.exists(self.filename) and os.path.getsize(
            self.filename) > 0
        self.file = open(self.filename, "a" if self.append else "w", newline="")
        self.keys = None
        self.header_written = has_header

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            self.writer = csv.writer(self.file, delimiter=self.separator)
            if not self.header_written:
                self.writer.writerow(["epoch", *self.keys])
        self.writer.writerow([epoch, *(logs.get(k, "NA") for k in self.keys)])
        self.file.flush()

    def on_train_end(self, logs=None):
        self.file.close()


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. ``LambdaCallback(on_epoch_end=lambda e, l: ...)``.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None):
        super().__init__()
        given = {
            "on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin, "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, fn in given.items():
            if fn is not None:
                if not callable(fn):
                    raise ValueError(_("{argument}: expected a function, got {value!r}")
                                     .format(argument=name, value=fn))
                setattr(self, name, fn)
