"""End to end: papermill runs the notebooks and writes the HTML report (demo and real CBS data)."""

import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.prepare.facts import prepare
from kompas_lib.presentation.pipeline import run_many, run_one
from kompas_lib.sources import FolderSource
from kompas_lib.sources.demo import generate_demo

pytestmark = pytest.mark.slow

BAD_SIGNS = ["Traceback", "Error:", "Warning", "warnings.warn", "<Figure size"]


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S))


@pytest.fixture(scope="module")
def demo_processed(tmp_path_factory):
    raw = tmp_path_factory.mktemp("demo_raw")
    generate_demo(raw)
    out = tmp_path_factory.mktemp("demo_processed")
    prepare(FolderSource(raw, "demo"), out, progress=False)
    return out


def test_demo_report_is_complete_and_marked_fictitious(demo_processed, tmp_path):
    r = run_one("GM9001", processed=demo_processed, out_root=tmp_path)
    assert r.ok, r.message
    html = r.report.read_text(encoding="utf-8")
    text = text_of(html)
    assert "FICTIEVE GEGEVENS" in html and "Demoland" in text
    for section in ["Staat van de jeugd", "Kerncijfers jeugdzorg", "Ontwikkeling sinds 2015",
                    "Herkennen we het beeld?", "Bijlage: bronnen, definities en methoden", "Wat valt op", "Wat betekent het?",
                    "Vergelijkbare gemeenten", "Alle gemeenten in één beeld", "Wijken", "Groepen jongeren"]:
        assert section in text, section
    for bad in BAD_SIGNS:
        assert bad not in text, bad
    assert html.count("data:image/png;base64") >= 5
    assert "gemeente = " not in text  # parameters and code are not shown
    data = sorted(p.name for p in (r.report.parent / "data").glob("*.csv"))
    assert "kerncijfers.csv" in data and "trend_jongeren_jeugdzorg.csv" in data
    # blocks 2–4 with real computations on the demo files
    for section in ["Blok 2 · Maatschappelijk resultaat", "op koers", "niet meetbaar", "Blok 3 · Activiteiten",
                    "Witte vlekken", "Activiteiten zonder resultaat", "Blok 4 · Kwaliteit van de input",
                    "Werken aanbieders met interventies waarvan bekend is dat ze werken?", "Blok 5"]:
        assert section in text, section
    assert "resultaten.csv" in data and "activiteiten_per_resultaat.csv" in data and "input_caseload.csv" in data


def test_merged_demo_gemeente_and_jeugdregio_as_a_whole(demo_processed, tmp_path):
    results = run_many(["GM9040", "JZ91"], processed=demo_processed, out_root=tmp_path, progress=False)
    assert all(r.ok for r in results), [r.message for r in results]
    assert "herindeling" in text_of(results[0].report.read_text(encoding="utf-8"))


def test_a_failing_gemeente_does_not_stop_the_batch(demo_processed, tmp_path):
    results = run_many(["GM0000", "GM9002", "GM9O01"], processed=demo_processed, out_root=tmp_path, progress=False)
    ok = {r.code: r for r in results}
    assert ok["GM9002"].ok and not ok["GM0000"].ok and not ok["GM9O01"].ok
    assert "fictitious demo" in ok["GM0000"].message
    assert "not a region code" in ok["GM9O01"].message
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "GM9002" in index and "mislukt" in index and "gelukt" in index


def test_real_gemeente_on_demo_data_explains_why(demo_processed, tmp_path):
    r = run_one("GM0344", processed=demo_processed, out_root=tmp_path)
    assert not r.ok and "fictitious demo" in r.message and "KOMPAS_CBS_DIR" in r.message


def test_utrecht_report_shows_the_cbs_figures(real, snapshot_dir, tmp_path):
    r = run_one("GM0344", processed=real.out_dir, out_root=tmp_path)
    assert r.ok, r.message
    text = text_of(r.report.read_text(encoding="utf-8"))
    for bad in BAD_SIGNS:
        assert bad not in text, bad
    raw = read_cbs(snapshot_dir, "85098NED")
    cbs = raw[(raw.RegioS == "Utrecht (gemeente)") & (raw.Perioden == "2023")].JongerenMetJeugdhulpInNatura_1
    shown = f"{float(cbs.iloc[0]):.1f}".replace(".", ",") + "\u00a0%"
    assert "Jongeren met jeugdhulp in natura" in text and shown in text  # 15,0 %
    exported = pd.read_csv(r.report.parent / "data" / "kerncijfers.csv", sep=";", decimal=",")
    row = exported[(exported.indicator == "pct_jeugdhulp_in_natura") & (exported.region_code == "GM0344")]
    assert row.value.iloc[0] == float(cbs.iloc[0]) and row.source_table.iloc[0] == "85098NED"
    assert "CBS StatLine" in text and "FICTIEVE" not in text


def test_cli_reports_failures_with_exit_code(demo_processed, tmp_path):
    env = {"KOMPAS_PROCESSED_DIR": str(demo_processed), "KOMPAS_REPORTS_DIR": str(tmp_path), "PATH": ""}
    proc = subprocess.run([sys.executable, "-m", "kompas_lib.cli", "run", "--gemeente", "GM0000"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1 and "GM0000" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_params_new_and_clear_error_on_existing(tmp_path, monkeypatch):
    from kompas_lib.cli import main

    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    (tmp_path / "params").mkdir()
    assert main(["params", "new", "GM0344", "--naam", "Utrecht"]) == 0
    assert (tmp_path / "params" / "GM0344.yml").is_file()
    assert main(["params", "new", "GM0344"]) == 2
