"""Reading figures as written, and finding numeric mentions."""
from dataclasses import FrozenInstanceError, replace

import pytest

from exodus.model import numbers
from exodus.model.numbers import Reading, mentions, read_figure

CASES = [
    ("100,000", 100_000), ("1.5 million", 1_500_000), ("a thousand", 1_000), ("a dozen", 12),
    ("double", 2), ("four times less", 0.25), ("half", 0.5), ("80%", 80), ("£4,800", 4_800),
    ("90-day", 90), ("35-year-old", 35), ("six", 6), ("Three", 3), ("thirty-five", 35), ("1,000,000", 1_000_000),
    ("a hundred and one", 101), ("a tenth", 0.1),
]


@pytest.mark.parametrize("text,value", CASES)
def test_read_point_values(text, value):
    reading = read_figure(text)
    assert reading.value == pytest.approx(value)
    assert reading.low == reading.high == reading.value


@pytest.mark.parametrize("text,low,high", [("tens of thousands", 20_000, 99_999), ("hundreds of thousands", 200_000, 999_999), ("thousands", 2_000, 9_999)])
def test_vague_convention(text, low, high):
    reading = read_figure(text)
    assert reading.vague and reading.value is None and (reading.low, reading.high) == (low, high)


def test_range_has_bounds_only():
    reading = read_figure("20-45")
    assert (reading.value, reading.low, reading.high) == (None, 20, 45)


# "a" is one only before a scale word: "a one" (of "a one-way ticket") was once read as 2, "a two" as 3.
@pytest.mark.parametrize("text", ["lots", "more than", "Sept. 21", "45-20", "", "a one", "a two", "an eight", "a ten"])
def test_unreadable_wording_is_refused(text):
    assert read_figure(text) is None


def test_mentions_find_digits_and_number_words_but_not_inside_words():
    found = [t for _, _, t in mentions("No one saw 1.5 million, someone said, the second of two, anyone")]
    assert found == ["one", "1.5", "million", "second", "two"]


@pytest.mark.parametrize("text, value, unit", [("100,000", 100_000, None), ("12.5", 12.5, None), ("80%", 80, "percent"),
                                               ("twice", 2, "ratio"), ("\u0661\u0662\u0663", 123, None)])
def test_a_point_reading_is_the_frozen_reading_the_class_builds(text, value, unit):
    reading = read_figure(text)
    assert reading == Reading(float(value), float(value), float(value), unit=unit)
    assert hash(reading) == hash(Reading(float(value), float(value), float(value), unit=unit))
    assert replace(reading, hedge="about").hedge == "about"
    with pytest.raises(FrozenInstanceError):
        reading.value = 1.0


def test_the_mention_pattern_grouped_by_first_letter_finds_what_the_plain_alternation_finds():
    import re

    from tests.conftest import REPO
    plain = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(numbers.MENTION_WORDS) + r")\b", re.IGNORECASE)
    # The curated articles and the fresh ones in other styles (wire copy, datelines, captions, long sentences).
    files = sorted((REPO / "data" / "sources").glob("*.txt")) + sorted((REPO / "tests" / "fixtures" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert len(texts) >= 12
    texts.append(" ".join(numbers.MENTION_WORDS) + " Seventy-seven, TWICE, a hundred and ten, tens of 1,000.5")
    for text in texts:
        assert [m.span() for m in numbers.MENTION_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
