"""One decision per input record: kept, duplicate (of which canonical, and why) or rejected.

The decisions follow the input's order, one per record read, so their counts add up
to the input: ``records = kept + duplicate + rejected``.

Example:
    >>> from dedup import Article, deduplicate
    >>> text = "The city council approved the new budget on Tuesday after a long debate."
    >>> articles = [Article("a", text, origin="f:1"), Article("b", text, origin="f:2")]
    >>> [d.decision for d in decide(deduplicate(articles), articles)]
    ['kept', 'duplicate']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from dedup.models import Article, Cluster, Member, Rejection, Result


@dataclass(frozen=True)
class Decision:
    """What became of one input record.

    Args:
        id: The record's id (its location when it had no usable id).
        origin: Where it was read (``FILE:line``, ``FILE:row N`` or a file path).
        decision: ``kept`` (a canonical or an article with no copy), ``duplicate`` or ``rejected``.
        cluster_id: The cluster, for a canonical or a duplicate.
        of: For a duplicate, the canonical it is a copy of.
        jaccard: For a duplicate, Jaccard similarity with the canonical.
        containment: For a duplicate, the share of its text found in the canonical.
        relation: ``canonical``, ``exact``, ``near`` or ``excerpt`` for cluster members.
        reason: Why: the canonical's election, the copy's relation, or the rejection.
    """

    id: str
    origin: str | None
    decision: str
    cluster_id: str | None = None
    of: str | None = None
    jaccard: float | None = None
    containment: float | None = None
    relation: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The decision as a JSON-ready mapping (a line of ``decisions.jsonl``)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def decide(result: Result, records: Iterable[Article | Rejection]) -> Iterator[Decision]:
    """The decision for each record of the input ``result`` was computed from, in order.

    Args:
        result: The deduplication result.
        records: The same input read again (articles and reader rejections).

    Raises:
        RuntimeError: A record is not accounted for in ``result`` (the input changed).
    """
    members: dict[str, tuple[Cluster, Member]] = {m.id: (c, m) for c in result.clusters for m in c.members}
    singletons = set(result.singletons)
    rejected = {r.origin: r for r in result.rejected if r.origin is not None}
    rejected_ids = {r.id: r for r in result.rejected if r.origin is None}
    for record in records:
        if isinstance(record, Rejection):
            yield Decision(record.id, record.origin, "rejected", reason=record.reason)
            continue
        rejection = rejected.get(record.origin) if record.origin is not None else rejected_ids.get(record.id)
        if rejection is not None:
            yield Decision(record.id, record.origin, "rejected", reason=rejection.reason)
        elif record.id in members:
            cluster, member = members[record.id]
            yield _member_decision(record, cluster, member)
        elif record.id in singletons:
            yield Decision(record.id, record.origin, "kept", reason="no copy found")
        else:
            raise RuntimeError(f"{record.origin or record.id}: not in the result; did the input change?")


def _member_decision(record: Article, cluster: Cluster, member: Member) -> Decision:
    if member.relation == "canonical":
        return Decision(
            record.id, record.origin, "kept", cluster_id=cluster.cluster_id, relation="canonical",
            reason=f"canonical of {len(cluster.members)} copies: {cluster.reason}",
        )
    return Decision(
        record.id, record.origin, "duplicate", cluster_id=cluster.cluster_id, of=cluster.canonical,
        jaccard=member.jaccard, containment=member.containment, relation=member.relation,
        reason=(
            f"{member.relation} copy: {member.containment:.0%} of its text is in {cluster.canonical}, "
            f"the canonical ({cluster.reason})"
        ),
    )
