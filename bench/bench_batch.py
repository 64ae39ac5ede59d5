"""Batch speed, measured in one run on this machine (issue 23 goals in brackets).

    KOMPAS_CBS_DIR=../shared/data/cbs .venv/bin/python bench/bench_batch.py [N] [--alle]

1. one gemeente: the naive loop (papermill command line per notebook, then nbconvert) against
   `kompas run` (goal: at most 0,20 of the naive loop);
2. a fixed sample of N gemeenten (default 40) spread over sizes (every k-th gemeente by number of
   inhabitants) with `--jobs 2`: seconds per gemeente, peak memory of a worker (its process and its
   kernel together; goal: at most 800 MB), and the extrapolation to every gemeente (goal: 342 within
   8 minutes);
3. where a report's time goes inside a worker: kernel ready, computing, drawing figures, assembling (the
   median of the timings each report leaves beside it, `.kompas-tijden.json`);
4. the same batch again with nothing changed (goal: within 5 s);
5. with ``--alle``: the real ``kompas run --alle --jobs 2`` (every gemeente; 7 to 8 minutes here), its wall time,
   the reports it made and the peak memory of a worker with its kernel.
Uses BENCH_PROCESSED as prepared data when set, else prepares the snapshot into a temporary folder.
"""

from __future__ import annotations

import os
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


def _memory_tree() -> dict[int, tuple[int, int, int]]:
    """pid -> (parent pid, resident MiB, proportional MiB) of every process. The proportional size (PSS)
    counts a page shared by n processes (a worker forked from the command shares its libraries with it)
    as 1/n of a page in each; the resident size (RSS) counts it whole in every process."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss="], capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        p, pp, r = (int(x) for x in line.split())
        pss = r
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                pss = next(int(x.split()[1]) for x in f if x.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
        found[p] = (pp, r // 1024, pss // 1024)
    return found


def timed_with_worker_peak(cmd: list[str], env: dict) -> tuple[float, int, int]:
    """Wall time and the largest memory of one worker process plus its kernel (MiB): resident, proportional."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = peak_pss = 0
    while proc.poll() is None:
        procs = _memory_tree()
        workers = [p for p, (pp, _, _) in procs.items() if pp == proc.pid]
        for w in workers:
            family = [w, *(p for p, (pp, _, _) in procs.items() if pp == w)]
            peak = max(peak, sum(procs[p][1] for p in family))
            peak_pss = max(peak_pss, sum(procs[p][2] for p in family))
        time.sleep(0.5)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - t0, peak, peak_pss


def _timings(reports: Path, codes: list[str]) -> dict[str, float]:
    """Median seconds per part of a report (kernel, rekenen = computing, figuren = drawing, opmaken =
    assembling the page and workbook) from the timings each report of the batch left beside it."""
    import json
    import statistics

    found: dict[str, list[float]] = {}
    for f in reports.glob("*/.kompas-tijden.json"):
        if f.parent.name.split("-")[0].upper() in codes:
            for k, v in json.loads(f.read_text()).items():
                found.setdefault(k, []).append(v)
    return {k: statistics.median(v) for k, v in found.items()}


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--alle"]
    n = int(args[0]) if args else 40
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        processed = Path(os.environ.get("BENCH_PROCESSED") or tmp / "processed")
        env = {**os.environ, "KOMPAS_PROCESSED_DIR": str(processed), "KOMPAS_REPORTS_DIR": str(tmp / "reports")}
        if not (processed / "facts.parquet").is_file():
            print(f"prepare: {timed([str(BIN / 'kompas'), 'prepare', '--bron', 'snapshot'], env):.1f} s")
        from kompas_lib.pipeline.batch import select_codes

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
        import pandas as pd

        regions = pd.read_parquet(processed / "regions.parquet")
        size = regions.sort_values("jaar").drop_duplicates("gemeente_code", keep="last").set_index("gemeente_code")
        by_size = sorted(all_codes, key=lambda c: (size["inwoners"].get(c, 0), c))
        batch = by_size[:: max(1, len(by_size) // n)][:n]
        wall, peak_mb, peak_pss = timed_with_worker_peak(
            [str(BIN / "kompas"), "run", "--jobs", "2", "--opnieuw", "-g", *batch], env)
        per = wall / len(batch)
        print(f"batch of {len(batch)} with --jobs 2: {wall:.1f} s wall, {per:.1f} s per gemeente, peak of a worker "
              f"with its kernel {peak_mb:.0f} MiB resident (goal <= 800), {peak_pss:.0f} MiB proportional (pages shared "
              "with the command and the other worker counted once)")
        print(f"extrapolated to all {len(all_codes)} gemeenten: {per * len(all_codes) / 60:.1f} min (goal <= 8 min; an "
              f"upper bound: the warm-up of each worker's kernel is counted in the {len(batch)})")
        parts = _timings(Path(env["KOMPAS_REPORTS_DIR"]), batch)
        if parts:
            print("seconds per report inside a worker (median over the batch; 'kernel' includes each worker's first "
                  "start and warm-up): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
        rerun = timed([str(BIN / "kompas"), "run", "--jobs", "2", "-g", *batch], env)
        print(f"same batch again, nothing changed: {rerun:.1f} s (goal <= 5 s; the check is one "
              "read of the facts' region columns plus a file hash per gemeente)")
        if "--alle" in sys.argv:
            started = time.time()
            wall, peak_mb, peak_pss = timed_with_worker_peak(
                [str(BIN / "kompas"), "run", "--alle", "--jobs", "2", "--opnieuw"], env)
            made = sum(1 for f in (tmp / "reports").glob("*/rapport.html") if f.stat().st_mtime >= started)
            print(f"every gemeente ({len(all_codes)}) with --alle --jobs 2: {wall:.0f} s = {wall / 60:.1f} min (goal <= 8 min), "
                  f"{made} reports made; peak of a worker with its kernel {peak_mb:.0f} MiB resident, "
                  f"{peak_pss:.0f} MiB proportional")
    return 0


if __name__ == "__main__":
    sys.exit(main())
