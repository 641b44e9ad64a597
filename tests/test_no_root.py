"""No root, any OS: `make test` installs nothing, a missing tool skips locally and fails in CI, checkouts keep data byte-exact."""
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO, run_make, run_module


def test_make_test_installs_nothing_system_wide(make_root):
    result = run_make(make_root, "-n", "test")
    assert result.returncode == 0, result.stderr
    assert "apt-get" not in result.stdout and "sysdeps" not in result.stdout
    assert "pytest" in result.stdout


def test_ci_installs_the_debian_packages_before_running_make_test():
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert lines.index("make sysdeps") < lines.index("make test-all")


@pytest.mark.parametrize("ci, outcome", [("", "skipped"), ("true", "failed")])
def test_a_missing_tool_skips_with_its_name_locally_and_fails_under_ci(tmp_path, ci, outcome):
    probe = tmp_path / "test_probe.py"
    probe.write_text(textwrap.dedent("""
        from tests.render_kit import require

        def test_needs_a_tool():
            require("no-such-tool-for-exodus")
    """), encoding="utf-8")
    env = {**os.environ, "CI": ci}
    result = subprocess.run([sys.executable, "-m", "pytest", "-rsf", "-q", "-p", "no:cacheprovider", str(probe)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert f"1 {outcome}" in result.stdout, result.stdout
    assert "no-such-tool-for-exodus is not on PATH; `make sysdeps` (as root) installs it" in result.stdout


def git(*args, cwd=REPO):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_gitattributes_keep_data_byte_exact_and_code_lf():
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    attrs = git("check-attr", "text", "eol", "--", "data/sources/000_784bab18764179d1.txt", "data/claims.csv", "exodus/paths.py")
    assert "data/sources/000_784bab18764179d1.txt: text: unset" in attrs
    assert "data/claims.csv: text: unset" in attrs
    assert "exodus/paths.py: eol: lf" in attrs


def test_a_crlf_converting_checkout_keeps_data_byte_exact_and_valid(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    if git("status", "--porcelain", "--", ".gitattributes", "data"):
        pytest.skip(".gitattributes or data/ has uncommitted changes; a clone would not see them")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-c", "core.autocrlf=true", "-c", "core.eol=crlf", str(REPO), str(clone)], check=True)
    for f in sorted((REPO / "data").rglob("*")):
        if f.is_file():
            assert (clone / f.relative_to(REPO)).read_bytes() == f.read_bytes(), f
    assert b"\r" not in (clone / "exodus" / "paths.py").read_bytes()  # code: eol=lf even where checkouts convert
    result = run_module("stages.validate", clone)
    assert result.returncode == 0, result.stderr
