"""Shared fixtures, one of each expensive thing per test run: a PostgreSQL server, a
Chromium, a Spark session and the generated corpora.

Tiers (see CONTRIBUTING.md): tests under ``tests/integration`` carry the
``integration`` marker; tests marked ``slow`` (large corpora, end-to-end runs in child
processes) are left out of the fast loop, ``pytest -m "not slow"``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import HANG_GUARD
from tests.support.corpus import GeneratedCorpus, generate
from tests.support.paths import SEEDS
from tests.support.prose import ProseMaker

_INTEGRATION = Path(__file__).resolve().parent / "integration"


_SHARED = {"spark": "spark", "browser": "chromium", "postgres_server": "postgres"}
"""Fixtures of one expensive thing per run -> the xdist group whose tests one worker runs."""


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark integration tests, and put the users of each expensive shared thing in one
    xdist group, so that under ``-n`` one worker starts it once (``--dist loadgroup``)."""
    for item in items:
        if _INTEGRATION in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgres" in (callspec.params.get("index_location"), callspec.params.get("backend")):
            names.add("postgres_server")
        groups = sorted(_SHARED[name] for name in names & _SHARED.keys())
        if groups:
            item.add_marker(pytest.mark.xdist_group("+".join(groups)))


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def prose() -> ProseMaker:
    return ProseMaker()


_CORPORA: dict[tuple[int, int, float], GeneratedCorpus] = {}


@pytest.fixture(scope="session")
def generated() -> Callable[..., GeneratedCorpus]:
    """``generated(n, seed, copy_share=0.1)``: a generated corpus, made once per test run."""

    def make(n: int, seed: int, copy_share: float = 0.1) -> GeneratedCorpus:
        key = (n, seed, copy_share)
        if key not in _CORPORA:
            _CORPORA[key] = generate(n, seed=seed, copy_share=copy_share)
        return _CORPORA[key]

    return make


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """A real PostgreSQL server for the session (fails, never skips, when missing)."""
    from tests.support.postgres import PostgresServer

    try:
        server = PostgresServer()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


_DATABASES = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def index_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh index lives: a SQLite file, or a new database on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    server = request.getfixturevalue("postgres_server")
    return str(server.database(f"test_{os.getpid()}_{next(_DATABASES)}"))


def chromium_path() -> str:
    """The headless Chromium the browser tests drive (fails, never skips, when missing)."""
    for name in (os.environ.get("DEDUP_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    pytest.fail(
        "Chromium not found: the HTML report tests drive a real headless Chromium. Install it with "
        "'bash .ci/system-packages' (apt-get install chromium), or set DEDUP_CHROMIUM to its path"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium, driven through Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[test]'")
    executable = chromium_path()
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=executable, timeout=HANG_GUARD * 1000,
            # No background traffic: this machine's network is closed, and a test page fetches nothing.
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """A real local[2] Spark session (fails, never skips, without Java or pyspark)."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.fail("Java not found: Spark needs Java 17+. Install it with 'bash .ci/system-packages' "
                    "(apt-get install default-jre-headless), or set JAVA_HOME")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.fail("pyspark is missing: pip install -e '.[test]'")
    session = (
        SparkSession.builder.master("local[2]").appName("dedup-tests")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4").config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
