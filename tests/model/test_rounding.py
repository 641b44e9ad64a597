"""Rounding as data: the precision a figure is written to widens an "about" interval."""
import pytest

from exodus.model import intervals as iv
from exodus.model.numbers import rounding_bounds

# (figure as written, low, high): half a unit of the last significant non-zero digit either side
CASES = [
    ("300,000", 250_000, 350_000),
    ("£4,800", 4_750, 4_850),
    ("370,000", 365_000, 375_000),
    ("5,000", 4_500, 5_500),
    ("80%", 75, 85),
    ("1.5 million", 1_450_000, 1_550_000),
    ("20", 15, 25),
    ("20-45", 19.5, 45.5),  # one range, one unit: not 15 at one end and 45.5 at the other
    ("300-400", 250, 450),
    ("double", 1.5, 2.5),
    ("four times less", 1 / 4.5, 1 / 3.5),
    ("half", 1 / 2.5, 1 / 1.5),
    ("a dozen", 11.5, 12.5),
    # a currency word after the figure says what is counted, not how precisely (was None: no bounds at all)
    ("20,000 roubles", 15_000, 25_000),
    ("20,000 rubles", 15_000, 25_000),
    ("500 lari", 450, 550),
    ("1.5 million euros", 1_450_000, 1_550_000),
    ("US$2,000", 1_500, 2_500),
]


@pytest.mark.parametrize("text,low,high", CASES, ids=[c[0] for c in CASES])
def test_rounding_bounds_follow_the_written_precision(text, low, high):
    assert rounding_bounds(text) == pytest.approx((low, high))


def test_vague_and_unreadable_wording_has_no_rounding():
    assert rounding_bounds("thousands") is None
    assert rounding_bounds("earned") is None


def test_about_widens_to_the_rounding_and_other_hedges_do_not():
    about = iv.from_claim(300_000, None, None, "about", number_text="300,000")
    assert (about.low, about.high, about.value) == (250_000, 350_000, 300_000)
    exact = iv.from_claim(300_000, None, None, "exact", number_text="300,000")
    assert (exact.low, exact.high) == (300_000, 300_000)
    nearly = iv.from_claim(100_000, None, 100_000, "nearly", number_text="100,000")
    assert (nearly.low, nearly.high) == (0, 100_000)


def test_without_the_figure_as_written_about_stays_unbounded():
    i = iv.from_claim(62.5, None, None, "about")
    assert (i.low, i.high) == (0, iv.INF)


def test_the_two_conversion_rates_in_the_articles_overlap_once_rounding_is_honoured():
    savings = iv.div(iv.from_claim(300_000, None, None, "about", number_text="300,000"),
                     iv.from_claim(4_800, None, None, "about", number_text="4,800"))
    flight = iv.div(iv.from_claim(370_000, None, None, "about", number_text="370,000"),
                    iv.from_claim(5_000, None, None, "about", number_text="5,000"))
    assert savings.high == pytest.approx(350_000 / 4_750) and flight.low == pytest.approx(365_000 / 5_500)
    assert iv.overlap(savings, flight)
