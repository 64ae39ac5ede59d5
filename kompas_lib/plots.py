"""One house style for every figure in the workbook.

* colour-blind-safe palette (Okabe–Ito), the focus region always in the same dark blue;
* the title states the finding; the caption gives source and period;
* Dutch number formats on the axes; no chart junk; readable when printed in black and white
  (markers differ per series).
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd

from . import fmt

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
    "font.family": "DejaVu Sans",
}


def use_style() -> None:
    plt.rcParams.update(STYLE)


def _caption(fig, caption: str) -> None:
    fig.text(0.01, 0.01, caption, ha="left", va="bottom", fontsize=8, color="#555555", wrap=True)


def trend(data: pd.DataFrame, *, title: str, caption: str, focus: str, ylabel: str,
          percent: bool = True, x: str = "period_start", y: str = "value", series: str = "region_name",
          order: list[str] | None = None):
    """Line chart of one indicator over time, one line per region; ``focus`` is drawn darkest.

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
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    top_value = data[y].max()
    ax.set_ylim(0, top_value * 1.12 if pd.notna(top_value) and top_value > 0 else None)
    decimals = 1 if percent and pd.notna(top_value) and top_value < 5 else 0
    ax.yaxis.set_major_formatter(fmt.axis_formatter(decimals, " %" if percent else ""))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.75)
    _caption(fig, caption)
    return fig


def to_png(fig) -> bytes:
    """Render a figure to PNG bytes (works the same in JupyterLab, papermill and scripts)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
