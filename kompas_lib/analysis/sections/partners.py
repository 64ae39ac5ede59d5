"""Block 6's agenda as partners read it: with whom each signal is discussed, what is asked of them,
how an item reads on the front page (a provider never named there), and what the report still
misses (one line per block without own data).
"""

from __future__ import annotations

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Signal
from kompas_lib.analysis.sections import resultaat


# with whom a signal is discussed, by the indicator's domain (block 1) or the block it comes from
PARTNERS = {
    "jeugdhulp": "jeugdhulpaanbieders, de toegang en het wijkteam",
    "veiligheid": "Veilig Thuis, het wijkteam en de gecertificeerde instellingen",
    "onderwijs": "scholen, het samenwerkingsverband en leerplicht",
    "participatie": "werk en inkomen, schuldhulpverlening en het wijkteam",
    "gezondheid": "de GGD, huisartsen en de jeugdgezondheidszorg",
    "context": "de partners van het jeugdbeleid",
}
PARTNERS_BY_BLOCK = {2: "de partners die aan dit resultaat werken", 3: "de uitvoerders van de activiteiten",
                     4: "de teams en aanbieders die de input leveren", 5: "de aanbieder, in het eigen gesprek"}
ASK = {
    "verschil": ("Herkent u dit verschil, en wat verklaart het volgens u: de vraag, het aanbod, de toegang of "
                 "de registratie?"),
    "trendbreuk": "Wat is er in het laatste jaar veranderd in uw werk of bij uw cliënten?",
    "opvallend": "Herkent u dit beeld, en hoort het bij wat we samen willen bereiken?",
    resultaat.NIET_OP_KOERS: "Wat is er nodig om dit resultaat alsnog te halen, en wat kunt u daaraan bijdragen?",
    resultaat.NIET_MEETBAAR: "Welke gegevens heeft u die laten zien of dit resultaat dichterbij komt?",
    "witte vlek": "Kunt u dit resultaat met een activiteit ondersteunen, of weet u wie dat kan?",
    "buiten de grenzen": "Herkent u dit bij uw eigen cliënten, en wat verklaart het?",
}
MISSING = {
    "activiteiten": "Blok 3 · activiteiten: welke activiteiten bijdragen aan welk resultaat, en wie ze uitvoert.",
    "inputkwaliteit": "Blok 4 · kwaliteit van de input: hoe teams en aanbieders de kwaliteit van hun werk zien.",
    "aanbieders": "Blok 5 · uitkomsten per aanbieder: doelrealisatie, uitval en tevredenheid per aanbieder.",
}
MAX_GOING_WELL = 5


def front_text(sig: Signal) -> str:
    """An agenda item as the front page says it, for every partner to read: a provider's finding
    without the provider's name."""
    if sig.kind == "buiten de grenzen":
        return (f"Een aanbieder valt buiten de grenzen bij '{sig.subject}' ({sig.period}). Dat bespreken we eerst "
                "met die aanbieder zelf; hier staat het zonder naam.")
    return sig.text


def partners_for(scope: Scope, sig: Signal) -> str:
    """With whom a signal is best discussed: by its indicator's domain, or by its block."""
    if sig.block == 1:
        domain = {i.titel: i.domein for i in scope.catalogue.indicators.values()}.get(sig.subject)
        return PARTNERS.get(domain, PARTNERS["context"])
    return PARTNERS_BY_BLOCK.get(sig.block, PARTNERS["context"])


def still_missing(scope: Scope) -> tuple[str, ...]:
    """One line per block that has no own data yet: what the gemeente would like partners to deliver."""
    return tuple(line for name, line in MISSING.items() if not getattr(scope.local, name).present)
