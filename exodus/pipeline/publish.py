"""Publishing as one transaction: every output of a build replaces its old self, or none does.

Phase one writes each new file beside its destination and backs up what it replaces; any failure
there (a read-only folder, a full disk) removes the new files and leaves the tree as it was.
Phase two renames, under a journal: if it fails or the process dies, the backups are restored,
at once or by `recover` at the start of the next build.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

JOURNAL = "publish-journal.json"
JOURNAL_LAYOUT = 2  # paths relative to the root; layout 1 held absolute paths and is set aside
# What publishing writes beside an output: its new bytes and its backup, named by the writing process.
SIDE_FILE = re.compile(r"\.(?P<name>.+)\.(?P<kind>new|bak)-(?P<pid>\d+)")


class PublishError(Exception):
    """The outputs could not be published; the previous ones are in place."""


class Transaction:
    """Files to write (staged source -> destination) and files to remove.

    A plain class, not a dataclass: the dataclasses module costs a no-op build a tenth of its time."""

    def __init__(self, writes: list[tuple[Path, Path]] | None = None, removals: list[Path] | None = None):
        self.writes = list(writes or [])
        self.removals = list(removals or [])


def _sidecar(dest: Path, kind: str) -> Path:
    return dest.with_name(f".{dest.name}.{kind}-{os.getpid()}")


def _prepare(tx: Transaction) -> list[dict]:
    """Phase one: new bytes and backups beside each destination; nothing visible changes."""
    entries: list[dict] = []
    try:
        for src, dest in tx.writes:
            if dest.is_file() and dest.read_bytes() == src.read_bytes():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            entry = {"dest": str(dest), "new": str(_sidecar(dest, "new")), "bak": None}
            entries.append(entry)
            shutil.copyfile(src, entry["new"])
            if dest.is_file():
                entry["bak"] = str(_sidecar(dest, "bak"))
                shutil.copyfile(dest, entry["bak"])
        for dest in tx.removals:
            if dest.is_file():
                entry = {"dest": str(dest), "new": None, "bak": str(_sidecar(dest, "bak"))}
                entries.append(entry)
                shutil.copyfile(dest, entry["bak"])
    except OSError as e:
        _discard(entries)
        raise PublishError(f"cannot write {e.filename or ''}: {e.strerror or e}") from None
    return entries


def _discard(entries: list[dict]) -> None:
    for entry in entries:
        for key in ("new", "bak"):
            if entry.get(key) and (os.path.islink(entry[key]) or os.path.isfile(entry[key])):
                os.unlink(entry[key])


def _roll_back(entries: list[dict]) -> None:
    """Put every destination back as it was before the transaction."""
    for entry in entries:
        dest = Path(entry["dest"])
        if entry.get("bak") and os.path.isfile(entry["bak"]) and not os.path.islink(entry["bak"]):
            os.replace(entry["bak"], dest)
        elif entry.get("new") and not os.path.exists(entry["new"]) and dest.is_file():
            dest.unlink()  # a file this transaction created
    _discard(entries)


def _journal(entries: list[dict], root: Path) -> str:
    """The journal's text: every path relative to the root, so that it names nothing outside it."""
    def rel(path):
        return None if path is None else Path(os.path.relpath(path, root)).as_posix()
    return json.dumps({"journal": JOURNAL_LAYOUT, "entries": [{k: rel(e[k]) for k in ("dest", "new", "bak")}
                                                               for e in entries]})


def publish(tx: Transaction, journal_dir: Path, root: Path | None = None) -> list[Path]:
    """Apply the transaction; returns the destinations that changed. The root (by default the journal
    folder's parent) is what the journal's paths are relative to."""
    entries = _prepare(tx)
    journal = journal_dir / JOURNAL
    journal_dir.mkdir(parents=True, exist_ok=True)
    journal.write_text(_journal(entries, Path(root or journal_dir.parent)), encoding="utf-8")
    try:
        for entry in entries:
            if entry["new"]:
                os.replace(entry["new"], entry["dest"])
            else:
                os.unlink(entry["dest"])
    except OSError as e:
        _roll_back(entries)
        journal.unlink()
        raise PublishError(f"cannot replace {e.filename or ''}: {e.strerror or e}; previous outputs restored") from None
    for entry in entries:
        if entry["bak"] and os.path.exists(entry["bak"]):
            os.unlink(entry["bak"])
    journal.unlink()
    return [Path(e["dest"]) for e in entries]


def declared_outputs() -> tuple[str, ...]:
    """Every output glob the pipeline declares: the only files recovery may touch."""
    from exodus.pipeline.stages import STAGES
    return tuple(o for s in STAGES for o in s.outputs)


def _declared(rel: str, declared) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in declared)


def _inside(root: Path, rel) -> Path | None:
    """root/rel when rel is a plain relative path with no link on the way; else None."""
    if not isinstance(rel, str) or not rel or "\0" in rel:
        return None
    given = Path(rel)
    if given.is_absolute() or ".." in given.parts or given.as_posix() != rel:
        return None
    probe = root
    for part in given.parts[:-1]:
        probe = probe / part
        if probe.is_symlink():
            return None
    return root / given


def _entry(raw, root: Path, declared) -> dict | str:
    """A journal entry made absolute, or why it is refused: its destination must be a declared output
    and its new and backup files that destination's own side files."""
    if not isinstance(raw, dict) or set(raw) != {"dest", "new", "bak"}:
        return f"an entry that is not {{dest, new, bak}}: {str(raw)[:200]!r}"
    dest = _inside(root, raw["dest"])
    if dest is None or not _declared(raw["dest"], declared):
        return f"{str(raw['dest'])[:200]!r} is not an output the pipeline declares"
    entry = {"dest": str(dest)}
    for kind in ("new", "bak"):
        side = raw[kind]
        if side is not None and not (isinstance(side, str) and SIDE_FILE.fullmatch(Path(side).name)
                                     and _inside(root, side) is not None
                                     and Path(side).parent == Path(raw["dest"]).parent
                                     and SIDE_FILE.fullmatch(Path(side).name)["name"] == dest.name
                                     and SIDE_FILE.fullmatch(Path(side).name)["kind"] == kind):
            return f"{str(side)[:200]!r} is not the {kind} file of {raw['dest']}"
        entry[kind] = None if side is None else str(root / side)
    return entry


def _entries(text: str, root: Path, declared) -> tuple[list[dict], list[str]]:
    """The journal's entries that recovery may act on, and a line for each one it sets aside."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        return [], [f"not JSON ({e})"]
    if not (isinstance(doc, dict) and doc.get("journal") == JOURNAL_LAYOUT and isinstance(doc.get("entries"), list)):
        return [], [f"not a journal of layout {JOURNAL_LAYOUT} (a mapping with 'journal' and 'entries')"]
    checked = [_entry(raw, root, declared) for raw in doc["entries"]]
    return [e for e in checked if isinstance(e, dict)], [e for e in checked if isinstance(e, str)]


def sweep(root: Path, declared=None) -> list[Path]:
    """Remove the side files (.NAME.new-PID, .NAME.bak-PID) a publish killed before its journal was
    written leaves beside declared outputs; call it only under the build lock. Returns what was removed."""
    declared = declared_outputs() if declared is None else declared
    gone = []
    for folder in sorted({Path(pattern).parent for pattern in declared}):
        here = _inside(root, folder.as_posix()) if folder != Path(".") else root
        if here is None or not here.is_dir() or here.is_symlink():
            continue
        for side in here.iterdir():
            m = SIDE_FILE.fullmatch(side.name)
            if m and _declared((folder / m["name"]).as_posix().removeprefix("./"), declared) and not side.is_dir():
                side.unlink()
                gone.append(side)
    return gone


def recover(journal_dir: Path, root: Path | None = None, declared=None) -> bool:
    """Undo a publish that a killed process left half done; True when there was one. The journal is
    trusted only as far as its shape: entries that name anything but declared outputs and their own
    side files are set aside with a message, and so is a journal that is not a journal."""
    root = Path(root or journal_dir.parent)
    declared = declared_outputs() if declared is None else declared
    journal = journal_dir / JOURNAL
    if not journal.is_file() or journal.is_symlink():
        if journal.is_symlink() or journal.exists():
            _set_aside(journal, ["not a regular file"])
        return bool(sweep(root, declared))
    try:
        text = journal.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        text = f"unreadable: {e}"
    entries, refused = _entries(text, root, declared)
    _roll_back(entries)
    if refused:
        _set_aside(journal, refused)
    else:
        journal.unlink()
    sweep(root, declared)
    return True


def _set_aside(journal: Path, why: list[str]) -> None:
    aside = journal.with_name(f"{journal.name}.set-aside-{time.time_ns()}")
    os.replace(journal, aside)
    print(f"build: {journal.name} set aside as {aside.name}, nothing in it acted on: " + "; ".join(why[:5])
          + (f"; and {len(why) - 5} more" if len(why) > 5 else ""), file=sys.stderr)
