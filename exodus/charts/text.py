"""Titles, captions, alt text, source lines and citations for the charts, written from their rows."""
from __future__ import annotations

from exodus.charts.draw import UNIT_WORDS, number, value_text

TITLES = {
    "exodus_scale": "How many left: reported figures by destination",
    "mobilisation": "Men called up versus men who left",
    "timeline": "Timeline of events and of the reporting",
    "cost_of_leaving": "The cost of leaving, in rubles and pounds",
    "people": "The people whose stories the articles tell",
    "source_metric_grid": "Which source reports what",
}


def _figures(rows: list[dict]) -> str:
    return "; ".join(f"{r['label']}: {value_text(r)} {UNIT_WORDS.get(r['unit'], r['unit'])}".replace("\n", " ")
                     for r in rows)


def caption(fig_id: str, rows: list[dict], extra: dict) -> str:
    """One-paragraph caption saying what is drawn and how hedges are shown."""
    hedges = ("Bars end at the stated figure: a dashed arrow means the figure is a floor ('more than', "
              "'at least'), a black cap a ceiling ('nearly'), a hatched floating band a vague quantity drawn "
              "as the range its wording allows; orange hatched bars are derived in this report. Each panel "
              "is one metric; figures of different metrics never share an axis.")
    if fig_id == "exodus_scale":
        return ("Reported numbers of Russians who left after the 21 September 2022 mobilisation, by destination; "
                "totals (people) above, daily border crossings (people a day) below. " + hedges)
    if fig_id == "mobilisation":
        return ("The 300,000 men ordered to be called up and reported mobilised, the 1,000,000 the decrees "
                "reportedly allow, and the 'hundreds of thousands' of men who left Russia. " + hedges)
    if fig_id == "cost_of_leaving":
        return ("Money figures quoted with the outlets' own pound conversions, one axis per metric and "
                "currency, and the ruble-per-pound rate each conversion implies (derived). " + hedges)
    if fig_id == "timeline":
        return (f"Dated events from the articles ({extra.get('undated', 0)} further events have no resolvable "
                "date and are not shown) and each article's publication date or the window the text implies.")
    if fig_id == "people":
        return ("Every individual account: stated age (hollow marker where none is stated), status at the time "
                "of the article (colour and marker shape) and destination as written.")
    return "Number of claims each source contributes to each metric; blank cells have none."


def alt(fig_id: str, rows: list[dict]) -> str:
    """Alt text carrying the plotted numbers, so the chart reads without sight."""
    if fig_id in ("exodus_scale", "mobilisation", "cost_of_leaving"):
        return f"{TITLES[fig_id]}. Horizontal bars, one panel per metric. {_figures(rows)}."
    if fig_id == "timeline":
        events = "; ".join(f"{r['start']}{'' if r['end'] == r['start'] else ' to ' + r['end']}: {r['label']}"
                           for r in rows if r["lane"] == "event")
        pubs = "; ".join(f"{r['label']} published {r['start']}"
                         f"{'' if r['end'] == r['start'] else ' to ' + r['end']}{' or later' if r['open_end'] else ''}"
                         for r in rows if r["lane"] == "source")
        return f"Timeline. Events: {events}. Articles: {pubs}."
    if fig_id == "people":
        people = "; ".join(f"{r['name']}, {number(r['age']) if r['age'] is not None else 'age not stated'}, "
                           f"{r['status']}, {r['destination'] or 'no destination stated'}" for r in rows)
        return f"Dot chart of {len(rows)} individual accounts by age. {people}."
    cells = "; ".join(f"{r['outlet']} ({r['source_id']}): {r['metric_label']} {r['claims']}"
                      for r in rows if r["claims"])
    return f"Grid of sources by metrics with claim counts. Non-empty cells: {cells}."


def source_line(outlets: list[str], claim_ids: list[str], report: str, version: str, other: str = "") -> str:
    """The text printed at the bottom of every chart."""
    claims = ", ".join(claim_ids) if claim_ids else "none"
    extra = f" {other}" if other else ""
    return f"Sources: {'; '.join(outlets) or 'none'}. Claims: {claims}.{extra} {report}, version {version}."


def cite(fig_id: str, report: str, version: str, outlets: list[str]) -> str:
    """How to cite the figure."""
    return (f"{report} (version {version}), figure '{TITLES[fig_id]}' [{fig_id}], figures/{fig_id}.png. "
            f"Based on reporting by {', '.join(outlets) or 'unknown outlets'}.")
