"""Reading histories for the figures: what ``fit`` returns (a ``History``), its ``.history``
dict or a ``Run``, as float arrays per metric; their mean over folds, and the best epoch.
"""

from __future__ import annotations

import numpy as np

from redes.i18n import _

_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "r2")


def higher_is_better(metric: str) -> bool:
    """Whether larger values of ``metric`` are better (accuracy, AUC...) or worse (loss,
    MAE...), with the rule Keras' callbacks use in mode "auto"."""
    name = str(metric).removeprefix("val_")
    return any(word in name for word in _HIGHER_IS_BETTER)


def mean_history(histories) -> dict:
    """The per-epoch mean of several histories with the same keys, e.g. the folds of a
    k-fold validation (the Boston lesson averages the validation MAE of its folds).

    Args:
        histories: a list of histories (dicts, ``History`` objects or runs).

    Returns:
        A history dict ``{"loss": [...], ...}`` over the epochs every history has.
    """
    if not isinstance(histories, (list, tuple)) or not histories:
        raise ValueError(_("histories: expected a non-empty list of histories, got "
                           "{value}").format(value=f"{histories!r:.80}"))
    tables = [_as_history(h, f"histories[{i}]") for i, h in enumerate(histories)]
    keys = [k for k in tables[0] if k != "epoch"]
    for i, table in enumerate(tables[1:], 1):
        if sorted(k for k in table if k != "epoch") != sorted(keys):
            raise ValueError(_("histories[{i}]: has keys {keys}, expected the keys of "
                               "histories[0]: {expected}").format(
                i=i, keys=sorted(table), expected=sorted(tables[0])))
    n = min(len(table[keys[0]]) for table in tables) if keys else 0
    with np.errstate(all="ignore"):
        return {k: np.nanmean([t[k][:n] for t in tables], axis=0).tolist() for k in keys}


def _floats(values, where) -> np.ndarray:
    try:
        array = np.array([np.nan if v is None else v for v in values], dtype=float)
    except (TypeError, ValueError):
        raise ValueError(_("{where}: expected a list of numbers").format(where=where)) \
            from None
    if array.ndim != 1:
        raise ValueError(_("{where}: expected a flat list of numbers, got shape {shape}")
                         .format(where=where, shape=array.shape))
    return array


def _as_history(history, where="history") -> dict:
    table = getattr(history, "history", history)
    if not isinstance(table, dict):
        raise ValueError(_("{where}: expected a History, its .history dict or a Run, got "
                           "{type}").format(where=where, type=type(history).__name__))
    out = {str(k): _floats(v, f"{where}[{k!r}]") for k, v in table.items()}
    lengths = {len(v) for v in out.values()}
    if len(lengths) > 1:
        raise ValueError(_("{where}: every list must have one value per epoch, got lengths "
                           "{lengths}").format(where=where, lengths=sorted(lengths)))
    return out


def _epochs(table) -> np.ndarray:
    if "epoch" in table:
        return table["epoch"]
    n = len(next(iter(table.values()))) if table else 0
    return np.arange(1, n + 1, dtype=float)


def _best(values, metric):
    """(index, value) of the best finite value, or None."""
    if not np.isfinite(values).any():
        return None
    clean = np.where(np.isfinite(values), values, -np.inf if higher_is_better(metric)
                     else np.inf)
    i = int(np.argmax(clean) if higher_is_better(metric) else np.argmin(clean))
    return i, float(values[i])
