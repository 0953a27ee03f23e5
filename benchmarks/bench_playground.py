"""Playground frame rate: how many frames per second one session trains and streams.

The setting is the heaviest the playground allows for one frame of drawing: a 6 x 8
network (six hidden layers of eight tanh neurons) on all nine input features, the spiral
with 500 points (250 to train, batches of 10, Adam), one epoch per frame, and per frame a
100 x 100 output surface plus every neuron's map (57 maps of 50 x 50).

Two measurements:

1. in process: a frame is split into training (one epoch: 25 gradient steps), surface
   computation (one forward pass of the 10 000 grid pixels through the network, losses,
   quantization) and encoding (the binary frame); the table gives the median time of each
   and the frames per second they allow;
2. over a websocket: a real server (``serve`` in its own process, uvicorn on 127.0.0.1)
   streams to one client for a few seconds, at caps of 30 and 60 (the default) frames per
   second and uncapped; it prints the frames per second the client received and their size.

Usage::

    python benchmarks/bench_playground.py            # about 35 seconds
    python benchmarks/bench_playground.py --quick    # about 15 seconds
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

from redes.playground.session import Session, encode_frame  # noqa: E402

HEAVY = {"dataset": "spiral", "points": 500, "train_ratio": 50, "batch_size": 10,
         "layers": [8] * 6, "activations": ["tanh"] * 6, "optimizer": "adam",
         "learning_rate": 0.01, "speed": 1,
         "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "cosx1", "cosx2"]}


def in_process(frames: int) -> dict:
    session = Session(HEAVY)
    times = {"train": [], "surface": [], "encode": []}
    size = 0
    for i in range(frames + 5):
        t0 = time.perf_counter()
        session.advance(budget=1.0)
        t1 = time.perf_counter()
        header, arrays = session.render()
        t2 = time.perf_counter()
        data = encode_frame(header, arrays)
        t3 = time.perf_counter()
        if i >= 5:                                   # the first frames warm up
            times["train"].append(t1 - t0)
            times["surface"].append(t2 - t1)
            times["encode"].append(t3 - t2)
            size = len(data)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    med["total"] = sum(med.values())
    med["fps"] = 1000 / med["total"]
    med["bytes"] = size
    med["epochs"] = session.epoch
    return med


def over_websocket(fps: float, seconds: float) -> tuple[float, int]:
    """Frames per second and frame size a client receives from a server process."""
    from websockets.asyncio.client import connect

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("from redes.playground.server import serve; "
            f"serve(port={port}, open_browser=False, fps={fps})")
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = subprocess.Popen([sys.executable, "-c", code], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def client():
        for _ in range(100):                         # wait for the server to listen
            try:
                ws = await connect(f"ws://127.0.0.1:{port}/ws", max_size=None)
                break
            except OSError:
                await asyncio.sleep(0.1)
        async with ws:
            await ws.send(json.dumps({"type": "set", "changes": HEAVY}))
            await ws.send(json.dumps({"type": "play"}))
            count, size, start = 0, 0, None
            while True:
                m = await ws.recv()
                if not isinstance(m, bytes):
                    continue
                n = int.from_bytes(m[4:8], "little")
                if not json.loads(m[8:8 + n])["playing"]:
                    continue
                if start is None:
                    start = time.perf_counter()      # from the first playing frame
                    continue
                count += 1
                size = len(m)
                if time.perf_counter() - start >= seconds:
                    return count / (time.perf_counter() - start), size

    try:
        return asyncio.run(client())
    finally:
        server.terminate()
        server.wait(10)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer frames, shorter streams")
    args = parser.parse_args(argv)
    frames, seconds = (30, 3.0) if args.quick else (150, 8.0)

    r = in_process(frames)
    print("Playground frame, 6 x 8 tanh network, 9 features, spiral of 500 points, "
          "100 x 100 surface + 57 neuron maps")
    print(f"{'part':<34}{'median ms':>10}")
    print(f"{'training (1 epoch, 25 steps)':<34}{r['train']:>10.2f}")
    print(f"{'surface computation (grid pass)':<34}{r['surface']:>10.2f}")
    print(f"{'encoding (binary frame)':<34}{r['encode']:>10.2f}")
    print(f"{'whole frame':<34}{r['total']:>10.2f}   -> {r['fps']:.0f} frames/s possible, "
          f"{r['bytes'] / 1024:.0f} KB per frame")
    try:
        import uvicorn  # noqa: F401
        import websockets  # noqa: F401
    except ImportError:
        print("websocket stream: skipped (pip install 'redes[web]' websockets)")
        return
    for cap in (30.0, 60.0, 1000.0):
        got, size = over_websocket(cap, seconds)
        label = f"capped at {cap:.0f}" if cap < 1000 else "uncapped"
        print(f"websocket stream ({label}): {got:.1f} frames/s received, "
              f"{size / 1024:.0f} KB per frame, {got * size / 2**20:.1f} MB/s")


if __name__ == "__main__":
    main()
