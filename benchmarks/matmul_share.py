"""How much of a redes training step is matrix products: the limit of the engine's speed.

A training step of redes is NumPy operations: matrix products, which NumPy hands to its
BLAS library (OpenBLAS in NumPy's wheels, the same kind of kernels PyTorch's and
TensorFlow's CPU code rely on), and everything else (copies into the convolution's patches,
activations, pooling masks, the loop over time, the loss, the optimizer). The products are
work no engine can skip; the rest is where engines differ.

The split is measured exactly, at the door of the BLAS library:

1. ``blas_log.c``, a small C library compiled here on demand with the system's C compiler,
   defines the CBLAS functions that NumPy's ``_multiarray_umath`` imports (their names are
   read with ``nm``: ``scipy_cblas_sgemm64_`` and its kin with 64-bit integers in NumPy 2's
   wheels, ``cblas_sgemm`` with 32-bit ones in other builds). Each one forwards to the real
   function and, while logging is on, notes the call's arguments.
2. A child process, started with that library in ``LD_PRELOAD`` and the benchmark's thread
   count, builds the benchmark's model, runs a few untimed ``train_on_batch`` steps, then logs
   the BLAS calls of one step: every matrix product of the forward pass, the backward pass
   and the update, whatever NumPy function made it (``@``, ``np.matmul(out=...)``, ``np.dot``,
   ``tensordot``...).
3. It then alternates timing one ``train_on_batch`` step (logging off) and one replay of the
   logged calls alone (the same functions with the same arguments, in the same order, called
   from C on operands of the right sizes made once), each timing after an untimed run of
   the same thing (so the caches hold what a run of steps, or of replays, leaves there), and
   prints the medians as JSON.

The share is the replay's median over the step's median. In the replay, calls whose operands
have the same sizes share the same arrays, as the step's loops reuse theirs (the LSTM's 100
steps, the convolution's 9 kernel offsets): small products run from the cache then. The
replay with arrays of its own for every call, none shared (``products_apart``), is given
too: for the LSTM's small products it is about a third slower; for the MLP and the CNN,
whose arrays are larger than the cache anyway, the two agree within the noise.

What the log does not see counts in the rest: a product NumPy computes with its own loops
instead of the BLAS (integer or float16 arrays, or operands whose layout the BLAS cannot
read without a copy), and complex products (not logged). The benchmarks' models make none.

Where the method cannot apply (no C compiler, no ``nm``, not Linux), ``measure`` returns the
reason instead of figures, and the benchmarks print it.

``python benchmarks/matmul_share.py cnn --breakdown --threads 1`` measures one benchmark's
workload from the command line and splits its step by layer (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "blas_log.c"

# CBLAS names: an optional prefix (scipy_), cblas_, the type, the routine, a suffix (64_)
_NAME = re.compile(r"^(?P<prefix>\w*?)cblas_(?P<type>[sd])(?P<routine>gemm|gemv|syrk|dot|axpy)"
                   r"(?P<suffix>\w*)$")
_CTYPE = {"s": ("float", 4), "d": ("double", 8)}
KINDS = {1: "gemm", 2: "gemv", 3: "syrk", 4: "dot", 5: "axpy"}
ROW_MAJOR, NO_TRANS = 101, 111
APART, SHARED = 0, 1   # the replay's operands: each call its own, or shared (blas_log.c)

HEADERS = ["step ms", "products ms", "share", "calls", "GFLOP per step"]
ALIGN = "rrrrr"


class Unavailable(Exception):
    """The share cannot be measured here; the message says why."""


# ------------------------------------------------------------------------------ the shim
def numpy_extension() -> Path:
    """The file of NumPy's ``_multiarray_umath`` extension, which calls the BLAS library."""
    try:
        from numpy._core import _multiarray_umath as ext
    except ImportError:   # NumPy 1.x
        from numpy.core import _multiarray_umath as ext
    return Path(ext.__file__)


def imported_blas(extension: Path | None = None) -> tuple[list[tuple[str, str, str, int]], bool]:
    """The real-valued CBLAS functions NumPy's extension imports, as ``(symbol, routine,
    C type, element size)``, and whether their integers are 64-bit (an ILP64 suffix)."""
    nm = shutil.which("nm")
    if nm is None:
        raise Unavailable("nm (binutils) not found: cannot list the BLAS functions NumPy calls")
    extension = extension or numpy_extension()
    out = subprocess.run([nm, "-D", "--undefined-only", str(extension)], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise Unavailable(f"nm failed on {extension.name}: {out.stderr.strip()[:200]}")
    found, wide = [], set()
    for line in out.stdout.splitlines():
        symbol = line.split()[-1].split("@")[0] if line.split() else ""
        match = _NAME.match(symbol)
        if not match:
            continue
        ctype, size = _CTYPE[match["type"]]
        found.append((symbol, match["routine"], ctype, size))
        wide.add("64" in match["suffix"])
    if not found:
        raise Unavailable(f"{extension.name} imports no CBLAS function (NumPy built without "
                          "a BLAS library, or linked to it statically)")
    if len(wide) > 1:
        raise Unavailable("NumPy imports CBLAS functions with both 32- and 64-bit integers")
    return sorted(found), wide.pop()


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "redes-bench"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError:
        path = Path(tempfile.gettempdir()) / f"redes-bench-{os.getuid()}"
        path.mkdir(parents=True, exist_ok=True)
    return path


def build_shim() -> Path:
    """Compile ``blas_log.c`` for the functions NumPy imports (cached by content)."""
    if not sys.platform.startswith("linux"):
        raise Unavailable(f"the BLAS log needs LD_PRELOAD, which works on Linux only "
                          f"(this is {sys.platform})")
    compiler = os.environ.get("CC") or next(
        (c for c in ("cc", "gcc", "clang") if shutil.which(c)), None)
    if compiler is None or shutil.which(compiler.split()[0]) is None:
        raise Unavailable("no C compiler found (cc, gcc or clang) to build the BLAS log")
    functions, wide = imported_blas()
    names = "".join(f"{routine.upper()}({symbol}, {ctype}, {size})\n"
                    for symbol, routine, ctype, size in functions)
    integer = "int64_t" if wide else "int"
    source = SOURCE.read_text(encoding="utf-8")
    key = hashlib.sha256("\0".join([source, names, integer, compiler]).encode()).hexdigest()
    folder = cache_dir()
    library = folder / f"blas_log-{key[:16]}.so"
    if library.exists():
        return library
    work = Path(tempfile.mkdtemp(dir=folder))
    try:
        (work / "blas_names.h").write_text(names, encoding="utf-8")
        (work / "blas_log.c").write_text(source, encoding="utf-8")
        target = work / library.name
        out = subprocess.run([*compiler.split(), "-O2", "-shared", "-fPIC",
                              f"-DBLAS_INT={integer}", "-I", str(work),
                              str(work / "blas_log.c"), "-o", str(target), "-ldl",
                              "-pthread"],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise Unavailable(f"the C compiler failed on blas_log.c: "
                              f"{(out.stderr or out.stdout).strip()[:300]}")
        os.replace(target, library)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return library


# ------------------------------------------------------------------------------ the parent
def measure(factory: str, kwargs: dict | None = None, threads: int | None = None,
            seconds: float = 6.0, min_rounds: int = 7, max_rounds: int = 200,
            log: bool = False, breakdown: bool = False, timeout: float = 900.0) -> dict:
    """The share of one training step in matrix products, measured in a child process.

    ``factory`` is ``"module:function"`` (a module of ``benchmarks/``, e.g.
    ``"bench_mlp:share_model"``); ``function(**kwargs)`` returns ``(model, x, y)``, a
    compiled model and one batch. ``threads`` sets the BLAS threads of the child (``None``:
    the library's default). Rounds alternate one step and one replay, at least
    ``min_rounds``, then until ``seconds`` have passed (at most ``max_rounds``).

    Returns ``{"step": s, "products": s, "share": fraction, "calls": n, "gflop": g,
    "kinds": {routine: n}, "load": (1, 5, 15 min), "threads": n, "rounds": n}`` (with
    ``"log"``, the calls, when ``log`` is true; with ``"parts"``, where the step's time goes,
    when ``breakdown`` is true: see ``_breakdown``), or ``{"unavailable": reason}``.
    """
    try:
        library = build_shim()
    except Unavailable as exc:
        return {"unavailable": str(exc)}
    env = dict(os.environ)
    env["LD_PRELOAD"] = " ".join(filter(None, [str(library), env.get("LD_PRELOAD")]))
    if threads:
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", factory,
               "--kwargs", json.dumps(kwargs or {}), "--seconds", str(seconds),
               "--min-rounds", str(min_rounds), "--max-rounds", str(max_rounds)]
    if threads:
        command += ["--threads", str(threads)]
    if log:
        command.append("--log")
    if breakdown:
        command.append("--breakdown")
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=env,
                             timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"unavailable": f"the measurement took more than {timeout:.0f} s"}
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"unavailable": f"the measuring process failed ({tail[:300]})"}
    return json.loads(lines[-1])


def row(result: dict) -> list[str]:
    """A row of the table ``HEADERS`` for one result of ``measure``."""
    if "unavailable" in result:
        return ["not measured"] + [""] * (len(HEADERS) - 1)
    return [f"{1e3 * result['step']:.2f}", f"{1e3 * result['products']:.2f}",
            f"{100 * result['share']:.0f}%", f"{result['calls']:,}", f"{result['gflop']:.3f}"]


TITLE = "Share of a redes training step in matrix products"


def for_benchmark(args, threads, cases: dict) -> dict | None:
    """What a benchmark script reports: ``measure`` of each case ``{label: (factory,
    kwargs)}`` with the run's threads, after a line saying so; ``None`` with
    ``--no-share``."""
    if args.no_share:
        return None
    print(f"\n{TITLE} (separate process, {threads} BLAS "
          f"thread{'s' if threads != 1 else ''})...", flush=True)
    return {label: measure(factory, kwargs, threads=threads,
                           seconds=2.0 if args.quick else 10.0)
            for label, (factory, kwargs) in cases.items()}


def describe(results: dict, first: str) -> dict:
    """The results of ``measure`` ``{label: result}`` as a text table, a Markdown table and
    the notes to print under them (``first`` names the first column)."""
    import common

    rows = [[label, *row(result)] for label, result in results.items()]
    headers, align = [first, *HEADERS], "l" + ALIGN
    return {"text": common.text_table(headers, rows, align),
            "markdown": common.markdown_table(headers, rows, align), "notes": notes(results)}


def print_table(results: dict | None, first: str) -> None:
    """Print the results of ``measure`` (``None``: nothing) with their title and notes."""
    if results:
        table = describe(results, first)
        print(f"\n{TITLE}:\n{table['text']}")
        print("\n".join(table["notes"]))


def docs_text(results: dict, first: str) -> str:
    """The Markdown that the benchmarks write under their tables in docs/benchmarks.md."""
    table = describe(results, first)
    lines = "\n".join(f"- {line}" for line in table["notes"])
    return f"""\
**{TITLE}.** One `train_on_batch` step of
the redes model on one batch, and the same BLAS calls (every matrix product NumPy made in
that step, logged at the door of its BLAS library by `benchmarks/blas_log.c`) replayed alone
in the same order, timed alternately (medians; `benchmarks/matmul_share.py`). The replay
gives calls of the same sizes the same arrays, as the step reuses its own. The products are
the part of the step that no engine can skip; the rest is the distance to that limit.

{table["markdown"]}

{lines}
"""


def notes(results: dict) -> list[str]:
    """Lines to print under the table: why a share was not measured, and the conditions."""
    lines = []
    for label, result in results.items():
        if "unavailable" in result:
            lines.append(f"{label}: share not measured: {result['unavailable']}")
        else:
            apart = result["products_apart"]
            lines.append(f"{label}: the products replayed with arrays of their own for every "
                         f"call, none shared in the cache: {1e3 * apart:.2f} ms "
                         f"({100 * apart / result['step']:.0f}% of the step)")
    measured = [r for r in results.values() if "unavailable" not in r]
    if measured:
        r = measured[-1]
        kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(r["kinds"].items()))
        busy = r["load"][0] > (os.cpu_count() or 1)
        helper = " and the helper thread (a small model)" if r.get("helper") else ""
        lines.append(f"BLAS calls per step: {kinds}; {r['threads']} BLAS "
                     f"thread{'s' if r['threads'] != 1 else ''}{helper}; medians of "
                     f"{_span([x['rounds'] for x in measured])} alternating rounds; load "
                     f"average {' / '.join(f'{v:.2f}' for v in r['load'])} at the end"
                     + (" (a busy machine: noisy figures)" if busy else ""))
    return lines


def _span(values) -> str:
    return f"{min(values)}" if min(values) == max(values) else f"{min(values)}-{max(values)}"


# ------------------------------------------------------------------------------ the child
def _flop(call: dict) -> int:
    kind, m, n, k = call["kind"], call["m"], call["n"], call["k"]
    if kind == "gemm":
        return 2 * m * n * k
    if kind == "gemv":
        return 2 * m * n
    if kind == "syrk":
        return n * (n + 1) * k
    return 2 * n


def _load(factory: str):
    module, _, function = factory.partition(":")
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import importlib

    return getattr(importlib.import_module(module), function)


def _blas_log():
    """The preloaded BLAS log (``blas_log.c``) through ctypes, or ``None``."""
    import ctypes

    me = ctypes.CDLL(None)
    if not hasattr(me, "blas_log_start"):
        return None
    me.blas_log_stop.restype = ctypes.c_long
    me.blas_log_count.restype = ctypes.c_long
    me.blas_log_replay.restype = ctypes.c_double
    me.blas_log_get.argtypes = [ctypes.c_long, ctypes.POINTER(ctypes.c_int64),
                                ctypes.POINTER(ctypes.c_double)]
    me.blas_log_replay.argtypes = [ctypes.c_int]
    me.blas_log_replay_each.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_double)]
    return me


def _calls(me, count: int) -> list[dict]:
    import ctypes

    calls = []
    values, coef = (ctypes.c_int64 * 13)(), (ctypes.c_double * 2)()
    for i in range(count):
        me.blas_log_get(i, values, coef)
        v = list(values)
        calls.append({"kind": KINDS[v[0]], "type": "s" if v[1] == 4 else "d",
                      "order": "row" if v[2] == ROW_MAJOR else "col",
                      "ta": v[3], "tb": v[4], "m": v[5], "n": v[6], "k": v[7],
                      "lda": v[8], "ldb": v[9], "ldc": v[10], "incx": v[11], "incy": v[12],
                      "alpha": coef[0], "beta": coef[1]})
    return calls


def threads_for_replay(limit):
    """A context in which the BLAS has ``limit`` threads (``None``: as it is)."""
    import contextlib

    if limit is None:
        return contextlib.nullcontext()
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().limit(limits=limit, user_api="blas")


def child(args) -> dict:
    import numpy as np  # noqa: F401  (loads the BLAS library before the log is opened)

    if args.threads:
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=args.threads)
        except ImportError:
            pass
    me = _blas_log()
    if me is None:
        return {"unavailable": "the BLAS log was not preloaded (LD_PRELOAD ignored)"}

    model, x, y = _load(args.child)(**json.loads(args.kwargs))
    for _ in range(3):
        model.train_on_batch(x, y)
    me.blas_log_start()
    model.train_on_batch(x, y)
    count = me.blas_log_stop()
    if count == 0:
        return {"unavailable": "no BLAS call reached the log (NumPy binds its BLAS calls "
                               "directly, or the step has no matrix product)"}
    calls = _calls(me, count)
    if me.blas_log_prepare() != 0:
        return {"unavailable": "not enough memory for the replay's operands"}
    # the replay runs on the BLAS threads the step's products run on: a small model's step
    # uses one and hands work to a helper thread (redes.nn.cores); and a BLAS left with two
    # threads after a replay keeps its second one spinning on the core the helper needs
    from redes.nn import cores

    helper = cores.takes_helper(model.count_params() * len(x))
    me.blas_log_replay(SHARED)   # once each, untimed
    me.blas_log_replay(APART)
    # Each timing follows one untimed run of the same thing, which leaves the caches as a
    # run of steps (or of replays) does: a replay that follows a step would find the step's
    # arrays in the cache, and a step that follows a replay would not find its own.
    steps, replays, apart = [], [], []
    started = time.perf_counter()
    while len(steps) < args.max_rounds and (
            len(steps) < args.min_rounds or time.perf_counter() - started < args.seconds):
        model.train_on_batch(x, y)
        t0 = time.perf_counter()
        model.train_on_batch(x, y)
        steps.append(time.perf_counter() - t0)
        with threads_for_replay(1 if helper else None):
            me.blas_log_replay(SHARED)
            replays.append(me.blas_log_replay(SHARED))
            me.blas_log_replay(APART)
            apart.append(me.blas_log_replay(APART))
    parts = _breakdown(me, model, x, y, count, args) if args.breakdown else None
    me.blas_log_release()
    step, products = statistics.median(steps), statistics.median(replays)
    apart = statistics.median(apart)
    kinds: dict[str, int] = {}
    for call in calls:
        name = call["type"] + call["kind"]
        kinds[name] = kinds.get(name, 0) + 1
    threads = args.threads
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        threads = pools[0]["num_threads"] if pools else threads
    except ImportError:
        pass
    result = {"step": step, "products": products, "share": products / step,
              "products_apart": apart,
              "calls": count, "gflop": sum(_flop(c) for c in calls) / 1e9, "kinds": kinds,
              "rounds": len(steps), "threads": 1 if helper else threads, "helper": helper,
              "load": list(os.getloadavg()),
              "step_spread": (max(steps) - min(steps)) / step}
    if parts is not None:
        result["parts"] = parts
    if args.log:
        result["log"] = calls
    return result


def _breakdown(me, model, x, y, count: int, args) -> list[dict]:
    """Where the step's time goes: each layer's forward and backward, the loss and the
    optimizer, each timed (median over rounds; the count of BLAS calls says which of the
    logged calls each part makes) and split into its products (their replay, call by call,
    after each step; the median of each call) and the rest."""
    import ctypes

    marks: list = []

    def wrap(obj, attr, label):
        inner = getattr(obj, attr)

        def timed(*a, **k):
            first, t0 = me.blas_log_count(), time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                marks.append((label, time.perf_counter() - t0, first, me.blas_log_count()))
        setattr(obj, attr, timed)
        return lambda: delattr(obj, attr)

    undo = []
    for layer in model.layers:
        undo.append(wrap(layer, "forward", f"{layer.name} forward"))
    undo.append(wrap(model, "_loss", "loss"))
    for layer in reversed(model.layers):
        undo.append(wrap(layer, "backward", f"{layer.name} backward"))
    undo.append(wrap(model.optimizer, "apply", "optimizer"))
    per_call = []
    each = (ctypes.c_double * count)()
    times: dict[str, list] = {"other": []}
    spans: dict[str, tuple] = {}
    steps = []
    started = time.perf_counter()
    try:
        while len(steps) < args.min_rounds or (time.perf_counter() - started < args.seconds
                                               and len(steps) < args.max_rounds):
            model.train_on_batch(x, y)      # untimed, as in ``child``
            marks.clear()
            base = me.blas_log_count()
            t0 = time.perf_counter()
            model.train_on_batch(x, y)
            seconds = time.perf_counter() - t0
            if me.blas_log_count() - base != count:
                continue
            me.blas_log_replay(SHARED)
            me.blas_log_replay_each(SHARED, each)
            per_call.append(list(each))
            steps.append(seconds)
            for label, part, first, last in marks:
                times.setdefault(label, []).append(part)
                spans[label] = (first - base, last - base)
            times["other"].append(seconds - sum(m[1] for m in marks))
    finally:
        for u in undo:
            u()
    per_call = [statistics.median(c) for c in zip(*per_call)]
    parts = []
    for label, values in times.items():
        first, last = spans.get(label, (0, 0))
        parts.append({"part": label, "seconds": statistics.median(values),
                      "products": sum(per_call[first:last]), "calls": last - first})
    parts.append(parts.pop(0))   # "other" after the parts
    parts[-1]["part"] = "other (train_on_batch's checks of the batch, metrics, Python)"
    parts.append({"part": "sum of the parts", "seconds": sum(p["seconds"] for p in parts),
                  "products": sum(per_call), "calls": count})
    return parts


# ------------------------------------------------------------------------------ a small MLP
def dense_model(batch_size: int = 32, sizes=(20, 16, 3), optimizer: str = "sgd", seed: int = 0):
    """A compiled ``Dense`` network of ``sizes`` (inputs, hidden..., classes; ReLU, then
    softmax), categorical crossentropy, and one batch of random data: ``(model, x, y)``."""
    import numpy as np

    import redes.nn as keras

    rng = np.random.default_rng(seed)
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(units, activation="relu") for units in sizes[1:-1]]
    layers.append(keras.layers.Dense(sizes[-1], activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    x = rng.random((batch_size, sizes[0]), dtype=np.float32)
    y = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], batch_size)]
    return model, x, y


WORKLOADS = {   # name: (factory, keyword arguments): the benchmarks' redes contenders
    "mlp-sgd": ("bench_mlp:share_model", {"batch_size": 128, "optimizer": "sgd"}),
    "mlp-adam": ("bench_mlp:share_model", {"batch_size": 128, "optimizer": "adam"}),
    "cnn": ("bench_cnn:share_model", {"batch_size": 64}),
    "lstm": ("bench_lstm:share_model", {"batch_size": 64}),
    "small-mlp": ("matmul_share:dense_model", {"batch_size": 32, "sizes": [20, 16, 3]}),
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                   help=f"any of {', '.join(WORKLOADS)} (default mlp-sgd)")
    p.add_argument("--threads", type=int, help="BLAS threads (default: the library's)")
    p.add_argument("--breakdown", action="store_true",
                   help="also time each layer's forward and backward, the loss and the "
                        "optimizer, split into products and the rest")
    p.add_argument("--log", action="store_true", help="print every BLAS call of the step")
    p.add_argument("--seconds", type=float, default=6.0,
                   help="seconds of alternating rounds (default 6)")
    p.add_argument("--min-rounds", type=int, default=7)
    p.add_argument("--max-rounds", type=int, default=200)
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--kwargs", default="{}", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload {unknown[0]!r}: expected one of {', '.join(WORKLOADS)}")
    results, extra = {}, []
    for name in args.workloads or ["mlp-sgd"]:
        factory, kwargs = WORKLOADS[name]
        result = measure(factory, kwargs, threads=args.threads, seconds=args.seconds,
                         min_rounds=args.min_rounds, max_rounds=args.max_rounds, log=args.log,
                         breakdown=args.breakdown)
        results[name] = result
        if result.get("parts"):
            rows = [[p["part"], f"{1e3 * p['seconds']:.2f}", f"{1e3 * p['products']:.2f}",
                     f"{1e3 * (p['seconds'] - p['products']):.2f}", p["calls"]]
                    for p in result["parts"]]
            extra.append(f"\n{name}: where a step goes (ms, medians over the steps)\n"
                         + _text_table(["part", "time", "products", "rest", "calls"], rows,
                                       "lrrrr"))
        for call in result.get("log", []):
            extra.append(str(call))
    print(_text_table(["workload", *HEADERS], [[n, *row(r)] for n, r in results.items()],
                      "l" + ALIGN))
    print("\n".join(notes(results)))
    print("\n".join(extra))
    return 0


def _text_table(headers, rows, align) -> str:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import common

    return common.text_table(headers, rows, align)


if __name__ == "__main__":
    sys.exit(main())
