"""Sessions spread over worker processes, so that a classroom uses every core.

Training and drawing a frame is NumPy work in Python: one process would run one frame at a
time, whatever the number of cores. So the server's process (uvicorn) only relays: each
websocket's messages go to the worker process that owns its session, and the worker's
answers (JSON messages and encoded frames) come back to the websocket. A
``pool.WorkerPool`` starts the workers and gives each new session to the one with the
fewest; this module is the workers' side.

A worker runs many sessions (``worker_main``), one step at a time: first every message
that has arrived, then one frame, for the session that waited longest among those due (a
changed picture, or a playing session whose next frame time has come, at most ``fps`` a
second). So when the worker is busy its sessions share it evenly, each at a lower frame
rate. A session has at most one frame on its way: its next one is rendered only after the
server's process has written the last one to the websocket (a client that reads slowly
holds that write back, and so gets fewer frames). A frame is never queued: the newest
state is drawn when its turn comes, and training goes on one ``Session.advance`` per frame.

Between the processes, each message is ``kind`` (1 byte), the session's number (uint32,
little endian) and the payload. To a worker: ``O`` open, ``M`` a text message (UTF-8),
``B`` a binary one, ``A`` the last frame was sent, ``C`` close, ``Q`` stop. From a worker:
``T`` a JSON text to send, ``F`` a frame, ``X`` the session ended (with a JSON error, or
nothing).

The workers stop with the server: ``WorkerPool.stop`` (the app's shutdown), and on their
own when the server's process is gone (their pipe to it closes, or their parent changes),
so a server killed with SIGKILL leaves none behind. Ctrl+C reaches the whole process group;
the workers ignore it and wait for the server to stop them. A worker that crashes ends its
sessions with an error; the server and the other workers go on.
"""

from __future__ import annotations

import collections
import gc
import json
import logging
import os
import queue
import signal
import struct
import sys
import threading
import time
from multiprocessing.connection import Client

from ..i18n import _

log = logging.getLogger("redes.playground")

HEAD = struct.Struct("<cI")
# A worker's environment. It is one core's worth of work, so its NumPy computes on one
# thread (a session's products are small, and the threads of a BLAS library that waits for
# work on every core would take the cores of the other workers). And each frame makes and
# frees the same arrays of a few hundred KB (the grid pass: 10 000 points by 8 neurons per
# layer): glibc's malloc would hand such memory back to the system and take it again,
# zeroing every page each time; told to keep up to 16 MB, a frame's grid pass takes half
# the time (measured with benchmarks/bench_playground.py). Other systems ignore these.
WORKER_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                      "MKL_NUM_THREADS": "1", "MALLOC_MMAP_THRESHOLD_": str(2**20),
                      "MALLOC_TRIM_THRESHOLD_": str(2**24)}
IDLE_CHECK = 1.0        # seconds a worker waits at most before checking its parent is there


def pack(kind: bytes, sid: int, payload: bytes = b"") -> bytes:
    return HEAD.pack(kind, sid) + payload


def unpack(data: bytes) -> tuple[bytes, int, bytes]:
    kind, sid = HEAD.unpack_from(data)
    return kind, sid, data[HEAD.size:]


# ------------------------------------------------------------------- in the worker
class Slot:
    """One session in a worker: its runner, its waiting messages and its frame times."""

    def __init__(self, sid: int, runner):
        self.sid = sid
        self.runner = runner
        self.inbox: collections.deque = collections.deque()
        self.dropped = 0
        self.dirty = True             # the first frame is due at once
        self.waiting = False          # a frame on its way, not yet written to the websocket
        self.next_due = time.monotonic()
        self.served = 0.0             # when it last got a frame (the longest waiting first)

    def due(self, now: float) -> bool:
        return not self.waiting and (self.dirty or (self.runner.session.playing
                                                    and now >= self.next_due))


class Worker:
    """The sessions of one worker process and its loop (see the module's docstring)."""

    def __init__(self, pipe, parent: int, fps: float, compact: bool):
        from .runner import QUEUE_SIZE, Runner

        self.pipe, self.parent, self.interval = pipe, parent, 1 / fps
        self.make = lambda: Runner(compact)
        self.queue_size = QUEUE_SIZE
        self.slots: dict[int, Slot] = {}
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()

    def listen(self) -> None:
        """The reader thread: every message from the server into ``inbox``; None when the
        server is gone."""
        try:
            while True:
                self.inbox.put(self.pipe.recv_bytes())
        except (EOFError, OSError):
            self.inbox.put(None)

    def send(self, kind: bytes, sid: int, payload: bytes = b"") -> None:
        self.pipe.send_bytes(pack(kind, sid, payload))

    def send_json(self, sid: int, message: dict) -> None:
        try:
            text = json.dumps(message, allow_nan=False)
        except ValueError:                 # NaN in a message: a bug, not the session's end
            log.exception("playground: a message could not be sent")
            text = json.dumps({"type": "error", "message": _("internal error")})
        self.send(b"T", sid, text.encode())

    def take(self, data: bytes) -> bool:
        """File one message from the server; False to stop."""
        kind, sid, payload = unpack(data)
        slot = self.slots.get(sid)
        if kind == b"Q":
            return False
        if kind == b"O":
            slot = self.slots[sid] = Slot(sid, self.make())
            for message in slot.runner.hello():
                self.send_json(sid, message)
        elif slot is None:
            return True                       # a session already closed
        elif kind in (b"M", b"B"):
            if len(slot.inbox) >= self.queue_size:
                slot.dropped += 1
            else:
                slot.inbox.append(payload.decode("utf-8", "replace") if kind == b"M"
                                  else payload)
        elif kind == b"A":
            slot.waiting = False
        elif kind == b"C":
            del self.slots[sid]
        return True

    def carry_out(self) -> None:
        """Every waiting message of every session, in the order they came."""
        for slot in list(self.slots.values()):
            while slot.inbox:
                replies, changed = slot.runner.handle(slot.inbox.popleft())
                for reply in replies:
                    self.send_json(slot.sid, reply)
                slot.dirty |= changed
            if slot.dropped:
                self.send_json(slot.sid, slot.runner.dropped(slot.dropped))
                slot.dropped = 0

    def draw(self, slot: Slot, now: float) -> None:
        """One frame of ``slot``: trained if its time has come, sent to the server."""
        train = slot.runner.session.playing and now >= slot.next_due
        if train:     # keep the pace on average; after a long wait start afresh
            slot.next_due = max(slot.next_due + self.interval, now - 2 * self.interval)
        try:
            frame = slot.runner.frame(train)
        except Exception:                  # a bug: this session ends, the others go on
            log.exception("playground: a frame failed")
            del self.slots[slot.sid]
            with slot.runner.language():
                error = {"type": "error", "message": _("internal error")}
            self.send(b"X", slot.sid, json.dumps(error).encode())
            return
        slot.dirty, slot.waiting, slot.served = False, True, now
        self.send(b"F", slot.sid, frame)

    def wait(self, now: float) -> float:
        """How long to wait for a message: until the next frame is due, at most
        ``IDLE_CHECK`` seconds."""
        times = [s.next_due - now for s in self.slots.values()
                 if s.runner.session.playing and not s.waiting]
        return min(IDLE_CHECK, max(0.0, min(times))) if times else IDLE_CHECK

    def run(self) -> None:
        while True:
            now = time.monotonic()
            ready = [s for s in self.slots.values() if s.due(now)]
            try:          # a frame to draw: what has arrived; else wait for something
                data = self.inbox.get(timeout=self.wait(now)) if not ready \
                    else self.inbox.get_nowait()
            except queue.Empty:
                data = b""
                if os.getppid() != self.parent:        # the server is gone
                    return
            while data != b"":
                if data is None or not self.take(data):     # gone, or told to stop
                    return
                try:
                    data = self.inbox.get_nowait()
                except queue.Empty:
                    data = b""
            self.carry_out()
            now = time.monotonic()
            ready = [s for s in self.slots.values() if s.due(now)]
            if ready:     # the changed pictures first, then the one that waited longest
                self.draw(min(ready, key=lambda s: (not s.dirty, s.served)), now)


def worker_main(pipe, parent: int, fps: float, compact: bool) -> None:
    """A worker process: its sessions until the server says stop or is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl+C is the server's to handle
    code = 0
    try:
        worker = Worker(pipe, parent, fps, compact)
        threading.Thread(target=worker.listen, daemon=True).start()
        worker.run()
    except BaseException:
        log.exception("playground: a worker process failed")
        code = 1
    os._exit(code)             # not waiting for the reader thread, blocked on the pipe


def main() -> None:
    """``python -m redes.playground.workers``: a worker, told by the server on its standard
    input where to connect (a fresh interpreter, which imports only what it needs: never
    the server's main module, so a script that calls ``serve`` needs no special idiom)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import connection, runner  # noqa: F401  (the sessions' code, before saying ready)

    # The objects of every module loaded so far live as long as the process: out of the
    # garbage collector's sight, its full collections (every few hundred frames) only go
    # through the sessions' objects, not through NumPy's, FastAPI's and redes' too.
    gc.freeze()

    told = json.loads(sys.stdin.readline())
    address = told["address"] if isinstance(told["address"], str) else tuple(told["address"])
    pipe = Client(address, authkey=bytes.fromhex(told["key"]))
    worker_main(pipe, told["parent"], told["fps"], told["compact"])


if __name__ == "__main__":
    main()
