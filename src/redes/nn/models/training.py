"""Training: ``compile``, ``fit``, ``evaluate`` and ``predict``, with Keras' arguments and
defaults, for every kind of model.

``fit`` repeats three plain steps over mini-batches, the story of how a network learns:

1. forward: the model turns a batch of inputs into outputs (``Model._forward``);
2. backward: the loss gives dL/d(output), and backpropagation through the model's graph
   gives dL/d(every weight) (``Model._loss_and_grads``);
3. update: the optimizer moves every weight a little against its gradient.

Around those steps: batching, shuffling, validation, metrics and callbacks. The data each
call takes is checked and cut into batches by ``DataAdapter`` (``adapters``).
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from .. import callbacks as callbacks_module
from .. import cores, optimizers
from ..variables import arrays
from . import batches
from .adapters import DataAdapter
from .arguments import (
    _count,
    _learn_steps,
    _non_negative_int,
    _optional_positive,
    _refuse_tensorflow_steps,
    _verbosity,
)
from .heads import Head, make_heads


class Trainer(DataAdapter):
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
        with cores.for_training(self.count_params() * _count(x)) as helper:
            loss, grads = self._loss_and_grads(x, y, sw, plan=self._training_step(helper))
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

    def _results(self, logs, return_dict):
        """What evaluate and the batch methods return: a dict, the loss alone, or
        ``[loss, *metrics]`` in Keras' order."""
        if return_dict:
            return logs
        values = [logs["loss"], *(logs[key] for key in self._log_keys())]
        return values[0] if len(values) == 1 else values

    # ---------------------------------------------------------------- training
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for ``epochs`` passes over the data.

        Args:
            x, y: training inputs and targets (NumPy arrays); or, in ``x`` alone, batches
                ``(x, y)`` or ``(x, y, sample_weight)`` from a Python generator, a
                ``redes.nn.utils.PyDataset``, a ``redes.nn.utils.Dataset``, a
                ``tf.data.Dataset`` or a PyTorch ``DataLoader``.
            batch_size: samples per gradient step, for arrays. Defaults to 32.
            epochs: index of the last epoch to train (counting from ``initial_epoch``).
            verbose: "auto" (= 1), 0 silent, 1 progress bar, 2 one line per epoch.
            callbacks: list of ``redes.nn.callbacks.Callback``.
            validation_split: fraction of the data held out for validation: the *last*
                samples, taken before any shuffling, as in Keras. Defaults to 0.
            validation_data: ``(x_val, y_val)``, ``(x_val, y_val, sample_weight)`` or
                batches as ``x`` takes them; overrides ``validation_split``.
            shuffle: reshuffle the training arrays (or a PyDataset's batches) before each
                epoch. Defaults to True.
            class_weight: dict mapping class index to a weight for the loss.
            sample_weight: per-sample weights for the loss.
            initial_epoch: epoch to start from (to resume training). Defaults to 0.
            steps_per_epoch: batches per epoch. Defaults to None (one whole pass over the
                data); an endless generator needs it. With it, each epoch goes on where the
                last one stopped.
            validation_steps: batches per validation. Defaults to None (all of them).
            validation_batch_size: batch size for validation; defaults to ``batch_size``.
            validation_freq: validate every this many epochs. Defaults to 1.

        Returns:
            A ``History`` whose ``history`` dict holds one list per metric.
        """
        self._check_compiled("fit")
        _refuse_tensorflow_steps(self)
        epochs = _non_negative_int(epochs, "epochs")
        initial_epoch = _non_negative_int(initial_epoch, "initial_epoch")
        validation_freq = check_positive_int("validation_freq", validation_freq)
        verbose = _verbosity(verbose)
        steps_per_epoch = _optional_positive(steps_per_epoch, "steps_per_epoch")
        validation_steps = _optional_positive(validation_steps, "validation_steps")
        if isinstance(validation_split, bool) or not isinstance(
                validation_split, (int, float)) or not 0 <= validation_split < 1:
            raise ValueError(_(
                "validation_split: expected a number in [0, 1), got {value!r}"
            ).format(value=validation_split))
        if validation_data is not None:
            validation_split = 0            # validation_data overrides it, as in Keras
        train, held_out = self._training_source(x, y, sample_weight, class_weight,
                                                batch_size, shuffle, steps_per_epoch,
                                                validation_split)
        validation_data = held_out if validation_data is None else validation_data
        val = None if validation_data is None else batches.Epochs(self._source(
            validation_data, None, None, validation_batch_size or batch_size,
            validation_steps, "validation_data"), validation_steps)
        train = batches.Epochs(train, steps_per_epoch)
        history = callbacks_module.History()
        cbs = callbacks_module.CallbackList(
            callbacks, model=self, history=history, verbose=verbose,
            params={"epochs": epochs, "steps": train.num_batches, "verbose": verbose},
        )
        self.stop_training = False
        self.history = history
        work = self.count_params() * getattr(train.source, "batch_size", 32)
        with cores.for_training(work) as helper:
            return self._fit_loop(train, val, cbs, history, epochs, initial_epoch,
                                  validation_freq, class_weight, helper)

    def _fit_loop(self, train, val, cbs, history, epochs, initial_epoch, validation_freq,
                  class_weight, helper):
        cbs.on_train_begin()
        initial_epoch = cbs.initial_epoch(initial_epoch)   # BackupAndRestore resumes here
        logs: dict = {}
        variables = None
        train.reset()
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            cbs.on_epoch_begin(epoch)
            total, seen, step = 0.0, 0, -1
            for step, batch in train.epoch():
                cbs.on_train_batch_begin(step)
                xb, yb, wb = self._ready(batch, train.source, class_weight, "fit")
                if variables is None:   # planned once, at the first batch (the model is built)
                    variables, constrained, plan = self._start_training(helper)
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
            if step < 0:          # no batch at all: the data is used up
                break
            _learn_steps(cbs, step + 1)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_batches(val)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        return history

    def _start_training(self, helper):
        """The weights the optimizer updates, their constraints, and the plan of the training
        steps (with the ``helper`` thread, or ``None``). The optimizer gets the weights once
        (it makes its buffers, or checks that they fit); each step then updates them without
        checking the gradients again."""
        variables = arrays(self.trainable_weights)
        self.optimizer.build(variables)
        constrained = [(w, c) for w, c in zip(variables, self.constraints) if c is not None]
        return variables, constrained, self._training_step(helper)

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
    def _evaluate_batches(self, epochs):
        epochs.reset()
        self._reset_metrics()
        total, n = 0.0, 0
        for _step, batch in epochs.epoch():
            xb, yb, wb = self._ready(batch, epochs.source, None, "evaluate")
            outs = self._outputs(xb, training=False)
            loss, _grads = self._loss(yb, outs, wb, need_grad=False)
            total += loss * len(outs[0])
            n += len(outs[0])
            self._update_metrics(yb, outs, wb)
        if n == 0:
            raise ValueError(_("x: evaluate got no batch from the data"))
        return self._logs(total / n + self.regularization_loss())

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, return_dict=False):
        """Loss and metrics on ``(x, y)`` (or on the batches of an iterable, as ``fit`` takes
        them), computed in inference mode (no dropout). ``steps`` limits the batches.

        Returns the loss alone when there are no metrics, else ``[loss, *metrics]`` (or a
        dict with ``return_dict=True``), as in Keras.
        """
        self._check_compiled("evaluate")
        steps = _optional_positive(steps, "steps")
        source = self._source(x, y, sample_weight, batch_size, steps, "evaluate")
        logs = self._evaluate_batches(batches.Epochs(source, steps))
        if _verbosity(verbose):
            print(callbacks_module.progbar.format_logs(logs))
        return self._results(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None):
        """The model's outputs for ``x`` (arrays, or an iterable of batches whose targets
        are ignored), computed batch by batch in inference mode."""
        steps = _optional_positive(steps, "steps")
        epochs = batches.Epochs(self._source(x, None, None, batch_size, steps, "predict"),
                                steps)
        outputs = [self._outputs(self._ready(batch, epochs.source, None, "predict")[0],
                                 training=False) for _step, batch in epochs.epoch()]
        outs = [np.concatenate([b[i] for b in outputs]) if outputs else
                np.zeros((0, *shape[1:]), dtype=dtype)
                for i, (shape, dtype) in enumerate(zip(self._output_shapes(),
                                                       self._output_dtypes()))]
        return outs[0] if len(outs) == 1 else outs
