"""Preparing arrays for a network: normalization, one-hot and multi-hot codes, padding.

Normalization statistics are always computed on the training data only and then applied
to validation and test data; computing them on all the data would leak information about
the test set into training.
"""

from __future__ import annotations

import numpy as np

from .._base.checks import check_dtype, check_int
from ..i18n import _
from ..nn.utils import pad_sequences, to_categorical  # noqa: F401  (redes.data names them)
from .formats import flatten_sequences


class Normalizer:
    """Feature-wise standardization: ``(x - mean) / std`` with statistics of training data.

    ``fit`` computes the mean and standard deviation of every feature over the samples
    (axis 0), so an array of shape ``(n, 13)`` gets 13 means and an array of images
    ``(n, 28, 28)`` gets one mean per pixel. A feature with standard deviation 0 (a constant
    column, a pixel that is always black) is divided by 1 instead, so it becomes 0.

    Example:
        >>> norm = Normalizer().fit(x_train)
        >>> x_train, x_test = norm.transform(x_train), norm.transform(x_test)

    Args:
        dtype: float dtype of transformed arrays. Defaults to ``"float32"``.

    Attributes:
        mean: per-feature means (float64), set by ``fit``.
        std: per-feature standard deviations, zeros replaced by 1 (float64), set by ``fit``.
    """

    def __init__(self, dtype="float32"):
        self.dtype = check_dtype("dtype", dtype)
        self.mean = None
        self.std = None

    def _as_array(self, name: str, x) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype.kind not in "iuf" or x.ndim < 1 or len(x) == 0:
            raise ValueError(
                _("{name}: expected a non-empty numeric array (samples on axis 0), got shape "
                  "{shape} and dtype {dtype}").format(name=name, shape=x.shape, dtype=x.dtype)
            )
        if not np.all(np.isfinite(x)):
            raise ValueError(_("{name}: holds NaN or infinite values").format(name=name))
        return x

    def fit(self, x) -> Normalizer:
        """Compute the per-feature mean and standard deviation of ``x`` (training data).

        Returns:
            The normalizer itself, so ``Normalizer().fit(x).transform(x)`` works.
        """
        x = self._as_array("x", x).astype(np.float64)
        self.mean = x.mean(axis=0)
        std = x.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def _check_fitted(self, name: str, x) -> np.ndarray:
        if self.mean is None:
            raise RuntimeError(_("Normalizer: call fit(x_train) before transform"))
        x = self._as_array(name, x)
        if x.shape[1:] != self.mean.shape:
            raise ValueError(
                _("{name}: expected samples of shape {expected} (as in fit), got "
                  "{shape}").format(name=name, expected=self.mean.shape, shape=x.shape[1:])
            )
        return x

    def transform(self, x) -> np.ndarray:
        """``(x - mean) / std`` with the statistics from ``fit``, as ``dtype``."""
        x = self._check_fitted("x", x)
        return ((x - self.mean) / self.std).astype(self.dtype)

    def fit_transform(self, x) -> np.ndarray:
        """``fit(x)`` then ``transform(x)``."""
        return self.fit(x).transform(x)

    def inverse_transform(self, x) -> np.ndarray:
        """``x * std + mean``: back to the original units (e.g. prices in $1000s)."""
        x = self._check_fitted("x", x)
        return (x * self.std + self.mean).astype(self.dtype)

    def get_config(self) -> dict:
        """A JSON-ready dict that ``from_config`` turns back into this normalizer."""
        return {
            "dtype": self.dtype.name,
            "mean": None if self.mean is None else self.mean.tolist(),
            "std": None if self.std is None else self.std.tolist(),
        }

    @classmethod
    def from_config(cls, config: dict) -> Normalizer:
        """Rebuild a normalizer from ``get_config()``."""
        norm = cls(dtype=config.get("dtype", "float32"))
        if config.get("mean") is not None:
            norm.mean = np.asarray(config["mean"], dtype=np.float64)
            norm.std = np.asarray(config["std"], dtype=np.float64)
            if norm.mean.shape != norm.std.shape or np.any(norm.std <= 0):
                raise ValueError(_("config: 'mean' and 'std' must have one shape, std > 0"))
        return norm


def normalize(train, *others):
    """Standardize ``train`` and the other arrays with the statistics of ``train`` only.

    Example:
        >>> x_train, x_test = normalize(x_train, x_test)

    Args:
        train: the training inputs; their per-feature mean and std are used.
        *others: validation or test inputs, transformed with the same statistics.

    Returns:
        The normalized ``float32`` arrays in the order given (a single array when only
        ``train`` is given). Use ``Normalizer`` to keep the statistics.
    """
    norm = Normalizer().fit(train)
    out = tuple(norm.transform(x) for x in (train, *others))
    return out[0] if not others else out


def to_one_hot(labels, dimension=None, dtype="float32") -> np.ndarray:
    """The course's ``to_one_hot(labels, dimension=46)``: same as ``to_categorical``.

    Args:
        labels: integer labels from 0 to ``dimension - 1``.
        dimension: number of classes. Defaults to ``None`` (``max(labels) + 1``).
        dtype: dtype of the output. Defaults to ``"float32"``.
    """
    return to_categorical(labels, num_classes=dimension, dtype=dtype)


def multi_hot(sequences, dimension=10000, dtype="float32") -> np.ndarray:
    """Encode each sequence of word indices as a 0/1 vector of length ``dimension``.

    Row ``i`` has a 1 at every index that occurs in sequence ``i`` (how often does not
    matter), as the course's ``vectorize_sequences``. Load IMDB or Reuters with
    ``num_words=dimension`` so that every index fits.

    Args:
        sequences: a list (or object array) of integer sequences, or a 2-D integer array.
        dimension: length of each vector. Defaults to ``10000``.
        dtype: dtype of the output. Defaults to ``"float32"``.

    Returns:
        An array of shape ``(len(sequences), dimension)``.
    """
    dimension = check_int("dimension", dimension, 1)
    flat, lengths = flatten_sequences(sequences)
    if flat.size and (flat.min() < 0 or flat.max() >= dimension):
        bad = int(flat.max()) if flat.max() >= dimension else int(flat.min())
        raise ValueError(
            _("sequences: index {bad} does not fit in dimension={dimension}; expected indices "
              "from 0 to {last} (load the data with num_words={dimension})").format(
                bad=bad, dimension=dimension, last=dimension - 1)
        )
    out = np.zeros((len(lengths), dimension), dtype=check_dtype("dtype", dtype, "fiu"))
    out[np.repeat(np.arange(len(lengths)), lengths), flat] = 1
    return out


vectorize_sequences = multi_hot
