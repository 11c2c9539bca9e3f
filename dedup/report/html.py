"""HTML report: one self-contained page for editors.

The page has a summary, a histogram of cluster sizes, the duplicate rate per source,
every cluster with its canonical and the reason (members in time order with their
date, site and headline), and what compilations contain; each copy is shown beside the
canonical with the passages they share highlighted and the page junk the cleaner
removed greyed out. It loads nothing from the network and runs no script: a
Content-Security-Policy forbids both, and every piece of article text, id, source and
reason is HTML-escaped, so a scraped page's markup stays text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from dedup import __version__
from dedup.align import Passage, Word, shared_passages, words
from dedup.heading import site_of
from dedup.models import Article, Cluster, Member, Removed, Result
from dedup.text.normalize import repair

MAX_COPIES_SHOWN = 25
"""Copies shown side by side per cluster; the table lists them all."""
MAX_CLUSTERS_WITH_TEXT = 1000
"""Clusters (the first, in report order) whose texts are shown; later ones show their table only."""
MAX_TEXT_CHARS = 30_000
"""Characters of one article shown; longer ones are cut with a note."""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:0 1.5em 3em;color:#1d1d1f}
h1{margin:.8em 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .7em;text-align:left;border-bottom:1px solid #eee}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cluster{border:1px solid #ccd;border-radius:6px;padding:.4em 1em;margin:1em 0}
.reason{color:#333}.pair{margin:.6em 0}.pair>summary{cursor:pointer;font-weight:600}
.side-by-side{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-top:.5em}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #e3e3e8;border-radius:4px;padding:.6em;
font-size:13px;max-height:36em;overflow:auto;background:#fff}
.doc h4{margin:0 0 .4em;white-space:normal}
mark.shared{background:#fff0a8}
.removed{color:#9a9a9a;text-decoration:line-through}
.chrome{color:#9a9a9a;font-size:12px;border-bottom:1px dashed #ccc;margin-bottom:.5em;white-space:normal}
.chrome ul{margin:.2em 0;padding-left:1.2em}
.cut{color:#9a4a00;font-style:italic}
.legend mark,.legend span{padding:0 .3em}
.overview{display:flex;flex-wrap:wrap;gap:0 3em;align-items:flex-start}
.overview section{max-height:24em;overflow:auto}
"""


def _e(value: object) -> str:
    """Escape any value for HTML text and attributes."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class _Shown:
    """An article prepared for display: its text, where its removed junk lies, its body words."""

    article: Article
    text: str
    removed_spans: list[tuple[int, int, str]]
    unplaced: list[Removed]
    body: list[Word]


def source_of(article: Article | None) -> str:
    """An article's source for the per-source table: its site (:func:`dedup.heading.site_of`)."""
    site = None if article is None else site_of(article.source, article.url)
    return "(unknown)" if site is None else site


def _shown(article: Article, removed: tuple[Removed, ...], fix_mojibake: bool) -> _Shown:
    text = repair(article.text, fix_mojibake=fix_mojibake)
    spans: list[tuple[int, int, str]] = []
    unplaced: list[Removed] = []
    cursor = 0
    for piece in removed:
        if piece.kind == "page chrome" or not piece.text.strip():
            unplaced.append(piece)
            continue
        at = text.find(piece.text, cursor)
        if at < 0:
            at = text.find(piece.text)
        if at < 0:
            unplaced.append(piece)
            continue
        spans.append((at, at + len(piece.text), piece.kind))
        cursor = at + len(piece.text)
    spans.sort()
    body = [w for w in words(text) if not any(s <= w.start < e for s, e, _ in spans)]
    return _Shown(article, text, spans, unplaced, body)


def _marked(shown: _Shown, highlights: list[tuple[int, int]]) -> str:
    """The article text as HTML: removed junk greyed, shared passages marked, the rest escaped."""
    text = shown.text
    limit = min(len(text), MAX_TEXT_CHARS)
    classes = bytearray(limit)  # 0 plain, 1 shared, 2 removed (removed wins)
    for start, end in highlights:
        classes[start:min(end, limit)] = b"\x01" * max(0, min(end, limit) - start)
    for start, end, _ in shown.removed_spans:
        classes[start:min(end, limit)] = b"\x02" * max(0, min(end, limit) - start)
    out: list[str] = []
    start = 0
    while start < limit:
        kind = classes[start]
        end = start + 1
        while end < limit and classes[end] == kind:
            end += 1
        piece = _e(text[start:end])
        if kind == 2:
            out.append(f'<span class="removed" title="removed as page junk">{piece}</span>')
        elif kind == 1:
            out.append(f'<mark class="shared">{piece}</mark>')
        else:
            out.append(piece)
        start = end
    if limit < len(text):
        out.append(f'<span class="cut">[… {len(text) - limit:,} more characters not shown]</span>')
    return "".join(out)


def _doc(shown: _Shown, role: str, highlights: list[tuple[int, int]]) -> str:
    article = shown.article
    title = f"<h4>{_e(role)}: {_e(article.id)}</h4>"
    if article.title:
        title += f'<div class="title">{_e(article.title)}</div>'
    chrome = ""
    if shown.unplaced:
        items = "".join(f"<li>{_e(p.text[:300])}</li>" for p in shown.unplaced[:40])
        more = f"<li>… {len(shown.unplaced) - 40} more</li>" if len(shown.unplaced) > 40 else ""
        chrome = f'<div class="chrome">Removed from the page:<ul>{items}{more}</ul></div>'
    return f'<div class="doc {role}">{title}{chrome}{_marked(shown, highlights)}</div>'


def _pair(canonical: _Shown, copy: _Shown, member: Member, size: int) -> str:
    passages: list[Passage] = shared_passages(copy.body, canonical.body, size)
    in_copy = [(p.a_start, p.a_end) for p in passages]
    in_canonical = [(p.b_start, p.b_end) for p in passages]
    summary = (
        f"{_e(copy.article.id)}: {_e(member.relation)} copy, {member.containment:.0%} of it in the canonical, "
        f"Jaccard {member.jaccard:.2f}"
    )
    return (
        f'<details class="pair"><summary>{summary}</summary><div class="side-by-side">'
        f'{_doc(canonical, "canonical", in_canonical)}{_doc(copy, "copy", in_copy)}</div></details>'
    )


def _cluster(number: int, cluster: Cluster, articles: Mapping[str, Article], result: Result, size: int, fix: bool) -> str:
    rows = "".join(
        f"<tr><td>{_e(m.id)}</td><td>{_e(_when(m.published))}</td><td>{_e(m.site or '')}</td>"
        f'<td class="headline">{_e(m.headline or "")}</td><td>{_e(m.relation)}</td>'
        + ("<td></td><td></td>" if m.relation == "canonical" else
           f'<td class="n">{m.jaccard:.2f}</td><td class="n">{m.containment:.2f}</td>')
        + "</tr>"
        for m in cluster.members
    )
    table = (
        '<table class="members"><tr><th>id</th><th>published (UTC)</th><th>site</th><th>headline</th>'
        f'<th>relation</th><th class="n">Jaccard</th><th class="n">contained</th></tr>{rows}</table>'
    )
    pairs = ""
    canonical_article = articles.get(cluster.canonical) if number <= MAX_CLUSTERS_WITH_TEXT else None
    if canonical_article is not None:
        canonical = _shown(canonical_article, result.removed.get(cluster.canonical, ()), fix)
        shown = [m for m in cluster.duplicates if m.id in articles][:MAX_COPIES_SHOWN]
        pairs = "".join(
            _pair(canonical, _shown(articles[m.id], result.removed.get(m.id, ()), fix), m, size) for m in shown
        )
        if len(cluster.duplicates) > len(shown):
            pairs += f'<p class="cut">{len(cluster.duplicates) - len(shown)} more copies are listed above, not shown.</p>'
    return (
        f'<section class="cluster" id="{_e(cluster.cluster_id)}"><h3>Cluster {number}: {len(cluster.members)} copies '
        f'<small>({_e(cluster.cluster_id)})</small></h3><p class="reason"><b>Canonical:</b> {_e(cluster.reason)}</p>'
        f"{table}{pairs}</section>"
    )


def _when(published: str | None) -> str:
    """A member's publication time to the minute, or ``undated``."""
    return "undated" if published is None else published[:16].replace("T", " ")


def _contains(result: Result) -> str:
    """The texts that hold passages of other stories, and what they hold."""
    if not result.contains:
        return "<p>No text holds passages of other stories.</p>"
    items = "".join(
        f"<li><b>{_e(container)}</b> contains: {', '.join(_e(i) for i in held)}</li>"
        for container, held in sorted(result.contains.items())
    )
    note = "<p>Live blogs, digests and other pages that hold other stories, left out of their clusters.</p>"
    return f"{note}<ul>{items}</ul>"


def _histogram(result: Result) -> str:
    sizes = Counter(len(c.members) for c in result.clusters)
    if not sizes:
        return "<p>No clusters.</p>"
    keys = sorted(sizes)
    top = max(sizes.values())
    bar, gap, height = 30, 10, 110
    width = len(keys) * (bar + gap) + gap
    bars = []
    for i, key in enumerate(keys):
        h = max(2, round(height * sizes[key] / top))
        x = gap + i * (bar + gap)
        bars.append(
            f'<rect x="{x}" y="{height - h + 16}" width="{bar}" height="{h}" fill="#5b7fc7">'
            f"<title>{sizes[key]} clusters of {key}</title></rect>"
            f'<text x="{x + bar / 2}" y="{height - h + 12}" text-anchor="middle" font-size="11">{sizes[key]}</text>'
            f'<text x="{x + bar / 2}" y="{height + 32}" text-anchor="middle" font-size="11">{key}</text>'
        )
    return (
        f'<svg class="histogram" role="img" aria-label="cluster sizes" width="{width}" height="{height + 40}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg><p>Bars: clusters per size (copies in the cluster).</p>'
    )


def _sources(result: Result, sources: Mapping[str, str]) -> str:
    totals: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    for article_id, source in sources.items():
        totals[source] += 1
    for cluster in result.clusters:
        for member in cluster.duplicates:
            duplicates[sources.get(member.id, "(unknown)")] += 1
    order = sorted(totals, key=lambda s: (-duplicates[s] / totals[s], s))
    rows = "".join(
        f'<tr><td>{_e(s)}</td><td class="n">{totals[s]}</td><td class="n">{duplicates[s]}</td>'
        f'<td class="n">{duplicates[s] / totals[s]:.1%}</td></tr>'
        for s in order
    )
    return (
        '<table class="sources"><tr><th>source</th><th class="n">articles</th><th class="n">duplicates</th>'
        f'<th class="n">duplicate rate</th></tr>{rows}</table>'
    )


def render_html(
    result: Result,
    articles: Mapping[str, Article],
    sources: Mapping[str, str] | None = None,
    shingle_size: int = 5,
    fix_mojibake: bool = True,
) -> str:
    """The report as one self-contained HTML page.

    Args:
        result: The deduplication result.
        articles: The articles of the clusters, by id (their text is shown; only those of the
            first :data:`MAX_CLUSTERS_WITH_TEXT` clusters are needed).
        sources: Every usable article's source, by id, for the duplicate rate per source
            (defaults to the sources of ``articles``).
        shingle_size: Shortest shared passage highlighted, in words (the shingle size).
        fix_mojibake: Show texts with mojibake repaired, as the engine read them.
    """
    if sources is None:
        sources = {i: source_of(a) for i, a in articles.items()}
    stats = result.stats
    usable = stats["articles"] - stats["rejected"]
    rate = stats["duplicates"] / usable if usable else 0.0
    summary = (
        f'<table class="stats"><tr><th>articles</th><td class="n">{stats["articles"]}</td></tr>'
        f'<tr><th>clusters</th><td class="n">{stats["clusters"]}</td></tr>'
        f'<tr><th>duplicates</th><td class="n">{stats["duplicates"]}</td></tr>'
        f'<tr><th>singletons</th><td class="n">{stats["singletons"]}</td></tr>'
        f'<tr><th>rejected</th><td class="n">{stats["rejected"]}</td></tr>'
        f'<tr><th>duplicate rate</th><td class="n">{rate:.1%}</td></tr></table>'
    )
    clusters = "".join(
        _cluster(n, c, articles, result, shingle_size, fix_mojibake) for n, c in enumerate(result.clusters, start=1)
    )
    if len(result.clusters) > MAX_CLUSTERS_WITH_TEXT:
        clusters += (
            f'<p class="cut">Texts are shown for the first {MAX_CLUSTERS_WITH_TEXT:,} clusters; '
            f"the other {len(result.clusters) - MAX_CLUSTERS_WITH_TEXT:,} list their members and scores.</p>"
        )
    rejected = "".join(
        f"<li><b>{_e(r.id)}</b>{' (' + _e(r.origin) + ')' if r.origin and r.origin != r.id else ''}: {_e(r.reason)}</li>"
        for r in result.rejected
    )
    legend = (
        '<p class="legend"><mark class="shared">shared passage</mark> '
        '<span class="removed">page junk removed before matching</span></p>'
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>dedup report: {stats['clusters']} clusters in {stats['articles']} articles</title>"
        f"<style>{_STYLE}</style></head><body>"
        f'<h1>dedup report</h1><div class="overview"><section id="summary"><h2>Summary</h2>{summary}</section>'
        f'<section id="sizes"><h2>Cluster sizes</h2>{_histogram(result)}</section>'
        f'<section id="sources"><h2>Duplicate rate per source</h2>{_sources(result, sources)}</section></div>'
        f'<section id="clusters"><h2>Clusters</h2>{legend}{clusters or "<p>No copies found.</p>"}</section>'
        f'<section id="contains"><h2>Contains ({len(result.contains)})</h2>{_contains(result)}</section>'
        f'<section id="rejected"><h2>Rejected ({len(result.rejected)})</h2><ul>{rejected}</ul></section>'
        f"<footer><p>dedup {_e(__version__)}</p></footer></body></html>\n"
    )
