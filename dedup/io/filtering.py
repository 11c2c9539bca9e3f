"""The deduplicated output: the kept records in the input's format, and a decision per record.

Example:
    >>> import pathlib, tempfile
    >>> from dedup import deduplicate
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> feed = folder / "feed.jsonl"
    >>> text = "The city council approved the new budget on Tuesday after a long debate."
    >>> _ = feed.write_text(f'{{"id": "a", "text": "{text}"}}\\n{{"id": "b", "text": "{text}"}}\\n')
    >>> files = ArticleFiles([feed])
    >>> summary = write_filtered(files, deduplicate(files), folder / "kept.jsonl", folder / "decisions.jsonl")
    >>> summary.kept, summary.duplicates, (folder / "kept.jsonl").read_text().count("\\n")
    (1, 1, 1)
"""

from __future__ import annotations

import json
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from dedup.io.decisions import decide
from dedup.io.files import atomic_output
from dedup.io.readers import ArticleFiles
from dedup.io.writers import check_output, common_format, write_kept
from dedup.models import Result


@dataclass(frozen=True)
class FilterSummary:
    """What a filter run wrote: ``records = kept + duplicates + rejected``."""

    records: int
    kept: int
    duplicates: int
    rejected: int
    output: Path
    decisions: Path | None

    def line(self) -> str:
        """A one-line account for the terminal."""
        where = f"; decisions in {self.decisions}" if self.decisions else ""
        return (
            f"dedup: {self.records:,} records: {self.kept:,} kept, {self.duplicates:,} duplicates dropped, "
            f"{self.rejected:,} rejected; wrote {self.output}{where}"
        )


def write_filtered(files: ArticleFiles, result: Result, out: Path, decisions: Path | None = None) -> FilterSummary:
    """Write the kept records of ``files`` to ``out`` (and every decision to ``decisions``).

    Both files appear only when both are complete.

    Args:
        files: The input the result was computed from (read again here).
        result: The deduplication result.
        out: The output file (or folder, for article files), in the input's format.
        decisions: Where to write one JSON decision per input record, if wanted.

    Raises:
        InputError: The inputs mix formats, or ``out`` does not fit their format.
        RuntimeError: The input changed since the result was computed.
    """
    check_output(out, common_format(files.paths))
    counts: Counter[str] = Counter()
    kept: set[str] = set()
    with ExitStack() as stack:
        sink = None
        if decisions is not None:
            temporary = stack.enter_context(atomic_output(decisions))
            sink = stack.enter_context(temporary.open("w", encoding="utf-8"))
        for decision in decide(result, files):
            counts[decision.decision] += 1
            if decision.decision == "kept" and decision.origin is not None:
                kept.add(decision.origin)
            if sink is not None:
                sink.write(json.dumps(decision.as_dict(), ensure_ascii=False) + "\n")
        if sink is not None:
            sink.close()
        stdin = files.stdin() if "-" in map(str, files.paths) else None
        written = write_kept(files.paths, kept, out, stdin)
        if written != counts["kept"]:
            raise RuntimeError(f"wrote {written} records but {counts['kept']} were kept; did the input change?")
    return FilterSummary(
        records=sum(counts.values()), kept=counts["kept"], duplicates=counts["duplicate"],
        rejected=counts["rejected"], output=out, decisions=decisions,
    )
