"""Training exercises: 'test de indicatoren' and finding a gemeente by what a participant typed.

A participant writes an ambitie, a maatschappelijk resultaat, picks an indicator and sets a norm
(direction, target, target year). :func:`test_indicator` answers the way block 2 would judge it, in
plain Dutch: is it measurable with the data (which table, which years), does the direction fit the
indicator, what is the baseline, what is the smallest change the margin can show and how many years
the targeted change needs before it can be seen, and what makes it SMART or not. The margin comes
from :func:`kompas_lib.analysis.methods.targets.margin`, the same as block 2 uses.

Pure functions on a :class:`~kompas_lib.analysis.scope.Scope`; the widgets live in
:mod:`kompas_lib.presentation.training`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import yaml

from kompas_lib.analysis.methods.targets import margin
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.sections.resultaat import indicator_series
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period
from kompas_lib.core.params import DoelIndicator

DIRECTIONS = ("hoger", "lager")


@dataclass(frozen=True)
class Found:
    """The gemeente a participant meant, or why none was found."""

    code: str | None
    name: str | None
    message: str


def find_region(text: str, catalogue: dict[str, tuple[str, str]], levels=("gemeente", "jeugdregio"),
                real_names: Iterable[str] = (), country: str = "Demoland") -> Found:
    """A gemeente (or jeugdregio) by code or name, forgiving case and small typos.

    ``real_names``: the names of real gemeenten when the data are fictitious (Demoland). A real name, or a
    typo nearer to a real name than to any name in the data, is answered with a message that the gemeente
    is not in ``country`` — never silently taken for a fictitious name that looks like it ('Amsterdam' is
    not 'Haverdam')."""
    wanted = " ".join(str(text or "").split())
    choices = {c: n for c, (n, level) in catalogue.items() if level in levels}
    example = choices[min(choices)] if choices else "Waterveen"
    if not wanted:
        return Found(None, None, f"Typ de naam of de code van een gemeente, bijvoorbeeld {example} of {min(choices, default='GM9001')}.")
    if wanted.upper() in choices:
        return Found(wanted.upper(), choices[wanted.upper()], "")
    by_name = {n.casefold(): c for c, n in choices.items()}
    key = wanted.casefold()
    if key in by_name:
        code = by_name[key]
        return Found(code, choices[code], "")
    real = {v.casefold(): n for n in real_names for v in (n, n.split(" (")[0])  # 'Bergen' for 'Bergen (NH)'
            if v.casefold() not in by_name}
    not_here = (f"een echte gemeente; die staat niet in {country} (de fictieve gegevens van de training). Kies een "
                f"gemeente uit de lijst, bijvoorbeeld {example}.")
    if key in real:
        return Found(None, None, f"{real[key]} is {not_here}")
    close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6)
    near_real = difflib.get_close_matches(key, list(real), n=1, cutoff=0.75)
    best = difflib.SequenceMatcher(None, key, close[0]).ratio() if close else 0.0
    if near_real and difflib.SequenceMatcher(None, key, near_real[0]).ratio() >= best:
        return Found(None, None, f"'{wanted}' staat niet in de gegevens. Bedoelt u {real[near_real[0]]}? Dat is {not_here}")
    if len(close) == 1 or (close and best >= 0.85):
        code = by_name[close[0]]
        return Found(code, choices[code], f"'{wanted}' staat niet in de gegevens; bedoelt u {choices[code]}? "
                                          f"Die is gekozen.")
    if close:
        names = " of ".join(choices[by_name[c]] for c in close)
        return Found(None, None, f"'{wanted}' staat niet in de gegevens. Bedoelt u {names}?")
    return Found(None, None, f"'{wanted}' staat niet in de gegevens. Typ de naam zoals die in de lijst staat, "
                             f"of een code als {min(choices, default='GM9001')}.")


@dataclass
class Toets:
    """The answer to one indicator proposal: one plain Dutch line per aspect, and whether it can be
    measured. ``fragment``: the proposal as a params-file fragment (when it can be measured)."""

    meetbaar: bool
    regels: list[tuple[str, str]] = field(default_factory=list)
    smart: list[tuple[str, bool, str]] = field(default_factory=list)  # (letter and word, ok, why)
    fragment: str = ""
    basis: float | None = None  # the baseline (latest measurement)
    zichtbaar: float | None = None  # the smallest change the margin can show

    def as_text(self) -> str:
        lines = [f"{aspect}: {text}" for aspect, text in self.regels]
        lines += [f"{word}: {'ja' if ok else 'nee'} — {why}" for word, ok, why in self.smart]
        return "\n".join(lines)


def _years_label(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def test_indicator(scope: Scope, *, ambitie: str, resultaat: str, indicator: str, richting: str,
                   doel: float | None, doeljaar: int | None) -> Toets:
    """Check a participant's ambitie → resultaat → indicator → norm (see the module text)."""
    cat = scope.catalogue.indicators
    t = Toets(meetbaar=False)
    if indicator not in cat:
        titles = {i.titel.casefold(): i.id for i in cat.values()}
        close = difflib.get_close_matches(str(indicator).casefold(), list(titles), n=2, cutoff=0.5)
        hint = f" Bedoelt u: {' of '.join(cat[titles[c]].titel for c in close)}?" if close else ""
        t.regels.append(("Meetbaar", f"'{indicator}' is geen indicator uit de catalogus.{hint}"))
        return t
    ind = cat[indicator]
    richting = str(richting).strip().lower()
    richting = richting if richting in DIRECTIONS else None
    s, title, unit, _source = indicator_series(scope, DoelIndicator(indicator=indicator, richting=richting or "hoger"))
    s = s.dropna(subset=["value"]).sort_values("year")
    if s.empty:
        t.regels.append(("Meetbaar", f"Nee: voor {scope.focus.name} zijn er geen jaarcijfers van '{title}'. Kies een "
                                     "andere indicator of leg een eigen indicator vast."))
        t.smart.append(("M · meetbaar", False, "er zijn geen cijfers voor deze gemeente"))
        return t
    years = sorted(int(y) for y in s["year"].unique())
    tables = sorted({str(x) for x in s["source"]})
    t.meetbaar = True
    t.regels.append(("Meetbaar", f"Ja: {title.lower()} ({ind.unit_label}) staat in tabel "
                                 f"{', '.join(tables)} voor {_years_label(years)}."))
    last = s.iloc[-1]
    base_year, base = int(last["year"]), float(last["value"])
    t.basis = base
    t.regels.append(("Basiswaarde", f"{fmt.value(base, unit)} in {last['label']} (de laatste meting)."))

    t.regels.append(("Richting", _direction_line(ind, title, richting)))

    detectable = _detectable_change(t, s, ind, unit)
    t.regels.append(("Norm", _norm_line(base, base_year, unit, richting, doel, doeljaar, detectable)))
    t.smart = _smart(scope, ind, resultaat, s, richting, doel, doeljaar, base_year)
    if any(aspect == "Norm" and "andere kant" in text for aspect, text in t.regels):
        t.smart = [(word, False, "het doel ligt aan de verkeerde kant van de basiswaarde")
                   if word.startswith("A ") else (word, ok, why) for word, ok, why in t.smart]
    if richting is not None and doel is not None and doeljaar is not None:
        t.fragment = params_fragment(ambitie, resultaat, indicator, richting, base_year, base, doel, doeljaar)
    return t


def _direction_line(ind, title: str, richting: str | None) -> str:
    """Whether the chosen direction fits the indicator's polarity; an indicator without a good direction
    says so (then the test cannot catch a direction that is the wrong way round)."""
    good = _good_direction(ind)
    if richting is None:
        return "Kies 'hoger' of 'lager': welke kant wilt u op met dit cijfer?"
    if good and richting != good:
        return f"Let op: u kiest '{richting}', maar bij {title.lower()} is {good} beter. Bedoelt u '{good}'?"
    if good is None:
        return (f"'{richting}' — deze indicator heeft geen goede richting: bij {title.lower()} is hoger niet vanzelf "
                "beter of slechter. De test kan dus niet zeggen of dit de goede kant op is; leg in het resultaat uit "
                "waarom u deze kant op wilt.")
    return f"'{richting}' past bij deze indicator: {good} is beter."


def _good_direction(ind) -> str | None:
    return {"hoger_beter": "hoger", "lager_beter": "lager"}.get(ind.polariteit)


def _detectable_change(t: Toets, s, ind, unit: str) -> float | None:
    """The smallest change two measurements can show (the difference of two years, each with the
    latest margin); adds its line to ``t``."""
    lo, hi, how = margin(s, ind.ratio_scale, unit)
    if lo is None:
        t.regels.append(("Kleinste zichtbare verandering", "niet te zeggen: er is geen marge bekend voor dit cijfer."))
        return None
    detectable = (hi - lo) / 2 * math.sqrt(2)
    t.zichtbaar = detectable
    t.regels.append(("Kleinste zichtbare verandering",
                     f"ongeveer {fmt.number(detectable, 1)} {_points(unit)}: een kleinere verandering valt binnen "
                     f"de marge ({how}) en is niet te onderscheiden van de gewone schommelingen."))
    return detectable


def _norm_line(base: float, base_year: int, unit: str, richting: str | None, doel, doeljaar,
               detectable: float | None) -> str:
    """What the target asks: too early, the wrong way, too small to see, or a change per year."""
    if doel is None or doeljaar is None:
        return "Nog geen doel of doeljaar: zonder norm kan blok 2 niet zeggen of het resultaat op koers is."
    change = float(doel) - base
    span = int(doeljaar) - base_year
    wrong_way = richting is not None and ((richting == "hoger" and change < 0) or (richting == "lager" and change > 0))
    if span <= 0:
        return f"Het doeljaar {doeljaar} ligt niet na de laatste meting ({base_year}); kies een later jaar."
    if wrong_way:
        return (f"Het doel ({fmt.value(doel, unit)}) ligt aan de andere kant van de basiswaarde "
                f"({fmt.value(base, unit)}) dan de richting '{richting}'. Pas het doel of de richting aan.")
    if detectable is not None and abs(change) < detectable:
        return (f"Het doel verschilt {fmt.number(abs(change), 1)} {_points(unit)} van de basiswaarde: minder dan de "
                "kleinste zichtbare verandering. Ook als u het haalt, kunt u dat met deze cijfers niet aantonen.")
    per_year = abs(change) / span
    when = (f" Bij een gelijkmatige verandering is die na ongeveer {math.ceil(detectable / per_year)} "
            "jaar te zien." if detectable and per_year > 0 else "")
    return (f"Van {fmt.value(base, unit)} ({base_year}) naar {fmt.value(doel, unit)} in "
            f"{doeljaar}: {fmt.number(per_year, 2)} {_points(unit)} per jaar.{when}")


def _points(unit: str) -> str:
    return {"percentage": "procentpunt", "per_1000": "per 1.000"}.get(unit, "")


def _smart(scope, ind, resultaat: str, s, richting, doel, doeljaar, base_year) -> list[tuple[str, bool, str]]:
    words = len(str(resultaat or "").split())
    out = [("S · specifiek", words >= 4 and bool(ind.basis),
            f"het resultaat noemt wat er verandert ({ind.basis or 'de groep is niet omschreven'})"
            if words >= 4 else "beschrijf in het resultaat wat er voor welke groep verandert (minstens een zin)"),
           ("M · meetbaar", True, f"jaarcijfers {int(s['year'].min())}–{int(s['year'].max())}")]
    if doel is None or doeljaar is None or richting is None:
        out += [("A · acceptabel en R · realistisch", False, "zonder richting en doel valt dit niet te beoordelen"),
                ("T · tijdgebonden", doeljaar is not None and int(doeljaar) > base_year,
                 f"doeljaar {doeljaar}" if doeljaar is not None else "er is geen doeljaar")]
        return out
    out.append(("A · acceptabel en R · realistisch", *_realistic(scope, ind, s, richting, float(doel), int(doeljaar),
                                                                base_year)))
    out.append(("T · tijdgebonden", int(doeljaar) > base_year,
                f"doeljaar {doeljaar}" if int(doeljaar) > base_year else f"doeljaar {doeljaar} ligt niet na {base_year}"))
    return out


def _realistic(scope, ind, s, richting: str, doel: float, doeljaar: int, base_year: int) -> tuple[bool, str]:
    """Acceptable and realistic: the direction fits the indicator; the pace asked is not more than twice
    the largest change in one year so far; and other gemeenten are already at (or beyond) the target —
    unless the gemeente itself is already the furthest that way: then the other gemeenten cannot show
    whether more is possible, and its own pace decides (said in the reason)."""
    good = _good_direction(ind)
    if good and richting != good:
        return False, f"de richting '{richting}' gaat de verkeerde kant op: bij deze indicator is {good} beter"
    base = float(s.iloc[-1]["value"])
    steps = s["value"].diff().abs().dropna()
    per_year = abs(doel - base) / max(doeljaar - base_year, 1)
    pace_ok = steps.empty or per_year <= 2 * steps.max()
    why = []
    if len(steps):
        why.append(f"het doel vraagt {fmt.number(per_year, 2)} {_points(ind.eenheid)} per jaar; de grootste verandering "
                   f"in één jaar was tot nu toe {fmt.number(steps.max(), 1)} {_points(ind.eenheid)}".replace("  ", " "))
    values = _gemeenten_latest(scope, ind.id)
    others = values.drop(scope.focus.code, errors="ignore")
    if others.empty:
        return pace_ok, "; ".join(why) or "geen vergelijking mogelijk"
    further = (others < base) if richting == "lager" else (others > base)
    if not further.any():
        extreme = "laagste" if richting == "lager" else "hoogste"
        why.insert(0, f"{scope.focus.name} heeft nu al het {extreme} cijfer van alle gemeenten, dus andere gemeenten "
                      f"laten niet zien of nog {richting} kan; het eigen verloop beslist")
        return pace_ok, "; ".join(why)
    reached = float(((others <= doel) if richting == "lager" else (others >= doel)).mean())
    why.insert(0, f"{fmt.pct(reached * 100, 0)} van de andere gemeenten zit nu al op of voorbij dit doel")
    return bool(reached > 0) and pace_ok, "; ".join(why)


def _gemeenten_latest(scope: Scope, indicator: str):
    """The latest value of every current gemeente for one indicator (the level others reach), by code."""
    f = scope.ind(indicator)
    f = f[(f["group_dim"] == "totaal") & f["region_code"].isin(scope.shared.gemeenten) & f["value"].notna()
          & f["period_type"].isin(["jaar", "schooljaar"])]
    if f.empty:
        return f.set_index("region_code")["value"]
    latest = f["period_start"].max()
    return f.loc[f["period_start"] == latest].drop_duplicates("region_code").set_index("region_code")["value"]


def params_fragment(ambitie: str, resultaat: str, indicator: str, richting: str, base_year: int, base: float,
                    doel: float, doeljaar: int, result_id: str = "R1") -> str:
    """The proposal as the 'ambities:' part of a params file (YAML, safe to paste)."""
    data = {"ambities": [{"ambitie": str(ambitie).strip() or "(ambitie)", "resultaten": [{
        "id": result_id, "titel": str(resultaat).strip() or "(resultaat)", "soort": "inhoudelijk",
        "indicatoren": [{"indicator": indicator, "richting": richting,
                         "basis": {"periode": str(base_year), "waarde": round(float(base), 2)},
                         "doel": float(doel), "doeljaar": int(doeljaar)}]}]}]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- the Verkenner's verdict: one sentence per chosen comparison ------------------------------------

COMPARISONS = {"nederland": "het land", "provincie": "de provincie", "jeugdregio": "de jeugdregio",
               "grootteklasse": "gemeenten van dezelfde grootte", "vergelijkbare_gemeenten": "vergelijkbare gemeenten"}


def comparison_sentences(scope: Scope, indicator: str, wanted: Iterable[str]) -> list[str]:
    """One sentence per chosen comparison (in the order of :data:`COMPARISONS`) for the focus's latest
    figure within the scope's period: the one verdict of the report (uitzonderlijk or within the ordinary
    differences, :meth:`Scope.verdict`) and, against the land and against the comparable gemeenten, the
    opvallend position of the report's findings when it holds in that year; a sentence saying why when a
    comparison has no figure."""
    from kompas_lib.analysis import wording
    from kompas_lib.analysis.methods.benchmarks import latest_common_period
    from kompas_lib.analysis.methods.comparison import PEERS, benchmarked
    from kompas_lib.analysis.methods.findings import GEMEENTEN

    ind = scope.catalogue.indicators[indicator]
    cmp = scope.comparison
    s = benchmarked(cmp, ind, scope.ind(indicator))  # the series and years of the trend (staat.trend)
    s = s[s["period_start"].dt.year.between(scope.params.periode.start_jaar, scope.params.periode.eind_jaar or 9999)]
    last = latest_common_period(s, scope.focus.code)
    if last is None:
        return [f"Voor {ind.titel.lower()} zijn er in deze jaren geen cijfers van {scope.focus.name}."]
    period = last["period"]
    label = parse_period(period).label
    found = scope.findings([ind])
    found = found[(found["soort"] == "positie") & (found["period"] == period) & found["direction"].notna()]
    own = fmt.value(last["value"], ind.eenheid)
    out = []
    for kind in [k for k in COMPARISONS if k in set(wanted)]:
        what = COMPARISONS[kind]
        code = cmp.codes.get(kind)
        missing = _no_comparison(scope, ind, kind, code, s, period, label)
        if missing:
            out.append(f"Vergeleken met {what}: {missing[0].upper()}{missing[1:]}")
            continue
        ref = s[(s["region_code"] == code) & (s["period"] == period)].iloc[0]
        verdict = scope.verdict(ind, s, period, code)
        other = cmp.labels.get(code, code)
        if verdict.possible:
            said = f"is {wording.compare_to(verdict, ref['value'], other, ind.eenheid, last['value'])}"
        else:
            said = f"tegenover {fmt.value(ref['value'], ind.eenheid)} in {other}; hier is geen oordeel mogelijk"
        text = f"Vergeleken met {what} ({label}): {own} in {scope.focus.name} {said}."
        position = found[found["ref"] == (GEMEENTEN if kind == "nederland" else PEERS)]
        if kind in ("nederland", "vergelijkbare_gemeenten") and len(position):
            row = position.iloc[0]
            up = row["direction"] == "hoger"
            where = (f"bij de 10 % gemeenten met het {'hoogste' if up else 'laagste'} cijfer" if kind == "nederland"
                     else f"{'hoger' if up else 'lager'} dan elk van de {len(cmp.peer_codes)} vergelijkbare gemeenten")
            text += (f" Opvallend: {where}, in {parse_period(row['earlier']).label} en {label} (een plaats, geen "
                     "toets).")
        out.append(text)
    return out


def _no_comparison(scope: Scope, ind, kind: str, code: str | None, s, period: str, label: str) -> str | None:
    """Why a chosen comparison has no figure (None when it has one)."""
    from kompas_lib.analysis.methods.comparison import PEERS

    if kind == "vergelijkbare_gemeenten" and code != PEERS:
        return ("er zijn geen vergelijkbare gemeenten bepaald (dat kan alleen voor een gemeente met een volledig "
                "profiel).")
    if code is None:
        return f"{scope.focus.name} hoort bij geen {kind} in de gegevens."
    if kind == "grootteklasse":
        current = scope.shared.current
        size = current.loc[current["gemeente_code"] == scope.focus.code, "grootteklasse_code"]
        alike = int((current["grootteklasse_code"] == size.iloc[0]).sum()) if len(size) else 0
        if alike == 1:
            return (f"{scope.focus.name} is de enige gemeente van haar grootte in {scope.country} "
                    f"({scope.comparison.labels.get(code, code).lower()}); zo'n vergelijking is een vergelijking met "
                    "zichzelf. Kies vergelijkbare gemeenten of de provincie.")
        if scope.ind(ind.id)["region_code"].astype(str).str.startswith("GK").sum() == 0:
            return (f"{ind.titel.lower()} wordt niet per grootteklasse gepubliceerd; kies vergelijkbare gemeenten of "
                    "een indicator over jeugdhulp in natura.")
    ref = s[(s["region_code"] == code) & (s["period"] == period)]
    if ref.empty or pd.isna(ref.iloc[0]["value"]):
        return f"er is geen cijfer van {scope.comparison.labels.get(code, code)} over {label}."
    return None
