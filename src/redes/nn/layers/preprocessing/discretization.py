"""``Discretization``: numbers to the index of the bin they fall in.

With boundaries ``[0, 1, 2]`` the bins are ``(-inf, 0)``, ``[0, 1)``, ``[1, 2)`` and
``[2, inf)``: 0.5 falls in bin 1. ``adapt(data)`` chooses ``num_bins - 1`` boundaries that
cut the data into bins of about the same number of values (its quantiles), as Keras does:
the sorted data is summarized by about ``1 / epsilon`` values, each with a weight (how many
values it stands for); summaries of several batches are merged and shrunk again; the
boundaries are read off the cumulative weights by linear interpolation.
"""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ...serialization import register
from .data_layer import OUTPUT_MODES, DataLayer, batches, choice, encode, encoded_shape


def summarize(values, epsilon) -> np.ndarray:
    """A summary of ``values``: about ``1 / epsilon`` of them, evenly spaced in sorted
    order, each with the number of values it stands for (row 0 values, row 1 weights)."""
    values = np.sort(np.reshape(values, -1))
    step = max(values.size / (1.0 / epsilon), 1)       # values per kept value
    kept = values[int(step - 1)::int(step)]
    return np.stack([kept, np.full_like(kept, step)])


def compress(summary, epsilon) -> np.ndarray:
    """At most ``1 / epsilon`` values of ``summary``, where the cumulative weight reaches
    ``epsilon``, ``2 epsilon``... ``1`` of the total, by linear interpolation."""
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    values = np.interp(targets, fractions, summary[0])
    weights = np.diff(np.interp(targets, fractions, cumulative), prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def merge(first, second, epsilon) -> np.ndarray:
    """Two summaries as one, sorted by value and compressed."""
    both = np.concatenate((first, second), axis=1)
    return compress(both[:, np.argsort(both[0])], epsilon)


@register("layer")
class Discretization(DataLayer):
    """Replaces each number by the index of its bin, as ``keras.layers.Discretization``.

    Args:
        bin_boundaries: the sorted boundaries between bins (``n`` of them make ``n + 1``
            bins); or ``None`` to learn them with ``adapt``.
        num_bins: how many bins ``adapt`` makes (``num_bins - 1`` boundaries); give this
            or ``bin_boundaries``.
        epsilon: the precision of the quantiles ``adapt`` computes (smaller is more exact
            and uses more memory). Defaults to ``0.01``.
        output_mode: ``"int"`` (default: the bin index), ``"one_hot"``, ``"multi_hot"``
            or ``"count"`` (codes of length the number of bins).
    """

    input_kind = "float"

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, **kwargs):
        super().__init__(**kwargs)
        self.output_mode = choice(output_mode, OUTPUT_MODES, "output_mode")
        if sparse:
            raise ValueError(_("sparse: redes works with dense arrays only; use sparse=False"))
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(
                num_bins, (int, np.integer)) or num_bins < 0):
            raise ValueError(_("num_bins: expected an integer >= 0, got {value!r}").format(
                value=num_bins))
        if (num_bins is None) == (bin_boundaries is None):
            raise ValueError(_("bin_boundaries, num_bins: give one of them, got "
                               "bin_boundaries={a!r} and num_bins={b!r}").format(
                                   a=bin_boundaries, b=num_bins))
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.number)) or \
                not 0 < epsilon < 1:
            raise ValueError(_("epsilon: expected a number in (0, 1), got {value!r}").format(
                value=epsilon))
        if bin_boundaries is not None:
            bin_boundaries = self._boundaries(bin_boundaries)
        self.bin_boundaries = bin_boundaries
        self.num_bins = None if num_bins is None else int(num_bins)
        self.epsilon = float(epsilon)

    @staticmethod
    def _boundaries(value):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 1 or np.any(np.diff(array) < 0):
            raise ValueError(_("bin_boundaries: expected a sorted list of numbers, got "
                               "{value!r}").format(value=value))
        return array.tolist()

    def depth(self) -> int:
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else \
            self.num_bins

    def adapt(self, data, steps=None):
        """Learn ``num_bins - 1`` boundaries from the quantiles of ``data`` (an array, or
        an iterable of batches: the first ``steps`` of them when given)."""
        if self.num_bins is None:
            raise ValueError(_("adapt: layer {name!r} was given bin_boundaries; give "
                               "num_bins instead to learn them").format(name=self.name))
        summary = np.array([[], []], dtype="float32")
        for batch in batches(data, steps=steps, lists=True):
            part = summarize(np.asarray(batch).astype("float32"), self.epsilon)
            summary = merge(part, summary, self.epsilon)
        self.bin_boundaries = compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def output_dtype(self):
        return np.dtype("int32") if self.output_mode == "int" else self.dtype

    def compute_output_shape(self, input_shape):
        if self.output_mode in ("multi_hot", "count") and len(input_shape) < 2:
            return (self.depth(),)
        return encoded_shape(input_shape, self.output_mode, self.depth())

    def call(self, x, training=False):
        if self.bin_boundaries is None:
            raise ValueError(_("layer {name!r}: give bin_boundaries or call adapt(data) "
                               "before using it").format(name=self.name))
        # bin i holds boundaries[i - 1] <= x < boundaries[i]
        indices = np.digitize(x, np.asarray(self.bin_boundaries, dtype=self.dtype))
        if self.output_mode == "int":
            return indices.astype(np.int32)
        return encode(indices, self.output_mode, self.depth(), self.dtype)

    def get_config(self):
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries,
                "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": False}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            config.pop("bin_boundaries")        # learned by adapt: set after __init__
            layer = cls(**config)
            layer.bin_boundaries = cls._boundaries(boundaries)
            return layer
        return cls(**config)
