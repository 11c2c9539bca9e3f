"""Command line: parse, build the config, call the library, render, exit.

Exit codes: 0 success; 2 usage or unusable input (``error: ...`` on stderr);
130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from dedup import __version__
from dedup.config import DedupConfig
from dedup.errors import DedupError, InputError
from dedup.io.readers import read_articles
from dedup.pipeline import Deduplicator
from dedup.report import render_json, render_text


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {value!r}")
    return number


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors printed as ``error: ...`` first, then the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n{self.format_usage()}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``dedup`` command."""
    parser = _Parser(
        prog="dedup",
        description="Find copies of the same news article among scraped pages.",
    )
    parser.add_argument("--version", action="version", version=f"dedup {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    report = commands.add_parser(
        "report",
        help="cluster copies and report them",
        description="Cluster copies among the articles in PATHs and report the clusters, "
        "their canonical copies with the reason, and rejected records.",
    )
    report.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="a directory of .txt/.md files, a .txt/.md/.jsonl file, or - for JSONL on stdin",
    )
    report.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    report.add_argument(
        "--threshold", type=_fraction, default=None,
        help="share of the shorter article that must appear in the other for a copy (default 0.5)",
    )
    report.add_argument("--config", metavar="FILE.toml", default=None, help="read settings from a TOML file")
    return parser


def _config(args: argparse.Namespace) -> DedupConfig:
    config = DedupConfig.from_toml(args.config) if args.config else DedupConfig()
    return config.with_options(threshold=args.threshold)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        config = _config(args)
        result = Deduplicator(config).run(read_articles(args.paths))
        if result.rejected and len(result.rejected) == result.stats["articles"]:
            first = result.rejected[0]
            raise InputError(
                f"no usable article in the input ({len(result.rejected)} rejected); "
                f"first: {first.origin or first.id}: {first.reason}"
            )
        output = render_json(result) if args.format == "json" else render_text(result)
        sys.stdout.write(output)
        sys.stdout.flush()
    except DedupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
