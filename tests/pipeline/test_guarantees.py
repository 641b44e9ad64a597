"""Build guarantees: hostile input fails loudly and loses nothing; builds are deterministic, serialised and incremental."""
import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exodus.pipeline import runner
from exodus.tools import bench
from tests.conftest import REPO, copy_built

KEPT = ["_output", "figures", "_generated", "_variables.yml"]


BUILD = ["-m", "exodus.pipeline", "report"]


def build(root: Path, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`make report` on another root: in this process, or (with interpreter arguments or an environment)
    in a new one."""
    if args or extra_env:
        env = {**os.environ, "EXODUS_ROOT": str(root), **(extra_env or {})}
        return subprocess.run([sys.executable, *args, *BUILD], cwd=root, env=env,
                              capture_output=True, text=True, timeout=900)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = runner.build("report", root)
    return subprocess.CompletedProcess(BUILD, code, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every published output."""
    out = {}
    for name in KEPT:
        p = root / name
        for f in sorted([p] if p.is_file() else p.rglob("*")):
            if f.is_file():
                out[str(f.relative_to(root))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def evidence_page(root: Path, claim: str) -> str:
    """The published evidence page of a claim's source, where its notes are shown (the report carries its
    figure and popup note)."""
    source = next(r["source_id"] for r in rows(root / "data" / "claims.csv") if r["id"] == claim)
    return (root / "_output" / "evidence" / f"{source}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(built_report) -> Path:
    return built_report


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """A copy of the built project, its chart cache included, to break."""
    return copy_built(built, tmp_path / "project")


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, data: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(data[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)


def set_field(root: Path, table: str, row_id: str, **changes: str) -> None:
    path = root / "data" / f"{table}.csv"
    data = rows(path)
    for r in data:
        if r["id"] == row_id:
            r.update(changes)
    write_rows(path, data)


def edit_bytes(root: Path, rel: str, fn) -> None:
    p = root / rel
    p.write_bytes(fn(p.read_bytes()))


def append_derived(root: Path, line: str) -> None:
    with (root / "data" / "derived.csv").open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def replace_text(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_number_in_source(root: Path) -> None:
    """Add a figure to a source text and re-checksum it, so only the coverage audit can object."""
    path = root / "data" / "sources" / "000_784bab18764179d1.txt"
    path.write_bytes(path.read_bytes() + b"\nAnother 4,242 men left.\n")
    data = rows(root / "data" / "sources.csv")
    data[0]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_rows(root / "data" / "sources.csv", data)


def link_source_outside(root: Path) -> None:
    """Replace a source text by a link to a file outside the repository, re-checksummed."""
    path = root / "data" / "sources" / "000_784bab18764179d1.txt"
    secret = root.parent / "secret.txt"
    secret.write_bytes(path.read_bytes() + b"\nSecret outside the repository.\n")
    path.unlink()
    path.symlink_to(secret)
    data = rows(root / "data" / "sources.csv")
    data[0]["sha256"] = hashlib.sha256(secret.read_bytes()).hexdigest()
    write_rows(root / "data" / "sources.csv", data)


def link_sources_folder_outside(root: Path) -> None:
    """Move data/sources/ out of the repository and leave a link in its place."""
    outside = root.parent / "sources_elsewhere"
    shutil.move(root / "data" / "sources", outside)
    (root / "data" / "sources").symlink_to(outside, target_is_directory=True)
    new_number_in_source(root)  # changed content: the build cannot call it up to date


K = "kazakhstan_entries"
CASES = {
    "unbalanced quote": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b + b'x,"never closed\n'), r"data/claims\.csv:\d+:0: malformed CSV"),
    "wrong delimiter": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b",", b";")), r"data/claims\.csv:1:0: header does not match.*another delimiter"),
    "UTF-16 table": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.decode("utf-8").encode("utf-16")), r"data/claims\.csv:1:1: is UTF-16 text; expected UTF-8: save it as 'CSV UTF-8"),
    "CR line endings": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b"\n", b"\r")), r"data/claims\.csv:1:1: has a carriage return that ends no line"),
    "duplicated header column": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b",notes\n", b",notes,notes\n", 1)), r"data/claims\.csv:1:0: header: column 'notes' appears twice"),
    "event dated in year 9999": (lambda r: set_field(r, "events", "dw_mobilisation_decree_2022", date="9999-01-01"), r"data/events\.csv:\d+:7: \[date\] '9999-01-01' is above the maximum 2099-12-31"),
    "reversed claim period": (lambda r: set_field(r, "claims", K, period_start="2022-10-01", period_end="2022-09-21"), r"data/claims\.csv:\d+:15: \[period_start\] claim period is reversed"),
    "source linked outside the repository": (lambda r: link_source_outside(r), r"data/sources\.csv:2:2: \[path\] source file data/sources/000_784bab18764179d1\.txt is a symbolic link"),
    "sources folder linked outside the repository": (lambda r: link_sources_folder_outside(r), r"data/sources(\.csv:\d+:2: \[path\] source file data/sources is a symbolic link|/.*is a symbolic link)"),
    "infinite derived figure": (lambda r: append_derived(r, "huge,kazakhstan_entries * 1e308 * 10,person,x_huge,Huge."), r"data/derived\.csv:\d+:2: \[formula\] result is not a finite number"),
    "missing column": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b",notes\n", b"\n", 1)), r"data/claims\.csv:1:0: header does not match the schema \(missing \['notes'\]\)"),
    "extra column": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b",notes\n", b",notes,extra\n", 1)), r"unexpected \['extra'\]"),
    "row with an extra cell": (lambda r: edit_bytes(r, "data/people.csv", lambda b: b.rstrip(b"\n") + b",surplus\n"), r"data/people\.csv:\d+:0: has 18 columns; expected 17"),
    "blank line": (lambda r: edit_bytes(r, "data/events.csv", lambda b: b.replace(b"\n", b"\n\n", 2)), r"data/events\.csv:2:0: blank line"),
    "wrong type": (lambda r: set_field(r, "claims", K, value="ten"), r"data/claims\.csv:\d+:6: \[value\] 'ten' is not a number"),
    "empty required field": (lambda r: set_field(r, "claims", K, subject=""), r"data/claims\.csv:\d+:12: \[subject\] is required but empty"),
    "duplicate id": (lambda r: set_field(r, "claims", "georgia_crossings_per_day", id=K), r"data/claims\.csv:\d+:1: \[id\] duplicate id 'kazakhstan_entries'"),
    "unknown source": (lambda r: set_field(r, "claims", K, source_id="the_moon"), r"data/claims\.csv:\d+:2: \[source_id\] unknown source 'the_moon'"),
    "quote not in its source": (lambda r: set_field(r, "claims", K, quote="nearly 100,000 Russians entered Mars"), r"data/claims\.csv:\d+:3: \[quote\] quote does not occur in the source"),
    "quote found twice": (lambda r: set_field(r, "claims", K, quote="Russians"), r"data/claims\.csv:\d+:4: \[occurrence\] quote occurs \d+ times in the source; set occurrence"),
    "number text not in quote": (lambda r: set_field(r, "claims", K, number_text="200,000"), r"data/claims\.csv:\d+:5: \[number_text\] '200,000' occurs 0 times in the quote"),
    "value disagrees with text": (lambda r: set_field(r, "claims", K, value="10000", high="10000"), r"data/claims\.csv:\d+:6: \[value\] value 10000\.0 disagrees with number_text '100,000': expected 100000"),
    "low above high": (lambda r: set_field(r, "claims", K, low="200000"), r"data/claims\.csv:\d+:7: \[low\] low 200000 is above high 100000"),
    "impossible date": (lambda r: set_field(r, "claims", K, period_start="2022-02-30"), r"data/claims\.csv:\d+:15: \[period_start\] '2022-02-30' is not a valid date"),
    "unknown unit": (lambda r: set_field(r, "claims", K, unit="camels"), r"data/claims\.csv:\d+:10: \[unit\] unknown unit 'camels'; expected a unit listed in data/units\.csv"),
    "unknown metric": (lambda r: set_field(r, "claims", K, metric="vibes"), r"data/claims\.csv:\d+:11: \[metric\] unknown metric 'vibes'"),
    "unknown hedge": (lambda r: set_field(r, "claims", K, hedge="roughly"), r"data/claims\.csv:\d+:9: \[hedge\] 'roughly' is not one of"),
    "tampered source text": (lambda r: edit_bytes(r, "data/sources/002_aa6f81db0852b571.txt", lambda b: b.replace(b"100,000", b"900,000")), r"data/sources\.csv:4:3: \[sha256\] checksum mismatch"),
    "missing source file": (lambda r: (r / "data/sources/003_33ece1dc09165f2e.txt").unlink(), r"data/sources\.csv:5:2: \[path\] source file 'sources/003_33ece1dc09165f2e\.txt' is missing"),
    "bytes that are not UTF-8": (lambda r: edit_bytes(r, "data/claims.csv", lambda b: b.replace(b"Kazakhstan", b"Kaz\xe4khstan", 1)), r"data/claims\.csv:\d+:\d+: byte 0xe4 is not valid UTF-8"),
    "huge field": (lambda r: set_field(r, "claims", K, notes="x" * 1_000_000), r"data/claims\.csv:\d+:21: \[notes\] is 1,000,000 characters long; expected at most 20,000"),
    "derived formula names a missing claim": (lambda r: append_derived(r, "bad_ref,kazakhstan_entries / no_such_claim,ratio,x_ratio,Missing."), r"data/derived\.csv:\d+:2: \[formula\] unknown id 'no_such_claim'"),
    "cycle among derived figures": (lambda r: append_derived(r, "cyc_a,cyc_b * 2,person,x_a,A.\ncyc_b,cyc_a * 2,person,x_b,B."), r"data/derived\.csv:\d+:2: \[formula\] cycle among derived figures: cyc_a -> cyc_b -> cyc_a"),
    "derived formula adds two metrics": (lambda r: append_derived(r, "mix,kazakhstan_entries + georgia_crossings_per_day,person,x_mix,Mixed."), r"cannot add metric 'border_entries' \(person\) and metric 'border_crossings_per_day'"),
    "unknown variable in report.qmd": (lambda r: replace_text(r, "report.qmd", "var claim.kazakhstan_entries", "var claim.no_such_claim"), r"report\.qmd:\d+:\d+: variable 'claim\.no_such_claim' is not defined"),
    "unknown cross-reference in report.qmd": (lambda r: replace_text(r, "report.qmd", "@fig-exodus_scale shows", "@fig-no_such_figure shows"), r"report\.qmd:\d+:\d+: cross-reference @fig-no_such_figure has no matching"),
    "hand-typed numeral in report.qmd": (lambda r: replace_text(r, "report.qmd", "How many came back", "How many of the 5 came back"), r"report\.qmd:\d+:\d+: bare numeral '5' in narrative"),
    "uncovered number in a source": (new_number_in_source, r"data/sources/000_784bab18764179d1\.txt:\d+:\d+: '4,242' uncovered in source hyrra_afp_returnees"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_fails_with_its_place_and_keeps_the_last_good_outputs(copy, case):
    breakage, expected = CASES[case]
    before = snapshot(copy)
    breakage(copy)
    result = build(copy)
    assert result.returncode != 0
    assert re.search(expected, result.stderr), result.stderr[-2000:]
    assert "every previous output is untouched" in result.stderr
    assert snapshot(copy) == before


def test_two_clean_builds_are_byte_identical_and_match_the_committed_figures(built, tmp_path):
    again = bench.project_copy(tmp_path / "again")
    result = build(again)
    assert result.returncode == 0, result.stderr
    first, second = snapshot(built), snapshot(again)
    assert first == second
    top = {k for k in first if k.startswith("_output/") and k.count("/") == 1}
    assert top == {"_output/index.html", "_output/report.html", "_output/report.pdf", "_output/report.docx"}
    assert "_output/downloads/data-package.zip" in first
    committed = [f for folder in ("figures", "_generated") for f in sorted((REPO / folder).iterdir())]
    for f in committed + [REPO / "_variables.yml"]:
        rel = f.relative_to(REPO)
        assert f.read_bytes() == (again / rel).read_bytes(), \
            f"{rel} is stale against the data: run `make figures` and commit figures/, _generated/ and _variables.yml"


@pytest.mark.slow
def test_two_builds_at_once_leave_one_complete_build(copy, tmp_path):
    set_field(copy, "claims", K, notes="Edited while two builds run.")
    env = {**os.environ, "EXODUS_ROOT": str(copy)}
    procs = [subprocess.Popen([sys.executable, *BUILD], cwd=copy, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum("up to date" in o for o, _ in outs) == 1
    html = (copy / "_output" / "report.html").read_text(encoding="utf-8")
    pdf = (copy / "_output" / "report.pdf").read_bytes()
    assert html.rstrip().endswith("</html>") and pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert "Edited while two builds run." in evidence_page(copy, K)
    assert not list(copy.glob("_output/.*")) and not list(copy.glob("figures/.*"))
    sequential = tmp_path / "sequential"
    shutil.copytree(copy, sequential, ignore=shutil.ignore_patterns("build", "_output"))
    assert build(sequential).returncode == 0
    assert snapshot(sequential) == snapshot(copy)


def test_a_killed_build_leaves_the_previous_outputs_and_the_next_build_works(copy):
    before = snapshot(copy)
    set_field(copy, "claims", K, notes="Interrupted.")
    env = {**os.environ, "EXODUS_ROOT": str(copy)}
    proc = subprocess.Popen([sys.executable, *BUILD], cwd=copy, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    after = snapshot(copy)
    assert after == before or "Interrupted." in evidence_page(copy, K)
    result = build(copy)
    assert result.returncode == 0, result.stderr
    assert "Interrupted." in evidence_page(copy, K)


def test_no_op_rebuild_imports_neither_plotting_nor_dataframes(built):
    result = build(built, "-X", "importtime")
    assert result.returncode == 0 and "up to date" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "import time:" in line}
    assert "exodus.pipeline.runner" in imported
    assert not {m for m in imported if m.split(".")[0] in ("matplotlib", "pandas", "seaborn", "numpy")}


def test_editing_a_claim_redraws_only_the_charts_that_plot_it(copy):
    # A claim no sentence of report.qmd is bound to (data/narrative.yml): the edit must build.
    claim = "mfr_turkey_air_arrivals_thousands"
    plotted = {f.stem: f.read_text(encoding="utf-8") for f in (copy / "figures").glob("*.csv")}
    users = {name for name, text in plotted.items() if claim in text}
    assert users and users != set(plotted)
    before = snapshot(copy)
    set_field(copy, "claims", claim, place="Turkey (all airports)")
    result = build(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    redrawn = re.search(r"stage figures .*?(\d+) redrawn: (.*)", result.stdout)
    names = {n.strip() for n in redrawn.group(2).split(",") if n.strip() and n.strip() != "none"}
    assert names and names <= users, (names, users)
    assert "Turkey (all airports)" in (copy / "figures" / "exodus_scale.csv").read_text(encoding="utf-8")
    after = snapshot(copy)
    for name in set(plotted) - names:
        for ext in ("png", "svg", "csv"):
            assert after[f"figures/{name}.{ext}"] == before[f"figures/{name}.{ext}"], name


def test_an_output_folder_that_cannot_be_written_publishes_nothing(copy):
    """Nothing is half-published: figures/, _generated/ and _variables.yml stay as they were."""
    set_field(copy, "claims", K, place="Kazakhstan (entries counted again)")
    before = {k: v for k, v in snapshot(copy).items() if not k.startswith("_output/")}
    shutil.rmtree(copy / "_output")
    (copy / "_output").write_text("a file where the output folder belongs")
    result = build(copy)
    assert result.returncode != 0
    assert "every previous output is untouched" in result.stderr
    after = {k: v for k, v in snapshot(copy).items() if not k.startswith("_output")}
    assert after == before
    leftovers = [p for p in copy.rglob(".*") if p.is_file() and (".new-" in p.name or ".bak-" in p.name)]
    assert leftovers == []


def test_a_partial_build_keeps_the_other_outputs_and_names_them_stale(copy):
    set_field(copy, "claims", K, notes="Changed before an HTML-only build.")
    pdf = (copy / "_output" / "report.pdf").read_bytes()
    env = {**os.environ, "EXODUS_ROOT": str(copy)}
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "html"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert (copy / "_output" / "report.pdf").read_bytes() == pdf
    assert re.search(r"build: stale .*_output/report\.pdf", done.stdout)
    assert "removed" not in done.stdout
    assert "Changed before an HTML-only build." in evidence_page(copy, K)


def test_make_derive_never_deletes_committed_outputs(copy):
    set_field(copy, "claims", K, notes="Changed before a derive-only build.")
    before = {k: v for k, v in snapshot(copy).items()}
    env = {**os.environ, "EXODUS_ROOT": str(copy)}
    done = subprocess.run([sys.executable, "-m", "exodus.pipeline", "derive"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert snapshot(copy) == before
    assert (copy / "build" / "derived.csv").is_file()
    stale = re.search(r"build: stale [^:]*: (.*)", done.stdout).group(1)
    assert "_variables.yml" in stale and "figures/figures.json" in stale and "_output/report.pdf" in stale
