"""data/charts.yml: validated on load, templates without digits, a new chart is one entry plus one drawing."""
import ast
import copy
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from exodus.charts import draw as charts  # noqa: E402
from exodus.charts import figures, spec  # noqa: E402
from exodus.stages import derive  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "fixtures" / "derive"
CHART_CODE = sorted((REPO / "exodus" / "charts").glob("*.py"))

NEW_CHART = """
common: {}
charts:
  kazakhstan_alone:
    kind: metric_panels
    draw: test_dot_per_claim
    title: "Entries into {claim.kazakhstan_entries.as_of}"
    metrics: [border_entries]
    caption: "{claim.kazakhstan_entries} entries, {chart.rows} row."
"""


@pytest.fixture(scope="module")
def t():
    return derive.load_tables(FIX, names=figures.TABLES)


@pytest.fixture()
def dot_drawing():
    """A drawing function registered for the test only."""
    calls = []

    @charts.drawing("test_dot_per_claim")
    def dots(rows, words, footer):
        calls.append(rows)
        fig, ax = plt.subplots(figsize=(3, 2))
        for i, r in enumerate(rows):
            ax.plot([r["value"]], [i], "o", gid=r["id"])
        ax.set_title(words.title)
        return fig
    yield calls
    del charts.DRAW["test_dot_per_claim"]


def test_a_new_chart_is_one_entry_and_one_drawing(t, tmp_path, dot_drawing):
    path = tmp_path / "charts.yml"
    path.write_text(NEW_CHART, encoding="utf-8")
    cur = figures.curation(path)
    derived = derive.build(t, FIX / "derived.csv")
    meta = figures.build(t, derived, tmp_path / "out", "0.1.0", "Test report", cur=cur)
    entry = meta["kazakhstan_alone"]
    assert entry["caption"] == "nearly 100,000 entries, 1 row."
    assert entry["title"].startswith("Entries into ") and re.search(r"\d{4}$", entry["title"])
    assert [r["id"] for r in dot_drawing[0]] == ["kazakhstan_entries"]
    written = json.loads((tmp_path / "out" / "figures.json").read_text(encoding="utf-8"))["figures"]
    assert set(written) == {"kazakhstan_alone"} and written["kazakhstan_alone"]["claim_ids"] == ["kazakhstan_entries"]
    assert (tmp_path / "out" / "kazakhstan_alone.png").stat().st_size > 0


def _entry(**change):
    doc = yaml.safe_load(NEW_CHART)
    doc["charts"]["kazakhstan_alone"].update(change)
    doc["charts"]["kazakhstan_alone"] = {k: v for k, v in doc["charts"]["kazakhstan_alone"].items() if v is not None}
    return yaml.safe_dump(doc)


@pytest.mark.parametrize("text,key,expected", [
    (_entry(caption=None), "caption", "missing"),
    (_entry(caption="Ordered on the 21st."), "caption", "contains a digit"),
    (_entry(colour="red"), "colour", "unknown key"),
    (_entry(metrics="border_entries"), "metrics", "list of metric ids"),
    (_entry(label_by="country"), "label_by", "'place' or 'subject'"),
    (_entry(kind="pie_of_everything"), "kind", "unknown kind 'pie_of_everything'"),
    (_entry(draw="sparkle"), "draw", "unknown drawing 'sparkle'"),
])
def test_a_malformed_entry_is_refused_naming_file_chart_and_key(tmp_path, dot_drawing, text, key, expected):
    path = tmp_path / "charts.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(spec.ChartSpecError) as err:
        figures.curation(path)
    message = str(err.value)
    assert str(path) in message or "charts.yml" in message
    assert "chart 'kazakhstan_alone'" in message and f"key '{key}'" in message and expected in message


@pytest.mark.parametrize("field,what", [("{claim.no_such_claim}", "no claim 'no_such_claim'"),
                                        ("{event.no_such_event}", "no event 'no_such_event'"),
                                        ("{claim.kazakhstan_entries.colour}", "with colour")])
def test_a_field_naming_a_missing_row_is_refused_before_drawing(t, tmp_path, dot_drawing, field, what):
    path = tmp_path / "charts.yml"
    path.write_text(_entry(caption=f"Figure {field}."), encoding="utf-8")
    with pytest.raises(spec.ChartSpecError, match=re.escape("chart 'kazakhstan_alone', key 'caption': unknown field")) as err:
        figures.chart_rows("kazakhstan_alone", t, [], figures.curation(path))
    assert what in str(err.value)


def test_the_curation_file_types_no_digit_a_reader_would_see():
    doc = yaml.safe_load((REPO / "data" / "charts.yml").read_text(encoding="utf-8"))
    texts = list(doc["common"].values())
    for entry in doc["charts"].values():
        texts += [entry[k] for k in ("title", "caption")]
        for key in ("labels", "claim_labels", "metric_labels"):
            texts += list((entry.get(key) or {}).values())
        texts += [g["label"] for g in entry.get("same_happening") or []]
    assert len(texts) > 30
    offenders = [x for x in texts if re.search(r"\d", spec.literal_text(x))]
    assert offenders == []


def _reader_strings(path: Path) -> list[tuple[int, str]]:
    """String literals in chart code, docstrings and f-string format specs left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip.update(id(n) for n in ast.walk(node.format_spec))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


# Strings that never reach a reader: colours, date and number format codes, encodings, and the typst
# page that rasterises a chart's SVG (raster.PAGE).
NOT_SHOWN = re.compile(r"^(#[0-9A-Fa-f]{6}|%[a-zA-Z%\-\s]*|\.0f|utf-8|#set page\([^\n]*\n#image\(\"chart\.svg\"\)\n)$")


ENCODING_NAME = re.compile(r"\bUTF-8\b", re.I)  # a name a reader sees (a download's README), not a figure


def test_chart_code_types_no_digit_a_reader_would_see():
    found = [f"{p.name}:{line}: {text!r}" for p in CHART_CODE for line, text in _reader_strings(p)
             if re.search(r"\d", ENCODING_NAME.sub("", text)) and not NOT_SHOWN.match(text)]
    assert found == []


def test_changing_a_claim_in_the_data_changes_every_chart_text(t, tmp_path):
    changed = copy.deepcopy(t)
    claim = next(c for c in changed["claims"] if c["id"] == "mobilisation_ordered")
    claim.update(value=350000.0, low=350000.0, high=350000.0, number_text="350,000")
    cur = figures.curation(FIX / "charts.yml")
    meta = figures.build(changed, derive.build(changed, FIX / "derived.csv"), tmp_path, "0.1.0", "Test report",
                         only=("mobilisation",), cur=cur)["mobilisation"]
    assert "The 350,000 men Defence Minister Shoigu ordered" in meta["caption"]
    assert "350,000" in meta["alt"]
    assert "350,000" in (tmp_path / "mobilisation.svg").read_text(encoding="utf-8")


def test_a_chart_is_redrawn_when_its_drawing_or_kind_changes(t, monkeypatch):
    import dataclasses
    cur = figures.curation(FIX / "charts.yml")
    fig_id = next(iter(cur.charts))
    keys = []
    for draw in (cur.charts[fig_id].draw, "another_drawing"):
        other = copy.deepcopy(cur)
        other.charts[fig_id] = dataclasses.replace(other.charts[fig_id], draw=draw)
        monkeypatch.setattr(figures, "curation", lambda path=None, drawings=True, c=other: c)
        keys.append(figures.plan(t, [])[fig_id]["curation"])
    assert keys[0] != keys[1]


def test_planning_the_charts_imports_no_plotting_library():
    import subprocess
    import sys
    code = ("import sys; from exodus import paths; from exodus.charts import figures; "
            "from exodus.context import Context; from exodus.pipeline import steps; "
            "t, d = steps.tables_and_derived(Context(paths.ROOT)); figures.plan(t, d); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'seaborn')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
