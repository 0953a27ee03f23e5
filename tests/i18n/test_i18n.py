"""Tests of redes.i18n: the catalogs, the choice of language, the pseudo-locale, the PO
reader and the extractor."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

import redes.i18n as i18n
from redes.i18n import _, extract, get_language, ngettext, set_language
from redes.i18n.po import PoError, format_po, make_catalog, parse_po

ENGLISH = "{name}: expected an integer, got {value!r}"
SPANISH = "{name}: se esperaba un número entero, se recibió {value!r}"


# --- The catalogs against the code --------------------------------------------------------


@pytest.fixture(scope="module")
def marked():
    """The messages marked in src/redes, and the extractor's warnings."""
    return extract.find_messages()


def catalog_entries(lang: str):
    return parse_po(Path(i18n.catalog_path(lang)).read_text(encoding="utf-8"))


def placeholders(text: str) -> set[tuple[str, str | None, str]]:
    """The fields of a str.format text: (name, conversion, format spec) for each."""
    fields = string.Formatter().parse(text)
    return {
        (name, conversion, spec) for _text, name, spec, conversion in fields if name is not None
    }


def test_the_spanish_catalog_exists():
    assert {"en", "es"} <= set(i18n.available_languages())


def test_every_marked_message_has_a_spanish_translation(marked):
    found, _warnings = marked
    spanish = {entry.key: entry for entry in catalog_entries("es")}
    missing = []
    for message in found:
        entry = spanish.get(message.key)
        forms = [] if entry is None else entry.msgstr_plural or [entry.msgstr]
        if entry is None or entry.obsolete or "fuzzy" in entry.flags or not all(forms):
            missing.append(f"{message.references[0]}: {message.msgid!r}")
    assert not missing, "translate these in locale/es/LC_MESSAGES/redes.po:\n" + "\n".join(missing)


def _messages_only(text: str) -> str:
    """A catalog without its source references (``#: path:line``), which move with every
    edit of the code around a message; the messages and translations are what count."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#:"))


@pytest.mark.parametrize("path", extract.catalog_files(), ids=lambda path: path.parts[-3])
def test_catalog_is_what_the_extractor_writes(marked, path):
    found, _warnings = marked
    text = path.read_text(encoding="utf-8")
    assert _messages_only(text) == _messages_only(extract.updated_catalog(text, found)), (
        "the catalog is out of date: run `python -m redes.i18n.extract`"
    )


def test_messages_are_marked_with_string_literals(marked):
    _found, warnings = marked
    assert not warnings


def test_messages_name_their_placeholders(marked):
    found, _warnings = marked
    unnamed = [
        entry.msgid
        for entry in found
        for text in (entry.msgid, entry.msgid_plural or "")
        if any(not field[0].isidentifier() for field in placeholders(text))
    ]
    assert not unnamed, "use {name} placeholders, not {} or {0}"


@pytest.mark.parametrize("path", extract.catalog_files(), ids=lambda path: path.parts[-3])
def test_translations_keep_the_placeholders(path):
    wrong = []
    for entry in parse_po(path.read_text(encoding="utf-8")):
        if entry.is_header or entry.obsolete:
            continue
        english = [placeholders(entry.msgid)]
        if entry.msgid_plural is not None:
            english.append(placeholders(entry.msgid_plural))
        for form in entry.msgstr_plural or [entry.msgstr]:
            if form and placeholders(form) not in english:
                wrong.append(f"{entry.msgid!r} -> {form!r}")
    assert not wrong, "\n".join(wrong)


def test_placeholders_compares_names_conversions_and_specs():
    assert placeholders("{a!r} and {b:.3f} and {{literal}}") == {("a", "r", ""), ("b", None, ".3f")}
    assert placeholders("{a}") != placeholders("{a!r}")
    assert placeholders("{b:.3f}") != placeholders("{b:.2f}")


def test_spanish_texts_use_latin_american_words():
    words = ("ordenador", "fichero", "desviación típica")
    texts = [entry.msgstr + " ".join(entry.msgstr_plural) for entry in catalog_entries("es")]
    assert not [text for text in texts if any(word in text.lower() for word in words)]


# --- Choosing the language ----------------------------------------------------------------


@pytest.fixture
def environ(monkeypatch):
    """No REDES_LANG and no locale variables; returns a function that sets some."""
    for name in ("REDES_LANG", *i18n.LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)

    def setenv(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return setenv


def test_english_without_any_setting(environ):
    assert get_language() == "en"
    assert _(ENGLISH) == ENGLISH


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "es_AR"}, "es"),
        ({"LC_ALL": "es_ES.UTF-8@euro"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": ""}, "en"),
        ({"LANG": "estonian"}, "en"),
        ({"LANGUAGE": "es_MX:es:en"}, "es"),
        ({"LANGUAGE": "fr:es"}, "es"),  # the first language with a catalog
        ({"LANGUAGE": "en:es"}, "en"),
        ({"LANGUAGE": "C:es"}, "en"),
    ],
)
def test_language_from_the_locale(environ, variables, expected):
    environ(**variables)
    assert get_language() == expected


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"LANGUAGE": "es_MX", "LC_ALL": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "es_MX.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "es_MX.UTF-8"}, "en"),
        ({"LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "es_MX.UTF-8"}, "es"),  # empty ones are skipped
    ],
)
def test_the_first_non_empty_locale_variable_wins(environ, variables, expected):
    environ(**variables)
    assert get_language() == expected


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"REDES_LANG": "es", "LANG": "C"}, "es"),
        ({"REDES_LANG": "en", "LANG": "es_MX.UTF-8"}, "en"),
        ({"REDES_LANG": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"REDES_LANG": "ES", "LANG": "en_US.UTF-8"}, "es"),
        ({"REDES_LANG": "fr", "LANG": "es_MX.UTF-8"}, "es"),  # unknown: the locale decides
        ({"REDES_LANG": "klingon"}, "en"),
        ({"REDES_LANG": "", "LANG": "es_MX.UTF-8"}, "es"),
    ],
)
def test_redes_lang_comes_before_the_locale(environ, variables, expected):
    environ(**variables)
    assert get_language() == expected


def test_set_language_comes_first_until_reset(environ):
    environ(REDES_LANG="en", LANG="en_US.UTF-8")
    set_language("es")
    assert get_language() == "es"
    assert _(ENGLISH) == SPANISH
    set_language("en")
    assert _(ENGLISH) == ENGLISH
    set_language(None)
    environ(REDES_LANG="es")
    assert get_language() == "es"


@pytest.mark.parametrize("bad", ["fr", "es_MX", "ES", "", 3])
def test_set_language_refuses_other_values(bad):
    set_language("es")
    with pytest.raises(ValueError, match=r"^lang: se esperaba uno de 'en', 'es', 'pseudo'"):
        set_language(bad)
    assert get_language() == "es"  # the language did not change
    set_language("en")
    with pytest.raises(ValueError) as error:
        set_language(bad)
    assert str(error.value) == f"lang: expected one of 'en', 'es', 'pseudo', got {bad!r}"


def test_spanish_messages_from_the_data_checks():
    from redes._base.checks import check_choice, check_dtype, check_int

    set_language("es")
    with pytest.raises(ValueError, match=r"^batch_size: se esperaba un número entero >= 1, "):
        check_int("batch_size", 0, minimum=1)
    with pytest.raises(ValueError, match="^padding: se esperaba uno de 'pre', 'post', "):
        check_choice("padding", "middle", ("pre", "post"))
    with pytest.raises(ValueError, match="de punto flotante o entero o entero sin signo"):
        check_dtype("dtype", "str", "fiu")


def test_a_message_without_translation_stays_in_english():
    set_language("es")
    assert _("a message that no catalog has") == "a message that no catalog has"
    assert ngettext("{n} unknown thing", "{n} unknown things", 2) == "{n} unknown things"


def test_ngettext_in_english():
    assert ngettext("{n} epoch", "{n} epochs", 1).format(n=1) == "1 epoch"
    assert ngettext("{n} epoch", "{n} epochs", 0).format(n=0) == "0 epochs"
    assert ngettext("{n} epoch", "{n} epochs", 5).format(n=5) == "5 epochs"


@pytest.mark.parametrize("choose", ["env", "set_language"])
def test_pseudo_brackets_every_message_and_keeps_placeholders(environ, monkeypatch, choose):
    if choose == "env":
        environ(REDES_LANG="pseudo")
    else:
        set_language("pseudo")
    assert get_language() == "pseudo"
    assert _(ENGLISH) == "⟦" + ENGLISH + "⟧"
    assert _(ENGLISH).format(name="x", value=2.5) == "⟦x: expected an integer, got 2.5⟧"
    assert placeholders(_(ENGLISH)) == placeholders(ENGLISH)
    assert ngettext("{n} epoch", "{n} epochs", 3) == "⟦{n} epochs⟧"


def test_pseudo_comes_only_from_redes(environ):
    environ(LANG="pseudo")
    assert get_language() == "en"


# --- A third language is one more catalog -------------------------------------------------

POLISH = r"""msgid ""
msgstr ""
"Language: pl\n"
"Plural-Forms: nplurals=3; "
"plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

msgid "{n} file"
msgid_plural "{n} files"
msgstr[0] "{n} plik"
msgstr[1] "{n} pliki"
msgstr[2] "{n} plików"

msgid "Hello"
msgstr "Cześć"
"""


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """A locale folder of our own, with a Polish catalog; the caches are emptied around."""
    path = tmp_path / "pl" / "LC_MESSAGES" / "redes.po"
    path.parent.mkdir(parents=True)
    path.write_text(POLISH, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    i18n.available_languages.cache_clear()
    i18n._catalog.cache_clear()
    yield tmp_path
    set_language(None)
    i18n.available_languages.cache_clear()
    i18n._catalog.cache_clear()


def test_a_new_catalog_is_a_new_language(locale_dir, environ):
    assert i18n.available_languages() == ("en", "pl")
    environ(LANG="pl_PL.UTF-8")
    assert _("Hello") == "Cześć"
    forms = {n: ngettext("{n} file", "{n} files", n).format(n=n) for n in (1, 2, 5, 22, 112)}
    assert forms == {1: "1 plik", 2: "2 pliki", 5: "5 plików", 22: "22 pliki", 112: "112 plików"}
    set_language("pl")
    with pytest.raises(ValueError, match="'en', 'pl', 'pseudo'"):
        set_language("es")


def test_extractor_adds_a_language_and_keeps_catalogs_up_to_date(locale_dir, capsys):
    polish = locale_dir / "pl" / "LC_MESSAGES" / "redes.po"
    assert extract.main(["--check"]) == 1  # the Polish catalog lacks the messages of the code
    assert polish.read_text(encoding="utf-8") == POLISH  # --check writes nothing
    assert extract.main(["--add", "pt"]) == 0
    portuguese = locale_dir / "pt" / "LC_MESSAGES" / "redes.po"
    entries = parse_po(portuguese.read_text(encoding="utf-8"))
    found, _warnings = extract.find_messages()
    assert [entry.msgid for entry in entries[1:]] == [entry.msgid for entry in found]
    assert not any(entry.msgstr or any(entry.msgstr_plural) for entry in entries[1:])
    text = polish.read_text(encoding="utf-8")
    assert '#~ msgid "Hello"\n#~ msgstr "Cześć"' in text  # not in the code: kept as obsolete
    assert make_catalog(parse_po(text)).gettext("Hello") is None  # ... and not shown
    assert extract.main(["--check"]) == 0
    with pytest.raises(SystemExit):
        extract.main(["--add", "pt"])  # already there
    assert "already" in capsys.readouterr().err


# --- The PO reader ------------------------------------------------------------------------

TRICKY = r"""# Spanish translations.
msgid ""
msgstr ""
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

# A comment by a translator
#. A comment for translators
#: src/a.py:1 src/b.py:22
#, fuzzy, python-brace-format
msgid "fuzzy one"
msgstr "borroso"

msgctxt "menu"
msgid "Open"
msgstr "Abrir"

msgid ""
"Line one\n"
"line \"two\"\twith a tab\\"
msgstr ""
"Línea uno\n"
"línea \"dos\"\tcon un tab\\"

msgid "{n} file"
msgid_plural "{n} files"
msgstr[0] "{n} archivo"
msgstr[1] "{n} archivos"
msgid "no blank line before me"
msgstr "sin línea en blanco antes"

msgid "untranslated"
msgstr ""

#~ msgid "old"
#~ msgstr ""
#~ "viejo"
"""


def test_po_reader_reads_every_entry():
    entries = parse_po(TRICKY)
    assert [entry.msgid for entry in entries] == [
        "",
        "fuzzy one",
        "Open",
        'Line one\nline "two"\twith a tab\\',
        "{n} file",
        "no blank line before me",
        "untranslated",
        "old",
    ]
    header, fuzzy, menu, lines, plural, no_blank, untranslated, old = entries
    assert header.is_header and header.comments == ["Spanish translations."]
    assert header.msgstr.endswith("plural=(n != 1);\n")
    assert fuzzy.comments == ["A comment by a translator"]
    assert fuzzy.references == ["src/a.py:1", "src/b.py:22"]
    assert fuzzy.flags == ["fuzzy", "python-brace-format"]
    assert menu.msgctxt == "menu" and menu.msgstr == "Abrir"
    assert lines.msgstr == 'Línea uno\nlínea "dos"\tcon un tab\\'
    assert plural.msgid_plural == "{n} files"
    assert plural.msgstr_plural == ["{n} archivo", "{n} archivos"]
    assert no_blank.msgstr == "sin línea en blanco antes"
    assert untranslated.msgstr == ""
    assert old.obsolete and old.msgstr == "viejo"
    assert not any(entry.obsolete for entry in entries[:-1])


def test_catalog_keeps_only_what_may_be_shown():
    catalog = make_catalog(parse_po(TRICKY))
    assert catalog.gettext("fuzzy one") is None
    assert catalog.gettext("untranslated") is None
    assert catalog.gettext("old") is None
    assert catalog.gettext("") is None
    assert catalog.gettext("Open") is None
    assert catalog.gettext("Open", context="menu") == "Abrir"
    assert catalog.gettext('Line one\nline "two"\twith a tab\\').startswith("Línea uno\n")
    assert catalog.ngettext("{n} file", "{n} files", 1) == "{n} archivo"
    assert catalog.ngettext("{n} file", "{n} files", 0) == "{n} archivos"


def test_po_writer_round_trips():
    entries = parse_po(TRICKY)
    text = format_po(entries)
    assert parse_po(text) == entries
    assert format_po(parse_po(text)) == text
    assert '#~ msgstr "viejo"' in text
    assert 'msgid ""\n"Line one\\n"\n"line \\"two\\"\\twith a tab\\\\"\n' in text


def test_po_reader_takes_windows_line_ends():
    assert parse_po(TRICKY.replace("\n", "\r\n")) == parse_po(TRICKY)


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ('msgid "a"\nmsgstr "b\n', 2, "double quotes"),
        ('msgid "a"\nmsgstr "\\q"\n', 2, "unknown escape"),
        ('msgid "a"\nmsgstr "a"b"\n', 2, "double quote inside"),
        ('"orphan"\n', 1, "without a keyword"),
        ('msgid "a"\nmsgtxt "b"\n', 2, "unknown keyword"),
        ('msgstr "b"\n', 1, "without msgid"),
        ('msgid "a"\nmsgid_plural "b"\nmsgid_plural "c"\n', 3, "twice"),
    ],
)
def test_po_reader_names_the_line_of_a_problem(text, line, problem):
    with pytest.raises(PoError, match=f"^line {line}: .*{problem}"):
        parse_po(text)


# --- The extractor ------------------------------------------------------------------------

SOURCE = """
from redes.i18n import _, ngettext

def f(n, name, obj):
    print(_("implicit " "concatenation"))
    print(ngettext("{n} layer", "{n} layers", n).format(n=n))
    print(_(f"an f-string {name}"))
    print(_(name))
    print(obj._("an attribute, not the function"))
    print(other("not marked"))
    print(_("implicit " "concatenation"))
"""


def test_extractor_reads_literals_and_warns_about_the_rest():
    found, warnings = extract.scan_source(SOURCE, "src/x.py")
    found.sort(key=lambda entry: int(entry.references[0].split(":")[1]))
    assert [(entry.msgid, entry.msgid_plural, entry.references) for entry in found] == [
        ("implicit concatenation", None, ["src/x.py:5"]),
        ("{n} layer", "{n} layers", ["src/x.py:6"]),
        ("implicit concatenation", None, ["src/x.py:11"]),
    ]
    assert [warning.split(":")[1] for warning in warnings] == ["7", "8"]


def test_merge_keeps_translations_and_retires_unused_messages():
    source = '_("a new one")\nngettext("{n} layer", "{n} layers", n)\n_("Open")\n_("old")\n'
    source += '_("untranslated")\n_("fuzzy one")\n'
    found = sorted(extract.scan_source(source, "src/y.py")[0], key=extract._message_order)
    merged = extract.merge(parse_po(TRICKY), found)
    assert merged[0].is_header
    current = {entry.msgid: entry for entry in merged[1:] if not entry.obsolete}
    assert list(current) == ["Open", "a new one", "fuzzy one", "old", "untranslated", "{n} layer"]
    assert current["a new one"].msgstr == ""
    assert current["{n} layer"].msgstr_plural == ["", ""]  # as many forms as the header says
    assert current["Open"].msgstr == ""  # a message without context is another message
    assert current["old"].msgstr == "viejo"  # an obsolete message that came back
    assert current["untranslated"].references == ["src/y.py:5"]
    assert current["fuzzy one"].flags == ["fuzzy", "python-brace-format"]
    assert current["fuzzy one"].comments == ["A comment by a translator"]
    retired = [entry.msgid for entry in merged if entry.obsolete]  # translated, not in the code
    assert retired == [
        'Line one\nline "two"\twith a tab\\',
        "Open",
        "no blank line before me",
        "{n} file",
    ]
    text = extract.updated_catalog(TRICKY, found)
    assert extract.updated_catalog(text, found) == text


def test_text_kept_as_data_is_marked_with_n_and_shown_translated(environ):
    from redes import recipes
    from redes.data import FASHION_MNIST_CLASSES
    from redes.i18n import N_, translated

    found, warnings = extract.scan_source('N_("inner disc")\nN_(name)\n', "src/x.py")
    assert [entry.msgid for entry in found] == ["inner disc"] and len(warnings) == 1
    assert N_("inner disc") == "inner disc"                  # the data stays in English
    set_language("es")
    shown = []
    for name in recipes.names():
        recipe = recipes.get(name)
        texts = [recipe["title"], recipe["lesson"]]
        texts += [c for c in recipe["task"].get("classes", []) if not c.isdigit()
                  and c not in recipes.get("reuters")["task"]["classes"]]   # Reuters' codes
        for text in texts:
            assert translated(text) != text, text             # every one has Spanish
        shown.append(translated(recipe["title"]))
    assert "La primera red: dígitos de MNIST con Dense 512 relu y Dense 10 softmax" in shown
    assert translated(FASHION_MNIST_CLASSES[1]) == "Pantalón"
    assert translated("a title someone wrote") == "a title someone wrote"
    set_language("en")
    assert translated(recipes.get("wine")["title"]) == recipes.get("wine")["title"]
