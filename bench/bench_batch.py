"""Batch speed, measured in one run on this machine (issue 12 goals in brackets).

    KOMPAS_CBS_DIR=../shared/data/cbs .venv/bin/python bench/bench_batch.py [N]

1. one gemeente: the naive loop (papermill command line per notebook, then nbconvert) against
   `kompas run` (goal: at most 1/5 of the naive loop);
2. a batch of N gemeenten (default 10) with `--jobs 2`: seconds per gemeente, peak memory of the
   largest process, and the extrapolation to every gemeente (goal: 342 within 10 minutes);
3. the same batch again with nothing changed (goal: within 30 s).
Uses BENCH_PROCESSED as prepared data when set, else prepares the snapshot into a temporary folder.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        processed = Path(os.environ.get("BENCH_PROCESSED") or tmp / "processed")
        env = {**os.environ, "KOMPAS_PROCESSED_DIR": str(processed), "KOMPAS_REPORTS_DIR": str(tmp / "reports")}
        if not (processed / "facts.parquet").is_file():
            print(f"prepare: {timed([str(BIN / 'kompas'), 'prepare', '--bron', 'snapshot'], env):.1f} s")
        from kompas_lib.presentation.pipeline import select_codes

        code = "GM0344"
        notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        t0 = time.perf_counter()
        outs = []
        for nb in notebooks:
            out = tmp / "naive" / nb.name
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([str(BIN / "papermill"), str(nb), str(out), "-p", "gemeente", code, "-p", "params_file", "",
                            "--cwd", str(nb.parent)], env=env, check=True, capture_output=True)
            outs.append(str(out))
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", *outs], env=env, check=True,
                       capture_output=True)
        naive = time.perf_counter() - t0
        ours = timed([str(BIN / "kompas"), "run", "-g", code, "--opnieuw"], env)
        print(f"one gemeente ({code}): naive loop {naive:.1f} s, kompas run {ours:.1f} s, ratio {ours / naive:.2f} "
              "(goal <= 0,20)")

        all_codes = select_codes(alle=True, processed=processed)
        batch = all_codes[:: max(1, len(all_codes) // n)][:n]
        wall = timed([str(BIN / "kompas"), "run", "--jobs", "2", "--opnieuw", "-g", *batch], env)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        per = wall / len(batch)
        print(f"batch of {len(batch)} with --jobs 2: {wall:.1f} s wall, {per:.1f} s per gemeente, largest process "
              f"{peak_mb:.0f} MiB (goal <= 1536 per worker)")
        print(f"extrapolated to all {len(all_codes)} gemeenten: {per * len(all_codes) / 60:.1f} min (goal <= 10 min)")
        rerun = timed([str(BIN / "kompas"), "run", "--jobs", "2", "-g", *batch], env)
        print(f"same batch again, nothing changed: {rerun:.1f} s (goal <= 30 s for all gemeenten; "
              f"extrapolated {rerun / len(batch) * len(all_codes):.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
