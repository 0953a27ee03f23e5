"""What a study found: ``StudyResult``, and the files written from a study (the best
recipe, the table of trials, the summary and the plots)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from redes.i18n import _, ngettext

from . import storage as storage_module
from .space import TuneError, trial_recipe


def figure_captions() -> dict:
    """``{plot name: caption}`` of the study's plots, in the current language."""
    return {
        "optimization_history": _("Optimization history: the objective of every trial and "
                                  "the best so far"),
        "param_importances": _("Parameter importances (fANOVA over the completed trials)"),
        "parallel_coordinate": _("Parallel coordinates: every completed trial's parameters "
                                 "and objective"),
        "intermediate_values": _("Validation metric per epoch of every trial (pruned trials "
                                 "stop early)"),
    }


class _Captions(Mapping):
    """``FIGURE_CAPTIONS``: the plots' names in order, their captions in the language of the
    moment they are read (not of the moment redes was imported)."""

    def __getitem__(self, name):
        return figure_captions()[name]

    def __iter__(self):
        return iter(figure_captions())

    def __len__(self):
        return len(figure_captions())

    def __repr__(self):
        return repr(figure_captions())


FIGURE_CAPTIONS = _Captions()


def stored_attrs(study) -> dict:
    """What redes stored with a study: ``{"recipe", "search_space", "engine", "epochs",
    "seed", "objective"}``.

    Raises:
        TuneError: the study was not made by ``redes tune``.
    """
    for _attempt in range(50):   # the process creating the study writes them right after
        stored = study.user_attrs.get("redes")
        if stored:
            return stored
        time.sleep(0.1)
    raise TuneError(_("study_name: the study {name!r} was not made by redes tune (it has no "
                      "recipe or search space); choose another name").format(
        name=study.study_name))


@dataclass
class StudyResult:
    """What a study found.

    Attributes:
        study_name: the study's name.
        storage: its database URL (password masked).
        folder: the folder of its files (``<runs>/tune/<study>``).
        recipe: the recipe that was searched.
        engine: ``"numpy"`` or ``"keras"``.
        objective: ``{"name", "monitor", "direction"}``.
        trials: one dict per trial: ``number``, ``state`` (``COMPLETE``, ``PRUNED``,
            ``FAIL``, ``RUNNING``, ``WAITING``), ``value``, ``params``, ``epochs_trained``,
            ``seconds``, ``worker``.
        best: the best trial's row, or ``None`` when no trial completed.
        best_recipe: the recipe at the best point (also in ``best_recipe.json``), or ``None``.
        best_recipe_path: that file, or ``None``.
        figures: the PNG files of the plots.
    """

    study_name: str
    storage: str
    folder: Path
    recipe: dict
    engine: str
    objective: dict
    trials: list
    best: dict | None = None
    best_recipe: dict | None = None
    best_recipe_path: Path | None = None
    figures: list = field(default_factory=list)

    def counts(self) -> dict:
        """``{state: number of trials}``, e.g. ``{"COMPLETE": 20, "PRUNED": 9, "FAIL": 1}``."""
        out: dict = {}
        for row in self.trials:
            out[row["state"]] = out.get(row["state"], 0) + 1
        return out

    def epochs_trained(self) -> int:
        """Epochs trained by all the trials together (pruned trials count what they ran)."""
        return sum(row["epochs_trained"] or 0 for row in self.trials)

    def ranked(self) -> list:
        """The completed trials, best first."""
        done = [r for r in self.trials if r["state"] == "COMPLETE" and r["value"] is not None
                and math.isfinite(r["value"])]
        return sorted(done, key=lambda r: r["value"],
                      reverse=self.objective["direction"] == "maximize")

    def summary(self) -> str:
        """One line: the trials by state and the objective, e.g. ``study boston-numpy: 30
        trials (20 complete, 9 pruned, 1 failed); kfold_val_mae, lower is better``."""
        counts = self.counts()
        parts = [_state_count(state, counts.get(state, 0))
                 for state in ("COMPLETE", "PRUNED", "FAIL")]
        parts += [_state_count(s, n) for s, n in sorted(counts.items())
                  if s not in ("COMPLETE", "PRUNED", "FAIL")]
        if self.objective["direction"] == "minimize":
            line = _("study {name}: {trials} ({states}); {objective}, lower is better")
        else:
            line = _("study {name}: {trials} ({states}); {objective}, higher is better")
        trials = ngettext("{n} trial", "{n} trials", len(self.trials)).format(
            n=len(self.trials))
        return line.format(name=self.study_name, trials=trials, states=", ".join(parts),
                           objective=self.objective["name"])

    def table(self, limit: int = 10):
        """A ``rich.table.Table`` of the ``limit`` best completed trials (``summary()``
        counts every trial, pruned and failed ones too)."""
        from rich.table import Table

        table = Table(title=_("completed trials, best first"))
        for column in (_("trial"), self.objective["name"], _("epochs"), _("seconds")):
            table.add_column(column, justify="right", no_wrap=True)
        table.add_column(_("parameters"))
        for row in self.ranked()[:limit]:
            params = "  ".join(f"{k}={_fmt(v)}" for k, v in sorted(row["params"].items()))
            table.add_row(str(row["number"]), f"{row['value']:.4f}",
                          str(row["epochs_trained"] or ""), f"{row['seconds'] or 0:.1f}",
                          params)
        return table

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {"study_name": self.study_name, "storage": self.storage,
                "recipe": self.recipe["name"], "engine": self.engine,
                "objective": self.objective, "counts": self.counts(),
                "epochs_trained": self.epochs_trained(), "best": self.best,
                "best_recipe_path": str(self.best_recipe_path) if self.best_recipe_path
                else None, "figures": [str(p) for p in self.figures]}


def _state_count(state: str, n: int) -> str:
    """``n`` trials in the optuna ``state``: "3 complete", "1 pruned", "0 failed"..."""
    if state == "COMPLETE":
        return ngettext("{n} complete", "{n} complete", n).format(n=n)
    if state == "PRUNED":
        return ngettext("{n} pruned", "{n} pruned", n).format(n=n)
    if state == "FAIL":
        return ngettext("{n} failed", "{n} failed", n).format(n=n)
    if state == "RUNNING":
        return ngettext("{n} running", "{n} running", n).format(n=n)
    if state == "WAITING":
        return ngettext("{n} waiting", "{n} waiting", n).format(n=n)
    return f"{n} {state.lower()}"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)


def _row(trial) -> dict:
    value = trial.value if trial.state.name == "COMPLETE" else None
    seconds = trial.duration.total_seconds() if trial.duration else None
    return {"number": trial.number, "state": trial.state.name, "value": value,
            "params": dict(trial.params),
            "epochs_trained": trial.user_attrs.get("epochs_trained"),
            "seconds": seconds, "worker": trial.user_attrs.get("worker")}


def best_recipe(attrs: dict, best: dict, study_name: str) -> dict:
    """The study's recipe at the best trial's point, named ``<recipe>_tuned``, without the
    variants and offline variant of the original (they describe the original model)."""
    recipe = trial_recipe(attrs["recipe"], best["params"], attrs["epochs"])
    recipe["name"] = f"{attrs['recipe']['name'].replace(':', '_')}_tuned"
    recipe["title"] = (f"{attrs['recipe']['title']} (tuned: study {study_name}, trial "
                       f"{best['number']}, {attrs['objective']['name']} {best['value']:.4g})")
    recipe.pop("variants", None)
    recipe.pop("offline_variant", None)
    return recipe


def _write_text(path: Path, text: str) -> None:
    from redes._base.files import write_text

    write_text(path, text)


def collect(study, url: str, folder: Path, figures: bool = True) -> StudyResult:
    """The ``StudyResult`` of ``study``, with its files written in ``folder``."""
    attrs = stored_attrs(study)
    rows = [_row(t) for t in study.get_trials(deepcopy=False)]
    result = StudyResult(study.study_name, storage_module.mask(url), Path(folder),
                         attrs["recipe"], attrs["engine"], attrs["objective"], rows)
    ranked = result.ranked()
    if ranked:
        result.best = ranked[0]
        result.best_recipe = best_recipe(attrs, result.best, study.study_name)
        result.best_recipe_path = folder / "best_recipe.json"
        _write_text(result.best_recipe_path, json.dumps(result.best_recipe, indent=2) + "\n")
    _write_text(folder / "trials.csv", _csv(rows))
    if figures:
        result.figures = write_figures(study, folder / "plots")
    _write_text(folder / "study.json", json.dumps(result.to_dict(), indent=2) + "\n")
    return result


def _csv(rows) -> str:
    keys = sorted({k for r in rows for k in r["params"]})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "state", "value", *keys, "epochs_trained", "seconds", "worker"])
    for r in rows:
        writer.writerow([r["number"], r["state"], "" if r["value"] is None else r["value"],
                         *[r["params"].get(k, "") for k in keys], r["epochs_trained"] or "",
                         "" if r["seconds"] is None else f"{r['seconds']:.3f}",
                         r["worker"] or ""])
    return out.getvalue()


def _optuna_texts() -> dict:
    """The English texts optuna's matplotlib plots draw, and what redes shows instead."""
    return {
        "Optimization History Plot": _("Optimization history"),
        "Trial": _("trial"),
        "Objective Value": _("objective value"),
        "Best Value": _("best value"),
        "Infeasible Trial": _("infeasible trial"),
        "Hyperparameter Importances": _("Hyperparameter importances"),
        "Hyperparameter Importance": _("importance"),
        "Hyperparameter": _("hyperparameter"),
        "Parallel Coordinate Plot": _("Parallel coordinates"),
        "Intermediate Values Plot": _("Validation metric per epoch"),
        "Step": _("epoch"),
        "Intermediate Value": _("validation metric"),
    }


_TRIAL_LABEL = re.compile(r"Trial(\d+)")   # intermediate values: a curve's legend, "Trial3"


def translate_figure(figure) -> None:
    """Show the texts optuna drew on ``figure`` (titles, axis labels, legends, colorbar
    labels) in the current language. Tick labels (numbers, parameter names) stay."""
    from matplotlib.text import Text

    texts = _optuna_texts()
    for artist in figure.findobj(Text):
        text = artist.get_text()
        if text in texts:
            artist.set_text(texts[text])
        elif _TRIAL_LABEL.fullmatch(text):
            number = _TRIAL_LABEL.fullmatch(text).group(1)
            artist.set_text(_("trial {number}").format(number=number))


def draw_figure(study, name: str):
    """The study's plot ``name`` (a key of ``FIGURE_CAPTIONS``) as a matplotlib Figure of
    pyplot, its texts in the current language; ``None`` when the study has too few trials
    for it. Close it with ``matplotlib.pyplot.close(figure)``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import optuna
    from optuna.visualization import matplotlib as vis

    if name not in FIGURE_CAPTIONS:
        raise ValueError(_("name: expected one of {names}, got {value!r}").format(
            names=", ".join(FIGURE_CAPTIONS), value=name))
    complete = [t for t in study.get_trials(deepcopy=False) if t.state.name == "COMPLETE"]
    if name in ("param_importances", "parallel_coordinate") and len(complete) < 2:
        return None
    named = {} if name == "intermediate_values" else {"target_name": _("objective value")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ax = getattr(vis, f"plot_{name}")(study, **named)
    except (ValueError, RuntimeError, ZeroDivisionError, optuna.exceptions.OptunaError):
        return None   # not enough data for this plot yet
    figure = ax.figure if hasattr(ax, "figure") else ax.flat[0].figure
    translate_figure(figure)
    return figure


def write_figures(study, folder) -> list[Path]:
    """Draw the study's plots as PNG files (``FIGURE_CAPTIONS`` names them), their texts in
    the current language.

    A plot that needs more trials than the study has (parameter importances need two
    completed trials with different values) is left out.

    Args:
        study: an ``optuna.Study``.
        folder: where to write them (created).

    Returns:
        The files written.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from redes._base.files import write_bytes

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FIGURE_CAPTIONS:
        figure = draw_figure(study, name)
        if figure is None:
            continue
        figure.set_size_inches(9, 5.5)
        figure.tight_layout()
        path = folder / f"{name}.png"
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=110)
        plt.close(figure)
        write_bytes(path, png.getvalue())         # atomically, like every redes file
        paths.append(path)
    return paths


