"""The params of a report as pydantic models: what a params file may hold, with the rules for each
value (years, codes, thresholds, one source per indicator, unique result ids)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

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
