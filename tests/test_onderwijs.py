"""Onderwijs en jeugd (issue 25): the leerplicht and wachttijden templates, block 1's onderwijs sections,
block 4's wachttijden, and Demoland filling both templates."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from kompas_lib.analysis import cells
from kompas_lib.analysis.sections import leerplicht, onderwijs, wachttijden
from kompas_lib.sources.local import LocalData, OwnFile
from kompas_lib.sources.sjablonen import SPECS, TemplateError, load, template

LP_HEADER = ";".join(SPECS["leerplicht"].names)
W_HEADER = ";".join(SPECS["wachttijden"].names)
KNOWN = {"GM0344": "Utrecht", "GM0345": "Veenendaal"}


def write(tmp_path, header: str, *rows: str, name: str = "f.csv"):
    p = tmp_path / name
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def lp_row(code="GM0344", jaar="2023/2024", **counts) -> str:
    cells_ = dict.fromkeys(SPECS["leerplicht"].names, "") | {"regio_code": code, "schooljaar": jaar}
    cells_.update({k: str(v) for k, v in counts.items()})
    return ";".join(cells_[n] for n in SPECS["leerplicht"].names)


def test_the_shipped_templates_have_the_spec_columns():
    assert list(template("leerplicht").columns) == SPECS["leerplicht"].names
    assert list(template("wachttijden").columns) == SPECS["wachttijden"].names
    assert {"vrijstelling_5a", "vrijstelling_5b", "vrijstelling_15", "thuiszitters", "leerlingen_sbo",
            "leerlingen_so"} <= set(SPECS["leerplicht"].names)


def test_a_good_leerplicht_file_is_read_with_gemeente_and_verband_codes(tmp_path):
    p = write(tmp_path, LP_HEADER, lp_row(leerplichtigen="55000", thuiszitters="120", leerlingen_bao_sbo="29720",
                                          leerlingen_sbo="700"),
              lp_row("PO2601", leerplichtigen="1.234,0"), lp_row("VO2601", "2022/2023", absoluut_verzuim="3"))
    df = load(p, "leerplicht", KNOWN)
    assert list(df["regio_code"]) == ["GM0344", "PO2601", "VO2601"]
    assert list(df["schooljaar"]) == ["2023/2024", "2023/2024", "2022/2023"]
    assert df["leerplichtigen"].tolist()[:2] == [55000, 1234]  # numbers as people type them (entry.py)
    assert pd.isna(df.at[0, "absoluut_verzuim"])


@pytest.mark.parametrize("jaar, words", [
    ("2023/'24", "schrijf een schooljaar als beginjaar/eindjaar met vier cijfers, 2023/2024"),
    ("2023-2024", "schrijf een schooljaar als beginjaar/eindjaar met vier cijfers, 2023/2024"),
    ("2023/2025", "het tweede jaar moet direct op het eerste volgen, bijvoorbeeld 2023/2024"),
    ("2023", "'2023' is geen schooljaar; schrijf het als beginjaar/eindjaar"),
])
def test_a_schooljaar_has_one_written_form(tmp_path, jaar, words):
    p = write(tmp_path, LP_HEADER, lp_row(jaar=jaar, thuiszitters=5))
    with pytest.raises(TemplateError) as e:
        load(p, "leerplicht", KNOWN)
    assert e.value.problems == [f"{p}: regel 2: kolom 'schooljaar': " + e.value.problems[0].split("'schooljaar': ")[1]]
    assert words in e.value.problems[0]


def test_bad_leerplicht_rows_get_one_message_each_with_line_and_column(tmp_path):
    p = write(tmp_path, LP_HEADER, lp_row("PO 26-01", thuiszitters=1), lp_row("GM0343", thuiszitters=1),
              lp_row(leerplichtigen=100, thuiszitters=150), lp_row("GM0345"), lp_row(thuiszitters=2),
              lp_row("XX01", leerlingen_bao_sbo=10, leerlingen_sbo=20))
    with pytest.raises(TemplateError) as e:
        load(p, "leerplicht", KNOWN)
    assert e.value.problems == [
        f"{p}: regel 2: kolom 'regio_code': 'PO 26-01' is geschreven zoals DUO het doet; schrijf de code zonder "
        "spatie en streepje: PO2601",
        f"{p}: regel 3: kolom 'regio_code': gemeentecode GM0343 is onbekend (bedoelt u GM0344 Utrecht?)",
        f"{p}: regel 4: kolom 'thuiszitters': thuiszitters = 150 is meer dan leerplichtigen = 100; het deel kan "
        "niet groter zijn dan het geheel",
        f"{p}: regel 5: kolommen leerplichtigen tot en met leerlingen_so: alle leeg; vul er minstens één in",
        f"{p}: regel 6: kolommen regio_code, schooljaar: dezelfde combinatie als op regel 4; elke combinatie mag "
        "maar één keer voorkomen",
        f"{p}: regel 7: kolom 'regio_code': 'XX01' is geen regiocode; schrijf een gemeentecode (GM met 4 cijfers, "
        "bijvoorbeeld GM0344) of de code van een samenwerkingsverband passend onderwijs (PO of VO met 4 cijfers, "
        "bijvoorbeeld PO2601)",
        f"{p}: regel 7: kolom 'leerlingen_sbo': leerlingen_sbo = 20 is meer dan leerlingen_bao_sbo = 10; het deel "
        "kan niet groter zijn dan het geheel",
    ]


def test_a_wachttijden_file_is_checked_like_the_others(tmp_path):
    good = write(tmp_path, W_HEADER, "Zorg A;ambulant;2e halfjaar 2024;120;6,5;30", "Zorg A;verblijf;2024;8;14;")
    df = load(good, "wachttijden")
    assert df["wachttijd_mediaan_weken"].tolist() == [6.5, 14.0] and list(df["periode"]) == ["2024-H2", "2024"]
    bad = write(tmp_path, W_HEADER, "Zorg A;ambulant;2024;;6;", "Zorg A;ambulant;2024;10;1.500;", name="b.csv")
    with pytest.raises(TemplateError) as e:
        load(bad, "wachttijden")
    assert e.value.problems[0] == f"{bad}: regel 2: kolom 'clienten_gestart' is leeg; deze kolom is verplicht"
    assert e.value.problems[1].startswith(f"{bad}: regel 3: kolom 'wachttijd_mediaan_weken': '1.500'")
    assert e.value.problems[2].startswith(f"{bad}: regel 3: kolommen aanbieder, zorgvorm, periode: dezelfde combinatie")


def test_the_leerplicht_table_never_shows_a_count_below_the_threshold_nor_a_rate_from_it():
    series = pd.DataFrame({c: [None, None] for c in leerplicht.LEERPLICHT_COUNTS}, index=["2022/2023", "2023/2024"],
                          dtype=float)
    series.loc[:, "leerplichtigen"] = [4000, 4100]
    series.loc[:, "thuiszitters"] = [12, 7]
    series.loc[:, "leerlingen_bao_sbo"] = [2000, 2050]
    series.loc[:, "leerlingen_sbo"] = [40, 3]
    table, data = leerplicht.table(series, threshold=10)
    rows = table.set_index("Maat")
    assert rows.at["Thuiszitters", "2022/'23"] == cells.count(12)
    assert isinstance(rows.at["Thuiszitters", "2023/'24"], cells.Suppressed)
    assert isinstance(rows.at["Thuiszitters per 1.000 leerplichtigen", "2023/'24"], cells.Suppressed)
    assert rows.at["Thuiszitters per 1.000 leerplichtigen", "2022/'23"].x == pytest.approx(3.0)
    assert rows.at["Deelname sbo (%)", "2022/'23"].x == pytest.approx(2.0)  # sbo / (bao + sbo), as DUO computes it
    assert isinstance(rows.at["Deelname sbo (%)", "2023/'24"], cells.Suppressed)
    assert "Absoluut verzuim (niet ingeschreven)" not in rows.index  # never filled: no row
    shown = data.dropna(subset=["waarde"])
    assert not ((shown["maat"] == "Thuiszitters") & (shown["waarde"] < 10)).any()


def test_wachttijden_hide_small_rows_and_the_total_does_not_reveal_them():
    df = pd.DataFrame({"aanbieder": ["B", "A", "A"], "zorgvorm": ["verblijf", "ambulant", "ambulant"],
                       "periode": ["2024", "2024", "2023"], "clienten_gestart": [4.0, 120.0, 100.0],
                       "wachttijd_mediaan_weken": [20.0, 6.0, 4.5], "wachtend_einde_periode": [2.0, 30.0, None]})
    table, data, periods = wachttijden.table(df, 10)
    assert list(table["Aanbieder"]) == ["A", "B"]  # alphabetical, never ranked
    assert isinstance(table.at[1, "Weken 2024"], cells.Suppressed) and isinstance(table.at[1, "Begonnen (laatste periode)"],
                                                                                 cells.Suppressed)
    assert data.loc[data["aanbieder"] == "B", ["clienten_gestart", "wachttijd_mediaan_weken"]].isna().all().all()
    text = wachttijden._text(df, periods, 10)
    assert "In 2024 begonnen 120 cliënten" in text and "124" not in text
    assert "1 van de 1 combinaties" in text  # 4,5 -> 6 weeks: more than a week longer


def test_demoland_fills_both_templates_and_the_demo_report_shows_them(demo_scope, demo_prepared):
    raw = demo_prepared.raw
    lp = load(raw / "leerplicht.csv", "leerplicht", dict(zip(demo_scope.shared.current["gemeente_code"],
                                                             demo_scope.shared.current["gemeente_naam"])))
    assert len(load(raw / "wachttijden.csv", "wachttijden")) > 0
    assert demo_scope.local.leerplicht.present and demo_scope.local.wachttijden.present
    sections = onderwijs.secties(demo_scope)
    ids = [s.id for s in sections]
    assert ids == ["onderwijs_naast_elkaar", "onderwijs_speciaal", "leerplicht"]
    own = lp[lp["regio_code"] == "GM9001"].sort_values("schooljaar")
    text = sections[2].text
    assert f"{int(own['thuiszitters'].iloc[-1])} thuiszitters" in text
    assert "niet goed of slecht" in text  # the seed's caution on the deelnamepercentage
    side = sections[0].data.set_index("code")
    assert side.at["GM9001", "thuiszitters"] == own["thuiszitters"].iloc[-1]
    pupils = demo_scope.ind("leerlingen_bo_sbo")
    last = pupils[pupils["region_code"] == "GM9001"].sort_values("period_start").iloc[-1]
    assert side.at["GM9001", "leerlingen_bo_sbo"] == last["numerator"]
    w = wachttijden.secties(demo_scope)
    assert [s.id for s in w] == ["wachttijden"] and "Gezinshuis Het Anker" in set(w[0].table["Aanbieder"])


def test_without_the_files_partners_get_one_line_and_the_analyst_the_template(demo_scope):
    bare = dataclasses.replace(demo_scope, local=LocalData())
    lp = leerplicht.leerplicht(bare)
    assert [s.id for s in lp] == ["leerplicht_ontbreekt", "leerplicht_sjabloon"]
    assert lp[1].for_analyst and list(lp[1].table["Kolom"]) == SPECS["leerplicht"].names
    w = wachttijden.secties(bare)
    assert [s.id for s in w] == ["wachttijden_ontbreekt", "wachttijden_sjabloon"] and w[1].for_analyst
    broken = dataclasses.replace(demo_scope, local=LocalData(wachttijden=OwnFile("wachttijden", "w.csv", None,
                                                                                 "1 probleem gevonden:\nw.csv: regel 2")))
    assert [s.id for s in wachttijden.secties(broken)] == ["wachttijden_probleem"]


def test_pupils_per_woongemeente_equal_the_cbs_file(real, snapshot_dir):
    from conftest import read_cbs

    raw = read_cbs(snapshot_dir, "85701NED")
    raw = raw[(raw["Onderwijssoort"] == "Totaal (speciaal) basisonderwijs") & (raw["Regiokenmerken"] == "Utrecht (gemeente)")]
    f = real.facts
    ours = f[(f["indicator"] == "leerlingen_bo_sbo") & (f["region_code"] == "GM0344")]
    assert len(ours) == len(raw) == 14
    assert dict(zip(ours["period"].str[:4], ours["numerator"])) == {p[:4]: float(v) for p, v in
                                                                    zip(raw["Perioden"], raw["LeerlingenStudenten_1"])}
    nl = f[(f["indicator"] == "deelname_sbo") & (f["region_code"] == "NL01") & (f["period"] == "2021/2022")]
    assert nl["value"].iloc[0] == pytest.approx(35399 / 1406333 * 100)
    special = f[f["indicator"] == "leerlingen_speciale_scholen"]
    assert set(special["region_code"].str[:2]) <= {"NL", "LD", "PV", "GM"}  # never per gemeente beyond the G4
    assert special.loc[special["region_code"].str.startswith("GM"), "region_code"].nunique() <= 4
