"""Time the validation of a large own file (the provider template), in rows per second.

    .venv/bin/python bench/bench_sjablonen.py [ROWS ...]     (default: 10000 30000 100000)

For each size three files are written to a temporary folder and read with ``sjablonen.load``:
``schoon`` (valid), ``dubbel`` (every row twice: half the rows are duplicates) and ``fouten``
(every row has an unknown gemeente code, a thousands point and an invisible character). Validation
must be linear (issue 26): 100.000 rows in seconds, whatever the file holds. Prints seconds and
rows/second per file.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kompas_lib.core.errors import KompasError
from kompas_lib.sources import sjablonen

KNOWN = {f"GM{i:04d}": f"Gemeente {i}" for i in range(1, 400)}
ZORGVORMEN = ("ambulant", "daghulp", "verblijf", "pleegzorg")


def provider_rows(n: int, kind: str) -> list[str]:
    """``n`` data lines of the provider template: valid, doubled, or with errors on every line."""
    rows = []
    for i in range(n):
        j = i // 2 if kind == "dubbel" else i
        code = f"GM{1 + j % 399:04d}" if kind != "fouten" else f"GM{5000 + j % 700:04d}"
        name = f"Aanbieder {j // 40}" + ("\u200b" if kind == "fouten" else "")
        total = "1.500" if kind == "fouten" else str(100 + j % 50)
        rows.append(f"{name};{code};{2015 + j % 10};{ZORGVORMEN[(j // 10) % 4]};{total};60;5;5;5;10;20;50;40;80;60")
    return rows


def time_load(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        df = sjablonen.load(path, "aanbieders", KNOWN)
        outcome = f"{len(df)} rijen geldig"
    except KompasError as exc:
        outcome = str(exc).splitlines()[0]
    return time.perf_counter() - t0, outcome


def main(sizes: list[int]) -> int:
    header = sjablonen.template("aanbieders").columns
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for kind in ("schoon", "dubbel", "fouten"):
                path = Path(tmp) / f"{kind}_{n}.csv"
                path.write_text(";".join(header) + "\n" + "\n".join(provider_rows(n, kind)) + "\n", encoding="utf-8")
                dt, outcome = time_load(path)
                print(f"{n:>7} rows {kind:<7} {dt:7.2f} s  {n / dt:>9,.0f} rows/s  ({outcome})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [10000, 30000, 100000]))
