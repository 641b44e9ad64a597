"""`make setup` checks the Python version before it installs anything, and says what to do."""
import shutil
import subprocess

from tests.conftest import REPO

PYTHON_3_10 = """#!/bin/sh
# Stands for a Python 3.10: it answers the version check as one would.
if [ "$1" = "-c" ]; then exec python3 -c "import sys; sys.version_info = (3, 10, 12); $2"; fi
echo "this interpreter must not be used to make a virtual environment" >&2
exit 3
"""


def test_a_too_old_python_stops_setup_with_a_clear_message_and_no_venv(tmp_path):
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    fake = tmp_path / "python3.10"
    fake.write_text(PYTHON_3_10)
    fake.chmod(0o755)
    done = subprocess.run(["make", "--no-print-directory", "setup", f"PYTHON={fake}"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "is Python 3.10; this project needs Python 3.11 or later" in done.stderr
    assert "make venv" in done.stderr
    assert not (tmp_path / ".venv").exists()


def test_make_venv_is_documented_and_rebuilds_from_scratch():
    dry = subprocess.run(["make", "--no-print-directory", "-n", "venv"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    assert dry.splitlines()[0] == "rm -rf .venv"
    assert "make venv" in subprocess.run(["make", "help"], cwd=REPO, capture_output=True, text=True).stdout
