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
from typing import Any, NoReturn

from dedup import __version__
from dedup.calibrate import precision_recall_curve, suggest_threshold
from dedup.config import DedupConfig
from dedup.dates import parse_published
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
    _add_index_parser(commands)
    return parser


def _add_index_parser(commands: Any) -> None:
    index = commands.add_parser(
        "index",
        help="a persistent index for ingestion: add, check, stats, expire, remove",
        description="A persistent index of articles (a SQLite file, or PostgreSQL with --db postgresql://...). "
        "'add' and 'check' print one JSON verdict per input article.",
    )
    actions = index.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True

    def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument(
            "--db", required=True, metavar="FILE|URL",
            help="the index: a SQLite file (created when missing) or a postgresql:// URL",
        )
        return parser

    for name, text in (
        ("add", "match each article against the index and store it; one JSON verdict per line"),
        ("check", "what 'add' would say, without storing anything"),
    ):
        action = with_db(actions.add_parser(name, help=text, description=text))
        action.add_argument(
            "paths", nargs="+", metavar="PATH",
            help="a directory of .txt/.md files, a .txt/.md/.jsonl file, or - for JSONL on stdin",
        )
        action.add_argument("--config", metavar="FILE.toml", default=None, help="settings for a new index (TOML)")
        action.add_argument("--threshold", type=_fraction, default=None, help="copy threshold for a new index")
        action.add_argument("--workers", type=int, default=None, help="processes preparing articles (default 2)")
    with_db(actions.add_parser("stats", help="counts, disk size and settings of the index (JSON)"))
    expire = with_db(actions.add_parser("expire", help="remove articles published before a date"))
    expire.add_argument("--before", required=True, metavar="DATE", help="ISO-8601 date or time, e.g. 2024-01-31")
    remove = with_db(actions.add_parser("remove", help="remove articles by id"))
    remove.add_argument("ids", nargs="+", metavar="ID", help="article ids")


def _run_index(args: argparse.Namespace) -> str:
    from dedup.index import Index

    config = None
    if args.action in ("add", "check") and (args.config or args.threshold is not None):
        config = _config(args)
    with Index(args.db, config, workers=getattr(args, "workers", None)) as index:
        if args.action in ("add", "check"):
            articles = read_articles(args.paths)
            verdicts = index.stream(articles) if args.action == "add" else map(index.check, articles)
            for verdict in verdicts:
                sys.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()  # a printed verdict is a committed one
            return ""
        if args.action == "stats":
            return json.dumps(index.stats(), indent=2) + "\n"
        if args.action == "expire":
            before = parse_published(args.before)
            if before is None:
                raise InputError(f"--before {args.before!r}: not a date; use ISO-8601, e.g. 2024-01-31 or 2024-01-31T12:00Z")
            return json.dumps({"expired": index.expire(before)}) + "\n"
        results = {article_id: index.remove(article_id) for article_id in args.ids}
        missing = [i for i, done in results.items() if not done]
        if missing:
            print(f"warning: not in the index: {', '.join(missing)}", file=sys.stderr)
        return json.dumps({"removed": [i for i, done in results.items() if done], "missing": missing}) + "\n"


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
        runners = {"eval": _run_eval, "index": _run_index, "report": _run_report}
        output = runners[args.command](args)
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
