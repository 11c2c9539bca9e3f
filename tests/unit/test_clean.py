"""The cleaner: page junk out (and reported with its kind), article prose kept."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.clean import WORD, clean, passthrough, split_sentences
from dedup.text.normalize import repair

KINDS = {
    "short-line",
    "dateline",
    "navigation",
    "widget",
    "section",
    "subscription",
    "cookie",
    "copyright",
    "credit",
    "disclaimer",
    "contact",
    "repeat",
}


def clean_seed(seeds_dir, name):
    return clean(repair((seeds_dir / name).read_text(encoding="utf-8")))


def removed_texts(cleaned, kind=None):
    return [r.text for r in cleaned.removed if kind is None or r.kind == kind]


def word_count(text: str) -> int:
    return len(WORD.findall(text))


# --- seed 001: a devdiscourse page ---------------------------------------------------------


def test_seed_001_keeps_the_body_paragraphs(seeds_dir):
    cleaned = clean_seed(seeds_dir, "001_86997ac36c104c62.txt")
    body = cleaned.body
    assert body.startswith("Israeli Defense Minister Yoav Gallant met on Thursday")
    assert "On Monday, Azerbaijani security forces reportedly thwarted an attack" in body
    assert body.rstrip().endswith("after the breakup of the Soviet Union.")
    assert body.count("\n\n") == 4  # five paragraphs
    # The lede sentence printed twice on the page is kept once.
    assert body.count('They discussed "various regional and global developments') == 1


def test_seed_001_removes_trending_list_and_footer(seeds_dir):
    cleaned = clean_seed(seeds_dir, "001_86997ac36c104c62.txt")
    body = cleaned.body
    for junk in (
        "TRENDING",
        "Guatemala court suspends",
        "LTIMindtree",
        "Sony Announces",
        "Beyond Gold Medals",
        "© Copyright",
        "Copyright 2023",
        "Email:",
        "info@devdiscourse.com",
        "Phone:",
        "Privacy Policy",
        "Left Menu",
        "Subscribe to our Newsletter",
    ):
        assert junk not in body, junk
    removed = removed_texts(cleaned)
    assert "TRENDING" in removed
    assert "© Copyright 2023" in removed
    assert "Email: info@devdiscourse.com" in removed
    assert any(t.startswith("Phone: +91") for t in removed)


def test_seed_001_removes_caption_credit_and_disclaimer(seeds_dir):
    cleaned = clean_seed(seeds_dir, "001_86997ac36c104c62.txt")
    assert "Image Credit" not in cleaned.body
    assert "(Source: TPS)" not in cleaned.body
    assert "(ANI/TPS)" not in cleaned.body
    assert "Devdiscourse staff" not in cleaned.body
    credits = removed_texts(cleaned, "credit")
    assert any("Image Credit: ANI" in t for t in credits)
    assert "(ANI/TPS)" in credits
    disclaimers = removed_texts(cleaned, "disclaimer")
    assert disclaimers == [
        "(This story has not been edited by Devdiscourse staff and is auto-generated from a syndicated feed.)"
    ]


def test_seed_001_everything_removed_has_a_known_kind_and_no_word_is_lost(seeds_dir):
    cleaned = clean_seed(seeds_dir, "001_86997ac36c104c62.txt")
    assert cleaned.removed
    assert {r.kind for r in cleaned.removed} <= KINDS
    assert all(r.text.strip() for r in cleaned.removed)
    assert (
        cleaned.body_words + sum(word_count(r.text) for r in cleaned.removed) == cleaned.total_words
    )
    assert 0.4 < cleaned.boilerplate_share < 0.6  # 287 of 568 words are junk


def test_seed_002_plain_article_is_kept_whole(seeds_dir):
    cleaned = clean_seed(seeds_dir, "002_58e187858871e751.txt")
    assert cleaned.removed == ()
    assert cleaned.body_words == cleaned.total_words == 401
    assert cleaned.boilerplate_share == 0.0


# --- footers, widgets and notices on their own ------------------------------------------------

BODY_1 = "The city council approved the budget on Tuesday after a long debate that ran late into the night."
BODY_2 = "Officials said the new spending plan would take effect in July and run through the next fiscal year."


def test_footer_lines_are_classified():
    page = "\n".join(
        [
            BODY_1,
            "Share on Facebook",
            BODY_2,
            "© 2024 Daily News. All rights reserved.",
            "Email: newsroom@example.com",
            "Phone: +1 555 0100",
            "We use cookies to improve your experience.",
            "Subscribe now to get unlimited access.",
        ]
    )
    cleaned = clean(page)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"
    assert [(r.kind, r.text) for r in cleaned.removed] == [
        ("widget", "Share on Facebook"),
        ("copyright", "© 2024 Daily News. All rights reserved."),
        ("contact", "Email: newsroom@example.com"),
        ("contact", "Phone: +1 555 0100"),
        ("cookie", "We use cookies to improve your experience."),
        ("subscription", "Subscribe now to get unlimited access."),
    ]


def test_paragraph_mentioning_privacy_policy_is_kept():
    paragraph = (
        "Critics said the new data-sharing rules, which the council adopted without amendment, "
        "would require every contractor to publish a privacy policy and explain in plain language "
        "how residents' records are stored and for how long."
    )
    cleaned = clean(f"{BODY_1}\nPrivacy Policy\n{paragraph}")
    assert paragraph in cleaned.body
    assert ("widget", "Privacy Policy") in [(r.kind, r.text) for r in cleaned.removed]


PROSE_WITH_JUNK_WORDS = {
    "list-item-c": "(c) The report shall be sent to Congress within thirty days of the end of the year.",
    "starts-with-copyright": "Copyright lawyers said the ruling would reshape the music industry for a decade or more.",
    "already-registered": "Voters who are already registered can cast their ballots by mail until the end of the month, officials said.",
    "subscribe-to-the": "Investors rushed to subscribe to the bond offering on Monday, the finance ministry said in a statement.",
    "continue-reading": "Lawmakers said they would continue reading the documents over the weekend before deciding how to vote.",
    "solely-responsible": "The contractor is solely responsible for the delays, the audit found after a two-year review of the project.",
    "by-continuing-to-use": "By continuing to use coal for power, the country will miss its climate targets, the report warned.",
    "this-picture": "This picture of a booming economy is misleading, the opposition leader told parliament on Wednesday.",
}


# _JUNK_PHRASES is applied to whole blocks of up to 60 words (30 for credits) and
# _CAPTION_SENTENCE to every sentence, so these ordinary news sentences are dropped as
# copyright / subscription / disclaimer / cookie / credit junk. A one-paragraph brief made of
# such a sentence is rejected outright ("no article text left after removing page junk").
@pytest.mark.parametrize(
    "sentence", list(PROSE_WITH_JUNK_WORDS.values()), ids=list(PROSE_WITH_JUNK_WORDS)
)
def test_ordinary_sentence_with_junk_words_is_kept(sentence):
    page = "\n".join(
        [
            "The new law sets out three duties for the agency that oversees the national parks system.",
            sentence,
            "Lawmakers from both parties said they expected the measure to pass without amendment.",
        ]
    )
    cleaned = clean(page)
    assert sentence in cleaned.body, cleaned.removed


def test_long_paragraph_mentioning_junk_phrases_is_kept():
    paragraph = (
        "The publisher said it would keep asking readers to subscribe now that advertising revenue "
        "had fallen for a third straight year, adding that all rights reserved by the old owners "
        "had been transferred to the new company when the sale closed in March, along with the "
        "archive, the printing plant and the brand itself, which has existed for more than a century "
        "in the region and employed thousands."
    )
    assert word_count(paragraph) > 60
    cleaned = clean(paragraph)
    assert cleaned.body == paragraph
    assert cleaned.removed == ()


def test_related_section_ends_at_the_next_real_paragraph():
    page = "\n".join(
        [
            BODY_1,
            "Related articles",
            "Council delays vote on parking fees",
            "Mayor unveils plan for new bridge",
            BODY_2,
        ]
    )
    cleaned = clean(page)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"
    assert [r.kind for r in cleaned.removed] == ["section", "section", "section"]


# --- hard-wrapped wire copy ------------------------------------------------------------------

WIRE_PARAGRAPHS = [
    "The U.S. Federal Reserve held interest rates steady on Wednesday but signalled that it "
    "could begin cutting borrowing costs later this year if inflation keeps cooling, according "
    "to a statement released after the two-day meeting of the central bank's policy committee.",
    "Policymakers said the economy had continued to expand at a solid pace, with job gains "
    "remaining strong and the unemployment rate staying low, while inflation had eased over the "
    "past year but remained elevated compared with the central bank's two percent target.",
    "Chair Jerome Powell told reporters that officials wanted to see more evidence that price "
    "pressures were under control before they would be comfortable lowering rates, adding that "
    "the timing would depend on incoming data over the coming months.",
]


def wire_text() -> str:
    """Reuters-style copy: wrapped at 65 columns, paragraphs start with an indent."""
    return "\n".join(
        textwrap.fill(p, width=65, initial_indent="    ", subsequent_indent="")
        for p in WIRE_PARAGRAPHS
    )


def test_hard_wrapped_wire_text_is_rejoined_into_paragraphs():
    raw = wire_text()
    assert max(len(line) for line in raw.split("\n")) <= 65
    assert raw.count("\n") > 6
    cleaned = clean(repair(raw))
    assert cleaned.body.split("\n\n") == WIRE_PARAGRAPHS
    assert cleaned.removed == ()
    assert cleaned.body_words == cleaned.total_words


def test_unwrapped_wire_lines_would_not_be_prose_alone():
    # The premise of the test above: line by line, most wrapped lines are not sentences,
    # so without re-joining they would be thrown away as short lines.
    lines = [line.strip() for line in wire_text().split("\n")]
    cut = [line for line in lines if not line.endswith(".")]
    assert len(cut) >= len(lines) // 2


def test_short_wire_item_broken_mid_sentence_is_rejoined():
    # Too few lines to judge a wrapping width, but each break runs on in lower case or a figure.
    item = (
        "Cattle prices were expected\n"
        "0.50 dlr lower on estimated receipts of 2,700 head, private\n"
        "sources said. Top seen at 50.00 dlrs per cwt.\n"
        "    Traders said the west had an overrun of cattle at the\n"
        "yards yesterday.\n"
    )
    cleaned = clean(repair(item))
    assert cleaned.body == (
        "Cattle prices were expected 0.50 dlr lower on estimated receipts of 2,700 head, private "
        "sources said. Top seen at 50.00 dlrs per cwt.\n\n"
        "Traders said the west had an overrun of cattle at the yards yesterday."
    )
    assert cleaned.removed == ()


def test_menu_of_lower_case_items_is_not_taken_for_wrapped_text():
    page = "\n".join([BODY_1, "home", "news", "sport", "weather", BODY_2])
    cleaned = clean(page)
    assert cleaned.body == f"{BODY_1}\n\n{BODY_2}"


# --- articles without prose ------------------------------------------------------------------


def test_article_without_prose_keeps_its_lines():
    cleaned = clean("Stocks\nBonds rally\nOil up 2%\nGold flat")
    assert cleaned.body == "Stocks\n\nBonds rally\n\nOil up 2%\n\nGold flat"
    assert cleaned.removed == ()
    assert cleaned.body_words == cleaned.total_words == 8


def test_fallback_still_drops_pattern_junk():
    cleaned = clean("Stocks\nBonds rally\nShare on Facebook\n© 2024 Market Wire")
    assert cleaned.body == "Stocks\n\nBonds rally"
    assert {(r.kind, r.text) for r in cleaned.removed} == {
        ("widget", "Share on Facebook"),
        ("copyright", "© 2024 Market Wire"),
    }


def test_only_junk_leaves_an_empty_body():
    cleaned = clean(
        "Share on Facebook\nFollow us on Twitter\n© 2024 Daily News. All rights reserved."
    )
    assert cleaned.body == ""
    assert cleaned.body_words == 0
    assert cleaned.total_words > 0
    assert cleaned.boilerplate_share == 1.0


def test_passthrough_keeps_everything():
    text = "  Share on Facebook\nThe body.\n"
    cleaned = passthrough(text)
    assert cleaned.body == text.strip()
    assert cleaned.removed == ()
    assert cleaned.body_words == cleaned.total_words == 5


def test_split_sentences_respects_abbreviations_and_initials():
    assert split_sentences("R. Kelly sang. Mr. Ek spoke in the U.S. on Monday. Fans cheered!") == [
        "R. Kelly sang.",
        "Mr. Ek spoke in the U.S. on Monday.",
        "Fans cheered!",
    ]


# --- invariants ----------------------------------------------------------------------------

PIECES = st.sampled_from(
    "the mayor said on Monday that Share Facebook Photo (AP) (Reuters) Image Credit: © Copyright "
    "Trending Related In this photo, file city council budget . ! ? \" ' Mr. U.S. 2024 email: "
    "x@y.com | Read more: subscribe now to our newsletter".split(" ")
)
PAGES = st.lists(st.lists(PIECES, max_size=30).map(" ".join), min_size=1, max_size=12).map(
    "\n".join
)


@settings(max_examples=150, deadline=None)
@given(PAGES)
def test_every_word_is_either_kept_or_reported_removed(page):
    repaired = repair(page, fix_mojibake=False)
    cleaned = clean(repaired)
    assert cleaned.total_words == word_count(repaired)
    assert cleaned.body_words == word_count(cleaned.body)
    assert (
        cleaned.body_words + sum(word_count(r.text) for r in cleaned.removed) == cleaned.total_words
    )
    assert {r.kind for r in cleaned.removed} <= KINDS
    assert 0.0 <= cleaned.boilerplate_share <= 1.0


@settings(max_examples=100, deadline=None)
@given(PAGES)
def test_clean_is_deterministic_and_pure(page):
    repaired = repair(page, fix_mojibake=False)
    assert clean(repaired) == clean(repaired)


@pytest.mark.parametrize(
    "line",
    ["date 2023-07-13 Left Menu", "17:12 - 13/07/2023 Thursday", "May 31, 2019, 9:52 PM UTC", "13 September 2018 18:19"],
)
def test_datelines_are_removed_and_never_kept_as_a_table(line):
    body = "The council approved the new budget on Tuesday after a long debate in the chamber."
    cleaned = clean(f"{line}\nNewswire | City | Updated: 05-02-2005 00:01 IST\nPage 2 of 3\n\n{body}")
    assert cleaned.body == body
    assert [r.kind for r in cleaned.removed][:2] == ["dateline", "navigation"]


def test_a_table_of_figures_is_kept_as_data():
    table = "Shr 73 cts vs 58 cts\nNet 1,101,000 vs 901,000\nSales 33.0 mln vs 29.1 mln"
    cleaned = clean(table + "\nNOTE: Results include a purchase made in September last year.")
    assert "Net 1,101,000 vs 901,000" in cleaned.body and "Sales 33.0 mln" in cleaned.body


def test_a_price_table_is_not_mistaken_for_datelines():
    table = "VIRGIN 34.00/34.50\nZINC - PRIME WESTERN 50.00/56.50\nZINC - HIGH GRADE 49.50/56.00"
    cleaned = clean(table)
    assert "50.00/56.50" in cleaned.body
    assert "dateline" not in {r.kind for r in cleaned.removed}


def _caption(sentence: str, credit: str) -> str:
    return f"{sentence} ({credit})"


CAPTIONS = [
    "Firefighters work through the night to contain the blaze near the old harbour warehouses.",
    "Supporters gather outside the court before the verdict in the long-running fraud trial.",
    "The new tram line opens to passengers after six years of delays and budget overruns.",
    "Farmers drive tractors through the capital to protest against the planned fuel tax.",
]


def test_gallery_captions_are_the_page_text_and_keep_without_their_credits():
    page = "\n\n".join(
        ["In pictures: the week's news"]
        + [_caption(s, f"Photo: {name}/Agency") for s, name in zip(CAPTIONS, ["Ann Lee", "Bo Chan", "Cy Dorn", "Di Ek"])]
    )
    cleaned = clean(page)
    assert all(s in cleaned.body for s in CAPTIONS)
    assert "Agency" not in cleaned.body
    assert any("Agency" in t for t in removed_texts(cleaned, "credit"))


def test_gallery_captions_after_a_menu_that_opens_a_section_are_still_the_page_text():
    # A site menu whose first item reads as a section heading ("Latest") opens a section
    # that only prose ends; a gallery's captions, read without their credits, are prose.
    menu = ["Latest", "Reviews", "News", "Business", "Culture"]
    page = "\n".join(menu) + "\n\n" + "\n\n".join(
        ["In pictures: the week's news"]
        + [_caption(s, f"Photo: {name}/Agency") for s, name in zip(CAPTIONS, ["Ann Lee", "Bo Chan", "Cy Dorn", "Di Ek"])]
    )
    cleaned = clean(page)
    assert all(s in cleaned.body for s in CAPTIONS)
    assert "Agency" not in cleaned.body and "Reviews" not in cleaned.body


def test_a_caption_beside_longer_article_text_is_still_left_out():
    story = " ".join(
        [
            "The city council voted on Tuesday to close the old harbour warehouses after the fire.",
            "Officials said the buildings had failed three safety inspections since the spring.",
            "Owners will be offered space in a new depot outside the city by the end of the year.",
        ]
    )
    page = "\n\n".join([story, _caption(CAPTIONS[0], "Photo: Ann Lee/Agency"), story.replace("Tuesday", "Monday")])
    cleaned = clean(page)
    assert CAPTIONS[0] not in cleaned.body
    assert story in cleaned.body
