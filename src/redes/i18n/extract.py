"""Update the message catalogs from the source code: ``python -m redes.i18n.extract``.

The extractor reads every ``.py`` file of the redes package with ``ast`` and collects the
messages marked as ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` (string
literals only: an f-string or a variable gets a warning and is left out). Then it rewrites
each catalog ``locale/<lang>/LC_MESSAGES/redes.po``:

* a new message is added with an empty translation, for a translator to fill in;
* a translation already there is kept, with its translator comments and flags;
* a message no longer in the code is kept at the end as obsolete (``#~``) when it has a
  translation, so that the work is not lost if the message comes back, and dropped otherwise;
* each message lists where it is used (``#: src/redes/data/_checks.py:27``).

Messages are sorted by their English text, so a diff of a catalog shows only real changes.

Options: ``--check`` writes nothing and exits with 1 when a catalog is out of date;
``--add LANG`` first creates an empty catalog for a new language. This is a tool for
developers: its messages stay in English.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from dataclasses import replace
from pathlib import Path

from .. import i18n
from .po import Entry, format_po, parse_po, plural_count

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/redes
ROOT = PACKAGE_DIR.parent.parent  # the repository: references read src/redes/...
MARKERS = {"_": 1, "N_": 1, "ngettext": 3}  # _(message), N_(data text), ngettext(s, p, n)

NEW_CATALOG = """\
# {lang} translations of redes. English is the source language: msgid is the English text.
msgid ""
msgstr ""
"Project-Id-Version: redes\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def _string(node: ast.expr) -> str | None:
    """The text of a string literal, None for anything else (names, f-strings, ...)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def scan_source(source: str, reference: str) -> tuple[list[Entry], list[str]]:
    """The messages marked in one file's source, and warnings about calls left out.

    ``reference`` is the file's path as written in the catalog; each entry gets
    ``reference:line`` of its call.
    """
    found, warnings = [], []
    for node in ast.walk(ast.parse(source, filename=reference)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name = node.func.id
        if name not in MARKERS:
            continue
        where = f"{reference}:{node.lineno}"
        messages = node.args[:1] if name == "_" else node.args[:2]  # ngettext's third is n
        texts = [_string(arg) for arg in messages]
        if len(node.args) != MARKERS[name] or node.keywords or None in texts:
            warning = f"{where}: {name}() needs string literals as messages; call not extracted"
            warnings.append(warning)
            continue
        entry = Entry(msgid=texts[0], references=[where])
        if name == "ngettext":
            entry.msgid_plural = texts[1]
        found.append(entry)
    return found, warnings


def find_messages(package_dir: Path = PACKAGE_DIR) -> tuple[list[Entry], list[str]]:
    """Every message marked in the package, one entry per message, and the warnings."""
    messages: dict[tuple[str | None, str], Entry] = {}
    warnings = []
    for path in sorted(package_dir.rglob("*.py")):
        reference = path.relative_to(ROOT).as_posix()
        found, file_warnings = scan_source(path.read_text(encoding="utf-8"), reference)
        warnings += file_warnings
        for entry in found:
            known = messages.setdefault(entry.key, entry)
            if known is entry:
                continue
            if known.msgid_plural != entry.msgid_plural:
                where, first = entry.references[0], known.references[0]
                warnings.append(f"{where}: the plural of {entry.msgid!r} differs from {first}")
            known.references += entry.references
    for entry in messages.values():
        entry.references.sort(key=_reference_order)
    return sorted(messages.values(), key=_message_order), warnings


def _reference_order(reference: str) -> tuple[str, int]:
    path, _, line = reference.rpartition(":")
    return (path, int(line))


def _message_order(entry: Entry) -> tuple[str, str]:
    return (entry.msgid, entry.msgctxt or "")


def _is_translated(entry: Entry) -> bool:
    """True when every form of the message has a translation."""
    return all(entry.msgstr_plural) if entry.msgid_plural is not None else bool(entry.msgstr)


def merge(catalog: list[Entry], found: list[Entry]) -> list[Entry]:
    """The entries of ``catalog`` brought up to date with the messages ``found`` in the code."""
    header = [entry for entry in catalog if entry.is_header]
    old = {entry.key: entry for entry in catalog if not entry.is_header}
    forms = plural_count(catalog)
    current = []
    for new in found:
        entry = replace(new, references=list(new.references))  # a copy: ``found`` stays as is
        if entry.msgid_plural is not None:
            entry.msgstr_plural = [""] * forms
        previous = old.pop(entry.key, None)
        if previous is not None and (previous.msgid_plural is None) == (new.msgid_plural is None):
            entry.msgstr, entry.msgstr_plural = previous.msgstr, previous.msgstr_plural
            entry.comments, entry.flags = previous.comments, previous.flags
        current.append(entry)
    obsolete = [entry for entry in old.values() if entry.msgstr or any(entry.msgstr_plural)]
    for entry in obsolete:
        entry.obsolete, entry.references = True, []
    return header + current + sorted(obsolete, key=_message_order)


def updated_catalog(text: str, found: list[Entry]) -> str:
    """The text of a PO file after merging the messages ``found`` into it."""
    return format_po(merge(parse_po(text), found))


def catalog_files() -> list[Path]:
    """The PO file of every language, sorted: ``locale/es/LC_MESSAGES/redes.po``, ..."""
    return sorted(Path(i18n.LOCALE_DIR).glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))


def add_language(lang: str) -> Path:
    """Create an empty catalog for ``lang`` (a language code such as "pt")."""
    if not (lang.isascii() and lang.isalpha() and lang.islower() and 2 <= len(lang) <= 3):
        raise ValueError(f"lang: expected a language code such as 'pt', got {lang!r}")
    path = Path(i18n.catalog_path(lang))
    if path.exists():
        raise ValueError(f"lang: {lang!r} has a catalog already, at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEW_CATALOG.format(lang=lang), encoding="utf-8", newline="\n")
    return path


def _write(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file first, then a rename."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m redes.i18n.extract",
        description="Update the message catalogs of redes from the messages marked in the code.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit with 1 if a catalog is out of date",
    )
    parser.add_argument("--add", metavar="LANG", help="create a catalog for a new language first")
    args = parser.parse_args(argv)

    found, warnings = find_messages()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.add:
        try:
            print(f"created {add_language(args.add)}")
        except ValueError as error:
            parser.error(str(error))
    out_of_date = []
    for path in catalog_files():
        text = path.read_text(encoding="utf-8")
        entries = merge(parse_po(text), found)
        new_text = format_po(entries)
        missing = sum(not _is_translated(entry) for entry in entries)
        state = "up to date"
        if new_text != text:
            out_of_date.append(path)
            state = "out of date" if args.check else "updated"
            if not args.check:
                _write(path, new_text)
        print(f"{path}: {state}, {len(found)} messages, {missing} untranslated")
    return 1 if args.check and out_of_date else 0


if __name__ == "__main__":
    sys.exit(main())
