"""Safe evaluation of derived-figure formulas (ast, no eval) with intervals, units and metrics."""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from exodus.model import intervals as iv
from exodus.model import units
from exodus.stages import people_stats

MAX_LENGTH = 2_000  # a formula is a line of arithmetic; anything longer is a paste accident
FUNCTIONS = ("as_metric", "as_printed", "count_people", "median_age")
PEOPLE_METRICS = {"count_people": ("people_accounts", "person"), "median_age": ("people_median_age", "year")}


class FormulaError(Exception):
    """A formula that cannot be evaluated; `text` is the offending part of the formula."""

    def __init__(self, message: str, text: str = ""):
        self.text = text
        super().__init__(message)


@dataclass(frozen=True)
class Quantity:
    """An evaluated (sub)formula: interval, unit, metric and everything it rests on."""

    interval: iv.Interval
    unit: tuple
    metric: str | None  # None for a bare number
    claim_ids: frozenset = frozenset()
    people_ids: frozenset = frozenset()
    source_ids: frozenset = frozenset()
    derived_ids: frozenset = frozenset()


@dataclass
class Context:
    """What names in a formula can refer to."""

    claims: dict[str, dict]
    metrics: dict[str, dict]
    people: list[dict]
    derived: Callable[[str], Quantity] | None = None  # resolves another derived figure
    derived_ids: set[str] = field(default_factory=set)


def claim_quantity(row: dict) -> Quantity:
    """Quantity of one claim row."""
    interval = iv.from_claim(row.get("value"), row.get("low"), row.get("high"), row.get("hedge") or "vague",
                            number_text=row.get("number_text"))
    return Quantity(interval, units.parse(row["unit"]), row["metric"],
                    frozenset({row["id"]}), frozenset(), frozenset({row["source_id"]}))


def _merge(a: Quantity, b: Quantity, interval: iv.Interval, unit: tuple, metric: str | None) -> Quantity:
    return Quantity(interval, unit, metric, a.claim_ids | b.claim_ids, a.people_ids | b.people_ids,
                    a.source_ids | b.source_ids, a.derived_ids | b.derived_ids)


def _compose(op: str, ma: str | None, mb: str | None) -> str | None:
    """Metric of a product or quotient: scaling by a bare number keeps the metric."""
    if mb is None:
        return ma
    if ma is None:
        return mb if op == "*" else f"1/{mb}"
    wrap = lambda m: f"({m})" if any(c in m for c in "*/") else m  # noqa: E731
    return f"{wrap(ma)}{op}{wrap(mb)}"


def _describe(q: Quantity) -> str:
    return "a bare number" if q.metric is None else f"metric {q.metric!r} ({units.show(q.unit)})"


class _Evaluator:
    def __init__(self, formula: str, ctx: Context):
        self.formula, self.ctx = formula, ctx

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.formula, node) or self.formula

    def fail(self, message: str, node: ast.AST):
        raise FormulaError(message, self.text(node))

    def eval(self, node: ast.AST) -> Quantity:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            self.fail(f"{type(node).__name__} is not allowed; use + - * / ( ), numbers, ids and functions "
                      f"{', '.join(FUNCTIONS)}", node)
        return method(node)

    def _Expression(self, node):
        return self.eval(node.body)

    def _Constant(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            self.fail(f"{node.value!r} is not a number; text is allowed only as a function argument", node)
        return Quantity(iv.exact(node.value), (), None)

    def _Name(self, node):
        name = node.id
        if name in self.ctx.claims:
            return claim_quantity(self.ctx.claims[name])
        if name in self.ctx.derived_ids and self.ctx.derived is not None:
            q = self.ctx.derived(name)
            return Quantity(q.interval, q.unit, q.metric, q.claim_ids, q.people_ids, q.source_ids,
                            q.derived_ids | {name})
        self.fail(f"unknown id {name!r}: not a claim id (claims.csv) nor a derived id", node)

    def _UnaryOp(self, node):
        q = self.eval(node.operand)
        if isinstance(node.op, ast.UAdd):
            return q
        if isinstance(node.op, ast.USub):
            return Quantity(iv.neg(q.interval), q.unit, q.metric, q.claim_ids, q.people_ids,
                            q.source_ids, q.derived_ids)
        self.fail("only unary + and - are allowed", node)

    def _BinOp(self, node):
        a, b = self.eval(node.left), self.eval(node.right)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            # Adding figures of different metrics is the mistake the registry exists to stop.
            if a.metric != b.metric or a.unit != b.unit:
                self.fail(f"cannot {'add' if isinstance(node.op, ast.Add) else 'subtract'} {_describe(a)} and "
                          f"{_describe(b)}; wrap one side in as_metric(..., 'metric_id') to state the conversion",
                          node)
            op = iv.add if isinstance(node.op, ast.Add) else iv.sub
            return _merge(a, b, op(a.interval, b.interval), a.unit, a.metric)
        if isinstance(node.op, ast.Mult):
            return _merge(a, b, iv.mul(a.interval, b.interval), units.mul(a.unit, b.unit),
                          _compose("*", a.metric, b.metric))
        if isinstance(node.op, ast.Div):
            try:
                interval = iv.div(a.interval, b.interval)
            except iv.ZeroDivision:
                self.fail(f"division by zero: {self.text(node.right)!r} is 0", node)
            return _merge(a, b, interval, units.div(a.unit, b.unit), _compose("/", a.metric, b.metric))
        self.fail(f"operator {type(node.op).__name__} is not allowed; use + - * /", node)

    def _Call(self, node):
        if not isinstance(node.func, ast.Name):
            self.fail("only plain function names can be called", node)
        name = node.func.id
        if name == "as_metric":
            return self.as_metric(node)
        if name == "as_printed":
            return self.as_printed(node)
        if name in PEOPLE_METRICS:
            return self.people(node, name)
        self.fail(f"unknown function {name!r}; known: {', '.join(FUNCTIONS)}", node)

    def string(self, node) -> str:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            self.fail("expected a quoted text argument", node)
        return node.value

    def as_metric(self, node):
        if len(node.args) != 2 or node.keywords:
            self.fail("as_metric takes two arguments: as_metric(expression, 'metric_id')", node)
        q = self.eval(node.args[0])
        metric = self.string(node.args[1])
        registered = self.ctx.metrics.get(metric)
        if registered is not None and units.parse(registered["unit"]) != q.unit:
            self.fail(f"as_metric: metric {metric!r} is in {registered['unit']!r} but the expression is in "
                      f"{units.show(q.unit)!r}", node)
        return Quantity(q.interval, q.unit, metric, q.claim_ids, q.people_ids, q.source_ids, q.derived_ids)

    def as_printed(self, node):
        """A claim as printed, without its rounding: what a conversion beside it converted."""
        arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if not (isinstance(arg, ast.Name) and arg.id in self.ctx.claims):
            self.fail("as_printed takes one claim id: as_printed(claim_id)", node)
        q = claim_quantity(self.ctx.claims[arg.id])
        value = self.ctx.claims[arg.id].get("value")
        if value is None:
            self.fail(f"as_printed: claim {arg.id!r} has no printed value", node)
        return Quantity(iv.exact(value), q.unit, q.metric, q.claim_ids, q.people_ids, q.source_ids, q.derived_ids)

    def people(self, node, name: str):
        if node.args:
            self.fail(f"{name} takes keyword filters only, e.g. {name}(status='fled')", node)
        filters = {k.arg: self.string(k.value) for k in node.keywords}
        try:
            agg = getattr(people_stats, name)(self.ctx.people, **filters)
        except (KeyError, ValueError) as e:
            self.fail(f"{name}: {e.args[0]}", node)
        metric, unit = PEOPLE_METRICS[name]
        return Quantity(iv.exact(agg.value), units.parse(unit), metric, frozenset(),
                        frozenset(agg.people_ids), frozenset(agg.source_ids))


def evaluate(formula: str, ctx: Context) -> Quantity:
    """Value of one formula; raises FormulaError naming the offending text."""
    if not formula or not formula.strip():
        raise FormulaError("formula is empty", formula or "")
    if len(formula) > MAX_LENGTH:
        raise FormulaError(f"formula is {len(formula):,} characters long; expected at most {MAX_LENGTH:,}", formula[:80])
    try:
        tree = ast.parse(formula.strip(), mode="eval")
        return _Evaluator(formula.strip(), ctx).eval(tree)
    except SyntaxError as e:
        raise FormulaError(f"syntax error: {e.msg}", formula) from None
    except (RecursionError, MemoryError):
        raise FormulaError("formula is nested too deeply to evaluate; split it into named derived figures",
                           formula[:80]) from None

