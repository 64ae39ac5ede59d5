"""Params: one YAML file per gemeente or region, merged over ``params/default.yml`` and validated.

Everything a notebook needs beyond the gemeente code comes from here. A broken file stops the run
*before* any analysis, with one message that lists every problem as
``<file>: <key>: <problem>; allowed: <what is allowed>``.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, Mapping

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kompas_lib.core import io, paths
from kompas_lib.core.entry import clean_text, describe_char, has_line_break, refused_kind
from kompas_lib.core.errors import ParamsError

CODE_RE = re.compile(r"^(GM\d{4}|JZ\d{2}|PV\d{2}|NL01|PO\d{4}|VO\d{4})$")
BENCHMARKS = ("nederland", "provincie", "jeugdregio", "grootteklasse", "vergelijkbare_gemeenten")
PROFILE_VARIABLES = ("inwoners", "aandeel_0_17", "stedelijkheid", "eenouderhuishoudens",
                     "minderjarigen_laag_inkomen", "bijstand")
MODEL_VARIABLES = (*PROFILE_VARIABLES, "psychisch_medicijngebruik_ouders")
FIRST_YEAR = 2015
YEARS_AHEAD = 25  # a doeljaar lies at most this many years after this year


def _no_bool(v):
    """'true', 'yes' or 'on' is no number, though YAML reads it as true and Python counts true as 1."""
    if isinstance(v, bool):
        raise ValueError(f"{str(v).lower()} is geen geheel getal")
    return v


Int = Annotated[int, BeforeValidator(_no_bool)]


class _Strict(BaseModel):
    # .inf, .nan and 1e400 (read as infinity) are no numbers to compute with
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Periode(_Strict):
    start_jaar: Int = FIRST_YEAR
    eind_jaar: Int | None = None

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
    k: Int = Field(15, ge=1, le=50)
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
    drempel: Int = Field(10, ge=MIN_THRESHOLD)


class Basis(_Strict):
    periode: str  # e.g. "2021"
    waarde: float | None = None  # leave out to take the value from the data

    @field_validator("periode", mode="before")
    @classmethod
    def _year_as_text(cls, v):
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v  # 'periode: 2021' as typed


class DoelIndicator(_Strict):
    indicator: str | None = None  # id from the catalogue (kompas_lib/data/tables.yml)
    lokaal: str | None = None  # id in the gemeente's own file lokale_gegevens.indicatoren
    richting: Literal["hoger", "lager"]
    basis: Basis | None = None
    doel: float | None = None
    doeljaar: Int | None = None

    @field_validator("doeljaar")
    @classmethod
    def _target_year(cls, v):
        last = date.today().year + YEARS_AHEAD
        if v is not None and not FIRST_YEAR <= v <= last:
            raise ValueError(f"doeljaar {v} ligt buiten {FIRST_YEAR}–{last}")
        return v

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
    leerplicht: str | None = None  # block 1: leerplicht and passend onderwijs per schooljaar (template leerplicht.csv)
    wachttijden: str | None = None  # block 4: wachttijden per aanbieder and zorgvorm (template wachttijden.csv)


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


class _Marks:
    """Where each key and value of one params file stands, by key path (``('ambities', 0, 'ambitie')``),
    so a message can name the line and column of what it is about."""

    def __init__(self, node: yaml.Node | None = None):
        self.at: dict[tuple, tuple[yaml.Node, yaml.Node]] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                p = (*path, k.value if isinstance(k, yaml.ScalarNode) else None)
                self.at[p] = (k, v)
                self._walk(v, p)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self.at[(*path, i)] = (v, v)
                self._walk(v, (*path, i))

    def _find(self, loc: tuple) -> tuple[yaml.Node, yaml.Node] | None:
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in self.at:
                return self.at[tuple(loc[:n])]
        return None

    def where(self, loc: tuple, key: bool = False) -> str:
        """'regel 4, kolom 12: ' for a value (the line of its key for a section, or with ``key``), '' when
        the file does not hold it."""
        found = self._find(loc)
        if found is None:
            return ""
        k, v = found
        if key or not isinstance(v, yaml.ScalarNode):
            return f"regel {k.start_mark.line + 1}: "
        return f"regel {v.start_mark.line + 1}, kolom {v.start_mark.column + 1}: "

    def typed(self, loc: tuple) -> str | None:
        """The scalar at exactly ``loc`` as the file spells it ('.inf', 'yes'), or None."""
        found = self.at.get(tuple(loc))
        return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None


# text that must keep every character as typed: file paths (a folder name may hold two spaces)
PATH_KEYS = {("aanbieders", "bestand"), *(("lokale_gegevens", k) for k in ("indicatoren", "activiteiten",
                                                                          "inputkwaliteit", "duiding",
                                                                          "verbeteracties", "leerplicht",
                                                                          "wachttijden"))}


def _clean_strings(data, marks: _Marks, label: str, path: tuple = ()) -> tuple[object, list[str]]:
    """``data`` with every text normalised (:func:`~kompas_lib.core.entry.clean_text`; paths kept as
    typed) and a message for every key or text holding a control, invisible or bidi character."""
    problems: list[str] = []
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if isinstance(k, str) and clean_text(k)[1]:
                problems.append(f"{label}: {marks.where((*path, k), key=True)}sleutel '{clean_text(k)[0]}': "
                                f"{clean_text(k)[1]}")
            out[k], found = _clean_strings(v, marks, label, (*path, k))
            problems += found
        return out, problems
    if isinstance(data, list):
        cleaned = [_clean_strings(v, marks, label, (*path, i)) for i, v in enumerate(data)]
        return [c for c, _ in cleaned], [p for _, found in cleaned for p in found]
    if isinstance(data, str):
        text, problem = clean_text(data)
        if problem:
            key = ".".join(map(str, path)) or "(bovenste niveau)"
            problems.append(f"{label}: {marks.where(path)}{key}: {problem}")
        return (data if path in PATH_KEYS else text), problems
    return data, problems


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
    return _read_yaml_marked(path)[0]


def _read_yaml_marked(path: Path) -> tuple[dict, _Marks]:
    """The file's mapping and where each of its keys and values stands."""
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
    loader = None
    try:
        loader = _NoAliasLoader(text)  # a SafeLoader: constructs no objects
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow at all (ESC, BEL, …)
        line = text[:exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        ch = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise ParamsError(f"{path}: regel {line}, kolom {column}: hier staat een onzichtbaar "
                          f"{refused_kind(ch) or 'teken'} {describe_char(ch)}; haal het weg (zo'n teken komt vaak "
                          "mee bij kopiëren uit een website, e-mail of Word)") from None
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
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, _Marks()
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: (bovenste niveau): het bestand moet uit regels 'sleutel: waarde' bestaan; "
                          f"toegestaan: de sleutels van params/default.yml")
    return data, _Marks(node)


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
    data, marks = _read_yaml_marked(default_path) if default_path.is_file() else ({}, _Marks())
    label = str(path) if path else str(default_path)
    code_src = "--gemeente" if gemeente else label
    data, problems = _clean_strings(data, marks, str(default_path))
    if path:
        own, marks = _read_yaml_marked(Path(path))
        own, found = _clean_strings(own, marks, label)
        problems += found
        if problems:
            raise ParamsError("\n".join(problems))
        if gemeente and own.get("gemeente") and str(own["gemeente"]).upper() != gemeente.upper():
            raise ParamsError(f"{label}: {marks.where(('gemeente',))}gemeente: het bestand is voor {own['gemeente']}, "
                              f"maar het rapport is voor {gemeente}; toegestaan: dezelfde code, of laat 'gemeente' "
                              "weg uit het bestand")
        data = _deep_merge(data, own)
    elif problems:
        raise ParamsError("\n".join(problems))
    if gemeente:
        data["gemeente"] = gemeente.strip().upper()
    try:
        params = KompasParams.model_validate(data)
    except ValidationError as exc:
        lines = [f"{label}: {marks.where(e['loc'], key=e['type'] == 'extra_forbidden')}"
                 f"{_describe(e, marks.typed(e['loc']))}" for e in exc.errors()]
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
            f"{label}: {marks.where(('indicatoren', i))}indicatoren.{i}: '{x}' staat niet in de catalogus; toegestaan: "
            f"{', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit de catalogus'}"
            for i, x in bad_ids))
    model = load_registry().verwacht_gebruik
    outcomes = list(model.uitkomsten) if model else []
    bad_outcomes = [(i, x) for i, x in enumerate(params.verwacht_gebruik.uitkomsten) if x not in outcomes]
    if bad_outcomes:
        raise ParamsError("\n".join(
            f"{label}: {marks.where(('verwacht_gebruik', 'uitkomsten', i))}verwacht_gebruik.uitkomsten.{i}: '{x}' is geen uitkomst van het model van het verwachte "
            f"gebruik; toegestaan: {', '.join(outcomes) or 'geen (de catalogus heeft geen verwacht_gebruik)'}"
            for i, x in bad_outcomes))
    if bad:
        raise ParamsError("\n".join(
            f"{label}: {marks.where(('ambities', a, 'resultaten', r, 'indicatoren', i, 'indicator'))}"
            f"ambities.{a}.resultaten.{r}.indicatoren.{i}.indicator: '{x}' staat niet in de catalogus; "
            f"toegestaan: {', '.join(difflib.get_close_matches(x, list(catalogue), n=3, cutoff=0.4)) or 'een id uit kompas_lib/data/tables.yml'}"
            for a, r, i, x in bad))
    if known_regions is not None:
        problems = []
        if params.gemeente not in known_regions:
            problems.append(f"{code_src}: gemeente: {params.gemeente} is geen bekende regio; "
                            f"{_suggest(params.gemeente, known_regions)}")
        for c in params.vergelijkbare_gemeenten.vaste_lijst:
            if c not in known_regions:
                at = marks.where(("vergelijkbare_gemeenten", "vaste_lijst",
                                  params.vergelijkbare_gemeenten.vaste_lijst.index(c)))
                problems.append(f"{label}: {at}vergelijkbare_gemeenten.vaste_lijst: {c} is geen bekende gemeente; "
                                f"{_suggest(c, known_regions)}")
        if problems:
            raise ParamsError("\n".join(problems))
    return params


STARTER = """\
# Params voor {naam} ({code}) — Kwaliteitskompas jeugd
# Dit bestand wordt over params/default.yml gelegd: wat hier niet staat, komt uit default.yml.
# Controleren zonder rapport: kompas run --gemeente {code} (stopt met een duidelijke melding bij een fout).

gemeente: {code}
{naam_yaml}

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
#   leerplicht: leerplicht.csv           # blok 1: leerplicht en passend onderwijs per schooljaar
#   wachttijden: wachttijden.csv         # blok 4: wachttijden per aanbieder en zorgvorm

# Uitkomsten van aanbieders (blok 5): pad naar het eigen bestand, gemaakt met het sjabloon
# kompas_lib/templates/aanbieders_uitkomsten.csv (pad ten opzichte van dit params-bestand).
# aanbieders:
#   bestand: ../data/raw/aanbieders_uitkomsten.csv
"""


def new_params_file(code: str, name: str | None = None, dest_dir: Path | None = None,
                    overwrite: bool = False) -> Path:
    """Write a starter ``params/<code>.yml`` that validates as it is. ``name`` (any length) is written
    as one YAML scalar, quoted where YAML needs it; a name with a line break or an invisible character
    is refused before anything is written."""
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise ParamsError(f"{code}: geen regiocode; toegestaan: {ALLOWED['gemeente']}")
    target = Path(dest_dir or paths.params_dir()) / f"{code}.yml"
    if target.exists() and not overwrite:
        raise ParamsError(f"{target} bestaat al; pas het aan, of gebruik --force om het te vervangen door een nieuw startbestand.")
    naam = _starter_name(name, code)
    naam_yaml = yaml.safe_dump({"naam": naam}, allow_unicode=True, width=math.inf).strip()
    text = STARTER.format(code=code, naam=naam, naam_yaml=naam_yaml, start=FIRST_YEAR)
    if yaml.safe_load(text).get("naam") != naam or text.count("\n") != STARTER.count("\n"):
        raise ParamsError(f"de naam '{naam[:60]}' kan niet in een params-bestand worden gezet; kies een eenvoudiger "
                          "naam (letters, cijfers, spaties en leestekens)")
    io.write_text(target, text)
    return target


def _starter_name(name: str | None, code: str) -> str:
    """The name for a starter file: one line, no invisible characters, spaces normalised; the code when
    none is given."""
    if name and has_line_break(name):
        first = re.split(r"[\n\r\x0b\x0c\x85\u2028\u2029]", name.strip())[0].strip()
        raise ParamsError(f"de naam bevat een regeleinde; geef de naam op één regel, bijvoorbeeld --naam \"{first}\"")
    naam, problem = clean_text(name or "")
    if problem:
        raise ParamsError(f"de naam bevat {problem}")
    return naam or code
