"""What ``compile`` asks of each output of a model: a loss, its weight, and metrics.

A model with one output has one ``Head``; a model with several outputs has one per output,
named after the layer that makes it. ``compile`` accepts Keras' forms: one loss for every
output, a list with one entry per output, or a dict keyed by output name (``loss_weights``
and ``metrics`` likewise). The training loss is the weighted sum of the outputs' losses.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import losses
from .. import metrics as metrics_module
from ..serialization import serialize


class Head:
    """One output of the model as training sees it.

    Args:
        name: the output's name (the name of the layer that makes it).
        loss: a loss object, or ``None`` for an output that is not trained.
        weight: the factor of its loss in the training loss.
        metric_ids, weighted_ids: what ``compile`` gave as its metrics and weighted metrics.
        prefix: whether log keys start with the output's name (models with several outputs).
    """

    def __init__(self, name, loss, weight=1.0, metric_ids=(), weighted_ids=(), prefix=False):
        self.name, self.loss, self.weight = name, loss, float(weight)
        self.metric_ids, self.weighted_ids = list(metric_ids), list(weighted_ids)
        self.prefix = f"{name}_" if prefix else ""
        self.metrics: list = []
        self.weighted: list = []
        self.tracker = None     # the mean of this output's loss over an epoch, when logged

    def resolve(self, output_shape, y_shape) -> None:
        """Metric names become metric objects ("accuracy" depends on the targets' shape)."""
        def get(m):
            return metrics_module.get(m, loss=self.loss, output_shape=output_shape,
                                      y_true_shape=y_shape)

        self.metrics = [get(m) for m in self.metric_ids]
        self.weighted = [get(m) for m in self.weighted_ids]

    def all_metrics(self) -> list:
        return self.metrics + self.weighted + ([self.tracker] if self.tracker else [])

    def logs(self) -> dict:
        logs = {self.prefix + m.name: _number(m.result()) for m in self.metrics + self.weighted}
        if self.tracker is not None:
            logs[f"{self.name}_loss"] = float(self.tracker.result())
        return logs


def _number(result):
    """A metric's result for the logs: a float, or an array for metrics that give one value
    per class or threshold (``F1Score()``, ``Precision(thresholds=[...])``), as in Keras."""
    value = np.asarray(result, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def make_heads(names, loss, loss_weights, metrics, weighted_metrics) -> list[Head]:
    """One head per output name, from ``compile``'s arguments in any of Keras' forms."""
    several = len(names) > 1
    loss_list = _per_output(loss, names, "loss", one_for_all=True)
    weights = _per_output(loss_weights, names, "loss_weights", one_for_all=False)
    if not several or metrics is None or isinstance(metrics, dict) or _all_lists(metrics):
        metric_lists = _per_output(metrics, names, "metrics", one_for_all=False, lists=True)
    else:
        raise ValueError(_(
            "metrics: the model has {count} outputs {names}: give a list of metric lists, one "
            "per output (e.g. [['mae'], ['accuracy']]), or a dict keyed by output name; got "
            "{value!r}").format(count=len(names), names=names, value=metrics))
    weighted_lists = _per_output(weighted_metrics, names, "weighted_metrics", one_for_all=False,
                                 lists=True)
    heads = []
    for i, name in enumerate(names):
        lost = None if loss_list[i] is None else losses.get(loss_list[i])
        weight = 1.0 if weights[i] is None else weights[i]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise ValueError(_(
                "loss_weights: expected numbers >= 0, got {value!r} for output {name!r}"
            ).format(value=weight, name=name))
        heads.append(Head(name, lost, weight, metric_lists[i] or (), weighted_lists[i] or (),
                          prefix=several))
    if sum(head.loss is not None for head in heads) > 1:
        for head in heads:   # as in Keras: each trained output's loss is logged apart
            if head.loss is not None:
                head.tracker = metrics_module.Mean(name=f"{head.name}_loss")
    return heads


def by_output_name(value: dict, names, argument) -> list:
    """The entries of a dict keyed by output name, in the outputs' order (``None`` where
    one is missing); a key that names no output is an error."""
    unknown = sorted(set(value) - set(names))
    if unknown:
        raise ValueError(_(
            "{argument}: no output named {unknown}; the model's outputs are {names}"
        ).format(argument=argument, unknown=unknown, names=list(names)))
    return [value.get(name) for name in names]


def _all_lists(value) -> bool:
    return isinstance(value, (list, tuple)) and all(
        isinstance(v, (list, tuple)) or v is None for v in value)


def _per_output(value, names, argument, one_for_all, lists=False) -> list:
    """``value`` as a list with one entry per output name."""
    if value is None:
        return [None] * len(names)
    if isinstance(value, dict):
        return by_output_name(value, names, argument)
    if len(names) == 1:
        if lists and isinstance(value, (list, tuple)):
            return [list(value)]
        return [value[0] if isinstance(value, (list, tuple)) and len(value) == 1 else value]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(_(
                "{argument}: expected {count} entries, one per output {names}, got {given}"
            ).format(argument=argument, count=len(names), names=names, given=len(value)))
        return list(value)
    if one_for_all:
        return [value] * len(names)   # as in Keras, one loss for every output
    raise ValueError(_(
        "{argument}: the model has {count} outputs {names}: give a list with one entry per "
        "output or a dict keyed by output name; got {value!r}"
    ).format(argument=argument, count=len(names), names=names, value=value))


def compile_config(model):
    """What ``compile`` was given, as saved with a model (``None`` if not compiled)."""
    if not model.compiled:
        return None

    def metric_ids(ids):
        return [m if isinstance(m, str) else serialize(m) for m in ids]

    heads = model._heads
    if len(heads) == 1:
        return {"optimizer": serialize(model.optimizer), "loss": serialize(heads[0].loss),
                "metrics": metric_ids(heads[0].metric_ids),
                "weighted_metrics": metric_ids(heads[0].weighted_ids)}
    return {"optimizer": serialize(model.optimizer),
            "loss": [serialize(h.loss) for h in heads],
            "loss_weights": [h.weight for h in heads],
            "metrics": [metric_ids(h.metric_ids) for h in heads],
            "weighted_metrics": [metric_ids(h.weighted_ids) for h in heads]}
