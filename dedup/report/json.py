"""JSON report: the machine-readable shape of a result.

Keys are written in a fixed order and floats are rounded to 4 places, so the
same result always gives the same bytes. Each member carries its ``published`` time
(ISO-8601, UTC), ``site`` and ``headline`` (null when unknown); ``contains`` lists
what each compilation holds outside its family: ``[{"id": ..., "contains": [...]}]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dedup.models import Cluster, Result


def cluster_to_dict(c: Cluster) -> dict[str, Any]:
    """One cluster as JSON-ready data, as the report writes it."""
    return {
        "cluster_id": c.cluster_id,
        "canonical": c.canonical,
        "reason": c.reason,
        "size": len(c.members),
        "members": [
            {
                "id": m.id,
                "published": m.published,
                "site": m.site,
                "headline": m.headline,
                "jaccard": m.jaccard,
                "containment": m.containment,
                "canonical_containment": m.canonical_containment,
                "own_containment": m.own_containment,
                "relation": m.relation,
            }
            for m in c.members
        ],
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as plain JSON-ready data (see README for the format)."""
    return {
        "stats": result.stats,
        "clusters": [cluster_to_dict(c) for c in result.clusters],
        "rejected": [{"id": r.id, "reason": r.reason, "origin": r.origin} for r in result.rejected],
        "too_short": list(result.too_short),
        "contains": contains_to_list(result.contains),
    }


def contains_to_list(contains: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The ``contains`` relation as JSON-ready data: one object per container, in id order,
    with the sorted ids of the texts it holds outside its family."""
    return [{"id": container, "contains": sorted(held)} for container, held in sorted(contains.items())]


def render_json(result: Result) -> str:
    """The JSON report, pretty-printed, with a trailing newline."""
    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False) + "\n"
