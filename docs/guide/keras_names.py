"""Write the table of Keras names that redes has, and the list of those it does not have yet,
into both engine pages (docs/guide/en/engine.md and docs/guide/es/engine.md).

Keras 3's modules have no ``__all__``: their public names are those ``dir()`` lists without
a leading underscore, submodules aside. A Keras name counts as present in redes only when

- the same module of ``redes.nn`` has it (``redes.nn.layers.Dense`` for ``keras.layers.Dense``),
- and a parity test uses it: a test module of ``tests/nn/`` that compares against Keras (it
  imports ``keras`` itself, not ``redes.nn as keras``) names it, as an attribute
  (``L.Dense(...)``, ``keras.losses.Huber``), an imported name or a string
  (``loss="huber"``).

Run it from anywhere (it needs Keras: ``pip install 'redes[keras]'``)::

    python docs/guide/keras_names.py            # rewrite the two pages
    python docs/guide/keras_names.py --check    # exit 1 if a page is not up to date

``tests/docs/test_keras_names.py`` runs the check, so the table never drifts from the code.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"en": ROOT / "docs/guide/en/engine.md", "es": ROOT / "docs/guide/es/engine.md"}
START, END = "<!-- keras-names: start -->", "<!-- keras-names: end -->"

# The modules compared, as ``keras.<module>`` and ``redes.nn.<module>`` ("" is the top level).
MODULES = ["", "layers", "models", "activations", "losses", "metrics", "optimizers",
           "optimizers.schedules", "callbacks", "initializers", "regularizers", "constraints",
           "datasets", "utils", "preprocessing", "ops", "random", "saving", "config", "backend"]
# Keras' modules the engine leaves out, with the reason shown on the page.
LEFT_OUT = {
    "applications": ("pretrained models (their weights are downloaded)",
                     "modelos preentrenados (sus pesos se descargan)"),
    "distribution, mixed_precision, dtype_policies, quantizers, export, remat": (
        "several devices, reduced precision and serving: beyond one CPU and float32/float64",
        "varios dispositivos, precisión reducida y servir modelos: más allá de una CPU y "
        "float32/float64"),
    "legacy, tree, visualization, wrappers, distillation": (
        "Keras 2 leftovers and tools outside the course",
        "restos de Keras 2 y herramientas fuera del curso"),
}
WORDS = {
    "en": {"module": "module", "has": "redes has (with a parity test)",
           "missing": "Keras names redes does not have yet", "none": "none",
           "left": "Keras modules left out", "top": "`keras` (top level)",
           "count": "{present} of {total} Keras names in these modules are present."},
    "es": {"module": "módulo", "has": "redes tiene (con una prueba de paridad)",
           "missing": "Nombres de Keras que redes aún no tiene", "none": "ninguno",
           "left": "Módulos de Keras que quedan fuera", "top": "`keras` (nivel superior)",
           "count": "Están {present} de los {total} nombres de Keras de estos módulos."},
}


def public_names(module) -> list[str]:
    """The public names of a Keras module: ``dir()`` without ``_`` names and submodules."""
    return sorted(n for n in dir(module) if not n.startswith("_")
                  and type(getattr(module, n)).__name__ != "module")


def tested_names(tests: Path = ROOT / "tests" / "nn") -> set[str]:
    """Every identifier and string that the parity tests (test modules comparing against
    Keras) name."""
    names: set[str] = set()
    for path in tests.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if not re.search(r"^\s*import keras\b|importorskip\(\"keras\"\)|import_keras\(",
                         source, re.M):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def _module(root, dotted: str):
    for part in filter(None, dotted.split(".")):
        root = getattr(root, part, None)
        if root is None:
            return None
    return root


def compare(keras, redes_nn, tested: set[str]) -> list[tuple[str, list[str], list[str]]]:
    """For each module: (module, names present and tested, Keras names missing)."""
    rows = []
    for dotted in MODULES:
        theirs, ours = _module(keras, dotted), _module(redes_nn, dotted)
        names = public_names(theirs)
        present = [n for n in names if ours is not None and hasattr(ours, n) and n in tested]
        rows.append((dotted, present, [n for n in names if n not in present]))
    return rows


def render(rows, lang: str) -> str:
    """The generated part of one page, in its language."""
    w = WORDS[lang]
    present = sum(len(p) for _, p, _ in rows)
    total = present + sum(len(m) for _, _, m in rows)
    lines = [START, "", w["count"].format(present=present, total=total), "",
             f"| {w['module']} | {w['has']} |", "|---|---|"]
    for dotted, have, _ in rows:
        name = f"`keras.{dotted}`" if dotted else w["top"]
        lines.append(f"| {name} | {', '.join(f'`{n}`' for n in have) or w['none']} |")
    lines += ["", f"**{w['missing']}:**", ""]
    for dotted, _, missing in rows:
        if missing:
            name = f"`keras.{dotted}`" if dotted else w["top"]
            lines.append(f"- {name}: {', '.join(f'`{n}`' for n in missing)}")
    lines += ["", f"**{w['left']}:**", ""]
    for names, reasons in LEFT_OUT.items():
        reason = reasons[0] if lang == "en" else reasons[1]
        lines.append(f"- {', '.join(f'`keras.{n}`' for n in names.split(', '))}: {reason}")
    return "\n".join([*lines, "", END])


def updated(page: Path, block: str) -> str:
    text = page.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{page}: no {START} ... {END} markers to write the table between")
    return pattern.sub(lambda _match: block, text)


def main(argv: list[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = importlib.import_module("keras")
    import redes.nn

    rows = compare(keras, redes.nn, tested_names())
    stale = []
    for lang, page in PAGES.items():
        text = updated(page, render(rows, lang))
        if text != page.read_text(encoding="utf-8"):
            stale.append(page)
            if "--check" not in argv:
                page.write_text(text, encoding="utf-8")
    if "--check" in argv and stale:
        print("out of date (run python docs/guide/keras_names.py):",
              ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
