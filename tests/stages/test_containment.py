"""Every input is read from inside data/: links, absolute paths and '..' are refused, located, before anything is read."""
import hashlib
import json
import shutil

from tests.conftest import run_module

SECRET = "Secret outside the repository: 12,345 passwords.\n"


def check(root):
    result = run_module("stages.validate", root)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert "12,345" not in result.stdout + result.stderr
    return result.stderr


def outside(tmp_path, name="secret.txt"):
    path = tmp_path / "elsewhere" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(SECRET, encoding="utf-8")
    return path


def point_source_at(root, target):
    """Replace the mini source text by a link to target, re-checksummed so only containment can object."""
    text = root / "data" / "sources" / "mini.txt"
    old = hashlib.sha256(text.read_bytes()).hexdigest()
    text.unlink()
    text.symlink_to(target)
    table = root / "data" / "sources.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(old, hashlib.sha256(target.read_bytes()).hexdigest()), encoding="utf-8")


def test_source_linked_outside_the_repository_is_refused(mini_root, tmp_path):
    point_source_at(mini_root, outside(tmp_path))
    stderr = check(mini_root)
    assert "data/sources.csv:2:2: [path] source file data/sources/mini.txt is a symbolic link (to " in stderr
    assert "expected a regular file inside data/, not a link" in stderr


def test_source_linked_inside_data_is_refused_too(mini_root):
    copy = mini_root / "data" / "sources" / "copy.txt"
    shutil.copy(mini_root / "data" / "sources" / "mini.txt", copy)
    point_source_at(mini_root, copy)
    assert "[path] source file data/sources/mini.txt is a symbolic link" in check(mini_root)


def test_linked_sources_folder_is_refused(mini_root, tmp_path):
    folder = tmp_path / "elsewhere_sources"
    shutil.move(mini_root / "data" / "sources", folder)
    (mini_root / "data" / "sources").symlink_to(folder, target_is_directory=True)
    assert "source file data/sources is a symbolic link" in check(mini_root)


def test_linked_table_is_refused(mini_root, tmp_path):
    events = mini_root / "data" / "events.csv"
    target = tmp_path / "events.csv"
    shutil.move(events, target)
    events.symlink_to(target)
    assert "data/events.csv:0:0: the events table data/events.csv is a symbolic link" in check(mini_root)


def test_absolute_source_path_is_refused(mini_root, tmp_path):
    secret = outside(tmp_path)
    table = mini_root / "data" / "sources.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("sources/mini.txt", str(secret)), encoding="utf-8")
    assert f"data/sources.csv:2:2: [path] '{secret}' does not match the pattern ^sources/[^/]+\\.txt$" in check(mini_root)


def rewrite_resource_path(root, name: str, new_path: str) -> None:
    package = root / "data" / "datapackage.json"
    data = json.loads(package.read_text(encoding="utf-8"))
    for resource in data["resources"]:
        if resource["name"] == name:
            resource["path"] = new_path
    package.write_text(json.dumps(data), encoding="utf-8")


def test_absolute_table_path_in_the_datapackage_is_refused(mini_root, tmp_path):
    secret = outside(tmp_path, "events.csv")
    rewrite_resource_path(mini_root, "events", str(secret))
    assert f"the events table {str(secret)!r} is an absolute path; expected a path relative to data/" in check(mini_root)


def test_dotdot_table_path_in_the_datapackage_is_refused(mini_root, tmp_path):
    shutil.copy(mini_root / "data" / "events.csv", mini_root / "events.csv")
    rewrite_resource_path(mini_root, "events", "../events.csv")
    assert "the events table '../events.csv' contains '..'; expected a path inside data/" in check(mini_root)


def test_linked_derived_table_is_refused(mini_root, tmp_path):
    derived = mini_root / "data" / "derived.csv"
    target = tmp_path / "derived.csv"
    shutil.move(derived, target)
    derived.symlink_to(target)
    assert f"data/derived.csv:0:0: is a symbolic link (to {target}); expected a regular file inside data/" in check(mini_root)
