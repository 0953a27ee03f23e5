"""What a session does with each message of its page.

``carry_out(session, msg)`` runs one checked message (``connection.parse_message``) on a
``Session`` and returns what to send back: a list of JSON messages, and whether the picture
changed (so a new frame is due). It runs where the session lives, apart from the websocket,
and never waits on the network. Each message type has its handler in ``HANDLERS``; a
handler raises ``ValueError`` (or ``StateError``) with the reason when a message breaks a
rule, and the session is left as it was.
"""

from __future__ import annotations

from ..i18n import _
from . import drawing, editing, export, presets, restore
from .session import Session
from .state import json_kind


def _set(session: Session, msg: dict):
    what = session.apply(msg.get("changes"))
    out = [{"type": "state", "state": session.state, "changed": what}]
    if what == "data":
        out.append(session.data_message())
    return out, what != "live" or not session.playing


def _preset(session: Session, msg: dict):
    name = msg.get("name")
    if not isinstance(name, str) or name not in presets.PRESETS:
        raise ValueError(_("name: expected one of {options}, got {value}").format(
            options=", ".join(presets.PRESETS), value=json_kind(name)))
    session.load(presets.preset_state(name))
    return session.data_changed(), True


def _play(session: Session, msg: dict):
    drawing.check_trainable(session)
    session.playing = True
    return [], True


def _pause(session: Session, msg: dict):
    session.playing = False
    return [], True


def _step(session: Session, msg: dict):
    drawing.check_trainable(session)
    session.playing = False
    session.train_epochs(1)
    return [], True


def _reset(session: Session, msg: dict):
    session.reset()
    return [], True


def _upload(session: Session, msg: dict):
    session.upload(msg.get("csv"))
    return session.data_changed(), True


def _export(session: Session, msg: dict):
    return [export.message(session)], False


HANDLERS = {
    "set": _set, "play": _play, "pause": _pause, "step": _step, "reset": _reset,
    "preset": _preset, "upload": _upload, "export": _export,
    "weight": editing.set_weight, "bias": editing.set_bias,
    "restore": restore.restore,
    "point": drawing.add_point, "clear_points": drawing.clear_points,
}


def carry_out(session: Session, msg: dict) -> tuple[list[dict], bool]:
    """Run ``msg`` (a dict whose ``type`` is a key of ``HANDLERS``) on ``session``: the
    messages to send back and whether the picture changed."""
    return HANDLERS[msg["type"]](session, msg)
