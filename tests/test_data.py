"""The curated tables themselves: valid, fully covered, and holding the headline figures."""
from exodus.stages import audit, validate


def test_real_data_is_valid_and_fully_covered():
    data, problems = validate.validate()
    assert problems == []
    assert audit.audit(data) == []


def test_headline_figures_are_claimed_with_their_wording():
    data, _ = validate.validate()
    claims = {r["id"]: r for r in data.tables["claims"].rows}
    expect = {
        "kazakhstan_entries": ("nearly", 100_000, None, 100_000),
        "georgia_crossings_per_day": ("at least", 10_000, 10_000, None),
        "three_countries_fled": ("more than", 180_000, 180_000, None),
        "mobilisation_ordered": ("exact", 300_000, 300_000, 300_000),
        "mobilisation_allowed": ("exact", 1_000_000, 1_000_000, 1_000_000),
    }
    for cid, (hedge, value, low, high) in expect.items():
        row = claims[cid]
        assert (row["hedge"], row["value"], row["low"], row["high"]) == (hedge, value, low, high), cid
    assert claims["mobilisation_allowed"]["competes_with"] == "mobilisation_ordered"


def test_every_source_has_claims_and_every_claim_a_known_source():
    data, _ = validate.validate()
    sources = {r["id"] for r in data.tables["sources"].rows}
    claimed = {r["source_id"] for r in data.tables["claims"].rows}
    assert claimed == sources


def test_an_attribution_readers_see_names_no_source_id():
    """Who stated a figure is printed in every citation line ("according to …"): an unknown outlet is said
    in words, never as "unknown outlet (<source id>)"."""
    data, _ = validate.validate()
    ids = {r["id"] for r in data.tables["sources"].rows}
    for table in ("claims", "statements"):
        for row in data.tables[table].rows:
            said = row["attributed_to"] or ""
            assert not any(i in said for i in ids) and "unknown outlet" not in said, (table, row["id"], said)
