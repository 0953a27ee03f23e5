"""``StringLookup`` and ``IntegerLookup``: tokens to indices in a vocabulary, and back.

The indices are laid out as in Keras::

    [mask]  [OOV 1 ... OOV n]  [token 1, token 2, ...]
      0      (1 if a mask)      (after the special indices)

A token that is not in the vocabulary (out of vocabulary, OOV) gets the OOV index; with
several OOV indices, the token's hash (or, for integers, the integer modulo their number)
chooses one. The mask token (padding) gets index 0. With ``invert=True`` the layer maps
indices back to tokens. Other output modes encode the indices (``one_hot``, ``multi_hot``,
``count``, ``tf_idf``: each count times the token's inverse document frequency).
"""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ...serialization import register
from .category import as_hash_text, hash_strings
from .data_layer import (
    DataLayer,
    as_integers,
    as_strings,
    batches,
    choice,
    encode,
    encoded_shape,
    salt_pair,
    whole,
)
from .vocabulary import Counts, Index, by_frequency, inverse_document_frequency

LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(DataLayer):
    """The common part of ``StringLookup`` and ``IntegerLookup`` (see their arguments)."""

    strings = True       # whether the tokens are strings (else integers)

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, oov_method="floormod", salt=None,
                 has_input_vocabulary=None, vocabulary_size=None, **kwargs):
        super().__init__(**kwargs)
        self.max_tokens = whole(max_tokens, "max_tokens", 2, allow_none=True)
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(_("pad_to_max_tokens: needs max_tokens to be set"))
        self.num_oov_indices = whole(num_oov_indices, "num_oov_indices", 0)
        self.oov_method = choice(oov_method, ("floormod", "farmhash"), "oov_method")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        self.output_mode = choice(output_mode, LOOKUP_MODES, "output_mode")
        if invert and self.output_mode != "int":
            raise ValueError(_("invert: needs output_mode='int', got output_mode={mode!r}")
                             .format(mode=self.output_mode))
        if sparse:
            raise ValueError(_("sparse: redes works with dense arrays only; use sparse=False"))
        if idf_weights is not None and self.output_mode != "tf_idf":
            raise ValueError(_("idf_weights: only used with output_mode='tf_idf', got "
                               "output_mode={mode!r}").format(mode=self.output_mode))
        self.salt = salt_pair(salt)
        if self.salt is not None and not self.strings and self.oov_method != "farmhash":
            raise ValueError(_("salt: only used with oov_method='farmhash'"))
        self.invert, self.pad_to_max_tokens = bool(invert), bool(pad_to_max_tokens)
        self.mask_token, self.oov_token = mask_token, oov_token
        self.tokens = np.array([], dtype=str if self.strings else np.int64)
        self.index, self.idf = Index(self.tokens), None
        self.input_vocabulary, self.input_idf_weights = vocabulary, idf_weights
        self._has_input_vocabulary = (vocabulary is not None if has_input_vocabulary is None
                                      else bool(has_input_vocabulary))
        if self.output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(_("idf_weights: output_mode='tf_idf' with a vocabulary needs "
                               "its idf_weights too"))
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ----------------------------------------------------------- the vocabulary
    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def _specials(self) -> list:
        return [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: the special ones (mask, OOV) and the tokens."""
        return self._token_start() + len(self.tokens)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The token of each index (with the mask and OOV tokens first, unless
        ``include_special_tokens=False``)."""
        tokens = self.tokens.tolist()
        return self._specials() + tokens if include_special_tokens else tokens

    def _as_tokens(self, values, argument):
        return as_strings(values, argument) if self.strings else as_integers(values, argument)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Use ``vocabulary`` (a list or array of tokens, or the path of a text file with
        one token a line) and, for ``"tf_idf"``, the ``idf_weights`` of its tokens."""
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(_("idf_weights: output_mode='tf_idf' needs idf_weights"))
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = f.read().splitlines()
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        vocabulary = self._as_tokens(vocabulary, "vocabulary").ravel()
        if vocabulary.size == 0:
            raise ValueError(_("vocabulary: expected at least one token, got none"))
        start = self._token_start()
        specials = self._specials()
        found = len(vocabulary) >= start and vocabulary[:start].tolist() == specials
        tokens = vocabulary[start:] if found else vocabulary
        self._check_tokens(tokens, specials)
        self._use(tokens)
        if idf_weights is not None:
            self._set_idf(np.asarray(idf_weights, dtype=np.float64), len(vocabulary), found)

    def _check_tokens(self, tokens, specials):
        distinct, counts = np.unique(tokens, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(_("vocabulary: repeated tokens {tokens}; each token must appear "
                               "once").format(tokens=distinct[counts > 1].tolist()))
        reserved = [self.mask_token] + ([self.oov_token] if self.invert else [])
        for token in reserved:
            if token is not None and np.any(tokens == token):
                raise ValueError(_(
                    "vocabulary: holds the reserved token {token!r} among its tokens; leave "
                    "out the mask and OOV tokens, or put them first in this order: "
                    "{specials}").format(token=token, specials=specials))
        size = self._token_start() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(_("vocabulary: {size} indices are more than max_tokens="
                               "{max_tokens}").format(size=size, max_tokens=self.max_tokens))

    def _use(self, tokens):
        self.tokens = tokens
        self.index = Index(tokens)

    def _set_idf(self, weights, length, found):
        if weights.ndim != 1 or len(weights) != length:
            raise ValueError(_("idf_weights: expected {count} numbers (one per token of the "
                               "vocabulary), got shape {shape}").format(
                                   count=length, shape=weights.shape))
        front = 0 if found else self._token_start()
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
        self.idf = np.concatenate([np.full(front, np.average(weights)), weights,
                                   np.zeros(back)]).astype(self.dtype)

    # ----------------------------------------------------------------- adapt
    def adapt(self, data, steps=None):
        """Learn the vocabulary of ``data`` (an array, or an iterable of batches: the
        first ``steps`` of them when given): the tokens by frequency, at most
        ``max_tokens`` indices in all."""
        if self._has_input_vocabulary:
            raise ValueError(_("adapt: layer {name!r} was given its vocabulary; adapt learns "
                               "one when none is given").format(name=self.name))
        counts = Counts(documents=self.output_mode == "tf_idf")
        one_array = isinstance(data, (np.ndarray, list, tuple))
        for batch in batches(data, steps=steps):
            rows = self._as_tokens(batch, "data")
            if rows.ndim == 0 or (rows.ndim == 1 and not one_array):
                rows = rows.reshape(1, -1)     # a batch of tokens is one document
            elif rows.ndim == 1:
                rows = rows.reshape(-1, 1)     # an array of tokens: each one a document
            self.count_documents(counts, rows.reshape(len(rows), -1))
        self.finish_adapt(counts)

    @staticmethod
    def count_documents(counts: Counts, rows: np.ndarray) -> None:
        counts.add(rows.tolist())

    def finish_adapt(self, counts: Counts) -> None:
        """The vocabulary (and IDF weights) from the counts of ``adapt``."""
        totals = counts.totals(str if self.strings else np.int64,
                               drop=(self.mask_token, self.oov_token))
        if totals is None:
            return
        tokens, frequency, documents = totals
        limit = None if self.max_tokens is None else self.max_tokens - self._token_start()
        order = by_frequency(tokens, frequency, limit)
        self._use(tokens[order])
        if self.output_mode == "tf_idf":
            idf = inverse_document_frequency(documents[order], counts.num_documents)
            idf = idf.astype(self.dtype)
            back = self.max_tokens - self._token_start() - len(idf) if \
                self.pad_to_max_tokens else 0
            self.idf = np.concatenate([np.full(self._token_start(), idf.mean(dtype=self.dtype)),
                                       idf, np.zeros(back, self.dtype)]).astype(self.dtype)

    # ------------------------------------------------------------------ lookup
    def lookup(self, x: np.ndarray) -> np.ndarray:
        """The index of each token of ``x`` (``-1`` for a mask token when the output is a
        code rather than indices: it is left out of the code)."""
        position, found = self.index.find(x)
        out = np.where(found, position + self._token_start(), -2)
        oov = ~found
        if self.mask_token is not None:
            masked = x == self.mask_token
            out = np.where(masked, 0 if self.output_mode == "int" else -1, out)
            oov &= ~masked
        if not oov.any():
            return out
        if self.num_oov_indices == 0:
            raise ValueError(_("inputs: {values} are not in the vocabulary and "
                               "num_oov_indices=0; set num_oov_indices=1").format(
                                   values=np.unique(x[oov])[:5].tolist()))
        if self.num_oov_indices == 1:
            buckets = 0
        elif not self.strings and self.oov_method != "farmhash":
            buckets = np.mod(x, self.num_oov_indices)
        else:
            buckets = hash_strings(as_hash_text(x), self.num_oov_indices, self.salt)
        return np.where(oov, buckets + self._oov_start(), out)

    def tokens_of(self, x: np.ndarray) -> np.ndarray:
        """``invert=True``: the token of each index (the OOV token for unknown indices)."""
        x = np.asarray(x).astype(np.int64)
        start, size = self._token_start(), self.vocabulary_size()
        inside = (x >= start) & (x < size)
        table = self.tokens if len(self.tokens) else np.array([self.oov_token])
        out = np.where(inside, table[np.clip(x - start, 0, max(len(self.tokens) - 1, 0))],
                       self.oov_token)
        if self.mask_token is not None:
            out = np.where(x == 0, self.mask_token, out)
        return out

    def depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def output_dtype(self):
        if self.output_mode != "int":
            return self.dtype
        if self.invert:
            return np.dtype(str) if self.strings else np.dtype(np.int64)
        return np.dtype(np.int64)

    def compute_output_shape(self, input_shape):
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        return encoded_shape(input_shape, mode, self.depth())

    def convert_input(self, inputs):
        if self.invert:
            return np.asarray(inputs)
        return self._as_tokens(inputs, "inputs")

    def call(self, x, training=False):
        if self.invert:
            return self.tokens_of(x)
        return self.encode_indices(self.lookup(x))

    def encode_indices(self, indices):
        """The output of the indices of the tokens: themselves, or their code."""
        if self.output_mode == "int":
            return indices.astype(np.int64)
        skip = indices < 0       # mask tokens: left out of the code
        safe = np.where(skip, 0, indices)
        if self.output_mode == "one_hot":
            out = encode(safe, "one_hot", self.depth(), self.dtype)
            return out * ~skip.reshape(out.shape[:-1] + (1,))
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode(safe, mode, self.depth(), self.dtype, count_weights=~skip)
        if self.output_mode == "tf_idf":
            if self.idf is None:
                raise ValueError(_("layer {name!r}: output_mode='tf_idf' needs idf_weights "
                                   "or adapt(data) first").format(name=self.name))
            out = out * self.idf
        return out

    def get_config(self):
        learned = len(self.tokens) > 0
        vocabulary = self.get_vocabulary() if learned else None
        idf = (None if self.idf is None or not learned
               else self.idf[:self.vocabulary_size()].tolist())
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode,
                "sparse": False, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary": vocabulary, "idf_weights": idf, "salt": self.salt,
                "has_input_vocabulary": self._has_input_vocabulary,
                "vocabulary_size": self.vocabulary_size()}


@register("layer")
class StringLookup(IndexLookup):
    """Maps strings to integer indices of a vocabulary, as ``keras.layers.StringLookup``.

    Args:
        max_tokens: the most indices (tokens, mask and OOV) the vocabulary may have.
            Defaults to ``None`` (no limit).
        num_oov_indices: how many indices unknown tokens share. Defaults to 1.
        mask_token: the token of padding, given index 0. Defaults to ``None`` (none).
        oov_token: the token ``invert=True`` gives for unknown indices. Defaults to
            ``"[UNK]"``.
        vocabulary: a list (or array) of tokens, or the path of a text file with one token
            a line; or ``None`` (default) to learn it with ``adapt(data)``.
        idf_weights: with ``output_mode="tf_idf"`` and a vocabulary, the inverse document
            frequency of each token.
        invert: map indices back to tokens. Defaults to ``False``.
        output_mode: ``"int"`` (default: the indices), ``"one_hot"``, ``"multi_hot"``,
            ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: make codes of length ``max_tokens`` whatever the vocabulary's
            size. Defaults to ``False``.
        salt: with several OOV indices, the key of the keyed hash that chooses one.
    """

    strings = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 salt=None, **kwargs):
        if encoding not in ("utf-8", "utf8", "UTF-8"):
            raise ValueError(_("encoding: redes reads strings as 'utf-8', got {value!r}")
                             .format(value=encoding))
        for argument, token in (("mask_token", mask_token), ("oov_token", oov_token)):
            if token is not None and not isinstance(token, str):
                raise ValueError(_("{argument}: expected a string or None, got {value!r}")
                                 .format(argument=argument, value=token))
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = "utf-8"
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, **kwargs)

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}


@register("layer")
class IntegerLookup(IndexLookup):
    """Maps integers to indices of a vocabulary, as ``keras.layers.IntegerLookup``.

    The arguments are those of ``StringLookup``, with integer tokens: ``oov_token``
    defaults to ``-1`` and ``mask_token`` to ``None``. With several OOV indices an unknown
    integer ``v`` gets OOV index ``v mod num_oov_indices`` (``oov_method="floormod"``,
    default) or one chosen by its hash (``oov_method="farmhash"``).
    """

    strings = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(_("vocabulary_dtype: only 'int64' is supported, got {value!r}")
                             .format(value=vocabulary_dtype))
        for argument, token in (("mask_token", mask_token), ("oov_token", oov_token)):
            if token is not None and (isinstance(token, bool) or not isinstance(
                    token, (int, np.integer))):
                raise ValueError(_("{argument}: expected an integer or None, got {value!r}")
                                 .format(argument=argument, value=token))
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token),
                         vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens,
                         sparse=sparse, oov_method=oov_method, salt=salt, name=name, **kwargs)

    def get_config(self):
        return {**super().get_config(), "oov_method": self.oov_method,
                "vocabulary_dtype": "int64"}
