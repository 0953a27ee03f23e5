"""Every trial leaves TensorBoard scalars and HParams data that TensorBoard itself reads;
``board`` serves them on 127.0.0.1; the pruning callback works on the Keras engine too."""

from __future__ import annotations

import json
import struct
import subprocess
import time
import urllib.request

import pytest

optuna = pytest.importorskip("optuna")
pytest.importorskip("tensorboard")

from tensorboard.compat.proto import event_pb2  # noqa: E402
from tensorboard.plugins.hparams import api_pb2, metadata  # noqa: E402

from redes.tune import run_study  # noqa: E402
from redes.tune.tracking import board_command  # noqa: E402
from redes.tune.trial import EpochReporter, pruning_callback  # noqa: E402


def read_events(folder):
    """Every Event of the event files in ``folder`` (TFRecords, checksums not checked)."""
    events = []
    for path in sorted(folder.glob("*tfevents*")):
        data = path.read_bytes()
        at = 0
        while at < len(data):
            (length,) = struct.unpack("<Q", data[at:at + 8])
            events.append(event_pb2.Event.FromString(data[at + 12:at + 12 + length]))
            at += 12 + length + 4
    return events


def values(events):
    """``{tag: [(step, simple_value or plugin content)]}``."""
    out = {}
    for event in events:
        for v in event.summary.value:
            content = v.metadata.plugin_data.content if v.metadata.plugin_data.plugin_name \
                else v.simple_value
            out.setdefault(v.tag, []).append((event.step, content))
    return out


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    return run_study("boston", trials=2, epochs=3, pruner=None, progress=False, plots=False,
                     root=root)


def test_each_trial_writes_its_curves_and_result(study):
    for row in study.trials:
        tags = values(read_events(study.folder / "tensorboard" / f"trial_{row['number']:04d}"))
        for fold in (1, 2, 3, 4):
            assert [step for step, _ in tags[f"fold_{fold}/val_mae"]] == [0, 1, 2]
            assert len(tags[f"fold_{fold}/loss"]) == 3
        [(step, value)] = tags["kfold_val_mae"]
        assert step == 11 and value == pytest.approx(row["value"], rel=1e-6)
        assert tags["epochs_trained"] == [(11, 12.0)]


def test_each_trial_writes_hparams_tensorboard_understands(study):
    row = study.trials[1]
    tags = values(read_events(study.folder / "tensorboard" / "trial_0001"))
    [(_, start)] = tags[metadata.SESSION_START_INFO_TAG]
    info = metadata.parse_session_start_info_plugin_data(start)
    assert info.group_name == "trial_0001"
    assert info.hparams["optimizer"].string_value == row["params"]["optimizer"]
    assert info.hparams["learning_rate"].number_value == pytest.approx(
        row["params"]["learning_rate"])
    assert info.hparams["units"].number_value == row["params"]["units"]
    [(_, end)] = tags[metadata.SESSION_END_INFO_TAG]
    assert metadata.parse_session_end_info_plugin_data(end).status == api_pb2.STATUS_SUCCESS

    [(_, content)] = values(read_events(study.folder / "tensorboard"))[metadata.EXPERIMENT_TAG]
    experiment = metadata.parse_experiment_plugin_data(content)
    assert sorted(h.name for h in experiment.hparam_infos) == sorted(row["params"])
    lr = next(h for h in experiment.hparam_infos if h.name == "learning_rate")
    assert (lr.domain_interval.min_value, lr.domain_interval.max_value) == (1e-4, 1e-2)
    assert [m.name.tag for m in experiment.metric_infos] == ["kfold_val_mae", "epochs_trained"]


def _post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_board_serves_the_study_to_tensorboard_on_localhost(study, unused_port):
    logdir = study.folder / "tensorboard"
    command = board_command(logdir, port=unused_port)
    assert command[-4:] == ["--host", "127.0.0.1", "--port", str(unused_port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{unused_port}/data/plugin/hparams"
    try:
        for _ in range(120):
            try:
                groups = _post(f"{base}/session_groups", {
                    "experimentName": "", "startIndex": 0, "sliceSize": 10,
                    "allowedStatuses": ["STATUS_SUCCESS", "STATUS_UNKNOWN"]})
                if len(groups.get("sessionGroups", [])) == 2:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("TensorBoard did not serve the study's HParams within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=30)
    by_name = {g["name"]: g for g in groups["sessionGroups"]}
    assert sorted(by_name) == ["trial_0000", "trial_0001"]
    metric = {m["name"]["tag"]: m["value"] for m in by_name["trial_0000"]["metricValues"]}
    assert metric["kfold_val_mae"] == pytest.approx(study.trials[0]["value"], rel=1e-5)


def test_board_refuses_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="root: the runs folder .* does not exist"):
        board_command(tmp_path / "nothing")
    with pytest.raises(ValueError, match="port: expected an integer from 0 to 65535, got 70000"):
        board_command(tmp_path, port=70000)


class _Trial:
    """Stands for an Optuna trial that prunes at epoch ``at``."""

    def __init__(self, at):
        self.at, self.reported, self.attrs = at, [], {}

    def report(self, value, step):
        self.reported.append((step, value))

    def should_prune(self):
        return len(self.reported) > self.at

    def set_user_attr(self, key, value):
        self.attrs[key] = value


@pytest.mark.parametrize("engine", ["numpy", "keras"])
def test_the_pruning_callback_stops_fit_on_both_engines(engine):
    import numpy as np

    from redes.engines import build_model

    if engine == "keras":
        pytest.importorskip("keras")
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = build_model(engine, (3,), [["Dense", {"units": 4}], ["Dense", {"units": 1}]],
                        "sgd", "mse", ["mae"])
    trial = _Trial(at=2)
    reporter = EpochReporter(trial, "val_mae")
    with pytest.raises(optuna.TrialPruned, match="pruned at epoch 3: val_mae"):
        model.fit(x, y, epochs=10, batch_size=16, verbose=0, validation_split=0.25,
                  callbacks=[pruning_callback(engine, reporter)])
    assert [step for step, _ in trial.reported] == [0, 1, 2]
    assert reporter.epochs == 3 and trial.attrs == {"epochs_trained": 3}


def test_without_tensorboard_the_scalars_are_still_written(tmp_path, monkeypatch):
    from redes.tune import tracking

    monkeypatch.setattr(tracking, "has_tensorboard", lambda: False)
    assert tracking.write_experiment(tmp_path, {"units": {"type": "int", "low": 1,
                                                          "high": 2}}, "val_mae") is None
    tracker = tracking.TrialTracker(tmp_path, 7, {"units": 2})
    tracker.epoch(0, {"loss": 1.5, "val_mae": 0.5})
    tracker.end("complete", {"val_mae": 0.5}, step=0)
    files = [p.name for p in (tmp_path / "trial_0007").iterdir()]
    assert len(files) == 1 and "hparams" not in files[0]
    tags = values(read_events(tmp_path / "trial_0007"))
    assert tags["loss"] == [(0, 1.5)] and tags["val_mae"] == [(0, 0.5), (0, 0.5)]
