"""Both engines reach the same accuracy on the course's offline problems (same start)."""

import pytest

from redes import tour

pytest.importorskip("keras")


@pytest.mark.parametrize("problem,floor", [("gaussian_quantiles", 0.95), ("digits", 0.96)])
def test_numpy_engine_matches_keras_accuracy(problem, floor):
    _, acc_numpy, _, start = tour.train(problem, "numpy", seed=0)
    _, acc_keras, _, _ = tour.train(problem, "keras", seed=0, initial_weights=start)
    print(f"{problem}: numpy {acc_numpy:.4f} keras {acc_keras:.4f}")
    assert acc_numpy >= floor and acc_keras >= floor
    assert abs(acc_numpy - acc_keras) <= 0.01
