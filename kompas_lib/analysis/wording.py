"""Dutch wording shared by every block: the source line under a figure or table, comparisons and
change sentences. One place, so every block names its sources and changes the same way."""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.methods.spread import Verdict
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period

SMALL_COUNT = 50
SMALL_POPULATION = 2_000


def table_ids(values) -> list[str]:
    """Sorted distinct table ids from a column that may hold comma-joined ids ('85099NED,84136NED')."""
    return sorted({t for v in pd.Series(values, dtype=object).dropna() for t in str(v).split(",") if t})


def period_span(periods) -> str:
    """'2015–2023' for a set of period codes; one label for one period; '' for none."""
    ps = sorted({p for p in periods if isinstance(p, str)}, key=lambda p: parse_period(p).start)
    if not ps:
        return ""
    first, last = parse_period(ps[0]).label, parse_period(ps[-1]).label
    return first if first == last else f"{first}–{last}"


def source_line(who: str, tables=(), periods=(), *, harmonised: bool = False, extra: str = "") -> str:
    """'Bron: CBS, tabel 85099NED, 2015–2023.' — ``who`` is the publisher ('CBS', 'fictieve gegevens
    (Demoland)', 'eigen registratie …'); ``extra`` is a sentence added after it."""
    ids = table_ids(tables)
    parts = [f"Bron: {who}"]
    if ids:
        parts.append(("tabel " if len(ids) == 1 else "tabellen ") + ", ".join(ids))
    span = period_span(periods)
    if span:
        parts.append(span)
    line = ", ".join(parts) + "."
    if harmonised:
        line += " Herindeling: cijfers van de voorgangers opgeteld (zie toelichting)."
    return f"{line} {extra}".strip()


def series_source(who: str, s: pd.DataFrame, extra: str = "") -> str:
    """The source line of a series frame (columns source_table, period, value[, harmonised])."""
    shown = s[s["value"].notna()] if "value" in s else s
    harm = bool("harmonised" in s and s["harmonised"].fillna(False).astype(bool).any())
    return source_line(who, s.get("source_table", ()), shown.get("period", ()), harmonised=harm, extra=extra)


def _compare_word(a: float, b: float, unit: str) -> str:
    """Only for changes over time: 'gelijk aan' within rounding."""
    tol = 0.05 if unit == "percentage" else 0.5
    if pd.isna(a) or pd.isna(b):
        return ""
    if abs(a - b) < tol:
        return "gelijk aan"
    return "hoger dan" if a > b else "lager dan"


# The yardstick of every comparison of a gemeente (DESIGN §4): the ordinary differences between gemeenten,
# not chance. 'Uitzonderlijk' = outside their 99,8 % range (methods.spread); the words say so.
EXCEPTIONAL = "buiten de gewone verschillen tussen gemeenten"
ORDINARY = "binnen de gewone verschillen tussen gemeenten"


def compare_to(verdict: Verdict, other_value: float, other_label: str, unit: str, own_value: float | None = None) -> str:
    """'hoger dan 11,0 % in Nederland (uitzonderlijk: buiten de gewone verschillen tussen gemeenten)' —
    the verdict comes from the one comparison model (:mod:`..methods.spread`); without a possible verdict
    only the numbers. A difference inside the ordinary range keeps its direction ('lager dan 8,3 % in
    Nederland, binnen de gewone verschillen tussen gemeenten') when ``own_value`` is given."""
    shown = f"{fmt.value(other_value, unit)} in {other_label}"
    if not verdict.possible:
        return f"tegenover {shown}"
    if verdict.direction is None:
        side = _compare_word(own_value, other_value, unit) if own_value is not None else ""
        side = side if side in ("hoger dan", "lager dan") else "vergelijkbaar met"
        return f"{side} {shown}, {ORDINARY}"
    return f"{verdict.direction} dan {shown} (uitzonderlijk: {EXCEPTIONAL})"


def verdict_cell(verdict: Verdict) -> str:
    """A table cell for a verdict: 'hoger, uitzonderlijk' / 'binnen de gewone verschillen' / '–'."""
    if not verdict.possible:
        return "–"
    return f"{verdict.direction}, uitzonderlijk" if verdict.direction else "binnen de gewone verschillen"


def small_numbers(row: pd.Series) -> bool:
    """True when a rate rests on few youths (count under 50 or population under 2.000)."""
    num, den = row.get("numerator"), row.get("denominator")
    return bool((pd.notna(num) and num < SMALL_COUNT) or (pd.notna(den) and den < SMALL_POPULATION))


def change_sentence(first: pd.Series, last: pd.Series, unit: str) -> str:
    """'Sinds 2015 is het cijfer gestegen met 6,1 procentpunt (van 5,8 %).'"""
    diff = last["value"] - first["value"]
    since = f"Sinds {parse_period(first['period']).label}"
    amount = fmt.number(abs(diff), 1) + " procentpunt" if unit == "percentage" else fmt.count(abs(diff))
    if _compare_word(last["value"], first["value"], unit) == "gelijk aan":
        return f"{since} is het cijfer vrijwel gelijk gebleven ({fmt.value(first['value'], unit)})"
    word = "gestegen" if diff > 0 else "gedaald"
    return f"{since} is het cijfer {word} met {amount} (van {fmt.value(first['value'], unit)})"


OWN_DATA_WHO = "eigen registratie van de gemeente en partners"
OWN_DATA_WHO_DEMO = "fictieve eigen gegevens (Demoland)"


def own_data_who(fictitious: bool) -> str:
    """Who published a gemeente's own figures (own files of blocks 2–5), as a source line names it."""
    return OWN_DATA_WHO_DEMO if fictitious else OWN_DATA_WHO



def break_note(breaks, first_period_start, last_period_start) -> str:
    """' Let op: vanaf 2021 komen de cijfers uit een andere tabel (…).' when a change runs across
    a table change; '' otherwise."""
    inside = [b for b in breaks if first_period_start < b[0] <= last_period_start]
    if not inside:
        return ""
    when, old, new = inside[0]
    return (f" Let op: vanaf {when.year} komen de cijfers uit een andere tabel ({new} in plaats van {old}); "
            "een deel van het verschil kan door die overstap komen.")
