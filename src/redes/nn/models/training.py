"""Training: ``compile``, ``fit``, ``evaluate`` and ``predict``, with Keras' arguments and
defaults, for every kind of model.

``fit`` repeats three plain steps over mini-batches, the story of how a network learns:

1. forward: the model turns a batch of inputs into outputs (``Model._forward``);
2. backward: the loss gives dL/d(output), and backpropagation through the model's graph
   gives dL/d(every weight) (``Model._loss_and_grads``);
3. update: the optimizer moves every weight a little against its gradient.

Around those steps: batching, shuffling, validation, metrics and callbacks.
"""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from .. import backend, losses, optimizers
from .. import callbacks as callbacks_module
from ..layers.embedding import sequences_array
from ..variables import arrays
from .heads import Head, by_output_name, make_heads


class Trainer:
    """The training API shared by ``Model`` and ``Sequential``. A model provides the passes
    (``_outputs``, ``_forward``, ``_loss``, ``_loss_and_grads``, ``_training_step``), its
    outputs' names, shapes and dtypes, ``trainable_weights``, ``constraints``,
    ``count_params()`` and ``_prepare_x(x, argument)``."""

    def _init_training(self):
        self.optimizer = None
        self.loss = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._heads: list[Head] = []

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=None, jit_compile=None,
                steps_per_execution=None):
        """Choose the optimizer, the loss and the metrics (Keras' default optimizer: RMSprop).

        Without a loss (``loss=None``), the model trains on what its layers add with
        ``add_loss``, and ``fit`` takes no targets.

        For a model with several outputs, ``loss``, ``loss_weights`` (default 1 each) and
        ``metrics`` may be lists with one entry per output or dicts keyed by output name; one
        loss given alone serves every output. The training loss is the weighted sum.

        As in Keras, ``metrics`` ignore sample and class weights and ``weighted_metrics``
        apply them. ``run_eagerly``, ``jit_compile`` and ``steps_per_execution`` are accepted for
        compatibility with Keras code and have no effect: the engine always runs eagerly.
        """
        for argument, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value is not None and not isinstance(value, (list, tuple, dict)):
                raise ValueError(_(
                    "{argument}: expected a list such as ['accuracy'], got {value!r}"
                ).format(argument=argument, value=value))
        heads = make_heads(self._output_names(), loss, loss_weights, metrics, weighted_metrics)
        self.optimizer = optimizers.get(optimizer)
        self._heads = heads
        self.loss = heads[0].loss if len(heads) == 1 else [h.loss for h in heads]
        self.compiled = True

    @property
    def metrics(self) -> list:
        """The metric objects of every output (once ``fit`` or ``evaluate`` made them)."""
        return [m for head in self._heads for m in head.metrics + head.weighted]

    @property
    def metrics_names(self) -> list:
        return ["loss", *self._log_keys()]

    @property
    def _metric_ids(self) -> list:
        return self._heads[0].metric_ids if len(self._heads) == 1 else []

    @property
    def _weighted_ids(self) -> list:
        return self._heads[0].weighted_ids if len(self._heads) == 1 else []

    def _resolve_metrics(self, ys) -> None:
        """Turn metric names into metric objects; "accuracy" depends on the targets' shape."""
        shapes = self._output_shapes()
        for head, y, shape in zip(self._heads, ys, shapes):
            if not (head.metrics or head.weighted):
                head.resolve(shape, None if y is None else y.shape)

    def _check_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(_(
                "{what}: compile the model first, e.g. model.compile(optimizer='adam', "
                "loss='mse')").format(what=what))

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One step of gradient descent on one batch, with the checks ``fit`` makes.

        Returns the batch loss, or ``[loss, *metrics]`` of this batch when the model has
        metrics (a dict with ``return_dict=True``), as Keras.
        """
        self._check_compiled("train_on_batch")
        x, y, sw = self._prepare_batch(x, y, sample_weight, class_weight, "train_on_batch")
        loss, grads = self._loss_and_grads(x, y, sw)
        variables = arrays(self.trainable_weights)
        self.optimizer.apply(grads, variables)
        for w, constraint in zip(variables, self.constraints):
            if constraint is not None:
                np.copyto(w, constraint(w), casting="unsafe")
        self._reset_metrics()
        self._update_metrics(y, self._last_output, sw)
        return self._results(self._logs(loss), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss and metrics of one batch, in inference mode, as ``train_on_batch``
        returns them (no update)."""
        self._check_compiled("test_on_batch")
        x, y, sw = self._prepare_batch(x, y, sample_weight, None, "test_on_batch")
        outs = self._outputs(x, training=False)
        loss, _grads = self._loss(y, outs, sw, need_grad=False)
        self._reset_metrics()
        self._update_metrics(y, outs, sw)
        return self._results(self._logs(loss + self.regularization_loss()), return_dict)

    def predict_on_batch(self, x):
        """The model's outputs for one batch, in inference mode (copies: a layer may reuse
        its arrays in its next call)."""
        outs = [out.copy() for out in self._outputs(self._prepare_x(x, "x"), training=False)]
        return outs[0] if len(outs) == 1 else outs

    def reset_metrics(self) -> None:
        """Start the metrics again, as ``fit`` does at each epoch."""
        self._reset_metrics()

    def _prepare_batch(self, x, y, sample_weight, class_weight, call):
        if x is None or (y is None and self._needs_targets()):
            raise ValueError(_(
                "x, y: {call} needs both the inputs x and the targets y (a model compiled "
                "without a loss takes no y)").format(call=call))
        x = self._prepare_x(x, "x")
        n = _samples(x, "x", call)
        y = self._prepare_y(y, n, "y")
        self._resolve_metrics(y)
        return x, y, self._prepare_weights(sample_weight, class_weight, y, n)

    def _results(self, logs, return_dict):
        """What evaluate and the batch methods return: a dict, the loss alone, or
        ``[loss, *metrics]`` in Keras' order."""
        if return_dict:
            return logs
        values = [logs["loss"], *(logs[key] for key in self._log_keys())]
        return values[0] if len(values) == 1 else values

    def _needs_targets(self) -> bool:
        return any(head.loss is not None for head in self._heads)

    def _as_list(self, y) -> list:
        """Targets given as Keras takes them (an array, a list, a dict by output name) as a
        list with one entry per output."""
        if len(self._heads) == 1:
            return [y]
        if isinstance(y, dict):
            return [y.get(head.name) for head in self._heads]
        return list(y)

    def _prepare_y(self, y, n, argument):
        """The targets as a list with one array per output (``None`` for an output without
        a loss): one array for a model of one output, else a list or a dict by name."""
        heads = self._heads
        if y is None:
            y = [None] * len(heads)      # no loss takes targets (checked by fit)
        elif len(heads) == 1:
            y = [y]
        elif isinstance(y, dict):
            y = by_output_name(y, [h.name for h in heads], argument)
        elif not isinstance(y, (list, tuple)) or len(y) != len(heads):
            raise ValueError(_(
                "{argument}: the model has {count} outputs {names}: expected a list of "
                "{count} target arrays or a dict keyed by output name"
            ).format(argument=argument, count=len(heads), names=[h.name for h in heads]))
        out = []
        for i, (head, target, shape) in enumerate(zip(heads, y, self._output_shapes())):
            where = argument if len(heads) == 1 else f"{argument}[{head.name!r}]"
            if head.loss is None:
                out.append(None if target is None else _numeric(target, where))
                continue
            if target is None:
                raise ValueError(_(
                    "{argument}: no targets for the output {name!r}, which has a loss"
                ).format(argument=argument, name=head.name))
            out.append(_prepare_target(head.loss, target, n, where, shape,
                                       self._output_dtypes()[i]))
        return out

    def _prepare_weights(self, sample_weight, class_weight, ys, n):
        sw = None
        if sample_weight is not None:
            sw = _numeric(sample_weight, "sample_weight").reshape(-1)
            if len(sw) != n:
                raise ValueError(_("sample_weight: has {count} values but x has {n} samples")
                                 .format(count=len(sw), n=n))
            if np.any(sw < 0):
                raise ValueError(_("sample_weight: expected non-negative weights"))
        if class_weight is not None:
            if len(ys) != 1:
                raise ValueError(_(
                    "class_weight: only for models with one output; give sample_weight "
                    "instead"))
            cw = _class_weights(class_weight, ys[0], self.output_shape)
            sw = cw if sw is None else sw * cw
        return None if sw is None else sw.astype(self._output_dtypes()[0])

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
        _refuse_tensorflow_steps(self)
        x, y, sw = self._prepare_batch(x, y, sample_weight, class_weight, "fit")
        n = _count(x)
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        epochs = _non_negative_int(epochs, "epochs")
        initial_epoch = _non_negative_int(initial_epoch, "initial_epoch")
        validation_freq = _positive_int(validation_freq, "validation_freq")
        verbose = _verbosity(verbose)
        if isinstance(validation_split, bool) or not isinstance(
                validation_split, (int, float)) or not 0 <= validation_split < 1:
            raise ValueError(_(
                "validation_split: expected a number in [0, 1), got {value!r}"
            ).format(value=validation_split))
        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data)
        elif validation_split:
            split_at = int(math.floor(n * (1.0 - validation_split)))
            if split_at in (0, n):
                raise ValueError(_(
                    "validation_split: {value} of {n} samples leaves an empty "
                    "training or validation set"
                ).format(value=validation_split, n=n))
            val = (_rows(x, slice(split_at, None)), _rows(y, slice(split_at, None)),
                   None if sw is None else sw[split_at:])
            x, y = _rows(x, slice(split_at)), _rows(y, slice(split_at))
            sw = None if sw is None else sw[:split_at]
            n = split_at
        steps = math.ceil(n / batch_size)

        history = callbacks_module.History()
        cbs = callbacks_module.CallbackList(
            callbacks, model=self, history=history, verbose=verbose,
            params={"epochs": epochs, "steps": steps, "verbose": verbose},
        )
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
        variables = arrays(self.trainable_weights)
        self.optimizer.build(variables)
        constrained = [(w, c) for w, c in zip(variables, self.constraints) if c is not None]
        plan = self._training_step()    # planned once: the same for every step
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
                    xb, yb, wb = _rows(x, batch), _rows(y, batch), None if sw is None else sw[batch]
                else:
                    rows = order[batch]
                    xb, yb = _take(x, rows), _take(y, rows)
                    wb = None if sw is None else sw.take(rows, axis=0)
                loss, grads = self._loss_and_grads(xb, yb, wb, plan=plan)
                self.optimizer._step(grads, variables, overwrite=True)   # fresh each step
                for w, constraint in constrained:   # e.g. MaxNorm: back within its bounds
                    np.copyto(w, constraint(w), casting="unsafe")
                m = _count(xb)
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
            raise ValueError(_(
                "validation_data: expected a tuple (x_val, y_val) or "
                "(x_val, y_val, sample_weight)"
            ))
        xv = self._prepare_x(data[0], "validation_data[0]")
        yv = self._prepare_y(data[1], _samples(xv, "validation_data[0]", _("validation")),
                             "validation_data[1]")
        wv = None
        if len(data) == 3 and data[2] is not None:
            wv = self._prepare_weights(data[2], None, yv, _count(xv))
        return xv, yv, wv

    # ---------------------------------------------------------------- metrics
    def _reset_metrics(self) -> None:
        for head in self._heads:
            for m in head.all_metrics():
                m.reset_state()

    def _update_metrics(self, ys, outs, sample_weight) -> None:
        for head, y, out in zip(self._heads, ys, outs):
            if y is None:
                continue
            for m in head.metrics:
                m.update_state(y, out)
            for m in head.weighted:
                m.update_state(y, out, sample_weight=sample_weight)
            if head.tracker is not None:
                head.tracker.update_state(head.last_loss, sample_weight=len(y))

    def _logs(self, loss: float) -> dict:
        """The loss and the metrics, sorted by name as Keras logs them."""
        logs = {"loss": float(loss)}
        for head in self._heads:
            logs.update(head.logs())
        return dict(sorted(logs.items()))

    def _log_keys(self) -> list:
        """The keys of the logs after the loss, in the order ``evaluate`` lists them."""
        keys = [f"{h.name}_loss" for h in self._heads if h.tracker is not None]
        metric_keys = [h.prefix + m.name for h in self._heads for m in h.metrics + h.weighted]
        # as in Keras: one output, the metrics in compile's order; several, sorted by name
        return keys + (metric_keys if len(self._heads) == 1 else sorted(metric_keys))

    # -------------------------------------------------------------- inference
    def _evaluate_arrays(self, x, y, sw, batch_size):
        self._reset_metrics()
        total, n = 0.0, _count(x)
        for start in range(0, n, batch_size):
            batch = slice(start, start + batch_size)
            outs = self._outputs(_rows(x, batch), training=False)
            wb, yb = None if sw is None else sw[batch], _rows(y, batch)
            loss, _grads = self._loss(yb, outs, wb, need_grad=False)
            total += loss * len(outs[0])
            self._update_metrics(yb, outs, wb)
        return self._logs(total / n + self.regularization_loss())

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 return_dict=False):
        """Loss and metrics on ``(x, y)``, computed in inference mode (no dropout).

        Returns the loss alone when there are no metrics, else ``[loss, *metrics]`` (or a
        dict with ``return_dict=True``), as in Keras.
        """
        self._check_compiled("evaluate")
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        x, y, sw = self._prepare_batch(x, y, sample_weight, None, "evaluate")
        logs = self._evaluate_arrays(x, y, sw, batch_size)
        if _verbosity(verbose):
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        return self._results(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto"):
        """The model's outputs for ``x``, computed batch by batch in inference mode."""
        batch_size = _positive_int(32 if batch_size is None else batch_size, "batch_size")
        x = self._prepare_x(x, "x")
        batches = [self._outputs(_rows(x, slice(i, i + batch_size)), training=False)
                   for i in range(0, _count(x), batch_size)]
        outs = [np.concatenate([b[i] for b in batches]) if batches else
                np.zeros((0, *shape[1:]), dtype=dtype)
                for i, (shape, dtype) in enumerate(zip(self._output_shapes(),
                                                       self._output_dtypes()))]
        return outs[0] if len(outs) == 1 else outs


# --------------------------------------------------------------------- helpers
def _refuse_tensorflow_steps(model) -> None:
    """A model that writes its own ``train_step`` (or ``test_step``) does it, in Keras, with
    TensorFlow's tools (tf.GradientTape, optimizer.apply_gradients): redes cannot run it."""
    for cls in type(model).__mro__:
        if cls.__module__.startswith("redes."):
            break
        for step in ("train_step", "test_step"):
            if step in vars(cls):
                raise NotImplementedError(_(
                    "fit: {kind} defines {step}, which in Keras runs TensorFlow code "
                    "(tf.GradientTape, optimizer.apply_gradients); redes.nn trains with its "
                    "own step. Remove {step} and let compile, fit and add_loss do its work, "
                    "or run this model on Keras with TensorFlow"
                ).format(kind=cls.__name__, step=step))


def _prepare_target(loss, y, n, argument, out_shape, dtype):
    """The targets of one output, checked against its loss and shape."""
    y = _numeric(y, argument)
    if len(y) != n:
        raise ValueError(_("{argument}: has {count} samples but x has {n}").format(
            argument=argument, count=len(y), n=n))
    if not isinstance(loss, losses.SparseCategoricalCrossentropy):
        if y.ndim == 1 and len(out_shape) == 2 and out_shape[1] == 1:
            y = y.reshape(-1, 1)
        y = y.astype(dtype, copy=False)
    if hasattr(loss, "validate"):
        loss.validate(y, out_shape)
    return y


def _count(x) -> int:
    """How many samples ``x`` holds (an array, or a list of arrays for several inputs)."""
    return len(x[0]) if isinstance(x, list) else len(x)


def _samples(x, argument: str, call: str) -> int:
    """How many samples ``x`` holds; none is an error, as in Keras."""
    n = _count(x)
    if n == 0:
        raise ValueError(_("{argument}: {call} needs at least one sample, got none").format(
            argument=argument, call=call))
    return n


def _rows(x, index):
    """``x[index]``, for each array of a list (inputs or targets; ``None`` stays)."""
    if isinstance(x, list):
        return [None if a is None else a[index] for a in x]
    return x[index]


def _take(x, rows):
    """The samples ``rows`` of ``x`` (of each array of a list; ``None`` stays)."""
    if isinstance(x, list):
        return [None if a is None else a.take(rows, axis=0, mode="clip") for a in x]
    return x.take(rows, axis=0, mode="clip")

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


def _numeric(value, argument) -> np.ndarray:
    array = sequences_array(value, argument)   # ragged lists: an error naming pad_sequences
    if array.dtype.kind not in "biuf":
        raise ValueError(_(
            "{argument}: expected a numeric array, got dtype {dtype} (strings, objects or "
            "ragged lists cannot be fed to the network)"
        ).format(argument=argument, dtype=array.dtype))
    # every value is finite when the sum is (one pass, no temporary; a sum that overflows
    # only sends finite data to the exact check)
    if (array.dtype.kind == "f" and not np.isfinite(array.sum())
            and not np.all(np.isfinite(array))):
        bad = ~np.isfinite(array)
        first = np.argwhere(bad)[0]
        raise ValueError(_(
            "{argument}: holds {count} NaN or inf values (first at index {index}); clean or "
            "impute them first"
        ).format(argument=argument, count=int(bad.sum()), index=tuple(int(i) for i in first)))
    return array


def _class_weights(class_weight, y, output_shape):
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(_("class_weight: expected a dict {{class: weight}}, got {value!r}")
                         .format(value=class_weight))
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    weights = np.ones(len(labels))
    for cls, weight in class_weight.items():
        if isinstance(cls, bool) or not isinstance(cls, (int, np.integer)) or cls < 0:
            raise ValueError(_("class_weight: keys must be class indices >= 0, got {value!r}")
                             .format(value=cls))
        if isinstance(weight, bool) or not isinstance(weight, (int, float, np.number)) \
                or not math.isfinite(weight) or weight < 0:
            raise ValueError(_("class_weight: the weight of class {cls} must be a finite "
                               "number >= 0, got {weight!r}").format(cls=cls, weight=weight))
        weights[labels == cls] = weight     # a class absent from y changes nothing
    return weights


def _positive_int(value, argument) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(_("{argument}: expected a positive integer, got {value!r}").format(
            argument=argument, value=value))
    return int(value)


def _non_negative_int(value, argument) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(_("{argument}: expected an integer >= 0, got {value!r}").format(
            argument=argument, value=value))
    return int(value)


def _verbosity(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(_("verbose: expected 'auto', 0, 1 or 2, got {value!r}").format(
            value=verbose))
    return int(verbose)


