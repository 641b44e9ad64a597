"""An estimate introduced as one is approximate; linked claims share one status (competing or contrast)."""
import pytest

from exodus.model import tables
from exodus.stages.formulas import claim_quantity
from tests.conftest import run_module
from tests.stages.test_validate import edit_row

# Hedges corrected by issue 10 (all were "exact"): estimates and colloquial multipliers are "about".
ESTIMATES = {
    "gsr_train_men_age_range": (19.5, 45.5),      # "I’d say 80% ... aged 20-45": one range, one unit
    "mfr_competing_ticket_buyers": (15, 25),      # "another 20 people", illustrative
    "georgia_crossings_doubling": (1.5, 2.5),     # "double"
    "hyrra_nesterov_earnings_ratio": (1 / 4.5, 1 / 3.5),  # "four times less"
}


@pytest.mark.parametrize("cid,bounds", ESTIMATES.items(), ids=list(ESTIMATES))
def test_estimates_are_about_and_cover_their_rounding(cid, bounds):
    claim = {c["id"]: c for c in tables.load("claims")}[cid]
    assert claim["hedge"] == "about"
    i = claim_quantity(claim).interval
    assert (i.low, i.high) == pytest.approx(bounds)


def test_the_order_and_the_ceiling_are_a_contrast():
    claims = {c["id"]: c for c in tables.load("claims")}
    assert claims["mobilisation_ordered"]["status"] == claims["mobilisation_allowed"]["status"] == "contrast"


def test_a_contrast_must_be_named_back_with_the_same_status(mini_root):
    path = mini_root / "data" / "claims.csv"
    edit_row(path, "kz_entries", status="contrast", competes_with="ge_daily")
    edit_row(path, "ge_daily", status="competing", competes_with="kz_entries")
    result = run_module("stages.validate", mini_root)
    assert result.returncode == 1
    assert "linked claims share one status, expected 'contrast'" in result.stderr
