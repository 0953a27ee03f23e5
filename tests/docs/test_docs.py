"""The documentation works as written.

* The guides come in two languages with the same pages: every ``docs/guide/es/X.md`` has a
  ``docs/guide/en/X.md`` and the other way round, and the two pages of a pair show the same
  code blocks in the same order: the same language tags and the same code, compared after
  dropping comments (``#`` comments of python and shell blocks, found with ``tokenize`` and
  ``shlex``), so each page may comment its code in its own language while the code itself
  stays the same. Other blocks (```text output, ```json) must be identical. The Spanish
  README has exactly the same code blocks as the English one.
* Every fenced ```python block of README.md and of the English guides runs: the blocks of
  one page run in order in one fresh interpreter (as a reader would type them), in a
  temporary folder, with private data and runs folders and ``REDES_QUICK=1``. The Spanish
  pages have the same code (checked above), so they are not run a second time. A block whose
  first line is ``# doc: skip (reason)`` is not run; such blocks need a reason and stay rare
  (only for what needs internet or a server), counted once per pair of pages. The blocks of
  one page must run within ``PAGE_SECONDS``: examples stay small (few epochs, or they read
  ``REDES_QUICK``).
* Every ``redes`` command of a ```bash block names a command that exists (``redes <command
  ...> --help`` succeeds), and runs: the commands of one page run in order, as a reader would
  type them in one terminal, in a fresh folder with the same private folders and environment
  as the python blocks (run pages in parallel, ``PARALLEL_PAGES`` at a time, from the start of
  this module; the Spanish pages show the same commands, checked above). Each must exit with
  code 0, or with the code a ``# doc: exits N`` comment gives. The rules of that terminal:

  - A line is split as a POSIX shell splits it (comments dropped; ``&&``, ``;``, ``|`` and
    ``&`` separate commands, which run one after the other). ``~`` is a home folder of the
    page, ``$NAME`` and ``${NAME}`` are expanded, and glob patterns (``runs/wine-*``) match
    files of the page's folder (a pattern that matches nothing stays as it is, as in bash).
  - ``export NAME=value`` and ``NAME=value`` set variables for the commands after them,
    ``NAME=value redes ...`` for that command only; ``cd DIR`` enters a folder the page made.
    Nothing else runs (``pip``, ``python``, ``jupyter``, ``tensorboard``...).
  - A run folder the docs name after the pattern ``redes train`` prints
    (``runs/wine-numpy-20261125-024706``: recipe, engine, date and time) stands for the latest
    run of that recipe and engine in that folder, trained by the commands before it: a
    reader uses the name their own training printed, and the pages keep real-looking names.
    No such run is an error of the page.
  - ``redes train --resume RUN`` resumes a run the reader stopped with Ctrl+C: the test first
    starts ``redes train RECIPE --engine ENGINE`` (from RUN's name), sends it Ctrl+C once it
    has saved an epoch and expects exit code 130, and then resumes that run.
  - The servers (``redes playground``, ``redes board``) start on a free port (instead of the
    one shown) without opening a browser, must answer HTTP, and are stopped with Ctrl+C.
  - The files a reader brings are in place: ``wines.csv`` (the file the command-line guide
    shows), ``my_recipe.json`` (a playground export), and tiny copies of the Keras files of
    MNIST, Fashion-MNIST, IMDB and Reuters in ``~/Downloads`` (the writer of
    tests/notebooks). The examples are kept small (a few epochs or trials) so that each
    command takes seconds: ``REDES_QUICK`` does not shorten the ``redes`` commands.
  - A command that cannot run here (it needs a GPU, or a database server) ends its line with
    ``# doc: not run (reason)``; the same lines carry it in both languages, and such lines
    stay rare (``MAX_NOT_RUN``). A documented command that fails because of a bug of redes
    goes in ``KNOWN_BUGS``: its page goes on, and an xfail(strict=True) test notices the fix.

  Output shown in the pages goes in ```text blocks, which are not parsed.
* Every relative link and image of the pages exists (and so does the heading a ``#anchor``
  of a link to a page points to), and the guides' figures are the ones make_figures.py
  draws.
"""

from __future__ import annotations

import glob
import importlib.util
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import sysconfig
import textwrap
import time
import tokenize
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
SPANISH, ENGLISH = GUIDE / "es", GUIDE / "en"
GUIDE_PAGES = {"README.md", "cli.md", "engine.md", "recipes.md", "data.md", "results.md",
               "playground.md", "tuning.md", "architecture.md"}
PAGES = [ROOT / "README.md", ROOT / "README.es.md", *sorted(GUIDE.glob("*.md")),
         *sorted(SPANISH.glob("*.md")), *sorted(ENGLISH.glob("*.md"))]
# The Spanish pages repeat the code of their English pair (see the tests of consistency):
# their code is run and checked once, through the English page.
TRANSLATIONS = {ROOT / "README.es.md", *SPANISH.glob("*.md")}
RUN_PAGES = [p for p in PAGES if p not in TRANSLATIONS]
SKIP = re.compile(r"^#\s*doc:\s*skip\b(.*)$")
MAX_SKIPS = 3           # counted once per pair of pages
PAGE_SECONDS = 300      # the examples of one page must run within this time
SHELLS = ("bash", "sh", "shell", "console")


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
    assert {"README.md", "README.es.md"} <= names
    assert GUIDE_PAGES <= {p.name for p in SPANISH.glob("*.md")}
    assert GUIDE_PAGES <= {p.name for p in ENGLISH.glob("*.md")}
    assert [p.name for p in GUIDE.glob("*.md")] in ([], ["README.md"]), (
        "the guides live in docs/guide/es and docs/guide/en; docs/guide holds only an index")


def _skipped(block: Block) -> bool:
    return bool(block.code.strip()) and bool(SKIP.match(block.code.lstrip().splitlines()[0]
                                                        .strip()))


def _isolated_env(tmp_path: Path, work: Path) -> dict:
    """The environment of the examples of a page: private data and runs folders under
    ``tmp_path`` (runs in ``work/runs``), quick examples, no windows for figures."""
    env = {**os.environ, "REDES_QUICK": "1", "MPLBACKEND": "Agg",
           "KERAS_HOME": str(tmp_path / "keras_home"), "REDES_HOME": str(tmp_path / "home"),
           "REDES_RUNS": str(work / "runs"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("REDES_ENGINE", None)
    return env


@pytest.mark.parametrize("page", [p for p in RUN_PAGES if any(
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
    env = _isolated_env(tmp_path, work)
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
    skipped = [b.where for page in RUN_PAGES for b in blocks(page)
               if b.language == "python" and _skipped(b)]
    assert len(skipped) <= MAX_SKIPS, f"too many skipped blocks: {skipped}"


# ------------------------------------------------------------------------- bash blocks
NOT_RUN = re.compile(r"(?:^|\s)#.*?\bdoc:\s*not run\b(.*)$")
EXITS = re.compile(r"(?:^|\s)#.*?\bdoc:\s*exits\s+(\d+)")
MAX_NOT_RUN = 4         # lines marked `# doc: not run (reason)`, counted once per pair of pages
OPERATORS = ("&&", "||", ";", "|", "&")
SERVERS = ("playground", "board")   # commands that serve until Ctrl+C
COMMAND_SECONDS = 600   # a guard against a hang; the examples take seconds (a minute at most)
SERVER_SECONDS = 120    # time a server gets to answer HTTP
PARALLEL_PAGES = 2      # pages whose commands run at the same time
RUN_NAME = re.compile(r"^(?P<recipe>[A-Za-z0-9][A-Za-z0-9_.]*)-(?P<engine>numpy|keras)-"
                      r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
# Commands the docs show that fail because of a bug of redes: {"page:line": "the bug"}. Their
# page goes on past them, and test_known_bugs_are_still_there expects them to work, as an
# xfail(strict=True): once the bug is fixed, that test fails, and the entry goes.
KNOWN_BUGS: dict[str, str] = {}


@dataclass(frozen=True)
class Command:
    """One command of a line of a shell block (``a && b`` holds two)."""
    where: str                  # page:line
    words: tuple[str, ...]      # as the shell splits them, comments dropped, not expanded
    not_run: str | None = None  # what follows "doc: not run" in the line's comment
    exits: int = 0              # the exit code the docs show (`# doc: exits N`), else 0

    @property
    def assignments(self) -> tuple[str, ...]:
        """The ``NAME=value`` words before the command."""
        n = 0
        while n < len(self.words) and _ASSIGNMENT.match(self.words[n]):
            n += 1
        return self.words[:n]

    @property
    def argv(self) -> tuple[str, ...]:
        return self.words[len(self.assignments):]

    @property
    def is_redes(self) -> bool:
        return self.argv[:1] == ("redes",)

    def __str__(self) -> str:
        return " ".join(map(shlex.quote, self.words))


def shell_commands(page: Path) -> list[Command]:
    """The commands of the shell blocks of a page, in order."""
    out = []
    for block in blocks(page):
        if block.language not in SHELLS:
            continue
        pending, first = "", 0
        for offset, line in enumerate(block.code.splitlines(), 1):
            line = line.strip().removeprefix("$ ")
            if line.endswith("\\"):             # a command continued on the next line
                pending, first = pending + line[:-1] + " ", first or offset
                continue
            line, number, pending, first = pending + line, first or offset, "", 0
            where = f"{block.page.relative_to(ROOT)}:{block.line + number}"
            marker, exits = NOT_RUN.search(line), EXITS.search(line)
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            words = []
            for word in [*lexer, ";"]:
                if word not in OPERATORS:
                    words.append(word)
                elif words:
                    out.append(Command(where, tuple(words),
                                       marker.group(1).strip() if marker else None,
                                       int(exits.group(1)) if exits else 0))
                    words = []
    return out


def _redes_commands():
    """A param (argv after `redes`) for every `redes ...` command of a shell block."""
    return [pytest.param(list(c.argv[1:]), id=f"{c.where}: {' '.join(c.argv)}")
            for page in RUN_PAGES for c in shell_commands(page) if c.is_redes]


COMMANDS = _redes_commands()
COMMAND_PAGES = [p for p in RUN_PAGES if any(c.is_redes for c in shell_commands(p))]


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
        pytest.fail(f"the docs show `redes {' '.join(argv)}`, but `redes {path[0]}` is not a "
                    f"command; commands: {', '.join(sorted(group.commands))}")
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_commands_not_run_are_few_and_say_why():
    marked = [c for page in RUN_PAGES for c in shell_commands(page) if c.not_run is not None]
    for command in marked:
        assert command.is_redes, (f"{command.where}: `doc: not run` marks a command that is "
                                  f"not run anyway: {command}")
        assert re.fullmatch(r"\(.+\)", command.not_run), (
            f"{command.where}: say why the command is not run: # doc: not run (reason)")
    assert len(marked) <= MAX_NOT_RUN, (
        "too many commands not run: " + ", ".join(f"{c.where} {c}" for c in marked))


# The files a reader brings to the commands of the docs, written in the folder of every page
# before its commands run. wines.csv is the file the command-line guide shows (three wines of
# the dataset); ~/Downloads holds the Keras files `redes data add` registers, my_recipe.json
# is a network exported by the playground, and ~/course/runs is the other runs folder that
# `redes runs --runs` reads.
WINES = """\
14.23,1.71,2.43,15.6,127,2.8,3.06,0.28,2.29,5.64,1.04,3.92,1065
12.33,1.1,2.28,16,101,2.05,1.09,0.63,0.41,3.27,1.25,1.67,680
12.86,1.35,2.32,18,122,1.51,1.25,0.21,0.94,4.1,0.76,1.29,630
"""


def test_wines_csv_is_the_file_the_guide_shows():
    for page in (ENGLISH / "cli.md", SPANISH / "cli.md"):
        assert WINES in [b.code + "\n" for b in blocks(page) if b.language == "text"], page


def _course_datasets():
    """write_course_datasets of tests/notebooks/conftest.py: tiny files in Keras' formats."""
    path = ROOT / "tests" / "notebooks" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_docs_course_datasets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_course_datasets


def _reader_files(work: Path, home: Path) -> None:
    from redes.playground import export
    from redes.playground.session import Session

    (work / "wines.csv").write_text(WINES, encoding="utf-8")
    (work / "my_recipe.json").write_text(json.dumps(export.recipe(Session()), indent=1),
                                         encoding="utf-8")
    _course_datasets()(home / "Downloads", imdb_train=10_100)   # redes data add checks it
    (home / "course" / "runs").mkdir(parents=True, exist_ok=True)


def _redes() -> list[str]:
    """How to start the `redes` command of this Python."""
    if importlib.util.find_spec("redes.__main__"):
        return [sys.executable, "-m", "redes"]
    script = Path(sysconfig.get_path("scripts")) / "redes"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "redes.cli"]


# Start a command with SIGINT at its default, as in a terminal (a process started in the
# background of a script inherits SIGINT ignored, and then Ctrl+C could not stop it).
_CTRL_C_WORKS = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, "
                 "signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"]


def _ctrl_c(process: subprocess.Popen, sig=signal.SIGINT) -> None:
    """Ctrl+C (or another signal) to a command started in its own process group, as a
    terminal sends it: to the command and to the processes it started."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


@dataclass
class Outcome:
    """What one command did."""
    command: Command
    ran: str                    # the command line that ran (expanded), or why it did not
    code: int | None = None
    seconds: float = 0.0
    stdout: str = ""            # stdout and stderr together for servers and Ctrl+C
    stderr: str = ""
    problem: str | None = None  # why it counts as a failure
    before: bool = False        # a step the reader took before the command (Ctrl+C)

    def report(self) -> str:
        text = f"{self.command.where}: {self.problem}\n  as shown: {self.command}\n"
        if not (self.stdout or self.stderr) and self.code is None:
            return text + f"  not started: {self.ran}"
        text += f"  ran:      {self.ran}\n  exit code {self.code} after {self.seconds:.1f} s"
        for name, lines, output in (("stdout", 20, self.stdout), ("stderr", 30, self.stderr)):
            if output.strip():
                text += (f"\n  last lines of {name}:\n"
                         + textwrap.indent(_tail(output, lines), "  | "))
        return text


class _Terminal:
    """A reader's terminal for the commands of one page: its folder, its variables (with
    `export`), `~` (a home folder of the page), and the `redes` commands run for real."""

    def __init__(self, root: Path):
        self.root, self.home, self.cwd = root, root / "user", root / "work"
        self.cwd.mkdir(parents=True)
        self.env = _isolated_env(root, self.cwd)
        self.variables: dict[str, str] = {}
        self.logs = 0
        _reader_files(self.cwd, self.home)

    # ---- expansion, as bash does it
    def _value(self, name: str) -> str:
        return self.variables.get(name, self.env.get(name, ""))

    def expand(self, word: str, pattern: bool = True) -> list[str]:
        if word == "~" or word.startswith("~/"):
            word = str(self.home) + word[1:]
        word = re.sub(r"\$(?:\{(\w+)\}|(\w+))", lambda m: self._value(m[1] or m[2]), word)
        if pattern and any(c in word for c in "*?["):
            found = sorted(glob.glob(word, root_dir=self.cwd))
            if found:
                return found
        return [word]

    def _assign(self, word: str) -> tuple[str, str]:
        name, _, value = word.partition("=")
        return name, self.expand(value, pattern=False)[0]

    def resolve_run(self, word: str) -> str:
        """A run folder the docs name (`runs/wine-numpy-20261125-024706`) stands for the
        latest run of that recipe and engine in that folder."""
        path = Path(word)
        match = RUN_NAME.match(path.name)
        if not match or (self.cwd / path).exists():
            return word
        folder = self.cwd / path.parent
        runs = [p for p in folder.glob(f"{match['recipe']}-{match['engine']}-*")
                if p.is_dir() and RUN_NAME.match(p.name)]
        if not runs:
            raise LookupError(f"{word} names a run of {match['recipe']} on {match['engine']}, "
                              f"but the commands before it on the page trained none in "
                              f"{folder}")

        def newest(p):
            m = RUN_NAME.match(p.name)
            return m["stamp"], int(m["n"] or 0)

        return str(path.parent / max(runs, key=newest).name)

    # ---- running
    def run(self, command: Command) -> list[Outcome]:
        """Run one command of the docs as the reader would; what it did (nothing for lines
        that only set the terminal up, or that are not `redes` commands)."""
        argv = command.argv
        if not argv:                                    # NAME=value
            self.variables.update(self._assign(w) for w in command.assignments)
            return []
        if argv[0] == "export":
            for word in argv[1:]:
                if "=" in word:
                    name, value = self._assign(word)
                    self.env[name] = self.variables[name] = value
            return []
        if argv[0] == "cd" and len(argv) == 2:
            folder = self.cwd / self.expand(argv[1], pattern=False)[0]
            if folder.is_dir():                         # a folder the page made
                self.cwd = folder.resolve()
            return []
        if not command.is_redes:
            return []                                   # pip, python, jupyter, tensorboard...
        if command.not_run is not None:
            return [Outcome(command, f"not run {command.not_run}")]
        env = {**self.env, **dict(self._assign(w) for w in command.assignments)}
        words = [w for word in argv[1:] for w in self.expand(word)]
        done = []
        if words[:1] == ["train"] and "--resume" in words[:-1]:
            run = words[words.index("--resume") + 1]
            match = RUN_NAME.match(Path(run).name)
            if match and not (self.cwd / run).exists():
                done.append(self.interrupted_run(command, env, match["recipe"],
                                                 match["engine"], self.cwd / Path(run).parent))
                if done[-1].problem:
                    return done
        try:
            words = [self.resolve_run(w) for w in words]
        except LookupError as exc:
            return [*done, Outcome(command, "redes " + " ".join(words), problem=str(exc))]
        if words[:1] and words[0] in SERVERS:
            return [*done, self.serve(command, env, words)]
        return [*done, self.call(command, env, words)]

    def call(self, command: Command, env: dict, words: list[str]) -> Outcome:
        shown = "redes " + " ".join(map(shlex.quote, words))
        start = time.monotonic()
        try:
            done = subprocess.run([*_redes(), *words], cwd=self.cwd, env=env, text=True,
                                  capture_output=True, timeout=COMMAND_SECONDS)
        except subprocess.TimeoutExpired as exc:
            out, err = (x.decode(errors="replace") if isinstance(x, bytes) else x or ""
                        for x in (exc.stdout, exc.stderr))
            return Outcome(command, shown, None, time.monotonic() - start, out, err,
                           f"still running after {COMMAND_SECONDS} s: make the example smaller")
        outcome = Outcome(command, shown, done.returncode, time.monotonic() - start,
                          done.stdout, done.stderr)
        if done.returncode != command.exits:
            outcome.problem = f"exit code {done.returncode}, the docs expect {command.exits}"
        return outcome

    def _start(self, env: dict, words: list[str]) -> tuple[subprocess.Popen, Path]:
        self.logs += 1
        log = self.root / f"output-{self.logs}.txt"
        with open(log, "wb") as f:
            process = subprocess.Popen([*_CTRL_C_WORKS, *_redes(), *words], cwd=self.cwd,
                                       env=env, stdout=f, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        return process, log

    def _stop(self, process: subprocess.Popen) -> int | None:
        """Ctrl+C; the exit code, or None when Ctrl+C did not stop the command."""
        _ctrl_c(process)
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            return None
        finally:
            _ctrl_c(process, signal.SIGKILL)            # whatever it left behind
            process.wait()

    def serve(self, command: Command, env: dict, words: list[str]) -> Outcome:
        """A server: start it on a free port (without opening a browser), wait until it
        answers HTTP, then stop it with Ctrl+C."""
        port = _free_port()
        kept = []
        for word in words:                              # drop --port N, --port=N, --open
            if kept and kept[-1] == "--port" and word != "--port":
                kept.pop()
            elif not word.startswith(("--port=", "--open")):
                kept.append(word)
        words = [*kept, "--port", str(port)] + (["--no-open"] if words[0] == "playground"
                                                and "--no-open" not in kept else [])
        shown = "redes " + " ".join(map(shlex.quote, words))
        url, start, status = f"http://127.0.0.1:{port}/", time.monotonic(), None
        process, log = self._start(env, words)
        try:
            while status is None and process.poll() is None:
                if time.monotonic() - start > SERVER_SECONDS:
                    break
                try:
                    with urllib.request.urlopen(url, timeout=5) as answer:
                        status = answer.status
                except urllib.error.HTTPError as answer:
                    status = answer.code
                except OSError:
                    time.sleep(0.25)
            code = process.returncode
        finally:
            stopped = self._stop(process)
        outcome = Outcome(command, shown, code, time.monotonic() - start,
                          log.read_text(errors="replace"))
        if code is not None:
            outcome.problem = f"the server ended (exit code {code}) before answering {url}"
        elif status != 200:
            outcome.problem = (f"{url} answered HTTP {status}" if status else
                               f"{url} did not answer within {SERVER_SECONDS} s")
        elif stopped is None:
            outcome.problem = "Ctrl+C did not stop the server within 30 s"
        return outcome

    def interrupted_run(self, command: Command, env: dict, recipe: str, engine: str,
                        folder: Path) -> Outcome:
        """What the reader did before `redes train --resume RUN`: start `redes train RECIPE`
        and press Ctrl+C once it has saved an epoch (it then exits with code 130)."""
        words = ["train", recipe, "--engine", engine, "--runs", str(folder), "--verbose", "2"]
        shown = "redes " + " ".join(words) + "  (and Ctrl+C after its first epoch)"
        before = set(folder.iterdir()) if folder.is_dir() else set()
        start, code = time.monotonic(), None
        process, log = self._start(env, words)
        try:
            while process.poll() is None and time.monotonic() - start < COMMAND_SECONDS:
                if any(_last_epoch(p) >= 1 for p in folder.glob(f"{recipe}-{engine}-*")
                       if p not in before):
                    break
                time.sleep(0.02)
            code = process.poll()
        finally:
            stopped = self._stop(process)
        outcome = Outcome(command, shown, stopped if code is None else code,
                          time.monotonic() - start, log.read_text(errors="replace"),
                          before=True)
        if outcome.code != 130:
            outcome.problem = (f"the training to resume ended with exit code {outcome.code} "
                               f"instead of 130 (interrupted) after Ctrl+C")
        return outcome


def _last_epoch(run: Path) -> int:
    try:
        return int(json.loads((run / "status.json").read_text())["last_epoch"] or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _run_page(page: Path, root: Path) -> list[Outcome]:
    """Run the commands of a page in order, in a fresh folder; stop at the first failure
    (except a known bug's)."""
    terminal, outcomes = _Terminal(root), []
    for command in shell_commands(page):
        for outcome in terminal.run(command):
            outcomes.append(outcome)
            if outcome.problem and command.where not in KNOWN_BUGS:
                return outcomes
    return outcomes


@pytest.fixture(scope="session", autouse=True)
def page_runs(request, tmp_path_factory, command_timings):
    """The commands of every page selected for test_redes_commands_run, run in the
    background from the start of this module (PARALLEL_PAGES pages at a time), so they
    overlap with the other tests: {page: future of its outcomes}."""
    pages = []
    for item in request.session.items:
        name = getattr(item, "originalname", None)
        if name == "test_redes_commands_run":
            pages.append(item.callspec.params["page"])
        elif name == "test_known_bugs_are_still_there":
            pages.append(ROOT / item.callspec.params["where"].rpartition(":")[0])
    pool = ThreadPoolExecutor(PARALLEL_PAGES, thread_name_prefix="docs-commands")

    def timed(page, root):
        start = time.monotonic()
        outcomes = _run_page(page, root)
        command_timings.append((_id(page), time.monotonic() - start,
                                [(o.command.where, o.seconds, o.ran) for o in outcomes]))
        return outcomes

    futures = {page: pool.submit(timed, page, tmp_path_factory.mktemp(f"commands-{page.stem}"))
               for page in dict.fromkeys(pages)}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("page", COMMAND_PAGES, ids=_id)
def test_redes_commands_run(page, page_runs):
    outcomes = page_runs[page].result()
    failed = [o for o in outcomes if o.problem and o.command.where not in KNOWN_BUGS]
    if failed:
        so_far = "\n".join(f"  {o.seconds:6.1f} s  {o.command.where}  {o.ran}"
                           for o in outcomes[:-1])
        pytest.fail(f"{failed[0].report()}\nthe commands before it:\n{so_far}", pytrace=False)
    expected = [c.where for c in shell_commands(page) if c.is_redes]
    assert [o.command.where for o in outcomes if not o.before] == expected


def test_known_bugs_are_commands_of_the_docs():
    wheres = {c.where for page in COMMAND_PAGES for c in shell_commands(page) if c.is_redes}
    assert set(KNOWN_BUGS) <= wheres, f"not commands of the docs: {set(KNOWN_BUGS) - wheres}"


if KNOWN_BUGS:      # one test per known bug, that fails (strict xfail) once it is fixed
    @pytest.mark.parametrize("where", [
        pytest.param(w, marks=pytest.mark.xfail(strict=True, reason=r))
        for w, r in KNOWN_BUGS.items()])
    def test_known_bugs_are_still_there(where, page_runs):
        page = ROOT / where.rpartition(":")[0]
        outcomes = [o for o in page_runs[page].result() if o.command.where == where]
        assert outcomes, f"{where}: the page stopped before this command"
        assert not any(o.problem for o in outcomes), outcomes[-1].report()


# ------------------------------------------------------------------------ consistency
def test_the_spanish_readme_has_the_same_code_blocks():
    def shown(page):   # the output a command prints (```text) is in the page's language
        return [(b.language, "" if b.language == "text" else b.code) for b in blocks(page)]

    english, spanish = shown(ROOT / "README.md"), shown(ROOT / "README.es.md")
    assert spanish == english, "README.es.md must show the same commands and code as README.md"


def _without_comments(block: Block) -> str:
    """The code of a block without its comments, trailing spaces and blank lines: python
    comments as ``tokenize`` finds them, shell comments as ``shlex`` does (each line becomes
    its words). Other blocks are returned as they are."""
    if block.language == "python":
        cuts = {}
        for token in tokenize.generate_tokens(io.StringIO(block.code).readline):
            if token.type == tokenize.COMMENT:
                cuts[token.start[0]] = token.start[1]
        lines = [line[:cuts.get(number, len(line))].rstrip()
                 for number, line in enumerate(block.code.splitlines(), 1)]
        return "\n".join(line for line in lines if line)
    if block.language in SHELLS:
        lines = []
        for line in block.code.splitlines():
            try:
                words = shlex.split(line, comments=True)
            except ValueError:              # an unbalanced quote: compare the line itself
                words = [line.strip()]
            if words:
                lines.append(" ".join(map(shlex.quote, words)))
        return "\n".join(lines)
    return block.code


def _not_run_lines(block: Block) -> tuple[int, ...]:
    """The lines of a shell block marked ``# doc: not run (reason)``."""
    if block.language not in SHELLS:
        return ()
    return tuple(n for n, line in enumerate(block.code.splitlines()) if NOT_RUN.search(line))


@pytest.mark.parametrize("name", sorted({p.name for p in SPANISH.glob("*.md")}
                                        | {p.name for p in ENGLISH.glob("*.md")}))
def test_each_guide_has_the_same_code_in_both_languages(name):
    spanish, english = SPANISH / name, ENGLISH / name
    assert spanish.exists(), f"docs/guide/en/{name} has no Spanish page docs/guide/es/{name}"
    assert english.exists(), f"docs/guide/es/{name} has no English page docs/guide/en/{name}"

    def shown(page):   # the output a command prints (```text) is in the page's language
        return [(b.language, _skipped(b), _not_run_lines(b),
                 "" if b.language == "text" else _without_comments(b)) for b in blocks(page)]

    es, en = shown(spanish), shown(english)
    for i, (a, b) in enumerate(zip(es, en, strict=False)):
        assert a == b, (f"code block {i + 1} differs between es/{name} and en/{name} "
                        f"(comments aside, but not `doc: skip` and `doc: not run` markers):"
                        f"\n--- es\n{a[3]}\n--- en\n{b[3]}")
    assert len(es) == len(en), (f"es/{name} has {len(es)} code blocks and en/{name} "
                                f"{len(en)}")

    def figures(page):
        return re.findall(r"img/([\w-]+)\.png", page.read_text(encoding="utf-8"))

    assert figures(spanish) == figures(english), f"es/{name} and en/{name} show other figures"


def _slugs(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of a page (``#`` lines outside code blocks)."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    slugs, seen = set(), {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        slugs.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return slugs


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_relative_links_and_images_exist(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        assert path.exists(), f"{page.name}: the link {target} points to nothing"
        if anchor and path.suffix == ".md" and path.is_relative_to(ROOT / "docs" / "guide"):
            assert anchor in _slugs(path), (
                f"{_id(page)}: the link {target} points to no heading of {_id(path)}")


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
        text = page.read_text(encoding="utf-8")
        used |= set(re.findall(r"img/([\w-]+)\.png", text))
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
            assert (page.parent / target).resolve().parent == GUIDE / "img", (
                f"{_id(page)}: the figure {target} is not in docs/guide/img")
    assert used <= images, f"pages show figures that are missing: {used - images}"


def test_make_figures_draws_a_figure(tmp_path, monkeypatch):
    module = _make_figures()
    monkeypatch.setattr(module, "IMG", tmp_path)
    path = module.datos_2d()
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
