"""Units as products of powers of base units, so formulas can be checked dimensionally."""
from __future__ import annotations

import re

# Dimensionless names; "percent" is deliberately not among them, so 80 (percent) never
# silently mixes with 0.8 (ratio).
DIMENSIONLESS = {"", "ratio", "1"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")  # percentage_point is one name

Unit = tuple  # sorted ((base, power), ...), hashable and comparable


def _combine(powers: dict[str, int]) -> Unit:
    return tuple(sorted((b, p) for b, p in powers.items() if p != 0))


def parse(text: str) -> Unit:
    """'person_per_day', 'RUB/GBP', 'person*day', 'ratio' -> canonical unit; ValueError if garbled."""
    text = (text or "").strip()
    if text in DIMENSIONLESS:
        return ()
    num_den = re.split(r"_per_|/", text)
    if len(num_den) > 2:
        raise ValueError(f"unit {text!r} has more than one '/' or '_per_'")
    if any(not part.strip() for part in num_den):
        raise ValueError(f"unit {text!r}: an empty side of '/' is not a unit name")
    powers: dict[str, int] = {}
    for sign, part in zip((1, -1), num_den):
        for token in part.split("*"):
            if token in DIMENSIONLESS:
                continue
            if not _TOKEN.fullmatch(token):
                raise ValueError(f"unit {text!r}: {token!r} is not a unit name")
            powers[token] = powers.get(token, 0) + sign
    return _combine(powers)


def mul(a: Unit, b: Unit) -> Unit:
    powers = dict(a)
    for base, p in b:
        powers[base] = powers.get(base, 0) + p
    return _combine(powers)


def inverse(a: Unit) -> Unit:
    return tuple((b, -p) for b, p in a)


def div(a: Unit, b: Unit) -> Unit:
    return mul(a, inverse(b))


def show(a: Unit) -> str:
    """Readable form: 'ratio', 'person', 'RUB/GBP', 'person/day'."""
    if not a:
        return "ratio"

    def side(terms):
        return "*".join(b if p == 1 else f"{b}^{p}" for b, p in terms)

    num = [(b, p) for b, p in a if p > 0]
    den = [(b, -p) for b, p in a if p < 0]
    top = side(num) or "1"
    return f"{top}/{side(den)}" if den else top
