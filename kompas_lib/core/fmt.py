"""Dutch number formats for reports: 2.045 · 15,0 % · 1,2 · 'n.b.' for missing.

Pure functions, no locale dependency (the machine's locale is not trusted).
"""

from __future__ import annotations

import math

MISSING = "–"


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x, decimals: int = 0) -> str:
    """2045 -> '2.045'; 1234.5 (1 dec) -> '1.234,5'; missing -> '–'."""
    if _is_missing(x):
        return MISSING
    x = float(x)
    if round(x, decimals) == 0:
        x = 0.0  # no '-0' or '-0,0'
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def count(x) -> str:
    return number(x, 0)


def pct(x, decimals: int = 1) -> str:
    """15 -> '15,0 %' (a non-breaking space before %, as in Dutch typesetting)."""
    if _is_missing(x):
        return MISSING
    return f"{number(x, decimals)}\u00a0%"


def pp(x, decimals: int = 1) -> str:
    """A difference in percentage points with sign: +1,2 procentpunt."""
    if _is_missing(x):
        return MISSING
    sign = "+" if x > 0 else ("−" if x < 0 else "±")
    return f"{sign}{number(abs(x), decimals)} procentpunt"


def value(x, unit: str) -> str:
    """Format by indicator unit: percentage, aantal, per_1000, euro."""
    if _is_missing(x):
        return MISSING
    if unit == "percentage":
        return pct(x)
    if unit == "per_1000":
        return f"{number(x, 1)} per 1.000"
    if unit == "euro":
        return f"€\u00a0{number(x, 0)}"
    return count(x)


def suppressed_count(x, threshold: int) -> str:
    """A count, or '< threshold' when it is below the suppression threshold (privacy)."""
    if _is_missing(x):
        return MISSING
    if x < threshold:
        return f"<\u00a0{threshold}"
    return count(x)


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def date_words(d) -> str:
    """A date as Dutch words: 3 maart 2026 (``d``: a date, or an ISO text '2026-03-03')."""
    if isinstance(d, str):
        from datetime import date

        d = date.fromisoformat(d)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
