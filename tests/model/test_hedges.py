"""One hedge vocabulary (exodus/model/hedges.csv): every phrase walked through reading, validation, bounds and wording."""
import math

import pytest

from exodus.model import intervals, numbers, vocabulary, wording
from exodus.stages import validate

TABLE = vocabulary.hedge_table()
PHRASES = sorted(TABLE.phrases.items())


@pytest.mark.parametrize("phrase,hedge", PHRASES, ids=[p for p, _ in PHRASES])
def test_every_phrase_reads_validates_bounds_and_prints_once(phrase, hedge):
    figure = f"{phrase} 100,000"
    reading = numbers.read_figure(figure)
    assert reading is not None and reading.hedge == hedge
    assert validate.hedge_in_wording(f"Officials said {figure} people left.", "100,000") == hedge
    claim = {"number_text": figure, "value": 100000, "hedge": hedge, "unit": "person"}
    assert wording.claim_text(claim) == figure  # never "nearly close to 100,000"
    bound = TABLE.bounds[hedge]
    i = intervals.from_claim(None if bound == "none" else 100000, None, None, hedge, number_text="100,000")
    expected = {"floor": (100000, math.inf), "ceiling": (0, 100000), "rounding": (50000, 150000), "none": (0, math.inf)}
    assert (i.low, i.high) == expected[bound]


@pytest.mark.parametrize("hedge", sorted(TABLE.printed))
def test_a_figure_without_its_own_words_gets_the_printed_hedge(hedge):
    claim = {"number_text": "100,000", "value": 100000, "hedge": hedge, "unit": "person"}
    assert wording.claim_text(claim) == f"{TABLE.printed[hedge]} 100,000"


def test_the_claims_schema_allows_exactly_the_table_s_hedges():
    from exodus.model import tables
    field = next(f for f in tables.load_schema()["claims"]["schema"]["fields"] if f["name"] == "hedge")
    assert set(field["constraints"]["enum"]) == vocabulary.hedges()


@pytest.mark.parametrize("rows,words", [
    ("over,more than,floor,yes\nover,more than,floor,\n", "given once"),
    ("more than,more than,floor,yes\nover,more than,ceiling,\n", "the same for every phrase"),
    ("more than,more than,floor,\n", "no phrase marked prints=yes"),
    ("more than,more than,floor,yes\nover,more than,floor,yes\n", "exactly one phrase"),
    ("Over,more than,floor,yes\n", "lower-case"),
    ("about,exact,point,yes\n", "expected one of"),
])
def test_a_table_out_of_shape_is_refused_with_its_row(rows, words):
    with pytest.raises(ValueError, match=words):
        vocabulary.parse_hedges("phrase,hedge,bound,prints\n" + rows)
