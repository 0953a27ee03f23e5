"""The share of a training step in matrix products (benchmarks/matmul_share.py): the BLAS
calls it logs are exactly the products the model must compute."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import matmul_share  # noqa: E402

NO_TRANS, TRANS = 111, 112


def _shim_or_skip(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))   # the library is compiled there
    try:
        matmul_share.build_shim()
    except matmul_share.Unavailable as exc:   # no C compiler, no nm, not Linux
        pytest.skip(str(exc))


def test_names_of_the_cblas_functions():
    match = matmul_share._NAME.match("scipy_cblas_sgemm64_")
    assert (match["type"], match["routine"], match["suffix"]) == ("s", "gemm", "64_")
    match = matmul_share._NAME.match("cblas_dgemv")
    assert (match["type"], match["routine"], match["suffix"]) == ("d", "gemv", "")
    assert matmul_share._NAME.match("scipy_cblas_zgemm64_") is None   # complex: not logged
    assert matmul_share._NAME.match("PyArray_MatrixProduct") is None


def test_a_two_layer_mlp_logs_its_products_and_nothing_else(monkeypatch, tmp_path):
    _shim_or_skip(monkeypatch, tmp_path)
    batch, inputs, hidden, classes = 32, 20, 16, 3
    result = matmul_share.measure(
        "matmul_share:dense_model",
        {"batch_size": batch, "sizes": [inputs, hidden, classes]},
        threads=1, seconds=0.2, min_rounds=3, max_rounds=30, log=True, breakdown=True)
    assert "unavailable" not in result, result.get("unavailable")
    log = result["log"]
    gemm = [(c["ta"], c["tb"], c["m"], c["n"], c["k"]) for c in log if c["kind"] == "gemm"]
    assert gemm == [
        (NO_TRANS, NO_TRANS, batch, hidden, inputs),     # forward: z1 = x W1
        (NO_TRANS, NO_TRANS, batch, classes, hidden),    # forward: z2 = h W2
        (TRANS, NO_TRANS, hidden, classes, batch),       # backward: dW2 = h^T dz2
        (NO_TRANS, TRANS, batch, hidden, classes),       # backward: dh = dz2 W2^T
        (TRANS, NO_TRANS, inputs, hidden, batch),        # backward: dW1 = x^T dz1
    ]                                                    # (no dL/dx for the data)
    assert all(c["type"] == "s" and c["order"] == "row" for c in log if c["kind"] == "gemm")
    # the rest are the loss's row sums of the (batch, classes) output: (batch, classes) @ ones
    others = [c for c in log if c["kind"] != "gemm"]
    assert others and all(c["kind"] == "gemv" and {c["m"], c["n"]} == {batch, classes}
                          for c in others)
    assert result["calls"] == len(log) == 5 + len(others)
    flop = 2 * batch * (2 * inputs * hidden + 3 * hidden * classes) + 2 * batch * classes * len(
        others)
    assert result["gflop"] == pytest.approx(flop / 1e9)
    assert result["kinds"] == {"sgemm": 5, "sgemv": len(others)}
    assert 0 < result["share"] < 1
    assert 0 < result["products"] < result["step"]
    assert result["threads"] == 1
    # the breakdown gives each part its own calls, in the order they were made
    parts = {p["part"]: p["calls"] for p in result["parts"]}
    assert parts["dense forward"] == parts["dense_1 forward"] == 1
    assert parts["dense_1 backward"] == 2 and parts["dense backward"] == 1
    assert parts["loss"] == len(others)
    assert parts["sum of the parts"] == result["calls"]


def test_unavailable_is_a_reason_not_an_error(monkeypatch):
    monkeypatch.setattr(matmul_share.sys, "platform", "darwin")
    result = matmul_share.measure("matmul_share:dense_model")
    assert "LD_PRELOAD" in result["unavailable"]
    assert matmul_share.row(result)[0] == "not measured"
    assert "share not measured" in matmul_share.notes({"mlp": result})[0]
