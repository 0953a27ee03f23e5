"""Merge layers: several inputs in, one output out, as in ``keras.layers``.

The elementwise merges (``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``,
``Minimum``) combine their inputs number by number; ``Concatenate`` joins them along an
axis; ``Dot`` takes dot products between the samples of two inputs. ::

    a = keras.Input((3,))
    b = keras.Input((3,))
    out = keras.layers.Add()([a, b])          # or keras.layers.add([a, b])

A merge layer receives a LIST of inputs: ``build`` gets a list of shapes, ``call`` a list of
arrays, and ``backward`` returns a list of gradients, dL/d(each input) in the same order.
These layers have no weights (``self.grads`` stays empty).

The package, one module per idea: ``multi_input`` (what every merge shares: a list of inputs
in, a list of gradients out), ``elementwise`` (the six elementwise merges and the broadcasting
between their inputs), ``concatenate`` and ``dot``. Each layer's functional form (``add``,
``concatenate``...) lives beside its class.
"""

from .concatenate import Concatenate, concatenate
from .dot import Dot, dot
from .elementwise import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    maximum,
    minimum,
    multiply,
    subtract,
)

__all__ = [
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
]
