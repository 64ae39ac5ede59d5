"""Outcome data from providers (spiegelrapportages): template, validation and rates.

A gemeente receives per aanbieder, gemeente, period and zorgvorm the counts of the harmonised
outcome indicators (see ``templates/aanbieders_uitkomsten.csv`` and docs/templates.md). The file is
validated on load; every problem names the file, the line and the column. Rates come with Wilson
intervals; cells below the privacy threshold are never shown or exported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError
from .paths import PACKAGE_DIR
from .periods import parse_period
from .uncertainty import wilson

TEMPLATE = PACKAGE_DIR / "templates" / "aanbieders_uitkomsten.csv"
KEYS = ["aanbieder", "gemeente_code", "periode", "zorgvorm"]
COUNTS = ["trajecten_beeindigd", "beeindigd_volgens_plan", "voortijdig_eenzijdig_client",
          "voortijdig_eenzijdig_aanbieder", "voortijdig_overig", "herhaald_beroep_6mnd", "herhaald_beroep_12mnd",
          "tevredenheid_respons", "tevredenheid_positief", "doel_gemeten", "doel_bereikt"]
COLUMNS = KEYS + COUNTS
PERIOD_TYPES = {"jaar", "halfjaar", "kwartaal"}

# numerator (or sum of columns) <= denominator
BOUNDS = [
    (["beeindigd_volgens_plan", "voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig"],
     "trajecten_beeindigd"),
    (["herhaald_beroep_6mnd"], "herhaald_beroep_12mnd"),
    (["herhaald_beroep_12mnd"], "trajecten_beeindigd"),
    (["tevredenheid_respons"], "trajecten_beeindigd"),
    (["tevredenheid_positief"], "tevredenheid_respons"),
    (["doel_gemeten"], "trajecten_beeindigd"),
    (["doel_bereikt"], "doel_gemeten"),
]


class ProviderDataError(DataError):
    """The provider file has problems; ``problems`` lists them (file, line, column, message)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:25] + ([f"… and {len(problems) - 25} more"] if len(problems) > 25 else [])
        super().__init__("The provider outcome file cannot be used:\n" + "\n".join(shown))


def template() -> pd.DataFrame:
    return pd.read_csv(TEMPLATE, sep=";", dtype=str)


def _line(i: int) -> int:
    return i + 2  # header is line 1


def validate(raw: pd.DataFrame, source: str, known_codes: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Check a provider file read as text; return (typed frame, problems)."""
    problems: list[str] = []
    cols = [c.strip() for c in raw.columns]
    raw = raw.copy()
    raw.columns = cols
    missing = [c for c in COLUMNS if c not in cols]
    extra = [c for c in cols if c not in COLUMNS]
    for c in missing:
        near = difflib.get_close_matches(c, extra, n=1)
        problems.append(f"{source}: line 1: column '{c}' is missing" + (f" (is '{near[0]}' meant?)" if near else "")
                        + "; see the template kompas_lib/templates/aanbieders_uitkomsten.csv")
    for c in extra:
        if not difflib.get_close_matches(c, missing, n=1):
            problems.append(f"{source}: line 1: column '{c}' is not part of the template; remove or rename it")
    if missing:
        return pd.DataFrame(columns=COLUMNS), problems
    df = raw[COLUMNS].apply(lambda s: s.astype(str).str.strip())
    for c in COUNTS:
        num = pd.to_numeric(df[c].str.replace(",", ".", regex=False), errors="coerce")
        for i in np.where(num.isna() & (df[c] != ""))[0]:
            problems.append(f"{source}: line {_line(i)}: column '{c}': '{df[c].iloc[i]}' is not a number")
        for i in np.where(num < 0)[0]:
            problems.append(f"{source}: line {_line(i)}: column '{c}': negative count {num.iloc[i]:g}")
        for i in np.where(num.notna() & (num % 1 != 0))[0]:
            problems.append(f"{source}: line {_line(i)}: column '{c}': {num.iloc[i]:g} is not a whole number")
        df[c] = num
    for c in KEYS:
        for i in np.where(df[c] == "")[0]:
            problems.append(f"{source}: line {_line(i)}: column '{c}' is empty")
    for i, code in enumerate(df["gemeente_code"]):
        if code and not re.match(r"^GM\d{4}$", code):
            problems.append(f"{source}: line {_line(i)}: column 'gemeente_code': '{code}' is not a gemeente code (GM + 4 digits)")
        elif code and known_codes is not None and code not in known_codes:
            near = difflib.get_close_matches(code, list(known_codes), n=1, cutoff=0.7)
            hint = f" (did you mean {near[0]} {known_codes[near[0]]}?)" if near else ""
            problems.append(f"{source}: line {_line(i)}: column 'gemeente_code': unknown gemeente {code}{hint}")
    periods = []
    for i, p in enumerate(df["periode"]):
        try:
            per = parse_period(p)
            if per.type not in PERIOD_TYPES:
                raise DataError(per.type)
            periods.append(per.code)
        except DataError:
            periods.append(None)
            if p:
                problems.append(f"{source}: line {_line(i)}: column 'periode': '{p}' is not a period; use e.g. 2023, "
                                "'1e halfjaar 2023' or '1e kwartaal 2023'")
    df["periode"] = periods
    for cols_num, den in BOUNDS:
        total = df[cols_num].sum(axis=1, min_count=len(cols_num))
        for i in np.where(total > df[den])[0]:
            what = " + ".join(cols_num)
            problems.append(f"{source}: line {_line(i)}: column '{cols_num[-1]}': {what} = {total.iloc[i]:g} is more "
                            f"than {den} = {df[den].iloc[i]:g}")
    dup = df.duplicated(KEYS, keep=False) & df["periode"].notna()
    for i in np.where(dup)[0]:
        first = np.where((df[KEYS] == df[KEYS].iloc[i]).all(axis=1))[0][0]
        if first != i:
            problems.append(f"{source}: line {_line(i)}: columns {', '.join(KEYS)}: duplicate of line {_line(first)}")
    return df, problems


def load(path: Path, known_codes: dict[str, str] | None = None) -> pd.DataFrame:
    """Read and validate a provider file; raise :class:`ProviderDataError` listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise ProviderDataError([f"{path}: file not found; set 'aanbieders.bestand' in the params file to your "
                                 "provider file, made from the template kompas_lib/templates/aanbieders_uitkomsten.csv"])
    try:
        raw = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise ProviderDataError([f"{path}: cannot be read as a ';'-separated UTF-8 file ({exc})"]) from None
    df, problems = validate(raw, str(path), known_codes)
    if problems:
        raise ProviderDataError(problems)
    return df


@dataclass(frozen=True)
class Measure:
    id: str
    titel: str
    teller: list[str]
    noemer: str
    polariteit: str


MEASURES = {
    "volgens_plan": Measure("volgens_plan", "Beëindigd volgens plan", ["beeindigd_volgens_plan"], "trajecten_beeindigd", "hoger_beter"),
    "voortijdig": Measure("voortijdig", "Voortijdig afgesloten (uitval)",
                          ["voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig"],
                          "trajecten_beeindigd", "lager_beter"),
    "herhaald_beroep_12mnd": Measure("herhaald_beroep_12mnd", "Herhaald beroep binnen 12 maanden",
                                     ["herhaald_beroep_12mnd"], "trajecten_beeindigd", "lager_beter"),
    "tevredenheid": Measure("tevredenheid", "Cliënttevredenheid (positief oordeel)", ["tevredenheid_positief"],
                            "tevredenheid_respons", "hoger_beter"),
    "respons": Measure("respons", "Respons op de tevredenheidsvraag", ["tevredenheid_respons"], "trajecten_beeindigd",
                       "hoger_beter"),
    "doelrealisatie": Measure("doelrealisatie", "Doelrealisatie (doelen bereikt)", ["doel_bereikt"], "doel_gemeten",
                              "hoger_beter"),
}


def rates(df: pd.DataFrame, measure: str, by: list[str], threshold: int) -> pd.DataFrame:
    """k, n, rate and Wilson interval per group; groups with n below ``threshold`` are marked small and
    carry no numbers (so they can be neither shown nor exported)."""
    m = MEASURES[measure]
    g = df.assign(_k=df[m.teller].sum(axis=1), _n=df[m.noemer]).groupby(by, sort=True)[["_k", "_n"]].sum().reset_index()
    g = g.rename(columns={"_k": "k", "_n": "n"})
    g["klein"] = g["n"] < threshold
    lo, hi = wilson(g["k"], g["n"].where(g["n"] > 0))
    g["rate"], g["lo"], g["hi"] = g["k"] / g["n"], lo, hi
    g.loc[g["klein"], ["k", "n", "rate", "lo", "hi"]] = np.nan
    g.insert(0, "indicator", measure)
    return g
