"""Draw the figures of the guides (docs/guide/img/*.png) with redes itself.

Every figure comes from redes' own code: the recipes trained by ``train_recipe``, drawn by
``redes.report.figures``, and a screenshot of the playground taken in headless Chromium.
Run it from anywhere::

    python docs/guide/make_figures.py              # every figure
    python docs/guide/make_figures.py datos motor  # only the figures whose name starts so

The NumPy-versus-Keras figure needs Keras (``pip install 'redes[keras]'``), and the
playground screenshot needs the ``web`` extra, Playwright and Chromium
(``/usr/bin/chromium``); without them those figures are skipped with a message.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from pathlib import Path

import numpy as np

from redes import data, recipes
from redes.engines.training import prepare_data, train_recipe
from redes.report import figures

IMG = Path(__file__).resolve().parent / "img"
CHROMIUM = "/usr/bin/chromium"


def _have(*modules) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


def motor_curvas():
    """The first network of the course (README's tour) on the digits, NumPy engine."""
    import redes.nn as keras

    (x_train, y_train), _ = data.digits()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(512, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x_train / 16.0, y_train, epochs=30, batch_size=32,
                        validation_split=0.2, verbose=0)
    return figures.learning_curves(history, title="Digits: Dense 512 + softmax (redes.nn)",
                                   path=IMG / "motor_curvas.png")


def motor_numpy_keras():
    """The digits recipe on both engines from the same initial weights."""
    if not _have("keras", "tensorflow"):
        print("motor_numpy_keras: skipped, Keras is not installed")
        return None
    recipe = recipes.apply_overrides(recipes.get("digits"), {"fit.validation_split": 0.2})
    ours = train_recipe(recipe, "numpy")
    theirs = train_recipe(recipe, "keras", initial_weights=ours.initial_weights)
    return figures.compare({"redes.nn (NumPy)": ours.history, "Keras (TensorFlow)":
                            theirs.history}, metric="val_accuracy",
                           title="Digits recipe, same initial weights: NumPy vs Keras",
                           path=IMG / "motor_numpy_keras.png")


def recetas_frontera():
    """The decision boundary of the gaussian_quantiles recipe."""
    recipe = recipes.get("gaussian_quantiles")
    result = train_recipe(recipe, "numpy")
    prepared = prepare_data(recipe)
    pre = prepared["preprocessor"]
    x, y = prepared["raw"]["x_test"], prepared["raw"]["y_test"]
    accuracy = result.test["accuracy"]
    return figures.decision_boundary(
        lambda points: result.model.predict(pre.transform(points)[0], verbose=0), x, y,
        class_names=["disc", "ring"], title=f"gaussian_quantiles: test points "
                                             f"(accuracy {accuracy:.1%})",
        path=IMG / "recetas_frontera.png")


def recetas_boston():
    """The boston recipe: 4-fold validation, then predictions on the test set."""
    recipe = recipes.get("boston")
    result = train_recipe(recipe, "numpy")
    prepared = prepare_data(recipe)
    predictions = result.model.predict(prepared["x_test"], verbose=0)
    return figures.regression(prepared["y_test"], predictions, unit="k$",
                              title="Boston housing recipe: test set",
                              path=IMG / "recetas_boston.png")


def datos_2d():
    """The 2D toy problems of redes.data."""
    from redes.report._style import MARKERS, PALETTE, new_figure, style

    sets = {"gaussian_quantiles": data.gaussian_quantiles(500), "circles": data.circles(),
            "moons": data.moons(), "xor": data.xor(), "two_gaussians": data.two_gaussians(),
            "spiral": data.spiral()}
    with style():
        fig, axes = new_figure(13.5, 8.4, 2, 3)
        for ax, (name, (x, y)) in zip(axes.flat, sets.items()):
            for c in np.unique(y):
                ax.scatter(*x[y == c].T, s=12, color=PALETTE[c], marker=MARKERS[c],
                           edgecolors="black", linewidths=0.3, label=f"class {c}")
            ax.set_title(f"data.{name}()")
            ax.set_aspect("equal", adjustable="datalim")
        axes[0, 0].legend(loc="upper right", frameon=True)
        fig.suptitle("2D toy problems (redes.data)")
    return figures.save_figure(fig, IMG / "datos_2d.png")


def resultados_confusion():
    """The confusion matrix of the digits recipe on its test set."""
    recipe = recipes.get("digits")
    result = train_recipe(recipe, "numpy")
    prepared = prepare_data(recipe)
    output = result.model.predict(prepared["x_test"], verbose=0)
    return figures.confusion_matrix(prepared["y_test"], output,
                                    title="Digits recipe: confusion matrix (test set)",
                                    path=IMG / "resultados_confusion.png")


def resultados_comparar():
    """The overfitting study on the breast cancer set: validation loss of four models."""
    base = recipes.apply_overrides(recipes.get("breast_cancer"), {
        "fit.epochs": 150, "model.layers": [["Dense", {"units": 64, "activation": "relu"}],
                                            ["Dense", {"units": 64, "activation": "relu"}],
                                            ["Dense", {"units": 1, "activation": "sigmoid"}]]})
    dense = ["Dense", {"units": 64, "activation": "relu"}]
    variants = {
        "Dense 64-64-1": base,
        "+ dropout 0.5": recipes.apply_overrides(base, {"model.layers": [
            dense, ["Dropout", {"rate": 0.5}], dense, ["Dropout", {"rate": 0.5}],
            ["Dense", {"units": 1, "activation": "sigmoid"}]]}),
        "+ L2 0.001": recipes.apply_overrides(base, {"model.layers": [
            ["Dense", {"units": 64, "activation": "relu", "kernel_regularizer":
                       {"class_name": "L2", "config": {"l2": 0.001}}}]] * 2
            + [["Dense", {"units": 1, "activation": "sigmoid"}]]}),
        "Dense 8-8-1": recipes.apply_overrides(base, {"model.layers": [
            ["Dense", {"units": 8, "activation": "relu"}]] * 2
            + [["Dense", {"units": 1, "activation": "sigmoid"}]]}),
    }
    histories = {name: train_recipe(recipe, "numpy").history
                 for name, recipe in variants.items()}
    return figures.compare(histories, metric="val_loss",
                           title="Breast cancer: validation loss against overfitting",
                           path=IMG / "resultados_comparar.png")


def playground():
    """A screenshot of the playground after its spiral preset has learned."""
    if not (_have("playwright", "uvicorn", "fastapi") and Path(CHROMIUM).exists()):
        print("playground: skipped, needs the web extra, Playwright and " + CHROMIUM)
        return None
    import uvicorn
    from playwright.sync_api import sync_playwright

    from redes.playground.server import MAX_MESSAGE_BYTES, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="error",
                                           ws_max_size=MAX_MESSAGE_BYTES + 1024))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the playground server did not start")
        time.sleep(0.05)
    path = IMG / "playground.png"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu"])
            # bypass_csp lets Playwright evaluate its waits under the page's CSP
            page = browser.new_page(viewport={"width": 1366, "height": 660}, bypass_csp=True)
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else route.abort())
            page.goto(f"http://127.0.0.1:{port}/#lang=es")
            page.wait_for_function("window.playground && window.playground.frames > 0")
            page.click("button.dataset[data-name=spiral]")
            page.wait_for_function("window.playground.state.dataset === 'spiral'")
            page.select_option("#preset", "spiral")
            page.wait_for_function("window.playground.state.layers.join() === '8,8,6'")
            page.click("#play")
            page.wait_for_function("window.playground.header.test_loss !== null && "
                                   "window.playground.header.test_loss < 0.1", timeout=120_000)
            page.click("#play")
            page.wait_for_function("window.playground.header.playing === false")
            page.screenshot(path=str(path))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    return path


FIGURES = [motor_curvas, motor_numpy_keras, recetas_frontera, recetas_boston, datos_2d,
           resultados_confusion, resultados_comparar, playground]


def main(prefixes) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    for make in FIGURES:
        if prefixes and not any(make.__name__.startswith(p) for p in prefixes):
            continue
        start = time.perf_counter()
        path = make()
        if path is not None:
            print(f"{time.perf_counter() - start:6.1f} s  {Path(path).relative_to(IMG.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
