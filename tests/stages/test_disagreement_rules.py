"""A disagreement is recorded only when intervals cannot overlap, names its sources; a contrast is not one."""
from exodus.stages import discrepancies

SOURCES = [{"id": "a", "original_outlet": "The Guardian", "outlet_shown": "unknown"},
           {"id": "b", "original_outlet": "DW", "outlet_shown": "unknown"}]


def claim(cid, source, number_text, value, low, high, hedge, **extra):
    row = {"id": cid, "source_id": source, "number_text": number_text, "value": value, "low": low, "high": high,
           "hedge": hedge, "unit": "day", "metric": "stay_permit_duration", "place": "Kazakhstan",
           "period_start": None, "period_end": None, "status": "single", "competes_with": None,
           "subject": cid}
    row.update(extra)
    return row


def test_90_days_and_up_to_90_days_do_not_disagree():
    rows = [claim("permit", "a", "90", 90, 90, 90, "exact"),
            claim("permit_new", "b", "90", 90, None, 90, "up to")]
    assert discrepancies.find(rows, [], SOURCES) == []


def test_intervals_that_cannot_overlap_disagree_and_name_both_sources():
    rows = [claim("permit", "a", "90", 90, 90, 90, "exact"),
            claim("permit_new", "b", "180", 180, 180, None, "more than")]
    found = discrepancies.find(rows, [], SOURCES)
    assert [r["kind"] for r in found] == ["same_quantity_different_values"]
    assert "The Guardian (a)" in found[0]["description"] and "DW (b)" in found[0]["description"]
    assert discrepancies.is_disagreement(found[0])


def test_about_figures_within_each_others_rounding_do_not_disagree():
    rows = [claim("price_a", "a", "300,000", 300_000, None, None, "about"),
            claim("price_b", "b", "320,000", 320_000, None, None, "about")]
    assert discrepancies.find(rows, [], SOURCES) == []


def test_competing_claims_that_overlap_are_not_a_disagreement():
    rows = [claim("x", "a", "90", 90, 90, 90, "exact", status="competing", competes_with="y"),
            claim("y", "b", "90", 90, None, 90, "up to", status="competing", competes_with="x")]
    assert discrepancies.find(rows, [], SOURCES) == []
    rows[1].update(number_text="60", value=60, high=60, hedge="exact", low=60)
    assert [r["kind"] for r in discrepancies.find(rows, [], SOURCES)] == ["competing_claims"]


def test_an_order_and_a_ceiling_are_a_contrast_not_a_disagreement():
    rows = [claim("ordered", "a", "300,000", 300_000, 300_000, 300_000, "exact", status="contrast",
                  competes_with="allowed", unit="person", metric="men_callable", subject="ordered"),
            claim("allowed", "a", "1,000,000", 1_000_000, 1_000_000, 1_000_000, "exact", status="contrast",
                  competes_with="ordered", unit="person", metric="men_callable", subject="allowed")]
    found = discrepancies.find(rows, [], SOURCES)
    assert [r["kind"] for r in found] == ["contrast"]
    assert not discrepancies.is_disagreement(found[0])
    assert "not a disagreement" in found[0]["description"] and "The Guardian (a)" in found[0]["description"]


def test_a_same_place_group_is_left_to_its_linked_group_among_thousands():
    # 2,000 linked pairs; the last pair also shares a place, so only its competing row may name it.
    already = [{f"x{i}", f"y{i}"} for i in range(2_000)]
    rows = [claim("x1999", "a", "90", 90, 90, 90, "exact", place="Oral"),
            claim("y1999", "b", "180", 180, 180, 180, "exact", place="Oral"),
            claim("p", "a", "90", 90, 90, 90, "exact", place="Uralsk"),
            claim("q", "b", "180", 180, 180, 180, "exact", place="Uralsk")]
    found = discrepancies.same_quantity(rows, already, {s["id"]: s for s in SOURCES})
    assert [r["claim_ids"] for r in found] == ["p;q"]
    # A group only partly inside a linked group is still compared.
    assert [r["claim_ids"] for r in discrepancies.same_quantity(rows, [{"x1999", "z"}])] == ["x1999;y1999", "p;q"]


DATED = {"early": {"id": "early", "original_outlet": "AP", "outlet_shown": "unknown",
                   "published_not_before": "2022-09-26", "published_not_after": "2022-10-02"},
         "late": {"id": "late", "original_outlet": "Interfax", "outlet_shown": "unknown", "published": "2022-11-29"},
         "same_week": {"id": "same_week", "original_outlet": "DW", "outlet_shown": "unknown", "published": "2022-09-30"}}


def entries(cid, source, value, hedge, **extra):
    low, high = (None, value) if hedge == "nearly" else (value, None)
    extra.setdefault("period_start", "2022-09-21")
    return claim(cid, source, f"{value:,}", value, low, high, hedge, unit="person", metric="border_entries", **extra)


def test_cumulative_reports_months_apart_are_a_series_not_a_disagreement():
    rows = [entries("kz_sept", "early", 100_000, "nearly"), entries("kz_nov", "late", 400_000, "more than")]
    assert discrepancies.find(rows, [], list(DATED.values())) == []


def test_reports_whose_as_of_dates_can_coincide_disagree_and_say_when():
    rows = [entries("kz_sept", "early", 100_000, "nearly"), entries("kz_same_week", "same_week", 400_000, "more than")]
    found = discrepancies.find(rows, [], list(DATED.values()))
    assert [(r["kind"], r["claim_ids"]) for r in found] == [("same_quantity_different_values", "kz_same_week;kz_sept")]
    assert "kz_sept between 26 Sep and 2 Oct 2022" in found[0]["description"]
    assert "kz_same_week as of 30 Sep 2022" in found[0]["description"]


def test_a_period_end_moves_a_report_away_from_its_publication_window():
    rows = [entries("kz_sept", "early", 100_000, "nearly"),
            entries("kz_nov_said_late", "same_week", 400_000, "more than", period_end="2022-11-28")]
    assert discrepancies.find(rows, [], list(DATED.values())) == []


def test_counts_since_different_days_are_different_quantities():
    rows = [entries("kz_sept", "early", 100_000, "nearly"),
            entries("kz_since_feb", "same_week", 400_000, "more than", period_start="2022-02-24")]
    assert discrepancies.find(rows, [], list(DATED.values())) == []


def test_a_derived_rate_is_compared_only_with_claims_of_its_place_and_time():
    from exodus.model import intervals as iv
    from exodus.stages import derive, formulas

    def rate(cid, source, place, value, hedge):
        low, high = (value, None) if hedge == "more than" else (None, value)
        return claim(cid, source, f"{value:,}", value, low, high, hedge, unit="person_per_day",
                     metric="border_crossings_per_day", place=place)

    rows = [rate("ge_sept", "early", "Georgia", 10_000, "more than"), rate("fi_sept", "early", "Finland", 1_000, "nearly"),
            rate("ge_nov", "late", "Georgia", 100, "nearly"), rate("ge_same_week", "same_week", "Georgia", 500, "nearly")]
    definition = derive.Definition("ge_before", "ge_sept / 2", "person_per_day", "border_crossings_per_day", "", 2,
                                   None)
    quantity = formulas.Quantity(iv.Interval(5_000, 5_000, 5_000), ("person", "day"), "border_crossings_per_day",
                                 frozenset({"ge_sept"}), frozenset(), frozenset({"early"}))
    found = discrepancies.derived_vs_claims(rows, [derive.Derived(definition, quantity)], DATED)
    assert [r["claim_ids"] for r in found] == ["ge_same_week;ge_sept"]
