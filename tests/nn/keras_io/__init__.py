"""Four keras.io examples, as keras.io publishes them, run on redes by
``tests/nn/test_keras_io_examples.py``.

Each file is the example's code (its prose left out) with three kinds of change, each marked
with a ``# redes:`` comment: the import (``import redes.nn as keras``), the lines that
download the data (the test writes small files of the same layout instead), and the
TensorFlow calls in the data code, replaced by their Keras equivalents, as
docs/guide/*/engine.md lists them.
"""
