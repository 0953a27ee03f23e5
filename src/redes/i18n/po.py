r"""Read and write gettext PO files, the message catalogs of redes.

A PO file is a list of entries separated by blank lines::

    # A comment written by a translator
    #: src/redes/data/_checks.py:27
    #, fuzzy
    msgctxt "optional context"
    msgid "{name}: expected an integer, got {value!r}"
    msgstr "{name}: se esperaba un número entero, se recibió {value!r}"

Strings are quoted as in C: ``\n``, ``\t``, ``\"`` and ``\\`` are escapes, and a string may
go on over the next lines (``msgid ""`` then ``"line 1\n"`` and ``"line 2"`` is one string).
A message with a plural has ``msgid_plural`` and ``msgstr[0]``, ``msgstr[1]``, ... instead
of ``msgstr``. Entries no longer used in the source stay at the end, commented out with
``#~``. The first entry, with an empty msgid, is the header: the language, the encoding and
the plural rule. An entry marked ``fuzzy`` is a guess that a translator has not checked yet.

``parse_po`` reads every entry (the extractor rewrites them all), ``format_po`` writes them
back, and ``make_catalog`` keeps what a program may show: no header, no fuzzy, obsolete or
untranslated entries. Messages here are for developers and stay in English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The escapes of C strings: a backslash then "n" in the file is a newline in the text, etc.
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
ESCAPES |= {"a": "\a", "b": "\b", "f": "\f", "v": "\v"}  # rare, but C has them too
UNESCAPES = {char: "\\" + code for code, char in ESCAPES.items()}
DEFAULT_PLURAL_RULE = "n != 1"  # English and Spanish: one form for 1, another for the rest


class PoError(ValueError):
    """A PO file that cannot be read; the message starts with the line number."""

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")
        self.line = line


@dataclass
class Entry:
    """One message of a catalog, as written in the PO file."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)  # msgstr[0], msgstr[1], ...
    references: list[str] = field(default_factory=list)  # "src/redes/data/_checks.py:27"
    flags: list[str] = field(default_factory=list)  # "fuzzy", ...
    comments: list[str] = field(default_factory=list)  # translator comments, without "# "
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        """What identifies a message in a catalog: its context and its English text."""
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def _unquote(text: str, line: int) -> str:
    """The value of a quoted PO string: '"a \\"b\\"\\n"' -> 'a "b"' and a newline."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(line, f"expected a string in double quotes, got {text!r}")
    out = []
    chars = iter(text[1:-1])
    for char in chars:
        if char == '"':
            raise PoError(line, f'a double quote inside a string must be written \\", in {text}')
        if char == "\\":
            code = next(chars, "")
            if code not in ESCAPES:
                raise PoError(line, f"unknown escape \\{code} in {text}")
            char = ESCAPES[code]
        out.append(char)
    return "".join(out)


def _is_keyword(word: str) -> bool:
    """msgctxt, msgid, msgid_plural, msgstr, or msgstr[N]."""
    if word in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
        return True
    return word.startswith("msgstr[") and word.endswith("]") and word[7:-1].isdigit()


def parse_po(text: str) -> list[Entry]:
    """Every entry of a PO file, in file order (header, fuzzy and obsolete ones included)."""
    entries: list[Entry] = []
    entry = Entry(msgid="")  # collects comments, flags and references until its strings end
    strings: dict[str, str] = {}  # keyword -> its text, e.g. {"msgid": "...", "msgstr": "..."}
    keyword = None  # the keyword that a line starting with '"' continues
    last_line = 0

    def finish():
        """Store the entry read so far and start a new one."""
        nonlocal entry, strings, keyword
        if strings:
            entries.append(_build(entry, strings, last_line))
        entry, strings, keyword = Entry(msgid=""), {}, None

    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        obsolete = line.startswith("#~")
        if obsolete:  # an entry no longer used: read it as usual, then mark it
            line = line[2:].strip()
            if line.startswith("|"):  # "#~|": the previous msgid of an obsolete entry
                continue
        if not line:
            finish()
        elif line.startswith("#"):
            if strings:  # a comment after the strings belongs to the next entry
                finish()
            if line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#,"):
                entry.flags += [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            elif line.startswith(("#.", "#|")):
                pass  # extracted comments and previous msgids: not kept
            else:
                entry.comments.append(line[2:] if line.startswith("# ") else line[1:])
        elif line.startswith('"'):
            if keyword is None:
                raise PoError(number, "a string without a keyword (msgid, msgstr, ...) before it")
            strings[keyword] += _unquote(line, number)
        else:
            word, _, rest = line.partition(" ")
            if not _is_keyword(word):
                raise PoError(number, f"unknown keyword {word!r}")
            starts_entry = word in ("msgctxt", "msgid")
            if starts_entry and any(name.startswith("msgstr") for name in strings):
                finish()  # a new entry without a blank line before it
            if word in strings:
                raise PoError(number, f"{word} given twice in one entry")
            keyword = word
            strings[keyword] = _unquote(rest.strip(), number)
            entry.obsolete = entry.obsolete or obsolete
        last_line = number
    finish()
    return entries


def _build(entry: Entry, strings: dict[str, str], line: int) -> Entry:
    """Complete ``entry`` with the strings read for it."""
    if "msgid" not in strings:
        raise PoError(line, "an entry without msgid")
    entry.msgid = strings["msgid"]
    entry.msgctxt = strings.get("msgctxt")
    entry.msgid_plural = strings.get("msgid_plural")
    if entry.msgid_plural is None:
        entry.msgstr = strings.get("msgstr", "")
    else:
        forms = {int(name[7:-1]): text for name, text in strings.items() if name[6:7] == "["}
        entry.msgstr_plural = [forms[index] for index in sorted(forms)]
    return entry


def _quote(text: str) -> str:
    return '"' + "".join(UNESCAPES.get(char, char) for char in text) + '"'


def _field(keyword: str, text: str) -> list[str]:
    """The lines of one keyword; a text with inner newlines gets one line per newline."""
    if "\n" not in text[:-1]:
        return [f"{keyword} {_quote(text)}"]
    pieces = [piece + "\n" for piece in text.split("\n")]
    pieces[-1] = pieces[-1][:-1]  # the text after the last newline has no newline
    return [f'{keyword} ""'] + [_quote(piece) for piece in pieces if piece]


def format_entry(entry: Entry) -> str:
    """One entry as PO text (no blank line around it)."""
    lines = [f"# {comment}" if comment else "#" for comment in entry.comments]
    if not entry.obsolete:
        lines += [f"#: {reference}" for reference in entry.references]
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    strings = []
    if entry.msgctxt is not None:
        strings += _field("msgctxt", entry.msgctxt)
    strings += _field("msgid", entry.msgid)
    if entry.msgid_plural is None:
        strings += _field("msgstr", entry.msgstr)
    else:
        strings += _field("msgid_plural", entry.msgid_plural)
        for index, form in enumerate(entry.msgstr_plural):
            strings += _field(f"msgstr[{index}]", form)
    if entry.obsolete:
        strings = [f"#~ {line}" for line in strings]
    return "\n".join(lines + strings)


def format_po(entries: list[Entry]) -> str:
    """A whole PO file: the entries in the order given, a blank line between them."""
    return "\n\n".join(format_entry(entry) for entry in entries) + "\n"


def header_field(entries: list[Entry], name: str) -> str | None:
    """A field of the header, e.g. ``header_field(entries, "Plural-Forms")``."""
    for entry in entries:
        if entry.is_header:
            for line in entry.msgstr.splitlines():
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    return None


def plural_count(entries: list[Entry]) -> int:
    """How many plural forms the language has ("nplurals=2" in the header; 2 if missing)."""
    for part in (header_field(entries, "Plural-Forms") or "").split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "nplurals" and value.strip().isdigit():
            return int(value)
    return 2


def plural_rule(entries: list[Entry]) -> Callable[[int], int]:
    """The function n -> index of the plural form, from "plural=(n != 1);" in the header."""
    import gettext  # only here: gettext.c2py turns the C expression into a safe function

    expression = DEFAULT_PLURAL_RULE
    for part in (header_field(entries, "Plural-Forms") or "").split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "plural" and value.strip():
            expression = value.strip()
    return gettext.c2py(expression)


@dataclass
class Catalog:
    """The translations of one language that a program may show.

    ``messages`` maps (context, English text) to the translated forms: one form for a
    message without plural, ``nplurals`` forms for one with a plural.
    """

    messages: dict[tuple[str | None, str], list[str]]
    plural: Callable[[int], int]

    def gettext(self, message: str, context: str | None = None) -> str | None:
        """The translation of ``message``, or None when the catalog has none."""
        forms = self.messages.get((context, message))
        return forms[0] if forms else None

    def ngettext(self, singular: str, plural: str, n: int, context: str | None = None):
        """The translated form for the count ``n``, or None when the catalog has none."""
        forms = self.messages.get((context, singular))
        index = self.plural(n)
        return forms[index] if forms and index < len(forms) else None


def make_catalog(entries: list[Entry]) -> Catalog:
    """Keep the usable translations: no header, no fuzzy, obsolete or empty entries."""
    messages = {}
    for entry in entries:
        if entry.is_header or entry.obsolete or "fuzzy" in entry.flags:
            continue
        forms = [entry.msgstr] if entry.msgid_plural is None else entry.msgstr_plural
        if forms and all(forms):
            messages[entry.key] = forms
    return Catalog(messages, plural_rule(entries))


def read_catalog(path: str) -> Catalog:
    """The catalog of one PO file."""
    with open(path, encoding="utf-8") as file:
        return make_catalog(parse_po(file.read()))
