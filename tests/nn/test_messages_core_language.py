"""The messages of the engine's core modules (backend, serialization, activations,
initializers, regularizers, constraints, losses, metrics, optimizers, schedules, callbacks,
the model file), for a person: in Spanish with ``set_language("es")``, and every one of them
through the catalog (the pseudo-language brackets it)."""

from __future__ import annotations

import re
import warnings
import zipfile

import numpy as np
import pytest

from redes.nn import (
    activations,
    backend,
    callbacks,
    constraints,
    initializers,
    losses,
    metrics,
    optimizers,
    regularizers,
    saving,
    serialization,
)
from redes.nn.optimizers import schedules


def _raises(exception, message):
    """pytest.raises matching the whole message exactly."""
    return pytest.raises(exception, match="^" + re.escape(message) + "$")


# ------------------------------------------------------------------ Spanish
def test_backend_serialization_and_constraints_in_spanish(spanish):
    with _raises(ValueError, "floatx: se esperaba 'float32' o 'float64', se recibió 'float16'"):
        backend.set_floatx("float16")
    with _raises(ValueError, "seed: se esperaba un entero no negativo, se recibió -1"):
        backend.set_random_seed(-1)
    with _raises(ValueError, "layer: se esperaba un nombre o un dict con 'class_name' y "
                             "'config', se recibió 5"):
        serialization.deserialize("layer", 5, "layer")
    with _raises(ValueError, "constraint: se esperaba un nombre, una configuración o un "
                             "Constraint, se recibió 5"):
        constraints.get(5)


def test_activations_initializers_and_regularizers_in_spanish(spanish):
    with _raises(ValueError, "approximate: se esperaba True o False, se recibió 'yes'"):
        activations.gelu(np.ones(2), approximate="yes")
    with _raises(ValueError, "axis: se esperaba un entero, se recibió 1.5"):
        activations.softmax(np.ones((2, 2)), axis=1.5)
    with _raises(ValueError, "minval, maxval: se esperaba minval <= maxval, se recibió 1 > 0"):
        initializers.RandomUniform(minval=1, maxval=0)
    with _raises(ValueError, "stddev: se esperaba un número no negativo, se recibió -1"):
        initializers.RandomNormal(stddev=-1)
    with _raises(ValueError, "shape: Orthogonal necesita al menos 2 dimensiones, se recibió (3,)"):
        initializers.Orthogonal()((3,))
    with _raises(ValueError, "l2: se esperaba un número no negativo, se recibió -1"):
        regularizers.L2(-1)


def test_losses_in_spanish(spanish):
    with _raises(ValueError, "delta: se esperaba un número positivo, se recibió 0"):
        losses.Huber(delta=0)
    with _raises(ValueError, "label_smoothing: se esperaba un número en [0, 1], se recibió 2"):
        losses.BinaryCrossentropy(label_smoothing=2)
    with _raises(ValueError, "y: los objetivos contienen 1 valor(es) NaN o infinito(s)"):
        losses.MeanSquaredError().validate(np.array([1.0, np.nan]))
    with _raises(ValueError,
                 "y: la etiqueta 5 está fuera de [0, 3): la salida del modelo tiene 3 "
                 "unidades, una por clase (1 etiqueta(s) fuera de rango); da a la última capa "
                 "tantas unidades como clases haya"):
        losses.SparseCategoricalCrossentropy().validate(np.array([0, 5]), (None, 3))
    # a message built from two translated pieces: the message and its hint
    with _raises(ValueError,
                 "y: los objetivos de forma (2,) no encajan con la salida del modelo de forma "
                 "(None, 3); parecen etiquetas de clase enteras: usa "
                 "loss='sparse_categorical_crossentropy', o codifícalas en one-hot con "
                 "to_categorical(y, 3)"):
        losses.CategoricalCrossentropy().validate(np.array([0, 2]), (None, 3))


def test_metrics_in_spanish(spanish):
    with _raises(ValueError, "k: se esperaba un entero positivo, se recibió 0"):
        metrics.TopKCategoricalAccuracy(k=0)
    with pytest.raises(ValueError, match=r"^metrics: se esperaba un nombre de métrica como "
                                         r"'accuracy' o 'mae', un objeto Metric .*; nombres "
                                         r"conocidos: "):
        metrics.get(5)


def test_optimizers_and_schedules_in_spanish(spanish):
    with _raises(ValueError, "momentum: se esperaba un número en [0, 1], se recibió 2"):
        optimizers.SGD(momentum=2)
    with _raises(ValueError, "weight_decay: AdamW necesita un número (por defecto 0.004), "
                             "se recibió None"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match=r"^optimizer: optimizador desconocido 'adamm' "
                                         r"\(¿quisiste decir 'adam'\?\); se esperaba uno de "):
        optimizers.get("adamm")
    with _raises(ValueError, "decay_steps: se esperaba un número positivo de pasos, "
                             "se recibió 0"):
        schedules.ExponentialDecay(0.1, 0, 0.9)
    with pytest.warns(UserWarning, match="^decay: este argumento antiguo de Keras ya no se "
                                         "admite y se ignora"):
        optimizers.SGD(decay=0.1)
    sgd = optimizers.SGD()
    with _raises(ValueError, "grads: no se dio gradiente para ningún peso (todos son None)"):
        sgd.apply([None], [np.zeros(2)])


def test_callbacks_in_spanish(spanish, capsys):
    with _raises(ValueError, "patience: se esperaba un entero >= 0, se recibió -1"):
        callbacks.EarlyStopping(patience=-1)
    stopper = callbacks.EarlyStopping(monitor="val_acc", verbose=1)
    stopper.on_train_begin()
    stopper.on_epoch_end(0, {"loss": 1.0})
    assert capsys.readouterr().err == ("EarlyStopping: el valor vigilado 'val_acc' no está en "
                                       "los registros (disponibles: loss)\n")
    stopper.stopped_epoch = 3
    stopper.on_train_end()
    assert capsys.readouterr().out == "Época 4: detención temprana\n"


def test_model_file_messages_in_spanish(spanish, tmp_path):
    missing = tmp_path / "missing.redes"
    with _raises(FileNotFoundError, f"filepath: no existe el archivo {missing}"):
        saving.load_model(missing)
    empty = tmp_path / "empty.redes"
    empty.write_bytes(b"")
    with _raises(saving.ModelFileError,
                 f"{empty}: está vacío (0 bytes); no es un archivo de modelo de redes"):
        saving.load_model(empty)
    with _raises(saving.ModelFileError, f"{tmp_path}: es una carpeta; se esperaba un archivo "
                                        "de modelo guardado con model.save"):
        saving.load_model(tmp_path)
    stranger = tmp_path / "stranger.redes"
    with zipfile.ZipFile(stranger, "w") as z:
        z.writestr("model.json", "{}")
        z.writestr("run.sh", "echo")
    with _raises(saving.ModelFileError,
                 f"{stranger}: miembro inesperado 'run.sh'; un modelo de redes contiene solo "
                 "model.json, weights/NNNN.npy y optimizer/NNNN.npy"):
        saving.load_model(stranger)


# ------------------------------------------------------------- pseudo-language
def _model_file_error(tmp_path):
    path = tmp_path / "empty.redes"
    path.write_bytes(b"")
    saving.load_model(path)


@pytest.mark.parametrize("provoke", [
    lambda tmp: backend.set_floatx("float16"),
    lambda tmp: serialization.deserialize("layer", 5, "layer"),
    lambda tmp: constraints.get(5),
    lambda tmp: activations.gelu(np.ones(2), approximate="yes"),
    lambda tmp: initializers.RandomNormal(stddev=-1),
    lambda tmp: regularizers.L1(-1),
    lambda tmp: losses.Huber(delta=0),
    lambda tmp: metrics.get(5),
    lambda tmp: optimizers.SGD(momentum=2),
    lambda tmp: optimizers.get("adamm"),
    lambda tmp: schedules.ExponentialDecay(0.1, 0, 0.9),
    lambda tmp: callbacks.ReduceLROnPlateau(factor=2),
    _model_file_error,
], ids=["backend", "serialization", "constraints", "activations", "initializers",
        "regularizers", "losses", "metrics", "optimizers", "optimizers.get", "schedules",
        "callbacks", "saving"])
def test_every_message_goes_through_the_catalog(pseudo, provoke, tmp_path):
    with pytest.raises(ValueError) as info:
        provoke(tmp_path)
    text = str(info.value)
    assert text.startswith("⟦") and text.endswith("⟧"), text


def test_printed_lines_and_warnings_go_through_the_catalog(pseudo, capsys):
    stopper = callbacks.EarlyStopping(verbose=1)
    stopper.on_train_begin()
    stopper.stopped_epoch = 2
    stopper.on_train_end()
    assert capsys.readouterr().out == "⟦Epoch 3: early stopping⟧\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizers.Adam(decay=0.1)
    assert str(caught[0].message).startswith("⟦decay: ")
    # a message and the hint inside it: each piece bracketed
    with pytest.raises(ValueError) as info:
        losses.CategoricalCrossentropy().validate(np.array([0, 2]), (None, 3))
    assert str(info.value).startswith("⟦y: targets of shape (2,)")
    assert "⟦; these look like integer class labels" in str(info.value)
