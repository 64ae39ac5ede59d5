"""Samenwerkingsverbanden passend onderwijs: the regulation (BWBR0032324) parsed as published, mapped through
the herindelingen to today's gemeenten (a split or merged gemeente a member of each verband it lies in,
'deels'), and a verband's report: its gemeenten named, the partial ones said, its figures the sums of its
members' CBS figures."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import read_cbs, shared_dir, text_of

from kompas_lib.prepare.regions import (
    GEBIEDEN_COLUMNS, RegionIndex, attach_verbanden, latest_classification, swv_label, verband_membership, verbanden,
)
from kompas_lib.sources import passend_onderwijs as po

FOLDER = shared_dir() / "data" / po.FOLDER
# SOURCES.md, source E: the gemeenten (names of 2015) whose postcode areas lie in more than one verband
SPLIT_PO = ['Alphen aan den Rijn', 'Alphen-Chaam', 'Bronckhorst', 'Drimmelen', 'Heeze-Leende', 'Kaag en Braassem',
            'Midden-Delfland', 'Montferland', 'Rotterdam', 'Staphorst', 'Zuidplas', 'Zwartewaterland']
SPLIT_VO = ['Alphen-Chaam', 'Bronckhorst', 'De Friese Meren', 'Heerenveen', 'Heeze-Leende', 'Krimpenerwaard',
            'Midden-Delfland', 'Montferland', 'Rheden', 'Rotterdam', 'Sudwest Fryslan', 'Tynaarlo', 'Zuidplas']


@pytest.fixture(scope="module")
def regulation():
    if not (FOLDER / po.REGULATION).is_dir():
        pytest.skip("the regulation BWBR0032324 is not beside the CBS snapshot")
    return po.read_newest(FOLDER.parent / "cbs")


# --- the regulation as published -------------------------------------------------------------------

def test_the_newest_version_has_76_po_and_74_vo_verbanden_and_the_split_gemeenten(regulation):
    assert regulation.version == "2015-04-23"
    t = regulation.table
    assert len(t) == 4046 and t["pc4"].is_unique and t["gemeente"].nunique() == 393
    assert len(regulation.codes("PO")) == 76 and len(regulation.codes("VO")) == 74
    assert regulation.codes("PO")[0] == "PO2001" and regulation.codes("VO")[-1] == "VO3106"
    assert regulation.split("PO") == SPLIT_PO and regulation.split("VO") == SPLIT_VO
    europoort = t[t["PO"].isna() | t["VO"].isna()]  # in no verband: no inhabitants
    assert list(europoort["pc4"]) == ["3197", "3198", "3199"] and set(europoort["gemeente"]) == {"Rotterdam"}


def test_the_2013_version_has_the_same_codes_and_no_names_either(regulation):
    path = FOLDER / po.REGULATION / "2013-10-01" / "README.md"
    b = po.parse_bijlagen(path.read_text(encoding="utf-8"), path)
    for kind in po.KINDS:
        assert sorted(b.loc[b["kind"] == kind, "code"].unique()) == regulation.codes(kind)
    assert set(b["gemeente"]).isdisjoint(set(b["code"]))  # the column holds gemeenten; no verband has a name
    tynaarlo = b[(b["gemeente"] == "Tynaarlo") & (b["kind"] == "VO") & ~b["behalve"]].iloc[0]
    t = regulation.table
    assert set(tynaarlo["postcodes"]) == set(t[(t["gemeente"] == "Tynaarlo") & (t["VO"] == tynaarlo["code"])]["pc4"])


def test_without_the_folder_there_are_no_verbanden_and_no_error(tmp_path):
    (tmp_path / "cbs").mkdir()
    assert po.folder_for(tmp_path / "cbs") is None and po.read_newest(tmp_path / "cbs") is None
    regions = pd.DataFrame([{c: None for c in GEBIEDEN_COLUMNS} | {"jaar": 2024, "gemeente_code": "GM0001"}])
    assert verbanden(latest_classification(attach_verbanden(regions, None))) == {}
    assert verbanden(latest_classification(regions)) == {}  # prepared before there were verbanden


def _regulation_copy(folder: Path, text: str = "| PC4 | gemeente | PO SWV | VO SWV |\n") -> Path:
    f = folder / po.FOLDER / po.REGULATION / "2015-04-23" / "README.md"
    f.parent.mkdir(parents=True)
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize("where", ["beside", "inside"])
def test_a_changed_regulation_changes_the_fingerprint_of_the_raw_data(tmp_path, where):
    """The regulation lies beside the snapshot (or in a demo folder, three levels down): a new version, a changed
    or a removed copy makes the prepared data out of date, as a changed CBS table does."""
    import os

    from kompas_lib.core.prepare_info import raw_fingerprint

    cbs = tmp_path / "cbs"
    (cbs / "85099NED").mkdir(parents=True)
    (cbs / "85099NED" / "85099NED.csv").write_text("ID;RegioS\n0;Utrecht\n", encoding="utf-8")
    without = raw_fingerprint(cbs)
    f = _regulation_copy(tmp_path if where == "beside" else cbs)
    assert po.folder_for(cbs) == f.parents[2]  # prepare reads the folder the fingerprint covers
    first = raw_fingerprint(cbs)
    assert first != without and raw_fingerprint(cbs) == first
    st = f.stat()
    f.write_text(f.read_text(encoding="utf-8") + "| 3511 | Utrecht | PO2601 | VO2601 |\n", encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same time: the size tells
    changed = raw_fingerprint(cbs)
    assert changed != first
    newer = f.parents[1] / "2016-01-01" / "README.md"
    newer.parent.mkdir()
    newer.write_text("x", encoding="utf-8")
    with_newer = raw_fingerprint(cbs)
    assert with_newer not in (first, changed)
    (f.parents[1] / ".tmp-download").write_text("x", encoding="utf-8")  # hidden: a download under way
    assert raw_fingerprint(cbs) == with_newer
    import shutil

    shutil.rmtree(f.parents[2])
    assert raw_fingerprint(cbs) == without


# --- mapping to today's gemeenten (synthetic) ------------------------------------------------------

def _index():
    rows = [("GM0001", "Aadorp", 50_000), ("GM0002", "Beekstad", 20_000), ("GM0003", "Cedam", 30_000),
            ("GM0004", "Dijkveld", 10_000)]
    regions = pd.DataFrame([{c: None for c in GEBIEDEN_COLUMNS} | {"jaar": 2024, "gemeente_code": c,
                                                                  "gemeente_naam": n, "gemeente_titel": n,
                                                                  "inwoners": i} for c, n, i in rows])
    herindelingen = pd.DataFrame([  # Oudwoude merged into Aadorp (2019); Eiland split over Cedam and Dijkveld
        {"jaar": 2019, "oud_code": "GM0009", "oud_naam": "Oudwoude", "nieuw_code": "GM0001", "nieuw_naam": "Aadorp",
         "soort": "samenvoeging"},
        {"jaar": 2020, "oud_code": "GM0008", "oud_naam": "Eiland", "nieuw_code": "GM0003", "nieuw_naam": "Cedam",
         "soort": "opsplitsing"},
        {"jaar": 2020, "oud_code": "GM0008", "oud_naam": "Eiland", "nieuw_code": "GM0004", "nieuw_naam": "Dijkveld",
         "soort": "opsplitsing"}])
    return regions, RegionIndex.build(regions, herindelingen), herindelingen


def test_a_gemeente_split_by_postcode_or_formed_from_two_verbanden_is_partly_in_each():
    regions, index, herindelingen = _index()
    table = pd.DataFrame([
        ("1001", "Aadorp", "PO1101", "VO1101"), ("1002", "Aadorp", "PO1101", "VO1101"),
        ("1101", "Oudwoude", "PO1102", "VO1101"),                                      # merged into Aadorp
        ("2001", "Beekstad", "PO1102", "VO1101"), ("2002", "Beekstad", "PO1102", "VO1102"),  # split by postcode
        ("3001", "Cedam", "PO1102", "VO1102"), ("4001", "Dijkveld", "PO1102", "VO1102"),
        ("5001", "Eiland", "PO1101", "VO1102"),                                        # split over Cedam, Dijkveld
        ("6001", "Nergensdorp", "PO1102", "VO1102")], columns=["pc4", "gemeente", "PO", "VO"])
    m, unknown = verband_membership(table, index, herindelingen, set(regions["gemeente_code"]))
    assert unknown == ["Nergensdorp"]
    v = verbanden(latest_classification(attach_verbanden(regions, m)))
    assert v["PO1101"].members == ("GM0001", "GM0003", "GM0004") and v["PO1101"].deels == ("GM0001", "GM0003", "GM0004")
    assert v["PO1102"].members == ("GM0001", "GM0002", "GM0003", "GM0004") and v["PO1102"].deels == (
        "GM0001", "GM0003", "GM0004")  # Beekstad lies wholly in PO1102
    assert v["VO1101"].deels == ("GM0002",) and v["VO1102"].deels == ("GM0002",)
    assert v["VO1101"].herkomst["GM0002"] == [["Beekstad", ["2001"], ["2002"], False]]
    assert v["PO1102"].herkomst["GM0001"] == [["Oudwoude", [], [], False]]
    assert v["PO1101"].herkomst["GM0003"] == [["Eiland", [], [], True]]
    # named after the largest gemeente that lies in it wholly or mostly (Aadorp's own area lies in PO1101)
    assert v["PO1101"].name == "Samenwerkingsverband PO 11-01 regio Aadorp" and swv_label("VO2708") == "VO 27-08"
    assert v["VO1102"].name == "Samenwerkingsverband VO 11-02 regio Cedam"


# --- the real snapshot -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_verbanden(real):
    if not (FOLDER / po.REGULATION).is_dir():
        pytest.skip("the regulation BWBR0032324 is not beside the CBS snapshot")
    return verbanden(latest_classification(real.regions)), latest_classification(real.regions)


def test_every_gemeente_of_today_is_in_a_po_and_a_vo_verband(real, real_verbanden):
    found, current = real_verbanden
    assert not [t for t in real.info.unmatched_region_titles if t.startswith(po.REGULATION)]
    assert sum(c.startswith("PO") for c in found) == 76 and sum(c.startswith("VO") for c in found) == 74
    for kind in po.KINDS:
        covered = {g for code, v in found.items() if code.startswith(kind) for g in v.members}
        assert covered == set(current["gemeente_code"]), kind  # no exceptions, De Fryske Marren included
    deels = {kind: {g for c, v in found.items() if c.startswith(kind) for g in v.deels} for kind in po.KINDS}
    assert len(deels["PO"]) == 21 and len(deels["VO"]) == 25  # measured: postcode splits, mergers, Haaren
    assert "GM0599" in deels["PO"] and "GM0363" in deels["PO"]  # Rotterdam by postcode, Amsterdam with Weesp
    assert found["PO2601"].members == ("GM0344",) and not found["PO2601"].deels
    assert real.info.table_metadata[po.REGULATION]["versie"] == "2015-04-23"


def _cbs_sum(snapshot_dir, names, period):
    raw = read_cbs(snapshot_dir, "85099NED")
    raw = raw[(raw["VormenVanJeugdzorg"].str.strip() == "JZ Totaal jeugdzorg") & (raw["Perioden"].str.strip() == period)]
    by_name = raw.set_index(raw["RegioS"].str.strip())
    titles = [f"{n} (gemeente)" if f"{n} (gemeente)" in by_name.index else n for n in names]  # Utrecht (gemeente)
    return sum(float(by_name.loc[t, "JongerenMetJeugdzorg_1"]) for t in titles)


@pytest.mark.parametrize("code", ["VO2101", "PO2601"])
def test_a_verbands_jeugdzorg_is_the_sum_of_its_gemeenten_in_the_cbs_file(make_real_scope, real_verbanden,
                                                                            snapshot_dir, code):
    from kompas_lib.analysis.sections import staat

    scope = make_real_scope(code)
    assert scope.focus.level == "samenwerkingsverband"
    own = scope.own_series("jongeren_jeugdzorg").set_index("period")
    names = [scope.names[g] for g in real_verbanden[0][code].members]
    assert own.loc["2023", "numerator"] == _cbs_sum(snapshot_dir, names, "2023")
    kern = staat.kerncijfers(scope)
    row = kern.data[(kern.data.indicator == "jongeren_jeugdzorg") & (kern.data.region_code == code)].iloc[0]
    assert row.numerator == _cbs_sum(snapshot_dir, names, row.period)
    text = staat.bevolking(scope).text
    assert all(n in text for n in names)
    if code == "VO2101":  # Heerenveen by postcode, Waadhoeke by merger, Leeuwarden also with part of Littenseradiel
        assert "5 gemeenten liggen maar voor een deel in VO 21-01" in text
        assert "Heerenveen (postcodes 8491, 8494 en 8495; de rest hoort bij VO 21-02)" in text
        assert "hele cijfers mee" in text and "niets naar rato" in text


def test_a_po_verband_report_names_its_gemeenten_and_says_rotterdam_lies_partly_in_it(real, snapshot_dir,
                                                                                      tmp_path_factory):
    """End to end (papermill): the report of PO 28-03 (Westland, Midden-Delfland and Rotterdam's postcode 3151)."""
    from kompas_lib.pipeline.run import run_one

    r = run_one("PO2803", processed=real.out_dir, out_root=tmp_path_factory.mktemp("rep_swv"))
    assert r.ok, r.message
    text = " ".join(text_of(r.report.read_text(encoding="utf-8")).split())
    assert "Samenwerkingsverband PO 28-03 regio Westland bestaat nu uit 3 gemeenten: Midden-Delfland, Rotterdam, " \
           "Westland." in text
    assert "Rotterdam (postcode 3151; de rest hoort bij PO 28-06 en PO 28-08)" in text
    assert "Midden-Delfland (postcode 3155; de rest hoort bij PO 28-02)" in text
    data = pd.read_csv(Path(r.report).parent / "data" / "alle_indicatoren.csv", sep=";", decimal=",",
                       encoding="utf-8-sig")
    row = data[(data.indicator == "jongeren_jeugdzorg") & (data.region_code == "PO2803")].iloc[0]
    assert row.numerator == _cbs_sum(snapshot_dir, ["Midden-Delfland", "Rotterdam", "Westland"], str(row.period))
    for bad in ("Traceback", "NaN", " nan "):
        assert bad not in text
    # onderwijs en jeugd: the partial members marked, the verband's own row; opvallend among the PO verbanden;
    # no costs, because Rotterdam has none in the snapshot (a sum without it would be too low)
    assert "Rotterdam (deels)" in text and "PO 28-03 samen" in text
    assert "Opvallend: waar Samenwerkingsverband PO 28-03 regio Westland staat tussen de samenwerkingsverbanden PO" \
        in text and "dus in deze vergelijking meer dan één keer" in text
    assert "Voor Rotterdam staan geen kosten van jeugdzorg in de gebruikte tabellen" in text


# --- Demoland, selections, codes ----------------------------------------------------------------------

def test_demoland_has_a_verband_with_a_merged_and_a_split_gemeente(make_demo_scope, demo_processed):
    from kompas_lib.analysis import codes
    from kompas_lib.analysis.sections import staat
    from kompas_lib.pipeline.batch import select_codes

    scope = make_demo_scope("PO9201")
    text = staat.bevolking(scope).text
    assert scope.focus.name == "Samenwerkingsverband PO 92-01 regio Zandwijk"
    assert "2 gemeenten liggen maar voor een deel in PO 92-01: Kempenland (de vroegere gemeente Heidebroek; de " \
           "rest hoort bij PO 91-01) en Lindehoven (behalve postcode 9022; de rest hoort bij PO 92-02)" in text
    assert "verzonnen" in text
    members = scope.comparison.members["PO9201"]
    own = scope.own_series("jongeren_jeugdzorg")
    f = scope.ind("jongeren_jeugdzorg")
    f = f[f.region_code.isin(members) & (f.group_dim == "totaal") & (f.period_type == "jaar")]
    sums = f.groupby("period")["numerator"].sum()
    own = own[own.region_code == "PO9201"].set_index("period")
    assert len(own) >= 8 and all(own.loc[p, "numerator"] == sums.loc[p] for p in own.index)
    selected = select_codes(regio="PO9201", processed=demo_processed)
    assert selected[-1] == "PO9201" and set(selected[:-1]) == set(members) and len(members) == 7
    with pytest.raises(Exception, match="geen samenwerkingsverband passend onderwijs"):
        select_codes(regio="PO9999", processed=demo_processed)
    cat = scope.shared.catalogue
    assert cat["VO9101"] == ("Samenwerkingsverband VO 91-01 regio Waterveen", "samenwerkingsverband")
    assert codes.resolve(["po9202", "Samenwerkingsverband PO 92-02 regio Sluisbroek"], cat, scope.shared.gemeenten,
                         pd.DataFrame(columns=["jaar", "oud_code", "nieuw_code", "nieuw_naam"])) == ["PO9202"]


def test_opvallend_says_among_whom_a_verband_is_placed_and_that_partial_members_count_twice(make_demo_scope):
    from kompas_lib.analysis.methods.findings import SAME_LEVEL
    from kompas_lib.analysis.sections import signalen

    swv = make_demo_scope("PO9201")
    sec = signalen._opvallend(swv)
    assert sec.title.endswith("staat tussen de samenwerkingsverbanden PO")
    assert "bij de 10 % samenwerkingsverbanden PO met het hoogste of laagste cijfer" in sec.text
    assert "telt met haar hele cijfers mee in elk samenwerkingsverband waar zij in ligt" in sec.text
    assert "vergelijkbare gemeente" not in sec.text.replace("vergelijkbare gemeenten en de verdeling", "")
    ind = swv.catalogue.indicators["vsv"]
    row = {"ref": SAME_LEVEL, "direction": "hoger", "earlier": "2021/2022", "period": "2022/2023",
           "value": float("nan"), "ref_value": float("nan")}
    assert signalen._position_words(swv, ind, row, 0) == ("bij de 10 % samenwerkingsverbanden PO met het hoogste "
                                                           "cijfer, in schooljaar 2021/'22 en schooljaar 2022/'23")
    region = signalen.opvallend_rule(make_demo_scope("JZ91"))
    assert "10 % jeugdregio's" in region and "Elke jeugdregio telt daarbij als de som" in region
    assert "samenwerkingsverband" not in region
    gemeente = signalen.opvallend_rule(make_demo_scope("GM9001"))
    assert gemeente == signalen.OPVALLEND_RULE and "jeugdregio" not in gemeente
