"""Repo-wide conventions: the narrative quotes its sources exactly, cites what exists, and shows what exists."""
import re
from pathlib import Path

import yaml

from exodus.model import tables

REPO = Path(__file__).resolve().parent.parent
REPORT = (REPO / "report.qmd").read_text(encoding="utf-8")
SOURCES = {r["id"]: (REPO / "data" / r["path"]).read_text(encoding="utf-8") for r in tables.load("sources")}
# Quoted phrases of four words or more; shorter ones are the report's own scare quotes ("nearly").
QUOTED = re.compile(r'"([^"\n]+)"')
SHORTCODE = re.compile(r"\{\{< var [^>]+>\}\}")


def narrative() -> str:
    body = REPORT.split("\n---\n", 1)[1]
    return re.sub(r"<!--.*?-->", "", body, flags=re.S)


def test_every_quoted_phrase_in_the_narrative_occurs_in_a_source():
    phrases = [m.group(1) for m in QUOTED.finditer(narrative()) if len(m.group(1).split()) >= 4]
    assert len(phrases) >= 10
    for phrase in phrases:
        for piece in (p.strip() for p in SHORTCODE.split(phrase) if p.strip()):
            assert any(piece in text for text in SOURCES.values()), f"report.qmd quotes {piece!r}, which no source text contains"


def test_every_citation_names_a_registered_source():
    cited = set(re.findall(r"@([a-z][a-z0-9_]+)", narrative()))
    cited = {c for c in cited if not c.startswith(("fig", "sec", "tbl"))}
    assert cited and cited <= set(SOURCES), f"unknown citation keys: {cited - set(SOURCES)}"


def test_every_variable_the_narrative_uses_exists_in_the_data():
    used = set(re.findall(r"\{\{< var (claim|derived|event)\.([a-z0-9_]+) >\}\}", REPORT))
    claims = {r["id"] for r in tables.load("claims")}
    events = {r["id"] for r in tables.load("events")}
    derived = {line.split(",", 1)[0] for line in (REPO / "data" / "derived.csv").read_text(encoding="utf-8").splitlines()[1:]}
    known = {"claim": claims, "event": events, "derived": derived}
    missing = sorted(f"{kind}.{key}" for kind, key in used if key not in known[kind])
    assert used and not missing, missing


def test_every_figure_referenced_exists_with_its_files():
    index = yaml.safe_load((REPO / "figures" / "figures.json").read_text(encoding="utf-8"))["figures"]
    referenced = set(re.findall(r"@fig-([a-z0-9_]+)", REPORT))
    included = set(re.findall(r"_generated/_fig-([a-z0-9_]+)\.md", REPORT))
    assert referenced and referenced <= included, referenced - included
    for fig_id in included:
        assert fig_id in index, fig_id
        for ext in ("png", "svg", "csv"):
            assert (REPO / "figures" / f"{fig_id}.{ext}").is_file(), f"figures/{fig_id}.{ext} missing"


def test_readme_commands_are_make_targets():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    # a command is `make X` in inline code or a code line starting with it; prose ("make their inputs") is not
    used = set(re.findall(r"(?:`|^)make ([a-z-]+)", readme, flags=re.M))
    assert {"report", "test"} <= used
    assert used <= targets, used - targets
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_code_passes_the_linter_configured_in_pyproject():
    import shutil
    import subprocess
    import sys
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is pinned in requirements-test.txt; run make test to install it"
    done = subprocess.run([ruff, "check", "exodus", "tests"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_every_module_has_a_one_line_docstring_and_runs_nothing_at_import():
    import ast
    for path in sorted((REPO / "exodus").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc, f"{path.relative_to(REPO)} has no module docstring"
        assert doc.split("\n")[0].strip(), path
        for node in tree.body:
            # A bare call at module level (main(), print(), run()) runs at import; filling a constant
            # (TABLE.update(...)) does not.
            bare = isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            assert not bare or path.name == "__main__.py", f"{path.relative_to(REPO)}:{node.lineno} runs code at import"


def test_no_module_reaches_a_thousand_lines():
    for path in sorted((REPO / "exodus").rglob("*.py")):
        assert len(path.read_text(encoding="utf-8").split("\n")) < 1000, path


def test_the_stage_list_lives_in_one_place():
    """Stage names are declared in exodus/pipeline/stages.py; no other module lists them in order."""
    from exodus.pipeline import stages
    order = [s.name for s in stages.STAGES]
    needle = re.compile(r"\[\s*\"validate\",\s*\"audit\",\s*\"derive\"")
    for path in sorted((REPO / "exodus").rglob("*.py")) + [REPO / "Makefile"]:
        if path.name == "stages.py":
            continue
        assert not needle.search(path.read_text(encoding="utf-8")), f"{path.relative_to(REPO)} lists the stages again"
    assert order[:3] == ["validate", "audit", "derive"]


def test_the_readme_table_of_tables_gives_each_table_its_row_count():
    import csv
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `data/(\w+)\.csv` \| (\d+) \|", readme, re.M))
    assert len(stated) >= 8
    for name, count in stated.items():
        with (REPO / "data" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            rows = sum(1 for _ in csv.DictReader(f))
        assert int(count) == rows, f"README says data/{name}.csv has {count} rows; it has {rows}"
