"""Issue 28 end to end: with the fixture server standing in for CBS, ``kompas fetch`` and what ``make report``
runs (``kompas prepare --bron auto``, then ``kompas run --bron auto --gemeente <default_gemeente()>``) work
with only OData v4 answering, with only OData v3, and with neither; the report's front page and every block's
header name the source actually used.

CBS is played by ``fixture_server`` with v3 and v4 answers generated at test time (``odata_v4_fixtures``)
from the real snapshot (../shared/data/cbs, read, never copied): every table of the catalogue the snapshot
holds in the OData layout, cut to the gemeenten of provincie Utrecht with their provincie, jeugdregio's,
landsdeel and Nederland (wijk tables: Nederland and the wijken of those gemeenten), and to whole cubes where
the snapshot is cut at 10.000 rows. 70072NED (a StatLine download in the snapshot) and 85097NED (not in it)
are not served: the stand-in 'does not know' them. Each scenario has a project folder of its own
(KOMPAS_HOME, KOMPAS_PROCESSED_DIR, KOMPAS_REPORTS_DIR) and no KOMPAS_CBS_DIR.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import ROOT, shared_dir, text_of
from fixture_server import FixtureServer

import odata_v4_fixtures as fx
from kompas_lib import cli
from kompas_lib.core import paths
from kompas_lib.core.registry import load_registry
from kompas_lib.presentation.view import fmt_date

CBS = shared_dir() / "data" / "cbs"
RECORDED = shared_dir() / "data" / "odata_fixtures" / "CBSOData3.jl" / "test"
PROVINCIE = "PV26"  # Utrecht: 26 gemeenten, 6 jeugdregio's
FIXED = {"Nederland", "Utrecht (PV)", "West-Nederland (LD)"}
GEO = ("RegioS", "Regio", "Regiokenmerken", "Wijken", "WijkenEnBuurten")
NOT_SERVED = {"70072NED", "85097NED"}


# ---------------------------------------------------------------- CBS's tables, cut to one provincie


def _region_titles() -> tuple[set[str], set[str]]:
    """Titles of the regions served (the provincie's gemeenten of every Gebieden year, the fixed ones and the
    jeugdregio's of those gemeenten) and the 4-digit numbers of its gemeenten (for the wijk tables' codes)."""
    titles, numbers = set(FIXED), set()
    for t in load_registry().gebieden_tables.values():
        g = pd.read_csv(CBS / t / f"{t}.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        code = {p: next(c for c in g.columns if g[c].str.strip().str.startswith(p).all()) for p in ("PV", "JZ")}
        mine = g[g[code["PV"]].str.strip() == PROVINCIE]
        titles |= set(mine["RegioS"])
        numbers |= {c.strip()[2:] for c in mine["Code_1"]}
        jz_name = g.columns[g.columns.get_loc(code["JZ"]) + 1]
        titles |= {f"{n.strip()} (JZ)" for n in mine[jz_name]}
    return titles, numbers


def cut(df: pd.DataFrame, titles: set[str], numbers: set[str]) -> pd.DataFrame:
    """The rows of the served regions, then only whole cubes: a value of a dimension with fewer rows than
    the others of that dimension (the snapshot's 10.000-row cut) goes, outer dimensions first."""
    dims = [c for c in df.columns[1:] if not re.search(r"_\d+$", c)]
    geo = next((d for d in dims if d in GEO), None)
    codes = [c for c in df.columns if c.startswith("Codering")]
    if codes:  # wijk tables: by code; a wijk title that occurs twice keeps its first gemeente
        code = df[codes[0]].str.strip()
        df = df[(code == "NL01") | code.str[2:6].isin(numbers)]
        df = df[~df.duplicated(dims)]
    elif geo:
        df = df[df[geo].isin(titles)]
    while len(df) != math.prod(df[d].nunique() for d in dims):
        for d in dims:
            counts = df[d].value_counts()
            short = counts[counts < counts.max()].index
            if len(short):
                df = df[~df[d].isin(short)]
                break
    return df


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """{table id: the slice served (CSV path)} and the v3 + v4 documents of all of them."""
    if not CBS.is_dir() or not RECORDED.is_dir():
        pytest.skip("real CBS snapshot or recorded OData answers not available (../shared/data)")
    folder = tmp_path_factory.mktemp("cbs_slices")
    titles, numbers = _region_titles()
    registry = load_registry()
    names = {t.id: c.titel for c in registry.concepts.values() for t in c.tables}
    names |= {t: "Gebieden in Nederland" for t in registry.gebieden_tables.values()}
    slices, docs = {}, dict(fx.service_docs())
    for table_id in registry.all_table_ids():
        csv = CBS / table_id / f"{table_id}.csv"
        if table_id in NOT_SERVED:
            continue
        df = pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        slices[table_id] = folder / f"{table_id}.csv"
        cut(df, titles, numbers).to_csv(slices[table_id], sep=";", index=False, encoding="utf-8-sig")
        model = fx.model_from_snapshot(slices[table_id], table_id, names.get(table_id, table_id))
        docs |= fx.v3_docs(model) | fx.v4_docs(model)
    return SimpleNamespace(slices=slices, docs=docs)


@pytest.fixture(scope="module")
def cbs(served):
    """The stand-in for CBS, and the environment every scenario shares (no KOMPAS_CBS_DIR, the project's
    notebooks, no waiting between retries)."""
    import kompas_lib.sources.live as live

    with FixtureServer(RECORDED) as server, pytest.MonkeyPatch.context() as mp:
        server.docs.update(served.docs)
        mp.delenv("KOMPAS_CBS_DIR", raising=False)
        mp.setenv("KOMPAS_CBS_V3_URL", f"http://{server.host}")
        mp.setenv("KOMPAS_CBS_V4_URL", f"http://{server.host}/odata/v1")
        mp.setenv("KOMPAS_NOTEBOOKS_DIR", str(ROOT / "notebooks"))
        mp.setattr(live, "time", SimpleNamespace(sleep=lambda s: None))  # retries without their 1, 2, 4 s
        yield server


@contextlib.contextmanager
def project(home: Path):
    """A project folder of its own: the live cache (data/raw/cbs), Demoland, prepared data and reports."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOMPAS_HOME", str(home))
        mp.setenv("KOMPAS_PROCESSED_DIR", str(home / "data" / "processed"))
        mp.setenv("KOMPAS_REPORTS_DIR", str(home / "reports"))
        yield home


def kompas(*argv: str) -> SimpleNamespace:
    """``kompas <argv>`` in this process: exit code, stdout, stderr (no traceback allowed in either)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    result = SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())
    assert "Traceback" not in result.out + result.err, result.err
    return result


def make_report() -> SimpleNamespace:
    """What ``make report`` runs (Makefile): prepare, then run for the default gemeente (Utrecht with CBS data,
    the first Demoland gemeente with the demo)."""
    prepared = kompas("prepare", "--bron", "auto")
    assert prepared.code == 0, prepared.err
    gemeente = cli.default_gemeente()
    run = kompas("run", "--bron", "auto", "--gemeente", gemeente)
    assert run.code == 0, run.err
    home = paths.project_root()
    (report,) = (home / "reports").glob("*/rapport.html")
    html = report.read_text(encoding="utf-8")
    processed = json.loads((home / "data" / "processed" / "prepare.json").read_text(encoding="utf-8"))
    return SimpleNamespace(gemeente=gemeente, prepare=prepared, run=run, report=report, html=html,
                           text=re.sub(r"\s+", " ", text_of(html)), processed=processed)


def raw_json(home: Path) -> dict[str, dict]:
    cache = home / "data" / "raw" / "cbs"
    return {f.parent.name: json.loads(f.read_text(encoding="utf-8")) for f in sorted(cache.glob("*/*.json"))}


def scenario(cbs, home: Path, down: set[str]) -> SimpleNamespace:
    """``kompas fetch`` of the served tables with ``down`` not answering, then ``make report``."""
    cbs.down, cbs.requests[:] = down, []
    try:
        with project(home):
            fetched = kompas("fetch", *served_ids(cbs))
            requests = list(cbs.requests)
            made = make_report()
            return SimpleNamespace(home=home, fetch=fetched, requests=requests, meta=raw_json(home), **vars(made))
    finally:
        cbs.down = set()


def served_ids(cbs) -> list[str]:
    ids = {m[1].upper() for p in cbs.docs if (m := re.fullmatch(r"/odata/v1/cbs/(\w+)", p))}
    return [t for t in load_registry().all_table_ids() if t in ids]


@pytest.fixture(scope="module")
def only_v4(cbs, tmp_path_factory):
    return scenario(cbs, tmp_path_factory.mktemp("alleen_v4"), {"v3"})


@pytest.fixture(scope="module")
def only_v3(cbs, tmp_path_factory):
    return scenario(cbs, tmp_path_factory.mktemp("alleen_v3"), {"v4"})


def front(text: str) -> str:
    """The line under the title: '… · gemaakt op D · bron: X' up to the first note."""
    return re.search(r"gemaakt op [^·]+ · bron: ([^·]+?\)) ", text)[1]


def block_sources(text: str) -> set[str]:
    """The source named under each block's title."""
    return set(re.findall(r"· bron: ([^·]+?\)) · gemaakt op", text))


def same_as_served(served, home: Path) -> list[str]:
    """Tables whose fetched CSV differs from the slice served (the ID column aside)."""
    differ = []
    for table_id, path in served.slices.items():
        read = dict(sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        a = pd.read_csv(path, **read).drop(columns="ID").reset_index(drop=True)
        b = pd.read_csv(home / "data" / "raw" / "cbs" / table_id / f"{table_id}.csv", **read).drop(columns="ID")
        if not a.equals(b):
            differ.append(table_id)
    return differ


def _utrecht_in_natura(served) -> float:
    """Utrecht's share with jeugdhulp in natura in 2023 (the key figures' year) in the 85098NED served."""
    df = pd.read_csv(served.slices["85098NED"], sep=";", encoding="utf-8-sig", dtype=str)
    row = df[(df.RegioS == "Utrecht (gemeente)") & (df.Perioden == "2023")]
    return float(row.JongerenMetJeugdhulpInNatura_1.iloc[0])


def check_live_report(run, served, api: str) -> None:
    n = len(served.slices)
    other = {"OData v4": "OData v3", "OData v3": "OData v4"}[api]
    assert run.fetch.code == 0, run.fetch.err
    assert f"{n if api == 'OData v4' else 0} uit OData v4, {n if api == 'OData v3' else 0} uit OData v3, " \
           "0 al opgehaald, 0 niet opgehaald." in run.fetch.out
    assert {m["api"] for m in run.meta.values()} == {api} and set(run.meta) == set(served.slices)
    assert same_as_served(served, run.home) == []  # what was fetched is what CBS served
    used = run.processed["table_metadata"]
    assert used and {m["api"] for m in used.values()} == {api} and other not in json.dumps(used)
    assert run.gemeente == "GM0344" and run.report.parent.name == "GM0344-utrecht"
    label = f"CBS StatLine (live opgehaald op {fmt_date(date.today())})"
    assert front(run.text) == label and block_sources(run.text) == {label}
    assert "online opgehaald" not in run.text and "FICTIEVE" not in run.text
    assert re.search(r"CBS-tabellen bijgewerkt door CBS op \d+ \w+ 20\d\d\.", run.text)  # Dutch, not ISO
    kern = pd.read_csv(run.report.parent / "data" / "kerncijfers.csv", sep=";", decimal=",")
    row = kern[(kern.indicator == "pct_jeugdhulp_in_natura") & (kern.region_code == "GM0344")]
    assert row.value.iloc[0] == _utrecht_in_natura(served) and row.source_table.iloc[0] == "85098NED"


def test_only_v4_answering(only_v4, served):
    check_live_report(only_v4, served, "OData v4")
    assert "niet opgehaald:" not in only_v4.fetch.out and "koppeling" not in only_v4.fetch.out.split("Tabel ")[-1]


def test_only_v3_answering(only_v3, served):
    check_live_report(only_v3, served, "OData v3")
    first = served_ids_of(only_v3)[0]
    assert f"Tabel {first}: de nieuwe koppeling van CBS (OData v4) gaf geen antwoord; de oude (OData v3) wel." \
        in only_v3.fetch.out
    assert f"Na tabel {first} is de nieuwe koppeling van CBS (OData v4) niet meer gevraagd" in only_v3.fetch.out
    # v4 asked for the first table only: no 1 + 2 + 4 s of waiting for each of the others
    asked = {m[1].upper() for p in only_v3.requests if (m := re.match(r"/odata/v1/CBS/(\w+)", p, re.I))}
    assert asked == {first}


def served_ids_of(run) -> list[str]:
    return [t for t in load_registry().all_table_ids() if t in run.meta]


def test_neither_answering_and_nothing_fetched_gives_demoland(cbs, tmp_path):
    cbs.down = {"v3", "v4"}
    try:
        with project(tmp_path):
            fetched = kompas("fetch")
            assert fetched.code == 2 and fetched.out == "" and fetched.err.count("\n") == 1
            assert fetched.err == ("Fout: CBS geeft geen antwoord, via de nieuwe koppeling (OData v4) noch via de oude "
                                   "(OData v3); er is niets opgehaald en het rapport gebruikt de fictieve gegevens van "
                                   "Demoland (oefengegevens, niet echt).\n")
            made = make_report()
    finally:
        cbs.down = set()
    assert made.gemeente == cli.DEMO_GEMEENTE and made.processed["source"]["kind"] == "demo"
    label = "fictieve gegevens (Demoland)"
    assert front(made.text) == label and block_sources(made.text) == {label}
    assert "FICTIEVE GEGEVENS" in made.text and not (tmp_path / "data" / "raw" / "cbs").exists()


def test_neither_answering_uses_the_earlier_fetched_copy(cbs, only_v4, tmp_path):
    """A copy fetched nine days ago (only_v4's tables, their fetch time moved back): kompas fetch names it,
    and the report made from it says it is an earlier copy of that day, on its front page and every block."""
    cache = tmp_path / "data" / "raw" / "cbs"
    shutil.copytree(only_v4.home / "data" / "raw" / "cbs", cache)
    then = datetime.now(timezone.utc) - timedelta(days=9)
    for f in cache.glob("*/*.json"):
        meta = json.loads(f.read_text(encoding="utf-8"))
        f.write_text(json.dumps({**meta, "fetched_at": then.isoformat(timespec="seconds")}), encoding="utf-8")
    day = then.astimezone().date()
    cbs.down, cbs.down_mode = {"v3", "v4"}, "reset"
    try:
        with project(tmp_path):
            fetched = kompas("fetch")
            assert fetched.code == 2 and fetched.err.count("\n") == 1
            assert fetched.err.endswith(f"het rapport gebruikt de eerder opgehaalde CBS-tabellen van {day.isoformat()} "
                                        f"(in {cache.resolve()}).\n")
            made = make_report()
    finally:
        cbs.down, cbs.down_mode = set(), "http503"
    label = f"CBS StatLine (eerder opgehaalde kopie van {fmt_date(day)})"
    assert made.gemeente == "GM0344" and made.processed["source"]["kind"] == "live"
    assert front(made.text) == label and block_sources(made.text) == {label}
    assert "live opgehaald" not in made.text and "FICTIEVE" not in made.text
