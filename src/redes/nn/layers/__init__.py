"""Layers of the NumPy engine, named as in ``keras.layers``."""

from .base import Layer
from .core import Activation, Dense, Dropout, Flatten, Input, InputLayer, Reshape

__all__ = ["Activation", "Dense", "Dropout", "Flatten", "Input", "InputLayer", "Layer", "Reshape"]
