"""Block 5 on real data (CBS snapshot) with an example provider file: the national values equal the
CBS source, the provider funnels are alphabetical and the small provider is suppressed. The builders
run on a real Scope (as the notebook builds it); the demo and the notebook itself are covered by
test_block5_sections.py and test_pipeline.py."""

import re

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.analysis.methods.aanbieders import COLUMNS
from kompas_lib.analysis.sections import uitkomsten
from kompas_lib.presentation.cells import shown as shown_text
from kompas_lib.presentation.session import load_scope

pytestmark = pytest.mark.slow  # the real snapshot is prepared once per session (about a minute)

PROVIDERS = [("Aanbieder A", 220, 170), ("Aanbieder B", 180, 110), ("Aanbieder C", 140, 105),
             ("Aanbieder D", 160, 122), ("Klein Praktijk", 7, 6)]


@pytest.fixture(scope="module")
def utrecht(real, tmp_path_factory):
    """Utrecht's Scope with a provider file in its own folder, named in its params file."""
    d = tmp_path_factory.mktemp("outcome")
    rows = []
    for name, n, plan in PROVIDERS:
        early = n - plan
        rows.append([name, "GM0344", "2024", "ambulant", n, plan, early // 2, early // 4, early - early // 2 - early // 4,
                     n // 20, n // 10, n // 2, int(n / 2 * 0.8), n // 2, int(n / 2 * 0.7)])
    pd.DataFrame(rows, columns=COLUMNS).to_csv(d / "aanbieders.csv", sep=";", index=False)
    (d / "GM0344.yml").write_text("gemeente: GM0344\naanbieders:\n  bestand: aanbieders.csv\n", encoding="utf-8")
    return load_scope("GM0344", d / "GM0344.yml", processed=real.out_dir)


def test_the_provider_file_of_the_params_is_read(utrecht):
    own = utrecht.local.aanbieders
    assert own.present and own.name == "aanbieders.csv" and own.problem is None
    assert uitkomsten.aanbieders_intro(utrecht).text == "Gegevens van 5 aanbieders uit aanbieders.csv."


def test_national_values_equal_cbs(utrecht, snapshot_dir):
    raw = read_cbs(snapshot_dir, "85096NED")
    row = raw[(raw.VerwijzerJeugdzorg == "Totaal verwijzer") & (raw.Perioden == "2023")].iloc[0]
    total = float(row.TotaalBeeindigdeTrajecten_7)
    expected = {"nl_beeindigd_volgens_plan": float(row.BeeindigdVolgensPlan_16) / total * 100}
    sec = uitkomsten.landelijke_tabel(utrecht)
    data = sec.data.set_index("indicator")
    assert list(data.index) == [i.id for i in utrecht.placed(5, "kerncijfer")]
    got = data.loc["nl_beeindigd_volgens_plan"]
    assert got.value == pytest.approx(expected["nl_beeindigd_volgens_plan"]) and got.source_table == "85096NED"
    assert got.period == "2023" and got.denominator == pytest.approx(total)
    shown = shown_text(sec.table).set_index("Indicator")
    assert shown.loc["Jeugdhulptrajecten beëindigd volgens plan", "Landelijk"] == (
        f"{expected['nl_beeindigd_volgens_plan']:.1f}".replace(".", ",") + "\u00a0%")
    assert shown.loc["Jeugdhulptrajecten beëindigd volgens plan", "Aantal trajecten"] == f"{total:,.0f}".replace(",", ".")
    assert sec.source == "Bron: CBS, tabel 85096NED, 2023. Alle verwijzers samen."
    # the trend joins both CBS tables (2015–2020 and from 2021)
    trend = uitkomsten.landelijke_trend(utrecht)
    assert set(trend.data["source_table"]) == {"82970NED", "85096NED"}
    assert trend.figure.title.startswith("Landelijk ") and "volgens plan beëindigd in 2023" in trend.figure.title
    # reasons for ending early: counts as published
    reasons = shown_text(uitkomsten.landelijke_redenen(utrecht).table)
    assert reasons.iloc[0]["Aantal (2023)"] == f"{float(row.InOvereenstemming_18):,.0f}".replace(",", ".")


def test_missing_regional_table_is_named(utrecht):
    assert "85097NED" in uitkomsten.regionale_tabel(utrecht).text
    sources = uitkomsten.bronnen(utrecht)
    assert list(sources.table["Tabel"]) == ["82970NED", "85096NED"]
    assert sources.table_caption == "Bron: CBS StatLine, open data (CC BY 4.0)."


def test_provider_funnels_without_ranking(utrecht):
    secs = uitkomsten.aanbieders_trechters(utrecht)
    assert [s.id for s in secs] == [f"aanbieders_{m}" for m in uitkomsten.PROVIDER_MEASURES]
    for sec in secs:
        assert list(sec.data.aanbieder) == sorted(sec.data.aanbieder)  # alphabetical, not by value
        assert set(sec.data.oordeel.dropna()) <= {"binnen de grenzen"} | {
            f"{side} de {level}" for side in ("boven", "onder")
            for level in ("95 %-grenzen", "99,8 %-grenzen (uitzonderlijk)")}
    tevredenheid = secs[-1]
    assert "Respons" in tevredenheid.table.columns and "respons" in tevredenheid.text
    # a signal for block 6 only where a provider is uitzonderlijk (outside the 99,8 % limits)
    out = [(s.id, a) for s in secs for a, o in zip(s.data.aanbieder, s.data.oordeel)
           if isinstance(o, str) and o.endswith("(uitzonderlijk)")]
    texts = [s.text for s in uitkomsten.signalen(utrecht)]
    assert len(texts) == len(out) and all("99,8 %-grenzen" in t for t in texts)


def test_small_provider_is_suppressed_in_tables_and_data(utrecht):
    secs = [*uitkomsten.aanbieders_trechters(utrecht), *uitkomsten.ontwikkeling(utrecht)]
    for sec in secs:
        if sec.data is not None and "n" in sec.data:
            assert (sec.data.n.dropna() >= 10).all(), sec.id
            small = sec.data[sec.data.aanbieder == "Klein Praktijk"]
            assert small.empty or (small.n.isna().all() and small.k.isna().all()), sec.id
        if sec.table is not None and "Aanbieder" in sec.table:
            table = shown_text(sec.table)
            row = table[table.Aanbieder == "Klein Praktijk"].iloc[0]
            text = " ".join(row.astype(str))
            # shown as '< 10' and 'te klein', never with its own count of 7
            assert re.search(r"Klein Praktijk\s+<\s*10\s+te klein\s+–\s+(–\s+)?niet beoordeeld", text), text
            assert not re.search(r"\b7\b", text)
