"""Take a playground network elsewhere: as a Keras script or as a ``redes train`` recipe.

The Keras script is a complete program: it holds the session's points (train and test),
computes the chosen input features, builds the same layers with the same optimizer,
regularization and dropout, and trains them with ``model.fit``. Changing its
``import keras`` line to ``import redes.nn as keras`` runs it on the NumPy engine.

The recipe is the same network as data, in the fields of ``redes.recipes.spec``: the
layers as ``[class_name, kwargs]``, the optimizer, loss and metrics (``model``), epochs and
batch size (``fit``) and the dataset spec (``redes.data.playground_sets.load``'s arguments).
"""

from __future__ import annotations

import json

from .session import Session

FEATURE_CODE = {
    "x1": "x1", "x2": "x2", "x1sq": "x1 ** 2", "x2sq": "x2 ** 2", "x1x2": "x1 * x2",
    "sinx1": "np.sin(x1)", "sinx2": "np.sin(x2)", "cosx1": "np.cos(x1)", "cosx2": "np.cos(x2)",
}
OPTIMIZERS = {"sgd": ("SGD", {}), "momentum": ("SGD", {"momentum": 0.9}),
              "rmsprop": ("RMSprop", {}), "adam": ("Adam", {})}
DEFAULT_EPOCHS = 100


def _output(session: Session):
    if session.state["problem"] == "regression":
        return "linear", "mse", ["mae"]
    if session.outputs > 1:
        return "softmax", "sparse_categorical_crossentropy", ["accuracy"]
    return "sigmoid", "binary_crossentropy", ["accuracy"]


def _epochs(session: Session) -> int:
    return session.epoch or DEFAULT_EPOCHS


def layers_spec(session: Session) -> list:
    """The network as ``[class_name, kwargs]`` pairs, Keras' names and arguments (the
    input size follows from the data)."""
    s = session.state
    reg = None
    if s["regularization"] != "none" and s["reg_rate"] > 0:
        kind = s["regularization"]
        reg = {"class_name": kind.upper(), "config": {kind: s["reg_rate"]}}
    spec = []
    for units, act in zip(s["layers"], s["activations"]):
        kwargs = {"units": units, "activation": act}
        if reg:
            kwargs["kernel_regularizer"] = reg
        spec.append(["Dense", kwargs])
        if s["dropout"] > 0:
            spec.append(["Dropout", {"rate": s["dropout"]}])
    out = {"units": session.outputs, "activation": _output(session)[0]}
    if reg:
        out["kernel_regularizer"] = reg
    spec.append(["Dense", out])
    return spec


def optimizer_spec(session: Session) -> dict:
    name, extra = OPTIMIZERS[session.state["optimizer"]]
    return {"class_name": name,
            "config": {"learning_rate": session.state["learning_rate"], **extra}}


def dataset_spec(session: Session) -> dict:
    """The data as ``redes.data.playground_sets.load`` makes it again (registered for
    recipes as the dataset ``"playground"``)."""
    s = session.state
    kwargs = {"features": s["features"]}
    if s["dataset"] == "custom":
        kwargs["train"] = _rows(session.x_train, session.y_train)
        kwargs["test"] = _rows(session.x_test, session.y_test)
    else:
        kwargs.update(dataset=s["dataset"], n_samples=s["points"], noise=s["noise"] / 100,
                      seed=s["seed"], train_ratio=s["train_ratio"])
    return {"name": "playground", "kwargs": kwargs}


def _task(session: Session) -> dict:
    if session.state["problem"] == "regression":
        return {"type": "regression"}
    kind = "multiclass" if session.classes > 2 else "binary"
    return {"type": kind, "classes": [str(k) for k in range(session.classes)]}


def _expected(session: Session) -> dict:
    """What the session reached, with some slack: another run draws other batches."""
    if not session.epoch:
        return {}
    measures = session.losses()
    if session.classes:
        return {"test_accuracy": {"min": round(0.9 * measures["test_accuracy"], 2)}}
    if measures["test_loss"] is None:
        return {}
    return {"test_loss": {"max": round(2 * measures["test_loss"] + 0.005, 4)}}


def recipe(session: Session) -> dict:
    """A ``redes train`` recipe (JSON data, the fields of ``redes.recipes.spec``) for the
    session's network and dataset."""
    s = session.state
    _, loss, metrics = _output(session)
    features = ", ".join(s["features"])
    return {
        "name": f"playground_{s['dataset']}",
        "title": f"Playground: {s['dataset']} ({s['problem']})",
        "lesson": (f"A network built in the redes playground on the {s['dataset']} points, "
                   f"with the input features {features}."),
        "dataset": dataset_spec(session),
        "preprocessing": [],
        "task": _task(session),
        "model": {"layers": layers_spec(session), "optimizer": optimizer_spec(session),
                  "loss": loss, "metrics": metrics},
        "fit": {"epochs": _epochs(session), "batch_size": s["batch_size"]},
        "evaluation": "holdout",
        "expected": _expected(session),
        "plots": ["decision_boundary", "learning_curves"],
    }


def _rows(x, y) -> list:
    return [[round(float(a), 4), round(float(b), 4), round(float(c), 4)]
            for (a, b), c in zip(x, y)]


def _array_code(rows: list, per_line: int = 4) -> str:
    """Rows as a Python list literal, a few rows per line."""
    lines = [",".join(json.dumps(r, separators=(",", ":")) for r in rows[i:i + per_line])
             for i in range(0, len(rows), per_line)]
    return "[\n    " + ",\n    ".join(lines) + ",\n]"


def _kwargs_code(kwargs: dict) -> str:
    parts = []
    for key, value in kwargs.items():
        if isinstance(value, dict):          # a regularizer
            arg = next(iter(value["config"]))
            value = f"regularizers.{value['class_name']}({arg}={value['config'][arg]!r})"
        else:
            value = repr(value)
        parts.append(value if key == "units" else f"{key}={value}")
    return ", ".join(parts)


def keras_script(session: Session) -> str:
    """A runnable Python program that trains the same network with Keras."""
    s = session.state
    _, loss, metrics = _output(session)
    opt = optimizer_spec(session)
    opt_args = ", ".join(f"{k}={v!r}" for k, v in opt["config"].items())
    lines = [f"    keras.Input(shape=({len(s['features'])},)),"]
    lines += [f"    layers.{name}({_kwargs_code(kwargs)}),"
              for name, kwargs in layers_spec(session)]
    feature_code = ", ".join(FEATURE_CODE[f] for f in s["features"])
    data_note = (f"{s['dataset']}, {s['points']} points, noise {s['noise']} %, seed {s['seed']}"
                 if s["dataset"] != "custom" else "uploaded CSV")
    keras_imports = "layers, regularizers" if "regularizers." in "".join(lines) else "layers"
    train = _array_code(_rows(session.x_train, session.y_train))
    test = _array_code(_rows(session.x_test, session.y_test))
    return f'''"""A network from the redes playground, trained with Keras.

Dataset: {data_note} ({s["problem"]}).
To run it on the redes NumPy engine instead, write: import redes.nn as keras
"""

import numpy as np

import keras
from keras import {keras_imports}

keras.utils.set_random_seed({s["seed"]})

# The playground's points, one row each: x1, x2, label (or target).
train = np.array({train}, dtype="float32")
test = np.array({test}, dtype="float32")


def features(points):
    """The input features chosen in the playground."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([{feature_code}], axis=1).astype("float32")


x_train, y_train = features(train), train[:, 2]
x_test, y_test = features(test), test[:, 2]

model = keras.Sequential([
{chr(10).join(lines)}
])
model.compile(
    optimizer=keras.optimizers.{opt["class_name"]}({opt_args}),
    loss={loss!r},
    metrics={metrics!r},
)
history = model.fit(x_train, y_train, epochs={_epochs(session)}, batch_size={s["batch_size"]},
                    validation_data=(x_test, y_test), verbose=2)
print("test:", model.evaluate(x_test, y_test, verbose=0, return_dict=True))
'''
