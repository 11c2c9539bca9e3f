"""Normalisation: one spelling for text that means the same."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedup.text.normalize import fold, normalize, repair

# "Ordinary" text: printable ASCII, common accented letters, typographic punctuation
# and whitespace -- what news pages are made of, without mojibake-looking sequences.
ORDINARY = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    | st.sampled_from(list("éèêëàâäîïôöùûüçñÉÈÀÇÑßøå“”‘’—–…\u00a0\t\n")),
    max_size=60,
)


# --- idempotence and shape -----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_characters="&"), max_size=80))
def test_normalize_is_idempotent_without_mojibake_repair(text):
    once = normalize(text, fix_mojibake=False)
    assert normalize(once, fix_mojibake=False) == once


@settings(max_examples=150, deadline=None)
@given(ORDINARY)
@example("Itâ€™s Â£600m")
@example("“Quoted”\u00a0—  TEXT… ")
def test_normalize_is_idempotent_with_mojibake_repair_on_ordinary_text(text):
    once = normalize(text)
    assert normalize(once) == once


def test_normalize_is_idempotent_on_double_escaped_entities():
    once = normalize("AT&amp;amp;T", fix_mojibake=False)
    assert normalize(once, fix_mojibake=False) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_normalize_output_is_one_trimmed_line_with_single_spaces(text):
    for out in (
        normalize(text, fix_mojibake=False),
        normalize(text, casefold=False, fix_mojibake=False),
    ):
        assert out == out.strip()
        assert "  " not in out
        assert "\n" not in out and "\t" not in out


@settings(max_examples=150, deadline=None)
@given(ORDINARY)
def test_normalize_output_is_casefolded(text):
    out = normalize(text)
    assert out == fold(out)
    assert out.casefold() == out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_repair_keeps_line_count_and_trims_line_ends(text):
    repaired = repair(text, fix_mojibake=False)
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    assert repaired.count("\n") == unified.count("\n")
    for line in repaired.split("\n"):
        assert line == line.rstrip()
        assert "  " not in line


# --- character unification ----------------------------------------------------------


def test_quotes_dashes_and_ellipsis_unify():
    assert normalize("“x”—y…") == '"x"-y...'
    assert normalize("‘single’ – en‒dash − minus") == "'single' - en-dash - minus"
    assert normalize("«guillemets» „low“") == '"guillemets" "low"'


def test_curly_and_straight_quotes_normalise_alike():
    assert normalize("He said “it’s fine”") == normalize('He said "it\'s fine"')


def test_casefold_and_space_collapse():
    assert normalize("  “Quoted”\u00a0—  TEXT… ") == '"quoted" - text...'
    assert normalize("STRASSE Straße") == "strasse strasse"


def test_casefold_can_be_turned_off():
    assert normalize("Mixed  Case", casefold=False) == "Mixed Case"


def test_nfkc_full_width_and_ligatures():
    assert normalize("ＡＢＣ ﬁnance ﬂow") == "abc finance flow"
    assert normalize("Ｎｅｗｓ\u3000２０２４") == "news 2024"


def test_invisible_characters_removed():
    assert normalize("co\u00adop\u200bera\u2060tion\ufeff") == "cooperation"
    assert normalize("soft\u00adhyphen") == normalize("softhyphen")


def test_control_characters_become_spaces():
    assert normalize("x\x00y\x07z") == "x y z"


def test_html_entities_unescaped():
    assert (
        normalize("Tom &amp; Jerry &lt;3 &#8220;hi&#8221; caf&eacute;")
        == 'tom & jerry <3 "hi" café'
    )


def test_html_entity_nbsp_and_shy_follow_the_character_rules():
    assert normalize("a&nbsp;b co&shy;op") == "a b coop"


# --- mojibake repair -------------------------------------------------------------------


def test_mojibake_pound_sign_repaired():
    assert normalize("Â£600m") == "£600m"
    assert repair("Â£600m") == "£600m"


def test_mojibake_apostrophe_repaired():
    assert normalize("Itâ€™s") == "it's"
    assert repair("Itâ€™s") == "It's"


def test_mojibake_repair_can_be_turned_off():
    assert normalize("Â£600m", fix_mojibake=False) == "â£600m"


def test_mojibake_repair_keeps_line_breaks():
    repaired = repair("Â£600m line one\nItâ€™s line two\n  indented line")
    assert repaired == "£600m line one\nIt's line two\n indented line"


def test_repair_keeps_one_leading_space_for_indented_lines():
    assert repair("first\n      second\n\tthird") == "first\n second\n third"


def test_repair_unifies_line_endings():
    assert repair("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_ordinary_accented_text_untouched_by_mojibake_repair():
    text = "Crème brûlée à la française, señor Müller"
    assert repair(text) == text
