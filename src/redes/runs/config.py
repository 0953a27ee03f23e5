"""config.json of a new run: the resolved recipe, the engine and the seed, with what a
result depends on besides them (the package versions, the platform, the device)."""

from __future__ import annotations

import platform
import re
import sys

from redes._base.files import plain

from ..engines import ENGINES
from ..i18n import _
from .format import FORMAT, FORMAT_VERSION

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*$")


def _versions(engine: str) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    names = ["redes", "numpy"] + (["keras", "tensorflow", "tensorflow-cpu"]
                                  if engine == "keras" else [])
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def _device(engine: str) -> str:
    if engine != "keras" or "tensorflow" not in sys.modules:
        return "cpu"
    gpus = sys.modules["tensorflow"].config.list_physical_devices("GPU")
    return ", ".join(gpu.name for gpu in gpus) or "cpu"


def new_config(recipe_name, engine, config, started: str, seed=None, device=None) -> dict:
    """The contents of config.json for a new run started at ``started`` (ISO time); its
    ``name`` is set once the run's folder exists. The arguments are those of
    ``Run.create``, checked here."""
    if not isinstance(recipe_name, str) or not _NAME.match(recipe_name) \
            or len(recipe_name) > 100:
        raise ValueError(
            _("recipe_name: expected a name made of letters, digits, '_', '.' and '-' "
              "(at most 100 characters), got {value!r}").format(value=recipe_name)
        )
    if engine not in ENGINES:
        raise ValueError(_("{name}: expected one of {options}, got {value!r}").format(
            name="engine", options=", ".join(ENGINES), value=engine))
    if not isinstance(config, dict):
        raise ValueError(_("config: expected a dict (the resolved recipe), got "
                           "{kind}").format(kind=type(config).__name__))
    recipe = plain(config, "config")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": None,
        "recipe_name": recipe_name,
        "engine": engine,
        "seed": plain(config.get("seed") if seed is None else seed, "seed"),
        "device": device if device is not None else _device(engine),
        "started": started,
        "platform": platform.platform(),
        "versions": _versions(engine),
        "recipe": recipe,
    }
