"""The HTML report: one self-contained file, every figure embedded, every text escaped."""

import base64
import re

import numpy as np
import pytest

from redes.report import figures, write_report
from redes.report.html import render
from redes.runs import Run

HOSTILE = "<script>alert('x')</script>"


def _fake_training(root, engine, title=HOSTILE, epochs=4, test=None):
    config = {"title": title, "task": "multiclass", "description": "<img src=x onerror=1>"}
    run = Run.create("digits", engine, config, root=root)
    run.set_epochs(epochs)
    for e in range(epochs):
        run.log_epoch(e, {"loss": 1 / (e + 1), "accuracy": 0.5 + 0.1 * e,
                          "val_loss": 1.2 / (e + 1), "val_accuracy": 0.45 + 0.1 * e})
    if test is not None:
        run.finish(test)
    return run


def _images(text):
    return re.findall(r"<img src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)


def test_report_embeds_every_figure_and_escapes_text(tmp_path):
    numpy_run = _fake_training(tmp_path, "numpy", test={"loss": 0.31, "accuracy": 0.912})
    labels = np.arange(30) % 3
    figures.write_run_figures(numpy_run, y_true=labels, y_pred=np.eye(3)[labels],
                              class_names=["a", "b", "<c>"])
    keras_run = _fake_training(tmp_path, "keras")                 # no plots, not finished
    boston = Run.create("boston", "numpy", {"title": "Boston"}, root=tmp_path)
    boston.fail(RuntimeError("loss is nan </p><b>"))

    path = write_report([numpy_run, str(keras_run.path), boston.path], tmp_path / "out" /
                        "report.html", title=f"Runs {HOSTILE}")
    text = path.read_text(encoding="utf-8")
    # numpy run: its 2 plots; keras run: learning curves drawn from history; 1 comparison
    images = _images(text)
    assert len(images) == 4 == text.count("<img")
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")

    assert "<script" not in text and "<img src=x" not in text and "</p><b>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "Runs &lt;script&gt;" in text
    assert "loss is nan &lt;/p&gt;&lt;b&gt;" in text
    for external in ("http://", "https://", "<link", "@import", "url("):
        assert external not in text

    assert "test accuracy 91.20%" in text and "test loss 0.31" in text
    assert "last val accuracy 75.00%" in text                     # unfinished keras run
    assert text.count("<section") == 2
    assert "4/4" in text and "running" in text and "failed" in text
    assert not list(path.parent.glob(".tmp-*"))


def test_render_without_history_or_figures(tmp_path):
    run = Run.create("empty", "numpy", {}, root=tmp_path)
    text = render([run], "Nothing yet")
    assert _images(text) == [] and "<h1>Nothing yet</h1>" in text


@pytest.mark.parametrize("runs, message", [
    ([], "runs: expected at least one run"),
    ("runs/digits", "runs: expected a list of runs"),
    ([42], r"runs\[0\]: expected a Run or a run folder, got 42"),
])
def test_write_report_rejects_bad_runs(tmp_path, runs, message):
    with pytest.raises(ValueError, match=message):
        write_report(runs, tmp_path / "r.html")


def test_write_report_rejects_bad_path_and_title(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    with pytest.raises(ValueError, match="path: expected an .html file path"):
        write_report([run], None)
    with pytest.raises(ValueError, match="title: expected a string"):
        write_report([run], tmp_path / "r.html", title=3)
