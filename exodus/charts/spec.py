"""Chart curation read from data/charts.yml: validated on load, templates filled from the tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exodus import paths
from exodus.model import asof, wording
from exodus.model.vocabulary import is_id, outlet_credit

REQUIRED = ("kind", "draw", "title", "heading", "caption")
TEXT_KEYS = ("title", "heading", "caption")
LIST_KEYS = ("metrics", "derived_metrics")
MAP_KEYS = ("metric_labels", "claim_labels", "labels")
OPTIONAL = (*LIST_KEYS, *MAP_KEYS, "label_by", "rate_metric", "window", "same_happening")
FIELD = re.compile(r"\{([^{}]*)\}")
DIGIT = re.compile(r"\d")


class ChartSpecError(ValueError):
    """data/charts.yml is malformed or names something the tables do not hold."""


@dataclass(frozen=True)
class ChartSpec:
    """One chart's curation: which rows (kind), which drawing (draw), and its texts."""
    id: str
    kind: str
    draw: str
    title: str
    heading: str
    caption: str
    options: dict = field(default_factory=dict)
    where: str = "data/charts.yml"

    def get(self, key: str, default=None):
        return self.options.get(key, default)

    def label(self, key: str) -> str:
        labels = self.options.get("labels") or {}
        if key not in labels:
            raise ChartSpecError(f"{self.where}: chart {self.id!r}, key 'labels': no label {key!r}")
        return labels[key]


@dataclass(frozen=True)
class Curation:
    charts: dict[str, ChartSpec]
    common: dict[str, str]
    where: str


def _fail(where: str, chart: str | None, key: str, what: str) -> ChartSpecError:
    at = f"chart {chart!r}, key {key!r}" if chart else f"key {key!r}"
    return ChartSpecError(f"{where}: {at}: {what}")


def _strings(value) -> list[str]:
    """Every string inside a value (nested lists and maps), for the digit and field checks."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def literal_text(template: str) -> str:
    """A template with its {fields} removed: what is typed, not filled."""
    return FIELD.sub("", template)


def _check_text(where: str, chart: str | None, key: str, value) -> None:
    for text in _strings(value):
        if DIGIT.search(literal_text(text)):
            raise _fail(where, chart, key, f"contains a digit in {text!r}; fill numbers and dates from the "
                                           "tables with a {claim.ID}/{event.ID}/{chart.NAME} field")


def _chart(where: str, cid: str, entry) -> ChartSpec:
    if not is_id(cid):
        raise _fail(where, cid, "id", "expected a lower-case snake_case chart id")
    if not isinstance(entry, dict):
        raise _fail(where, cid, "entry", "expected a mapping of keys")
    for key in REQUIRED:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise _fail(where, cid, key, "missing; expected a non-empty text")
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _fail(where, cid, unknown[0], f"unknown key; expected one of {', '.join(REQUIRED + OPTIONAL)}")
    for key in LIST_KEYS:
        if key in entry and not (isinstance(entry[key], list) and all(is_id(str(m)) for m in entry[key])):
            raise _fail(where, cid, key, "expected a list of metric ids")
    for key in MAP_KEYS:
        if key in entry and not isinstance(entry[key], dict):
            raise _fail(where, cid, key, "expected a mapping")
    if entry.get("label_by", "place") not in ("place", "subject"):
        raise _fail(where, cid, "label_by", "expected 'place' or 'subject'")
    for key in (*TEXT_KEYS, *MAP_KEYS):
        _check_text(where, cid, key, entry.get(key))
    for group in entry.get("same_happening") or []:
        if not isinstance(group, dict) or not isinstance(group.get("events"), list):
            raise _fail(where, cid, "same_happening", "expected a list of {label: text, events: [event ids]}")
        _check_text(where, cid, "same_happening", group.get("label"))
    options = {k: v for k, v in entry.items() if k not in REQUIRED}
    return ChartSpec(cid, entry["kind"], entry["draw"], entry["title"].strip(), entry["heading"].strip(),
                     entry["caption"].strip(), options, where)


def parse(text: str, where: str = "data/charts.yml") -> Curation:
    """Curation from YAML text; every error names the file, the chart and the key."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ChartSpecError(f"{where}: not valid YAML: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("charts"), dict) or not doc["charts"]:
        raise ChartSpecError(f"{where}: expected a top-level 'charts:' mapping of chart id to entry")
    common = doc.get("common") or {}
    if not isinstance(common, dict) or not all(isinstance(v, str) for v in common.values()):
        raise _fail(where, None, "common", "expected a mapping of names to texts")
    for key, value in common.items():
        _check_text(where, None, f"common.{key}", value)
    charts = {cid: _chart(where, cid, entry) for cid, entry in doc["charts"].items()}
    return Curation(charts, {k: v.strip() for k, v in common.items()}, where)


def load(path: Path | None = None) -> Curation:
    path = Path(path) if path else paths.DATA / "charts.yml"
    return parse(path.read_text(encoding="utf-8"), paths.rel(path))


def check_registries(cur: Curation, kinds, draws) -> None:
    """Every entry names a known row builder and drawing function (draws=None: drawings not checked)."""
    for spec in cur.charts.values():
        if spec.kind not in kinds:
            raise _fail(cur.where, spec.id, "kind", f"unknown kind {spec.kind!r}; known: {', '.join(sorted(kinds))}")
        if draws is not None and spec.draw not in draws:
            raise _fail(cur.where, spec.id, "draw", f"unknown drawing {spec.draw!r}; known: {', '.join(sorted(draws))}")


class Filler:
    """Fills template fields from the tables: {claim.ID}, {claim.ID.as_of}, {event.ID}, {source.ID}, ..."""

    def __init__(self, t: dict[str, list[dict]], common: dict[str, str], where: str = "data/charts.yml"):
        self.claims = {c["id"]: c for c in t.get("claims", [])}
        self.events = {e["id"]: e for e in t.get("events", [])}
        self.sources = {s["id"]: s for s in t.get("sources", [])}
        self.metrics = {m["id"]: m for m in t.get("metrics", [])}
        self.common, self.where = common, where

    def _table_field(self, name: str, extra: dict, chart: str, key: str) -> str:
        parts = name.split(".")
        table, ident, attr = parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
        if table == "claim" and ident in self.claims and attr in ("", "as_of"):
            c = self.claims[ident]
            return wording.claim_text(c) if not attr else asof.text(asof.as_of(c, self.sources.get(c["source_id"])))
        if table == "event" and ident in self.events and not attr:
            return wording.event_text(self.events[ident])
        if table == "source" and ident in self.sources and not attr:
            return outlet_credit(self.sources[ident])
        if table == "chart" and ident in extra and not attr:
            return str(extra[ident])
        if table == "common" and ident in self.common and not attr:
            return self.fill(self.common[ident], extra, chart, f"common.{ident}")
        raise _fail(self.where, chart, key, f"unknown field {{{name}}}: no {table} {ident!r}"
                                            f"{' with ' + attr if attr else ''} in the tables")

    def fill(self, template: str, extra: dict | None = None, chart: str = "", key: str = "", **local) -> str:
        """The template with each field replaced; local names ({label}) come from the drawing code."""
        extra = extra or {}

        def one(m: re.Match) -> str:
            name = m.group(1).strip()
            if name in local:
                return str(local[name])
            if name.startswith("common.") and name[len("common."):] in self.common:
                return self.fill(self.common[name[len("common."):]], extra, chart, name, **local)
            return self._table_field(name, extra, chart, key)
        return FIELD.sub(one, template)

    def check(self, spec: ChartSpec) -> None:
        """Every table field of the entry names a row that exists (chart fields are checked when drawn)."""
        for key, value in (("title", spec.title), ("heading", spec.heading), ("caption", spec.caption),
                           *spec.options.items()):
            for text in _strings(value):
                for name in FIELD.findall(text):
                    if name.split(".")[0] in ("claim", "event", "source", "common"):
                        self._table_field(name, {}, spec.id, key)
        for key in LIST_KEYS:
            for metric in spec.get(key) or []:
                if self.metrics and metric not in self.metrics:
                    raise _fail(self.where, spec.id, key, f"no metric {metric!r} in metrics.csv")
