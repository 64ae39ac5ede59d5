"""CSV templates for a gemeente's own data (blocks 2–6) and their validation.

Each template is described once (:data:`SPECS`): its columns, their kind and the rules between them.
:func:`load` reads a file and stops with one message per problem naming the file, the line and the
column, in words a policy analyst can act on. The empty templates live in ``kompas_lib/templates/``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core.errors import DataError
from kompas_lib.core.paths import PACKAGE_DIR
from kompas_lib.core.periods import parse_period

TEMPLATES = PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # text | count | number | period | enum | list | gemeente | datum | indicator
    required: bool = True
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    name: str
    file: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    # (numerator column(s), denominator): the numerator (or the sum of several) may not exceed it
    bounds: tuple[tuple[str | tuple[str, ...], str], ...] = ()
    bounded_when: dict = field(default_factory=dict)  # column -> values for which bounds apply
    params_key: str = "lokale_gegevens"  # where the params file points at this file
    one_of: tuple[str, ...] = ()  # at least one of these columns must be filled on every line
    needs: tuple[tuple[str, str], ...] = ()  # (column, other): when column is filled, other must be too
    not_before: tuple[tuple[str, str], ...] = ()  # (later, earlier): date columns in order

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


ACTIVITY_TYPES = ("preventie", "basisvoorziening", "eerstelijn", "intensief")
INPUT_INDICATORS = {
    "effectieve_interventies": "Aandeel interventies dat erkend effectief is (Databank Effectieve Jeugdinterventies)",
    "geregistreerde_professionals": "Aandeel professionals met een registratie (SKJ of BIG)",
    "caseload": "Caseload: cliënten per fte",
    "verloop_personeel": "Verloop: aandeel medewerkers dat vertrok",
    "scholing": "Aandeel medewerkers dat een scholing volgde",
}
SHARE_INDICATORS = tuple(k for k in INPUT_INDICATORS if k != "caseload")

PROVIDER_COUNTS = ("trajecten_beeindigd", "beeindigd_volgens_plan", "voortijdig_eenzijdig_client",
                   "voortijdig_eenzijdig_aanbieder", "voortijdig_overig", "herhaald_beroep_6mnd", "herhaald_beroep_12mnd",
                   "tevredenheid_respons", "tevredenheid_positief", "doel_gemeten", "doel_bereikt")

BLOCKS = ("1", "2", "3", "4", "5")
VOICE_ROLES = ("jongere", "ouder", "professional", "aanbieder", "school", "gemeente", "anders")
ACTION_FOR = ("gemeente", "aanbieder")
ACTION_STATUS = ("open", "lopend", "afgerond", "gestopt")
DUIDINGSVRAGEN = ("herkennen", "verklaren", "vinden", "nodig")

SPECS = {
    "aanbieders": Spec("aanbieders", "aanbieders_uitkomsten.csv", (
        Col("aanbieder", "text"), Col("gemeente_code", "gemeente"), Col("periode", "period"), Col("zorgvorm", "text"),
        *(Col(c, "count") for c in PROVIDER_COUNTS),
    ), key=("aanbieder", "gemeente_code", "periode", "zorgvorm"), bounds=(
        (("beeindigd_volgens_plan", "voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig"),
         "trajecten_beeindigd"),
        ("herhaald_beroep_6mnd", "herhaald_beroep_12mnd"),
        ("herhaald_beroep_12mnd", "trajecten_beeindigd"),
        ("tevredenheid_respons", "trajecten_beeindigd"),
        ("tevredenheid_positief", "tevredenheid_respons"),
        ("doel_gemeten", "trajecten_beeindigd"),
        ("doel_bereikt", "doel_gemeten"),
    ), params_key="aanbieders.bestand"),
    "activiteiten": Spec("activiteiten", "activiteiten.csv", (
        Col("activiteit", "text"), Col("partner", "text"), Col("type", "enum", allowed=ACTIVITY_TYPES),
        Col("resultaten", "list", required=False), Col("beleidstheorie", "text", required=False),
        Col("periode", "period"), Col("bereik", "count", required=False), Col("trajecten", "count", required=False),
        Col("wachttijd_dagen", "number", required=False), Col("doorlooptijd_dagen", "number", required=False),
    ), key=("activiteit", "partner", "periode")),
    "inputkwaliteit": Spec("inputkwaliteit", "inputkwaliteit.csv", (
        Col("aanbieder", "text"), Col("periode", "period"),
        Col("indicator", "enum", allowed=tuple(INPUT_INDICATORS)), Col("teller", "number"), Col("noemer", "number"),
    ), key=("aanbieder", "periode", "indicator"), bounds=(("teller", "noemer"),),
        bounded_when={"indicator": SHARE_INDICATORS}),
    "lokale_indicatoren": Spec("lokale_indicatoren", "lokale_indicatoren.csv", (
        Col("indicator", "text"), Col("periode", "period"), Col("teller", "number", required=False),
        Col("noemer", "number", required=False), Col("waarde", "number", required=False),
    ), key=("indicator", "periode"), bounds=(("teller", "noemer"),)),
    "duiding": Spec("duiding", "duiding.csv", (
        Col("blok", "enum", allowed=BLOCKS), Col("onderwerp", "text"), Col("periode", "text", required=False),
        Col("datum", "datum"), Col("aanwezig", "text", required=False),
        *(Col(c, "text", required=False) for c in DUIDINGSVRAGEN),
        Col("stem_rol", "enum", required=False, allowed=VOICE_ROLES), Col("stem_citaat", "text", required=False),
    ), key=("blok", "onderwerp", "periode", "datum", "stem_rol", "stem_citaat"),
        one_of=(*DUIDINGSVRAGEN, "stem_citaat"), needs=(("stem_citaat", "stem_rol"), ("stem_rol", "stem_citaat"))),
    "verbeteracties": Spec("verbeteracties", "verbeteracties.csv", (
        Col("actie", "text"), Col("aanspreekpunt", "text"), Col("voor", "enum", allowed=ACTION_FOR),
        Col("blok", "enum", required=False, allowed=BLOCKS), Col("onderwerp", "text"),
        Col("indicator", "indicator", required=False), Col("startdatum", "datum"), Col("evaluatiedatum", "datum"),
        Col("status", "enum", allowed=ACTION_STATUS), Col("evaluatie", "text", required=False),
    ), key=("actie", "aanspreekpunt", "startdatum"), not_before=(("evaluatiedatum", "startdatum"),)),
}


class TemplateError(DataError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:25] + ([f"… and {len(problems) - 25} more"] if len(problems) > 25 else [])
        super().__init__("The file cannot be used:\n" + "\n".join(shown))


def template(name: str) -> pd.DataFrame:
    return pd.read_csv(TEMPLATES / SPECS[name].file, sep=";", dtype=str)


def _line(i: int) -> int:
    return i + 2


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


def validate(raw: pd.DataFrame, source: str, spec: Spec, known_codes: dict[str, str] | None = None,
             known_indicators: set[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    problems: list[str] = []
    raw = raw.copy()
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in spec.names if c not in raw.columns]
    extra = [c for c in raw.columns if c not in spec.names]
    for c in missing:
        near = difflib.get_close_matches(c, extra, n=1)
        problems.append(f"{source}: line 1: column '{c}' is missing" + (f" (is '{near[0]}' meant?)" if near else "")
                        + f"; see the template kompas_lib/templates/{spec.file}")
    for c in extra:
        if not difflib.get_close_matches(c, missing, n=1):
            problems.append(f"{source}: line 1: column '{c}' is not part of the template; remove or rename it")
    if missing:
        return pd.DataFrame(columns=spec.names), problems
    df = raw[spec.names].apply(lambda s: s.astype(str).str.strip())
    for col in spec.columns:
        values = df[col.name]
        empty = values == ""
        if col.required:
            for i in np.where(empty)[0]:
                problems.append(f"{source}: line {_line(i)}: column '{col.name}' is empty")
        if col.kind in ("count", "number"):
            num = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
            for i in np.where(num.isna() & ~empty)[0]:
                problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{values.iloc[i]}' is not a number")
            for i in np.where(num < 0)[0]:
                what = "count" if col.kind == "count" else "value"
                problems.append(f"{source}: line {_line(i)}: column '{col.name}': negative {what} {num.iloc[i]:g}")
            if col.kind == "count":
                for i in np.where(num.notna() & (num % 1 != 0))[0]:
                    problems.append(f"{source}: line {_line(i)}: column '{col.name}': {num.iloc[i]:g} is not a whole number")
            df[col.name] = num
        elif col.kind == "enum":
            for i in np.where(~empty & ~values.isin(col.allowed))[0]:
                near = difflib.get_close_matches(values.iloc[i], col.allowed, n=1)
                problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{values.iloc[i]}' is not allowed"
                                + (f" (did you mean '{near[0]}'?)" if near else "") + f"; allowed: {', '.join(col.allowed)}")
        elif col.kind == "period":
            codes = []
            for i, p in enumerate(values):
                try:
                    per = parse_period(p)
                    if per.type not in ("jaar", "halfjaar", "kwartaal"):
                        raise DataError(per.type)
                    codes.append(per.code)
                except DataError:
                    codes.append(None)
                    if p:
                        problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{p}' is not a period; use e.g. "
                                        "2023, '1e halfjaar 2023' or '1e kwartaal 2023'")
            df[col.name] = codes
        elif col.kind == "gemeente":
            for i, code in enumerate(values):
                if code and not re.match(r"^GM\d{4}$", code):
                    problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{code}' is not a gemeente code "
                                    "(GM + 4 digits)")
                elif code and known_codes is not None and code not in known_codes:
                    near = difflib.get_close_matches(code, list(known_codes), n=1, cutoff=0.7)
                    hint = f" (did you mean {near[0]} {known_codes[near[0]]}?)" if near else ""
                    problems.append(f"{source}: line {_line(i)}: column '{col.name}': unknown gemeente {code}{hint}")
        elif col.kind == "list":
            df[col.name] = [[x.strip() for x in v.split("|") if x.strip()] for v in values]
        elif col.kind == "datum":
            dates = [parse_date(v) if v else None for v in values]
            for i, (v, d) in enumerate(zip(values, dates)):
                if v and d is None:
                    problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{v}' is not a date; use e.g. "
                                    "2024-03-12 (year-month-day) or 12-03-2024")
            df[col.name] = [d or "" for d in dates]
        elif col.kind == "indicator" and known_indicators is not None:
            for i, v in enumerate(values):
                if v and v not in known_indicators:
                    near = difflib.get_close_matches(v, sorted(known_indicators), n=1, cutoff=0.6)
                    problems.append(f"{source}: line {_line(i)}: column '{col.name}': '{v}' is not an indicator of the "
                                    "catalogue" + (f" (did you mean '{near[0]}'?)" if near else "")
                                    + "; leave it empty or use an id from kompas_lib/data/tables.yml")
    if spec.one_of:
        filled = (df[list(spec.one_of)] != "").any(axis=1)
        for i in np.where(~filled)[0]:
            problems.append(f"{source}: line {_line(i)}: columns {', '.join(spec.one_of)}: all empty; fill at least one")
    for col, other in spec.needs:
        for i in np.where((df[col] != "") & (df[other] == ""))[0]:
            problems.append(f"{source}: line {_line(i)}: column '{other}' is empty while '{col}' is filled")
    for later, earlier in spec.not_before:
        for i in np.where((df[later] != "") & (df[earlier] != "") & (df[later] < df[earlier]))[0]:
            problems.append(f"{source}: line {_line(i)}: column '{later}': {df[later].iloc[i]} is before "
                            f"{earlier} {df[earlier].iloc[i]}")
    for nums, den in spec.bounds:
        nums = (nums,) if isinstance(nums, str) else tuple(nums)
        applies = pd.Series(True, index=df.index)
        for c, vals in spec.bounded_when.items():
            applies &= df[c].isin(vals)
        total = df[list(nums)].sum(axis=1, min_count=len(nums))
        what = " + ".join(nums) + " = "
        for i in np.where(applies & (total > df[den]))[0]:
            problems.append(f"{source}: line {_line(i)}: column '{nums[-1]}': {what}{total.iloc[i]:g} is more than "
                            f"{den} = {df[den].iloc[i]:g}")
    keyed = df[list(spec.key)].astype(str)
    dup = keyed.duplicated(keep="first")
    for i in np.where(dup)[0]:
        first = np.where((keyed == keyed.iloc[i]).all(axis=1))[0][0]
        problems.append(f"{source}: line {_line(i)}: columns {', '.join(spec.key)}: duplicate of line {_line(first)}")
    return df, problems


def load(path: Path, name: str, known_codes: dict[str, str] | None = None,
         known_indicators: set[str] | None = None) -> pd.DataFrame:
    """Read and validate a file made from template ``name``; raise :class:`TemplateError` listing every
    problem (file, line, column)."""
    spec = SPECS[name]
    path = Path(path)
    if not path.is_file():
        raise TemplateError([f"{path}: file not found; make it from the template kompas_lib/templates/{spec.file} "
                             f"and set its path in the params file under '{spec.params_key}'"])
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise TemplateError([f"{path}: cannot be read as a ';'-separated UTF-8 file ({exc})"]) from None
    df, problems = validate(raw, str(path), spec, known_codes, known_indicators)
    if problems:
        raise TemplateError(problems)
    return df
