"""What real Quarto does with this project, reproduced: includes before pre-render, pre-render with a plain
python3, variables in the metadata, the bibliography handed to typst, a .gitignore Quarto leaves alone."""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from exodus.engine import project, render
from exodus.report import evidence
from exodus.tools import bench
from tests.conftest import REPO, copy_built

INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")
PLAIN_PATH = "/usr/bin:/bin"


def plain_python() -> str:
    """python3 from a plain shell's PATH, outside any virtual environment."""
    found = shutil.which("python3", path=PLAIN_PATH)
    if not found:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no python3 on /usr/bin:/bin (CI=true: required tools must be present)")
        pytest.skip("no system python3 on /usr/bin:/bin")
    return found


def tracked() -> set[str]:
    return set(subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split("\n"))


def test_a_fresh_clone_holds_every_include_target():
    files = tracked()
    targets = INCLUDE.findall((REPO / "report.qmd").read_text(encoding="utf-8"))
    assert targets
    assert [t for t in targets if t.lstrip("/") not in files] == []
    assert "_variables.yml" in files


def test_gitignore_has_the_lines_quarto_would_otherwise_append():
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").split("\n")
    assert "/.quarto/" in lines and "**/*.quarto_ipynb" in lines


def test_pre_render_entries_are_python_files_quarto_runs_with_its_own_python():
    proj = project.load(REPO)
    for entry in proj.pre_render + proj.post_render:
        argv = render.script_argv(entry)
        assert entry.endswith(".py") and (REPO / entry).is_file()
        assert argv[0] != sys.executable  # never the venv: Quarto does not know it
        source = (REPO / entry).read_text(encoding="utf-8")
        imported = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", source, re.M)
        assert not [m for m in imported if m.split(".")[0] in ("exodus", "yaml", "matplotlib", "pandas")], entry


def test_the_engine_fails_like_quarto_when_an_include_target_is_missing(tmp_path):
    root = bench.project_copy(tmp_path / "project")
    (root / "_generated" / "_fig-timeline.md").unlink()
    done = subprocess.run([sys.executable, "-m", "exodus.engine.render", "--html-only", "--root", str(root)],
                          cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert "before pre-render" in done.stderr and "_generated/_fig-timeline.md" in done.stderr
    assert "pre-render: exodus/pipeline/prerender.py" not in done.stdout  # it stopped before running it


def _with_venv(root: Path) -> Path:
    (root / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    return root


def _prerender(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([plain_python(), "exodus/pipeline/prerender.py"], cwd=root, capture_output=True,
                          text=True, timeout=900, env={"PATH": PLAIN_PATH, "HOME": str(root)})


@pytest.mark.slow
def test_pre_render_from_a_plain_shell_writes_what_make_report_writes(tmp_path):
    quarto = _with_venv(bench.project_copy(tmp_path / "quarto"))
    engine = bench.project_copy(tmp_path / "engine")
    for folder in (quarto, engine):
        shutil.rmtree(folder / "_generated")
        (folder / "_variables.yml").unlink()
    done = _prerender(quarto)
    assert done.returncode == 0, done.stderr[-3000:]
    made = subprocess.run([sys.executable, "-m", "exodus.pipeline", "report"], cwd=engine, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "EXODUS_ROOT": str(engine)})
    assert made.returncode == 0, made.stderr[-3000:]
    names = sorted(p.name for p in (engine / "_generated").iterdir())
    assert names == sorted(p.name for p in (quarto / "_generated").iterdir())
    for name in names + ["../_variables.yml"]:
        assert (quarto / "_generated" / name).read_bytes() == (engine / "_generated" / name).read_bytes(), name


def test_a_bare_numeral_fails_the_pre_render_with_its_place(built_report, tmp_path):
    root = _with_venv(copy_built(built_report, tmp_path / "project"))
    report = root / "report.qmd"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("How many came back is unknown", "How many of the 7 came back is unknown"),
                      encoding="utf-8")
    line = next(n for n, l in enumerate(report.read_text(encoding="utf-8").split("\n"), 1) if "of the 7" in l)
    done = _prerender(root)
    assert done.returncode != 0
    assert re.search(rf"report\.qmd:{line}:\d+: bare numeral '7'", done.stderr), done.stderr[-2000:]


def _pandoc(doc: str, meta: dict, tmp_path: Path) -> str:
    meta_file = tmp_path / "meta.yaml"
    meta_file.write_text(yaml.safe_dump(meta), encoding="utf-8")
    source = tmp_path / "doc.md"
    source.write_text(doc, encoding="utf-8")
    filt = REPO / "exodus" / "report" / "filters" / "claim_links.lua"
    return subprocess.run([render.pandoc_path(), str(source), "--metadata-file", str(meta_file),
                           "--lua-filter", str(filt), "--to", "html"], capture_output=True, text=True,
                          check=True).stdout


def test_variable_definitions_in_the_metadata_are_not_counted_as_uses(tmp_path):
    link = "[{n}](#claim-{k}){{data-claim=\"{k}\" data-evidence=\"evidence/s.html\"}}"
    variables = {"claim": {"used": link.format(n="three", k="used"), "unused": link.format(n="four", k="unused")}}
    doc = "# Findings\n\nWe saw " + link.format(n="three", k="used") + " of them, " + link.format(n="three", k="used") + ".\n"
    html = _pandoc(doc, {"_quarto-vars": variables, "title": "t"}, tmp_path)
    assert re.findall(r'id="(use-claim-[a-z]+-\d)"', html) == ["use-claim-used-1", "use-claim-used-2"]
    # The numbering the evidence pages link to is the filter's: the same text gives the same ids.
    assert [u.id for u in evidence.uses(doc.replace(link.format(n="three", k="used"),
                                                    "{{< var claim.used >}}")).by_figure["claim-used"]] == \
        ["use-claim-used-1", "use-claim-used-2"]
    # The HTML link goes to the evidence page; the attribute that said where is gone.
    assert 'href="evidence/s.html#claim-used"' in html and "data-evidence" not in html


def test_the_engine_hands_the_bibliography_to_typst_as_quarto_does():
    proj = project.Project(REPO, [], [], ["report.qmd"], "_output", [], {"typst": {}, "html": {}})
    meta, citeproc = render.format_metadata(proj, "typst", {"bibliography": "_generated/references.bib"}, {})
    assert not citeproc and meta["bibliography"] == ["/_generated/references.bib"]
    _, citeproc = render.format_metadata(proj, "html", {"bibliography": "_generated/references.bib"}, {})
    assert citeproc


def test_typst_refuses_a_csl_json_bibliography_as_under_quarto(tmp_path):
    root = tmp_path / "p"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "references.json").write_text('[{"id": "a", "type": "book", "title": "A"}]', encoding="utf-8")
    (root / "doc.md").write_text("Text [@a].\n", encoding="utf-8")
    (root / "_quarto.yml").write_text(yaml.safe_dump({
        "project": {"render": ["doc.md"], "output-dir": "_output"},
        "bibliography": "refs/references.json", "format": {"typst": {}}}), encoding="utf-8")
    with pytest.raises(render.BuildError, match="bibliograph"):
        render.render(["typst"], pre_render=False, root=root)


def test_a_sentence_the_data_falsifies_fails_the_pre_render_with_its_place(built_report, tmp_path):
    root = _with_venv(copy_built(built_report, tmp_path / "project"))
    sources = root / "data" / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    row = next(line for line in text.split("\n") if line.startswith("hyrra_afp_returnees,"))
    fields = next(csv.reader([row]))
    fields[14] = "https://example.org/returnees"  # the url column: now an article prints its URL
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    sources.write_text(text.replace(row, out.getvalue()), encoding="utf-8")
    line = next(n for n, l in enumerate((root / "report.qmd").read_text(encoding="utf-8").split("\n"), 1)
                if "prints a URL" in l)
    done = _prerender(root)
    assert done.returncode != 0
    assert re.search(rf"report\.qmd:{line}:\d+: 'none of the .* prints a URL' is no longer true: 1 row\(s\) of "
                     r"sources now match: hyrra_afp_returnees \(check no_url", done.stderr + done.stdout), \
        (done.stderr + done.stdout)[-2000:]
