"""Cells that once crashed validation are reported at their file, row and column instead."""
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
