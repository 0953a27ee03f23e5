"""Callbacks: code that runs at the start and end of training, epochs and batches.

The names, arguments and defaults are those of ``keras.callbacks``. A callback sees the
model (``self.model``) and the logs (``{"loss": ..., "accuracy": ..., "val_loss": ...}``),
and can stop training by setting ``self.model.stop_training = True``.

One module per concept: ``base`` (``Callback``, ``History``, ``CallbackList``),
``progbar`` (what ``fit`` prints), ``monitor`` (the callbacks that watch a logged value),
``general`` (the small ones), ``backup`` (``BackupAndRestore``), ``tensorboard`` and the
event files it writes (``events``).
"""

from .backup import BackupAndRestore
from .base import Callback, CallbackList, History
from .general import CSVLogger, LambdaCallback, LearningRateScheduler, TerminateOnNaN
from .monitor import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from .progbar import ProgbarLogger
from .tensorboard import TensorBoard

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping",
           "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
           "ProgbarLogger", "ReduceLROnPlateau", "TensorBoard", "TerminateOnNaN"]
