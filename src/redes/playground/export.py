"""Take a playground network elsewhere: as a Keras script, a ``redes train`` recipe, a
model file, or its points as CSV (``message`` gathers them for the page's export dialog).

The Keras script is a complete program: it holds the session's points (train and test,
exactly: float32 values written in full), computes the chosen input features, builds the
same layers with the same optimizer, regularization and dropout, sets the weights the
playground trained, evaluates them (so the script prints the page's test loss; Keras adds
the regularization penalty to its loss, the page does not) and then, if ``EPOCHS`` is not
0, trains further with ``model.fit``. Changing its ``import keras`` line to
``import redes.nn as keras`` runs it on the NumPy engine.

The model file is what ``model.save`` of ``redes.nn`` writes (``redes.nn.load_model`` reads
it back and predicts what the page shows); the CSV holds ``x1,x2,label``, the training
points then the test points, and loads back through the page's CSV upload (which scales the
points to fill [-5, 5]).

The recipe is the same network as data, in the fields of ``redes.recipes.spec``: the
layers as ``[class_name, kwargs]``, the optimizer, loss and metrics (``model``), epochs and
batch size (``fit``) and the dataset spec (``redes.data.playground_sets.load``'s arguments).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile

import numpy as np

from ..i18n import _
from .session import Session, make_optimizer

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
    _activation, loss, metrics = _output(session)
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


def _script_words(s: dict) -> dict:
    """The Keras script's comments and printed labels, in the page's language."""
    if s["dataset"] == "custom":
        data_note = _("points of your own (CSV or drawn)")
    else:
        data_note = _("{dataset}, {points} points, noise {noise} %, seed {seed}").format(
            dataset=s["dataset"], points=s["points"], noise=s["noise"], seed=s["seed"])
    return {
        "title": _("A network from the redes playground, trained with Keras."),
        "dataset": _("Dataset: {note} ({problem}).").format(note=data_note,
                                                           problem=s["problem"]),
        "engine": _("To run it on the redes NumPy engine instead, write: "
                    "import redes.nn as keras"),
        "points": _("The playground's points, one row each: x1, x2, label (or target)."),
        "features": _("The input features chosen in the playground."),
        "before": _("before training:"),
        "epochs": _("more training from these weights; 0: none"),
        "test": _("test:"),
    }


def keras_script(session: Session) -> str:
    """A runnable Python program that trains the same network with Keras."""
    s = session.state
    _activation, loss, metrics = _output(session)
    opt = optimizer_spec(session)
    opt_args = ", ".join(f"{k}={v!r}" for k, v in opt["config"].items())
    lines = [f"    keras.Input(shape=({len(s['features'])},)),"]
    lines += [f"    layers.{name}({_kwargs_code(kwargs)}),"
              for name, kwargs in layers_spec(session)]
    feature_code = ", ".join(FEATURE_CODE[f] for f in s["features"])
    keras_imports = "layers, regularizers" if "regularizers." in "".join(lines) else "layers"
    train = _array_code(_exact_rows(session.x_train, session.y_train))
    test = _array_code(_exact_rows(session.x_test, session.y_test))
    words = _script_words(s)
    return f'''"""{words["title"]}

{words["dataset"]}
{words["engine"]}
"""

import numpy as np

import keras
from keras import {keras_imports}

keras.utils.set_random_seed({s["seed"]})

# {words["points"]}
train = np.array({train}, dtype="float32")
test = np.array({test}, dtype="float32")


def features(points):
    """{words["features"]}"""
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
{_weights_code(session)}
print({words["before"]!r}, model.evaluate(x_test, y_test, verbose=0, return_dict=True))

EPOCHS = {_epochs(session)}   # {words["epochs"]}
if EPOCHS:
    history = model.fit(x_train, y_train, epochs=EPOCHS, batch_size={s["batch_size"]},
                        validation_data=(x_test, y_test), verbose=2)
    print({words["test"]!r}, model.evaluate(x_test, y_test, verbose=0, return_dict=True))
'''


def _number(v) -> str:
    """A float32 (or an integer label) written in full: the shortest text that reads back
    as the same float32."""
    return str(np.float32(v)) if isinstance(v, (float, np.floating)) else str(int(v))


def _literal(a: np.ndarray) -> str:
    """An array as a Python list literal, every float32 value exact."""
    if a.ndim == 1:
        return "[" + ", ".join(_number(v) for v in a.tolist()) + "]"
    return "[" + ", ".join(_literal(row) for row in a) + "]"


def _exact_rows(x, y) -> list:
    return [[float(np.float32(a)), float(np.float32(b)),
             int(c) if isinstance(c, (int, np.integer)) else float(np.float32(c))]
            for (a, b), c in zip(x.tolist(), y.tolist())]


def _weights(session: Session) -> list[np.ndarray]:
    """Every Dense layer's kernel and bias, in ``model.get_weights()``'s order."""
    return [np.asarray(w, dtype=np.float32) for w in session.weights]


def _weights_code(session: Session) -> str:
    weights = _weights(session)
    if not all(np.all(np.isfinite(w)) for w in weights):
        return "# " + _("The playground's weights hold NaN or inf (training diverged): the "
                        "model keeps its random initial weights. Lower the learning rate and "
                        "try again.")
    names = [_("kernel of layer {n}, shape {shape}"), _("bias of layer {n}, shape {shape}")]
    arrays = [f"    np.array({_literal(w)}, dtype=\"float32\"),  # "
              + names[i % 2].format(n=i // 2 + 1, shape=tuple(w.shape))
              for i, w in enumerate(weights)]
    note = _("The weights the playground trained (epoch {epoch}): without this line the "
             "network starts from random weights.").format(epoch=session.epoch)
    return "# " + note + "\nmodel.set_weights([\n" + "\n".join(arrays) + "\n])"


def points_csv(session: Session) -> str:
    """The points as CSV, ``x1,x2,label``: the training points, then the test points."""
    x = np.concatenate([session.x_train, session.x_test])
    y = np.concatenate([session.y_train, session.y_test])
    lines = ["x1,x2,label"] + [",".join(_number(v) for v in row)
                               for row in _exact_rows(x, y)]
    return "\n".join(lines) + "\n"


def model_file(session: Session) -> bytes:
    """The network as a ``redes.nn`` model file (``model.save``): the same layers, the
    trained weights, and the optimizer, loss and metrics compiled in. Raises
    ``ValueError`` when the weights are not finite (training diverged)."""
    from redes.nn import Input, Sequential, layers, regularizers

    model = Sequential([Input(shape=(len(session.state["features"]),))])
    for name, kwargs in layers_spec(session):
        kwargs = dict(kwargs)
        reg = kwargs.pop("kernel_regularizer", None)
        if reg:
            kwargs["kernel_regularizer"] = getattr(regularizers, reg["class_name"])(
                **reg["config"])
        model.add(getattr(layers, name)(**kwargs))
    model.set_weights(_weights(session))
    _activation, loss, metrics = _output(session)
    model.compile(optimizer=make_optimizer(session.state["optimizer"],
                                           session.state["learning_rate"]),
                  loss=loss, metrics=metrics)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path, include_optimizer=False)
        with open(path, "rb") as f:
            return f.read()


def message(session: Session) -> dict:
    """The ``export`` message: the Keras script, the recipe, the points as CSV and the
    model file (base64; ``None``, with ``model_error`` saying why, when it cannot be
    written)."""
    try:
        model, error = base64.b64encode(model_file(session)).decode("ascii"), None
    except ValueError as exc:
        model, error = None, str(exc)
    return {"type": "export", "keras": keras_script(session), "recipe": recipe(session),
            "csv": points_csv(session), "model": model, "model_error": error}
