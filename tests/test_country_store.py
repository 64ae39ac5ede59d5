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


def test_member_sums_and_the_expected_use_model_read_from_the_store_equal_what_is_computed(demo_processed, tmp_path):
    """The regions' sums over their members and the model's frames and leave-one-out expectations, as
    `kompas prepare` keeps them, read back in a new process exactly as computed there."""
    from kompas_lib.analysis.methods import comparison
    from kompas_lib.analysis.methods import verwacht as model
    from kompas_lib.analysis.sections import verwacht
    from kompas_lib.analysis.shared import Shared
    from kompas_lib.core.params import load_params
    from kompas_lib.core.registry import load_registry
    from kompas_lib.prepare.facts import load_facts, load_regions

    folder = tmp_path / "prepared"
    folder.mkdir()
    shutil.copy(demo_processed / "prepare.json", folder / "prepare.json")
    catalogue = load_registry()
    params = load_params(None, "GM9001")

    def fresh() -> Shared:  # a new process: new frames, nothing kept beside them yet
        common = Shared(load_facts(demo_processed), load_regions(demo_processed))
        common.store = CountryStore(folder)
        return common

    writer = fresh()
    indicators = list(catalogue.indicators.values())
    writer.country_member_sums(indicators)
    verwacht.country_tables(writer, catalogue, params)
    kinds = {p.name.split("-")[0] for p in CountryStore(folder).folder.glob("*.parquet")}
    assert {"member_sums", "verwacht_frame", "verwacht_loo"} <= kinds

    reader = fresh()
    reader.country_member_sums(indicators)
    summed = 0
    for ind in indicators:
        facts = reader.ind(ind.id)
        if facts.empty:
            continue
        kept = comparison.kept_member_sums(facts, ind, reader.members)
        computed = comparison._sums_over_members(facts, ind, reader.members)
        assert kept is not None, ind.id
        if computed.empty:  # no region has every member's figure
            assert kept.empty, ind.id
            continue
        pd.testing.assert_frame_equal(kept, computed, check_dtype=False, check_index_type=False)
        summed += len(kept)
    assert summed > 0

    outcomes, variables = verwacht._settings_of(catalogue, params)
    curved = tuple(v for v in catalogue.verwacht_gebruik.kromming if v in variables)
    outcome, spec = outcomes[0]
    year = max(model.full_years(reader.ind(outcome)))
    fit, frame = reader.expected_model(outcome, tuple(spec.noemer), variables, year, curved)
    direct = model.model_frame(reader.ind, reader.regions, outcome, list(spec.noemer), variables, year)
    pd.testing.assert_frame_equal(frame, direct, check_dtype=False)
    assert fit is not None and "table" not in fit._loo
    estimated = model.fit(direct, variables, curved)  # the fit from its kept estimates is this fit
    assert list(fit.codes) == list(estimated.codes) and (fit.alpha, fit.alpha0) == (estimated.alpha, estimated.alpha0)
    assert (fit.params == estimated.params).all() and (fit.cov == estimated.cov).all() and (fit.z == estimated.z).all()
    loo = reader.leave_one_out(fit, frame)  # read, not refitted 31 times
    refit = model.leave_one_out(estimated, direct)
    pd.testing.assert_frame_equal(loo, refit, check_dtype=False)
