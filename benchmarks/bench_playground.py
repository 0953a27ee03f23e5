"""Playground frame rate: how many frames per second the playground trains and streams,
for one session and for a classroom.

The setting is the heaviest the playground allows for one frame of drawing: a 6 x 8
network (six hidden layers of eight tanh neurons) on all nine input features, the spiral
with 500 points (250 to train, batches of 10, Adam), one epoch per frame, and per frame a
100 x 100 output surface plus every neuron's map (57 maps of 50 x 50).

Two measurements:

1. in process: a frame is split into training (one epoch: 25 gradient steps), surface
   computation (one forward pass of the 10 000 grid pixels through the network, losses,
   quantization) and encoding (a full binary frame, and a compact one: differences from
   the previous frame, deflated); the table gives the median time of each and the frames
   per second they allow;
2. concurrent sessions on loopback: a real server (``serve`` in its own process, uvicorn
   on 127.0.0.1) streams to 1, 10 and 30 client sessions at once, all playing the setting
   above at the default cap of 60 frames per second, for a few seconds. Each client reads
   every frame whole (inflates it and applies its differences, with
   ``redes.playground.frames``) and counts the frames per second it got and the bytes.
   Two servers, one after the other:

   - **new**: compact frames (``frames``: differences from the previous frame, deflated),
     the websocket's own compression declined (the frames are deflated already),
     sessions spread over one worker process per core (``workers``, ``pool``), each
     session's frame rate adapting to the load;
   - **today**: the playground as it was (``serve(workers=0, compact=False)``): every
     session in the server's process (a thread per frame), full frames (about 150 KB
     each, already binary with 8-bit maps, neither differential nor deflated by the
     playground), which the websocket's own compression (permessage-deflate, which
     browsers ask for, as these clients do) deflates in the server's process.

   Per path and number of sessions it prints the frames per second of the sessions
   (lowest, median, all together), the bytes per second of a session that came over the
   socket (after the websocket's compression) and its frames' size (before it), the CPU
   time per frame of the server's processes and of the clients, the frame rate that CPU
   time allows on idle cores, and how many cores this test, other processes and nobody
   used meanwhile (the machine may be busy with other work). Then a table of the
   lowest and median frames per second, the kilobytes per frame on the wire and the
   megabytes per second of a session, new and today, with their ratios.

Usage::

    python benchmarks/bench_playground.py            # about 3.5 minutes
    python benchmarks/bench_playground.py --quick    # about 1.5 minutes
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

from redes.playground.frames import FrameDecoder, FrameEncoder, encode_frame  # noqa: E402
from redes.playground.session import Session  # noqa: E402

HEAVY = {"dataset": "spiral", "points": 500, "train_ratio": 50, "batch_size": 10,
         "layers": [8] * 6, "activations": ["tanh"] * 6, "optimizer": "adam",
         "learning_rate": 0.01, "speed": 1,
         "features": ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2", "cosx1", "cosx2"]}


def in_process(frames: int) -> dict:
    session = Session(HEAVY)
    times = {"train": [], "surface": [], "encode": [], "compact": []}
    size = compact_size = 0
    encoder = FrameEncoder()
    for i in range(frames + 5):
        t0 = time.perf_counter()
        session.advance(budget=1.0)
        t1 = time.perf_counter()
        header, arrays = session.render()
        t2 = time.perf_counter()
        data = encode_frame(header, arrays)
        t3 = time.perf_counter()
        compact = encoder.encode(header, arrays)
        t4 = time.perf_counter()
        if i >= 5:                                   # the first frames warm up
            times["train"].append(t1 - t0)
            times["surface"].append(t2 - t1)
            times["encode"].append(t3 - t2)
            times["compact"].append(t4 - t3)
            size += len(data)
            compact_size += len(compact)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    med["total"] = med["train"] + med["surface"] + med["compact"]
    med["fps"] = 1000 / med["total"]
    med["bytes"] = size / frames
    med["compact_bytes"] = compact_size / frames
    med["epochs"] = session.epoch
    return med


def start_server(workers: int | None, compact: bool) -> tuple[subprocess.Popen, int]:
    """``serve`` in its own process, listening on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("from redes.playground.server import serve; "
            f"serve(port={port}, open_browser=False, workers={workers}, compact={compact})")
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = subprocess.Popen([sys.executable, "-c", code], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the playground server did not start") from None
            time.sleep(0.1)


def counting_connection():
    """websockets' client connection, counting the bytes that reach it from the socket
    (what the network carries: after the websocket's own compression, if any)."""
    from websockets.asyncio.client import ClientConnection

    class Counting(ClientConnection):
        received = 0

        def data_received(self, data: bytes) -> None:
            self.received += len(data)
            super().data_received(data)

    return Counting


async def client(port: int, seconds: float, started: list, go: asyncio.Event, n: int) -> dict:
    """One session: plays HEAVY; from the moment every session plays (``go``), counts the
    frames it decodes whole and the bytes that came over the socket, for ``seconds``. Like
    a browser, it offers the websocket's compression (permessage-deflate)."""
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}/ws", max_size=None, open_timeout=60,
                       create_connection=counting_connection()) as ws:
        await ws.send(json.dumps({"type": "compact"}))       # today's server ignores it
        await ws.send(json.dumps({"type": "set", "changes": HEAVY}))
        await ws.send(json.dumps({"type": "play"}))
        decoder, frames, size, start = FrameDecoder(), 0, 0, None
        message_bytes = 0
        while True:
            m = await asyncio.wait_for(ws.recv(), 120)
            if not isinstance(m, bytes):
                continue
            header, _arrays = decoder.decode(m)              # inflated, differences applied
            if start is None:
                if header["playing"] and not started.count(id(decoder)):
                    started.append(id(decoder))
                    if len(started) == n:
                        go.set()
                if not go.is_set():
                    continue
                start, size = time.perf_counter(), ws.received
                continue
            frames += 1
            message_bytes += len(m)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                await ws.send(json.dumps({"type": "pause"}))
                return {"fps": frames / elapsed, "bytes": (ws.received - size) / elapsed,
                        "frame": message_bytes / frames}


def cpu_seconds(pid: int) -> float | None:
    """CPU time of process ``pid`` and of its children (the workers), from /proc (None
    where there is no /proc)."""
    tick, total = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100, 0.0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry.name) == pid or int(fields[1]) == pid:
                total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return None
    return total


def machine_seconds() -> tuple[float, float] | None:
    """CPU seconds of the whole machine so far, (busy, idle), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]                      # idle, iowait
    return (sum(fields[:8]) - idle) / tick, idle / tick


def concurrent(port: int, n: int, seconds: float, server: int | None = None) -> dict:
    """``n`` sessions at once: each one's results, and the CPU time the server's processes
    and this client took per frame while all of them played."""
    marks = []

    async def main():
        go, started = asyncio.Event(), []

        async def start():                 # every session plays: the CPU clocks start
            await go.wait()
            marks.append((cpu_seconds(server), time.process_time(), machine_seconds(),
                          time.perf_counter()))

        clock = asyncio.create_task(start())
        runs = await asyncio.gather(*(client(port, seconds, started, go, n) for _ in range(n)))
        await clock
        return runs

    runs = asyncio.run(main())
    frames = sum(r["fps"] * seconds for r in runs)
    server_start, client_start, machine_start, wall_start = marks[0]
    server_end, client_end = cpu_seconds(server), time.process_time()
    machine_end, wall = machine_seconds(), time.perf_counter() - wall_start
    cpu = {"client": (client_end - client_start) / frames * 1000, "server": None}
    if server_start is not None and server_end is not None:
        cpu["server"] = (server_end - server_start) / frames * 1000
        ours = (server_end - server_start + client_end - client_start) / wall
        busy = (machine_end[0] - machine_start[0]) / wall
        cpu["cores"] = {"ours": ours, "others": max(0.0, busy - ours),
                        "idle": (machine_end[1] - machine_start[1]) / wall}
    return {"runs": runs, "cpu": cpu}


PATHS = {"new": (None, True), "today": (0, False)}     # workers, compact


def classroom(counts, seconds: float) -> dict:
    """Per path and number of sessions: the lowest and median frames per second of a
    session, and its median bytes per second."""
    results = {}
    for path, (workers, compact) in PATHS.items():
        server, port = start_server(workers, compact)
        try:
            concurrent(port, 1, 1.0, server.pid)               # warm up the workers
            for n in counts:
                measured = concurrent(port, n, seconds, server.pid)
                runs, cpu = measured["runs"], measured["cpu"]
                fps = [r["fps"] for r in runs]
                r = results[path, n] = {
                    "min": min(fps), "median": statistics.median(fps), "total": sum(fps),
                    "mb": statistics.median(r["bytes"] for r in runs) / 1e6,
                    "kb": statistics.median(r["frame"] for r in runs) / 1024, **cpu}
                print(f"  {path:<6}{n:>3} sessions: {r['min']:6.1f} fps lowest, "
                      f"{r['median']:6.1f} median, {r['total']:6.1f} in all; per session "
                      f"{r['mb']:5.2f} MB/s over the socket, frames of {r['kb']:4.0f} KB",
                      flush=True)
                if cpu["server"] is not None:
                    idle = (os.cpu_count() or 1) * 1000 / (cpu["server"] + cpu["client"]) / n
                    cores = cpu["cores"]
                    print(f"{'':14}CPU per frame: server {cpu['server']:5.2f} ms, client "
                          f"{cpu['client']:5.2f} ms -> {idle:5.1f} fps per session on idle "
                          f"cores; cores used: {cores['ours']:.2f} by this test, "
                          f"{cores['others']:.2f} by other processes, {cores['idle']:.2f} "
                          "idle", flush=True)
        finally:
            server.terminate()
            server.wait(30)
    return results


def print_classroom(results: dict, counts) -> None:
    """The table: per session, frames per second (lowest / median), then what came over
    the socket per frame and per second (medians), new and today, and their ratios."""
    print(f"{'sessions':>8} | {'fps per session, lowest / median':^38} | "
          f"{'KB per frame on the wire':^24} | {'MB/s per session':^24}")
    print(f"{'':>8} | {'new':>11}{'today':>13}{'ratio':>13} | {'new':>6}{'today':>8}"
          f"{'ratio':>9} | {'new':>6}{'today':>8}{'ratio':>9}")
    for n in counts:
        new, old = results["new", n], results["today", n]
        wire_new, wire_old = (r["mb"] * 1e6 / 1024 / r["median"] for r in (new, old))
        print(f"{n:>8} | {new['min']:5.1f}/{new['median']:5.1f} {old['min']:5.1f}/"
              f"{old['median']:5.1f}   {new['min'] / old['min']:4.1f}x/"
              f"{new['median'] / old['median']:4.1f}x | {wire_new:6.0f}{wire_old:8.0f}"
              f"{wire_new / wire_old:8.2f}x | {new['mb']:6.2f}{old['mb']:8.2f}"
              f"{new['mb'] / old['mb']:8.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer frames, shorter streams")
    args = parser.parse_args(argv)
    frames, seconds = (30, 4.0) if args.quick else (150, 10.0)

    r = in_process(frames)
    print("Playground frame, 6 x 8 tanh network, 9 features, spiral of 500 points, "
          "100 x 100 surface + 57 neuron maps")
    print(f"{'part':<34}{'median ms':>10}")
    print(f"{'training (1 epoch, 25 steps)':<34}{r['train']:>10.2f}")
    print(f"{'surface computation (grid pass)':<34}{r['surface']:>10.2f}")
    print(f"{'encoding (full frame)':<34}{r['encode']:>10.2f}   "
          f"{r['bytes'] / 1024:.0f} KB per frame")
    print(f"{'encoding (compact frame)':<34}{r['compact']:>10.2f}   "
          f"{r['compact_bytes'] / 1024:.0f} KB per frame on average over "
          f"{r['epochs']} epochs")
    print(f"{'whole frame (compact)':<34}{r['total']:>10.2f}   -> {r['fps']:.0f} frames/s "
          "possible on one core")
    try:
        import uvicorn  # noqa: F401
        import websockets  # noqa: F401
    except ImportError:
        print("concurrent sessions: skipped (pip install 'redes[web]' websockets)")
        return
    counts = (1, 10, 30)
    load = os.getloadavg()
    print(f"\nConcurrent sessions on loopback, {seconds:.0f} s each, {os.cpu_count()} cores "
          f"(load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    results = classroom(counts, seconds)
    print_classroom(results, counts)
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
