"""Dates are not figures: each numeric mention is read as a claim, an event or an exclusion with its reason."""
import pytest

from exodus.model.reading import MAX_SENTENCE, Sentence, read_sentence, read_text, sentences

CASES = [
    ("TBILISI, Oct 6 (Reuters) - Georgia said 10,000 people a day were crossing.", "2022-10-06",
     [("event", "Oct 6", ""), ("claim", "10,000", "")]),
    ("27-09-2022 20:49", "2022-09-27", [("exclusion", "27-09-2022 20:49", "metadata")]),
    ("2022-11-29", "2022-11-29", [("event", "2022-11-29", "")]),
    ("Cars queue at the crossing on Septembr 29, 2022.", "2022-09-29", [("event", "on Septembr 29, 2022", "")]),
    ("Photo: Test Agency / 28.09.2022", "2022-09-29", [("event", "28.09.2022", "")]),
    ("The flight left at 20:49 with 180 passengers.", "2022-09-29", [("exclusion", "20:49", "metadata"), ("claim", "180", "")]),
    ("More than 120,000 arrived, the highest number in five years.", "2022-10-06",
     [("claim", "120,000", ""), ("exclusion", "five", "not a quantity")]),
    ("About 6,500 a day crossed over the last four days.", "2022-10-06",
     [("claim", "6,500", ""), ("exclusion", "four", "not a quantity")]),
    ("The call was interrupted twice.", "2022-10-06", [("exclusion", "twice", "not a quantity")]),
    ("Crossings doubled, twice as many as before.", "2022-10-06", [("claim", "doubled", ""), ("claim", "twice", "")]),
    ("It was the first mobilisation since the second world war.", "2022-10-06",
     [("exclusion", "first", "ordinal"), ("exclusion", "second", "ordinal")]),
    ("Border guards said some 2,500 people were in the queue.", "2022-09-29", [("claim", "2,500", "")]),
    # A number word fused to a noun describes a thing; "once" says when or how often: neither is a figure.
    ("Flight prices: a one-way ticket from Moscow to Yerevan now costs 120,000 roubles.", "2022-10-05",
     [("exclusion", "one", "not a quantity"), ("claim", "120,000 roubles", "")]),
    ("One-way economy tickets were selling for 95,000 roubles.", "2022-10-04",
     [("exclusion", "One", "not a quantity"), ("claim", "95,000 roubles", "")]),
    ("He arrived on the bus after a two-day drive.", "2022-10-06", [("exclusion", "two", "not a quantity")]),
    ("She does not know what became of them once they crossed the border again.", "2022-10-06",
     [("exclusion", "once", "not a quantity")]),
    ("Once the gates opened, a three-hour wait and a five-seat minibus cost 4,000 rubles.", "2022-10-06",
     [("exclusion", "Once", "not a quantity"), ("exclusion", "three", "not a quantity"),
      ("exclusion", "five", "not a quantity"), ("claim", "4,000 rubles", "")]),
    ("Crossings rose three-fold, and twenty-five buses waited.", "2022-10-06",
     [("claim", "three-fold", ""), ("claim", "twenty-five", "")]),
]


@pytest.mark.parametrize("sentence,published,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_each_mention_is_read_as_a_claim_an_event_or_an_exclusion(sentence, published, expected):
    items = read_sentence(Sentence(0, sentence), published, published)
    assert [(i.kind, i.text, i.reason) for i in items] == expected


def test_a_headline_that_repeats_a_figure_of_the_body_is_an_exclusion():
    text = "More than 400,000 have entered Kazakhstan\n\nMore than 400,000 Russians have entered Kazakhstan, it said.\n"
    items = read_text(text, "2022-11-29", "2022-11-29", title="More than 400,000 have entered Kazakhstan")
    assert [(i.kind, i.reason, i.start) for i in items] == [("exclusion", "duplicate text", 10), ("claim", "", 43)]


def test_one_sentence_is_at_most_the_cap_and_every_piece_is_an_exact_substring():
    text = "Head\n\n" + "between 300 and 400 thousand, " * 200 + "\n"
    found = sentences(text)
    assert len(found) > 1 and all(len(s.text) <= MAX_SENTENCE for s in found)
    assert all(text[s.start:s.start + len(s.text)] == s.text for s in found)
