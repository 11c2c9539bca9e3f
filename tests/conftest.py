"""Shared fixtures: the seed articles and a deterministic generator of prose.

The generator makes long, distinct paragraphs from a fixed vocabulary of
pseudo-words (no two paragraphs share a word), so tests can build copies,
excerpts and rolling stories whose overlaps are known exactly.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

SEED_IDS = (
    "000_68aecc16d4db32ab.txt",
    "001_86997ac36c104c62.txt",
    "002_58e187858871e751.txt",
    "003_f17e34197052f82b.txt",
    "004_fe8099629fd8fa10.txt",
)

_SYLLABLES = (
    "ka lo mi ren tu vos bar del fin gor hal jun kel mar nor pel quin ros sal tar ul ven wil yor zan"
).split()


def vocabulary(seed: int = 7) -> list[str]:
    """15,625 distinct three-syllable pseudo-words in a fixed shuffled order."""
    words = ["".join(parts) for parts in itertools.product(_SYLLABLES, repeat=3)]
    order = np.random.RandomState(seed).permutation(len(words))
    return [words[i] for i in order]


class ProseMaker:
    """Hands out paragraphs of never-before-used words: ``make(40)`` -> one sentence."""

    def __init__(self, seed: int = 7) -> None:
        self._words = vocabulary(seed)
        self._next = 0

    def words(self, count: int) -> list[str]:
        chunk = self._words[self._next : self._next + count]
        if len(chunk) < count:
            raise RuntimeError("vocabulary exhausted")
        self._next += count
        return chunk

    def make(self, count: int = 40) -> str:
        words = self.words(count)
        return (" ".join(words)).capitalize() + "."


SCRAPE_DEV = ROOT.parent / "shared" / "data" / "scrape_dev.jsonl"


def dev_corpus() -> Path:
    """../shared/data/scrape_dev.jsonl (skips when missing; fails under CI=true)."""
    if not SCRAPE_DEV.exists():
        message = f"{SCRAPE_DEV} not found: the dev corpora are expected in ../shared/data beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SCRAPE_DEV


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def prose() -> ProseMaker:
    return ProseMaker()


@pytest.fixture(scope="session")
def postgres_server():  # noqa: ANN201
    """A real PostgreSQL server for the session (fails, never skips, when missing)."""
    from postgres_server import PostgresServer

    try:
        server = PostgresServer()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


_DATABASES = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def index_location(request, tmp_path):  # noqa: ANN001, ANN201
    """Where a fresh index lives: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    server = request.getfixturevalue("postgres_server")
    return server.database(f"test_{os.getpid()}_{next(_DATABASES)}")


def chromium_path() -> str:
    """The headless Chromium the browser tests drive (fails, never skips, when missing)."""
    import shutil

    for name in (os.environ.get("DEDUP_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    pytest.fail(
        "Chromium not found: the HTML report tests drive a real headless Chromium. Install it with "
        "'bash .ci/system-packages' (apt-get install chromium), or set DEDUP_CHROMIUM to its path"
    )


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    """A real headless Chromium, driven through Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[test]'")
    executable = chromium_path()
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def spark():  # noqa: ANN201
    """A real local[2] Spark session (fails, never skips, without Java or pyspark)."""
    import shutil

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
