"""One shared look for every chart: Okabe-Ito colours, DejaVu Sans, byte-stable output settings."""
from __future__ import annotations

import textwrap
from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow", "black")]
CLAIM = OKABE_ITO["blue"]        # a figure as the article states it
DERIVED = OKABE_ITO["orange"]    # a figure computed in this report (data/derived.csv)
VAGUE = OKABE_ITO["sky_blue"]    # a vague quantity drawn as the interval its wording allows
INK = "#222222"
MUTED = "#666666"
GRID = "#DDDDDD"
STATUS_STYLE = {  # colour and marker, so status reads without colour too
    "fled": (OKABE_ITO["vermillion"], "o"),
    "returned": (OKABE_ITO["blue"], "s"),
    "planning to leave": (OKABE_ITO["orange"], "^"),
    "cannot leave": (OKABE_ITO["purple"], "X"),
    "deserted": (OKABE_ITO["green"], "D"),
    "stayed": (OKABE_ITO["black"], "v"),
    "stays abroad": (OKABE_ITO["sky_blue"], "P"),
}
OTHER_STATUS = ("#999999", "o")  # a status added to the schema later still gets drawn and keyed
PRECISION_COLOUR = {"day": OKABE_ITO["blue"], "week": OKABE_ITO["green"], "month": OKABE_ITO["orange"],
                    "quarter": OKABE_ITO["purple"], "year": OKABE_ITO["sky_blue"]}

# Charts are drawn at the width the HTML shows them: the report's text column is 43.5rem = 696 CSS px,
# and a CSS inch is 96 px, so 7.25 in. Shown at 100%, a point is 96/72 CSS px: the smallest text
# (SMALL, 9 pt) is 12 px. PNGs carry twice the CSS pixels (192 dpi) so they stay sharp on dense screens.
# In the PDF a chart is scaled to the text column, PDF_COLUMN wide: SMALL prints at 9 × 5.76 / 7.25 = 7.2 pt.
CSS_PX_PER_INCH = 96
DPI = 2 * CSS_PX_PER_INCH
WIDTH = 7.25  # inches
# Heights are whole multiples of 1/64 in: 3 pixels at DPI, so every renderer makes the PNG the same
# whole number of pixels, and the size (a binary fraction) is written exactly in figures.json.
HEIGHT_STEP = 1 / 64
SMALL, MEDIUM, LARGE = 9.0, 9.5, 11.5  # points: every chart text is one of these, none smaller
MIN_PRINT_PT = 7.0  # no chart text in the PDF is smaller
LABEL_CHARS = 30  # bar labels wrap at this many characters
LABEL_LINES = 4   # and are cut to this many lines (the whole label is in the data download and alt text)
LINE_IN = 0.17    # inches a panel gives each line of its row labels
HEADING_CHARS = 70
TIMELINE_CHARS = 50
AXIS_TITLE_CHARS = 56  # a timeline lane's title spans its axis, about four inches
FONT = "DejaVu Sans"  # ships with matplotlib (and is given to typst), so every renderer has the glyphs
# The tallest chart: at the PDF's column width it prints 6.4 in tall, within the room typst leaves a
# figure beside its caption on one page (about 6.5 in), so typst never shrinks it below the width scale.
# Drawings summarise (top N, the rest counted) to stay within it.
MAX_HEIGHT = 8.0
PDF_COLUMN = 8.27 - 2 * 1.25  # inches: an A4 page less the typst template's 1.25 in side margins
FOOTER_SIZE = SMALL
FOOTER_CHARS_PER_INCH = 13.7  # DejaVu Sans at 9 pt averages ~5.2 pt a character
LEGEND_ROW_IN = 0.24
VALUE_CHARS = 60   # a bar's value label wraps at this many characters
LABEL_ROOM = 1.9   # an axis runs to this many times its longest bar, leaving room for the label
LABEL_GAP_PT = 4   # a value label starts this far right of its bar's end
EDGE_PT = 2.0      # no text comes closer than this to the figure's edges
TICKS = 5          # at most this many value ticks on an axis
LEGEND_COLS = 2    # columns of a chart's key
COMPACT = False    # ticks as 500k and 1m rather than 500,000 and 1,000,000
NAME_CHARS = 60    # a person's name and outlet wrap at this many characters
PANEL_TITLE_CHARS = 70  # a panel's title wraps at this many characters
ROW_STRETCH = 1.0  # rows of a fixed-height panel grow by this factor, where labels wrap to more lines


# The narrow rendering a phone shows instead (the HTML swaps it in below 46rem): 4 in is 384 CSS px, so
# on a 390 px screen the chart fills the width and SMALL is about 12 CSS px. Texts wrap sooner, and the
# chart may run taller, since a phone scrolls down, never sideways.
NARROW_DPI = 3 * CSS_PX_PER_INCH // 2  # 1.5 pixels a CSS pixel: sharp on a phone, a third of the bytes of 2x
NARROW = {"WIDTH": 4.0, "LABEL_CHARS": 16, "HEADING_CHARS": 36, "TIMELINE_CHARS": 22, "AXIS_TITLE_CHARS": 30,
          "MAX_HEIGHT": 12.0, "VALUE_CHARS": 16, "LABEL_ROOM": 2.6, "TICKS": 3, "LEGEND_COLS": 1, "COMPACT": True,
          "NAME_CHARS": 22, "PANEL_TITLE_CHARS": 28, "ROW_STRETCH": 1.6, "LABEL_LINES": 5,
          "LINE_IN": 0.21}


@contextmanager
def narrow():
    """Draw at the phone's width for the duration of a block: every size the drawings read from this
    module is swapped for its narrow value and restored after."""
    saved = {name: globals()[name] for name in NARROW}
    globals().update(NARROW)
    try:
        yield
    finally:
        globals().update(saved)


def rc() -> dict:
    """rcParams of the theme, including what makes PNG and SVG bytes reproducible."""
    params = {}
    params.update(sns.axes_style("whitegrid"))
    params.update(sns.plotting_context("paper", font_scale=1.1))
    params.update({
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.titlesize": MEDIUM,
        "axes.labelsize": SMALL,
        "xtick.labelsize": SMALL,
        "ytick.labelsize": SMALL,
        "legend.fontsize": SMALL,
        "legend.title_fontsize": SMALL,
        "font.size": SMALL,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "grid.color": GRID,
        "text.color": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "svg.hashsalt": "exodus-report",  # fixed ids inside the SVG instead of random ones
        "svg.fonttype": "none",  # real, searchable text in the SVG (and so in the PDF), set in FONT
        "path.simplify": False,
        "axes.formatter.use_locale": False,
        "text.parse_math": False,  # data text is shown as written: "$5 to $10" is never mathtext
    })
    return params


@contextmanager
def style():
    """Apply the theme for the duration of a block (chart creation and saving)."""
    with plt.rc_context(rc()):
        yield


def figure(height_in: float):
    """A chart's figure: the report's width, about height_in tall (never over MAX_HEIGHT), laid out by
    constrained layout."""
    height = round(min(height_in, MAX_HEIGHT) / HEIGHT_STEP) * HEIGHT_STEP
    return plt.figure(figsize=(WIDTH, height), layout="constrained")


def wrap(text: str, width_in: float, chars_per_inch: float = FOOTER_CHARS_PER_INCH) -> str:
    """Wrap footer text to the figure width."""
    return "\n".join(textwrap.wrap(text, width=max(20, int(width_in * chars_per_inch)), break_on_hyphens=False))


def add_footer(fig, text: str) -> None:
    """Print the source line at the bottom of the figure and keep the layout clear of it."""
    width, height = fig.get_size_inches()
    wrapped = wrap(text, width - 0.3)
    lines = wrapped.count("\n") + 1
    footer_in = 0.12 + lines * FOOTER_SIZE * 1.3 / 72
    fig.text(0.01, 0.012, wrapped, ha="left", va="bottom", fontsize=FOOTER_SIZE, color=MUTED,
             gid="source_line", linespacing=1.25)
    # A figure-level key (if any) sits just above the source line, in space kept free for it.
    for legend in fig.legends:
        legend.set_bbox_to_anchor((0.5, footer_in / height), transform=fig.transFigure)
    rows = sum(-(-len(lg.get_texts()) // max(1, lg._ncols)) + bool(lg.get_title().get_text()) for lg in fig.legends)
    reserved = footer_in + (0.1 + LEGEND_ROW_IN * rows if fig.legends else 0.0)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, reserved / height, 1, 1 - reserved / height))
        settled = False
        for _ in range(FIT_ROUNDS):  # each round lays the figure out again around the texts it refitted
            fig.draw_without_rendering()
            if not make_room(fig):
                settled = True
                break
        freeze_layout(fig, laid_out=settled)
    else:
        fig.subplots_adjust(bottom=reserved / height + 0.08)


FIT_ROUNDS = 3


def make_room(fig) -> bool:
    """Refit, on a laid-out figure, what would reach past its right edge: an axis label is wrapped to the
    room it has, and an axis whose value labels run past it is widened (its shared panels with it) until
    each label ends inside it. True when anything changed, so the layout is run again."""
    renderer, edge = fig.canvas.get_renderer(), fig.bbox.x1 - EDGE_PT * fig.dpi / 72
    changed = False
    for ax in fig.axes:
        label = ax.xaxis.label
        box = label.get_window_extent(renderer)
        if label.get_text() and box.x1 > edge:
            lines = label.get_text().split("\n")
            chars = max(10, int(max(map(len, lines)) * (edge - box.x0) / box.width) - 1)
            label.set_text("\n".join(textwrap.fill(line, chars) for line in lines))
            changed = True
        changed |= _widen(ax, renderer, min(edge, ax.bbox.x1))
    return changed


def _widen(ax, renderer, limit: float) -> bool:
    """Widen an axis' value range so that its left-aligned value labels end before `limit` (pixels)."""
    lo, hi = ax.get_xlim()
    width, need = ax.bbox.width, hi - lo
    for text in ax.texts:
        if not (str(text.get_gid() or "").endswith(":label") and text.get_horizontalalignment() == "left"
                and hasattr(text, "xy")):
            continue
        box = text.get_window_extent(renderer)
        if box.x1 <= limit:
            continue
        anchor = ax.transData.transform(text.xy)[0]
        room = limit - ax.bbox.x0 - (box.x0 - anchor) - box.width  # pixels left for the bar itself
        if room > 0 and text.xy[0] > lo:
            need = max(need, width * (text.xy[0] - lo) / room)
    if need <= hi - lo:
        return False
    ax.set_xlim(lo, lo + need * 1.01)
    return True


def freeze_layout(fig, digits: int = 4, laid_out: bool = False) -> None:
    """Run constrained layout once, round the axes positions and switch the engine off.

    The layout solver's float noise differs between processes (it hashes by memory
    address), which made SVG clip-path ids differ from run to run; rounded, fixed
    positions make every save of the figure byte-identical. The layout needs text
    extents only, so the figure is laid out without rasterising a single glyph;
    laid_out: it was just laid out, with nothing changed since (a third of a chart's drawing time).
    """
    if not laid_out:
        fig.draw_without_rendering()
    boxes = [(ax, ax.get_position()) for ax in fig.axes]
    fig.set_layout_engine("none")
    for ax, b in boxes:
        ax.set_position([round(b.x0, digits), round(b.y0, digits), round(b.width, digits), round(b.height, digits)])


def clip(text: str, width: int, lines: int = 2) -> str:
    """Text wrapped at width characters and cut to `lines` lines, the cut marked with an ellipsis (the
    whole text stays in the chart's data download and alt text)."""
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][:width - 1].rstrip(" ,;:") + "…"
    return "\n".join(wrapped)


def fill(text: str, width: int) -> str:
    """Each line of a text wrapped at width characters (line breaks the text has are kept)."""
    return "\n".join(textwrap.fill(part, width) for part in text.split("\n"))


def title(fig, text: str) -> None:
    """The chart's title, the same words the report's caption and citations give, wrapped to the width."""
    fig.suptitle(textwrap.fill(text, HEADING_CHARS), x=0.01, ha="left", fontsize=LARGE, fontweight="bold",
                 gid="title")


def tick_format():
    """The tick labeller for an axis drawn now: compact (1m, 500k) when drawing narrow. Bound when the
    axis is drawn, so saving the figure later formats its ticks the same way."""
    compact = COMPACT
    return lambda x, _pos=None: thousands(x, compact=compact)


def thousands(x, _pos=None, compact: bool = False) -> str:
    """Axis tick label: 1,000,000 style, no scientific notation; 1m and 500k when compact."""
    if compact and abs(x) >= 1000:
        for size, suffix in ((1e6, "m"), (1e3, "k")):
            if abs(x) >= size:
                return f"{x / size:,.4g}{suffix}"
    return f"{x:,.0f}"
