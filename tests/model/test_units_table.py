"""One units table (data/units.csv): the schema refers to it, the reading's units are in it, and a new unit is one row."""
import csv
import hashlib
from pathlib import Path

import pytest

from exodus import paths
from exodus.charts import draw
from exodus.context import Context
from exodus.model import derived_table, tables, units, vocabulary, wording
from tests.conftest import REPO, run_module

TABLE = vocabulary.unit_table()


def test_claims_and_metrics_refer_to_the_table_by_foreign_key_and_list_no_unit_of_their_own():
    schema = tables.load_schema()
    for name in ("claims", "metrics"):
        field = next(f for f in schema[name]["schema"]["fields"] if f["name"] == "unit")
        assert "enum" not in field.get("constraints", {})
        assert ("unit", "units", "id") in tables.foreign_keys(schema[name])
    assert schema["units"]["path"] == "units.csv"


def test_every_unit_the_reading_or_the_formulas_can_give_is_a_row():
    from exodus.stages import formulas
    with (REPO / "tests" / "fixtures" / "phrasings.csv").open(encoding="utf-8", newline="") as fh:
        read = {r["unit"] for r in csv.DictReader(fh) if r["unit"]}
    fixed = read | set(vocabulary.CURRENCY_SIGNS.values()) | set(vocabulary.CURRENCY_WORDS.values())
    fixed |= {unit for _, unit in formulas.PEOPLE_METRICS.values()}  # count_people(), median_age()
    assert {"percent", "percentage_point", "ratio", "GBP", "RUB", "person", "year"} <= fixed
    assert fixed - set(TABLE) == set()


@pytest.mark.parametrize("unit", sorted(TABLE))
def test_every_row_parses_as_a_unit_and_has_words(unit):
    units.parse(unit)  # raises on an id formulas could not read
    assert TABLE[unit].words.strip() and TABLE[unit].words != ""


def test_a_quotient_is_read_dimensionally_and_worded_by_its_row():
    assert units.parse("RUB/GBP") == (("GBP", -1), ("RUB", 1))
    assert units.parse("person_per_day") == units.parse("person/day")
    assert units.parse("percentage_point") == (("percentage_point", 1),)
    assert vocabulary.unit_words("RUB/GBP") == "rubles per pound"


@pytest.mark.parametrize("figure, unit, printed", [
    ("4,800", "GBP", "£4,800"), ("£4,800", "GBP", "£4,800"), ("5,000 pounds", "GBP", "5,000 pounds"),
    ("300,000", "RUB", "300,000 rubles"), ("300,000 roubles", "RUB", "300,000 roubles"),
    ("80", "percent", "80%"), ("80 per cent", "percent", "80 per cent"),
    ("3.5", "ratio", "3.5×"), ("double", "ratio", "double"), ("10", "USD", "$10"),
    ("100,000", "person", "100,000"), ("7", "no_such_unit", "7"),
])
def test_the_report_prints_the_sign_its_row_gives_unless_the_wording_shows_the_unit(figure, unit, printed):
    assert wording.with_unit(figure, unit) == printed


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


@pytest.fixture
def with_vehicles(mini_root: Path) -> Path:
    """The mini project with one new unit, one row of data/units.csv, and a claim, metric and derived
    figure that use it (the article gains the sentence the claim quotes)."""
    data = mini_root / "data"
    _append(data / "units.csv", "vehicle,vehicles,,vehicles,vehicle|truck|lorr,a count of vehicles")
    text = data / "sources" / "mini.txt"
    text.write_text(text.read_text(encoding="utf-8") + "About 2,000 trucks queue at the border.\n", encoding="utf-8")
    old = (data / "sources.csv").read_text(encoding="utf-8")
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    (data / "sources.csv").write_text(old.replace(old.split(",")[17], digest, 1), encoding="utf-8")
    _append(data / "metrics.csv", "truck_queue,Trucks queuing at a border,vehicle,Trucks waiting to cross")
    _append(data / "claims.csv", 'queue,mini,"About 2,000 trucks queue at the border.",,"2,000",2000,1500,2500,about,'
                                 "vehicle,truck_queue,trucks,Georgia,,,,unknown outlet,outlet,single,,")
    _append(data / "derived.csv", "queue_twice,queue * 2,vehicle,truck_queue_doubled,Twice the queue.")
    return mini_root


def test_a_new_unit_is_one_row_and_validates_derives_and_prints_its_words(with_vehicles):
    checked = run_module("stages.validate", with_vehicles)
    assert checked.returncode == 0, checked.stderr
    made = run_module("stages.derive", with_vehicles)
    assert made.returncode == 0, made.stderr
    rows = derived_table.load(with_vehicles / "build" / "derived.csv")
    twice = next(r for r in rows if r["id"] == "queue_twice")
    assert (twice["unit"], twice["low"], twice["high"]) == ("vehicle", 3000, 5000)
    with paths.activated(Context(with_vehicles)):
        assert vocabulary.unit_words("vehicle") == "vehicles"
        assert wording.derived_text(twice) == "about 4,000 vehicles (3,000–5,000)"
        claim = {"number_text": "2,000", "value": 2000, "hedge": "about", "unit": "vehicle"}
        assert wording.claim_text(claim) == "about 2,000 vehicles"
        assert wording.with_unit("2,000 trucks", "vehicle") == "2,000 trucks"
        assert draw._panel_title([{"metric_label": "Trucks queuing", "unit": "vehicle"}]) == "Trucks queuing · vehicles"
    assert vocabulary.unit_words("vehicle") == "vehicle"  # this checkout's table does not have it


def test_a_claim_metric_or_derived_figure_in_an_unlisted_unit_fails_where_it_is_used(with_vehicles):
    data = with_vehicles / "data"
    for name, old, new in (("claims", ",about,vehicle,", ",about,lorry,"), ("metrics", ",vehicle,", ",lorries,")):
        path = data / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run_module("stages.validate", with_vehicles)
    assert result.returncode == 1
    assert ("data/claims.csv:6:10: [unit] unknown unit 'lorry'; expected a unit listed in data/units.csv (one of: "
            in result.stderr), result.stderr
    assert "data/metrics.csv:6:3: [unit] unknown unit 'lorries'; expected a unit listed in data/units.csv" in result.stderr
    assert "; a new unit is a row there" in result.stderr


def test_a_derived_unit_spelt_otherwise_than_the_table_fails_on_its_row(mini_root):
    _append(mini_root / "data" / "derived.csv", "ge_twice,ge_daily * 2,person/day,crossings_doubled,Twice the crossings.")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert ("data/derived.csv:3:3: [unit] unknown unit 'person/day'; expected a unit listed in data/units.csv; "
            "a new unit is a row there") in result.stderr, result.stderr


def test_a_unit_s_words_and_signs_from_the_table_reach_the_page_escaped(mini_root):
    from exodus.report import variables
    _append(mini_root / "data" / "units.csv", 'odd,<script>x</script>,<b>,{{< var x >}},,hostile')
    with paths.activated(Context(mini_root)):
        text = wording.claim_text({"number_text": "5", "value": 5, "hedge": "exact", "unit": "odd"})
        assert text == "<b>5{{< var x >}}"  # a sign is attached; only a word is set off by a space
        page = variables.link(text, "claim", {"id": "c", "source_id": "mini"})
        assert "<b>" not in page and "{{<" not in page and "\\<b\\>5" in page
        assert draw._panel_title([{"metric_label": "M", "unit": "odd"}]) == "M · <script>x</script>"  # drawn as text
