"""Helpers named as in ``keras.utils``."""

from __future__ import annotations

from ..data.preprocessing import pad_sequences, to_categorical
from .backend import clear_session, set_random_seed
from .drawing import plot_model

__all__ = ["clear_session", "pad_sequences", "plot_model", "set_random_seed", "to_categorical"]
