"""Training tools: the widgets are driven as a participant would (set values, press buttons)."""

import datetime

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


def test_verkenner_on_real_data(real):
    v = training.Verkenner(real.out_dir, "Utrecht")
    assert "Utrecht" in v.sentence and "Nederland" in v.sentence


def _oefening(demo_processed, **values):
    t = training.TestDeIndicatoren(demo_processed, "Waterveen")
    t.resultaat.value = "Minder jongeren hebben jeugdhulp met verblijf nodig"
    for key, value in values.items():
        getattr(t, key).value = value
    return t, t.check()


def test_indicator_exercise_answers_like_block_2(demo_processed, tmp_path, monkeypatch):
    t, r = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="lager", doel=5.0, doeljaar=2029)
    text = r.as_text()
    assert r.meetbaar and "Basiswaarde" in text and "Kleinste zichtbare verandering" in text
    assert "procentpunt per jaar" in text and "T · tijdgebonden: ja" in text
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path))
    saved = t.save()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    amb = Ambitie(**data["ambities"][0])  # a valid params fragment
    assert amb.resultaten[0].indicatoren[0].doel == 5.0 and amb.resultaten[0].indicatoren[0].richting == "lager"


def test_indicator_exercise_catches_participants_mistakes(demo_processed):
    _, wrong_way = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="hoger", doel=1.0,
                             doeljaar=2029)
    assert "andere kant" in wrong_way.as_text()
    assert any(w.startswith("A ") and not ok for w, ok, _ in wrong_way.smart)
    _, polarity = _oefening(demo_processed, indicator="vsv", richting="hoger", doel=9.0,
                            doeljaar=2029)
    assert "Bedoelt u 'lager'" in polarity.as_text()
    t, tiny = _oefening(demo_processed, indicator="jongeren_jeugdzorg", richting="lager", doeljaar=2029)
    assert tiny.zichtbaar > 0.1
    t.doel.value = tiny.basis - tiny.zichtbaar / 2
    assert "niet aantonen" in t.check().as_text()
    t.gemeente.value = "Atlantis"
    assert t.check() is None and "staat niet in de gegevens" in t.message.value


def test_duiden_saves_block_6_files_the_report_reads(demo_processed, tmp_path):
    d = training.Duiden(demo_processed, "Waterveen", folder=tmp_path)
    assert d.signaal.options, "Demoland should give Waterveen signals to discuss"
    assert d.save() == [] and "minstens één" in d.message.value
    d.antwoorden["herkennen"].value = "Ja; het wijkteam ziet =SUM(A1) meer aanmeldingen"
    d.actie.value = "Gesprek met de huisartsen"
    d.save()
    assert "aanspreekpunt" in d.message.value  # an action needs who and when; the duiding is kept
    d.aanspreekpunt.value = "beleidsadviseur jeugd"
    d.evaluatie.value = datetime.date.today() + datetime.timedelta(days=180)
    duiding, acties = d.save()
    read = load(duiding, "duiding")
    assert "wijkteam" in " ".join(read["herkennen"].astype(str))
    assert len(load(acties, "verbeteracties")) == 1


def test_duiden_in_demoland_extends_the_files_the_next_report_reads(demo_processed, tmp_path):
    """Without a folder of its own, the exercise adds to the block-6 files the gemeente's report reads
    (here Demoland's), so the next report shows the participants' duiding without any setting."""
    import dataclasses
    import shutil

    from kompas_lib.sources.local import read_local

    d = training.Duiden(demo_processed, "Waterveen")
    for name in ("duiding.csv", "verbeteracties.csv"):  # work on a copy of the demo's own files
        shutil.copy(d._scope_now.prepare_info.demo_root / name, tmp_path / name)
    info = d._scope_now.prepare_info
    info = dataclasses.replace(info, source=dataclasses.replace(info.source, root=str(tmp_path)))
    d._scope_now = dataclasses.replace(d._scope_now, prepare_info=info)
    before = len(load(tmp_path / "duiding.csv", "duiding"))
    d.antwoorden["verklaren"].value = "Meer <b>gezinnen</b> met schulden sinds de sluiting van de fabriek"
    assert [p.name for p in d.save()] == ["duiding.csv"]
    assert "volgende rapport van Waterveen" in d.message.value and "<b>" not in d.message.value
    local = read_local(d._scope_now.params, None, tmp_path)
    assert len(local.duiding.frame) == before + 1
    assert "fabriek" in " ".join(local.duiding.frame["verklaren"].astype(str))


@pytest.mark.slow
def test_training_notebooks_run_headless(demo_processed, monkeypatch, tmp_path):
    from pathlib import Path

    from nbclient import NotebookClient

    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path))
    folder = Path(__file__).resolve().parents[1] / "notebooks" / "training"
    found = sorted(folder.glob("*.ipynb"))
    assert len(found) == 3
    for path in found:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"
        NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), path.name
        # the hand-out adds a static copy of what each tool showed, readable without the widget scripts
        static = [o["data"]["text/html"] for c in handout.with_snapshots(nb).cells if c.cell_type == "code"
                  for o in c.outputs if "text/html" in o.get("data", {})]
        assert static and all("Waterveen" in h and "Momentopname" in h for h in static), path.name
        if path.stem == "1_verkenner":
            assert "uitzonderlijk" in static[0] and "data:image/svg+xml;base64" in static[0]


def test_snapshot_of_a_widget_state_shows_choices_outputs_and_escapes_text():
    """A synthetic saved widget state: nested boxes, each kind of control, an empty text box as a line
    to fill in, an output with a figure; text typed by a participant stays text."""
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_dd", "IPY_MODEL_inner", "IPY_MODEL_out"]}},
        "inner": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_sm", "IPY_MODEL_rs", "IPY_MODEL_ta",
                                                                    "IPY_MODEL_tx", "IPY_MODEL_bt", "IPY_MODEL_fl"]}},
        "dd": {"model_name": "DropdownModel", "state": {"description": "Indicator", "index": 1,
                                                       "_options_labels": ["Eerste", "Jongeren met jeugdzorg"]}},
        "sm": {"model_name": "SelectMultipleModel", "state": {"description": "Vergelijk met", "index": [0, 2],
                                                             "_options_labels": ["land", "provincie", "regio"]}},
        "rs": {"model_name": "IntRangeSliderModel", "state": {"description": "Jaren", "value": [2015, 2023]}},
        "ta": {"model_name": "TextareaModel", "state": {"description": "Herkennen", "value": "",
                                                       "placeholder": "Herkennen we het beeld?"}},
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
                     "Herkennen we het beeld? ……", "<td>12,5</td>", "&lt;script&gt;x&lt;/script&gt;",
                     'src="data:image/png;base64,iVBORw0KGgo="', "<pre>a &lt; b</pre>"]:
        assert expected in html_, expected
    assert "Bewaar" not in html_ and "<script>" not in html_


def test_handout_of_a_missing_notebook_is_one_clear_message(capsys):
    from kompas_lib import cli

    assert cli.main(["hand-out", "bestaat_niet.ipynb"]) == 2
    err = capsys.readouterr().err
    assert "Notebook niet gevonden: bestaat_niet.ipynb" in err and "Traceback" not in err
