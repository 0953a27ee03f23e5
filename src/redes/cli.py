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
        table.add_row("Keras engine", "not installed: pip install 'redes[keras]'")
    if devices_ and _version("keras"):
        found = devices()
        table.add_row("devices", "\n".join(found) if found else "none found")
        if found and not any("GPU" in d for d in found):
            table.add_row("GPU", "none: the Keras engine runs on the CPU")
    Console().print(table)


@app.command()
def tour(
    engines: str = typer.Option("numpy,keras", help="Engines to run, comma-separated."),
    epochs: int | None = typer.Option(None, min=1, help="Override every recipe's epochs."),
    seed: int = typer.Option(0, min=0, help="Random seed."),
):
    """Train the course's offline problems on both engines and compare the results."""
    from redes.tour import run_tour

    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    bad = [e for e in chosen if e not in ("numpy", "keras")]
    if bad or not chosen:
        raise typer.BadParameter(
            f"expected engines among numpy, keras; got {engines!r}", param_hint="--engines"
        )
    run_tour(chosen, epochs=epochs, seed=seed)


@app.command()
def playground(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 127.0.0.1 keeps the "
                             "playground to this computer."),
    port: int = typer.Option(8765, min=1, max=65535, help="Port to listen on."),
    open_browser: bool = typer.Option(True, "--open/--no-open",
                                      help="Open the page in the web browser."),
):
    """Play with a network in the browser, like the TensorFlow Playground (Ctrl+C stops it)."""
    try:
        from redes.playground import serve
    except ImportError as exc:
        typer.echo(f"redes playground: {exc}; install it with: pip install 'redes[web]'",
                   err=True)
        raise typer.Exit(1) from None
    serve(host, port, open_browser)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
