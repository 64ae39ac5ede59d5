import json

import pandas as pd
import pytest

from kompas_lib.sources.demoland import generate_demo


@pytest.fixture(scope="module")
def demo_dir(demo_prepared):
    return demo_prepared.raw  # the session's Demoland as generated (conftest.py)


def read(d, t):
    return pd.read_csv(d / t / f"{t}.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_deterministic_byte_identical(demo_dir, tmp_path):
    generate_demo(tmp_path)
    files = sorted(p.relative_to(demo_dir) for p in demo_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for f in files:
        assert (demo_dir / f).read_bytes() == (tmp_path / f).read_bytes(), f


def test_every_table_is_marked_fictitious(demo_dir):
    metas = list(demo_dir.glob("*/*.json"))
    assert len(metas) >= 20
    for m in metas:
        meta = json.loads(m.read_text())
        assert meta["fictief"] is True and meta["title"].startswith("FICTIEF")


def test_headers_match_the_real_cbs_tables(demo_dir, snapshot_dir):
    for t in ["84134NED", "85099NED", "82972NED", "85098NED", "85685NED"]:
        real = pd.read_csv(snapshot_dir / t / f"{t}.csv", sep=";", encoding="utf-8-sig", nrows=0).columns
        demo = list(read(demo_dir, t).columns)
        # the demo may leave columns out, but those it writes carry the real names in the real order
        assert demo == [c for c in real if c in demo], t
        assert demo[:4] == list(real)[:4], t
    real = list(pd.read_csv(snapshot_dir / "85383NED" / "85383NED.csv", sep=";", encoding="utf-8-sig", nrows=0).columns)
    assert list(read(demo_dir, "85383NED").columns) == real[:6]


def test_size_and_calibration(demo_dir):
    geb = read(demo_dir, "85755NED")
    assert len(geb) >= 30 and geb["Code_18"].str.strip().nunique() >= 4
    kc = read(demo_dir, "85099NED")
    nl = kc[(kc.RegioS == "Demoland") & (kc.VormenVanJeugdzorg == "JZ Totaal jeugdzorg") & (kc.Perioden == "2023")]
    assert 9.5 <= float(nl.JongerenMetJeugdzorgRelatief_2.iloc[0]) <= 14.0  # Waterveen, the outlier, lifts it
    ind = read(demo_dir, "85098NED")
    jh = float(ind[(ind.RegioS == "Demoland") & (ind.Perioden == "2023")].JongerenMetJeugdhulpInNatura_1.iloc[0])
    assert 10 <= jh <= 17.0  # Waterveen, the outlier, lifts it


def test_gemeenten_sum_to_the_country(demo_dir):
    kc = read(demo_dir, "84134NED")
    kc = kc[(kc.VormenVanJeugdzorg == "JZ Totaal jeugdzorg") & (kc.Perioden == "2018")]
    geb = read(demo_dir, "83859NED")
    gm = kc[kc.RegioS.isin(geb.RegioS)]
    total = float(kc[kc.RegioS == "Demoland"].JongerenMetJeugdzorg_1.iloc[0])
    published = pd.to_numeric(gm.JongerenMetJeugdzorg_1, errors="coerce")
    assert published.sum() <= total and total - published.sum() < 0.05 * total  # secret cells are small


def test_merger_predecessors_and_successor(demo_dir):
    her = pd.read_csv(demo_dir / "herindelingen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    succ = her.nieuw_code.iloc[0]
    for year, table in [(2021, "84929NED"), (2022, "85067NED")]:
        codes = set(read(demo_dir, table).Code_1.str.strip())
        assert (succ in codes) == (year >= 2022)
        assert set(her.oud_code) <= codes if year < 2022 else not (set(her.oud_code) & codes)


def test_provider_counts_are_consistent(demo_dir):
    p = pd.read_csv(demo_dir / "aanbieders_uitkomsten.csv", sep=";")
    assert p.aanbieder.nunique() >= 5
    early = p.voortijdig_eenzijdig_client + p.voortijdig_eenzijdig_aanbieder + p.voortijdig_overig
    unknown = p.trajecten_beeindigd - p.beeindigd_volgens_plan - early  # 'einde onbekend', as in CBS's tables
    assert (unknown >= 0).all() and 0.02 < unknown.sum() / p.trajecten_beeindigd.sum() < 0.12
    assert (p.herhaald_beroep_6mnd <= p.herhaald_beroep_12mnd).all()
    from kompas_lib.sources.sjablonen import load

    assert len(load(demo_dir / "aanbieders_uitkomsten.csv", "aanbieders")) == len(p)  # passes the project's own validation
    assert (p.tevredenheid_positief <= p.tevredenheid_respons).all() and (p.doel_bereikt <= p.doel_gemeten).all()


def test_demo_prepares_without_unmatched_regions_and_harmonises_the_merger(demo_prepared):
    res = demo_prepared  # prepare(FolderSource(demo_dir, "demo"), ...), done once per session in conftest.py
    assert res.report["unmatched_region_titles"] == [] and res.report["source"]["fictief"]
    f = res.facts
    merged = f[(f.region_code == "GM9040") & (f.indicator == "jongeren_jeugdzorg") & (f.period_type == "jaar")
               & f.value.notna()]
    assert merged.period.tolist() == [str(y) for y in range(2015, 2024)]
    assert merged[merged.period < "2022"].harmonised.all()
    assert f[f.region_code == "NL01"].region_name.eq("Demoland").all()
    groups = f[f.indicator == "jongeren_jeugdzorg_peildatum"]
    assert {"geslacht", "leeftijd", "geslacht×leeftijd"} <= set(groups.group_dim)
    assert set(f[f.indicator == "jongeren_jeugdzorg"].period_type) == {"halfjaar", "jaar"}


def test_demoland_is_worth_discussing(make_demo_scope):
    """Training material: an outlier gemeente, a trend break, subgroups unlike the country, a provider
    outside the limits and a small one inside."""
    from kompas_lib.analysis.sections import staat, uitkomsten

    waterveen = make_demo_scope("GM9001")
    found = staat.signalen(waterveen).table
    assert "Jongeren met jeugdzorg" in set(found.Indicator[found.Soort == "verschil"])
    assert staat.trechter_jeugdzorg(waterveen).data.set_index("code").loc["GM9001", "oordeel_998"] == "boven de grenzen"
    lindehoven = staat.signalen(make_demo_scope("GM9003")).table
    assert "trendbreuk" in set(lindehoven.Soort)
    households = staat.groepen(waterveen)[1].table
    own, country = households.columns[2], households.columns[3]
    assert (households[own] != households[country]).any()
    funnels = {s.id: s for s in uitkomsten.aanbieders_trechters(waterveen) if s is not None}
    plan = funnels["aanbieders_volgens_plan"].table.set_index("Aanbieder")["Ten opzichte van de grenzen"]
    assert plan["Jeugdhulp De Linde"] == "onder de 99,8 %-grenzen (uitzonderlijk)"
    assert plan["Jeugd-GGZ Horizon"] == "binnen de grenzen"
    assert plan["Gezinshuis Het Anker"] == "niet beoordeeld (te klein)"  # 9 of 16: a count below 10
    names = set(waterveen.names.values())
    assert not {"Veldhoven-Demo", "Groenlo-Demo", "Molenbeek"} & names


def test_the_expected_use_model_finds_demolands_profile(make_demo_scope):
    """The generator makes use depend on one-parent households, low incomes and parents' psychiatric
    medication; the model recovers those effects, and Waterveen stays clearly above its expectation."""
    from kompas_lib.analysis.sections import verwacht

    waterveen = make_demo_scope("GM9001")
    main = verwacht.oordelen(waterveen)[0]
    coef = main.fit.coefficients().set_index("variable")
    for var in ("eenouderhuishoudens", "minderjarigen_laag_inkomen", "psychisch_medicijngebruik_ouders"):
        assert coef.loc[var, "laag"] > 1, var
    assert main.fit.explained > 0.3
    assert main.ex.verdict() == "hoger" and main.ex.ratio > 1.5
    assert "Jongeren met jeugdzorg (verwacht gebruik)" in set(staat_signals(waterveen))


def staat_signals(scope):
    from kompas_lib.analysis.sections import staat

    return staat.signalen(scope).table["Indicator"]
