"""The source view quotes sentences in short context, never whole articles."""
from __future__ import annotations

from exodus.report import source_view

TEXT = ("Headline line\n"
        "First sentence here. The ministry said 98,000 entered. Third one follows.\n"
        "Unquoted paragraph that must not appear.\n"
        "Another: “Quoted words,” she said. Tail sentence.")


def _items(*quotes):
    return [("claim", {"id": f"c{i}", "quote": q, "occurrence": None, "source_id": "s"}) for i, q in enumerate(quotes)]


def test_excerpt_is_the_quotes_sentence_with_ellipses_where_cut():
    paras = source_view.text_markdown(TEXT, source_view.marks_for(TEXT, _items("98,000 entered")))
    assert len(paras) == 1
    assert paras[0].startswith("… The ministry said []{#src-claim-c0}[98\\,000 entered]{.hl .hl-claim data-q=\"src-claim-c0\"}")
    assert paras[0].endswith("\\. …")
    assert "First sentence" not in paras[0] and "Third" not in paras[0]


def test_unquoted_lines_and_sentences_are_left_out():
    marks = source_view.marks_for(TEXT, _items("98,000 entered", "Quoted words"))
    out = "\n".join(source_view.text_markdown(TEXT, marks))
    assert "Unquoted paragraph" not in out and "Headline" not in out and "Tail sentence" not in out
    assert "she said\\." in out  # the closing quote mark does not end the sentence


def test_view_says_whose_texts_they_are():
    view = source_view.build([{"id": "s", "title": "T", "language": "en"}], {"s": TEXT},
                             [{"id": "c", "source_id": "s", "quote": "98,000 entered", "occurrence": None}], [], [])
    assert "belong to their publishers" in view and "not the whole article" in view
    assert "Unquoted paragraph" not in view
