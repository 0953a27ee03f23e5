"""The ``redes`` command line: one module per group of commands.

``main`` is the ``redes`` command. It takes the language first (``--lang``, then
``REDES_LANG``, then the locale), so that the help and the messages of Click and Typer are
in it too, and only then builds the commands (``redes.cli.commands``). ``from redes.cli import
app`` gives the Typer application, e.g. for ``typer.testing.CliRunner``.
"""

from __future__ import annotations


def _language_in(argv: list[str]) -> str | None:
    """The value of ``--lang`` among the options before the command, if any."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            break
    return None


def _stop_as_ctrl_c(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    """The ``redes`` command. SIGTERM (``kill``, a service manager) stops it as Ctrl+C does:
    a training keeps its last finished epoch, a study its finished trials, and each says how
    to continue."""
    import signal
    import sys

    from redes.i18n import set_language

    signal.signal(signal.SIGTERM, _stop_as_ctrl_c)
    lang = _language_in(sys.argv[1:])
    try:
        set_language(lang)
    except ValueError:
        pass                 # --lang refuses it, with the other errors of the command line
    from .commands import app

    app()


def __getattr__(name):
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(f"module 'redes.cli' has no attribute {name!r}")
