"""Time `kompas prepare` on the full snapshot and one `kompas run`, in one process run.

    KOMPAS_CBS_DIR=../shared/data/cbs .venv/bin/python bench/bench_prepare_run.py [GM0344]

Prints wall-clock seconds and ratios (run / prepare, prepare per 100k facts). Not a test: numbers
depend on the machine; compare them between commits on the same machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kompas_lib.prepare.facts import prepare
from kompas_lib.pipeline.run import run_one
from kompas_lib.sources import choose_source


def main() -> int:
    code = sys.argv[1] if len(sys.argv) > 1 else "GM0344"
    source = choose_source("auto", fetch_missing=False)
    with tempfile.TemporaryDirectory() as tmp:
        processed, reports = Path(tmp) / "processed", Path(tmp) / "reports"
        t0 = time.perf_counter()
        result = prepare(source, processed, progress=False)
        t_prepare = time.perf_counter() - t0
        t0 = time.perf_counter()
        prepare(source, processed, progress=False)
        t_prepare2 = time.perf_counter() - t0
        t0 = time.perf_counter()
        run = run_one(code, processed=processed, out_root=reports)
        t_run = time.perf_counter() - t0
    n = len(result.facts)
    print(f"source: {source.kind} ({source.root})")
    print(f"prepare (full snapshot): {t_prepare:6.2f} s  -> {n} facts from {len(result.report['tables_used'])} tables")
    print(f"prepare again (idempotent): {t_prepare2:6.2f} s  ratio {t_prepare2 / t_prepare:.2f}")
    print(f"run {code}: {t_run:6.2f} s  ok={run.ok} {run.message}")
    print(f"ratio run/prepare: {t_run / t_prepare:.2f}; prepare per 100k facts: {t_prepare / n * 1e5:.2f} s")
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main())
