"""What a user does when new articles falsify the report's prose: withdraw each sentence the build names."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

FALSIFIED = re.compile(r"^(?:build: )?report\.qmd:(\d+):\d+: (.+?) is no longer true: .*?\(check (\w+), ", re.M)


def falsified(log: str) -> list[tuple[int, str, str]]:
    """(report.qmd line, sentence as quoted, check id) of every sentence a failed build says the data falsifies."""
    return [(int(n), text, check) for n, text, check in FALSIFIED.findall(log)]


def withdraw(root: Path, log: str) -> list[str]:
    """Remove each falsified sentence from report.qmd and every check or exemption bound to it."""
    spec_path, report_path = root / "data" / "narrative.yml", root / "report.qmd"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    failing = {check for _, _, check in falsified(log)}
    said = lambda entry: [entry["says"]] if isinstance(entry["says"], str) else entry["says"]  # noqa: E731
    gone = {s for c in spec["checks"] if c["id"] in failing for s in said(c)}
    for key in ("checks", "exempt"):
        spec[key] = [e for e in spec[key] if not set(said(e)) & gone]
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    text = report_path.read_text(encoding="utf-8")
    for sentence in sorted(gone, key=len, reverse=True):
        text = text.replace(sentence, "")
    report_path.write_text(text, encoding="utf-8")
    return sorted(gone)
