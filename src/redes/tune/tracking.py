"""TensorBoard data of a study, written without TensorFlow, and ``board`` to look at it.

A study's folder holds one TensorBoard run per trial::

    <runs>/tune/<study>/tensorboard/
        events...experiment.redes     the HParams experiment: the searched parameters and
                                      the objective (written by every process, same content)
        trial_0003/
            events...redes            scalars per epoch: loss, val_mae... (k-fold recipes:
                                      fold_1/loss, fold_1/val_mae, ...), the objective
            events...hparams.redes    the trial's parameter values and its end status
                                      (success, failure; pruned trials show "unknown")

The HParams dashboard of ``tensorboard --logdir <runs>`` then shows one row per trial with
its parameters and score. The protocol buffers come from the ``tensorboard`` package (pure
protobuf, no TensorFlow); without it no event file is written, and each trial's history
stays in the study's own records.
"""

from __future__ import annotations

import importlib.util
import math
import os
import socket
import time
from pathlib import Path

from redes._base.files import write_bytes
from redes.i18n import _
from redes.runs.tensorboard import EventWriter, append_records, tfrecord

_STATUS = {"complete": "STATUS_SUCCESS", "pruned": "STATUS_UNKNOWN",
           "failed": "STATUS_FAILURE"}


def has_tensorboard() -> bool:
    """Whether the ``tensorboard`` package (its protocol buffers and its server) is here."""
    return importlib.util.find_spec("tensorboard") is not None


def _events_file(logdir: Path, suffix: str) -> Path:
    host = socket.gethostname().replace(".", "_") or "host"
    return logdir / f"events.out.tfevents.{int(time.time())}.{host}.{os.getpid()}.{suffix}.redes"


def _write_summary(path: Path, summary, append: bool = False) -> None:
    """Write one ``Summary`` as an event (after the file-version event of a new file)."""
    from tensorboard.compat.proto import event_pb2

    path.parent.mkdir(parents=True, exist_ok=True)
    records = b""
    if not (append and path.exists()):
        records += tfrecord(event_pb2.Event(wall_time=time.time(),
                                            file_version="brain.Event:2").SerializeToString())
    records += tfrecord(event_pb2.Event(wall_time=time.time(), step=0,
                                        summary=summary).SerializeToString())
    if append:
        append_records(path, records)
    else:
        write_bytes(path, records)      # its temporary file has no "tfevents" in its name


def _summary(tag: str, plugin_data):
    """A ``Summary`` holding HParams plugin data under ``tag``, as TensorBoard stores it."""
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
    from tensorboard.plugins.hparams import metadata

    null = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=tensor_shape_pb2.
                                  TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(
                                      size=0)]))
    meta = metadata.create_summary_metadata(plugin_data)
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, metadata=meta,
                                                                tensor=null)])


def write_experiment(logdir, space: dict, objective: str) -> Path | None:
    """Describe the study for the HParams dashboard: its parameters and metrics.

    Args:
        logdir: the study's TensorBoard folder.
        space: the search space (``redes.tune.space.check_space``).
        objective: the objective's name, e.g. ``"kfold_val_mae"``.

    Returns:
        The file written, or ``None`` without the ``tensorboard`` package.
    """
    if not has_tensorboard():
        return None
    from tensorboard.plugins.hparams import api_pb2, metadata, plugin_data_pb2

    infos = []
    for name, dist in space.items():
        info = api_pb2.HParamInfo(name=name, type=api_pb2.DATA_TYPE_FLOAT64)
        if dist["type"] == "choice":
            values = dist["values"]
            if all(isinstance(v, str) for v in values):
                info.type = api_pb2.DATA_TYPE_STRING
            elif all(isinstance(v, bool) for v in values):
                info.type = api_pb2.DATA_TYPE_BOOL
            info.domain_discrete.extend(
                [v if isinstance(v, (str, bool)) else float(v) for v in values])
        else:
            info.domain_interval.min_value = float(dist["low"])
            info.domain_interval.max_value = float(dist["high"])
        infos.append(info)
    metrics = [api_pb2.MetricInfo(name=api_pb2.MetricName(tag=tag), display_name=tag)
               for tag in (objective, "epochs_trained")]
    experiment = api_pb2.Experiment(hparam_infos=infos, metric_infos=metrics,
                                    time_created_secs=time.time())
    path = Path(logdir) / "events.out.tfevents.0.experiment.redes"
    _write_summary(path, _summary(metadata.EXPERIMENT_TAG,
                                  plugin_data_pb2.HParamsPluginData(experiment=experiment)))
    return path


def _value(v):
    from google.protobuf import struct_pb2

    if isinstance(v, bool):
        return struct_pb2.Value(bool_value=v)
    if isinstance(v, (int, float)):
        return struct_pb2.Value(number_value=float(v))
    return struct_pb2.Value(string_value=str(v))


class TrialTracker:
    """The TensorBoard run of one trial: its parameters, curves and result.

    Args:
        logdir: the study's TensorBoard folder; the trial writes in ``trial_NNNN/`` under it.
        number: the trial's number.
        params: the trial's ``{parameter: value}``.
    """

    def __init__(self, logdir, number: int, params: dict):
        self.path = Path(logdir) / f"trial_{number:04d}"
        self.scalars = EventWriter(self.path)
        self._hparams = _events_file(self.path, "hparams") if has_tensorboard() else None
        self.prefix = ""
        if self._hparams is not None:
            from tensorboard.plugins.hparams import metadata, plugin_data_pb2

            start = plugin_data_pb2.SessionStartInfo(group_name=self.path.name,
                                                     start_time_secs=time.time())
            for key, value in params.items():
                start.hparams[key].CopyFrom(_value(value))
            _write_summary(self._hparams, _summary(
                metadata.SESSION_START_INFO_TAG,
                plugin_data_pb2.HParamsPluginData(session_start_info=start)))

    def epoch(self, epoch: int, logs: dict) -> None:
        """Write one epoch's logs (tags get the current fold's prefix, e.g. ``fold_2/``)."""
        values = {f"{self.prefix}{k}": v for k, v in logs.items()
                  if isinstance(v, (int, float)) and not isinstance(v, bool)}
        self.scalars.scalars(epoch, values)

    def end(self, state: str, values: dict | None = None, step: int = 0) -> None:
        """Write the trial's results and its end status.

        Args:
            state: ``"complete"``, ``"pruned"`` or ``"failed"``.
            values: ``{tag: number}`` results, e.g. the objective and ``epochs_trained``.
            step: the step of the results (the last epoch). Defaults to ``0``.
        """
        finite = {k: v for k, v in (values or {}).items()
                  if v is not None and math.isfinite(float(v))}
        self.scalars.scalars(step, finite)
        if self._hparams is not None:
            from tensorboard.plugins.hparams import api_pb2, metadata, plugin_data_pb2

            end = plugin_data_pb2.SessionEndInfo(status=api_pb2.Status.Value(_STATUS[state]),
                                                 end_time_secs=time.time())
            _write_summary(self._hparams, _summary(
                metadata.SESSION_END_INFO_TAG,
                plugin_data_pb2.HParamsPluginData(session_end_info=end)), append=True)


# ------------------------------------------------------------------------------ board
def board_command(root=None, host: str = "127.0.0.1", port: int = 6006) -> list[str]:
    """The command that starts TensorBoard on the runs folder.

    Args:
        root: the runs folder. Defaults to ``REDES_RUNS`` or ``./runs``.
        host: the address to listen on. Defaults to ``"127.0.0.1"`` (this computer only).
        port: the port. Defaults to ``6006``.

    Raises:
        ValueError: a bad port or host, or a runs folder that does not exist.
        RuntimeError: the ``tensorboard`` package is not installed.
    """
    import sys

    from redes.runs import runs_root

    folder = runs_root(root)
    if not folder.is_dir():
        raise ValueError(_("root: the runs folder {folder!r} does not exist; train or "
                           "tune something first, or pass the folder that holds your "
                           "runs").format(folder=str(folder)))
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(_("port: expected an integer from 0 to 65535, got {value!r}").format(
            value=port))
    if not isinstance(host, str) or not host:
        raise ValueError(_("host: expected an address such as '127.0.0.1', got "
                           "{value!r}").format(value=host))
    if not has_tensorboard():
        raise RuntimeError(_("board: TensorBoard is not installed: pip install "
                             "'redes[board]'"))
    return [sys.executable, "-m", "tensorboard.main", "--logdir", str(folder),
            "--host", host, "--port", str(port)]


def board(root=None, host: str = "127.0.0.1", port: int = 6006) -> int:
    """Run TensorBoard on the runs folder until Ctrl+C (``redes board``).

    It shows the curves of every run and every trial, and the HParams dashboard of the
    studies. It listens on 127.0.0.1 by default, so only this computer can open it.

    Args:
        root: the runs folder. Defaults to ``REDES_RUNS`` or ``./runs``.
        host: the address to listen on. Defaults to ``"127.0.0.1"``.
        port: the port. Defaults to ``6006``.

    Returns:
        TensorBoard's exit code (``0`` after Ctrl+C).
    """
    import subprocess

    command = board_command(root, host, port)
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 0
