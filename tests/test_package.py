"""`pip install .` installs every module and filter of the package, its pinned dependencies and a command."""
import shutil
import subprocess
import sys

from tests.conftest import REPO

SETUP = [sys.executable, "-c", "from setuptools import setup; setup()"]


def test_the_package_holds_every_module_the_dependencies_and_the_command(tmp_path):
    for name in ("pyproject.toml", "VERSION", "requirements.txt", "LICENSE", "LICENSE-data"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "exodus", tmp_path / "exodus", ignore=shutil.ignore_patterns("__pycache__"))
    for step in (["build_py", "-d", "lib"], ["egg_info", "-e", "."]):
        done = subprocess.run(SETUP + ["-q", *step], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    shipped = {p.relative_to(REPO) for p in (REPO / "exodus").rglob("*") if p.suffix in (".py", ".lua")}
    built = {p.relative_to(tmp_path / "lib") for p in (tmp_path / "lib").rglob("*") if p.is_file()}
    assert shipped <= built, sorted(map(str, shipped - built))[:10]
    info = tmp_path / "exodus_report.egg-info"
    pinned = [line for line in (REPO / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert sorted((info / "requires.txt").read_text().split()) == sorted(pinned)
    assert "exodus = exodus.pipeline.runner:main" in (info / "entry_points.txt").read_text()
