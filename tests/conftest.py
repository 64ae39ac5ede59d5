"""Shared fixtures: where the real CBS snapshot is, and facts prepared from it once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="session")
def real(snapshot_dir, tmp_path_factory):
    """facts/regions prepared from the real CBS snapshot into a temporary folder."""
    from kompas_lib.prepare.facts import prepare
    from kompas_lib.sources import FolderSource

    out = tmp_path_factory.mktemp("processed_real")
    result = prepare(FolderSource(snapshot_dir, "snapshot"), out, progress=False)
    result.out_dir = out
    return result


def read_cbs(snapshot_dir: Path, table_id: str):
    """A raw CBS file read independently of the project's reader (plain pandas)."""
    import pandas as pd

    return pd.read_csv(snapshot_dir / table_id / f"{table_id}.csv", sep=";", encoding="utf-8-sig", dtype=str)


@pytest.fixture(scope="session")
def demo_processed(tmp_path_factory) -> Path:
    """The demo (Demoland) generated and prepared once per session; returns the processed folder."""
    from kompas_lib.prepare.facts import prepare
    from kompas_lib.sources import FolderSource
    from kompas_lib.sources.demoland import generate_demo

    raw = tmp_path_factory.mktemp("demo_raw")
    out = tmp_path_factory.mktemp("demo_processed")
    generate_demo(raw)
    prepare(FolderSource(raw, "demo"), out, progress=False)
    return out


@pytest.fixture(scope="session")
def demo_facts(demo_processed):
    from kompas_lib.prepare.facts import load_facts

    return load_facts(demo_processed)


@pytest.fixture(scope="session")
def demo_scope(demo_processed, demo_facts):
    """A Scope for the first Demoland gemeente with its params file (ambities, own files)."""
    from kompas_lib.presentation.notebook import load_scope

    return load_scope("GM9001", ROOT / "params" / "GM9001.yml", processed=demo_processed, facts=demo_facts)


@pytest.fixture(scope="session")
def make_demo_scope(demo_processed, demo_facts):
    """Build a Scope on the demo for any code and params file: make_demo_scope('JZ91', path_or_None)."""
    from kompas_lib.presentation.notebook import load_scope

    def make(code: str, params_file=None):
        return load_scope(code, params_file, processed=demo_processed, facts=demo_facts)

    return make


def text_of(html: str) -> str:
    """The visible text of an HTML report (no tags, styles or scripts)."""
    import re

    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S))


@pytest.fixture(scope="session")
def utrecht_report(real, tmp_path_factory):
    """The full Utrecht report on the real snapshot, built once end to end (papermill):
    (report folder, visible text, html)."""
    from kompas_lib.pipeline.run import run_one

    out = tmp_path_factory.mktemp("rep_utrecht")
    r = run_one("GM0344", processed=real.out_dir, out_root=out)
    assert r.ok, r.message
    page = r.report.read_text(encoding="utf-8")
    return r.report.parent, text_of(page), page


@pytest.fixture(scope="session")
def demo_batch(demo_processed, tmp_path_factory):
    """One batch on the demo, built once end to end: two codes that fail and the first Demoland
    gemeente. Returns (results by code, output folder)."""
    from kompas_lib.pipeline.batch import run_many

    out = tmp_path_factory.mktemp("rep_demo")
    results = run_many(["GM0000", "GM9001", "GM9O01"], processed=demo_processed, out_root=out, progress=False)
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
    from kompas_lib.prepare.facts import load_facts
    from kompas_lib.presentation.notebook import load_scope

    facts = load_facts(real.out_dir)

    def make(code: str, params_file=None):
        return load_scope(code, params_file, processed=real.out_dir, facts=facts)

    return make
