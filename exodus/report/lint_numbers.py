"""Fail when the narrative types a numeral instead of binding it to a claim/derived/event variable."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from exodus import paths

# Exempt spans, each documented in EXEMPTIONS below. They are blanked (same length)
# before the scan so columns still point at the original text.
_MASKS = [
    ("shortcode", re.compile(r"\{\{\{?<.*?>\}\}\}?")),
    ("inline code", re.compile(r"(`+)(?:(?!\1).)+?\1")),
    ("html comment", re.compile(r"<!--.*?-->")),
    ("link or image target", re.compile(r"\]\((?:<[^>]*>|[^()\s]*(?:\([^()]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")),
    ("reference-style target", re.compile(r"\]\[[^\]]*\]")),
    ("attribute block", re.compile(r"\{(?:[#.=]|[\w-]+=)[^{}]*\}")),
    ("citation or cross-reference key", re.compile(r"(?<![\w@])-?@[\w][\w:.#$%&\-+?<>~/]*")),
    ("footnote label", re.compile(r"\[\^[^\]\s]+\]")),
    ("url", re.compile(r"<?https?://[^\s>]+>?")),
]
EXEMPTIONS = {
    "YAML front matter": "metadata (title, dates, options) is configuration, not narrative",
    "fenced code blocks and raw blocks": "``` / ~~~ fences, incl. ```{=html} and ```{=typst}",
    **{name: "" for name, _ in _MASKS},
}
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Finding:
    """A numeral in narrative text, located as file:line:column."""

    file: str
    line: int
    column: int
    token: str
    text: str

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}:{self.column}: bare numeral {self.token!r} in narrative; "
                f"bind it to a variable, e.g. {{{{< var claim.<id> >}}}}, or write it as a word "
                f"if it is not a figure (line: {self.text.strip()[:80]!r})")


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def scan(text: str, shown: str) -> list[Finding]:
    """Every numeral outside the exempt spans of a markdown file."""
    findings: list[Finding] = []
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                start = i + 1
                break
    # HTML comments can span lines; blank them on the joined body, keeping newlines.
    body = "\n".join(lines[start:])
    body = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), body, flags=re.S)
    fence = None
    for offset, line in enumerate(body.split("\n")):
        number = start + offset + 1
        f = _FENCE.match(line)
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            continue
        masked = line
        for _, pattern in _MASKS:
            masked = _blank(masked, pattern)
        for m in re.finditer(r"\S+", masked):
            word = m.group(0)
            # isnumeric(): any script's digits, plus ½, ², Ⅻ and other numeric symbols.
            hit = next((i for i, ch in enumerate(word) if ch.isnumeric()), None)
            if hit is not None:
                token = re.sub(r"^[^\w£$€]+|[^\w%]+$", "", word) or word
                findings.append(Finding(shown, number, m.start() + hit + 1, token, line))
    return findings


def lint(files: list[Path]) -> list[Finding]:
    """Findings over the narrative files (report.qmd and any hand-written includes)."""
    out: list[Finding] = []
    for path in files:
        out += scan(Path(path).read_text(encoding="utf-8"), paths.rel(path))
    return out


def narrative_files(report: Path, included: list[Path]) -> list[Path]:
    """report.qmd plus includes that people write; generated ones under build/ are data."""
    build = paths.BUILD.resolve()
    keep = [report]
    for p in included:
        rp = Path(p).resolve()
        if build not in rp.parents and rp not in [k.resolve() for k in keep]:
            keep.append(Path(p))
    return keep


def main(argv: list[str] | None = None) -> int:
    files = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [paths.REPORT_QMD]
    findings = lint(files)
    for f in findings:
        print(f, file=sys.stderr)
    if findings:
        print(f"lint_numbers: {len(findings)} bare numeral(s)", file=sys.stderr)
        return 1
    print(f"lint_numbers: no bare numerals in {', '.join(paths.rel(f) for f in files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
