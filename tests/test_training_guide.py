"""Every model answer of the trainer guide (docs/training.md) goes through the training tools and gets
the verdict the guide says: the tables there are read, each row is entered as a participant would, and
the quoted sentence must be in what the tool shows (and ✔/✘ must match)."""

import datetime
import re
from pathlib import Path

import pytest

from kompas_lib.presentation import training

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "training.md"
pytestmark = pytest.mark.slow  # the training widgets over the prepared demo, with every signal (conftest rule 4)


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"### {title}")
    end = text.find("\n### ", start + 4)
    return text[start:end if end > 0 else None]


def _table(title: str) -> list[list[str]]:
    """The rows of the first table under a heading of the guide (header and rule left out)."""
    rows = [line for line in _section(title).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _plain(text: str) -> str:
    """As the guide writes it: numbers with an ordinary space before '%' (the tools use a no-break space)."""
    return text.replace("\xa0", " ")


def _quoted(cell: str) -> str:
    found = re.findall(r'"([^"]+)"', cell)
    assert len(found) == 1, cell
    return found[0]


def test_the_guide_has_model_answers_for_each_tool():
    assert len(_table("Verkenner")) >= 4 and len(_table("Test de indicatoren")) >= 6
    assert "evaluatiedatum" in _section("Duiden")


def test_verkenner_model_answer(demo_processed):
    labels = {label: kind for kind, label in training.BENCHMARK_LABELS.items()}
    v = training.Verkenner(demo_processed, "Waterveen")
    v.indicator.value = "jongeren_jeugdzorg"
    v.benchmarks.value = tuple(training.BENCHMARK_LABELS)
    said = dict(zip([k for k in training.BENCHMARK_LABELS if k in v.benchmarks.value], map(_plain, v.oordeel)))
    assert len(said) == 5
    for comparison, says in _table("Verkenner"):
        assert _quoted(says) in said[labels[comparison]], (comparison, said[labels[comparison]])


def test_test_de_indicatoren_model_answers_and_mistakes(demo_processed):
    t = training.TestDeIndicatoren(demo_processed, "Waterveen")
    model = _section("Test de indicatoren")
    t.ambitie.value = re.search(r'ambitie "([^"]+)"', model).group(1)
    t.resultaat.value = re.search(r'resultaat "([^"]+)"', model).group(1)
    titles = {title: ident for title, ident in t.indicator.options}
    rows = _table("Test de indicatoren")
    for indicator, richting, doel, doeljaar, says, ok in rows:
        t.indicator.value, t.richting.value = titles[indicator], richting
        t.doel.value, t.doeljaar.value = doel, doeljaar
        result = t.check()
        shown = _plain(result.as_text())
        assert _quoted(says) in shown, (indicator, richting, doel, doeljaar, shown)
        realistic = {w: good for w, good, _ in result.smart}["A · acceptabel en R · realistisch"]
        assert realistic == (ok == "✔"), (indicator, richting, doel, doeljaar, shown)
    first = rows[0]  # the model answer itself: every SMART letter holds
    t.indicator.value, t.richting.value, t.doel.value, t.doeljaar.value = titles[first[0]], *first[1:4]
    assert all(good for _, good, _ in t.check().smart), t.result.as_text()


def test_duiden_model_answer_and_its_mistake(demo_processed, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMPAS_OEFENINGEN_DIR", str(tmp_path))
    guide = " ".join(_section("Duiden").split())
    answer = {q: re.search(rf'{q.capitalize()}: "([^"]+)"', guide).group(1)
              for q in ("herkennen", "verklaren", "vinden", "nodig")}
    d = training.Duiden(demo_processed, "Waterveen")
    d.signaal.value = 0
    for q, text in answer.items():
        d.antwoorden[q].value = text
    d.actie.value = re.search(r'Actie: "([^"]+)"', guide).group(1)
    d.aanspreekpunt.value = "beleidsadviseur jeugd"
    d.evaluatie.value = datetime.date.today() - datetime.timedelta(days=1)  # the mistake the guide names
    assert d.save() == [] and re.search(r'zegt "([^"]+)" en bewaart niets', guide).group(1) in _plain(d.message.value)
    d.evaluatie.value = datetime.date.today() + datetime.timedelta(days=182)  # over een half jaar
    assert len(d.save()) == 2
    assert re.search(r'Het werkboek zegt dan "([^"]+)"', guide).group(1) in _plain(d.message.value)
