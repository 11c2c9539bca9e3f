"""Terminal rendering of :class:`dedup.explain.Explanation` (``dedup explain``)."""

from __future__ import annotations

from dedup.explain import Explanation, Side

_SHOWN_PASSAGES = 20
_PASSAGE_CHARS = 160


def _side_lines(name: str, side: Side, other: str) -> list[str]:
    verdict = "yes" if side.in_other else f"no: {side.why_not}"
    return [
        f"{name}: {side.id}",
        f"   body: {side.body_words} words, {side.shingles} shingles; {side.removed} pieces of page junk removed",
        f"   in {other}: {side.contained:.2f} of its shingles; own words {side.own_contained:.2f}; "
        f"figures {side.figures_contained:.2f} of {side.figures}",
        f"   contained under the copy rule: {verdict}",
        f"   words in shared passages: {side.shared_words:.0%}",
    ]


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _PASSAGE_CHARS else flat[: _PASSAGE_CHARS - 1] + "…"


def render_explanation(found: Explanation) -> str:
    """The pair's scores, relation, rule and shared passages as plain text."""
    lines = [*_side_lines("A", found.a, "B"), *_side_lines("B", found.b, "A")]
    if found.hours_apart is not None:
        lines.append(f"dated {found.hours_apart:.1f} hours apart")
    lines.append(f"jaccard: {found.jaccard:.2f}")
    lines.append(f"relation: {found.relation} ({found.summary})")
    passages = sorted(found.passages, key=lambda p: (-p.words, p.a_first))
    lines.append(f"shared passages: {len(found.passages)}" + (" (longest first)" if passages else ""))
    for p in passages[:_SHOWN_PASSAGES]:
        lines.append(f"  A words {p.a_first}-{p.a_first + p.words - 1} = B words {p.b_first}-{p.b_first + p.words - 1}"
                     f" ({p.words} words): {_short(p.a_text(found.a.body))}")
    if len(passages) > _SHOWN_PASSAGES:
        lines.append(f"  … {len(passages) - _SHOWN_PASSAGES} shorter passages not shown (--format json lists all)")
    return "\n".join(lines) + "\n"
