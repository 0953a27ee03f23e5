"""``redes runs``, ``redes compare`` and ``redes report``: the runs as a table, their
learning curves on one plot, and one HTML report."""

from __future__ import annotations

import typer

from redes.i18n import _

from ._common import RUNS_HELP, cli_names, folder_of, friendly, note


def _runs_table(rows, width: int):
    """The table of ``redes runs``. Run names are never cut (``evaluate``, ``predict`` and
    ``--resume`` need them whole): one row per run with a column each for engine, status,
    epochs, final metrics and time when that fits in ``width`` columns; else two columns,
    the run (its name, then engine, status, epochs and time) and its final metrics."""
    from rich import box
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    from redes.runs import status_name

    name_width = max(len(row["name"]) for row in rows)
    cells = []
    for row in rows:
        metrics = [f"{k} {v:.4g}" for k, v in (row["metrics"] or {}).items()
                   if isinstance(v, (int, float)) and not k.startswith("test_")]
        epochs = f"{row['epochs']}/{row['planned_epochs'] or '?'}"
        seconds = f"{row['seconds']:.1f}s" if row["seconds"] else ""
        cells.append((row["name"], row["engine"] or "", status_name(row["status"]), epochs,
                      metrics, seconds))

    wide = Table(box=box.SIMPLE_HEAD, show_edge=False)
    wide.add_column(_("run"), no_wrap=True, min_width=name_width)
    for column in (_("engine"), _("status"), _("epochs")):
        wide.add_column(column, no_wrap=True)
    wide.add_column(_("final metrics"), overflow="fold")
    wide.add_column(_("time"), justify="right", no_wrap=True)
    for name, engine, status, epochs, metrics, seconds in cells:
        wide.add_row(Text(name), engine, status, epochs, "\n".join(metrics), seconds)
    console = Console(width=width)
    unbounded = console.options.update_width(10_000)     # the table's own minimum width
    if Measurement.get(console, unbounded, wide).minimum <= width:
        return wide

    narrow = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True)
    narrow.add_column(_("run"), min_width=name_width, overflow="fold")
    narrow.add_column(_("final metrics"), overflow="fold",
                      max_width=max(8, width - name_width - 5))
    for name, engine, status, epochs, metrics, seconds in cells:
        details = " · ".join(x for x in (engine, status, _("{epochs} epochs").format(
            epochs=epochs), seconds) if x)
        narrow.add_row(Text(f"{name}\n") + Text(details, style="dim"), "\n".join(metrics))
    return narrow


@friendly
def runs_(
    runs: str | None = typer.Option(None, help=RUNS_HELP),
    root: str | None = typer.Option(None, "--root", hidden=True,
                                    help=_("The old name of --runs (deprecated).")),
):
    """List the runs."""
    from rich.console import Console
    from rich.markup import escape

    from redes.runs import list_runs, runs_root

    if root is not None:
        if runs is not None and runs != root:
            raise ValueError(_("--root: is the old name of --runs; give one of them, got "
                               "--runs {runs} and --root {root}").format(runs=runs, root=root))
        note(_("--root is now --runs; --root will go away"))
        runs = root
    folder = runs_root(runs)
    if runs is not None and not folder.is_dir():
        if folder.exists():
            message = _("--runs: expected the folder that holds your runs, got {runs}, which "
                        "is a file")
        else:
            message = _("--runs: expected the folder that holds your runs, got {runs}, which "
                        "does not exist")
        raise ValueError(message.format(runs=runs))
    rows = list_runs(folder)
    console = Console()
    if not rows:
        console.print(_("no runs yet in {folder}: train one with redes train RECIPE").format(
            folder=escape(str(folder))), soft_wrap=True)
        return
    console.print(_("runs in {folder}").format(folder=escape(str(folder))), soft_wrap=True)
    console.print(_runs_table(rows, console.width))
    for row in rows:              # each damaged run with the file at fault and why
        if row["status"] == "unreadable":
            console.print(escape(cli_names(row["error"], {"path": ""}).strip()),
                          soft_wrap=True, style="red")


def _open_runs(paths) -> list:
    """The runs among the RUNS arguments, which often come from a shell pattern such as
    ``runs/*``. A path that does not exist is an error; folders and files that are not
    runs (``runs/tune``, ``runs/tour.html``) or cannot be read are skipped with a note; no
    run at all is an error."""
    from pathlib import Path

    from redes.runs import Run, RunError

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(_("RUNS: no such folder: {paths}").format(
            paths=", ".join(missing)))
    opened, other, unreadable = [], [], []
    for path in paths:
        if not (Path(path) / "config.json").is_file():
            other.append(path)
            continue
        try:
            opened.append(Run.open(path))
        except RunError as exc:
            unreadable.append(cli_names(str(exc), {"path": ""}))
    if not opened:
        why = ([_("no config.json in {paths}").format(paths=", ".join(other))]
               if other else [])
        raise ValueError(_("RUNS: none of the folders given is a run ({reasons}); `redes "
                           "runs` lists the runs").format(reasons="; ".join(why + unreadable)))
    if other:
        note(_("skipped what is not a run (no config.json): {paths}").format(
            paths=", ".join(other)))
    for reason in unreadable:
        note(_("skipped an unreadable run: {reason}").format(reason=reason))
    return opened


def _curves(run) -> list[str]:
    """The names of a run's per-epoch curves that hold a value (``loss``, ``val_mae``...)."""
    return [k for k, v in run.history.items() if k != "epoch" and any(x is not None for x in v)]


def _RUNS_ARGUMENT():  # noqa: N802 - reads as the constant it stands for
    return typer.Argument(..., metavar="RUNS", help=_(
        "Run folders (e.g. runs/*: what is not a run is skipped)."))


@friendly(path="--output", metric="--metric")
def compare(
    runs: list[str] = _RUNS_ARGUMENT(),
    metric: str | None = typer.Option(None, help=_(
        "The curve to compare (default: val_loss when every run has it, else loss).")),
    output: str = typer.Option("compare.png", "--output", "-o", help=_("PNG file to write.")),
):
    """Overlay the learning curves of several runs on one plot."""
    from redes.report import figures

    opened = _open_runs(runs)
    have = [_curves(r) for r in opened]
    common = [k for k in have[0] if all(k in h for h in have[1:])]
    if metric is None:
        metric = next((m for m in ("val_loss", "loss") if m in common), None)
        if metric is None:
            raise ValueError(_("--metric: the runs share no curve to compare (no epoch "
                               "finished yet?)"))
        if metric != "val_loss":
            note(_("comparing {metric}: not every run has val_loss (k-fold runs and runs "
                   "without a validation set); --metric chooses another curve").format(
                metric=metric))
    elif metric not in common:
        missing = [r.name for r, h in zip(opened, have) if metric not in h]
        some = list(dict.fromkeys(k for h in have for k in h if k not in common))
        message = _("--metric: {metric!r} is not in the history of {runs}; the curves every "
                    "run has: {common}").format(metric=metric, runs=", ".join(missing),
                                               common=", ".join(common) or _("none"))
        if some:
            message += _(" (some runs also have {curves})").format(curves=", ".join(some))
        raise ValueError(message)
    folder_of(output)
    path = figures.compare({f"{r.name}": r for r in opened}, metric=metric, path=output)
    typer.echo(_("wrote {path}").format(path=path))


@friendly(path="--output", title="--title")
def report(
    runs: list[str] = _RUNS_ARGUMENT(),
    output: str = typer.Option("report.html", "--output", "-o", help=_("HTML file to write.")),
    title: str | None = typer.Option(None, help=_(
        "Title of the report (default: redes report, in the language of the report).")),
):
    """Write one self-contained HTML report with the figures and results of runs."""
    from redes.report import write_report

    opened = _open_runs(runs)
    folder_of(output)
    typer.echo(_("wrote {path}").format(path=write_report(opened, output, title=title)))
