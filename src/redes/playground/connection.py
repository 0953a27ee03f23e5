"""One browser tab's session over the websocket ``/ws``: its messages and its frames.

``parse_message`` checks what the browser sends (a JSON object with a ``type`` of
``MESSAGE_TYPES``); ``Connection`` queues the messages, carries them out on its ``Session``
and sends the frames while playing; ``options`` is what its ``hello`` offers the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time

from fastapi import WebSocket, WebSocketDisconnect

from ..data import playground_sets as datasets
from ..i18n import PSEUDO, _, available_languages, language
from . import messages, presets, state
from .messages import json_kind
from .session import Session

log = logging.getLogger("redes.playground")

MAX_MESSAGE_BYTES = 512 * 1024      # a CSV upload of MAX_CSV_BYTES fits, JSON-escaped
QUEUE_SIZE = 64                     # messages waiting for the session; more are refused
MESSAGE_TYPES = (*messages.HANDLERS, "lang", "ping")
_CLOSED = object()


@functools.cache
def options() -> dict:
    """What the browser may choose from (the same lists the server checks against)."""
    return {
        "features": list(state.FEATURES), "activations": list(state.ACTIVATIONS),
        "optimizers": list(state.OPTIMIZERS), "regularizations": list(state.REGULARIZATIONS),
        "problems": list(state.PROBLEMS),
        "datasets": {p: state.datasets_for(p) for p in state.PROBLEMS},
        "classes": {name: k for name, (_, k, _) in datasets.DATASETS.items()},
        "max_layers": state.MAX_LAYERS, "max_units": state.MAX_UNITS,
        "max_points": datasets.MAX_POINTS, "max_csv_bytes": datasets.MAX_CSV_BYTES,
        "presets": {name: {"state": presets.preset_state(name), "goal": p["goal"],
                           "epochs": p["epochs"]} for name, p in presets.PRESETS.items()},
        "default": state.DEFAULT,
        "thumbnails": thumbnails(),
        "languages": list(available_languages()),     # the page's words: /words/<lang>.json
    }


def thumbnails(n: int = 160) -> dict:
    """A few noise-free points of each dataset, for the dataset buttons' pictures."""
    out = {}
    for name in datasets.DATASETS:
        x, y = datasets.make(name, n, 0.0, seed=0)
        out[name] = [[round(float(a), 2), round(float(b), 2), round(float(c), 2)]
                     for (a, b), c in zip(x, y)]
    return out


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
        raise _unknown_type(msg.get("type"))
    return msg


def _unknown_type(kind) -> ValueError:
    return ValueError(_("type: expected one of {options}, got {value}").format(
        options=", ".join(MESSAGE_TYPES), value=json_kind(kind)))


class Connection:
    """One websocket: reads messages into a queue and runs its session's loop."""

    def __init__(self, ws: WebSocket, fps: float):
        self.ws = ws
        self.session = Session()
        self.interval = 1 / fps
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.frames = 0
        self.dropped = 0
        self.lang = None        # the page's language ("lang" message); None: the server's

    async def send(self, message: dict):
        await self.ws.send_text(json.dumps(message, allow_nan=False))

    async def read(self):
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    raw = message.get("bytes")
                try:
                    self.queue.put_nowait(raw)
                except asyncio.QueueFull:
                    self.dropped += 1            # reported by the session's loop
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            try:
                self.queue.put_nowait(_CLOSED)
            except asyncio.QueueFull:
                self.queue.get_nowait()
                self.queue.put_nowait(_CLOSED)

    async def run(self):
        reader = asyncio.create_task(self.read())
        try:
            await self.send({"type": "hello", "state": self.session.state, "options": options()})
            await self.send(self.session.data_message())
            await self.send_frame()
            next_frame = time.monotonic()
            while True:
                timeout = max(0.0, next_frame - time.monotonic()) if self.session.playing \
                    else None
                # a frame already due: take what has arrived without waiting (wait_for with
                # a timeout of 0 would cancel the get before it runs, and a session whose
                # frames take longer than the interval would never read pause or upload)
                try:
                    if timeout == 0:
                        raw = self.queue.get_nowait()
                    else:
                        raw = await asyncio.wait_for(self.queue.get(), timeout)
                except (TimeoutError, asyncio.QueueEmpty):
                    raw = None
                dirty = trained = False
                handled = 0
                while raw is not None:        # what has arrived, a bounded number at a time
                    if raw is _CLOSED:
                        return
                    dirty |= await self.handle(raw)
                    handled += 1
                    raw = None if self.queue.empty() or handled >= QUEUE_SIZE \
                        else self.queue.get_nowait()
                if self.dropped:
                    with self.language():
                        message = _("too many messages at once: {count} ignored").format(
                            count=self.dropped)
                    await self.send({"type": "error", "message": message})
                    self.dropped = 0
                now = time.monotonic()
                if self.session.playing and now >= next_frame:
                    # keep the pace on average; after a long stall start afresh
                    next_frame = max(next_frame + self.interval, now - 2 * self.interval)
                    trained = True
                if dirty or trained:
                    await self.send_frame(train=trained)
        finally:
            reader.cancel()

    async def send_frame(self, train: bool = False):
        frame = await asyncio.to_thread(self.session.frame, train)
        await self.ws.send_bytes(frame)
        self.frames += 1

    def language(self):
        """The page's language for the messages built in the block (the server's when the
        page has not said)."""
        return language(self.lang) if self.lang else contextlib.nullcontext()

    async def handle(self, raw) -> bool:
        """Carry out one message, in the page's language; returns whether the picture
        changed."""
        kind = None
        with self.language():
            try:
                msg = parse_message(raw)
                kind = msg["type"]
                return await self.dispatch(kind, msg)
            except ValueError as exc:           # a message that breaks a rule: the reason
                await self.send({"type": "error", "request": kind, "message": str(exc)[:300]})
            except Exception:                    # a bug must not end the session
                log.exception("playground: message %r failed", kind)
                await self.send({"type": "error", "request": kind,
                                 "message": _("internal error")})
        return False

    async def dispatch(self, kind: str, msg: dict) -> bool:
        if kind == "lang":
            lang = msg.get("lang")
            if lang not in (*available_languages(), PSEUDO):
                raise ValueError(_("lang: expected one of {options}, got {value}").format(
                    options=", ".join((*available_languages(), PSEUDO)),
                    value=json_kind(lang)))
            self.lang = lang
            return False
        if kind == "ping":
            await self.send({"type": "pong"})
            return False
        if kind not in messages.HANDLERS:
            raise _unknown_type(kind)
        # in a worker thread (training a step takes a while), in the page's language
        replies, changed = await asyncio.to_thread(messages.carry_out, self.session, msg)
        for reply in replies:
            await self.send(reply)
        return changed
