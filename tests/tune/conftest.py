"""Fixtures of the tuner tests: a private runs folder, and a PostgreSQL server of our own.

The server is started with the PostgreSQL binaries of this machine (``initdb``, ``pg_ctl``)
in a temporary folder, listening on 127.0.0.1 on a free port, and stopped at the end. As
root the binaries run as the ``postgres`` user (PostgreSQL refuses to run as root). Without
the binaries or the psycopg2 driver the PostgreSQL tests are skipped, saying why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def runs_folder(tmp_path, monkeypatch):
    """Every test writes its runs and studies in its own folder."""
    root = tmp_path / "runs"
    monkeypatch.setenv("REDES_RUNS", str(root))
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on."""
    return free_port()


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))  # Debian, Ubuntu
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_url():
    """The URL of a fresh PostgreSQL database on 127.0.0.1, for this test session."""
    pytest.importorskip("psycopg2", reason="PostgreSQL tests need psycopg2: "
                                           "pip install psycopg2-binary")
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL tests need the server binaries (initdb, pg_ctl): "
                    "apt-get install postgresql")
    prefix, owner = [], None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' user to run the server as")
        prefix = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="redes-postgres-"))  # reachable by 'postgres'
    data = folder / "data"
    if owner:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "redes",
                    "--no-sync"], check=True, capture_output=True)
    options = f"-p {port} -h 127.0.0.1 -k {folder} -F"
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l",
                    str(folder / "server.log"), "-w", "-t", "60", "start"], check=True,
                   capture_output=True)
    try:
        import psycopg2

        for _ in range(50):
            try:
                connection = psycopg2.connect(host="127.0.0.1", port=port, user="redes",
                                              dbname="postgres", connect_timeout=5)
                break
            except psycopg2.OperationalError:
                time.sleep(0.2)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE tune")
        connection.close()
        yield f"postgresql://redes@127.0.0.1:{port}/tune"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
