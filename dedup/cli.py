"""Command line: parse, build the config, call the library, render, exit.

Exit codes: 0 success; 2 usage or unusable input (``error: ...`` on stderr);
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from dedup import __version__
from dedup.calibrate import precision_recall_curve, suggest_threshold
from dedup.config import DedupConfig
from dedup.errors import DedupError, InputError
from dedup.evaluate import format_scores, load_ignore, load_labels, predicted_labels, score_clusters
from dedup.io.readers import ArticleFiles, read_articles
from dedup.models import Result
from dedup.pipeline import Deduplicator
from dedup.progress import counting
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
    report.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="progress on stderr (default: when stderr is a terminal)",
    )
    evaluate = commands.add_parser(
        "eval",
        help="score a result against labels",
        description="Score dedup's clusters against labels (pairwise P/R/F1, ARI, B-cubed). "
        "Give --result (a JSON report) or input PATHs to run dedup on.",
    )
    evaluate.add_argument("paths", nargs="*", metavar="PATH", help="inputs to run dedup on (as for report)")
    evaluate.add_argument("--labels", required=True, metavar="LABELS.csv", help="CSV with columns id,cluster")
    evaluate.add_argument("--ignore", metavar="PAIRS.csv", help="CSV with columns id_a,id_b: pairs left out of scoring")
    evaluate.add_argument("--result", metavar="RESULT.json", help="a JSON report from 'dedup report --format json'")
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    evaluate.add_argument("--threshold", type=_fraction, default=None, help="copy threshold when running dedup")
    evaluate.add_argument("--config", metavar="FILE.toml", default=None, help="read settings from a TOML file")
    evaluate.add_argument(
        "--calibrate", action="store_true",
        help="sweep the copy threshold, print the precision/recall curve and suggest a threshold",
    )
    evaluate.add_argument(
        "--target-precision", type=_fraction, default=0.99,
        help="pairwise precision the suggested threshold must reach (default 0.99)",
    )
    evaluate.add_argument("--show-errors", type=int, default=10, metavar="N", help="list up to N wrong pairs of each kind")
    return parser


def _config(args: argparse.Namespace) -> DedupConfig:
    config = DedupConfig.from_toml(args.config) if args.config else DedupConfig()
    return config.with_options(threshold=args.threshold)


def _run_report(args: argparse.Namespace) -> str:
    show = sys.stderr.isatty() if args.progress is None else args.progress
    result = _deduplicate(args.paths, _config(args), progress=show)
    return render_json(result) if args.format == "json" else render_text(result)


def _deduplicate(paths: Sequence[str], config: DedupConfig, progress: bool = False) -> Result:
    articles = ArticleFiles(paths)  # readable twice: large inputs keep only signatures in memory
    result = Deduplicator(config).run(counting(articles, sys.stderr) if progress else articles)
    if result.rejected and len(result.rejected) == result.stats["articles"]:
        first = result.rejected[0]
        raise InputError(
            f"no usable article in the input ({len(result.rejected)} rejected); "
            f"first: {first.origin or first.id}: {first.reason}"
        )
    return result


def _run_eval(args: argparse.Namespace) -> str:
    truth = load_labels(args.labels)
    ignore = load_ignore(args.ignore) if args.ignore else []
    if args.calibrate:
        if not args.paths or args.result:
            raise InputError("--calibrate runs dedup: give the input PATHs (not --result)")
        curve = precision_recall_curve(read_articles(args.paths), truth, ignore, _config(args))
        best = suggest_threshold(curve, args.target_precision)
        if args.format == "json":
            return json.dumps(
                {"curve": [{"threshold": t, **s.as_dict()} for t, s in curve], "suggested_threshold": best},
                indent=2,
            ) + "\n"
        lines = ["threshold  precision  recall  F1      ARI"]
        lines += [f"{t:>9.2f}  {s.precision:>9.4f}  {s.recall:>6.4f}  {s.f1:.4f}  {s.ari:.4f}" for t, s in curve]
        if best is None:
            lines.append(f"no threshold reaches precision {args.target_precision}")
        else:
            lines.append(f"suggested threshold: {best} (lowest reaching precision {args.target_precision})")
        return "\n".join(lines) + "\n"
    if args.result and args.paths:
        raise InputError("give either --result or input PATHs, not both")
    if args.result:
        try:
            predicted = predicted_labels(json.loads(Path(args.result).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{args.result}: not a dedup JSON report ({exc})") from None
    elif args.paths:
        predicted = predicted_labels(_deduplicate(args.paths, _config(args)))
    else:
        raise InputError("nothing to score: give --result RESULT.json or input PATHs")
    scores = score_clusters(truth, predicted, ignore)
    if args.format == "json":
        return json.dumps(scores.as_dict(), indent=2) + "\n"
    text = format_scores(args.labels, scores)
    for name, pairs in (("false positives", scores.false_positives), ("false negatives", scores.false_negatives)):
        if pairs and args.show_errors > 0:
            text += f"  {name} ({len(pairs)}): " + ", ".join(f"{a}~{b}" for a, b in pairs[: args.show_errors])
            text += " ...\n" if len(pairs) > args.show_errors else "\n"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        output = _run_eval(args) if args.command == "eval" else _run_report(args)
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
