"""The renderer: the only code in the workbook that touches matplotlib.

Section builders describe a figure as a typed specification (:mod:`kompas_lib.analysis.figures`);
:func:`draw` turns it into a matplotlib figure in one house style:

* colour-blind-safe palette (Okabe–Ito), the focus region always in the same dark blue;
* the title states the finding; the caption gives source and period;
* Dutch number formats on the axes; no chart junk; readable when printed in black and white
  (markers differ per series).
"""

from __future__ import annotations

import io
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from kompas_lib.analysis.figures import FigureSpec
from kompas_lib.core import fmt

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
}


def axis_formatter(decimals: int = 0, suffix: str = "") -> FuncFormatter:
    """A tick formatter with Dutch decimals (1.234,5)."""
    return FuncFormatter(lambda v, _pos: f"{fmt.number(v, decimals)}{suffix}")


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
    fig, ax = plt.subplots()
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
    for at, label in breaks or []:
        ax.axvline(at, color="#888888", linestyle=(0, (2, 2)), linewidth=1, zorder=1)
        ax.annotate(label, xy=(at, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", fontsize=8, color="#555555", va="top")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    top_value = data[y].max()
    # an all-zero (or empty) series still gets a readable axis from 0 up, never ticks like '−0,050'
    ax.set_ylim(0, top_value * 1.12 if pd.notna(top_value) and top_value > 0 else 1)
    decimals = 1 if percent and pd.notna(top_value) and top_value < 5 else 0
    if decimals == 0:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(axis_formatter(decimals, " %" if percent else ""))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.75)
    add_caption(fig, caption)
    return fig


def use_inline_backend() -> None:
    """Figures shown inline in a notebook kernel (a batch worker's warm kernel sets it once)."""
    import matplotlib

    matplotlib.use("module://matplotlib_inline.backend_inline")


def close_all() -> None:
    """Forget every open figure (between two gemeenten in one kernel)."""
    plt.close("all")


def to_svg(fig) -> bytes:
    """Render a figure to SVG with its text as text (the report's figures): less than half the PNG's
    size, faster to make (no rasterising, no text outlines), and sharp at any print size. Cropped to
    what is drawn, legends outside the axes included (the tight box, measured with the canvas's renderer
    rather than the extra draw of ``bbox_inches="tight"``)."""
    buf = io.BytesIO()
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    fig.savefig(buf, format="svg", bbox_inches=box, metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def funnel(units: pd.DataFrame, *, title: str, caption: str, p_bar: float, curve: pd.DataFrame,
           focus_code: str | None, xlabel: str = "aantal jongeren (noemer)", points: str = "andere gemeenten",
           ylabel: str = "% van de jongeren", ref_label: str = "gemiddelde", ratio: bool = False):
    """Funnel plot: rate against denominator with the 95 % and 99,8 % limit curves the builder computed
    (:class:`~kompas_lib.analysis.figures.FunnelFigure`), around ``p_bar``.

    ``units``: columns ``code``, ``name``, ``n``, ``rate`` (proportion). Points are not ranked or
    labelled by position; only the focus region is named. With ``ratio`` the rates are ratios
    (observed / expected, around 1) and are drawn as they are, not as percentages.
    """
    use_style()
    fig, ax = plt.subplots()
    k = 1 if ratio else 100
    for label, style, name in (("95", "--", "95 %-grenzen"), ("998", ":", "99,8 %-grenzen")):
        ax.plot(curve["n"], curve[f"lo{label}"] * k, style, color="#555555", linewidth=1.2, label=name)
        ax.plot(curve["n"], curve[f"hi{label}"] * k, style, color="#555555", linewidth=1.2)
    ax.axhline(p_bar * k, color="#555555", linewidth=1, label=ref_label)
    others = units[units["code"] != focus_code]
    ax.scatter(others["n"], others["rate"] * k, s=14 if len(units) > 40 else 36, color="#9AA5B1" if len(units) > 40
               else "#5B6B7D", alpha=0.8, label=points, zorder=2)
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
    fig, ax = plt.subplots(figsize=(8.0, height))
    ax.barh(data[category].astype(str), data[value], color=FOCUS)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(axis_formatter(0, " %" if percent else ""))
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
    for at, label in breaks or []:
        ax.axvline(at, color="#888888", linestyle=(0, (2, 2)), linewidth=1, zorder=1)
        ax.annotate(label, xy=(at, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", fontsize=8, color="#555555", va="top")
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


DRAWERS = {"trend": trend, "funnel": funnel, "bars": bars, "target": target, "band": band}


def draw(spec: FigureSpec):
    """Draw a figure specification (:mod:`kompas_lib.analysis.figures`) in the house style; returns the
    matplotlib figure."""
    if spec.kind not in DRAWERS:
        raise ValueError(f"unknown figure kind {spec.kind!r}; known: {', '.join(DRAWERS)}")
    return DRAWERS[spec.kind](spec.data, title=spec.title, caption=spec.caption, **spec.options)
