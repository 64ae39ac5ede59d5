"""Where things live: project folders and the CBS snapshot folder (``KOMPAS_CBS_DIR``)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # kompas_lib/
PACKAGE_DATA = PACKAGE_DIR / "data"


def project_root() -> Path:
    """The project folder: ``KOMPAS_HOME`` if set, else the checkout this package lives in,
    else the current directory."""
    env = os.environ.get("KOMPAS_HOME")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd()


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    """``data/processed``; ``KOMPAS_PROCESSED_DIR`` overrides it (used by the pipeline and tests, and
    inherited by the notebook kernels papermill starts)."""
    env = os.environ.get("KOMPAS_PROCESSED_DIR")
    return Path(env).resolve() if env else project_root() / "data" / "processed"


def reports_dir() -> Path:
    """``reports``; ``KOMPAS_REPORTS_DIR`` overrides it."""
    env = os.environ.get("KOMPAS_REPORTS_DIR")
    return Path(env).resolve() if env else project_root() / "reports"


def notebooks_dir() -> Path:
    """The numbered report notebooks (KOMPAS_NOTEBOOKS_DIR: an own set, e.g. a gemeente's extra block)."""
    own = os.environ.get("KOMPAS_NOTEBOOKS_DIR")
    return Path(own) if own else project_root() / "notebooks"


def params_dir() -> Path:
    return project_root() / "params"


def live_cache_dir() -> Path:
    """Where the live ``cbsodata`` source writes its raw cache (same layout as a snapshot)."""
    return raw_dir() / "cbs"


def demo_dir() -> Path:
    """Where the demo generator writes Demoland's raw tables."""
    return raw_dir() / "demo"


def snapshot_dir_from_env() -> Path | None:
    env = os.environ.get("KOMPAS_CBS_DIR")
    return Path(env).expanduser().resolve() if env else None
