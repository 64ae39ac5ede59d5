"""Typed table cells: what a section's table holds instead of Dutch strings.

A builder puts *values* in its table; presentation alone (``kompas_lib.presentation.cells``) turns
them into Dutch text for HTML, into numbers with a number format for Excel, and decides alignment.
A table cell is one of:

- ``str`` — text, shown as it is (never parsed back into a number);
- ``None`` or NaN — missing, shown as '–';
- :class:`Number` — a number with its format: ``aantal`` (2.045), ``percentage`` (15,0 %),
  ``per_1000`` (1,2 per 1.000), ``euro`` (€ 1.234), ``getal`` (1,23) and an optional unit word
  after it (170 dagen);
- :class:`Margin` — a 95 % margin or interval as low and high value (7,2–9,1);
- :class:`Suppressed` — a count that is not shown, with its reason (below the privacy threshold:
  '< 10'; too small to judge: 'te klein').

Every cell carries its own format because several tables mix units per row (the kerncijfers list
percentages beside rates); a column whose cells share a format is a number column. The constructors
below mirror :mod:`kompas_lib.core.fmt`, which stays the formatter of numbers *inside sentences*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

NumberKind = Literal["aantal", "percentage", "per_1000", "euro", "getal"]
UNIT_KINDS: dict[str, NumberKind] = {"percentage": "percentage", "per_1000": "per_1000", "euro": "euro",
                                     "aantal": "aantal"}


@dataclass(frozen=True)
class Number:
    """A number and how it is shown; ``x`` None is missing ('–')."""

    x: float | None
    kind: NumberKind = "getal"
    decimals: int = 0
    unit: str = ""  # a word after the number, e.g. 'dagen'
    prefix: str = ""  # a word before it, e.g. 'klasse'
    signed: bool = False  # '+12' / '−12' (a contribution or change); 0 when it rounds to 0

    @property
    def missing(self) -> bool:
        return self.x is None or (isinstance(self.x, float) and math.isnan(self.x))


@dataclass(frozen=True)
class Margin:
    """A margin or interval from ``low`` to ``high`` (both on the shown scale, e.g. percent)."""

    low: float | None
    high: float | None
    decimals: int = 1
    spaced: bool = False  # '0,70 – 1,36' (intervals of ratios) instead of '7,2–9,1'

    @property
    def missing(self) -> bool:
        return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (self.low, self.high))


@dataclass(frozen=True)
class Suppressed:
    """A figure that is not shown. ``threshold`` set: a count below the privacy threshold ('< 10');
    otherwise ``shown`` is the words in its place (e.g. 'te klein'). ``reason`` explains it (Excel
    comment)."""

    threshold: int | None = None
    shown: str = ""
    reason: str = ""


Cell = str | Number | Margin | Suppressed | None


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def count(x) -> Number:
    return Number(_num(x), "aantal", 0)


def number(x, decimals: int = 0, unit: str = "", prefix: str = "") -> Number:
    return Number(_num(x), "getal", decimals, unit, prefix)


def signed(x, decimals: int = 0) -> Number:
    """A change or contribution with its sign: '+12', '−3'."""
    return Number(_num(x), "getal", decimals, signed=True)


def pct(x, decimals: int = 1) -> Number:
    return Number(_num(x), "percentage", decimals)


def value(x, unit: str) -> Number:
    """By indicator unit (percentage, aantal, per_1000, euro), as :func:`kompas_lib.core.fmt.value`."""
    kind = UNIT_KINDS.get(unit, "aantal")
    return Number(_num(x), kind, {"percentage": 1, "per_1000": 1}.get(kind, 0))


def margin(low, high, decimals: int = 1, spaced: bool = False) -> Margin:
    return Margin(_num(low), _num(high), decimals, spaced)


def below(threshold: int, words: bool = False) -> Suppressed:
    """A count below the privacy threshold: '< 10', or with ``words`` 'minder dan 10'."""
    reason = f"minder dan {threshold}: niet getoond (privacy)"
    if words:
        return Suppressed(shown=f"minder dan {threshold}", reason=reason)
    return Suppressed(threshold=threshold, reason=reason)


def too_small(shown: str = "te klein", reason: str = "te weinig trajecten om te beoordelen") -> Suppressed:
    return Suppressed(shown=shown, reason=reason)


def suppressed_count(x, threshold: int) -> Number | Suppressed:
    """A count, or :func:`below` when it is under the threshold (privacy); missing stays missing."""
    v = _num(x)
    if v is not None and v < threshold:
        return below(threshold)
    return count(v)


__all__ = ["Cell", "Number", "Margin", "Suppressed", "count", "number", "signed", "pct", "value", "margin", "below",
           "too_small", "suppressed_count"]
