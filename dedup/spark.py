"""The batch engine on Apache Spark: the same clusters, canonicals and relations as
:class:`dedup.Deduplicator`, for corpora that outgrow one machine.

Stages, each distributed:

1. **Prepare** (``mapInPandas``): every partition runs :meth:`Deduplicator.prepare`
   (clean, normalise, shingle) and the MinHash and band-key functions of the local
   engine, batch by batch. Rows keep their shingle, own-words and figure sets and their
   head as bytes, and the template blocks of their body.
2. **Repeated ids**: the first record of an id (lowest ``order``) is kept, the others
   are rejected, as the local readers do.
2b. **Template text**: block keys are counted by Spark; the pages holding a key found on
   three pages or more go to the driver, which learns the template from them exactly
   as the local engine does (:func:`dedup.text.template.learn` needs no other page);
   the pages holding template blocks are prepared again without them.
3. **LSH**: band keys are exploded and grouped by Spark. Inside a bucket rows are
   ranked by id; each row pairs with the next ``max_bucket - 1`` rows, which is every
   pair of a normal bucket and the local engine's sliding window in an oversized one.
4. **Verify** (``mapInPandas``): each candidate pair is joined with both rows' sets
   and scored by :func:`dedup.verify.score` under the local copy rule; the copies keep
   their link (shared shingles, which side is inside, truncation).
4b. **Held beginnings**: passage keys of the texts that hold a copy, joined with every
   row's lede passage keys; each candidate counted exactly (:mod:`dedup.beginnings`).
   They join the components (the family stage needs both texts), never a family.
5. **Connected components** of the verified copies: the large-star/small-star
   algorithm (Kiveris et al., 2014) on DataFrames, iterated until no edge changes;
   the edges never reach the driver.
6. **Families** (``cogroup().applyInPandas``): per component, the local family stage
   (:func:`dedup.families.story_families`: a family never spans two components) and the
   canonical election (:func:`dedup.pipeline.build_cluster`). A component must fit in
   one executor's memory.

Needs the ``spark`` extra (pyspark, pandas, pyarrow) and Java.

Example (not run here: it starts a Spark session)::

    from pyspark.sql import SparkSession
    from dedup.spark import deduplicate
    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.read.json("feed.jsonl")
    deduplicate(df).filter("is_canonical").show()
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from dedup import beginnings
from dedup import canonical as canon
from dedup.cluster import group_rows
from dedup.config import DedupConfig
from dedup.dates import epoch_hours, parse_published, utc
from dedup.families import BEGINS, Links, story_families
from dedup.lsh import band_keys
from dedup.minhash import signatures
from dedup.models import Article, Cluster, Member, Rejection, Result
from dedup.pipeline import Deduplicator, Prepared, build_cluster, contained_ids, passages_of
from dedup.text.template import MIN_DOCS, Blocks, block_table, learn
from dedup.verify import Score, link, score

OUTPUT_COLUMNS = (
    "id", "cluster_id", "canonical_id", "is_canonical", "jaccard", "containment", "relation", "reason",
)
_PREPARED_SCHEMA = (
    "order long, id string, read_ok boolean, status string, reason string, origin string, body_words long, "
    "published_us long, boilerplate double, headline string, site string, shingles binary, own binary, "
    "figures binary, head binary, keys array<long>, block_keys array<long>, block_words array<long>, "
    "block_sims array<long>, passages array<long>, lede_passages array<long>"
)
_MEMBER_SCHEMA = (
    "id string, cluster_id string, canonical_id string, is_canonical boolean, jaccard double, "
    "containment double, canonical_containment double, own_containment double, relation string, reason string, "
    "published_us long, published string, site string, headline string, contained array<string>"
)
"""A member of a cluster, or (``cluster_id`` null) a text and the ids it ``contained``
outside its family (:attr:`dedup.Result.contains`)."""
_EDGE_SCHEMA = "a string, b string, shared long, inside long, truncation boolean"
_NAMING_COLUMNS = ("title", "source", "url")
"""Input columns that name an article in reports (:mod:`dedup.heading`)."""
_MICROS = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _functions() -> Any:
    try:
        from pyspark.sql import functions
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ImportError(f"dedup.spark needs pyspark ({exc}); install it with: pip install 'dedup[spark]'") from None
    return functions


def _published_us(value: Any) -> int | None:
    """A date (datetime, pandas Timestamp or text) as microseconds since 1970 UTC."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    moment = value if isinstance(value, datetime) else parse_published(value)
    return None if moment is None else round(utc(moment).timestamp() * _MICROS)


def _micros_or_none(value: Any) -> int | None:
    """A date in microseconds from a pandas cell (NaN when missing), or None."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else int(value)


def _from_us(value: Any) -> datetime | None:
    """A date in microseconds as a UTC datetime, exactly (integer arithmetic)."""
    micros = _micros_or_none(value)
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _text_or_none(value: Any) -> str | None:
    """A text cell of a pandas or Arrow row (None or NaN when missing)."""
    return value if isinstance(value, str) else None


def _records(batch: Any) -> Iterator[Any]:
    """The rows of an Arrow record batch as simple namespaces."""
    from types import SimpleNamespace

    columns = batch.to_pydict()
    names = list(columns)
    for values in zip(*columns.values()):
        yield SimpleNamespace(**dict(zip(names, values)))


def _columns(schema: str) -> list[tuple[str, str]]:
    """``(name, type)`` of each column of a Spark DDL schema string such as ``"a string, b long"``."""
    return [(name, kind) for name, kind in (column.split(" ", 1) for column in schema.split(", "))]


def _arrow_batch(rows: list[dict[str, Any]], schema: str) -> Any:
    import pyarrow as pa

    fields = _columns(schema)
    types = {"long": pa.int64(), "string": pa.string(), "boolean": pa.bool_(), "double": pa.float64(),
             "binary": pa.binary(), "array<long>": pa.list_(pa.int64())}
    arrow_schema = pa.schema([(name, types[kind]) for name, kind in fields])
    return pa.RecordBatch.from_pydict({name: [row.get(name) for row in rows] for name, _ in fields}, schema=arrow_schema)


def _prepare_partition(config: DedupConfig, template: np.ndarray | None = None) -> Any:
    """The ``mapInArrow`` function of stage 1 (again for the pages holding ``template`` blocks)."""
    blocks = template is None and config.clean.learn_template
    bands, rows = config.lsh_params()
    lede_bands = config.lsh.lede_perm // config.lsh.lede_rows

    def prepare(batches: Iterator[Any]) -> Iterator[Any]:
        dedup = Deduplicator(config)
        for batch in batches:
            out: list[dict[str, Any]] = []
            prepared: list[tuple[int, Prepared]] = []
            for record in _records(batch):
                base = {"order": int(record.order), "id": record.id, "origin": record.origin,
                        "read_ok": record.reason is None}
                if record.reason is not None:
                    out.append({**base, "status": "rejected", "reason": record.reason})
                    continue
                published_us = _published_us(record.published)
                article = Article(
                    id=record.id, text=record.text, title=record.title, url=record.url, source=record.source,
                    published=_from_us(published_us), origin=record.origin,
                )
                outcome = dedup.prepare(article, template)
                if isinstance(outcome, Rejection):
                    out.append({**base, "status": "rejected", "reason": outcome.reason})
                    continue
                prepared.append((len(out), outcome))
                facts = outcome.facts
                out.append({
                    **base, "status": "ok", "body_words": facts.body_words, "published_us": published_us,
                    "boilerplate": facts.boilerplate_share, "headline": facts.headline, "site": facts.site,
                    "shingles": outcome.shingles.tobytes(),
                    "own": outcome.own.tobytes(), "figures": outcome.figures.tobytes(), "head": outcome.head.tobytes(),
                    "passages": passages_of(outcome, config.normalize.casefold).view(np.int64).tolist(),
                    "lede_passages": outcome.lede_passages.view(np.int64).tolist(),
                    **(_block_columns(block_table(outcome.cleaned.body)) if blocks else {}),
                })
            if prepared:
                matrix = signatures([p.shingles for _, p in prepared], config.minhash.num_perm, config.minhash.seed)
                keys = [band_keys(matrix, bands, rows)]
                if config.lsh.lede_shingles:
                    lede = signatures([p.lede for _, p in prepared], config.lsh.lede_perm, config.minhash.seed)
                    keys.append(band_keys(lede, lede_bands, config.lsh.lede_rows))
                stacked = np.concatenate(keys, axis=1).view(np.int64)
                for (slot, _), row_keys in zip(prepared, stacked):
                    out[slot]["keys"] = row_keys.tolist()
            yield _arrow_batch(out, _PREPARED_SCHEMA)

    return prepare


def _block_columns(table: Blocks) -> dict[str, list[int]]:
    return {"block_keys": table.keys.view(np.int64).tolist(), "block_words": table.words.tolist(),
            "block_sims": table.simhash.view(np.int64).tolist()}


def _blocks_of(record: Any) -> Blocks:
    return Blocks(np.array(record.block_keys or [], np.int64).view(np.uint64), np.array(record.block_words or [], np.int64),
                  np.array(record.block_sims or [], np.int64).view(np.uint64))


def learn_template(usable: Any) -> np.ndarray:
    """The template block keys of the usable rows: keys counted by Spark, the pages that
    hold a key found on :data:`MIN_DOCS` pages or more learned from on the driver."""
    F = _functions()
    keys = usable.select("id", F.explode(F.array_distinct("block_keys")).alias("key"))
    frequent = keys.groupBy("key").count().where(F.col("count") >= MIN_DOCS).select("key")
    holders = keys.join(frequent, "key").select("id").distinct()
    rows = usable.join(holders, "id").select("id", "block_keys", "block_words", "block_sims").collect()
    return learn([_blocks_of(r) for r in rows], [r["id"].encode("utf-8") for r in rows])


Sets = tuple[np.ndarray, np.ndarray, np.ndarray]


def _sets(record: Any, prefix: str = "") -> Sets:
    """A row's shingle, own-words and figure sets, from their bytes (columns ``PREFIX + name``)."""
    shingles, own, figures = (
        np.frombuffer(getattr(record, prefix + name) or b"", dtype=np.uint64) for name in ("shingles", "own", "figures")
    )
    return shingles, own, figures


def _pair_score(a: Sets, b: Sets, a_published: Any, b_published: Any) -> Score:
    """:func:`dedup.verify.score` of two rows' sets and dates, as the local engine scores them."""
    return score(a[0], b[0], a[1], b[1], a[2], b[2], _hours(a_published, b_published))


def _hours(a: Any, b: Any) -> float | None:
    """Hours between two dates in microseconds, computed as the local engine does."""
    apart = abs(epoch_hours(_from_us(a)) - epoch_hours(_from_us(b)))
    return None if np.isnan(apart) else apart


def _head(record: Any, prefix: str = "") -> np.ndarray:
    return np.frombuffer(getattr(record, prefix + "head") or b"", dtype=np.uint64)


def _verify_partition(config: DedupConfig) -> Any:
    """The ``mapInArrow`` function of stage 4: keeps the pairs that are copies, with their link."""
    rule = config.verify.rule

    def verify(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            kept: list[dict[str, Any]] = []
            for pair in _records(batch):
                s = _pair_score(_sets(pair, "a_"), _sets(pair, "b_"), pair.a_published, pair.b_published)
                code, inside, truncation = link(s, rule, _head(pair, "a_"), _head(pair, "b_"))
                if code:
                    kept.append({"a": pair.a, "b": pair.b, "shared": s.intersection, "inside": inside,
                                 "truncation": truncation})
            yield _arrow_batch(kept, _EDGE_SCHEMA)

    return verify


def _held_partition(config: DedupConfig) -> Any:
    """The ``mapInArrow`` function of stage 4b: keeps the (holder, owner) candidates where
    the holder holds the owner's beginning, as pairs that are no copy (:mod:`dedup.beginnings`)."""
    lede = config.lsh.lede_shingles

    def held(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            kept: list[dict[str, Any]] = []
            for pair in _records(batch):
                count = beginnings.held(np.frombuffer(pair.a_shingles or b"", dtype=np.uint64), _head(pair, "b_"), lede)
                if count:
                    kept.append({"a": pair.a, "b": pair.b, "shared": count, "inside": BEGINS, "truncation": False})
            yield _arrow_batch(kept, _EDGE_SCHEMA)

    return held


def held_beginnings(usable: Any, copies: Any, config: DedupConfig) -> Any:
    """Stage 4b: the held beginnings (``a`` holds ``b``'s beginning) where ``a`` holds a
    copy (a possible compilation, as the local engine looks) and no copy pair ties them."""
    F = _functions()
    if config.lsh.lede_shingles <= 0:
        return copies.limit(0)
    containers = copies.where("inside = 1").select(F.col("b").alias("a")).union(
        copies.where("inside = 2").select("a")).distinct()
    holds = usable.select(F.col("id").alias("a"), F.explode("passages").alias("key")).join(containers, "a")
    owns = usable.select(F.col("id").alias("b"), F.explode("lede_passages").alias("key"))
    linked = copies.select("a", "b").union(copies.select(F.col("b").alias("a"), F.col("a").alias("b")))
    candidates = holds.join(owns, "key").where("a != b").select("a", "b").distinct().join(linked, ["a", "b"], "left_anti")
    scored = candidates.join(usable.select(F.col("id").alias("a"), F.col("shingles").alias("a_shingles")), "a").join(
        usable.select(F.col("id").alias("b"), F.col("head").alias("b_head")), "b")
    return scored.mapInArrow(_held_partition(config), _EDGE_SCHEMA)


def _facts(record: Any) -> canon.ArticleFacts:
    return canon.ArticleFacts(
        record.id, int(record.body_words), _from_us(record.published_us), float(record.boilerplate),
        _text_or_none(record.headline), _text_or_none(record.site),
    )


def _cluster_component(config: DedupConfig) -> Any:
    """The ``applyInPandas`` function of stage 6: one component -> its clusters' members."""
    import pandas as pd

    policy = config.canonical.policy
    rule = config.verify.rule
    columns = [name for name, _ in _columns(_MEMBER_SCHEMA)]
    empty = dict.fromkeys(columns)

    def clusters(members: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
        members = members.sort_values("id", kind="stable").reset_index(drop=True)
        ids = members["id"].tolist()
        row_of = {article_id: row for row, article_id in enumerate(ids)}
        records = list(members.itertuples(index=False))
        facts = [_facts(r) for r in records]
        sets = [_sets(r) for r in records]
        published = [r.published_us for r in records]

        def pair_score(a: int, b: int) -> Score:
            return _pair_score(sets[a], sets[b], published[a], published[b])

        links = Links.build(
            [(row_of[a], row_of[b]) for a, b in zip(edges["a"], edges["b"])], edges["shared"].tolist(),
            edges["inside"].tolist(), edges["truncation"].tolist(),
        )
        rank = np.array(canon.policy_rank(facts, policy), dtype=np.int64)
        sizes = np.array([s[0].size for s in sets], dtype=np.int64)
        families = story_families(
            len(ids), links, sizes, lambda a, b: pair_score(a, b).intersection, rank, config.cluster.rendering_share
        )
        rows: list[dict[str, Any]] = []
        for group in group_rows(families.labels):
            cluster = build_cluster(group, ids, facts, policy, rule, pair_score)
            for member in cluster.members:
                rows.append({**empty,
                    "id": member.id, "cluster_id": cluster.cluster_id, "canonical_id": cluster.canonical,
                    "is_canonical": member.relation == "canonical", "jaccard": member.jaccard,
                    "containment": member.containment, "canonical_containment": member.canonical_containment,
                    "own_containment": member.own_containment, "relation": member.relation, "reason": cluster.reason,
                    "published_us": _micros_or_none(published[row_of[member.id]]), "published": member.published,
                    "site": member.site, "headline": member.headline,
                })
        for container, held in contained_ids(families.contains, ids).items():
            rows.append({**empty, "id": container, "contained": list(held)})
        return pd.DataFrame(rows, columns=columns)

    return clusters


def _time_order(row: Any) -> tuple[int, int, str]:
    """A member row's place in its family's time order, as :func:`dedup.canonical.time_order`."""
    published = row["published_us"]
    return (1, 0, row["id"]) if published is None else (0, int(published), row["id"])


def connected_components(edges: Any, max_rounds: int = 64) -> Any:
    """Component of every node of an undirected edge DataFrame ``(a, b)``, as ``(node, component)``
    with the component named by its smallest node: large-star/small-star until no edge changes.

    Raises:
        RuntimeError: No convergence within ``max_rounds`` rounds (it takes O(log n)).
    """
    F = _functions()
    current = edges.select(F.least("a", "b").alias("u"), F.greatest("a", "b").alias("v")).where("u != v").distinct()
    for _ in range(max_rounds):
        # Large star: every node links its larger neighbours to the smallest of its neighbourhood.
        both = current.select("u", "v").union(current.select(F.col("v").alias("u"), F.col("u").alias("v")))
        smallest = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        large = both.join(smallest, "u").where("v > u").select(F.col("v").alias("u"), F.col("m").alias("v"))
        large = large.select(F.least("u", "v").alias("u"), F.greatest("u", "v").alias("v")).where("u != v").distinct()
        # Small star: every node links itself and its smaller neighbours to the smallest of them.
        directed = large.select(F.col("v").alias("node"), F.col("u").alias("smaller"))
        low = directed.groupBy("node").agg(F.min("smaller").alias("m"))
        small = directed.join(low, "node").select(F.col("smaller").alias("x"), "m").union(low.select(F.col("node").alias("x"), "m"))
        small = small.select(F.least("x", "m").alias("u"), F.greatest("x", "m").alias("v")).where("u != v").distinct()
        small = small.localCheckpoint()
        changed = small.exceptAll(current).limit(1).count() + current.exceptAll(small).limit(1).count()
        current = small
        if not changed:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    return current.select(F.col("v").alias("node"), F.col("u").alias("component")).union(
        current.select(F.col("u").alias("node"), F.col("u").alias("component"))
    ).distinct()


def _date_text(df: Any, column: str | None) -> Any:
    """A date column as ISO-8601 text (timestamps and dates with their offset), or null."""
    F = _functions()
    if not column or column not in df.columns:
        return F.lit(None).cast("string")
    kind = dict(df.dtypes)[column]
    if kind.startswith("timestamp") or kind == "date":
        return F.date_format(F.col(column), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
    return F.col(column).cast("string")


def _with_inputs(df: Any, id_col: str, text_col: str, published_col: str | None) -> Any:
    """The input as columns order, id, text, published, title, source, url, origin, reason
    (reason set: rejected upstream); title, source and url are read from the columns of
    those names when the input has them."""
    F = _functions()
    columns = set(df.columns)
    named = [
        (F.col(name).cast("string") if name in columns else F.lit(None).cast("string")).alias(name)
        for name in _NAMING_COLUMNS
    ]
    published = _date_text(df, published_col)
    # Columns made by read_input: the record's place in the input, its origin, a reader rejection.
    order = F.col("_dedup_order") if "_dedup_order" in columns else F.monotonically_increasing_id()
    origin = F.col("_dedup_origin") if "_dedup_origin" in columns else F.lit(None).cast("string")
    reason = F.col("_dedup_reason") if "_dedup_reason" in columns else F.lit(None).cast("string")
    text = F.col(text_col).cast("string")
    reason = F.when(reason.isNotNull(), reason).when(F.col(id_col).isNull(), F.lit(f"missing '{id_col}' field")).when(
        text.isNull(), F.lit(f"missing '{text_col}' field"))
    return df.select(
        order.alias("order"), F.coalesce(F.col(id_col).cast("string"), origin, F.lit("?")).alias("id"),
        text.alias("text"), published.alias("published"), *named, origin.alias("origin"), reason.alias("reason"),
    )


def deduplicate_members(df: Any, id_col: str = "id", text_col: str = "text", config: DedupConfig | None = None,
                        published_col: str | None = "published") -> tuple[Any, Any]:
    """Run stages 1-6; returns ``(prepared, members)`` DataFrames: every input row's status,
    and the cluster rows of the articles in clusters (with, ``cluster_id`` null, a row per
    text that holds others outside its family, see :data:`_MEMBER_SCHEMA`)."""
    F = _functions()
    from pyspark.sql import Window

    config = config if config is not None else DedupConfig()
    inputs = _with_inputs(df, id_col, text_col, published_col)
    prepared = inputs.mapInArrow(_prepare_partition(config), _PREPARED_SCHEMA)
    # Repeated ids: the first record read keeps the id (reader rejections do not count).
    first = Window.partitionBy("id", "read_ok").orderBy("order")
    repeated = F.col("read_ok") & (F.row_number().over(first) > 1)
    where = F.coalesce(F.first("origin").over(first), F.lit("an earlier record"))
    prepared = prepared.withColumn("_repeated", repeated).withColumn("_where", where).withColumn(
        "status", F.when(F.col("_repeated"), F.lit("rejected")).otherwise(F.col("status"))
    ).withColumn(
        "reason", F.when(F.col("_repeated"), F.concat(F.lit("duplicate id: already used by "), F.col("_where"),
                                                       F.lit("; ids must be unique"))).otherwise(F.col("reason"))
    ).drop("_repeated", "_where").localCheckpoint()
    usable = prepared.where("status = 'ok'")
    if config.clean.learn_template:
        template = learn_template(usable)
        if template.size:
            holding = F.arrays_overlap("block_keys", F.array(*[F.lit(int(k)) for k in template.view(np.int64)]))
            orders = usable.where(holding).select("order")
            again = inputs.join(orders, "order").mapInArrow(_prepare_partition(config, template), _PREPARED_SCHEMA)
            prepared = prepared.join(orders, "order", "left_anti").unionByName(again).localCheckpoint()
            usable = prepared.where("status = 'ok'")

    # Stage 3: LSH buckets -> candidate pairs (a < b by id), each row with its next max_bucket - 1 bucket mates.
    keyed = usable.select("id", F.posexplode("keys").alias("band", "key"))
    bucket = Window.partitionBy("band", "key")
    ranked = keyed.withColumn("size", F.count("*").over(bucket)).where("size > 1").withColumn(
        "pos", F.row_number().over(bucket.orderBy("id"))
    )
    window = config.lsh.max_bucket - 1
    # The last of a bucket reaches nobody (sequence(size + 1, size) would count down to itself).
    reach = ranked.where("pos < size").select(
        "band", "key", F.col("id").alias("a"),
        F.explode(F.sequence(F.col("pos") + 1, F.least(F.col("size"), F.col("pos") + window))).alias("pos"),
    )
    pairs = reach.join(ranked.select("band", "key", "pos", F.col("id").alias("b")), ["band", "key", "pos"]).select("a", "b").distinct()

    # Stage 4: verify every candidate on the exact sets.
    sets = usable.select("id", "shingles", "own", "figures", "head", F.col("published_us").alias("published"))
    side_a = sets.select(*[F.col(c).alias(f"a_{c}") if c != "id" else F.col("id").alias("a") for c in sets.columns])
    side_b = sets.select(*[F.col(c).alias(f"b_{c}") if c != "id" else F.col("id").alias("b") for c in sets.columns])
    scored = pairs.join(side_a, "a").join(side_b, "b").select(
        "a", "b", "a_shingles", "b_shingles", "a_own", "b_own", "a_figures", "b_figures", "a_head", "b_head",
        "a_published", "b_published",
    )
    copies = scored.mapInArrow(_verify_partition(config), _EDGE_SCHEMA).localCheckpoint()
    copies = copies.unionByName(held_beginnings(usable, copies, config)).localCheckpoint()

    # Stage 5 and 6: components, then the guard and the election per component.
    components = connected_components(copies).localCheckpoint()
    members = usable.drop("keys", "block_keys", "block_words", "block_sims", "passages", "lede_passages").join(components.select(F.col("node").alias("id"), F.col("component").alias("group_m")), "id")
    edges = copies.join(components.select(F.col("node").alias("a"), F.col("component").alias("group_e")), "a")
    cluster_rows = _cluster_component(config)
    clustered = members.groupBy("group_m").cogroup(edges.groupBy("group_e")).applyInPandas(
        lambda m, e: cluster_rows(m.drop(columns=["group_m"]), e), _MEMBER_SCHEMA
    )
    return prepared, clustered


def deduplicate(df: Any, id_col: str = "id", text_col: str = "text", config: DedupConfig | None = None,
                published_col: str | None = "published") -> Any:
    """Deduplicate a Spark DataFrame of articles.

    Args:
        df: One row per article.
        id_col: The unique id column.
        text_col: The text column.
        config: Settings, as for :class:`dedup.Deduplicator`.
        published_col: The publication date column (text or timestamp), if any: the
            canonical policy and the copy rule's date test read it.

    Returns:
        One row per input row: ``id``, ``cluster_id`` and ``canonical_id`` (null for an
        article with no copy), ``is_canonical`` (true for canonicals and articles with
        no copy: the rows to keep), ``jaccard`` and ``containment`` against the
        canonical, ``relation`` (``canonical``, ``exact``, ``near``, ``excerpt``, null
        for no copy, ``rejected``) and ``reason`` (the canonical's election, or why the
        row was rejected).
    """
    F = _functions()
    prepared, clustered = deduplicate_members(df, id_col, text_col, config, published_col)
    status = prepared.select("id", "order", "status", F.col("reason").alias("why"))
    joined = status.join(clustered.where(F.col("cluster_id").isNotNull()), "id", "left")
    rejected = F.col("status") == "rejected"
    return joined.select(
        "id",
        F.when(rejected, None).otherwise(F.col("cluster_id")).alias("cluster_id"),
        F.when(rejected, None).otherwise(F.col("canonical_id")).alias("canonical_id"),
        F.when(rejected, False).otherwise(F.coalesce(F.col("is_canonical"), F.lit(True))).alias("is_canonical"),
        F.when(rejected, None).otherwise(F.col("jaccard")).alias("jaccard"),
        F.when(rejected, None).otherwise(F.col("containment")).alias("containment"),
        F.when(rejected, F.lit("rejected")).otherwise(F.col("relation")).alias("relation"),
        F.when(rejected, F.col("why")).otherwise(F.coalesce(F.col("reason"), F.lit("no copy found"))).alias("reason"),
    )


def to_result(df: Any, id_col: str = "id", text_col: str = "text", config: DedupConfig | None = None,
              published_col: str | None = "published") -> Result:
    """Run on Spark and gather a :class:`dedup.Result` on the driver (what ``dedup report
    --engine spark`` renders): the clustered rows, what texts contain, singleton ids and
    rejections only. Headlines and sites come from the ``title``, ``source`` and ``url``
    columns when the input has them."""
    prepared, clustered = deduplicate_members(df, id_col, text_col, config, published_col)
    by_cluster: dict[str, list[Any]] = {}
    held: dict[str, set[str]] = {}
    for row in clustered.toLocalIterator():
        if row["cluster_id"] is None:
            held.setdefault(row["id"], set()).update(row["contained"])
        else:
            by_cluster.setdefault(row["cluster_id"], []).append(row)
    clusters: list[Cluster] = []
    for rows in by_cluster.values():
        head = next(r for r in rows if r["is_canonical"])
        members = [Member(head["id"], 1.0, 1.0, 1.0, "canonical", 1.0, *_named(head))] + [
            Member(r["id"], r["jaccard"], r["containment"], r["canonical_containment"], r["relation"], r["own_containment"],
                   *_named(r))
            for r in sorted((r for r in rows if not r["is_canonical"]), key=_time_order)
        ]
        clusters.append(Cluster(head["cluster_id"], head["id"], head["reason"], tuple(members)))
    clusters.sort(key=lambda c: c.canonical)
    clustered_ids = {m.id for c in clusters for m in c.members}
    singletons: list[str] = []
    rejected: list[Rejection] = []
    too_short: list[str] = []
    floor = (config if config is not None else DedupConfig()).verify.min_shared_shingles
    F = _functions()
    shingles = (F.length("shingles") / 8).alias("shingles")
    for row in prepared.select("id", "status", "reason", "origin", shingles).toLocalIterator():
        if row["status"] == "rejected":
            rejected.append(Rejection(row["id"], row["reason"], row["origin"]))
        elif row["id"] not in clustered_ids:
            singletons.append(row["id"])
            if row["shingles"] < floor:
                too_short.append(row["id"])
    return Result(
        clusters=tuple(clusters),
        singletons=tuple(sorted(singletons)),
        rejected=tuple(sorted(rejected, key=lambda r: (r.id, r.origin or ""))),
        too_short=tuple(sorted(too_short)),
        contains={container: tuple(sorted(held[container])) for container in sorted(held)},
    )


def _named(row: Any) -> tuple[str | None, str | None, str | None]:
    """A member row's publication time, site and headline, as :class:`dedup.Member` holds them."""
    return row["published"], row["site"], row["headline"]


def _jsonl_partition(fields: Any) -> Any:
    """The ``mapInArrow`` function that parses JSONL lines with the local reader's rules."""
    from dedup.io.readers import parse_jsonl_line  # the local reader's rules, line by line

    def parse(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            rows: list[dict[str, Any]] = []
            for record in _records(batch):
                if not record.line.strip():
                    continue
                origin = f"{record.name}:{record.number}"
                item = parse_jsonl_line(record.line.encode("utf-8"), origin, fields)
                if isinstance(item, Rejection):
                    rows.append({"_dedup_order": record.order, "id": item.id, "_dedup_origin": item.origin,
                                 "_dedup_reason": item.reason})
                else:
                    published = None if item.published is None else utc(item.published).isoformat()
                    rows.append({"_dedup_order": record.order, "id": item.id, "text": item.text,
                                 "published": published, "title": item.title, "source": item.source, "url": item.url,
                                 "_dedup_origin": origin})
            yield _arrow_batch(rows, _INPUT_SCHEMA)

    return parse


_INPUT_SCHEMA = (
    "_dedup_order long, id string, text string, published string, title string, source string, url string, "
    "_dedup_origin string, _dedup_reason string"
)


def _spark_kind(raw: str) -> str:
    """``jsonl`` or ``parquet`` for a local path or a URL; a Parquet dataset may be a folder.

    Raises:
        InputError: A local path is missing, or the input is neither JSONL nor Parquet.
    """
    from pathlib import Path

    from dedup.errors import InputError
    from dedup.io.readers import input_format

    if raw == "-":
        raise InputError("-: the Spark engine reads files (JSONL, Parquet), not standard input")
    name = raw.rstrip("/").lower()
    if "://" in raw:
        if name.endswith(".parquet"):
            return "parquet"
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            return "jsonl"
        raise InputError(f"{raw}: name a .jsonl (.gz) or .parquet input for the Spark engine")
    path = Path(raw)
    if not path.exists():
        raise InputError(f"{raw}: no such file or directory")
    if path.is_dir():
        if name.endswith(".parquet") or any(path.glob("*.parquet")):
            return "parquet"
        raise InputError(f"{raw}: a folder the Spark engine reads must hold .parquet files")
    return input_format(path)


def read_input(spark: Any, paths: list[str], fields: Any = None) -> Any:
    """JSONL (also ``.gz``) and Parquet files as one DataFrame of articles for :func:`to_result`,
    with each record's origin (``FILE:line`` or ``FILE:row N``) and reader rejections.

    Raises:
        InputError: A path is missing or is not JSONL or Parquet.
    """
    from dedup.errors import InputError
    from dedup.io.fields import FieldMap

    F = _functions()
    fields = fields if fields is not None else FieldMap()
    frames = []
    for number, raw in enumerate(paths):
        path = raw  # a local path or a URL (hdfs://, s3a://, ...) that Spark reads
        kind = _spark_kind(str(raw))
        offset = number << 40  # keeps the inputs in order
        if kind == "jsonl":
            lines = spark.sparkContext.textFile(str(path)).zipWithIndex().map(
                lambda pair, name=str(path), base=offset: (base + pair[1], name, pair[1] + 1, pair[0])
            )
            frame = spark.createDataFrame(lines, "order long, name string, number long, line string")
            frames.append(frame.mapInArrow(_jsonl_partition(fields), _INPUT_SCHEMA))
        elif kind == "parquet":
            table = spark.read.parquet(str(path)).select("*", F.col("_metadata.row_index").alias("_row"))
            for column in fields.required():
                if column not in table.columns:
                    raise InputError(f"{path}: no column {column!r}; the columns are {table.columns}; name yours with --id-field/--text-field")
            date = _date_text(table, fields.published or ("published" if "published" in table.columns else "date"))
            named = [
                (F.col(column).cast("string") if column in table.columns else F.lit(None).cast("string")).alias(name)
                for name, column in zip(_NAMING_COLUMNS, (fields.title, fields.source, fields.url))
            ]
            frames.append(table.select(
                (F.lit(offset) + F.col("_row")).alias("_dedup_order"), F.col(fields.id).cast("string").alias("id"),
                F.col(fields.text).cast("string").alias("text"), date.alias("published"), *named,
                F.concat(F.lit(f"{path}:row "), (F.col("_row") + 1).cast("string")).alias("_dedup_origin"),
                F.lit(None).cast("string").alias("_dedup_reason"),
            ))
        else:
            raise InputError(f"{path}: the Spark engine reads JSONL and Parquet; use the local engine for {kind}")
    combined = frames[0]
    for frame in frames[1:]:
        combined = combined.unionByName(frame)
    return combined
