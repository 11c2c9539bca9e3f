"""Terminal report: a readable table of clusters and the totals."""

from __future__ import annotations

from dedup.models import Member, Result

LINE_WIDTH = 100
"""Characters a member's date, site and headline line is fitted to."""
_SITE_WIDTH = 30
_SHOWN_IDS = 20


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _named(member: Member) -> str | None:
    """A member's publication time (UTC, to the minute), site and headline on one line,
    or None when none is known."""
    if member.published is None and member.site is None and member.headline is None:
        return None
    when = member.published[:16].replace("T", " ") if member.published else "undated"
    parts = [when]
    if member.site is not None:
        parts.append(_fit(member.site, _SITE_WIDTH))
    if member.headline is not None:
        parts.append(member.headline)
    return _fit("      " + " · ".join(parts), LINE_WIDTH)


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids[:_SHOWN_IDS]) + (f", ... ({len(ids)} in all)" if len(ids) > _SHOWN_IDS else "")


def render_text(result: Result) -> str:
    """Clusters (canonical first, then each member in time order, scored against the
    canonical, with its date, site and headline), what compilations contain,
    rejections and totals."""
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
            named = _named(member)
            if named is not None:
                lines.append(named)
        lines.append("")
    if result.contains:
        lines.append(f"contains: what {len(result.contains)} texts hold of other stories (not in their clusters):")
        for container, held in sorted(result.contains.items()):
            lines.append(f"  {container} contains: {_ids(held)}")
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
    lines.append("(contained = share of the copy's text found in the canonical; times are UTC)")
    return "\n".join(lines) + "\n"
