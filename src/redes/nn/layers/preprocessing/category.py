"""``CategoryEncoding`` and ``Hashing``: categories as codes, and any value as a category.

``CategoryEncoding(num_tokens=4)`` turns category indices into vectors of length 4:
``"one_hot"`` one vector per index, ``"multi_hot"`` one per sample with a 1 for each index
it holds, ``"count"`` how many times each index appears.

``Hashing(num_bins)`` puts every value (a string, or an integer written as a string) in one
of ``num_bins`` bins by its hash: FarmHash's Fingerprint64 modulo ``num_bins``, or, with a
``salt``, the keyed SipHash, exactly as Keras (TensorFlow) does, so the same string lands in
the same bin in both libraries.
"""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ...serialization import register
from .data_layer import OUTPUT_MODES, DataLayer, choice, encode, encoded_shape, salt_pair, whole
from .farmhash import fingerprint64, siphash24


@register("layer")
class CategoryEncoding(DataLayer):
    """Encodes integer categories in ``[0, num_tokens)``, as
    ``keras.layers.CategoryEncoding``.

    Args:
        num_tokens: the number of categories (the length of each code).
        output_mode: ``"multi_hot"`` (default), ``"one_hot"`` or ``"count"``.

    ``layer(x, count_weights=w)`` (with ``output_mode="count"``) adds ``w`` instead of 1
    for each occurrence.
    """

    input_kind = "int"

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        self.output_mode = choice(output_mode, ("count", "one_hot", "multi_hot"),
                                  "output_mode")
        if num_tokens is None:
            raise ValueError(_("num_tokens: CategoryEncoding needs the number of categories; "
                               "when it is not known beforehand use IntegerLookup"))
        self.num_tokens = whole(num_tokens, "num_tokens", 1)
        if sparse:
            raise ValueError(_("sparse: redes works with dense arrays only; use sparse=False"))

    def compute_output_shape(self, input_shape):
        if len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and len(input_shape) == 1:
            return (*input_shape, self.num_tokens)
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def __call__(self, inputs, *args, count_weights=None, **kwargs):
        if count_weights is None:
            return super().__call__(inputs, *args, **kwargs)
        if self.output_mode != "count":
            raise ValueError(_("count_weights: only used with output_mode='count', got "
                               "output_mode={mode!r}").format(mode=self.output_mode))
        x = self.convert_input(inputs)
        return encode(x, "count", self.num_tokens, self.dtype,
                      count_weights=np.asarray(count_weights, dtype=self.dtype))

    def call(self, x, training=False):
        return encode(x, self.output_mode, self.num_tokens, self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode, "sparse": False}


def hash_strings(values: np.ndarray, bins: int, salt=None) -> np.ndarray:
    """The bin in ``[0, bins)`` of each string of ``values`` (an array of ``str``): each
    distinct string is hashed once, and its bin is spread to every place it appears."""
    distinct, where = np.unique(values.ravel(), return_inverse=True)
    if salt is None:
        codes = [fingerprint64(s.encode("utf-8")) % bins for s in distinct.tolist()]
    else:
        codes = [siphash24(salt, s.encode("utf-8")) % bins for s in distinct.tolist()]
    return np.asarray(codes, dtype=np.int64)[where].reshape(values.shape)


def as_hash_text(x: np.ndarray) -> np.ndarray:
    """Values as the strings TensorFlow hashes: strings as they are, integers in decimal,
    floats first truncated to integers."""
    if x.dtype.kind in "US":
        return x
    if x.dtype.kind == "f":
        x = x.astype(np.int64)
    return x.astype(str)


@register("layer")
class Hashing(DataLayer):
    """Puts each value in one of ``num_bins`` bins by its hash, as ``keras.layers.Hashing``.

    Args:
        num_bins: the number of bins (including the mask bin, if any).
        mask_value: a value that goes to bin 0 (the others then share bins 1 to
            ``num_bins - 1``). Defaults to ``None`` (no mask bin).
        salt: an integer or a pair of integers: with it, the keyed hash SipHash-2-4 is used
            (harder to collide on purpose); without it (default), FarmHash's Fingerprint64.
        output_mode: ``"int"`` (default: the bin), ``"one_hot"``, ``"multi_hot"`` or
            ``"count"``.

    Integers are hashed as their decimal text, and floats are first truncated to integers,
    as in Keras.
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        dtype = kwargs.pop("dtype", None)
        int_dtype = dtype is not None and np.dtype(dtype).kind in "iu"
        super().__init__(dtype=None if int_dtype else dtype, **kwargs)
        if num_bins is None or isinstance(num_bins, bool) or not isinstance(
                num_bins, (int, np.integer)) or num_bins <= 0:
            raise ValueError(_("num_bins: expected a positive integer, got {value!r}").format(
                value=num_bins))
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = salt_pair(salt)
        self.output_mode = choice(output_mode, OUTPUT_MODES, "output_mode")
        self.int_dtype = np.dtype(dtype) if int_dtype else np.dtype("int64")
        if sparse:
            raise ValueError(_("sparse: redes works with dense arrays only; use sparse=False"))

    def output_dtype(self):
        return self.int_dtype if self.output_mode == "int" else self.dtype

    def compute_output_shape(self, input_shape):
        if len(input_shape) == 0:
            return (self.num_bins,)
        return (tuple(input_shape) if self.output_mode == "int"
                else (*tuple(input_shape)[:-1], self.num_bins))

    def bins(self, x: np.ndarray) -> np.ndarray:
        """The bin of each value of ``x``."""
        masked = self.mask_value is not None and self.num_bins > 1
        bins = self.num_bins - 1 if masked else self.num_bins
        codes = hash_strings(as_hash_text(x), bins, self.salt)
        if masked:
            codes = np.where(x == self.mask_value, 0, codes + 1)
        return codes

    def call(self, x, training=False):
        if self.output_mode == "one_hot" and x.ndim and x.shape[-1] == 1:
            x = x[..., 0]
        codes = self.bins(x)
        if self.output_mode == "int":
            return codes.astype(self.int_dtype)
        return encode(codes, self.output_mode, self.num_bins, self.dtype)

    def get_config(self):
        config = {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                  "mask_value": self.mask_value, "output_mode": self.output_mode,
                  "sparse": False}
        if self.output_mode == "int":
            config["dtype"] = self.int_dtype.name
        return config
