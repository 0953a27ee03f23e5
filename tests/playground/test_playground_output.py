"""The output panel and the data drawn by hand, in a real browser (headless Chromium).

One test walks through classification (stop at an epoch, the curve's axes and hover, loss or
accuracy, the confusion matrix, the exports checked by running and loading them), another
through regression (R², the divergence line) and drawing points by hand. Screenshots go to
tests/playground/artifacts/.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
from pages import header, shot, state

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need playwright (pip install playwright)")


def set_field(page, selector, value):
    page.fill(selector, str(value))
    page.dispatch_event(selector, "change")


def run_keras_script(code: str) -> str:
    """Run an exported script on redes' NumPy engine (its training turned off) and return
    what it printed."""
    code = code.replace("import keras\nfrom keras import", "import redes.nn as keras\n"
                        "from redes.nn import")
    code = re.sub(r"^EPOCHS = \d+", "EPOCHS = 0", code, flags=re.M)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "exported.py", "exec"), {"__name__": "__main__"})
    return out.getvalue()


def test_classification_output_stop_curve_confusion_and_exports(page):
    from redes.data import playground_sets as datasets
    from redes.nn import load_model
    from redes.playground import scores

    # a seed of 10 digits fits its field, whole
    set_field(page, "#seed", 2147483647)
    page.wait_for_function("window.playground.state.seed === 2147483647")
    assert page.evaluate("(e => e.scrollWidth <= e.clientWidth)(document.getElementById('seed'))")
    assert page.input_value("#seed") == "2147483647"

    # stop at epoch 7: the session pauses itself there exactly
    set_field(page, "#stop_epoch", 7)
    page.wait_for_function("window.playground.state.stop_epoch === 7")
    assert "stop_epoch=7" in page.evaluate("location.hash")
    page.click("#play")
    page.wait_for_function("window.playground.header.epoch > 0")
    page.wait_for_function("window.playground.header.playing === false", timeout=20_000)
    h = header(page)
    assert h["epoch"] == 7 and page.locator("#epoch").inner_text() == "000007"
    page.wait_for_timeout(200)
    assert header(page)["epoch"] == 7

    # the curve: one row per epoch, axes with 3 to 6 ticks, the values under the pointer
    curve = page.evaluate("window.playground.curve")
    assert [row[0] for row in curve][-1] == 7 and len(curve) >= 2
    assert curve[-1][2] == pytest.approx(h["test_loss"]) and curve[-1][4] == h["test_accuracy"]
    ticks = page.evaluate("window.playgroundOutput.ticks")
    assert 3 <= len(ticks["y"]) <= 6 and float(ticks["y"][0]) == 0
    assert 2 <= len(ticks["x"]) <= 8 and ticks["x"][-1] <= 7
    box = page.locator("#curve").bounding_box()
    assert 120 <= box["height"] <= 160
    dpr_width = page.evaluate("document.getElementById('curve').width")
    assert dpr_width == round(box["width"] * page.evaluate("devicePixelRatio"))
    page.mouse.move(box["x"] + box["width"] - 9, box["y"] + box["height"] / 2)  # the right end
    page.wait_for_selector("#curve-tip:not([hidden])")
    row = curve[page.evaluate("window.playgroundOutput.hover")]
    assert row[0] == 7
    tip = page.locator("#curve-tip").inner_text()
    assert tip.startswith("Época 7") and f"{row[2]:.3f}" in tip and f"{row[1]:.3f}" in tip
    page.select_option("#curve_metric", "accuracy")
    page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] / 2)
    assert page.evaluate("window.playgroundOutput.ticks.y").pop() == "100%"
    assert f"{row[4] * 100:.1f} %" in page.locator("#curve-tip").inner_text()
    page.mouse.move(0, 0)
    page.wait_for_selector("#curve-tip", state="hidden")

    # the confusion matrix of the test points: the server's, and it agrees with the accuracy
    data = page.evaluate("window.playground.data")
    cells = page.locator("#confusion td").all_inner_texts()
    matrix = np.array([int(c) for c in cells]).reshape(2, 2)
    assert matrix.tolist() == h["confusion"] and matrix.sum() == len(data["test"])
    assert np.trace(matrix) / matrix.sum() == pytest.approx(h["test_accuracy"])
    assert matrix.sum(axis=1).tolist() == np.bincount([int(r[2]) for r in data["test"]],
                                                      minlength=2).tolist()
    shot(page, "output_classification.png")

    # exports: the Keras script evaluates to the page's test loss before training, the
    # model file predicts the confusion matrix, the CSV loads back; names in the language
    page.click("#export")
    page.wait_for_selector("#export-dialog[open]")
    printed = run_keras_script(page.locator("#keras-code").input_value())
    # the script's comments and printed labels are in the page's language (Spanish here)
    before = re.search(r"antes de entrenar: \{.*'loss': ([0-9.e-]+)", printed)
    assert float(before.group(1)) == pytest.approx(h["test_loss"], abs=1e-5)
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "puntos_playground.csv"
    text = Path(download.value.path()).read_text()
    rows = np.array([[float(v) for v in line.split(",")] for line in text.splitlines()[1:]])
    assert len(rows) == len(data["train"]) + len(data["test"])
    assert np.allclose(rows[-len(data["test"]):], data["test"], atol=6e-4)
    x, y, classes = datasets.parse_csv(text, "classification")
    assert len(y) == len(rows) and classes == 2
    with page.expect_download() as download:
        page.click("#download-model")
    assert download.value.suggested_filename == "red_playground.keras"
    model = load_model(download.value.path())
    test = rows[-len(data["test"]):]
    predicted = scores.predicted_classes(model.predict(test[:, :2].astype(np.float32),
                                                       verbose=0))
    assert scores.confusion_matrix(test[:, 2], predicted, 2) == h["confusion"]
    page.click("#export-dialog form button")
    page.select_option("#lang", "en")
    page.wait_for_function("window.playground.lang === 'en'")
    page.click("#export")
    page.wait_for_selector("#export-dialog[open]")
    names = []
    for button in ("#download-keras", "#download-recipe", "#download-model", "#download-csv"):
        with page.expect_download() as download:
            page.click(button)
        names.append(download.value.suggested_filename)
    assert names == ["playground_network.py", "playground_recipe.json",
                     "playground_network.keras", "playground_points.csv"]
    assert page.problems == []


def test_regression_r2_divergence_and_points_drawn_by_hand(page):
    page.select_option("#problem", "regression")
    page.wait_for_function("window.playground.state.problem === 'regression'")
    page.wait_for_function("window.playground.header && 'r2_test' in window.playground.header")
    page.click("#step")
    page.wait_for_function("window.playground.header.epoch === 1")
    h = header(page)
    assert f"{h['r2_test']:.3f}" in page.locator("#r2").inner_text()
    assert page.locator("#curve_metric").is_hidden() and page.locator("#confusion").count() == 0

    # a learning rate far too large: the loss diverges and one line says what to do
    page.select_option("#learning_rate", "10")
    page.select_option("#activation", "relu")
    page.wait_for_function("window.playground.state.activations[0] === 'relu'")
    page.click("#step")
    page.wait_for_function("window.playground.header.diverged === true")
    line = page.locator("#diverged")
    assert line.is_visible() and "(10)" in line.inner_text() and "tasa de aprendizaje" in \
        line.inner_text()
    shot(page, "output_diverged.png")
    page.select_option("#learning_rate", "0.03")
    page.click("#reset")
    page.wait_for_function("window.playground.header.diverged === false")
    assert line.is_hidden()

    # draw: three points of chosen values where the clicks land
    shown = page.evaluate("window.playground.data")
    before = len(shown["train"]) + len(shown["test"])
    page.click("#draw")
    assert page.get_attribute("#draw", "aria-pressed") == "true"
    surface = page.locator("#surface")
    box = surface.bounding_box()
    page.fill("#draw-target", "-1")
    page.dispatch_event("#draw-target", "input")
    for i, (fx, fy) in enumerate([(0.25, 0.25), (0.75, 0.25), (0.5, 0.75)]):
        surface.click(position={"x": fx * box["width"], "y": fy * box["height"]})
        page.wait_for_function(
            f"window.playground.data.train.length + window.playground.data.test.length === "
            f"{before + i + 1}")
    data = page.evaluate("window.playground.data")
    assert state(page)["dataset"] == "custom"
    old = {tuple(r) for r in shown["train"] + shown["test"]}
    added = sorted(r for r in data["train"] + data["test"] if tuple(r) not in old)
    assert np.allclose(added, [[-3, 3, -1], [0, -3, -1], [3, 3, -1]], atol=0.05)

    # a blank canvas: training waits for points of 2 classes (classification)
    page.select_option("#problem", "classification")
    page.wait_for_function("window.playground.state.problem === 'classification'")
    page.click("#clear-points")
    page.wait_for_function("window.playground.data.train.length === 0")
    page.click("#play")
    page.wait_for_function("window.playground.errors.length > 0")
    assert "puntos de entrenamiento" in page.evaluate("window.playground.errors").pop()
    assert page.locator(".draw-class").count() == 3          # 2 classes and a new one
    for label, (fx, fy) in [(0, (0.2, 0.2)), (0, (0.3, 0.2)), (1, (0.8, 0.8)), (1, (0.7, 0.8))]:
        page.click(f".draw-class[data-label='{label}']")
        surface.click(position={"x": fx * box["width"], "y": fy * box["height"]})
    page.wait_for_function("window.playground.data.train.length === 2 && "
                           "window.playground.data.test.length === 2")
    data = page.evaluate("window.playground.data")
    assert sorted(r[2] for r in data["train"]) == [0, 1]
    assert data["test"] and sorted(r[2] for r in data["test"]) == [0, 1]
    page.click("#step")
    page.wait_for_function("window.playground.header.epoch === 1")
    shot(page, "output_drawn.png")
    assert page.problems == []
