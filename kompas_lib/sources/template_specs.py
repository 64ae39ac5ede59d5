"""The columns and rules of each CSV template for a gemeente's own data, described once.

:data:`SPECS` names per template its columns (kind, required or not, allowed values) and the rules
between them; :mod:`kompas_lib.sources.sjablonen` reads and checks files against these
descriptions. The empty templates themselves live in ``kompas_lib/templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kompas_lib.core.paths import PACKAGE_DIR

TEMPLATES = PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # text | count | number | period | schooljaar | enum | list | gemeente | regio | datum | indicator
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

# leerplicht: what the leerplichtadministratie and the samenwerkingsverband count per schooljaar (seed 5)
LEERPLICHT_VRIJSTELLINGEN = {
    "vrijstelling_5a": "art. 5 onder a: lichamelijke of psychische gronden",
    "vrijstelling_5b": "art. 5 onder b: bezwaar tegen de richting van de scholen",
    "vrijstelling_5c": "art. 5 onder c: ingeschreven op een school in het buitenland",
    "vrijstelling_15": "art. 15: kwalificatieplichtige die op andere wijze voldoende onderwijs volgt",
    "vrijstelling_3a": "art. 3a/3b: vervangende leerplicht (telt de leerplichtadministratie vaak mee)",
    "vrijstelling_11": "art. 11: vrijstelling van geregeld schoolbezoek (bijvoorbeeld 11d ziekte, 11g)",
}
LEERPLICHT_COUNTS = ("leerplichtigen", "absoluut_verzuim", "langdurig_relatief_verzuim", *LEERPLICHT_VRIJSTELLINGEN,
                     "thuiszitters", "leerlingen_bao_sbo", "leerlingen_sbo", "leerlingen_so")
LEERPLICHT_PARTS = ("absoluut_verzuim", "langdurig_relatief_verzuim", *LEERPLICHT_VRIJSTELLINGEN, "thuiszitters")

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
    "leerplicht": Spec("leerplicht", "leerplicht.csv", (
        Col("regio_code", "regio"), Col("schooljaar", "schooljaar"),
        *(Col(c, "count", required=False) for c in LEERPLICHT_COUNTS),
    ), key=("regio_code", "schooljaar"),
        bounds=(*((c, "leerplichtigen") for c in LEERPLICHT_PARTS), ("leerlingen_sbo", "leerlingen_bao_sbo")),
        one_of=LEERPLICHT_COUNTS, params_key="lokale_gegevens.leerplicht"),
    "wachttijden": Spec("wachttijden", "wachttijden.csv", (
        Col("aanbieder", "text"), Col("zorgvorm", "text"), Col("periode", "period"),
        Col("clienten_gestart", "count"), Col("wachttijd_mediaan_weken", "number"),
        Col("wachtend_einde_periode", "count", required=False),
    ), key=("aanbieder", "zorgvorm", "periode"), params_key="lokale_gegevens.wachttijden"),
}
