"""The server's side of the worker processes (see ``workers``): starting them, giving
each new session to one, and relaying each websocket's messages to its session's worker and
the worker's answers back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import secrets
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Client, Listener

from ..i18n import _
from .workers import WORKER_ENVIRONMENT, pack, unpack

log = logging.getLogger("redes.playground")
START_LIMIT = 60.0          # seconds a new worker may take to connect


def _watch(process, address, key: bytes, connected: threading.Event) -> None:
    """A new worker that ends (or hangs for a minute) before it connects: the listener is
    woken up, and ``_spawn`` says so."""
    try:
        process.wait(START_LIMIT)
    except subprocess.TimeoutExpired:
        if connected.is_set():
            return
        process.kill()
        process.wait()
    if not connected.is_set():
        try:
            Client(address, authkey=key).close()
        except (OSError, EOFError, multiprocessing.AuthenticationError):
            pass


class Handle:
    """The server's end of one worker process: its pipe and the sessions it runs."""

    def __init__(self, process, pipe):
        self.process, self.pipe = process, pipe
        self.sessions: set[int] = set()
        self.alive = True


class WorkerPool:
    """Worker processes, each running many sessions (see the module's docstring).

    Args:
        size: how many worker processes (at least 1).
        fps: the most frames per second each session gets.
        compact: whether pages may ask for compact frames (see ``runner.Runner``).
    """

    def __init__(self, size: int, fps: float, compact: bool = True):
        self.size, self.fps, self.compact = max(1, int(size)), fps, compact
        self.handles: list[Handle] = []
        self.routes: dict[int, RemoteConnection] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.lock: asyncio.Lock | None = None
        self.count = 0

    async def start(self) -> None:
        """Start the workers (from the server's event loop, whose thread gets their
        answers); at the app's startup, or at the first session."""
        if self.loop is None:
            self.loop, self.lock = asyncio.get_running_loop(), asyncio.Lock()
            async with self.lock:
                self.handles = list(await asyncio.gather(
                    *(asyncio.to_thread(self._spawn) for _ in range(self.size))))

    def _spawn(self) -> Handle:
        """A new worker process, connected (it connects back to a listener of its own)."""
        key = secrets.token_bytes(32)
        with Listener(authkey=key) as listener:
            process = subprocess.Popen([sys.executable, "-m", "redes.playground.workers"],
                                       stdin=subprocess.PIPE,
                                       env={**os.environ, **WORKER_ENVIRONMENT})
            told = {"address": listener.address, "key": key.hex(), "parent": os.getpid(),
                    "fps": self.fps, "compact": self.compact}
            process.stdin.write(json.dumps(told).encode() + b"\n")
            process.stdin.close()
            connected = threading.Event()
            threading.Thread(target=_watch, args=(process, listener.address, key, connected),
                             daemon=True).start()
            pipe = listener.accept()
            connected.set()
        if process.poll() is not None:
            pipe.close()
            raise RuntimeError(_("the playground's worker process did not start (exit code "
                                 "{code}; see its messages above)").format(code=process.poll()))
        handle = Handle(process, pipe)
        threading.Thread(target=self._listen, args=(handle,), daemon=True).start()
        return handle

    def _listen(self, handle: Handle) -> None:
        """A reader thread: the worker's messages, handed to the event loop."""
        loop = self.loop
        try:
            while True:
                data = handle.pipe.recv_bytes()
                loop.call_soon_threadsafe(self._route, data)
        except (EOFError, OSError):
            try:
                loop.call_soon_threadsafe(self._lost, handle)
            except RuntimeError:       # the loop is closed: the server has stopped
                pass
        except RuntimeError:
            pass

    def _route(self, data: bytes) -> None:
        kind, sid, payload = unpack(data)
        connection = self.routes.get(sid)
        if connection is not None:
            connection.outbox.put_nowait((kind, payload))

    def _lost(self, handle: Handle) -> None:
        """A worker ended without being asked: its sessions end with an error."""
        if not handle.alive:
            return
        handle.alive = False
        log.error("playground: a worker process stopped (exit code %s); its %d sessions end",
                  handle.process.poll(), len(handle.sessions))
        error = json.dumps({"type": "error", "message": _(
            "the process running this session stopped unexpectedly; connecting again "
            "starts a new session")}).encode()
        for sid in list(handle.sessions):
            self._route(pack(b"X", sid, error))

    async def open(self, connection: RemoteConnection) -> tuple[Handle, int]:
        """A new session for ``connection``, on the worker with the fewest (a worker that
        ended is replaced)."""
        await self.start()
        async with self.lock:          # one at a time: the first ones wait for the workers
            for i, handle in enumerate(self.handles):
                if not handle.alive and not handle.sessions:
                    await asyncio.to_thread(handle.process.wait)
                    self.handles[i] = await asyncio.to_thread(self._spawn)
        alive = [h for h in self.handles if h.alive]
        if not alive:                  # the server is stopping
            raise RuntimeError("no worker process")
        handle = min(alive, key=lambda h: len(h.sessions))
        self.count += 1
        sid = self.count
        self.routes[sid] = connection
        handle.sessions.add(sid)
        self.send(handle, b"O", sid)
        return handle, sid

    def send(self, handle: Handle, kind: bytes, sid: int, payload: bytes = b"") -> None:
        if not handle.alive:
            return
        try:
            handle.pipe.send_bytes(pack(kind, sid, payload))
        except OSError:                # the worker is gone: its reader thread tells
            pass

    def close(self, handle: Handle, sid: int) -> None:
        """The session's websocket is gone: the worker forgets it."""
        self.routes.pop(sid, None)
        handle.sessions.discard(sid)
        self.send(handle, b"C", sid)

    def stop(self, timeout: float = 3.0) -> None:
        """Stop every worker: asked first, then terminated, then killed."""
        handles, self.handles = self.handles, []
        for handle in handles:
            self.send(handle, b"Q", 0)
            handle.alive = False
        deadline = time.monotonic() + timeout
        for handle in handles:
            for stop in (None, handle.process.terminate, handle.process.kill):
                if stop is not None:
                    stop()
                try:
                    handle.process.wait(max(0.1, deadline - time.monotonic()))
                    break
                except subprocess.TimeoutExpired:
                    pass
            handle.pipe.close()
        self.loop = None

    def pids(self) -> list[int]:
        return [h.process.pid for h in self.handles]


class RemoteConnection:
    """One websocket whose session lives in a worker process: its messages go there, the
    worker's answers and frames come back (each frame acknowledged once written)."""

    def __init__(self, ws, pool: WorkerPool):
        self.ws, self.pool = ws, pool
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.frames = 0

    async def run(self) -> None:
        handle, sid = await self.pool.open(self)
        reader = asyncio.create_task(self.read(handle, sid))
        try:
            while True:
                kind, payload = await self.outbox.get()
                if kind == b"F":
                    await self.ws.send_bytes(payload)   # waits while the client is behind
                    self.frames += 1
                    self.pool.send(handle, b"A", sid)
                elif kind == b"T":
                    await self.ws.send_text(payload.decode())
                else:                                   # X: the session ended; None: closed
                    if kind == b"X":
                        if payload:
                            await self.ws.send_text(payload.decode())
                        await self.ws.close(code=1011)
                    return
        finally:
            reader.cancel()
            self.pool.close(handle, sid)

    async def read(self, handle: Handle, sid: int) -> None:
        from fastapi import WebSocketDisconnect

        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                text = message.get("text")
                if text is not None:
                    self.pool.send(handle, b"M", sid, text.encode("utf-8", "replace"))
                else:
                    self.pool.send(handle, b"B", sid, message.get("bytes") or b"")
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.outbox.put_nowait((None, b""))
