"""Block 1 on real CBS data: shown and exported figures trace back to the CBS files; small numbers
and privacy hold for a tiny gemeente; a jeugdregio as a whole runs."""

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.analysis.sections import bijlage, staat

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def utrecht(utrecht_report):
    folder, text, _ = utrecht_report
    return folder, text


def exported(folder, name):
    return pd.read_csv(folder / "data" / f"{name}.csv", sep=";", decimal=",", encoding="utf-8-sig")


def cell(raw, column, **match):
    sel = pd.Series(True, index=raw.index)
    for k, v in match.items():
        sel &= raw[k].str.strip() == v
    assert sel.sum() == 1, match
    return float(raw.loc[sel, column].iloc[0])


def test_vsv_is_computed_from_the_cbs_counts(utrecht, snapshot_dir):
    folder, text = utrecht
    raw = read_cbs(snapshot_dir, "84780NED")
    k = cell(raw, "VoortijdigSchoolverlaters_2", Geslacht="Totaal mannen en vrouwen", Regiokenmerken="Utrecht (gemeente)", Perioden="2022/'23")
    n = cell(raw, "Leerlingen_1", Geslacht="Totaal mannen en vrouwen", Regiokenmerken="Utrecht (gemeente)", Perioden="2022/'23")
    data = exported(folder, "alle_indicatoren")
    row = data[(data.indicator == "vsv") & (data.region_code == "GM0344")].iloc[0]
    assert (row.numerator, row.denominator) == (k, n) and row.value == pytest.approx(k / n * 100)
    assert f"{k / n * 100:.1f}".replace(".", ",") + "\u00a0%" in text


def test_veilig_thuis_and_kosten_equal_cbs(utrecht, snapshot_dir):
    folder, _ = utrecht
    data = exported(folder, "alle_indicatoren").set_index(["indicator", "region_code"])
    vt = read_cbs(snapshot_dir, "84847NED")
    per_100k = cell(vt, "GestarteAdviezen_13", RegioS="Utrecht (gemeente)", Perioden="2023")
    assert data.loc[("vt_adviezen_per_1000", "GM0344"), "value"] == pytest.approx(per_100k / 100)
    kosten = read_cbs(snapshot_dir, "83454NED")
    euro = cell(kosten, "GerealiseerdeKostenPer1000Inwoners_4", VormenVanJeugdzorg="JZ Totaal jeugdzorg",
                Regio="Utrecht (gemeente)", Perioden="2023")
    assert data.loc[("kosten_jeugdzorg_per_inwoner", "GM0344"), "value"] == euro


def test_wijk_counts_equal_cbs_and_respect_privacy(utrecht, snapshot_dir):
    folder, _ = utrecht
    wijken = exported(folder, "wijken")
    raw = read_cbs(snapshot_dir, "85685NED")
    raw = raw[(raw.VormenVanJeugdzorg == "Totaal alle jeugdzorg in natura") & (raw.Perioden == "2023")]
    expected = float(raw[raw.Codering_20.str.strip() == "WK034403"].TotaalJongerenMetJeugdzorgInNatura_1.iloc[0])
    assert wijken.set_index("region_code").loc["WK034403", "aantal"] == expected
    shown = wijken.aantal.dropna()
    assert (shown >= 10).all()


def test_funnel_has_limits_and_no_ranking(utrecht):
    folder, text = utrecht
    f = exported(folder, "trechter_jeugdzorg")
    assert {"lo95", "hi95", "lo998", "hi998", "oordeel_95"} <= set(f.columns)
    assert set(f.oordeel_95) <= {"binnen de grenzen", "boven de grenzen", "onder de grenzen"}
    assert not f.aandeel.is_monotonic_increasing and not f.aandeel.is_monotonic_decreasing
    assert "geen rangorde" in text and "ranglijst" in text


def test_subgroups_and_peers_are_shown(utrecht, snapshot_dir):
    folder, text = utrecht
    groups = exported(folder, "groepen_leeftijd")
    raw = read_cbs(snapshot_dir, "85685NED")
    raw = raw[(raw.VormenVanJeugdzorg == "Totaal alle jeugdzorg in natura") & (raw.Perioden == "2023")
              & (raw.Codering_20.str.strip() == "GM0344")]
    own = groups[(groups.region_code == "GM0344") & (groups.groep == "12 tot 18 jaar")].iloc[0]
    assert own.aantal == float(raw.k_12Tot18Jaar_4.iloc[0])
    peers = exported(folder, "vergelijkbare_gemeenten")
    assert len(peers) == 10 and peers.distance.is_monotonic_increasing  # k from params/GM0344.yml
    assert "Amersfoort" not in peers.columns and "Vergelijkbare gemeenten" in text


BLOCK1 = [staat.signalen, staat.bevolking, staat.verwacht_naar_leeftijd, staat.kerncijfers, staat.alle_indicatoren,
          staat.vergelijkbare_gemeenten, staat.trends, staat.trechter_jeugdzorg, staat.wijken, staat.groepen,
          staat.landelijke_context, bijlage.definities]


def all_text(sections) -> str:
    out = []
    for s in sections:
        out += [s.title, s.text, s.note, s.caption, s.source]
        if s.table is not None:
            out += [" ".join(map(str, s.table.columns)), s.table.to_string()]
        if s.figure is not None:
            out += [s.figure.title, s.figure.caption]
    return "\n".join(out)


def build_all(scope):
    out = []
    for builder in BLOCK1:
        r = builder(scope)
        out += [s for s in (r if isinstance(r, list) else [r]) if s is not None]
    return out


@pytest.mark.parametrize("code", ["GM0088", "JZ22"])
def test_small_gemeente_and_jeugdregio_build_cleanly(make_real_scope, code):
    sections = build_all(make_real_scope(code))
    text = all_text(sections)
    for bad in ["Traceback", "Error:", "Warning", "nan %", "NaN", "nan"]:
        assert bad not in text, bad
    if code == "GM0088":
        assert "weinig jongeren" in text
        wijken = next(s for s in sections if s.id == "wijken")
        if wijken.data is not None and not wijken.data.empty:
            assert (wijken.data.aantal.dropna() >= 10).all()
        for s in sections:  # privacy: no exported percentage count below the threshold
            if s.data is not None and {"numerator", "unit"} <= set(s.data.columns):
                pct = s.data[s.data.unit == "percentage"]
                assert (pct.numerator.dropna() >= 10).all(), s.id
    else:
        assert "Vergelijkbare gemeenten worden alleen voor een gemeente bepaald" in text


def test_real_gemeente_with_only_a_params_file_shows_block_2_and_explains_3_and_4(utrecht):
    folder, text = utrecht
    res = pd.read_csv(folder / "data" / "resultaten.csv", sep=";", decimal=",")
    assert "Jongeren met jeugdbescherming" in set(res.Indicator) and "Voortijdig schoolverlaters" in set(res.Indicator)
    allowed = ("op koers", "niet op koers", "nog niet te zeggen", "niet meetbaar", "geen norm")
    assert all(o.startswith(allowed) for o in res.Oordeel), list(res.Oordeel)
    assert "niet meetbaar" in text
    # the partners' report: one line per empty block, what we ask them to deliver (no template)
    assert "er zijn nog geen gegevens over activiteiten" in text
    assert "er zijn nog geen gegevens over de kwaliteit van de input" in text
    assert "Er zijn nog geen uitkomsten per aanbieder. Wat we aanbieders vragen aan te leveren" in text
    assert "Er is nog geen bestand met" not in text and "Sjabloon voor" not in text


def test_jeugdregio_history_is_the_sum_of_its_current_gemeenten(make_real_scope):
    scope = make_real_scope("JZ33")  # Noord-Oost Brabant: mergers (Land van Cuijk 2022, Maashorst 2022)
    data = staat.trend(scope, "jongeren_jeugdzorg").data
    own = data[data.region_code == "JZ33"].set_index("period")
    members = scope.comparison.members["JZ33"]
    f = scope.ind("jongeren_jeugdzorg")
    f = f[f.region_code.isin(members) & (f.group_dim == "totaal") & (f.period_type == "jaar")]
    sums = f.groupby("period")["numerator"].sum()
    assert len(own) >= 8
    for period, row in own.iterrows():
        assert row.numerator == sums.loc[period], period


@pytest.mark.parametrize("code", ["GM0344", "GM0363", "GM1982", "GM0088", "JZ33"])
def test_one_verdict_per_figure_across_the_report(make_real_scope, code):
    """Signal list, kerncijfers, trend sentence and funnel agree on every kerncijfer against Nederland."""
    scope = make_real_scope(code)
    signals = staat.signalen(scope).table
    kern = staat.kerncijfers(scope).table.set_index("Indicator")
    funnel = staat.trechter_jeugdzorg(scope)
    for ind in scope.placed(1, "kerncijfer"):
        if ind.titel not in kern.index:
            continue
        cell = kern.loc[ind.titel, "Verschil met Nederland"]
        out = cell.endswith(", uitzonderlijk")
        sentence = staat.trend(scope, ind.id).text
        assert out == ("(uitzonderlijk: buiten de gewone verschillen tussen gemeenten)" in sentence), (ind.id, cell,
                                                                                                       sentence)
        assert "toeval" not in sentence
        listed = signals[(signals.Indicator == ind.titel) & (signals.Soort == "verschil")]
        assert out == any("Nederland" in t for t in listed["Wat valt op"]), (ind.id, cell)
        if ind.id == "jongeren_jeugdzorg" and scope.focus.level == "gemeente":
            where = funnel.data.set_index("code").loc[code, "oordeel_998"]
            assert out == (where != "binnen de grenzen"), (cell, where)


def test_funnel_of_2023_holds_about_five_percent_outside_its_95_limits(make_real_scope):
    data = staat.trechter_jeugdzorg(make_real_scope("GM0344")).data
    assert data.periode.iloc[0] == "2023" and len(data) == 342
    share = (data.oordeel_95 != "binnen de grenzen").mean()
    assert 0.02 <= share <= 0.10, share  # measured: 21 of 342 = 6,1 %


def test_a_region_report_lists_its_gemeenten_as_their_own_reports_read(make_real_scope):
    """Each member of a jeugdregio with its latest kerncijfers and what stands out for it — the same
    tier as in the member's own report (the country table)."""
    scope = make_real_scope("JZ33")  # Noordoost Brabant: 10 gemeenten today, after the mergers of 2022
    sec = staat.gemeenten_van_de_regio(scope)
    members = scope.comparison.members["JZ33"]
    assert len(sec.table) == len(members) == 10 and "10 gemeenten" in sec.text
    assert set(sec.table["Gemeente"]) == {scope.names[c] for c in members}
    oss = make_real_scope("GM0828")  # Oss: its own report's opvallend section names what the region row says
    row = sec.table.set_index("Gemeente").loc["Oss", "Wat valt op"]
    own = staat.opvallend(oss).table
    titles = {i.titel for i in oss.catalogue.indicators.values()}
    figures = [t for t in own["Indicator"] if t in titles]  # the splits' groups stay in the member's own report
    assert figures and all(f"{title}:" in row for title in figures)
    assert staat.gemeenten_van_de_regio(make_real_scope("GM0344")) is None
