"""What is wrong with a params file, in Dutch: one validation error as ``<key>: <problem>; toegestaan:
<what is allowed>``, a hint for an unknown key, and the region meant by a mistyped code or name."""

from __future__ import annotations

import difflib
import math
from datetime import date
from typing import Mapping

from pydantic import BaseModel

from kompas_lib.core.params.models import (
    BENCHMARKS,
    FIRST_YEAR,
    MIN_THRESHOLD,
    MODEL_VARIABLES,
    PROFILE_VARIABLES,
    YEARS_AHEAD,
    KompasParams,
)

ALLOWED = {
    "gemeente": "een code GMdddd (gemeente, bv. GM0344), JZdd (jeugdregio, bv. JZ19), PVdd (provincie, bv. PV26), POdddd of VOdddd (samenwerkingsverband passend onderwijs, bv. PO2601) of NL01",
    "periode.start_jaar": f"een jaar van {FIRST_YEAR} tot en met {date.today().year}",
    "periode.eind_jaar": f"een jaar van {FIRST_YEAR} tot en met {date.today().year}, niet vóór start_jaar, of laat het weg",
    "periode": "start_jaar en eind_jaar, met start_jaar ≤ eind_jaar",
    "benchmarks": "een lijst met: " + ", ".join(BENCHMARKS) + " (elk één keer)",
    "vergelijkbare_gemeenten.k": "een geheel getal van 1 tot en met 50",
    "vergelijkbare_gemeenten.profiel": "een lijst met: " + ", ".join(PROFILE_VARIABLES),
    "vergelijkbare_gemeenten.vaste_lijst": "een lijst met gemeentecodes zoals GM0344",
    "privacy.drempel": f"een geheel getal van minstens {MIN_THRESHOLD} (standaard 10)",
    "indicatoren": "een lijst met indicator-id's uit kompas_lib/data/tables.yml (leeg = alle)",
    "ambities": "een lijst met ambities, elk met 'ambitie', 'resultaten' en liefst 'bron' (het besluit en de "
                "datum; zie params/default.yml)",
    "aanbieders.bestand": "het pad van uw bestand met uitkomsten van aanbieders (vanaf de map van het params-bestand), of laat het weg",
    "naam": "een tekst", "rapport.titel": "een tekst", "rapport.organisatie": "een tekst",
    "verwacht_gebruik.uitkomsten": "een lijst met uitkomsten onder verwacht_gebruik in kompas_lib/data/tables.yml",
    "verwacht_gebruik.kenmerken": "een lijst met: " + ", ".join(MODEL_VARIABLES),
    "ambities.resultaten.indicatoren.doeljaar": f"een jaar van {FIRST_YEAR} tot en met {date.today().year + YEARS_AHEAD}",
    "ambities.resultaten.indicatoren.doel": "een getal met een punt als decimaalteken, bijvoorbeeld 0.9",
    "ambities.resultaten.indicatoren.basis.waarde": "een getal met een punt als decimaalteken, bijvoorbeeld 1.2, of "
                                                    "laat het weg",
}
TYPE_WORDS = {"int": "een geheel getal", "float": "een getal", "string": "een tekst", "list": "een lijst",
              "dict": "een reeks 'sleutel: waarde'-regels", "bool": "true of false", "literal": "een van de genoemde waarden"}


def _allowed_keys(model: type[BaseModel]) -> dict[str, type | None]:
    out = {}
    for name, f in model.model_fields.items():
        ann = f.annotation
        out[name] = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return out


def _unknown_key_hint(loc: tuple) -> str:
    model: type[BaseModel] = KompasParams
    for part in loc[:-1]:
        sub = _allowed_keys(model).get(part)
        if sub is None:
            break
        model = sub
    keys = list(_allowed_keys(model))
    near = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.5)
    hint = f"bedoelt u '{near[0]}'? " if near else ""
    return f"onbekende sleutel; {hint}toegestaan: {', '.join(keys)}"


def _describe(err: dict, typed: str | None = None) -> str:
    """One validation error in Dutch; ``typed`` is the value as the file spells it (``.inf``, ``yes``)."""
    loc = tuple(p for p in err["loc"] if not isinstance(p, int))
    key = ".".join(map(str, loc)) or "(bovenste niveau)"
    if err["type"] == "extra_forbidden":
        return f"{key}: {_unknown_key_hint(loc)}"
    kind = err["type"].split("_")[0]
    expected = TYPE_WORDS.get(kind)
    got = err.get("input")
    shown = f"'{typed}'" if typed is not None else repr(got)
    problem = err["msg"].removeprefix("Value error, ")
    if err["type"] == "finite_number":
        meaning = "'geen getal'" if isinstance(got, float) and math.isnan(got) else "oneindig"
        problem = f"{shown} is geen gewoon getal (het betekent {meaning})"
    elif err["type"] == "float_parsing" and isinstance(got, str) and _is_float(got.replace(",", ".")):
        problem = (f"{shown} is geen getal: in een params-bestand is het decimaalteken een punt; schrijf "
                   f"{got.replace(',', '.')}")
    elif err["type"] == "int_from_float":
        problem = f"{shown} is geen geheel getal"
    elif isinstance(got, bool) and err["type"] == "value_error":
        problem = f"{shown} is geen geheel getal"
    elif expected and err["type"].endswith(("_type", "_parsing")):
        problem = f"{got!r} is geen {expected.removeprefix('een ')}"
    elif err["type"] == "literal_error":
        problem = f"{got!r} is niet toegestaan"
    elif err["type"] == "missing":
        problem = "ontbreekt"
    elif err["type"] in ("greater_than_equal", "greater_than"):
        problem = f"{got!r} is te klein"
    elif err["type"] in ("less_than_equal", "less_than"):
        problem = f"{got!r} is te groot"
    allowed = ALLOWED.get(key) or ALLOWED.get(key.rsplit(".", 1)[0]) or (expected or "zie params/default.yml")
    return f"{key}: {problem}; toegestaan: {allowed}"


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _suggest(code: str, known: Mapping[str, str]) -> str:
    by_name = {n.lower(): c for c, n in known.items()}
    code_u = code.strip().upper()
    same_shape = [c for c in known if len(c) == len(code_u) and c[:2] == code_u[:2]]
    # codes: fewest differing characters first, then nearest number (GM0334 -> GM0344)
    hits = sorted((c for c in same_shape if sum(a != b for a, b in zip(c, code_u)) == 1),
                  key=lambda c: abs(int(c[2:]) - int(code_u[2:])) if c[2:].isdigit() and code_u[2:].isdigit() else 0)
    if not hits:
        hits = difflib.get_close_matches(code_u, list(known), n=3, cutoff=0.6)
    names = difflib.get_close_matches(code.lower(), list(by_name), n=2, cutoff=0.6)
    hits += [by_name[n] for n in names if by_name[n] not in hits]
    if not hits:
        return "zoek de code op met 'kompas regions <naam>'"
    return "bedoelt u " + " of ".join(f"{c} ({known[c]})" for c in hits[:3]) + "?"
