"""Translations: every message redes shows a person, in Spanish and in English.

English is the source language: the code is written with English messages, and each
catalog (``locale/<lang>/LC_MESSAGES/redes.po``, a gettext PO file) gives their translations.
This package is at the bottom of redes (every other package imports it), so it uses the
standard library only and reads a catalog the first time a message needs it.

For developers
--------------
Mark a message by passing its English text, as one string literal, to ``_``, and fill in
its placeholders after translating (never an f-string: the extractor could not see it, and
the catalog could not match it)::

    from redes.i18n import _, ngettext

    raise ValueError(_("{name}: expected an integer, got {value!r}").format(name=name, value=x))
    print(ngettext("{n} epoch", "{n} epochs", n).format(n=n))

Then update the catalogs and write the new translations (their ``msgstr`` is empty)::

    python -m redes.i18n.extract          # add new messages, keep translations
    python -m redes.i18n.extract --check  # exit 1 if a catalog is out of date (CI)

``tests/i18n`` fails when a marked message has no Spanish translation, when a translation's
placeholders differ from the English ones, or when a catalog is not what the extractor
would write.

Text that is data, kept in English (a recipe's title and lesson), is marked with ``N_("...")``,
which returns it unchanged, and shown with ``translated(text)``. ``translated_in(lang, text)``
and ``ngettext_in(lang, ...)`` translate into a given language without changing the current
one (the playground's page asks for its words in the language its user chose).

To add a language, e.g. Portuguese: ``python -m redes.i18n.extract --add pt`` creates
``locale/pt/LC_MESSAGES/redes.po`` with every message; set its plural rule in the header
(``Plural-Forms``), translate, and ``set_language("pt")`` and ``REDES_LANG=pt`` work.

Which language
--------------
1. inside ``with language("es"):``, that language, for the thread or asyncio task that runs
   the block (each page of the playground has its own);
2. else ``set_language("es")`` (the ``--lang`` option of the command line), until
   ``set_language(None)``;
3. else the environment variable ``REDES_LANG`` (``es``, ``en``, ``es_MX.UTF-8``, ...).
   A value redes has no catalog for is ignored, so a typo never stops a program;
4. else the locale variables, read as gettext programs read them: the first non-empty of
   ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``. Spanish for ``es`` and ``es_*``
   (``es_MX.UTF-8``), English for anything else, the ``C`` locale included.

``REDES_LANG=pseudo`` (or ``set_language("pseudo")``) shows every translated message as
``⟦English text⟧``: text without the brackets did not go through ``_``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
DOMAIN = "redes"  # the catalog's file name: locale/<lang>/LC_MESSAGES/redes.po
SOURCE_LANGUAGE = "en"  # the language of the messages in the code
PSEUDO = "pseudo"  # the pseudo-language that brackets every translated message
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen_language: str | None = None  # set by set_language
# the language of a block of code (``language``): per thread and per asyncio task
_scoped_language: ContextVar[str | None] = ContextVar("redes_language", default=None)


def catalog_path(lang: str) -> str:
    """Where the catalog of ``lang`` is: ``locale/<lang>/LC_MESSAGES/redes.po``."""
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".po")


@cache
def available_languages() -> tuple[str, ...]:
    """English and every language with a catalog, sorted: ``("en", "es")``."""
    with_catalog = [name for name in os.listdir(LOCALE_DIR) if os.path.isfile(catalog_path(name))]
    return tuple(sorted({SOURCE_LANGUAGE, *with_catalog}))


def _language_code(value: str) -> str:
    """The language part of a locale name: "es_MX.UTF-8" -> "es", "C" -> "c"."""
    code = value.strip().lower()
    for separator in "_.@-":
        code = code.split(separator)[0]
    return code


def _language_from_locale() -> str:
    """The language of the locale variables, as gettext reads them."""
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        if value:
            for name in value.split(":"):  # LANGUAGE may list several: "es_MX:es:en"
                code = _language_code(name)
                if code in ("c", "posix"):  # the C locale means untranslated messages
                    break
                if code in available_languages():
                    return code
            return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def get_language() -> str:
    """The language messages are shown in: "es" or "en" (or "pseudo")."""
    scoped = _scoped_language.get()
    if scoped is not None:
        return scoped
    if _chosen_language is not None:
        return _chosen_language
    code = _language_code(os.environ.get("REDES_LANG", ""))
    if code in available_languages() or code == PSEUDO:
        return code
    return _language_from_locale()


def set_language(lang: str | None) -> None:
    """Show messages in ``lang`` ("es", "en", or "pseudo") from now on.

    ``None`` forgets the choice: the language comes from ``REDES_LANG`` and the locale again.
    """
    global _chosen_language
    if lang is not None:
        _check_language(lang)
    _chosen_language = lang


@contextmanager
def language(lang: str):
    """Within the block, messages are in ``lang`` for this thread or asyncio task only (and
    the threads it starts with ``asyncio.to_thread``): one language per playground page,
    whatever the others chose. ValueError for a language without a catalog."""
    _check_language(lang)
    token = _scoped_language.set(lang)
    try:
        yield
    finally:
        _scoped_language.reset(token)


def _check_language(lang) -> None:
    """ValueError unless ``lang`` is a language with a catalog, English or "pseudo"."""
    accepted = (*available_languages(), PSEUDO)
    if lang not in accepted:
        options = ", ".join(repr(code) for code in accepted)
        raise ValueError(
            _("lang: expected one of {options}, got {value!r}").format(options=options, value=lang)
        )


@cache
def _catalog(lang: str):
    """The catalog of ``lang``, read from its PO file the first time it is needed."""
    from .po import read_catalog

    return read_catalog(catalog_path(lang))


def _pseudo(message: str) -> str:
    """Bracket a message, so that text shown without brackets was not translated."""
    return f"⟦{message}⟧"


def _(message: str) -> str:
    """The translation of the English ``message`` into the current language.

    The English text itself when the language is English or the catalog has no translation.
    """
    return translated(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The translation of a message that depends on a count ``n``.

    ``ngettext("{n} epoch", "{n} epochs", n).format(n=n)``: the English form is ``singular``
    for ``n == 1`` and ``plural`` otherwise; other languages pick theirs by their own rule.
    """
    return ngettext_in(get_language(), singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it: text kept in English as data
    (a recipe's title and lesson, its class names), shown later with ``translated``."""
    return message


def translated(text: str) -> str:
    """The translation of a text marked elsewhere with ``N_`` (``_`` is this function for
    text marked where it is used); the text itself when the catalog does not have it (the
    title of a recipe someone wrote)."""
    return translated_in(get_language(), text)


def translated_in(lang: str, text: str) -> str:
    """``translated(text)`` in ``lang`` ("es", "en", or "pseudo"), whatever the current
    language is (which does not change): for a client that chose its own language, such as
    a page of the playground. ValueError for a language without a catalog."""
    _check_language(lang)
    if lang == PSEUDO:
        return _pseudo(text)
    if lang == SOURCE_LANGUAGE:
        return text
    return _catalog(lang).gettext(text) or text


def ngettext_in(lang: str, singular: str, plural: str, n: int) -> str:
    """``ngettext(singular, plural, n)`` in ``lang``, whatever the current language is (see
    ``translated_in``). ValueError for a language without a catalog."""
    _check_language(lang)
    english = singular if n == 1 else plural
    if lang == PSEUDO:
        return _pseudo(english)
    if lang == SOURCE_LANGUAGE:
        return english
    return _catalog(lang).ngettext(singular, plural, n) or english


__all__ = ["_", "N_", "language", "ngettext", "translated", "translated_in", "ngettext_in",
           "get_language", "set_language", "available_languages"]
