"""Sentences of report.qmd bound to checks over the tables: each fails, located, when the data falsifies it."""
from pathlib import Path

import pytest

from exodus.model.numbers import in_words
from exodus.report import narrative, variables
from exodus.stages import validate

REPO = Path(__file__).resolve().parent.parent.parent
CLAIM_FIELDS = ["id", "source_id", "metric", "place", "unit", "subject", "hedge", "period_start", "period_end",
                "attributed_to"]
SOURCE_FIELDS = ["id", "published", "published_not_before", "published_not_after", "url"]


def claim(cid, source="a", metric="men_left_russia", place="Russia", **extra):
    row = dict.fromkeys(CLAIM_FIELDS)
    row.update(id=cid, source_id=source, metric=metric, place=place, unit="person", subject=cid, hedge="exact",
               attributed_to="AFP")
    row.update(extra)
    return row


def data(claims, sources=None, derived=()):
    sources = sources or [{"id": "a", "published": "2023-08-19", "published_not_before": None,
                           "published_not_after": None, "url": None},
                          {"id": "b", "published": None, "published_not_before": "2022-09-26",
                           "published_not_after": "2022-10-02", "url": None}]
    return narrative.Data({"claims": (CLAIM_FIELDS, claims), "sources": (SOURCE_FIELDS, sources),
                           "derived": (["id", "value"], list(derived))})


def write(tmp_path, spec: str, report: str) -> tuple[narrative.Spec, Path]:
    (tmp_path / "narrative.yml").write_text(spec, encoding="utf-8")
    (tmp_path / "report.qmd").write_text(report, encoding="utf-8")
    return narrative.load(tmp_path / "narrative.yml"), tmp_path / "report.qmd"


SPEC = """checks:
  - id: no_count
    says: No article counts the men who left Russia
    only: {table: claims, where: {metric: men_left_russia}}
    ids: [afp_vague]
  - id: one_dated
    says: [Only one article prints its date, Only one article prints a date.]
    count: {table: sources, where: {published: {filled: true}}}
    is: 1
exempt:
  - says: Every figure links to its entry
    why: method
"""
REPORT = """---
title: "x"
---

Intro line.

**Bottom line.** No article counts the men who left Russia; more below.

- Only one article prints its date; the others are dated by their window.

Every figure links to its entry.

**Dates.** Only one article prints a date.
"""


def test_bound_sentences_hold_on_data_that_backs_them(tmp_path):
    spec, report = write(tmp_path, SPEC, REPORT)
    assert narrative.evaluate(spec, report, data([claim("afp_vague")])) == []


def test_a_sentence_the_data_falsifies_fails_with_its_line_and_the_rows_that_broke_it(tmp_path):
    spec, report = write(tmp_path, SPEC, REPORT)
    rows = [claim("afp_vague"), claim("fsb_count", source="b"), claim("bell_estimate", source="b")]
    found = [str(p) for p in narrative.evaluate(spec, report, data(rows))]
    assert len(found) == 1
    assert found[0].startswith(f"{narrative.paths.rel(report)}:7:18: 'No article counts the men who left Russia' "
                               "is no longer true")
    assert "also fsb_count, bell_estimate" in found[0] and "check no_count" in found[0]
    assert "narrative.yml:2" in found[0]


def test_every_occurrence_of_a_bound_sentence_is_named(tmp_path):
    spec, report = write(tmp_path, SPEC, REPORT)
    sources = [{"id": s, "published": "2022-10-0" + str(n), "url": None, "published_not_before": None,
                "published_not_after": None} for n, s in enumerate(("a", "b", "c"), 1)]
    found = [p.where.split(":", 1)[1] for p in narrative.evaluate(spec, report, data([claim("afp_vague")], sources))]
    assert found == ["9:3", "13:12"]


def test_an_assertion_word_outside_every_bound_or_exempt_sentence_is_found(tmp_path):
    spec, report = write(tmp_path, SPEC, REPORT + "\nNobody counts the men who came back, and none returned.\n"
                                                  "<!-- only a comment --> `only code` {{< var claim.only >}} "
                                                  "he said \"only a few\" and “most of them”\n")
    found = [str(p) for p in narrative.evaluate(spec, report, data([claim("afp_vague")]))]
    assert [f.split(": ")[0].split(":", 1)[1] for f in found] == ["15:1", "15:42"]
    assert "'Nobody' asserts something of the data but no check" in found[0]


def test_a_check_that_binds_no_sentence_or_names_unknown_rows_is_located_in_the_spec(tmp_path):
    spec, report = write(tmp_path, SPEC.replace("Only one article prints a date.", "Only two articles print a date.")
                         .replace("ids: [afp_vague]", "ids: [no_such_claim]"), REPORT)
    found = [str(p) for p in narrative.evaluate(spec, report, data([claim("afp_vague")]))]
    assert any(f.startswith(f"{narrative.paths.rel(tmp_path / 'narrative.yml')}:6: 'says' text "
                            "'Only two articles print a date.' is not in") for f in found), found
    assert any(":2: check no_count: names no_such_claim, not an id in claims" in f for f in found), found
    # The sentence it no longer binds is an unbound assertion again.
    assert any(":13:12: 'Only' asserts" in f for f in found), found


@pytest.mark.parametrize("rule,holds,fails", [
    ({"none": {"where": {"unit": "RUB/GBP"}}}, [claim("x")], [claim("x"), claim("rate", unit="RUB/GBP")]),
    ({"none": {"like": ["kz"]}}, [claim("kz", metric="border_entries", place="Kazakhstan"),
                                  claim("ge", metric="border_entries", place="Georgia")],
     [claim("kz", metric="border_entries", place="Kazakhstan"),
      claim("kz_later", source="b", metric="border_entries", place="kazakhstan")]),
    ({"count": {"where": {"id": ["x", "y"]}, "distinct": "source_id"}, "is": 1},
     [claim("x"), claim("y")], [claim("x"), claim("y", source="b")]),
    ({"latest": {"metric": "border_entries", "place": "Kazakhstan", "is": "kz"}},
     [claim("kz", source="a", metric="border_entries", place="Kazakhstan"),
      claim("kz_old", source="b", metric="border_entries", place="Kazakhstan")],
     [claim("kz", source="b", metric="border_entries", place="Kazakhstan"),
      claim("kz_new", source="a", metric="border_entries", place="Kazakhstan")]),
    ({"most": {"group": "metric", "distinct": "source_id", "is": 1}},
     [claim("x", metric="m1"), claim("y", metric="m2"), claim("z", metric="m2")],
     [claim("x", metric="m1"), claim("y", metric="m1", source="b")]),
    ({"none": {"where": {"subject": {"matches": "(?i)came back"}, "hedge": {"not": "denied"}}}},
     [claim("x", subject="men who came back", hedge="denied")], [claim("x", subject="Men who came back")]),
])
def test_each_rule_holds_and_fails_on_the_rows(rule, holds, fails):
    assert narrative.broken(rule, data(holds)) is None
    assert narrative.broken(rule, data(fails))


def test_descending_compares_derived_values():
    rule = {"descending": {"ids": ["kz", "ge", "tr"]}}
    rows = [{"id": "kz", "value": "5"}, {"id": "ge", "value": "3"}, {"id": "tr", "value": "2"}]
    assert narrative.broken(rule, data([], derived=rows)) is None
    rows[1]["value"] = "5"
    assert "kz=5, ge=5, tr=2" in narrative.broken(rule, data([], derived=rows))


def test_the_latest_report_is_a_variable_resolved_from_the_data(tmp_path):
    (tmp_path / "narrative.yml").write_text("latest:\n  kz: {metric: border_entries, place: Kazakhstan}\n")
    rows = [claim("kz_sept", source="b", metric="border_entries", place="Kazakhstan", number_text="100,000",
                  value=100000, low=None, high=100000, hedge="nearly"),
            claim("kz_nov", source="a", metric="border_entries", place="Kazakhstan", number_text="400,000",
                  value=400000, low=400000, high=None, hedge="more than")]
    sources = [{"id": "a", "published": "2022-11-29"}, {"id": "b", "published_not_before": "2022-09-26",
                                                        "published_not_after": "2022-10-02"}]
    latest = narrative.latest_reports(tmp_path / "narrative.yml", rows, sources)
    assert latest["kz"]["id"] == "kz_nov"
    built = variables.build(rows, [], [], {"sources": 5}, latest=latest)
    assert built["latest"]["kz"].startswith("[more than 400\\,000](#claim-kz_nov)")
    assert built["count"]["sources_words"] == "[five](#sec-appendix-sources)"
    assert narrative.resolve_latest("x {{< var latest.kz >}} y", latest) == "x {{< var claim.kz_nov >}} y"
    with pytest.raises(ValueError, match=r"narrative\.yml:2: latest\.kz: no dated report of border_entries"):
        narrative.latest_reports(tmp_path / "narrative.yml", rows[:1], [])


@pytest.mark.parametrize("n,words", [(5, "five"), (11, "eleven"), (21, "twenty-one"), (104, "one hundred and four"),
                                     (2_500, "two thousand five hundred"), (1_200_000, "1,200,000")])
def test_counts_are_spelled_as_prose_spells_them(n, words):
    assert in_words(n) == words


@pytest.fixture(scope="module")
def repo_tables():
    dataset, problems = validate.validate()
    assert problems == []
    return dataset.tables


@pytest.fixture(scope="module")
def derived_root(tmp_path_factory):
    """A copy of the project with its derive stage run in this process: the tables the checks read from build/."""
    from exodus.pipeline import runner
    from exodus.tools import bench
    root = bench.project_copy(tmp_path_factory.mktemp("derived") / "project")
    assert runner.build("derive", root) == 0
    return root


def test_every_sentence_of_the_report_holds_and_every_assertion_is_bound(repo_tables, derived_root):
    assert [str(p) for p in narrative.check(derived_root, repo_tables)] == []


def test_a_count_of_the_exodus_in_the_data_falsifies_the_report_at_each_line_that_denies_it(repo_tables, derived_root):
    spec = narrative.load(REPO / "data" / "narrative.yml")
    tables = narrative.gather(repo_tables, narrative.built_paths(derived_root))
    fields, claims = tables.tables["claims"]
    fsb = {**claims[0], "id": "fsb_exits", "metric": "men_left_russia", "place": "Russia", "hedge": "more than"}
    tables.tables["claims"] = (fields, [*claims, fsb])
    found = [str(p) for p in narrative.evaluate(spec, REPO / "report.qmd", tables)]
    lines = REPO.joinpath("report.qmd").read_text(encoding="utf-8").split("\n")
    says = next(narrative.said(c) for _, c in spec.checks if c["id"] == "no_count_of_the_exodus")
    denying = [n for n, line in enumerate(lines, 1) if any(s in line for s in says)]
    assert denying and sorted({int(f.split(":")[1]) for f in found}) == denying
    assert all("also fsb_exits" in f for f in found)


def test_a_malformed_spec_is_a_located_problem_not_a_traceback(tmp_path):
    spec, report = write(tmp_path, "checks:\n  - id: x\n    why: says \"he\": one\n", REPORT)
    found = [str(p) for p in narrative.evaluate(spec, report, data([claim("afp_vague")]))]
    assert found[0].startswith(f"{narrative.paths.rel(tmp_path / 'narrative.yml')}:1: cannot be read as YAML")


def _with_claim(repo_tables, derived_root, **changes):
    spec = narrative.load(REPO / "data" / "narrative.yml")
    tables = narrative.gather(repo_tables, narrative.built_paths(derived_root))
    fields, claims = tables.tables["claims"]
    like = changes.pop("like")
    base = next(c for c in claims if c["id"] == like)
    tables.tables["claims"] = (fields, [*claims, {**base, **changes}])
    return [str(p) for p in narrative.evaluate(spec, REPO / "report.qmd", tables)]


def test_a_newer_kazakhstan_count_from_another_article_falsifies_the_sentences_about_the_three_tallies(
        repo_tables, derived_root):
    found = _with_claim(repo_tables, derived_root, like="kazakhstan_entries", id="wire_kz_entries", source_id="hyrra_afp_returnees",
                        period_start="2022-09-21", period_end="2022-10-04")
    assert any("Those three tallies come from one article" in f and "three_tallies_one_article" in f for f in found)
    assert any("No other article confirms them." in f and "kazakhstan_entries" in f for f in found)


@pytest.mark.parametrize("subject", ["Russians crossing back into Russia per day", "men who have gone back",
                                     "returnees from Kazakhstan"])
def test_a_count_of_men_coming_back_falsifies_the_sentences_that_deny_one(repo_tables, derived_root, subject):
    found = _with_claim(repo_tables, derived_root, like="kazakhstan_entries", id="blog_back", subject=subject)
    assert any("Nobody counts the men who came back." in f and "blog_back" in f for f in found)


@pytest.mark.parametrize("where", [{"unit": "persons"}, {"unit": ["percent", "persons"]}, {"unit": {"not": "persons"}}])
def test_a_check_selecting_by_a_unit_the_units_table_lacks_is_an_error_not_a_vacuous_hold(where):
    tables = {"claims": (CLAIM_FIELDS, [claim("x")]), "units": (["id"], [{"id": "person"}, {"id": "percent"}])}
    keyed = narrative.Data(tables, {("claims", "unit"): ("units", "id")})
    with pytest.raises(ValueError, match="where unit: 'persons' is not a unit listed in data/units.csv"):
        narrative.broken({"none": {"where": where}}, keyed)
    assert narrative.broken({"none": {"where": {"unit": "PERCENT"}}}, keyed) is None  # tests ignore case, as matching does


def test_the_build_s_checks_know_the_data_package_s_foreign_keys_and_the_derived_unit(tmp_path):
    (tmp_path / "derived.csv").write_text("id,unit\nd,person\n", encoding="utf-8")
    (tmp_path / "discrepancies.csv").write_text("id\n", encoding="utf-8")
    dataset, _ = validate.validate()
    keyed = narrative.gather(dataset.tables, {"derived": tmp_path / "derived.csv", "discrepancies": tmp_path / "discrepancies.csv"})
    assert keyed.keys[("claims", "unit")] == keyed.keys[("derived", "unit")] == ("units", "id")
    assert keyed.keys[("claims", "source_id")] == ("sources", "id")
    with pytest.raises(ValueError, match="'RUB/USD' is not a unit listed"):
        keyed.rows({"table": "derived", "where": {"unit": "RUB/USD"}})
