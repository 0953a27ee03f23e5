"""Helpers named as in ``keras.utils``."""

from __future__ import annotations

from ..data.preprocessing import pad_sequences, to_categorical
from .backend import clear_session, set_random_seed

__all__ = ["clear_session", "pad_sequences", "set_random_seed", "to_categorical"]
