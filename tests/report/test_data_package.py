"""The downloadable data package zip: what it holds, byte-stable, never reaching outside data/."""
from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest

from exodus.report import data_package
from tests.render_kit import REPO


def _root(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("sources"))
    for name in ("LICENSE-data", "CITATION.cff", "VERSION", "_quarto.yml"):
        shutil.copy(REPO / name, root / name)
    return root


def test_zip_holds_package_every_resource_and_the_licence_notice(tmp_path):
    root = _root(tmp_path)
    out = data_package.write(tmp_path / "downloads", root)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert set(names) == {"README.md", "datapackage.json", "LICENSE-data", "hedges.csv",
                              *(r["path"] for r in package["resources"])}
        # the data dictionary refers to the hedge table: it travels with the package
        assert b"hedges.csv" in z.read("datapackage.json") and z.read("hedges.csv").startswith(b"phrase,hedge,bound")
        assert package["title"].encode() in z.read("README.md") and b"## Licence" in z.read("README.md")
        # it stands alone: its version and how to cite it, worded as the report words its own citation
        assert b"## Version and how to cite" in z.read("README.md")
        assert b"Not yet published at a fixed address." in z.read("README.md")
        assert z.read("claims.csv") == (root / "data" / "claims.csv").read_bytes()
        assert b"belong to their publishers" in z.read("LICENSE-data")


def test_same_inputs_same_bytes_and_a_change_shows(tmp_path):
    root = _root(tmp_path)
    first = data_package.write(tmp_path / "a", root).read_bytes()
    (root / "data" / "claims.csv").touch()  # a new mtime alone changes nothing
    assert data_package.write(tmp_path / "b", root).read_bytes() == first
    with (root / "data" / "claims.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert data_package.write(tmp_path / "c", root).read_bytes() != first


def test_a_resource_path_outside_data_is_refused(tmp_path):
    root = _root(tmp_path)
    pkg = root / "data" / "datapackage.json"
    package = json.loads(pkg.read_text(encoding="utf-8"))
    package["resources"][0]["path"] = "../LICENSE-data"
    pkg.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(ValueError, match="datapackage.json: resource .* is not a file under data/"):
        data_package.write(tmp_path / "out", root)
    assert not (tmp_path / "out" / data_package.NAME).exists()


def test_markup_in_the_package_description_stays_text_in_its_readme(tmp_path):
    import pypandoc

    from exodus.report import data_package
    (tmp_path / "data").mkdir()
    for name in ("CITATION.cff", "VERSION", "_quarto.yml"):
        (tmp_path / name).write_bytes((REPO / name).read_bytes())
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["title"] = "<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    package["resources"][0]["title"] = "<script>alert(2)</script>"
    (tmp_path / "data" / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    page = pypandoc.convert_text(data_package.readme(tmp_path).decode("utf-8"), "html", format="gfm")
    assert "<img" not in page and "<script" not in page and 'href="javascript' not in page


def test_the_derived_figures_the_report_prints_are_in_the_package_and_its_readme(tmp_path):
    root = _root(tmp_path)
    derived = tmp_path / "derived.csv"
    derived.write_text("id,value,low,high,hedge,formula\nrate,62.5,61.86,63.16,about,a / b\n", encoding="utf-8")
    out = data_package.write(tmp_path / "downloads", root, derived)
    with zipfile.ZipFile(out) as z:
        assert z.read("derived.csv") == derived.read_bytes()
        readme = z.read("README.md").decode("utf-8")
    assert "- `derived.csv`: the figures the report works out" in readme and "Version and how to cite" in readme
    # Without the derive stage's output the package says nothing of it.
    with zipfile.ZipFile(data_package.write(tmp_path / "bare", root)) as z:
        assert "derived.csv" not in z.namelist() and "`derived.csv`" not in z.read("README.md").decode("utf-8")


FILE_NAME = re.compile(r"[\w./-]+\.(?:png|svg|csv|json|md|zip|html|pdf|yml|yaml|cff|bib|txt|py)\b|LICENSE-data")


def test_the_readme_speaks_to_readers_and_names_only_files_in_the_zip(tmp_path):
    root = _root(tmp_path)
    derived = tmp_path / "derived.csv"
    derived.write_text("id,value\nrate,62.5\n", encoding="utf-8")
    with zipfile.ZipFile(data_package.write(tmp_path / "downloads", root, derived)) as z:
        names, readme = set(z.namelist()), z.read("README.md").decode("utf-8")
    named = set(FILE_NAME.findall(readme))
    assert named <= names, named - names
    assert all(f"- `{n}`:" in readme for n in names), names  # every file in the zip is described
    # no build commands and no code or build paths: a reader has only the zip
    assert not re.search(r"\bmake \w|exodus/|build/|data/|\.py\b", readme), readme
    assert "version 0" in readme.lower() or "Version" in readme
    assert readme.index("## Version and how to cite") < readme.index("## Licence")


def test_a_file_without_a_reader_description_stops_the_package_naming_it(tmp_path, monkeypatch):
    root = _root(tmp_path)
    words = data_package.words()
    monkeypatch.setattr(data_package, "words", lambda: {**words, "files": {k: v for k, v in words["files"].items()
                                                                             if k != "events.csv"}})
    with pytest.raises(ValueError, match=r"data_package.yml: file\(s\) events.csv in the data package"):
        data_package.write(tmp_path / "out", root)
    assert not (tmp_path / "out" / data_package.NAME).exists()


# What a reader of the package should never meet: the project's commands, code files, code folders,
# module names and function calls.
DEVELOPER = re.compile(r"\bmake [a-z][a-z-]*|\b[\w./-]+\.(py|yml|lua|qmd)\b|\b(exodus|tests|build)[/.]\w|"
                       r"\bdata/|\b[a-z]+_[a-z_]+\(|\bvalidate\b|`[^`\s]*[(/][^`\s]*`")


def test_the_readers_files_name_no_command_code_file_or_function(tmp_path):
    root = _root(tmp_path)
    derived = tmp_path / "derived.csv"
    derived.write_text("id,value\nx,1\n", encoding="utf-8")
    with zipfile.ZipFile(data_package.write(tmp_path / "out", root, derived)) as z:
        readme, dictionary = z.read("README.md").decode("utf-8"), z.read("datapackage.json").decode("utf-8")
    assert [m.group(0) for m in DEVELOPER.finditer(readme)] == []
    assert [m.group(0) for m in DEVELOPER.finditer(dictionary)] == []
    # the developers' copy still says it (the rule is the generator's, not an edit of the shared file) ...
    assert DEVELOPER.search((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    # ... and the reader's copy describes the same tables and columns, each in plain words
    mine, theirs = json.loads(dictionary), json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    columns = lambda p: [(r["name"], [(f["name"], f.get("type"), bool(f.get("description"))) for f in r["schema"]["fields"]])  # noqa: E731
                         for r in p["resources"]]
    assert columns(mine) == columns(theirs)
    assert "checked whenever the report is built" in mine["description"]


def test_a_description_that_only_developers_can_read_stops_the_build_naming_it(tmp_path):
    root = _root(tmp_path)
    pkg = root / "data" / "datapackage.json"
    package = json.loads(pkg.read_text(encoding="utf-8"))
    package["resources"][2]["schema"]["fields"][0]["description"] = "Checked by make check in exodus/model/tables.py."
    pkg.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(ValueError, match=r"datapackage.json: resources/2/schema/fields/0/description: every sentence"):
        data_package.write(tmp_path / "out", root)
    assert not (tmp_path / "out" / data_package.NAME).exists()
