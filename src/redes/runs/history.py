"""The history of a run: one row per finished epoch and one column per log, kept in
history.json and history.csv.

Columns come in this order: ``epoch``, ``loss``, the other training logs, ``val_loss``, the
other validation logs. A missing value (a skipped validation) is None, an empty cell in CSV.
"""

from __future__ import annotations

import csv
import io


def add_epoch(history: dict, number: int, values: dict) -> dict:
    """``history`` (changed in place) with the logs ``values`` of epoch ``number``, its
    columns in order. Logging an epoch again (after resuming from an earlier model) replaces
    it and the epochs after it."""
    keep = sum(1 for e in history["epoch"] if e < number)
    for column in history.values():
        del column[keep:]
    for key in values:
        history.setdefault(key, [None] * keep)
    for key, column in history.items():
        column.append(number if key == "epoch" else values.get(key))
    keys = [k for k in history if k != "epoch"]
    train = [k for k in keys if not k.startswith("val_")]
    train.sort(key=lambda k: k != "loss")
    val = [k for k in keys if k.startswith("val_")]
    val.sort(key=lambda k: k != "val_loss")
    return {"epoch": history["epoch"], **{k: history[k] for k in train + val}}


def history_csv(history: dict) -> str:
    """The text of history.csv: a header row, then one row per epoch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(history))
    for row in zip(*history.values()):
        writer.writerow(["" if v is None else repr(v) for v in row])
    return buffer.getvalue()
