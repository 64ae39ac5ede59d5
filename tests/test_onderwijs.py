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
    sbo = "Deelname sbo (% van de leerlingen in basisonderwijs en sbo)"
    assert rows.at[sbo, "2022/'23"].x == pytest.approx(2.0)  # sbo / (bao + sbo), as DUO computes it
    assert isinstance(rows.at[sbo, "2023/'24"], cells.Suppressed)
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


def test_a_verbands_code_is_checked_against_the_known_verbanden_when_there_are_any(tmp_path):
    """A PO/VO code is checked like a gemeente code when the prepared data know the verbanden (same message, the
    nearest code suggested); without them (no regulation) only its form is checked."""
    p = write(tmp_path, LP_HEADER, lp_row("PO2610", thuiszitters=12), lp_row("VO2601", thuiszitters=12),
              lp_row("VO9999", thuiszitters=12), lp_row("PO2601", thuiszitters=12))
    known = KNOWN | {"PO2601": "Samenwerkingsverband PO 26-01 regio Utrecht",
                     "VO2601": "Samenwerkingsverband VO 26-01 regio Utrecht"}
    with pytest.raises(TemplateError) as e:
        load(p, "leerplicht", known)
    assert e.value.problems == [
        f"{p}: regel 2: kolom 'regio_code': samenwerkingsverband PO2610 is onbekend (bedoelt u PO2601, "
        "Samenwerkingsverband PO 26-01 regio Utrecht?)",
        f"{p}: regel 4: kolom 'regio_code': samenwerkingsverband VO9999 is onbekend; zoek de code op met "
        "'kompas regions'",
    ]
    assert len(load(p, "leerplicht", KNOWN)) == 4  # no verbanden known: the form is right


def test_a_report_checks_the_leerplicht_files_verband_codes_against_the_prepared_data(make_demo_scope, demo_prepared,
                                                                                      tmp_path):
    src = (demo_prepared.raw / "leerplicht.csv").read_text(encoding="utf-8-sig").splitlines()
    header = src[0].split(";")
    row = dict(zip(header, src[1].split(";"))) | {"regio_code": "PO9102"}  # Demoland has PO9101, not PO9102
    f = write(tmp_path, src[0], src[1], ";".join(row[h] for h in header), name="leerplicht.csv")
    params = tmp_path / "p.yml"
    params.write_text(f"gemeente: PO9101\nlokale_gegevens:\n  leerplicht: {f}\n", encoding="utf-8")
    scope = make_demo_scope("PO9101", params)
    assert "regel 3: kolom 'regio_code': samenwerkingsverband PO9102 is onbekend (bedoelt u PO9101, " \
           "Samenwerkingsverband PO 91-01 regio Waterveen?)" in scope.local.leerplicht.problem
    row["regio_code"] = "PO9101"
    f.write_text("\n".join([src[0], src[1], ";".join(row[h] for h in header)]) + "\n", encoding="utf-8")
    assert make_demo_scope("PO9101", params).local.leerplicht.problem is None


def test_an_ambition_can_be_set_on_vsv_and_on_the_pupils(make_demo_scope, tmp_path):
    """Block 2 judges a result on voortijdig schoolverlaten (a percentage per schooljaar) and on the pupils in bo
    and sbo (a count): the schooljaar is named as such, a count's margin has no decimals, and a figure follows."""
    from kompas_lib.analysis.sections import resultaat

    params = tmp_path / "p.yml"
    params.write_text("""gemeente: GM9001
ambities:
  - ambitie: We willen dat meer jongeren een startkwalificatie halen.
    bron: Raadsbesluit 1 januari 2024
    resultaten:
      - id: R1
        titel: Minder voortijdig schoolverlaters
        soort: inhoudelijk
        indicatoren:
          - {indicator: vsv, richting: lager, basis: {periode: 2019/2020}, doel: 2.0, doeljaar: 2027}
      - id: R2
        titel: Meer kinderen op de basisschool in de eigen gemeente
        soort: inhoudelijk
        indicatoren:
          - {indicator: leerlingen_bo_sbo, richting: hoger, basis: {periode: 2020/2021}, doel: 30000, doeljaar: 2028}
""", encoding="utf-8")
    scope = make_demo_scope("GM9001", params)
    table, judged, _ = resultaat.assess(scope)
    assert [d.spec.indicator for d in judged] == ["vsv", "leerlingen_bo_sbo"]
    assert {d.judgement.verdict for d in judged} <= {resultaat.OP_KOERS, resultaat.NIET_OP_KOERS, resultaat.ONZEKER}
    vsv, pupils = table.to_dict("records")
    assert "(schooljaar 2019/'20) naar 2,0\xa0% in schooljaar 2027/'28" in vsv["Norm"]
    assert "(schooljaar 20" in vsv["Laatste meting"] and "(norm schooljaar 20" in vsv["Oordeel"]
    assert pupils["Norm"].endswith("naar 30.000 in schooljaar 2028/'29")
    low, high = pupils["Laatste meting"].split("marge ")[1].split("–")
    assert "," not in low + high  # a count's margin in whole pupils
    base = judged[1].series.set_index("label")
    assert judged[1].base_value == base.at["schooljaar 2020/'21", "value"]  # the baseline taken from the data
    assert [s.id for s in resultaat.resultaat_figuren(scope)] == ["resultaat_R1_vsv", "resultaat_R2_leerlingen_bo_sbo"]


def test_a_verbands_side_by_side_marks_partial_members_and_sums_only_whole_years(make_demo_scope):
    """PO 92-01: Kempenland and Lindehoven lie partly in it ('deels'); the verband's row is the sum of its members
    (VSV from the summed counts), never of a part; and own counts that a sum could reveal are hidden."""
    scope = make_demo_scope("PO9201")
    sec = onderwijs.naast_elkaar(scope)
    names = list(sec.table["Gemeente"])
    assert "Kempenland (deels)" in names and "Lindehoven (deels)" in names and "Zandwijk" in names
    assert names[-2:] == ["PO 92-01 samen", "Demoland"]
    data = sec.data.set_index("code")
    members = scope.comparison.members["PO9201"]
    assert data.at["PO9201", "leerlingen_bo_sbo"] == sum(data.at[c, "leerlingen_bo_sbo"] for c in members)
    vsv = scope.ind("vsv")
    last = vsv[vsv["region_code"].isin(members) & (vsv["group_dim"] == "totaal")].sort_values("period_start")
    last = last[last["period"] == last["period"].iloc[-1]]
    assert data.at["PO9201", "vsv_pct"] == pytest.approx(last["numerator"].sum() / last["denominator"].sum() * 100)
    assert "Kempenland en Lindehoven liggen maar voor een deel in PO 92-01" in sec.text
    shown = data.loc[list(members), "thuiszitters"].dropna()
    assert (shown >= scope.threshold).all()
    assert "Onderwijs en jeugd" == sec.title and "jongeren tot 18 jaar" in " ".join(sec.table.columns)


def test_a_count_that_a_sum_would_reveal_is_hidden_too():
    assert onderwijs._hidden({"a": 5, "b": 20, "c": 30}, 10, with_sum=True) == {"a", "b"}
    assert onderwijs._hidden({"a": 5, "b": 20, "c": 30}, 10, with_sum=False) == {"a"}
    assert onderwijs._hidden({"a": 5, "b": 7, "c": 30}, 10, with_sum=True) == {"a", "b"}
    assert onderwijs._hidden({"a": None, "b": 20}, 10, with_sum=True) == set()


def test_a_sum_of_leerplicht_rows_is_never_a_partial_sum():
    rows = pd.DataFrame({"regio_code": ["GM1", "GM2", "GM1", "GM2", "GM1"],
                         "schooljaar": ["2021/2022", "2021/2022", "2022/2023", "2022/2023", "2023/2024"],
                         **{c: [None] * 5 for c in leerplicht.LEERPLICHT_COUNTS}})
    rows["thuiszitters"] = [10.0, 20.0, 11.0, None, 12.0]
    rows["leerplichtigen"] = [100.0, 200.0, 110.0, 210.0, 120.0]
    out = leerplicht._summed(rows, members=2)
    assert list(out.index) == ["2021/2022", "2022/2023"]  # 2023/2024: only one of the two gemeenten
    assert out.at["2021/2022", "thuiszitters"] == 30 and pd.isna(out.at["2022/2023", "thuiszitters"])
    assert out.at["2022/2023", "leerplichtigen"] == 320


def test_the_leerplicht_table_names_what_each_vrijstelling_and_percentage_is():
    series = pd.DataFrame({c: [50.0] for c in leerplicht.LEERPLICHT_COUNTS}, index=["2023/2024"])
    series["leerplichtigen"], series["leerlingen_bao_sbo"] = 5000.0, 2500.0
    table, _ = leerplicht.table(series, 10)
    labels = list(table["Maat"])
    assert "Vrijstelling art. 5a (lichamelijke of psychische gronden)" in labels
    assert "Vervangende leerplicht (art. 3a/3b)" in labels  # no vrijstelling
    assert "Deelname sbo (% van de leerlingen in basisonderwijs en sbo)" in labels


def test_special_education_names_the_provincie_as_such(make_demo_scope):
    sec = onderwijs.speciaal_onderwijs(make_demo_scope("GM9001"))
    assert any(r.endswith("(provincie)") for r in sec.table["Regio"])
    assert "als context, niet als cijfer van Waterveen" in sec.text and "2021/'22" in sec.text
