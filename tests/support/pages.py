"""Saved web pages for the HTML tests: an article's text inside realistic page chrome.

Three site layouts (a newspaper, a wire service, a blog), each with menus, a search
form, share bars, a cookie notice, "most read" or "related" lists, a newsletter box
and a footer, plus the script, style and JSON-LD a saved page carries.
"""

from __future__ import annotations

import html
import json

LAYOUTS = ("newspaper", "wire", "blog")


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def page(text: str, headline: str, layout: str, slug: str, published: str = "2023-07-13T23:14:00Z") -> str:
    """An HTML page holding ``text`` (one paragraph per line) in the chrome of ``layout``."""
    title = html.escape(headline)
    ld = html.escape(json.dumps({"@type": "NewsArticle", "headline": headline, "datePublished": published}), quote=False)
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {layout.title()} News</title>'
        f'<link rel="canonical" href="https://{layout}.example.com/news/{slug}">'
        f'<meta property="og:site_name" content="{layout.title()} News">'
        f'<meta property="article:published_time" content="{published}">'
        f'<script type="application/ld+json">{ld}</script>'
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>"
        "<style>body{font-family:serif} .share{display:flex}</style></head>"
    )
    body = _paragraphs(text)
    if layout == "newspaper":
        chrome_top = (
            '<header><a class="logo" href="/">The Newspaper</a><nav><ul>'
            + "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("World", "Politics", "Business", "Tech", "Sport", "Opinion"))
            + '</ul></nav><form role="search"><input name="q" placeholder="Search"><button>Search</button></form></header>'
            '<div class="cookie-banner">We use cookies to personalise content and ads. <button>Accept all cookies</button></div>'
        )
        article = (
            f'<main><article><h1>{title}</h1><div class="byline">By Staff Reporter | Updated 13 July 2023</div>'
            '<div class="share">Share on Facebook Share on X Share on WhatsApp Copy link</div>'
            f"{body}"
            '<div class="share">Share this article: Facebook Twitter LinkedIn Email</div></article>'
            '<aside><h3>Most read</h3><ol><li><a href="/a">Markets slide as rates rise again</a></li>'
            '<li><a href="/b">Storm brings floods to the coast overnight</a></li>'
            '<li><a href="/c">Cup final won after extra time</a></li></ol></aside></main>'
        )
        footer = (
            '<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
            '<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>'
            "<p>© 2023 The Newspaper Media Ltd. All rights reserved.</p></footer>"
        )
    elif layout == "wire":
        chrome_top = (
            '<div id="top-bar"><a href="/">Wire Service</a> | <a href="/markets">Markets</a> | '
            '<a href="/world">World</a> | <a href="/login">Sign in</a> | <a href="/subscribe">Subscribe</a></div>'
        )
        article = (
            '<div class="layout"><div class="sidebar"><h4>Trending</h4><ul>'
            '<li><a href="/t1">Oil prices jump on supply fears</a></li><li><a href="/t2">Election results: live updates</a></li>'
            '<li><a href="/t3">Central bank holds rates steady</a></li></ul></div>'
            f'<div class="story"><h1>{title}</h1><p class="dateline">July 13, 2023 11:14 PM UTC</p>{body}'
            '<p class="credit">Reporting by Wire Staff; Editing by Desk Editor</p>'
            '<div class="tags">Topics: <a href="/world">World</a> <a href="/diplomacy">Diplomacy</a></div></div></div>'
        )
        footer = (
            '<div class="newsletter"><h4>Sign up for our daily briefing</h4><form><input type="email" '
            'placeholder="Email address"><button>Sign up</button></form></div>'
            '<div class="footer">All quotes delayed a minimum of 15 minutes. © 2023 Wire Service. '
            '<a href="/terms">Terms</a> <a href="/accessibility">Accessibility</a></div>'
        )
    else:
        chrome_top = (
            '<div class="masthead"><h2><a href="/">A Blog About Things</a></h2><p>Notes on the news since 2009</p>'
            '<ul class="menu"><li><a href="/">Home</a></li><li><a href="/archive">Archive</a></li>'
            '<li><a href="/about">About</a></li></ul></div>'
        )
        article = (
            f'<div class="post"><h1 class="entry-title">{title}</h1><span class="posted">Posted by admin</span>'
            f'<div class="entry-content">{body}</div>'
            '<div class="sharedaddy"><h3>Share this:</h3><ul><li>Tweet</li><li>Facebook</li><li>Print</li></ul></div>'
            '<div class="related"><h3>Related</h3><ul><li><a href="/r1">A look back at last summer</a></li>'
            '<li><a href="/r2">Ten photos from the harbour</a></li></ul></div>'
            '<div id="comments"><h3>2 comments</h3><div class="comment">Great post, thanks!</div>'
            '<div class="comment">I disagree with most of this.</div></div></div>'
        )
        footer = '<div class="site-footer">Powered by a blog engine. Theme by someone.</div>'
    return f"{head}<body>{chrome_top}{article}{footer}</body></html>"
