"""Block 6 — verbetercyclus: from the signals of blocks 1–5 to duiding and verbeteracties.

Figures do not speak for themselves: what stands out (the signals of blocks 1–5) is discussed with
partners, youths and parents (the four duidingsvragen), and what is agreed is kept in a register of
improvement actions that is evaluated in the next cycle. The gemeente's own files ``duiding`` and
``verbeteracties`` hold those conversations and actions; everything from a file is shown in table
cells, as plain text.

Builders (pure, take a :class:`~kompas_lib.analysis.scope.Scope`; ``signals`` may be passed in so the
signals of blocks 1–5 are gathered once per notebook):

* :func:`alle_signalen` — the signals of blocks 1–5, in block order;
* :func:`signalen_overzicht` — all signals with whether they were discussed (``verbetercyclus_signalen.csv``);
* :func:`agenda` — at most seven signals first, by a fixed rule that never ranks gemeenten or providers
  (``verbetercyclus_agenda.csv``);
* :func:`duiding` — per discussed signal the answers, who was at the table and the voices; the
  signals not yet discussed; or the template;
* :func:`verbeteracties` — the register with overdue actions marked and the indicator at the start and
  now (``verbeteracties.csv``), or the template;
* :func:`volgende_cyclus` — what to pick up next time (``volgende_cyclus.csv``).

Which file rows belong to which signal is in :mod:`~kompas_lib.analysis.sections.koppeling`; the register
of improvement actions in :mod:`~kompas_lib.analysis.sections.verbeteracties` (its builder is imported
here, so notebooks and tests find every block 6 builder in this module).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Agenda, Section, Signal
from kompas_lib.analysis.sections import activiteiten, kwaliteit, resultaat, staat, uitkomsten
from kompas_lib.analysis.sections.koppeling import (
    NOT_DISCUSSED,
    Duiding,
    _actions,
    _date_words,
    _discussed_cell,
    _duiding_rows,
    _has_action,
    _unmatched,
    _unmatched_note,
    duiding_of,
)
from kompas_lib.analysis.sections.partners import (
    ASK,
    MAX_GOING_WELL,
    front_text,
    partners_for,
    still_missing,
)
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.analysis.sections.verbeteracties import (  # noqa: F401  (notebooks and tests import them from here)
    LATE,
    NOT_CAUSAL,
    OPEN_STATUS,
    _indicator_change,
    is_late,
    verbeteracties,
)
from kompas_lib.sources.template_specs import DUIDINGSVRAGEN

MAX_AGENDA = 7

QUESTIONS = {
    "herkennen": "Herkennen we het beeld?",
    "verklaren": "Hoe verklaren we het?",
    "vinden": "Wat vinden we ervan?",
    "nodig": "Wat is nodig om te verbeteren?",
}
ROLE_WORDS = {"jongere": "een jongere", "ouder": "een ouder", "professional": "een professional",
              "aanbieder": "een aanbieder", "school": "een school", "gemeente": "de gemeente", "anders": "een andere stem"}

AGENDA_GROUPS = {
    1: "resultaat niet op koers",
    2: "verschil of trendbreuk bij een cijfer met een gewenste richting",
    3: "witte vlek",
    4: "aanbieder buiten de grenzen",
    5: "overig",
}
AGENDA_RULE = (
    "De agenda volgt een vaste volgorde: eerst resultaten die niet op koers liggen, dan verschillen en trendbreuken "
    "bij cijfers waarvan we weten welke kant beter is, dan witte vlekken, dan aanbieders buiten de grenzen en daarna "
    "de rest, binnen elke groep in de volgorde van de blokken en van de lijst, met signalen die al besproken zijn "
    "en een afgesproken actie hebben, en signalen bij voorbeeldambities, achteraan — hoe groot een verschil is of "
    "om welke gemeente of aanbieder het gaat, telt niet mee.")

NO_DUIDING = (
    "Er is nog geen bestand met de duiding van de signalen. Leg na elk gesprek per signaal vast: blok en "
    "onderwerp (zoals in de lijst hierboven, of alleen het nummer van een resultaat, bijvoorbeeld R2), de datum, "
    "wie er aan tafel zaten en de antwoorden op de vier duidingsvragen: herkennen we het beeld, hoe verklaren we "
    "het, wat vinden we ervan en wat is nodig. Een stem van een jongere, ouder of professional komt op een eigen "
    "regel met dezelfde blok, onderwerp en datum. Het sjabloon heeft deze kolommen:")
DUIDING_FOR_PARTNERS = ("De signalen zijn nog niet samen met partners geduid. Na het gesprek staat hier per signaal "
                        "wat we herkennen, hoe we het verklaren, wat we ervan vinden en wat nodig is.")

OWN_FILES = {  # LocalData attribute -> (what it holds, block)
    "indicatoren": ("eigen indicatoren", 2),
    "activiteiten": ("activiteiten en partners", 3),
    "inputkwaliteit": ("kwaliteit van de input van aanbieders", 4),
    "aanbieders": ("uitkomsten van aanbieders", 5),
    "duiding": ("duiding van de signalen", 6),
    "verbeteracties": ("register van verbeteracties", 6),
}


# --- signals of blocks 1–5 -----------------------------------------------------------------------

def alle_signalen(scope: Scope) -> list[Signal]:
    """Every signal of blocks 1–5, by calling the blocks' own builders: block order, and within a
    block the order in which the block lists them."""
    out: list[Signal] = list(staat.signalen(scope).signals) + list(staat.opvallend(scope).signals)
    out += resultaat.resultaten(scope).signals
    for sections in (activiteiten.secties(scope), kwaliteit.secties(scope),
                     uitkomsten.aanbieders_trechters(scope)):
        out += [sig for sec in sections if sec is not None for sig in sec.signals]
    return sorted(out, key=lambda s: s.block)


def _signals(scope: Scope, signals) -> list[Signal]:
    return alle_signalen(scope) if signals is None else list(signals)



# --- overview and agenda -------------------------------------------------------------------------

def _signal_rows(signals: list[Signal], rows: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame([{"Blok": str(s.block), "Onderwerp": s.subject, "Soort": s.kind, "Periode": s.period or "–",
                          "Wat valt op": s.text, "Besproken?": _discussed_cell(duiding_of(s, rows))} for s in signals],
                        columns=["Blok", "Onderwerp", "Soort", "Periode", "Wat valt op", "Besproken?"])


def _export(signals: list[Signal], table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"blok": [s.block for s in signals], "onderwerp": [s.subject for s in signals],
                         "soort": [s.kind for s in signals], "periode": [s.period for s in signals],
                         "wat_valt_op": [s.text for s in signals], "besproken": list(table["Besproken?"]),
                         "sectie": [s.section for s in signals]})


def signalen_overzicht(scope: Scope, signals: list[Signal] | None = None) -> Section:
    """All signals of blocks 1–5 in one table, with whether and when each was discussed."""
    signals = _signals(scope, signals)
    rows = _duiding_rows(scope)
    title = "Wat viel op in blok 1 tot en met 5"
    if not signals:
        return Section(id="verbetercyclus_signalen", title=title,
                       text="In blok 1 tot en met 5 is geen signaal gevonden.")
    table = _signal_rows(signals, rows)
    discussed = int((table["Besproken?"] != NOT_DISCUSSED).sum())
    blocks = sorted({s.block for s in signals})
    text = (f"Er zijn {len(signals)} signalen uit {_blocks_words(blocks)}; {discussed} daarvan "
            f"{'is' if discussed == 1 else 'zijn'} al met partners besproken.")
    return Section(id="verbetercyclus_signalen", title=title, text=text, table=table, data=_export(signals, table),
                   row_links=tuple(s.section for s in signals),
                   caption="De signalen staan in de volgorde van de blokken; elk blok laat de cijfers erachter zien.")


def _blocks_words(blocks: list[int]) -> str:
    if len(blocks) == 1:
        return f"blok {blocks[0]}"
    return "blok " + ", ".join(str(b) for b in blocks[:-1]) + f" en {blocks[-1]}"


def agenda_group(scope: Scope, sig: Signal) -> int:
    """The group of a signal in the agenda rule (1 first … 5 last); see :data:`AGENDA_GROUPS`."""
    if sig.block == 2 and sig.kind == resultaat.NIET_OP_KOERS:
        return 1
    if sig.block == 1 and sig.kind in ("verschil", "trendbreuk"):
        polarity = {ind.titel: ind.polariteit for ind in scope.catalogue.indicators.values()}.get(sig.subject)
        if polarity in ("hoger_beter", "lager_beter"):
            return 2
    if sig.kind == "witte vlek":
        return 3
    if sig.kind == "buiten de grenzen":
        return 4
    return 5


def agenda_order(scope: Scope, signals: list[Signal]) -> list[tuple[Signal, int, bool]]:
    """(signal, group, settled) in agenda order: settled signals (discussed and with an agreed action)
    and signals of example ambitions (VOORBEELD, not the gemeente's policy) last, then by group, block
    and the order of the list. Sizes of differences play no part."""
    rows, actions = _duiding_rows(scope), _actions(scope)
    marked = [(s, agenda_group(scope, s), duiding_of(s, rows) is not None and _has_action(s, actions), i)
              for i, s in enumerate(signals)]
    marked.sort(key=lambda m: (m[2], m[0].subject.startswith(resultaat.EXAMPLE), m[1], m[0].block, m[3]))
    return [(s, g, settled) for s, g, settled, _ in marked]


def agenda(scope: Scope, signals: list[Signal] | None = None) -> Section:
    """At most seven signals for the next conversation, by the rule in :data:`AGENDA_RULE`."""
    signals = _signals(scope, signals)
    title = "Agenda voor het gesprek"
    going_well = tuple(s for s in signals if s.tone == "gunstig")[:MAX_GOING_WELL]
    if not signals:
        return Section(id="verbetercyclus_agenda", title=title,
                       text="Er staan geen signalen op de agenda. " + AGENDA_RULE,
                       agenda=Agenda(missing=still_missing(scope)))
    rows = _duiding_rows(scope)
    order = agenda_order(scope, signals)[:MAX_AGENDA]
    table = pd.DataFrame([{"Nr.": str(i), "Blok": str(s.block), "Onderwerp": s.subject, "Soort": s.kind,
                           "Wat valt op": s.text, "Waarom hier": AGENDA_GROUPS[g] + ("; al besproken, actie afgesproken" if settled else ""),
                           "Besproken?": _discussed_cell(duiding_of(s, rows))}
                          for i, (s, g, settled) in enumerate(order, start=1)])
    more = len(signals) - len(order)
    text = AGENDA_RULE + ("" if not more else
                          f"\n\nDe overige {more} signalen staan in het overzicht hierboven; ze zijn niet minder "
                          "belangrijk, maar passen niet in één gesprek.")
    data = table.rename(columns={"Nr.": "nr", "Blok": "blok", "Onderwerp": "onderwerp", "Soort": "soort",
                                 "Wat valt op": "tekst",
                                 "Waarom hier": "groep", "Besproken?": "besproken"})
    return Section(id="verbetercyclus_agenda", title=title, text=text, table=table, data=data, heading=3,
                   row_links=tuple(s.section for s, _, _ in order),
                   agenda=Agenda(tuple(s for s, _, _ in order), tuple(partners_for(scope, s) for s, _, _ in order),
                                 tuple(front_text(s) for s, _, _ in order),
                                 tuple(ASK.get(s.kind, ASK["verschil"]) for s, _, _ in order), going_well,
                                 still_missing(scope)))


# --- duiding -------------------------------------------------------------------------------------

def _duiding_table(d: Duiding) -> pd.DataFrame:
    rows = [("Besproken op", _date_words(d.datum)), ("Aan tafel", d.aanwezig or "niet vastgelegd")]
    rows += [(QUESTIONS[q], d.answers[q] or "–") for q in DUIDINGSVRAGEN]
    rows += [(f"Stem van {ROLE_WORDS.get(r, r)}", f"“{c}”") for r, c in d.voices]
    if d.earlier:
        rows.append(("Eerder besproken op", ", ".join(_date_words(x) for x in d.earlier)))
    return pd.DataFrame(rows, columns=["Vraag", "Antwoord"])


def duiding(scope: Scope, signals: list[Signal] | None = None) -> list[Section]:
    """Per discussed signal the answers to the four duidingsvragen, who was at the table and the voices
    (file text only in table cells); then the signals not yet discussed. Without a usable file: what
    to collect and the template (or what is wrong with the file)."""
    own = scope.local.duiding
    signals = _signals(scope, signals)
    if not own.present:
        return missing_file_sections("duiding", "duiding van de signalen", NO_DUIDING, own, DUIDING_FOR_PARTNERS)
    rows = own.frame
    sections, open_signals = [], []
    for i, sig in enumerate(signals):
        d = duiding_of(sig, rows)
        if d is None:
            open_signals.append(sig)
            continue
        sections.append(Section(id=f"duiding_{i + 1}", title=f"Blok {sig.block} · {sig.subject} ({sig.kind})",
                                heading=3, text=sig.text, table=_duiding_table(d),
                                source=f"Bron: {_who(scope)}."))
    if not sections:
        sections.append(Section(id="duiding_geen", title="Besproken signalen",
                                text="Geen van de signalen in de lijst is al besproken."))
    if open_signals:
        table = pd.DataFrame([{"Blok": str(s.block), "Onderwerp": s.subject, "Soort": s.kind} for s in open_signals])
        verb = "is" if len(open_signals) == 1 else "zijn"
        sections.append(Section(id="duiding_open", title="Nog niet besproken", heading=3, table=table,
                                text=f"{len(open_signals)} van de {len(signals)} signalen {verb} nog niet besproken."))
    note = _unmatched_note(_unmatched(rows, signals))
    if note:
        sections[-1] = replace(sections[-1], note=note)
    return sections


def _who(scope: Scope) -> str:
    return ("fictieve verslagen van gesprekken (Demoland)" if scope.fictitious
            else "verslagen van gesprekken van de gemeente en partners")


# --- next cycle ----------------------------------------------------------------------------------

def volgende_cyclus(scope: Scope, signals: list[Signal] | None = None, today: date | None = None) -> Section:
    """What to pick up in the next cycle: results without an indicator or norm, own files still
    missing or unusable, late actions and signals not yet discussed."""
    signals = _signals(scope, signals)
    today = today or date.today()
    rows: list[dict] = []
    if not any(a.resultaten for a in scope.params.ambities):
        rows.append({"Wat": "Ambities en resultaten (blok 2)",
                     "Wat te doen": "Nog niet vastgelegd: leg ambities en meetbare resultaten vast."})
    for amb in scope.params.ambities:
        for res in amb.resultaten:
            if not res.indicatoren:
                rows.append({"Wat": f"Resultaat {res.id} · {res.titel}",
                             "Wat te doen": "Kies een indicator met een richting, een basis, een doel en een doeljaar."})
            elif not all(spec.has_norm for spec in res.indicatoren):
                rows.append({"Wat": f"Resultaat {res.id} · {res.titel}",
                             "Wat te doen": "Leg voor elke indicator een basis, een doel en een doeljaar vast."})
    for attr, (what, block) in OWN_FILES.items():
        own = getattr(scope.local, attr)
        if own.problem:
            rows.append({"Wat": f"Bestand met {what} (blok {block})",
                         "Wat te doen": f"Het bestand is niet te gebruiken; zie blok {block} voor wat er mis is."})
        elif not own.present:
            rows.append({"Wat": f"Bestand met {what} (blok {block})",
                         "Wat te doen": "Nog niet aangeleverd: zie wat we partners vragen aan te leveren (voorpagina)."})
    actions = _actions(scope)
    if actions is not None:
        late = [a for a, s, e in zip(actions["actie"], actions["status"], actions["evaluatiedatum"])
                if is_late(s, e, today)]
        for a in late:
            rows.append({"Wat": f"Actie: {a}", "Wat te doen": "De evaluatiedatum is voorbij: plan de evaluatie."})
    duiding_rows = _duiding_rows(scope)
    open_signals = [s for s in signals if duiding_of(s, duiding_rows) is None]
    if open_signals:
        rows.append({"Wat": f"{len(open_signals)} van de {len(signals)} signalen",
                     "Wat te doen": "Nog niet besproken: bespreek ze met partners, jongeren en ouders "
                                    "(begin bij de agenda)."})
    table = pd.DataFrame(rows, columns=["Wat", "Wat te doen"])
    title = "Voor de volgende cyclus"
    if table.empty:
        return Section(id="volgende_cyclus", title=title,
                       text="Alle resultaten zijn meetbaar, alle eigen bestanden zijn er en elk signaal is besproken.")
    return Section(id="volgende_cyclus", title=title, table=table, data=table,
                   text=f"{len(table)} punten om in de volgende cyclus op te pakken.")
