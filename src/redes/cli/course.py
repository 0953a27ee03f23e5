"""``redes recipes``, ``redes data`` and ``redes tour``: the course's lessons, their data,
and every offline lesson trained in one go."""

from __future__ import annotations

import typer

from redes.i18n import _, translated

from ._common import RUNS_HELP, friendly, interrupted


@friendly
def recipes():
    """List the recipes."""
    from rich.console import Console
    from rich.table import Table

    from redes import recipes as module
    from redes.data import info

    table = Table(title=_("recipes"), caption=_(
        "Missing data: `redes data add NAME FILE` registers a file you downloaded; until "
        "then, train the recipe named (`redes train` of a missing one stops and says how to "
        "get its data)."))
    for column in (_("name"), _("lesson"), _("data")):
        table.add_column(column)
    for name in module.names():
        recipe = module.get(name)
        dataset = recipe["dataset"]["name"]
        variant = recipe.get("offline_variant")
        if info(dataset).offline:
            where = _("here")
        elif variant:
            where = _("missing ({dataset}): use {variant} offline").format(dataset=dataset,
                                                                          variant=variant)
        else:
            where = _("missing ({dataset}): redes data add {dataset} FILE").format(
                dataset=dataset)
        table.add_row(name, translated(recipe["title"]), where)
    Console().print(table)


@friendly
def data_list():
    """Every dataset: its task, where it comes from, and whether it loads offline now."""
    from rich.console import Console
    from rich.table import Table

    from redes.data import available

    table = Table(title=_("datasets"))
    for column in (_("name"), _("task"), _("source"), _("offline"), _("description")):
        table.add_column(column)
    for item in available():
        d = item.to_dict()
        table.add_row(d["name"], d["task"], d["source"], _("yes") if d["offline"] else _("no"),
                      translated(d["description"]))
    Console().print(table)


@friendly(name="NAME", path="PATH")
def data_add(
    name: str = typer.Argument(..., metavar="NAME", help=_(
        "mnist, fashion_mnist, imdb, reuters or boston_housing.")),
    path: list[str] = typer.Argument(..., metavar="PATH", help=_(
        "The file(s) Keras downloads for it.")),
):
    """Register a dataset file you downloaded."""
    from redes import data, training_runs

    for written in data.add(name, *path, check=training_runs.check_dataset):
        typer.echo(_("saved {path}").format(path=written))


@friendly(path="--output", seed="--seed", epochs="--epochs", engines="--engines")
def tour(
    engines: str = typer.Option("numpy,keras", help=_("Engines to run, comma-separated.")),
    epochs: int | None = typer.Option(None, min=1, help=_("Override every recipe's epochs.")),
    seed: int = typer.Option(0, min=0, help=_("Random seed.")),
    runs: str | None = typer.Option(None, help=RUNS_HELP),
    output: str | None = typer.Option(None, "--output", "-o", help=_(
        "HTML report (default: tour.html in the runs folder).")),
):
    """Train every offline recipe on the engines and write one HTML report."""
    from redes import training_runs
    from redes.tour import run_tour

    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    bad = [e for e in chosen if e not in ("numpy", "keras")]
    if bad or not chosen:
        raise typer.BadParameter(
            _("expected engines among numpy, keras; got {value!r}").format(value=engines),
            param_hint="--engines")
    again = _("running `redes tour` again starts the tour over (finished runs stay)")
    try:
        run_tour(chosen, epochs=epochs, seed=seed, root=runs, output=output)
    except training_runs.Interrupted as stop:
        run = stop.run
        interrupted(_("the tour stopped while training {recipe} on {engine}; that run keeps "
                      "its last finished epoch, continue it with: redes train --resume "
                      "{path}; {again}").format(recipe=run.recipe, engine=run.engine,
                                                path=run.path, again=again))
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        interrupted(_("the tour stopped between runs; {again}").format(again=again))
        raise typer.Exit(130) from None
