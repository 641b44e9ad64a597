"""Download bundles: per chart a deterministic zip with image, vector, data, metadata and how to cite."""
import json
import re
import zipfile

import pytest

from exodus.charts import bundles, figures
from exodus.model.mdsafe import prose
from exodus.stages import derive
from tests.charts.test_charts import FIX

CUR = figures.curation(FIX / "charts.yml")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    t = derive.load_tables(FIX, names=figures.TABLES)
    figures.build(t, derive.build(t, FIX / "derived.csv"), out, "0.1.0", "Test report",
                  only=("mobilisation", "people"), cur=CUR)
    return out


def test_each_chart_gets_a_zip_with_its_files_and_a_readme_on_citing(built, tmp_path):
    written = bundles.write_bundles(built, tmp_path)
    assert sorted(p.name for p in written) == ["mobilisation.png", "mobilisation.zip", "people.png", "people.zip"]
    meta = json.loads((built / "figures.json").read_text(encoding="utf-8"))["figures"]["mobilisation"]
    with zipfile.ZipFile(tmp_path / "mobilisation.zip") as zf:
        assert sorted(zf.namelist()) == ["mobilisation/README.md", "mobilisation/mobilisation.csv",
                                         "mobilisation/mobilisation.json", "mobilisation/mobilisation.png",
                                         "mobilisation/mobilisation.svg"]
        assert zf.read("mobilisation/mobilisation.csv") == (built / "mobilisation.csv").read_bytes()
        assert zf.read("mobilisation/mobilisation.png") == (built / "mobilisation.png").read_bytes()
        assert json.loads(zf.read("mobilisation/mobilisation.json"))["claim_ids"] == meta["claim_ids"]
        readme = zf.read("mobilisation/README.md").decode("utf-8")
        assert {i.date_time for i in zf.infolist()} == {bundles.FIXED_TIME}
    assert readme.startswith(f"# {prose(meta['title'])}") and "## How to cite" in readme and prose(meta["cite"]) in readme
    assert "as_of" in readme and prose(meta["source_line"]) in readme and "CC-BY-4.0" in readme
    assert (tmp_path / "mobilisation.png").read_bytes() == (built / "mobilisation.png").read_bytes()


def test_bundles_are_byte_identical_when_written_again(built, tmp_path):
    bundles.write_bundles(built, tmp_path / "a")
    bundles.write_bundles(built, tmp_path / "b")
    for name in ("mobilisation.zip", "people.zip"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_markup_in_a_chart_caption_stays_text_in_the_bundle_readme(built):
    import pypandoc

    meta = json.loads((built / "figures.json").read_text(encoding="utf-8"))["figures"]["mobilisation"]
    hostile = {**meta, "id": "mobilisation", "title": "Cost <img src=x onerror=alert(1)>",
               "caption": "- [click here](javascript:alert(1)) <script>alert(2)</script> &lt; \u202e",
               "cite": "[cite](javascript:alert(3))", "source_line": "<a href='javascript:alert(4)'>x</a>",
               "outlets": ["<b>The Gazette</b>"]}
    text = bundles.readme(hostile, "Report <i>x</i>", "1.0", ["id"], licence="CC-BY-4.0")
    page = pypandoc.convert_text(text, "html", format="gfm")
    assert "<img" not in page and "<script" not in page and "<a " not in page and "<b>" not in page
    assert "<i>" not in page and "<li>" not in page.split("<h2")[0] and "\u202e" not in page
    assert "Cost &lt;img src=x onerror=alert(1)&gt;" in " ".join(page.split()) and "⟨U+202E⟩" in page


# A file name as a README would write one: a word, a dot and a known extension.
FILE_NAME = re.compile(r"[\w.-]+\.(?:png|svg|csv|json|md|zip|html|pdf|yml|yaml|cff|bib|txt|py)\b")


@pytest.mark.parametrize("chart", ["mobilisation", "people"])
def test_every_file_a_bundle_readme_names_is_in_its_zip(built, tmp_path, chart):
    bundles.write_bundles(built, tmp_path)
    with zipfile.ZipFile(tmp_path / f"{chart}.zip") as zf:
        names = {n.rsplit("/", 1)[-1] for n in zf.namelist()}
        readme = zf.read(f"{chart}/README.md").decode("utf-8")
    named = set(FILE_NAME.findall(readme))
    assert {f"{chart}.csv", f"{chart}.png", "README.md"} <= named
    assert named <= names, named - names


@pytest.mark.parametrize("chart", ["mobilisation", "people"])
def test_a_bundle_readme_describes_every_csv_column_for_readers(built, tmp_path, chart):
    bundles.write_bundles(built, tmp_path)
    with zipfile.ZipFile(tmp_path / f"{chart}.zip") as zf:
        readme = zf.read(f"{chart}/README.md").decode("utf-8")
        header = zf.read(f"{chart}/{chart}.csv").decode("utf-8").split("\n", 1)[0].split(",")
    for column in header:
        assert f"- `{column}`: {prose(bundles.column_words()[column])}" in readme, column
    assert "## What it shows" in readme and "## Licence" in readme
    assert "make " not in readme and "exodus/" not in readme


def test_a_csv_column_without_a_description_stops_the_bundle_naming_it(built):
    meta = json.loads((built / "figures.json").read_text(encoding="utf-8"))["figures"]["mobilisation"]
    with pytest.raises(ValueError, match=r"columns.yml: chart 'mobilisation' has CSV column\(s\) mystery"):
        bundles.readme({**meta, "id": "mobilisation"}, "Report", "1.0", ["id", "mystery"], licence="CC-BY-4.0")
