"""Typed figure specifications: one class per kind of figure, carrying everything that is drawn.

A builder computes every line and limit (a funnel's limit curves included); the renderer
(``kompas_lib.presentation.render``) only draws what the specification holds and computes nothing
statistical. ``options`` gives the kind's own fields as keyword arguments for its drawer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd


@dataclass(frozen=True)
class FigureSpec:
    """What every figure has: the data, a title that states the finding, a caption with source and period."""

    data: pd.DataFrame
    title: str
    caption: str
    kind: ClassVar[str] = ""

    @property
    def options(self) -> dict:
        """The kind's own fields (everything but data, title and caption)."""
        base = {"data", "title", "caption"}
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in base}


@dataclass(frozen=True)
class TrendFigure(FigureSpec):
    """Lines over time, one per ``series``; ``focus`` darkest, ``order`` fixes colours; ``breaks``
    are (x, label) pairs where a series changes source."""

    focus: str = ""
    ylabel: str = ""
    percent: bool = True
    x: str = "period_start"
    y: str = "value"
    series: str = "region_name"
    order: tuple[str, ...] | None = None
    breaks: tuple = ()
    kind: ClassVar[str] = "trend"


@dataclass(frozen=True)
class FunnelFigure(FigureSpec):
    """Units (``code``, ``name``, ``n``, ``rate``) against their limits: ``curve`` holds ``n`` and
    ``lo95``/``hi95``/``lo998``/``hi998`` on the rate's scale, around ``p_bar``. In a region's report its
    ``members`` are drawn apart and named (``members_label`` in the legend)."""

    p_bar: float = 0.0
    curve: pd.DataFrame | None = None
    focus_code: str | None = None
    xlabel: str = "aantal jongeren (noemer)"
    points: str = "andere gemeenten"
    ylabel: str = "% van de jongeren"
    ref_label: str = "gemiddelde"
    ratio: bool = False
    members: tuple[str, ...] = ()  # a region's gemeenten (codes): drawn apart and named
    members_label: str = ""
    kind: ClassVar[str] = "funnel"

    def __post_init__(self):
        if self.curve is None or not {"n", "lo95", "hi95", "lo998", "hi998"} <= set(self.curve.columns):
            raise ValueError("a funnel figure needs its limit curves (n, lo95, hi95, lo998, hi998)")


@dataclass(frozen=True)
class BarsFigure(FigureSpec):
    """Horizontal bars of ``value`` per ``category`` in the given order (not sorted by value)."""

    category: str = ""
    value: str = ""
    percent: bool = True
    kind: ClassVar[str] = "bars"


@dataclass(frozen=True)
class TargetFigure(FigureSpec):
    """Measurements (``year``, ``value``) against the straight path from base to target; ``margin`` is
    (year, value, low, high) of the latest measurement."""

    base_year: int = 0
    base_value: float = 0.0
    target_year: int = 0
    target_value: float = 0.0
    percent: bool = True
    margin: tuple | None = None
    kind: ClassVar[str] = "target"


@dataclass(frozen=True)
class BandFigure(FigureSpec):
    """One series ``y`` over ``x`` with its interval ``lo``–``hi`` as a band and a reference line."""

    x: str = ""
    y: str = ""
    lo: str = ""
    hi: str = ""
    ylabel: str = ""
    reference: float = 1.0
    breaks: tuple = ()
    kind: ClassVar[str] = "band"


@dataclass(frozen=True)
class MapFigure(FigureSpec):
    """Areas coloured by class, one map (panel) per entry of ``panels``, side by side.

    ``data``: one row per panel and area (``panel``, ``code``, ``name``, ``klasse``); ``shapes``: each
    code's rings (x, y on an equal scale: km, or tiles of a schematic map); ``classes``: (legend label,
    step) in legend order, where step places the class on a diverging scale (2, 1 high; 0 the middle;
    -1, -2 low; None: no figure); ``outlines``: (legend label, lines, 'focus' | 'regio') drawn over every
    panel; ``labels``: (x, y, text, 'focus' | 'groep') written on every panel: a name beside an outline,
    or a group's name above it."""

    panels: tuple[str, ...] = ()
    shapes: Mapping[str, tuple] = field(default_factory=dict)
    classes: tuple[tuple[str, int | None], ...] = ()
    outlines: tuple[tuple[str, tuple, str], ...] = ()
    labels: tuple[tuple[float, float, str, str], ...] = ()
    kind: ClassVar[str] = "map"

    def __post_init__(self):
        known = {label for label, _ in self.classes}
        if not {"panel", "code", "klasse"} <= set(self.data.columns) or not set(self.data["klasse"]) <= known:
            raise ValueError("a map figure needs rows (panel, code, klasse) whose klasse is one of its classes")


__all__ = ["FigureSpec", "TrendFigure", "FunnelFigure", "BarsFigure", "TargetFigure", "BandFigure", "MapFigure"]
