"""Terminal report: a readable table of clusters and the totals."""

from __future__ import annotations

from dedup.models import Result


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(result: Result) -> str:
    """Clusters (canonical first, each copy scored against it), rejections and totals."""
    lines: list[str] = []
    width = max([len(m.id) for c in result.clusters for m in c.members] + [10])
    width = min(width, 60)
    for number, cluster in enumerate(result.clusters, start=1):
        lines.append(f"cluster {number} ({cluster.cluster_id}): {len(cluster.members)} copies")
        lines.append(f"  canonical: {cluster.reason}")
        lines.append(f"    {'id':<{width}}  {'jaccard':>7}  {'contained':>9}  relation")
        for member in cluster.members:
            if member.relation == "canonical":
                lines.append(f"  * {_fit(member.id, width):<{width}}  {'':>7}  {'':>9}  canonical")
            else:
                lines.append(
                    f"    {_fit(member.id, width):<{width}}  {member.jaccard:>7.2f}  "
                    f"{member.containment:>9.2f}  {member.relation}"
                )
        lines.append("")
    if result.rejected:
        lines.append(f"rejected ({len(result.rejected)}):")
        for rejection in result.rejected:
            lines.append(f"  {rejection.id}: {rejection.reason}")
        lines.append("")
    if result.too_short:
        shown = ", ".join(result.too_short[:20]) + (", ..." if len(result.too_short) > 20 else "")
        lines.append(f"too short to judge, kept and never matched ({len(result.too_short)}): {shown}")
        lines.append("")
    stats = result.stats
    lines.append(
        f"{stats['articles']} articles: {stats['clusters']} clusters holding {stats['duplicates']} duplicates, "
        f"{stats['singletons']} singletons, {stats['rejected']} rejected"
    )
    lines.append("(contained = share of the copy's text found in the canonical)")
    return "\n".join(lines) + "\n"
