"""What ``fit``, ``evaluate`` and ``predict`` are given, made ready to run on.

The targets and the sample (or class) weights are checked against the model's outputs, as
Keras checks them; ``validation_split`` holds out the last rows; and each call gets its
source of batches (``redes.nn.models.batches``): arrays checked once and cut into batches,
or an iterable (a generator, a ``PyDataset``, a ``tf.data.Dataset``...) whose batches are
checked one at a time as they come.
"""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from . import batches
from .arguments import (
    _batch_size,
    _class_weights,
    _count,
    _numeric,
    _only_batches,
    _prepare_target,
    _Prepared,
    _samples,
)
from .heads import by_output_name


class DataAdapter:
    """The data side of ``Trainer``: the checks of ``x``, ``y`` and the weights of one call
    (``x`` through the model's ``_prepare_x``), and the batches each call reads."""

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

    def _training_source(self, x, y, sample_weight, class_weight, batch_size, shuffle,
                         steps, validation_split):
        """The batches ``fit`` trains on, and the arrays held out by ``validation_split``
        (``None`` without it)."""
        kind = batches.kind_of(x)
        if kind is not None:
            _only_batches(kind, y, sample_weight, validation_split)
            return batches.IterableBatches(x, kind, shuffle), None
        x, y, sw = self._prepare_batch(x, y, sample_weight, class_weight, "fit")
        n = _count(x)
        val = None
        if validation_split:
            split_at = int(math.floor(n * (1.0 - validation_split)))
            if split_at in (0, n):
                raise ValueError(_(
                    "validation_split: {value} of {n} samples leaves an empty "
                    "training or validation set"
                ).format(value=validation_split, n=n))
            tail = slice(split_at, None)
            val = _Prepared(batches.rows(x, tail), batches.rows(y, tail),
                            None if sw is None else sw[tail])
            x, y = batches.rows(x, slice(split_at)), batches.rows(y, slice(split_at))
            sw = None if sw is None else sw[:split_at]
            n = split_at
        batch_size = _batch_size(batch_size, n, steps)
        return batches.ArrayBatches(x, y, sw, batch_size, shuffle, n), val

    def _source(self, x, y, sample_weight, batch_size, steps, call):
        """The batches of ``evaluate``, ``predict`` or the validation: arrays in order, or
        what an iterable gives."""
        kind = batches.kind_of(x)
        if kind is not None:
            _only_batches(kind, y, sample_weight, 0)
            return batches.IterableBatches(x, kind)
        if isinstance(x, _Prepared):
            x, y, sw = x
        elif call == "validation_data":
            x, y, sw = self._prepare_validation(x)
        elif call == "predict":
            x, sw = self._prepare_x(x, "x"), None
        else:
            x, y, sw = self._prepare_batch(x, y, sample_weight, None, call)
        n = _count(x)
        return batches.ArrayBatches(x, y, sw, _batch_size(batch_size, n, steps), False, n)

    def _ready(self, batch, source, class_weight, call):
        """One batch ``(x, y, sample_weight)`` checked as ``fit`` checks its arrays (a batch
        of arrays was checked before)."""
        if source.prepared:
            return batch
        x, y, sw = batch
        if call == "predict":
            return self._prepare_x(x, "x"), None, None
        if class_weight is not None and sw is not None:
            raise ValueError(_(
                "class_weight: cannot be given when the batches hold sample weights"))
        return self._prepare_batch(x, y, sw, class_weight, call)
