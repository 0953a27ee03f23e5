"""Callbacks that record training into a run directory, for both engines.

``EpochRecorder`` holds what happens at the end of an epoch; one thin wrapper, subclassing
the ``Callback`` of either engine, makes it a ``redes.nn`` or a Keras callback. The wrapper
classes are built on first use, so
importing ``redes.runs`` imports neither ``redes.nn`` nor Keras.
"""

from __future__ import annotations

import functools

from ..i18n import _


class EpochRecorder:
    """Logs each finished epoch into ``run`` and saves the model after it.

    A model that cannot be saved because its weights hold NaN (training diverged) is not
    saved; the run keeps the model of the last good epoch and records a warning.

    Args:
        run: a ``redes.runs.Run``.
        save_model: save the model after every epoch. Defaults to True.
    """

    def __init__(self, run, save_model=True):
        self.run = run
        self.save_model = bool(save_model)

    def on_train_begin(self, params=None) -> None:
        epochs = (params or {}).get("epochs")
        if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs >= 0:
            self.run.set_epochs(epochs)

    def on_epoch_end(self, epoch, logs=None, model=None) -> None:
        self.run.log_epoch(epoch, dict(logs or {}))
        if self.save_model and model is not None:
            try:
                self.run.save_model(model, epoch=int(epoch) + 1)
            except ValueError as exc:
                self.run._write_status(warning=_("epoch {number}: model not saved: "
                                                 "{problem}").format(number=int(epoch) + 1,
                                                                     problem=exc))


def _run_callback_class(base):
    """A callback class of the engine whose ``Callback`` is ``base``, recording every epoch
    into a run directory through an ``EpochRecorder``."""

    class RunCallback(base):
        """Records every epoch into a run directory (see ``redes.runs.EpochRecorder``)."""

        def __init__(self, recorder):
            super().__init__()
            self.recorder = recorder

        def on_train_begin(self, logs=None):
            self.recorder.on_train_begin(self.params)

        def on_epoch_end(self, epoch, logs=None):
            self.recorder.on_epoch_end(epoch, logs, self.model)

    return RunCallback


@functools.cache
def _callback_class(engine):
    if engine == "numpy":
        from ..nn.callbacks import Callback
    else:
        from ..engines import import_keras

        Callback = import_keras().callbacks.Callback
    return _run_callback_class(Callback)


def make_callback(run, engine, save_model=True):
    """A callback of ``engine`` ("numpy" or "keras") recording into ``run``."""
    if engine not in ("numpy", "keras"):
        raise ValueError(_("engine: expected 'numpy' or 'keras', got {value!r}").format(
            value=engine))
    return _callback_class(engine)(EpochRecorder(run, save_model))
