"""prepare on the real CBS snapshot: facts equal the CBS source values, with their source table."""

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.core.periods import parse_period
from kompas_lib.prepare.facts import FACT_COLUMNS, prepare
from kompas_lib.sources import FolderSource


def one(facts, **kw):
    sel = pd.Series(True, index=facts.index)
    for k, v in kw.items():
        sel &= facts[k] == v
    rows = facts[sel]
    assert len(rows) == 1, (kw, len(rows))
    return rows.iloc[0]


def cbs_value(snapshot_dir, table, column, **match):
    raw = read_cbs(snapshot_dir, table)
    sel = pd.Series(True, index=raw.index)
    for k, v in match.items():
        sel &= raw[k].str.strip() == v
    assert sel.sum() == 1, match
    return float(raw.loc[sel, column].iloc[0])


def test_fact_table_has_the_design_columns(real):
    assert list(real.facts.columns) == FACT_COLUMNS
    # only a few wijk rows that CBS published without a wijk code stay unmatched
    wijk_tables = {"82964NED", "83563NED", "83782NED", "84316NED", "84615NED", "84856NED", "85075NED", "85335NED",
                   "85685NED", "85990NED"}
    # and Anna Paulowna in the pupils table 85701NED: merged into Hollands Kroon on 1 January 2012, before
    # the herindelingen the project maps (its one figure, schooljaar 2011/'12, stays out)
    older = {"85701NED: Anna Paulowna"}
    unmatched = set(real.report["unmatched_region_titles"]) - older
    assert {t.split(":")[0] for t in unmatched} <= wijk_tables
    assert real.facts["source_table"].notna().all()


def test_utrecht_jeugdhulp_in_natura_2023_equals_cbs(real, snapshot_dir):
    expected = cbs_value(snapshot_dir, "85098NED", "JongerenMetJeugdhulpInNatura_1",
                         RegioS="Utrecht (gemeente)", Perioden="2023")
    row = one(real.facts, indicator="pct_jeugdhulp_in_natura", region_code="GM0344", period="2023")
    assert row.value == expected == 15.0
    assert row.source_table == "85098NED" and row.region_level == "gemeente"


@pytest.mark.parametrize("region, code, period, table", [
    ("Nederland", "NL01", "2020", "84134NED"),
    ("Drenthe (PV)", "PV22", "2020", "84134NED"),
    ("Utrecht (gemeente)", "GM0344", "2023", "85099NED"),
    ("Schiermonnikoog", "GM0088", "2022", "85099NED"),
])
def test_jeugdzorg_counts_and_percentages_equal_cbs(real, snapshot_dir, region, code, period, table):
    count = cbs_value(snapshot_dir, table, "JongerenMetJeugdzorg_1", RegioS=region, Perioden=period,
                      VormenVanJeugdzorg="JZ Totaal jeugdzorg")
    rel = cbs_value(snapshot_dir, table, "JongerenMetJeugdzorgRelatief_2", RegioS=region, Perioden=period,
                    VormenVanJeugdzorg="JZ Totaal jeugdzorg")
    row = one(real.facts, indicator="jongeren_jeugdzorg", region_code=code, period=period)
    assert (row.numerator, row.value, row.source_table) == (count, rel, table)


def test_known_published_figures(real):
    nl = one(real.facts, indicator="jongeren_jeugdzorg", region_code="NL01", period="2020")
    assert (nl.numerator, nl.value) == (435760.0, 9.8)  # as on cbs.nl for 84134NED
    drenthe = one(real.facts, indicator="jongeren_jeugdzorg", region_code="PV22", period="2020")
    assert (drenthe.numerator, drenthe.value) == (13555.0, 11.2)


def test_half_years_and_the_2024_title_variant(real):
    row = one(real.facts, indicator="pct_jeugdhulp_in_natura", region_code="NL01", period="2024-H1")
    assert row.period_type == "halfjaar" and row.period_start == pd.Timestamp("2024-01-01")


def test_empty_cbs_cells_are_missing_with_reason_never_zero(real, snapshot_dir):
    raw = read_cbs(snapshot_dir, "85098NED")
    empty = raw[raw["JongerenMetJeugdreclassering_5"].isna()].iloc[0]
    facts = real.facts
    sel = (facts.indicator == "pct_jeugdreclassering") & (facts.region_name.notna()) & (
        facts.period == parse_period(empty.Perioden).code)
    missing = facts[sel & facts.value.isna() & ~facts.harmonised]
    assert len(missing) > 0 and set(missing.missing_reason.dropna()) <= {"leeg", "onbekend", "geheim"}
    assert not (facts.loc[facts.missing_reason.notna(), "value"] == 0).any()


def test_land_van_cuijk_harmonised_back_to_2015(real, snapshot_dir):
    preds = ["Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis"]
    raw = read_cbs(snapshot_dir, "84134NED")
    raw = raw[(raw.VormenVanJeugdzorg == "JZ Totaal jeugdzorg") & (raw.Perioden == "2015") & raw.RegioS.isin(preds)]
    assert len(raw) == 5
    expected_count = raw.JongerenMetJeugdzorg_1.astype(float).sum()
    expected_den = (raw.JongerenMetJeugdzorg_1.astype(float) / raw.JongerenMetJeugdzorgRelatief_2.astype(float) * 100).sum()
    row = one(real.facts, indicator="jongeren_jeugdzorg", region_code="GM1982", period="2015")
    assert row.numerator == expected_count
    assert row.value == pytest.approx(expected_count / expected_den * 100)
    assert row.harmonised and row.status == "herberekend"
    years = real.facts[(real.facts.indicator == "jongeren_jeugdzorg") & (real.facts.region_code == "GM1982")
                       & (real.facts.period_type == "jaar") & real.facts.value.notna()].period.tolist()
    assert years == [str(y) for y in range(2015, 2024)]
    # after the merger the CBS figure itself is used
    own = one(real.facts, indicator="jongeren_jeugdzorg", region_code="GM1982", period="2022")
    assert not own.harmonised and own.numerator == cbs_value(
        snapshot_dir, "85099NED", "JongerenMetJeugdzorg_1", RegioS="Land van Cuijk", Perioden="2022",
        VormenVanJeugdzorg="JZ Totaal jeugdzorg")


def test_definitief_wins_over_voorlopig(real, snapshot_dir):
    row = one(real.facts, indicator="jongeren_0_17", region_code="GM0344", period="2024")
    assert row.value == 70301.0 and row.status == "definitief"


def test_wijk_codes_come_from_the_code_column(real):
    wijken = real.facts[(real.facts.indicator == "jongeren_jeugdzorg_wijk") & (real.facts.region_level == "wijk")]
    assert wijken.region_code.str.match(r"^WK\d{4}[0-9A-Z]{2}$").all()  # Amsterdam uses letters since 2023
    assert (wijken.region_code.str[2:6] == "0344").any()


def test_prepare_is_idempotent_and_atomic(demo_processed, tmp_path):
    """A second preparation of the same source (the session's demo was the first) gives the same
    facts, and leaves no temporary files (the same code path as for the CBS snapshot)."""
    first = pd.read_parquet(demo_processed / "facts.parquet")
    root = json.loads((demo_processed / "prepare.json").read_text())["source"]["root"]
    prepare(FolderSource(Path(root), "demo"), tmp_path, progress=False)
    second = pd.read_parquet(tmp_path / "facts.parquet")
    pd.testing.assert_frame_equal(first, second)
    assert not list(tmp_path.glob(".*.tmp"))
    info = json.loads((tmp_path / "prepare.json").read_text())
    assert info["source"]["kind"] == "demo" and "85098NED" in info["tables_used"]


def test_sex_and_age_groups_become_group_rows(real, snapshot_dir):
    f = real.facts[(real.facts.indicator == "jongeren_jeugdzorg_peildatum") & (real.facts.period == "2024-06-30")]
    raw = read_cbs(snapshot_dir, "85095NED")
    raw = raw[raw.Perioden == "30 juni 2024"].set_index(["Geslacht", "Leeftijd"])["TotaalJongerenMetJeugdzorgInNatura_1"]
    assert one(f, group_dim="totaal").value == float(raw[("Totaal mannen en vrouwen", "Totaal")])
    assert one(f, group_dim="geslacht", group_value="Vrouwen").value == float(raw[("Vrouwen", "Totaal")])
    assert one(f, group_dim="leeftijd", group_value="12 tot 18 jaar").value == float(
        raw[("Totaal mannen en vrouwen", "12 tot 18 jaar")])
    assert one(f, group_dim="geslacht×leeftijd", group_value="Mannen | 4 tot 12 jaar").value == float(
        raw[("Mannen", "4 tot 12 jaar")])
    assert one(f, group_dim="totaal").period_type == "peildatum"


def test_national_vsv_by_origin_uses_the_total_row_as_denominator(real, snapshot_dir):
    raw = read_cbs(snapshot_dir, "85298NED")
    base = (raw.Geslacht == "Totaal mannen en vrouwen") & (raw.Herkomstland == "Totaal") & (raw.Perioden == "2024") & (
        raw.GeboortelandOuders == "Geboren buiten Nederland")
    k = float(raw[base & (raw.VoortijdigSchoolverlater == "Voortijdig schoolverlaters")].Jongeren18Tot25Jaar_1.iloc[0])
    n = float(raw[base & (raw.VoortijdigSchoolverlater == "Totaal")].Jongeren18Tot25Jaar_1.iloc[0])
    row = one(real.facts, indicator="vsv_herkomst", period="2024", group_value="Geboren buiten Nederland")
    assert (row.numerator, row.denominator) == (k * 1000, n * 1000) and row.value == pytest.approx(k / n * 100)
