"""Running the ``dedup`` command in tests.

- :func:`run` calls the CLI's ``main(argv)`` in this process with its own stdin, stdout
  and stderr (as click's ``CliRunner`` does): the same parsing, code paths, output bytes
  and exit codes as the command, without a new interpreter and kernel loading per call.
- :func:`run_process` starts the real command in a child process, for what only a
  process shows: the console script, ``python -m dedup``, exit statuses, signals,
  ``PYTHONHASHSEED``, resource limits and memory peaks.

Every wait on a child has :data:`HANG_GUARD` as its limit: a hang fails the test
instead of the CI run; it is never a speed check.
"""

from __future__ import annotations

import io
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.support.paths import ROOT

HANG_GUARD = 600.0
"""Seconds a child process or a wait may take before the test fails as hung."""


@dataclass
class Completed:
    """What a command run in process left: its exit code and its output bytes."""

    args: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes


def run(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> Completed:
    """``dedup ARGS`` in this process, with ``stdin`` (empty by default) in ``cwd``.

    Usage errors (argparse's ``SystemExit``) give their exit code, as the process would.
    An exception the CLI does not handle propagates: it is a bug, and fails the test.
    """
    from dedup.cli import main

    stdout, stderr = io.BytesIO(), io.BytesIO()
    streams = sys.stdin, sys.stdout, sys.stderr
    previous = os.getcwd()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(stdout, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(stderr, encoding="utf-8", errors="backslashreplace", write_through=True)
    os.chdir(cwd)
    try:
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = _exit_status(exit)
        sys.stdout.flush()
        sys.stderr.flush()
        return Completed(list(args), code, stdout.getvalue(), stderr.getvalue())
    finally:
        os.chdir(previous)
        sys.stdin, sys.stdout, sys.stderr = streams


def _exit_status(exit: SystemExit) -> int:
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    print(exit.code, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1


def dedup_command() -> list[str]:
    """The command line that starts dedup in a child: this interpreter, ``-m dedup``."""
    return [sys.executable, "-m", "dedup"]


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without ``PYTHONHASHSEED`` (children draw their own), plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    base.update(env or {})
    return base


def run_process(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    command: Sequence[str] | None = None,
) -> subprocess.CompletedProcess:
    """``dedup ARGS`` in a child process (``python -m dedup``, or ``command``), stdin empty
    or given, ``PYTHONHASHSEED`` only if given in ``env``."""
    return subprocess.run(
        [*(command or dedup_command()), *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd,
        env=child_env(env),
        timeout=HANG_GUARD,
    )


def read_until(stream: IO[bytes], marker: bytes, timeout: float = HANG_GUARD) -> bytes:
    """Read a child's pipe until ``marker`` has appeared (a state to wait for, not a time);
    returns what was read. Fails when the pipe closes first or after ``timeout`` seconds."""
    seen = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while marker not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError(f"{marker!r} did not appear within {timeout:.0f} s; read so far: {seen[-500:]!r}")
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"the stream closed before {marker!r} appeared; read: {seen[-500:]!r}")
            seen += chunk
    return seen


def out(proc: Completed | subprocess.CompletedProcess) -> str:
    return proc.stdout.decode("utf-8")


def err(proc: Completed | subprocess.CompletedProcess) -> str:
    return proc.stderr.decode("utf-8")


def assert_clean_error(proc: Completed | subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, ``error: ...`` on stderr naming every fragment, nothing on stdout, no traceback."""
    stderr = err(proc)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("error: "), stderr
    assert out(proc) == ""
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)
