"""End to end: papermill runs the notebooks and writes the HTML report (demo and real CBS data)."""

import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import read_cbs

from kompas_lib.pipeline.batch import run_many
from kompas_lib.pipeline.run import run_one

pytestmark = pytest.mark.slow

BAD_SIGNS = ["Traceback", "Error:", "Warning", "warnings.warn", "<Figure size"]


def chromium() -> str:
    """Headless Chromium's command, or skip the test that needs it."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")
    return browser


def print_pdf(html_file, pdf, profile, screenshot=None) -> int:
    """Print an HTML file to an A4 PDF as a reader would (and optionally a screenshot); its page count."""
    common = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", f"--user-data-dir={profile}"]
    url = html_file.as_uri()
    subprocess.run([*common, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url], capture_output=True,
                   timeout=120, check=False)
    if screenshot is not None:
        subprocess.run([*common, "--window-size=1280,2000", f"--screenshot={screenshot}", url], capture_output=True,
                       timeout=120, check=False)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_demo_report_is_complete_and_marked_fictitious(demo_report):
    folder, text, html = demo_report
    assert "FICTIEVE GEGEVENS" in html and "Demoland" in text
    for section in ["Staat van de jeugd", "Kerncijfers jeugdzorg", "Ontwikkeling sinds 2015", "In één oogopslag",
                    "Herkennen we het beeld?", "Bijlage · Bronnen, definities en methoden", "Wat betekent het?",
                    "Vergelijkbare gemeenten", "Alle gemeenten in één beeld", "Wijken", "Groepen jongeren"]:
        assert section in text, section
    for bad in BAD_SIGNS:
        assert bad not in text, bad
    assert html.count("data:image/svg+xml;base64") >= 5
    assert "gemeente = " not in text  # parameters and code are not shown
    data = sorted(p.name for p in (folder / "data").glob("*.csv"))
    assert "kerncijfers.csv" in data and "trend_jongeren_jeugdzorg.csv" in data
    # blocks 2–4 with real computations on the demo files
    for section in ["Blok 2 · Maatschappelijk resultaat", "op koers", "niet meetbaar", "Blok 3 · Activiteiten",
                    "Witte vlekken", "Activiteiten zonder resultaat", "Blok 4 · Kwaliteit van de input",
                    "Werken aanbieders met interventies waarvan bekend is dat ze werken?", "Blok 5"]:
        assert section in text, section
    assert "resultaten.csv" in data and "activiteiten_per_resultaat.csv" in data and "input_caseload.csv" in data
    # fictitious tables carry fictitious numbers, in the report and in every exported file
    assert re.search(r"tabel DL-[0-9A-F]{4}", text)
    for f in [folder / "rapport.html", *(folder / "data").glob("*.csv")]:
        content = re.sub(r"data:image/svg+xml;base64,[A-Za-z0-9+/=]+", "", f.read_text(encoding="utf-8"))
        assert not re.search(r"\d{5}NED", content), f.name


def test_a_failing_code_does_not_stop_the_batch(demo_batch):
    """GM0000 and GM9O01 fail with a reason; the gemeente between them still gets its report and the
    batch index lists all three."""
    ok, out = demo_batch
    assert ok["GM9001"].ok and not ok["GM0000"].ok and not ok["GM9O01"].ok
    assert "fictieve demogegevens" in ok["GM0000"].message
    assert "geen regiocode" in ok["GM9O01"].message
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "GM9001" in index and "mislukt" in index and "gelukt" in index


def test_merged_demo_gemeente_explains_the_herindeling(make_demo_scope):
    from kompas_lib.analysis.sections import staat

    trends = staat.trends(make_demo_scope("GM9040"))
    assert "herindeling" in trends[-1].note
    assert trends[0].figure.data["harmonised"].any() and "Herindeling" in trends[0].source


def test_real_gemeente_on_demo_data_explains_why(demo_processed, tmp_path):
    r = run_one("GM0344", processed=demo_processed, out_root=tmp_path)
    assert not r.ok and "fictieve demogegevens" in r.message and "KOMPAS_CBS_DIR" in r.message


def test_utrecht_report_shows_the_cbs_figures(utrecht_report, snapshot_dir):
    folder, text, _ = utrecht_report
    for bad in BAD_SIGNS:
        assert bad not in text, bad
    raw = read_cbs(snapshot_dir, "85098NED")
    cbs = raw[(raw.RegioS == "Utrecht (gemeente)") & (raw.Perioden == "2023")].JongerenMetJeugdhulpInNatura_1
    shown = f"{float(cbs.iloc[0]):.1f}".replace(".", ",") + "\u00a0%"
    assert "Jongeren met jeugdhulp in natura" in text and shown in text  # 15,0 %
    exported = pd.read_csv(folder / "data" / "kerncijfers.csv", sep=";", decimal=",")
    row = exported[(exported.indicator == "pct_jeugdhulp_in_natura") & (exported.region_code == "GM0344")]
    assert row.value.iloc[0] == float(cbs.iloc[0]) and row.source_table.iloc[0] == "85098NED"
    assert "CBS StatLine" in text and "FICTIEVE" not in text


def test_cli_reports_failures_with_exit_code(demo_processed, tmp_path):
    env = {"KOMPAS_PROCESSED_DIR": str(demo_processed), "KOMPAS_REPORTS_DIR": str(tmp_path), "PATH": ""}
    proc = subprocess.run([sys.executable, "-m", "kompas_lib.cli", "run", "--gemeente", "GM0000"],
                          capture_output=True, text=True, env=env, timeout=300)
    # the code is checked before any report starts: one message, no traceback, a non-zero exit
    assert proc.returncode == 2 and "GM0000 is geen bekende gemeente" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_params_new_and_clear_error_on_existing(tmp_path, monkeypatch):
    from kompas_lib.cli import main

    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    (tmp_path / "params").mkdir()
    assert main(["params", "new", "GM0344", "--naam", "Utrecht"]) == 0
    assert (tmp_path / "params" / "GM0344.yml").is_file()
    assert main(["params", "new", "GM0344"]) == 2


def test_report_is_self_contained_dutch_and_navigable(demo_report):
    import re
    import stat

    folder, _, html = demo_report
    assert '<html lang="nl"' in html and "<script" not in html.lower()
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)  # nothing loaded from elsewhere
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert links and all(link in ids for link in links)  # the table of contents resolves
    assert html.index("kompas-voorblad") < html.index('id="blok-1-staat-van-de-jeugd-waterveen"')
    assert all(re.search(r'<img [^>]*alt="[^"]+"', tag) for tag in re.findall(r"<img [^>]*>", html))
    mode = stat.S_IMODE((folder / "rapport.html").stat().st_mode)
    assert mode == 0o644 and (folder / "rapport.html").stat().st_size < 3_000_000


def test_report_prints_on_a4_in_headless_chromium(demo_report, tmp_path):
    folder, _, _ = demo_report
    pdf, png = tmp_path / "rapport.pdf", tmp_path / "rapport.png"
    pages = print_pdf(folder / "rapport.html", pdf, tmp_path / "profile", png)
    # Demoland has every block filled, the expected-use sections and its folded reference tables printed open
    assert 8 <= pages <= 40, pages
    assert png.stat().st_size > 50_000  # a rendered page, not a blank one


def _plain(fragment: str) -> str:
    """Text of an HTML fragment as a PDF's text layer has it: no tags, entities, ligatures or spaces."""
    import html as html_lib
    import unicodedata

    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("\u00ad", "")


def test_utrecht_is_a_partners_report_that_prints_whole_on_at_most_20_pages(utrecht_report, tmp_path):
    """The partners' edition has no how-to for the analyst (that is in the analyst's edition beside it);
    on A4 it takes at most 20 pages and nothing is cut: every table's header row and last column are in
    the PDF's text."""
    from pypdf import PdfReader

    folder, text, html = utrecht_report
    assert "Voor de analist" not in text and "instellingenbestand" not in text and "Sjabloon voor" not in text
    assert "Wat we aanbieders vragen aan te leveren" in text
    analyst = (folder / "rapport-voor-analist.html").read_text(encoding="utf-8")
    assert "Uitgave voor de analist" in analyst and "Sjabloon voor activiteiten" in analyst
    pdf = tmp_path / "utrecht.pdf"
    pages = print_pdf(folder / "rapport.html", pdf, tmp_path / "profile")
    assert pages <= 20, pages
    printed = _plain(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    tables = re.findall(r'<table class="kompas">.*?</table>', html, flags=re.S)
    assert len(tables) >= 20
    for table in tables:
        for head in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S):
            assert _plain(head) in printed, head
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[-1], flags=re.S):
            last = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[-1]
            assert _plain(last) in printed, last


def test_unchanged_gemeente_is_skipped_and_a_changed_input_is_not(demo_batch, demo_processed, tmp_path):
    from kompas_lib.core.params import load_params
    from kompas_lib.pipeline.run import fingerprint

    import shutil

    out = tmp_path / "reports"  # the session's batch is shared: run into a copy
    shutil.copytree(demo_batch[1], out)
    again = run_many(["GM9001"], processed=demo_processed, out_root=out, progress=False, force=False)[0]
    assert again.ok and again.skipped and again.seconds < 10
    assert "niets veranderd" in (out / "index.html").read_text(encoding="utf-8")
    params_file = tmp_path / "GM9001.yml"
    params_file.write_text("gemeente: GM9001\nvergelijkbare_gemeenten:\n  k: 5\n", encoding="utf-8")
    info = demo_processed / "prepare.json"
    before = fingerprint("GM9001", params_file, load_params(params_file, "GM9001"), info, None)
    params_file.write_text("gemeente: GM9001\nvergelijkbare_gemeenten:\n  k: 6\n", encoding="utf-8")
    after = fingerprint("GM9001", params_file, load_params(params_file, "GM9001"), info, None)
    assert before["params"] != after["params"] and before["library"] == after["library"]


def test_parallel_workers_keep_going_past_failures(demo_processed, tmp_path):
    results = run_many(["GM0000", "GM9O01", "XX12"], processed=demo_processed, out_root=tmp_path, progress=False,
                       jobs=2)
    assert [r.code for r in results] == ["GM0000", "GM9O01", "XX12"] and not any(r.ok for r in results)
    assert all(r.message for r in results)


def test_selections_on_todays_indeling(demo_processed):
    from kompas_lib.core.errors import KompasError
    from kompas_lib.pipeline.batch import select_codes

    everyone = select_codes(alle=True, processed=demo_processed)
    region = select_codes(regio="jz91", processed=demo_processed)
    assert len(everyone) >= 30 and region[-1] == "JZ91" and set(region[:-1]) <= set(everyone)
    with pytest.raises(KompasError, match="geen jeugdregio"):
        select_codes(regio="JZ99", processed=demo_processed)


def test_a_report_interrupted_before_its_fingerprint_is_made_again(demo_batch, demo_processed, tmp_path):
    """The fingerprint is written last: a run killed after the HTML but before it is not trusted."""
    import shutil

    from kompas_lib.pipeline.run import FINGERPRINT

    _, out = demo_batch
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    folder = next(copy.glob("GM9001-*"))
    (folder / FINGERPRINT).unlink()
    again = run_many(["GM9001"], processed=demo_processed, out_root=copy, progress=False, force=False)[0]
    assert again.ok and not again.skipped and (folder / FINGERPRINT).is_file()
    assert run_many(["GM9001"], processed=demo_processed, out_root=copy, progress=False, force=False)[0].skipped


def test_a_killed_batch_continues_where_it_stopped(demo_processed, tmp_path):
    """Kill a batch (and its kernel) after its first report; the same command again skips that report,
    makes the others, and leaves no temporary files."""
    import os
    import signal
    import time

    from test_kernel import _probe_notebooks  # one small notebook per report: the test is about the batch

    import nbformat

    reports = tmp_path / "reports"
    notebooks = _probe_notebooks(tmp_path / "notebooks")
    # a report after the first takes seconds, so the kill below lands while it is being made (a probe report alone
    # takes a fraction of a second: the second could be finished before the first one's fingerprint is seen)
    wait = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('gemeente = "GM9001"'),
                                           nbformat.v4.new_code_cell('import time\nif gemeente != "GM9004":\n'
                                                                     '    time.sleep(5)')])
    wait.cells[0].metadata["tags"] = ["parameters"]
    wait.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(wait, notebooks / "02_wacht.ipynb")
    env = {**os.environ, "KOMPAS_PROCESSED_DIR": str(demo_processed), "KOMPAS_REPORTS_DIR": str(reports),
           "KOMPAS_NOTEBOOKS_DIR": str(notebooks)}
    env.pop("KOMPAS_CBS_DIR", None)  # the demo is prepared; with a CBS folder set, the run would prepare that
    cmd = [sys.executable, "-m", "kompas_lib.cli", "run", "-g", "GM9004", "GM9005", "--jobs", "1"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not list(reports.glob("GM9004-*/.kompas-invoer.json")):
        assert proc.poll() is None and time.monotonic() < deadline, "the first report was not made"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(list(reports.glob("*/.kompas-invoer.json"))) < 2  # killed before the end

    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "GM9004: niets veranderd" in again.stdout and "0 mislukt" in again.stdout
    assert len(list(reports.glob("*/.kompas-invoer.json"))) == 2
    assert not list(reports.rglob("*.tmp"))


def test_a_folded_table_is_printed_open(tmp_path):
    """A reference table folded on screen prints whole: 200 folded rows take pages, not one line."""
    from kompas_lib.analysis.section import Section
    from kompas_lib.presentation.report import postprocess_html
    from kompas_lib.presentation.view import section_html

    chromium()
    table = pd.DataFrame({"Indicator": [f"Regel {i}" for i in range(200)], "Toelichting": ["tekst"] * 200})
    folded = section_html(Section("alle", "Alle indicatoren", table=table, detail=True))
    assert "<details" in folded
    pages = {}
    for name, css in (("printed", True), ("screen", False)):
        page = postprocess_html(f"<html><head></head><body>{folded}</body></html>", False)
        if not css:  # the same page without the print rule: the table stays folded
            page = re.sub(r"details\.kompas-detail::details-content[^}]*}", "", page)
        html_file = tmp_path / f"{name}.html"
        html_file.write_text(page, encoding="utf-8")
        pages[name] = print_pdf(html_file, tmp_path / f"{name}.pdf", tmp_path / name)
    assert pages["screen"] == 1 and pages["printed"] >= 3, pages
