"""The table registry and indicator catalogue (``kompas_lib/data/tables.yml``), typed and checked.

The registry says, per concept, which CBS tables cover which years, and per indicator which
columns give its count, value and denominator. Code never names a CBS column: it asks the registry.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
import os
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kompas_lib.core.errors import DataError
from kompas_lib.core.paths import PACKAGE_DATA

REGISTRY_FILE = PACKAGE_DATA / "tables.yml"
CATALOGUE_ENV = "KOMPAS_CATALOGUE"  # another catalogue file (a copy with an extra indicator, say)

# The fixed list of domains: the overview groups indicators by these, in this order.
DOMAINS = {"jeugdhulp": "Jeugdhulp", "veiligheid": "Veiligheid", "onderwijs": "Onderwijs",
           "participatie": "Participatie en gezin", "gezondheid": "Gezondheid", "context": "Context"}
Domain = Literal["jeugdhulp", "veiligheid", "onderwijs", "participatie", "gezondheid", "context"]
# Where an indicator appears in its block (see docs/catalogue.md):
#   kerncijfer  the block's table of key figures;  trend  a trend figure with a sentence;
#   overzicht   the overview of all indicators by domain;  signaal  tested for 'wat valt op'.
Placement = Literal["kerncijfer", "trend", "overzicht", "signaal"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TableSpan(_Strict):
    id: str
    van: int
    tot: int | None = None
    periode: str | None = None  # for tables without a Perioden column (e.g. maatstaven per verdeeljaar)

    def covers(self, year: int) -> bool:
        return self.van <= year and (self.tot is None or year <= self.tot)


class Concept(_Strict):
    titel: str
    regio: str | None = None
    code_kolom: str | None = None
    status_kolom: str | None = None
    tables: list[TableSpan]
    snapshot_let_op: str | None = None
    afgerond_op: int | None = None  # CBS rounds the counts to multiples of this (5 for youth care)
    overslaan: list[str] = Field(default_factory=list)  # region titles (regex) that are not regions we use


class Filter(_Strict):
    kolom: str | list[str]
    waarde: str | list[str]
    optioneel: bool = False  # skip the filter when the table lacks the column (e.g. a dimension dropped in 2021)

    @property
    def kolommen(self) -> list[str]:
        return [self.kolom] if isinstance(self.kolom, str) else list(self.kolom)

    @property
    def waarden(self) -> list[str]:
        return [self.waarde] if isinstance(self.waarde, str) else list(self.waarde)


class KolomGroep(_Strict):
    """A subgroup published as its own column (wijk tables: one column per age group)."""
    kolom: str | list[str]
    waarde: str

    @property
    def kolommen(self) -> list[str]:
        return [self.kolom] if isinstance(self.kolom, str) else list(self.kolom)


class Indicator(_Strict):
    id: str
    concept: str
    titel: str
    definitie: str
    eenheid: Literal["percentage", "aantal", "per_1000", "euro"]
    polariteit: Literal["hoger_beter", "lager_beter", "neutraal"]
    domein: Domain
    blok: Literal[1, 5] = 1  # the Kompas block whose sections show it (1 staat van de jeugd, 5 outcome)
    plaatsing: list[Placement] = Field(default_factory=lambda: ["overzicht"])
    filter: list[Filter] = Field(default_factory=list)
    teller: str | list[str] | None = None  # a list: whichever of these columns exists
    waarde: str | list[str] | None = None
    noemer: str | list[str] | None = None
    noemer_afgeleid: bool = False
    gewicht: str | None = None
    groepen: dict[str, str] = Field(default_factory=dict)
    kolomgroepen: dict[str, list[KolomGroep]] = Field(default_factory=dict)
    noemer_filter: list[Filter] = Field(default_factory=list)  # denominator = teller column on other rows
    alleen_tabellen: list[str] = Field(default_factory=list)  # only these tables of the concept carry it
    teller_factor: float = 1.0  # published count x factor (e.g. x 1.000 euro -> euro: 1000)
    waarde_factor: float = 1.0  # published value x factor (e.g. per 100.000 -> per 1.000: 0.01)
    schaal: float | None = None  # teller / noemer x schaal; default by unit (100 for %, 1000 per 1.000)
    alleen_landelijk: bool = False  # CBS publishes no regional figure: national context only
    minimaal_verschil: float | None = None  # smallest difference (in the indicator's unit) worth a signal
    basis: str | None = None  # what a percentage is of: 'van de jongeren tot 18 jaar' (headers, axes)
    afgerond_op: int | None = None  # CBS's rounding of this indicator's counts, where it differs from the concept's

    @property
    def unit_label(self) -> str:
        """'% van de jongeren tot 18 jaar', 'per 1.000 inwoners', 'aantal', 'euro'."""
        if self.eenheid == "percentage":
            return f"% {self.basis}" if self.basis and not self.basis.startswith("per ") else (self.basis or "%")
        return {"per_1000": "per 1.000 inwoners", "euro": "euro", "aantal": "aantal"}.get(self.eenheid, self.eenheid)

    @property
    def ratio_scale(self) -> float:
        if self.schaal is not None:
            return self.schaal
        return {"percentage": 100.0, "per_1000": 1000.0}.get(self.eenheid, 1.0)


class Uitkomst(_Strict):
    """One outcome of the expected-use model: an indicator whose count is modelled, out of a
    population (``noemer``: indicators giving the population per year, the first one that has the
    year wins; default the indicator's own denominator)."""

    titel: str  # 'jongeren met jeugdzorg' (lower case, used inside sentences)
    noemer: list[str] = Field(default_factory=list)
    noemer_titel: str = ""  # 'jongeren tot 23 jaar': what the count is out of


class VerwachtGebruik(_Strict):
    """The expected-use model: outcomes (indicator id -> :class:`Uitkomst`) and the profile
    characteristics (``kenmerken``: ids of :data:`kompas_lib.analysis.methods.profiel.PROFILE`) the
    count is modelled on, over all gemeenten (negative binomial GLM, see docs/methods.md)."""

    uitkomsten: dict[str, Uitkomst]
    kenmerken: list[str]
    # characteristics that also enter squared (a curved effect): size, whose effect flattens at both ends
    kromming: list[str] = Field(default_factory=list)
    toelichting: str = ""  # why an outcome that one might expect is not modelled


class Registry(_Strict):
    gebieden: dict
    concepts: dict[str, Concept]
    indicators: dict[str, Indicator]
    verwacht_gebruik: VerwachtGebruik | None = None

    @property
    def gebieden_tables(self) -> dict[int, str]:
        return {int(y): t for y, t in self.gebieden["tables"].items()}

    def all_table_ids(self) -> list[str]:
        ids = list(self.gebieden_tables.values())
        for c in self.concepts.values():
            ids += [t.id for t in c.tables]
        return list(dict.fromkeys(ids))

    def rounding(self, indicator: str) -> int:
        """The rounding step of an indicator's published counts (0 when not rounded): the indicator's own
        ``afgerond_op``, else its concept's. A test checks it against the snapshot."""
        ind = self.indicators[indicator]
        return ind.afgerond_op or self.concepts[ind.concept].afgerond_op or 0

    def value_step(self, indicator: str) -> float:
        """The step of an indicator's published values: CBS publishes percentages and rates with one
        decimal, counts rounded to :meth:`rounding` (1 when not rounded). A change smaller than one step
        can be rounding alone."""
        if self.indicators[indicator].eenheid in ("percentage", "per_1000"):
            return 0.1
        return float(self.rounding(indicator) or 1)

    def indicators_of(self, concept: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.concept == concept]

    def placed(self, block: int, placement: str, only: list[str] | tuple[str, ...] = ()) -> list[Indicator]:
        """The indicators a block shows at ``placement``, in catalogue order; ``only`` (the params
        key ``indicatoren``) narrows them to the listed ids when it is not empty."""
        return [i for i in self.indicators.values()
                if i.blok == block and placement in i.plaatsing and (not only or i.id in only)]


def catalogue_path() -> Path:
    """The catalogue in use: ``KOMPAS_CATALOGUE`` when set, else the one shipped in the package."""
    env = os.environ.get(CATALOGUE_ENV)
    return Path(env).expanduser().resolve() if env else REGISTRY_FILE


def load_registry(path: Path | None = None) -> Registry:
    return _load(str(path or catalogue_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> Registry:
    if not Path(path).is_file():
        hint = f" Controleer {CATALOGUE_ENV}." if os.environ.get(CATALOGUE_ENV) else ""
        raise DataError(f"De catalogus {path} bestaat niet of is geen bestand.{hint}")
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise DataError(f"De catalogus {path} is niet te lezen; sla hem op als tekst in UTF-8.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise DataError(f"De catalogus {path} is geen geldige YAML{where}; controleer de inspringing en de "
                        "dubbele punten daar.") from None
    try:
        indicators = {k: {"id": k, **v} for k, v in (raw.get("indicators") or {}).items()}
        reg = Registry(gebieden=raw["gebieden"], concepts=raw["concepts"], indicators=indicators,
                       verwacht_gebruik=raw.get("verwacht_gebruik"))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
        raise DataError(f"De catalogus {path} klopt niet: {problems}. Toegestane domeinen: {', '.join(DOMAINS)}; "
                        "toegestane plaatsingen: kerncijfer, trend, overzicht, signaal.") from None
    except KeyError as exc:
        raise DataError(f"De catalogus {path} klopt niet: het onderdeel {exc} ontbreekt.") from None
    except (TypeError, AttributeError):
        raise DataError(f"De catalogus {path} klopt niet: de onderdelen gebieden, concepts en indicators moeten "
                        "elk een lijst van sleutels met waarden zijn.") from None
    for ind in reg.indicators.values():
        if ind.concept not in reg.concepts:
            near = difflib.get_close_matches(ind.concept, list(reg.concepts), n=1)
            raise DataError(f"De catalogus {path}: indicator {ind.id} noemt het onbekende concept '{ind.concept}'"
                            + (f" (bedoelt u '{near[0]}'?)" if near else "") + ".")
        if not (ind.teller or ind.waarde):
            raise DataError(f"De catalogus {path}: indicator {ind.id} heeft 'teller' of 'waarde' nodig; vul een "
                            "van beide in.")
        if ind.gewicht and ind.gewicht not in reg.indicators:
            raise DataError(f"De catalogus {path}: indicator {ind.id} weegt met de onbekende indicator "
                            f"'{ind.gewicht}' (sleutel 'gewicht'); gebruik het id van een indicator uit de catalogus.")
    model = reg.verwacht_gebruik
    for uid, u in (model.uitkomsten.items() if model else ()):
        unknown = [i for i in [uid, *u.noemer] if i not in reg.indicators]
        if unknown:
            raise DataError(f"De catalogus {path}: verwacht_gebruik noemt onbekende indicator(en) "
                            f"{', '.join(unknown)}; gebruik ids van indicatoren uit de catalogus.")
    return reg


def resolve_any(columns, specs: str | list[str] | None) -> str | None:
    """The first of several column specs that exists (a single spec is fine too)."""
    if specs is None:
        return None
    for spec in [specs] if isinstance(specs, str) else specs:
        hit = resolve_column(columns, spec)
        if hit:
            return hit
    return None


def resolve_column(columns, spec: str | None) -> str | None:
    """Find the column a registry entry names: exact, or 'Prefix*' for the first match."""
    if spec is None:
        return None
    if spec.endswith("*"):
        prefix = spec[:-1]
        for c in columns:
            if c.startswith(prefix):
                return c
        return None
    return spec if spec in columns else None
