"""Where the test data lives: the seeds in the checkout, the dev corpora in ``../shared/data``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"
SCRAPE_DEV = SHARED_DATA / "scrape_dev.jsonl"
BBC = SHARED_DATA / "bbc.jsonl"

SEED_IDS = (
    "000_68aecc16d4db32ab.txt",
    "001_86997ac36c104c62.txt",
    "002_58e187858871e751.txt",
    "003_f17e34197052f82b.txt",
    "004_fe8099629fd8fa10.txt",
)


def shared_file(path: Path) -> Path:
    """A dev corpus in ../shared/data: skips when it is missing, fails under ``CI=true``."""
    if not path.exists():
        message = f"{path} not found: the dev corpora are expected in ../shared/data beside the checkout"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def dev_corpus() -> Path:
    """../shared/data/scrape_dev.jsonl (skips when missing; fails under CI=true)."""
    return shared_file(SCRAPE_DEV)
