"""Text in scripts written without spaces gets character tokens; spaced scripts keep words."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Article, _kernels, deduplicate
from dedup.shingle import hash_tokens, tokenize
from dedup.text.normalize import normalize
from dedup.text.scripts import CHARACTER_RANGES

ZH = (
    "北京时间周一，国家统计局公布了最新的经济数据。数据显示，第三季度国内生产总值同比增长百分之四点九，"
    "高于市场预期。分析人士认为，消费和投资的回升是主要原因。统计局发言人表示，下一阶段将继续推动经济"
    "稳定增长，加强宏观政策调节，并进一步扩大国内需求。"
)
ZH_OTHER = (
    "国家统计局周一发布第三季度经济数据，经济增速达到百分之四点九。多位经济学家在接受采访时指出，"
    "出口表现疲软，但服务业恢复较快。他们预计，政府可能在年底前出台更多刺激措施，以稳定就业和市场信心。"
)
JA = (
    "政府は月曜日、新しい経済対策を発表した。財務大臣によると、予算は十パーセント増額される。"
    "専門家は、これらの対策が中小企業の支援につながると見ている。対策には減税と補助金が含まれる。"
)
TH = (
    "รัฐบาลประกาศมาตรการใหม่เพื่อกระตุ้นเศรษฐกิจในวันจันทร์ รัฐมนตรีกระทรวงการคลังกล่าวว่างบประมาณจะเพิ่มขึ้นร้อยละสิบ "
    "ผู้เชี่ยวชาญเห็นว่ามาตรการเหล่านี้จะช่วยธุรกิจขนาดเล็ก"
)
RU = (
    "В понедельник правительство объявило о новых мерах поддержки экономики. Министр финансов заявил, "
    "что бюджет будет увеличен на десять процентов. Эксперты считают, что эти меры помогут малому бизнесу."
)
AR = (
    "أعلنت الحكومة يوم الاثنين عن إجراءات جديدة لدعم الاقتصاد. وقال وزير المالية إن الميزانية ستزداد "
    "بنسبة عشرة في المئة. ويرى الخبراء أن هذه الإجراءات ستساعد الشركات الصغيرة."
)


def test_letters_of_unspaced_scripts_are_tokens_and_spaced_words_stay_whole() -> None:
    assert tokenize("北京 Monday 東京タワー ไทย Москва") == [
        "北", "京", "Monday", "東", "京", "タ", "ワ", "ー", "ไ", "ท", "ย", "Москва"
    ]
    assert tokenize("한국어 문장") == ["한국어", "문장"]  # Hangul is written with spaces


def test_the_kernel_tokenises_like_the_reference_on_every_script() -> None:
    for text in (ZH, ZH_OTHER, JA, TH, RU, AR, ZH + " mixed with English and " + AR):
        folded = normalize(text)
        hashes, _ = _kernels.token_hashes(folded)
        assert np.array_equal(hashes, hash_tokens(tokenize(folded)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF) | st.sampled_from(" ab,。"), max_size=80))
def test_the_kernel_equals_the_reference_on_cjk_text(text: str) -> None:
    folded = normalize(text, fix_mojibake=False)
    hashes, _ = _kernels.token_hashes(folded)
    assert np.array_equal(hashes, hash_tokens(tokenize(folded)))


def test_the_table_marks_word_letters_of_the_ranges_only() -> None:
    table = _kernels.word_table()
    assert table[ord("日")] == _kernels.LETTER_TOKEN and table[ord("a")] == _kernels.WORD
    assert table[ord("。")] == 0 and table[ord("、")] == 0  # punctuation stays a separator
    for low, high in CHARACTER_RANGES:
        block = table[low : high + 1]
        assert not np.any(block == _kernels.WORD)


def _edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_lightly_edited_copies_are_found_in_every_script_and_other_stories_are_not() -> None:
    articles = [
        Article("zh", ZH),
        Article("zh-edited", _edited(ZH, [("最新", "最近"), ("主要原因", "重要原因"), ("继续", "持续")]) + "（新华社）"),
        Article("zh-independent", ZH_OTHER),  # the same news, written independently
        Article("ja", JA),
        Article("ja-trimmed", JA.rsplit("。", 2)[0] + "。"),
        Article("th", TH),
        Article("th-copy", TH + " ข่าวล่าสุด"),
        Article("ru", RU),
        Article("ru-edited", _edited(RU, [("В понедельник", "Во вторник")])),
        Article("ar", AR + " في عام ٢٠٢٣."),  # Arabic-Indic digits (they once crashed the figure reader)
        Article("ar-copy", AR + " في عام ٢٠٢٣." + " وهذا مهم."),
    ]
    result = deduplicate(articles)
    pairs = sorted(tuple(sorted(m.id for m in c.members)) for c in result.clusters)
    assert pairs == [
        ("ar", "ar-copy"), ("ja", "ja-trimmed"), ("ru", "ru-edited"), ("th", "th-copy"), ("zh", "zh-edited"),
    ]
    assert "zh-independent" in result.singletons
