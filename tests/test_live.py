"""The live OData v3 path (cbsodata), against recorded CBS responses served on 127.0.0.1 (cbsodata is not
mocked). The recorded server has no v4 tables, so every fetch here first hears 'not served' from v4."""

import json
import socket

import cbsodata
import pandas as pd
import pytest
from conftest import shared_dir
from fixture_server import FixtureServer

from kompas_lib.core.errors import DataError, SourceUnavailable
from kompas_lib.sources.live import cbs_reachable, fetch_table, fetch_tables

FIXTURES = shared_dir() / "data" / "odata_fixtures" / "CBSOData3.jl" / "test"


@pytest.fixture()
def server():
    if not FIXTURES.is_dir():
        pytest.skip("recorded OData responses not available (../shared/data/odata_fixtures)")
    with FixtureServer(FIXTURES) as s:
        yield s


def fetch(server, tmp_path, **kw):
    kw.setdefault("sleep", lambda s: None)
    return fetch_table("80137ned", tmp_path, catalog_url=server.host, use_https=False, **kw)


def test_fetch_writes_csv_like_cbsodata_and_metadata(server, tmp_path):
    csv = fetch(server, tmp_path)
    raw = csv.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b";" in raw.splitlines()[0]
    df = pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str)
    recorded = json.loads((FIXTURES / "meta_8.json").read_text())["value"]
    assert len(df) == len(recorded) == 675
    first = df.iloc[0]
    assert float(first["Totaal_1"]) == recorded[0]["Totaal_1"] == 8811.0
    assert first["Perioden"] == "2001"  # cbsodata replaced the key 2001JJ00 by its title
    assert first["Persoonskenmerken"] == "Totaal"
    meta = json.loads((tmp_path / "80137ned" / "80137ned.json").read_text())
    assert meta["title"] == "Arbeidsrekeningen; leeftijd en opleidingsniveau"
    assert meta["modified"] == "2009-07-10T02:00:00" and meta["status"] == "definitief"
    assert meta["n_rows"] == 675 and meta["fetched_at"]
    assert meta["api"] == "OData v3" and meta["url"].endswith("/ODataFeed/odata/80137ned")
    assert any("typeddataset" in r.lower() for r in server.requests)
    # the cache is a folder in snapshot layout that the project reads like any other source
    from kompas_lib.sources import FolderSource

    src = FolderSource(tmp_path, "live")
    assert len(src.read_table("80137ned")) == 675 and src.metadata("80137ned")["source"] == "cbsodata"


def test_cached_table_is_not_fetched_again(server, tmp_path):
    fetch(server, tmp_path)
    n = len(server.requests)
    fetch(server, tmp_path)
    assert len(server.requests) == n
    fetch(server, tmp_path, refresh=True)
    assert len(server.requests) > n


def test_retries_with_exponential_backoff(server, tmp_path):
    delays = []
    server.fail_next = 2
    fetch(server, tmp_path, sleep=delays.append, backoff=1.0)
    assert delays == [1.0, 2.0]
    assert (tmp_path / "80137ned" / "80137ned.csv").is_file()


def test_gives_up_with_a_plain_message_and_leaves_no_files(server, tmp_path):
    server.fail_next = 100
    with pytest.raises(SourceUnavailable, match="CBS is niet bereikbaar.*KOMPAS_CBS_DIR"):
        fetch(server, tmp_path, retries=2)
    assert not list(tmp_path.rglob("*.*"))


def test_unknown_table_is_not_retried(server, tmp_path):
    delays = []
    with pytest.raises(DataError, match="CBS kent tabel 99999NED niet"):
        fetch_table("99999NED", tmp_path, catalog_url=server.host, use_https=False, sleep=delays.append)
    assert delays == []


def test_one_failing_table_does_not_stop_the_others(server, tmp_path):
    results = fetch_tables(["99999NED", "80137ned"], tmp_path, catalog_url=server.host, use_https=False,
                           sleep=lambda s: None)
    assert isinstance(results["99999NED"].error, DataError) and results["80137ned"].path.is_file()
    assert results["80137ned"].api == "v3" and not results["99999NED"].ok


def test_paging_follows_next_link_through_the_local_server(server):
    old = cbsodata.options.use_https
    cbsodata.options.use_https = False
    try:
        rows = cbsodata.get_meta("83599NED", "UntypedDataSet", catalog_url=server.host)
    finally:
        cbsodata.options.use_https = old
    assert len(rows) == 10000 + 5504
    assert rows[0]["RegioS"] == "NL01  "  # raw padding as CBS sends it
    assert any("skip=10000" in r for r in server.requests)


def test_reachability_check(server):
    assert cbs_reachable(server.host, use_https=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{s.getsockname()[1]}"
    assert not cbs_reachable(closed, timeout=1.0, use_https=False)
