"""Typer's own words ("Usage:", "Options", "Error", "No such option ...") in the user's
language.

Typer writes some of its words through gettext's default domain, for which redes ships no
compiled catalog, and others as plain English text (its copy of Click, and the checks of
option values). ``install`` points the first at redes' catalogs; ``Group`` and ``Command``,
the classes of redes' commands, write the usage line and the help option in the user's
language and translate the errors of the command line before Typer shows them.
"""

from __future__ import annotations

import contextlib
import re

from typer.core import TyperCommand, TyperGroup

from redes.i18n import N_, _, translated


def _usage_errors():
    """``(pattern of Typer's English message, its message in the user's language)``."""
    return (
        (r"No such option: (?P<name>.+)", _("No such option: {name}")),
        (r"Missing argument (?P<name>'[^']*')\.", _("Missing argument {name}.")),
        (r"Missing option (?P<name>'[^']*')\.", _("Missing option {name}.")),
        (r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
         _("Got unexpected extra argument(s) ({args})")),
        (r"Option (?P<name>'[^']*') requires an argument\.",
         _("Option {name} requires an argument.")),
        (r"Option (?P<name>'[^']*') does not take a value\.",
         _("Option {name} does not take a value.")),
        (r"Invalid value for (?P<hint>.+?): (?P<message>.*)",
         _("Invalid value for {hint}: {message}")),
        (r"Input should be a valid integer, unable to parse string as an integer",
         _("Input should be a whole number")),
        (r"Input should be a valid number, unable to parse string as a number",
         _("Input should be a number")),
        (r"Input should be greater than or equal to (?P<limit>\S+)",
         _("Input should be greater than or equal to {limit}")),
        (r"Input should be less than or equal to (?P<limit>\S+)",
         _("Input should be less than or equal to {limit}")),
    )


def translate_usage_error(message: str) -> str:
    """Typer's English ``message`` in the user's language (unchanged if it is not one)."""
    for pattern, shown in _usage_errors():
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            parts = {key: translate_usage_error(value) for key, value
                     in match.groupdict().items()}
            return shown.format(**parts)
    return message


@contextlib.contextmanager
def _translated_errors():
    from typer._click.exceptions import UsageError

    try:
        yield
    except UsageError as exc:
        shown = translate_usage_error(exc.format_message())
        exc.format_message = lambda: shown      # what Typer prints in its error box
        raise


class _Translated:
    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=_("Usage:") + " ")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def make_context(self, *args, **kwargs):
        with _translated_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _translated_errors():
            return super().invoke(ctx)


class Group(_Translated, TyperGroup):
    """A group of redes commands (``redes``, ``redes data``)."""


class Command(_Translated, TyperCommand):
    """A redes command."""


def install() -> None:
    """Typer's words that go through gettext (``No such command``, the panel titles, the
    help hint) are shown in the user's language from now on."""
    import typer.core
    import typer.rich_utils as rich

    typer.core._ = translated
    # rich_utils reads these once, when it is imported
    rich.ARGUMENTS_PANEL_TITLE = _("Arguments")
    rich.OPTIONS_PANEL_TITLE = _("Options")
    rich.COMMANDS_PANEL_TITLE = _("Commands")
    rich.ERRORS_PANEL_TITLE = _("Error")
    rich.ABORTED_TEXT = _("Aborted.")
    rich.REQUIRED_LONG_STRING = _("[required]")
    rich.DEFAULT_STRING = _("[default: {value}]").replace("{value}", "{}")
    rich.RICH_HELP = _("Try [blue]'{command_path} {help_option}'[/] for help.")


# the words Typer looks up with gettext (typer/core.py), marked for the catalogs
TYPER_WORDS = (N_("Missing command."), N_("No such command {name!r}."), N_("Aborted!"),
               N_("required"), N_("default: {default}"))
