"""Preprocessing layers, named as in ``keras.layers``: numbers (``Rescaling``,
``Normalization``, ``Discretization``), categories (``CategoryEncoding``, ``Hashing``,
``StringLookup``, ``IntegerLookup``) and text (``TextVectorization``)."""

from .category import CategoryEncoding, Hashing
from .discretization import Discretization
from .lookup import IntegerLookup, StringLookup
from .numeric import Normalization, Rescaling
from .text import TextVectorization

__all__ = [
    "CategoryEncoding", "Discretization", "Hashing", "IntegerLookup", "Normalization",
    "Rescaling", "StringLookup", "TextVectorization",
]
