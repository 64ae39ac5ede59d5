"""The live path with CBS's OData v4 beside v3, against generated responses of both APIs served on 127.0.0.1.

The v3 and v4 answers are generated from the same slice of a real snapshot table
(``odata_v4_fixtures``), so a table must come out byte for byte the same whichever API served it.
Tables: 85098NED (half-years), 85094NED (peildata), 85095NED (subgroups: geslacht x leeftijd).
"""

import copy
import json
import socket
from datetime import date

import pytest
from conftest import shared_dir
from fixture_server import FixtureServer

import odata_v4_fixtures as fx
from kompas_lib import cli
from kompas_lib.core.errors import DataError, SourceUnavailable
from kompas_lib.core.prepare_info import PrepareInfo, SourceInfo
from kompas_lib.pipeline.assemble import source_label
from kompas_lib.sources.live import fetch_one

CBS = shared_dir() / "data" / "cbs"
RECORDED = shared_dir() / "data" / "odata_fixtures" / "CBSOData3.jl" / "test"
TABLES = {  # id -> (what it has, dimensions cut to their first n titles)
    "85098NED": ("halfjaren", {"RegioS": 6}),
    "85094NED": ("peildata", {"RegioS": 5}),
    "85095NED": ("groepen", None),  # the whole table: 525 rows
}


def model(table_id: str) -> fx.TableModel:
    csv = CBS / table_id / f"{table_id}.csv"
    if not csv.is_file():
        pytest.skip("real CBS snapshot not available (../shared/data/cbs)")
    return fx.model_from_snapshot(csv, table_id, f"Testtabel {table_id}", TABLES[table_id][1])


@pytest.fixture()
def server(monkeypatch):
    monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)
    monkeypatch.delenv("KOMPAS_CBS_V3_URL", raising=False)
    monkeypatch.delenv("KOMPAS_CBS_V4_URL", raising=False)
    with FixtureServer(RECORDED) as s:
        s.docs.update(fx.service_docs())
        yield s


def serve(server, m, v3=True, v4=True, page_size=10_000):
    if v3:
        server.docs.update(fx.v3_docs(m))
    if v4:
        server.docs.update(fx.v4_docs(m, page_size))


def fetch(server, table_id, folder, **kw):
    kw.setdefault("sleep", lambda s: None)
    return fetch_one(table_id, folder, catalog_url=server.host, use_https=False, **kw)


def csv_bytes(folder, table_id):
    return (folder / table_id / f"{table_id}.csv").read_bytes()


def meta(folder, table_id):
    return json.loads((folder / table_id / f"{table_id}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table_id", list(TABLES))
def test_v4_table_is_byte_for_byte_the_v3_snapshot_csv(server, tmp_path, table_id):
    m = model(table_id)
    serve(server, m)
    v3 = fetch(server, table_id, tmp_path / "v3", apis=("v3",))
    both = fetch(server, table_id, tmp_path / "both")  # v4 preferred, v3's DataProperties give the keys
    assert (v3.api, both.api) == ("v3", "v4") and v3.rows == both.rows == m.n_rows
    assert csv_bytes(tmp_path / "both", table_id) == csv_bytes(tmp_path / "v3", table_id)
    assert meta(tmp_path / "both", table_id)["keys_from"] == "v3 DataProperties"
    server.down = {"v3"}  # only v4: the keys come from the titles
    only4 = fetch(server, table_id, tmp_path / "only4", retries=0)
    assert only4.api == "v4" and meta(tmp_path / "only4", table_id)["keys_from"] == "titels"
    assert csv_bytes(tmp_path / "only4", table_id) == csv_bytes(tmp_path / "v3", table_id)
    if TABLES[table_id][1] is None:  # the whole table: v4 gives exactly the real snapshot file
        assert csv_bytes(tmp_path / "only4", table_id) == (CBS / table_id / f"{table_id}.csv").read_bytes()


def test_the_table_json_says_which_api_and_url_served_it(server, tmp_path):
    m = model("85098NED")
    serve(server, m)
    fetch(server, "85098NED", tmp_path)
    j = meta(tmp_path, "85098NED")
    assert j["api"] == "OData v4" and j["url"] == f"http://{server.host}/odata/v1/CBS/85098NED"
    assert j["title"] == "Testtabel 85098NED" and j["modified"].startswith("2025-03-20")
    assert j["status"] == "voorlopig" and j["n_rows"] == 60 and j["period"].startswith("1e halfjaar 2021")
    assert not (tmp_path / "85098NED" / ".v4-onderweg").exists()  # pages of a finished fetch are gone


@pytest.mark.parametrize("mode", ["reset", "http503"])
def test_a_v3_outage_falls_back_to_v4(server, tmp_path, mode):
    serve(server, model("85094NED"))
    server.down, server.down_mode = {"v3"}, mode
    r = fetch(server, "85094NED", tmp_path, retries=1)
    assert r.api == "v4" and r.rows == 35 and r.ok


def test_a_table_v4_does_not_serve_falls_back_to_v3(server, tmp_path):
    serve(server, model("85094NED"), v4=False)
    r = fetch(server, "85094NED", tmp_path)
    assert r.api == "v3" and meta(tmp_path, "85094NED")["api"] == "OData v3"
    assert any("85094NED" in n and "levert deze tabel niet" in n for n in r.notes)


def test_a_v4_outage_falls_back_to_v3(server, tmp_path):
    serve(server, model("85094NED"))
    server.down = {"v4"}
    delays = []
    r = fetch(server, "85094NED", tmp_path, retries=2, sleep=delays.append)
    assert r.api == "v3" and delays == [1.0, 2.0]  # v4 retried with backoff, then v3
    assert any("gaf geen antwoord" in n for n in r.notes)


def test_paging_follows_next_link_over_several_pages(server, tmp_path):
    m = model("85095NED")
    serve(server, m, v3=False, page_size=4000)
    progress = []
    r = fetch(server, "85095NED", tmp_path, progress=lambda *a: progress.append(a))
    n_obs = m.n_rows * len(m.measures)
    assert r.api == "v4" and r.pages == 4 and r.rows == 525
    skips = [q for q in server.requests if "Observations" in q and "skip" in q]
    assert len(skips) == 3 and "$skip=12000" in skips[-1]
    assert progress[-1] == ("85095NED", "v4", 4, n_obs, n_obs)


def changed(m: fx.TableModel, index: int = 1) -> fx.TableModel:
    other = copy.deepcopy(m)
    other.measures[index].title = "Jongeren met hulp van de huisarts"
    return other


def test_a_table_whose_measures_changed_is_named_and_comes_from_v3(server, tmp_path):
    m = model("85098NED")
    serve(server, m, v4=False)
    server.docs.update(fx.v4_docs(changed(m)))
    r = fetch(server, "85098NED", tmp_path)
    assert r.api == "v3"
    (note,) = r.notes
    assert "Tabel 85098NED" in note and "'Jongeren met hulp van de huisarts' staat op de plaats van " \
        "JongerenMetJeugdhMetVerblInNat_2" in note


def test_changed_measures_against_an_earlier_copy_when_v3_is_down(server, tmp_path):
    m = model("85098NED")
    serve(server, m)
    fetch(server, "85098NED", tmp_path, apis=("v3",))
    before = csv_bytes(tmp_path, "85098NED")
    extra = copy.deepcopy(m)
    extra.extra_v4_measure = {"Title": "Jongeren met jeugdhulp via de huisarts"}
    server.docs.update(fx.v4_docs(extra))
    server.down = {"v3"}
    with pytest.raises(DataError, match=r"CBS-tabel 85098NED .*6 onderwerpen in de nieuwe koppeling, 5 in de oude"):
        fetch(server, "85098NED", tmp_path, refresh=True, retries=0)
    assert csv_bytes(tmp_path, "85098NED") == before  # the earlier copy stays
    server.docs.update(fx.v4_docs(m))  # unchanged v4 measures: the earlier copy's keys are used
    r = fetch(server, "85098NED", tmp_path, refresh=True, retries=0)
    assert r.api == "v4" and meta(tmp_path, "85098NED")["keys_from"].startswith("kopie in")
    assert csv_bytes(tmp_path, "85098NED") == before


def test_a_broken_fetch_goes_on_where_it_stopped(server, tmp_path):
    m = model("85095NED")
    serve(server, m, page_size=3000)
    server.fail_paths = {"$skip=9000"}
    with pytest.raises(SourceUnavailable, match="CBS is niet bereikbaar voor tabel 85095NED"):
        fetch(server, "85095NED", tmp_path, apis=("v4",), retries=1)
    assert len(list((tmp_path / "85095NED" / ".v4-onderweg").glob("page_*.json"))) == 3
    server.fail_paths, server.requests[:] = set(), []
    r = fetch(server, "85095NED", tmp_path, apis=("v4",))
    obs = [q for q in server.requests if "Observations" in q]
    assert obs[0].endswith("$skip=9000") and len(obs) == 3  # pages 1-3 were not fetched again
    assert r.pages == 6 and csv_bytes(tmp_path, "85095NED") == (CBS / "85095NED" / "85095NED.csv").read_bytes()


def test_neither_api_gives_one_plain_message(server, tmp_path):
    serve(server, model("85094NED"))
    server.down = {"v3", "v4"}
    with pytest.raises(SourceUnavailable, match=r"CBS is niet bereikbaar voor tabel 85094NED \(OData v4: HTTP-fout 503, "
                                                r"OData v3: HTTP-fout 503; 2 keer geprobeerd\)"):
        fetch(server, "85094NED", tmp_path, retries=1)
    server.down_mode = "reset"
    with pytest.raises(SourceUnavailable, match=r"\(OData v4: geen verbinding, OData v3: geen verbinding; 1 keer"):
        fetch(server, "85094NED", tmp_path, retries=0)
    assert not list(tmp_path.rglob("*.csv"))


# ---------------------------------------------------------------- kompas fetch and the front page


@pytest.fixture()
def home(tmp_path, monkeypatch, server):
    monkeypatch.setattr("kompas_lib.sources.live.time.sleep", lambda s: None)  # no waiting between retries
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.setenv("KOMPAS_CBS_V3_URL", f"http://{server.host}")
    monkeypatch.setenv("KOMPAS_CBS_V4_URL", f"http://{server.host}/odata/v1")
    for t in ("85098NED", "85094NED"):
        serve(server, model(t), page_size=200)
    return tmp_path / "data" / "raw" / "cbs"


def kompas_fetch(capsys, *tables):
    code = cli.main(["fetch", *tables])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_kompas_fetch_with_only_v4(home, server, capsys):
    server.down = {"v3"}
    code, out, _ = kompas_fetch(capsys, "85098NED", "85094NED")
    assert code == 0
    assert "85098NED   OData v4       60 rijen, 2 pagina's" in out and "85094NED   OData v4       35 rijen" in out
    assert "2 uit OData v4, 0 uit OData v3, 0 al opgehaald, 0 niet opgehaald." in out
    assert meta(home, "85098NED")["api"] == "OData v4"


def test_kompas_fetch_with_only_v3_and_again(home, server, capsys):
    server.down = {"v4"}
    code, out, _ = kompas_fetch(capsys, "85098NED")
    assert code == 0 and "85098NED   OData v3       60 rijen" in out and "gaf geen antwoord; de oude (OData v3) wel" in out
    code, out, _ = kompas_fetch(capsys, "85098NED")  # fetched before: not again
    assert code == 0 and f"85098NED   al opgehaald op {date.today().isoformat()[:4]}" in out


def test_kompas_fetch_with_neither_says_what_the_report_uses(home, server, capsys, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("KOMPAS_CBS_V3_URL", f"http://{closed}")
    monkeypatch.setenv("KOMPAS_CBS_V4_URL", f"http://{closed}/odata/v1")
    code, out, err = kompas_fetch(capsys, "85098NED")
    assert code == 2 and err.count("\n") == 1
    assert "CBS geeft geen antwoord, via de nieuwe koppeling (OData v4) noch via de oude" in err
    assert "het rapport gebruikt de fictieve gegevens van Demoland" in err
    monkeypatch.setenv("KOMPAS_CBS_V4_URL", f"http://{server.host}/odata/v1")  # fetch one table, then none again
    assert kompas_fetch(capsys, "85098NED")[0] == 0
    monkeypatch.setenv("KOMPAS_CBS_V4_URL", f"http://{closed}/odata/v1")
    code, _, err = kompas_fetch(capsys, "85098NED")
    assert code == 2 and f"de eerder opgehaalde CBS-tabellen van {date.today().isoformat()}" in err


def _info(kind, fetched=None, prepared="2026-03-03 10:00:00"):
    metadata = {"85098NED": {"fetched_at": fetched, "api": "OData v4"}} if fetched else {}
    return PrepareInfo(source=SourceInfo(kind, "/x", kind == "demo"), table_metadata=metadata, prepared_at=prepared)


def test_front_page_names_the_source_actually_used():
    assert source_label(_info("live", "2026-03-03T08:59:00+00:00")) == "CBS StatLine (live opgehaald op 3 maart 2026)"
    assert source_label(_info("live", "2026-02-12T08:59:00+00:00")) == \
        "CBS StatLine (eerder opgehaalde kopie van 12 februari 2026)"
    assert source_label(_info("snapshot")) == "CBS StatLine (offline kopie)"
    assert source_label(_info("demo")) == "fictieve gegevens (Demoland)"
    assert source_label(_info("live")) == "CBS StatLine (online opgehaald)"


@pytest.fixture()
def amsterdam_clock(monkeypatch):
    """This process's local time is the Netherlands' (CET in winter)."""
    import time

    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_fetch_after_midnight_belongs_to_the_local_day(amsterdam_clock):
    from kompas_lib.core.prepare_info import local_day

    # 00:30 in Utrecht is 23:30 UTC of the day before, the day fetched_at records
    info = _info("live", "2026-03-02T23:30:00+00:00", prepared="2026-03-03 00:45:00")
    assert local_day("2026-03-02T23:30:00+00:00") == "2026-03-03" and local_day("") == ""
    assert source_label(info) == "CBS StatLine (live opgehaald op 3 maart 2026)"


def test_the_front_page_says_when_cbs_changed_the_tables_in_dutch():
    from kompas_lib.pipeline.assemble import modified_words

    def info(*days):
        return PrepareInfo(source=SourceInfo("live", "/x"), table_metadata={
            f"T{i}": {"modified": f"{d}T02:00:00+01:00"} for i, d in enumerate(days)})

    assert modified_words(info("2025-03-20", "2025-03-20")) == "CBS-tabellen bijgewerkt door CBS op 20 maart 2025."
    assert modified_words(info("2025-03-20", "2024-11-02")) == \
        "CBS-tabellen bijgewerkt door CBS tussen 2 november 2024 en 20 maart 2025."
    assert modified_words(PrepareInfo(source=SourceInfo("demo", "/x", True))) == ""


def test_an_api_that_gave_no_answer_is_not_asked_again_in_the_same_fetch(server, tmp_path):
    from kompas_lib.sources.live import fetch_tables

    for t in ("85098NED", "85094NED"):
        serve(server, model(t))
    server.down = {"v4"}
    delays = []
    results = fetch_tables(["85098NED", "85094NED"], tmp_path, progress=None, on_done=lambda r: None,
                           catalog_url=server.host, use_https=False, retries=2, sleep=delays.append)
    assert [r.api for r in results.values()] == ["v3", "v3"] and delays == [1.0, 2.0]  # waited for v4 once
    assert not [q for q in server.requests if q.startswith("/odata/v1/CBS/85094NED")]
    assert "Na tabel 85098NED is de nieuwe koppeling van CBS (OData v4) niet meer gevraagd, omdat die geen " \
           "antwoord gaf." in results["85098NED"].notes and results["85094NED"].notes == ()
