"""The multiplied data set: every article and row copied, each copy grounded in its own text."""
import csv
import re

import pytest

from exodus import paths
from exodus.tools import synthetic
from tests.conftest import run_module

COPY = re.compile(r"(_x\d+)?$")


def rows(data, name):
    with (data / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def tripled(tmp_path_factory):
    root = tmp_path_factory.mktemp("x3")
    synthetic.replicate(paths.DATA, root / "data", 3)
    return root


def test_every_article_and_row_is_copied_with_its_links(tripled):
    data = tripled / "data"
    for name in ("sources", *synthetic.COPIED):
        assert len(rows(data, name)) == 3 * len(rows(paths.DATA, name)), name
    claims = {r["id"]: r for r in rows(data, "claims")}
    sources = {r["id"]: r for r in rows(data, "sources")}
    for c in claims.values():
        # Copy k quotes copy k of its article, whose file holds the quote.
        text = (data / sources[c["source_id"]]["path"]).read_text(encoding="utf-8")
        assert c["quote"] in text
        assert COPY.search(c["id"]).group(0) == COPY.search(c["source_id"]).group(0)
    assert claims["mobilisation_ordered_x2"]["competes_with"] == "mobilisation_allowed_x2"
    people = {r["id"]: r for r in rows(data, "people")}
    assert all(p["companion_of"] in people for p in people.values() if p["companion_of"])
    derived = {r["id"]: r["formula"] for r in rows(data, "derived")}
    assert derived["mobilisation_gap_x1"] == "mobilisation_allowed_x1 - mobilisation_ordered_x1"
    assert "people_accounts_x1" not in derived  # a count over people already counts every copy


def covered(root):
    done = run_module("pipeline", root, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    return int(re.search(r"all (\d+) numeric mentions\b", done.stdout).group(1))


def test_the_copies_pass_the_checks_and_the_audit_covers_three_times_the_mentions(tripled):
    assert covered(tripled) == 3 * covered(paths.ROOT)


def test_the_copies_list_the_narrative_checks_as_unchecked_sentences(tripled):
    import yaml

    original = yaml.safe_load((paths.DATA / "narrative.yml").read_text(encoding="utf-8"))
    copied = yaml.safe_load((tripled / "data" / "narrative.yml").read_text(encoding="utf-8"))
    assert "checks" not in copied and copied["latest"] == original["latest"]
    exempt = [e["says"] for e in copied["exempt"]]
    assert all(c["says"] in exempt for c in original["checks"]) and len(exempt) == len(original["exempt"]) + len(
        original["checks"])


def test_times_below_one_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        synthetic.replicate(paths.DATA, tmp_path / "data", 0)
