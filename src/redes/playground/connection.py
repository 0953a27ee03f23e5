"""One browser tab's session over the websocket ``/ws``, in the server's own process.

``options`` is what a session's ``hello`` offers the page. ``Connection`` queues a
websocket's messages and carries them out on its ``Runner`` (``runner``: the session, its
messages and frames) in a thread, and sends the frames while playing, at most ``fps`` a
second, one at a time: a frame that is late is skipped, never queued. The server uses it
with ``workers=0``; with worker processes, ``workers.RemoteConnection`` takes its place.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time

from fastapi import WebSocket, WebSocketDisconnect

from ..data import playground_sets as datasets
from ..i18n import available_languages
from . import challenges, presets, state
from .runner import (  # noqa: F401  (parse_message and the limits were defined here)
    MAX_MESSAGE_BYTES,
    MESSAGE_TYPES,
    QUEUE_SIZE,
    NotFiniteError,
    Runner,
    parse_message,
    unknown_type,
)

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
        "challenges": challenges.options(),
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


class Connection:
    """One websocket whose session lives in this process: reads messages into a queue and
    runs the session's loop.

    Args:
        ws: the websocket, accepted.
        fps: the most frames per second it sends while playing.
        compact: whether the page may ask for compact frames (see ``Runner``). Default True.
    """

    def __init__(self, ws: WebSocket, fps: float, compact: bool = True):
        self.ws = ws
        self.runner = Runner(compact)
        self.interval = 1 / fps
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.frames = 0
        self.dropped = 0

    @property
    def session(self):
        return self.runner.session

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
            for message in self.runner.hello():
                await self.send(message)
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
                    await self.send(self.runner.dropped(self.dropped))
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
        frame = await asyncio.to_thread(self.runner.frame, train)
        await self.ws.send_bytes(frame)
        self.frames += 1

    async def handle(self, raw) -> bool:
        """Carry out one message (in a worker thread: training a step takes a while), in
        the page's language; returns whether the picture changed."""
        replies, changed = await asyncio.to_thread(self.runner.handle, raw)
        for reply in replies:
            await self.send(reply)
        return changed
