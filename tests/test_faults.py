"""Faults of the second round (issue 26): the wrong data, resource bounds, dead workers and errors that
are not unexpected, as a policy analyst meets them on the command line (``cli.main``, in-process).

Each case asserts the exit code, the Dutch message and that nothing stale or half-written is left.
The cases that start kernels or worker processes carry ``@pytest.mark.slow`` (tests/conftest.py, rule 4);
they run small probe notebooks instead of the report notebooks, since they are about the machinery.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import signal
import time
from pathlib import Path

import nbformat
import pytest

from kompas_lib import cli
from kompas_lib.core.prepare_info import PrepareInfo, raw_fingerprint

# the tables of a small snapshot: the Gebieden of 2023 and 2024 and one table of jeugdzorg percentages
SMALL_SNAPSHOT = ("85385NED", "85755NED", "85098NED")
PROBE_VALUE = '''from kompas_lib.core import paths
from kompas_lib.presentation import session
facts, _ = session.cached_tables(paths.processed_dir())
row = facts[(facts.region_code == gemeente) & (facts.indicator == "pct_jeugdhulp_in_natura") & (facts.period == "2023")]
print("gebruikte waarde", gemeente, row.value.iloc[0] if len(row) else "geen")
'''


def probe_notebooks(folder: Path, code: str) -> Path:
    """One small numbered notebook with the parameters cell and ``code``."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('gemeente = "GM9001"\nparams_file = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "01_probe.ipynb")
    return folder


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """``kompas <argv>`` in-process: (exit code, stdout, stderr)."""
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_plain_dutch(err: str) -> None:
    for english in ("Traceback", "Onverwachte fout", "Error", "BrokenProcessPool", "invalid"):
        assert english not in err, err


def left_over(folder: Path) -> list[Path]:
    """Temporary files of an interrupted write."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")] if folder.exists() else []


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Empty processed and reports folders in tmp_path, and a home without params."""
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(reports))
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path / "home"))
    return processed, reports


@pytest.fixture
def demo_copy(demo_processed, folders):
    """A copy of the session's prepared demo as this test's processed folder (so it may be prepared again)."""
    processed, reports = folders
    shutil.copytree(demo_processed, processed, ignore=shutil.ignore_patterns("runs"))
    return processed, reports


# --- 2. resource bounds and 8. malformed options: refused before anything is prepared or made -------

OPTION_CASES = [
    ("jobs-te-veel", ["--jobs", "100000"], ["--jobs 100000 is te veel", "processorkern", "hoogstens"]),
    ("jobs-negatief", ["--jobs", "-3"], ["--jobs moet 1 of meer zijn"]),
    ("timeout-negatief", ["--timeout", "-5"], ["--timeout: -5 kan niet", "meer dan 0"]),
    ("timeout-nul", ["--timeout", "0"], ["--timeout: 0 kan niet"]),
    ("timeout-nan", ["--timeout", "nan"], ["--timeout: 'nan' is geen getal"]),
    ("timeout-oneindig", ["--timeout", "inf"], ["--timeout: inf kan niet", "86400"]),
    ("timeout-te-groot", ["--timeout", "1e400"], ["--timeout: 1e400 kan niet"]),
    ("scheduler-misvormd", ["--scheduler", "foo::bar"], ["'foo::bar' is geen geldig adres", "tcp://HOST:8786"]),
    ("scheduler-geen-poort", ["--executor", "dask", "--scheduler", "tcp://host"], ["geen geldig adres"]),
    ("scheduler-verkeerd-schema", ["--executor", "dask", "--scheduler", "http://host:8786"], ["geen geldig adres"]),
    ("scheduler-poort-te-groot", ["--scheduler", "tcp://host:99999"], ["geen geldig adres"]),
    ("scheduler-bij-lokaal", ["--executor", "lokaal", "--scheduler", "tcp://host:8786"], ["hoort bij --executor dask"]),
]


@pytest.mark.parametrize("extra, words", [c[1:] for c in OPTION_CASES], ids=[c[0] for c in OPTION_CASES])
def test_out_of_range_options_are_refused_up_front(folders, capsys, extra, words):
    processed, reports = folders
    code, out, err = run(["run", "-g", "GM0344", *extra], capsys)
    assert code == 2, (out, err)
    for w in words:
        assert w in err, err
    assert_plain_dutch(err)
    assert not processed.exists() and not reports.exists()  # nothing prepared, nothing made


def test_jobs_limit_is_a_multiple_of_the_cores(monkeypatch):
    from kompas_lib.pipeline import batch

    monkeypatch.setattr(batch, "cpus", lambda: 2)
    assert batch.max_jobs() == 2 * batch.JOBS_PER_CPU


def test_hand_out_timeout_is_checked_too(folders, capsys):
    code, _, err = run(["hand-out", "--timeout", "-1"], capsys)
    assert code == 2 and "--timeout: -1 kan niet" in err


NOT_NOTEBOOKS = [
    ("tekst", "x.ipynb", "hallo\n", ["x.ipynb is geen Jupyter-notebook", "geen notebook (JSON)"]),
    ("json-zonder-cellen", "x.ipynb", '{"a": 1}', ["x.ipynb is geen Jupyter-notebook", "de cellen ontbreken"]),
    ("json-lijst", "x.ipynb", "[1, 2]", ["geen Jupyter-notebook", "de cellen ontbreken"]),
    ("leeg", "x.ipynb", "", ["geen Jupyter-notebook", "leeg"]),
    ("binair", "x.ipynb", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", ["geen Jupyter-notebook", "geen tekst in UTF-8"]),
    ("markdown", "uitleg.md", "# Uitleg\n", ["uitleg.md is geen Jupyter-notebook", "eindigt op '.md'"]),
]


@pytest.mark.parametrize("name, content, words", [c[1:] for c in NOT_NOTEBOOKS], ids=[c[0] for c in NOT_NOTEBOOKS])
def test_hand_out_of_a_file_that_is_not_a_notebook(folders, tmp_path, capsys, name, content, words):
    _, reports = folders
    f = tmp_path / name
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, _, err = run(["hand-out", str(f)], capsys)
    assert code == 2
    for w in words:
        assert w in err, err
    assert_plain_dutch(err)
    assert not (reports / "hand-outs").exists()


def test_hand_out_of_a_folder(folders, tmp_path, capsys):
    code, _, err = run(["hand-out", str(tmp_path)], capsys)
    assert code == 2 and "dat is een map, geen notebook" in err


@pytest.mark.slow
def test_hand_out_of_a_notebook_whose_cell_fails(folders, tmp_path, capsys):
    _, reports = folders
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "kapot.ipynb")
    code, _, err = run(["hand-out", str(tmp_path / "kapot.ipynb")], capsys)
    assert code == 2 and "hand-out van kapot.ipynb niet gemaakt: een cel gaf een fout (ZeroDivisionError" in err
    assert "Traceback" not in err and "WARNING" not in err and not (reports / "hand-outs").exists()


# --- 1. silently the wrong data: what the prepared data were made from ------------------------------

def test_prepared_data_record_their_source_folder_and_fingerprint(demo_prepared):
    info = PrepareInfo.read(demo_prepared.out_dir)
    assert info.source.kind == "demo" and Path(info.source.root) == Path(demo_prepared.raw).resolve()
    assert info.source.fingerprint == raw_fingerprint(demo_prepared.raw) and len(info.source.fingerprint) == 16
    assert info.prepared_at and "Demoland" in info.describe() and str(info.source.root) in info.describe()


def test_raw_fingerprint_is_cheap_and_sees_every_change(tmp_path):
    root = tmp_path / "cbs"
    (root / "85098NED").mkdir(parents=True)
    csv = root / "85098NED" / "85098NED.csv"
    csv.write_text("a;b\n1;2\n")
    (root / "85098NED" / "85098NED.json").write_text(json.dumps({"modified": "2025-06-01"}))
    first = raw_fingerprint(root)
    assert raw_fingerprint(root) == first
    (root / ".85099NED.csv.tmp").write_text("half")  # a download in progress does not count
    assert raw_fingerprint(root) == first
    os.utime(csv, ns=(csv.stat().st_atime_ns, csv.stat().st_mtime_ns + 1_000_000_000))
    touched = raw_fingerprint(root)
    assert touched != first
    (root / "85098NED" / "85098NED.json").write_text(json.dumps({"modified": "2025-07-01"}))
    assert raw_fingerprint(root) != touched
    assert raw_fingerprint(tmp_path / "weg") == ""


def test_raw_fingerprint_of_the_real_snapshot_takes_milliseconds(snapshot_dir):
    raw_fingerprint(snapshot_dir)
    t0 = time.perf_counter()
    raw_fingerprint(snapshot_dir)
    assert time.perf_counter() - t0 < 1.0  # ≈ 0,01 s measured; no table is read


def _rewrite_info(processed: Path, **source) -> PrepareInfo:
    import dataclasses

    info = PrepareInfo.read(processed)
    info = dataclasses.replace(info, source=dataclasses.replace(info.source, **source))
    (processed / "prepare.json").write_text(json.dumps(info.to_json()), encoding="utf-8")
    return info


def test_which_runs_use_what_is_prepared_and_which_prepare_again(demo_copy, tmp_path, monkeypatch):
    from kompas_lib.pipeline import provenance

    processed, _ = demo_copy
    monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)
    made = []
    monkeypatch.setattr(provenance, "choose_source", lambda kind: made.append(kind) or f"<{kind}>")
    assert provenance.plan("auto").source is None  # nothing asked: what is prepared
    assert provenance.plan("demo").source is None  # any Demoland is Demoland

    snapshot = tmp_path / "cbs_a"
    snapshot.mkdir()
    monkeypatch.setenv("KOMPAS_CBS_DIR", str(snapshot))
    todo = provenance.plan("auto")  # the demo prepared, a snapshot asked for
    assert todo.source.root == snapshot.resolve() and todo.source.kind == "snapshot"
    assert "Voorbereid waren fictieve gegevens (Demoland)" in todo.reason
    assert f"CBS-kopie in {snapshot.resolve()}" in todo.reason

    raw = tmp_path / "cbs_b"
    (raw / "85098NED").mkdir(parents=True)
    (raw / "85098NED" / "85098NED.csv").write_text("x")
    _rewrite_info(processed, kind="snapshot", root=str(raw.resolve()), fictitious=False,
                  fingerprint=raw_fingerprint(raw))
    todo = provenance.plan("demo")  # --bron demo on data prepared from CBS
    assert todo.source == "<demo>"
    assert "u vraagt om de fictieve demogegevens (Demoland) (--bron demo)" in todo.reason
    todo = provenance.plan("auto")  # KOMPAS_CBS_DIR points at another snapshot than the one prepared
    assert todo.source.root == snapshot.resolve() and "cbs_b" in todo.reason and "cbs_a" in todo.reason
    monkeypatch.setenv("KOMPAS_CBS_DIR", str(raw))
    assert provenance.plan("auto").source is None and provenance.plan("snapshot").source is None
    (raw / "85098NED" / "85098NED.csv").write_text("xy")  # the same folder, a table replaced
    todo = provenance.plan("auto")
    assert todo.source.root == raw.resolve() and "zijn veranderd sinds ze zijn voorbereid" in todo.reason
    _rewrite_info(processed, fingerprint="")  # prepared by a version that did not record the files
    assert "oudere versie" in provenance.plan("auto").reason
    (processed / "prepare.json").unlink()  # a preparation that stopped halfway: prepare again
    assert provenance.plan("auto").source.root == raw.resolve()
    assert made == ["demo"]


STOP_CASES = [
    ("cbs-map-bestaat-niet", "auto", "weg", ["KOMPAS_CBS_DIR wijst naar", "een map die niet bestaat"]),
    ("cbs-map-is-bestand", "auto", "bestand.csv", ["KOMPAS_CBS_DIR wijst naar", "een bestand, geen map"]),
    ("snapshot-zonder-map", "snapshot", None, ["U vroeg om een CBS-kopie (--bron snapshot)", "niet gezet"]),
]


@pytest.mark.parametrize("bron, cbs, words", [c[1:] for c in STOP_CASES], ids=[c[0] for c in STOP_CASES])
def test_a_source_that_cannot_be_used_stops_and_says_what_is_prepared(demo_copy, tmp_path, monkeypatch, capsys,
                                                                      bron, cbs, words):
    processed, reports = demo_copy
    (tmp_path / "bestand.csv").write_text("x")
    if cbs:
        monkeypatch.setenv("KOMPAS_CBS_DIR", str(tmp_path / cbs))
    else:
        monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)
    before = (processed / "prepare.json").read_bytes()
    code, out, err = run(["run", "-g", "GM9001", "--bron", bron], capsys)
    assert code == 2, (out, err)
    for w in [*words, "Voorbereid zijn nu fictieve gegevens (Demoland)", "geen rapport gemaakt"]:
        assert w in err, err
    assert_plain_dutch(err)
    assert (processed / "prepare.json").read_bytes() == before and not reports.exists()


def test_the_fingerprint_of_a_report_changes_with_the_prepared_data(demo_copy, tmp_path, monkeypatch):
    from kompas_lib.core.params import load_params
    from kompas_lib.pipeline.run import fingerprint

    processed, _ = demo_copy
    monkeypatch.delenv("KOMPAS_HOME")  # the project's notebooks
    pfile = tmp_path / "GM9001.yml"
    pfile.write_text("gemeente: GM9001\n", encoding="utf-8")
    params = load_params(pfile, "GM9001")

    def now() -> dict:
        return fingerprint("GM9001", pfile, params, processed / "prepare.json", None)

    first = now()
    assert first == now() and first["data"]["bron"] == "demo" and first["data"]["kenmerk"]
    _rewrite_info(processed, fingerprint="0" * 16)  # prepared again from other raw files
    second = now()
    assert second["facts"] != first["facts"] and second["data"]["kenmerk"] == "0" * 16
    facts = processed / "facts.parquet"  # the fact table replaced, its record not (yet)
    os.utime(facts, ns=(facts.stat().st_atime_ns, facts.stat().st_mtime_ns + 1_000_000_000))
    assert now()["facts"] != second["facts"]


def _small_snapshot(snapshot_dir: Path, folder: Path, utrecht_2023: str | None = None) -> Path:
    """A few tables of the real snapshot in ``folder``; with ``utrecht_2023`` Utrecht's 2023 figure of
    jongeren met jeugdhulp in natura replaced (another snapshot)."""
    folder.mkdir(parents=True)
    for t in SMALL_SNAPSHOT:
        shutil.copytree(snapshot_dir / t, folder / t, copy_function=shutil.copyfile)
    if utrecht_2023:
        f = folder / "85098NED" / "85098NED.csv"
        lines = f.read_text(encoding="utf-8-sig").splitlines()
        for i, line in enumerate(lines):
            cells = line.split(";")
            if cells[1:3] == ["Utrecht (gemeente)", "2023"]:
                cells[3] = utrecht_2023
                lines[i] = ";".join(cells)
        f.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    for p in folder.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return folder


@pytest.mark.slow
def test_prepare_stopped_halfway_leaves_no_record_of_the_old_data(snapshot_dir, demo_copy, tmp_path, monkeypatch):
    """prepare.json goes before the tables are written and comes back last: a preparation that stops
    halfway is never taken for the old one, the next run prepares again."""
    from kompas_lib.core import io
    from kompas_lib.pipeline import provenance
    from kompas_lib.prepare import facts as prepare_facts
    from kompas_lib.sources import FolderSource

    processed, _ = demo_copy
    small = _small_snapshot(snapshot_dir, tmp_path / "cbs_a")
    real_write = io.write_parquet

    def disk_full(df, path, *a, **kw):
        if Path(path).name == "facts.parquet":
            raise OSError(28, "No space left on device", str(path))
        return real_write(df, path, *a, **kw)

    monkeypatch.setattr(prepare_facts.io, "write_parquet", disk_full)
    with pytest.raises(OSError):
        prepare_facts.prepare(FolderSource(small, "snapshot"), processed, progress=False)
    assert not (processed / "prepare.json").exists() and provenance.prepared_info(processed) is None
    monkeypatch.setenv("KOMPAS_CBS_DIR", str(small))
    assert provenance.plan("auto").source.root == small.resolve()


@pytest.mark.slow
def test_switching_sources_never_reports_on_the_other_data(snapshot_dir, demo_copy, tmp_path, monkeypatch, capsys):
    """Demoland, then a snapshot (KOMPAS_CBS_DIR set after the demo was prepared), then another
    snapshot: every run prepares what it asks for, every report says which data it used and shows
    their figure, none is skipped on the data of the one before."""
    processed, reports = demo_copy
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(probe_notebooks(tmp_path / "notebooks", PROBE_VALUE)))
    snap_a = _small_snapshot(snapshot_dir, tmp_path / "cbs_a")
    snap_b = _small_snapshot(snapshot_dir, tmp_path / "cbs_b", utrecht_2023="17.5")
    params = {}
    for code in ("GM9001", "GM0344"):
        params[code] = tmp_path / f"{code}.yml"
        params[code].write_text(f"gemeente: {code}\n", encoding="utf-8")

    def report(code: str, expect_prepare: str | None) -> tuple[str, dict]:
        rc, out, err = run(["run", "-g", code, "--params", str(params[code])], capsys)
        assert rc == 0, (out, err)
        assert f"{code}: rapport klaar" in out, out  # made, never skipped on the data of the run before
        assert (" feiten uit " in out) == bool(expect_prepare), out  # the line of a preparation
        if expect_prepare:
            assert expect_prepare in out, out
        folder = next(reports.glob(f"{code}-*"))
        record = json.loads((folder / ".kompas-invoer.json").read_text(encoding="utf-8"))
        return (folder / "rapport.html").read_text(encoding="utf-8"), record

    monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)
    demo_html, demo_rec = report("GM9001", None)
    assert "bron: fictieve gegevens (Demoland)" in demo_html and demo_rec["data"]["bron"] == "demo"

    monkeypatch.setenv("KOMPAS_CBS_DIR", str(snap_a))  # the case of issue 26: it used to read Demoland
    a_html, a_rec = report("GM0344", "Voorbereid waren fictieve gegevens (Demoland)")
    kenmerk_a = a_rec["data"]["kenmerk"]
    assert "bron: CBS StatLine (offline kopie)" in a_html
    assert f"Gemaakt uit de gegevensmap 'cbs_a' (kenmerk {kenmerk_a[:8]})" in html.unescape(a_html)
    assert "gebruikte waarde GM0344 15.0" in a_html and a_rec["data"]["map"] == str(snap_a.resolve())

    monkeypatch.setenv("KOMPAS_CBS_DIR", str(snap_b))  # another snapshot: prepared again, not skipped
    b_html, b_rec = report("GM0344", f"u vraagt om de CBS-kopie in {snap_b.resolve()} (KOMPAS_CBS_DIR)")
    kenmerk_b = b_rec["data"]["kenmerk"]
    assert kenmerk_b != kenmerk_a and f"gegevensmap 'cbs_b' (kenmerk {kenmerk_b[:8]})" in html.unescape(b_html)
    assert "gebruikte waarde GM0344 17.5" in b_html and "15.0" not in b_html and "cbs_a" not in b_html
    assert "17.5" not in a_html and "cbs_b" not in a_html and "Demoland" not in a_html + b_html

    rc, out, _ = run(["run", "-g", "GM0344", "--params", str(params["GM0344"])], capsys)
    assert rc == 0 and "GM0344: niets veranderd" in out and "Gegevens: CBS StatLine (offline kopie) uit" in out
    assert not left_over(reports) and not left_over(processed)


# --- 2. and 7. worker processes: bounded, and a dead one fails at most its own gemeente --------------

def _counting_starts(monkeypatch) -> list:
    from kompas_lib.pipeline import batch

    started, start = [], batch._start_worker

    def counted(*args, **kwargs):
        worker = start(*args, **kwargs)
        started.append(worker.process.pid)
        return worker

    monkeypatch.setattr(batch, "_start_worker", counted)
    return started


@pytest.mark.slow
def test_jobs_larger_than_the_gemeenten_starts_no_more_workers(demo_processed, tmp_path, monkeypatch):
    from kompas_lib.pipeline.batch import run_many

    started = _counting_starts(monkeypatch)
    results = run_many(["GM0000", "XX12"], processed=demo_processed, out_root=tmp_path, progress=False, jobs=8)
    assert len(started) == 2 and not any(r.ok for r in results) and all(r.message for r in results)


def _dying_run_one(markers: Path):
    """A stand-in for run_one in the forked workers: the worker making GM9002 is killed (SIGKILL) the
    first time, the one making GM9003 every time; the others make their report in half a second."""
    from kompas_lib.pipeline.run import RunResult

    def run_one(code, params_file=None, **kwargs):
        marker = markers / code
        if code == "GM9003" or (code == "GM9002" and not marker.exists()):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.5)  # GM9001 is still being made when the other worker dies
        return RunResult(code, True, None, "", 0.5, name=code)

    return run_one


@pytest.mark.slow
def test_a_killed_worker_fails_at_most_the_gemeente_it_held(demo_processed, tmp_path, monkeypatch, capsys, caplog):
    """``kill -9`` of a worker of ``--jobs 2``: GM9002's worker is killed once (a new worker makes it),
    GM9003's every time (it fails with a Dutch message after the second); GM9001 is made. The workers
    are real processes; only the report they make is a stand-in (test_pipeline kills a batch with its
    kernels)."""
    from kompas_lib.pipeline import batch

    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)  # the demo is what is prepared and asked for
    monkeypatch.setattr(batch, "run_one", _dying_run_one(markers))  # inherited by the forked workers
    started = _counting_starts(monkeypatch)
    rc, out, err = run(["run", "-g", "GM9001", "GM9002", "GM9003", "--jobs", "2", "--opnieuw"], capsys)
    assert rc == 1, (out, err)
    assert "GM9001: rapport klaar" in out and "GM9002: rapport klaar" in out and "2 gelukt" in out
    failed = [line for line in err.splitlines() if line.startswith("- ")]
    assert "1 van 3 mislukt" in err and len(failed) == 1
    assert failed[0].startswith("- GM9003: het rekenproces dat dit rapport maakte, stopte twee keer onverwacht "
                                "(van buitenaf gestopt met signaal SIGKILL")
    said = caplog.text + err  # the warning goes to stderr on the command line, to caplog under pytest
    assert "GM9002: het rekenproces stopte onverwacht (van buitenaf gestopt met signaal SIGKILL" in said
    assert "maakt deze gemeente opnieuw" in said
    assert_plain_dutch(err)
    # two, then at most one new worker after each death whose gemeente is tried again (none when an idle
    # worker can take it)
    assert 3 <= len(started) <= 4, started
    index = json.loads((tmp_path / "reports" / "index.json").read_text(encoding="utf-8"))
    assert "stopte twee keer onverwacht" in json.dumps(index, ensure_ascii=False)
