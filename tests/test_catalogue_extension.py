"""Adding an indicator is one catalogue edit (KOMPAS_CATALOGUE names the edited copy of tables.yml).

* the demo fills a column (or a whole table) it does not know, so ``prepare`` on the demo keeps working;
* on the real snapshot the new indicator equals the CBS source value;
* a column no source has is skipped and reported in prepare.json, and prepare does not stop.

The snapshot tests use a catalogue copy with only the concept of the new indicator, so that prepare
reads a few tables (about a second) instead of the whole snapshot; the tests that use the same copy share
one preparation (a module fixture).
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import read_cbs

from kompas_lib import cli
from kompas_lib.core.registry import CATALOGUE_ENV, REGISTRY_FILE
from kompas_lib.prepare.facts import SKIP_COLUMN, SKIP_TABLE, prepare
from kompas_lib.sources import FolderSource
from kompas_lib.sources.demoland import display_id, generate_demo

CONCEPT = "trajecten_jeugdzorg"  # 82968NED (2015-2020) and 85094NED (2021-), both complete in the snapshot
COMMON = {"polariteit": "neutraal", "domein": "jeugdhulp", "blok": 1, "plaatsing": ["overzicht"]}
# a real CBS column of a table the catalogue already uses, not in the catalogue and not written by the demo
PLEEGZORG = {"concept": CONCEPT, "titel": "Trajecten pleegzorg", "eenheid": "aantal", "teller": "Pleegzorg_10",
             "definitie": "Aantal lopende trajecten pleegzorg op de peildatum.", **COMMON}
# a percentage: a new count column over a denominator the demo already writes
GEZINSGERICHT = {"concept": CONCEPT, "titel": "Gezinsgericht verblijf", "eenheid": "percentage",
                 "teller": "Gezinsgericht_11", "noemer": "TotaalJeugdhulpMetVerblijf_9",
                 "definitie": "Trajecten gezinsgericht verblijf als percentage van alle trajecten met verblijf.", **COMMON}
# a real table the demo does not know at all (national and regional figures, not per gemeente in CBS)
JR_CONCEPT = {"titel": "Jeugdreclasseringstrajecten; regio", "regio": "RegioS",
              "tables": [{"id": "82977NED", "van": 2015, "tot": None}]}
JR_VOLGENS_PLAN = {"concept": "jeugdreclassering", "titel": "Jeugdreclassering volgens plan beëindigd",
                   "eenheid": "percentage", "teller": "BeeindigingVolgensPlan_11", "noemer": "TotaalBeeindigdeTrajecten_5",
                   "definitie": "Beëindigde jeugdreclasseringstrajecten, percentage volgens plan.",
                   **COMMON, "polariteit": "hoger_beter", "domein": "veiligheid"}
NOWHERE = "BestaatNergens_99"


def write_catalogue(folder: Path, indicators: dict, concepts: dict | None = None, only: tuple = ()) -> Path:
    """A copy of tables.yml with extra indicators (and concepts); ``only`` keeps just those concepts
    and their indicators, so that prepare reads few tables."""
    path = folder / "tables.yml"
    shutil.copy(REGISTRY_FILE, path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["concepts"].update(concepts or {})
    raw["indicators"].update(indicators)
    if only:
        raw["concepts"] = {k: v for k, v in raw["concepts"].items() if k in only}
        raw["indicators"] = {k: v for k, v in raw["indicators"].items() if v["concept"] in only}
        raw.pop("verwacht_gebruik", None)  # its outcomes are not in such a narrowed catalogue
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def one(facts: pd.DataFrame, **kw) -> pd.Series:
    sel = np.logical_and.reduce([facts[k] == v for k, v in kw.items()])
    rows = facts[sel]
    assert len(rows) == 1, (kw, len(rows))
    return rows.iloc[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Demoland generated and prepared with a catalogue that has three new indicators."""
    folder = tmp_path_factory.mktemp("catalogue_demo")
    catalogue = write_catalogue(folder, {"trajecten_pleegzorg": PLEEGZORG, "pct_gezinsgericht": GEZINSGERICHT,
                                         "jr_volgens_plan": JR_VOLGENS_PLAN}, {"jeugdreclassering": JR_CONCEPT})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CATALOGUE_ENV, str(catalogue))
        manifest = generate_demo(folder / "raw")
        result = prepare(FolderSource(folder / "raw", "demo"), folder / "processed", progress=False)
    result.raw, result.manifest = folder / "raw", manifest
    return result


def test_demo_fills_a_new_count_column_with_plausible_values(demo):
    assert demo.manifest["aangevuld"]["82968NED"] == ["Pleegzorg_10", "Gezinsgericht_11"]
    assert demo.report["indicators_skipped"] == [] and demo.report["unmatched_region_titles"] == []
    f = demo.facts[demo.facts.indicator == "trajecten_pleegzorg"]
    total = demo.facts[demo.facts.indicator == "trajecten_jeugdzorg"]
    key = ["region_code", "period"]
    # the same regions and peildata as the table's other columns, every one with a figure
    assert set(map(tuple, f[key].to_numpy())) == set(map(tuple, total[key].to_numpy()))
    assert f.value.notna().all() and (f.value > 0).all() and (f.value == f.value.round()).all()
    assert set(f.source_table) == {display_id("82968NED"), display_id("85094NED")} and (f.unit == "aantal").all()
    # gemeenten add up to Demoland; a part of all trajecten; gemeenten differ
    last = f[(f.period == f.period.max()) & ~f.harmonised]
    gm = last[last.region_level == "gemeente"]
    assert gm.value.sum() == one(last, region_code="NL01").value
    share = f.set_index(key).value / total.set_index(key).value
    assert share.between(0, 1, inclusive="neither").all()
    assert gm.value.div(gm.value.mean()).std() > 0.2
    # the merged gemeente's series is put on the latest indeling like the others
    assert f[(f.region_code == "GM9040") & (f.period < "2022")].harmonised.all()
    # the filled table stays marked fictitious, with the filled columns named
    meta = json.loads((demo.raw / "85094NED" / "85094NED.json").read_text(encoding="utf-8"))
    assert meta["fictief"] and meta["title"].startswith("FICTIEF")
    assert meta["aangevuld"]["kolommen"] == ["Pleegzorg_10", "Gezinsgericht_11"]
    header = (demo.raw / "85094NED" / "85094NED.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header.index("TotaalJeugdhulpMetVerblijf_9") < header.index("Pleegzorg_10") < header.index(
        "TotaalJeugdbeschermingstrajecten_14")  # in the CBS column order


def test_demo_percentage_on_an_existing_denominator_and_a_table_it_did_not_know(demo):
    f = demo.facts
    pct = f[(f.indicator == "pct_gezinsgericht") & ~f.harmonised]
    verblijf = f[f.indicator == "trajecten_jeugdhulp_met_verblijf"].set_index(["region_code", "period"]).value
    # the denominator is the demo's own column, the percentage lies around a base rate
    assert (pct.set_index(["region_code", "period"]).denominator == verblijf.reindex(
        pd.MultiIndex.from_frame(pct[["region_code", "period"]]))).all()
    big = pct[(pct.region_level == "gemeente") & (pct.denominator >= 100)]
    assert big.value.between(1, 60).all() and big.value.std() > 0.5

    jr = f[f.indicator == "jr_volgens_plan"]
    assert set(jr.source_table) == {display_id("82977NED")} and set(jr.period_type) == {"jaar"}
    assert {"land", "provincie", "jeugdregio", "gemeente"} <= set(jr.region_level)
    assert jr.period.min() == "2015" and jr.period.max() == "2024"
    assert jr.value.between(0, 100, inclusive="neither").all() and (jr.numerator <= jr.denominator).all()
    last = jr[(jr.period == "2024") & (jr.region_level == "gemeente")]
    nl = one(jr, region_code="NL01", period="2024")
    assert (last.numerator.sum(), last.denominator.sum()) == (nl.numerator, nl.denominator)
    assert last.value.std() > 1  # spread between gemeenten
    meta = json.loads((demo.raw / "82977NED" / "82977NED.json").read_text(encoding="utf-8"))
    assert meta["fictief"] and meta["title"].startswith("FICTIEF") and meta["aangevuld"]["nieuwe_tabel"]


def test_demo_with_a_new_indicator_is_deterministic(demo, tmp_path, monkeypatch):
    catalogue = Path(demo.raw).parent / "tables.yml"
    monkeypatch.setenv(CATALOGUE_ENV, str(catalogue))
    (tmp_path / "82977NED").mkdir()  # an earlier run's table for another catalogue is replaced, not extended
    (tmp_path / "82977NED" / "82977NED.csv").write_text("ID;RegioS\n0;Demoland\n", encoding="utf-8-sig")
    (tmp_path / "82977NED" / "82977NED.json").write_text(
        json.dumps({"fictief": True, "aangevuld": {"nieuwe_tabel": True}}), encoding="utf-8")
    generate_demo(tmp_path)
    for table in ("82968NED", "85094NED", "82977NED"):
        for suffix in (".csv", ".json"):
            name = f"{table}/{table}{suffix}"
            assert (tmp_path / name).read_bytes() == (demo.raw / name).read_bytes(), name


@pytest.fixture(scope="module")
def pleegzorg_snapshot(snapshot_dir, tmp_path_factory):
    """The snapshot prepared once for this module with a catalogue of only the concept of the new
    indicator, and that indicator; the result has ``catalogue`` and ``out_dir``."""
    folder = tmp_path_factory.mktemp("catalogue_snapshot")
    catalogue = write_catalogue(folder, {"trajecten_pleegzorg": PLEEGZORG}, only=(CONCEPT,))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CATALOGUE_ENV, str(catalogue))
        result = prepare(FolderSource(snapshot_dir, "snapshot"), folder / "processed", progress=False)
    result.catalogue, result.out_dir = catalogue, folder / "processed"
    return result


def test_new_indicator_on_the_snapshot_equals_cbs(snapshot_dir, pleegzorg_snapshot):
    res = pleegzorg_snapshot
    assert res.report["indicators_skipped"] == []
    for table, title, period, region, code in [("85094NED", "30 juni 2023", "2023-06-30", "Utrecht (gemeente)", "GM0344"),
                                               ("82968NED", "31 december 2018", "2018-12-31", "Nederland", "NL01")]:
        raw = read_cbs(snapshot_dir, table)
        cell = raw[(raw.RegioS.str.strip() == region) & (raw.Perioden.str.strip() == title)]["Pleegzorg_10"]
        assert len(cell) == 1
        row = one(res.facts, indicator="trajecten_pleegzorg", region_code=code, period=period)
        assert row.value == row.numerator == float(cell.iloc[0]) and row.source_table == table
    assert one(res.facts, indicator="trajecten_pleegzorg", region_code="GM0344", period="2023-06-30").value == 245.0


def test_a_column_no_source_has_is_skipped_and_reported(snapshot_dir, tmp_path, monkeypatch, capsys):
    for table in snapshot_dir.iterdir():  # the column really exists nowhere in the snapshot
        for csv in table.glob("*.csv"):
            assert NOWHERE not in csv.open(encoding="utf-8-sig", errors="replace").readline(), csv
    broken = dict(PLEEGZORG, titel="Bestaat nergens", teller=NOWHERE)
    gone = {"concept": "bestaat_niet", "titel": "Tabel die er niet is", "eenheid": "aantal", "teller": "X_1",
            "definitie": "Een tabel die geen bron heeft.", **COMMON}
    renamed = dict(gone, concept="hernoemd", titel="Kolom die CBS hernoemde", teller=NOWHERE)
    catalogue = write_catalogue(tmp_path, {"bestaat_nergens": broken, "tabel_bestaat_niet": gone, "hernoemd": renamed},
                                {"bestaat_niet": {"titel": "Bestaat niet", "regio": "RegioS",
                                                  "tables": [{"id": "99999NED", "van": 2020, "tot": None}]},
                                 # a table all of whose indicators are skipped: no crash, the reason is printed
                                 "hernoemd": {"titel": "Hernoemd", "regio": "RegioS",
                                              "tables": [{"id": "85099NED", "van": 2021, "tot": None}]}},
                                only=(CONCEPT, "bestaat_niet", "hernoemd"))
    for name, value in [(CATALOGUE_ENV, catalogue), ("KOMPAS_CBS_DIR", snapshot_dir),
                        ("KOMPAS_PROCESSED_DIR", tmp_path / "processed")]:
        monkeypatch.setenv(name, str(value))
    assert cli.main(["prepare", "--bron", "snapshot"]) == 0
    printed = capsys.readouterr().out
    assert "Indicatoren overgeslagen: bestaat_nergens, hernoemd, tabel_bestaat_niet" in printed
    assert f"hernoemd: tabel 85099NED heeft geen kolom {NOWHERE}" in printed

    report = json.loads((tmp_path / "processed" / "prepare.json").read_text(encoding="utf-8"))
    assert report["indicators_skipped"] == [
        {"indicator": "bestaat_nergens", "table": "82968NED", "column": NOWHERE, "reason": SKIP_COLUMN},
        {"indicator": "bestaat_nergens", "table": "85094NED", "column": NOWHERE, "reason": SKIP_COLUMN},
        {"indicator": "tabel_bestaat_niet", "table": "99999NED", "column": None, "reason": SKIP_TABLE},
        {"indicator": "hernoemd", "table": "85099NED", "column": NOWHERE, "reason": SKIP_COLUMN},
    ]
    facts = pd.read_parquet(tmp_path / "processed" / "facts.parquet")
    assert "bestaat_nergens" not in set(facts.indicator)
    assert {"trajecten_jeugdzorg", "trajecten_jeugdhulp_met_verblijf"} <= set(facts.indicator)  # the rest is read


def test_new_indicator_reaches_the_real_report_overview_and_export(pleegzorg_snapshot, tmp_path, monkeypatch):
    monkeypatch.setenv(CATALOGUE_ENV, str(pleegzorg_snapshot.catalogue))
    res = pleegzorg_snapshot
    shown, exported = overview_and_export(res.out_dir, "GM0344", tmp_path / "report")
    row = shown[shown.Indicator == "Trajecten pleegzorg"].iloc[0]
    out = exported.set_index(["indicator", "region_code"]).loc[("trajecten_pleegzorg", "GM0344")]
    assert row["Domein"] == "Jeugdhulp" and row["Utrecht"] == f"{out.value:,.0f}".replace(",", ".")
    assert out.value == one(res.facts, indicator="trajecten_pleegzorg", region_code="GM0344", period=out.period).value


def test_the_shipped_catalogue_reads_everything_from_the_snapshot(real):
    assert real.report["indicators_skipped"] == []


def overview_and_export(processed: Path, code: str, out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the report shows in 'Alle indicatoren naar domein' and what it exports beside the report —
    through the same builder and show() the notebook uses."""
    from kompas_lib.analysis.sections import staat
    from kompas_lib.presentation import notebook as nb

    ctx = nb.Context(nb.load_scope(code, None, processed=processed), out_dir)
    section = staat.alle_indicatoren(ctx.scope)
    nb.show(ctx, section)
    exported = pd.read_csv(out_dir / "data" / "alle_indicatoren.csv", sep=";", decimal=",", encoding="utf-8-sig")
    from kompas_lib.presentation.cells import shown

    return shown(section.table), exported  # as the reader sees it


def test_new_indicators_reach_the_demo_report_overview_and_export(demo, tmp_path, monkeypatch):
    monkeypatch.setenv(CATALOGUE_ENV, str(demo.raw.parent / "tables.yml"))
    shown, exported = overview_and_export(demo.raw.parent / "processed", "GM9001", tmp_path)
    assert {"Trajecten pleegzorg", "Gezinsgericht verblijf"} <= set(shown.Indicator)
    assert {"trajecten_pleegzorg", "pct_gezinsgericht"} <= set(exported.indicator)
    own = exported[(exported.indicator == "trajecten_pleegzorg") & (exported.region_code == "GM9001")]
    assert len(own) == 1 and own.value.iloc[0] > 0


def test_skipped_indicators_are_explained_in_the_appendix(demo_scope):
    import dataclasses

    from kompas_lib.analysis.sections import bijlage

    assert bijlage.overgeslagen(demo_scope, 1) is None
    info = dataclasses.replace(demo_scope.prepare_info, indicators_skipped=(
        {"indicator": "vsv", "table": "84780NED", "column": "X_1", "reason": SKIP_COLUMN},))
    sec = bijlage.overgeslagen(dataclasses.replace(demo_scope, prepare_info=info), 1)
    assert list(sec.table.iloc[0]) == ["Voortijdig schoolverlaters", display_id("84780NED"), SKIP_COLUMN]


def test_every_counts_publication_rounding_is_stated_in_the_catalogue(snapshot_dir):
    """The catalogue states CBS's rounding of every count it reads, checked against the snapshot: all
    published counts are multiples of it, and no coarser rounding (5, 10, 100) is left unstated — a VSV
    count published in tens or a maatstaf in hundreds must not pass for an exact count."""
    import pandas as pd

    from kompas_lib.core.registry import load_registry

    reg = load_registry()
    checked = 0
    for ind in reg.indicators.values():
        stated = reg.rounding(ind.id) or 1
        for col in {c for k in (ind.teller, ind.noemer) if k for c in ([k] if isinstance(k, str) else k)}:
            for span in reg.concepts[ind.concept].tables:
                f = snapshot_dir / span.id / f"{span.id}.csv"
                if not f.is_file():
                    continue
                head = pd.read_csv(f, sep=";", encoding="utf-8-sig", nrows=0).columns
                if col not in head:
                    continue
                v = pd.to_numeric(pd.read_csv(f, sep=";", encoding="utf-8-sig", usecols=[col])[col],
                                  errors="coerce").dropna()
                v = v[v != 0]  # as published (a factor such as x 1.000 euro is not a rounding)
                if v.empty or not (v == v.round()).all():
                    continue  # not counts (amounts, averages)
                coarsest = max(r for r in (1, 5, 10, 100) if (v % r == 0).all())
                assert (v % stated == 0).all(), (ind.id, span.id, col, stated)
                assert coarsest <= stated, f"{ind.id}: {col} in {span.id} is rounded to {coarsest}, catalogue says {stated}"
                checked += 1
    assert checked >= 20
