"""A run's TensorBoard event files, written by the engine's writer (the one of
``redes.nn.callbacks.TensorBoard``) without TensorFlow, read back by TensorBoard itself."""

import json
import struct
import subprocess
import sys
import textwrap

import pytest

from redes.runs import EventWriter, Run
from redes.runs.tensorboard import crc32c, tfrecord

# TensorBoard imports TensorFlow when it is installed (tens of seconds); a module named
# tensorboard.compat.notf makes it use its own stub, which reads event files just as well.
READER = textwrap.dedent("""
    import json, sys, types
    sys.modules["tensorboard.compat.notf"] = types.ModuleType("tensorboard.compat.notf")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    out = {}
    for folder in sys.argv[1:]:
        acc = EventAccumulator(folder)
        acc.Reload()
        out[folder] = {tag: [[e.step, e.value] for e in acc.Scalars(tag)]
                       for tag in acc.Tags()["scalars"]}
    print(json.dumps(out))
    print("tensorflow" in sys.modules)
""")


def _read_back(*folders):
    pytest.importorskip("tensorboard")
    out = subprocess.run([sys.executable, "-c", READER, *map(str, folders)],
                         capture_output=True, text=True, check=True, timeout=120)
    scalars, tf_imported = out.stdout.strip().splitlines()
    assert tf_imported == "False"
    return json.loads(scalars)


def test_crc32c_and_record_layout():
    pytest.importorskip("tensorboard")
    assert crc32c(b"123456789") == 0xE3069283           # the standard check value
    assert crc32c(b"") == 0
    record = tfrecord(b"abc")
    assert struct.unpack("<Q", record[:8])[0] == 3
    assert record[12:15] == b"abc" and len(record) == 8 + 4 + 3 + 4


def test_run_scalars_read_back_with_event_accumulator(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    logs = [{"loss": 0.9, "accuracy": 0.5, "val_loss": 1.0, "val_accuracy": 0.4},
            {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.7},
            {"loss": 0.25, "accuracy": 0.875, "val_loss": 0.6, "val_accuracy": 0.625}]
    for epoch, values in enumerate(logs):
        run.log_epoch(epoch, values)
    train, val = run.tensorboard_dir / "train", run.tensorboard_dir / "validation"
    scalars = _read_back(train, val)
    assert _close(scalars[str(train)], {"epoch_loss": [[0, 0.9], [1, 0.5], [2, 0.25]],
                                        "epoch_accuracy": [[0, 0.5], [1, 0.75], [2, 0.875]]})
    assert _close(scalars[str(val)], {"epoch_loss": [[0, 1.0], [1, 0.7], [2, 0.6]],
                                      "epoch_accuracy": [[0, 0.4], [2, 0.625]]})


def _close(got, expected):
    assert set(got) == set(expected)
    for tag, points in expected.items():
        assert [p[0] for p in got[tag]] == [p[0] for p in points]
        assert [p[1] for p in got[tag]] == pytest.approx([p[1] for p in points], rel=1e-6)
    return True


def test_writer_appends_to_one_file_and_a_second_writer_adds_another(tmp_path):
    first = EventWriter(tmp_path)
    first.scalars(0, {"epoch_loss": 2.0})
    first.scalars(1, {"epoch_loss": 1.0, "skipped": None})
    second = EventWriter(tmp_path)                    # e.g. a resumed run
    second.scalars(2, {"epoch_loss": 0.5})
    assert first.path != second.path
    assert len(list(tmp_path.iterdir())) == 2
    assert _close(_read_back(tmp_path)[str(tmp_path)],
                  {"epoch_loss": [[0, 2.0], [1, 1.0], [2, 0.5]]})


def test_without_tensorboard_a_run_writes_its_history_and_no_event_file(tmp_path,
                                                                        monkeypatch):
    import redes.runs.tensorboard as board

    monkeypatch.setattr(board, "has_tensorboard", lambda: False)
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    run.log_epoch(0, {"loss": 0.9, "val_loss": 1.0})
    assert run.history["loss"] == [0.9]
    assert not list(run.tensorboard_dir.rglob("events.out.tfevents.*"))


def test_the_run_writer_is_the_engine_writer(tmp_path):
    pytest.importorskip("tensorboard")
    from redes.nn.callbacks.events import EventWriter as EngineWriter

    writer = EventWriter(tmp_path)
    assert writer.path is None
    writer.scalars(0, {"epoch_loss": 1.0})
    assert isinstance(writer._writer, EngineWriter)
    assert writer.path.parent == tmp_path and writer.path.name.startswith(
        "events.out.tfevents.")
