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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import table_breaks
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Agenda, Section, Signal
from kompas_lib.analysis.sections import activiteiten, kwaliteit, resultaat, staat, uitkomsten
from kompas_lib.analysis.sections.partners import (
    ASK,
    MAX_GOING_WELL,
    front_text,
    partners_for,
    still_missing,
)
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.analysis.wording import break_note, change_sentence
from kompas_lib.core import fmt
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.sources.template_specs import DUIDINGSVRAGEN

MAX_AGENDA = 7
OPEN_STATUS = ("open", "lopend")
AGREED_STATUS = ("open", "lopend", "afgerond")
NOT_DISCUSSED = "nog niet besproken"
LATE = "te laat"
NOT_CAUSAL = "dit zegt niet dat de actie de verandering veroorzaakte"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

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
NO_ACTIONS = (
    "Er is nog geen register van verbeteracties. Leg per afgesproken actie vast: wat er gebeurt, wie het "
    "aanspreekpunt is, of de actie bij de gemeente of bij een aanbieder ligt, bij welk signaal of resultaat ze "
    "hoort, eventueel de indicator die we volgen, de startdatum, de datum waarop we evalueren en de stand van zaken "
    "(open, lopend, afgerond of gestopt). Het sjabloon heeft deze kolommen:")
DUIDING_FOR_PARTNERS = ("De signalen zijn nog niet samen met partners geduid. Na het gesprek staat hier per signaal "
                        "wat we herkennen, hoe we het verklaren, wat we ervan vinden en wat nodig is.")
ACTIONS_FOR_PARTNERS = ("Er zijn nog geen verbeteracties afgesproken. Ze volgen uit het gesprek over de signalen; "
                        "hier komt dan per actie wie haar trekt, wanneer we evalueren en hoe ver ze is.")

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


# --- matching file rows to signals ---------------------------------------------------------------

def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _subject_keys(subject: str) -> set[str]:
    """A signal is named by its full subject or, for a result ('R2 · …'), by its id alone."""
    return {_norm(subject), _norm(str(subject).split(" · ")[0])}


def _period_keys(period: str) -> set[str]:
    keys = {_norm(period)}
    try:
        keys.add(_norm(parse_period(period).label))
    except (DataError, ValueError):
        pass
    return keys


def _matches(block: str, subject: str, period: str, sig: Signal) -> bool:
    if block and int(block) != sig.block:
        return False
    if _norm(subject) not in _subject_keys(sig.subject):
        return False
    return not period or _norm(period) in _period_keys(sig.period)


def _date_words(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Duiding:
    """The latest conversation about one signal (rows of the duiding file with the same date)."""

    datum: str  # ISO date
    aanwezig: str
    answers: dict  # question column -> answer ('' when not answered)
    voices: tuple[tuple[str, str], ...]  # (rol, citaat)
    earlier: tuple[str, ...]  # ISO dates of earlier conversations


def _duiding_rows(scope: Scope) -> pd.DataFrame | None:
    own = scope.local.duiding
    return own.frame if own.present else None


def duiding_of(sig: Signal, rows: pd.DataFrame | None) -> Duiding | None:
    """What the duiding file says about a signal (its latest conversation), or None."""
    if rows is None or rows.empty:
        return None
    hit = rows[[_matches(b, o, p, sig) for b, o, p in zip(rows["blok"], rows["onderwerp"], rows["periode"])]]
    if hit.empty:
        return None
    latest = hit["datum"].max()
    now = hit[hit["datum"] == latest]
    answers = {q: " ".join(dict.fromkeys(a for a in now[q] if a)) for q in DUIDINGSVRAGEN}
    present = "; ".join(dict.fromkeys(a for a in now["aanwezig"] if a))
    voices = tuple((r, c) for r, c in zip(now["stem_rol"], now["stem_citaat"]) if c)
    earlier = tuple(sorted({d for d in hit["datum"] if d != latest}))
    return Duiding(latest, present, answers, voices, earlier)


def _unmatched(rows: pd.DataFrame | None, signals: list[Signal]) -> int:
    """How many rows of the duiding file belong to no signal in the current list."""
    if rows is None or rows.empty:
        return 0
    return sum(not any(_matches(b, o, p, s) for s in signals)
               for b, o, p in zip(rows["blok"], rows["onderwerp"], rows["periode"]))


def _unmatched_note(n: int) -> str:
    if not n:
        return ""
    regels = "regel" if n == 1 else "regels"
    hoort = "hoort" if n == 1 else "horen"
    return (f"{n} {regels} uit het bestand {hoort} bij signalen die nu niet in de lijst staan (bijvoorbeeld uit een "
            "vorige cyclus, of een onderwerp dat anders gespeld is).")


def _discussed_cell(d: Duiding | None) -> str:
    return f"ja, {_date_words(d.datum)}" if d else NOT_DISCUSSED


def _has_action(sig: Signal, actions: pd.DataFrame | None) -> bool:
    if actions is None or actions.empty:
        return False
    agreed = actions[actions["status"].isin(AGREED_STATUS)]
    return any(_matches(b, o, "", sig) for b, o in zip(agreed["blok"], agreed["onderwerp"]))


def _actions(scope: Scope) -> pd.DataFrame | None:
    own = scope.local.verbeteracties
    return own.frame if own.present else None


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


# --- verbeteracties ------------------------------------------------------------------------------

def _link_words(scope: Scope, block: str, subject: str) -> str:
    results = activiteiten.result_ids(scope.params)
    key = str(subject).strip()
    if key in results:
        return f"resultaat {key} · {results[key]}"
    return f"blok {block}: {key}" if block else key


def _indicator_change(scope: Scope, indicator: str, start_iso: str) -> tuple[str, str, str]:
    """(value at the start, value now, sentence) of a catalogue indicator for the focus region."""
    ind = scope.catalogue.indicators[indicator]
    s = scope.own_series(ind.id, period_type=None)  # on today's borders
    s = s[s["period_type"].isin(["jaar", "schooljaar"]) & s["value"].notna()].sort_values("period_start")
    if s.empty:
        return "–", "–", f"Voor '{ind.titel}' zijn nog geen cijfers van deze gemeente."
    start = date.fromisoformat(start_iso)
    years = [parse_period(p).year for p in s["period"]]
    at_start = s[[y == start.year for y in years]]
    if at_start.empty:
        at_start = s[s["period_start"] <= pd.Timestamp(start)]
    if at_start.empty:
        first = s.iloc[-1]
        return "–", _value_at(first, ind.eenheid), (f"Er is geen cijfer van '{ind.titel}' van voor de start van de "
                                                    "actie; de vergelijking begint bij de volgende meting.")
    first, last = at_start.iloc[-1], s.iloc[-1]
    if first["period"] == last["period"]:
        return (_value_at(first, ind.eenheid), _value_at(last, ind.eenheid),
                f"Er is nog geen meting van '{ind.titel}' na de start van de actie.")
    sentence = change_sentence(first, last, ind.eenheid)
    note = break_note(table_breaks(s, scope.focus.code), first["period_start"], last["period_start"])
    return (_value_at(first, ind.eenheid), _value_at(last, ind.eenheid),
            f"{sentence}; {NOT_CAUSAL}.{note}")


def _value_at(row: pd.Series, unit: str) -> str:
    return f"{fmt.value(row['value'], unit)} ({parse_period(row['period']).label})"


def is_late(status: str, evaluatiedatum: str, today: date) -> bool:
    """An action is late when its evaluation date has passed while it is still open or running."""
    return status in OPEN_STATUS and bool(evaluatiedatum) and evaluatiedatum < today.isoformat()


def verbeteracties(scope: Scope, today: date | None = None) -> list[Section]:
    """The register of improvement actions: late ones marked ('te laat'), and for actions with an
    indicator its value at the start and now, worded without claiming the action caused the change.
    Without a usable file: what to collect and the template (or what is wrong with the file)."""
    own = scope.local.verbeteracties
    if not own.present:
        return missing_file_sections("verbeteracties", "verbeteracties", NO_ACTIONS, own, ACTIONS_FOR_PARTNERS)
    today = today or date.today()
    df = own.frame
    late = [is_late(s, e, today) for s, e in zip(df["status"], df["evaluatiedatum"])]
    table = pd.DataFrame({
        "Actie": df["actie"], "Voor": df["voor"], "Aanspreekpunt": df["aanspreekpunt"],
        "Hoort bij": [_link_words(scope, b, o) for b, o in zip(df["blok"], df["onderwerp"])],
        "Start": [_date_words(d) for d in df["startdatum"]],
        "Evaluatie": [_date_words(d) for d in df["evaluatiedatum"]],
        "Status": [f"{s}, {LATE}" if x else s for s, x in zip(df["status"], late)],
        "Evaluatie: wat leverde het op": [e or "–" for e in df["evaluatie"]],
    })
    counts = df["status"].value_counts()
    n_late = sum(late)
    text = (f"Het register telt {len(df)} {'actie' if len(df) == 1 else 'acties'}: "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("open", "lopend", "afgerond", "gestopt")) + ". "
            + (f"**{n_late} {'actie is' if n_late == 1 else 'acties zijn'} te laat:** de evaluatiedatum is voorbij "
               "terwijl de actie nog open of lopend is. Plan de evaluatie, of stel een nieuwe datum vast."
               if n_late else "Geen actie is te laat."))
    data = df.assign(te_laat=late, peildatum=today.isoformat())
    sections = [Section(id="verbeteracties", title="Register van verbeteracties", text=text, table=table, data=data,
                        source=f"Bron: {_register_who(scope)}, stand op {_date_words(today.isoformat())}.")]
    with_ind = df[df["indicator"] != ""]
    if not with_ind.empty:
        rows = []
        for r in with_ind.itertuples(index=False):
            start, now, sentence = _indicator_change(scope, r.indicator, r.startdatum)
            rows.append({"Actie": r.actie, "Indicator": scope.catalogue.indicators[r.indicator].titel,
                         "Bij de start": start, "Nu": now, "Wat veranderde": sentence})
        sections.append(Section(
            id="verbeteracties_indicatoren", title="Wat deden de cijfers sinds de start?", heading=3,
            text=("Bij acties met een indicator staat het cijfer van de gemeente bij de start van de actie naast het "
                  "laatste cijfer. Een verandering in die tijd kan ook andere oorzaken hebben: "
                  f"{NOT_CAUSAL}. Bespreek het samen met wat de betrokkenen zelf merken."),
            table=pd.DataFrame(rows), source=f"Bron: {scope.who} (cijfers); {_register_who(scope)} (acties)."))
    return sections


def _register_who(scope: Scope) -> str:
    return "fictief register van verbeteracties (Demoland)" if scope.fictitious else "register van verbeteracties"


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
