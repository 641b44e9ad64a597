"""Statements without a numeral: validated like quotes, found by the audit's quantity words, reach the report as variables."""
import re
from pathlib import Path

from exodus.model import tables
from exodus.report import variables
from tests.conftest import run_module

REPO = Path(__file__).resolve().parents[2]
HEADER = "id,source_id,quote,occurrence,quantity_text,topic,attributed_to,note\n"


def write_statement(root: Path, quote: str, word: str) -> None:
    (root / "data" / "statements.csv").write_text(
        HEADER + f'most_men,mini,"{quote}",,{word},who_leaves,the ministry,\n', encoding="utf-8")


def add_sentence(root: Path, sentence: str) -> None:
    """Append a sentence to the fixture text and update its checksum, as add-source would."""
    import hashlib
    text = root / "data" / "sources" / "mini.txt"
    text.write_bytes(text.read_bytes() + sentence.encode("utf-8"))
    sources = root / "data" / "sources.csv"
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    sources.write_text(re.sub(r"[0-9a-f]{64}", digest, sources.read_text(encoding="utf-8")), encoding="utf-8")


def test_a_quantity_word_no_row_covers_is_a_candidate_and_a_statement_covers_it(mini_root):
    add_sentence(mini_root, "\nMost of those leaving are men.\n")
    audit = run_module("stages.audit", mini_root)
    assert audit.returncode == 1  # a word of quantity no row covers stops the build
    assert "candidate statement" in audit.stdout and "'Most' uncovered in source mini" in audit.stdout
    assert "add each to data/statements.csv" in audit.stderr
    write_statement(mini_root, "Most of those leaving are men.", "Most")
    assert run_module("stages.validate", mini_root).returncode == 0
    covered = run_module("stages.audit", mini_root)
    assert covered.returncode == 0 and "candidate statement" not in covered.stdout


def test_a_trend_word_in_prose_is_found_and_an_exclusion_covers_it(mini_root):
    add_sentence(mini_root, "\nThe stampede at the border went on.\n")
    audit = run_module("stages.audit", mini_root)
    assert audit.returncode == 1 and "'stampede' uncovered in source mini" in audit.stdout
    exclusions = mini_root / "data" / "exclusions.csv"
    exclusions.write_text(exclusions.read_text(encoding="utf-8").rstrip("\n") + "\n"
                          "mini_word_stampede,mini,The stampede at the border went on.,,stampede,idiom,a test\n",
                          encoding="utf-8")
    assert run_module("stages.audit", mini_root).returncode == 0


def test_a_statement_quote_must_occur_in_its_source(mini_root):
    write_statement(mini_root, "Most of those leaving are women.", "Most")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert "data/statements.csv:2:3:" in result.stderr and "does not occur in the source" in result.stderr


def test_statements_reach_the_report_only_as_variables():
    rows = tables.load("statements")
    built = variables.build([], [], [], statements=rows)
    assert set(built["statement"]) == {r["id"] for r in rows}
    assert "most of the Russians leaving are men" in built["statement"]["gtc_most_leaving_are_men"]
    used = set(re.findall(r"\{\{< var statement\.([a-z0-9_]+) >\}\}", (REPO / "report.qmd").read_text(encoding="utf-8")))
    assert {"gtc_most_leaving_are_men", "mfr_few_will_go_back"} <= used <= set(built["statement"])


def test_derived_figures_carry_the_derived_marker_and_claims_do_not():
    derived = [{"id": "d", "value": 5000.0, "low": 4000.0, "high": None, "unit": "person_per_day", "hedge": "at least",
                "marker": "derived"}]
    claims = [{"id": "c", "source_id": "m", "number_text": "10,000", "value": 10000, "hedge": "at least",
               "unit": "person_per_day"}]
    built = variables.build(claims, derived, [])
    assert '.figure-derived data-marker="derived"' in built["derived"]["d"] and "at least 4" in built["derived"]["d"]
    assert "data-marker" not in built["claim"]["c"]
