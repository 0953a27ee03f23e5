"""Helpers shared by the benchmarks: threads, environment, interleaved timing, tables.

A benchmark compares several contenders (the redes engine, a bare NumPy loop, PyTorch,
Keras...) in one process. The machine may be busy with other work, so a single timing says
little; instead every contender is timed once per round, the rounds alternate between the
contenders (``interleaved``), and the tables report the median of the rounds and the ratios
between contenders measured under the same conditions.

Thread settings must be chosen before NumPy, PyTorch or TensorFlow start their thread pools,
so a benchmark calls ``limit_threads`` before importing them (``numpy`` itself may already be
imported: its BLAS pool is resized through threadpoolctl when that is installed).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

DOCS_INTRO = """# Benchmarks

Speed and accuracy measurements of redes, each made by a script in `benchmarks/` that anyone
can run again. Every script times all its contenders in one process, alternating between
them round after round, and reports the median of the rounds with the ratios between
contenders, so that a busy machine slows all of them alike. The absolute figures depend on
the machine; the ratios are what to compare. See `benchmarks/README.md`.
"""


# ------------------------------------------------------------------------------ threads
def limit_threads(threads: int | None) -> None:
    """Use ``threads`` threads in every numerical library (``None``: leave the defaults).

    Sets the usual environment variables (read by OpenBLAS, OpenMP and MKL when they start)
    and, when NumPy is already imported, resizes its BLAS pool with threadpoolctl.
    """
    if threads is None:
        return
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if "numpy" in sys.modules:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            return
        threadpool_limits(limits=threads)


def numpy_blas() -> dict:
    """The BLAS behind NumPy: library, version, core type and thread count."""
    import numpy as np

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        # PyTorch or TensorFlow may load a BLAS of their own: prefer the one shipped with NumPy
        pools.sort(key=lambda p: "numpy" not in str(p.get("filepath", "")))
        if pools:
            pool = pools[0]
            return {
                "library": pool.get("internal_api"),
                "version": pool.get("version"),
                "architecture": pool.get("architecture"),
                "threads": pool.get("num_threads"),
                "source": "threadpoolctl",
            }
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return {"library": blas.get("name"), "version": blas.get("version"),
                "architecture": None, "threads": None, "source": "numpy.show_config"}
    except Exception:  # noqa: BLE001 - an old NumPy without show_config(mode=...)
        return {"library": "unknown", "version": None, "architecture": None,
                "threads": None, "source": "none"}


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment(extra: dict | None = None) -> list[str]:
    """Lines describing the machine and the libraries, to print above a table."""
    import numpy as np

    blas = numpy_blas()
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    load = load_average()
    lines = [
        f"CPU: {cpu_name()} ({os.cpu_count()} logical cores, {affinity} usable; "
        f"load average {load})",
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"NumPy {np.__version__}: BLAS {blas['library']} {blas['version'] or ''}"
        f" (core type {blas['architecture'] or 'n/a'}), {blas['threads'] or '?'} "
        f"thread{'' if blas['threads'] == 1 else 's'}"
        f" [{blas['source']}]",
    ]
    variables = [f"{k}={os.environ[k]}" for k in
                 (*_THREAD_VARIABLES, "OPENBLAS_CORETYPE") if k in os.environ]
    lines.append("Environment: " + (" ".join(variables) if variables else
                                     "no thread or core-type variables set"))
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    return lines


def start_libraries(threads: int, contenders) -> dict:
    """Import PyTorch and TensorFlow (those among ``contenders``) with ``threads`` threads;
    return their versions and thread settings for the environment lines."""
    info = {}
    if "pytorch" in contenders:
        import torch

        torch.set_num_threads(threads)
        n = torch.get_num_threads()
        info["PyTorch"] = (f"{torch.__version__}, {n} thread{'s' if n != 1 else ''} "
                           f"(inter-op {torch.get_num_interop_threads()})")
    if "keras" in contenders:
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        import keras

        info["Keras"] = (f"{keras.__version__} on TensorFlow {tf.__version__} "
                         f"(backend {keras.backend.backend()}), intra-op threads "
                         f"{tf.config.threading.get_intra_op_parallelism_threads()}, "
                         f"inter-op {tf.config.threading.get_inter_op_parallelism_threads()}"
                         " (0 = TensorFlow's choice)")
    return info


def begin(args, all_contenders, workload: str) -> tuple[list, list[str], int]:
    """The start of a benchmark run: thread limits (``args.threads``), the contenders asked
    for (``args.contenders``, in the order of ``all_contenders``), their libraries started,
    and the environment lines printed. Returns ``(contenders, environment lines, threads)``.
    """
    limit_threads(args.threads)
    threads = args.threads or numpy_blas()["threads"] or os.cpu_count()
    contenders = [c for c in all_contenders if c in args.contenders]
    info = start_libraries(threads, contenders)
    info["Workload"] = workload
    env = environment(info)
    print("\n".join(env), flush=True)
    return contenders, env, threads


# ------------------------------------------------------------------------------ timing
def warm_up(makers: dict) -> tuple[dict, dict]:
    """Make and run each contender once, untimed: ``makers`` is ``{name: make}``, where
    ``make()`` returns a runner with an ``epoch()`` method.

    Returns ``(runners, failed)``: the runners that worked, and for the others (a library
    that is not installed, say) the error, so that one missing contender skips only itself.
    """
    runners, failed = {}, {}
    print("\nWarm-up:", flush=True)
    for name, make in makers.items():
        label = " / ".join(name) if isinstance(name, tuple) else name
        try:
            runner = make()
            start = time.perf_counter()
            runner.epoch()
        except Exception as exc:  # noqa: BLE001 - a missing library skips one contender
            failed[name] = f"{type(exc).__name__}: {exc}"
            print(f"  {label}: unavailable ({failed[name]})", flush=True)
            continue
        runners[name] = runner
        print(f"  {label}: {time.perf_counter() - start:.2f} s", flush=True)
    return runners, failed


def timed_rounds(contenders: dict, rounds: int, budget: float | None = None) -> dict:
    """``interleaved`` with one printed line per round (names may be tuples)."""
    def report(r, this_round):
        cells = ", ".join(f"{'/'.join(n) if isinstance(n, tuple) else n} {t:.2f}s"
                          for n, t in this_round.items())
        print(f"  round {r + 1}/{rounds}: {cells}", flush=True)

    print("\nTimed rounds (seconds per measurement):", flush=True)
    return interleaved(contenders, rounds, on_round=report, budget=budget)


def interleaved(contenders: dict, rounds: int, on_round=None, budget: float | None = None,
                min_rounds: int = 3, settle: float = 0.5) -> dict[str, list[float]]:
    """Time each contender once per round, alternating between them.

    Args:
        contenders: ``{name: function}``; each call of the function does the measured work.
            A function may return the seconds to count itself (for example the time of one
            epoch measured inside a longer call); otherwise the wall time of the call counts.
        rounds: how many times each contender runs.
        on_round: optional ``on_round(round_index, {name: seconds})`` after each round.
        budget: optional limit in seconds: once it is spent, no new round starts (but at
            least ``min_rounds`` rounds are run), so that a busy machine does not make a
            run last forever. Defaults to ``None`` (no limit).
        min_rounds: the rounds always run, whatever the budget. Defaults to 3.
        settle: seconds of rest (after a garbage collection) before each measurement, so
            that the threads a library leaves running after its call (TensorFlow's data
            pipeline, say) do not slow the next contender. Defaults to 0.5.

    Returns:
        ``{name: [seconds of round 0, round 1, ...]}``.

    Each round runs the contenders in a new order (shuffled with a fixed seed), so that
    none of them always runs right after the same neighbour, whose threads may still be
    winding down (a rotation of one order would keep every neighbour).
    """
    import random

    names = list(contenders)
    shuffler = random.Random(0)
    times: dict[str, list[float]] = {name: [] for name in names}
    started = time.perf_counter()
    for r in range(rounds):
        if budget is not None and r >= min_rounds and time.perf_counter() - started > budget:
            break
        this_round = {}
        for name in shuffler.sample(names, len(names)):
            gc.collect()
            time.sleep(settle)
            start = time.perf_counter()
            measured = contenders[name]()
            elapsed = time.perf_counter() - start
            this_round[name] = elapsed if measured is None else float(measured)
            times[name].append(this_round[name])
        if on_round is not None:
            on_round(r, this_round)
    return times


def median(values) -> float:
    return statistics.median(values)


def paired_ratio(times: list[float], reference: list[float]) -> float:
    """How many times faster than ``reference`` a contender is: the median over the rounds
    of (reference's seconds / its seconds), both measured in the same round.

    Two contenders of one round run seconds apart, so a slow spell of the machine mostly
    slows both; the ratio of two medians taken over all rounds would instead compare rounds
    that may have fallen in different spells.
    """
    return statistics.median(ref / t for t, ref in zip(times, reference))


def load_average() -> str:
    """The system's 1, 5 and 15-minute load averages (runnable processes), as text."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def spread(values) -> float:
    """Relative spread of the timings: (max - min) / median."""
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else float("nan")


# ------------------------------------------------------------------------------ tables
def text_table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """A plain-text table; ``align`` is one letter per column, ``l`` or ``r``."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    align = align or "l" * len(headers)

    def fmt(row):
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w)
                         for c, w, a in zip(row, widths, align))

    lines = [fmt(cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in cells[1:]]
    return "\n".join(lines)


def markdown_table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """The same table in Markdown."""
    align = align or "l" * len(headers)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(str(c) for c in headers) + " |",
             "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


VS_PYTORCH_HEADERS = ["contender", "samples/s (median)", "vs PyTorch", "spread"]
VS_PYTORCH_ALIGN = "lrrr"


def vs_pytorch_rows(outcome) -> list[list[str]]:
    """One row per contender: its median rate, its ratio to PyTorch (``paired_ratio``) and
    the spread."""
    results = outcome["results"]
    torch = results.get("pytorch")
    rows = []
    for name in outcome["contenders"]:
        res = results.get(name)
        if res is None:
            rows.append([name, "unavailable", "", ""])
            continue
        rows.append([name, f"{res['rate']:,.0f}",
                     f"{paired_ratio(res['times'], torch['times']):.2f}x" if torch else "n/a",
                     f"{100 * res['spread']:.0f}%"])
    return rows


# ------------------------------------------------------------------ memory of one epoch
def resident(field: str) -> int | None:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process in bytes, from
    /proc/self/status (Linux); ``None`` elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Start the peak (VmHWM) afresh from the resident size now: writing 5 to
    /proc/self/clear_refs does it (Linux 4.0 and later). Whether it worked."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def print_epoch_memory(runner, samples: int, contender: str) -> None:
    """In a process of its own, with the libraries, the data and ``runner`` (its model)
    loaded: one epoch, and a line of JSON with the resident size before it and its peak
    during it."""
    ready = resident("VmRSS")
    reset = reset_peak()
    start = time.perf_counter()
    runner.epoch()
    seconds = time.perf_counter() - start
    print(json.dumps({"samples": samples, "contender": contender, "ready": ready,
                      "peak": resident("VmHWM"), "peak_reset": reset, "seconds": seconds}))


def memory_in_own_processes(script, samples: int, what: str, threads: int | None,
                            contenders) -> dict:
    """The memory of one epoch on ``samples`` ``what`` (images, sequences) of each of
    redes and PyTorch among ``contenders``, each in a process of its own: ``python script
    --memory-child samples contender``, whose last line is the JSON of
    ``print_epoch_memory``."""
    print(f"\nPeak memory of one epoch on {samples:,} {what} (a separate process each)...",
          flush=True)
    env = dict(os.environ)
    if threads:
        for name in _THREAD_VARIABLES:
            env[name] = str(threads)
    out = {}
    for contender in [c for c in ("redes", "pytorch") if c in contenders]:
        run = subprocess.run([sys.executable, str(script), "--memory-child", str(samples),
                              contender], capture_output=True, text=True, env=env, check=True)
        out[contender] = json.loads(run.stdout.strip().splitlines()[-1])
    return out


MEMORY_HEADERS = ["contender", "resident after imports, data, model", "peak in the epoch",
                  "epoch's own memory (peak - before)", "epoch time"]


def memory_tables(memory: dict) -> tuple[str, str]:
    """The memory of each contender's epoch as a text table and as a Markdown one."""
    mib = 1024**2
    rows = [[name, f"{m['ready'] / mib:,.0f} MiB", f"{m['peak'] / mib:,.0f} MiB",
             f"{(m['peak'] - m['ready']) / mib:,.0f} MiB", f"{m['seconds']:.1f} s"]
            for name, m in memory.items()]
    return (text_table(MEMORY_HEADERS, rows, "lrrrr"),
            markdown_table(MEMORY_HEADERS, rows, "lrrrr"))


def memory_docs(samples: int, what: str, memory_md: str) -> str:
    """The paragraph of docs/benchmarks.md that introduces ``memory_md``, the Markdown table
    of ``memory_tables`` (nothing without it)."""
    if not memory_md:
        return ""
    return f"""
Memory of one epoch on {samples:,} {what} (batch 64), each contender in a process of its
own: the resident size once the libraries, the data and the model are loaded, its peak
during the epoch (started afresh there, through /proc/self/clear_refs), and their
difference, the memory the epoch itself takes:

{memory_md}
"""


def memory_goal(memory: dict) -> list[str]:
    """The goal on the memory an epoch itself takes: redes no more than PyTorch."""
    if "redes" not in memory or "pytorch" not in memory:
        return []
    own = {name: m["peak"] - m["ready"] for name, m in memory.items()}
    return [f"memory of the epoch itself: redes {own['redes'] / 1024**2:,.0f} MiB, "
            f"PyTorch {own['pytorch'] / 1024**2:,.0f} MiB (goal redes <= PyTorch: "
            f"{'met' if own['redes'] <= own['pytorch'] else 'not met'})"]


# ------------------------------------------------------------------------ docs/benchmarks.md
def read_docs_section(heading: str, path: Path | None = None) -> str | None:
    """The text of the section ``## heading`` of docs/benchmarks.md (without its heading),
    or ``None`` when the file or the section does not exist."""
    path = Path(path) if path is not None else DOCS
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    title = f"## {heading}"
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == title)
    except StopIteration:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return "\n".join(lines[start + 1:end]).strip("\n") + "\n"


def threads_title(threads: int) -> str:
    """The title of a run's block in its section: "2 threads per library"."""
    return f"{threads} thread{'s' if threads != 1 else ''} per library"


def section_by_threads(heading: str, intro: str, title: str, block: str,
                       path: Path | None = None) -> str:
    """The section ``## heading``: ``intro``, then one block per thread count measured, this
    run's as ``### title`` and the blocks of other thread counts already in
    docs/benchmarks.md (or ``path``) kept as they are, the most threads first."""
    blocks: dict[str, str] = {}
    current = None
    for line in (read_docs_section(heading, path) or "").splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
            blocks[current] = ""
        elif current is not None:
            blocks[current] += line + "\n"
    blocks[title] = block

    def threads(item) -> int:
        digits = item[0].split(" ", 1)[0]
        return int(digits) if digits.isdigit() else 0

    ordered = sorted(blocks.items(), key=lambda item: -threads(item))
    return intro.rstrip("\n") + "\n" + "".join(f"\n### {t}\n\n{b.strip()}\n"
                                               for t, b in ordered)


def update_docs_section(heading: str, body: str, path: Path | None = None) -> Path:
    """Replace the section ``## heading`` of docs/benchmarks.md with ``body``.

    The section runs from its heading to the next ``## `` heading (or the end of the file);
    the other sections are left as they are. The file is created with a short introduction
    when it does not exist, and written atomically.
    """
    path = Path(path) if path is not None else DOCS
    title = f"## {heading}"
    text = path.read_text(encoding="utf-8") if path.exists() else DOCS_INTRO
    lines = text.splitlines()
    section = [title, "", *body.strip("\n").splitlines(), ""]
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == title)
    except StopIteration:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *section]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
                   len(lines))
        lines[start:end] = section
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
