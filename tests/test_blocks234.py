"""Blocks 2–4 as section builders: maatschappelijk resultaat, activiteiten, kwaliteit van de input.

Fast: the demo (Demoland) is prepared once per session (conftest); own files are replaced in the
Scope where a test needs other rows, so no builder reads a file.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import ROOT

from kompas_lib.analysis.methods.targets import NIET_OP_KOERS, OP_KOERS, judge
from kompas_lib.analysis.methods.uncertainty import wilson
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections import activiteiten, kwaliteit, resultaat
from kompas_lib.sources import sjablonen
from kompas_lib.sources.local import LocalData, OwnFile
from kompas_lib.presentation.cells import shown


def _with_local(scope, **files):
    """The scope with some own files replaced (the rest as they were)."""
    return dataclasses.replace(scope, local=dataclasses.replace(scope.local, **files))


def _own(kind: str, template: str, text: str, tmp_path) -> OwnFile:
    path = tmp_path / f"{template}.csv"
    path.write_text(text, encoding="utf-8")
    return OwnFile(kind, path.name, sjablonen.load(path, template))


def _texts(sections) -> str:
    return "\n".join(s.text + s.caption + s.note + s.title for s in sections)


# --- block 2 ------------------------------------------------------------------------------------

def test_resultaten_overview_lists_every_result_with_signals(demo_scope):
    sec = resultaat.resultaten(demo_scope)
    assert isinstance(sec, Section) and sec.id == "resultaten"
    t = sec.table
    assert list(t.columns) == ["Ambitie", "Resultaat", "Soort", "Indicator", "Norm", "Laatste meting", "Oordeel"]
    assert sec.data is not None and sec.data.equals(t)
    by_result = dict(zip(t["Resultaat"].str.split(" · ").str[0], t["Oordeel"]))
    assert set(by_result) == {"R1", "R2", "R3", "R4"}
    assert by_result["R4"].startswith("niet meetbaar")
    allowed = ("op koers", "niet op koers", "nog niet te zeggen", "niet meetbaar", "geen norm")
    assert all(o.startswith(allowed) for o in t["Oordeel"])
    # one signal per result that is off course or not measurable, pointing at this section
    kinds = {(s.subject.split(" · ")[0], s.kind) for s in sec.signals}
    assert ("R4", "niet meetbaar") in kinds
    off = {r for r, o in by_result.items() if o.startswith("niet op koers")}
    assert {r for r, k in kinds if k == "niet op koers"} == off
    assert all(s.block == 2 and s.section == "resultaten" and s.text for s in sec.signals)


def test_resultaat_figures_are_target_specs_with_the_series(demo_scope):
    figs = resultaat.resultaat_figuren(demo_scope)
    assert [f.id for f in figs] == ["resultaat_R1_pct_jeugdbescherming", "resultaat_R3_binnen_twee_weken_geholpen",
                                    "resultaat_R2_vsv"]
    for f in figs:
        assert f.figure.kind == "target" and f.figure.title == f.title
        assert f.title.split(": ")[-1] in ("op koers", "niet op koers", "nog niet te zeggen")
        assert f.figure.caption.startswith("Bron: ") and "Oordeel met de marge van de laatste meting (" in f.figure.caption
        assert {"year", "value"} <= set(f.figure.data.columns) and f.figure.data["value"].notna().all()
        assert list(f.data.columns) == ["year", "value", "numerator", "denominator", "label", "source"]
        opts = f.figure.options
        assert {"base_year", "base_value", "target_year", "target_value", "percent", "margin"} <= set(opts)
    assert "CBS" in figs[0].figure.caption or "fictieve gegevens (Demoland)" in figs[0].figure.caption
    assert "fictieve eigen gegevens (Demoland)" in figs[1].figure.caption
    assert figs[1].title.startswith("R3 · Binnen twee weken geholpen: ")  # own id shown as words


LOCAL = "indicator;periode;teller;noemer;waarde\n" + "".join(
    f"binnen_twee_weken_geholpen;{y};{n};1000;\n" for y, n in [(2020, 620), (2021, 600), (2022, 560), (2023, 520)])


@pytest.mark.parametrize("last, verdict", [(500, NIET_OP_KOERS), (900, OP_KOERS)])
def test_judgement_of_an_own_indicator_by_hand(demo_scope, tmp_path, last, verdict):
    # R3: from 62 % (2020) to 80 % in 2025, higher is better: the path expects 62 + 18 × 4/5 = 76,4 % in 2024
    own = _own("indicatoren", "lokale_indicatoren", LOCAL + f"binnen_twee_weken_geholpen;2024;{last};1000;\n",
               tmp_path)
    scope = _with_local(demo_scope, indicatoren=own)
    lo, hi = (float(x) * 100 for x in wilson(last, 1000))
    assert (lo > 76.4) if verdict == OP_KOERS else (hi < 76.4)  # the whole margin on one side
    series = pd.DataFrame({"year": [2020, 2021, 2022, 2023, 2024], "value": [62.0, 60, 56, 52, last / 10],
                           "numerator": [620, 600, 560, 520, last], "denominator": [1000] * 5})
    assert judge(series, base_year=2020, base_value=62, target=80, target_year=2025, direction="hoger").verdict == verdict

    sec = resultaat.resultaten(scope)
    row = sec.table[sec.table["Resultaat"].str.startswith("R3 ")].iloc[0]
    assert row["Oordeel"] == f"{verdict} (norm 2024: 76,4\u00a0%)"
    assert row["Laatste meting"].startswith(f"{last / 10:.1f}".replace(".", ",") + "\u00a0% (2024), marge ")
    r3_signals = [s for s in sec.signals if s.subject.startswith("R3 ")]
    if verdict == NIET_OP_KOERS:
        assert [(s.kind, s.period) for s in r3_signals] == [("niet op koers", "2024")]
        assert "76,4" in r3_signals[0].text
    else:
        assert r3_signals == []
    fig = next(f for f in resultaat.resultaat_figuren(scope) if f.id == "resultaat_R3_binnen_twee_weken_geholpen")
    assert fig.title == f"R3 · Binnen twee weken geholpen: {verdict}"
    year, value, low, high = fig.figure.options["margin"]
    assert (year, value) == (2024, last / 10) and low == pytest.approx(lo) and high == pytest.approx(hi)
    assert fig.figure.options["base_value"] == 62 and fig.figure.options["target_value"] == 80
    assert fig.figure.caption == ("Bron: fictieve eigen gegevens (Demoland), 2020–2024. Oordeel met de marge van de "
                                  "laatste meting (95 %-marge uit teller en noemer).")
    assert len(fig.data) == 5


def test_without_ambities_block_2_explains_in_plain_words(make_demo_scope, tmp_path):
    params = tmp_path / "GM9001.yml"
    params.write_text("gemeente: GM9001\n", encoding="utf-8")
    scope = make_demo_scope("GM9001", params)
    sec = resultaat.resultaten(scope)
    assert sec.id == "resultaten" and sec.table is None and sec.data is None and not sec.signals
    assert "nog geen ambities" in sec.text and "instellingenbestand" not in sec.text and "doeljaar" in sec.text
    assert "kompas" not in sec.text.lower() and "params" not in sec.text and "`" not in sec.text
    assert resultaat.resultaat_figuren(scope) == []


def test_a_result_without_norm_is_not_measurable(make_demo_scope, tmp_path):
    params = tmp_path / "GM9001.yml"
    params.write_text("""gemeente: GM9001
ambities:
  - ambitie: We willen dat meer jongeren een startkwalificatie halen.
    resultaten:
      - id: R7
        titel: Minder jongeren verlaten school zonder startkwalificatie
        soort: inhoudelijk
        indicatoren:
          - indicator: vsv
            richting: lager
""", encoding="utf-8")
    sec = resultaat.resultaten(make_demo_scope("GM9001", params))
    assert list(sec.table["Oordeel"]) == ["geen norm: leg basis, doel en doeljaar vast"]
    assert [(s.subject, s.kind) for s in sec.signals] == [
        ("R7 · Minder jongeren verlaten school zonder startkwalificatie", "niet meetbaar")]
    assert "Voortijdig schoolverlaters" in sec.signals[0].text


def test_an_ambition_shows_its_source_and_an_example_is_stamped_everywhere(make_demo_scope, tmp_path):
    params = tmp_path / "GM9001.yml"
    params.write_text("""gemeente: GM9001
ambities:
  - ambitie: Meer jongeren halen een startkwalificatie.
    bron: Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024
    resultaten:
      - {id: R1, titel: Minder schoolverlaters, soort: inhoudelijk, indicatoren: [{indicator: vsv, richting: lager}]}
  - ambitie: Meer kinderen groeien veilig op.
    voorbeeld: true
    resultaten:
      - {id: R2, titel: Minder jeugdbescherming, soort: inhoudelijk, indicatoren: []}
""", encoding="utf-8")
    scope = make_demo_scope("GM9001", params)
    sec = resultaat.resultaten(scope)
    labels = list(sec.table["Ambitie"])
    assert labels[0] == "Meer jongeren halen een startkwalificatie. (bron: Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024)"
    assert labels[1].startswith("VOORBEELD (geen vastgesteld beleid) — Meer kinderen") and "bron niet vermeld" in labels[1]
    stamped = [s for s in sec.signals if "R2" in s.subject]
    assert stamped and all(s.subject.startswith("VOORBEELD") and s.text.startswith("VOORBEELD") for s in stamped)
    assert not any(s.text.startswith("VOORBEELD") for s in sec.signals if "R1" in s.subject)
    assert "een deel van de ambities" in sec.text and "geen vastgesteld beleid" in sec.text
    # the stamp travels with the signal to block 6 (its overview and agenda, which the front page reads)
    from kompas_lib.analysis.sections import verbetercyclus

    assert any(s.text.startswith("VOORBEELD") for s in verbetercyclus.alle_signalen(scope) if "R2" in s.subject)
    order = verbetercyclus.agenda_order(scope, verbetercyclus.alle_signalen(scope))
    example = [i for i, (s, _, settled) in enumerate(order) if s.subject.startswith("VOORBEELD") and not settled]
    own = [i for i, (s, _, settled) in enumerate(order) if not s.subject.startswith("VOORBEELD") and not settled]
    assert example and own and max(own) < min(example)  # the gemeente's own signals lead the agenda


def test_the_shipped_utrecht_ambitions_are_examples():
    from kompas_lib.core.params import load_params

    params = load_params(ROOT / "params" / "GM0344.yml")
    assert params.ambities and all(a.voorbeeld for a in params.ambities)


# --- block 3 ------------------------------------------------------------------------------------

def test_activiteiten_sections_on_the_demo(demo_scope):
    secs = activiteiten.secties(demo_scope)
    assert [s.id for s in secs] == ["activiteiten_per_resultaat", "witte_vlekken", "activiteiten_zonder_resultaat",
                                    "activiteiten_overzicht", "output_per_type"]
    per = secs[0]
    assert per.heading == 3 and list(per.table.columns) == ["Resultaat", "Titel", "Activiteiten"]
    assert list(per.data["resultaat"]) == ["R1", "R3", "R2", "R4"]
    assert per.data.loc[per.data["resultaat"] == "R4", "activiteiten"].item() == ""
    assert per.source.startswith("Bron: fictieve eigen gegevens (Demoland)")
    gaps = secs[1]
    assert gaps.text.startswith("**Witte vlekken:**") and "R4 (" in gaps.text
    assert [(s.block, s.kind, s.subject.split(" · ")[0], s.section) for s in gaps.signals] == [
        (3, "witte vlek", "R4", "activiteiten_per_resultaat")]
    assert "Sportstimulering in de wijk" in secs[2].text
    assert secs[3].heading == 3 and "Bereik (output)" in secs[3].table.columns
    out = secs[4]
    assert out.figure is not None and out.figure.kind == "trend"
    assert out.figure.options["y"] == "bereik" and out.figure.options["series"] == "type"
    assert set(out.data.columns) >= {"type", "periode", "bereik", "trajecten", "wachttijd_dagen"}


ACT = """activiteit;partner;type;resultaten;beleidstheorie;periode;bereik;trajecten;wachttijd_dagen;doorlooptijd_dagen
Huiswerkklas;Bibliotheek;preventie;R1|R2;Hulp bij huiswerk houdt jongeren op school.;2024;80;;;
"""


def test_one_period_has_no_trend_figure_and_every_unserved_result_is_a_gap(demo_scope, tmp_path):
    scope = _with_local(demo_scope, activiteiten=_own("activiteiten", "activiteiten", ACT, tmp_path))
    secs = {s.id: s for s in activiteiten.secties(scope)}
    assert "activiteiten_zonder_resultaat" not in secs
    assert sorted(s.subject.split(" · ")[0] for s in secs["witte_vlekken"].signals) == ["R3", "R4"]
    assert {s.period for s in secs["witte_vlekken"].signals} == {"2024"}
    assert secs["output_per_type"].figure is None and len(secs["output_per_type"].data) == 1


def test_without_own_files_blocks_3_and_4_are_one_line_for_partners_and_a_template_for_the_analyst(demo_scope):
    scope = dataclasses.replace(demo_scope, local=LocalData())
    act = activiteiten.secties(scope)
    assert [s.id for s in act] == ["activiteiten_ontbreekt", "activiteiten_sjabloon"]
    assert [s.for_analyst for s in act] == [False, True]
    assert act[0].text.startswith("Dit blok is nog leeg") and "Wat we partners vragen aan te leveren" in act[0].text
    assert act[0].table is None and act[0].data is None
    assert act[1].text.startswith("Er is nog geen bestand met activiteiten.")
    assert list(act[1].table["Kolom"]) == list(sjablonen.template("activiteiten").columns)
    kw = kwaliteit.secties(scope)
    assert [s.id for s in kw] == ["inputkwaliteit_ontbreekt", "inputkwaliteit_sjabloon"]
    assert "drie vragen" in kw[0].text and kw[0].table is None and kw[1].for_analyst
    assert list(kw[1].table["Kolom"]) == list(sjablonen.template("inputkwaliteit").columns)
    partner_text = " ".join(s.text for s in act + kw if not s.for_analyst)
    assert not any(w in partner_text for w in ("sjabloon", "instellingenbestand", "kolom", "_"))


def test_unusable_own_files_are_explained(make_demo_scope, tmp_path):
    (tmp_path / "act.csv").write_text(ACT.replace(";preventie;", ";preventief;"), encoding="utf-8")
    params = tmp_path / "GM9001.yml"
    params.write_text("gemeente: GM9001\nlokale_gegevens:\n  activiteiten: act.csv\n  inputkwaliteit: ontbreekt.csv\n",
                      encoding="utf-8")
    scope = make_demo_scope("GM9001", params)
    act = activiteiten.secties(scope)
    assert [s.id for s in act] == ["activiteiten_probleem"]
    first, *problems = act[0].text.split("\n\n")
    assert first == "**Het bestand met activiteiten is niet te gebruiken.**"
    assert any("preventief" in p for p in problems)
    kw = kwaliteit.secties(scope)
    assert kw[0].id == "inputkwaliteit_probleem"
    assert kw[0].text.startswith("**Het bestand met kwaliteitsgegevens is niet te gebruiken.**")
    assert "ontbreekt.csv" in kw[0].text and all(s.text == "Nog geen gegevens." for s in kw[1:])


# --- block 4 ------------------------------------------------------------------------------------

def test_kwaliteit_sections_one_per_question(demo_scope):
    secs = kwaliteit.secties(demo_scope)
    assert [s.id for s in secs] == ["input_" + ind[0] for _, ind in kwaliteit.QUESTIONS]
    assert [s.title for s in secs] == [q for q, _ in kwaliteit.QUESTIONS]
    for s in secs:
        assert s.heading == 3 and s.data is not None and list(s.data.columns) == list(s.table.columns)
        assert f"minder dan {demo_scope.threshold} personen" in s.caption
        assert s.source.startswith("Bron: fictieve eigen gegevens (Demoland)")
        assert s.table_caption.startswith(s.source)


INPUT = """aanbieder;periode;indicator;teller;noemer
Klein;2024;effectieve_interventies;3;4
Groot;2024;effectieve_interventies;30;40
Groot;2024;caseload;120;10
"""


def test_kwaliteit_hides_shares_below_the_threshold(demo_scope, tmp_path):
    scope = _with_local(demo_scope, inputkwaliteit=_own("inputkwaliteit", "inputkwaliteit", INPUT, tmp_path))
    secs = {s.id: s for s in kwaliteit.secties(scope)}
    sec = secs["input_effectieve_interventies"]
    eff = shown(sec.table).set_index("Aanbieder")["Waarde"]
    assert eff["Klein"] == "te klein" and eff["Groot"] == "75,0\u00a0%"
    exported = sec.data.set_index("Aanbieder")["Waarde"]
    assert pd.isna(exported["Klein"]) and exported["Groot"] == pytest.approx(75.0)  # never exported
    assert secs["input_geregistreerde_professionals"].text == "Geen gegevens voor deze vraag in het bestand."
    assert shown(secs["input_caseload"].table)["Waarde"].tolist() == ["12,0"]
    assert secs["input_caseload"].data["Waarde"].tolist() == [12.0]


def test_texts_have_no_developer_words(demo_scope):
    secs = [resultaat.resultaten(demo_scope), *resultaat.resultaat_figuren(demo_scope),
            *activiteiten.secties(demo_scope), *kwaliteit.secties(demo_scope),
            *activiteiten.secties(dataclasses.replace(demo_scope, local=LocalData()))]
    text = _texts(secs)
    for bad in ["params", "kompas ", "`", "_", "nan", "None"]:
        assert bad not in text, bad
