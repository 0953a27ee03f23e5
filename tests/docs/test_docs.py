"""The documentation works as written.

* Every fenced ```python block of README.md, README.es.md and docs/guide/*.md runs: the
  blocks of one page run in order in one fresh interpreter (as a reader would type them),
  in a temporary folder, with private data and runs folders and ``REDES_QUICK=1``. A block
  whose first line is ``# doc: skip (reason)`` is not run; such blocks need a reason and
  stay rare (only for what needs internet or a server). The blocks of one page must run
  within ``PAGE_SECONDS``: examples stay small (few epochs, or they read ``REDES_QUICK``).
* Every command line of a ```bash block that starts with ``redes`` names a command that
  exists: ``redes <command ...> --help`` succeeds. Nothing else of those blocks (installs,
  servers) is run.
* The Spanish README has the same code blocks as the English one, every relative link and
  image of the pages exists, and the guides' figures are the ones make_figures.py draws.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
PAGES = [ROOT / "README.md", ROOT / "README.es.md", *sorted(GUIDE.glob("*.md"))]
SKIP = re.compile(r"^#\s*doc:\s*skip\b(.*)$")
MAX_SKIPS = 3
PAGE_SECONDS = 300      # the examples of one page must run within this time
# Commands announced in the docs while they are being added to the CLI: a missing one is
# reported as a skip, not a failure, until it lands.
PLANNED = {"train", "evaluate", "predict", "runs", "compare", "report", "recipes", "data",
           "tune", "board"}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int           # line of the opening fence, counting from 1
    language: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page."""
    out, language, start, body = [], None, 0, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        fence = re.match(r"^\s*(```+|~~~+)\s*([\w+-]*)", line)
        if language is None and fence:
            language, start, body = fence.group(2).lower(), number, []
        elif language is not None and re.match(r"^\s*(```+|~~~+)\s*$", line):
            out.append(Block(page, start, language, textwrap.dedent("\n".join(body))))
            language = None
        elif language is not None:
            body.append(line)
    assert language is None, f"{page.name}:{start}: a code block is never closed"
    return out


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ----------------------------------------------------------------------- python blocks
_RUNNER = """
import json, sys, traceback
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for block in blocks:
    print(f"--- running {block['where']}", flush=True)
    try:
        exec(compile(block["code"], block["where"], "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print(f"FAILED: the python block at {block['where']}", file=sys.stderr)
        sys.exit(1)
"""


def test_every_page_is_found():
    names = {p.name for p in PAGES}
    assert {"README.md", "README.es.md", "motor.md", "recetas.md", "playground.md",
            "datos.md"} <= names


@pytest.mark.parametrize("page", [p for p in PAGES if any(
    b.language == "python" for b in blocks(p))], ids=_id)
def test_python_blocks_run(page, tmp_path):
    runnable, skipped = [], []
    for block in blocks(page):
        if block.language != "python":
            continue
        first = block.code.lstrip().splitlines()[0] if block.code.strip() else ""
        marker = SKIP.match(first.strip())
        if marker:
            assert re.match(r"\s*\(.+\)", marker.group(1)), (
                f"{block.where}: write why the block is skipped: # doc: skip (reason)")
            skipped.append(block)
        else:
            runnable.append({"where": block.where, "code": block.code})
    assert runnable, f"{page.name}: every python block is skipped"
    script = tmp_path / "blocks.json"
    script.write_text(json.dumps(runnable), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "REDES_QUICK": "1", "MPLBACKEND": "Agg",
           "KERAS_HOME": str(tmp_path / "keras_home"), "REDES_HOME": str(tmp_path / "home"),
           "REDES_RUNS": str(work / "runs"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("REDES_ENGINE", None)
    try:
        done = subprocess.run([sys.executable, "-c", _RUNNER, str(script)], cwd=work, env=env,
                              capture_output=True, text=True, timeout=PAGE_SECONDS)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{page.name}: the python blocks took more than {PAGE_SECONDS} s; keep "
                    f"examples small (few epochs, or read REDES_QUICK). Last output:\n"
                    f"{(exc.stdout or b'')[-2000:]!r}")
    assert done.returncode == 0, (
        f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    assert done.stdout.count("--- running") == len(runnable)


def test_skipped_python_blocks_are_rare():
    skipped = [b.where for page in PAGES for b in blocks(page)
               if b.language == "python" and b.code.strip()
               and SKIP.match(b.code.lstrip().splitlines()[0].strip())]
    assert len(skipped) <= MAX_SKIPS, f"too many skipped blocks: {skipped}"


# ------------------------------------------------------------------------- bash blocks
def _redes_commands():
    """(page, block, argv after `redes`) for every `redes ...` command in a bash block."""
    out = []
    for page in PAGES:
        for block in blocks(page):
            if block.language not in ("bash", "sh", "shell", "console"):
                continue
            for offset, line in enumerate(block.code.splitlines(), 1):
                line = line.strip().removeprefix("$ ")
                for part in re.split(r"&&|\|\||;|\|", line):
                    words = shlex.split(part, comments=True)
                    if words and words[0] == "redes":
                        where = f"{block.page.relative_to(ROOT)}:{block.line + offset}"
                        out.append(pytest.param(words[1:], id=f"{where}: {' '.join(words)}"))
    return out


COMMANDS = _redes_commands()


def test_the_docs_show_redes_commands():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("argv", COMMANDS)
def test_redes_command_exists(argv):
    import typer
    from typer.testing import CliRunner

    from redes.cli import app

    path = []
    for word in argv:
        if word.startswith("-"):
            break
        path.append(word)
    group = typer.main.get_command(app)
    if path and path[0] not in group.commands:
        if path[0] in PLANNED:
            pytest.skip(f"`redes {path[0]}` is announced in the docs and not there yet")
        pytest.fail(f"the docs show `redes {' '.join(argv)}`, but `redes {path[0]}` is not a "
                    f"command; commands: {', '.join(sorted(group.commands))}")
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


# ------------------------------------------------------------------------ consistency
def test_the_spanish_readme_has_the_same_code_blocks():
    english = [(b.language, b.code) for b in blocks(ROOT / "README.md")]
    spanish = [(b.language, b.code) for b in blocks(ROOT / "README.es.md")]
    assert spanish == english, "README.es.md must show the same commands and code as README.md"


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_relative_links_and_images_exist(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.name}: the link {target} points to nothing"


def _make_figures():
    spec = importlib.util.spec_from_file_location("make_figures", GUIDE / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_figure_of_the_guides_is_drawn_by_make_figures():
    module = _make_figures()
    drawn = {f.__name__ for f in module.FIGURES}
    images = {p.stem for p in (GUIDE / "img").glob("*.png")}
    assert images, "docs/guide/img holds no figures: run python docs/guide/make_figures.py"
    assert images <= drawn, f"figures no function of make_figures.py draws: {images - drawn}"
    used = set()
    for page in PAGES:
        used |= set(re.findall(r"img/([\w-]+)\.png", page.read_text(encoding="utf-8")))
    assert used <= images, f"pages show figures that are missing: {used - images}"


def test_make_figures_draws_a_figure(tmp_path, monkeypatch):
    module = _make_figures()
    monkeypatch.setattr(module, "IMG", tmp_path)
    path = module.datos_2d()
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
