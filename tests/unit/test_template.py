"""Template text learned from the corpus: a site's notices in any language fake no copy.

The notices here are written for these tests (not the news-day simulator's, on which the
thresholds were chosen)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import _kernels
from dedup.text.template import _related, block_key, block_table, block_tables, learn, strip
from tests.support.prose import ProseMaker

NOTICES = {
    "en": (
        "This website uses cookies and similar technologies so that we can remember your settings, count our "
        "visitors and show you offers that suit you. By continuing to browse you agree to our use of cookies.",
        "Subscribe today to keep reading. Your first month costs one pound and you can cancel whenever you like "
        "from your account page.",
    ),
    "de": (
        "Diese Seite verwendet Cookies und ähnliche Technologien, um Ihre Einstellungen zu speichern, die Nutzung "
        "zu analysieren und Ihnen passende Angebote zu zeigen. Mit der weiteren Nutzung stimmen Sie dem zu.",
        "Lesen Sie weiter mit unserem Digitalabo: der erste Monat kostet nur einen Euro und ist jederzeit kündbar.",
    ),
    "fr": (
        "Ce site utilise des cookies et des technologies similaires pour mémoriser vos préférences, mesurer "
        "l'audience et vous proposer des contenus adaptés. En poursuivant la navigation, vous acceptez leur usage.",
        "Abonnez-vous pour lire la suite : le premier mois est offert puis résiliable à tout moment en ligne.",
    ),
    "es": (
        "Este sitio utiliza cookies propias y de terceros para recordar sus preferencias, analizar el tráfico y "
        "mostrarle publicidad personalizada. Si continúa navegando, consideramos que acepta su uso.",
        "Suscríbase para seguir leyendo: el primer mes cuesta un euro y puede darse de baja cuando quiera.",
    ),
    "pl": (
        "Ta strona korzysta z plików cookie i podobnych technologii, aby zapamiętać Twoje ustawienia, mierzyć "
        "ruch i wyświetlać dopasowane treści. Dalsze korzystanie ze strony oznacza zgodę na ich użycie.",
        "Wykup prenumeratę, aby czytać dalej: pierwszy miesiąc kosztuje złotówkę, a rezygnacja jest możliwa zawsze.",
    ),
    "it": (
        "Questo sito utilizza cookie e tecnologie simili per ricordare le tue preferenze, misurare il traffico e "
        "mostrarti contenuti personalizzati. Proseguendo la navigazione acconsenti al loro utilizzo.",
        "Abbonati per continuare a leggere: il primo mese costa un euro e puoi disdire quando vuoi dal tuo profilo.",
    ),
}


def site_pages(prose: ProseMaker, language: str, stories: int = 5) -> tuple[list[dedup.Article], dict[str, str]]:
    """A site's pages: each a short teaser of its own story between the site's notices, plus
    each story's full text published elsewhere. Returns the articles and each one's story."""
    consent, paywall = NOTICES[language]
    articles, story_of = [], {}
    for k in range(stories):
        lede, rest = prose.make(30), [prose.make(40) for _ in range(4)]
        page, full = f"{language}-page-{k}", f"{language}-story-{k}"
        articles.append(dedup.Article(page, "\n\n".join([consent, lede, paywall])))
        articles.append(dedup.Article(full, "\n\n".join([lede] + rest)))
        story_of[page] = story_of[full] = f"{language}-{k}"
    return articles, story_of


def pairs_together(result: dedup.Result) -> set[frozenset[str]]:
    return {
        frozenset((a.id, b.id)) for c in result.clusters for a, b in itertools.combinations(c.members, 2)
    }


def test_site_notices_in_six_languages_tie_no_stories(prose):
    articles, story_of = [], {}
    for language in NOTICES:
        pages, stories = site_pages(prose, language)
        articles += pages
        story_of.update(stories)
    random.Random(3).shuffle(articles)
    result = dedup.deduplicate(articles)
    together = pairs_together(result)
    wrong = [tuple(p) for p in together if len({story_of[i] for i in p}) > 1]
    assert not wrong
    # Each teaser page still finds its story: only the notices were left out.
    for page in story_of:
        if "-page-" in page:
            assert frozenset((page, page.replace("page", "story"))) in together
    removed = {r.kind for blocks in result.removed.values() for r in blocks}
    assert "template" in removed
    # The premise: without template learning the notices tie the pages of each site.
    plain = pairs_together(dedup.deduplicate(articles, learn_template=False))
    assert any(len({story_of[i] for i in p}) > 1 for p in plain)


def test_a_story_quoted_on_two_pages_is_not_template(prose):
    story = prose.make(40)
    pages = [story, story + "\n\n" + prose.make(40), prose.make(40) + "\n\n" + story]
    tables = [block_table(p) for p in pages]
    assert learn(tables, [b"a", b"b", b"c"]).size == 0


def test_a_story_printed_six_times_with_an_edit_and_additions_is_not_template(prose):
    # Three prints are verbatim, one adds a word to two of the four paragraphs, two add a
    # paragraph of their own. The added paragraphs are unrelated to each other, but the
    # edited print shows the shared text to be an article: its rest is an edit of it.
    paragraphs = [prose.make(40) for _ in range(4)]
    story = "\n\n".join(paragraphs)
    edited = "\n\n".join(p.replace(" ", " very ", 1) if k < 2 else p for k, p in enumerate(paragraphs))
    pages = [story, story, story, edited, story + "\n\n" + prose.make(40), prose.make(40) + "\n\n" + story]
    keys = [f"p{k}".encode() for k in range(len(pages))]
    assert learn([block_table(p) for p in pages], keys).size == 0
    result = dedup.deduplicate([dedup.Article(f"p{k}", p) for k, p in enumerate(pages)])
    assert not result.rejected
    assert [sorted(m.id for m in c.members) for c in result.clusters] == [[f"p{k}" for k in range(len(pages))]]


def test_page_of_nothing_but_template_is_rejected_with_its_reason(prose):
    consent, paywall = NOTICES["de"]
    articles, _ = site_pages(prose, "de")
    articles.append(dedup.Article("de-empty", consent + "\n\n" + paywall))
    result = dedup.deduplicate(articles)
    reasons = {r.id: r.reason for r in result.rejected}
    assert "template" in reasons["de-empty"] and "learn_template" in reasons["de-empty"]


def test_learning_is_independent_of_input_order(prose):
    articles, _ = site_pages(prose, "fr", stories=6)
    tables = {a.id: block_table(a.text) for a in articles}
    orders = []
    for seed in range(3):
        ids = sorted(tables)
        random.Random(seed).shuffle(ids)
        orders.append(learn([tables[i] for i in ids], [i.encode() for i in ids]).tolist())
    assert orders[0] == orders[1] == orders[2] and orders[0]


def test_block_keys_ignore_figures_case_and_punctuation():
    assert block_key("Comments (368)") == block_key("comments: 153")
    assert block_key("Comments (368)") != block_key("Comment 368")


def test_strip_removes_sentences_of_long_lines():
    notice = "We use cookies to count our visitors and remember your settings on this site."
    line = "The council met on Monday. " + notice + " " + " ".join(["The vote was close and long."] * 4)
    table = block_table(notice)
    body, removed = strip(line, np.unique(table.keys))
    assert removed == (notice,) and notice not in body and body.startswith("The council met on Monday.")


BODIES = [
    "",
    " \n\t\n",
    "Comments (368)\n\nComments (153)\n  Share this article  ",
    "A line of words. " * 30 + '\nHe said "it ends here." Then left. (As planned.) [Done.] Why? Yes! ok\x00 next',
    "x. " * 40 + "\x1f\x0b trailing \r\n\x00\n" + "e.g. the U.S. plan ends.\" 'Quoted.' " * 10,
    "Ünïcödé café: « the mayor » said “we’re done.” Then… " * 12 + "\n日本語のテキスト ١٢٣ straße ﬁve\u00a0\u2028end",
    "snake_case words_with_underscores 1,000.50 and 2023-07-13 __init__ " + "longword " * 30,
    " ".join(f"term{i} term{i % 7} and" for i in range(600)),  # one block of many votes: sorted, counted past 255
]


def tables_equal(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in ((a.keys, b.keys), (a.words, b.words), (a.simhash, b.simhash)))


@pytest.mark.skipif(not _kernels.AVAILABLE, reason="numba is not installed: pip install numba")
def test_compiled_block_tables_equal_the_numpy_path(monkeypatch):
    compiled = list(block_tables(BODIES))
    assert [t.keys.size for t in compiled][:3] == [0, 0, 3]
    assert all(tables_equal(block_table(body), table) for body, table in zip(BODIES, compiled))
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    assert all(tables_equal(block_table(body), table) for body, table in zip(BODIES, compiled))


@pytest.mark.skipif(not _kernels.AVAILABLE, reason="numba is not installed: pip install numba")
@given(st.lists(st.sampled_from([*" \n\t\x00\x0b\x1ca.!?\"')]…”’é日_0", "word", "Long", ". ", '." ', "A9 "]), max_size=300))
@settings(max_examples=300, deadline=None)
def test_compiled_block_tables_equal_the_numpy_path_on_any_text(pieces):
    body = "".join(pieces)
    compiled = block_table(body)
    _kernels.AVAILABLE = False
    try:
        reference = block_table(body)
    finally:
        _kernels.AVAILABLE = True
    assert tables_equal(compiled, reference)


def test_nothing_is_learned_when_no_block_recurs_on_three_pages():
    pages = ["The same line twice.\nOne page alone.", "The same line twice.\nAnother page.", "A third page."]
    assert learn([block_table(p) for p in pages], [b"a", b"b", b"c"]).size == 0


def test_related_simhashes_are_the_same_on_numpy_1_and_2(monkeypatch):
    rng = np.random.default_rng(2)
    b = rng.integers(0, 2**63, 50, dtype=np.uint64)
    flips = [np.uint64((1 << bits) - 1) for bits in (0, 15, 16, 17, 40)]
    a = np.concatenate([b[:5] ^ np.array(flips, dtype=np.uint64), rng.integers(0, 2**63, 30, dtype=np.uint64)])
    related = _related(a, b)
    assert related[:5].tolist() == [True, True, True, False, False]
    monkeypatch.delattr(np, "bitwise_count", raising=False)  # numpy 1: bits unpacked and summed
    assert np.array_equal(_related(a, b), related)
