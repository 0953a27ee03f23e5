"""``Sequential``: a stack of layers that learns, with the Keras 3 training API.

Training is three plain steps repeated over mini-batches, the story of how a network learns:

1. forward: each layer turns its input into its output (``layer.call``);
2. backward: the loss gives dL/d(output) and each layer, from the last to the first, turns
   dL/d(its output) into dL/d(its weights) and dL/d(its input) (``layer.backward``);
3. update: the optimizer moves every weight a little against its gradient.

``fit``, ``evaluate`` and ``predict`` wrap those steps with batching, shuffling, validation,
metrics and callbacks, with Keras' arguments and defaults.
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np

from . import backend, losses, optimizers, saving
from . import callbacks as callbacks_module
from . import metrics as metrics_module
from .layers.base import Layer, unique_name
from .layers.core import InputLayer, _WithActivation
from .layers.embedding import sequences_array
from .saving import ModelFileError, load_model  # noqa: F401 - keras.models.load_model
from .serialization import deserialize, serialize


class Sequential:
    """A linear stack of layers.

    Args:
        layers: a list of layers, optionally starting with ``Input(shape=...)``.
        name: the model's name. Defaults to ``"sequential"`` (numbered when repeated).
    """

    def __init__(self, layers=None, name=None, trainable=True):
        self.name = name or unique_name("sequential")
        self.trainable = trainable
        self.layers: list[Layer] = []
        self.input_shape: tuple | None = None
        self.optimizer = None
        self.loss = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._metric_ids: list = []
        self._weighted_ids: list = []
        self.metrics: list = []
        self._weighted: list = []
        for layer in layers or []:
            self.add(layer)

    # ---------------------------------------------------------------- structure
    def add(self, layer) -> None:
        """Append a layer (or, first of all, an ``Input``)."""
        if isinstance(layer, InputLayer):
            if self.layers or self.input_shape is not None:
                raise ValueError("layer: an Input can only be the first element of the model")
            self.input_shape = (None, *layer.shape)
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"layer: expected a redes.nn layer, got {type(layer).__name__}")
        if any(layer is other for other in self.layers):
            # a layer keeps its input and results for its backward pass: it can serve once
            raise ValueError(f"layer: {layer.name!r} is already in the model; a layer can "
                             "appear only once in a Sequential model (make a new one)")
        if self.input_shape is None and not self.layers and layer._input_shape_arg is not None:
            self.input_shape = (None, *layer._input_shape_arg)
        self.layers.append(layer)
        if self.input_shape is not None:
            self.build(self.input_shape)

    @property
    def built(self) -> bool:
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def build(self, input_shape) -> None:
        """Build every layer for inputs of ``input_shape`` (batch dimension first)."""
        if not self.layers:
            raise ValueError("layers: the model has no layers; add some with model.add(...)")
        shape = (None, *tuple(input_shape)[1:])
        self.input_shape = shape
        for layer in self.layers:
            if layer.built and layer.input_shape[1:] != shape[1:]:
                raise ValueError(
                    f"x: layer {layer.name!r} was built for inputs {layer.input_shape}, "
                    f"but receives {shape}"
                )
            shape = layer.build_for(shape)
        self.layers[0].input_grad = False   # nobody needs dL/dx of the data itself

    @property
    def output_shape(self):
        return self.layers[-1].output_shape if self.built else None

    @property
    def weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers for w in layer.weights]

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        if not self.trainable:
            return []
        return [w for layer in self.layers for w in layer.trainable_weights]

    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight, layer by layer, in Keras' order and layouts."""
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights) -> None:
        """Load weights given in the order of ``get_weights`` (e.g. from a Keras model)."""
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(
                f"weights: the model has {expected} weight arrays, got {len(weights)}"
            )
        i = 0
        for layer in self.layers:
            n = len(layer.weights)
            layer.set_weights(weights[i:i + n])
            i += n

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, weighted_metrics=None,
                run_eagerly=None, jit_compile=None, steps_per_execution=None):
        """Choose the optimizer, the loss and the metrics (Keras' default optimizer: RMSprop).

        As in Keras, ``metrics`` ignore sample and class weights and ``weighted_metrics``
        apply them. ``run_eagerly``, ``jit_compile`` and ``steps_per_execution`` are accepted for
        compatibility with Keras code and have no effect: the engine always runs eagerly.
        """
        if loss is None:
            raise ValueError(
                "loss: compile needs a loss, e.g. 'mse', 'binary_crossentropy' or "
                "'sparse_categorical_crossentropy'"
            )
        for argument, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value is not None and not isinstance(value, (list, tuple)):
                raise ValueError(
                    f"{argument}: expected a list such as ['accuracy'], got {value!r}")
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        self._metric_ids = list(metrics or [])
        self._weighted_ids = list(weighted_metrics or [])
        self.metrics = []
        self._weighted = []
        self.compiled = True

    def _resolve_metrics(self, y) -> None:
        """Turn metric names into metric objects; "accuracy" depends on the targets' shape."""
        if self.metrics or self._weighted:
            return

        def get(m):
            return metrics_module.get(m, loss=self.loss, output_shape=self.output_shape,
                                      y_true_shape=y.shape)

        self.metrics = [get(m) for m in self._metric_ids]
        self._weighted = [get(m) for m in self._weighted_ids]

    def _check_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"{what}: compile the model first, e.g. "
                               "model.compile(optimizer='adam', loss='mse')")

    # ---------------------------------------------------------- forward, backward
    def __call__(self, x, training=False):
        return self._forward(self._prepare_x(x, "x"), training)

    def _forward(self, x, training):
        mask = None   # (batch, timesteps) booleans, True where a step is real (not padding)
        for layer in self.layers:
            if x.dtype != layer.dtype and x.dtype.kind == "f":
                x = x.astype(layer.dtype)   # as in Keras, each layer computes in its dtype
            if mask is not None and _call_takes_mask(type(layer)):
                y = layer.call(x, training=training, mask=mask)
            else:
                y = layer.call(x, training=training)
            # as in Keras, a layer that supports masking passes a mask on (Embedding with
            # mask_zero=True makes one); any other layer ends it
            mask = layer.compute_mask(x, mask) if layer.supports_masking else None
            x = y
        return x

    def _fused(self) -> bool:
        last = self.layers[-1]
        return isinstance(last, _WithActivation) and self.loss.fuses_with(last.activation)

    def _loss(self, y, out, sample_weight, need_grad):
        """The data loss and dL/d(output), or dL/d(logits) when the loss is fused."""
        if self._fused():
            return self.loss.loss_and_grad(y, self.layers[-1].z, sample_weight, logits=True,
                                           need_grad=need_grad)
        return self.loss.loss_and_grad(y, out, sample_weight, need_grad=need_grad)

    def compute_loss_and_grads(self, x, y, sample_weight=None, training=True):
        """One forward and backward pass: (loss, gradients of ``trainable_weights``).

        The loss is the batch-averaged data loss plus the regularization penalties, and the
        gradients include the penalties' gradients, as in Keras. The gradients are new
        arrays, the caller's to keep.
        """
        self._check_compiled("compute_loss_and_grads")
        loss, grads = self._loss_and_grads(x, y, sample_weight, training)
        return loss, [g.copy() for g in grads]

    def _loss_and_grads(self, x, y, sample_weight, training=True):
        """``compute_loss_and_grads`` whose gradients are the layers' own arrays, which
        some layers reuse in their next backward pass (``fit`` steps with them at once)."""
        last, fused = self.layers[-1], self._fused()
        last.logits_only = fused      # a fused loss reads the logits: no softmax needed
        for layer in self.layers:
            layer.in_training_step = True
        try:
            out = self._forward(x, training)
            loss, grad = self._loss(y, out, sample_weight, need_grad=True)
            grad = last.backward(grad, from_logits=True) if fused else last.backward(grad)
            for layer in reversed(self.layers[:-1]):
                grad = layer.backward(grad.astype(layer.dtype, copy=False))
        finally:
            last.logits_only = False
            for layer in self.layers:
                layer.in_training_step = False
        if fused and (self.metrics or self._weighted):
            out = last.activation(out)   # the metrics see the probabilities
        self._last_output = out
        grads = []
        for layer in self.layers:
            if not layer.trainable:
                continue
            for w, reg, g in zip(layer.trainable_weights, layer.regularizers, layer.grads):
                if reg is not None:
                    loss += reg(w)
                    g += reg.gradient(w)      # d(penalty)/dw joins d(loss)/dw
                grads.append(g)
        return loss, grads

    def _regularization_loss(self) -> float:
        return sum(layer.regularization_loss() for layer in self.layers)

    def train_on_batch(self, x, y, sample_weight=None) -> float:
        """One step of gradient descent on one batch; returns the batch loss."""
        self._check_compiled("train_on_batch")
        loss, grads = self._loss_and_grads(x, y, sample_weight)
        self.optimizer.apply(grads, self.trainable_weights)
        return loss

    # ----------------------------------------------------------------- checking
    def _prepare_x(self, x, argument):
        x = _numeric(x, argument)
        if x.ndim == 0:
            raise ValueError(f"{argument}: expected an array of samples, got a scalar")
        if not self.built:
            self.build(x.shape)
        dtype = self.layers[0].dtype
        x = x.astype(dtype, copy=False)
        self.layers[0].check_input(x)
        return x

    def _prepare_y(self, y, n, argument):
        y = _numeric(y, argument)
        if len(y) != n:
            raise ValueError(f"{argument}: has {len(y)} samples but x has {n}")
        out_shape = self.output_shape
        sparse = isinstance(self.loss, getattr(losses, "SparseCategoricalCrossentropy", ()))
        if not sparse:
            if y.ndim == 1 and len(out_shape) == 2 and out_shape[1] == 1:
                y = y.reshape(-1, 1)
            y = y.astype(self.layers[-1].dtype, copy=False)
        if hasattr(self.loss, "validate"):
            self.loss.validate(y, out_shape)
        return y

    def _prepare_weights(self, sample_weight, class_weight, y, n):
        sw = None
        if sample_weight is not None:
            sw = _numeric(sample_weight, "sample_weight").reshape(-1)
            if len(sw) != n:
                raise ValueError(f"sample_weight: has {len(sw)} values but x has {n} samples")
            if np.any(sw < 0):
                raise ValueError("sample_weight: expected non-negative weights")
        if class_weight is not None:
            cw = _class_weights(class_weight, y, self.output_shape)
            sw = cw if sw is None else sw * cw
        return None if sw is None else sw.astype(self.layers[-1].dtype)

    # ---------------------------------------------------------------- training
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, validation_batch_size=None,
            validation_freq=1):
        """Train the model for ``epochs`` passes over the data.

        Args:
            x, y: training inputs and targets (NumPy arrays).
            batch_size: samples per gradient step. Defaults to 32.
            epochs: index of the last epoch to train (counting from ``initial_epoch``).
            verbose: "auto" (= 1), 0 silent, 1 progress bar, 2 one line per epoch.
            callbacks: list of ``redes.nn.callbacks.Callback``.
            validation_split: fraction of the data held out for validation: the *last*
                samples, taken before any shuffling, as in Keras. Defaults to 0.
            validation_data: ``(x_val, y_val)`` or ``(x_val, y_val, sample_weight)``;
                overrides ``validation_split``.
            shuffle: reshuffle the training data before each epoch. Defaults to True.
            class_weight: dict mapping class index to a weight for the loss.
            sample_weight: per-sample weights for the loss.
            initial_epoch: epoch to start from (to resume training). Defaults to 0.
            validation_batch_size: batch size for validation; defaults to ``batch_size``.
            validation_freq: validate every this many epochs. Defaults to 1.

        Returns:
            A ``History`` whose ``history`` dict holds one list per metric.
        """
        self._check_compiled("fit")
        if x is None or y is None:
            raise ValueError("x, y: fit needs both the inputs x and the targets y")
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        epochs = _non_negative_int(epochs, "epochs")
        initial_epoch = _non_negative_int(initial_epoch, "initial_epoch")
        validation_freq = _positive_int(validation_freq, "validation_freq")
        verbose = _verbosity(verbose)
        if isinstance(validation_split, bool) or not isinstance(
                validation_split, (int, float)) or not 0 <= validation_split < 1:
            raise ValueError(
                f"validation_split: expected a number in [0, 1), got {validation_split!r}"
            )
        x = self._prepare_x(x, "x")
        n = len(x)
        y = self._prepare_y(y, n, "y")
        sw = self._prepare_weights(sample_weight, class_weight, y, n)

        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data)
        elif validation_split:
            split_at = int(math.floor(n * (1.0 - validation_split)))
            if split_at in (0, n):
                raise ValueError(
                    f"validation_split: {validation_split} of {n} samples leaves an empty "
                    "training or validation set"
                )
            val = (x[split_at:], y[split_at:], None if sw is None else sw[split_at:])
            x, y = x[:split_at], y[:split_at]
            sw = None if sw is None else sw[:split_at]
            n = split_at
        steps = math.ceil(n / batch_size)

        history = callbacks_module.History()
        cbs = callbacks_module.CallbackList(
            callbacks, model=self, history=history, verbose=verbose,
            params={"epochs": epochs, "steps": steps, "verbose": verbose},
        )
        self._resolve_metrics(y)
        self.stop_training = False
        self.history = history
        with _blas_threads(self.count_params() * batch_size):
            return self._fit_loop(x, y, sw, val, cbs, history, n, steps, batch_size, epochs,
                                  initial_epoch, shuffle, validation_freq,
                                  validation_batch_size)

    def _fit_loop(self, x, y, sw, val, cbs, history, n, steps, batch_size, epochs,
                  initial_epoch, shuffle, validation_freq, validation_batch_size):
        cbs.on_train_begin()
        logs: dict = {}
        # the optimizer gets the weights once (it makes its buffers, or checks that they
        # fit); each step then updates them without checking the model's own gradients again
        variables = self.trainable_weights
        self.optimizer.build(variables)
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            cbs.on_epoch_begin(epoch)
            # a new order each epoch; each batch gathers its rows (no copy of the whole set)
            order = backend.rng().permutation(n) if shuffle else None
            total, seen = 0.0, 0
            for step in range(steps):
                cbs.on_train_batch_begin(step)
                batch = slice(step * batch_size, (step + 1) * batch_size)
                if order is None:
                    xb, yb, wb = x[batch], y[batch], None if sw is None else sw[batch]
                else:
                    rows = order[batch]
                    xb, yb = x.take(rows, axis=0, mode="clip"), y.take(rows, axis=0, mode="clip")
                    wb = None if sw is None else sw.take(rows, axis=0)
                loss, grads = self._loss_and_grads(xb, yb, wb)
                self.optimizer._step(grads, variables, overwrite=True)   # fresh each step
                m = len(yb)
                total += loss * m
                seen += m
                self._update_metrics(yb, self._last_output, wb)
                logs = self._logs(total / seen)
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_arrays(*val, validation_batch_size or batch_size)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        return history

    def _prepare_validation(self, data):
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                "validation_data: expected a tuple (x_val, y_val) or "
                "(x_val, y_val, sample_weight)"
            )
        xv = self._prepare_x(data[0], "validation_data[0]")
        yv = self._prepare_y(data[1], len(xv), "validation_data[1]")
        wv = None
        if len(data) == 3 and data[2] is not None:
            wv = self._prepare_weights(data[2], None, yv, len(xv))
        return xv, yv, wv

    # ---------------------------------------------------------------- metrics
    def _reset_metrics(self) -> None:
        for m in self.metrics + self._weighted:
            m.reset_state()

    def _update_metrics(self, y, out, sample_weight) -> None:
        for m in self.metrics:
            m.update_state(y, out)
        for m in self._weighted:
            m.update_state(y, out, sample_weight=sample_weight)

    def _logs(self, loss: float) -> dict:
        logs = {m.name: float(m.result()) for m in self.metrics + self._weighted}
        logs["loss"] = float(loss)
        return logs

    # -------------------------------------------------------------- inference
    def _evaluate_arrays(self, x, y, sw, batch_size):
        self._reset_metrics()
        total, n = 0.0, len(x)
        for start in range(0, n, batch_size):
            batch = slice(start, start + batch_size)
            out = self._forward(x[batch], training=False)
            wb = None if sw is None else sw[batch]
            loss, _ = self._loss(y[batch], out, wb, need_grad=False)
            total += loss * len(out)
            self._update_metrics(y[batch], out, wb)
        return self._logs(total / n + self._regularization_loss())

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 return_dict=False):
        """Loss and metrics on ``(x, y)``, computed in inference mode (no dropout).

        Returns the loss alone when there are no metrics, else ``[loss, *metrics]`` (or a
        dict with ``return_dict=True``), as in Keras.
        """
        self._check_compiled("evaluate")
        if x is None or y is None:
            raise ValueError("x, y: evaluate needs both the inputs x and the targets y")
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        x = self._prepare_x(x, "x")
        y = self._prepare_y(y, len(x), "y")
        sw = self._prepare_weights(sample_weight, None, y, len(x))
        self._resolve_metrics(y)
        logs = self._evaluate_arrays(x, y, sw, batch_size)
        if _verbosity(verbose):
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        values = [logs["loss"], *(logs[m.name] for m in self.metrics + self._weighted)]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto"):
        """The model's outputs for ``x``, computed batch by batch in inference mode."""
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        x = self._prepare_x(x, "x")
        outs = [self._forward(x[i:i + batch_size], training=False)
                for i in range(0, len(x), batch_size)]
        if not outs:
            return np.zeros((0, *self.output_shape[1:]), dtype=self.layers[-1].dtype)
        return np.concatenate(outs)

    # ------------------------------------------------------------------ summary
    def summary(self, print_fn=None) -> None:
        """Print the layers, their output shapes and parameter counts, as Keras does."""
        print_fn = print_fn or print
        rows = [("Layer (type)", "Output Shape", "Param #")]
        for layer in self.layers:
            shape = str(layer.output_shape) if layer.built else "?"
            rows.append((f"{layer.name} ({type(layer).__name__})", shape,
                         f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"))
        widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
        line = "─" * sum(widths)
        print_fn(f'Model: "{self.name}"')
        print_fn(line)
        for i, row in enumerate(rows):
            print_fn("".join(cell.ljust(w) for cell, w in zip(row, widths)))
            print_fn("═" * sum(widths) if i == 0 else line)
        total = self.count_params()
        trainable = sum(w.size for w in self.trainable_weights)
        for label, count in (("Total", total), ("Trainable", trainable),
                             ("Non-trainable", total - trainable)):
            print_fn(f" {label} params: {count:,} ({_size(count)})")

    # ------------------------------------------------------------------- config
    def get_config(self) -> dict:
        layers = [serialize(layer) for layer in self.layers]
        if self.input_shape is not None:
            layers.insert(0, {"class_name": "InputLayer",
                              "config": {"shape": list(self.input_shape[1:])}})
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config):
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError("config: expected a dict with a 'layers' list")
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(deserialize("layer", layer_config, "layers"))
        return model

    def _compile_config(self):
        if not self.compiled:
            return None
        return {
            "optimizer": serialize(self.optimizer),
            "loss": serialize(self.loss),
            "metrics": [m if isinstance(m, str) else serialize(m) for m in self._metric_ids],
            "weighted_metrics": [m if isinstance(m, str) else serialize(m)
                                 for m in self._weighted_ids],
        }

    # ------------------------------------------------------------------- saving
    def save(self, filepath, include_optimizer=True) -> None:
        """Save architecture, weights, compile settings and optimizer state to one file.

        The file is a zip archive holding ``model.json`` and ``.npy`` arrays (no pickle). It
        is written to a temporary file first and then renamed, so an interrupted save never
        leaves a broken file in place of a good one.

        Raises:
            ValueError: the model is not built, or its weights hold NaN or inf.
            redes.runs.DiskFullError: (an ``OSError``) the disk is full; the file at
                ``filepath`` keeps its previous version.
        """
        if not self.built:
            raise ValueError("model: build or fit the model before saving it")
        weights = self.get_weights()
        for layer in self.layers:
            for name, w in zip(layer._weight_names, layer.weights):
                if not np.all(np.isfinite(w)):
                    raise ValueError(
                        f"model: weight {layer.name}/{name} holds NaN or inf values (training "
                        "diverged, try a smaller learning rate); nothing was saved"
                    )
        state = []
        if include_optimizer and self.optimizer is not None and self.optimizer.built:
            state = self.optimizer.get_state()
        meta = {
            "format": saving.FORMAT,
            "format_version": saving.FORMAT_VERSION,
            "model": {"class_name": "Sequential", "config": self.get_config()},
            "compile": self._compile_config(),
            "weights": len(weights),
            "optimizer_state": len(state),
        }
        arrays = {f"weights/{i:04d}.npy": w for i, w in enumerate(weights)}
        arrays.update({f"optimizer/{i:04d}.npy": np.asarray(s) for i, s in enumerate(state)})
        saving.write_archive(filepath, meta, arrays)

    def save_weights(self, filepath) -> None:
        """Save only the weights (zip of .npy arrays), atomically."""
        weights = self.get_weights()
        meta = {"format": saving.FORMAT, "format_version": saving.FORMAT_VERSION,
                "weights": len(weights)}
        saving.write_archive(filepath, meta, {f"weights/{i:04d}.npy": w
                                        for i, w in enumerate(weights)})

    def load_weights(self, filepath) -> None:
        """Load weights saved by ``save_weights`` or ``save`` into this (built) model."""
        meta, arrays = saving.read_archive(filepath)
        self.set_weights(saving.ordered(arrays, "weights", meta.get("weights"), filepath))


# --------------------------------------------------------------------- helpers
_SMALL_WORK = 2**22   # parameters x batch size below which one BLAS thread is faster


def _blas_threads(work: int):
    """One BLAS thread for small models: their matrix products are too small to share, and
    on a busy machine extra threads wait for each other at every product."""
    import contextlib

    if work >= _SMALL_WORK:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


@functools.cache
def _call_takes_mask(cls) -> bool:
    """Whether ``cls.call`` has a ``mask`` argument (recurrent layers and their wrappers)."""
    return "mask" in inspect.signature(cls.call).parameters


def _numeric(value, argument) -> np.ndarray:
    array = sequences_array(value, argument)   # ragged lists: an error naming pad_sequences
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"{argument}: expected a numeric array, got dtype {array.dtype} (strings, objects or "
            "ragged lists cannot be fed to the network)"
        )
    # every value is finite when the sum is (one pass, no temporary; a sum that overflows
    # only sends finite data to the exact check)
    if (array.dtype.kind == "f" and not np.isfinite(array.sum())
            and not np.all(np.isfinite(array))):
        bad = ~np.isfinite(array)
        first = np.argwhere(bad)[0]
        raise ValueError(
            f"{argument}: holds {int(bad.sum())} NaN or inf values (first at index "
            f"{tuple(int(i) for i in first)}); clean or impute them first"
        )
    return array


def _class_weights(class_weight, y, output_shape):
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(f"class_weight: expected a dict {{class: weight}}, got {class_weight!r}")
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    table = np.ones(int(max(labels.max(), max(class_weight))) + 1)
    for cls, weight in class_weight.items():
        if not isinstance(cls, (int, np.integer)) or cls < 0:
            raise ValueError(f"class_weight: keys must be class indices >= 0, got {cls!r}")
        if not isinstance(weight, (int, float, np.number)) or weight < 0:
            raise ValueError(f"class_weight: weight of class {cls} must be >= 0, got {weight!r}")
        table[cls] = weight
    return table[labels]


def _positive_int(value, argument) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{argument}: expected a positive integer, got {value!r}")
    return int(value)


def _non_negative_int(value, argument) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{argument}: expected an integer >= 0, got {value!r}")
    return int(value)


def _verbosity(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f"verbose: expected 'auto', 0, 1 or 2, got {verbose!r}")
    return int(verbose)


def _size(count: int) -> str:
    size = count * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return ""
