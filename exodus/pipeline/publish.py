"""Publishing as one transaction: every output of a build replaces its old self, or none does.

Phase one writes each new file beside its destination and backs up what it replaces; any failure
there (a read-only folder, a full disk) removes the new files and leaves the tree as it was.
Phase two renames, under a journal: if it fails or the process dies, the backups are restored,
at once or by `recover` at the start of the next build.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

JOURNAL = "publish-journal.json"


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
            if entry.get(key) and os.path.exists(entry[key]):
                os.unlink(entry[key])


def _roll_back(entries: list[dict]) -> None:
    """Put every destination back as it was before the transaction."""
    for entry in entries:
        dest = Path(entry["dest"])
        if entry.get("bak") and os.path.exists(entry["bak"]):
            os.replace(entry["bak"], dest)
        elif entry.get("new") and not os.path.exists(entry["new"]) and dest.is_file():
            dest.unlink()  # a file this transaction created
    _discard(entries)


def publish(tx: Transaction, journal_dir: Path) -> list[Path]:
    """Apply the transaction; returns the destinations that changed."""
    entries = _prepare(tx)
    journal = journal_dir / JOURNAL
    journal_dir.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps(entries), encoding="utf-8")
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


def recover(journal_dir: Path) -> bool:
    """Undo a publish that a killed process left half done; True when there was one."""
    journal = journal_dir / JOURNAL
    if not journal.is_file():
        return False
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except ValueError:
        entries = []
    _roll_back(entries)
    journal.unlink()
    return True
