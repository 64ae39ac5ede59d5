"""Block 2 — maatschappelijk resultaat: targets and whether a result is on course.

A result's indicator has a baseline (period, value), a target value and a target year, and a
direction. The norm is the straight path from baseline to target. The latest realised value is
judged *with its uncertainty*, not by the point:

* ``op koers``           — the whole 95 % margin lies on the good side of the path;
* ``niet op koers``      — the whole margin lies on the wrong side;
* ``nog niet te zeggen`` — the margin straddles the path, there is no measurement after the
  baseline yet, or no margin can be given.

The margin is the Wilson interval where counts are known; otherwise ± 1,96 × the standard deviation
of the earlier year-to-year changes (the indicator's usual wobble), when at least three are known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods.uncertainty import wilson
from kompas_lib.presentation import render as plots  # TEMP

OP_KOERS, NIET_OP_KOERS, ONZEKER = "op koers", "niet op koers", "nog niet te zeggen"


@dataclass(frozen=True)
class Judgement:
    verdict: str
    year: int | None
    value: float | None
    low: float | None
    high: float | None
    expected: float | None
    reason: str


def path_value(base_year: int, base_value: float, target_year: int, target: float, year: float) -> float:
    """The straight norm path from baseline to target, evaluated in ``year``."""
    if target_year == base_year:
        return target
    return base_value + (target - base_value) * (year - base_year) / (target_year - base_year)


def margin(series: pd.DataFrame, scale: float = 100.0) -> tuple[float | None, float | None, str]:
    """Margin of the last value: Wilson from counts, else the wobble of earlier years."""
    last = series.iloc[-1]
    if pd.notna(last.get("numerator")) and pd.notna(last.get("denominator")) and last["denominator"] > 0:
        lo, hi = wilson(last["numerator"], last["denominator"])
        return float(lo) * scale, float(hi) * scale, "95 %-marge uit teller en noemer"
    steps = np.diff(series["value"].to_numpy(dtype=float)[:-1])
    if len(steps) >= 3 and np.std(steps, ddof=1) > 0:
        half = 1.96 * float(np.std(steps, ddof=1))
        return max(last["value"] - half, 0.0), last["value"] + half, "marge uit de schommeling van eerdere jaren"
    return None, None, "geen marge bekend"


def judge(series: pd.DataFrame, *, base_year: int, base_value: float, target: float, target_year: int,
          direction: str, scale: float = 100.0) -> Judgement:
    """Judge the latest value of ``series`` (columns year, value[, numerator, denominator]) against the
    norm path. ``direction``: 'hoger' (higher is the aim) or 'lager'."""
    s = series.dropna(subset=["value"]).sort_values("year")
    after = s[s["year"] > base_year]
    if after.empty:
        return Judgement(ONZEKER, None, None, None, None, None, "nog geen meting na het basisjaar")
    last = after.iloc[-1]
    lo, hi, how = margin(s[s["year"] <= last["year"]], scale)
    expected = path_value(base_year, base_value, target_year, target, last["year"])
    if lo is None:
        return Judgement(ONZEKER, int(last["year"]), float(last["value"]), None, None, expected, how)
    good_above = direction == "hoger"
    if (lo >= expected) if good_above else (hi <= expected):
        verdict = OP_KOERS
    elif (hi < expected) if good_above else (lo > expected):
        verdict = NIET_OP_KOERS
    else:
        verdict = ONZEKER
    return Judgement(verdict, int(last["year"]), float(last["value"]), lo, hi, expected, how)


# --- assembly for notebook 02 ---------------------------------------------------------------------

def local_file(ctx, kind: str):
    """Path of the gemeente's own file for 'indicatoren', 'activiteiten' or 'inputkwaliteit'."""
    demo_names = {"indicatoren": "lokale_indicatoren.csv", "activiteiten": "activiteiten.csv",
                  "inputkwaliteit": "inputkwaliteit.csv"}
    return ctx.own_file(getattr(ctx.params.lokale_gegevens, kind), demo_names[kind])


def indicator_series(ctx, spec, local: pd.DataFrame | None) -> tuple[pd.DataFrame, str, str]:
    """(series with year/value/numerator/denominator/label, title, unit) for one result indicator."""
    from kompas_lib.analysis.methods.benchmarks import series
    from kompas_lib.core.periods import parse_period

    if spec.indicator:
        ind = ctx.registry.indicators[spec.indicator]
        s = series(ctx.ind(ind.id), ind.id, [ctx.focus.code], period_type=None)
        s = s[s["period_type"].isin(["jaar", "schooljaar"])]
        out = pd.DataFrame({"year": [parse_period(p).year for p in s["period"]], "value": s["value"].to_numpy(),
                            "numerator": s["numerator"].to_numpy(), "denominator": s["denominator"].to_numpy(),
                            "label": [parse_period(p).label for p in s["period"]],
                            "source": s["source_table"].to_numpy()})
        return out, ind.titel, ind.eenheid
    rows = local[local["indicator"] == spec.lokaal] if local is not None else pd.DataFrame()
    if rows.empty:
        return pd.DataFrame(columns=["year", "value", "numerator", "denominator", "label", "source"]), spec.lokaal, "percentage"
    value = rows["waarde"].where(rows["waarde"].notna(), rows["teller"] / rows["noemer"] * 100)
    out = pd.DataFrame({"year": [parse_period(p).year for p in rows["periode"]], "value": value.to_numpy(),
                        "numerator": rows["teller"].to_numpy(), "denominator": rows["noemer"].to_numpy(),
                        "label": [parse_period(p).label for p in rows["periode"]], "source": "eigen gegevens"})
    return out.sort_values("year"), spec.lokaal, "percentage"


def results(ctx) -> tuple[pd.DataFrame, list[dict]]:
    """(overview table, per-indicator details for figures) of every ambition's results."""
    from kompas_lib.core import fmt
    from kompas_lib.core.errors import KompasError
    from kompas_lib.core.periods import parse_period
    from kompas_lib.sources.sjablonen import load

    local = None
    path = local_file(ctx, "indicatoren")
    if path is not None:
        try:
            local = load(path, "lokale_indicatoren")
        except KompasError:
            local = None
    rows, details = [], []
    for amb in ctx.params.ambities:
        for res in amb.resultaten:
            base = {"Ambitie": amb.ambitie, "Resultaat": f"{res.id} · {res.titel}", "Soort": res.soort}
            if not res.indicatoren:
                rows.append({**base, "Indicator": "–", "Norm": "–", "Laatste meting": "–",
                             "Oordeel": "niet meetbaar: kies een indicator met een norm (SMART)"})
                continue
            for spec in res.indicatoren:
                s, title, unit = indicator_series(ctx, spec, local)
                if not spec.has_norm:
                    last = s.dropna(subset=["value"]).tail(1)
                    rows.append({**base, "Indicator": title, "Norm": "–",
                                 "Laatste meting": "–" if last.empty else f"{fmt.value(last['value'].iloc[0], unit)} ({last['label'].iloc[0]})",
                                 "Oordeel": "geen norm: leg basis, doel en doeljaar vast"})
                    continue
                base_year = parse_period(spec.basis.periode).year
                base_value = spec.basis.waarde
                if base_value is None:
                    at = s[(s["year"] == base_year) & s["value"].notna()]
                    base_value = float(at["value"].iloc[0]) if len(at) else None
                if base_value is None:
                    rows.append({**base, "Indicator": title, "Norm": f"doel {fmt.value(spec.doel, unit)} in {spec.doeljaar}",
                                 "Laatste meting": "–", "Oordeel": f"nog niet te zeggen: geen basiswaarde voor {spec.basis.periode}"})
                    continue
                j = judge(s, base_year=base_year, base_value=base_value, target=spec.doel, target_year=spec.doeljaar,
                          direction=spec.richting)
                measured = "–" if j.value is None else f"{fmt.value(j.value, unit)} ({j.year})"
                if j.low is not None:
                    measured += f", marge {fmt.number(j.low, 1)}–{fmt.number(j.high, 1)}"
                rows.append({**base, "Indicator": title,
                             "Norm": (f"van {fmt.value(base_value, unit)} ({parse_period(spec.basis.periode).label}) naar "
                                      f"{fmt.value(spec.doel, unit)} in {spec.doeljaar}"),
                             "Laatste meting": measured,
                             "Oordeel": j.verdict + ("" if j.expected is None else f" (norm {j.year}: {fmt.value(j.expected, unit)})")})
                details.append({"resultaat": res, "spec": spec, "series": s, "title": title, "unit": unit,
                                "base_year": base_year, "base_value": base_value, "judgement": j})
    return pd.DataFrame(rows), details


def figure(ctx, d: dict):
    """Realised values against the straight path from baseline to target."""
    from kompas_lib.core import fmt

    j, spec = d["judgement"], d["spec"]
    s = d["series"].dropna(subset=["value"])
    path = pd.DataFrame({"year": [d["base_year"], spec.doeljaar], "value": [d["base_value"], spec.doel]})
    plots.use_style()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(s["year"], s["value"], marker="o", color=plots.FOCUS, linewidth=2.4, label="gemeten")
    ax.plot(path["year"], path["value"], "--", color="#555555", label="norm: van basis naar doel")
    ax.scatter([spec.doeljaar], [spec.doel], marker="*", s=160, color=plots.PALETTE[0], zorder=4, label="doel")
    if j.low is not None:
        ax.errorbar([j.year], [j.value], yerr=[[j.value - j.low], [j.high - j.value]], color=plots.FOCUS, capsize=4)
    ax.set_title(f"{d['resultaat'].id} · {d['title']}: {j.verdict}")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(fmt.axis_formatter(1, " %" if d["unit"] == "percentage" else ""))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(bottom=0.18, right=0.72)
    src = ", ".join(sorted(set(map(str, s["source"])))) if len(s) else "–"
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    src = f"{who}, tabel {src}" if spec.indicator else ("fictieve eigen gegevens (Demoland)" if ctx.fictitious else src)
    plots.add_caption(fig, f"Bron: {src}. Oordeel met de marge van de laatste meting ({j.reason}).")
    return fig
