"""Generate the evidence: a page per source (claims, people, events, quoted passages), derived figures, an index;
and the report's own includes (disagreements, figure table, figure notes)."""
from __future__ import annotations

import csv
import functools
import hashlib
from pathlib import Path

from exodus import parallel, paths
from exodus.model import citations, wording
from exodus.model.mdsafe import escape, ident, literal, url_link
from exodus.model.numbers import rounding_bounds
from exodus.model.vocabulary import outlet_credit
from exodus.report import evidence, evidence_index, figure_notes, figure_table, source_view
from exodus.report.evidence import Uses, Where

SEP = " · "
# The pages and includes are made side by side in forked processes from this many (at 500 articles the
# stage took 2.1 s instead of 3.4 s on two cores); below it a process costs more than it saves.
PARALLEL_FROM = 40
INCLUDES = "_generated"  # the report's generated includes, by path from the project root


def field(label: str, value_md: str) -> str:
    """'Label: value' with the label styled; empty when the value is empty."""
    return f"[{label}:]{{.field-label}} {value_md}" if value_md else ""


def join(*parts: str) -> str:
    return SEP.join(p for p in parts if p)


def id_link(kind: str, key: str, w: Where) -> str:
    """A link to another entry, on this page or another, showing its id."""
    return f"[{escape(key)}]({w.href(kind, key)})"


def backlinks(kind: str, key: str, found: Uses) -> str:
    """Links to every use of the figure in the report, each landing on the figure itself."""
    return f"[{evidence.backlinks(kind, key, found, '../' + evidence.REPORT)}]{{.backlinks}}"


def outlet_text(source: dict) -> str:
    """The outlet credit ('AFP via Hyrra'), else the outlet the text credits (saying so), else 'outlet unknown'."""
    shown = source.get("outlet_shown") or "unknown"
    original = source.get("original_outlet") or "unknown"
    if shown != "unknown":
        return outlet_credit(source)  # one wording of a credit everywhere: "AFP via Hyrra"
    if original != "unknown":
        how = "named in the text" if source.get("original_outlet_basis") == "stated" else "inferred from the text"
        return f"{original} ({how}; page shows no outlet)"
    return "outlet unknown"


def date_text(source: dict) -> str:
    """Publication date, or the window the text allows, or 'date unknown'."""
    if source.get("published"):
        return wording.date_text(source["published"])
    window = wording.date_range(source.get("published_not_before"), source.get("published_not_after"))
    return f"date not printed ({window})" if window else "date unknown"


def source_label(source: dict | None) -> str:
    """Outlet and date spans the tooltip script reads (class names are its contract)."""
    if source is None:
        return literal("source not in the sources table", "claim-outlet")
    return f"{literal(outlet_text(source), 'claim-outlet')}, [{escape(date_text(source))}]{{.claim-date}}"


def context_link(kind: str, key: str, found: set[str]) -> str:
    """Link to the quote in its article, when the source view has it."""
    anchor = source_view.anchor(kind, key)
    return f"[quote in context](#{anchor})" if anchor in found else ""


def entry(kind: str, key: str, lines: list[str]) -> str:
    """A fenced div anchored at #<kind>-<id>, one paragraph per non-empty line."""
    body = "\n\n".join(line for line in lines if line)
    return f"::: {{#{kind}-{ident(key)} .entry .{kind}-entry}}\n{body}\n:::\n"


def quote_block(quote: str, cls: str) -> str:
    return f"> “{literal(quote, cls)}”"


def cite_field(line: str) -> str:
    """The ready citation line of an entry, copied whole by the popup's Copy button."""
    return literal(line, "cite-line")


def claim_bounds(c: dict) -> str:
    """Bounds as the wording implies them; an "about" figure shows the range its rounding allows."""
    if c.get("hedge") != "about":
        return wording.bounds_text(c.get("low"), c.get("high"))
    low, high = c.get("low"), c.get("high")
    if low is None and high is None:
        low, high = rounding_bounds(c.get("number_text") or "") or (None, None)
    return f"{wording.bounds_text(low, high)} (rounding of the figure as written)"


def claim_entry(c: dict, sources: dict, metrics: dict, found: set[str], ed: citations.Edition, w: Where | None = None,
                uses: Uses | None = None) -> str:
    w, uses = w or Where({}), uses or Uses()
    metric = metrics.get(c["metric"])
    competing = [id_link("claim", k, w) for k in (c.get("competes_with") or "").split(";") if k]
    period = join(literal(c.get("period_text") or ""),
                  escape(" to ".join(p for p in (c.get("period_start"), c.get("period_end")) if p)))
    return entry("claim", c["id"], [
        join(f"**{escape(c['id'])}**", f"[{escape(wording.claim_text(c))}]{{.entry-figure}}",
             literal(metric["label"]) if metric else escape(c["metric"])),
        quote_block(c["quote"], "claim-quote"),
        join(field("Source", source_label(sources.get(c["source_id"]))),
             f"[@{ident(c['source_id'])}]", context_link("claim", c["id"], found)),
        join(field("Hedge", escape(c["hedge"])),
             field("Bounds", escape(claim_bounds(c))),
             field("Value", escape(wording.number(c.get("value"))) if c.get("value") is not None else "none stated"),
             field("Unit", escape(c["unit"]))),
        join(field("Counts", literal(metric["counts"]) if metric else ""),
             field("Subject", literal(c["subject"])), field("Place", literal(c.get("place") or ""))),
        join(field("Period", period),
             field("Attributed to", literal(c["attributed_to"])), field("Speaker", escape(c["attribution_type"]))),
        join(field("Status", escape(c["status"])),
             field("Contrasted with" if c["status"] == "contrast" else "Competes with", ", ".join(competing))),
        field("Notes", literal(c.get("notes") or "")),
        field("Used in", backlinks("claim", c["id"], uses)),
        cite_field(citations.claim_line(c, sources.get(c["source_id"]), ed)),
    ])


def derived_entry(d: dict, claims: dict, people: dict, sources: dict, ed: citations.Edition, w: Where | None = None,
                  uses: Uses | None = None) -> str:
    w, uses = w or Where({}), uses or Uses()
    inputs = []
    for k in d["claim_ids"]:
        c = claims.get(k)
        quote = f" “{literal(c['quote'], 'claim-quote')}” ({source_label(sources.get(c['source_id']))})" if c else ""
        inputs.append(f"- {id_link('claim', k, w)}{quote}")
    # People counts rest on many accounts: list who, not every quote (each entry has it).
    who = [f"[{escape(people[k]['name'] if k in people else k)}]({w.href('person', k)})" for k in d.get("people_ids", [])]
    return entry("derived", d["id"], [
        join(f"**{escape(d['id'])}**", f"[{escape(wording.derived_text(d))}]{{.entry-figure}}",
             escape(d["metric"])),
        field("What it is", literal(d["description"], "derived-description")),
        field("Formula", literal(d["formula"], "mono derived-formula")),
        join(field("Hedge", escape(d["hedge"] or "exact")),
             field("Bounds", escape(wording.bounds_text(d["low"], d["high"]))),
             field("Sources", "; ".join(f"[@{ident(s)}]" for s in d["source_ids"]))),
        "[Claims used:]{.field-label}\n\n" + "\n".join(inputs) if inputs else "",
        field("People counted", ", ".join(who)),
        field("Used in", backlinks("derived", d["id"], uses)),
        cite_field(citations.derived_line(d, claims, sources, ed)),
    ])


def person_entry(p: dict, sources: dict, found: set[str], w: Where | None = None) -> str:
    w = w or Where({})
    age = p.get("age_text") or (str(p["age"]) if p.get("age") is not None else "")
    if p.get("age_basis") == "inferred":
        age = f"{p['age']} (inferred: {p.get('age_text') or ''})"
    role = (f"companion of {id_link('person', p['companion_of'], w)}, not counted as an account"
            if p.get("companion_of") else "account")
    return entry("person", p["id"], [
        join(f"**{literal(p['name'])}**", literal(p.get("name_note") or ""), escape(p["status"]),
             "deserted" if p.get("deserted") == "yes" else "", role),
        join(field("Age", literal(age)), field("Occupation", literal(p.get("occupation") or "")),
             field("From", literal(p.get("origin") or "")), field("To", literal(p.get("destination") or ""))),
        field("Route", literal(p.get("route") or "")),
        quote_block(p["quote"], "claim-quote"),
        join(field("Source", source_label(sources.get(p["source_id"]))), f"[@{ident(p['source_id'])}]",
             context_link("person", p["id"], found)),
        field("Notes", literal(p.get("notes") or "")),
    ])


def event_entry(e: dict, sources: dict, found: set[str], ed: citations.Edition, uses: Uses | None = None) -> str:
    uses = uses or Uses()
    return entry("event", e["id"], [
        join(f"**{escape(wording.event_text(e))}**", literal(e["event"], "event-what")),
        join(field("Dated by", literal(e.get("date_text") or "")), field("Precision", escape(e["date_precision"])),
             field("Basis", escape(e["date_basis"])), field("Anchor", literal(e.get("anchor") or ""))),
        quote_block(e["quote"], "claim-quote"),
        join(field("Source", source_label(sources.get(e["source_id"]))), f"[@{ident(e['source_id'])}]",
             context_link("event", e["id"], found)),
        field("Notes", literal(e.get("notes") or "")),
        field("Used in", backlinks("event", e["id"], uses)),
        cite_field(citations.event_line(e, sources.get(e["source_id"]), ed)),
    ])


def source_entry(s: dict, counts: dict) -> str:
    known = lambda v: literal(v) if v and v != "unknown" else "*unknown*"  # noqa: E731
    window = wording.window_text(s.get("published_not_before"), s.get("published_not_after"))
    return entry("source", s["id"], [
        join(f"**{escape(s['id'])}**", literal(s["title"], "source-title")),
        join(field("Outlet shown", known(s.get("outlet_shown"))),
             field("Original outlet", f"{known(s.get('original_outlet'))} ({escape(s['original_outlet_basis'])})")),
        field("Author", known(s.get("author"))),
        join(field("Published", escape(s.get("published") or "not stated")),
             field("Basis", escape(s["published_basis"])), field("Window", escape(window))),
        field("How dated", literal(s.get("published_note") or "")),
        join(field("Language", escape(s["language"])), field("URL", url_link(s.get("url") or ""))),
        join(field("File", literal(s["path"], "mono")), field("SHA-256", literal(s["sha256"], "mono"))),
        field("Notes", literal(s.get("notes") or "")),
        join(f"[Quoted passages in context](#source-text-{ident(s['id'])})",
             f"{counts.get(s['id'], 0)} claims"),
    ])


def read_discrepancies(path: Path | None = None) -> list[dict]:
    """Rows of build/discrepancies.csv written by the derive stage (none when it has not run)."""
    path = path or paths.BUILD / "discrepancies.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def story_link(label: str, kind: str, key: str, w: Where) -> str:
    """A link from the report to an entry: in-document (the PDF's figure table) with the evidence page
    beside it, which the report's filter makes the link's target in the HTML."""
    page = w.href(kind, key).split("#", 1)[0]
    attr = f'{{data-evidence="{page}"}}' if page else ""
    return f"[{escape(label)}](#{kind}-{ident(key)}){attr}"


# What a row of build/discrepancies.csv is, said to a reader; the row's own description (with ids) stays
# in the CSV for those who check it.
DISCREPANCY_WORDS = {"contrast": "Two kinds of quantity side by side, not a disagreement",
                     "derived_figures_disagree": "Two derived figures of one quantity whose ranges cannot overlap",
                     "derived_contradicts_claim": "A derived figure whose range cannot overlap a reported one"}
DISAGREE = "Two figures of one quantity whose ranges, rounding included, cannot overlap"
SHOWN_DISCREPANCIES = 12  # of each kind in the report; past it, the rest are listed on their own page


def _discrepancy_items(found: list[dict], claims: dict, derived: dict, sources: dict, w: Where) -> list[str]:
    out = []
    for d in found:
        cids = [x for x in d.get("claim_ids", "").split(";") if x in claims]
        dids = [x for x in d.get("derived_ids", "").split(";") if x in derived]
        outlets = sorted({source_label(sources.get(claims[c]["source_id"])) for c in cids})
        out.append(f"- {escape(DISCREPANCY_WORDS.get(d.get('kind'), DISAGREE))}"
                   + (f", from {'; '.join(outlets)}" if outlets else "") + ":")
        for cid in cids:
            c = claims[cid]
            out.append(f"    - {story_link(c.get('subject') or cid, 'claim', cid, w)}: "
                       f"[{escape(wording.claim_text(c))}]{{.entry-figure}} ({literal(c['attributed_to'])})")
        for did in dids:
            out.append(f"    - {story_link(citations.derived_counts(derived[did]), 'derived', did, w)}: "
                       f"[{escape(wording.derived_text(derived[did]))}]{{.entry-figure}} (derived by this report)")
        out.append("")
    return out


def disagreements(found: list[dict], claims: dict, derived: dict, sources: dict, w: Where,
                  shown: int | None = None) -> str:
    """The recorded disagreements, then the contrasts, with the claims and derived figures each sets side by
    side: every one, or the first `shown` of each kind and a count of the rest, which the disagreements page
    lists (so the report's section, its table of figures and its notes stay one size at any number of articles)."""
    conflicts, contrasts = _kinds(found)
    out = _discrepancy_items(conflicts[:shown], claims, derived, sources, w) if conflicts else [
        "No two claims or derived figures were found to disagree: in every pair that measures one quantity, "
        "the intervals their wording and rounding allow overlap.", ""]
    out += _more(len(conflicts) - len(conflicts[:shown]), "disagreements")
    if contrasts:
        out += ["Contrasts, two different kinds of quantity set side by side (not disagreements):", ""]
        out += _discrepancy_items(contrasts[:shown], claims, derived, sources, w)
        out += _more(len(contrasts) - len(contrasts[:shown]), "contrasts")
    return "\n".join(out)


def _grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    """Rows by the value of one field, each group in table order."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def named_first(found: list[dict], report_text: str) -> list[dict]:
    """Discrepancies setting side by side a figure the narrative names first, each group in recorded order:
    a sentence about one ("listed there as a contrast") stays true of the shortened list in the report."""
    named = {key for _, key in figure_table.used(report_text)}
    told = lambda d: bool(named & set(f"{d.get('claim_ids', '')};{d.get('derived_ids', '')}".split(";")) - {""})
    return [d for d in found if told(d)] + [d for d in found if not told(d)]


def _kinds(found: list[dict]) -> tuple[list[dict], list[dict]]:
    """(disagreements, contrasts), each in the order recorded."""
    return [d for d in found if d.get("kind") != "contrast"], [d for d in found if d.get("kind") == "contrast"]


def _more(left: int, what: str) -> list[str]:
    """The line that says there are items the report does not list: a link in the HTML, words elsewhere. (It
    gives no count: every numeral the report prints is one a data file states; the page lists them all.)"""
    if left <= 0:
        return []
    page = f"{evidence.DIR}/{evidence.DISAGREEMENTS_PAGE}"
    return [f"[These are the first {what}; every one is listed on [the disagreements page]({page}), with links to "
            f"its figures' entries.]{{.content-visible when-format=\"html\"}}[These are the first {what}; every "
            f"one is listed on the disagreements page of the HTML edition.]{{.content-hidden when-format=\"html\"}}",
            ""]


def disagreements_page(found: list[dict], claims: dict, derived: dict, sources: dict, w: Where) -> str:
    """evidence/disagreements.qmd: every disagreement and contrast, the list the report shortens."""
    here = evidence.DISAGREEMENTS_PAGE
    return "\n\n".join([evidence.front("What the sources disagree on",
                                       "Every disagreement and contrast between the articles' figures"),
                         evidence.page_nav(here), "",
                         disagreements(found, claims, derived, sources, w.at(here))])


def verify_text(source: dict, data: bytes) -> str:
    """Source text, refusing one whose bytes no longer match the curated checksum."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != source["sha256"]:
        raise ValueError(f"data/{source['path']}: sha256 {digest} does not match sources.csv "
                         f"({source['sha256']}); quotes and anchors would drift")
    return data.decode("utf-8")


def section(title: str, anchor: str, entries: list[str]) -> str:
    return f"## {title} {{#{anchor}}}\n\n" + "\n".join(entries) if entries else ""


def source_page(s: dict, text: str, rows: dict[str, list[dict]], ctx: dict) -> str:
    """Everything one article supplies: its record, its claims, people and events, its quoted passages."""
    w, found, uses, ed, sources = ctx["where"].at(evidence.page("source", s)), ctx["found"], ctx["uses"], ctx["ed"], ctx["sources"]
    items = [(k, r) for k in ("claim", "person", "event") for r in rows[k]]
    parts = [evidence.front(s["title"], "Evidence from one article: its figures, people, events and quoted passages"),
             evidence.page_nav(evidence.page("source", s)), "",
             "## The article {#the-article}\n\n" + source_entry(s, {s["id"]: len(rows["claim"])}),
             section("Claims", "claims", [claim_entry(c, sources, ctx["metrics"], found, ed, w, uses)
                                           for c in sorted(rows["claim"], key=lambda c: c["id"])]),
             section("People", "people", [person_entry(p, sources, found, w) for p in rows["person"]]),
             section("Events", "events", [event_entry(e, sources, found, ed, uses) for e in
                                          sorted(rows["event"], key=lambda e: (e.get("date") or "9999", e["id"]))]),
             source_view.source_section(s, text, items, source_label(s), level=2, lead=source_view.intro()),
             evidence.REFERENCES]
    return "\n\n".join(p for p in parts if p)


def derived_page(derived: list[dict], t: dict, ctx: dict) -> str:
    w = ctx["where"].at(evidence.DERIVED_PAGE)
    claims, people = {c["id"]: c for c in t["claims"]}, {p["id"]: p for p in t["people"]}
    entries = [derived_entry(d, claims, people, ctx["sources"], ctx["ed"], w, ctx["uses"]) for d in derived]
    return "\n\n".join([evidence.front("Derived figures", "Computed by this report from the articles' figures; no article states them"),
                         evidence.page_nav(evidence.DERIVED_PAGE), "",
                         "\n".join(entries) or "No derived figures were computed for this build.", evidence.REFERENCES])


def build(t: dict, texts: dict[str, str], derived: list[dict], discrepancies: list[dict] = (),
          ed: citations.Edition | None = None, report_text: str = "") -> dict[str, str]:
    """Every generated file, keyed by its path from the project root: the report's includes under
    _generated/ and the evidence pages under evidence/."""
    ed = ed or citations.Edition("this report", "unversioned")
    sources = {s["id"]: s for s in t["sources"]}
    claims = {c["id"]: c for c in t["claims"]}
    w = evidence.where(t, derived)
    found = {source_view.anchor(kind, r["id"]) for kind, table in evidence.ROW_KINDS.items() for r in t[table]}
    ctx = {"where": w, "found": found, "uses": evidence.uses(report_text), "ed": ed, "sources": sources,
           "metrics": {m["id"]: m for m in t["metrics"]}}
    by_id = {d["id"]: d for d in derived}
    discrepancies = named_first(discrepancies, report_text)
    by_source = {k: _grouped(t[table], "source_id") for k, table in evidence.ROW_KINDS.items()}

    def includes() -> dict[str, str]:
        disagreed = disagreements(discrepancies, claims, by_id, sources, w, SHOWN_DISCREPANCIES)
        story = report_text + "\n" + disagreed  # the narrative and the discrepancy list link to these figures
        made = {f"{INCLUDES}/_disagreements.md": disagreed,
                f"{INCLUDES}/_figure-table.md": figure_table.build(story, claims, by_id,
                                                                  {e["id"]: e for e in t["events"]}, sources, ed),
                f"{INCLUDES}/_figure-notes.md": figure_notes.build(story, t, derived, sources, ed, source_label)}
        if any(len(kind) > SHOWN_DISCREPANCIES for kind in _kinds(discrepancies)):  # the report lists some only
            made[f"{evidence.DIR}/{evidence.DISAGREEMENTS_PAGE[:-5]}.qmd"] = disagreements_page(
                discrepancies, claims, by_id, sources, w)
        return made

    def source(s: dict) -> dict[str, str]:
        rows = {k: by_source[k].get(s["id"], []) for k in evidence.ROW_KINDS}
        return {f"{evidence.DIR}/{evidence.page('source', s)[:-5]}.qmd": source_page(s, texts[s["id"]], rows, ctx)}

    made = [includes, lambda: {f"{evidence.DIR}/{evidence.DERIVED_PAGE[:-5]}.qmd": derived_page(derived, t, ctx)},
            lambda: {f"{evidence.DIR}/{evidence.INDEX_PAGE[:-5]}.qmd": evidence_index.build(t, derived, w)},
            *(functools.partial(source, s) for s in t["sources"])]
    return {name: text for files in parallel.mapped(lambda make: make(), made, PARALLEL_FROM)
            for name, text in files.items()}
