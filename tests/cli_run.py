"""Helpers for running the real ``dedup`` command in a subprocess (shared by the CLI tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    """``python -m dedup.cli ARGS`` with an empty or given stdin; PYTHONHASHSEED only if given."""
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    if env:
        base_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "dedup.cli", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd,
        env=base_env,
        timeout=60,
    )


def out(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.decode("utf-8")


def err(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode("utf-8")


def assert_clean_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, ``error: ...`` on stderr naming every fragment, nothing on stdout, no traceback."""
    stderr = err(proc)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("error: "), stderr
    assert out(proc) == ""
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)
