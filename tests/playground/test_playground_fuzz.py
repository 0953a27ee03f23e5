"""Hostile and random messages against a real server: it answers errors and stays up,
and another session keeps training all along."""

from __future__ import annotations

import asyncio
import json
import random
import time

import pytest

websockets = pytest.importorskip("websockets", reason="the fuzz test needs websockets")
httpx = pytest.importorskip("httpx", reason="the fuzz test needs httpx")

from websockets.asyncio.client import connect  # noqa: E402

N_MESSAGES = 400


def hostile_messages(rng: random.Random):
    """Random bytes, wrong types, huge and non-finite numbers, deep and oversize JSON."""
    values = [None, True, -1, 0, 2**31, 10**30, 1e308, -1e308, 1.5, "", "x" * 1000, [], {},
              [[[[1]]]], "NaN", "tanh", [8] * 50, [-1], ["x1"] * 20, {"a": {"b": 1}}]
    fields = ["layers", "activations", "features", "learning_rate", "noise", "points",
              "batch_size", "seed", "dataset", "problem", "optimizer", "reg_rate", "dropout",
              "speed", "show_test", "regularization", "__proto__", "constructor"]
    kinds = ["set", "play", "pause", "step", "reset", "preset", "upload", "export", "ping",
             "", "SET", None, 7]
    while True:
        r = rng.random()
        if r < 0.15:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        elif r < 0.25:
            yield "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(1, 200)))
        elif r < 0.3:
            depth = rng.choice([100, 5000, 200_000])
            yield '{"type": "set", "changes": ' + "[" * depth + "]" * depth + "}"
        elif r < 0.35:
            yield rng.choice(['{"type": "set", "changes": {"learning_rate": NaN}}',
                              '{"type": "set", "changes": {"noise": -Infinity}}',
                              '{"type": "set", "changes": {"seed": 1e99999}}',
                              '{"type": "set", "changes": {"points": ' + "9" * 6000 + "}}"])
        elif r < 0.4:
            yield json.dumps({"type": "upload", "csv": rng.choice([
                "1,2,3\n" * 100_000, "nan,1,0\n" * 50, "a,b,c", "\x00" * 1000,
                "\n".join(f"{rng.uniform(-9, 9)},{rng.uniform(-9, 9)},{rng.randrange(9)}"
                          for _ in range(rng.randrange(0, 2500)))])})
        elif r < 0.42:
            yield "x" * 600_000                  # larger than the server's message limit
        else:
            changes = {rng.choice(fields): rng.choice(values) for _ in range(rng.randrange(4))}
            msg = {"type": rng.choice(kinds), "changes": changes, "name": rng.choice(values),
                   "csv": rng.choice(values)}
            yield json.dumps(msg)


async def watcher(url, stop, counts):
    """A well-behaved session that trains and counts its frames."""
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "play"}))
        while not stop.is_set():
            m = await asyncio.wait_for(ws.recv(), 10)
            if isinstance(m, bytes):
                counts["frames"] += 1
            elif json.loads(m)["type"] == "error":
                counts["errors"] += 1


async def attacker(url, counts):
    rng = random.Random(1234)
    messages = hostile_messages(rng)
    sent = 0
    while sent < N_MESSAGES:
        try:
            async with connect(url, max_size=None) as ws:
                while sent < N_MESSAGES:
                    await ws.send(next(messages))
                    sent += 1
                    if sent % 10 == 0:           # the session still answers
                        await ws.send(json.dumps({"type": "ping"}))
                        while True:
                            m = await asyncio.wait_for(ws.recv(), 20)
                            if isinstance(m, str) and json.loads(m)["type"] == "pong":
                                counts["pongs"] += 1
                                break
                            if isinstance(m, str) and json.loads(m)["type"] == "error":
                                counts["errors"] += 1
        except websockets.ConnectionClosed:
            counts["closed"] += 1                # oversize message: that socket is closed


def test_fuzz_server_stays_up_and_other_sessions_keep_training(live_server):
    counts = {"errors": 0, "pongs": 0, "closed": 0}
    watched = {"frames": 0, "errors": 0}

    async def main():
        stop = asyncio.Event()
        watch = asyncio.create_task(watcher(live_server.ws_url, stop, watched))
        await asyncio.sleep(0.5)
        before, start = watched["frames"], time.monotonic()
        await attacker(live_server.ws_url, counts)
        counts["seconds"] = round(time.monotonic() - start, 1)
        during = watched["frames"] - before
        await asyncio.sleep(1.0)
        stop.set()
        await watch
        return during

    during = asyncio.run(main())
    print(f"fuzz: {N_MESSAGES} messages, {counts}, watcher frames during the attack: {during}")
    assert counts["errors"] > N_MESSAGES // 4        # most hostile messages got an error reply
    assert counts["pongs"] >= 10
    assert during > 20 and watched["errors"] == 0
    r = httpx.get(live_server.url, timeout=10)
    assert r.status_code == 200                      # and the server still serves pages
    deadline = time.monotonic() + 5                  # every closed session is let go
    while live_server.app.state.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live_server.app.state.connections
