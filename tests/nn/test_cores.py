"""The cores a training step runs on (redes.nn.cores): small models train on one BLAS thread,
plus a helper thread when more were allowed; the recurrent layers hand it their weight
gradients and the LSTM its backward factors; the numbers are the same with and without it."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import redes.nn as nn
from redes.nn import cores
from redes.nn.layers.embedding import Embedding
from redes.nn.layers.rnn import GRU, LSTM, SimpleRNN, cell_math
from redes.nn.step import TrainingStep


@pytest.fixture
def two_threads():
    """The BLAS allowed two threads (as OMP_NUM_THREADS=2 would), for the test's length."""
    with threadpool_limits(2, user_api="blas"):
        if cores.blas_threads() < 2:
            pytest.skip("this BLAS cannot be given two threads")
        yield


def test_small_work_runs_on_one_blas_thread_and_gets_the_helper(two_threads):
    with cores.for_training(cores.SMALL_WORK - 1) as helper:
        assert helper is cores.helper()
        assert cores.blas_threads() == 1
    assert cores.blas_threads() == 2                  # as it was
    with cores.for_training(cores.SMALL_WORK) as helper:   # large products: split them
        assert helper is None
        assert cores.blas_threads() == 2
    with threadpool_limits(1, user_api="blas"), cores.for_training(10) as helper:
        assert helper is None                          # one thread allowed: no helper


def test_the_blas_threads_come_back_after_an_error(two_threads):
    with pytest.raises(KeyError), cores.for_training(10):
        raise KeyError("x")
    assert cores.blas_threads() == 2


def test_a_step_ends_only_once_the_work_handed_over_is_done():
    done = threading.Event()

    def slow():
        time.sleep(0.2)
        done.set()

    with pytest.raises(RuntimeError), TrainingStep(helper=cores.helper()) as step:
        step.submit(slow)
        raise RuntimeError("the step fails half way")
    assert done.is_set()                              # no work of that step runs on


def test_inline_work_runs_at_once():
    assert cores.INLINE.submit(np.add, 2, 3).result() == 5


def test_step_sums_add_up_every_chunk_on_the_helper_as_inline():
    rng = np.random.default_rng(0)
    a, d = rng.normal(size=(37, 3, 5)), rng.normal(size=(2, 37, 3, 4))
    exact = cell_math.join_blocks(np.einsum("tbn,ktbu->knu", a, d))
    results = []
    for helper in (None, TrainingStep(helper=cores.helper())):
        sums = cell_math.StepSums((a, d), (a[:, :, :2], d), helper=helper)
        for t in reversed(range(37)):
            sums.left(t)
        results.append(sums.total())
    np.testing.assert_allclose(results[0][0], exact, rtol=1e-12)
    np.testing.assert_allclose(results[0][1], exact[:2], rtol=1e-12)
    for inline, helped in zip(*results):
        np.testing.assert_array_equal(inline, helped)


KINDS = {
    "lstm": lambda: LSTM(6),
    "lstm-sequences-stacked": lambda: [LSTM(5, return_sequences=True), LSTM(4)],
    "gru": lambda: GRU(6),
    "gru-reset-before": lambda: GRU(6, reset_after=False, return_sequences=True),
    "simplernn": lambda: SimpleRNN(6),
    "lstm-masked-dropout": lambda: [Embedding(20, 3, mask_zero=True),     # token ids
                                    LSTM(6, dropout=0.2, recurrent_dropout=0.3, seed=1)],
}


def _train(make, threads, x, y):
    nn.utils.set_random_seed(3)
    layers = make()
    layers = layers if isinstance(layers, list) else [layers]
    model = nn.Sequential([nn.Input(shape=x.shape[1:]), *layers, nn.layers.Flatten(),
                           nn.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    with threadpool_limits(threads, user_api="blas"):
        model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        model.train_on_batch(x[:8], y[:8])
    return model.get_weights()


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_helper_changes_no_number(kind, two_threads, monkeypatch):
    # 37 steps: the weight gradients are summed in three chunks, two of them on the helper
    rng = np.random.default_rng(1)
    if kind.endswith("masked-dropout"):
        x = rng.integers(1, 20, size=(24, 37))
        x[::5, -9:] = 0                               # padding, which the mask skips
    else:
        x = rng.normal(size=(24, 37, 3)).astype("float32")
    y = rng.normal(size=(24, 1)).astype("float32")
    one = _train(KINDS[kind], 1, x, y)
    threads = set()
    step_sum = cell_math.step_sum

    def noting_the_thread(a, d):
        threads.add(threading.current_thread().name)
        return step_sum(a, d)

    monkeypatch.setattr(cell_math, "step_sum", noting_the_thread)
    two = _train(KINDS[kind], 2, x, y)
    assert any(name.startswith("redes-helper") for name in threads), threads
    for w1, w2 in zip(one, two):
        np.testing.assert_array_equal(w1, w2)


def test_the_lstm_computes_its_backward_factors_on_the_helper(two_threads, monkeypatch):
    threads = []
    factors = LSTM.loop_factors

    def noting_the_thread(self, start, stop):
        threads.append((threading.current_thread().name, start, stop))
        return factors(self, start, stop)

    monkeypatch.setattr(LSTM, "loop_factors", noting_the_thread)
    model = nn.Sequential([nn.Input(shape=(37, 2)), LSTM(3), nn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(np.ones((4, 37, 2), "float32"), np.zeros((4, 1), "float32"))
    assert [(start, stop) for _, start, stop in threads] == [(0, 16), (16, 32), (32, 37)]
    assert all(name.startswith("redes-helper") for name, _, _ in threads)
    model.predict(np.ones((4, 37, 2), "float32"), verbose=0)   # outside training: none
    assert len(threads) == 3


def _train_a_little():
    model = nn.Sequential([nn.Input(shape=(20, 2)), LSTM(3), nn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model.train_on_batch(np.ones((4, 20, 2), "float32"), np.zeros((4, 1), "float32"))


def _child(queue):
    with threadpool_limits(2, user_api="blas"):
        queue.put(float(_train_a_little()))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_gets_a_helper_of_its_own(two_threads):
    # the parent's helper thread does not exist in a child made by fork: work handed to
    # it there would wait forever
    _train_a_little()
    assert cores._helper is not None
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue,))
    child.start()
    child.join(60)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0
    assert np.isfinite(queue.get(timeout=5))


class _ThreadsSeen(nn.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.threads = []

    def on_train_batch_end(self, batch, logs=None):
        self.threads.append(cores.blas_threads())


@pytest.mark.parametrize(("units", "threads"), [(8, 1), (1200, 2)])
def test_fit_splits_the_products_of_large_models_only(units, threads, two_threads):
    # no Input: fit builds the model from the data, then counts its work: 1,200 x 1,200
    # weights x 32 rows is large enough to split each product between the BLAS threads
    model = nn.Sequential([nn.layers.Dense(units), nn.layers.Dense(units), nn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    seen = _ThreadsSeen()
    x = np.ones((64, units), "float32")
    model.fit(x, np.zeros((64, 1), "float32"), batch_size=32, verbose=0, callbacks=[seen])
    assert seen.threads == [threads, threads]
    assert cores.blas_threads() == 2
