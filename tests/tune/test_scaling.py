"""``keras_strategy``: MirroredStrategy over 2 logical CPU devices (no GPU here), mixed
precision refused on CPU, and a clear error once TensorFlow has set up its devices. Each
case runs in a fresh Python process, since devices are configured once per process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("tensorflow")

MIRRORED = """
import json, warnings
from redes import recipes
from redes.engines.training import train_recipe
from redes.tune.scaling import configure_cpu_devices, keras_strategy

out = {}
with keras_strategy("mirrored") as strategy:
    import keras
    out["replicas"] = strategy.num_replicas_in_sync
    out["devices"] = list(strategy.extended.worker_devices)
    result = train_recipe(recipes.get("breast_cancer"), "keras", epochs=2)
    out["variable"] = type(result.model.layers[0].kernel.value).__name__
    out["loss"] = result.history["loss"]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with keras_strategy(None, mixed_precision=True) as strategy:
        out["policy"] = keras.mixed_precision.global_policy().name
        out["default_replicas"] = strategy.num_replicas_in_sync
out["warnings"] = [str(w.message) for w in caught]
try:
    configure_cpu_devices(4)
except RuntimeError as exc:
    out["late"] = str(exc)
print(json.dumps(out))
"""


def test_mirrored_strategy_trains_on_two_logical_cpus():
    done = subprocess.run([sys.executable, "-c", MIRRORED], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["replicas"] == 2
    assert [d.rsplit("/", 1)[-1] for d in out["devices"]] == ["device:CPU:0", "device:CPU:1"]
    assert out["variable"] == "MirroredVariable"
    assert len(out["loss"]) == 2 and out["loss"][1] < out["loss"][0]
    assert out["policy"] == "float32" and out["default_replicas"] == 1
    assert out["warnings"] == ["mixed_precision: no GPU found; float16 on a CPU is slower and "
                               "less precise, so the model stays in float32"]
    assert "already initialized its devices" in out["late"]
    assert "call keras_strategy before any other TensorFlow" in out["late"]


def test_bad_arguments_are_refused_before_tensorflow_loads():
    from redes.tune.scaling import keras_strategy

    with pytest.raises(ValueError, match="distribute: expected 'mirrored' or None, got 'tpu'"):
        with keras_strategy("tpu"):
            pass
    with pytest.raises(ValueError, match="mixed_precision: expected True or False, got 1"):
        with keras_strategy(None, mixed_precision=1):
            pass
