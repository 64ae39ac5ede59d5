"""Shared fixtures: where the real CBS snapshot is, and facts prepared from it once per session.

Which tests are ``slow`` is decided here, in ``pytest_collection_modifyitems``, not by decorators
scattered over the test files. ``make test-fast`` (``pytest -m "not slow"``) leaves out a test that

1. uses a fixture of ``SLOW_FIXTURES``, directly or through another fixture: ``real`` (the whole real
   snapshot prepared, 25–30 s; so also ``make_real_scope``, ``utrecht_report`` and module fixtures
   built on them) or a fixture that runs papermill or a batch (``demo_batch``, ``demo_report``);
2. is in a module of ``END_TO_END``: it starts a Jupyter kernel, runs the notebooks (with papermill, or
   all of them in-process), a batch, a Dask cluster or Chromium, or needs the real snapshot prepared;
3. is named in ``SLOW_IN_MODULE`` (by its name or a fixture it uses), for one of three reasons:
   it generates or prepares a data set of its own besides the session's demo (a second Demoland
   for determinism, a second preparation for idempotence, Demoland with an extended catalogue);
   it runs ``prepare`` on tables of the real snapshot (with a narrowed catalogue: a few seconds
   each); or it computes what a whole report computes to check the demo or a training tool (all
   signals of several Demoland gemeenten; the training widgets with every block's signals and
   their figures);
4. carries ``@pytest.mark.slow`` itself: a heavy test in an otherwise fast module (module marks
   that predate the rule agree with it).

Everything else stays fast (under a minute): pure methods, synthetic frames, params and own-file
validation, the section builders on the session's demo (``demo_scope``, ``make_demo_scope``), the
demo's own tables, and snapshot tests that only read raw tables (headers, period titles, Gebieden).
``make test`` runs all of them.

Hypothesis: the profile ``fast`` (15 examples a test) is loaded when the run leaves the slow tests
out, ``full`` (60) otherwise; ``--hypothesis-profile`` or ``HYPOTHESIS_PROFILE`` choose one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

SLOW_FIXTURES = {"real", "utrecht_report", "demo_batch", "demo_report"}
END_TO_END = {"test_pipeline.py", "test_cluster.py", "test_kernel.py", "test_notebooks.py", "test_block1.py",
              "test_outcome.py", "test_live_report.py"}
SLOW_IN_MODULE = {  # module -> names of tests, or of fixtures whose tests are slow
    "test_demo.py": {"test_deterministic_byte_identical",  # a second Demoland, compared byte for byte
                     "test_demoland_is_worth_discussing", "test_the_expected_use_model_finds_demolands_profile"},
    "test_prepare.py": {"test_prepare_is_idempotent_and_atomic"},  # a second preparation of the demo
    "test_catalogue_extension.py": {"demo",  # Demoland generated and prepared with three new indicators
                                    # prepare on the snapshot with a narrowed catalogue
                                    "pleegzorg_snapshot", "test_a_column_no_source_has_is_skipped_and_reported"},
    "test_training.py": {"demo_processed"},  # the training widgets driven over the prepared demo
}

settings.register_profile("full", max_examples=60)
settings.register_profile("fast", max_examples=15)


def pytest_configure(config):
    if config.getoption("hypothesis_profile", None):
        return  # loaded by hypothesis' own plugin
    fast = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("fast" if fast else "full"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = {getattr(item, "originalname", item.name), *item.fixturenames}
        if (item.path.name in END_TO_END or SLOW_FIXTURES & names
                or SLOW_IN_MODULE.get(item.path.name, set()) & names):
            item.add_marker(pytest.mark.slow)


def shared_dir() -> Path:
    return Path(os.environ.get("KOMPAS_SHARED_DIR", ROOT.parent / "shared")).resolve()


def cbs_dir() -> Path | None:
    env = os.environ.get("KOMPAS_CBS_DIR")
    d = Path(env) if env else shared_dir() / "data" / "cbs"
    return d.resolve() if d.is_dir() else None


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    d = cbs_dir()
    if d is None:
        pytest.skip("real CBS snapshot not available (set KOMPAS_CBS_DIR=../shared/data/cbs)")
    return d


@contextlib.contextmanager
def _once_for_all_workers(tmp_path_factory, name: str):
    """A folder made once for the whole test session, also when pytest-xdist runs it in several worker
    processes (`make test` runs two): the first worker makes it under a lock, the others wait and reuse
    it. Yields (folder, made_here)."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, above each worker's own
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = folder / ".klaar"
            made = done.exists()
            folder.mkdir(parents=True, exist_ok=True)
            yield folder, not made
            done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prepared(folder: Path):
    """A PrepareResult read back from a prepared folder (what every report reads, too)."""
    from kompas_lib.prepare.facts import PrepareResult, load_facts, load_regions

    result = PrepareResult(load_facts(folder), load_regions(folder),
                           json.loads((folder / "prepare.json").read_text(encoding="utf-8")))
    result.out_dir = folder
    return result


@pytest.fixture(scope="session")
def real(snapshot_dir, tmp_path_factory):
    """facts/regions prepared from the real CBS snapshot into a temporary folder (once per session, shared
    by the xdist workers)."""
    from kompas_lib.prepare.facts import prepare
    from kompas_lib.sources import FolderSource

    with _once_for_all_workers(tmp_path_factory, "processed_real") as (out, make):
        if make:
            prepare(FolderSource(snapshot_dir, "snapshot"), out, progress=False)
    return _prepared(out)


def read_cbs(snapshot_dir: Path, table_id: str):
    """A raw CBS file read independently of the project's reader (plain pandas)."""
    import pandas as pd

    return pd.read_csv(snapshot_dir / table_id / f"{table_id}.csv", sep=";", encoding="utf-8-sig", dtype=str)


@pytest.fixture(scope="session")
def demo_prepared(tmp_path_factory):
    """The demo (Demoland) generated and prepared once per session (shared by the xdist workers): the
    result of ``prepare`` with ``raw`` (the generated folder, read-only for tests) and ``out_dir`` (the
    processed folder)."""
    from kompas_lib.prepare.facts import prepare
    from kompas_lib.sources import FolderSource
    from kompas_lib.sources.demoland import generate_demo

    with _once_for_all_workers(tmp_path_factory, "demo") as (folder, make):
        raw, out = folder / "raw", folder / "processed"
        if make:
            generate_demo(raw)
            prepare(FolderSource(raw, "demo"), out, progress=False)
    result = _prepared(out)
    result.raw = raw
    return result


@pytest.fixture(scope="session")
def demo_processed(demo_prepared) -> Path:
    """The processed folder of the session's demo."""
    return demo_prepared.out_dir


@pytest.fixture(scope="session")
def demo_facts(demo_processed):
    from kompas_lib.prepare.facts import load_facts

    return load_facts(demo_processed)


# The scopes below are made without ``facts=``: then every scope of one prepared folder gets the same
# fact and region tables (``session.cached_tables``) and so the library's per-process indexes, peer
# profiles and expected-use models (``analysis.shared``), as the reports of one batch worker do.
# With ``facts=`` each scope would read its own region table and compute all of those again.


@pytest.fixture(scope="session")
def demo_scope(demo_processed):
    """A Scope for the first Demoland gemeente with its params file (ambities, own files)."""
    from kompas_lib.presentation.session import load_scope

    return load_scope("GM9001", ROOT / "params" / "GM9001.yml", processed=demo_processed)


@pytest.fixture(scope="session")
def make_demo_scope(demo_processed):
    """Build a Scope on the demo for any code and params file: make_demo_scope('JZ91', path_or_None)."""
    from kompas_lib.presentation.session import load_scope

    def make(code: str, params_file=None):
        return load_scope(code, params_file, processed=demo_processed)

    return make


def text_of(html: str) -> str:
    """The visible text of an HTML report (no tags, styles or scripts)."""
    import re

    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S))


@pytest.fixture(scope="session")
def utrecht_report(real, tmp_path_factory):
    """The full Utrecht report on the real snapshot, built once end to end (papermill) for the whole
    session (also when two xdist workers need it), with the analyst's edition beside it: (report folder,
    visible text, html)."""
    from kompas_lib.pipeline.run import run_one

    with _once_for_all_workers(tmp_path_factory, "rep_utrecht") as (out, make):
        if make:
            r = run_one("GM0344", processed=real.out_dir, out_root=out, analyst=True)
            assert r.ok, r.message
    (report,) = out.glob("GM0344-*/rapport.html")
    page = report.read_text(encoding="utf-8")
    return report.parent, text_of(page), page


# The session's batch on the demo: the first two Demoland gemeenten and two codes that fail, with two
# worker processes. test_cluster compares the reports a Dask cluster makes with these.
DEMO_BATCH = ["GM0000", "GM9001", "GM9002", "GM9O01"]


@pytest.fixture(scope="session")
def demo_batch(demo_processed, tmp_path_factory):
    """One batch on the demo (``DEMO_BATCH``, ``--jobs 2``), built once end to end for the whole session.
    Returns (results by code, output folder); tests that run into that folder work on a copy."""
    import pickle

    from kompas_lib.pipeline.batch import run_many

    with _once_for_all_workers(tmp_path_factory, "rep_demo") as (out, make):
        if make:
            results = run_many(DEMO_BATCH, processed=demo_processed, out_root=out, progress=False, jobs=2)
            (out / "resultaten.pickle").write_bytes(pickle.dumps(results))
    results = pickle.loads((out / "resultaten.pickle").read_bytes())
    return {r.code: r for r in results}, out


@pytest.fixture(scope="session")
def demo_report(demo_batch):
    """The full report of the first Demoland gemeente: (folder, text, html)."""
    r = demo_batch[0]["GM9001"]
    assert r.ok, r.message
    page = r.report.read_text(encoding="utf-8")
    return r.report.parent, text_of(page), page


@pytest.fixture(scope="session")
def make_real_scope(real):
    """Build a Scope on the real snapshot: make_real_scope('GM0088')."""
    from kompas_lib.presentation.session import load_scope

    def make(code: str, params_file=None):
        return load_scope(code, params_file, processed=real.out_dir)

    return make
