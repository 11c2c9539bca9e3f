"""Command line: parse, build the config, call the library, render, exit.

Exit codes: 0 success; 2 usage or unusable input (``error: ...`` on stderr);
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from dedup import __version__
from dedup.calibrate import precision_recall_curve, suggest_threshold
from dedup.config import DedupConfig
from dedup.dates import parse_published
from dedup.errors import DedupError, InputError
from dedup.evaluate import format_scores, load_ignore, load_labels, predicted_labels, score_clusters
from dedup.io.fields import FieldMap
from dedup.io.files import atomic_output
from dedup.io.readers import ArticleFiles, count_records, read_articles
from dedup.models import Article, Result
from dedup.pipeline import Deduplicator
from dedup.progress import counting
from dedup.report import render_html, render_json, render_text

_INPUTS_HELP = (
    "a directory of .txt/.md/.html files, a .txt/.md/.html file, a .jsonl/.csv file (or .gz), "
    "a .parquet file, or - for JSONL on stdin"
)


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
    report.add_argument("paths", nargs="+", metavar="PATH", help=_INPUTS_HELP)
    report.add_argument(
        "--format", choices=("text", "json", "html"), default="text",
        help="output format (default: text); html is one self-contained page",
    )
    report.add_argument("-o", "--output", metavar="FILE", default=None, help="write the report here (default: stdout)")
    report.add_argument(
        "--engine", choices=("local", "spark"), default="local",
        help="run on this machine (default) or on Apache Spark (JSONL and Parquet inputs; needs the spark extra)",
    )
    report.add_argument(
        "--master", metavar="URL", default=None,
        help="Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*])",
    )
    report.add_argument(
        "--spark-conf", metavar="KEY=VALUE", action="append", default=[],
        help="a Spark setting, e.g. spark.executor.memory=8g (repeatable)",
    )
    _add_run_options(report)

    filtering = commands.add_parser(
        "filter",
        help="write the deduplicated input: canonicals and singletons, in the input's format",
        description="Write the canonical and singleton articles of the INPUTs to OUT in the input's format "
        "(JSONL lines, CSV rows, Parquet rows or article files, copied as they are), and optionally "
        "one JSON decision per input record.",
    )
    filtering.add_argument("paths", nargs="+", metavar="INPUT", help=_INPUTS_HELP)
    filtering.add_argument(
        "-o", "--output", required=True, metavar="OUT",
        help="the deduplicated output: a file of the input's format, or a folder for article files",
    )
    filtering.add_argument(
        "--decisions", metavar="FILE.jsonl", default=None,
        help="write one JSON line per input record: kept, duplicate (of, cluster_id, scores, reason) or rejected",
    )
    _add_run_options(filtering)

    explain = commands.add_parser(
        "explain",
        help="why two articles are or are not copies",
        description="Score two articles as the engine does: Jaccard, containment both ways, the relation "
        "and the rule that decided, and their aligned shared passages. A and B are two ids in the "
        "PATHs, or, without PATHs, two files.",
    )
    explain.add_argument("first", metavar="A", help="an article id (with PATHs) or a file")
    explain.add_argument("second", metavar="B", help="an article id (with PATHs) or a file")
    explain.add_argument("paths", nargs="*", metavar="PATH", help="inputs holding A and B (" + _INPUTS_HELP + ")")
    explain.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    _add_settings(explain)
    _add_fields(explain)
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
    _add_fields(evaluate)
    _add_index_parser(commands)
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a command that deduplicates its input: settings, fields, progress."""
    _add_settings(parser)
    _add_fields(parser)
    _add_progress(parser)


def _add_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold", type=_fraction, default=None,
        help="share of the shorter article that must appear in the other for a copy (default 0.5)",
    )
    parser.add_argument("--config", metavar="FILE.toml", default=None, help="read settings from a TOML file")


def _add_fields(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("record fields (JSONL, CSV, Parquet)")
    for name, default in (("id", "id"), ("text", "text"), ("title", "title"), ("source", "source"), ("url", "url")):
        group.add_argument(
            f"--{name}-field", metavar="NAME", default=default, help=f"the field holding the {name} (default: {default})"
        )
    group.add_argument(
        "--published-field", metavar="NAME", default=None,
        help="the field holding the publication date (default: published, else date)",
    )


def _add_progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="a progress bar and a summary line on stderr (default: when stderr is a terminal)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="nothing on stderr but errors")


def _fields(args: argparse.Namespace) -> FieldMap:
    return FieldMap(
        id=args.id_field, text=args.text_field, title=args.title_field, published=args.published_field,
        source=args.source_field, url=args.url_field,
    )


def _show_progress(args: argparse.Namespace) -> bool:
    if args.quiet:
        return False
    return sys.stderr.isatty() if args.progress is None else bool(args.progress)


def _add_index_parser(commands: Any) -> None:
    index = commands.add_parser(
        "index",
        help="a persistent index for ingestion: add, check, clusters, stats, expire, remove",
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
        action.add_argument("paths", nargs="+", metavar="PATH", help=_INPUTS_HELP)
        _add_fields(action)
        action.add_argument("--config", metavar="FILE.toml", default=None, help="settings for a new index (TOML)")
        action.add_argument("--threshold", type=_fraction, default=None, help="copy threshold for a new index")
        action.add_argument("--workers", type=int, default=None, help="processes preparing articles (default 2)")
    with_db(actions.add_parser("stats", help="counts, disk size and settings of the index (JSON)"))
    with_db(actions.add_parser(
        "clusters", help="the families of two or more articles and what compilations contain, as the JSON report lists them"
    ))
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
            articles = read_articles(args.paths, fields=_fields(args))
            verdicts = index.stream(articles) if args.action == "add" else map(index.check, articles)
            for verdict in verdicts:
                sys.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()  # a printed verdict is a committed one
            return ""
        if args.action == "stats":
            return json.dumps(index.stats(), indent=2) + "\n"
        if args.action == "clusters":
            from dedup.report.json import cluster_to_dict, contains_to_list

            clusters = [cluster_to_dict(c) for c in index.clusters()]
            listed = {"clusters": clusters, "contains": contains_to_list(index.contains())}
            return json.dumps(listed, indent=2, ensure_ascii=False) + "\n"
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
    show = _show_progress(args)
    started = time.monotonic()
    config = _config(args)
    files = ArticleFiles(args.paths, fields=_fields(args))
    if args.engine == "spark":
        if args.format == "html":
            raise InputError("--engine spark reports as text or json; use the local engine for --format html")
        result = _on_spark(args, config)
    else:
        result = _deduplicate(files, config, progress=show)
    if args.format == "json":
        output = render_json(result)
    elif args.format == "html":
        members, sources = _cluster_articles(files, result)
        output = render_html(result, members, sources, config.shingle.size, config.normalize.fix_mojibake)
    else:
        output = render_text(result)
    if show:
        print(_summary(result, time.monotonic() - started), file=sys.stderr)
    if args.output is None:
        return output
    with atomic_output(Path(args.output)) as temporary:
        temporary.write_text(output, encoding="utf-8")
    return ""


def _on_spark(args: argparse.Namespace, config: DedupConfig) -> Result:
    """Run the report's deduplication on Spark (a local session unless a master is configured)."""
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError("--engine spark needs pyspark: pip install 'dedup[spark]' (and Java 17+)") from None
    from dedup.spark import read_input, to_result

    conf = SparkConf().setAppName("dedup").set("spark.ui.showConsoleProgress", "false")
    for setting in args.spark_conf:
        key, equals, value = setting.partition("=")
        if not equals or not key.strip():
            raise InputError(f"--spark-conf {setting!r}: expected KEY=VALUE, e.g. spark.executor.memory=8g")
        conf.set(key.strip(), value.strip())
    if args.master:
        conf.setMaster(args.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    if conf.get("spark.master", "").startswith("local"):
        # One JVM does all the work: room for the shingle sets, and few shuffle partitions.
        conf.setIfMissing("spark.driver.memory", "4g")
        conf.setIfMissing("spark.sql.shuffle.partitions", "8")
    running = SparkSession.getActiveSession()  # a caller's session (main() called in process) is left running
    spark = SparkSession.builder.config(conf=conf).getOrCreate() if running is None else running
    spark.sparkContext.setLogLevel("ERROR")
    try:
        fields = _fields(args)
        frame = read_input(spark, list(args.paths), fields)
        result = to_result(frame, config=config)
    finally:
        if running is None:
            spark.stop()
    if result.stats["articles"] and len(result.rejected) == result.stats["articles"]:
        first = result.rejected[0]
        raise InputError(
            f"no usable article in the input ({len(result.rejected)} rejected); first: {first.origin or first.id}: {first.reason}"
        )
    return result


def _summary(result: Result, seconds: float) -> str:
    stats = result.stats
    return (
        f"dedup: {stats['articles']:,} articles: {stats['clusters']:,} clusters holding {stats['duplicates']:,} "
        f"duplicates, {stats['singletons']:,} singletons, {stats['rejected']:,} rejected ({seconds:.1f} s)"
    )


def _cluster_articles(files: ArticleFiles, result: Result) -> tuple[dict[str, Article], dict[str, str]]:
    """The articles of the clusters shown with text (read again), and every usable article's source."""
    from dedup.report.html import MAX_CLUSTERS_WITH_TEXT, source_of

    wanted = {m.id for c in result.clusters[:MAX_CLUSTERS_WITH_TEXT] for m in c.members}
    rejected = {r.origin for r in result.rejected}
    members: dict[str, Article] = {}
    sources: dict[str, str] = {}
    for item in files:
        if isinstance(item, Article) and item.origin not in rejected:
            sources.setdefault(item.id, source_of(item))
            if item.id in wanted:
                members.setdefault(item.id, item)
    return members, sources


def _run_filter(args: argparse.Namespace) -> str:
    from dedup.io.filtering import write_filtered
    from dedup.io.writers import check_output, common_format

    show = _show_progress(args)
    out = Path(args.output)
    check_output(out, common_format(args.paths))  # before the work, not after
    files = ArticleFiles(args.paths, fields=_fields(args))
    started = time.monotonic()
    result = _deduplicate(files, _config(args), progress=show)
    summary = write_filtered(files, result, out, Path(args.decisions) if args.decisions else None)
    if not args.quiet:
        print(f"{summary.line()} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return ""


def _run_explain(args: argparse.Namespace) -> str:
    from dedup.explain import explain_pair
    from dedup.report.explain import render_explanation

    fields = _fields(args)
    if args.paths:
        found: dict[str, Article] = {}
        for item in read_articles(args.paths, fields=fields):
            if isinstance(item, Article) and item.id in (args.first, args.second):
                found.setdefault(item.id, item)
        missing = [i for i in (args.first, args.second) if i not in found]
        if missing:
            raise InputError(f"no usable article with id {', '.join(map(repr, missing))} in {' '.join(args.paths)}")
        first, second = found[args.first], found[args.second]
    else:
        first, second = _single_article(args.first, fields), _single_article(args.second, fields)
    explanation = explain_pair(first, second, _config(args))
    if args.format == "json":
        return json.dumps(explanation.as_dict(), indent=2, ensure_ascii=False) + "\n"
    return render_explanation(explanation)


def _single_article(path: str, fields: FieldMap) -> Article:
    items = list(read_articles([path], fields=fields))
    if len(items) != 1:
        raise InputError(
            f"{path}: holds {len(items)} records; to compare two of them give their ids and the file: "
            f"dedup explain ID1 ID2 {path}"
        )
    item = items[0]
    if not isinstance(item, Article):
        raise InputError(f"{item.origin or path}: {item.reason}")
    return item


def _deduplicate(articles: ArticleFiles, config: DedupConfig, progress: bool = False) -> Result:
    """Run the batch engine over ``articles`` (read twice: large inputs keep only signatures in memory)."""
    counted = counting(articles, sys.stderr, total=count_records(articles.paths)) if progress else articles
    result = Deduplicator(config).run(counted)
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
        curve = precision_recall_curve(read_articles(args.paths, fields=_fields(args)), truth, ignore, _config(args))
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
        predicted = predicted_labels(_deduplicate(ArticleFiles(args.paths, fields=_fields(args)), _config(args)))
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
        runners = {
            "eval": _run_eval, "explain": _run_explain, "filter": _run_filter, "index": _run_index, "report": _run_report,
        }
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
