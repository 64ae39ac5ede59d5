"""Block 5 on real data with an example provider file, and on the demo: national values equal CBS,
provider funnels, and suppression proven on the produced HTML and exports."""

import re

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.analysis.methods.aanbieders import COLUMNS
from kompas_lib.presentation.pipeline import run_one

pytestmark = pytest.mark.slow


def text_of(page: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)))


@pytest.fixture(scope="module")
def utrecht_outcome(real, tmp_path_factory):
    d = tmp_path_factory.mktemp("outcome")
    rows = []
    for name, n, plan in [("Aanbieder A", 220, 170), ("Aanbieder B", 180, 110), ("Aanbieder C", 140, 105),
                          ("Aanbieder D", 160, 122), ("Klein Praktijk", 7, 6)]:
        early = n - plan
        rows.append([name, "GM0344", "2024", "ambulant", n, plan, early // 2, early // 4, early - early // 2 - early // 4,
                     n // 20, n // 10, n // 2, int(n / 2 * 0.8), n // 2, int(n / 2 * 0.7)])
    pd.DataFrame(rows, columns=COLUMNS).to_csv(d / "aanbieders.csv", sep=";", index=False)
    (d / "GM0344.yml").write_text("gemeente: GM0344\naanbieders:\n  bestand: aanbieders.csv\n", encoding="utf-8")
    r = run_one("GM0344", d / "GM0344.yml", processed=real.out_dir, out_root=d / "reports")
    assert r.ok, r.message
    return r.report.parent, text_of(r.report.read_text(encoding="utf-8"))


def test_national_values_equal_cbs(utrecht_outcome, snapshot_dir):
    folder, text = utrecht_outcome
    raw = read_cbs(snapshot_dir, "85096NED")
    row = raw[(raw.VerwijzerJeugdzorg == "Totaal verwijzer") & (raw.Perioden == "2023")].iloc[0]
    expected = float(row.BeeindigdVolgensPlan_16) / float(row.TotaalBeeindigdeTrajecten_7) * 100
    data = pd.read_csv(folder / "data" / "landelijk_uitkomsten.csv", sep=";", decimal=",")
    got = data[data.indicator == "nl_beeindigd_volgens_plan"].iloc[0]
    assert got.value == pytest.approx(expected) and got.source_table == "85096NED"
    assert f"{expected:.1f}".replace(".", ",") + "\u00a0%" in text
    assert "85097NED" in text  # the missing regional table is named


def test_provider_funnels_without_ranking(utrecht_outcome):
    folder, text = utrecht_outcome
    plan = pd.read_csv(folder / "data" / "aanbieders_volgens_plan.csv", sep=";", decimal=",")
    assert list(plan.aanbieder) == sorted(plan.aanbieder)  # alphabetical, not by value
    assert set(plan.oordeel.dropna()) <= {"binnen de grenzen", "boven de grenzen", "onder de grenzen"}
    assert "Het gesprek met aanbieders" in text and "Welk verhaal hoort bij dit cijfer?" in text
    assert "ranglijst" in text and "Respons" in text


def test_small_provider_is_suppressed_in_html_and_exports(utrecht_outcome):
    folder, text = utrecht_outcome
    for f in (folder / "data").glob("aanbieders_*.csv"):
        d = pd.read_csv(f, sep=";", decimal=",")
        if "n" in d:
            assert (d.n.dropna() >= 10).all(), f.name
            small = d[d.aanbieder == "Klein Praktijk"]
            assert small.empty or (small.n.isna().all() and small.k.isna().all()), f.name
    # shown as '< 10' and 'te klein', never with its own count of 7
    assert re.search(r"Klein Praktijk\s+<\s*10\s+te klein\s+–\s+niet beoordeeld", text)
    assert not re.search(r"Klein Praktijk\s+7\b", text)


def test_demo_outcome_runs_with_several_providers(tmp_path):
    from kompas_lib.prepare.facts import prepare
    from kompas_lib.sources import FolderSource
    from kompas_lib.sources.demo import generate_demo

    generate_demo(tmp_path / "raw")
    prepare(FolderSource(tmp_path / "raw", "demo"), tmp_path / "proc", progress=False)
    r = run_one("JZ91", processed=tmp_path / "proc", out_root=tmp_path / "rep")
    assert r.ok, r.message
    text = text_of(r.report.read_text(encoding="utf-8"))
    assert "Uitkomsten per aanbieder" in text and "binnen de grenzen" in text
    plan = pd.read_csv(r.report.parent / "data" / "aanbieders_volgens_plan.csv", sep=";", decimal=",")
    assert plan.aanbieder.nunique() >= 4
