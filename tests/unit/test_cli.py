"""The command line, run in process through ``main(argv)``: outputs, options and errors.

The console script, exit statuses of a real process and hash seeds:
``tests/integration/test_console.py``."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import assert_clean_error, err, out, run
from tests.support.paths import SEED_IDS, SEEDS

MEMBER_FIELDS = {"id", "published", "site", "headline", "jaccard", "containment", "canonical_containment", "relation"}


def seeds_as_jsonl() -> bytes:
    lines = [
        json.dumps({"id": name, "text": (SEEDS / name).read_text(encoding="utf-8")})
        for name in SEED_IDS
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def clusters_of(data: dict) -> list[tuple[str, list[str]]]:
    return [(c["canonical"], sorted(m["id"] for m in c["members"])) for c in data["clusters"]]


@pytest.fixture(scope="module")
def seeds_json() -> bytes:
    proc = run("report", "seeds/", "--format", "json")
    assert proc.returncode == 0, err(proc)
    return proc.stdout


# --- success paths ---------------------------------------------------------------------------


def test_report_text_names_the_cluster():
    proc = run("report", "seeds/")
    assert proc.returncode == 0, err(proc)
    assert err(proc) == ""
    text = out(proc)
    assert text.count("cluster ") == 1
    assert f"canonical: {SEED_IDS[2]}: most complete body" in text
    assert f"* {SEED_IDS[2]}" in text
    assert SEED_IDS[1] in text and "near" in text
    for singleton in (SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]):
        assert singleton not in text
    assert "5 articles: 1 clusters holding 1 duplicates, 3 singletons, 0 rejected" in text


def test_report_json_shape(seeds_json):
    data = json.loads(seeds_json)
    assert set(data) == {"stats", "clusters", "rejected", "too_short", "contains"}
    assert data["contains"] == []
    assert data["stats"] == {
        "articles": 5,
        "clusters": 1,
        "duplicates": 1,
        "rejected": 0,
        "singletons": 3,
    }
    assert data["rejected"] == []
    (cluster,) = data["clusters"]
    assert cluster["canonical"] == SEED_IDS[2]
    assert cluster["size"] == len(cluster["members"]) == 2
    assert cluster["cluster_id"].startswith("c") and len(cluster["cluster_id"]) == 17
    assert "most complete" in cluster["reason"]
    for member in cluster["members"]:
        assert MEMBER_FIELDS <= set(member)
    assert [m["id"] for m in cluster["members"]] == [SEED_IDS[2], SEED_IDS[1]]
    assert cluster["members"][0]["relation"] == "canonical"
    assert cluster["members"][1]["relation"] == "near"
    assert 0.0 < cluster["members"][1]["jaccard"] <= cluster["members"][1]["containment"] <= 1.0
    # Plain files have no title, source, URL or date: the copy's headline is its page's headline line.
    assert [(m["published"], m["site"]) for m in cluster["members"]] == [(None, None), (None, None)]
    assert cluster["members"][0]["headline"] is None  # the canonical's page opens with its body
    assert cluster["members"][1]["headline"] == "Azerbaijan's President hosts Israeli Defense Minister in Baku"


def test_stdin_jsonl_gives_the_same_clusters(seeds_json):
    proc = run("report", "-", "--format", "json", stdin=seeds_as_jsonl())
    assert proc.returncode == 0, err(proc)
    assert clusters_of(json.loads(proc.stdout)) == clusters_of(json.loads(seeds_json))
    assert json.loads(proc.stdout)["stats"] == json.loads(seeds_json)["stats"]


def test_json_is_byte_identical_across_runs(seeds_json):
    again = run("report", "seeds/", "--format", "json")
    assert again.returncode == 0, err(again)
    assert again.stdout == seeds_json


def test_threshold_option_is_applied():
    proc = run("report", "seeds/", "--format", "json", "--threshold", "1.0")
    assert proc.returncode == 0, err(proc)
    # 001 is 99% (not 100%) inside 002: no copy at threshold 1.
    assert json.loads(proc.stdout)["clusters"] == []


def test_config_file_is_applied(tmp_path):
    config = tmp_path / "dedup.toml"
    config.write_text('[canonical]\npolicy = ["smallest_id"]\n', encoding="utf-8")
    proc = run("report", "seeds/", "--format", "json", "--config", str(config))
    assert proc.returncode == 0, err(proc)
    (cluster,) = json.loads(proc.stdout)["clusters"]
    assert cluster["canonical"] == SEED_IDS[1]
    assert "smallest id" in cluster["reason"]


def test_rejections_are_listed_and_exit_zero(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "a", "text": "Some text here that is fine."}\n{oops\n', encoding="utf-8"
    )
    proc = run("report", str(feed), "--format", "json")
    assert proc.returncode == 0, err(proc)
    data = json.loads(proc.stdout)
    (rejection,) = data["rejected"]
    assert set(rejection) == {"id", "reason", "origin"}
    assert rejection["id"] == rejection["origin"] == f"{feed}:2"
    assert rejection["reason"].startswith("not valid JSON")
    assert data["stats"] == {
        "articles": 2,
        "clusters": 0,
        "duplicates": 0,
        "rejected": 1,
        "singletons": 1,
    }


def test_version():
    proc = run("--version")
    assert proc.returncode == 0
    assert out(proc).startswith("dedup ")


# --- errors ------------------------------------------------------------------------------------


def test_missing_path(tmp_path):
    assert_clean_error(
        run("report", str(tmp_path / "missing")), "missing: no such file or directory"
    )


def test_empty_directory(tmp_path):
    assert_clean_error(run("report", str(tmp_path)), "no .txt, .md or .html files found")


def test_jsonl_with_no_usable_line(tmp_path):
    feed = tmp_path / "bad.jsonl"
    feed.write_text('not json\n{"id": 3}\n', encoding="utf-8")
    assert_clean_error(
        run("report", str(feed)),
        f"{feed}:1: not valid JSON",
        f"no line of {feed} is a usable article",
    )


def test_empty_stdin():
    assert_clean_error(run("report", "-"), "<stdin>: no records")


def test_bad_config_value(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[verify]\nthreshold = 2\n", encoding="utf-8")
    assert_clean_error(
        run("report", "seeds/", "--config", str(config)), "verify.threshold", "got 2"
    )


def test_config_unknown_key(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[verify]\nthreshhold = 0.5\n", encoding="utf-8")
    assert_clean_error(
        run("report", "seeds/", "--config", str(config)), "unknown setting verify.threshhold"
    )


def test_config_unknown_table(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[verfy]\nthreshold = 0.5\n", encoding="utf-8")
    assert_clean_error(
        run("report", "seeds/", "--config", str(config)), "unknown table or key 'verfy'"
    )


def test_config_not_toml(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("verify = \n", encoding="utf-8")
    assert_clean_error(run("report", "seeds/", "--config", str(config)), "not valid TOML")


def test_config_missing(tmp_path):
    assert_clean_error(
        run("report", "seeds/", "--config", str(tmp_path / "nope.toml")), "config file not found"
    )


def test_config_is_a_directory(tmp_path):
    assert_clean_error(run("report", "seeds/", "--config", str(tmp_path)), str(tmp_path))


@pytest.mark.parametrize("value", ["1.5", "0", "-0.2", "abc", "nan"])
def test_bad_threshold_exit_code_and_message(value):
    proc = run("report", "seeds/", "--threshold", value)
    stderr = err(proc)
    assert proc.returncode == 2
    assert "Traceback" not in stderr
    assert "error: argument --threshold" in stderr
    assert repr(value) in stderr
    assert out(proc) == ""


def test_bad_threshold_stderr_starts_with_error():
    assert_clean_error(run("report", "seeds/", "--threshold", "1.5"), "1.5")


def test_no_traceback_for_any_bad_input(tmp_path):
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    cases = [
        (("report", str(binary)), 2),  # nothing usable left: an error naming the file
        (("report", str(latin)), 2),
        (("report", str(csv)), 2),
        (("report",), 2),
        (("bogus-command",), 2),
        (("report", "seeds/", "--format", "xml"), 2),
    ]
    for args, code in cases:
        proc = run(*args)
        assert proc.returncode == code, (args, err(proc))
        assert "Traceback" not in err(proc), args


def test_lone_binary_file_is_an_error_naming_the_file(tmp_path):
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    proc = run("report", str(binary), "--format", "json")
    assert proc.returncode == 2
    assert not proc.stdout
    assert err(proc).startswith("error: no usable article")
    assert str(binary) in err(proc) and "binary" in err(proc)


def test_binary_file_beside_good_articles_is_listed_as_rejected(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "good.txt").write_text("The council approved the budget on Tuesday after a long debate.", encoding="utf-8")
    proc = run("report", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, err(proc)
    data = json.loads(proc.stdout)
    assert data["stats"] == {"articles": 2, "clusters": 0, "duplicates": 0, "rejected": 1, "singletons": 1}
    assert data["rejected"][0]["id"] == "bin.txt" and "binary" in data["rejected"][0]["reason"]


def test_progress_goes_to_stderr_and_leaves_stdout_alone(seeds_json):
    proc = run("report", "seeds/", "--format", "json", "--progress")
    assert proc.returncode == 0, err(proc)
    assert proc.stdout == seeds_json
    assert f"{len(SEED_IDS)} articles read and prepared" in err(proc)
    assert f"[{'#' * 24}] 100% " in err(proc)  # a bar: the folder's size is known
    last = err(proc).rstrip("\n").split("\n")[-1]
    assert last.startswith(f"dedup: {len(SEED_IDS)} articles: 1 clusters holding 1 duplicates, 3 singletons, 0 rejected (")
    for flag in ("--no-progress", "--quiet"):
        quiet = run("report", "seeds/", "--format", "json", "--progress", flag) if flag == "--quiet" else run(
            "report", "seeds/", "--format", "json", flag
        )
        assert quiet.stdout == seeds_json
        assert err(quiet) == ""


def test_report_to_a_file_is_written_whole(tmp_path, seeds_json):
    target = tmp_path / "report.json"
    proc = run("report", "seeds/", "--format", "json", "-o", str(target))
    assert proc.returncode == 0 and proc.stdout == b""
    assert target.read_bytes() == seeds_json
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left beside it


def test_an_unwritable_output_path_is_a_clear_error():
    for target in ("/proc/report.json", "/proc/self/report.json"):  # not writable, even for root
        proc = run("report", "seeds/", "-o", target)
        assert proc.returncode in (1, 2), err(proc)
        assert err(proc).startswith("error: ") and target in err(proc) and "Traceback" not in err(proc)
    proc = run("filter", "seeds/", "-o", "/dev/null/kept")
    assert proc.returncode == 2 and "does not exist" in err(proc), err(proc)


def test_a_report_into_a_pipe_or_through_a_link_writes_there_and_replaces_nothing(tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run("report", "seeds/", "--format", "json", "-o", str(fifo))
    reader.join(timeout=60)  # a hang guard
    assert proc.returncode == 0, err(proc)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not a file renamed over it
    assert clusters_of(json.loads(received[0]))  # and the report came through it

    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert run("report", "seeds/", "--format", "json", "-o", str(link)).returncode == 0
    assert link.is_symlink() and clusters_of(json.loads(real.read_text(encoding="utf-8")))
