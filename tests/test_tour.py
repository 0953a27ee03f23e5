"""The tour (the README's main job) and the engines' agreement on the course's problems."""

import os
import shutil
from pathlib import Path

import pytest

from redes import recipes
from redes.engines.training import train_recipe

pytest.importorskip("keras")
CHROMIUM = "/usr/bin/chromium"


@pytest.mark.parametrize("name", ["gaussian_quantiles", "digits"])
def test_numpy_engine_matches_keras_accuracy(name):
    """Same recipe, same initial weights: the same test accuracy within 1 point."""
    recipe = recipes.get(name)
    ours = train_recipe(recipe, "numpy", seed=0)
    theirs = train_recipe(recipe, "keras", seed=0, initial_weights=ours.initial_weights)
    a, b = ours.test["accuracy"], theirs.test["accuracy"]
    print(f"{name}: numpy {a:.4f} keras {b:.4f}")
    assert a >= 0.95 and b >= 0.95
    assert abs(a - b) <= 0.01


def test_tour_skips_a_recipe_whose_data_cannot_be_made(tmp_path, monkeypatch, capsys):
    """Without the mnist1d package, the tour names the MNIST-1D recipes and runs the rest."""
    from redes import tour
    from redes.data import registry

    class Stop(Exception):
        pass

    def train(recipe, engine, **kwargs):   # stop at the first training: the choice is checked
        raise Stop(recipe["name"])

    table = dict(registry._TABLE)
    table["mnist1d"] = (*table["mnist1d"][:-1], lambda: False)
    monkeypatch.setattr(registry, "_TABLE", table)
    monkeypatch.setattr("redes.training_runs.train", train)
    with pytest.raises(Stop):
        tour.run_tour(("numpy",), root=tmp_path)
    out = capsys.readouterr().out
    mnist1d = [n for n in recipes.offline_names() if n.startswith("mnist1d")]
    assert len(mnist1d) == 2
    for name in mnist1d:
        assert f"{name} skipped" in out
    assert "pip install -e '.[data]'" in out
    assert f"1/{len(recipes.offline_names()) - 2} " in out


def test_tour_writes_a_report_that_a_browser_shows(tmp_path):
    from redes.tour import run_tour

    out = run_tour(("numpy", "keras"), epochs=2, root=tmp_path / "runs",
                   names=["gaussian_quantiles", "wine"])
    report = Path(out["report"])
    html = report.read_text()
    assert len(out["runs"]) == 4
    assert html.count("<img") >= 4 * 2   # learning curves and a confusion matrix per run
    for (name, engine), result in out["results"].items():
        assert 0 <= result.test["accuracy"] <= 1, (name, engine)

    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(report.as_uri())
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth])")
        page.screenshot(path=str(tmp_path / "tour-report.png"), full_page=False)
        browser.close()
    assert len(images) >= 8 and all(done and width > 100 for done, width in images)
    artifacts = Path(__file__).parent / "playground" / "artifacts"
    if artifacts.is_dir():
        shutil.copy(tmp_path / "tour-report.png", artifacts / "tour-report.png")


def test_a_tour_on_one_engine_says_so(tmp_path, capsys):
    from redes.tour import run_tour

    run_tour(("numpy",), epochs=1, root=tmp_path / "runs", names=["gaussian_quantiles"])
    out = capsys.readouterr().out
    assert "the recipes on the numpy engine" in out
    assert "both" not in out and "keras" not in out


def test_ctrl_c_during_the_tour_says_how_to_resume(tmp_path):
    import json
    import signal
    import subprocess
    import sys
    import time

    runs = tmp_path / "runs"
    env = {**os.environ, "REDES_RUNS": str(runs), "COLUMNS": "250"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "redes.cli", "tour", "--engines", "numpy", "--epochs", "500"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        status = list(runs.glob("*/status.json")) if runs.exists() else []
        if status and (json.loads(status[0].read_text()).get("model_epoch") or 0) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    (path,) = runs.iterdir()
    assert "Traceback" not in out
    assert f"continue it with: redes train --resume {path}" in out
    assert "`redes tour` again starts the tour over" in out
    from redes.runs import Run

    assert Run.open(path).status == "interrupted"


def test_the_tour_speaks_spanish(tmp_path, monkeypatch, capsys):
    from redes.tour import run_tour

    monkeypatch.setenv("REDES_LANG", "es")
    monkeypatch.setenv("COLUMNS", "200")
    done = run_tour(engines=("numpy",), epochs=1, root=tmp_path, names=["wine"])
    out = capsys.readouterr().out
    assert "1/1 Vinos: tres variedades con Dense 16-16-3, sin conexión" in out
    assert "redes tour: las recetas con el motor numpy" in out
    assert "receta" in out and "(ábrelo en un navegador)" in out
    assert done["report"].is_file()
