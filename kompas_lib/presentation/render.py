"""The renderer: with :mod:`.svgwriter` (a drawn figure as SVG) the only code in the workbook that touches
matplotlib.

Section builders describe a figure as a typed specification (:mod:`kompas_lib.analysis.figures`);
:func:`draw` turns it into a matplotlib figure in one house style:

* colour-blind-safe palette (Okabe–Ito), the focus region always in the same dark blue;
* the title states the finding; the caption gives source and period;
* Dutch number formats on the axes; no chart junk; readable when printed in black and white
  (markers differ per series).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MPath
from matplotlib.ticker import AutoLocator, FuncFormatter, MaxNLocator, NullFormatter, ScalarFormatter

from kompas_lib.analysis.figures import FigureSpec
from kompas_lib.core import fmt
from kompas_lib.presentation.svgwriter import to_svg

FOCUS = "#0B4F8A"
PALETTE = ["#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
MARKERS = ["s", "^", "D", "v", "P", "X", "*"]

STYLE = {
    "figure.figsize": (8.0, 4.2),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    # the title just above the axes; left automatic, matplotlib measures every tick label of every figure to
    # see whether the title must move up past top ticks, which these figures do not have (same figures, less time)
    "axes.titley": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    # figures are SVG with real text: the reader's browser sets it in the first of these fonts it has
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "svg.fonttype": "none",
    "svg.hashsalt": "kompas",  # ids inside a figure from its content: the same figure gives the same bytes
}


def axis_formatter(decimals: int = 0, suffix: str = "") -> FuncFormatter:
    """A tick formatter with Dutch decimals (1.234,5)."""
    return FuncFormatter(lambda v, _pos: f"{fmt.number(v, decimals)}{suffix}")


def value_ticks(axis, top, percent: bool) -> None:
    """Ticks of a value axis whose largest value is ``top``: one decimal for percentages below 5, else whole
    numbers only (a tick at 2,5 labelled '2' would mislead), in Dutch format, with ' %' for percentages."""
    decimals = 1 if percent and pd.notna(top) and top < 5 else 0
    if decimals == 0:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(axis_formatter(decimals, " %" if percent else ""))


def _breaks(ax, breaks) -> None:
    """A thin dashed line, labelled at the top, at each (x, label) where a series changes source."""
    for at, label in breaks or []:
        ax.axvline(at, color="#888888", linestyle=(0, (2, 2)), linewidth=1, zorder=1)
        ax.annotate(label, xy=(at, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", fontsize=8, color="#555555", va="top")


def use_style() -> None:
    plt.rcParams.update(STYLE)


CAPTION_CHARS = 130  # characters of an 8-point caption line across the 8-inch figure


def add_caption(fig, caption: str) -> None:
    """The source line under the figure, wrapped by characters (matplotlib's own wrapping measures the
    text again for every word: a third of a figure's drawing time)."""
    fig.text(0.01, 0.01, textwrap.fill(caption, CAPTION_CHARS), ha="left", va="bottom", fontsize=8,
             color="#555555")


def trend(data: pd.DataFrame, *, title: str, caption: str, focus: str, ylabel: str,
          percent: bool = True, x: str = "period_start", y: str = "value", series: str = "region_name",
          order: list[str] | None = None, breaks: list | None = None):
    """Line chart of one indicator over time, one line per region; ``focus`` is drawn darkest.
    ``breaks``: (x, label) pairs where the series changes source, drawn as a thin vertical line.

    ``data``: long frame with columns ``x``, ``y`` and ``series``. Missing values leave gaps.
    ``order`` fixes the sequence (and so the colour) of the series, the same in every figure.
    """
    use_style()
    fig, ax = _canvas("trend")
    names = list(order) if order else list(dict.fromkeys(data[series]))
    others = [n for n in names if n != focus]
    for i, name in enumerate([focus, *others]):
        d = data[data[series] == name].sort_values(x)
        if d.empty:
            continue
        is_focus = name == focus
        ax.plot(d[x], d[y], label=name, color=FOCUS if is_focus else PALETTE[(i - 1) % len(PALETTE)],
                linewidth=2.6 if is_focus else 1.6, marker="o" if is_focus else MARKERS[(i - 1) % len(MARKERS)],
                markersize=5 if is_focus else 4, zorder=3 if is_focus else 2)
    _breaks(ax, breaks)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    top_value = data[y].max()
    # an all-zero (or empty) series still gets a readable axis from 0 up, never ticks like '−0,050'
    ax.set_ylim(0, top_value * 1.12 if pd.notna(top_value) and top_value > 0 else 1)
    value_ticks(ax.yaxis, top_value, percent)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.75)
    add_caption(fig, caption)
    return fig


_KEPT: dict = {}  # what svg_of reuses (see _reused) -> the figure it drew last of that sort, emptied for the next
_REUSING: list = []  # while svg_of draws: the sort of figure it may reuse


def _canvas(kind: str):
    """A new figure with one axes; while :func:`svg_of` draws, the figure it drew last of this sort, emptied."""
    key = _REUSING[0] if _REUSING else None
    if _KEPT.get(key) is None:
        fig, ax = plt.subplots()
        if key is not None:
            _KEPT[key] = fig
        return fig, ax
    _emptied(_KEPT[key], _KEPT[key].axes[0], kind)
    return _KEPT[key], _KEPT[key].axes[0]


def _reused(spec: FigureSpec):
    """Which kept figure a specification may be drawn on: funnels on funnels, bars on bars, trends over dates on
    trends over dates, over numbers on those over numbers; None (a new figure) for the rest — an axis of texts
    (categories) keeps every category it has seen."""
    if spec.kind in ("funnel", "bars"):
        return (spec.kind,)
    x = spec.data[spec.x] if spec.kind == "trend" and spec.x in spec.data else None
    if x is None or not x.notna().any():  # nothing drawn: a new axes has no units, a kept one would keep them
        return None
    if pd.api.types.is_datetime64_any_dtype(x) and getattr(x.dt, "tz", None) is None:
        return ("trend", "dates")
    if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
        return ("trend", "numbers")
    return None


def _emptied(fig, ax, kind: str) -> None:
    """A drawn figure as :func:`plt.subplots` makes it, but for the tick objects its axes made while drawing
    (drawn again at new places with new texts; making them was about a third of drawing a trend)."""
    for container in list(ax.containers):  # a bar chart's bars (its patches with them)
        container.remove()
    for artist in [*ax.lines, *ax.texts, *ax.collections, *ax.patches]:
        artist.remove()
    for artist in [ax.get_legend(), *fig.texts]:
        if artist is not None:
            artist.remove()
    ax.relim()  # no data: the next lines set the limits, as on a new axes
    ax.set_autoscale_on(True)
    if kind == "funnel":  # its x-axis may have been logarithmic (a trend's keeps the units of its sort)
        ax.set_xscale("linear")
    if kind == "bars":  # bars turn the y-axis upside down, and their values lie along the x-axis
        ax.yaxis.set_inverted(False)
        ax.xaxis.set(major_locator=AutoLocator(), major_formatter=ScalarFormatter())
    ax.yaxis.set(major_locator=AutoLocator(), major_formatter=ScalarFormatter())
    ax.set(title="", xlabel="", ylabel="")


def svg_of(spec: FigureSpec) -> bytes:
    """:func:`to_svg` of :func:`draw`, for a report. A trend, funnel or bar chart is drawn on the figure of the
    previous one of its sort, emptied; only here, as a figure :func:`draw` returns is the caller's to keep."""
    key = _reused(spec)
    if key is None:
        return to_svg(draw(spec))
    _REUSING.append(key)
    try:
        fig = draw(spec)
    finally:
        _REUSING.clear()
    return to_svg(fig)


def use_inline_backend() -> None:
    """Figures shown inline in a notebook kernel (a batch worker's warm kernel sets it once)."""
    import matplotlib

    matplotlib.use("module://matplotlib_inline.backend_inline")


def close_all() -> None:
    """Forget every open figure (between two gemeenten in one kernel)."""
    plt.close("all")


def funnel(units: pd.DataFrame, *, title: str, caption: str, p_bar: float, curve: pd.DataFrame,
           focus_code: str | None, xlabel: str = "aantal jongeren (noemer)", points: str = "andere gemeenten",
           ylabel: str = "% van de jongeren", ref_label: str = "gemiddelde", ratio: bool = False,
           members: tuple[str, ...] = (), members_label: str = ""):
    """Funnel plot: rate against denominator with the 95 % and 99,8 % limit curves the builder computed
    (:class:`~kompas_lib.analysis.figures.FunnelFigure`), around ``p_bar``.

    ``units``: columns ``code``, ``name``, ``n``, ``rate`` (proportion). Points are not ranked or
    labelled by position; only the focus region is named, or in a region's report its ``members``. With
    ``ratio`` the rates are ratios (observed / expected, around 1) and are drawn as they are, not as
    percentages.
    """
    use_style()
    fig, ax = _canvas("funnel")
    k = 1 if ratio else 100
    for label, style, name in (("95", "--", "95 %-grenzen"), ("998", ":", "99,8 %-grenzen")):
        ax.plot(curve["n"], curve[f"lo{label}"] * k, style, color="#555555", linewidth=1.2, label=name)
        ax.plot(curve["n"], curve[f"hi{label}"] * k, style, color="#555555", linewidth=1.2)
    ax.axhline(p_bar * k, color="#555555", linewidth=1, label=ref_label)
    others = units[(units["code"] != focus_code) & ~units["code"].isin(members)]
    if not others.empty:
        ax.scatter(others["n"], others["rate"] * k, s=14 if len(units) > 40 else 36,
                   color="#9AA5B1" if len(units) > 40 else "#5B6B7D", alpha=0.8, label=points, zorder=2)
    mine = units[units["code"].isin(members)]
    if not mine.empty:
        ax.scatter(mine["n"], mine["rate"] * k, s=40, color=FOCUS, edgecolor="white", zorder=4,
                   label=members_label or "gemeenten van de regio")
        for r in mine.itertuples(index=False):
            ax.annotate(r.name, (r.n, r.rate * k), xytext=(4, 3), textcoords="offset points", fontsize=7,
                        color="#1F2933", zorder=5)
    own = units[units["code"] == focus_code]
    if not own.empty:
        ax.scatter(own["n"], own["rate"] * k, s=70, color=FOCUS, edgecolor="white", zorder=4,
                   label=own["name"].iloc[0])
    if units["n"].max() / max(units["n"].min(), 1) > 10:
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(axis_formatter(0))
    if ratio:
        ax.yaxis.set_major_formatter(axis_formatter(2))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(axis_formatter(0, " %"))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.2 if len(caption) < 180 else 0.27, right=0.74)  # a long caption wraps to 3 lines
    add_caption(fig, caption)
    return fig


def bars(data: pd.DataFrame, *, category: str, value: str, title: str, caption: str, percent: bool = True):
    """Horizontal bars for a split (subgroups, wijken), in the given order (not sorted by value)."""
    use_style()
    height = max(2.2, 0.35 * len(data) + 1.2)
    fig, ax = _canvas("bars")
    fig.set_size_inches(8.0, height)
    labels = data[category].astype(str).tolist()  # at places 0, 1, …: a kept axis has no categories to forget
    at = np.arange(len(labels), dtype=float)
    ax.barh(at, data[value], color=FOCUS)
    ax.set_yticks(at, labels)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    value_ticks(ax.xaxis, data[value].max(), percent)
    ax.set_title(title)
    fig.subplots_adjust(left=0.32, bottom=0.22 if height < 3 else 0.12)
    add_caption(fig, caption)
    return fig


def target(data: pd.DataFrame, *, title: str, caption: str, base_year: int, base_value: float, target_year: int,
           target_value: float, percent: bool = True, margin: tuple | None = None):
    """Realised values (columns year, value) against the straight norm path from baseline to target;
    ``margin`` = (year, value, low, high) of the latest measurement, drawn as an error bar."""
    use_style()
    fig, ax = plt.subplots()
    ax.plot(data["year"], data["value"], marker="o", color=FOCUS, linewidth=2.4, label="gemeten")
    ax.plot([base_year, target_year], [base_value, target_value], "--", color="#555555",
            label="norm: van basis naar doel")
    ax.scatter([target_year], [target_value], marker="*", s=160, color=PALETTE[0], zorder=4, label="doel")
    if margin is not None:
        year, value, low, high = margin
        ax.errorbar([year], [value], yerr=[[value - low], [high - value]], color=FOCUS, capsize=4)
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(axis_formatter(1, " %" if percent else ""))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.72)
    add_caption(fig, caption)
    return fig


def band(data: pd.DataFrame, *, title: str, caption: str, x: str, y: str, lo: str, hi: str, ylabel: str,
         reference: float = 1.0, breaks: list | None = None):
    """One series with its interval as a band and a reference line (observed / expected per year)."""
    use_style()
    fig, ax = plt.subplots()
    d = data.sort_values(x)
    ax.fill_between(d[x], d[lo], d[hi], color=FOCUS, alpha=0.15, linewidth=0, label="95 %-voorspellingsinterval")
    ax.axhline(reference, color="#555555", linewidth=1, label="zoals verwacht")
    ax.plot(d[x], d[y], marker="o", color=FOCUS, linewidth=2.4, label="waargenomen / verwacht")
    _breaks(ax, breaks)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(axis_formatter(2))
    low = min(float(d[lo].min()), float(d[y].min()))  # the observed ratio may lie outside its band
    high = max(float(d[hi].max()), float(d[y].max()))
    ax.set_ylim(min(0.5, low * 0.95), max(1.5, high * 1.05))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.72)
    add_caption(fig, caption)
    return fig


# the map's diverging scale (ColorBrewer PuOr): high warm, low cool, the middle light grey; the low side is
# hatched so that high and low differ in black and white too; no figure: white with a grey border
MAP_FILL = {2: "#B35806", 1: "#F1A340", 0: "#E4E4E4", -1: "#998EC3", -2: "#542788", None: "#FFFFFF"}
MAP_HATCH = {-1: "///", -2: "///"}
MAP_EDGE = {None: "#9A9A9A"}  # the border between two gemeenten: white, except around 'no figure'
MAP_WIDTH = 8.0  # inches, as the other figures
MAP_PANEL_MAX = 3.4  # the widest a single map is drawn (its legend beside it)
# outlines: line width (pt) and style, over a white casing this much wider so they show on every colour
MAP_OUTLINE = {"focus": (1.2, "solid"), "regio": (0.8, (0, (3, 1.5)))}
MAP_CASING = 1.4
MAP_PANEL_FONT = 8.5


def _rings_path(rings) -> MPath:
    """One compound path of many closed rings (drawn as one SVG path: a map's size is its coordinates)."""
    rings = [np.asarray(r, dtype=float) for r in rings]
    codes = np.full(sum(len(r) for r in rings), MPath.LINETO, dtype=MPath.code_type)
    at = 0
    for r in rings:
        codes[at], codes[at + len(r) - 1] = MPath.MOVETO, MPath.CLOSEPOLY
        at += len(r)
    return MPath(np.concatenate(rings), codes)


def _map_layout(panels: tuple, aspect: float, caption: str) -> dict:
    """Sizes in inches: the maps side by side under the title, the legend beside them, the caption below —
    about as wide for its height as the other figures, so that it prints as large; and each panel's
    title wrapped to its width."""
    n = max(len(panels), 1)
    gap, margin, legend = 0.2, 0.1, 1.95
    width = min(MAP_PANEL_MAX, (MAP_WIDTH - 2 * margin - gap * n - legend) / n)
    height = min(width * aspect, 3.6)
    width = height / aspect
    chars = max(18, int((width + gap * 0.8) * 72 / (MAP_PANEL_FONT * 0.55)))
    titles = ["\n".join(textwrap.fill(line, chars) for line in panel.split("\n")) for panel in panels]
    caption_h = 0.16 * len(textwrap.wrap(caption, CAPTION_CHARS)) + 0.12
    title_h = 0.45
    panel_h = 0.05 + MAP_PANEL_FONT / 72 * 1.25 * max((t.count("\n") + 1 for t in titles), default=1)
    return {"gap": gap, "margin": margin, "width": width, "height": height, "caption": caption_h,
            "title": title_h, "panel": panel_h, "titles": titles,
            "total": caption_h + height + panel_h + title_h}


def map_(data: pd.DataFrame, *, title: str, caption: str, panels: tuple, shapes, classes: tuple,
         outlines: tuple = (), labels: tuple = ()):
    """Small multiples of one map (:class:`~kompas_lib.analysis.figures.MapFigure`): in each panel every
    area filled by its class (one compound path per class, in one collection per panel), the outlines
    (focus thick, its region dashed) and labels over it; one legend for all panels, beside the maps."""
    use_style()
    rings = [np.asarray(r, dtype=float) for shape in shapes.values() for r in shape]
    lo = np.min([r.min(axis=0) for r in rings], axis=0)
    hi = np.max([r.max(axis=0) for r in rings], axis=0)
    pad = 0.02 * float(max(hi - lo))
    if any(kind == "groep" for *_, kind in labels):  # room for the names above the top row
        hi = hi + np.array([0.0, 0.07 * float(hi[1] - lo[1])])
    aspect = float(hi[1] - lo[1] + 2 * pad) / float(hi[0] - lo[0] + 2 * pad)
    n = max(len(panels), 1)
    box = _map_layout(panels, aspect, caption)
    W, H = MAP_WIDTH, box["total"]
    fig = plt.figure(figsize=(W, H))
    fig.text(box["margin"] / W, 1 - 0.06 / H, textwrap.fill(title, 78), ha="left", va="top",
             fontsize=plt.rcParams["axes.titlesize"], fontweight="bold")
    step = dict(classes)
    bottom = box["caption"]
    for i, panel in enumerate(panels):
        ax = fig.add_axes([(box["margin"] + i * (box["width"] + box["gap"])) / W, bottom / H,
                           box["width"] / W, box["height"] / H])
        ax.set_axis_off()
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")
        here = data[data["panel"] == panel]
        by_class = dict(tuple(here.groupby("klasse", sort=False)["code"]))
        for hatched in (False, True):
            drawn = [(label, step[label]) for label, _ in classes
                     if label in by_class and (step[label] in MAP_HATCH) == hatched]
            if not drawn:
                continue
            paths = [_rings_path([r for c in by_class[label] for r in shapes.get(c, ())]) for label, _ in drawn]
            areas = PathCollection(paths, facecolors=[MAP_FILL[s] for _, s in drawn],
                                   edgecolors=[MAP_EDGE.get(s, "white") for _, s in drawn], linewidths=0.3,
                                   hatch=MAP_HATCH.get(drawn[0][1]) if hatched else None, hatchcolors="white",
                                   zorder=1)
            areas.set_hatch_linewidth(0.7)
            ax.add_collection(areas)
        for _, lines, style in outlines:
            width, dash = MAP_OUTLINE[style]
            z = 3 if style == "focus" else 2
            ax.add_collection(LineCollection(lines, colors="white", linewidths=width + MAP_CASING, zorder=z,
                                             joinstyle="round"))
            ax.add_collection(LineCollection(lines, colors="black", linewidths=width, linestyles=dash, zorder=z,
                                             joinstyle="round"))
        for x, y, text, kind in labels:
            if kind == "focus":  # beside its outline, over the map
                ax.annotate(text, (x, y), xytext=(4, 0), textcoords="offset points", fontsize=8, ha="left",
                            va="center", fontweight="bold", zorder=4,
                            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")])
            else:  # a group's name just above it
                ax.annotate(text, (x, y), xytext=(0, 2), textcoords="offset points", fontsize=7, ha="left",
                            va="bottom", color="#555555", zorder=4)
        ax.text(0, 1.01, box["titles"][i], transform=ax.transAxes, ha="left", va="bottom", fontsize=MAP_PANEL_FONT)
    handles = [Patch(facecolor=MAP_FILL[s], edgecolor=MAP_EDGE.get(s, "#CCCCCC"), hatch=MAP_HATCH.get(s),
                     hatchcolor="white", linewidth=0.5, label=label) for label, s in classes]
    handles += [Line2D([], [], color="black", linewidth=MAP_OUTLINE[style][0], linestyle=MAP_OUTLINE[style][1],
                       label=textwrap.fill(label, 24)) for label, _, style in outlines]
    right = box["margin"] + n * (box["width"] + box["gap"])
    fig.legend(handles=handles, loc="center left", fontsize=8, handlelength=1.6, borderaxespad=0,
               bbox_to_anchor=(right / W, (bottom + box["height"] / 2) / H))
    add_caption(fig, caption)
    return fig


DRAWERS = {"trend": trend, "funnel": funnel, "bars": bars, "target": target, "band": band, "map": map_}


def draw(spec: FigureSpec):
    """Draw a figure specification (:mod:`kompas_lib.analysis.figures`) in the house style; returns the
    matplotlib figure."""
    if spec.kind not in DRAWERS:
        raise ValueError(f"unknown figure kind {spec.kind!r}; known: {', '.join(DRAWERS)}")
    return DRAWERS[spec.kind](spec.data, title=spec.title, caption=spec.caption, **spec.options)
