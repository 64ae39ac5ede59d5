"""Atomic file writes: a reader never sees a half-written file, a crash leaves the old one.

Everything the project writes (raw cache, parquet facts, reports) goes through these helpers:
write to a temporary file in the same folder, flush, then ``os.replace`` onto the target.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from kompas_lib.core.errors import DataError


FILE_MODE = 0o644  # reports are shared: readable by others (mkstemp would leave 0600)


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it onto ``target`` (mode 0644)."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        why = "geen toegang" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise DataError(f"Kan {target.name} niet opslaan in de map {target.parent} ({why}). Controleer of de map "
                        "bestaat en of u daar mag schrijven.") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, FILE_MODE)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | os.PathLike, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_json(target: str | os.PathLike, obj) -> Path:
    return write_text(target, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def write_parquet(df: pd.DataFrame, target: str | os.PathLike, index: bool | None = False) -> Path:
    """Write a parquet file atomically; ``index=None`` keeps a frame's own index (not a plain 0, 1, …)."""
    with atomic_path(target) as tmp:
        df.to_parquet(tmp, index=index)
    return Path(target)


def write_csv(df: pd.DataFrame, target: str | os.PathLike, **kwargs) -> Path:
    """Write a CSV atomically. Defaults to the CBS raw layout (``;``, UTF-8 with BOM)."""
    kwargs.setdefault("sep", ";")
    kwargs.setdefault("index", False)
    kwargs.setdefault("encoding", "utf-8-sig")
    with atomic_path(target) as tmp:
        df.to_csv(tmp, **kwargs)
    return Path(target)
