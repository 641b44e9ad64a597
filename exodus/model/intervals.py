"""Interval arithmetic over hedged figures: a point value (or none) inside closed bounds."""
from __future__ import annotations

import math
from dataclasses import dataclass

from exodus.model.numbers import rounding_bounds
from exodus.model.vocabulary import bound_of

INF = math.inf


class ZeroDivision(ArithmeticError):
    """A division whose divisor is exactly zero."""


@dataclass(frozen=True)
class Interval:
    """A figure as (value, low, high); value None is vague, bounds may be infinite."""

    value: float | None
    low: float
    high: float
    nonneg: bool = True

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")

    @property
    def hedge(self) -> str:
        return hedge_of(self)


def from_claim(value, low, high, hedge: str, nonneg: bool = True, number_text: str | None = None) -> Interval:
    """Interval of a claim row; blank bounds are unbounded, except where the hedge pins them.

    An "about" figure covers what its rounding allows, read from the figure as written
    (numbers.rounding_bounds: "about 300,000" is 250,000 to 350,000).
    """
    lo = -INF if low is None else float(low)
    hi = INF if high is None else float(high)
    # Curated bounds of an "about" figure are its rounding (validate checks them); left blank,
    # as in older tables, they are read from the figure as written.
    blank = low is None and high is None
    bound = bound_of(hedge)
    rounded = rounding_bounds(number_text) if bound == "rounding" and number_text and blank else None
    if rounded is not None:
        lo, hi = rounded
    elif value is not None:
        # An exact figure is its own bounds; "more than X" / "nearly X" bound at X even when
        # the curator left that column blank, because the wording itself states it.
        if hedge == "exact":
            lo = value if low is None else lo
            hi = value if high is None else hi
        elif bound == "floor" and low is None:
            lo = value
        elif bound == "ceiling" and high is None:
            hi = value
    if nonneg:
        lo = max(lo, 0.0)
    return Interval(None if value is None else float(value), lo, hi, nonneg)


def overlap(x: Interval, y: Interval) -> bool:
    """True when some value lies in both intervals (closed bounds: touching ends overlap)."""
    return x.low <= y.high and y.low <= x.high


def exact(value: float) -> Interval:
    """A number known without doubt (a literal in a formula, a count of rows)."""
    return Interval(float(value), float(value), float(value), value >= 0)


def _mul(a: float, b: float) -> float:
    # Interval convention: 0 * inf is 0 (the zero end is attained, the infinite one is not).
    if a == 0 or b == 0:
        return 0.0
    return a * b


def add(x: Interval, y: Interval) -> Interval:
    value = None if x.value is None or y.value is None else x.value + y.value
    return Interval(value, x.low + y.low, x.high + y.high, x.nonneg and y.nonneg)


def neg(x: Interval) -> Interval:
    value = None if x.value is None else -x.value
    return Interval(value, -x.high, -x.low, x.nonneg and x.high == 0)


def sub(x: Interval, y: Interval) -> Interval:
    result = add(x, neg(y))
    # A difference of counts is not a count: its low of 0 (if any) is information, not a default.
    return Interval(result.value, result.low, result.high, False)


def mul(x: Interval, y: Interval) -> Interval:
    value = None if x.value is None or y.value is None else x.value * y.value
    ends = [_mul(a, b) for a in (x.low, x.high) for b in (y.low, y.high)]
    return Interval(value, min(ends), max(ends), x.nonneg and y.nonneg)


def _inv(b: float) -> float:
    return 0.0 if math.isinf(b) else 1.0 / b


def reciprocal(y: Interval) -> Interval:
    """1 / y; raises ZeroDivision when y is exactly zero."""
    if y.value == 0 or (y.low == 0 and y.high == 0):
        raise ZeroDivision("division by zero")
    value = None if y.value is None else 1.0 / y.value
    if y.low > 0 or y.high < 0:  # zero outside the interval: 1/x is monotone there
        return Interval(value, _inv(y.high), _inv(y.low), y.nonneg)
    if y.low == 0:  # [0, d]: the reciprocal runs from 1/d up without bound
        return Interval(value, _inv(y.high), INF, True)
    if y.high == 0:  # [c, 0]
        return Interval(value, -INF, _inv(y.low), False)
    return Interval(value, -INF, INF, False)  # zero strictly inside: no bound survives


def _quot(a: float, b: float) -> float:
    # Bound conventions: 0/b is 0, finite/inf is 0, inf/inf keeps the sign and stays infinite.
    if a == 0:
        return 0.0
    if math.isinf(b):
        return math.copysign(INF, a) * math.copysign(1.0, b) if math.isinf(a) else 0.0
    return a / b


def div(x: Interval, y: Interval) -> Interval:
    """x / y; bounds divided directly (not via 1/y) so 300000 / 4800 is exactly 62.5."""
    inverse = reciprocal(y)  # raises on an exact zero divisor
    if not (y.low > 0 or y.high < 0):
        return mul(x, inverse)  # divisor reaches zero: the reciprocal's unbounded side carries over
    value = None if x.value is None or y.value is None else x.value / y.value
    ends = [_quot(a, b) for a in (x.low, x.high) for b in (y.low, y.high)]
    return Interval(value, min(ends), max(ends), x.nonneg and y.nonneg)


def informative_low(x: Interval) -> bool:
    """A low bound says something unless it is -inf or the 0 every count has anyway."""
    return x.low != -INF and not (x.nonneg and x.low == 0)


def hedge_of(x: Interval) -> str:
    """Hedge implied by which bounds are finite: exact, between, at least, at most, about, vague."""
    if x.low == x.high:
        return "exact"
    has_low, has_high = informative_low(x), x.high != INF
    if has_low and has_high:
        return "between"
    if has_low:
        return "at least"
    if has_high:
        return "at most"
    # No bound survives: a point value is still an approximate statement, none at all is vague.
    return "about" if x.value is not None else "vague"
