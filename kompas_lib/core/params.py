"""Params: one YAML file per gemeente or region, merged over ``params/default.yml`` and validated.

Everything a notebook needs beyond the gemeente code comes from here. A broken file stops the run
*before* any analysis, with one message that lists every problem as
``<file>: <key>: <problem>; allowed: <what is allowed>``.
"""

from __future__ import annotations

import copy
import difflib
import re
from datetime import date
from pathlib import Path
from typing import Literal, Mapping

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kompas_lib.core import io, paths
from kompas_lib.core.errors import ParamsError

CODE_RE = re.compile(r"^(GM\d{4}|JZ\d{2}|PV\d{2}|NL01)$")
BENCHMARKS = ("nederland", "provincie", "jeugdregio", "grootteklasse", "vergelijkbare_gemeenten")
PROFILE_VARIABLES = ("inwoners", "aandeel_0_17", "stedelijkheid", "eenouderhuishoudens",
                     "minderjarigen_laag_inkomen", "bijstand")
MODEL_VARIABLES = (*PROFILE_VARIABLES, "psychisch_medicijngebruik_ouders")
FIRST_YEAR = 2015


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Periode(_Strict):
    start_jaar: int = FIRST_YEAR
    eind_jaar: int | None = None

    @field_validator("start_jaar", "eind_jaar")
    @classmethod
    def _year(cls, v):
        if v is not None and not FIRST_YEAR <= v <= date.today().year:
            raise ValueError(f"jaar {v} ligt buiten {FIRST_YEAR}–{date.today().year}")
        return v

    @model_validator(mode="after")
    def _order(self):
        if self.eind_jaar is not None and self.eind_jaar < self.start_jaar:
            raise ValueError(f"eind_jaar {self.eind_jaar} ligt vóór start_jaar {self.start_jaar}")
        return self


class Vergelijkbaar(_Strict):
    k: int = Field(15, ge=1, le=50)
    profiel: list[Literal[PROFILE_VARIABLES]] = Field(default_factory=lambda: list(PROFILE_VARIABLES))
    vaste_lijst: list[str] = Field(default_factory=list)

    @field_validator("vaste_lijst")
    @classmethod
    def _codes(cls, v):
        bad = [c for c in v if not re.match(r"^GM\d{4}$", c)]
        if bad:
            raise ValueError(f"{', '.join(map(str, bad))} is geen gemeentecode (GM + 4 cijfers)")
        return v


MIN_THRESHOLD = 5  # CBS rounds counts to fives: a threshold below that protects nothing


class Privacy(_Strict):
    drempel: int = Field(10, ge=MIN_THRESHOLD)


class Basis(_Strict):
    periode: str  # e.g. "2021"
    waarde: float | None = None  # leave out to take the value from the data


class DoelIndicator(_Strict):
    indicator: str | None = None  # id from the catalogue (kompas_lib/data/tables.yml)
    lokaal: str | None = None  # id in the gemeente's own file lokale_gegevens.indicatoren
    richting: Literal["hoger", "lager"]
    basis: Basis | None = None
    doel: float | None = None
    doeljaar: int | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.indicator) == bool(self.lokaal):
            raise ValueError("geef 'indicator' (uit de catalogus) of 'lokaal' (eigen bestand), niet allebei en niet geen van beide")
        return self

    @property
    def has_norm(self) -> bool:
        return self.basis is not None and self.doel is not None and self.doeljaar is not None


class Resultaat(_Strict):
    id: str  # short id that activities refer to, e.g. R1
    titel: str
    soort: Literal["inhoudelijk", "proces", "randvoorwaardelijk"]
    indicatoren: list[DoelIndicator] = Field(default_factory=list)


class Ambitie(_Strict):
    ambitie: str
    resultaten: list[Resultaat] = Field(default_factory=list)
    bron: str = ""  # where the ambition was decided: 'Raadsbesluit Jeugdbeleid 2024–2027, 12 maart 2024'
    voorbeeld: bool = False  # an example (shipped with the workbook): stamped VOORBEELD wherever it appears


class LokaleGegevens(_Strict):
    indicatoren: str | None = None
    activiteiten: str | None = None
    inputkwaliteit: str | None = None
    duiding: str | None = None  # block 6: what partners said about the signals (template duiding.csv)
    verbeteracties: str | None = None  # block 6: the register of improvement actions (template verbeteracties.csv)


class Aanbieders(_Strict):
    bestand: str | None = None  # provider outcome file (template: kompas_lib/templates/aanbieders_uitkomsten.csv)


class VerwachtGebruikKeuze(_Strict):
    """Narrow the catalogue's expected-use model (empty = as in the catalogue)."""

    uitkomsten: list[str] = Field(default_factory=list)  # indicator ids from verwacht_gebruik in the catalogue
    kenmerken: list[Literal[MODEL_VARIABLES]] = Field(default_factory=list)


class Rapport(_Strict):
    titel: str | None = None
    organisatie: str | None = None


class KompasParams(_Strict):
    gemeente: str
    naam: str | None = None
    periode: Periode = Field(default_factory=Periode)
    benchmarks: list[Literal[BENCHMARKS]] = Field(default_factory=lambda: list(BENCHMARKS))
    vergelijkbare_gemeenten: Vergelijkbaar = Field(default_factory=Vergelijkbaar)
    privacy: Privacy = Field(default_factory=Privacy)
    indicatoren: list[str] = Field(default_factory=list)
    aanbieders: Aanbieders = Field(default_factory=Aanbieders)
    ambities: list[Ambitie] = Field(default_factory=list)
    lokale_gegevens: LokaleGegevens = Field(default_factory=LokaleGegevens)
    rapport: Rapport = Field(default_factory=Rapport)
    verwacht_gebruik: VerwachtGebruikKeuze = Field(default_factory=VerwachtGebruikKeuze)

    @field_validator("gemeente")
    @classmethod
    def _code(cls, v):
        if not CODE_RE.match(v):
            raise ValueError(f"{v!r} is geen regiocode")
        return v

    @field_validator("benchmarks")
    @classmethod
    def _unique(cls, v):
        if len(set(v)) != len(v):
            raise ValueError("een vergelijkingsregio staat er twee keer in")
        return v

    @field_validator("ambities")
    @classmethod
    def _result_ids(cls, v):
        ids = [r.id for a in v for r in a.resultaten]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"resultaat-id(s) {', '.join(dup)} komen meer dan één keer voor; elk resultaat heeft een eigen id nodig")
        return v


ALLOWED = {
    "gemeente": "een code GMdddd (gemeente, bv. GM0344), JZdd (jeugdregio, bv. JZ19), PVdd (provincie, bv. PV26) of NL01",
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


def _describe(err: dict) -> str:
    loc = tuple(p for p in err["loc"] if not isinstance(p, int))
    key = ".".join(map(str, loc)) or "(bovenste niveau)"
    if err["type"] == "extra_forbidden":
        return f"{key}: {_unknown_key_hint(loc)}"
    kind = err["type"].split("_")[0]
    expected = TYPE_WORDS.get(kind)
    got = err.get("input")
    problem = err["msg"].removeprefix("Value error, ")
    if expected and err["type"].endswith(("_type", "_parsing")):
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


YAML_PROBLEMS = {  # PyYAML's problem texts, as a policy analyst understands them
    "mapping values are not allowed here": "hier kan geen 'sleutel: waarde' staan (klopt het inspringen?)",
    "found character '\\t' that cannot start any token": "er staat een tab; gebruik spaties om in te springen",
    "could not find expected ':'": "na een sleutel ontbreekt de dubbele punt",
    "expected <block end>": "het inspringen klopt niet",
    "found undefined alias": "verwijzingen met '*' (YAML-aliassen) zijn niet toegestaan",
    "found unexpected end of stream": "het bestand houdt onverwacht op (ontbreekt een ']' of '}'?)",
    "expected ',' or ']'": "een lijst is niet afgesloten met ']'",
    "expected ',' or '}'": "een reeks is niet afgesloten met '}'",
    "found duplicate anchor": "verwijzingen met '&' (YAML-ankers) zijn niet toegestaan",
}


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases ('&a' / '*a'): a params file never needs them, and a few
    nested aliases can blow up to billions of values ('billion laughs')."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(problem="verwijzingen met '*' (YAML-aliassen) zijn niet toegestaan; "
                                               "schrijf de waarde voluit", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> dict:
    if path.is_dir():
        raise ParamsError(f"{path}: dit is een map, geen params-bestand. Geef het bestand zelf, bv. "
                          f"{paths.params_dir() / 'GM0344.yml'}.")
    if not path.is_file():
        raise ParamsError(
            f"{path}: params-bestand niet gevonden. Params-bestanden staan in {paths.params_dir()}; maak er een met "
            f"'kompas params new GM0344' (met uw eigen gemeentecode).")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ParamsError(
            f"{path}: regel {line}: het bestand is niet in UTF-8 opgeslagen (bijvoorbeeld Latin-1 of Windows-1252). "
            "Sla het op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8).") from None
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader: constructs no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or exc)
        if "could not determine a constructor" in problem or "!!" in problem:
            problem = "een YAML-label zoals '!!python/…' is niet toegestaan; gebruik gewone waarden"
        problem = next((dutch for english, dutch in YAML_PROBLEMS.items() if english in problem), problem)
        raise ParamsError(
            f"{path}: geen geldige YAML{where}: {problem}. Controleer het inspringen (spaties, geen tabs) en dat "
            "na elke sleutel een dubbele punt en een spatie staan ('k: 15').") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: (bovenste niveau): het bestand moet uit regels 'sleutel: waarde' bestaan; "
                          f"toegestaan: de sleutels van params/default.yml")
    return data


def _deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


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


def params_file_for(code: str, explicit: Path | None) -> Path | None:
    """The params file of a report: the one given, else ``params/<code>.yml`` when it exists, else none
    (the defaults alone)."""
    if explicit:
        return Path(explicit).resolve()
    own = paths.params_dir() / f"{code}.yml"
    return own.resolve() if own.is_file() else None


def load_params(path: Path | None, gemeente: str | None = None, *, known_regions: Mapping[str, str] | None = None,
                default_path: Path | None = None) -> KompasParams:
    """Read default.yml, merge the file at ``path`` over it, set the gemeente, validate."""
    default_path = Path(default_path or paths.params_dir() / "default.yml")
    data = _read_yaml(default_path) if default_path.is_file() else {}
    label = str(path) if path else str(default_path)
    code_src = "--gemeente" if gemeente else label
    if path:
        own = _read_yaml(Path(path))
        if gemeente and own.get("gemeente") and str(own["gemeente"]).upper() != gemeente.upper():
            raise ParamsError(f"{label}: gemeente: het bestand is voor {own['gemeente']}, maar het rapport is voor "
                              f"{gemeente}; toegestaan: dezelfde code, of laat 'gemeente' weg uit het bestand")
        data = _deep_merge(data, own)
    if gemeente:
        data["gemeente"] = gemeente.strip().upper()
    try:
        params = KompasParams.model_validate(data)
    except ValidationError as exc:
        lines = [f"{label}: {_describe(e)}" for e in exc.errors()]
        if known_regions and isinstance(data.get("gemeente"), str) and not CODE_RE.match(data["gemeente"]):
            lines.append(f"{label}: gemeente: {_suggest(data['gemeente'], known_regions)}")
        raise ParamsError("\n".join(lines)) from None
    from kompas_lib.core.registry import load_registry

    catalogue = load_registry().indicators
    bad = [(a_i, r_i, i_i, ind.indicator) for a_i, a in enumerate(params.ambities) for r_i, r in enumerate(a.resultaten)
           for i_i, ind in enumerate(r.indicatoren) if ind.indicator and ind.indicator not in catalogue]
    bad_ids = [(i, x) for i, x in enumerate(params.indicatoren) if x not in catalogue]
    if bad_ids:
        raise ParamsError("\n".join(
            f"{label}: indicatoren.{i}: '{x}' staat niet in de catalogus; toegestaan: "
            f"{', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit de catalogus'}"
            for i, x in bad_ids))
    model = load_registry().verwacht_gebruik
    outcomes = list(model.uitkomsten) if model else []
    bad_outcomes = [(i, x) for i, x in enumerate(params.verwacht_gebruik.uitkomsten) if x not in outcomes]
    if bad_outcomes:
        raise ParamsError("\n".join(
            f"{label}: verwacht_gebruik.uitkomsten.{i}: '{x}' is geen uitkomst van het model van het verwachte "
            f"gebruik; toegestaan: {', '.join(outcomes) or 'geen (de catalogus heeft geen verwacht_gebruik)'}"
            for i, x in bad_outcomes))
    if bad:
        raise ParamsError("\n".join(
            f"{label}: ambities.{a}.resultaten.{r}.indicatoren.{i}.indicator: '{x}' staat niet in de catalogus; "
            f"toegestaan: {', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit kompas_lib/data/tables.yml'}"
            for a, r, i, x in bad))
    if known_regions is not None:
        problems = []
        if params.gemeente not in known_regions:
            problems.append(f"{code_src}: gemeente: {params.gemeente} is geen bekende regio; "
                            f"{_suggest(params.gemeente, known_regions)}")
        for c in params.vergelijkbare_gemeenten.vaste_lijst:
            if c not in known_regions:
                problems.append(f"{label}: vergelijkbare_gemeenten.vaste_lijst: {c} is geen bekende gemeente; "
                                f"{_suggest(c, known_regions)}")
        if problems:
            raise ParamsError("\n".join(problems))
    return params


STARTER = """\
# Params voor {naam} ({code}) — Kwaliteitskompas jeugd
# Dit bestand wordt over params/default.yml gelegd: wat hier niet staat, komt uit default.yml.
# Controleren zonder rapport: kompas run --gemeente {code} (stopt met een duidelijke melding bij een fout).

gemeente: {code}
naam: {naam_yaml}

# Met welke regio's vergelijken we? Kies uit: nederland, provincie, jeugdregio, grootteklasse,
# vergelijkbare_gemeenten.
benchmarks:
  - nederland
  - jeugdregio

# Welke jaren tonen we? eind_jaar weglaten = tot en met het laatste jaar met cijfers.
periode:
  start_jaar: {start}

# Vergelijkbare gemeenten: de k gemeenten die het meest lijken op deze gemeente.
vergelijkbare_gemeenten:
  k: 15
  # vaste_lijst: [GM0363, GM0599]   # eigen keuze in plaats van de berekende

# Privacy: aantallen onder deze drempel worden in rapporten en exports niet getoond.
privacy:
  drempel: 10

# Ambities en maatschappelijke resultaten (blok 2). Formuleer positief ('we willen dat meer kinderen …'),
# en maak elk resultaat meetbaar: een indicator met richting, basis, doel en doeljaar. Noem bij elke ambitie
# het besluit waarin ze is vastgesteld (bron: 'Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024').
# Hieronder een voorbeeld: het rapport zet er overal VOORBEELD bij, tot u het vervangt en 'voorbeeld: true'
# weghaalt.
ambities:
  - ambitie: We willen dat meer kinderen veilig en gezond thuis opgroeien.
    voorbeeld: true
    # bron: Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024
    resultaten:
      - id: R1
        titel: Minder jongeren hebben een jeugdbeschermingsmaatregel nodig
        soort: inhoudelijk
        indicatoren:
          - indicator: pct_jeugdbescherming
            richting: lager
            basis: {{periode: "2021"}}
            doel: 0.9
            doeljaar: 2027
      - id: R2
        titel: Minder jongeren verlaten school zonder startkwalificatie
        soort: inhoudelijk
        indicatoren:
          - indicator: vsv
            richting: lager
            basis: {{periode: "2021/2022"}}
            doel: 2.0
            doeljaar: 2027
      - id: R3
        titel: Jeugdhulp wordt vaker volgens plan afgerond
        soort: proces
        indicatoren: []   # nog niet meetbaar: kies een indicator en een norm

# Eigen gegevens (blok 2–4), gemaakt met de sjablonen in kompas_lib/templates/ (pad t.o.v. dit bestand):
# lokale_gegevens:
#   indicatoren: eigen_indicatoren.csv
#   activiteiten: activiteiten.csv
#   inputkwaliteit: inputkwaliteit.csv
#   duiding: duiding.csv                 # blok 6: wat partners over de signalen zeiden
#   verbeteracties: verbeteracties.csv   # blok 6: afgesproken verbeteracties

# Uitkomsten van aanbieders (blok 5): pad naar het eigen bestand, gemaakt met het sjabloon
# kompas_lib/templates/aanbieders_uitkomsten.csv (pad ten opzichte van dit params-bestand).
# aanbieders:
#   bestand: ../data/raw/aanbieders_uitkomsten.csv
"""


def new_params_file(code: str, name: str | None = None, dest_dir: Path | None = None,
                    overwrite: bool = False) -> Path:
    """Write a starter ``params/<code>.yml`` that validates as it is."""
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise ParamsError(f"{code}: geen regiocode; toegestaan: {ALLOWED['gemeente']}")
    target = Path(dest_dir or paths.params_dir()) / f"{code}.yml"
    if target.exists() and not overwrite:
        raise ParamsError(f"{target} bestaat al; pas het aan, of gebruik --force om het te vervangen door een nieuw startbestand.")
    naam = name or code
    text = STARTER.format(code=code, naam=naam, naam_yaml=yaml.safe_dump(naam).splitlines()[0], start=FIRST_YEAR)
    io.write_text(target, text)
    return target
