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
