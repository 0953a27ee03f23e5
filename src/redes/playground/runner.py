"""One page's session apart from any network: its messages in, its answers and frames out.

``parse_message`` checks what the browser sends (a JSON object with a ``type`` of
``MESSAGE_TYPES``). A ``Runner`` holds one ``Session`` and what its page said of itself
(its language, whether it reads compact frames); ``handle`` carries out one raw message
and ``frame`` renders the next frame. It never waits on the network, so the same runner
serves a websocket in the server's process (``connection.Connection``) and in a worker
process (``workers``).
"""

from __future__ import annotations

import contextlib
import json
import logging

from ..i18n import PSEUDO, _, available_languages, language
from . import messages
from .frames import FrameEncoder, encode_frame
from .session import Session
from .state import json_kind

log = logging.getLogger("redes.playground")

MAX_MESSAGE_BYTES = 512 * 1024      # a CSV upload of MAX_CSV_BYTES fits, JSON-escaped
QUEUE_SIZE = 64                     # messages waiting for the session; more are refused
MESSAGE_TYPES = (*messages.HANDLERS, "lang", "ping", "compact")


class NotFiniteError(ValueError):
    """NaN or Infinity in a message: JSON has no such numbers, and no setting takes them."""


def _no_constant(name):
    raise NotFiniteError(_("expected finite numbers, got {value}").format(value=name))


def parse_message(raw) -> dict:
    """A browser message as a dict with a string ``type``; ValueError otherwise."""
    if not isinstance(raw, str):
        raise ValueError(_("expected a JSON text message, got {kind} data").format(
            kind=type(raw).__name__))
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ValueError(_("expected a message of at most {limit} characters, got "
                           "{count}").format(limit=MAX_MESSAGE_BYTES, count=len(raw)))
    try:
        msg = json.loads(raw, parse_constant=_no_constant)
    except NotFiniteError:
        raise
    except json.JSONDecodeError as exc:
        raise ValueError(_("expected a JSON object, got text that is not JSON ({problem} at "
                           "character {position})").format(problem=exc.msg, position=exc.pos)
                         ) from None
    except (ValueError, RecursionError):     # a number of thousands of digits, deep nesting
        raise ValueError(_("expected a JSON object, got JSON with a number too long or "
                           "nested too deeply")) from None
    if not isinstance(msg, dict):
        raise ValueError(_("expected a JSON object, got {kind}").format(kind=json_kind(msg)))
    if not isinstance(msg.get("type"), str):
        raise unknown_type(msg.get("type"))
    return msg


def unknown_type(kind) -> ValueError:
    return ValueError(_("type: expected one of {options}, got {value}").format(
        options=", ".join(MESSAGE_TYPES), value=json_kind(kind)))


class Runner:
    """One session and what its page said: carries out its messages, renders its frames.

    Args:
        compact: whether the page may ask for compact frames (``"compact"``); when not,
            that message changes nothing and every frame is full (today's frames, for the
            benchmark's comparison). Default True.
    """

    def __init__(self, compact: bool = True):
        self.session = Session()
        self.lang = None           # the page's language ("lang" message); None: the server's
        self.compact = compact
        self.encoder: FrameEncoder | None = None      # once the page reads compact frames

    def language(self):
        """The page's language for the messages built in the block (the server's when the
        page has not said)."""
        return language(self.lang) if self.lang else contextlib.nullcontext()

    def hello(self) -> list[dict]:
        """The first messages of a session: its state and options, then its points."""
        # connection imports this module: options is imported here, not on top
        from .connection import options

        return [{"type": "hello", "state": self.session.state, "options": options()},
                self.session.data_message()]

    def handle(self, raw) -> tuple[list[dict], bool]:
        """Carry out one raw message, in the page's language: the messages to send back and
        whether the picture changed (a frame is due). Never raises: a message that breaks
        a rule gets an error naming the field."""
        kind = None
        with self.language():
            try:
                msg = parse_message(raw)
                kind = msg["type"]
                return self.dispatch(kind, msg)
            except ValueError as exc:           # a message that breaks a rule: the reason
                return [{"type": "error", "request": kind, "message": str(exc)[:300]}], False
            except Exception:                    # a bug must not end the session
                log.exception("playground: message %r failed", kind)
                return [{"type": "error", "request": kind,
                         "message": _("internal error")}], False

    def dispatch(self, kind: str, msg: dict) -> tuple[list[dict], bool]:
        if kind == "lang":
            lang = msg.get("lang")
            if lang not in (*available_languages(), PSEUDO):
                raise ValueError(_("lang: expected one of {options}, got {value}").format(
                    options=", ".join((*available_languages(), PSEUDO)),
                    value=json_kind(lang)))
            self.lang = lang
            return [], False
        if kind == "ping":
            return [{"type": "pong"}], False
        if kind == "compact":                    # from now on compact frames, a key one next
            if not self.compact:
                return [], False
            self.encoder = FrameEncoder()
            return [], True
        if kind not in messages.HANDLERS:
            raise unknown_type(kind)
        return messages.carry_out(self.session, msg)

    def dropped(self, count: int) -> dict:
        """The error that says ``count`` messages were ignored (too many at once)."""
        with self.language():
            return {"type": "error", "message": _(
                "too many messages at once: {count} ignored").format(count=count)}

    def frame(self, train: bool = False) -> bytes:
        """The next frame, encoded for this page; with ``train``, after one frame of
        training (``Session.advance``)."""
        with self.language():
            if train:
                self.session.advance()
            header, arrays = self.session.render()
            if self.encoder is None:
                return encode_frame(header, arrays)
            return self.encoder.encode(header, arrays)
