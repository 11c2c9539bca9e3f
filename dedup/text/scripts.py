"""Scripts written without spaces between words, whose letters are tokens on their own.

Chinese, Japanese, Thai, Lao, Khmer and Myanmar text runs whole phrases together: a
``\\w+`` run there is a clause, not a word, so word shingles would be clause shingles
and one changed character would change every shingle over its clause. Each letter of
these scripts is therefore a token by itself, and a shingle of ``size`` tokens is a
character n-gram there (Latin, Cyrillic, Arabic, Hangul and other spaced scripts keep
word tokens; mixed text mixes both).

Example:
    >>> import re
    >>> re.findall(TOKEN_PATTERN, "北京时间 Monday 周一")
    ['北', '京', '时', '间', 'Monday', '周', '一']
"""

from __future__ import annotations

CHARACTER_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # ideographic iteration mark, closing mark, number zero
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x3035),  # vertical kana repeat marks
    (0x3038, 0x303C),
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo extended
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x323AF),  # CJK extensions B-H
)
"""Code point ranges whose word characters are single-character tokens."""

_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in CHARACTER_RANGES)
TOKEN_PATTERN = rf"(?=\w)[{_CLASS}]|[^\W{_CLASS}]+"
"""Tokens: a word character of a no-space script alone, or a run of other word characters."""
