"""The real command in child processes: what only a process shows.

- the installed console script and ``python -m dedup`` print what ``main(argv)`` prints;
- exit statuses 0 and 2 of a real process, with ``error: ...`` and no traceback;
- the same bytes whatever ``PYTHONHASHSEED`` the interpreter draws (report, index
  verdicts, the simulator's corpus).

Everything else about the command line is tested in process (``tests/unit``).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import simulator
from tests.support.cli import HANG_GUARD, assert_clean_error, child_env, err, out, run, run_process
from tests.support.paths import BBC, ROOT, dev_corpus, shared_file

pytestmark = pytest.mark.slow

HASH_SEEDS = ("0", "4242")


def test_console_script_and_module_print_what_main_prints() -> None:
    script = shutil.which("dedup")
    if script is None:
        pytest.fail("the dedup console script is not on PATH: pip install -e '.[test]' installs it")
    in_process = run("report", "seeds/", "--format", "json")
    assert in_process.returncode == 0, err(in_process)
    for command in ([script], [sys.executable, "-m", "dedup"], [sys.executable, "-m", "dedup.cli"]):
        proc = run_process("report", "seeds/", "--format", "json", command=command)
        assert proc.returncode == 0, err(proc)
        assert proc.stdout == in_process.stdout, command


def test_exit_statuses_of_a_real_process(tmp_path: Path) -> None:
    version = run_process("--version")
    assert version.returncode == 0 and out(version).startswith("dedup ")
    assert_clean_error(run_process("report", "seeds/", "--threshold", "1.5"), "argument --threshold", "'1.5'")
    assert_clean_error(run_process("bogus-command"), "invalid choice")
    assert_clean_error(run_process("report", str(tmp_path / "missing")), "missing: no such file or directory")
    assert_clean_error(run_process("report", "-"), "<stdin>: no records")


def test_report_is_byte_identical_across_hash_seeds_and_input_orders(tmp_path: Path) -> None:
    lines = dev_corpus().read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("".join(lines), encoding="utf-8")
    for inputs in (["seeds/"], [str(dev_corpus())], [str(shuffled)]):
        expected = run("report", *inputs, "--format", "json")
        assert expected.returncode == 0, err(expected)
        for seed in HASH_SEEDS:
            proc = run_process("report", *inputs, "--format", "json", env={"PYTHONHASHSEED": seed})
            assert proc.returncode == 0, err(proc)
            assert proc.stdout == expected.stdout, (inputs, seed)
    assert json.loads(expected.stdout)["stats"]["clusters"] > 0


def test_an_index_fed_the_same_stream_says_the_same_across_hash_seeds(tmp_path: Path) -> None:
    lines = dev_corpus().read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(7).shuffle(lines)
    feed = tmp_path / "shuffled.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    verdicts = []
    for number, seed in enumerate(HASH_SEEDS):
        proc = run_process("index", "add", "--db", str(tmp_path / f"news{number}.db"), str(feed),
                           env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, err(proc)
        verdicts.append(out(proc))
    assert verdicts[0] == verdicts[1]
    assert any(json.loads(line)["status"] == "duplicate" for line in verdicts[0].splitlines())


def test_the_simulated_corpus_does_not_depend_on_the_hash_seed() -> None:
    bbc = shared_file(BBC)
    code = (
        "from tests.support import simulator\n"
        f"print(simulator.simulate({str(bbc)!r}, n_stories=40, seed=11).digest())\n"
    )
    digests = set()
    for seed in HASH_SEEDS:
        proc = subprocess.run(
            [sys.executable, "-c", code], env=child_env({"PYTHONHASHSEED": seed}), cwd=ROOT,
            capture_output=True, text=True, timeout=HANG_GUARD,
        )
        assert proc.returncode == 0, proc.stderr
        digests.add(proc.stdout.strip())
    assert digests == {simulator.simulate(bbc, n_stories=40, seed=11).digest()}
