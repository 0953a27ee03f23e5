"""redes: neural networks from scratch in NumPy and with Keras.

``redes.nn`` is a small neural-network engine written with NumPy that follows the Keras 3
API, so Keras code runs on it by changing one import (``import redes.nn as keras``).
"""

__version__ = "0.1.0"
