"""The country tables kept beside the prepared data: computed once, read by every report.

Some results are the same for every report made from one preparation — the findings of every
gemeente on an indicator (the country table the map, a region's member table and each gemeente's own
findings read), or the opvallend positions of every gemeente in a split. The analysis layer computes
them (:class:`kompas_lib.analysis.shared.Shared`) and asks a *store* for them first; this is that
store: one parquet file per result in ``<prepared>/country/``, so a batch computes each once, a
second worker or a later single report reads it (milliseconds instead of seconds), and every report
shows a gemeente the same verdict because they all read the same rows.

A stored result is valid only for the data and the rules it was computed with: its file name hashes
the result's key (indicator, comparison profile, rounding …) together with ``prepare.json`` (which
preparation) and the code of the methods and the catalogue (which rules). A new preparation or a
changed rule finds no file and computes afresh; ``kompas prepare`` empties the folder. Writes are
atomic (two workers computing the same table at once both write the same rows); a file that cannot be
read is computed again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kompas_lib.core import io, paths
from kompas_lib.core.registry import catalogue_path
from kompas_lib.prepare.facts import COUNTRY_TABLES as FOLDER
# what a stored result depends on besides the prepared data: the methods, the shared indexes and the catalogue
RULE_FILES = ("analysis/methods/*.py", "analysis/shared.py", "core/registry.py")


def rules_version() -> str:
    """A hash of the code and the catalogue (the one in use: it may be another file) every stored result
    is computed by."""
    return _rules_version(str(catalogue_path()))


@lru_cache(maxsize=4)
def _rules_version(catalogue: str) -> str:
    h = hashlib.sha256()
    for pattern in RULE_FILES:
        for p in sorted(paths.PACKAGE_DIR.glob(pattern)):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    h.update(Path(catalogue).read_bytes() if Path(catalogue).is_file() else b"-")
    return h.hexdigest()


class CountryStore:
    """Results of the analysis layer kept as parquet files beside one preparation (see the module text)."""

    def __init__(self, processed: Path):
        self.folder = Path(processed) / FOLDER
        info = Path(processed) / "prepare.json"
        prepared = info.read_bytes() if info.is_file() else b"-"
        self.namespace = hashlib.sha256(prepared + rules_version().encode()).hexdigest()

    def path(self, key: tuple) -> Path:
        digest = hashlib.sha256((self.namespace + repr(key)).encode()).hexdigest()[:24]
        return self.folder / f"{key[0]}-{digest}.parquet"

    def get(self, key: tuple) -> pd.DataFrame | None:
        p = self.path(key)
        if not p.is_file():
            return None
        try:
            return pd.read_parquet(p)
        except Exception:  # noqa: BLE001 - a damaged or foreign file: compute again
            return None

    def put(self, key: tuple, frame: pd.DataFrame) -> None:
        try:
            io.write_parquet(frame, self.path(key), index=None)  # an indexed result keeps its index
        except Exception:  # noqa: BLE001 - a read-only folder: the result is simply not kept
            pass
