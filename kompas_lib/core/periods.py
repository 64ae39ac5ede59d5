"""CBS period titles -> typed periods.

CBS StatLine writes periods as titles that vary between tables and years. This module turns each
into a :class:`Period` with a canonical code, a type and start/end dates, so that series from
different tables line up.

======================  =============  ===========
title                   code           type
======================  =============  ===========
``2023`` / ``2023*``    ``2023``       jaar
``1e halfjaar 2021``    ``2021-H1``    halfjaar
``1e half jaar 2024``   ``2024-H1``    halfjaar
``2015 1e halfjaar``    ``2015-H1``    halfjaar
``1e kwartaal 2015``    ``2015-K1``    kwartaal
``2015 1e kwartaal``    ``2015-K1``    kwartaal
``30 juni 2023``        ``2023-06-30`` peildatum
``2021/'22``            ``2021/2022``  schooljaar
``2023JJ00`` (key)      ``2023``       jaar
======================  =============  ===========

A trailing ``*`` (CBS: voorlopig cijfer) is accepted and reported as ``status='voorlopig'``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kompas_lib.core.errors import DataError

FIRST_FULL_YEAR = 2016  # 2015, the first Jeugdwet year, was not registered completely everywhere

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
MONTH_NAMES = {v: k for k, v in MONTHS.items()}

PERIOD_TYPES = ("jaar", "halfjaar", "kwartaal", "maand", "peildatum", "schooljaar")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    code: str
    type: str
    status: str | None = None  # 'voorlopig' when the title carried a '*'

    @property
    def year(self) -> int:
        return self.start.year if self.type != "peildatum" else self.end.year

    @property
    def label(self) -> str:
        """Dutch label for reports: '2023', '1e halfjaar 2023', '30 juni 2023', 'schooljaar 2021/'22'."""
        if self.type == "jaar":
            return str(self.start.year)
        if self.type == "halfjaar":
            return f"{1 if self.start.month == 1 else 2}e halfjaar {self.start.year}"
        if self.type == "kwartaal":
            return f"{(self.start.month - 1) // 3 + 1}e kwartaal {self.start.year}"
        if self.type == "maand":
            return f"{MONTH_NAMES[self.start.month]} {self.start.year}"
        if self.type == "peildatum":
            return f"{self.end.day} {MONTH_NAMES[self.end.month]} {self.end.year}"
        return f"schooljaar {self.start.year}/'{str(self.end.year)[-2:]}"


def _year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), str(y), "jaar")


def _half(y: int, h: int) -> Period:
    if h not in (1, 2):
        raise ValueError(h)
    start = date(y, 1 if h == 1 else 7, 1)
    end = date(y, 6, 30) if h == 1 else date(y, 12, 31)
    return Period(start, end, f"{y}-H{h}", "halfjaar")


def _quarter(y: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError(q)
    m0 = 3 * (q - 1) + 1
    end = date(y, m0 + 2, calendar.monthrange(y, m0 + 2)[1])
    return Period(date(y, m0, 1), end, f"{y}-K{q}", "kwartaal")


def _month(y: int, m: int) -> Period:
    return Period(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), f"{y}-M{m:02d}", "maand")


def _peildatum(y: int, m: int, d: int) -> Period:
    day = date(y, m, d)
    return Period(day, day, day.isoformat(), "peildatum")


def _schooljaar(y: int) -> Period:
    return Period(date(y, 8, 1), date(y + 1, 7, 31), f"{y}/{y + 1}", "schooljaar")


_PATTERNS: list[tuple[re.Pattern, callable]] = [
    (re.compile(r"^(\d{4})$"), lambda m: _year(int(m[1]))),
    (re.compile(r"^([12])e\s*half\s*jaar\s+(\d{4})$"), lambda m: _half(int(m[2]), int(m[1]))),
    (re.compile(r"^(\d{4})\s+([12])e\s*half\s*jaar$"), lambda m: _half(int(m[1]), int(m[2]))),
    (re.compile(r"^([1-4])e\s*kwartaal\s+(\d{4})$"), lambda m: _quarter(int(m[2]), int(m[1]))),
    (re.compile(r"^(\d{4})\s+([1-4])e\s*kwartaal$"), lambda m: _quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$"),
     lambda m: _peildatum(int(m[3]), MONTHS[m[2]], int(m[1]))),
    (re.compile(r"^([a-z]+)\s+(\d{4})$"), lambda m: _month(int(m[2]), MONTHS[m[1]])),
    (re.compile(r"^(\d{4})\s*/\s*'?(\d{2}|\d{4})$"), lambda m: _schooljaar(int(m[1]))),
    # CBS period keys as used by the OData API
    (re.compile(r"^(\d{4})jj00$"), lambda m: _year(int(m[1]))),
    (re.compile(r"^(\d{4})hj0([12])$"), lambda m: _half(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})kw0([1-4])$"), lambda m: _quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})mm(\d{2})$"), lambda m: _month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})sj0?0$"), lambda m: _schooljaar(int(m[1]))),
    # our own canonical codes, so parse_period(p.code) round-trips
    (re.compile(r"^(\d{4})-h([12])$"), lambda m: _half(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-k([1-4])$"), lambda m: _quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-m(\d{2})$"), lambda m: _month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), lambda m: _peildatum(int(m[1]), int(m[2]), int(m[3]))),
]


@lru_cache(maxsize=4096)
def parse_period(title: str) -> Period:
    """Parse a CBS period title (or key, or our own code) into a :class:`Period`.

    Raises :class:`DataError` with the unrecognised title when the format is unknown: that
    usually means CBS changed a table, and the registry or this parser needs a look.
    """
    raw = str(title)
    text = raw.strip().lower()
    status = None
    if text.endswith("*"):
        status = "voorlopig"
        text = text.rstrip("*").strip()
    text = re.sub(r"\s+", " ", text)
    for pattern, build in _PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                p = build(m)
            except (ValueError, KeyError):
                break
            if status:
                p = Period(p.start, p.end, p.code, p.type, status)
            return p
    raise DataError(
        f"Onbekende periode {raw!r}. Bekende vormen zijn bijvoorbeeld '2023', '1e halfjaar 2021', "
        "'1e kwartaal 2015', '30 juni 2023' en \"2021/'22\". Gebruikt CBS een nieuwe vorm, dan moet die worden "
        "toegevoegd aan kompas_lib/core/periods.py (meld het aan wie kompas beheert)."
    )
