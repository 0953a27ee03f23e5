"""The ``redes`` command.

Every command imports what it needs when it runs, so ``redes --help`` answers at once
(TensorFlow, in particular, is imported only by commands that use the Keras engine).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="redes: neural networks from scratch in NumPy and with Keras.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def devices() -> list[str]:
    """The devices the Keras engine can use, as TensorFlow sees them (CPU, GPU...)."""
    from redes.engines import import_keras

    try:
        import_keras()
    except RuntimeError:
        return []
    import tensorflow as tf

    return [f"{d.device_type}: {d.name}" for d in tf.config.list_physical_devices()]


@app.command()
def info(
    devices_: bool = typer.Option(
        True, "--devices/--no-devices",
        help="List the devices TensorFlow sees (imports TensorFlow, a few seconds).",
    ),
):
    """Versions, the Keras backend and the devices (CPU, GPU) available for training."""
    import os
    import platform

    from rich.console import Console
    from rich.table import Table

    import redes

    table = Table(title="redes", show_header=False)
    table.add_row("redes", redes.__version__)
    table.add_row("python", platform.python_version())
    table.add_row("platform", f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    for name in ("numpy", "scikit-learn", "matplotlib", "tensorflow", "tensorflow-cpu", "keras",
                 "torch", "optuna", "fastapi"):
        v = _version(name)
        if v:
            table.add_row(name, v)
    table.add_row("NumPy engine", "redes.nn (CPU, NumPy)")
    if _version("keras"):
        table.add_row("Keras backend", os.environ.get("KERAS_BACKEND", "tensorflow"))
    else:
        table.add_row("Keras engine", f"not installed: {_install('keras')}")
    if devices_ and _version("keras"):
        found = devices()
        table.add_row("devices", "\n".join(found) if found else "none found")
        if found and not any("GPU" in d for d in found):
            table.add_row("GPU", "none: the Keras engine runs on the CPU")
    Console().print(table)


def _install(extra: str) -> str:
    """The command that installs the optional dependencies ``extra`` (keras, web, tune...)
    the way this redes was installed: ``pip install -e ".[keras]"`` for an editable install
    from a checkout (the README's way; the checkout's path when it is not the current
    folder), else ``pip install "redes[keras]"``."""
    import json
    import os
    from importlib.metadata import PackageNotFoundError, distribution
    from urllib.parse import unquote, urlparse

    try:
        origin = json.loads(distribution("redes").read_text("direct_url.json") or "{}")
    except (PackageNotFoundError, ValueError):
        origin = {}
    url = origin.get("url", "") if isinstance(origin, dict) else ""
    if url.startswith("file://") and (origin.get("dir_info") or {}).get("editable"):
        checkout = unquote(urlparse(url).path)
        here = os.path.realpath(checkout) == os.path.realpath(os.getcwd())
        return f'pip install -e "{"." if here else checkout}[{extra}]"'
    return f'pip install "redes[{extra}]"'


def _fail(message: str, code: int = 2):
    import re

    from rich.console import Console
    from rich.markup import escape

    message = re.sub(r"pip install '?redes\[(\w+)\]'?", lambda m: _install(m[1]), message)
    # soft_wrap: long lines are left to the terminal, so that no command or path in the
    # message is cut by an inserted line break
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/bold red] {escape(message)}",
                                               highlight=False)
    raise typer.Exit(code)


def _folder_of(output) -> None:
    """Make the missing folder of an output file, and say so: a mistyped folder in ``-o``
    should not pass unnoticed."""
    from pathlib import Path

    from redes.i18n import _

    folder = Path(output).parent
    if not folder.exists():
        folder.mkdir(parents=True)
        _note(_("made the folder {folder} for {file}").format(folder=folder,
                                                              file=Path(output).name))


def _note(message: str) -> None:
    """A one-line note on standard error (what was skipped or chosen for the user)."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[yellow]note:[/yellow] {escape(message)}",
                                               highlight=False)


def _cli_names(message: str, names: dict) -> str:
    """``message`` with its leading Python argument name (``root: ...``) given as the
    command's own option or argument (``--runs: ...``); nested names that mean the same
    (``recipe: name: ...``) become one. A name mapped to "" is dropped."""
    head, sep, rest = message.partition(": ")
    if not sep or head not in names:
        return message
    cli = names[head]
    inner, sep, tail = rest.partition(": ")
    while sep and inner in names and names[inner] == cli:
        rest = tail
        inner, sep, tail = rest.partition(": ")
    return f"{cli}: {rest}" if cli else rest


def _friendly(fn=None, /, **names):
    """Show the messages of bad input (unknown recipe, missing data, bad file) without a
    traceback, and exit with code 2; and those of the machine (a full disk, a folder that
    cannot be written) with code 1.

    The functions behind the commands name their Python arguments in their messages
    (``root: ...``); ``names`` maps them to the command's options and arguments, e.g.
    ``@_friendly(path="RUN")``. ``root`` is always ``--runs``.
    """
    import functools

    names = {"root": "--runs", **names}

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except typer.Exit:
                raise
            except (ValueError, FileNotFoundError, RuntimeError) as exc:
                _fail(_cli_names(str(exc), names))
            except OSError as exc:
                _fail(_cli_names(str(exc), names), code=1)

        return wrapper

    return decorate if fn is None else decorate(fn)


def _load_recipe_arg(recipe: str):
    """A recipe name, or the path of a recipe JSON file (exported by the playground or by
    ``redes tune``)."""
    import json
    from pathlib import Path

    if recipe.endswith(".json"):
        path = Path(recipe)
        if not path.is_file():
            raise FileNotFoundError(f"RECIPE: no such file {recipe}")
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise ValueError(f"RECIPE: {recipe} is not valid JSON ({exc})") from exc
    return recipe


def _message(exc) -> str:
    """A recipe error's message without the recipe's and the override's own prefixes
    (``recipe 'wine': ``, ``name: ``, ``override: ``): the CLI names the option instead."""
    import re

    text = str(exc)
    text = re.sub(r"^override '([^']*)': ", r"\1: ", text)
    return re.sub(r"^((recipe( '[^']*')?|name|override|overrides): )+", "", text)


def _resolve_recipe_args(recipe: str, overrides, epochs) -> dict:
    """The recipe that ``redes train RECIPE --set ... --epochs N`` trains; its errors name
    RECIPE or --set."""
    from redes import recipes, runner

    try:
        resolved = runner.resolve_recipe(_load_recipe_arg(recipe))
    except recipes.RecipeError as exc:
        raise ValueError(f"RECIPE: {_message(exc)}") from None
    try:
        return runner.resolve_recipe(resolved, overrides, epochs)
    except recipes.RecipeError as exc:
        raise ValueError(f"--set: {_message(exc)}") from None


def _differences(a, b, where="") -> list[str]:
    """The dotted keys (``fit.batch_size``) whose values differ between two recipes."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in {**a, **b} for d in _differences(a.get(k), b.get(k),
                                                            f"{where}{k}.")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y,
                                                                             f"{where}{i}.")]
    return [] if a == b else [where.rstrip(".")]


def _check_resume_args(path, recipe, engine, seed, overrides, runs) -> None:
    """Refuse a RECIPE, --engine, --seed, --set or --runs given with ``--resume RUN`` that
    differs from what the run recorded: a run goes on as it started, in its own folder
    (equal values are fine)."""
    from redes import recipes
    from redes.runs import Run, runs_root

    run = Run.open(path)
    recorded = run.config["recipe"]
    if runs is not None and runs_root(runs).resolve() != run.path.resolve().parent:
        raise ValueError(f"--runs: {run.name} is in {run.path.parent}, not in {runs}; a "
                         "resumed run stays in its folder: leave --runs out")

    def refuse(option, why, new_run):
        raise ValueError(f"{option}: {why}; a run goes on as it started: leave {option} out "
                         f"to continue {run.name}, or start a new run with redes train "
                         f"{new_run}")

    if recipe is not None:
        given = _load_recipe_arg(recipe)
        name = given if isinstance(given, str) else (given.get("name")
                                                     if isinstance(given, dict) else None)
        if name != run.recipe:
            refuse("RECIPE", f"{run.name} trains the recipe {run.recipe!r}, not {name!r}",
                   recipe)
        if isinstance(given, dict):
            ignore = ("fit.epochs", "evaluation.retrain_epochs")   # --epochs changes them
            differ = [k for k in _differences(recorded, given) if k not in ignore]
            if differ:
                refuse("RECIPE", f"{recipe} differs from the recipe {run.name} was trained "
                                 f"with (in {', '.join(differ[:5])})", recipe)
    if engine is not None and engine != run.engine:
        refuse("--engine", f"{run.name} trains on {run.engine}, not {engine}",
               f"{run.recipe} --engine {engine}")
    recorded_seed = run.config.get("seed") or 0
    if seed is not None and seed != recorded_seed:
        refuse("--seed", f"{run.name} was started with seed {recorded_seed}, not {seed}",
               f"{run.recipe} --seed {seed}")
    if overrides:
        try:
            changed = recipes.apply_overrides(recorded, list(overrides))
        except recipes.RecipeError as exc:
            raise ValueError(f"--set: {_message(exc)}") from None
        differ = _differences(recorded, changed)
        if differ:
            key = differ[0]
            value = recorded
            for part in key.split("."):
                value = value[int(part)] if isinstance(value, list) else value.get(part)
            hint = (" (--epochs N with --resume trains it up to N epochs in all)"
                    if key in ("fit.epochs", "evaluation.retrain_epochs") else "")
            refuse("--set", f"{run.name} was trained with {key}={value!r}{hint}",
                   f"{run.recipe} " + " ".join(f"--set {o}" for o in overrides))


@app.command()
@_friendly(path="--resume", run="--resume", model="--resume", epochs="--epochs",
           name="RECIPE", seed="--seed", engine="--engine")
def train(
    recipe: str = typer.Argument(None, metavar="RECIPE", help="A recipe name (see `redes "
                                 "recipes`) or a recipe JSON file."),
    engine: str | None = typer.Option(None, "--engine", "-e", help="numpy or keras "
                                      "(default: numpy)."),
    epochs: int | None = typer.Option(None, min=1, help="Train this many epochs. With "
                                      "--resume: train the run up to this many epochs in "
                                      "all (more than it planned, to extend it)."),
    set_: list[str] = typer.Option(None, "--set", help="Change a recipe field, e.g. "
                                   "--set fit.batch_size=64 (repeatable)."),
    seed: int | None = typer.Option(None, min=0, help="Random seed (default: 0)."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
    resume: str | None = typer.Option(None, help="Continue this interrupted run (a folder) "
                                      "with its own recipe, engine and seed."),
    verbose: int = typer.Option(1, min=0, max=2, help="0 quiet, 1 progress bar, 2 a line "
                                "per epoch."),
):
    """Train a recipe and write a run directory (history, model, plots, TensorBoard)."""
    from rich.console import Console

    from redes import runner
    from redes.data import DatasetNotFoundError

    console = Console()
    if not resume and recipe is None:
        raise ValueError("RECIPE: give a recipe name, e.g. redes train digits "
                         "(`redes recipes` lists them), or --resume RUN")
    if engine not in (None, "numpy", "keras"):
        raise ValueError(f"--engine: expected numpy or keras, got {engine!r}")
    try:
        if resume:
            _check_resume_args(resume, recipe, engine, seed, set_, runs)
            run, result = runner.resume(resume, verbose=verbose, epochs=epochs)
        else:
            resolved = _resolve_recipe_args(recipe, set_ or (), epochs)
            try:
                run, result = runner.train(resolved, engine or "numpy", seed=seed or 0,
                                           root=runs, verbose=verbose)
            except DatasetNotFoundError as exc:
                variant = resolved.get("offline_variant")
                if not variant:
                    raise
                raise FileNotFoundError(f"{exc}\nWithout it, the recipe {variant} trains a "
                                        f"similar problem offline: redes train {variant}"
                                        ) from None
    except runner.Interrupted as stop:
        console.print(f"\n[yellow]interrupted[/yellow]: {stop.run.path} keeps its last "
                      f"finished epoch; continue it with: redes train --resume {stop.run.path}",
                      soft_wrap=True)
        raise typer.Exit(130) from None
    _print_measures(console, run, result)


def _print_measures(console, run, result):
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(run.title)}[/bold] ({run.engine})")
    table = Table()
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in {**result.measures(), **{f"test_{k}": v for k, v in result.test.items()}
                       }.items():
        table.add_row(key, f"{value:.4f}")
    console.print(table)
    console.print(f"run: [bold]{run.path}[/bold]", soft_wrap=True)


@app.command()
@_friendly(path="RUN", model="RUN")
def evaluate(run: str = typer.Argument(..., metavar="RUN", help="A run folder.")):
    """Score a run's saved model on its recipe's test set."""
    from rich.console import Console
    from rich.table import Table

    from redes.engines.training import prepare_data
    from redes.runs import Run

    r = Run.open(run)
    model = r.load_model()
    data = prepare_data(r.config["recipe"], r.config.get("seed") or 0)
    logs = model.evaluate(data["x_test"], data["y_test"], verbose=0, return_dict=True)
    console = Console()
    console.print(f"[bold]{r.name}[/bold] on its test set ({len(data['x_test'])} samples)")
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in logs.items():
        table.add_row(key, f"{float(value):.4f}")
    console.print(table)


@app.command()
@_friendly(path="RUN", model="RUN")
def predict(
    run: str = typer.Argument(..., metavar="RUN", help="A run folder."),
    input: str = typer.Argument(..., metavar="INPUT", help="Inputs: a .csv (one sample per "
                                "row, no header) or a .npy file, before preprocessing."),
    output: str | None = typer.Option(None, "--output", "-o", help="CSV file for the "
                                      "predictions (default: print them)."),
):
    """Predict with a run's model: raw inputs in (CSV or NPY), predictions out as CSV."""
    import sys
    from pathlib import Path

    import numpy as np

    from redes.engines.training import prepare_data
    from redes.runs import Run

    r = Run.open(run)
    path = Path(input)
    if not path.is_file():
        raise FileNotFoundError(f"INPUT: no such file {input}")
    if path.suffix == ".npy":
        from redes.data.formats import read_npy

        x = read_npy(path)
    elif path.suffix == ".csv":
        try:
            x = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
        except ValueError as exc:
            raise ValueError(f"INPUT: {input} must hold numbers only, comma-separated "
                             f"({exc})") from exc
    else:
        raise ValueError(f"INPUT: expected a .csv or .npy file, got {input}")
    data = prepare_data(r.config["recipe"], r.config.get("seed") or 0)
    expected = data["raw"]["x_test"].shape[1:]
    if x.shape[1:] != expected:
        if x.ndim == 2 and int(np.prod(expected)) == x.shape[1]:
            x = x.reshape((len(x), *expected))
        else:
            raise ValueError(f"INPUT: expected samples of shape {expected} (one per row), got "
                             f"an array of shape {x.shape}")
    x, _ = data["preprocessor"].transform(x.astype(np.float32))
    y = np.asarray(r.load_model().predict(x, verbose=0)).reshape(len(x), -1)
    header = ",".join(f"output_{i}" for i in range(y.shape[1]))
    if output:       # written whole, then renamed over the old file: a kill loses nothing
        import io

        from redes._base.files import write_text

        text = io.StringIO()
        np.savetxt(text, y, delimiter=",", header=header, comments="", fmt="%.6g")
        _folder_of(output)
        write_text(Path(output), text.getvalue())
        typer.echo(f"wrote {len(y)} predictions to {output}")
    else:
        np.savetxt(sys.stdout, y, delimiter=",", header=header, comments="", fmt="%.6g")


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

    name_width = max(len(row["name"]) for row in rows)
    cells = []
    for row in rows:
        metrics = [f"{k} {v:.4g}" for k, v in (row["metrics"] or {}).items()
                   if isinstance(v, (int, float)) and not k.startswith("test_")]
        epochs = f"{row['epochs']}/{row['planned_epochs'] or '?'}"
        seconds = f"{row['seconds']:.1f}s" if row["seconds"] else ""
        cells.append((row["name"], row["engine"] or "", row["status"], epochs, metrics,
                      seconds))

    wide = Table(box=box.SIMPLE_HEAD, show_edge=False)
    wide.add_column("run", no_wrap=True, min_width=name_width)
    for column in ("engine", "status", "epochs"):
        wide.add_column(column, no_wrap=True)
    wide.add_column("final metrics", overflow="fold")
    wide.add_column("time", justify="right", no_wrap=True)
    for name, engine, status, epochs, metrics, seconds in cells:
        wide.add_row(Text(name), engine, status, epochs, "\n".join(metrics), seconds)
    console = Console(width=width)
    unbounded = console.options.update_width(10_000)     # the table's own minimum width
    if Measurement.get(console, unbounded, wide).minimum <= width:
        return wide

    narrow = Table(box=box.SIMPLE_HEAD, show_edge=False, show_lines=True)
    narrow.add_column("run", min_width=name_width, overflow="fold")
    narrow.add_column("final metrics", overflow="fold", max_width=max(8, width - name_width - 5))
    for name, engine, status, epochs, metrics, seconds in cells:
        details = " · ".join(x for x in (engine, status, f"{epochs} epochs", seconds) if x)
        narrow.add_row(Text(f"{name}\n") + Text(details, style="dim"), "\n".join(metrics))
    return narrow


@app.command("runs")
@_friendly
def runs_(
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
    root: str | None = typer.Option(None, "--root", hidden=True,
                                    help="The old name of --runs (deprecated)."),
):
    """List the runs: recipe, engine, status, epochs and final metrics."""
    from rich.console import Console
    from rich.markup import escape

    from redes.runs import list_runs, runs_root

    if root is not None:
        if runs is not None and runs != root:
            raise ValueError(f"--root: is the old name of --runs; give one of them, got "
                             f"--runs {runs} and --root {root}")
        _note("--root is now --runs; --root will go away")
        runs = root
    folder = runs_root(runs)
    if runs is not None and not folder.is_dir():
        raise ValueError(f"--runs: expected the folder that holds your runs, got {runs}, which "
                         f"{'is a file' if folder.exists() else 'does not exist'}")
    rows = list_runs(folder)
    console = Console()
    if not rows:
        console.print(f"no runs yet in {escape(str(folder))}: train one with "
                      "redes train RECIPE", soft_wrap=True)
        return
    console.print(f"runs in {escape(str(folder))}", soft_wrap=True)
    console.print(_runs_table(rows, console.width))
    for row in rows:              # each damaged run with the file at fault and why
        if row["status"] == "unreadable":
            console.print(escape(_cli_names(row["error"], {"path": ""}).strip()),
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
        raise FileNotFoundError(f"RUNS: no such folder: {', '.join(missing)}")
    opened, other, unreadable = [], [], []
    for path in paths:
        if not (Path(path) / "config.json").is_file():
            other.append(path)
            continue
        try:
            opened.append(Run.open(path))
        except RunError as exc:
            unreadable.append(_cli_names(str(exc), {"path": ""}))
    if not opened:
        why = [f"no config.json in {', '.join(other)}"] if other else []
        raise ValueError(f"RUNS: none of the folders given is a run ({'; '.join(why + unreadable)})"
                         "; `redes runs` lists the runs")
    if other:
        _note(f"skipped what is not a run (no config.json): {', '.join(other)}")
    for reason in unreadable:
        _note(f"skipped an unreadable run: {reason}")
    return opened


def _curves(run) -> list[str]:
    """The names of a run's per-epoch curves that hold a value (``loss``, ``val_mae``...)."""
    return [k for k, v in run.history.items() if k != "epoch" and any(x is not None for x in v)]


@app.command()
@_friendly(path="--output", metric="--metric")
def compare(
    runs: list[str] = typer.Argument(..., metavar="RUNS", help="Run folders (e.g. runs/*: "
                                     "what is not a run is skipped)."),
    metric: str | None = typer.Option(None, help="The curve to compare (default: val_loss "
                                      "when every run has it, else loss)."),
    output: str = typer.Option("compare.png", "--output", "-o", help="PNG file to write."),
):
    """Overlay the learning curves of several runs on one plot."""
    from redes.report import figures

    opened = _open_runs(runs)
    have = [_curves(r) for r in opened]
    common = [k for k in have[0] if all(k in h for h in have[1:])]
    if metric is None:
        metric = next((m for m in ("val_loss", "loss") if m in common), None)
        if metric is None:
            raise ValueError("--metric: the runs share no curve to compare (no epoch "
                             "finished yet?)")
        if metric != "val_loss":
            _note(f"comparing {metric}: not every run has val_loss (k-fold runs and runs "
                  "without a validation set); --metric chooses another curve")
    elif metric not in common:
        missing = [r.name for r, h in zip(opened, have) if metric not in h]
        some = list(dict.fromkeys(k for h in have for k in h if k not in common))
        raise ValueError(f"--metric: {metric!r} is not in the history of {', '.join(missing)};"
                         f" the curves every run has: {', '.join(common) or 'none'}"
                         + (f" (some runs also have {', '.join(some)})" if some else ""))
    _folder_of(output)
    path = figures.compare({f"{r.name}": r for r in opened}, metric=metric, path=output)
    typer.echo(f"wrote {path}")


@app.command()
@_friendly(path="--output", title="--title")
def report(
    runs: list[str] = typer.Argument(..., metavar="RUNS", help="Run folders (e.g. runs/*: "
                                     "what is not a run is skipped)."),
    output: str = typer.Option("report.html", "--output", "-o", help="HTML file to write."),
    title: str = typer.Option("redes report", help="Title of the report."),
):
    """Write one self-contained HTML report with the figures and results of runs."""
    from redes.report import write_report

    opened = _open_runs(runs)
    _folder_of(output)
    typer.echo(f"wrote {write_report(opened, output, title=title)}")


@app.command()
@_friendly
def recipes():
    """List the recipes: the course's lessons, and whether their data is on this machine."""
    from rich.console import Console
    from rich.table import Table

    from redes import recipes as module
    from redes.data import info

    table = Table(title="recipes", caption="Missing data: `redes data add NAME FILE` "
                  "registers a file you downloaded; until then, train the recipe named "
                  "(`redes train` of a missing one stops and says how to get its data).")
    for column in ("name", "lesson", "data"):
        table.add_column(column)
    for name in module.names():
        recipe = module.get(name)
        dataset = recipe["dataset"]["name"]
        variant = recipe.get("offline_variant")
        if info(dataset).offline:
            note = "here"
        elif variant:
            note = f"missing ({dataset}): use {variant} offline"
        else:
            note = f"missing ({dataset}): redes data add {dataset} FILE"
        table.add_row(name, recipe["title"], note)
    Console().print(table)


data_app = typer.Typer(help="Datasets: list them, register a downloaded file.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("list")
@_friendly
def data_list():
    """Every dataset: its task, where it comes from, and whether it loads offline now."""
    from rich.console import Console
    from rich.table import Table

    from redes.data import available

    table = Table(title="datasets")
    for column in ("name", "task", "source", "offline", "description"):
        table.add_column(column)
    for item in available():
        d = item.to_dict()
        table.add_row(d["name"], d["task"], d["source"], "yes" if d["offline"] else "no",
                      d["description"])
    Console().print(table)


@data_app.command("add")
@_friendly(name="NAME", path="PATH")
def data_add(
    name: str = typer.Argument(..., metavar="NAME", help="mnist, fashion_mnist, imdb, "
                               "reuters or boston_housing."),
    path: list[str] = typer.Argument(..., metavar="PATH", help="The file(s) Keras "
                                     "downloads for it."),
):
    """Register a dataset file you downloaded, so redes finds it offline. The file replaces an
    earlier copy only if every recipe on the dataset can load and prepare it."""
    from redes import data, runner

    for written in data.add(name, *path, check=runner.check_dataset):
        typer.echo(f"saved {written}")


@app.command()
@_friendly(path="--output", seed="--seed", epochs="--epochs", engines="--engines")
def tour(
    engines: str = typer.Option("numpy,keras", help="Engines to run, comma-separated."),
    epochs: int | None = typer.Option(None, min=1, help="Override every recipe's epochs."),
    seed: int = typer.Option(0, min=0, help="Random seed."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
    output: str | None = typer.Option(None, "--output", "-o", help="HTML report (default: "
                                      "tour.html in the runs folder)."),
):
    """Train every offline recipe on the engines (both by default) and write one HTML
    report."""
    from rich.console import Console

    from redes import runner
    from redes.tour import run_tour

    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    bad = [e for e in chosen if e not in ("numpy", "keras")]
    if bad or not chosen:
        raise typer.BadParameter(
            f"expected engines among numpy, keras; got {engines!r}", param_hint="--engines"
        )
    again = "running `redes tour` again starts the tour over (finished runs stay)"
    try:
        run_tour(chosen, epochs=epochs, seed=seed, root=runs, output=output)
    except runner.Interrupted as stop:
        run = stop.run
        Console(stderr=True, soft_wrap=True).print(
            f"\n[yellow]interrupted[/yellow]: the tour stopped while training {run.recipe} on "
            f"{run.engine}; that run keeps its last finished epoch, continue it with: redes "
            f"train --resume {run.path}; {again}", highlight=False)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        Console(stderr=True, soft_wrap=True).print(
            f"\n[yellow]interrupted[/yellow]: the tour stopped between runs; {again}",
            highlight=False)
        raise typer.Exit(130) from None


@app.command()
@_friendly(recipe="RECIPE", name="RECIPE", trials="--trials", engine="--engine",
           study_name="--study", storage="--storage", workers="--workers", pruner="--pruner",
           epochs="--epochs", timeout="--timeout", seed="--seed")
def tune(
    recipe: str = typer.Argument(None, metavar="RECIPE", help="A recipe name or a recipe "
                                 "JSON file; leave it out to join the study given by --study."),
    trials: int = typer.Option(20, min=1, help="Trials to run (split between the workers)."),
    engine: str = typer.Option("numpy", "--engine", "-e", help="numpy or keras."),
    study: str | None = typer.Option(None, help="Study name (default: RECIPE-ENGINE). The "
                                     "same name continues a study, or joins it from "
                                     "another machine."),
    storage: str | None = typer.Option(None, help="Database URL, e.g. postgresql://user:"
                                       "password@host:5432/db (default: the SQLite file "
                                       "RUNS/tune/STUDY.db)."),
    workers: int = typer.Option(1, min=1, help="Local worker processes sharing the study."),
    pruner: str = typer.Option("median", help="median, hyperband or none. The median "
                               "pruner waits for a few completed trials (at most 5) and "
                               "never stops a trial in its first epochs."),
    epochs: int | None = typer.Option(None, min=1, help="Train every trial this many "
                                      "epochs (epochs leaves the search space)."),
    timeout: float | None = typer.Option(None, min=0, help="Stop starting trials after "
                                         "this many seconds."),
    seed: int = typer.Option(0, min=0, help="Seed of the sampler and of every trial."),
    runs: str | None = typer.Option(None, help="Runs folder (default: $REDES_RUNS or ./runs)."),
):
    """Search a recipe's hyperparameters with Optuna; write the best one as a recipe JSON.
    Ctrl+C stops it and keeps the trials that ended."""
    import importlib.util
    import shlex

    from rich.console import Console

    if importlib.util.find_spec("optuna") is None:
        raise RuntimeError(f"redes tune needs Optuna: {_install('tune')}")
    from redes.tune import run_study
    from redes.tune.storage import mask
    from redes.tune.study import Interrupted

    if pruner not in ("median", "hyperband", "none"):
        raise ValueError(f"--pruner: expected median, hyperband or none, got {pruner!r}")
    if recipe is None and study is None:
        raise ValueError("RECIPE: give a recipe name or JSON file (see `redes recipes`), or "
                         "--study NAME to join an existing study")
    console = Console()
    try:
        result = run_study(_load_recipe_arg(recipe) if recipe else None, trials,
                           engine=engine, storage=storage, study_name=study, workers=workers,
                           seed=seed, pruner=None if pruner == "none" else pruner,
                           epochs=epochs, timeout=timeout, root=runs)
    except Interrupted as stop:
        name = stop.result.study_name
        where = stop.result.storage.removeprefix("sqlite:///")
        command = ["redes", "tune", "--study", name, "--trials",
                   str(max(1, stop.trials - stop.finished))]
        for option, value, default in (("--storage", storage and mask(storage), None),
                                       ("--runs", runs, None), ("--pruner", pruner, "median"),
                                       ("--workers", workers, 1)):
            if value != default:
                command += [option, str(value)]
        Console(stderr=True, soft_wrap=True).print(
            f"\n[yellow]interrupted[/yellow]: {stop.finished} of {stop.trials} trials "
            f"finished; the study {name} is saved in {where}; continue it with: "
            f"{shlex.join(command)}", highlight=False)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:          # before the study was open: nothing ran
        Console(stderr=True).print("\n[yellow]interrupted[/yellow] before the first trial")
        raise typer.Exit(130) from None
    console.print(result.summary(), soft_wrap=True)
    console.print(result.table())
    if result.best_recipe_path:
        console.print(f"best recipe: [bold]{result.best_recipe_path}[/bold] (train it with "
                      f"redes train {result.best_recipe_path})", soft_wrap=True)
    console.print(f"study files: {result.folder}", soft_wrap=True)


@app.command()
@_friendly(port="--port", board="")
def board(
    runs: str | None = typer.Option(None, help="Folder to show (default: $REDES_RUNS or "
                                    "./runs); RUNS/tune/STUDY/tensorboard shows one study's "
                                    "HParams."),
    port: int = typer.Option(6006, min=0, max=65535, help="Port to listen on."),
):
    """TensorBoard on the runs and studies, at http://127.0.0.1:PORT (Ctrl+C stops it)."""
    from redes.tune import board as run_board
    from redes.tune import board_command

    board_command(runs, port=port)              # checks the folder, the port, TensorBoard
    typer.echo(f"TensorBoard on http://127.0.0.1:{port} (Ctrl+C stops it)")
    raise typer.Exit(run_board(runs, port=port))


@app.command()
def playground(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 127.0.0.1 keeps the "
                             "playground to this computer."),
    port: int = typer.Option(8765, min=1, max=65535, help="Port to listen on."),
    open_browser: bool = typer.Option(True, "--open/--no-open",
                                      help="Open the page in the web browser."),
    allow_host: list[str] = typer.Option(None, "--allow-host", metavar="NAME",
                                         help="Another name the playground answers to, "
                                         "e.g. aula.local or 192.168.1.5:8765 (repeatable). "
                                         "Requests naming any other host are refused."),
):
    """Play with a network in the browser, like the TensorFlow Playground (Ctrl+C stops it)."""
    try:
        from redes.playground.server import check_listen_host, parse_host, serve
    except ImportError as exc:
        typer.echo(f"redes playground: {exc}; install it with: {_install('web')}", err=True)
        raise typer.Exit(1) from None
    try:                # refused before the server starts, which would stop with exit code 3
        check_listen_host(host)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--host") from None
    names = allow_host or []
    for name in names:
        try:
            parse_host(name)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--allow-host") from None
    try:
        serve(host, port, open_browser, allow_hosts=names)
    except OSError as exc:     # it could not listen: the port is in use, say
        _fail(str(exc), code=1)


def _stop_as_ctrl_c(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    """The ``redes`` command. SIGTERM (``kill``, a service manager) stops it as Ctrl+C does:
    a training keeps its last finished epoch, a study its finished trials, and each says how
    to continue."""
    import signal

    signal.signal(signal.SIGTERM, _stop_as_ctrl_c)
    app()


if __name__ == "__main__":
    main()
