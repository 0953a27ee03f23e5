"""20 sessions at once on loopback: every one trains and streams, without errors."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

pytest.importorskip("websockets", reason="the load test needs websockets")

from websockets.asyncio.client import connect  # noqa: E402

from redes.playground.frames import FrameDecoder  # noqa: E402
from redes.playground.session import Session  # noqa: E402

SESSIONS = 20
SECONDS = 6.0


async def session(url, i, results):
    frames = errors = 0
    epoch = 0
    decoder = FrameDecoder()                 # every frame read whole, as the page does
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "compact"}))
        await ws.send(json.dumps({"type": "set", "changes": {
            "dataset": ["circle", "xor", "spiral", "gauss"][i % 4], "seed": i,
            "layers": [8, 8, 8], "activations": ["tanh"] * 3}}))
        await ws.send(json.dumps({"type": "play"}))
        start = time.monotonic()
        while time.monotonic() - start < SECONDS:
            m = await asyncio.wait_for(ws.recv(), 30)
            if isinstance(m, bytes):
                frames += 1
                epoch = decoder.decode(m)[0]["epoch"]
            elif json.loads(m)["type"] == "error":
                errors += 1
        await ws.send(json.dumps({"type": "pause"}))
    results[i] = (frames, epoch, errors)


def test_twenty_sessions_train_at_once(servers):
    """On two worker processes, as ``redes playground`` runs them on two cores."""
    results = {}

    async def main(url):
        await asyncio.gather(*(session(url, i, results) for i in range(SESSIONS)))

    with servers.live(workers=2) as server:
        asyncio.run(main(server.ws_url))
    frames = [r[0] for r in results.values()]
    print(f"load: {SESSIONS} sessions for {SECONDS} s: frames per session "
          f"min {min(frames)}, mean {sum(frames) / len(frames):.0f}, max {max(frames)}; "
          f"epochs min {min(r[1] for r in results.values())}")
    assert len(results) == SESSIONS
    assert all(r[2] == 0 for r in results.values())
    assert min(frames) >= 10 and min(r[1] for r in results.values()) >= 5


HEAVY = {"dataset": "spiral", "points": 500, "layers": [8] * 6, "activations": ["tanh"] * 6,
         "optimizer": "adam", "learning_rate": 0.01,
         "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "cosx1", "cosx2"]}
MIN_FPS = 30   # see benchmarks/bench_playground.py for the time each part of a frame takes


def capacity(frames: int = 30) -> float:
    """Frames per second this machine computes right now (training and drawing, no
    network): on a computer busy with other work the stream cannot beat it."""
    session = Session(HEAVY)
    session.frame(train=True)
    start = time.perf_counter()
    for _ in range(frames):
        session.frame(train=True)
    return frames / (time.perf_counter() - start)


def test_a_six_by_eight_network_streams_at_thirty_frames_per_second(server_process):
    fps, size, epochs = asyncio.run(stream(server_process.ws_url))
    can = capacity()
    print(f"6x8 network, 500 points, 100x100 surface + 57 neuron maps: {fps:.1f} frames/s "
          f"streamed ({can:.0f} computable in process), {size / 1024:.0f} KB per frame, "
          f"{epochs} epochs in 4 s")
    assert fps >= min(MIN_FPS, 0.75 * can)
    assert epochs >= fps * 4 * 0.9          # one epoch per frame at speed 1
    assert size < 200_000


async def stream(url):
    """Frames per second, frame size and epochs of a 6 x 8 network playing for 4 s."""
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "set", "changes": HEAVY}))
        await ws.send(json.dumps({"type": "play"}))
        frames, size, start = 0, 0, None
        while True:
            m = await asyncio.wait_for(ws.recv(), 10)
            if not isinstance(m, bytes):
                continue
            n = int.from_bytes(m[4:8], "little")
            header = json.loads(m[8:8 + n])
            if not header["playing"]:
                continue
            if start is None:
                start, first_epoch = time.monotonic(), header["epoch"]
                continue
            frames += 1
            size = len(m)
            elapsed = time.monotonic() - start
            if elapsed >= 4:
                return frames / elapsed, size, header["epoch"] - first_epoch


def test_sessions_beyond_the_cap_are_refused(live_server, monkeypatch):
    from redes.playground import server

    monkeypatch.setattr(server, "MAX_SESSIONS", 2)

    async def main():
        async with connect(live_server.ws_url) as a, connect(live_server.ws_url) as b:
            await a.recv()
            await b.recv()
            async with connect(live_server.ws_url) as c:
                message = json.loads(await asyncio.wait_for(c.recv(), 10))
                await c.wait_closed()
                return message, c.close_code

    message, code = asyncio.run(main())
    assert message["type"] == "error" and "too many sessions" in message["message"]
    assert code == 1013
