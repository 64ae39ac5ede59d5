"""The rules for one column of an own file, by its kind (:class:`~kompas_lib.sources.template_specs.Col`).

Every cell's text is first normalised (:func:`~kompas_lib.core.entry.clean_text`), then converted to
its kind: numbers as people type them (:func:`~kompas_lib.core.entry.parse_number`), allowed values,
periods, gemeente codes, dates, catalogue ids. Each distinct text is judged once, and at most
:data:`MAX_SUGGESTED` wrong values get a fuzzy 'bedoelt u …?', so a file of any length is checked in
time proportional to its length.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from kompas_lib.core import fmt
from kompas_lib.core.entry import MAX_DIGITS, NumberProblem, clean_text, parse_number
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.sources.template_specs import Col

MAX_CELL_CHARS = 10_000  # a longer cell is refused: about three pages of text, far beyond any template field

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


def parse_date(text: str) -> str | None:
    """'2024-03-12' or '12-03-2024' -> '2024-03-12'; None when it is not a date."""
    from datetime import datetime

    for f in DATE_FORMATS:
        try:
            return datetime.strptime(text, f).date().isoformat()
        except ValueError:
            continue
    return None


def _unique_map(values: pd.Series, fn: Callable[[str], object]) -> dict[str, object]:
    """``fn`` of every distinct value (files repeat their codes, periods and names: each is judged once)."""
    return {v: fn(v) for v in pd.unique(values)}


MAX_SUGGESTED = 100  # distinct wrong values that get a 'bedoelt u …?' (each costs a fuzzy search)


def _suggestions(values: pd.Series, allowed: list[str] | tuple[str, ...], cutoff: float = 0.6) -> dict[str, list[str]]:
    """The nearest allowed value for each of the first :data:`MAX_SUGGESTED` distinct ``values``; later
    ones get none, so a file of any length is checked in time proportional to its length."""
    distinct = pd.unique(values)
    near = {v: difflib.get_close_matches(v, allowed, n=1, cutoff=cutoff) for v in distinct[:MAX_SUGGESTED]}
    return near | {v: [] for v in distinct[MAX_SUGGESTED:]}


def clean_column(values: list[str], col: Col, at: Callable[[int], str]) -> tuple[list[str], list[str]]:
    """The column's text normalised (:func:`~kompas_lib.core.entry.clean_text`: spaces, NFC, trimmed) and
    one problem per cell that is too long or holds a refused character (control, invisible, bidi); each
    distinct text is judged once."""
    judged: dict[str, tuple[str, str | None]] = {}
    out, problems = [], []
    for i, v in enumerate(values):
        text, problem = judged.get(v) or judged.setdefault(v, _clean_cell(v))
        out.append(text)
        if problem:
            problems.append(f"{at(i)}: kolom '{col.name}': {problem}")
    return out, problems


def _clean_cell(text: str) -> tuple[str, str | None]:
    if len(text) > MAX_CELL_CHARS:
        return clean_text(text)[0], (f"de tekst is te lang ({fmt.count(len(text))} tekens); een cel mag hoogstens "
                                     f"{fmt.count(MAX_CELL_CHARS)} tekens bevatten")
    return clean_text(text)


def typed_column(values: pd.Series, col: Col, at: Callable[[int], str], known_codes: dict[str, str] | None,
                  known_indicators: set[str] | None) -> tuple[object, list[str]]:
    """One column's values converted to its kind (None: it stays text) and its problems, row by row
    (an empty required cell first)."""
    empty = values == ""
    problems = ([f"{at(i)}: kolom '{col.name}' is leeg; deze kolom is verplicht" for i in np.where(empty)[0]]
                if col.required else [])
    typed, found = None, []
    if col.kind in ("count", "number"):
        typed, found = _numbers(values, empty, col, at)
    elif col.kind == "enum":
        found = _enum_problems(values, empty, col, at)
    elif col.kind == "period":
        typed, found = _period_codes(values, col, at)
    elif col.kind == "gemeente":
        found = _gemeente_problems(values, col, at, known_codes)
    elif col.kind == "regio":
        found = _regio_problems(values, col, at, known_codes)
    elif col.kind == "schooljaar":
        typed, found = _schooljaren(values, col, at)
    elif col.kind == "list":
        typed = [[x.strip() for x in v.split("|") if x.strip()] for v in values]
    elif col.kind == "datum":
        typed, found = _dates(values, col, at)
    elif col.kind == "indicator" and known_indicators is not None:
        found = _indicator_problems(values, col, at, known_indicators)
    return typed, problems + found


def _numbers(values: pd.Series, empty: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[pd.Series, list[str]]:
    """A count or number column as numbers by the rule of :func:`~kompas_lib.core.entry.parse_number`
    (decimal comma; no thousands points without one, no e-notation, no inf or nan); a text that is no
    number, a negative number and for a count a fraction are problems."""
    whole = col.kind == "count"
    text = values.tolist()
    num = np.full(len(text), np.nan)
    parsed: dict[str, tuple[float, str | None]] = {}
    problems = []
    for i, v in enumerate(text):
        if not v:
            continue
        if v.isascii() and v.isdigit() and len(v) <= MAX_DIGITS:  # the common case
            num[i] = float(v)
            continue
        num[i], problem = parsed.get(v) or parsed.setdefault(v, _parse_or_problem(v, whole))
        if problem:
            problems.append(f"{at(i)}: kolom '{col.name}': {problem}")
    negative = np.where(num < 0)[0]
    fraction = np.where(~np.isnan(num) & (num % 1 != 0))[0] if whole else []
    num = pd.Series(num, index=values.index)
    what = "een aantal" if whole else "de waarde"
    problems += [f"{at(i)}: kolom '{col.name}': {text[i]} is negatief; {what} kan niet kleiner zijn dan 0"
                 for i in negative]
    problems += [f"{at(i)}: kolom '{col.name}': {text[i]} is geen geheel getal; een aantal heeft geen decimalen"
                 for i in fraction]
    return num, problems


def _parse_or_problem(text: str, whole: bool) -> tuple[float, str | None]:
    try:
        return parse_number(text, whole), None
    except NumberProblem as exc:
        return np.nan, str(exc)


def _enum_problems(values: pd.Series, empty: pd.Series, col: Col, at: Callable[[int], str]) -> list[str]:
    """A value outside the allowed ones (naming the allowed value it probably is)."""
    bad = ~empty & ~values.isin(col.allowed)
    near = _suggestions(values[bad], col.allowed)
    return [f"{at(i)}: kolom '{col.name}': '{v}' is niet toegestaan" + (f" (bedoelt u '{near[v][0]}'?)" if near[v] else "")
            + f"; toegestaan: {', '.join(col.allowed)}" for i, v in zip(np.where(bad)[0], values[bad].tolist())]


def _period_codes(values: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[list, list[str]]:
    """Period codes (None for an empty or unknown period); a year, half year or quarter is allowed."""
    known = _unique_map(values, _period_code)
    codes = [known[p] for p in values.tolist()]
    problems = [f"{at(i)}: kolom '{col.name}': '{p}' is geen periode; schrijf bijvoorbeeld 2023, '1e halfjaar 2023' "
                "of '1e kwartaal 2023'" for i, (p, code) in enumerate(zip(values, codes)) if p and code is None]
    return codes, problems


def _period_code(text: str) -> str | None:
    """The code of a year, half year or quarter; None for anything else."""
    try:
        per = parse_period(text)
    except DataError:
        return None
    return per.code if per.type in ("jaar", "halfjaar", "kwartaal") else None


def _gemeente_problems(values: pd.Series, col: Col, at: Callable[[int], str],
                       known_codes: dict[str, str] | None) -> list[str]:
    """A code that is not GM with 4 digits, or (with ``known_codes``) no known gemeente."""
    def problem(code: str) -> str | None:
        if not re.match(r"^GM\d{4}$", code):
            return f"'{code}' is geen gemeentecode; een gemeentecode is GM met 4 cijfers, bijvoorbeeld GM0344"
        if known_codes is not None and code not in known_codes:
            near = _near_code(code, known_codes)
            return f"gemeentecode {code} is onbekend" + (f" (bedoelt u {near} {known_codes[near]}?)" if near else "")
        return None

    judged = _unique_map(values[values != ""], problem)
    return [f"{at(i)}: kolom '{col.name}': {judged[v]}" for i, v in enumerate(values.tolist()) if judged.get(v)]


REGIO_CODE = re.compile(r"^(GM|PO|VO)\d{4}$")
DUO_CODE = re.compile(r"^(PO|VO)\s*(\d{2})\s*[-.]?\s*(\d{2})$", re.IGNORECASE)  # 'PO 26-01', as DUO writes it


def _regio_problems(values: pd.Series, col: Col, at: Callable[[int], str],
                    known_codes: dict[str, str] | None) -> list[str]:
    """A code that is no gemeente (GM) or samenwerkingsverband (PO, VO) with 4 digits; a GM code checked
    against ``known_codes`` as in a gemeente column, a verband's code against the verbanden of its kind
    in ``known_codes`` when it holds any (the prepared data know them only with the regulation), else on
    its form only."""
    def problem(code: str) -> str | None:
        if code.startswith("GM"):
            judged = _gemeente_problems(pd.Series([code]), col, lambda i: "", known_codes)
            return judged[0].split(f"kolom '{col.name}': ", 1)[1] if judged else None
        if REGIO_CODE.match(code):
            kind = code[:2]
            known = {c: n for c, n in (known_codes or {}).items() if REGIO_CODE.match(c) and c[:2] == kind}
            if known and code not in known:
                near = _near_code(code, known, kind)
                return (f"samenwerkingsverband {code} is onbekend" + (f" (bedoelt u {near}, {known[near]}?)" if near
                                                                       else "; zoek de code op met 'kompas regions'"))
            return None
        duo = DUO_CODE.match(code)
        if duo:
            return (f"'{code}' is geschreven zoals DUO het doet; schrijf de code zonder spatie en streepje: "
                    f"{duo[1].upper()}{duo[2]}{duo[3]}")
        return (f"'{code}' is geen regiocode; schrijf een gemeentecode (GM met 4 cijfers, bijvoorbeeld GM0344) of "
                "de code van een samenwerkingsverband passend onderwijs (PO of VO met 4 cijfers, bijvoorbeeld PO2601)")

    judged = _unique_map(values[values != ""], problem)
    return [f"{at(i)}: kolom '{col.name}': {judged[v]}" for i, v in enumerate(values.tolist()) if judged.get(v)]


SCHOOLJAAR = re.compile(r"^(\d{4})/(\d{4})$")


def _schooljaar_code(text: str) -> tuple[str | None, str | None]:
    """('2023/2024', None) for a school year written as the template asks; (None, problem) otherwise,
    naming the form to write where the text is recognisably a school year in another form."""
    m = SCHOOLJAAR.match(text)
    if m and int(m[2]) == int(m[1]) + 1:
        return text, None
    if m:
        return None, (f"'{text}' is geen schooljaar: het tweede jaar moet direct op het eerste volgen, "
                      f"bijvoorbeeld {m[1]}/{int(m[1]) + 1}")
    other = re.match(r"^(\d{4})\s*[-/]\s*'?(\d{2}|\d{4})$", text)
    if other and int(other[2][-2:]) == (int(other[1]) + 1) % 100:
        return None, (f"'{text}': schrijf een schooljaar als beginjaar/eindjaar met vier cijfers, "
                      f"{other[1]}/{int(other[1]) + 1}")
    return None, (f"'{text}' is geen schooljaar; schrijf het als beginjaar/eindjaar, bijvoorbeeld 2023/2024 "
                  "(van augustus 2023 tot en met juli 2024)")


def _schooljaren(values: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[list, list[str]]:
    """School-year codes ('2023/2024'; None for an empty or unreadable cell) and their problems."""
    known = _unique_map(values[values != ""], _schooljaar_code)
    codes = [known[v][0] if v else None for v in values.tolist()]
    problems = [f"{at(i)}: kolom '{col.name}': {known[v][1]}" for i, v in enumerate(values.tolist())
                if v and known[v][1]]
    return codes, problems


def _near_code(code: str, known: dict[str, str], prefix: str = "GM") -> str | None:
    """The known code one typing slip away from ``code`` (one digit wrong, or two neighbouring digits
    swapped), the nearest in number first; a fixed number of look-ups whatever the size of the file."""
    digits = code[2:]
    slips = {digits[:k] + d + digits[k + 1:] for k in range(4) for d in "0123456789"}
    slips |= {digits[:k] + digits[k + 1] + digits[k] + digits[k + 2:] for k in range(3)}
    hits = sorted((abs(int(c) - int(digits)), c) for c in slips if c != digits and prefix + c in known)
    return prefix + hits[0][1] if hits else None


def _dates(values: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[list[str], list[str]]:
    """ISO dates ('' for an empty or unreadable cell); a text that is no date is a problem."""
    problems = []
    known = _unique_map(values, lambda v: parse_date(v) if v else None)
    dates = [known[v] for v in values.tolist()]
    for i, (v, d) in enumerate(zip(values.tolist(), dates)):
        if v and d is None:
            problems.append(f"{at(i)}: kolom '{col.name}': '{v}' is geen datum; schrijf bijvoorbeeld "
                            "2024-03-12 (jaar-maand-dag) of 12-03-2024 (dag-maand-jaar)")
    return [d or "" for d in dates], problems


def _indicator_problems(values: pd.Series, col: Col, at: Callable[[int], str], known_indicators: set[str]) -> list[str]:
    """An indicator id that is not in the catalogue (naming the id it probably is)."""
    bad = (values != "") & ~values.isin(known_indicators)
    near = _suggestions(values[bad], sorted(known_indicators))
    return [f"{at(i)}: kolom '{col.name}': '{v}' is geen indicator uit de catalogus"
            + (f" (bedoelt u '{near[v][0]}'?)" if near[v] else "")
            + "; laat de kolom leeg of gebruik een id uit kompas_lib/data/tables.yml"
            for i, v in zip(np.where(bad)[0], values[bad].tolist())]
