"""Compact frames (frames.py, static/frames.js) and the worker processes (workers.py).

The codec round-trips exactly, frame after frame; a network that learns streams frames a
fraction of the full ones' size; the browser's decoder gives the arrays the server drew;
the worker processes share their time among sessions, skip the frames of a client that
reads slowly, stop with the server (asked, killed, or interrupted with Ctrl+C) and end
only their own sessions when one crashes; a training step gives the numbers it gave
through the model's graph.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from redes.playground.frames import (
    COMPACT,
    MAGIC,
    FrameDecoder,
    FrameEncoder,
    decode_frame,
    encode_frame,
)
from redes.playground.session import Session

HEAVY = {"dataset": "spiral", "points": 500, "layers": [8] * 6, "activations": ["tanh"] * 6,
         "optimizer": "adam", "learning_rate": 0.01,
         "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "cosx1", "cosx2"]}


def same(arrays: dict, rendered: list) -> None:
    assert list(arrays) == [name for name, _ in rendered]
    for name, a in rendered:
        assert arrays[name].dtype == a.dtype and arrays[name].shape == a.shape, name
        np.testing.assert_array_equal(arrays[name], a, err_msg=name)


# ------------------------------------------------------------------------------- codec
def test_compact_frames_round_trip_exactly_through_deltas_and_a_new_network():
    session, encoder, decoder = Session({"layers": [4, 3]}), FrameEncoder(), FrameDecoder()
    kinds = []
    for i in range(8):
        if i == 5:                       # another network: other shapes, sent whole
            session.apply({"layers": [5]})
        session.advance(budget=1.0)
        header, rendered = session.render()
        data = encoder.encode(header, rendered)
        assert data[:4] == COMPACT
        got_header, arrays = decoder.decode(data)
        assert {k: v for k, v in got_header.items() if k in header} == header
        same(arrays, rendered)
        delta = {s["name"]: s["delta"] for s in got_header["sections"]}
        kinds.append((got_header["key"], delta["neurons"], delta["surface"], delta["w0"]))
    assert kinds[0] == (True, False, False, False)                 # the first: a key frame
    assert kinds[1:5] == [(False, True, True, False)] * 4          # maps as differences
    assert kinds[5] == (False, False, True, False)                 # new maps whole
    assert kinds[6] == (False, True, True, False)
    # a difference cannot be read without the frame before it
    with pytest.raises(ValueError, match="surface is a difference"):
        decode_frame(data)
    # full frames still stand alone, and both decoders read them
    full = encode_frame(header, rendered)
    assert full[:4] == MAGIC
    same(decode_frame(full)[1], rendered)
    same(decoder.decode(full)[1], rendered)


def test_values_wrap_around_in_both_directions():
    encoder, decoder = FrameEncoder(), FrameDecoder()
    rng = np.random.default_rng(0)
    for _ in range(3):                      # random bytes: every difference mod 256
        arrays = [("m", rng.integers(0, 256, (3, 7, 5), dtype=np.uint8)),
                  ("w0", rng.standard_normal((2, 3)).astype(np.float32))]
        same(decoder.decode(encoder.encode({"epoch": 1}, arrays))[1], arrays)


def test_a_learning_six_by_eight_network_streams_small_frames():
    """Frames of a 6 x 8 network learning the circle, from half a second to 1.5 s into
    training at 60 frames/s (how small they get depends on how fast the network changes:
    see docs/benchmarks.md for the spiral with every feature)."""
    session, encoder = Session({"layers": [8] * 6, "activations": ["tanh"] * 6}), FrameEncoder()
    sizes, full = [], 0
    for _ in range(91):
        session.advance(budget=1.0)
        header, rendered = session.render()
        sizes.append(len(encoder.encode(header, rendered)))
        full = len(encode_frame(header, rendered))
    later = np.mean(sizes[30:])
    print(f"6x8 network on the circle: key frame {sizes[0] / 1024:.1f} KB, then "
          f"{later / 1024:.1f} KB on average (full frames: {full / 1024:.1f} KB)")
    assert full > 130_000 and sizes[0] < full / 2
    assert later < 26_000 and max(sizes[30:]) < 34_000


# ---------------------------------------------------------------------------- training
def steps_through_the_graph(session: Session, n: int) -> None:
    """``Session.train_steps`` as it was: ``compute_loss_and_grads`` through the graph."""
    model, opt, flat, sl = session.model, session.model.optimizer, session._flat, session._slices
    bs = session.state["batch_size"]
    for _ in range(n):
        idx = session.next_batch(bs)
        _, grads = model.compute_loss_and_grads(session._f_train[idx], session._t_train[idx])
        opt.apply([np.concatenate([g.ravel() for g in grads])], [flat])
        for i, w in enumerate(session._weights):
            w[...] = flat[sl[i]:sl[i + 1]].reshape(w.shape)


@pytest.mark.parametrize("settings", [
    {"layers": [8] * 3, "activations": ["tanh"] * 3, "optimizer": "adam", "dataset": "spiral",
     "features": ["x1", "x2", "x1sq", "sinx1"]},
    {"layers": [5, 3], "activations": ["relu", "elu"], "optimizer": "momentum", "dropout": 0.3,
     "regularization": "l2", "reg_rate": 0.01},
    {"layers": [4], "activations": ["swish"], "optimizer": "rmsprop", "dataset": "blobs",
     "regularization": "l1", "reg_rate": 0.001},
    {"problem": "regression", "layers": [6, 6], "activations": ["sigmoid", "leaky_relu"],
     "dropout": 0.1},
    {"layers": [], "activations": [], "dataset": "xor"},
    {"layers": [3], "activations": ["linear"], "learning_rate": 10},          # diverges
])
def test_training_walks_the_layers_to_the_same_numbers_as_the_graph(settings):
    fast, graph = Session(settings), Session(settings)
    with np.errstate(all="ignore"):
        fast.train_steps(120)
        steps_through_the_graph(graph, 120)
    for a, b in zip(fast._weights, graph._weights):
        np.testing.assert_array_equal(a, b)             # bit for bit (NaN where both are)


def test_redes_playground_passes_workers(monkeypatch):
    from typer.testing import CliRunner

    from redes.cli import app
    from redes.playground import server

    calls = []
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: calls.append(kwargs))
    for extra in (["--workers", "3"], ["--workers", "0"], []):
        result = CliRunner().invoke(app, ["playground", "--no-open", *extra])
        assert result.exit_code == 0, result.output
    assert [c.get("workers") for c in calls] == [3, 0, None]


# ----------------------------------------------------------------------------- browser
def test_the_browser_reads_compact_frames_as_the_server_drew_them(browser, live_server):
    from pages import open_page

    page = open_page(browser, live_server.url)
    try:
        page.wait_for_function("window.playground.header.key !== undefined")   # compact
        page.click("#play")
        page.wait_for_function("window.playground.header.epoch >= 20")
        assert any(s["delta"] for s in page.evaluate("window.playground.header.sections"))
        page.click("#play")                                                     # pause
        page.wait_for_function("window.playground.header.playing === false")
        page.wait_for_timeout(300)
        (connection,) = live_server.app.state.connections
        assert connection.runner.encoder is not None
        _, rendered = connection.session.render()
        arrays = page.evaluate("Object.fromEntries(Object.entries(window.playground.arrays)"
                               ".map(([k, v]) => [k, Array.from(v.data)]))")
        assert set(arrays) == {name for name, _ in rendered}
        for name, a in rendered:
            np.testing.assert_array_equal(np.array(arrays[name], a.dtype), a.ravel(),
                                          err_msg=name)
        assert page.evaluate("frameReader.decoded") == page.evaluate("window.playground.frames")
        assert page.problems == []
    finally:
        page.context.close()


# ----------------------------------------------------------------------------- workers
def run(coroutine):
    """``asyncio.run`` in a thread of its own (Playwright's loop may run in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def play(url, seconds, settings=None, compact=True):
    """Frames per second a session gets while playing for ``seconds``, and its epochs."""
    from websockets.asyncio.client import connect

    async with connect(url, max_size=None) as ws:
        if compact:
            await ws.send(json.dumps({"type": "compact"}))
        await ws.send(json.dumps({"type": "set", "changes": settings or HEAVY}))
        await ws.send(json.dumps({"type": "play"}))
        decoder, frames, start, header = FrameDecoder(), 0, None, None
        while start is None or time.monotonic() - start < seconds:
            m = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(m, bytes):
                header, _ = decoder.decode(m)
                if header["playing"] and start is None:
                    start = time.monotonic()
                frames += start is not None
        return frames / seconds, header["epoch"]


def test_a_busy_worker_shares_its_time_evenly_and_skips_frames_of_a_slow_reader(servers):
    pytest.importorskip("websockets", reason="needs websockets")
    with servers.live(workers=1) as server:
        async def main():
            return await asyncio.gather(*(play(server.ws_url, 3.0) for _ in range(4)))

        results = run(main())
        jump = run(stall(server.port))
    fps = sorted(r[0] for r in results)
    print(f"4 sessions of a 6x8 network on one worker: frames/s {fps}; a reader that "
          f"stops for 3 s finds the network {jump} epochs further")
    assert fps[0] >= 0.6 * fps[-1] and fps[0] >= 3       # evenly, none starved
    assert sum(fps) < 4 * 60 and all(r[1] >= 0.9 * r[0] * 3 for r in results)
    # one epoch per frame drawn: 3 s at 60 frames/s would be 180 epochs, but no frame is
    # drawn while those already on their way (in the sockets' buffers) are not read
    assert 5 < jump < 120


async def stall(port: int) -> int:
    """Epochs a playing session trains while its client does not read for 3 s."""
    from websockets.asyncio.client import connect

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    sock.connect(("127.0.0.1", port))
    async with connect(f"ws://127.0.0.1:{port}/ws", sock=sock, max_size=None,
                       max_queue=4) as ws:
        await ws.send(json.dumps({"type": "set", "changes": HEAVY}))
        await ws.send(json.dumps({"type": "play"}))         # full frames: 150 KB each
        decoder, header, start = FrameDecoder(), None, time.monotonic()
        while header is None or time.monotonic() - start < 1.0:
            m = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(m, bytes):
                header, _ = decoder.decode(m)
        before = header["epoch"]
        await asyncio.sleep(3.0)
        await ws.send(json.dumps({"type": "pause"}))     # the epoch it had reached by now
        while header["playing"]:
            m = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(m, bytes):
                header, _ = decoder.decode(m)
        return header["epoch"] - before


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"        # a zombie has ended


def gone(pids, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


async def hello(url):
    from websockets.asyncio.client import connect

    ws = await connect(url, max_size=None)
    assert json.loads(await asyncio.wait_for(ws.recv(), 20))["type"] == "hello"
    return ws


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_stop_with_the_server_and_a_crash_ends_only_its_sessions(servers):
    pytest.importorskip("websockets", reason="needs websockets")
    start = time.monotonic()
    with servers.process(workers=2) as server:
        workers = children(server.process.pid)
        assert len(workers) == 2

        async def crash():
            a, b = await hello(server.ws_url), await hello(server.ws_url)  # one per worker
            os.kill(workers[0], signal.SIGKILL)
            endings = {asyncio.create_task(ending(ws)): ws for ws in (a, b)}
            done, waiting = await asyncio.wait(endings, timeout=20,
                                               return_when=asyncio.FIRST_COMPLETED)
            (first,) = done                   # one session ended: the other one's goes on
            (other,) = waiting
            other.cancel()
            ended, alive = first.result(), endings[other]
            await alive.send(json.dumps({"type": "lang", "lang": "es"}))  # worker's errors
            await alive.send(json.dumps({"type": "set", "changes": {"layers": [9]}}))
            spanish = await answer(alive, "error", whole=True)
            await alive.send(json.dumps({"type": "ping"}))
            c = await hello(server.ws_url)    # a new session: the worker is replaced
            await c.send(json.dumps({"type": "ping"}))
            pongs = [await answer(c, "pong"), await answer(alive, "pong")]
            await asyncio.gather(alive.close(), c.close())
            return ended, pongs, spanish

        ended, pongs, spanish = run(crash())
        assert len(ended) == 1 and "stopped unexpectedly" in ended[0]
        assert spanish["request"] == "set" and "se esperaba" in spanish["message"]
        assert pongs == ["pong", "pong"]
        workers = children(server.process.pid)
        assert len(workers) == 2
        print(f"crash handled: {time.monotonic() - start:.1f} s")
        server.process.send_signal(signal.SIGTERM)             # as Ctrl+C or a service stop
        server.process.wait(15)
        assert gone(workers)
        print(f"stopped: {time.monotonic() - start:.1f} s")
    with servers.process(workers=2) as server:
        workers = children(server.process.pid)
        assert len(workers) == 2
        server.process.kill()                                  # no chance to stop them
        server.process.wait(15)
        assert gone(workers)
    print(f"killed: {time.monotonic() - start:.1f} s")
    # Ctrl+C in a terminal: SIGINT to the whole process group, workers included
    port = servers.free_port()
    code = ("from redes.playground.server import serve; "
            f"serve(port={port}, open_browser=False, workers=2)")
    server = subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not listening(port):
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.1)
        workers = children(server.pid)
        assert len(workers) == 2
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(15) == 0 and gone(workers)
        assert b"Traceback" not in server.stderr.read()      # the workers ignored it
    finally:
        if server.poll() is None:
            server.kill()
    print(f"interrupted: {time.monotonic() - start:.1f} s")


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


async def ending(ws) -> list[str]:
    """The error messages a session gets until its websocket closes."""
    import websockets

    errors = []
    try:
        while True:
            m = await ws.recv()
            if isinstance(m, str) and json.loads(m)["type"] == "error":
                errors.append(json.loads(m)["message"])
    except websockets.ConnectionClosed:
        return errors


async def answer(ws, kind, whole=False):
    """The next JSON message of type ``kind`` (its type, or all of it)."""
    while True:
        m = await asyncio.wait_for(ws.recv(), 20)
        if isinstance(m, str) and json.loads(m)["type"] == kind:
            return json.loads(m) if whole else kind
