"""The country tables kept beside the prepared data (issue 23): what a report reads from them is what it
would compute for itself, a stored table reads back unchanged, and a new preparation or another rule never
reads an old one."""

from __future__ import annotations

import shutil

import pandas as pd

from kompas_lib.presentation.country_store import CountryStore


def test_every_demo_gemeente_reads_from_the_country_table_what_it_would_compute(make_demo_scope):
    scope = make_demo_scope("GM9001")
    indicators = scope.placed(1, "signaal")
    for code in scope.shared.gemeenten:
        own = make_demo_scope(code)
        read = own.findings(indicators)
        computed = own.own_findings(indicators)
        cols = ["indicator", "soort", "ref", "period", "direction", "possible"]
        assert read[cols].fillna("-").values.tolist() == computed[cols].fillna("-").values.tolist(), code
        pd.testing.assert_series_equal(read["z"].astype(float), computed["z"].astype(float), check_names=False)


def test_a_stored_table_reads_back_unchanged_and_only_for_the_same_data_and_rules(make_demo_scope, demo_processed,
                                                                                  tmp_path, monkeypatch):
    from kompas_lib.presentation import country_store

    scope = make_demo_scope("GM9001")
    cfg = scope.params.vergelijkbare_gemeenten
    table = scope.shared.country_findings(scope.catalogue, scope.placed(1, "signaal"), tuple(cfg.profiel), cfg.k)
    folder = tmp_path / "prepared"
    folder.mkdir()
    shutil.copy(demo_processed / "prepare.json", folder / "prepare.json")
    store = CountryStore(folder)
    key = ("findings", "test", ("x",), 15, 5.0, 0.1)
    assert store.get(key) is None
    store.put(key, table)
    back = store.get(key)

    def plain(frame):  # text with None or NaN where empty, in either of pandas' text types: the same values
        return frame.astype(object).where(frame.notna(), None).values.tolist()

    assert list(back.columns) == list(table.columns) and plain(back) == plain(table)
    # another preparation (prepare.json changes) or another rule (the methods' code) finds nothing
    (folder / "prepare.json").write_text((folder / "prepare.json").read_text() + " ", encoding="utf-8")
    assert CountryStore(folder).get(key) is None
    monkeypatch.setattr(country_store, "rules_version", lambda: "another rule")
    (folder / "prepare.json").write_text((folder / "prepare.json").read_text()[:-1], encoding="utf-8")
    assert CountryStore(folder).get(key) is None
    monkeypatch.undo()
    assert CountryStore(folder).get(key) is not None
    # a damaged file is computed again, never an error
    CountryStore(folder).path(key).write_bytes(b"not parquet")
    assert CountryStore(folder).get(key) is None
