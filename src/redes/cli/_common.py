"""What the commands share: how errors and notes are shown, the install hint, the recipe
argument, and the messages' Python argument names given as the command's options."""

from __future__ import annotations

import typer

from redes.i18n import _

# built when the commands are, in the language ``redes.cli.main`` chose before
RUNS_HELP = _("Runs folder (default: $REDES_RUNS or ./runs).")


def version_of(name: str) -> str | None:
    """The installed version of the distribution ``name``, or None."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def install_hint(extra: str) -> str:
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


def fail(message: str, code: int = 2):
    """Print ``error: message`` on standard error and exit with ``code`` (2: bad input,
    1: the machine failed)."""
    import re

    from rich.console import Console
    from rich.markup import escape

    message = re.sub(r"pip install '?redes\[(\w+)\]'?", lambda m: install_hint(m[1]), message)
    # soft_wrap: long lines are left to the terminal, so that no command or path in the
    # message is cut by an inserted line break
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/bold red] {escape(message)}",
                                               highlight=False)
    raise typer.Exit(code)


def note(message: str) -> None:
    """A one-line note on standard error (what was skipped or chosen for the user)."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(
        f"[yellow]{escape(_('note:'))}[/yellow] {escape(message)}", highlight=False)


def interrupted(message: str) -> None:
    """``interrupted: message`` on standard error, after Ctrl+C or SIGTERM."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(
        f"\n[yellow]{escape(_('interrupted'))}[/yellow]: {escape(message)}", highlight=False)


def folder_of(output) -> None:
    """Make the missing folder of an output file, and say so: a mistyped folder in ``-o``
    should not pass unnoticed."""
    from pathlib import Path

    folder = Path(output).parent
    if not folder.exists():
        folder.mkdir(parents=True)
        note(_("made the folder {folder} for {file}").format(folder=folder,
                                                             file=Path(output).name))


def cli_names(message: str, names: dict) -> str:
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


def friendly(fn=None, /, **names):
    """Show the messages of bad input (unknown recipe, missing data, bad file) without a
    traceback, and exit with code 2; and those of the machine (a full disk, a folder that
    cannot be written) with code 1.

    The functions behind the commands name their Python arguments in their messages
    (``root: ...``); ``names`` maps them to the command's options and arguments, e.g.
    ``@friendly(path="RUN")``. ``root`` is always ``--runs``.
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
                fail(cli_names(str(exc), names))
            except OSError as exc:
                fail(cli_names(str(exc), names), code=1)

        return wrapper

    return decorate if fn is None else decorate(fn)


def load_recipe_arg(recipe: str):
    """A recipe name, or the recipe of a JSON file (exported by the playground or by
    ``redes tune``)."""
    import json
    from pathlib import Path

    if recipe.endswith(".json"):
        path = Path(recipe)
        if not path.is_file():
            raise FileNotFoundError(_("RECIPE: no such file {path}").format(path=recipe))
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise ValueError(_("RECIPE: {path} is not valid JSON ({reason})").format(
                path=recipe, reason=exc)) from exc
    return recipe


def recipe_message(exc) -> str:
    """A recipe error's message without the recipe's and the override's own prefixes
    (``recipe 'wine': ``, ``name: ``, ``override: ``): the CLI names the option instead."""
    import re

    text = str(exc)
    text = re.sub(r"^override '([^']*)': ", r"\1: ", text)
    return re.sub(r"^((recipe( '[^']*')?|name|override|overrides): )+", "", text)
