"""Block 1 — expected use: is our use of jeugdzorg higher or lower than expected for a gemeente
like ours? (model in :mod:`kompas_lib.analysis.methods.verwacht`, settings in the catalogue's
``verwacht_gebruik`` and the params key of the same name).

Builders (pure, take a :class:`~kompas_lib.analysis.scope.Scope`):

* :func:`gebruik` — observed vs expected per outcome with the prediction interval, what the model
  cannot know, the contributions of the characteristics, all gemeenten in one figure and the trend
  of observed / expected;
* :func:`signaal_rijen` — rows for the block's signal list ('Wat valt op'), one per outcome outside
  its 99,8 % prediction interval (so block 6 discusses them too);
* :func:`bijlage_model` — model quality for the appendix: explained spread, calibration out of
  sample, coefficients with intervals.

A jeugdregio or provincie is judged as a whole: the sum of its gemeenten' counts against the sum of
their expectations, from a fit without any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.methods import profiel
from kompas_lib.analysis.methods import verwacht as model
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.figures import BandFigure, FunnelFigure
from kompas_lib.analysis.section import Section
from kompas_lib.core import fmt
from kompas_lib.core.periods import FIRST_FULL_YEAR
from kompas_lib.core.registry import Uitkomst

CANNOT_KNOW = (
    "Wat het model niet weet: het aanbod in de gemeente en de regio, hoe de toegang werkt (wie verwijst, "
    "hoe snel, met welke drempel), afspraken met huisartsen en scholen, en verschillen in hoe gemeenten "
    "en aanbieders registreren. Een verwachting is daarom geen norm: een gemeente kan met goede reden "
    "boven of onder haar verwachting zitten. Het is een vraag voor het gesprek met partners: herkennen "
    "we het verschil, en wat verklaart het?")


@dataclass(frozen=True)
class Uitkomstoordeel:
    """One outcome of the model for the focus region in one year."""

    outcome: str
    spec: Uitkomst
    year: int
    fit: model.Fit
    frame: pd.DataFrame
    ex: model.Expectation


def _settings(scope: Scope) -> tuple[list[tuple[str, Uitkomst]], tuple[str, ...]]:
    return _settings_of(scope.catalogue, scope.params)


def _settings_of(catalogue, params) -> tuple[list[tuple[str, Uitkomst]], tuple[str, ...]]:
    """The outcomes (with their specification) and characteristics of the model, as the params ask."""
    vg = catalogue.verwacht_gebruik
    if vg is None:
        return [], ()
    wanted = params.verwacht_gebruik
    outcomes = [(o, u) for o, u in vg.uitkomsten.items() if not wanted.uitkomsten or o in wanted.uitkomsten]
    variables = tuple(wanted.kenmerken) if wanted.kenmerken else tuple(vg.kenmerken)
    return outcomes, variables


def country_tables(shared, catalogue, params) -> None:
    """The model's country tables for ``params`` (the defaults, when ``kompas prepare`` calls this): the
    frame of every outcome and year a report fits, and every gemeente's expectation without itself in
    the latest year of each outcome (:meth:`..shared.Shared.leave_one_out`) — what the first report of
    a process would otherwise compute (about 3 s)."""
    outcomes, variables = _settings_of(catalogue, params)
    curved = tuple(v for v in catalogue.verwacht_gebruik.kromming if v in variables) if outcomes else ()
    for outcome, spec in outcomes:
        latest = True
        for year in reversed(_years_of(shared.ind(outcome), params)):
            fit, frame = shared.expected_model(outcome, tuple(spec.noemer), variables, year, curved)
            if fit is not None and latest:
                shared.leave_one_out(fit, frame)
                latest = False


def members(scope: Scope) -> list[str]:
    """The gemeenten the focus stands for: itself, or the members of a jeugdregio or provincie."""
    if scope.focus.level == "gemeente":
        return [scope.focus.code]
    return list(scope.shared.members.get(scope.focus.code, ()))


def _years(scope: Scope, outcome: str) -> list[int]:
    return _years_of(scope.ind(outcome), scope.params)


def _years_of(rows: pd.DataFrame, params) -> list[int]:
    """The full years of an outcome's facts ``rows`` within the params' period."""
    end = params.periode.eind_jaar
    return [y for y in model.full_years(rows) if y >= params.periode.start_jaar and (end is None or y <= end)]


def _judge(scope: Scope, outcome: str, spec: Uitkomst, variables, year: int) -> Uitkomstoordeel | None:
    curved = tuple(v for v in scope.catalogue.verwacht_gebruik.kromming if v in variables)
    fit, frame = scope.shared.expected_model(outcome, tuple(spec.noemer), tuple(variables), year, curved)
    if fit is None or not members(scope):
        return None
    ex = model.expect(fit, frame, members(scope))
    return None if ex is None else Uitkomstoordeel(outcome, spec, year, fit, frame, ex)


def oordelen(scope: Scope) -> list[Uitkomstoordeel]:
    """Per outcome the latest year the model can be fitted, for the focus (cached per report)."""
    def make():
        outcomes, variables = _settings(scope)
        out = []
        for outcome, spec in outcomes:
            for year in reversed(_years(scope, outcome)):
                found = _judge(scope, outcome, spec, variables, year)
                if found is not None:
                    out.append(found)
                    break
        return out

    return scope.shared.for_focus(scope.focus_key, "verwacht_gebruik", make)


# --- words ---------------------------------------------------------------------------------------

def _count(x: float) -> str:
    return fmt.count(round(x))


def _ratio(x: float) -> str:
    return fmt.number(x, 2)


def verdict_words(o: Uitkomstoordeel) -> str:
    """The verdict clause, the same wherever the report shows this figure."""
    v = o.ex.verdict()
    if v == "hoger":
        return "hoger dan verwacht (uitzonderlijk: buiten het 99,8 %-voorspellingsinterval)"
    if v == "lager":
        return "lager dan verwacht (uitzonderlijk: buiten het 99,8 %-voorspellingsinterval)"
    if not o.ex.inside95():
        return ("buiten het 95 %-interval, maar binnen het 99,8 %-interval: binnen de gewone verschillen tussen "
                "gemeenten met hetzelfde profiel, al ligt het aan de rand")
    return "zoals verwacht: binnen wat tussen gemeenten met hetzelfde profiel gewoon voorkomt"


def _small(scope: Scope, o: Uitkomstoordeel) -> bool:
    """Counts below the privacy threshold are not shown (and neither is their ratio)."""
    return o.ex.observed < scope.threshold


def sentence(scope: Scope, o: Uitkomstoordeel) -> str:
    """'In 2023 hadden 11.780 jongeren tot 23 jaar in Utrecht jeugdzorg. …' for one outcome."""
    lo, hi = o.ex.interval()
    name = scope.focus.name
    expected = (f"Voor {'een gemeente' if scope.focus.level == 'gemeente' else 'gemeenten'} met dit profiel "
                f"verwacht het model er {_count(o.ex.expected)} (95 %-voorspellingsinterval {_count(lo)} tot "
                f"{_count(hi)}).")
    if _small(scope, o):
        return (f"In {o.year} hadden minder dan {scope.threshold} {o.spec.noemer_titel} in {name} "
                f"{o.spec.titel.removeprefix('jongeren met ')}; dat aantal is te klein om te tonen. {expected}")
    return (f"In {o.year} waren er in {name} {_count(o.ex.observed)} {o.spec.titel} (van de "
            f"{o.spec.noemer_titel}). {expected} Waargenomen gedeeld door verwacht is {_ratio(o.ex.ratio)}. Dat is "
            f"{verdict_words(o)}.{extrapolation_words(scope, o)}")


def extrapolation_words(scope: Scope, o: Uitkomstoordeel) -> str:
    """' Let op: …' when a member's profile lies beyond the gemeenten the expectation was estimated
    from (the expectation then extends the model past its data), else ''."""
    if not o.ex.outside:
        return ""
    said = []
    for code, var, value, lo, hi in o.ex.outside:
        side = f"meer dan de grootste andere gemeente ({_value_text(var, hi)})" if value > hi else \
            f"minder dan de kleinste andere gemeente ({_value_text(var, lo)})"
        if var != "inwoners":
            side = f"{'hoger' if value > hi else 'lager'} dan bij elke andere gemeente " \
                   f"({_value_text(var, hi if value > hi else lo)})"
        who = "" if scope.focus.level == "gemeente" else f" van {scope.names.get(code, code)}"
        said.append(f"{profiel.NOUN[var]}{who}: {_value_text(var, value)}, {side}")
    return (" Let op: het profiel valt buiten wat het model bij de andere gemeenten heeft gezien ("
            + "; ".join(said) + "). De verwachting is daar een doortrekking van het model en onzekerder dan het "
            "interval zegt.")


def _value_text(var: str, value: float) -> str:
    """A characteristic's value in a sentence (see :func:`_value_cell`)."""
    if var == "inwoners":
        return fmt.count(round(10 ** value))
    if var == "stedelijkheid":
        return f"klasse {fmt.number(value, 1)}"
    return fmt.number(value, 1)


def _value_cell(var: str, value: float) -> cells.Number:
    """A characteristic's value as shown: inwoners as a count (the profile holds its log), stedelijkheid as a class."""
    if var == "inwoners":
        return cells.count(round(10 ** value))
    if var == "stedelijkheid":
        return cells.number(value, 1, prefix="klasse")
    return cells.number(value, 1)


def contribution_sentence(scope: Scope, o: Uitkomstoordeel, parts: pd.DataFrame) -> str:
    """The two largest contributions in words a partner understands."""
    total = parts["bijdrage"].sum()
    lead = (f"Vergeleken met evenveel {o.spec.noemer_titel} in een gemeente met het gemiddelde profiel van "
            f"{scope.country} verwacht het model in {scope.focus.name} ongeveer {_count(abs(total))} "
            f"{o.spec.titel} {'meer' if total >= 0 else 'minder'}.")
    top = parts.reindex(parts["bijdrage"].abs().sort_values(ascending=False).index).head(2)
    said = []
    for r in top.itertuples(index=False):
        if round(abs(r.bijdrage)) < 1:
            continue
        side = "hoger" if r.waarde > r.gemiddeld else "lager"
        if r.variable == "stedelijkheid":  # klasse 1 = zeer sterk stedelijk: a lower class is more urban
            what = f"een {'minder' if r.waarde > r.gemiddeld else 'meer'} stedelijk karakter dan gemiddeld"
        else:
            what = f"een {side} {profiel.NOUN[r.variable]} dan gemiddeld"
        said.append(f"{what} ({_value_text(r.variable, r.waarde)} tegen {_value_text(r.variable, r.gemiddeld)}) "
                    f"verklaart ongeveer {_count(abs(r.bijdrage))} {'meer' if r.bijdrage > 0 else 'minder'}")
    if not said:
        return lead
    return f"{lead} Het meest telt: {'; '.join(said)}."


# --- sections ------------------------------------------------------------------------------------

def _limits_curve(fit: model.Fit, loo: pd.DataFrame) -> pd.DataFrame:
    """Ratio limits (95 % and 99,8 %) as a function of the expected count, with the median
    coefficient uncertainty of the gemeenten, for the figure of all gemeenten."""
    mu = np.geomspace(max(loo["expected"].min() * 0.8, 1), loo["expected"].max() * 1.2, 120)
    log_var = float(np.median(loo["log_var"]))
    out = {"n": mu}
    for level, label in ((model.LEVEL95, "95"), (model.LEVEL_ALERT, "998")):
        bounds = [model.count_interval(m, model.count_variance(np.array([m]), fit.alpha, log_var), level) for m in mu]
        out[f"lo{label}"] = [b[0] / m for b, m in zip(bounds, mu)]
        out[f"hi{label}"] = [b[1] / m for b, m in zip(bounds, mu)]
    return pd.DataFrame(out)


def _all_gemeenten(scope: Scope, o: Uitkomstoordeel) -> tuple[FunnelFigure, pd.DataFrame]:
    loo = scope.shared.leave_one_out(o.fit, o.frame)
    units = pd.DataFrame({"code": loo.index, "name": [scope.names.get(c, c) for c in loo.index],
                          "n": loo["expected"].to_numpy(), "rate": loo["ratio"].to_numpy()})
    units = units[loo["observed"].to_numpy() >= scope.threshold]  # tiny counts are not drawn
    outside = int((loo["oordeel"] != "zoals verwacht").sum())
    if scope.focus.level != "gemeente":  # the region as one point: its members' sums
        units = pd.concat([units[~units["code"].isin(members(scope))], pd.DataFrame(
            [{"code": scope.focus.code, "name": scope.focus.name, "n": o.ex.expected, "rate": o.ex.ratio}])])
    title = (f"{o.spec.titel.capitalize()} {o.year}: waargenomen / verwacht\n"
             f"({outside} van de {len(loo)} gemeenten buiten de 99,8 %-grenzen)")
    caption = (f"Bron: {scope.who}, eigen berekening, {o.year}. Elke stip is een gemeente, met een verwachting uit "
               "een schatting zonder die gemeente. Lijnen: 95 %- en 99,8 %-voorspellingsgrenzen. Gemeenten met minder "
               f"dan {scope.threshold} jongeren zijn niet getekend.")
    spec = FunnelFigure(units, title, caption, p_bar=1.0, focus_code=scope.focus.code,
                        curve=_limits_curve(o.fit, loo),
                        xlabel=f"verwacht aantal {o.spec.titel} (logaritmische schaal)",
                        ylabel="waargenomen / verwacht", ref_label="zoals verwacht (1)", ratio=True)
    return spec, units


def _trend(scope: Scope, o: Uitkomstoordeel) -> pd.DataFrame:
    """Observed / expected with its 95 % interval in every year the model can be fitted."""
    _, variables = _settings(scope)
    rows = []
    for year in _years(scope, o.outcome):
        if year < FIRST_FULL_YEAR:  # not registered completely everywhere
            continue
        j = o if year == o.year else _judge(scope, o.outcome, o.spec, variables, year)
        if j is None or _small(scope, j):
            continue
        lo, hi = j.ex.ratio_interval()
        rows.append({"jaar": year, "waargenomen": j.ex.observed, "verwacht": j.ex.expected, "verhouding": j.ex.ratio,
                     "laag95": lo, "hoog95": hi, "oordeel": j.ex.verdict()})
    return pd.DataFrame(rows)


def _table(scope: Scope, found: list[Uitkomstoordeel]) -> pd.DataFrame:
    rows = []
    for o in found:
        lo, hi = o.ex.ratio_interval()
        small = _small(scope, o)
        rows.append({"Uitkomst": o.spec.titel.capitalize(), "Jaar": str(o.year),
                     "Van de": o.spec.noemer_titel,
                     "Waargenomen": cells.below(scope.threshold, words=True) if small
                     else cells.count(round(o.ex.observed)),
                     "Verwacht": cells.count(round(o.ex.expected)),
                     "Waargenomen / verwacht": None if small else cells.number(o.ex.ratio, 2),
                     "95 %-interval": cells.margin(lo, hi, 2, spaced=True),
                     "Oordeel": None if small else {"hoger": "hoger dan verwacht", "lager": "lager dan verwacht"}.get(
                         o.ex.verdict(), "zoals verwacht")})
    return pd.DataFrame(rows)


def _data(scope: Scope, found: list[Uitkomstoordeel]) -> pd.DataFrame:
    rows = []
    for o in found:
        lo, hi = o.ex.interval()
        lo2, hi2 = o.ex.interval(model.LEVEL_ALERT)
        small = _small(scope, o)
        rows.append({"regio": scope.focus.code, "uitkomst": o.outcome, "jaar": o.year,
                     "waargenomen": np.nan if small else o.ex.observed, "verwacht": round(o.ex.expected, 1),
                     "verhouding": np.nan if small else round(o.ex.ratio, 4), "laag95": lo, "hoog95": hi,
                     "laag998": lo2, "hoog998": hi2, "oordeel": "" if small else o.ex.verdict()})
    return pd.DataFrame(rows)


def gebruik(scope: Scope) -> list[Section]:
    """'Hoger of lager dan verwacht?': table and sentences per outcome, contributions, all gemeenten
    in one figure, the trend of observed / expected."""
    found = oordelen(scope)
    if not members(scope):
        return [Section("verwacht_gebruik", "Hoger of lager dan verwacht?",
                        text=f"Voor {scope.focus.name} als geheel is er geen verwachting: het model vergelijkt "
                             "gemeenten met elkaar, en het land is de som van alle gemeenten.")]
    if not found:
        return [Section("verwacht_gebruik", "Hoger of lager dan verwacht?",
                        text="Voor deze regio en deze gegevens kan het model van het verwachte gebruik niet worden "
                             "geschat (te weinig gemeenten met alle kenmerken).")]
    main = found[0]
    n = len(main.fit.codes)
    names = ", ".join(profiel.NOUN[v] + (" (met een gebogen verband)" if v in main.fit.curved else "")
                      for v in main.fit.variables)
    who = (f"een gemeente als {scope.focus.name}" if scope.focus.level == "gemeente"
           else f"de gemeenten van {scope.focus.name} samen")
    intro = (f"Is het gebruik van jeugdzorg hoog voor {who}? Een model over alle {n} "
             f"gemeenten schat hoeveel jongeren je bij het profiel van een gemeente zou verwachten, uit: {names}. "
             f"{'De gemeente telt' if scope.focus.level == 'gemeente' else 'De gemeenten van de regio tellen'} "
             "niet mee in de schatting van de eigen verwachting. Het voorspellingsinterval bevat de gewone "
             "verschillen tussen gemeenten met hetzelfde profiel; pas buiten het 99,8 %-interval noemt dit rapport "
             "een verschil uitzonderlijk.")
    text = "\n\n".join([intro, *(sentence(scope, o) for o in found)])
    source = (f"Bron: {scope.who}, tabel {', '.join(wording.table_ids(scope.ind(main.outcome)['source_table']))}; "
              "eigen berekening (negatief-binomiaal model over alle gemeenten; zie de bijlage).")
    out = [Section("verwacht_gebruik", "Hoger of lager dan verwacht?", text=text, table=_table(scope, found),
                   data=_data(scope, found), source=source, note=CANNOT_KNOW)]
    parts = model.contributions(main.fit, main.ex)
    shown = parts.assign(Kenmerk=[profiel.label(v) for v in parts["variable"]])
    table = pd.DataFrame({
        "Kenmerk": shown["Kenmerk"],
        scope.focus.name: [_value_cell(v, x) for v, x in zip(parts["variable"], parts["waarde"])],
        f"Gemiddeld {scope.country}": [_value_cell(v, x) for v, x in zip(parts["variable"], parts["gemiddeld"])],
        f"Verklaart ongeveer ({main.spec.titel})": [cells.signed(round(b)) for b in parts["bijdrage"]]})
    out.append(Section("verwacht_bijdragen", "Waarom verwacht het model dit aantal?",
                       text=contribution_sentence(scope, main, parts), table=table,
                       data=parts.assign(regio=scope.focus.code, uitkomst=main.outcome, jaar=main.year),
                       caption=(f"{main.spec.titel.capitalize()}, {main.year}. Per kenmerk het aantal dat het model "
                                "erbij telt (+) of aftrekt (−) ten opzichte van het gemiddelde profiel; samen het "
                                "verschil met een gemeente met dat gemiddelde profiel.")))
    spec, units = _all_gemeenten(scope, main)
    out.append(Section("verwacht_alle_gemeenten", "Alle gemeenten: waargenomen tegenover verwacht",
                       text=("Gemeenten met veel jongeren liggen dicht bij hun verwachting, kleine gemeenten wijken "
                             "door de onzekerheid van kleine aantallen verder af; de grenzen houden daar rekening mee. Een punt buiten de grenzen "
                             "is een vraag, geen rangorde."),
                       figure=spec, data=units.rename(columns={"n": "verwacht", "rate": "verhouding"})))
    trend = _trend(scope, main)
    if len(trend) >= 2:
        ratios = trend["verhouding"]
        text = (f"Waargenomen gedeeld door verwacht lag in {scope.focus.name} in de jaren "
                f"{int(trend['jaar'].min())}–{int(trend['jaar'].max())} tussen {_ratio(ratios.min())} en "
                f"{_ratio(ratios.max())}. Elk jaar is apart geschat, met de kenmerken van dat jaar (of het "
                "dichtstbijzijnde jaar waarin ze bekend zijn). 2015, het eerste jaar van de Jeugdwet, is niet overal "
                "volledig geregistreerd en telt hier niet mee.")
        breaks = _breaks(scope, main.outcome)
        if breaks:
            text += (f" Let op: vanaf {breaks[0][0]} komen de cijfers uit een andere tabel; een sprong rond dat jaar "
                     "kan door de overstap komen.")
        fig = BandFigure(trend, f"{main.spec.titel.capitalize()} in {scope.focus.name}: waargenomen / "
                         "verwacht per jaar",
                         f"Bron: {scope.who}; eigen berekening. Band: 95 %-voorspellingsinterval; lijn op 1 = zoals "
                         "verwacht.", x="jaar", y="verhouding", lo="laag95", hi="hoog95",
                         ylabel="waargenomen / verwacht", breaks=tuple((b[0], "nieuwe tabel") for b in breaks))
        out.append(Section("verwacht_trend", "Door de jaren heen", text=text, figure=fig, data=trend))
    return out


def _breaks(scope: Scope, outcome: str) -> list[tuple[int, str]]:
    """Years from which the outcome's figures come from another table (for the focus's members)."""
    f = scope.ind(outcome)
    own = f[f["region_code"].isin(members(scope)) & (f["group_dim"] == "totaal")
            & f["period"].str.fullmatch(r"\d{4}")].sort_values("period_start")
    tables = own.groupby(own["period_start"].dt.year)["source_table"].first()
    return [(int(y), str(t)) for (y, t), prev in zip(tables.items(), tables.shift()) if pd.notna(prev) and t != prev]


def signaal_rijen(scope: Scope) -> list[dict]:
    """Rows for 'Wat valt op': each outcome outside its 99,8 % prediction interval."""
    rows = []
    who = "een gemeente" if scope.focus.level == "gemeente" else "gemeenten"
    for o in oordelen(scope):
        v = o.ex.verdict()
        if v == "zoals verwacht" or _small(scope, o):
            continue
        rows.append({"Indicator": f"{o.spec.titel.capitalize()} (verwacht gebruik)", "Soort": "verschil",
                     "Periode": str(o.year),
                     "Wat valt op": (f"{o.spec.titel.capitalize()}: {v} dan verwacht voor {who} met dit profiel "
                                     f"(waargenomen / verwacht {_ratio(o.ex.ratio)}"
                                     f"{'; het profiel valt buiten het bereik van het model' if o.ex.outside else ''}"
                                     "). Een verwachting is geen norm — "
                                     "wat verklaart het verschil: aanbod, toegang, registratie?")})
    return rows


def tests(scope: Scope) -> int:
    """How many comparisons the signal list makes for the expected-use model."""
    return len(oordelen(scope))


# --- appendix ------------------------------------------------------------------------------------

def bijlage_model(scope: Scope) -> list[Section]:
    """Model quality: explained spread and calibration (out of sample) per outcome, and the
    coefficients of the main outcome with their 95 % intervals."""
    found = oordelen(scope)
    if not found:
        return []
    rows = []
    for o in found:
        loo = scope.shared.leave_one_out(o.fit, o.frame)
        rows.append({"Uitkomst": o.spec.titel.capitalize(), "Jaar": str(o.year), "Gemeenten": cells.count(len(o.fit.codes)),
                     "Verklaarde verschillen": cells.pct(100 * o.fit.explained, 0),
                     "Binnen eigen 95 %-interval": cells.pct(100 * model.calibration(loo), 1),
                     "Buiten 99,8 %": cells.count(int((loo["oordeel"] != "zoals verwacht").sum()))})
    quality = pd.DataFrame(rows)
    main = found[0]
    coef = main.fit.coefficients()
    coef_table = pd.DataFrame({
        "Kenmerk": [profiel.label(v) + (", kwadraat (kromming)" if sq else "")
                    for v, sq in zip(coef["variable"], coef["kwadraat"])],
        "Eén standaardafwijking": [None if sq else _value_cell(v, s) if v not in ("inwoners", "stedelijkheid") else
                                   (cells.number(10 ** s, 1, prefix="factor") if v == "inwoners"
                                    else cells.number(s, 1, unit="klasse"))
                                   for v, s, sq in zip(coef["variable"], coef["sd"], coef["kwadraat"])],
        "Gebruik × (per standaardafwijking)": [cells.number(x, 3) for x in coef["ratio"]],
        "95 %-interval": [cells.margin(a, b, 3, spaced=True) for a, b in zip(coef["laag"], coef["hoog"])]})
    text = (
        "Het verwachte gebruik komt uit een negatief-binomiaal regressiemodel (log-link) van het aantal jongeren "
        "per gemeente, met het aantal jongeren van die leeftijd als blootstelling en de kenmerken gestandaardiseerd "
        "over de gemeenten. "
        + (f"{'; '.join(profiel.NOUN[v].capitalize() for v in main.fit.curved)} telt ook gekwadrateerd mee, zodat "
           "het verband naar de kleinste en grootste gemeenten toe mag afbuigen (gekozen omdat het model zo buiten de "
           "steekproef beter voorspelt). " if main.fit.curved else "")
        + "De spreiding tussen gemeenten die de kenmerken niet verklaren, zit in de "
        "overdispersie van het model en daarmee in de voorspellingsintervallen. De verwachting van een gemeente komt "
        "uit een schatting zonder die gemeente (de overdispersie wordt één keer over alle gemeenten geschat). "
        "'Verklaarde verschillen' is het deel van de verschillen tussen gemeenten (boven wat kleine aantallen al "
        "geven) dat de kenmerken verklaren (1 − α/α₀). 'Binnen eigen 95 %-interval' is de toets op de echte gegevens: bij een goed model "
        "valt ongeveer 95 % van de gemeenten binnen hun eigen interval. De bijdragen per kenmerk zijn verdeeld met "
        "de logaritmisch-gemiddelde Divisia-methode, zodat ze optellen tot het verschil met het gemiddelde profiel.")
    if scope.catalogue.verwacht_gebruik and scope.catalogue.verwacht_gebruik.toelichting:
        text += "\n\n" + scope.catalogue.verwacht_gebruik.toelichting
    by_size = model.calibration_by_size(main.fit, scope.shared.leave_one_out(main.fit, main.frame))
    size_table = pd.DataFrame({
        "Aantal jongeren in de gemeente": by_size["klasse"],
        "Gemeenten": [cells.count(n) for n in by_size["gemeenten"]],
        "Binnen eigen 95 %-interval": [cells.pct(100 * x, 1) for x in by_size["binnen95"]],
        "Gemiddeld waargenomen / verwacht": [cells.number(x, 2) for x in by_size["verhouding"]]})
    # the model's technical description, its fit and its coefficients are for the analyst: the partners'
    # edition explains expected use in block 1 and in the methods table (and stays within 20 printed pages)
    return [Section("bijlage_verwacht", "Model van het verwachte gebruik", text=text, table=quality,
                    data=quality, caption="Modelkwaliteit per uitkomst (buiten de steekproef gemeten).",
                    for_analyst=True),
            Section("bijlage_verwacht_grootte", f"Modelkwaliteit naar grootte ({main.spec.titel}, {main.year})",
                    heading=4, for_analyst=True,
                    table=size_table, data=by_size.assign(uitkomst=main.outcome, jaar=main.year),
                    caption=("Per grootteklasse (jongeren van de leeftijd van de uitkomst): het deel van de "
                             "gemeenten binnen het eigen 95 %-interval (bij een goed model ongeveer 95 %) en de "
                             "gemiddelde verhouding waargenomen / verwacht (bij een goed model ongeveer 1). Een "
                             "afwijking in één klasse betekent dat het model voor die gemeenten minder goed past.")),
            Section("bijlage_verwacht_coefficienten", f"Kenmerken in het model ({main.spec.titel}, {main.year})",
                    table=coef_table, for_analyst=True, data=coef.assign(uitkomst=main.outcome, jaar=main.year),
                    caption=("Hoeveel keer zo hoog het verwachte gebruik is bij een gemeente die één standaardafwijking "
                             "hoger scoort op het kenmerk en gelijk op de andere; 1 = geen verband. Een interval "
                             "dat 1 bevat, betekent: geen duidelijk verband. Bij een kwadraat (kromming) gaat "
                             "het om het gekwadrateerde aantal standaardafwijkingen vanaf het gemiddelde: onder 1 "
                             "betekent dat het verband naar de uitersten toe afvlakt."))]
