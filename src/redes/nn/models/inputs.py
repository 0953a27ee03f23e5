"""How a model checks the arrays it is given against its inputs, as Keras does.

A functional model knows its inputs (their names, shapes and dtypes) and checks every array
against them, naming the input and the shape it expects. A subclassed model declares none:
the first data it sees builds it.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from .arguments import _numeric


class ModelInputs:
    """The input checks of ``Model``: ``_prepare_x`` (one array, a list, or a dict keyed by
    input name), and the checks of one array against one ``Input``."""

    def _prepare_x(self, x, argument):
        """The input arrays, checked against the model's inputs: one array, or a list with
        one array per input (a dict keyed by input name is accepted too)."""
        if self._graph is None:
            return self._prepare_free(x, argument)
        if isinstance(x, dict):
            names = self._input_keys or [t.name for t in self.inputs]
            missing = [n for n in names if n not in x]
            if missing:
                raise ValueError(_(
                    "{argument}: no array for the input(s) {missing}; the model's inputs are "
                    "{names}").format(argument=argument, missing=missing, names=names))
            x = [x[n] for n in names]
        if self._single_input:
            if isinstance(x, (list, tuple)) and len(x) == 1 and hasattr(x[0], "shape"):
                x = x[0]     # [array] for a model of one input (a list of one sample stays)
            return self._prepare_one(x, self.inputs[0], argument)
        if not isinstance(x, (list, tuple)) or len(x) != len(self.inputs):
            raise ValueError(_(
                "{argument}: the model has {count} inputs ({names}): expected a list of "
                "{count} arrays, got {value}"
            ).format(argument=argument, count=len(self.inputs),
                     names=[t.name for t in self.inputs], value=_describe(x)))
        arrays = [self._prepare_one(a, t, f"{argument}[{i}]")
                  for i, (a, t) in enumerate(zip(x, self.inputs))]
        counts = {len(a) for a in arrays}
        if len(counts) > 1:
            raise ValueError(_(
                "{argument}: the input arrays hold different numbers of samples: {counts}"
            ).format(argument=argument, counts=[len(a) for a in arrays]))
        return arrays

    def _prepare_free(self, x, argument):
        """The inputs of a subclassed model, which declares none: arrays of numbers (floats
        as ``floatx``). The first data builds the model: ``call`` runs once on two samples
        to learn the outputs' shapes."""
        if isinstance(x, dict):
            x = {k: self._prepare_free(v, f"{argument}[{k!r}]") for k, v in x.items()}
        elif isinstance(x, (list, tuple)):
            x = [self._prepare_free(v, f"{argument}[{i}]") for i, v in enumerate(x)]
        else:
            x = _numeric(x, argument)
            if x.dtype.kind == "f":
                x = x.astype(backend.floatx(), copy=False)
        if not self.built and not argument.endswith("]"):
            sample = (x[:2] if not isinstance(x, (list, dict)) else
                      [a[:2] for a in x] if isinstance(x, list) else
                      {k: a[:2] for k, a in x.items()})
            self._free_outputs = self._outputs(sample, False)
            self._input_shapes = _shapes_without_batch(sample)
            self.built = True
        return x

    def _prepare_one(self, x, tensor, argument):   # an Input of strings takes texts as they are
        x = _numeric(x, argument) if tensor.dtype != "object" else np.asarray(x, dtype=object)
        if x.ndim == 0:
            raise ValueError(_("{argument}: expected an array of samples, got a scalar").format(
                argument=argument))
        if x.ndim == len(tensor.shape) - 1 and tensor.shape[-1] == 1:
            x = x[..., None]        # as Keras: samples of shape (n,) feed an Input of shape (1,)
        dtype = np.dtype(tensor.dtype)
        if dtype.kind == "f" or x.dtype.kind != "f":
            x = x.astype(dtype, copy=False)
        for node in self._graph.nodes:      # the first layers' own checks name the problem
            if len(node.inputs) == 1 and node.inputs[0] is tensor:
                node.layer.check_input(x)
        expected = tensor.shape
        if x.ndim != len(expected) or any(
                e is not None and e != d for e, d in zip(expected[1:], x.shape[1:])):
            want = ", ".join("None" if d is None else str(d) for d in expected)
            raise ValueError(_(
                "{argument}: the input {name!r} expects arrays of shape ({want}), got an "
                "array of shape {shape}"
            ).format(argument=argument, name=tensor.name, want=want, shape=tuple(x.shape)))
        return x


def _shapes_without_batch(x):
    if isinstance(x, dict):
        return {k: _shapes_without_batch(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_shapes_without_batch(v) for v in x]
    return [None, *x.shape[1:]]


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    return type(value).__name__
