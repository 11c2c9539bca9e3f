"""Benchmark fixtures: the shared dev data and a collector that prints the quality
tables at the end of the run (``pytest benchmarks/ -s`` shows them inline too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import postgres_server, spark  # noqa: F401  (the tests' real PostgreSQL and Spark)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TABLES: list[str] = []


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Benchmarks run one at a time in this process (the project's ``-n auto`` gives 0 workers
    here): timings taken beside parallel workers would measure the neighbours."""
    return 0


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; fails (never skips) when it is missing."""
    if not (SHARED / "bbc.jsonl").exists():
        pytest.fail(f"{SHARED} is missing: clone the repo beside ../shared (the dev corpora live there)")
    return SHARED


@pytest.fixture(scope="session")
def report_table():  # noqa: ANN201
    """Call with a Markdown table, or a row of the one given before; all tables are
    printed in the terminal summary."""
    return TABLES.append


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    for table in TABLES:
        if not table.startswith("|"):  # a row of the table above goes right under it
            terminalreporter.write_line("")
        for line in table.splitlines():
            terminalreporter.write_line(line)
