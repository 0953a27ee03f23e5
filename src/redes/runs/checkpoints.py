"""The model file of a run: saved after every epoch by its engine, loaded to predict or to
resume, and which epoch it holds.

status.json records ``model_epoch`` and the file's SHA-256 after each save; a process stopped
between saving the model and updating the status leaves a file that differs from the one
recorded, and that file holds the last logged epoch (it is saved right after it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from redes._base.files import atomic_path

from ..i18n import _

MODEL_FILES = {"numpy": "model.redes", "keras": "model.keras"}


def sha256(path: Path) -> str | None:
    """The SHA-256 of the file at ``path`` in hexadecimal; None when there is no file."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def saved_epoch(path: Path, status: dict) -> int:
    """The epoch the model file at ``path`` holds (0 without a model file), from ``status``
    (the contents of status.json): its ``model_epoch``, unless the file is not the one it
    describes (the SHA-256 differs): then the file holds ``last_epoch``."""
    if not path.is_file():
        return 0
    recorded = int(status.get("model_epoch") or 0)
    digest = status.get("model_sha256")
    if digest is None and recorded:        # a run of an older redes
        return recorded
    return recorded if sha256(path) == digest else int(status.get("last_epoch") or 0)


def save_model(model, engine: str, path: Path) -> None:
    """Save ``model`` of ``engine`` ("numpy" or "keras") at ``path``, atomically."""
    if engine == "numpy":
        model.save(path)                       # redes writes a temporary file itself
    else:
        with atomic_path(path, suffix=".keras") as tmp:   # Keras reads the suffix
            model.save(tmp)


def load_model(path: Path, engine: str, run_name: str):
    """The model saved at ``path`` by ``engine``, loaded (compiled, ready to predict or
    resume); the error of a missing file names the run ``run_name``."""
    if not path.is_file():
        raise FileNotFoundError(_("model: {name} has no saved model ({file})").format(
            name=run_name, file=path.name))
    if engine == "numpy":
        from ..nn.models import load_model

        return load_model(path)
    from ..engines import import_keras

    return import_keras().saving.load_model(path)
