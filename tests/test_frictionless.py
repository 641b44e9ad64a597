"""The real frictionless tool validates the data package, and catches what it should."""
import csv
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def frictionless(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=data_dir, capture_output=True, text=True, timeout=300)


def test_real_package_is_valid():
    result = frictionless(REPO / "data")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("VALID") == 9  # six curated tables, statements, the gazetteer and the units


def test_frictionless_catches_a_broken_foreign_key(mini_root):
    path = mini_root / "data" / "claims.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["source_id"] = "nowhere"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = frictionless(mini_root / "data")
    assert result.returncode != 0
    assert "foreign-key" in result.stdout


def test_frictionless_catches_a_unit_the_units_table_does_not_list(mini_root):
    path = mini_root / "data" / "metrics.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",person_per_day,", ",person_per_hour,"), encoding="utf-8")
    result = frictionless(mini_root / "data")
    assert result.returncode != 0
    assert "foreign-key" in result.stdout and "person_per_hour" in result.stdout


def test_frictionless_accepts_the_fixture(mini_root):
    result = frictionless(mini_root / "data")
    assert result.returncode == 0, result.stdout
