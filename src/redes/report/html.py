"""One self-contained HTML file that tells how several runs went.

The file has no external CSS, JavaScript, fonts or images: figures are embedded as base64
PNG, so it can be mailed, uploaded to a course platform or opened offline. Every text that
comes from a run (recipe titles, names, configuration) is escaped.
"""

from __future__ import annotations

import base64
import html
import json
import os
import struct
from datetime import datetime
from pathlib import Path

from redes.i18n import (
    SOURCE_LANGUAGE,
    _,
    available_languages,
    get_language,
    ngettext,
    translated,
)

_PNG = b"\x89PNG\r\n\x1a\n"
_FIGURE_ORDER = ("learning_curves", "confusion_matrix", "regression", "decision_boundary")


def _caption(name: str) -> str:
    """The caption of a run's figure ``plots/<name>.png``, in the current language."""
    captions = {
        "learning_curves": _("Learning curves: training vs validation"),
        "confusion_matrix": _("Confusion matrix on the test set"),
        "regression": _("Predictions and residuals on the test set"),
        "decision_boundary": _("Decision boundary"),
        "kfold_validation": _("k-fold validation: the validation curve of every fold"),
    }
    return captions.get(name, name.replace("_", " "))


def _language() -> str:
    """The ``lang`` of the page: the language of its messages (English for pseudo)."""
    lang = get_language()
    return lang if lang in available_languages() else SOURCE_LANGUAGE

_CSS = """
:root { --ink: #1f2328; --muted: #5b636e; --line: #d8dee4; --head: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h2 small, h3 small { color: var(--muted); font-weight: normal; font-size: 0.8em; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 6px 0 12px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  white-space: nowrap; }
th { background: var(--head); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:hover td { background: #fafbfc; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.82rem;
  font-weight: 600; }
.finished { background: #d8f3ea; color: #00563f; }
.running { background: #dbeaf7; color: #004a75; }
.interrupted { background: #fcebc7; color: #6b4a00; }
.failed, .unreadable { background: #fadcd0; color: #7a2c00; }
.figures { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  background: #fff; max-width: 100%; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 4px; }
article { margin-bottom: 26px; }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--muted); }
pre { background: var(--head); padding: 10px; border-radius: 6px; overflow-x: auto;
  font-size: 0.82rem; }
.error { color: #7a2c00; }
a { color: #0062a0; }
"""


def write_report(runs, path, title=None) -> Path:
    """Write one self-contained HTML report of ``runs``.

    The report opens with a table of every run (recipe, engine, status, epochs, final test
    metrics, time), then has one section per recipe: a table of its runs, their validation
    curves on one plot when there are several, and each run's figures from ``plots/``
    (learning curves are drawn from the history when a run has none).

    Args:
        runs: a list of ``redes.runs.Run`` objects or run directory paths.
        path: the HTML file to write (its folder is created), e.g. "report.html".
        title: the report's title. Defaults to "redes report", in the current language.

    Returns:
        The path written.
    """
    from redes._base.files import write_text

    from ..runs import Run

    if isinstance(runs, (str, os.PathLike, Run)) or not isinstance(runs, (list, tuple)):
        raise ValueError(_("runs: expected a list of runs or run folders, got {value}").format(
            value=f"{runs!r:.80}"))
    if not runs:
        raise ValueError(_("runs: expected at least one run, got an empty list"))
    opened = []
    for i, run in enumerate(runs):
        if isinstance(run, Run):
            opened.append(run)
        elif isinstance(run, (str, os.PathLike)):
            opened.append(Run.open(run))
        else:
            raise ValueError(_("runs[{i}]: expected a Run or a run folder, got {value}")
                             .format(i=i, value=f"{run!r:.80}"))
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ValueError(_("path: expected an .html file path, got {value!r}").format(
            value=path))
    if title is not None and not isinstance(title, str):
        raise ValueError(_("title: expected a string, got {value!r}").format(value=title))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render(opened, title))
    return path


def render(runs, title=None) -> str:
    """The report's HTML text for a list of opened runs (see ``write_report``), in the
    current language (``<html lang="es">`` in Spanish)."""
    from .. import __version__

    e = html.escape
    if title is None:
        title = _("redes report")
    by_recipe: dict[str, list] = {}
    for run in runs:
        by_recipe.setdefault(run.recipe, []).append(run)
    now = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    parts = [
        "<!DOCTYPE html>", f'<html lang="{_language()}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body><main>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(_meta(len(runs), len(by_recipe), now, __version__))}</p>',
        f"<h2>{e(_('Results'))}</h2>", _overview(runs),
    ]
    for recipe, group in by_recipe.items():
        parts.append(_section(recipe, group))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------ pieces
def _meta(runs: int, recipes: int, now: str, version: str) -> str:
    """The line under the title: ``3 runs of 2 recipes · written 2024-05-01 10:00 by
    redes 0.1``."""
    return _("{runs} of {recipes} · written {date} by redes {version}").format(
        runs=ngettext("{n} run", "{n} runs", runs).format(n=runs),
        recipes=ngettext("{n} recipe", "{n} recipes", recipes).format(n=recipes),
        date=now, version=version)


def _header(*names: str) -> str:
    """A table's row of column headers (already in the current language)."""
    return "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in names) + "</tr>"


def _anchor(recipe: str) -> str:
    return "recipe-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in recipe)


def _badge(status: str) -> str:
    from ..runs import status_name

    return (f'<span class="badge {html.escape(status)}">'
            f"{html.escape(status_name(status))}</span>")


def _fmt(key: str, value) -> str:
    if value is None:
        return "–"
    if "acc" in key:
        return f"{value:.2%}"
    return f"{value:.4g}"


def _duration(seconds) -> str:
    if seconds is None:
        return "–"
    seconds = float(seconds)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _epochs(run) -> str:
    planned = run.status_info.get("epochs")
    return f"{run.last_epoch}/{planned}" if planned else str(run.last_epoch)


def _final_metrics(run) -> dict:
    """Test metrics, or the last validation logs (marked) when the run has no test yet."""
    if run.metrics:
        return {_("test {metric}").format(metric=k): (k, v) for k, v in run.metrics.items()}
    history = run.history
    return {_("last {metric}").format(metric=k.replace("_", " ")): (k, v[-1])
            for k, v in history.items() if k.startswith("val_") and v}


def _started(run) -> str:
    started = run.config.get("started") or ""
    return started[:16].replace("T", " ")


def _overview(runs) -> str:
    e = html.escape
    rows = ["<div class='scroll'><table>",
            _header(_("recipe"), _("engine"), _("status"), _("epochs"), _("final metrics"),
                    _("time"), _("started"), _("run"))]
    for run in runs:
        metrics = " · ".join(f"{e(name)} {e(_fmt(key, value))}"
                             for name, (key, value) in _final_metrics(run).items())
        rows.append(
            f"<tr><td><a href='#{e(_anchor(run.recipe))}'>{e(run.recipe)}</a></td>"
            f"<td>{e(run.engine)}</td><td>{_badge(run.status)}</td>"
            f"<td class='num'>{e(_epochs(run))}</td><td>{metrics or '–'}</td>"
            f"<td class='num'>{e(_duration(run.seconds))}</td><td>{e(_started(run))}</td>"
            f"<td>{e(run.name)}</td></tr>"
        )
    rows.append("</table></div>")
    return "\n".join(rows)


def _section(recipe: str, runs) -> str:
    e = html.escape
    parts = [f"<section id='{e(_anchor(recipe))}'>",
             f"<h2>{e(runs[0].title)} <small>{e(recipe)}</small></h2>"]
    description = runs[0].config.get("recipe", {}).get("description") \
        if isinstance(runs[0].config.get("recipe"), dict) else None
    if description:
        parts.append(f"<p>{e(translated(str(description)))}</p>")
    columns = []
    for run in runs:
        for name in _final_metrics(run):
            if name not in columns:
                columns.append(name)
    parts += ["<div class='scroll'><table>",
              _header(_("engine"), _("run"), _("status"), _("epochs"), *columns, _("time"))]
    for run in runs:
        metrics = _final_metrics(run)
        cells = "".join(
            f"<td class='num'>{e(_fmt(*metrics[c])) if c in metrics else '–'}</td>"
            for c in columns)
        parts.append(f"<tr><td>{e(run.engine)}</td><td>{e(run.name)}</td>"
                     f"<td>{_badge(run.status)}</td><td class='num'>{e(_epochs(run))}</td>"
                     f"{cells}<td class='num'>{e(_duration(run.seconds))}</td></tr>")
    parts.append("</table></div>")
    comparison = _comparison(recipe, runs)
    if comparison:
        parts.append(f"<div class='figures'>{comparison}</div>")
    for run in runs:
        parts.append(_article(run))
    parts.append("</section>")
    return "\n".join(parts)


def _comparison(recipe, runs) -> str:
    from . import figures
    from ._style import png_bytes

    for metric in ("val_loss", "loss"):
        with_metric = [r for r in runs if r.history.get(metric)]
        if len(with_metric) >= 2:
            curves = {r.name.removeprefix(f"{recipe}-"): r for r in with_metric}
            fig = figures.compare(curves, metric)
            if metric == "val_loss":
                caption = _("The validation loss of every run of {recipe}")
            else:
                caption = _("The training loss of every run of {recipe}")
            return _figure(png_bytes(fig), caption.format(recipe=recipe))
    return ""


def _figure(png: bytes, caption: str) -> str:
    """A captioned figure shown at its printed size (an inch of figure is an inch of CSS),
    so that every figure's text has the same size on screen."""
    from ._style import DPI

    width = round(struct.unpack(">I", png[16:20])[0] * 96 / DPI)
    data = base64.b64encode(png).decode("ascii")
    caption = html.escape(caption)
    return (f"<figure><img src='data:image/png;base64,{data}' alt='{caption}' "
            f"width='{width}'>"
            f"<figcaption>{caption}</figcaption></figure>")


def _run_figures(run) -> list[tuple[str, bytes]]:
    """(name, PNG bytes) of the run's plots, learning curves first."""
    files = sorted(run.plots_dir.glob("*.png")) if run.plots_dir.is_dir() else []
    rank = {name: i for i, name in enumerate(_FIGURE_ORDER)}
    files.sort(key=lambda p: (rank.get(p.stem, len(rank)), p.name))
    found = []
    for file in files:
        data = file.read_bytes()
        if data.startswith(_PNG):
            found.append((file.stem, data))
    if run.last_epoch and "learning_curves" not in {name for name, _png in found}:
        from . import figures
        from ._style import png_bytes

        fig = figures.learning_curves(run, title=f"{run.title} ({run.engine})")
        found.insert(0, ("learning_curves", png_bytes(fig)))
    return found


def _article(run) -> str:
    e = html.escape
    epochs = _("{epochs} epochs").format(epochs=_epochs(run))
    device = _("device {device}").format(device=run.config.get("device", "?"))
    parts = ["<article>",
             f"<h3>{e(run.engine)} <small>{e(run.name)} · {_badge(run.status)} · "
             f"{e(epochs)} · {e(_duration(run.seconds))} · {e(device)}</small></h3>"]
    info = run.status_info
    error = info.get("error")
    if run.status == "failed" and isinstance(error, dict):
        failed = _("Failed: {type}: {message}").format(type=error.get("type"),
                                                        message=error.get("message"))
        parts.append(f"<p class='error'>{e(failed)}</p>")
    if info.get("warning"):
        parts.append(f"<p class='error'>{e(str(info['warning']))}</p>")
    images = [_figure(png, _caption(name)) for name, png in _run_figures(run)]
    if images:
        parts.append("<div class='figures'>" + "".join(images) + "</div>")
    config = json.dumps(run.config.get("recipe"), indent=2, ensure_ascii=False)
    parts.append(f"<details><summary>{e(_('Recipe and environment'))}</summary>"
                 f"<pre>{e(config)}</pre>"
                 f"<pre>{e(json.dumps(run.config.get('versions'), ensure_ascii=False))}</pre>"
                 "</details>")
    parts.append("</article>")
    return "\n".join(parts)
