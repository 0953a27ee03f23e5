"""Every text of redes' figures, of the HTML report and of a study's plots and tables goes
through the catalogs: in Spanish it is Spanish, in the pseudo-language ``⟦...⟧`` it is
bracketed (text without brackets was not translated), in English it stays as it was.

The only words allowed outside the brackets are numbers, metric names and keys (loss,
accuracy, MAE...), engine, recipe, run and parameter names: data, not messages.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.text import Text

from redes.i18n import set_language, translated
from redes.report import figures
from redes.report.html import render
from redes.runs import Run

HISTORY = {"loss": [1.0, 0.6, 0.4, 0.3], "accuracy": [0.5, 0.7, 0.8, 0.9],
           "val_loss": [1.1, 0.7, 0.65, 0.8], "val_accuracy": [0.45, 0.6, 0.75, 0.7]}
OTHER = {"loss": [0.9, 0.5, 0.45, 0.35], "accuracy": [0.55, 0.7, 0.75, 0.85],
         "val_loss": [1.0, 0.8, 0.7, 0.72], "val_accuracy": [0.5, 0.6, 0.7, 0.72]}

# words that are data, not messages: metric names, engines, the study's parameters and
# matplotlib's math text of log-scale ticks
DATA_WORDS = {"loss", "accuracy", "mae", "MAE", "RMSE", "numpy", "keras", "learning_rate",
              "units", "optimizer", "adam", "sgd", "mathdefault", "min"}


def _outside_brackets(text: str) -> str:
    """What is left of ``text`` once every ``⟦...⟧`` (nested ones too) is taken out."""
    depth, kept = 0, []
    for char in text:
        if char == "⟦":
            depth += 1
        elif char == "⟧":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def _words(text: str) -> list[str]:
    """The words of ``text`` longer than two characters (x₁, R² and units like s are not
    words here); numbers are not words."""
    return [w for w in re.findall(r"[^\W\d]+", text) if len(w) > 2]


def _untranslated(texts, allowed=DATA_WORDS) -> list[str]:
    """The texts that hold a word outside ``⟦...⟧`` that is not data."""
    return [t for t in texts if any(w not in allowed for w in _words(_outside_brackets(t)))]


# ------------------------------------------------------------------ the figures
def _circles():
    rng = np.random.default_rng(0)
    angles = rng.uniform(0, 2 * np.pi, 80)
    radius = np.r_[np.full(40, 0.4), np.full(40, 1.0)] + rng.normal(0, 0.05, 80)
    return np.c_[radius * np.cos(angles), radius * np.sin(angles)], np.r_[np.ones(40),
                                                                           np.zeros(40)]


def _inside(points):
    return 1 / (1 + np.exp(10 * (np.hypot(points[:, 0], points[:, 1]) - 0.7)))


def _three_classes(points):
    scores = np.c_[points[:, 0], points[:, 1], -points[:, 0] - points[:, 1]]
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


LABELS = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
PREDICTED = np.array([0, 0, 0, 1, 1, 1, 2, 0, 2, 1])


def _redes_figures():
    """name -> function drawing the figure, for every figure function of redes.report."""
    x, y = _circles()
    return {
        "learning_curves": lambda: figures.learning_curves(HISTORY),
        "learning_curves_smoothed": lambda: figures.learning_curves(HISTORY, smooth=0.5),
        "compare": lambda: figures.compare({"numpy": HISTORY, "keras": OTHER}),
        "compare_smoothed": lambda: figures.compare({"numpy": HISTORY, "keras": OTHER},
                                                    "accuracy", smooth=0.5),
        "confusion_matrix": lambda: figures.confusion_matrix(LABELS, PREDICTED),
        "regression": lambda: figures.regression([1.0, 2.0, 3.5, 4.0], [1.2, 1.9, 3.0, 4.4],
                                                 unit="k$"),
        "decision_boundary": lambda: figures.decision_boundary(_inside, x, y.astype(int),
                                                               grid=30),
        "decision_boundary_multiclass": lambda: figures.decision_boundary(
            _three_classes, x, (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5), grid=30),
    }


SPANISH = {   # some of what each figure says in Spanish
    "learning_curves": ["época", "entrenamiento", "validación, mejor 0.65 en la época 3"],
    "learning_curves_smoothed": ["entrenamiento (curva suavizada)"],
    "compare": ["pérdida de validación por ejecución", "numpy (mejor 0.65 en 3)"],
    "compare_smoothed": ["exactitud por ejecución (curva suavizada)"],
    "confusion_matrix": ["clase verdadera", "clase predicha", "fracción de la clase verdadera",
                         "Matriz de confusión (exactitud 70.0%, n = 10)"],
    "regression": ["Residuos", "Predicciones", "predicción perfecta", "valor verdadero (k$)",
                   "valor predicho (k$)", "residuo: verdadero − predicho (k$)",
                   "Predicho frente a verdadero"],
    "decision_boundary": ["Frontera de decisión", "clase", "probabilidad de la clase 1"],
    "decision_boundary_multiclass": ["Frontera de decisión", "clase"],
}


def _texts(fig) -> list[str]:
    """Every non-empty text of a figure, tick labels included, once it has been drawn."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def _draw(draw, lang):
    set_language(lang)
    try:
        return _texts(draw())
    finally:
        set_language(None)


@pytest.mark.parametrize("name", list(_redes_figures()))
def test_every_text_of_a_figure_is_translated(name):
    draw = _redes_figures()[name]
    pseudo = _draw(draw, "pseudo")
    assert sum("⟦" in t for t in pseudo) >= 2, pseudo
    assert not _untranslated(pseudo), f"texts of {name} not marked for translation"

    english, spanish = _draw(draw, "en"), _draw(draw, "es")
    assert len(english) == len(spanish) == len(pseudo)
    assert "⟦" not in "".join(english + spanish)
    # a text with words is in Spanish, not left in English
    same = [en for en, es in zip(english, spanish)
            if en == es and _untranslated([en]) and en not in DATA_WORDS]
    assert not same, f"{name}: left in English: {same}"
    for expected in SPANISH[name]:
        assert any(expected in t for t in spanish), (expected, spanish)


def test_english_figures_keep_their_texts():
    fig = figures.learning_curves(HISTORY)
    assert fig.axes[0].get_xlabel() == "epoch"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "training", "validation, best 0.65 at epoch 3"]
    ax = figures.compare({"numpy": HISTORY}, smooth=0.5).axes[0]
    assert ax.get_title() == "validation loss by run (smoothed)"


def test_class_names_of_a_recipe_are_shown_translated():
    from redes import recipes

    classes = recipes.get("breast_cancer")["task"]["classes"]         # English data (N_)
    for lang in ("en", "es", "pseudo"):
        set_language(lang)
        ax = figures.confusion_matrix([0, 1, 1], [0, 1, 0], class_names=classes).axes[0]
        shown = [t.get_text() for t in ax.get_xticklabels()]
        assert shown == [translated(c) for c in classes]
    assert shown == [f"⟦{c}⟧" for c in classes]
    set_language("en")
    assert shown != [translated(c) for c in classes]


# ------------------------------------------------------------------ a study's plots
@pytest.fixture(scope="module")
def study():
    optuna = pytest.importorskip("optuna")
    optuna.logging.set_verbosity(optuna.logging.ERROR)

    def objective(trial):
        rate = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
        units = trial.suggest_int("units", 4, 64)
        trial.suggest_categorical("optimizer", ["adam", "sgd"])
        for epoch in range(4):
            trial.report(rate * (5 - epoch) + units / 100, epoch)
        return rate + units / 100

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(objective, n_trials=6)
    return study


STUDY_SPANISH = {
    "optimization_history": ["Historial de la optimización", "ensayo", "mejor valor",
                             "valor del objetivo"],
    "param_importances": ["Importancia de los hiperparámetros", "hiperparámetro",
                          "importancia"],
    "parallel_coordinate": ["Coordenadas paralelas", "valor del objetivo"],
    "intermediate_values": ["Métrica de validación por época", "época", "ensayo 0"],
}


@pytest.mark.parametrize("name", list(STUDY_SPANISH))
def test_every_text_of_a_study_plot_is_translated(study, name):
    import matplotlib.pyplot as plt

    from redes.tune import results

    def draw():
        figure = results.draw_figure(study, name)
        plt.close(figure)
        return figure

    pseudo = _draw(draw, "pseudo")
    assert sum("⟦" in t for t in pseudo) >= 3, pseudo
    assert not _untranslated(pseudo), f"texts of {name} not marked for translation"
    spanish = _draw(draw, "es")
    for expected in STUDY_SPANISH[name]:
        assert expected in spanish, (expected, spanish)
    assert not any(word in " ".join(spanish) for word in ("Trial", "Objective", "Plot"))


def test_study_captions_summary_and_table_in_spanish(tmp_path):
    from redes.tune import FIGURE_CAPTIONS
    from redes.tune.results import StudyResult

    rows = [{"number": i, "state": state, "value": value, "params": {"units": 8 * (i + 1)},
             "epochs_trained": 3, "seconds": 1.5, "worker": None}
            for i, (state, value) in enumerate([("COMPLETE", 0.4), ("COMPLETE", 0.3),
                                                ("PRUNED", None), ("RUNNING", None)])]
    result = StudyResult("boston-numpy", "sqlite:///x.db", tmp_path, {"name": "boston"},
                         "numpy", {"name": "kfold_val_mae", "direction": "minimize"}, rows)
    assert result.summary() == ("study boston-numpy: 4 trials (2 complete, 1 pruned, 0 failed, "
                                "1 running); kfold_val_mae, lower is better")
    english = dict(FIGURE_CAPTIONS)
    set_language("es")
    assert result.summary() == ("estudio boston-numpy: 4 ensayos (2 completados, 1 podado, "
                                "0 fallidos, 1 en curso); kfold_val_mae, menor es mejor")
    assert list(FIGURE_CAPTIONS) == list(english)                   # the plots' names stay
    assert FIGURE_CAPTIONS["optimization_history"].startswith("Historial de la optimización")
    assert all(FIGURE_CAPTIONS[k] != english[k] for k in english)
    table = result.table()
    assert table.title == "ensayos completados, el mejor primero"
    assert [c.header for c in table.columns] == ["ensayo", "kfold_val_mae", "épocas",
                                                 "segundos", "parámetros"]
    set_language("pseudo")
    table = result.table()
    shown = [result.summary(), table.title, *(c.header for c in table.columns),
             *FIGURE_CAPTIONS.values()]
    assert not _untranslated(shown, DATA_WORDS | {"boston", "kfold_val_mae"})


# ------------------------------------------------------------------ the HTML report
def _runs(root):
    """A finished run with its plots, an unfinished one (learning curves drawn from its
    history, and a comparison of the two) and a failed one."""
    config = {"title": "Digits 8x8", "task": "multiclass", "description": "A first network"}
    runs = []
    for engine, test in (("numpy", {"loss": 0.31, "accuracy": 0.912}), ("keras", None)):
        run = Run.create("digits", engine, config, root=root)
        run.set_epochs(4)
        for e, logs in enumerate(zip(*HISTORY.values())):
            run.log_epoch(e, dict(zip(HISTORY, logs)))
        if test is not None:
            run.finish(test)
            figures.write_run_figures(run, y_true=LABELS, y_pred=np.eye(3)[PREDICTED])
        runs.append(run)
    boston = Run.create("boston", "numpy", {"title": "Boston"}, root=root)
    boston.fail(RuntimeError("loss is nan"))
    return [*runs, boston]


def _visible_texts(page: str) -> list[str]:
    """The texts a browser shows: no style, no JSON of the recipe, no tags."""
    page = re.sub(r"<(style|pre)>.*?</\1>", "", page, flags=re.S)
    return [t for t in (html.unescape(s).strip() for s in re.split(r"<[^>]+>", page)) if t]


def test_the_report_in_spanish_and_in_english(tmp_path):
    runs = _runs(tmp_path)
    english = render(runs)
    assert '<html lang="en">' in english and "<h2>Results</h2>" in english
    assert "<h1>redes report</h1>" in english and "<th>final metrics</th>" in english

    set_language("es")
    for run in runs[:1]:   # its figures drawn again, in Spanish
        figures.write_run_figures(run, y_true=LABELS, y_pred=np.eye(3)[PREDICTED])
    spanish = render(runs)
    assert '<html lang="es">' in spanish and 'lang="en"' not in spanish
    for expected in ("<title>informe de redes</title>", "<h1>informe de redes</h1>",
                     "<h2>Resultados</h2>", "<th>receta</th>", "<th>motor</th>",
                     "<th>estado</th>", "<th>épocas</th>", "<th>métricas finales</th>",
                     "<th>tiempo</th>", "<th>inicio</th>", "<th>ejecución</th>",
                     "3 ejecuciones de 2 recetas · escrito el ",
                     ">terminada</span>", ">en curso</span>", ">fallida</span>",
                     "accuracy de prueba 91.20%", "val accuracy (última época) 70.00%",
                     "4/4 épocas", "dispositivo cpu", "Falló: RuntimeError: loss is nan",
                     "Receta y entorno", "Curvas de aprendizaje: entrenamiento frente a "
                     "validación", "Matriz de confusión en el conjunto de prueba",
                     "La pérdida de validación de cada ejecución de digits"):
        assert expected in spanish, expected
    visible = " | ".join(_visible_texts(spanish))
    for english_text in ("Results", "final metrics", "epochs", "device", "Failed",
                         "Recipe and environment", "written", "finished", "running"):
        assert english_text not in visible, english_text
    assert 'class="badge finished"' in spanish      # the CSS classes stay


def test_every_visible_text_of_the_report_is_translated(tmp_path):
    runs = _runs(tmp_path)
    set_language("pseudo")
    page = render(runs)
    assert '<html lang="en">' in page            # brackets around English text
    data = DATA_WORDS | {"digits", "boston", "redes", "val", "cpu"}
    data |= {w for run in runs for w in _words(run.name)}
    texts = _visible_texts(page)
    assert len(texts) > 40
    assert not _untranslated(texts, data), "texts of the report not marked for translation"
    captions = re.findall(r"alt='([^']*)'", page)
    assert len(captions) == 4 and all(c.startswith("⟦") for c in captions)


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no headless browser at {CHROMIUM}")
def test_screenshot_of_the_spanish_report(tmp_path):
    from matplotlib.image import imread

    artifacts = Path(os.environ.get("REDES_TEST_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    set_language("es")
    runs = _runs(tmp_path / "runs")
    page = artifacts / "report_es.html"
    page.write_text(render(runs), encoding="utf-8")
    shot = artifacts / "report_es.png"
    shot.unlink(missing_ok=True)
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1280,2000",
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 50_000
    pixels = imread(shot)[..., :3]
    colours = np.unique((pixels.reshape(-1, 3) * 255).astype(np.uint8), axis=0)
    assert len(colours) > 50                     # text, tables and figures, not a blank page
