"""A real PostgreSQL server for the tests: initdb + pg_ctl into a temporary folder,
on a free port of 127.0.0.1, stopped at the end of the session.

The server binaries come from the distribution's package (``apt-get install
postgresql``; ``.ci/run`` installs it when missing). Without them the tests that
need the server fail with that instruction: they never skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.support.cli import HANG_GUARD

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found; install them with "
    "'apt-get install -y postgresql' (bash .ci/run does this), or put them on PATH"
)


def server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """A throw-away PostgreSQL cluster; :attr:`url` connects as superuser ``postgres``."""

    def __init__(self) -> None:
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError(INSTALL_HINT)
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="dedup-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_user = self._drop_root()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w",
                  "-t", str(int(HANG_GUARD)), "start")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _drop_root(self) -> Callable[[], None] | None:
        """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
        if os.geteuid() != 0:
            return None
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no 'postgres' user to run the server as; "
                               "'apt-get install -y postgresql' creates it") from None
        shutil.chown(self.folder, user.pw_uid, user.pw_gid)

        def demote() -> None:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)

        return demote

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.binaries / program), *args], capture_output=True, text=True, preexec_fn=self._as_user,
            cwd=self.folder, timeout=HANG_GUARD,
        )
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()} {tail}")

    def database(self, name: str) -> str:
        """Create a fresh database and return its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", str(int(HANG_GUARD)), "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
