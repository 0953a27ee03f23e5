"""The notebooks speak Spanish by default, whatever the computer's locale; REDES_LANG=en
chooses English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def _first_code_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    return "\n".join(line for line in source.splitlines() if not line.startswith("%"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("redes_lang, expected", [(None, "es"), ("en", "en")])
def test_the_first_cell_chooses_spanish_unless_redes_lang_says_otherwise(path, redes_lang,
                                                                         expected):
    env = {k: v for k, v in os.environ.items() if k not in ("REDES_LANG", "LANGUAGE",
                                                             "LC_ALL", "LC_MESSAGES")}
    env.update({"LANG": "en_US.UTF-8", "REDES_ENGINE": "numpy", "MPLBACKEND": "Agg",
                "PYTHONPATH": os.pathsep.join([str(path.parent), *sys.path])})
    if redes_lang:
        env["REDES_LANG"] = redes_lang
    code = _first_code_cell(path) + "\nfrom redes.i18n import get_language\nprint(get_language())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=path.parent, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected
