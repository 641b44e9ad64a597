"""Derived figures only where the articles support the arithmetic, each stating its assumptions."""
import csv
import io

from exodus import paths
from exodus.model import csv_out, derived_table
from exodus.stages import derive


def real():
    return derive.build(derive.load_tables())


def test_every_derived_figure_resting_on_claims_says_it_is_derived_and_what_it_assumes():
    for d in real():
        if d.quantity.claim_ids:
            text = d.definition.description
            assert text.startswith("Derived, not reported:"), d.id
            assert "ssume" in text, f"{d.id} states no assumption"


def test_no_derived_ratio_or_difference_straddles_its_neutral_point():
    for d in real():
        i, unit = d.quantity.interval, d.definition.unit
        if not d.quantity.claim_ids or i.low == i.high:
            continue
        if unit == "ratio":
            assert not (i.low < 1 < i.high), f"{d.id}: {i.low}..{i.high} says nothing about more or less"
        if "-" in d.definition.formula:
            assert not (i.low < 0 < i.high), f"{d.id}: {i.low}..{i.high} says nothing about which is larger"


def test_the_build_table_marks_every_row_as_derived(tmp_path):
    rows = [derive.to_row(d) for d in real()]
    text = csv_out.render(derive.OUT_FIELDS, rows)
    assert {r["marker"] for r in csv.DictReader(io.StringIO(text))} == {"derived"}
    assert {r["marker"] for r in derived_table.parse(text)} == {"derived"}
    assert paths.DERIVED_DEFS.exists()
