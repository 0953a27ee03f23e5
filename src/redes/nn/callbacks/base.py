"""The base ``Callback``, ``History`` (which ``fit`` returns) and ``CallbackList``."""

from __future__ import annotations

from ...i18n import _


class Callback:
    """Base class: override the ``on_*`` methods you need."""

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...

    # Keras' older names of the two below; a callback may override either
    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)


class History(Callback):
    """Records the logs of every epoch: ``history.history["val_loss"]`` and so on."""

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class CallbackList:
    """Runs a list of callbacks in order; adds ``History`` and the progress bar like Keras
    (a ``ProgbarLogger`` given in ``callbacks`` is used instead of a new one)."""

    def __init__(self, callbacks=None, model=None, history=None, verbose=0, params=None):
        from .progbar import ProgbarLogger

        callbacks = list(callbacks or [])
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(_(
                    "callbacks: expected redes.nn.callbacks.Callback objects, got {type}"
                ).format(type=type(cb).__name__))
        if verbose and not any(isinstance(cb, ProgbarLogger) for cb in callbacks):
            callbacks.append(ProgbarLogger())
        if history is not None:
            callbacks.append(history)
        self.callbacks = callbacks
        for cb in callbacks:
            cb.set_model(model)
            cb.set_params(dict(params or {}))

    def _call(self, name, *args):
        for cb in self.callbacks:
            getattr(cb, name)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def initial_epoch(self, given: int) -> int:
        """The epoch ``fit`` starts from: ``given``, unless a callback resumes an interrupted
        training (``BackupAndRestore``), which says so after ``on_train_begin``."""
        for cb in self.callbacks:
            resume = getattr(cb, "resume_epoch", None)
            if resume is not None:
                given = max(given, resume)
        return given
