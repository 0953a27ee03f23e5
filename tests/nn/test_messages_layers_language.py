"""The errors of the layers, models and ops of redes.nn, in Spanish: each one goes through the
catalog (the pseudo-language brackets it) and reads as the Spanish catalog writes it."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import redes.nn as keras
from redes.nn import layers, ops


def exactly(text: str) -> str:
    """A pattern for ``pytest.raises(match=...)`` that matches ``text`` and nothing more."""
    return "^" + re.escape(text) + "$"


def _small_model(name="m"):
    inputs = keras.Input(shape=(4,), name="x")
    outputs = layers.Dense(2, name="salida")(inputs)
    return keras.Model(inputs, outputs, name=name)


# --------------------------------------------------------------------------- layers


def test_layer_base_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "name: se esperaba una cadena no vacía, se recibió ''")):
        layers.Dense(3, name="")
    with pytest.raises(TypeError, match=exactly(
            "Dense: argumento(s) desconocido(s) colour")):
        layers.Dense(3, colour="red")
    with pytest.raises(ValueError, match=exactly(
            "input_shape: se esperaba una tupla de enteros positivos, se recibió (0, 3)")):
        layers.Dense(3, input_shape=(0, 3))
    dense = layers.Dense(2, name="d")
    dense.build((None, 3))
    with pytest.raises(ValueError, match=exactly(
            "weights: la capa 'd' espera 2 arreglos (d/kernel, d/bias), se recibieron 1")):
        dense.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=exactly(
            "weights: d/kernel espera la forma (3, 2), se recibió (2, 3)")):
        dense.set_weights([np.zeros((2, 3)), np.zeros(2)])


def test_core_and_normalization_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "units: se esperaba un entero positivo, se recibió 0")):
        layers.Dense(0)
    with pytest.raises(ValueError, match=exactly(
            "rate: se esperaba un número en [0, 1), se recibió 1.5")):
        layers.Dropout(1.5)
    reshape = layers.Reshape((4, 4))
    with pytest.raises(ValueError, match=exactly(
            "target_shape: muestras de forma (10,) (10 valores) no pueden convertirse en (4, 4)")):
        reshape.compute_output_shape((None, 10))
    with pytest.raises(ValueError, match=exactly(
            "momentum: se esperaba un número en [0, 1], se recibió 2")):
        layers.BatchNormalization(momentum=2)


def test_convolution_and_pooling_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "filters: se esperaba un entero positivo, se recibió 0")):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match=exactly(
            "padding: se esperaba uno de 'valid', 'same', se recibió 'full'")):
        layers.Conv2D(4, 3, padding="full")
    with pytest.raises(ValueError, match=exactly(
            "pool_size: se esperaba un entero positivo o una tupla de 2 enteros positivos, "
            "se recibió 0")):
        layers.MaxPooling2D(pool_size=0)
    conv = layers.Conv2D(4, 3)
    with pytest.raises(ValueError, match=exactly(
            "input_shape: Conv2D espera entradas 4D (batch, height, width, channels), se recibió "
            "la forma (None, 28, 28); para un solo canal agrega un eje de canales con "
            "x[..., None], o para secuencias (batch, steps, channels) usa una capa 1D "
            "(p. ej., Conv1D)")):
        conv(np.zeros((2, 28, 28), dtype="float32"))


def test_embedding_messages_in_spanish(spanish):
    embedding = layers.Embedding(10, 4, name="emb")
    with pytest.raises(ValueError, match=exactly(
            "x: se recibieron 2 secuencias de distintas longitudes (de 2 a 3); un lote contiene "
            "secuencias de una sola longitud: primero rellénalas a una misma longitud con "
            "redes.data.pad_sequences(sequences, maxlen=...) (keras.utils.pad_sequences en "
            "Keras)")):
        embedding([[1, 2, 3], [4, 5]])
    with pytest.raises(ValueError, match=exactly(
            "x: el id de token 12 (en el índice (0, 1)) está fuera del vocabulario de Embedding "
            "'emb': input_dim=10 admite ids de 0 a 9; aumenta input_dim o asigna las palabras "
            "raras a un solo id")):
        embedding(np.array([[1, 12]]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layers.Embedding(10, 4, input_length=5)
    assert [str(w.message) for w in caught] == [
        "input_length: el argumento está obsoleto en Keras 3 y no tiene efecto; "
        "simplemente quítalo"]


def test_recurrent_and_wrapper_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "return_state: True no está soportado: un modelo Sequential pasa un solo arreglo de "
            "capa en capa; usa return_sequences en su lugar")):
        layers.LSTM(4, return_state=True)
    with pytest.raises(ValueError, match=exactly(
            "dropout: se esperaba un número en [0, 1), se recibió 1")):
        layers.GRU(4, dropout=1)
    with pytest.raises(ValueError, match=exactly(
            "x: SimpleRNN 'rnn' espera secuencias de forma (batch, timesteps, features), se "
            "recibió un arreglo de forma (2, 5). Con un número por paso de tiempo, agrega el eje "
            "de características: x[..., None] (forma (2, 5, 1)); con ids de tokens, pon primero "
            "una capa Embedding, p. ej., Embedding(input_dim=vocabulary_size, output_dim=32)")):
        layers.SimpleRNN(3, name="rnn")(np.zeros((2, 5), dtype="float32"))
    with pytest.raises(ValueError, match=r"^layer: Bidirectional envuelve una capa recurrente "
                                         r"\(SimpleRNN, LSTM o GRU\), se recibió <Dense"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(ValueError, match=exactly(
            "merge_mode: se esperaba uno de concat, sum, ave, mul, se recibió None (None da dos "
            "salidas, que un modelo Sequential no puede pasar a la siguiente capa)")):
        layers.Bidirectional(layers.LSTM(3), merge_mode=None)


def test_lambda_and_merging_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "function: se esperaba una función, se recibió 3")):
        layers.Lambda(3)
    with pytest.raises(ValueError, match=exactly(
            "Concatenate 'une': axis debe ser un número entero, se recibió 'x'")):
        layers.Concatenate(axis="x", name="une")


# --------------------------------------------------------------------------- models


def test_model_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "layers: el modelo no tiene capas para quitar con pop")):
        keras.Sequential().pop()
    with pytest.raises(ValueError, match=r"^inputs, outputs: un modelo funcional necesita "
                                         r"ambos"):
        keras.Model(inputs=None, outputs=keras.Input(shape=(3,)))
    model = _small_model()
    with pytest.raises(NotImplementedError, match=r"^clone_model: input_tensors y "
                                                  r"clone_function no están disponibles"):
        keras.models.clone_model(model, clone_function=lambda layer: layer)
    with pytest.raises(ValueError, match=exactly(
            "layer_range: se esperaban dos nombres de capas del modelo ['x', 'salida'], se "
            "recibió ('a', 'b')")):
        model.summary(layer_range=("a", "b"), print_fn=lambda line: None)


def test_training_messages_in_spanish(spanish):
    model = _small_model()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((10, 4), dtype="float32"), np.zeros((10, 2), dtype="float32")
    with pytest.raises(ValueError, match=exactly(
            "validation_split: se esperaba un número en [0, 1), se recibió 1.5")):
        model.fit(x, y, validation_split=1.5, verbose=0)
    with pytest.raises(ValueError, match=exactly(
            "verbose: se esperaba 'auto', 0, 1 o 2, se recibió 3")):
        model.fit(x, y, verbose=3)
    with pytest.raises(ValueError, match=exactly(
            "epochs: se esperaba un entero >= 0, se recibió -1")):
        model.fit(x, y, epochs=-1, verbose=0)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=exactly(
            "x: contiene 1 valores NaN o inf (el primero en el índice (3, 1)); límpialos o "
            "imputa sus valores primero")):
        model.fit(bad, y, verbose=0)
    with pytest.raises(ValueError, match=exactly(
            "sample_weight: tiene 3 valores pero x tiene 10 muestras")):
        model.fit(x, y, sample_weight=np.ones(3), verbose=0)
    with pytest.raises(ValueError, match=exactly(
            "loss_weights: se esperaban números >= 0, se recibió -1 para la salida 'salida'")):
        model.compile(optimizer="sgd", loss="mse", loss_weights=[-1])


# ------------------------------------------------------------------ ops, graph, others


def test_ops_messages_in_spanish(spanish):
    with pytest.raises(ValueError, match=exactly(
            "matmul: las formas (2, 3) y (2, 3) no coinciden (3 != 2)")):
        ops.matmul(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=exactly(
            "where: x1 y x2 deben darse los dos o ser los dos None")):
        ops.where(np.array([True]), np.zeros(1))
    with pytest.raises(ValueError, match=exactly(
            "reshape: no se puede cambiar la forma de un arreglo de forma (2, 3) (6 valores) a "
            "newshape=(4,)")):
        ops.reshape(np.zeros((2, 3)), (4,))
    with pytest.raises(ValueError, match=exactly(
            "sum: el eje 5 está fuera de rango para un arreglo de 2 dimensiones")):
        ops.sum(np.zeros((2, 3)), axis=5)
    with pytest.raises(ValueError, match=r"^categorical_crossentropy: target y output deben "
                                         r"tener la misma forma"):
        ops.categorical_crossentropy(np.zeros((2, 3)), np.zeros((2, 4)))


def test_graph_variable_random_and_drawing_messages_in_spanish(spanish):
    tensor = keras.Input(shape=(3,), name="entrada")
    with pytest.raises(TypeError, match=r"^KerasTensor 'entrada' es simbólico: su valor de "
                                        r"verdad solo se conoce"):
        bool(tensor)
    with pytest.raises(ValueError, match=exactly(
            "initializer: una Variable necesita sus valores o un inicializador")):
        keras.Variable()
    with pytest.raises(ValueError, match=exactly(
            "seed: se esperaba None o un entero >= 0, se recibió -1")):
        keras.random.SeedGenerator(-1)
    with pytest.raises(ValueError, match=exactly(
            "rankdir: se esperaba 'TB' o 'LR', se recibió 'XY'")):
        keras.utils.plot_model(_small_model(), "modelo.png", rankdir="XY")


# ------------------------------------------------------------------------ pseudo


@pytest.mark.parametrize("provoke", [
    lambda: layers.Dense(0),                                            # layers/core.py
    lambda: layers.Dense(3, name=""),                                   # layers/base.py
    lambda: layers.Conv2D(4, 3, data_format="channels_first"),          # layers/conv.py
    lambda: layers.AveragePooling1D(pool_size=(1, 2)),                  # pooling (conv.py)
    lambda: layers.Embedding(10, 0),                                    # layers/embedding.py
    lambda: layers.Lambda(None),                                        # layers/lambda_layer.py
    lambda: layers.Dot(axes="x"),                                       # layers/merging/dot.py
    lambda: layers.BatchNormalization(epsilon=0),                       # layers/normalization.py
    lambda: layers.LSTM(4, stateful=True),                              # layers/rnn/recurrent.py
    lambda: layers.TimeDistributed("dense"),                            # layers/wrappers.py
    lambda: keras.Sequential().build((None, 3)),                        # models/sequential.py
    lambda: _small_model().get_layer("nada"),                           # models/model.py
    lambda: ops.stack([np.zeros(2), np.zeros(3)]),                      # ops/shapes.py
    lambda: ops.dot(np.zeros((2, 3)), np.zeros((2, 3))),                # ops/linalg.py
    lambda: keras.Variable(np.zeros(2)).assign(np.zeros(3)),            # variables.py
    lambda: keras.random.dropout(np.zeros(3), rate=2),                  # random.py
])
def test_messages_go_through_the_catalog(pseudo, provoke):
    with pytest.raises((ValueError, TypeError)) as caught:
        provoke()
    message = str(caught.value)
    assert message.startswith("⟦") and message.endswith("⟧"), message


def test_pieces_of_a_message_go_through_the_catalog(pseudo):
    with pytest.raises(ValueError) as caught:
        layers.Conv2D(4, 3)(np.zeros((2, 28, 28), dtype="float32"))
    message = str(caught.value)
    assert message.startswith("⟦input_shape: Conv2D expects 4D inputs")
    assert "⟦; for a single channel add a channel axis with x[..., None]⟧" in message
    assert "⟦, or for sequences (batch, steps, channels) use a 1D layer (e.g. Conv1D)⟧" in message
    with pytest.raises(ValueError) as caught:
        layers.Embedding(10, 4)([[1, 2, 3], [4, 5]])
    assert "⟦pad them to one length first" in str(caught.value)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        layers.Embedding(10, 4, input_length=5)
    assert str(warned[0].message).startswith("⟦input_length: ")


def test_english_is_unchanged():
    with pytest.raises(ValueError, match=exactly(
            "units: expected a positive integer, got 0")):
        layers.Dense(0)
    with pytest.raises(ValueError, match=exactly(
            "weights: expected a matrix of shape (10, 4) (input_dim, output_dim), got shape "
            "(4, 10)")):
        layers.Embedding(10, 4, weights=np.zeros((4, 10)))
