"""``TensorBoard``: the learning curves, weight histograms and model of a training, in
the files that ``tensorboard --logdir logs`` shows, as ``keras.callbacks.TensorBoard``
writes them (same folders, same tags), without TensorFlow."""

from __future__ import annotations

import os
import time

import numpy as np

from ...i18n import _
from .base import Callback
from .events import EventWriter, _protos


def _check_count(value, name: str, allow_epoch: bool = False):
    if allow_epoch and value in ("epoch", "batch"):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        expected = (_("'epoch', 'batch' or an integer >= 1") if allow_epoch
                    else _("an integer >= 0"))
        raise ValueError(_("{argument}: expected {expected}, got {value!r}").format(
            argument=name, expected=expected, value=value))
    if allow_epoch and value == 0:
        raise ValueError(_("{argument}: expected {expected}, got {value!r}").format(
            argument=name, expected=_("'epoch', 'batch' or an integer >= 1"), value=value))
    return int(value)


class TensorBoard(Callback):
    """Writes what TensorBoard shows: ``tensorboard --logdir logs``.

    Scalars go to ``log_dir/train`` and ``log_dir/validation`` with Keras' tags: after
    each epoch ``epoch_loss``, ``epoch_accuracy``... and ``epoch_learning_rate`` (step: the
    epoch, from 0); the validation pass also as ``evaluation_loss_vs_iterations``... (step:
    the optimizer's step count); with ``update_freq`` set to batches, ``batch_loss``...
    (step: the batch, counted from 1 over the whole training).

    Args:
        log_dir: the folder. Defaults to ``"logs"``.
        histogram_freq: every this many epochs, a histogram of each weight (tag
            ``sequential/dense/kernel/histogram``); 0 writes none. Defaults to 0.
        write_graph: write the model's configuration under the tag ``keras``, which the
            Graphs dashboard draws as its conceptual graph (one box per layer), as Keras
            does. (Keras with TensorFlow also writes the graph of TensorFlow operations of
            its training step; this engine has no such graph.) Defaults to True.
        write_images: with histograms, each kernel also as an image. Defaults to False.
        write_steps_per_second: also log the training steps per second. Defaults to False.
        update_freq: ``"epoch"``, ``"batch"`` (every batch) or an integer: the batch
            scalars every that many batches. Defaults to ``"epoch"``.
        profile_batch: only 0 (the profiler is TensorFlow's, as with Keras' NumPy
            backend). Defaults to 0.
        embeddings_freq, embeddings_metadata: only 0 and None (the Projector is not
            written). Default 0 and None.

    Raises:
        ImportError: naming ``pip install "redes[board]"`` without the ``tensorboard``
            package.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        _protos()                                   # a clear error now, not after an epoch
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = _check_count(histogram_freq, "histogram_freq")
        self.write_graph = bool(write_graph)
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        freq = _check_count(update_freq, "update_freq", allow_epoch=True)
        self.update_freq = 1 if freq == "batch" else freq
        for name, value in (("profile_batch", profile_batch),
                            ("embeddings_freq", embeddings_freq)):
            if value not in (0, None, (0, 0)):
                raise ValueError(_("{argument}: expected 0 (not available in redes), got "
                                   "{value!r}").format(argument=name, value=value))
        if embeddings_metadata is not None:
            raise ValueError(_("{argument}: expected {expected}, got {value!r}").format(
                argument="embeddings_metadata", expected="None", value=embeddings_metadata))
        self._writers: dict[str, EventWriter] = {}
        self._global_train_batch = 0

    def _writer(self, split: str) -> EventWriter:
        if split not in self._writers:
            self._writers[split] = EventWriter(os.path.join(self.log_dir, split))
        return self._writers[split]

    def set_model(self, model):
        self.model = model
        self._writers = {}                           # a new model gets new files
        if self.write_graph and model is not None and hasattr(model, "get_config"):
            try:
                config = model.get_config()
            except (NotImplementedError, TypeError, ValueError):   # a subclass without one
                return
            self._writer("train").model_config(
                {"class_name": type(model).__name__, "config": config})

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._tested = False
        self._epoch_start = time.perf_counter()
        self._epoch_steps = self._steps()

    def _steps(self) -> int:
        optimizer = getattr(self.model, "optimizer", None)
        return int(getattr(optimizer, "iterations", 0) or 0)

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        values = {f"batch_{k}": v for k, v in (logs or {}).items() if _is_number(v)}
        if self.write_steps_per_second:
            values["batch_steps_per_second"] = 1.0 / max(
                time.perf_counter() - self._batch_start, 1e-9)
        self._writer("train").scalars(self._global_train_batch, values)

    def on_test_end(self, logs=None):
        """After a validation pass: ``evaluation_<name>_vs_iterations`` at the optimizer's
        step count, in ``validation``."""
        self._tested = True
        values = {f"evaluation_{k}_vs_iterations": v for k, v in (logs or {}).items()
                  if _is_number(v)}
        if values and getattr(self.model, "optimizer", None) is not None:
            self._writer("validation").scalars(self._steps(), values)

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: v for k, v in (logs or {}).items() if _is_number(v)}
        val = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        if val and not getattr(self, "_tested", False):
            self.on_test_end(val)             # fit validated without a test pass of its own
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if logs and optimizer is not None:
            train["learning_rate"] = float(optimizer.learning_rate)
        if logs and self.write_steps_per_second:
            seconds = max(time.perf_counter() - self._epoch_start, 1e-9)
            train["steps_per_second"] = (self._steps() - self._epoch_steps) / seconds
        if train:
            self._writer("train").scalars(epoch, {f"epoch_{k}": v for k, v in train.items()})
        if val:
            self._writer("validation").scalars(epoch,
                                               {f"epoch_{k}": v for k, v in val.items()})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_weights(self, epoch: int) -> None:
        """A histogram of every weight (``sequential/dense/kernel/histogram``: Keras' path
        of the weight, which starts with the model's name), and with ``write_images`` each
        1-D, 2-D or 3-D weight as an image, as Keras draws them."""
        histograms, images = {}, {}
        for layer in self.model.layers:
            for weight in layer.weights:
                name = f"{self.model.name}/{weight.path}".replace(":", "_")
                histograms[f"{name}/histogram"] = np.asarray(weight.value)
                image = _as_image(np.asarray(weight.value)) if self.write_images else None
                if image is not None:
                    images[f"{name}/image"] = image
        writer = self._writer("train")
        writer.histograms(epoch, histograms)
        if images:
            writer.images(epoch, images)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool)


def _as_image(w: np.ndarray):
    """A weight as images (n, height, width, 1) the way Keras shows it, or ``None``: a bias
    is one row, a kernel (in, out) is shown wider than tall, a 1-D convolution's kernel
    (width, in, out) becomes ``width`` images; larger kernels are not drawn."""
    w = np.squeeze(w)
    if w.ndim == 1:
        return w.reshape(1, 1, -1, 1)
    if w.ndim == 2:
        return (w.T if w.shape[0] > w.shape[1] else w).reshape(1, *sorted(w.shape), 1)
    if w.ndim == 3:
        w = np.transpose(w, (2, 0, 1))            # channels first: one image per kernel
        return w.reshape(*w.shape, 1)
    return None
