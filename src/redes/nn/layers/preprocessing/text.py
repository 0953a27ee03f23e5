"""``TextVectorization``: raw text to token indices (or codes), in one layer.

Each string goes through four steps, as in Keras::

    "The cat, the hat."  --standardize-->  "the cat the hat"     (lower case, no punctuation)
                         --split------->   ["the", "cat", "the", "hat"]
                         --ngrams------>   (optionally, "the cat", "cat the"...)
                         --lookup------>   [2, 3, 2, 4]          (a StringLookup inside)

Index 0 is padding (the mask token ``""``) and index 1 is for unknown words (``"[UNK]"``).
With ``output_mode="int"`` the texts become rows of indices padded with 0 to one length;
the other modes give one code per text (``multi_hot``, ``count``, ``tf_idf``).
"""

from __future__ import annotations

import re

import numpy as np

from ....i18n import _
from ...serialization import lookup as find_registered
from ...serialization import register
from .data_layer import DataLayer, as_strings, batches, choice, whole
from .lookup import StringLookup
from .vocabulary import Counts

PUNCTUATION = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'"     # what Keras' regex strips
_LOWER = {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}   # ASCII only
_STRIP = dict.fromkeys(map(ord, PUNCTUATION))
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")            # TensorFlow splits on ASCII spaces
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")


def _function_or_name(value, options, argument):
    if value is None or callable(value):
        return value
    if isinstance(value, dict) and isinstance(value.get("function"), str):   # a saved one
        return find_registered("function", value["function"], argument)
    return choice(value, options, argument)


def _ngram_widths(ngrams):
    if ngrams is None:
        return None
    if isinstance(ngrams, (int, np.integer)) and not isinstance(ngrams, bool) and ngrams >= 1:
        return tuple(range(1, int(ngrams) + 1))
    if isinstance(ngrams, (tuple, list)) and ngrams and all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1
            for n in ngrams):
        return tuple(int(n) for n in ngrams)
    raise ValueError(_("ngrams: expected None, an integer >= 1 or a tuple of them, got "
                       "{value!r}").format(value=ngrams))


def ngrams_of(tokens: list, widths) -> list:
    """Every run of ``n`` consecutive tokens, joined by a space, for each ``n`` of
    ``widths`` in turn (all 1-grams, then all 2-grams...)."""
    return [" ".join(tokens[i:i + n]) for n in widths for i in range(len(tokens) - n + 1)]


@register("layer")
class TextVectorization(DataLayer):
    """Turns strings into token indices or codes, as ``keras.layers.TextVectorization``.

    Args:
        max_tokens: the largest vocabulary (padding and OOV included). Defaults to
            ``None`` (no limit).
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``,
            ``"strip_punctuation"``, ``None``, or a function of an array of strings.
            Lowering and punctuation are ASCII only, as in Keras.
        split: ``"whitespace"`` (default), ``"character"``, ``None`` (each string is one
            token), or a function of an array of strings giving lists of tokens.
        ngrams: ``None`` (default), an integer ``n`` (1- to n-grams) or a tuple of widths.
        output_mode: ``"int"`` (default), ``"multi_hot"``, ``"count"`` or ``"tf_idf"``
            (``"one_hot"`` only with ``split=None``).
        output_sequence_length: with ``"int"``, pad or cut every text to this many
            tokens. Defaults to ``None`` (the longest text of the batch).
        pad_to_max_tokens: codes of length ``max_tokens``. Defaults to ``False``.
        vocabulary: a list of tokens (or a text file's path), or ``None`` (default) to
            learn it with ``adapt(texts)``.
        idf_weights: the IDF weights of the vocabulary, with ``"tf_idf"``.
    """

    input_kind = "string"

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self.standardize = _function_or_name(standardize, STANDARDIZE, "standardize")
        self.split = _function_or_name(split, SPLIT, "split")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        self.output_mode = choice(output_mode, ("int", "one_hot", "multi_hot", "count",
                                                "tf_idf"), "output_mode")
        if self.output_mode == "one_hot" and self.split is not None:
            raise ValueError(_("output_mode: 'one_hot' needs split=None (one token per "
                               "text); use 'multi_hot' or 'count' for split texts"))
        self.ngrams, self.widths = ngrams, _ngram_widths(ngrams)
        if self.output_mode != "int" and output_sequence_length is not None:
            raise ValueError(_("output_sequence_length: only used with output_mode='int', "
                               "got output_mode={mode!r}").format(mode=self.output_mode))
        self.output_sequence_length = whole(output_sequence_length, "output_sequence_length",
                                            1, allow_none=True)
        if ragged:
            raise ValueError(_("ragged: redes works with padded arrays only; use "
                               "ragged=False"))
        self.lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=self.output_mode,
            sparse=sparse, encoding=encoding, has_input_vocabulary=has_input_vocabulary,
            vocabulary_size=vocabulary_size)

    # ------------------------------------------------------------- the steps
    def standardized(self, texts: np.ndarray) -> np.ndarray:
        if self.standardize is None:
            return texts
        if callable(self.standardize):
            return as_strings(self.standardize(texts), "standardize")
        table = {}
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            table.update(_LOWER)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            table.update(_STRIP)
        return np.char.translate(texts, table) if texts.size else texts

    def tokenized(self, texts: np.ndarray):
        """(the documents, each a list of tokens) of ``texts``; with ``split=None``, the
        standardized texts as they are (an array)."""
        texts = self.standardized(texts)
        if self.split is None:
            if self.widths is None:
                return texts
            return [ngrams_of(list(row), self.widths) for row in np.atleast_2d(texts).tolist()]
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(_("inputs: TextVectorization splits one string per sample: "
                                   "expected shape (batch,) or (batch, 1), got {shape}")
                                 .format(shape=texts.shape))
            texts = texts[..., 0]
        texts = np.atleast_1d(texts)
        if self.split == "whitespace":
            docs = [_WHITESPACE.split(t.strip(" \t\n\v\f\r")) if t.strip(" \t\n\v\f\r")
                    else [] for t in texts.tolist()]
        elif self.split == "character":
            docs = [list(t) for t in texts.tolist()]
        else:
            docs = [[str(tok) for tok in (doc.tolist() if hasattr(doc, "tolist") else doc)]
                    for doc in self.split(texts)]
        if self.widths is not None:
            docs = [ngrams_of(doc, self.widths) for doc in docs]
        return docs

    @staticmethod
    def flat(docs):
        """(every token in one array, the document of each, how many documents)."""
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        tokens = np.array([t for d in docs for t in d], dtype=str)
        return tokens, np.repeat(np.arange(len(docs)), lengths), lengths

    # ------------------------------------------------------------- vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary of ``data`` (an array of texts, or an iterable of batches):
        tokens by frequency, at most ``max_tokens`` indices."""
        if self.lookup_layer._has_input_vocabulary:
            raise ValueError(_("adapt: layer {name!r} was given its vocabulary; adapt learns "
                               "one when none is given").format(name=self.name))
        counts = Counts(documents=self.output_mode == "tf_idf")
        for batch in batches(data, batch_size, steps):
            docs = self.tokenized(as_strings(batch, "data"))
            if isinstance(docs, np.ndarray):
                docs = (docs.reshape(len(docs), -1) if docs.ndim else docs.reshape(1, 1)).tolist()
            counts.add(docs)
        self.lookup_layer.finish_adapt(counts)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The token of each index (``""`` for padding and ``"[UNK]"`` first, unless
        ``include_special_tokens=False``)."""
        return self.lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self.lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Use ``vocabulary`` (and, for ``"tf_idf"``, its ``idf_weights``)."""
        self.lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # ---------------------------------------------------------------- forward
    def output_dtype(self):
        return np.dtype(np.int64) if self.output_mode == "int" else self.dtype

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        return (input_shape[0], self.lookup_layer.depth())

    def call(self, x, training=False):
        docs = self.tokenized(x)
        lookup = self.lookup_layer
        if isinstance(docs, np.ndarray):       # split=None: one token per text
            out = lookup.encode_indices(lookup.lookup(docs))
            if self.output_mode == "int" and self.output_sequence_length is not None:
                out = self._to_length(out.reshape(len(out), -1))
            return out
        tokens, owner, lengths = self.flat(docs)
        indices = lookup.lookup(tokens)
        if self.output_mode == "int":
            width = self.output_sequence_length or int(lengths.max(initial=0))
            out = np.zeros((len(docs), width), np.int64)
            place = np.arange(len(tokens)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            keep = place < width                        # cut texts longer than width
            out[owner[keep], place[keep]] = indices[keep]
            return out
        return self._codes(indices, owner, len(docs))

    def _to_length(self, out):
        width = self.output_sequence_length
        out = out[:, :width]
        return np.pad(out, ((0, 0), (0, width - out.shape[1])))

    def _codes(self, indices, owner, count):
        """One code per text: how many times each index appears in it (``multi_hot``:
        whether it does; ``tf_idf``: times the token's IDF); padding is left out."""
        lookup = self.lookup_layer
        out = np.zeros((count, lookup.depth()), np.float64)
        keep = indices >= 0
        np.add.at(out, (owner[keep], indices[keep]), 1.0)
        if self.output_mode == "multi_hot":
            out = (out > 0).astype(np.float64)
        if self.output_mode == "tf_idf":
            if lookup.idf is None:
                raise ValueError(_("layer {name!r}: output_mode='tf_idf' needs idf_weights "
                                   "or adapt(data) first").format(name=self.name))
            out = out.astype(self.dtype) * lookup.idf
        return out.astype(self.dtype)

    # ----------------------------------------------------------------- config
    def get_config(self):
        inner = self.lookup_layer.get_config()

        def saved(value):
            return {"function": value.__name__} if callable(value) else value

        return {**super().get_config(), "max_tokens": inner["max_tokens"],
                "standardize": saved(self.standardize), "split": saved(self.split),
                "ngrams": list(self.ngrams) if isinstance(self.ngrams, tuple) else self.ngrams,
                "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": inner["pad_to_max_tokens"], "sparse": False,
                "ragged": False, "vocabulary": inner["vocabulary"],
                "idf_weights": inner["idf_weights"], "encoding": "utf-8",
                "has_input_vocabulary": inner["has_input_vocabulary"],
                "vocabulary_size": self.vocabulary_size()}
