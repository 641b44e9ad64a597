"""data/charts.yml written to hurt: aliases, texts that fill themselves or each other without end, and
mistakes that must arrive as one located line, never a traceback."""
import re

import pytest

from exodus.charts import figures, spec
from exodus.stages import derive
from tests.charts.test_curation import FIX, NEW_CHART
from tests.conftest import run_make

ENTRY = NEW_CHART.replace("common: {}\n", "")


@pytest.fixture(scope="module")
def t():
    return derive.load_tables(FIX, names=figures.TABLES)


def refused(text: str, tmp_path) -> str:
    path = tmp_path / "charts.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(spec.ChartSpecError) as err:
        figures.curation(path, drawings=False)
    message = str(err.value)
    assert "\n" not in message and "charts.yml" in message
    return message


def filled(common: str, caption: str, t, tmp_path) -> str:
    """The message of a curation whose caption fills from the given common block."""
    path = tmp_path / "charts.yml"
    path.write_text(f"common:\n{common}{ENTRY}".replace('caption: "{claim.kazakhstan_entries} entries, {chart.rows} row."',
                                                         f'caption: "{caption}"'), encoding="utf-8")
    with pytest.raises(spec.ChartSpecError) as err:
        figures.chart_rows("kazakhstan_alone", t, [], figures.curation(path, drawings=False))
    return str(err.value)


def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path):
    levels = ['  l0: &l0 "lol"'] + [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 6)]
    message = refused("bomb:\n" + "\n".join(levels) + "\n" + ENTRY, tmp_path)
    assert re.search(r"charts\.yml:2:7: anchor &l0 is not accepted", message), message


def test_a_recursive_alias_is_refused_not_a_recursion_error(tmp_path):
    message = refused("loop: &me [*me]\n" + ENTRY, tmp_path)
    assert "anchor &me is not accepted" in message


def test_an_alias_to_a_text_is_refused_naming_it(tmp_path):
    text = ENTRY.replace('title: "Entries into {claim.kazakhstan_entries.as_of}"', "title: *nowhere")
    assert "alias *nowhere is not accepted" in refused(text, tmp_path)


def test_a_python_tag_is_still_refused_as_one_line(tmp_path):
    message = refused("x: !!python/object/apply:os.system ['true']\n" + ENTRY, tmp_path)
    assert "not valid YAML" in message and re.search(r"charts\.yml:1:\d+:", message)


def test_a_text_that_fills_itself_is_refused_by_name(t, tmp_path):
    message = filled('  me: "again {common.me}"\n', "{common.me}", t, tmp_path)
    assert "{common.me} fills itself (common.me -> common.me)" in message


def test_texts_that_fill_each_other_are_refused_naming_the_loop(t, tmp_path):
    message = filled('  a: "see {common.b}"\n  b: "see {common.a}"\n', "{common.a}", t, tmp_path)
    assert "(common.a -> common.b -> common.a)" in message


def test_a_template_bomb_is_capped(t, tmp_path):
    levels = ["  c0: \"lol lol lol lol\"\n"]
    levels += [f'  c{i}: "{("{common.c" + str(i - 1) + "} ") * 10}"\n' for i in range(1, 5)]
    common = "".join(levels)
    message = filled(common, "{common.c4}", t, tmp_path)
    assert f"a filled text may be at most {spec.MAX_FILLED:,}" in message


def test_an_unknown_kind_stops_make_figures_with_one_line(make_root):
    path = make_root / "data" / "charts.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: metric_panels", "kind: no_such_kind", 1),
                    encoding="utf-8")
    done = run_make(make_root, "figures", timeout=300)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert re.search(r"^build: data/charts\.yml: chart '\w+', key 'kind': unknown kind 'no_such_kind'; known: ",
                     done.stderr, re.M), done.stderr


@pytest.fixture(scope="module")
def real():
    from exodus import paths
    t = derive.load_tables(paths.DATA, names=figures.TABLES)
    return t, derive.build(t, paths.DATA / "derived.csv"), (paths.DATA / "charts.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("old,new,expected", [
    ("from: gtc_mobilisation_announced", "from: no_such_event", "chart 'timeline', key 'window': no event 'no_such_event'"),
    ("    window:\n      from: gtc_mobilisation_announced\n      to: hyrra_mobilisation_completed_statement",
     "    window: soon", "chart 'timeline', key 'window': expected {from: event id, to: event id}"),
    ("events: [gtc_protests_wednesday,", "events: [no_such_event,",
     "chart 'timeline', key 'same_happening': no event 'no_such_event'"),
    ('      mobilisation_ordered: "Ordered', '      no_such_claim: "Ordered',
     "chart 'mobilisation', key 'claim_labels': no claim 'no_such_claim'"),
    ("rate_metric: implied_rub_per_gbp", "rate_metric: no_such_rate",
     "chart 'cost_of_leaving', key 'rate_metric': no derived figure of metric 'no_such_rate'"),
])
def test_an_id_the_curation_names_outside_its_templates_is_checked(real, tmp_path, old, new, expected):
    t, derived, text = real
    assert old in text
    path = tmp_path / "charts.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(spec.ChartSpecError) as err:
        cur = figures.curation(path, drawings=False)
        for fig_id in cur.charts:
            figures.chart_rows(fig_id, t, derived, cur)
    assert expected in str(err.value) and "\n" not in str(err.value)
