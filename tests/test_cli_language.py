"""The `redes` command speaks the user's language: `--lang`, then REDES_LANG, then the locale
(Spanish for es_*), in the help, the tables, the results, Typer's own words and the errors.

The help texts are translated when the commands are built, so each language runs in its own
process, as a person runs `redes`."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

COMMANDS = [[], ["info"], ["train"], ["evaluate"], ["predict"], ["runs"], ["compare"],
            ["report"], ["recipes"], ["tour"], ["tune"], ["board"], ["playground"], ["data"],
            ["data", "list"], ["data", "add"]]

SCRIPT = """
import json, sys
from typer.testing import CliRunner
from redes.cli import app
out = {}
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args, terminal_width=100)
    out[" ".join(args)] = [result.exit_code, result.output]
print(json.dumps(out))
"""


def _redes(*args, env=None, cwd=None):
    """``redes ARGS`` in a new process; its exit code and everything it printed."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("REDES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "redes.cli", *args], capture_output=True,
                          text=True, env={**base, "COLUMNS": "120", **(env or {})}, cwd=cwd,
                          timeout=300)
    return done.returncode, done.stdout + done.stderr


def _invoke_all(argument_lists, env):
    """Each argument list through CliRunner, all in one new process with ``env``."""
    import json

    base = {k: v for k, v in os.environ.items()
            if k not in ("REDES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(argument_lists)],
                          capture_output=True, text=True, env={**base, **env}, check=True,
                          timeout=300)
    return json.loads(done.stdout)


def test_a_spanish_locale_gives_spanish_help_tables_and_errors(tmp_path):
    es = {"LANG": "es_MX.UTF-8", "REDES_RUNS": str(tmp_path / "runs")}
    code, out = _redes("--help", env=es)
    assert code == 0
    assert "Uso:" in out and "Opciones" in out and "Comandos" in out
    assert "Entrena una receta y escribe una carpeta de ejecución" in out
    assert "Muestra este mensaje y termina." in out
    code, out = _redes("recipes", env=es)
    assert code == 0 and "recetas" in out and "Vinos: tres variedades" in out
    code, out = _redes("train", "wine", "--epochs", "1", "--verbose", "0", env=es)
    assert code == 0, out
    assert "Vinos: tres variedades con Dense 16-16-3, sin conexión" in out
    assert "medida" in out and "ejecución:" in out
    code, out = _redes("train", "--foo", env=es)
    assert code == 2 and "No existe la opción: --foo" in out
    code, out = _redes("train", "--epochs", "0", env=es)
    assert code == 2 and "Valor no válido para '--epochs': Se esperaba un valor mayor o igual " \
                         "que 1" in " ".join(out.replace("│", " ").split())
    code, out = _redes("train", "nope", env=es)
    assert code == 2 and "error: RECIPE: receta desconocida 'nope'" in out


def test_lang_comes_first_and_english_is_the_default(tmp_path):
    code, out = _redes("--lang", "en", "--help", env={"LANG": "es_MX.UTF-8"})
    assert code == 0 and "Usage:" in out and "Train a recipe and write a run folder" in out
    code, out = _redes("--help", env={"LANG": "en_US.UTF-8"})
    assert code == 0 and "Usage:" in out and "Options" in out
    code, out = _redes("--lang", "es", "train", "--foo", env={"LANG": "en_US.UTF-8"})
    assert code == 2 and "No existe la opción: --foo" in out
    code, out = _redes("--lang", "fr", "recipes")
    assert code == 2 and "--lang" in out and "'fr'" in out


# words the pseudo-language leaves as they are: commands, options, metavars and types
_ALLOWED = re.compile(r"^(-{1,2}[\w-]+|[A-Z_.$]+|redes|python|m|x|es|en|root|"
                      r"str|int|float|bool|list|range|"
                      r"info|train|evaluate|predict|runs|compare|report|recipes|tour|tune|"
                      r"board|playground|data|add)$")


@pytest.mark.parametrize("language", ["pseudo"])
def test_every_help_text_goes_through_the_catalogs(language):
    """Under the pseudo-language every translated text shows as ⟦...⟧: what is left outside
    the brackets of every command's --help is only commands, options and metavars."""
    shown = _invoke_all([[*args, "--help"] for args in COMMANDS], {"REDES_LANG": language})
    for command, (code, output) in shown.items():
        assert code == 0, (command, output)
        outside = re.sub(r"⟦.*?⟧", " ", output, flags=re.DOTALL)
        words = re.findall(r"-{0,2}[A-Za-z$][\w$.'-]*", outside)
        unmarked = [w for w in words if not _ALLOWED.match(w.strip("'."))]
        assert not unmarked, (command, unmarked, output)


def test_typer_errors_are_translated_in_pieces():
    from redes.cli._framework import translate_usage_error
    from redes.i18n import set_language

    set_language("es")
    try:
        assert translate_usage_error("No such option: --foo") == "No existe la opción: --foo"
        assert translate_usage_error(
            "Invalid value for '--seed': Input should be greater than or equal to 0"
        ) == "Valor no válido para '--seed': Se esperaba un valor mayor o igual que 0"
        assert translate_usage_error("something else") == "something else"
    finally:
        set_language(None)
