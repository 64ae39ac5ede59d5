"""Training tools: the widgets are driven as a participant would (set values, press buttons)."""

import datetime
import html

import nbformat
import pytest
import yaml

from kompas_lib.core.params import Ambitie
from kompas_lib.presentation import handout, training
from kompas_lib.sources.sjablonen import load


@pytest.fixture(scope="module")
def verkenner(demo_processed):
    return training.Verkenner(demo_processed)


def test_verkenner_updates_at_once_and_explains_a_typo(verkenner):
    first = verkenner.sentence
    assert "Waterveen" in first and "uitzonderlijk" in first and "<img" in verkenner.out.value
    verkenner.indicator.value = "pct_jeugdhulp_in_natura"
    assert verkenner.sentence != first and "jeugdhulp in natura" in verkenner.sentence
    verkenner.gemeente.value = "bergsted"  # a typo gets the nearest gemeente, and says so
    assert "Bergstede" in verkenner.sentence and "bedoelt u Bergstede" in verkenner.message.value
    verkenner.gemeente.value = "Atlantis"
    assert "staat niet in de gegevens" in verkenner.message.value and verkenner.out.value == ""
    verkenner.gemeente.value = "GM9001"
    verkenner.benchmarks.value = ("nederland",)
    assert "Waterveen" in verkenner.sentence and verkenner.message.value == ""


def test_verkenner_judges_every_chosen_comparison(verkenner):
    """One sentence per chosen comparison with the report's verdict; a comparison without a figure says
    why; without 'land' there is still a verdict."""
    verkenner.gemeente.value, verkenner.indicator.value = "Waterveen", "jongeren_jeugdzorg"
    verkenner.benchmarks.value = ("provincie", "jeugdregio", "vergelijkbare_gemeenten")
    said = dict(zip(("provincie", "jeugdregio", "vergelijkbare_gemeenten"), verkenner.oordeel))
    assert len(verkenner.oordeel) == 3 and "Oordeel per vergelijking" in verkenner.out.value
    assert said["provincie"].startswith("Vergeleken met de provincie (2023)") and "Noorderland" in said["provincie"]
    assert "binnen de gewone verschillen" in said["jeugdregio"]  # Waterveen weighs heavily in its own jeugdregio
    assert "Opvallend: hoger dan elk van de 8 vergelijkbare gemeenten" in said["vergelijkbare_gemeenten"]
    verkenner.benchmarks.value = ("grootteklasse",)  # Waterveen is Demoland's only city of its size
    assert "enige gemeente van haar grootte" in verkenner.oordeel[0]
    verkenner.gemeente.value = "Lindehoven"  # CBS publishes this figure for no grootteklasse
    assert "niet per grootteklasse gepubliceerd" in verkenner.oordeel[0]
    verkenner.indicator.value = "pct_jeugdhulp_met_verblijf"  # ... but this one it does
    assert "in Gemeenten met minder dan 20.000 inwoners" in verkenner.oordeel[0]
    verkenner.benchmarks.value = ()
    assert "Kies hierboven minstens één vergelijking" in verkenner.oordeel[0]


def test_real_gemeente_names_are_not_taken_for_demoland_ones(verkenner):
    """'Amsterdam' is not silently Haverdam: a real name (or a typo of one) says it is not in Demoland."""
    for typed, real in (("Amsterdam", "Amsterdam"), ("amsterdm", "Amsterdam"), ("Utrech", "Utrecht")):
        found = verkenner.find(typed)
        assert found.code is None and real in found.message and "staat niet in Demoland" in found.message, typed
    assert verkenner.find("haverdm").code == "GM9018" and verkenner.find("Haverdam").message == ""
    verkenner.gemeente.value = "Amsterdam"
    assert "echte gemeente" in verkenner.message.value and verkenner.out.value == ""
    verkenner.gemeente.value = "Waterveen"


def test_command_line_suggests_the_gemeente_before_regions_of_the_same_name():
    import pandas as pd

    from kompas_lib.analysis import codes
    from kompas_lib.core.errors import KompasError

    cat = {"GM0344": ("Utrecht", "gemeente"), "PV26": ("Utrecht", "provincie"), "JZ22": ("Utrecht West", "jeugdregio"),
           "JZ23": ("Utrecht Stad", "jeugdregio"), "GM0363": ("Amsterdam", "gemeente")}
    with pytest.raises(KompasError) as exc:
        codes.resolve(["Utrech"], cat, {"GM0344", "GM0363"}, pd.DataFrame(columns=["oud_code", "nieuw_code"]))
    assert "bedoelt u GM0344 (Utrecht) of PV26 (provincie Utrecht)" in str(exc.value)


def test_verkenner_on_real_data(real):
    v = training.Verkenner(real.out_dir, "Utrecht")
    assert "Utrecht" in v.sentence and "Nederland" in v.sentence
    assert v.find("Amsterdam").code == "GM0363"  # real data: real names are simply found


def _oefening(demo_processed, **values):
    t = training.TestDeIndicatoren(demo_processed, "Waterveen")
    t.resultaat.value = "Minder jongeren hebben jeugdhulp met verblijf nodig"
    for key, value in values.items():
        getattr(t, key).value = value
    return t, t.check()


def test_indicator_exercise_starts_blank_and_answers_like_block_2(demo_processed, tmp_path, monkeypatch):
    t = training.TestDeIndicatoren(demo_processed, "Waterveen")
    assert (t.indicator.value, t.richting.value, t.doel.value, t.doeljaar.value) == (None, None, "", "")
    assert t.check() is None and "Kies eerst een indicator" in t.message.value
    t, r = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="lager", doel="15", doeljaar="2029")
    text = r.as_text()
    assert r.meetbaar and "Basiswaarde" in text and "Kleinste zichtbare verandering" in text
    assert "procentpunt per jaar" in text and "T · tijdgebonden: ja" in text
    monkeypatch.setenv("KOMPAS_OEFENINGEN_DIR", str(tmp_path))
    saved = t.save()
    assert saved == tmp_path / "GM9001" / "resultaat.yml" and str(saved.parent) in t.message.value
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    amb = Ambitie(**data["ambities"][0])  # a valid params fragment
    assert amb.resultaten[0].indicatoren[0].doel == 15.0 and amb.resultaten[0].indicatoren[0].richting == "lager"
    t.doel.value = "1.5.0"  # a number as nobody writes it: one Dutch sentence, nothing tested or saved
    assert t.check() is None and "is geen getal" in t.message.value and t.out.value == ""
    t.doel.value, t.doeljaar.value = "15", "twintig"
    assert t.check() is None and "geen getal" in t.message.value


def test_indicator_exercise_catches_participants_mistakes(demo_processed):
    _, wrong_way = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="hoger", doel="1",
                             doeljaar="2029")
    assert "andere kant" in wrong_way.as_text()
    assert any(w.startswith("A ") and not ok for w, ok, _ in wrong_way.smart)
    _, polarity = _oefening(demo_processed, indicator="vsv", richting="hoger", doel="9", doeljaar="2029")
    assert "Bedoelt u 'lager'" in polarity.as_text()
    assert [ok for w, ok, _ in polarity.smart if w.startswith("A ")] == [False]  # the wrong direction is not acceptable
    _, neutral = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="hoger", doel="25", doeljaar="2029")
    assert "geen goede richting" in neutral.as_text()  # no direction to check: said, not silently accepted
    t, tiny = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="lager", doeljaar="2029")
    assert tiny.zichtbaar > 0.1
    t.doel.value = str(round(tiny.basis - tiny.zichtbaar / 2, 2)).replace(".", ",")
    assert "niet aantonen" in t.check().as_text()
    t.gemeente.value = "Atlantis"
    assert t.check() is None and "staat niet in de gegevens" in t.message.value


def test_a_target_for_the_lowest_gemeente_is_judged_on_its_own_course(demo_processed):
    """Waterveen has the lowest share of jeugdhulp met verblijf of all gemeenten: no other gemeente can
    show whether lower is possible, so its own pace decides (not '0 % of the gemeenten reach it')."""
    _, r = _oefening(demo_processed, indicator="pct_jeugdhulp_met_verblijf", richting="lager", doel="6,0",
                     doeljaar="2028")
    realistic = {w: (ok, why) for w, ok, why in r.smart}["A · acceptabel en R · realistisch"]
    assert realistic[0] and "laagste cijfer van alle gemeenten" in realistic[1]
    _, far = _oefening(demo_processed, indicator="pct_jeugdhulp_met_verblijf", richting="lager", doel="1",
                       doeljaar="2025")  # far faster than it ever changed: not realistic, even for the lowest
    assert not {w: ok for w, ok, _ in far.smart}["A · acceptabel en R · realistisch"]


def _duiden(demo_processed, **folder):
    d = training.Duiden(demo_processed, "Waterveen", **folder)
    assert d.signaal.options and d.signaal.value is None, "Demoland gives Waterveen signals; none is chosen for them"
    d.signaal.value = 0
    return d


def _report_checks_pass(processed, params_file, monkeypatch):
    """What `make training-report` checks before any notebook runs (the own files among them)."""
    from kompas_lib.pipeline import run

    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(processed))
    return run._job("GM9001", params_file)


def test_duiden_saves_nothing_invalid_and_says_why(demo_processed, tmp_path, monkeypatch):
    """Each mistake of the issue: nothing is written, the message says what to do; a valid save is
    checked by the own-file validator and the next report's checks pass."""
    from kompas_lib.presentation import exercises

    monkeypatch.setenv("KOMPAS_OEFENINGEN_DIR", str(tmp_path))
    d = _duiden(demo_processed)
    folder = tmp_path / "GM9001"
    assert str(folder) in d.waar.value  # the participant sees where the work is kept
    assert d.save() == [] and "minstens één" in d.message.value
    d.antwoorden["herkennen"].value = "Ja; het wijkteam ziet =SUM(A1) meer aanmeldingen"
    d.actie.value = "Gesprek met de huisartsen"
    assert d.save() == [] and "aanspreekpunt" in d.message.value and not folder.exists()
    d.aanspreekpunt.value = "beleidsadviseur jeugd"
    d.evaluatie.value = datetime.date.today() - datetime.timedelta(days=30)  # before the start date
    assert d.save() == [] and "ligt vóór vandaag" in d.message.value and not folder.exists()
    d.antwoorden["vinden"].value = "x" * 10_001  # the validator itself refuses (a cell longer than a file allows)
    d.evaluatie.value = datetime.date.today() + datetime.timedelta(days=180)
    assert d.save() == [] and d.message.value.startswith('<p style="color:#B00020">Niet bewaard:')
    assert "'Vinden': de tekst is te lang" in html.unescape(d.message.value) and not folder.exists()
    d.antwoorden["vinden"].value = "Zorgelijk"
    duiding, acties = d.save()
    assert duiding.parent == folder and "volgende rapport van Waterveen" in d.message.value
    read = load(duiding, "duiding")
    assert "wijkteam" in " ".join(read["herkennen"].astype(str))
    demo_rows = len(load(d._scope_now.prepare_info.demo_root / "verbeteracties.csv", "verbeteracties"))
    assert len(load(acties, "verbeteracties")) == demo_rows + 1  # Demoland's example rows kept, ours added
    params = folder / "params.yml"
    assert exercises.params_option("Waterveen", demo_processed) == f"--params {params}"
    job = _report_checks_pass(demo_processed, params, monkeypatch)
    assert job.params.lokale_gegevens.duiding == "duiding.csv" and job.params.ambities  # the gemeente's params kept
    before = acties.read_bytes()
    d.evaluatie.value = datetime.date(2020, 1, 1)
    assert d.save() == [] and acties.read_bytes() == before  # a later mistake leaves the saved work as it was


def test_duiden_in_a_folder_of_its_own(demo_processed, tmp_path):
    d = _duiden(demo_processed, folder=tmp_path)
    d.antwoorden["verklaren"].value = "Meer <b>gezinnen</b> met schulden sinds de sluiting van de fabriek"
    assert [p.name for p in d.save()] == ["duiding.csv"]
    assert "<b>" not in d.message.value and "lokale_gegevens" in d.message.value
    assert "fabriek" in " ".join(load(tmp_path / "duiding.csv", "duiding")["verklaren"].astype(str))


@pytest.mark.slow
def test_saved_work_survives_rebuilding_the_demo_and_shows_in_the_next_report(demo_processed, tmp_path,
                                                                             monkeypatch):
    """`make report BRON=demo` and `kompas prepare --bron demo` (the same preparation, in-process) and
    a fresh demo build (`kompas demo`) leave the exercise folder alone; the training report shows it."""
    from kompas_lib import cli
    from kompas_lib.core import paths
    from kompas_lib.pipeline.run import run_one
    from kompas_lib.presentation import exercises
    from kompas_lib.sources.demoland import generate_demo

    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    home = tmp_path / "home"
    shutil.copytree(root / "params", home / "params")
    monkeypatch.setenv("KOMPAS_HOME", str(home))  # default folders: <home>/oefeningen, <home>/data/raw/demo
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(root / "notebooks"))
    monkeypatch.delenv("KOMPAS_OEFENINGEN_DIR", raising=False)
    d = _duiden(demo_processed)
    d.antwoorden["nodig"].value = "Afspraken met huisartsen over eerst het wijkteam"
    saved = d.save()
    assert saved and all(p.parent == home / "oefeningen" / "GM9001" for p in saved)
    before = {p: p.read_bytes() for p in (home / "oefeningen").rglob("*") if p.is_file()}
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(home / "data" / "processed"))
    assert cli.main(["prepare", "--bron", "demo"]) == 0  # generates data/raw/demo and prepares it
    cli._ensure_prepared("demo")  # `make report BRON=demo`: kompas run checks (and if needed redoes) the same
    generate_demo(paths.demo_dir())  # `kompas demo`
    assert {p: p.read_bytes() for p in (home / "oefeningen").rglob("*") if p.is_file()} == before
    params = exercises.report_params("GM9001")
    result = run_one("GM9001", params, processed=home / "data" / "processed", out_root=tmp_path / "rapporten")
    assert result.ok, result.message
    assert "eerst het wijkteam" in result.report.read_text(encoding="utf-8")


def test_training_notebooks_tell_how_to_run_a_cell():
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks" / "training").glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown" and "Shift+Enter" in first.source, path.name


def test_jupyterlab_asks_no_news_question(tmp_path):
    """`make training` writes JupyterLab's overrides.json (merged with what is there): no news pop-up."""
    import json
    from pathlib import Path

    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "overrides.json").write_text('{"@jupyterlab/x:y": {"a": 1}}')
    data = json.loads(training.quiet_jupyterlab(tmp_path).read_text())
    assert data["@jupyterlab/x:y"] == {"a": 1}
    assert data["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    recipe = makefile.split("\ntraining: ")[1].split("\n\n")[0]
    assert "quiet_jupyterlab()" in recipe and "jupyter lab" in recipe


def _print(html_file, pdf):
    """An HTML file printed by headless Chromium as a reader would (A4 from the page's CSS); its pages'
    text (pdftotext) and sizes."""
    import re
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftotext") is None:
        pytest.skip("headless Chromium or pdftotext is not installed")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", f"--user-data-dir={pdf.parent / 'profiel'}",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html_file.as_uri()],
                   capture_output=True, timeout=120, check=False)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf.read_bytes())
    return text.split("\f"), {(round(float(w)), round(float(h))) for w, h in sizes}


@pytest.mark.slow
def test_training_notebooks_run_headless_and_print_as_hand_outs(demo_processed, monkeypatch, tmp_path):
    """Each notebook runs in a kernel; its hand-out prints on A4 in headless Chromium with a full first
    page, the peers table whole, no preset answers, the options and the write-in rows listed."""
    from pathlib import Path

    from nbclient import NotebookClient

    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path))
    monkeypatch.setenv("KOMPAS_OEFENINGEN_DIR", str(tmp_path / "oefeningen"))
    folder = Path(__file__).resolve().parents[1] / "notebooks" / "training"
    found = sorted(folder.glob("*.ipynb"))
    assert len(found) == 3
    for path in found:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"
        NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                       extra_arguments=["--IPKernelApp.log_level=ERROR"],
                       resources={"metadata": {"path": str(folder)}}).execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), path.name
        # the hand-out adds a static copy of what each tool showed, readable without the widget scripts
        page = handout.handout_html(nb)
        static = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs if "text/html" in o.get("data", {})]
        assert static and all("Waterveen" in h and "Momentopname" in h for h in static), path.name
        html_file = tmp_path / f"{path.stem}.html"
        html_file.write_text(page, encoding="utf-8")
        pages, sizes = _print(html_file, tmp_path / f"{path.stem}.pdf")
        assert sizes == {(595, 842)}, (path.name, sizes)  # A4
        assert len(pages[0].split()) > 150, path.name  # page 1 is full, not one heading and a gap
        text = " ".join(" ".join(p.split()) for p in pages)
        if path.stem == "1_verkenner":
            assert "uitzonderlijk" in static[0] and "data:image/svg+xml;base64" in static[0]
            assert "Oordeel per vergelijking" in text
            for column in ("Gemeente", "Afstand", "eenouderhuishoudens", "bijstand"):  # no column cut off
                assert column in text, column
        if path.stem == "2_test_de_indicatoren":
            assert "Doel 0" not in text and "☐ lager" in text and "☐ Jongeren met jeugdbescherming" in text
            assert page.count('class="lijn"') >= 8  # long lines: three per text area, one per field
        if path.stem == "3_duiden":
            assert "Evalueren op" in text, text
            assert "kruis aan" in text and str(tmp_path / "oefeningen" / "GM9001") in page


def test_snapshot_of_a_widget_state_shows_choices_outputs_and_escapes_text():
    """A synthetic saved widget state: nested boxes, each kind of control, an empty text box as a line
    to fill in, an output with a figure; text typed by a participant stays text."""
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_dd", "IPY_MODEL_inner", "IPY_MODEL_out"]}},
        "inner": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_sm", "IPY_MODEL_rs", "IPY_MODEL_ta",
                                                                    "IPY_MODEL_tx", "IPY_MODEL_bt", "IPY_MODEL_fl",
                                                                    "IPY_MODEL_dp", "IPY_MODEL_open"]}},
        "dd": {"model_name": "DropdownModel", "state": {"description": "Indicator", "index": 1,
                                                       "_options_labels": ["Eerste", "Jongeren met jeugdzorg"]}},
        "sm": {"model_name": "SelectMultipleModel", "state": {"description": "Vergelijk met", "index": [0, 2],
                                                             "_options_labels": ["land", "provincie", "regio"]}},
        "rs": {"model_name": "IntRangeSliderModel", "state": {"description": "Jaren", "value": [2015, 2023]}},
        "ta": {"model_name": "TextareaModel", "state": {"description": "Herkennen", "value": "",
                                                       "placeholder": "Herkennen we het beeld?"}},
        "dp": {"model_name": "DatePickerModel", "state": {"description": "Evalueren op", "value": None}},
        "open": {"model_name": "DropdownModel", "state": {"description": "Richting", "index": None,
                                                         "_options_labels": ["hoger", "lager"]}},
        "tx": {"model_name": "TextModel", "state": {"description": "Wie", "value": "<script>x</script>",
                                                   "placeholder": "\u200b"}},
        "bt": {"model_name": "ButtonModel", "state": {"description": "Bewaar"}},
        "fl": {"model_name": "FloatTextModel", "state": {"description": "Doel", "value": 12.5}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}},
            {"output_type": "stream", "name": "stdout", "text": "a < b"}]}},
    }
    html_ = handout.widget_snapshot(state, "box")
    for expected in ["<th>Indicator</th><td>Jongeren met jeugdzorg</td>", "<td>land, regio</td>", "<td>2015–2023</td>",
                     "Herkennen we het beeld?</span>" + '<span class="lijn"></span>' * 3,
                     "<td>12,5</td>", "<th>Evalueren op</th><td class=\"invul\"><span class=\"noot\">datum",
                     "<li>☐ hoger</li><li>☐ lager</li>", "&lt;script&gt;x&lt;/script&gt;",
                     'src="data:image/png;base64,iVBORw0KGgo="', "<pre>a &lt; b</pre>"]:
        assert expected in html_, expected
    assert "Bewaar" not in html_ and "<script>" not in html_


def test_handout_of_a_missing_notebook_is_one_clear_message(capsys):
    from kompas_lib import cli

    assert cli.main(["hand-out", "bestaat_niet.ipynb"]) == 2
    err = capsys.readouterr().err
    assert "Notebook niet gevonden: bestaat_niet.ipynb" in err and "Traceback" not in err


@pytest.mark.slow
def test_hand_out_prints_no_kernel_warnings(tmp_path, monkeypatch, capfd):
    """`kompas hand-out` says what it made and nothing else: no English kernel warnings per notebook."""
    from kompas_lib import cli

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('klaar')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name in ("een", "twee"):
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path / "rapporten"))
    assert cli.main(["hand-out", str(tmp_path / "een.ipynb"), str(tmp_path / "twee.ipynb")]) == 0
    out, err = capfd.readouterr()
    assert out.count("hand-out gemaakt") == 2 and "encryption" not in out + err and "WARNING" not in err
