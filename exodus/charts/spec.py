"""Chart curation read from data/charts.yml: validated on load, templates filled from the tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exodus import paths
from exodus.context import StageError
from exodus.model import asof, wording
from exodus.model.citations import name as source_name
from exodus.model.vocabulary import is_id

REQUIRED = ("kind", "draw", "title", "caption")
TEXT_KEYS = ("title", "caption")
LIST_KEYS = ("metrics", "derived_metrics")
MAP_KEYS = ("metric_labels", "claim_labels", "labels")
OPTIONAL = (*LIST_KEYS, *MAP_KEYS, "label_by", "rate_metric", "window", "same_happening", "separate")
FIELD = re.compile(r"\{([^{}]*)\}")
DIGIT = re.compile(r"\d")
# A filled text longer than this is a mistake (a caption is a paragraph), and a template that fills
# itself tenfold per level would otherwise take the build's memory and time.
MAX_FILLED = 20_000


class ChartSpecError(StageError, ValueError):
    """data/charts.yml is malformed or names something the tables do not hold: one located line, stopping the build."""


class _Refused(yaml.YAMLError):
    def __init__(self, mark, what: str):
        super().__init__(what)
        self.mark, self.what = mark, what


class _Loader(yaml.SafeLoader):
    """The safe loader without anchors and aliases: the file needs none, and an alias can nest a
    billion nodes in a few lines or refer to itself."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"alias *{event.anchor} is not accepted; write the text out "
                                             "(or name it in 'common:' and fill it with {common.NAME})")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, f"anchor &{event.anchor} is not accepted; write the text out "
                                             "(or name it in 'common:' and fill it with {common.NAME})")
        return super().compose_node(parent, index)


def _yaml(text: str, where: str):
    """The YAML document, or one line naming the file, line and column of what is wrong."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: plain data, never Python objects
    except _Refused as e:
        raise ChartSpecError(f"{where}:{e.mark.line + 1}:{e.mark.column + 1}: {e.what}") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ChartSpecError(f"{where}{at}: not valid YAML: {' '.join(str(e.problem or e.context).split())}") from None
    except (yaml.YAMLError, RecursionError) as e:
        raise ChartSpecError(f"{where}: not valid YAML: {' '.join(str(e).split())}") from None


@dataclass(frozen=True)
class ChartSpec:
    """One chart's curation: which rows (kind), which drawing (draw), and its texts. The title is one
    field: the line drawn on the chart and the title the report and its citations give are the same."""
    id: str
    kind: str
    draw: str
    title: str
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
    if "separate" in entry and not (isinstance(entry["separate"], list) and all(is_id(str(e)) for e in entry["separate"])):
        raise _fail(where, cid, "separate", "expected a list of event ids never grouped by their wording")
    if entry.get("label_by", "place") not in ("place", "subject"):
        raise _fail(where, cid, "label_by", "expected 'place' or 'subject'")
    for key in (*TEXT_KEYS, *MAP_KEYS):
        _check_text(where, cid, key, entry.get(key))
    if not isinstance(entry.get("same_happening") or [], list):
        raise _fail(where, cid, "same_happening", "expected a list of {label: text, events: [event ids]}")
    for group in entry.get("same_happening") or []:
        if not isinstance(group, dict) or not isinstance(group.get("events"), list) \
                or not all(isinstance(e, str) for e in group["events"]):
            raise _fail(where, cid, "same_happening", "expected a list of {label: text, events: [event ids]}")
        _check_text(where, cid, "same_happening", group.get("label"))
    window = entry.get("window")
    if window is not None and not (isinstance(window, dict) and set(window) <= {"from", "to"}
                                   and all(isinstance(v, str) for v in window.values())):
        raise _fail(where, cid, "window", "expected {from: event id, to: event id}")
    if not isinstance(entry.get("rate_metric", ""), str):
        raise _fail(where, cid, "rate_metric", "expected a derived metric id")
    options = {k: v for k, v in entry.items() if k not in REQUIRED}
    return ChartSpec(cid, entry["kind"], entry["draw"], entry["title"].strip(), entry["caption"].strip(),
                     options, where)


def parse(text: str, where: str = "data/charts.yml") -> Curation:
    """Curation from YAML text; every error names the file, the chart and the key."""
    doc = _yaml(text, where)
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

    def _table_field(self, name: str, extra: dict, chart: str, key: str, through: tuple = ()) -> str:
        parts = name.split(".")
        table, ident, attr = parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
        if table == "claim" and ident in self.claims and attr in ("", "as_of"):
            c = self.claims[ident]
            return wording.claim_text(c) if not attr else asof.text(asof.as_of(c, self.sources.get(c["source_id"])))
        if table == "event" and ident in self.events and not attr:
            return wording.event_text(self.events[ident])
        if table == "source" and ident in self.sources and not attr:
            return source_name(self.sources[ident])
        if table == "chart" and ident in extra and not attr:
            return str(extra[ident])
        if table == "common" and ident in self.common and not attr:
            return self._common(ident, extra, chart, key, {}, through)
        raise _fail(self.where, chart, key, f"unknown field {{{name}}}: no {table} {ident!r}"
                                            f"{' with ' + attr if attr else ''} in the tables")

    def _common(self, name: str, extra: dict, chart: str, key: str, local: dict, through: tuple) -> str:
        """A common text filled in place; one that fills itself, at any depth, is refused by name."""
        if name in through:
            loop = " -> ".join(f"common.{n}" for n in (*through[through.index(name):], name))
            raise _fail(self.where, chart, key, f"{{common.{name}}} fills itself ({loop}); a text cannot contain itself")
        return self._fill(self.common[name], extra, chart, f"common.{name}", local, (*through, name))

    def _fill(self, template: str, extra: dict, chart: str, key: str, local: dict, through: tuple) -> str:
        def one(m: re.Match) -> str:
            name = m.group(1).strip()
            if name in local:
                return str(local[name])
            if name.startswith("common.") and name[len("common."):] in self.common:
                return self._common(name[len("common."):], extra, chart, key, local, through)
            return self._table_field(name, extra, chart, key, through)
        text = FIELD.sub(one, template)
        if len(text) > MAX_FILLED:
            raise _fail(self.where, chart, key, f"fills to {len(text):,} characters; a filled text may be at most "
                                                f"{MAX_FILLED:,} (do common texts fill each other many times over?)")
        return text

    def fill(self, template: str, extra: dict | None = None, chart: str = "", key: str = "", **local) -> str:
        """The template with each field replaced; local names ({label}) come from the drawing code."""
        return self._fill(template, extra or {}, chart, key, local, ())

    def check(self, spec: ChartSpec) -> None:
        """Every table field of the entry names a row that exists (chart fields are checked when drawn)."""
        for key, value in (("title", spec.title), ("caption", spec.caption),
                           *spec.options.items()):
            for text in _strings(value):
                for name in FIELD.findall(text):
                    if name.split(".")[0] in ("claim", "event", "source", "common"):
                        self._table_field(name, {}, spec.id, key)
        for key in LIST_KEYS:
            for metric in spec.get(key) or []:
                if self.metrics and metric not in self.metrics:
                    raise _fail(self.where, spec.id, key, f"no metric {metric!r} in metrics.csv")
        self._check_ids(spec)

    def _check_ids(self, spec: ChartSpec) -> None:
        """Every event, claim and metric id the entry names outside its templates is in the tables."""
        named = [("window", "event", e, self.events) for e in (spec.get("window") or {}).values()]
        named += [("same_happening", "event", e, self.events)
                  for group in spec.get("same_happening") or [] for e in group["events"]]
        named += [("claim_labels", "claim", c, self.claims) for c in spec.get("claim_labels") or {}]
        for key, kind, ident, table in named:
            if ident not in table:
                raise _fail(self.where, spec.id, key, f"no {kind} {ident!r} in the tables")
