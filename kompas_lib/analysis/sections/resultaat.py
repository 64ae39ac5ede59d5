"""Block 2 — maatschappelijk resultaat: the ambities, their results and whether each is on course.

Every result of the params is listed, measurable or not: a result without an indicator or without a
norm is named ('niet meetbaar'), not skipped. A result with a norm is judged with its margin by the
method in :mod:`kompas_lib.analysis.methods.targets`.

Builders (pure, take a :class:`~kompas_lib.analysis.scope.Scope`):

* :func:`resultaten` — the overview table of all results with their verdict (``resultaten.csv``),
  carrying the signals 'niet op koers' and 'niet meetbaar';
* :func:`resultaat_figuren` — one figure per judged indicator: realised values against the path from
  baseline to target (``resultaat_<id>_<indicator>.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kompas_lib.analysis.methods.targets import (  # noqa: F401  (re-exported for callers of block 2)
    NIET_OP_KOERS,
    ONZEKER,
    OP_KOERS,
    Judgement,
    judge,
    margin,
    path_value,
)
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.figures import TargetFigure
from kompas_lib.analysis.section import Section, Signal
from kompas_lib.analysis.wording import own_data_who, series_source, source_line
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period

SERIES_COLUMNS = ["year", "value", "numerator", "denominator", "label", "source"]
NIET_MEETBAAR = "niet meetbaar"

NO_AMBITIONS = ("Er zijn nog geen ambities en resultaten vastgelegd. Zodra de gemeente ze heeft vastgesteld — elk "
                "resultaat meetbaar gemaakt met een indicator, een richting, een basiswaarde, een doel en een "
                "doeljaar — volgt dit blok of ze op koers liggen.")
TABLE_CAPTION = ("Soort: inhoudelijk, proces of randvoorwaardelijk. Een resultaat zonder indicator of zonder norm "
                 "wordt genoemd, niet overgeslagen: maak het SMART.")


@dataclass(frozen=True)
class Judged:
    """One result indicator with a norm, judged: what its figure needs."""

    result_id: str
    spec: object  # core.params.DoelIndicator
    series: pd.DataFrame
    title: str
    unit: str
    source: str  # 'Bron: …' line of the series
    base_year: int
    base_value: float
    judgement: Judgement

    @property
    def section_id(self) -> str:
        return f"resultaat_{self.result_id}_{self.spec.indicator or self.spec.lokaal}"


def local_title(local_id: str) -> str:
    """An own indicator's id as words: 'binnen_twee_weken_geholpen' -> 'Binnen twee weken geholpen'."""
    words = str(local_id).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def indicator_series(scope: Scope, spec) -> tuple[pd.DataFrame, str, str, str]:
    """(series with year/value/numerator/denominator/label/source, title, unit, source line) of one
    result indicator: from the facts (catalogue indicator) or the gemeente's own indicator file."""
    if spec.indicator:
        ind = scope.catalogue.indicators[spec.indicator]
        s = scope.own_series(ind.id, period_type=None)  # on today's borders
        s = s[s["period_type"].isin(["jaar", "schooljaar"])]
        out = pd.DataFrame({"year": [parse_period(p).year for p in s["period"]], "value": s["value"].to_numpy(),
                            "numerator": s["numerator"].to_numpy(), "denominator": s["denominator"].to_numpy(),
                            "label": [parse_period(p).label for p in s["period"]],
                            "source": s["source_table"].to_numpy()})
        return out, ind.titel, ind.eenheid, series_source(scope.who, s)
    local = scope.local.indicatoren.frame
    title = local_title(spec.lokaal)
    rows = local[local["indicator"] == spec.lokaal] if local is not None else pd.DataFrame()
    if rows.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS), title, "percentage", source_line(own_data_who(scope.fictitious))
    value = rows["waarde"].where(rows["waarde"].notna(), rows["teller"] / rows["noemer"] * 100)
    out = pd.DataFrame({"year": [parse_period(p).year for p in rows["periode"]], "value": value.to_numpy(),
                        "numerator": rows["teller"].to_numpy(), "denominator": rows["noemer"].to_numpy(),
                        "label": [parse_period(p).label for p in rows["periode"]], "source": "eigen gegevens"})
    shown = rows.loc[value.notna(), "periode"]
    return (out.sort_values("year").reset_index(drop=True), title, "percentage",
            source_line(own_data_who(scope.fictitious), (), shown))


def _not_measurable(res, title: str | None) -> Signal:
    subject = f"{res.id} · {res.titel}"
    if title is None:
        text = (f"{subject} is niet meetbaar: er is nog geen indicator met een norm gekozen. Kies een indicator en "
                "leg basis, doel en doeljaar vast.")
    else:
        text = f"{subject} is niet meetbaar met '{title}': er is nog geen norm. Leg basis, doel en doeljaar vast."
    return Signal(block=2, subject=subject, kind=NIET_MEETBAAR, period="", text=text, section="resultaten")


def _margin(j: Judgement, unit: str) -> str:
    """The margin of the latest measurement in the indicator's own format: '2,2–3,1' or (a count) '27.031–30.209'."""
    if unit == "aantal":
        return f"{fmt.count(j.low)}–{fmt.count(j.high)}"
    return f"{fmt.number(j.low, 1)}–{fmt.number(j.high, 1)}"


def _off_course(res, title: str, unit: str, j: Judgement, label: str) -> Signal:
    subject = f"{res.id} · {res.titel}"
    text = (f"{subject} is niet op koers: '{title}' was {fmt.value(j.value, unit)} in {label}, terwijl de lijn van "
            f"basis naar doel voor die periode op {fmt.value(j.expected, unit)} uitkomt. De hele marge "
            f"({_margin(j, unit)}) ligt aan de verkeerde kant van die lijn.")
    return Signal(block=2, subject=subject, kind=NIET_OP_KOERS, period=label, text=text, section="resultaten",
                  tone="ongunstig")


def _label(s: pd.DataFrame, year: int) -> str:
    """The period label of the measurement in ``year`` ('2023', "schooljaar 2022/'23"); for a year without one
    (a target year) the same kind of label, so a schooljaar indicator's doeljaar 2027 reads "schooljaar 2027/'28"."""
    at = s.loc[(s["year"] == year) & s["value"].notna(), "label"]
    if len(at):
        return str(at.iloc[-1])
    if len(s) and s["label"].astype(str).str.startswith("schooljaar").all():
        return f"schooljaar {year}/'{(int(year) + 1) % 100:02d}"
    return str(year)


EXAMPLE = "VOORBEELD"


def ambition_label(amb) -> str:
    """How the report names an ambition: with the decision it comes from, and stamped VOORBEELD when it
    is an example rather than the gemeente's own policy."""
    source = f" (bron: {amb.bron})" if amb.bron else " (bron niet vermeld)"
    return (f"{EXAMPLE} (geen vastgesteld beleid) — " if amb.voorbeeld else "") + amb.ambitie + source


def assess(scope: Scope) -> tuple[pd.DataFrame, list[Judged], list[Signal]]:
    """(overview table, judged indicators, signals) of every ambition's results; the signals of an
    example ambition say so."""
    rows: list[dict] = []
    judged: list[Judged] = []
    signals: list[Signal] = []
    for amb in scope.params.ambities:
        before = len(signals)
        _assess_ambition(scope, amb, rows, judged, signals)
        if amb.voorbeeld:
            signals[before:] = [replace(sig, subject=f"{EXAMPLE}: {sig.subject}", text=f"{EXAMPLE} — {sig.text}")
                                for sig in signals[before:]]
    return pd.DataFrame(rows), judged, signals


def _assess_ambition(scope: Scope, amb, rows: list[dict], judged: list[Judged], signals: list[Signal]) -> None:
    for res in amb.resultaten:
        base = {"Ambitie": ambition_label(amb), "Resultaat": f"{res.id} · {res.titel}", "Soort": res.soort}
        if not res.indicatoren:
            rows.append({**base, "Indicator": "–", "Norm": "–", "Laatste meting": "–",
                         "Oordeel": "niet meetbaar: kies een indicator met een norm (SMART)"})
            signals.append(_not_measurable(res, None))
            continue
        for spec in res.indicatoren:
            s, title, unit, source = indicator_series(scope, spec)
            if not spec.has_norm:
                last = s.dropna(subset=["value"]).tail(1)
                rows.append({**base, "Indicator": title, "Norm": "–",
                             "Laatste meting": "–" if last.empty else
                             f"{fmt.value(last['value'].iloc[0], unit)} ({last['label'].iloc[0]})",
                             "Oordeel": "geen norm: leg basis, doel en doeljaar vast"})
                signals.append(_not_measurable(res, title))
                continue
            base_period = parse_period(spec.basis.periode)
            base_year = base_period.year
            base_value = spec.basis.waarde
            if base_value is None:
                at = s[(s["year"] == base_year) & s["value"].notna()]
                base_value = float(at["value"].iloc[0]) if len(at) else None
            if base_value is None:
                rows.append({**base, "Indicator": title,
                             "Norm": f"doel {fmt.value(spec.doel, unit)} in {_label(s, spec.doeljaar)}", "Laatste meting": "–",
                             "Oordeel": f"nog niet te zeggen: geen basiswaarde voor {spec.basis.periode}"})
                continue
            scale = scope.catalogue.indicators[spec.indicator].ratio_scale if spec.indicator else 100.0
            j = judge(s, base_year=base_year, base_value=base_value, target=spec.doel, target_year=spec.doeljaar,
                      direction=spec.richting, scale=scale, unit=unit)
            measured = "–" if j.value is None else f"{fmt.value(j.value, unit)} ({_label(s, j.year)})"
            if j.low is not None:
                measured += f", marge {_margin(j, unit)}"
            rows.append({**base, "Indicator": title,
                         "Norm": (f"van {fmt.value(base_value, unit)} ({base_period.label}) naar "
                                  f"{fmt.value(spec.doel, unit)} in {_label(s, spec.doeljaar)}"),
                         "Laatste meting": measured,
                         "Oordeel": j.verdict + ("" if j.expected is None
                                                 else f" (norm {_label(s, j.year)}: {fmt.value(j.expected, unit)})")})
            judged.append(Judged(res.id, spec, s, title, unit, source, base_year, base_value, j))
            if j.verdict == NIET_OP_KOERS:
                signals.append(_off_course(res, title, unit, j, _label(s, j.year)))


def _local_problem_note(scope: Scope) -> str:
    own = scope.local.indicatoren
    uses_local = any(spec.lokaal for a in scope.params.ambities for r in a.resultaten for spec in r.indicatoren)
    if own.problem and uses_local:
        return ("Het bestand met eigen indicatoren is niet te gebruiken; resultaten die daarop steunen zijn nog niet "
                f"te beoordelen. {own.problem}")
    return ""


def resultaten(scope: Scope) -> Section:
    """The overview of all results: indicator, norm, latest measurement and verdict, with signals for
    results that are off course or not measurable."""
    table, _, signals = assess(scope)
    if table.empty:
        return Section(id="resultaten", title="Maatschappelijke resultaten", text=NO_AMBITIONS)
    examples = [a for a in scope.params.ambities if a.voorbeeld]
    text = "" if not examples else (
        f"Let op: {'alle ambities' if len(examples) == len(scope.params.ambities) else 'een deel van de ambities'} "
        f"in dit rapport {'zijn voorbeelden' if len(examples) > 1 else 'is een voorbeeld'} bij de werkmap, geen "
        f"vastgesteld beleid van {scope.focus.name}. Ze laten zien hoe een resultaat wordt gevolgd; vervang ze door "
        "de eigen ambities, met het besluit waarin ze zijn vastgesteld.")
    return Section(id="resultaten", title="Maatschappelijke resultaten", text=text, table=table, data=table,
                   caption=TABLE_CAPTION, note=_local_problem_note(scope), signals=tuple(signals))


def figure_section(d: Judged) -> Section:
    """Realised values against the straight path from baseline to target, with the latest margin."""
    j, spec = d.judgement, d.spec
    shown = d.series.dropna(subset=["value"])[["year", "value"]].reset_index(drop=True)
    title = f"{d.result_id} · {d.title}: {j.verdict}"
    caption = f"{d.source} Oordeel met de marge van de laatste meting ({j.reason})."
    figure = TargetFigure(shown, title, caption, base_year=d.base_year, base_value=d.base_value,
                          target_year=spec.doeljaar, target_value=spec.doel, percent=d.unit == "percentage",
                          margin=None if j.low is None else (j.year, j.value, float(j.low), float(j.high)))
    return Section(id=d.section_id, title=title, data=d.series, source=d.source, figure=figure)


def resultaat_figuren(scope: Scope) -> list[Section]:
    """One figure section per result indicator with a norm and a baseline value."""
    _, judged, _ = assess(scope)
    return [figure_section(d) for d in judged]
