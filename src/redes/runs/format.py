"""The format of a run folder: what each of its files must hold, checked when a run is
opened (see ``redes.runs.run`` for the folder's layout)."""

from __future__ import annotations

from ..engines import ENGINES
from ..i18n import _

FORMAT = "redes-run"
FORMAT_VERSION = 1
STATUSES = ("running", "finished", "interrupted", "failed")


class RunError(ValueError):
    """A folder that is not a readable run directory."""


# The type of each field the code reads, so that a tampered or damaged file is refused when
# the run is opened, naming the file and the field, instead of failing somewhere later
_CONFIG_FIELDS = {"recipe": ("dict",), "recipe_name": ("text",), "engine": ("text",),
                  "name": ("text", None), "started": ("text", None), "seed": ("count", None),
                  "device": ("text", None)}
_STATUS_FIELDS = {"last_epoch": ("count", None), "epochs": ("count", None),
                  "model_epoch": ("count", None), "seconds": ("number", None),
                  "started": ("text",), "updated": ("text", None), "finished": ("text", None),
                  "pid": ("count", None), "host": ("text", None), "error": ("dict", None),
                  "warning": ("text", None), "model_sha256": ("text", None)}


def _is(value, kinds) -> bool:
    """Whether ``value`` is one of ``kinds``: "count" (an integer >= 0), "number" (finite
    or not), "text", "dict" or None."""
    if value is None:
        return None in kinds
    if isinstance(value, bool):
        return False
    return (("count" in kinds and isinstance(value, int) and value >= 0)
            or ("number" in kinds and isinstance(value, (int, float)))
            or ("text" in kinds and isinstance(value, str))
            or ("dict" in kinds and isinstance(value, dict)))


def _damaged(path, file, key, value, kinds):
    words = {"count": _("an integer >= 0"), "number": _("a number"), "text": _("a text"),
             "dict": _("a dict"), "numbers": _("a list of numbers"), None: "null"}
    expected = _(" or ").join(words.get(k, repr(k)) for k in kinds)
    raise RunError(_("path: {path}/{file} is damaged: {key} is {value:.60}; expected "
                     "{expected}").format(path=path, file=file, key=key, value=repr(value),
                                          expected=expected))


def check_files(path, config, status, history, metrics) -> None:
    """Check what the files of the run at ``path`` hold: config.json, status.json,
    history.json and metrics.json, read as ``config``, ``status``, ``history`` and
    ``metrics``.

    Raises:
        RunError: a file is not what a run writes; the error names the file and the field.
    """
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise RunError(_("path: {path}/config.json is not a redes run "
                         "configuration").format(path=path))
    if not isinstance(status, dict) or status.get("status") not in STATUSES:
        raise RunError(_("path: {path}/status.json has no valid status").format(path=path))
    if not isinstance(history, dict) or not isinstance(history.get("epoch"), list) or any(
            not isinstance(v, list) or len(v) != len(history["epoch"])
            for v in history.values()):
        raise RunError(_("path: {path}/history.json is not a table of per-epoch "
                         "lists").format(path=path))
    if not isinstance(metrics, dict):
        raise RunError(_("path: {path}/metrics.json is not a dict of metrics").format(
            path=path))
    for file, data, fields in (("config.json", config, _CONFIG_FIELDS),
                               ("status.json", status, _STATUS_FIELDS)):
        for key, kinds in fields.items():
            if key in data and not _is(data[key], kinds):
                _damaged(path, file, key, data[key], kinds)
    if config.get("engine") not in ENGINES:
        _damaged(path, "config.json", "engine", config.get("engine"), tuple(ENGINES))
    for key, values in history.items():
        if not all(_is(v, ("count",) if key == "epoch" else ("number", None))
                   for v in values):
            _damaged(path, "history.json", key, values, ("numbers",))
    for key, value in metrics.items():
        if not _is(value, ("number", None)):
            _damaged(path, "metrics.json", key, value, ("number", None))
