"""`make check`'s validation stage: every table (derived formulas included), every error located, never a traceback."""
import re

import pytest

from tests.conftest import run_module

DERIVED_HEADER = "id,formula,unit,metric,description\n"


def check(root):
    result = run_module("stages.validate", root)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def failed_with(root, pattern: str) -> str:
    result = check(root)
    assert result.returncode == 1, result.stdout
    assert re.search(pattern, result.stderr), result.stderr
    return result.stderr


def set_derived(root, body: bytes) -> None:
    (root / "data" / "derived.csv").write_bytes(body)


def replace(root, table: str, old: str, new: str) -> None:
    path = root / "data" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_evaluates_the_derived_formulas(mini_root):
    set_derived(mini_root, (DERIVED_HEADER + "twice,kz_entries * 2,person,x_twice,Twice.\n"
                            "bad,kz_entries + no_such_claim,person,x_bad,Bad.\n").encode())
    failed_with(mini_root, r"data/derived\.csv:3:2: \[formula\] unknown id 'no_such_claim'")


def test_derived_unbalanced_quote_is_located(mini_root):
    set_derived(mini_root, (DERIVED_HEADER + "twice,kz_entries * 2,person,x_twice,Twice.\n"
                            'open,kz_entries * 3,person,x_open,"never closed\n').encode())
    failed_with(mini_root, r"data/derived\.csv:3:0: malformed CSV .*unbalanced double quote")


def test_derived_utf16_bytes_are_located(mini_root):
    set_derived(mini_root, (DERIVED_HEADER + "twice,kz_entries * 2,person,x_twice,Twice.\n").encode("utf-16"))
    failed_with(mini_root, r"data/derived\.csv:1:0: is UTF-16 text; expected UTF-8: save it as 'CSV UTF-8")


@pytest.mark.parametrize("formula", ["(" * 3000 + "kz_entries" + ")" * 3000, "-" * 1999 + "kz_entries",
                                     "1+" * 999 + "kz_entries"])
def test_deeply_nested_formula_is_a_located_error_not_a_traceback(mini_root, formula):
    set_derived(mini_root, (DERIVED_HEADER + f"deep,{formula},person,x_deep,Deep.\n").encode())
    stderr = failed_with(mini_root, r"data/derived\.csv:2:2: \[formula\] formula is (nested too deeply|[\d,]+ characters long)")
    assert len(stderr) < 2_000


def test_derived_nested_within_the_limit_evaluates(mini_root):
    set_derived(mini_root, (DERIVED_HEADER + "nested,kz_entries" + " + kz_entries" * 99 + ",person,x_n,Sum.\n").encode())
    assert check(mini_root).returncode == 0


@pytest.mark.parametrize("formula, what", [("kz_entries * 1e308 * 10", "value inf"),
                                           ("kz_entries * 1e308 * 10 - kz_entries * 1e308 * 10", "NaN")])
def test_non_finite_derived_results_are_refused(mini_root, formula, what):
    set_derived(mini_root, (DERIVED_HEADER + f"huge,{formula},person,x_huge,Huge.\n").encode())
    failed_with(mini_root, rf"data/derived\.csv:2:2: \[formula\] result is not a finite number \({what}")


def test_year_9999_event_date_is_refused_at_check_time(mini_root):
    replace(mini_root, "events", ",2022-09-21,day,", ",9999-09-21,day,")
    failed_with(mini_root, r"data/events\.csv:2:7: \[date\] '9999-09-21' is above the maximum 2099-12-31")


def test_reversed_publication_window_is_refused(mini_root):
    replace(mini_root, "sources", ",unknown,,,No date printed.,", ",bounded,2022-10-02,2022-09-26,No date printed.,")
    failed_with(mini_root, r"data/sources\.csv:2:11: \[published_not_before\] publication window is reversed: "
                           r"published_not_before 2022-10-02 is after published_not_after 2022-09-26")


def test_reversed_claim_period_is_refused(mini_root):
    replace(mini_root, "claims", "since Sept. 21,2022-09-21,,", "since Sept. 21,2022-09-21,2022-09-01,")
    failed_with(mini_root, r"data/claims\.csv:2:15: \[period_start\] claim period is reversed")


def test_duplicated_header_column_is_named(mini_root):
    replace(mini_root, "events", "id,source_id,quote,occurrence,", "id,source_id,quote,quote,")
    stderr = failed_with(mini_root, r"data/events\.csv:1:0: header: column 'quote' appears twice \(columns 3, 4\)")
    assert "wrong order" not in stderr


def test_nan_and_infinite_numbers_in_a_table_are_located(mini_root):
    replace(mini_root, "claims", ',"100,000",100000,,100000,', ',"100,000",inf,,100000,')
    failed_with(mini_root, r"data/claims\.csv:2:6: \[value\] 'inf' is not a finite number")


def test_derive_command_reports_a_bad_formula_without_a_traceback(mini_root):
    set_derived(mini_root, (DERIVED_HEADER + "huge,kz_entries * 1e308 * 10,person,x_huge,Huge.\n").encode())
    result = run_module("stages.derive", mini_root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"data/derived\.csv:2:2: \[formula\] result is not a finite number", result.stderr), result.stderr


def test_an_undated_report_that_joins_a_series_is_located_at_check_time(mini_root):
    path = mini_root / "data" / "claims.csv"
    first = path.read_text(encoding="utf-8").splitlines()[1]
    with path.open("a", encoding="utf-8") as fh:
        fh.write(first.replace("kz_entries,", "kz_entries_again,", 1) + "\n")
    failed_with(mini_root, r"data/claims\.csv:6:16: \[period_end\] claim kz_entries_again has no as-of date .* "
                           r"reports border_entries for Kazakhstan like kz_entries")
    # Dated by its own period, it is a report in the series like any other.
    text = path.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace("2022-09-21,,", "2022-09-21,2022-09-30,", 1)
    text[-1] = text[-1].replace("2022-09-21,,", "2022-09-21,2022-10-30,", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert check(mini_root).returncode == 0, check(mini_root).stderr
