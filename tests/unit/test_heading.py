"""What reports name an article by (headline, site, date), and what compilations contain."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

import dedup
from dedup.heading import HEADLINE_CHARS, heading, site_of
from dedup.report import render_html, render_json, render_text
from dedup.text.clean import clean
from tests.support.prose import ProseMaker


def para(prose: ProseMaker, n: int = 40) -> str:
    return prose.make(n)


# --- the page's headline line ------------------------------------------------------------------


def test_the_headline_line_is_the_first_short_line_above_the_body_that_is_no_menu_or_byline_place(prose):
    body = "\n".join(para(prose) for _ in range(3))
    page = "\n".join([
        "Menu", "World | Business | Sport | Culture", "Home > World > Europe",
        "Harbour bridge reopens after two years of repairs", "By Ann Lee", body,
    ])
    assert clean(page).headlines[0] == "Harbour bridge reopens after two years of repairs"


@pytest.mark.parametrize(
    "line",
    [
        "北京市政府宣布新的交通规划方案",  # written without spaces: its letters count
        "Мэрия открыла новый мост через реку",
        "Le pont du port rouvre après deux ans de travaux",
    ],
)
def test_the_headline_line_is_found_in_any_script(prose, line):
    page = line + "\n" + "\n".join(para(prose) for _ in range(2))
    assert clean(page).headlines == (line,)


def test_a_page_title_line_gives_its_headline_side_and_dates_or_labels_are_no_headline(prose):
    body = "\n".join(para(prose) for _ in range(2))
    page = "Updated: 13 May 2024 09:12\nTopics:\nCouncil approves the budget | The Daily Post\n" + body
    assert clean(page).headlines == ("Council approves the budget",)


def test_a_page_that_opens_with_its_body_has_no_headline_line(prose):
    page = "\n".join(para(prose) for _ in range(3)) + "\nShare this article\nSee also our other stories today"
    assert clean(page).headlines == ()


# --- headline and site -------------------------------------------------------------------------


def test_headline_from_the_title_else_the_page_line_that_is_not_the_sites_name():
    lines = ("Capital Street Journal", "Markets rally on rate hopes")
    titled = dedup.Article("a", "x", title="  Markets   rally\non rate hopes ", url="https://www.capitalstreetjournal.com/a")
    assert heading(titled, lines) == ("Markets rally on rate hopes", "capitalstreetjournal.com")
    untitled = dedup.Article("b", "x", url="https://www.capitalstreetjournal.com/b")
    assert heading(untitled, lines).headline == "Markets rally on rate hopes"  # the site's name line is skipped
    assert heading(dedup.Article("c", "x", source="Capital Street Journal"), lines).headline == lines[1]
    assert heading(dedup.Article("d", "x"), lines).headline == lines[0]  # nothing says it names the site
    assert heading(dedup.Article("e", "x"), ()) == (None, None)
    long = heading(dedup.Article("f", "x", title="word " * 100))
    assert long.headline is not None and len(long.headline) == HEADLINE_CHARS and long.headline.endswith("…")


def test_site_from_the_source_else_the_urls_host_without_www():
    assert site_of("Reuters", "https://www.example.com/a") == "Reuters"
    assert site_of(None, "https://www.Example.com:8443/a?b=c") == "example.com"
    assert site_of("  ", "http://news.example.org/x") == "news.example.org"
    assert site_of(None, "not a url") is None
    assert site_of(None, None) is None


# --- members in the reports --------------------------------------------------------------------


def test_members_carry_date_site_and_headline_in_time_order_in_every_report(prose):
    text = "\n\n".join(para(prose) for _ in range(3))
    start = datetime(2024, 5, 1, 9, 13, tzinfo=timezone(timedelta(hours=2)))
    articles = [
        dedup.Article("late", text + " Updated.", title="Bridge reopens, updated", source="Daily Post",
                      published=start + timedelta(hours=4)),
        dedup.Article("early", text, url="https://www.wire.example.com/bridge", published=start),
        dedup.Article("page", "Bridge reopens after repairs\n" + text + "\nMore soon."),
        dedup.Article("middle", text, title="Bridge reopens", published=start + timedelta(hours=1)),
    ]
    random.Random(3).shuffle(articles)
    result = dedup.deduplicate(articles, canonical_policy=["most_complete"])
    [cluster] = json.loads(render_json(result))["clusters"]
    members = [(m["id"], m["published"], m["site"], m["headline"]) for m in cluster["members"]]
    assert members[0][0] == cluster["canonical"]
    expected = [
        ("early", "2024-05-01T07:13:00Z", "wire.example.com", None),
        ("middle", "2024-05-01T08:13:00Z", None, "Bridge reopens"),
        ("late", "2024-05-01T11:13:00Z", "Daily Post", "Bridge reopens, updated"),
        ("page", None, None, "Bridge reopens after repairs"),
    ]
    assert sorted(members) == sorted(expected)
    assert members[1:] == [m for m in expected if m[0] != cluster["canonical"]]  # time order, undated last
    text_report = render_text(result)
    assert "2024-05-01 11:13 · Daily Post · Bridge reopens, updated" in text_report
    assert "undated · Bridge reopens after repairs" in text_report
    page = render_html(result, {a.id: a for a in articles})
    assert "<td>2024-05-01 07:13</td><td>wire.example.com</td>" in page
    assert '<td class="headline">Bridge reopens after repairs</td>' in page


# --- contains ------------------------------------------------------------------------------------


def test_a_live_blog_and_a_digest_list_the_briefs_they_contain_outside_the_families(prose):
    briefs = {f"brief{k}": "\n\n".join(para(prose, 30) for _ in range(2)) for k in range(4)}
    blog = "\n\n".join([para(prose, 20)] + list(briefs.values()))
    items = {f"item{k}": para(prose, 30) for k in range(3)}  # one-paragraph briefs, whole in a digest
    digest = "\n\n".join([para(prose, 15)] + list(items.values()))
    articles = [dedup.Article(k, v) for k, v in (briefs | items).items()] + [
        dedup.Article("blog", blog), dedup.Article("digest", digest),
        dedup.Article("brief0-site", briefs["brief0"] + "\n\n" + para(prose, 12)),
    ]
    reports = set()
    for order in range(3):
        random.Random(order).shuffle(articles)
        result = dedup.deduplicate(articles)
        assert set(result.contains) == {"blog", "digest"}
        assert set(result.contains["blog"]) == set(briefs) | {"brief0-site"}
        assert result.contains["digest"] == tuple(sorted(items))
        clustered = {m.id for c in result.clusters for m in c.members}
        assert not {"blog", "digest"} & clustered  # contains is no membership
        reports.add(render_json(result))
    assert len(reports) == 1  # the same bytes in any input order
    listed = json.loads(reports.pop())["contains"]
    assert listed == [{"id": "blog", "contains": ["brief0", "brief0-site", "brief1", "brief2", "brief3"]},
                      {"id": "digest", "contains": ["item0", "item1", "item2"]}]
    assert "blog contains: brief0, brief0-site, brief1, brief2, brief3" in render_text(result)
    assert "<b>digest</b> contains: item0, item1, item2" in render_html(result, {})
