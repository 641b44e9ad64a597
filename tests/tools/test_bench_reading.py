"""The reading-tool benchmark rows: adversarial texts of the promised shape, and a table judged against the target."""
from exodus.tools import bench, bench_reading


def test_the_texts_are_as_large_as_a_source_may_be_and_as_hostile_as_promised():
    texts = bench_reading.texts()
    assert set(texts) == {"prose", "ranges", "ones"}
    for text in texts.values():
        assert 90_000 <= len(text.encode()) <= bench_reading.SIZE
    body = texts["ranges"].split("\n\n", 1)[1]
    assert "." not in body.replace("4,000", "") and body.count("thousand") > 500  # one sentence of ranges
    assert set(texts["ones"].split("\n\n", 1)[1].split()) == {"1"}


def test_the_table_judges_each_adversarial_row_against_prose():
    rows = [{"command": c, "kind": k, "seconds": s, "cpu": s} for c in ("make draft", "make candidates")
            for k, s in (("prose", 0.5), ("ranges", 0.9), ("ones", 1.2))]
    lines = bench_reading.report(rows)
    assert "| make draft | ranges | 0.90 | 0.90 | 1.80 | met |" in lines
    assert "| make candidates | ones | 1.20 | 1.20 | 2.40 | NOT met |" in lines


def test_the_rows_are_measured_through_the_real_commands(tmp_path):
    rows = bench_reading.measure(tmp_path, bench.timed, bench.project_copy)
    assert [(r["command"], r["kind"]) for r in rows] == [(c, k) for c in ("make draft", "make candidates")
                                                         for k in bench_reading.KINDS]
    assert all(r["cpu"] > 0 for r in rows)
