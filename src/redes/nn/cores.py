"""The cores a training step runs on: BLAS threads, and a helper thread for small models.

NumPy's matrix products run in a BLAS library (OpenBLAS, MKL) that splits each product
between threads, as many as its settings allow (``OMP_NUM_THREADS``, ``threadpoolctl``). A
large model's products are worth splitting. A small model's are not: splitting a product
of 64 x 97 by 97 x 64 costs more than it saves, and on a busy machine the threads wait for
each other at every product. So a training step of a small model (parameters x batch size
below 2^22) runs its products on one BLAS thread, and when more threads were allowed it
takes one of them as a *helper*: a Python thread to which the layers hand whole pieces of
work that their next operations do not wait for (a recurrent layer's weight gradients for
the steps its loop back through time has left behind). NumPy lets go of the interpreter's
lock while it computes on large arrays, so the helper's work runs on the second core while
the layer's loop goes on. The work is cut the same way with or without a helper, so the
numbers do not depend on the number of threads.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

SMALL_WORK = 2**22   # parameters x batch size below which one BLAS thread is faster

_lock = threading.Lock()
_blas = None          # threadpoolctl's controls of the BLAS libraries NumPy loaded
_helper = None        # the process's helper thread, started when first needed


def _blas_controls() -> list:
    global _blas
    with _lock:
        if _blas is None:
            try:
                from threadpoolctl import ThreadpoolController
                _blas = ThreadpoolController().select(user_api="blas").lib_controllers
            except Exception:  # noqa: BLE001 (no controls: the BLAS keeps its threads)
                _blas = []
        return _blas


def blas_threads() -> int:
    """The threads NumPy's BLAS may use now (1 if it cannot be told)."""
    return max((lib.num_threads for lib in _blas_controls()), default=1)


def blas_name() -> str | None:
    """The BLAS library NumPy uses, with its version ("openblas 0.3.31"), if known."""
    libs = _blas_controls()
    if not libs:
        return None
    return f"{libs[0].internal_api} {libs[0].version or ''}".strip()


class Inline:
    """No helper: ``submit`` runs the work at once, in the calling thread."""

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            return self.value

    def submit(self, fn, *args):
        return self.Done(fn(*args))


INLINE = Inline()


def _forget_the_helper() -> None:
    """In a child process made by ``fork``: the parent's helper thread is not there."""
    global _helper, _lock
    _helper, _lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_the_helper)


def helper() -> ThreadPoolExecutor:
    """The process's helper thread (one: the layers' work on it runs in the order given)."""
    global _helper
    with _lock:
        if _helper is None:
            _helper = ThreadPoolExecutor(1, thread_name_prefix="redes-helper")
        return _helper


def takes_helper(work: int) -> bool:
    """Whether a training step of ``work`` (parameters x batch size) runs its products on
    one BLAS thread and takes a helper thread: a small model, with more threads allowed."""
    return work < SMALL_WORK and blas_threads() > 1


@contextlib.contextmanager
def for_training(work: int):
    """Within: the BLAS on one thread if ``work`` (parameters x batch size) is small; gives
    the helper thread (``helper()``) if it is small and more threads were allowed, else
    ``None``."""
    if not takes_helper(work):
        yield None
        return
    libs = _blas_controls()
    before = [lib.num_threads for lib in libs]
    for lib in libs:
        lib.set_num_threads(1)
    try:
        yield helper()
    finally:
        for lib, n in zip(libs, before):
            lib.set_num_threads(n)
