"""The course speaks a neutral Latin-American Spanish: no words of Spain's Spanish.

The words live in one place, the table "Palabras de España y la palabra que usamos" of
``docs/guide/es/glosario.md``: its first column lists the words of Spain (comma-separated,
single words or phrases such as ``desviación típica``), the second the word the course uses
instead. This module reads that table and refuses every one of those words in what a student
reads in Spanish:

* the notebooks (``notebooks/*.ipynb``: markdown and code cells), ``notebooks/quiz.py``
  and ``notebooks/exercises.py``;
* the Spanish guides (``docs/guide/es/*.md``, except the glossary itself) and
  ``README.es.md``;
* every translation (``msgstr``) of the Spanish message catalog
  (``src/redes/i18n/locale/es/LC_MESSAGES/redes.po``, read with ``redes.i18n.po.parse_po``);
* the playground's Spanish texts (its words, as ``GET /words/es.json`` gives them from the
  catalog, and the text of ``static/index.html``).

A word is found whole (``ordenador`` does not match ``ordenadores`` unless the table lists
both, nor ``ordenados``), in any case, with its accents (``vídeo`` is refused, ``video`` is
not), and a phrase also across a line break. Verb forms of *vosotros* (words ending in
``-áis`` or ``-éis``, such as *tenéis*) are refused too: the texts speak to *tú*.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

from redes.i18n.po import parse_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "guide" / "es" / "glosario.md"
SECTION = "Palabras de España y la palabra que usamos"
CATALOG = ROOT / "src" / "redes" / "i18n" / "locale" / "es" / "LC_MESSAGES" / "redes.po"
PLAYGROUND = ROOT / "src" / "redes" / "playground" / "static"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = [ROOT / "README.es.md", ROOT / "notebooks" / "quiz.py", ROOT / "notebooks" / "exercises.py",
         ROOT / "notebooks" / "README.md",
         *sorted(p for p in (ROOT / "docs" / "guide" / "es").glob("*.md") if p != GLOSSARY)]
VOSOTROS = re.compile(r"(?<!\w)\w+(?:áis|éis)(?!\w)", re.IGNORECASE)

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------------------ the table
def spain_words(glossary: str | None = None) -> dict[str, str]:
    """{word of Spain: the word we use} from the glossary's table."""
    text = _nfc(GLOSSARY.read_text(encoding="utf-8") if glossary is None else glossary)
    lines = text.splitlines()
    heading = [i for i, line in enumerate(lines)
               if re.fullmatch(r"#+\s*" + re.escape(SECTION) + r"\s*", line.strip())]
    assert len(heading) == 1, f"{GLOSSARY.name}: expected one heading '## {SECTION}'"
    rows = []
    for line in lines[heading[0] + 1:]:
        if line.startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:                                      # the table has ended
            break
    assert len(rows) > 2, f"{GLOSSARY.name}: no table under '## {SECTION}'"
    words = {}
    for cells in rows[2:]:                              # after the header and the --- line
        assert len(cells) >= 2 and cells[0] and cells[1], f"a row without two columns: {cells}"
        for word in cells[0].split(","):
            word = word.strip().strip("`*").strip()
            if word:
                words[word] = cells[1]
    return words


def matcher(words) -> re.Pattern:
    """A pattern that finds any of ``words`` whole, in any case, a phrase also across lines."""
    alternatives = sorted((re.escape(_nfc(w)).replace(r"\ ", r"\s+") for w in words),
                          key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


WORDS = spain_words()
PATTERN = matcher(WORDS)


def found(text: str) -> list[str]:
    """The words of Spain in ``text``, each with some context."""
    text = _nfc(text)
    out = []
    for pattern in (PATTERN, VOSOTROS):
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 40): match.end() + 40].replace("\n", " ")
            out.append(f"{match.group(0)!r} in ...{context}...")
    return out


def use_instead(word: str) -> str:
    for spain, ours in WORDS.items():
        if _nfc(spain).lower() == re.sub(r"\s+", " ", word).lower():
            return ours
    return "tú (the texts do not use vosotros)" if VOSOTROS.fullmatch(word) else "?"


# ---------------------------------------------------------------------------- the sources
def notebook_texts(path: Path) -> list[tuple[str, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(f"{path.name} cell {i} ({cell['cell_type']})", "".join(cell["source"]))
            for i, cell in enumerate(cells) if cell["cell_type"] in ("markdown", "code")]


def catalog_texts() -> list[tuple[str, str]]:
    out = []
    for entry in parse_po(CATALOG.read_text(encoding="utf-8")):
        if entry.obsolete or entry.is_header:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural]:
            if text:
                out.append((f"redes.po msgid {entry.msgid[:60]!r}", text))
    return out


def playground_texts() -> list[tuple[str, str]]:
    """The playground's words in Spanish, as the page gets them (``GET /words/es.json``,
    ``redes.playground.words.words("es")``: the catalog's translations), and the visible
    text of static/index.html."""
    from redes.playground.words import words

    out = []
    for key, value in words("es").items():
        for text in value.values() if isinstance(value, dict) else [value]:
            out.append((f"/words/es.json {key}", text))
    page = (PLAYGROUND / "index.html").read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    out.append(("index.html", html.unescape(re.sub(r"<[^>]+>", " ", page))))
    return out


# ------------------------------------------------------------------ the table and matcher
def test_the_table_lists_the_words_of_spain():
    assert len(WORDS) >= 20
    for word in ("ordenador", "fichero", "desviación típica", "Mayús", "Intro", "ratón",
                 "la orden", "vídeo"):
        assert word in WORDS, f"{word!r} is missing from the table of {GLOSSARY.name}"
    assert "computadora" in WORDS["ordenador"]
    assert "archivo" in WORDS["fichero"]
    for ours in WORDS.values():                    # what we use instead is not refused
        for replacement in ours.split(","):
            assert not found(replacement), f"the table refuses its own {replacement!r}"


def test_the_table_is_read_from_the_glossary_alone():
    text = f"""# Glosario

## {SECTION}

| palabra de España | en su lugar | nota |
|---|---|---|
| ordenador, ordenadores | computadora | |
| `Mayús` | Shift | la tecla |

## Otra sección

| ratón | mouse |
"""
    assert spain_words(text) == {"ordenador": "computadora", "ordenadores": "computadora",
                                 "Mayús": "Shift"}


@pytest.mark.parametrize("text", [
    "Si MNIST no está en este ordenador, usamos los dígitos.",
    "EL ORDENADOR del aula",
    "registra un fichero que ya tengas",
    "con la media y la desviación\ntípica del conjunto",
    "ejecuta la celda con `Mayús + Intro`",
    "Pasa el ratón por una neurona",
    "y la orden exacta que lo continúa",
    "un vídeo del curso",
    "¿vale?",
    "¿Ya lo tenéis?",
    "cuando ejecutáis la celda",
])
def test_the_matcher_finds_a_word_of_spain(text):
    assert found(text), text


@pytest.mark.parametrize("text", [
    "Si MNIST no está en esta computadora, usamos los dígitos.",
    "los datos vienen ordenados por clase",
    "el mismo orden de los ejes",
    "un video del curso",
    "media móvil exponencial",
    "¿Cuánto vale la derivada de la sigmoide?",
    "una introducción típica",
    "hacia adelante y hacia atrás",
    "el país tiene seis regiones",
    "import os\nfrom pathlib import Path",
])
def test_the_matcher_leaves_our_words_alone(text):
    assert not found(text), found(text)


# --------------------------------------------------------------------------- the sources
def test_every_source_is_read():
    assert [p.name for p in NOTEBOOKS] == ["01_fundamentos.ipynb", "02_redes_con_python.ipynb",
                                           "03_keras.ipynb"]
    assert all(notebook_texts(p) for p in NOTEBOOKS)
    assert len([p for p in PAGES if p.parent.name == "es"]) >= 8
    assert len(catalog_texts()) >= 100
    playground = playground_texts()
    assert len(playground) >= 40
    assert any("Tasa de aprendizaje" in text for _, text in playground)
    assert GLOSSARY not in PAGES


def _check(texts):
    bad = []
    for where, text in texts:
        for hit in found(text):
            word = re.match(r"'([^']*)'", hit).group(1)
            bad.append(f"{where}: {hit}  -> use: {use_instead(word)}")
    assert not bad, ("words of Spain (the table is in docs/guide/es/glosario.md):\n"
                     + "\n".join(bad))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_neutral_spanish(path):
    _check(notebook_texts(path))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_use_neutral_spanish(path):
    _check([(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))])


def test_the_spanish_catalog_uses_neutral_spanish():
    _check(catalog_texts())


def test_the_playground_uses_neutral_spanish():
    _check(playground_texts())
