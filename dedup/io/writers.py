"""Writers of a filtered copy of the input, in the input's own format.

The input is read again and the records to keep are copied as they are: JSONL lines
byte for byte, CSV rows cell for cell under the same header, Parquet rows with the
same schema, and article files (text or HTML pages) as files under their ids. A
record is picked by its origin (``FILE:line``, ``FILE:row N`` or the file path), the
name the readers gave it.

Output is atomic (see :func:`dedup.io.files.atomic_output`).
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import IO, Any

from dedup.errors import InputError
from dedup.io.files import atomic_output, open_bytes
from dedup.io.readers import JSONL_SUFFIXES, input_format, page_files
from dedup.io.tables import csv_rows, open_csv_text, open_parquet

_OUTPUT_NAMES = {
    "jsonl": (JSONL_SUFFIXES + tuple(s + ".gz" for s in JSONL_SUFFIXES), "kept.jsonl"),
    "csv": ((".csv", ".csv.gz"), "kept.csv"),
    "parquet": ((".parquet",), "kept.parquet"),
}


def common_format(paths: Sequence[str | Path]) -> str:
    """The one format of all inputs (see :func:`dedup.io.readers.input_format`).

    Raises:
        InputError: The inputs mix formats.
    """
    kinds = {str(p): input_format(p) for p in paths}
    distinct = sorted(set(kinds.values()))
    if len(distinct) > 1:
        listing = ", ".join(f"{p} is {k}" for p, k in kinds.items())
        raise InputError(f"the inputs mix formats ({listing}); filter one format at a time")
    return distinct[0]


def check_output(out: Path, kind: str) -> None:
    """Raise InputError unless ``out`` can hold output of format ``kind``."""
    if kind == "files":
        if out.exists() and not out.is_dir():
            raise InputError(f"{out}: the input is article files, so the output is a folder; {out} is a file")
        return
    suffixes, example = _OUTPUT_NAMES[kind]
    if not out.name.lower().endswith(suffixes):
        raise InputError(
            f"{out}: the output is written in the input's format ({kind}); name it with "
            f"{' or '.join(suffixes)}, e.g. {example}"
        )
    if out.is_dir():
        raise InputError(f"{out} is a folder; give a file name such as {example}")


def write_kept(
    paths: Sequence[str | Path], kept: Collection[str], out: Path, stdin: IO[bytes] | None = None
) -> int:
    """Copy the records whose origin is in ``kept`` from ``paths`` to ``out``.

    Args:
        paths: The inputs, all of one format (``-`` is standard input, given as ``stdin``).
        kept: Origins of the records to write.
        out: The output file, or folder for article files.
        stdin: The spooled standard input, when ``-`` is among ``paths``.

    Returns:
        How many records were written.
    """
    kind = common_format(paths)
    check_output(out, kind)
    writers = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet, "files": _write_files}
    with atomic_output(out, directory=kind == "files") as temporary:
        written: int = writers[kind](paths, kept, temporary, out, stdin)
    return written


def _write_jsonl(paths: Sequence[str | Path], kept: Collection[str], temporary: Path, out: Path, stdin: IO[bytes] | None) -> int:
    written = 0
    opener = gzip.open if out.name.lower().endswith(".gz") else open
    with opener(temporary, "wb") as sink:
        for raw in paths:
            if str(raw) == "-":
                if stdin is None:
                    raise InputError("-: standard input was not kept for a second reading")
                stdin.seek(0)
                written += _copy_lines(stdin, "<stdin>", kept, sink)
            else:
                with open_bytes(Path(raw)) as source:
                    written += _copy_lines(source, str(raw), kept, sink)
    return written


def _copy_lines(source: IO[bytes], name: str, kept: Collection[str], sink: Any) -> int:
    written = 0
    for lineno, line in enumerate(source, start=1):
        if f"{name}:{lineno}" in kept:
            sink.write(line if line.endswith(b"\n") else line + b"\n")
            written += 1
    return written


def _write_csv(paths: Sequence[str | Path], kept: Collection[str], temporary: Path, out: Path, stdin: IO[bytes] | None) -> int:
    written = 0
    header: list[str] | None = None
    opener: Any = gzip.open if out.name.lower().endswith(".gz") else open
    with opener(temporary, "wt", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        for raw in paths:
            name = str(raw)
            with open_csv_text(Path(raw)) as handle:
                for number, cells in csv_rows(handle, name):
                    if number == 1:
                        if header is None:
                            header = cells
                            writer.writerow(cells)
                        elif cells != header:
                            raise InputError(f"{name}: its header differs from the first file's; filter them separately")
                    elif f"{name}:row {number}" in kept:
                        writer.writerow(cells)
                        written += 1
    return written


def _write_parquet(paths: Sequence[str | Path], kept: Collection[str], temporary: Path, out: Path, stdin: IO[bytes] | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    writer = None
    try:
        for raw in paths:
            name = str(raw)
            source = open_parquet(Path(raw))
            schema = source.schema_arrow
            if writer is None:
                writer = pq.ParquetWriter(temporary, schema)
            elif not schema.equals(writer.schema):
                raise InputError(f"{name}: its schema differs from the first file's; filter them separately")
            number = 0
            for batch in source.iter_batches(batch_size=2048):
                mask = [f"{name}:row {number + i}" in kept for i in range(1, batch.num_rows + 1)]
                number += batch.num_rows
                chosen = batch.filter(pa.array(mask, type=pa.bool_()))
                if chosen.num_rows:
                    writer.write_batch(chosen)
                    written += chosen.num_rows
    finally:
        if writer is not None:
            writer.close()
    return written


def _write_files(paths: Sequence[str | Path], kept: Collection[str], temporary: Path, out: Path, stdin: IO[bytes] | None) -> int:
    written = 0
    for raw in paths:
        path = Path(raw)
        files = [(f, f.relative_to(path).as_posix()) for f in page_files(path)] if path.is_dir() else [(path, path.name)]
        for file, article_id in files:
            if str(file) in kept:
                target = temporary / article_id
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                written += 1
    return written
