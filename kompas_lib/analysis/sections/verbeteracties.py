"""Block 6 — the register of improvement actions (the gemeente's own file ``verbeteracties``): late
actions marked, and for an action with an indicator its value at the start and now, worded without
claiming that the action caused the change.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import table_breaks
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections import activiteiten
from kompas_lib.analysis.sections.koppeling import _date_words
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.analysis.wording import break_note, change_sentence
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period

OPEN_STATUS = ("open", "lopend")
LATE = "te laat"
NOT_CAUSAL = "dit zegt niet dat de actie de verandering veroorzaakte"
NO_ACTIONS = (
    "Er is nog geen register van verbeteracties. Leg per afgesproken actie vast: wat er gebeurt, wie het "
    "aanspreekpunt is, of de actie bij de gemeente of bij een aanbieder ligt, bij welk signaal of resultaat ze "
    "hoort, eventueel de indicator die we volgen, de startdatum, de datum waarop we evalueren en de stand van zaken "
    "(open, lopend, afgerond of gestopt). Het sjabloon heeft deze kolommen:")
ACTIONS_FOR_PARTNERS = ("Er zijn nog geen verbeteracties afgesproken. Ze volgen uit het gesprek over de signalen; "
                        "hier komt dan per actie wie haar trekt, wanneer we evalueren en hoe ver ze is.")


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
