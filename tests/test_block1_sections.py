"""Block 1 section builders on the demo facts: pure values, the catalogue decides the placement,
hand-checked figures, privacy in exported data. Seconds, no papermill."""

import dataclasses

import pandas as pd
import pytest

from kompas_lib.analysis.methods.comparison import PEERS
from kompas_lib.analysis.section import FigureSpec, Section
from kompas_lib.analysis.sections import bijlage, staat
from kompas_lib.core.registry import DOMAINS
from kompas_lib.presentation.cells import shown


def test_every_builder_returns_sections_with_the_export_names(demo_scope):
    ids = []
    for builder in [staat.signalen, staat.bevolking, staat.verwacht_naar_leeftijd, staat.kerncijfers,
                    staat.alle_indicatoren, staat.vergelijkbare_gemeenten, staat.trends, staat.trechter_jeugdzorg,
                    staat.wijken, staat.groepen, staat.landelijke_context, bijlage.definities]:
        out = builder(demo_scope)
        for s in out if isinstance(out, list) else [out]:
            assert isinstance(s, Section)
            assert s.figure is None or isinstance(s.figure, FigureSpec)
            ids.append(s.id)
    assert {"signalen", "kerncijfers", "alle_indicatoren", "trend_jongeren_jeugdzorg", "trechter_jeugdzorg", "wijken",
            "groepen_leeftijd", "vergelijkbare_gemeenten", "verwacht_naar_leeftijd"} <= set(ids)
    assert len(ids) == len(set(ids)), "section ids are export names and must be unique"


def test_kerncijfers_follow_the_catalogue_and_equal_the_facts(demo_scope):
    sec = staat.kerncijfers(demo_scope)
    placed = [i.titel for i in demo_scope.placed(1, "kerncijfer")]
    assert list(sec.table["Indicator"]) == placed
    facts = demo_scope.ind("pct_jeugdhulp_in_natura")
    own = facts[(facts.region_code == "GM9001") & (facts.group_dim == "totaal") & (facts.period_type == "jaar")]
    last = own.dropna(subset=["value"]).sort_values("period_start").iloc[-1]
    row = sec.data[(sec.data.indicator == "pct_jeugdhulp_in_natura") & (sec.data.region_code == "GM9001")].iloc[0]
    assert row.value == pytest.approx(last.value) and row.period == last.period
    jz = sec.data[(sec.data.indicator == "jongeren_jeugdzorg") & (sec.data.region_code == "GM9001")].iloc[0]
    assert jz.value == pytest.approx(jz.numerator / jz.denominator * 100)
    row = shown(sec.table).set_index("Indicator").loc[demo_scope.catalogue.indicators["pct_jeugdhulp_in_natura"].titel]
    assert row[demo_scope.focus.name] == f"{last.value:.1f}".replace(".", ",") + "\u00a0%"


def test_peers_are_pooled_from_their_counts(demo_scope):
    sec = staat.kerncijfers(demo_scope)
    d = sec.data[(sec.data.indicator == "jongeren_jeugdzorg")]
    pooled = d[d.region_code == PEERS].iloc[0]
    peers = list(demo_scope.comparison.peer_table.index)
    f = demo_scope.ind("jongeren_jeugdzorg")
    f = f[f.region_code.isin(peers) & (f.period == pooled.period) & (f.group_dim == "totaal")]
    assert pooled.value == pytest.approx(f.numerator.sum() / f.denominator.sum() * 100)


def test_overview_is_grouped_by_domain_in_catalogue_order_and_filtered_by_params(demo_scope):
    sec = staat.alle_indicatoren(demo_scope)
    order = list(DOMAINS.values())
    seen = list(dict.fromkeys(sec.table["Domein"]))
    assert seen == [d for d in order if d in seen]
    narrowed = dataclasses.replace(demo_scope, params=demo_scope.params.model_copy(
        update={"indicatoren": ["vsv", "pct_jeugdbescherming"]}))
    titles = set(staat.alle_indicatoren(narrowed).table["Indicator"])
    cat = demo_scope.catalogue.indicators
    assert titles == {cat["vsv"].titel, cat["pct_jeugdbescherming"].titel}


def test_trend_section_has_a_figure_spec_with_the_benchmarks(demo_scope):
    sec = staat.trend(demo_scope, "jongeren_jeugdzorg")
    assert sec.figure.kind == "trend" and sec.figure.options["focus"] == demo_scope.focus.name
    labels = set(sec.figure.data["region_name"])
    assert demo_scope.focus.name in labels and any("vergelijkbare gemeenten" in x for x in labels)
    assert sec.source.startswith("Bron: fictieve gegevens (Demoland), tabel")
    assert "–" in sec.source  # a period span
    assert sec.text.startswith("In 2023 was het cijfer")


def planted(scope, indicator: str, factor: float):
    """The scope with the focus's latest figure of ``indicator`` multiplied by ``factor``."""
    f = scope.facts.copy()
    own = f[(f.indicator == indicator) & (f.region_code == scope.focus.code) & (f.group_dim == "totaal")
            & (f.period_type == "jaar")]
    last = own.sort_values("period_start").index[-1]
    f.loc[last, ["numerator", "value"]] = f.loc[last, ["numerator", "value"]] * factor
    return dataclasses.replace(scope, facts=f)


def test_a_planted_outlier_gets_the_same_verdict_everywhere(demo_scope):
    scope = planted(demo_scope, "jongeren_jeugdzorg", 1.8)
    sec = staat.signalen(scope)
    assert len(sec.signals) == len(sec.table) >= 1
    assert {s.block for s in sec.signals} == {1} and {s.kind for s in sec.signals} <= {"verschil", "trendbreuk"}
    title = scope.catalogue.indicators["jongeren_jeugdzorg"].titel
    rows = sec.table[(sec.table.Indicator == title) & (sec.table.Soort == "verschil")]
    assert "hoger dan" in rows["Wat valt op"].iloc[0] and "Demoland" in rows["Wat valt op"].iloc[0]
    assert "er ongeveer 0,1 op" in sec.text  # what a list like this gives when no gemeente really differs
    kern = staat.kerncijfers(scope).table.set_index("Indicator")
    assert kern.loc[title, "Verschil met Demoland"] == "hoger, uitzonderlijk"
    assert "hoger dan" in staat.trend(scope, "jongeren_jeugdzorg").text.split(".")[0] + "."
    assert "(uitzonderlijk: buiten de gewone verschillen tussen gemeenten)" in staat.trend(scope, "jongeren_jeugdzorg").text
    funnel = staat.trechter_jeugdzorg(scope)
    assert funnel.data.set_index("code").loc["GM9001", "oordeel_998"] == "boven de grenzen"
    assert "boven de grenzen (uitzonderlijk)" in funnel.figure.title


def test_an_ordinary_gemeente_gets_no_verdict_anywhere(make_demo_scope):
    scope = make_demo_scope("GM9004")  # Oosterbroek: an ordinary Demoland gemeente
    title = scope.catalogue.indicators["jongeren_jeugdzorg"].titel
    assert title not in set(staat.signalen(scope).table.Indicator)
    assert staat.kerncijfers(scope).table.set_index("Indicator").loc[title, "Verschil met Demoland"] == \
        "binnen de gewone verschillen"
    assert "binnen de gewone verschillen tussen gemeenten" in staat.trend(scope, "jongeren_jeugdzorg").text
    assert staat.trechter_jeugdzorg(scope).data.set_index("code").loc["GM9004", "oordeel_998"] == \
        "binnen de grenzen"


def test_region_as_a_whole_has_no_peers_and_no_wijken(make_demo_scope):
    scope = make_demo_scope("JZ91")
    assert staat.vergelijkbare_gemeenten(scope).table is None
    assert staat.wijken(scope).table is None
    assert PEERS not in staat.kerncijfers(scope).data.region_code.values


def test_small_counts_are_not_exported(demo_scope):
    strict = dataclasses.replace(demo_scope, params=demo_scope.params.model_copy(
        update={"privacy": demo_scope.params.privacy.model_copy(update={"drempel": 10_000_000})}))
    data = staat.kerncijfers(strict).data
    pct = data[data.unit == "percentage"]
    assert pct.numerator.isna().all() and pct.value.notna().any()


def test_funnel_spec_and_verdict_agree(demo_scope):
    sec = staat.trechter_jeugdzorg(demo_scope)
    own = sec.data[sec.data.code == "GM9001"].iloc[0]
    assert sec.figure.kind == "funnel" and own.oordeel_95 in sec.figure.title
    assert sec.data.periode.nunique() == 1


def test_appendix_defines_every_indicator_in_plain_words(demo_scope):
    t = bijlage.definities(demo_scope).table
    assert "per_1000" not in " ".join(t["Eenheid"]) and len(t) == len(demo_scope.catalogue.indicators)
    assert "% van de jongeren tot 23 jaar" in set(t["Eenheid"])
    assert isinstance(bijlage.methoden().table, pd.DataFrame)


def test_a_jeugdregio_is_summed_over_its_current_gemeenten(make_demo_scope):
    scope = make_demo_scope("JZ91")
    members = scope.comparison.members["JZ91"]
    data = staat.trend(scope, "jongeren_jeugdzorg").data
    own = data[data.region_code == "JZ91"].set_index("period")
    f = scope.ind("jongeren_jeugdzorg")
    f = f[f.region_code.isin(members) & (f.group_dim == "totaal") & (f.period_type == "jaar")]
    sums = f.groupby("period")[["numerator", "denominator"]].sum()
    for period, row in own.iterrows():
        assert row.numerator == sums.loc[period, "numerator"]
        assert row.value == pytest.approx(sums.loc[period, "numerator"] / sums.loc[period, "denominator"] * 100)
    text = staat.bevolking(scope).text
    assert all(scope.names[c] in text for c in members) and "huidige grenzen" in text


def test_every_block_reads_a_region_on_todays_borders(make_demo_scope):
    """Blocks 1, 2 and 6 show a jeugdregio's own series as the sum of its current gemeenten, never CBS's
    historical region total — here made 30 % larger, as a region whose territory changed would be."""
    import dataclasses

    from kompas_lib.analysis.sections import resultaat, verbetercyclus
    from kompas_lib.core import fmt
    from kompas_lib.core.params import DoelIndicator

    base = make_demo_scope("JZ91")
    facts = base.facts.copy()
    old = (facts.region_code == "JZ91") & (facts.indicator == "jongeren_jeugdzorg")
    facts.loc[old, ["numerator", "denominator"]] *= 1.3
    scope = dataclasses.replace(base, facts=facts)
    members = scope.comparison.members["JZ91"]
    f = facts[facts.region_code.isin(members) & (facts.indicator == "jongeren_jeugdzorg")
              & (facts.group_dim == "totaal") & (facts.period_type == "jaar")]
    sums = f.groupby("period")[["numerator", "denominator"]].sum()
    sums = sums[sums.index.str[:4].astype(int) >= 2016]

    text = staat.bevolking(scope).text  # block 1: the split into a population and a use effect
    assert f"van {fmt.count(sums.numerator.iloc[0])} naar {fmt.count(sums.numerator.iloc[-1])}" in text
    own, *_ = resultaat.indicator_series(scope, DoelIndicator(indicator="jongeren_jeugdzorg", richting="lager"))
    assert own.set_index("label").loc[sums.index[-1], "numerator"] == sums.numerator.iloc[-1]  # block 2
    then, now, _ = verbetercyclus._indicator_change(scope, "jongeren_jeugdzorg", "2019-06-01")  # block 6
    assert now.startswith(fmt.pct(sums.numerator.iloc[-1] / sums.denominator.iloc[-1] * 100))


@pytest.mark.slow  # 32 scopes: about 15 s
def test_one_gemeente_gets_one_verdict_in_every_report(make_demo_scope):
    """A gemeente's verdict against Nederland does not depend on whose report shows it: the funnels of
    three reports and every gemeente's own verdict agree, for every gemeente in the funnel."""
    from kompas_lib.analysis.methods.comparison import benchmarked

    funnels = [staat.trechter_jeugdzorg(make_demo_scope(code)).data.set_index("code")["oordeel_998"]
               for code in ("GM9001", "GM9004", "GM9010")]
    assert all(f.equals(funnels[0]) for f in funnels[1:])
    words = {"hoger": "boven de grenzen", "lager": "onder de grenzen", None: "binnen de grenzen"}
    period = staat.trechter_jeugdzorg(make_demo_scope("GM9001")).data["periode"].iloc[0]
    for code, shown in funnels[0].items():
        scope = make_demo_scope(code)
        ind = scope.catalogue.indicators["jongeren_jeugdzorg"]
        own = scope.verdict(ind, benchmarked(scope.comparison, ind, scope.ind(ind.id)), period, "NL01")
        assert words[own.direction] == shown, code
    assert (funnels[0] != "binnen de grenzen").any()  # Demoland has gemeenten outside the limits


def test_no_comparison_with_peers_on_what_they_were_chosen_for(demo_scope):
    """The comparable gemeenten are chosen for a similar share of minderjarigen in low-income households:
    a difference with them on that very figure is not a finding, and it is not counted as a comparison."""
    ind = "pct_minderjarigen_laag_inkomen"
    assert "minderjarigen_laag_inkomen" in demo_scope.params.vergelijkbare_gemeenten.profiel
    sec = staat.signalen(planted(demo_scope, ind, 3.0))
    title = demo_scope.catalogue.indicators[ind].titel
    found = [t for i, t in zip(sec.table["Indicator"], sec.table["Wat valt op"]) if i == title]
    assert found and all("vergelijkbare" not in t for t in found)  # against Nederland only
    others = [c for c in demo_scope.shared.gemeenten if c != demo_scope.focus.code][:5]
    fixed = demo_scope.params.model_copy(update={"vergelijkbare_gemeenten": demo_scope.params.vergelijkbare_gemeenten
                                                 .model_copy(update={"vaste_lijst": others})})
    with_list = dataclasses.replace(demo_scope, params=fixed)  # a list the user chose: every comparison stays
    found = with_list.findings([demo_scope.catalogue.indicators[ind]])
    assert "VERGELIJKBAAR" in set(found["ref"])
    assert "VERGELIJKBAAR" not in set(demo_scope.findings([demo_scope.catalogue.indicators[ind]])["ref"])


def test_a_count_below_its_rounding_unit_is_shown_as_such(demo_scope):
    """A published 0 of 200, rounded to hundreds, is 0 to 49: 'minder dan 50 van 200', never 0,0 %."""
    from kompas_lib.presentation.cells import text

    ind = demo_scope.catalogue.indicators["pct_minderjarigen_laag_inkomen"]
    assert demo_scope.catalogue.rounding(ind.id) == 100
    cell = staat._value_or_rounded(demo_scope, ind, {"numerator": 0.0, "denominator": 200.0, "value": 0.0})
    assert text(cell) == "minder dan 50 van 200" and "honderdtallen" in cell.reason
    shown = staat._value_or_rounded(demo_scope, ind, {"numerator": 300.0, "denominator": 2000.0, "value": 15.0})
    assert text(shown) == "15,0\u00a0%"
