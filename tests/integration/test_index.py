"""The persistent index, on a real SQLite file and a real PostgreSQL server.

Every behaviour test runs on both backends (``index_location``); the PostgreSQL
server is started by the ``postgres_server`` fixture and the tests fail, never
skip, when it cannot be started.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from dedup import Article, DedupConfig, Deduplicator, Rejection
from dedup.errors import StorageError
from dedup.index import Index
from dedup.models import Verdict
from tests.support.payloads import SQL_IDS
from tests.support.prose import ProseMaker

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def story(prose):  # noqa: ANN001, ANN201
    """A five-paragraph story and a shorter copy of it (its first two paragraphs)."""
    paragraphs = [prose.make(40) for _ in range(5)]
    return "\n\n".join(paragraphs), "\n\n".join(paragraphs[:2])


def test_first_copy_is_new_and_later_copies_are_duplicates_of_it(index_location, story):
    full, short = story
    with Index(index_location) as index:
        first = index.add(Article("a-short", short))
        second = index.add(Article("b-short", short))
        tie = index.add(Article("0-short", short))
    assert (first.status, first.canonical_id, first.stored) == ("new", "a-short", True)
    assert second.status == "duplicate" and second.cluster_id == first.cluster_id
    assert (second.matched, second.relation, second.jaccard, second.supersedes) == ("a-short", "exact", 1.0, None)
    assert second.canonical_id == "a-short" and not second.keep and first.keep
    # Identical copies tie on every rule: the smallest id is canonical, as in a batch run.
    assert (tie.canonical_id, tie.supersedes) == ("0-short", "a-short") and "smallest id" in tie.reason


def test_a_fuller_version_supersedes_the_canonical_and_the_cluster_id_stays(index_location, story):
    full, short = story
    with Index(index_location) as index:
        first = index.add(Article("short", short))
        fuller = index.add(Article("full", full))
        later = index.add(Article("short-again", short))
        clusters = index.clusters()
    assert fuller.status == "duplicate" and fuller.supersedes == "short" and fuller.canonical_id == "full"
    assert fuller.cluster_id == first.cluster_id and fuller.keep
    assert fuller.relation == "excerpt" and fuller.matched_containment == 1.0 and fuller.containment == pytest.approx(0.4, abs=0.05)
    assert "most complete body" in fuller.reason
    assert later.matched == "full" and later.canonical_id == "full" and later.cluster_id == first.cluster_id
    assert [(c.cluster_id, c.canonical, [m.id for m in c.members]) for c in clusters] == [
        (first.cluster_id, "full", ["full", "short", "short-again"])
    ]


def test_check_answers_like_add_without_storing(index_location, story):
    full, short = story
    with Index(index_location) as index:
        index.add(Article("full", full))
        before = index.stats()
        checked = index.check(Article("copy", short))
        assert index.stats()["articles"] == before["articles"] == 1
        added = index.add(Article("copy", short))
    assert checked.stored is False and added.stored is True
    assert {**checked.as_dict(), "stored": True} == added.as_dict()


def test_independent_stories_stay_apart(index_location, prose):
    with Index(index_location) as index:
        verdicts = index.add_many(Article(f"s{i}", "\n\n".join(prose.make(40) for _ in range(3))) for i in range(5))
        assert [v.status for v in verdicts] == ["new"] * 5
        assert len({v.cluster_id for v in verdicts}) == 5 and index.clusters() == []


def test_the_index_survives_a_reopen_and_keeps_its_settings(index_location, story):
    full, short = story
    config = DedupConfig().with_options(threshold=0.6)
    with Index(index_location, config) as index:
        cluster = index.add(Article("full", full)).cluster_id
    with Index(index_location) as index:
        assert index.config == config
        assert index.add(Article("short", short)).cluster_id == cluster
    with pytest.raises(StorageError, match=r"built with other settings \(verify.threshold 0.6 != 0.7\)"):
        Index(index_location, DedupConfig().with_options(threshold=0.7))


def test_bad_input_gives_a_rejected_verdict_and_leaves_the_index_unchanged(index_location, story):
    full, _ = story
    with Index(index_location) as index:
        index.add(Article("full", full))
        before = (index.stats()["articles"], index.stats()["disk_bytes"] if "sqlite" in index_location else 0)
        verdicts = index.add_many(
            [
                Article("blank", "   \n  "),
                Article("junk", "Share on Facebook\nMenu\n© 2024 Daily News"),
                Rejection("feed.jsonl:3", "not valid JSON: Expecting value", "feed.jsonl:3"),
                Article("full", full),  # the id is taken
            ]
        )
        assert [v.status for v in verdicts] == ["rejected"] * 4
        assert "empty text" in verdicts[0].reason and "no article text left" in verdicts[1].reason
        assert verdicts[2].id == "feed.jsonl:3" and "already in the index" in verdicts[3].reason
        assert all(not v.stored and v.cluster_id is None for v in verdicts)
        assert index.stats()["articles"] == before[0] == 1


def test_removing_the_canonical_elects_the_best_remaining_copy(index_location, story, prose):
    full, short = story
    middle = "\n\n".join(full.split("\n\n")[:4])
    with Index(index_location) as index:
        cluster = index.add(Article("short", short)).cluster_id
        index.add(Article("middle", middle))
        index.add(Article("full", full))
        assert index.remove("full") is True and index.remove("full") is False
        [remaining] = index.clusters()
        assert (remaining.cluster_id, remaining.canonical) == (cluster, "middle")
        assert index.remove("middle") and index.remove("short")
        assert index.clusters() == [] and index.stats()["articles"] == 0


def test_a_cluster_id_in_use_is_never_given_to_another_story(index_location, story, prose):
    full, short = story
    with Index(index_location) as index:
        cluster = index.add(Article("short", short)).cluster_id
        index.add(Article("full", full))  # joins the story and becomes its canonical
        index.remove("short")  # the story keeps its id, now that of a removed article
        other = index.add(Article("short", prose.make(60)))
        assert other.status == "new" and other.cluster_id != cluster
        assert index.check(Article("copy", full)).cluster_id == cluster


def test_a_removed_story_leaves_no_trace_in_matching(index_location, story):
    full, short = story
    with Index(index_location) as index:
        index.add(Article("full", full))
        index.remove("full")
        assert index.check(Article("short", short)).status == "new"


def test_expire_removes_articles_published_before_a_date(index_location, prose):
    texts = ["\n\n".join(prose.make(40) for _ in range(3)) for _ in range(3)]
    with Index(index_location) as index:
        index.add(Article("old", texts[0], published=T0 - timedelta(days=40)))
        index.add(Article("recent", texts[1], published=T0))
        index.add(Article("undated", texts[2]))  # added now: counts as recent
        assert index.expire(T0 - timedelta(days=30)) == 1
        assert index.check(Article("old-copy", texts[0])).status == "new"
        assert index.check(Article("recent-copy", texts[1])).status == "duplicate"
        assert index.stats()["articles"] == 2
        assert index.expire(datetime.now(timezone.utc) + timedelta(days=1)) == 2


def test_a_window_matches_only_articles_published_close_together(index_location, story):
    full, _ = story
    windowed = DedupConfig().with_options(window_days=7)
    with Index(index_location, windowed) as index:
        index.add(Article("monday", full, published=T0))
        assert index.check(Article("sunday", full, published=T0 + timedelta(days=6))).status == "duplicate"
        assert index.check(Article("next-month", full, published=T0 + timedelta(days=30))).status == "new"
        assert index.check(Article("undated", full)).status == "duplicate"


def test_window_applies_in_batch_runs_too(story):
    full, _ = story
    articles = [Article("a", full, published=T0), Article("b", full, published=T0 + timedelta(days=30))]
    assert len(Deduplicator(DedupConfig().with_options(window_days=7)).run(articles).clusters) == 0
    assert len(Deduplicator().run(articles).clusters) == 1


def test_adding_one_by_one_equals_adding_many(index_location, tmp_path, seeds_dir):
    from dedup import read_articles

    articles = list(read_articles([seeds_dir]))
    with Index(index_location) as index:
        many = index.add_many(articles)
    with Index(tmp_path / "one.db") as index:
        single = [index.add(a) for a in articles]
    assert [v.as_dict() for v in many] == [v.as_dict() for v in single]


def test_the_verdict_is_json_ready():
    verdict = Verdict("a", "duplicate", "c1", "b", "b", 0.9, 0.95, 0.9, "near", None, "b: reason", True)
    assert json.loads(json.dumps(verdict.as_dict()))["relation"] == "near"


def test_a_missing_folder_or_a_non_index_file_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="does not exist; create it first"):
        Index(tmp_path / "missing" / "news.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite index"):
        Index(junk)


def test_an_unreachable_postgres_server_is_a_clear_error():
    with pytest.raises(StorageError, match="cannot connect to PostgreSQL at postgresql://someone@127.0.0.1:1/x"):
        Index("postgresql://someone:secret@127.0.0.1:1/x")


def test_two_open_indexes_on_one_file_see_each_others_articles(tmp_path, story):
    full, short = story
    location = tmp_path / "shared.db"
    with Index(location) as first, Index(location) as second:
        assert second.check(Article("probe", short)).status == "new"  # loads its key map
        first.add(Article("full", full))
        assert second.check(Article("probe", short)).status == "duplicate"  # sees the new row
        assert second.add(Article("short", short)).matched == "full"
        assert first.check(Article("probe", short)).canonical_id == "full"


def test_a_failed_write_leaves_no_trace_in_the_index_or_its_key_map(tmp_path, story, monkeypatch):
    full, short = story
    with Index(tmp_path / "news.db") as index:
        store = index._store

        def fail(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise OSError("disk full")

        monkeypatch.setattr(store, "set_cluster", fail)
        with pytest.raises(OSError, match="disk full"):
            index.add(Article("full", full))
        monkeypatch.undo()
        assert index.stats()["articles"] == 0
        assert index.check(Article("short", short)).status == "new"
        assert index.add(Article("full", full)).status == "new"
        assert index.add(Article("short", short)).status == "duplicate"


def test_many_processes_creating_one_index_at_once_agree_on_its_settings(index_location: str) -> None:
    """Regression: two workers opening a fresh PostgreSQL index together both inserted its
    settings, and the second failed on the meta table's key."""
    import threading

    opened: list[DedupConfig] = []
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def open_index(threshold: float) -> None:
        try:
            start.wait()
            with Index(index_location, DedupConfig().with_options(threshold=threshold)) as index:
                opened.append(index.config)
        except BaseException as exc:  # noqa: BLE001 - collected and checked below
            failures.append(exc)

    threads = [threading.Thread(target=open_index, args=(0.5,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(opened) == 6
    with Index(index_location) as index:
        assert index.config.verify.threshold == 0.5


def test_sql_payload_ids_are_stored_and_removed_as_plain_text(index_location: str) -> None:
    prose = ProseMaker(seed=31)
    with Index(index_location) as index:
        for article_id in SQL_IDS:
            assert index.add(Article(article_id, "\n\n".join(prose.make(40) for _ in range(2)))).status == "new"
        assert index.stats()["articles"] == len(SQL_IDS)
        assert index.remove(SQL_IDS[0]) and not index.remove(SQL_IDS[0])
        assert index.stats()["articles"] == len(SQL_IDS) - 1
    with Index(index_location) as index:  # the settings (meta) and the tables are intact
        assert index.stats()["articles"] == len(SQL_IDS) - 1
