"""Vocabularies: what ``adapt`` learns for ``StringLookup``, ``IntegerLookup`` and
``TextVectorization``, and how a token finds its index.

``adapt`` counts every token of the data (and, for TF-IDF, in how many documents each one
appears); the vocabulary is the tokens sorted by count, most frequent first, ties broken by
the tokens themselves in reverse sort order (as Keras does), cut at ``max_tokens``.

A token finds its index by binary search in the sorted vocabulary (``np.searchsorted``),
vectorized over the whole batch: no Python loop over the tokens.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

import numpy as np


class Counts:
    """Token counts over the batches ``adapt`` reads: how often each token appears, in how
    many documents, and how many documents there were. Counting is done by hashing
    (``collections.Counter``, in C): faster than sorting millions of strings."""

    def __init__(self, documents: bool = False):
        self.frequency: Counter = Counter()
        self.documents = Counter() if documents else None    # only TF-IDF needs them
        self.num_documents = 0

    def add(self, docs) -> None:
        """``docs``: the documents, each a list of tokens (Python ``str`` or ``int``)."""
        self.frequency.update(chain.from_iterable(docs))
        if self.documents is not None:
            self.documents.update(chain.from_iterable(set(doc) for doc in docs))
        self.num_documents += len(docs)

    def totals(self, dtype, drop=()):
        """(distinct tokens, how often each appears, in how many documents), without the
        tokens of ``drop`` (the mask and OOV tokens); ``None`` when nothing was counted."""
        for token in drop:
            self.frequency.pop(token, None)
        if not self.frequency:
            return None
        tokens = list(self.frequency)
        counts = np.fromiter(self.frequency.values(), np.int64, len(tokens))
        documents = (np.zeros(len(tokens), np.int64) if self.documents is None else
                     np.array([self.documents[t] for t in tokens], np.int64))
        return np.array(tokens, dtype=dtype), counts, documents


def by_frequency(tokens: np.ndarray, counts: np.ndarray, limit=None) -> np.ndarray:
    """The positions of ``tokens`` from the most frequent to the least; equal counts in
    reverse sort order of the tokens (Keras' order); at most ``limit`` of them."""
    order = np.lexsort((tokens, counts))[::-1]
    return order if limit is None else order[:max(limit, 0)]


def inverse_document_frequency(doc_counts, num_documents) -> np.ndarray:
    """``log(1 + documents / (1 + documents holding the token))``, Keras' IDF."""
    return np.log(1 + num_documents / (1 + np.asarray(doc_counts, dtype=np.float64)))


class Index:
    """Finds the index of tokens in a vocabulary by binary search."""

    def __init__(self, tokens: np.ndarray):
        self.order = np.argsort(tokens, kind="stable")
        self.sorted = tokens[self.order]

    def find(self, values: np.ndarray):
        """(position of each value in the vocabulary, whether it was found)."""
        if len(self.sorted) == 0:
            return np.zeros(values.shape, np.int64), np.zeros(values.shape, bool)
        at = np.searchsorted(self.sorted, values)
        inside = np.minimum(at, len(self.sorted) - 1)
        found = self.sorted[inside] == values
        return self.order[inside].astype(np.int64), found
