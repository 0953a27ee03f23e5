"""``ProgbarLogger``: the progress that ``fit`` prints with ``verbose`` 1 or 2."""

from __future__ import annotations

import sys
import time

import numpy as np

from ...i18n import _
from .base import Callback


def format_logs(logs) -> str:
    """``loss: 0.1234 - accuracy: 0.9500 - val_loss: ...``, as Keras prints the logs."""
    keys = sorted(k for k in logs if not k.startswith("val_"))
    keys += sorted(k for k in logs if k.startswith("val_"))
    return " - ".join(f"{k}: {_fmt(logs[k])}" for k in keys)


def _fmt(value) -> str:
    # a metric with one value per class (F1Score()) shows their mean, as Keras' bar does
    value = float(np.mean(value))
    return f"{value:.4f}" if abs(value) >= 1e-3 or value == 0 else f"{value:.4e}"


def _duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s"
    return f"{seconds * 1e3:.0f}ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f}us"


class ProgbarLogger(Callback):
    """Prints progress like Keras: a bar that fills during each epoch (verbose=1), or one
    line per epoch (verbose=2). Added by ``fit`` itself when ``verbose`` is 1 or 2; one given
    in ``callbacks`` is used instead (and prints nothing with ``verbose=0``).

    Args:
        count_mode: what the bar counts: ``"steps"`` (batches), the only mode of Keras 3.
            Defaults to ``"steps"``.
        stream: where to print. Defaults to ``sys.stdout``.
        width: the bar's width in characters. Defaults to 20.
    """

    def __init__(self, count_mode="steps", stream=None, width=20):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(_("count_mode: expected 'steps' (the bar counts batches), got "
                               "{value!r}").format(value=count_mode))
        self.count_mode = count_mode
        self.stream = stream
        self.width = width

    def _out(self):
        return self.stream or sys.stdout

    def on_epoch_begin(self, epoch, logs=None):
        self.start = self.last = time.perf_counter()
        self.interactive = self._out().isatty() or "ipykernel" in sys.modules
        if not self.params.get("verbose"):
            return
        print(f"Epoch {epoch + 1}/{self.params.get('epochs', 0)}", file=self._out(), flush=True)

    def on_train_batch_end(self, batch, logs=None):
        if self.params.get("verbose") != 1 or not self.interactive:
            return
        now = time.perf_counter()
        steps = self.params.get("steps")           # None: data of unknown length
        if now - self.last < 0.05 and (steps is None or batch + 1 < steps):
            return
        self.last = now
        self._bar(batch + 1, steps, logs or {}, "\r", "")

    def _bar(self, done, steps, logs, start, end):
        if steps is None:                          # as Keras: "12/Unknown", no bar
            steps, bar = "Unknown", ""
        else:
            filled = int(self.width * done / max(steps, 1))
            bar = "━" * filled + ("\x1b[2m" + "━" * (self.width - filled) + "\x1b[0m"
                                  if self.interactive and filled < self.width else
                                  " " * (self.width - filled))
        elapsed = time.perf_counter() - self.start
        per_step = _duration(elapsed / max(done, 1))
        text = f"{done}/{steps} {bar} {_duration(elapsed)} {per_step}/step - {format_logs(logs)}"
        print(start + text, end=end, file=self._out(), flush=True)

    def on_epoch_end(self, epoch, logs=None):
        steps = self.params.get("steps") or 1
        logs = logs or {}
        if not self.params.get("verbose"):
            return
        if self.params.get("verbose") == 1:
            self._bar(steps, steps, logs, "\r" if self.interactive else "", "\n")
        else:
            elapsed = time.perf_counter() - self.start
            print(f"{steps}/{steps} - {_duration(elapsed)} - "
                  f"{_duration(elapsed / max(steps, 1))}/step - {format_logs(logs)}",
                  file=self._out(), flush=True)


