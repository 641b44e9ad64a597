"""One citations module: every kind of line says what it counts and how to find its article, from one template file."""
import pytest

from exodus.model import citations

ED = citations.Edition("The Report", "1.2.0")
LIVE = citations.Edition("The Report", "1.2.0", url="https://example.org/x/report.html")
AFP = {"id": "a", "outlet_shown": "Hyrra", "original_outlet": "AFP", "title": "Russians return",
       "published": "2023-08-19", "published_basis": "stated"}
NOBODY = {"id": "m", "outlet_shown": "unknown", "original_outlet": "unknown", "title": "Men are fleeing Russia",
          "published": None, "published_basis": "bounded", "published_not_before": "2022-09-26",
          "published_not_after": "2022-10-02"}


def test_a_source_is_credited_one_way_and_by_headline_where_no_outlet_is_known():
    assert citations.credit(AFP) == "AFP via Hyrra, 19 August 2023"
    assert citations.credit(NOBODY) == "“Men are fleeing Russia” (outlet not named), 26 September–2 October 2022, " \
                                       "date not printed"


def test_a_source_is_named_as_its_credit_names_it_and_never_as_an_unknown_outlet():
    guardian = {**NOBODY, "original_outlet": "The Guardian"}
    assert citations.name(AFP) == "AFP via Hyrra" and citations.name(guardian) == "The Guardian"
    assert citations.name(NOBODY) == "“Men are fleeing Russia” (outlet not named)"
    assert citations.credit(NOBODY).startswith(citations.name(NOBODY) + ", ")
    assert citations.outlet(NOBODY) == "outlet not named" and citations.outlet(guardian) == "The Guardian"
    assert citations.name(None) == citations.credit(None) == "source not in the sources table"
    assert citations.chart_line("T", "R", "1", [citations.name(AFP), citations.name(NOBODY)]).endswith(
        "Based on reporting by AFP via Hyrra; “Men are fleeing Russia” (outlet not named).")


@pytest.mark.parametrize("event,date", [
    ({"date_text": "tomorrow", "date": None, "date_precision": "unknown"}, "undated in the article"),
    ({"date_text": "huhours after", "date": None, "date_precision": "unknown"}, "undated in the article"),
    ({"date_text": "on Friday", "date": "2022-09-23", "date_precision": "day"}, "23 September 2022"),
    ({"date_text": "a few days after", "date": "2022-09-01", "date_precision": "month", "not_before": "2022-09-22",
      "not_after": "2022-09-30"}, "22–30 September 2022"),
])
def test_an_event_is_cited_by_its_date_never_by_its_dating_words(event, date):
    row = {"id": "e", "source_id": "a", "event": "Something happened", "quote": "It happened.", **event}
    line = citations.event_line(row, AFP, ED)
    assert line.startswith(f"Cite as: Something happened, {date}: “It happened.”")
    assert f"Cite as: {event['date_text']}" not in line


def test_a_derived_figure_says_what_it_counts_and_the_figures_it_comes_from_in_formula_order():
    claims = {"floor": {"id": "floor", "source_id": "m", "number_text": "at least 10,000", "value": 10000,
                        "hedge": "at least", "unit": "person_per_day", "quote": "q"},
              "double": {"id": "double", "source_id": "m", "number_text": "double", "value": 2, "hedge": "about",
                         "unit": "ratio", "quote": "q"}}
    row = {"id": "before", "formula": "floor / double", "claim_ids": "double;floor", "source_ids": "m",
           "value": 5000, "low": 4000, "high": None, "hedge": "at least", "unit": "person_per_day",
           "description": "Derived, not reported: crossings per day before (the floor over the ratio), from the floor. "
                          "Assumes one thing."}
    line = citations.derived_line(row, claims, {"m": NOBODY}, ED)
    assert line.startswith("Cite as: at least 4,000, crossings per day before: derived by this report from "
                           "at least 10,000 and about double as reported by “Men are fleeing Russia”")
    assert line.endswith("entry “derived-before” (the report has no published address yet).")


def test_a_derived_figure_over_many_sources_names_the_first_few_and_leaves_the_rest_to_its_entry():
    sources = {f"s{i:02d}": {**AFP, "id": f"s{i:02d}", "published": f"2023-08-{i + 1:02d}"} for i in range(20)}
    people = {"id": "n", "formula": "count_people(account='yes')", "claim_ids": "", "source_ids": ";".join(sources),
              "value": 20, "low": 20, "high": 20, "hedge": "exact", "unit": "person",
              "description": "Accounts: people whose own story the articles tell."}
    line = citations.derived_line(people, {}, sources, ED)
    assert line.count("AFP via Hyrra, ") == citations.SHOWN
    assert "AFP via Hyrra, 6 August 2023 and others, each named in the figure's evidence entry; no article" in line
    claims = {f"c{i:02d}": {"id": f"c{i:02d}", "source_id": f"s{i:02d}", "number_text": str(i + 1), "value": i + 1,
                            "hedge": "exact", "unit": "person", "quote": "q"} for i in range(20)}
    summed = {**people, "formula": " + ".join(claims), "claim_ids": ";".join(claims), "value": 210, "low": 210,
              "high": 210}
    line = citations.derived_line(summed, claims, sources, ED)
    assert line.count(" as reported by ") == citations.SHOWN and "and others, each named in the figure's" in line
    # Two sources credited alike (one outlet, one date) are named once.
    twins = {**sources, "t00": {**sources["s00"], "id": "t00"}}
    assert citations.derived_line({**people, "source_ids": "s00;t00"}, {}, twins, ED).count("AFP via Hyrra") == 1


def test_with_an_address_every_line_ends_in_an_absolute_link_and_without_one_says_so():
    assert LIVE.anchor("claim", "kz") == "https://example.org/x/report.html#claim-kz"
    assert ED.anchor("claim", "kz") == "entry “claim-kz” (the report has no published address yet)"


@pytest.mark.parametrize("settings,page", [
    ({}, ""),
    ({"website": {"site-url": ""}}, ""),
    ({"website": {"site-url": "https://example.org/exodus/"}}, "https://example.org/exodus/report.html"),
    ({"website": {"site-url": "https://example.org/exodus"}}, "https://example.org/exodus/report.html"),
    ({"website": {"site-url": "https://example.org/r.html"}}, "https://example.org/r.html"),
])
def test_the_published_address_is_one_setting_in_quarto_s_own_key(settings, page):
    assert citations.published_address(settings)[0] == page


@pytest.mark.parametrize("bad", ["http://example.org/", "javascript:alert(1)", "https://a b/", 'https://x/"><script>'])
def test_an_address_that_is_not_a_plain_https_url_is_refused(bad):
    with pytest.raises(ValueError, match="must be an https:// URL"):
        citations.published_address({"website": {"site-url": bad}})


def test_a_template_that_names_a_field_nobody_gives_is_an_error_naming_it(monkeypatch):
    monkeypatch.setattr(citations, "templates", lambda: {"claim": "Cite as: {figure} {mystery}"})
    with pytest.raises(ValueError, match="template 'claim' names mystery"):
        citations.fill("claim", figure="1")
