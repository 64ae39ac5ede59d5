"""Time block 1 (notebook 01 through papermill, plus HTML) for one gemeente, on prepared data.

    KOMPAS_CBS_DIR=../shared/data/cbs .venv/bin/python bench/bench_block1.py [GM0344]

Prepares the snapshot into a temporary folder once, then runs the report twice (the first run
includes cold imports). Goal: ≤ 15 s per run on the 2-core machine. Prints seconds and the ratio to
the goal.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kompas_lib.prepare.facts import prepare
from kompas_lib.pipeline.run import run_one
from kompas_lib.sources import choose_source

GOAL = 15.0


def main() -> int:
    code = sys.argv[1] if len(sys.argv) > 1 else "GM0344"
    source = choose_source("auto", fetch_missing=False)
    with tempfile.TemporaryDirectory() as tmp:
        processed = Path(tmp) / "processed"
        t0 = time.perf_counter()
        prepare(source, processed, progress=False)
        print(f"prepare ({source.kind}): {time.perf_counter() - t0:.1f} s")
        for attempt in (1, 2):
            t0 = time.perf_counter()
            r = run_one(code, processed=processed, out_root=Path(tmp) / "reports")
            dt = time.perf_counter() - t0
            print(f"block 1 for {code}, run {attempt}: {dt:.1f} s (ratio to {GOAL:.0f} s goal: {dt / GOAL:.2f}) ok={r.ok} {r.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
