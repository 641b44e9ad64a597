"""Cells that once crashed validation are reported at their file, row and column instead."""
import pytest

from exodus.model.numbers import rounding_bounds
from exodus.stages import validate
from tests.conftest import run_module, set_field


def test_a_bad_places_row_is_reported_not_raised(mini_root):
    path = mini_root / "data" / "places.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Russia,country,RU,", "Russia,country,RUSSIA,"),
                    encoding="utf-8")
    done = run_module("stages.validate", mini_root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "data/places.csv:3:3: [country_code] 'RUSSIA' does not match the pattern" in done.stdout + done.stderr


def test_an_integer_too_long_to_convert_is_reported(mini_root):
    set_field(mini_root, "people", "ivan", age="9" * 5000)
    done = run_module("stages.validate", mini_root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "data/people.csv:2:8: [age] is an integer of 5,000 digits; expected at most 30" in done.stdout + done.stderr


def test_hedge_words_written_with_letters_that_fold_to_ascii_are_read():
    assert validate.hedge_in_wording("at leaſt 10,000 crossed", "10,000") == "at least"
    assert validate.hedge_in_wording("AT LEAST 10,000 crossed", "10,000") == "at least"
    assert validate.hedge_in_wording("İn all, 10,000 crossed", "10,000") is None


def reword(root, old: str, new: str) -> None:
    """Change wording in the mini source and every table quoting it, keeping the checksum true."""
    import hashlib
    for path in [root / "data" / "sources" / "mini.txt", *sorted((root / "data").glob("*.csv"))]:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    digest = hashlib.sha256((root / "data" / "sources" / "mini.txt").read_bytes()).hexdigest()
    set_field(root, "sources", "mini", sha256=digest)


@pytest.mark.parametrize("day,why", [("September 31", "September has 30 days"), ("February 30", "February has")])
def test_a_day_no_month_has_is_located_even_without_a_publication_window(mini_root, day, why):
    reword(mini_root, "Sept. 21", day)
    done = run_module("pipeline", mini_root, "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"data/events.csv:2:5: [date_text] '{day}' names no calendar day ({why}" in done.stderr


def test_a_figure_of_hundreds_of_digits_read_as_about_is_located(mini_root):
    big = "1" + "0" * 320
    reword(mini_root, "Nearly 100,000", f"About {big}")
    set_field(mini_root, "claims", "kz_entries", number_text=f"About {big}", hedge="about", value="", high="")
    done = run_module("pipeline", mini_root, "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-1500:]
    assert "data/claims.csv:2:5: [number_text] 'About 1000000000000000000000000000000000'… (327 characters) is " \
           "beyond the largest figure a number can hold" in done.stderr


def test_rounding_of_a_figure_beyond_any_number_is_unknown_not_an_overflow():
    assert rounding_bounds("9" * 400) is None
    assert rounding_bounds("1" + "0" * 320) is None
    assert rounding_bounds("300,000") == (250_000, 350_000)


def test_an_empty_claims_table_lists_every_problem_and_every_uncovered_mention(mini_root):
    claims = mini_root / "data" / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    with (mini_root / "data" / "derived.csv").open("a", encoding="utf-8") as fh:
        fh.write("ge_twice,ge_crossings * 2,person_per_day,crossings_doubled,Twice the Georgia crossings.\n")
    done = run_module("pipeline", mini_root, "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "data/derived.csv:2:2: [formula] unknown id 'kz_entries'" in done.stderr
    assert "data/derived.csv:3:2: [formula] unknown id 'ge_crossings'" in done.stderr
    assert "data/sources/mini.txt:3:1: 'Nearly 100,000' uncovered in source mini" in done.stderr
    assert "2 data problem(s), 4 uncovered numeric mention(s)" in done.stderr
