"""Block 1 — what stands out: the uitzonderlijk signals and trend breaks ('wat valt op'), the opvallend
positions, and a region's member gemeenten with what stands out for each. All from one rule
(:mod:`..methods.findings`), so a gemeente reads the same in every report; notebook 01 shows them as
``staat.signalen``, ``staat.opvallend`` and ``staat.gemeenten_van_de_regio``.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.methods import spread as spread_model
from kompas_lib.analysis.methods.comparison import PEERS
from kompas_lib.analysis.methods.findings import COUNTRY, SAME_LEVEL
from kompas_lib.analysis.methods.signals import word, word_trend
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section, Signal
from kompas_lib.analysis import cells
from kompas_lib.analysis.sections import verwacht  # observed vs expected use: same signal list, same rules
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period

BLOCK = 1


def tone(polariteit: str, direction: str) -> str:
    """'gunstig' / 'ongunstig' for an indicator with a wanted direction, 'vraag' for one without."""
    if polariteit == "neutraal":
        return "vraag"
    return "gunstig" if (polariteit == "hoger_beter") == (direction == "hoger") else "ongunstig"


def signalen(scope: Scope) -> Section:
    """'Wat valt op' (see :func:`_signalen`), made once per report: block 6 lists its signals again."""
    return scope.shared.for_focus(scope.focus_key, "signalen", lambda: _signalen(scope))


def _signalen(scope: Scope) -> Section:
    """'Wat valt op': figures that stand out against Nederland or the comparable gemeenten by more than
    the usual differences between gemeenten (and more than publication rounding explains), and trend
    breaks — worded by polarity, in catalogue order (not sorted by size). Verdicts from the one rule
    (:mod:`..methods.findings`, the same for this region in every report and in the country table);
    the text says how many signals one would expect by chance alone."""
    found = scope.findings(scope.placed(BLOCK, "signaal"))
    rows, signals, tones = [], [], []
    tests = int(found["possible"].sum())
    labels = scope.comparison.labels
    for ind in scope.placed(BLOCK, "signaal"):
        mine = found[(found["indicator"] == ind.id) & found["direction"].notna()]
        if mine.empty:
            continue
        label = parse_period(mine["period"].iloc[0]).label
        diff = mine[mine["soort"] == "verschil"]
        for direction, refs in diff.groupby("direction", sort=False)["ref"]:
            rows.append({"Indicator": ind.titel, "Soort": "verschil", "Periode": label,
                         "Wat valt op": word(ind.titel, ind.polariteit, direction,
                                             " en ".join(labels.get(c, c) for c in refs))})
            tones.append(tone(ind.polariteit, direction))
        for direction in mine.loc[mine["soort"] == "trendbreuk", "direction"]:
            rows.append({"Indicator": ind.titel, "Soort": "trendbreuk", "Periode": label,
                         "Wat valt op": word_trend(ind.titel, ind.polariteit,
                                                   "stijging" if direction == "hoger" else "daling")})
            tones.append(tone(ind.polariteit, direction))
    expected_rows = verwacht.signaal_rijen(scope)
    tests += verwacht.tests(scope)
    table = pd.DataFrame(rows + expected_rows, columns=["Indicator", "Soort", "Periode", "Wat valt op"])
    tones += ["vraag"] * len(expected_rows)  # an expectation is no norm
    for r, t in zip(table.itertuples(index=False), tones):
        section = "verwacht_gebruik" if r.Indicator in {e["Indicator"] for e in expected_rows} else "signalen"
        signals.append(Signal(BLOCK, r.Indicator, r.Soort, r.Periode, r._3, section, t))
    chance = spread_model.expected_false_alarms(tests)
    how_many = f"ongeveer {fmt.number(chance, 1)}" if chance >= 0.05 else "minder dan 0,1"
    text = (f"Er zijn {tests} vergelijkingen gemaakt. Een verschil telt pas als het buiten de 99,8 %-grenzen van "
            "de gewone verschillen tussen gemeenten valt (uitzonderlijk) en niet door de afronding van de gepubliceerde "
            "cijfers te verklaren is; als geen enkele gemeente echt afwijkt, "
            f"levert een lijst als deze er {how_many} op.")
    if not len(table):
        text = ("Er zijn geen verschillen die buiten de gewone verschillen tussen gemeenten vallen, en geen "
                "trendbreuken. " + text)
    return Section("signalen", "Wat valt op", text=text, table=table, data=table,
                   caption="Vergeleken met het meest recente cijfer van Nederland en van de vergelijkbare gemeenten.",
                   signals=tuple(signals))


OPVALLEND_RULE = (
    "Opvallend is een plaats, geen toets: een cijfer staat hier als het in beide laatste jaren bij de 10 % "
    "gemeenten met het hoogste of laagste cijfer hoort, of hoger of lager is dan dat van elke vergelijkbare "
    "gemeente; een groep in een verdeling "
    "(naar leeftijd, huishouden of verwijzer) staat hier als haar aandeel bij de 10 % hoogste of laagste hoort — "
    "telkens ook als de afgeronde cijfers van CBS zo ongunstig mogelijk worden gelezen. Het is een begin van een gesprek: het zegt niet dat het "
    "verschil groter is dan de gewone verschillen tussen gemeenten (dat heet hierboven uitzonderlijk, en die "
    "cijfers staan hier niet nog een keer).")


LEVEL_WORDS = {"jeugdregio": "jeugdregio's", "provincie": "provincies", "samenwerkingsverband": "samenwerkingsverbanden"}
NOT_TESTED = ("Het is een begin van een gesprek: het zegt niet dat het verschil groter is dan de gewone verschillen "
              "tussen gemeenten (dat heet hierboven uitzonderlijk, en die cijfers staan hier niet nog een keer).")


def among(scope: Scope) -> str:
    """Whom the focus is placed among, in words: 'gemeenten', "jeugdregio's", 'samenwerkingsverbanden PO'."""
    level = scope.focus.level
    if level == "gemeente":
        return "gemeenten"
    words = LEVEL_WORDS.get(level, "regio's")
    return f"{words} {scope.focus.code[:2]}" if level == "samenwerkingsverband" else words


def opvallend_rule(scope: Scope) -> str:
    """:data:`OPVALLEND_RULE` for the focus: a gemeente among all gemeenten and its comparable gemeenten; a region
    among the regions of its kind, each the sum of its gemeenten of today; a samenwerkingsverband among the
    verbanden of its kind (PO or VO), where a gemeente that lies in two verbanden counts in both."""
    level = scope.focus.level
    if level == "gemeente":
        return OPVALLEND_RULE
    rule = (f"Opvallend is een plaats, geen toets: een cijfer staat hier als het in beide laatste jaren bij de 10 % "
            f"{among(scope)} met het hoogste of laagste cijfer hoort — ook als de afgeronde cijfers van CBS zo "
            "ongunstig mogelijk worden gelezen. Elk")
    if level == "samenwerkingsverband":
        kind = scope.focus.code[:2]
        rule += (f" samenwerkingsverband {kind} telt daarbij als de som van zijn gemeenten van nu. Een gemeente die "
                 f"maar voor een deel in een samenwerkingsverband {kind} ligt, telt met haar hele cijfers mee in elk "
                 "samenwerkingsverband waar zij in ligt, dus in deze vergelijking meer dan één keer; vergelijkbare "
                 "gemeenten en de verdeling naar groepen zijn er voor een samenwerkingsverband niet.")
    else:
        rule += (f"e {level if level in ('jeugdregio', 'provincie') else 'regio'} telt daarbij als de som van haar "
                 "gemeenten van nu.")
    return f"{rule} {NOT_TESTED}"


def _position_words(scope: Scope, ind, row, peers: int) -> str:
    """One reason, in words: 'bij de 10 % gemeenten met het laagste cijfer (4,1 % tegen 8,4 % bij de
    middelste gemeente; Nederland 8,3 %), in 2022 en 2023' or 'hoger dan elk van de 10 vergelijkbare …'."""
    years = f"in {parse_period(row['earlier']).label} en {parse_period(row['period']).label}"
    up = row["direction"] == "hoger"
    if row["ref"] == PEERS:
        return f"{'hoger' if up else 'lager'} dan elk van de {peers} vergelijkbare gemeenten, {years}"
    among_ = "gemeenten" if row["ref"] != SAME_LEVEL else among(scope)
    middle = "gemeente" if row["ref"] != SAME_LEVEL else scope.focus.level
    described = ""
    if pd.notna(row["ref_value"]):
        f = scope.ind(ind.id)
        nl = f.loc[(f["region_code"] == COUNTRY) & (f["period"] == row["period"]) & (f["group_dim"] == "totaal"),
                   "value"]
        country = f"; {scope.country} {fmt.value(nl.iloc[0], ind.eenheid)}" if len(nl) and pd.notna(nl.iloc[0]) else ""
        described = (f" ({fmt.value(row['value'], ind.eenheid)} tegen {fmt.value(row['ref_value'], ind.eenheid)} bij "
                     f"{'het' if middle == 'samenwerkingsverband' else 'de'} middelste {middle}{country})")
    return f"bij de 10 % {among_} met het {'hoogste' if up else 'laagste'} cijfer{described}, {years}"


def opvallend(scope: Scope) -> Section:
    """'Waar staat de gemeente?' (see :func:`_opvallend`), made once per report: block 6 lists its signals
    again."""
    return scope.shared.for_focus(scope.focus_key, "opvallend", lambda: _opvallend(scope))


def _opvallend(scope: Scope) -> Section:
    """'Waar staat de gemeente?': the descriptive tier — figures whose position among the gemeenten,
    the comparable gemeenten or against Nederland stands out in both latest periods (the rule of
    :func:`..methods.findings._position`, rounding-proof), except those already uitzonderlijk.
    Indicators without a direction stay questions."""
    found = scope.findings(scope.placed(BLOCK, "signaal"))
    exceptional = set(found.loc[(found["soort"] == "verschil") & found["direction"].notna(), "indicator"])
    pos = found[(found["soort"] == "positie") & ~found["indicator"].isin(exceptional)]
    peers = len(scope.comparison.peer_codes)
    rows, signals = [], []
    title = f"Opvallend: waar {scope.focus.name} staat tussen de {among(scope)}"
    for ind in scope.placed(BLOCK, "signaal"):
        mine = pos[pos["indicator"] == ind.id]
        if mine.empty:
            continue
        reasons = "; ".join(_position_words(scope, ind, r, peers) for r in mine.to_dict("records"))
        direction = mine["direction"].iloc[0]
        if ind.polariteit == "neutraal":
            ask = "Meer of minder is hier niet vanzelf goed of slecht — herkennen we het, en past het bij wat we willen?"
        else:
            good = (ind.polariteit == "hoger_beter") == (direction == "hoger")
            ask = f"Dat is {'gunstig' if good else 'ongunstig'} — wat zit erachter?"
        text = f"{ind.titel}: {'hoog' if direction == 'hoger' else 'laag'} — {reasons}. {ask}"
        period = parse_period(mine["period"].iloc[0]).label
        rows.append({"Indicator": ind.titel, "Periode": period, "Waarom het opvalt": text})
        signals.append(Signal(BLOCK, ind.titel, "opvallend", period, text, "opvallend",
                              tone(ind.polariteit, direction)))
    split_rows, split_signals, split_data = _split_positions(scope)
    rows += split_rows
    signals += split_signals
    table = pd.DataFrame(rows, columns=["Indicator", "Periode", "Waarom het opvalt"])
    if table.empty:
        return Section("opvallend", title, text="Geen cijfer van " + scope.focus.name + " valt op volgens deze regel. "
                       + opvallend_rule(scope), heading=3)
    data = pd.concat([pos.drop(columns=["z_least", "possible"]), split_data], ignore_index=True)
    caption = ("Vergeleken met alle gemeenten, de vergelijkbare gemeenten en Nederland, in de laatste twee jaren; een "
               "groep in een verdeling (leeftijd, huishouden, verwijzer) met haar aandeel bij alle gemeenten — een "
               "andere verdeling kan ook uit de bevolkingsopbouw komen." if scope.focus.level == "gemeente" else
               f"Vergeleken met alle {among(scope)}, elk als som van de gemeenten van nu, in de laatste twee jaren; "
               f"{scope.country} ter vergelijking.")
    return Section("opvallend", title, text=opvallend_rule(scope), table=table, data=data, heading=3,
                   signals=tuple(signals), caption=caption)


SPLIT_UNITS = {"verwijzer": "de trajecten"}  # otherwise: de jongeren met jeugdzorg


def _split_positions(scope: Scope) -> tuple[list[dict], list[Signal], pd.DataFrame]:
    """The splits' opvallend groups (:func:`..methods.findings.share_positions`): a table row per group, one
    signal per split (so the agenda is not filled with one split), and the data behind them. Only for a
    gemeente: a region's shares are no gemeente's."""
    from kompas_lib.analysis.methods.findings import GEMEENTEN
    from kompas_lib.analysis.sections.wijken import SUBGROUP_INDICATORS, SUBGROUP_TITLES

    rows, signals, data = [], [], []
    if scope.focus.level != "gemeente":
        return rows, signals, pd.DataFrame()
    for dim, indicator in SUBGROUP_INDICATORS.items():
        facts = scope.ind(indicator)
        found = scope.shared.split_positions(indicator, dim, scope.catalogue.rounding(indicator))
        found = found[found["region_code"] == scope.focus.code].drop(columns="region_code")
        if found.empty:
            continue
        title, unit = SUBGROUP_TITLES[dim], SPLIT_UNITS.get(dim, "de jongeren met jeugdzorg")
        for r in found.to_dict("records"):
            nl = _country_share(facts, dim, r["group"], r["period"])
            up = r["direction"] == "hoger"
            text = (f"{title}: het aandeel '{r['group']}' {'van' if dim == 'verwijzer' else 'onder'} {unit} is "
                    f"{'hoog' if up else 'laag'} — bij de 10 % "
                    f"gemeenten met het {'hoogste' if up else 'laagste'} aandeel ({fmt.pct(r['value'])} tegen "
                    f"{fmt.pct(r['middle'])} bij de middelste gemeente"
                    + (f"; {scope.country} {fmt.pct(nl)}" if nl is not None else "")
                    + f"), in {parse_period(r['earlier']).label} en {parse_period(r['period']).label}.")
            rows.append({"Indicator": f"{title}: {r['group']}", "Periode": parse_period(r["period"]).label,
                         "Waarom het opvalt": text})
            data.append({"indicator": f"{indicator}:{dim}:{r['group']}", "soort": "positie", "ref": GEMEENTEN,
                         "period": r["period"], "earlier": r["earlier"], "value": r["value"],
                         "ref_value": r["middle"], "direction": r["direction"], "region_code": scope.focus.code})
        last = found.iloc[-1]
        short = "; ".join(f"'{r['group']}' {'hoog' if r['direction'] == 'hoger' else 'laag'} ({fmt.pct(r['value'])} "
                          f"tegen {fmt.pct(r['middle'])})" for r in found.to_dict("records"))
        signals.append(Signal(BLOCK, title, "opvallend", parse_period(last["period"]).label,
                              f"{title}, aandeel tegen dat bij de middelste gemeente: {short}, in "
                              f"{parse_period(last['earlier']).label} en "
                              f"{parse_period(last['period']).label}. Een andere verdeling kan ook uit de "
                              "bevolkingsopbouw komen — herkennen we het?", "opvallend", "vraag"))
    return rows, signals, pd.DataFrame(data)


def _country_share(facts: pd.DataFrame, dim: str, group: str, period: str) -> float | None:
    """Nederland's share of ``group`` in ``period`` (percentage), or None."""
    nl = facts[(facts["region_code"] == COUNTRY) & (facts["period"] == period) & (facts["period_type"] == "jaar")]
    total = nl.loc[nl["group_dim"] == "totaal", "value"]
    part = nl.loc[(nl["group_dim"] == dim) & (nl["group_value"] == group), "value"]
    if total.empty or part.empty or not total.iloc[0]:
        return None
    return float(part.iloc[0] / total.iloc[0] * 100)


MEMBER_INDICATORS = 4  # the first kerncijfers shown per member gemeente


def _finding_words(ind, row) -> str:
    """'Jeugdhulp met verblijf: lager dan Nederland (uitzonderlijk)' / '…: laag (opvallend)'."""
    if row["soort"] == "verschil":
        ref = "Nederland" if row["ref"] == COUNTRY else "de vergelijkbare gemeenten"
        return f"{ind.titel}: {row['direction']} dan {ref} (uitzonderlijk)"
    if row["soort"] == "trendbreuk":
        return f"{ind.titel}: trendbreuk ({'stijging' if row['direction'] == 'hoger' else 'daling'})"
    return f"{ind.titel}: {'hoog' if row['direction'] == 'hoger' else 'laag'} (opvallend)"


def gemeenten_van_de_regio(scope: Scope) -> Section | None:
    """For a jeugdregio or provincie: each member gemeente's latest kerncijfers and what stands out for
    it — from the country table, so a member reads here exactly as in its own report. None for a
    gemeente."""
    if scope.focus.level == "gemeente":
        return None
    members = list(scope.shared.members.get(scope.focus.code, ()))
    title = f"De gemeenten van {scope.focus.name}"
    if not members:
        return Section("regio_gemeenten", title, text=f"Voor {scope.focus.name} zijn geen gemeenten bekend.", heading=2)
    cfg = scope.params.vergelijkbare_gemeenten
    indicators = scope.placed(BLOCK, "signaal")
    table = scope.shared.country_findings(scope.catalogue, indicators, tuple(cfg.profiel), cfg.k)
    table = table[table["region_code"].isin(members)]
    shown = scope.placed(BLOCK, "kerncijfer")[:MEMBER_INDICATORS]
    rows = []
    for code in sorted(members, key=lambda c: scope.names.get(c, c)):
        row = {"Gemeente": scope.names.get(code, code)}
        for ind in shown:
            f = scope.ind(ind.id)
            own = f[(f["region_code"] == code) & (f["group_dim"] == "totaal") & f["value"].notna()
                    & f["period_type"].isin(["jaar", "schooljaar"])]
            last = own.loc[own["period_start"].idxmax()] if len(own) else None
            row[f"{ind.titel} ({ind.unit_label})"] = None if last is None else cells.value(last["value"], ind.eenheid)
        mine = table[(table["region_code"] == code) & table["direction"].notna()]
        words = []
        for ind in indicators:  # per indicator the strongest tier only: uitzonderlijk before opvallend
            found = mine[mine["indicator"] == ind.id]
            tested = found[found["soort"] != "positie"]
            words += [_finding_words(ind, r) for r in (tested if len(tested) else found.head(1)).to_dict("records")]
        row["Wat valt op"] = "; ".join(words) or "–"
        rows.append(row)
    text = (f"{scope.focus.name} telt {len(members)} {'gemeente' if len(members) == 1 else 'gemeenten'} (indeling "
            "van nu). Per gemeente het laatste cijfer "
            "en wat er voor die gemeente opvalt — uitzonderlijk (buiten de gewone verschillen tussen gemeenten) of "
            "opvallend (een plaats tussen de gemeenten, geen toets) — precies zoals in het eigen rapport van die "
            "gemeente; wat opvalt in de verdeling naar leeftijd, huishouden of verwijzer staat alleen daar.")
    return Section("regio_gemeenten", title, text=text, table=pd.DataFrame(rows), heading=2,
                   data=table.drop(columns=["z_least", "possible"]),
                   caption=f"Bron: {scope.who}; eigen berekening. Laatste jaar per gemeente.")
