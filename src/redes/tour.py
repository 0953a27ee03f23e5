"""``redes tour``: the course's offline problems trained on both engines, side by side.

Each problem is trained by the NumPy engine and by Keras from the same initial weights
(copied from one engine to the other), so the two columns of results can be compared.
"""

from __future__ import annotations

import time

import numpy as np

from .engines import build_model

PROBLEMS = {
    "gaussian_quantiles": {
        "title": "2D: gaussian quantiles (the from-scratch chapter)",
        "layers": [("Dense", {"units": 16, "activation": "relu"}),
                   ("Dense", {"units": 8, "activation": "relu"}),
                   ("Dense", {"units": 1, "activation": "sigmoid"})],
        "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}},
        "loss": "binary_crossentropy",
        "epochs": 60,
        "batch_size": 32,
    },
    "digits": {
        "title": "Digits 8x8: the first network (Dense 512 relu, Dense 10 softmax)",
        "layers": [("Dense", {"units": 512, "activation": "relu"}),
                   ("Dense", {"units": 10, "activation": "softmax"})],
        "optimizer": "rmsprop",
        "loss": "sparse_categorical_crossentropy",
        "epochs": 20,
        "batch_size": 128,
    },
}


def load(name: str, seed: int = 0):
    """(x_train, y_train), (x_test, y_test) of an offline problem, as float32 arrays."""
    from sklearn.model_selection import train_test_split

    if name == "gaussian_quantiles":
        from sklearn.datasets import make_gaussian_quantiles

        x, y = make_gaussian_quantiles(n_samples=1000, n_features=2, n_classes=2,
                                       random_state=seed)
    elif name == "digits":
        from sklearn.datasets import load_digits

        x, y = load_digits(return_X_y=True)
        x = x / 16.0
    else:
        raise ValueError(f"problem: unknown {name!r}; expected one of {', '.join(PROBLEMS)}")
    x_tr, x_te, y_tr, y_te = train_test_split(
        x.astype(np.float32), y, test_size=0.25, random_state=seed, stratify=y
    )
    return (x_tr, y_tr), (x_te, y_te)


def train(name: str, engine: str, epochs: int | None = None, seed: int = 0,
          initial_weights=None):
    """Train one problem on one engine, from ``initial_weights`` when given.

    Returns (model, test accuracy, seconds, the weights training started from).
    """
    spec = PROBLEMS[name]
    (x_tr, y_tr), (x_te, y_te) = load(name, seed)
    model = build_model(engine, x_tr.shape[1:], spec["layers"], spec["optimizer"], spec["loss"],
                        ["accuracy"], seed=seed)
    if initial_weights is not None:
        model.set_weights(initial_weights)
    start_weights = model.get_weights()
    start = time.perf_counter()
    model.fit(x_tr, y_tr, epochs=epochs or spec["epochs"], batch_size=spec["batch_size"],
              verbose=0)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(x_te, y_te, verbose=0)
    return model, float(accuracy), seconds, start_weights


def run_tour(engines, epochs=None, seed=0) -> dict:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    results = {}
    for name, spec in PROBLEMS.items():
        console.print(f"[bold]{spec['title']}[/bold]")
        start_weights = None
        for engine in engines:
            with console.status(f"  training on {engine}..."):
                _, acc, secs, start_weights = train(name, engine, epochs, seed, start_weights)
            results[(name, engine)] = (acc, secs)
            console.print(f"  {engine:6s} test accuracy {acc:.2%} in {secs:.1f}s")
    table = Table(title="redes tour: test accuracy (same recipe, same seed)")
    table.add_column("problem")
    for engine in engines:
        table.add_column(engine, justify="right")
    for name in PROBLEMS:
        table.add_row(name, *(f"{results[(name, e)][0]:.2%} ({results[(name, e)][1]:.1f}s)"
                              for e in engines))
    console.print(table)
    return results
