"""``redes info``: versions, the Keras backend and the devices for training."""

from __future__ import annotations

import typer

from redes.i18n import _

from ._common import install_hint, version_of


def devices() -> list[str]:
    """The devices the Keras engine can use, as TensorFlow sees them (CPU, GPU...)."""
    from redes.engines import import_keras

    try:
        import_keras()
    except RuntimeError:
        return []
    import tensorflow as tf

    return [f"{d.device_type}: {d.name}" for d in tf.config.list_physical_devices()]


def info(
    devices_: bool = typer.Option(
        True, "--devices/--no-devices",
        help=_("List the devices TensorFlow sees (imports TensorFlow, a few seconds)."),
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
    table.add_row(_("platform"), _("{system} {machine}, {cpus} CPUs").format(
        system=platform.system(), machine=platform.machine(), cpus=os.cpu_count()))
    for name in ("numpy", "scikit-learn", "matplotlib", "tensorflow", "tensorflow-cpu", "keras",
                 "torch", "optuna", "fastapi"):
        v = version_of(name)
        if v:
            table.add_row(name, v)
    from redes.nn import cores

    blas = cores.blas_name() or _("unknown library")
    table.add_row(_("NumPy engine"), _("redes.nn (CPU, NumPy); BLAS: {blas}, threads: {threads}")
                  .format(blas=blas, threads=cores.blas_threads()))
    if version_of("keras"):
        table.add_row(_("Keras backend"), os.environ.get("KERAS_BACKEND", "tensorflow"))
    else:
        table.add_row(_("Keras engine"), _("not installed: {command}").format(
            command=install_hint("keras")))
    if devices_ and version_of("keras"):
        found = devices()
        table.add_row(_("devices"), "\n".join(found) if found else _("none found"))
        if found and not any("GPU" in d for d in found):
            table.add_row("GPU", _("none: the Keras engine runs on the CPU"))
    Console().print(table)
