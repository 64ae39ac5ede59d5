"""Bad input and faults, as a policy analyst meets them on the command line: each case ends in one
Dutch message, a non-zero exit and no traceback (docs/foutmeldingen.md lists them).

The cases run ``kompas`` in-process (``cli.main``) against the real CBS snapshot, prepared once per
session; a run whose input is wrong stops before any notebook starts, so the table stays fast.
"""

from __future__ import annotations

import shutil
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas_lib import cli
from kompas_lib.core import fmt
from kompas_lib.core.entry import MAX_DIGITS, NumberProblem, clean_text, format_number, parse_number, refused_kind
from kompas_lib.core.errors import KompasError
from kompas_lib.core.params import load_params
from kompas_lib.sources import sjablonen

TEMPLATES = Path(__file__).resolve().parents[1] / "kompas_lib" / "templates"
PROVIDERS = (TEMPLATES / "aanbieders_uitkomsten.csv").read_text(encoding="utf-8-sig")


def _params(text: str) -> dict:
    return {"GM0344.yml": text}


def _own(kind_key: str, file: str, content: str | bytes) -> dict:
    """A params file naming one own file, and that file."""
    section, _, key = kind_key.partition(".")
    return {"GM0344.yml": f"gemeente: GM0344\n{section}:\n  {key}: {file}\n", file: content}


def _provider_rows(*rows: str) -> str:
    header = PROVIDERS.splitlines()[0]
    return "\n".join([header, *rows]) + "\n"


ROW = "Zorg A;GM0344;2023;ambulant;100;60;5;5;5;10;20;50;40;80;60"


def _row(**cells) -> str:
    """ROW with some cells replaced (by column name)."""
    names = PROVIDERS.splitlines()[0].split(";")
    row = dict(zip(names, ROW.split(";")))
    row.update(cells)
    return ";".join(row[n] for n in names)


def _many_providers(n: int) -> str:
    """``n`` provider lines, the last one a copy of the first: one problem, found at the end."""
    rows = [_row(aanbieder=f"Aanbieder {i}") for i in range(n - 1)]
    return _provider_rows(*rows, rows[0])


AMBITIE = """ambities:
  - ambitie: We willen dat meer kinderen veilig opgroeien.
    resultaten:
      - id: R1
        titel: Minder jeugdbescherming
        soort: inhoudelijk
        indicatoren:
          - indicator: pct_jeugdbescherming
            richting: lager
            basis: {periode: "2021"}
            doel: 0.9
            doeljaar: 2027
"""
ACTIVITIES = ("activiteit;partner;type;resultaten;beleidstheorie;periode;bereik;trajecten;wachttijd_dagen;"
              "doorlooptijd_dagen\n")


LEERPLICHT = ("regio_code;schooljaar;leerplichtigen;absoluut_verzuim;langdurig_relatief_verzuim;vrijstelling_5a;"
              "vrijstelling_5b;vrijstelling_5c;vrijstelling_15;vrijstelling_3a;vrijstelling_11;thuiszitters;"
              "leerlingen_bao_sbo;leerlingen_sbo;leerlingen_so\n")
WACHTTIJDEN = "aanbieder;zorgvorm;periode;clienten_gestart;wachttijd_mediaan_weken;wachtend_einde_periode\n"


# (id, argv after 'kompas', files in a fresh folder (name -> text/bytes), exit code, words in stderr)
CASES = [
    # --- codes on the command line ---
    ("samengevoegde-gemeente", ["run", "-g", "GM0381"], {}, 2, ["GM0381 (Bussum)", "1 januari 2016", "GM1942"]),
    ("opgesplitste-gemeente", ["run", "-g", "GM0140"], {}, 2, ["verdeeld over", "GM0080 (Leeuwarden)"]),
    ("naam-meerdere-regio", ["run", "-g", "Utrecht"], {}, 2, ["meer dan één regio", "GM0344", "PV26"]),
    ("naam-met-toevoeging", ["run", "-g", "Bergen"], {}, 2, ["GM0373", "GM0893"]),
    ("tikfout-in-naam", ["run", "-g", "Amsterdm"], {}, 2, ["bedoelt u GM0363 (Amsterdam)"]),
    ("te-korte-code", ["run", "-g", "GM34"], {}, 2, ["geen geldige code"]),
    ("lege-code", ["run", "-g", " "], {}, 2, ["lege code"]),
    ("onbekende-code", ["run", "-g", "GM9999"], {}, 2, ["GM9999 is geen bekende gemeente"]),
    ("onbekende-jeugdregio-code", ["run", "-g", "JZ99"], {}, 2, ["JZ99 staat niet in de gegevens"]),
    ("onbekende-jeugdregio", ["run", "--regio", "JZ99"], {}, 2, ["JZ99 is geen jeugdregio"]),
    ("onbekende-provincie", ["run", "--provincie", "PV99"], {}, 2, ["PV99 is geen provincie"]),
    ("twee-fouten-tegelijk", ["run", "-g", "GM0381", "GM34"], {}, 2, ["GM1942", "GM34"]),
    # --- options ---
    ("jobs-nul", ["run", "-g", "GM0344", "--jobs", "0"], {}, 2, ["--jobs moet 1 of meer zijn"]),
    ("jobs-tekst", ["run", "-g", "GM0344", "--jobs", "veel"], {}, 2, ["'veel' is geen geheel getal"]),
    ("timeout-tekst", ["run", "-g", "GM0344", "--timeout", "lang"], {}, 2, ["'lang' is geen getal"]),
    ("geen-keuze", ["run"], {}, 2, ["geef een van"]),
    ("onbekende-executor", ["run", "-g", "GM0344", "--executor", "wolk"], {}, 2, ["kies uit"]),
    ("dask-zonder-scheduler", ["run", "-g", "GM0344", "--executor", "dask"], {}, 2, ["scheduler"]),
    ("onbekende-opdracht", ["rapport"], {}, 2, ["kan niet; kies uit"]),
    ("onbekende-bron", ["prepare", "--bron", "internet"], {}, 2, ["kies uit"]),
    ("params-new-foute-code", ["params", "new", "Utrecht"], {}, 2, ["geen regiocode"]),
    ("hand-out-zonder-notebook", ["hand-out", "weg.ipynb"], {}, 2, ["Notebook niet gevonden"]),
    # --- params files ---
    ("params-syntax", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("gemeente: GM0344\nperiode:\n  start_jaar: 2018\n eind_jaar: 2023\n"), 2, ["geen geldige YAML op regel 4"]),
    ("params-tab", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("gemeente: GM0344\nperiode:\n\tstart_jaar: 2018\n"), 2, ["tab"]),
    ("params-onbekende-sleutel", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("gemeente: GM0344\nbenchmark: [nederland]\n"), 2, ["onbekende sleutel", "bedoelt u 'benchmarks'"]),
    ("params-verkeerd-type", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("vergelijkbare_gemeenten:\n  k: veel\n"), 2, ["vergelijkbare_gemeenten.k", "geen geheel getal"]),
    ("params-eind-voor-start", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("periode:\n  start_jaar: 2022\n  eind_jaar: 2019\n"), 2, ["eind_jaar 2019 ligt vóór start_jaar 2022"]),
    ("params-jaar-buiten-bereik", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("periode:\n  start_jaar: 2040\n"), 2, ["jaar 2040 ligt buiten"]),
    ("params-onbekende-benchmark", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("benchmarks: [nederland, buurland]\n"), 2, ["'buurland' is niet toegestaan"]),
    ("params-drempel-te-laag", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("privacy:\n  drempel: 1\n"), 2, ["privacy.drempel", "te klein", "minstens 5"]),
    ("params-andere-gemeente", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("gemeente: GM0363\n"), 2, ["het bestand is voor GM0363"]),
    ("params-is-map", ["run", "-g", "GM0344", "--params", "{.}"], {}, 2, ["is een map"]),
    ("params-niet-utf8", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     {"GM0344.yml": "gemeente: GM0344\nnaam: Utrecht\nrapport:\n  titel: Jeugd in één oogopslag\n".encode("latin-1")},
     2, ["regel 4", "niet in UTF-8"]),
    ("params-alias", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("a: &x [nederland]\nbenchmarks: *x\n"), 2, ["aliassen"]),
    ("params-python-tag", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("naam: !!python/object/apply:os.system ['echo hoi']\n"), 2, ["YAML-label"]),
    ("params-ontbreekt", ["run", "-g", "GM0344", "--params", "{weg.yml}"], {}, 2, ["niet gevonden"]),
    ("params-lijst", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"], _params("- gemeente\n- GM0344\n"), 2,
     ["bovenste niveau"]),
    ("params-onbekende-indicator", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("indicatoren: [pct_jeugdbesch]\n"), 2, ["staat niet in de catalogus", "pct_jeugdbescherming"]),
    ("params-onbekende-uitkomst", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("verwacht_gebruik:\n  uitkomsten: [jeugdreclassering]\n"), 2, ["geen uitkomst"]),
    ("params-start-na-de-gegevens", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("periode:\n  start_jaar: 2026\n"), 1, ["ligt na het laatste jaar in de gegevens"]),
    # --- own files (checked before any notebook: the gemeente fails, nothing reaches a report) ---
    ("eigen-bestand-ontbreekt", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     {"GM0344.yml": "aanbieders:\n  bestand: weg.csv\n"}, 1, ["weg.csv", "niet gevonden"]),
    ("eigen-bestand-leeg", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", ""), 1, ["a.csv", "leeg"]),
    ("eigen-bestand-is-excel", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)), 1, ["a.csv", "Excel"]),
    ("eigen-bestand-komma", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", PROVIDERS.replace(";", ",")), 1, ["a.csv", "komma"]),
    ("eigen-bestand-niet-utf8", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", PROVIDERS.encode("utf-8") + "Zorg één;x\n".encode("latin-1")), 1,
     ["a.csv", "UTF-8"]),
    ("aanbieder-deel-groter-en-dubbel", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(
         "Zorg A;GM0344;2023;ambulant;100;120;5;5;5;10;20;50;40;80;60",
         "Zorg A;GM0344;2023;ambulant;100;60;5;5;5;10;20;50;40;80;60")), 1,
     ["a.csv", "regel 2", "het deel kan niet groter zijn dan het geheel", "regel 3", "dezelfde combinatie als op regel 2"]),
    ("aanbieder-tekst-en-negatief", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows("Zorg A;GM0344;2023;ambulant;honderd;60;5;5;5;10;20;50;40;80;60",
                                                        "Zorg B;GM9345;2023;ambulant;100;-6;5;5;5;10;20;50;40;80;60")), 1,
     ["'honderd' is geen getal", "negatief", "GM9345"]),
    ("verbeteractie-status-en-datum", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.verbeteracties", "v.csv",
          "actie;aanspreekpunt;voor;blok;onderwerp;indicator;startdatum;evaluatiedatum;status;evaluatie\n"
          "Gesprek;beleid;gemeente;1;Jongeren met jeugdzorg;;2025-02-30;2025-09-01;bezig;\n"), 1,
     ["v.csv", "regel 2", "2025-02-30", "'bezig' is niet toegestaan"]),
    ("activiteiten-kolom-ontbreekt", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.activiteiten", "act.csv", "naam;bereik\nBuurtsport;10\n"), 1, ["act.csv", "regel 1"]),
    # --- issue 26, class 3: numbers as people type them ---
    ("aanbieder-punt-tussen-duizendtallen", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(_row(trajecten_beeindigd="1.500"))), 1,
     ["a.csv", "regel 2: kolom 'trajecten_beeindigd': '1.500': een punt tussen de duizendtallen is dubbelzinnig",
      "schrijf 1500, zonder punt"]),
    ("aanbieder-inf-nan-e-notatie", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(_row(trajecten_beeindigd="inf"), _row(zorgvorm="b", doel_gemeten="nan"),
                                                        _row(zorgvorm="c", trajecten_beeindigd="1e400"))), 1,
     ["regel 2: kolom 'trajecten_beeindigd': 'inf' is geen getal", "regel 3: kolom 'doel_gemeten': 'nan' is geen getal",
      "regel 4: kolom 'trajecten_beeindigd': '1e400' is in e-notatie geschreven; schrijf het getal voluit"]),
    ("activiteit-duizendtallen-in-decimalen", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.activiteiten", "act.csv", ACTIVITIES + "Buurtsport;Club;preventie;;;2023;10;;2.500;\n"), 1,
     ["act.csv", "regel 2: kolom 'wachttijd_dagen': '2.500'", "schrijf 2500, zonder punt, of 2,5 als de punt een "
                                                             "decimaalpunt is"]),
    ("params-doel-oneindig", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params(AMBITIE.replace("doel: 0.9", "doel: .inf")), 2,
     ["regel 11, kolom 19: ambities.resultaten.indicatoren.doel: '.inf' is geen gewoon getal (het betekent oneindig)"]),
    ("params-doel-nan", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params(AMBITIE.replace("doel: 0.9", "doel: .nan")), 2, ["'.nan' is geen gewoon getal (het betekent 'geen getal')"]),
    ("params-doeljaar-99999", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params(AMBITIE.replace("doeljaar: 2027", "doeljaar: 99999")), 2,
     ["regel 12, kolom 23: ambities.resultaten.indicatoren.doeljaar: doeljaar 99999 ligt buiten 2015–", "toegestaan: een jaar"]),
    ("params-drempel-ja", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"], _params("privacy:\n  drempel: yes\n"), 2,
     ["regel 2, kolom 12: privacy.drempel: 'yes' is geen geheel getal"]),
    # --- class 4: characters you cannot see ---
    ("aanbieder-onzichtbaar-teken", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(ROW, _row(aanbieder="Zorg\u200bA"))), 1,
     ["a.csv", "regel 3: kolom 'aanbieder': een onzichtbaar teken U+200B (zero width space) na 'Zorg'; haal het weg"]),
    ("aanbieder-leesrichting-omgedraaid", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(_row(aanbieder="\u202eA groZ"))), 1,
     ["regel 2: kolom 'aanbieder': een onzichtbaar teken U+202E (right-to-left override; het verandert de leesrichting) "
      "aan het begin"]),
    ("aanbieders-verschillen-alleen-in-spaties", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(ROW, _row(aanbieder="Zorg\u00a0 A "))), 1,
     ["regel 3: kolommen aanbieder, gemeente_code, periode, zorgvorm: dezelfde combinatie als op regel 2"]),
    ("activiteit-stuurtekens", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.activiteiten", "act.csv", ACTIVITIES + "Buurt\x1b[31msport;Club\x07;preventie;;;2023;10;;;\n"),
     1, ["act.csv", "regel 2: kolom 'activiteit': een onzichtbaar stuurteken U+001B (ESC) na 'Buurt'",
         "regel 2: kolom 'partner': een onzichtbaar stuurteken U+0007 (BEL) na 'Club'"]),
    ("params-onzichtbaar-teken", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params('gemeente: GM0344\nrapport:\n  titel: "Jeugd\u2067monitor"\n'), 2,
     ["regel 3, kolom 10: rapport.titel: een onzichtbaar teken U+2067 (right-to-left isolate"]),
    ("params-stuurteken", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _params("gemeente: GM0344\nnaam: Utrecht\x07\n"), 2, ["regel 2, kolom 14: hier staat een onzichtbaar stuurteken "
                                                           "U+0007 (BEL)"]),
    # --- class 5: a large own file is checked in seconds (it took minutes: a quadratic duplicate check) ---
    ("aanbieders-30000-regels", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _many_providers(30_000)), 1,
     ["1 probleem gevonden", "regel 30001: kolommen aanbieder, gemeente_code, periode, zorgvorm: dezelfde combinatie "
                             "als op regel 2"]),
    # --- class 6: long and strange names for 'params new' ---
    ("params-new-naam-met-regeleinde", ["params", "new", "GM0344", "--naam", "Utrecht\nStad"], {}, 2,
     ["de naam bevat een regeleinde; geef de naam op één regel, bijvoorbeeld --naam \"Utrecht\""]),
    ("params-new-naam-met-onzichtbaar-teken", ["params", "new", "GM0344", "--naam", "Utrecht\u200b"], {}, 2,
     ["de naam bevat een onzichtbaar teken U+200B"]),
    # --- class 8: a cell beyond the csv reader's limit (was: 'de aanhalingstekens kloppen niet') ---
    ("eigen-bestand-cel-van-200-kB", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(ROW, _row(zorgvorm="x" * 200_000))), 1,
     ["a.csv", "regel 3: een cel is te lang (meer dan 131.072 tekens); een cel mag hoogstens 10.000 tekens bevatten"]),
    ("eigen-bestand-cel-te-lang", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("aanbieders.bestand", "a.csv", _provider_rows(_row(aanbieder="Zorg " * 2_500))), 1,
     ["a.csv", "regel 2: kolom 'aanbieder': de tekst is te lang (12.500 tekens); een cel mag hoogstens 10.000"]),
    # --- leerplicht and wachttijden (issue 25): the same rules and messages as every own file ---
    ("leerplicht-schooljaar-code-en-deel", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.leerplicht", "lp.csv", LEERPLICHT + "GM0344;2023/'24;1.500;;;;;;;;;;;;\n"
          "PO 26-01;2023/2024;100;200;;;;;;;;;;;\nGM0344;2022-2024;;;;;;;;;;;;;\n"), 1,
     ["lp.csv", "regel 2: kolom 'schooljaar': '2023/'24': schrijf een schooljaar als beginjaar/eindjaar met vier "
      "cijfers, 2023/2024", "regel 2: kolom 'leerplichtigen': '1.500'", "regel 3: kolom 'regio_code': 'PO 26-01'",
      "PO2601", "regel 3: kolom 'absoluut_verzuim': absoluut_verzuim = 200 is meer dan leerplichtigen = 100",
      "regel 4: kolom 'schooljaar': '2022-2024' is geen schooljaar",
      "regel 4: kolommen leerplichtigen tot en met leerlingen_so: alle leeg"]),
    ("leerplicht-onbekende-gemeente", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.leerplicht", "lp.csv", LEERPLICHT + "GM0343;2023/2024;100;1;;;;;;;;;;;\n"), 1,
     ["lp.csv", "regel 2: kolom 'regio_code': gemeentecode GM0343 is onbekend (bedoelt u GM0342 Soest?)"]),
    ("wachttijden-getal-en-kolom", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.wachttijden", "w.csv", "aanbieder;zorgvorm;periode;clienten_gestart;wachttijd_weken\n"
          "Zorg A;ambulant;2024;12,5;6\n"), 1,
     ["w.csv", "regel 1: kolom 'wachttijd_mediaan_weken' ontbreekt (bedoelt u 'wachttijd_weken'?)"]),
    ("wachttijden-negatief-en-periode", ["run", "-g", "GM0344", "--params", "{GM0344.yml}"],
     _own("lokale_gegevens.wachttijden", "w.csv", WACHTTIJDEN + "Zorg A;ambulant;voorjaar 2024;12,5;-3;\n"), 1,
     ["w.csv", "regel 2: kolom 'periode': 'voorjaar 2024' is geen periode",
      "regel 2: kolom 'clienten_gestart': 12,5 is geen geheel getal",
      "regel 2: kolom 'wachttijd_mediaan_weken': -3 is negatief"]),
]


@pytest.fixture(scope="module")
def env(real, tmp_path_factory, monkeypatch_module):
    out = tmp_path_factory.mktemp("foutmeldingen")
    monkeypatch_module.setenv("KOMPAS_PROCESSED_DIR", str(real.out_dir))
    monkeypatch_module.setenv("KOMPAS_REPORTS_DIR", str(out / "reports"))
    monkeypatch_module.setenv("KOMPAS_HOME", str(out / "home"))
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_message(case, env, tmp_path, capsys):
    name, argv, files, code, words = case
    for fname, content in files.items():
        target = tmp_path / fname
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    argv = [a.replace("{", str(tmp_path) + "/").replace("}", "") if a.startswith("{") else a for a in argv]
    t0 = time.perf_counter()
    exit_code = _exit_code(argv)
    err = capsys.readouterr().err
    assert exit_code == code, err
    assert "Traceback" not in err and "Onverwachte fout" not in err
    for word in words:
        assert word in err, (word, err)
    assert time.perf_counter() - t0 < 60, "a bad input is found before any notebook runs"
    # nothing stale or half-written: no report, workbook or params file, no temporary file anywhere
    assert not list((env / "reports").rglob("rapport.html")), "a bad input made a report"
    assert not list((env / "reports").rglob("tabellen.xlsx")), "a bad input left a workbook"
    assert not list((env / "home").rglob("*.yml")), "a bad input wrote a params file"
    assert not [p for d in (env, tmp_path) for p in d.rglob("*.tmp")], "a half-written file was left"


def _exit_code(argv: list[str]) -> int:
    """``kompas argv`` in-process; argparse ends a wrong command itself (SystemExit)."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return exc.code


def test_there_are_at_least_40_cases():
    assert len(CASES) >= 40


def test_params_new_keeps_a_long_or_strange_name_whole(env, tmp_path, monkeypatch, capsys):
    """Issue 26, class 6: the starter file holds the whole name, quoted where YAML needs it, and loads."""
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    (tmp_path / "params").mkdir()
    for name in ("Gemeente " + "met een heel lange naam " * 40 + "einde", "ja: nee # geen commentaar", "'s-Gravenhage"):
        assert cli.main(["params", "new", "GM0344", "--naam", name, "--force"]) == 0, capsys.readouterr().err
        target = tmp_path / "params" / "GM0344.yml"
        assert load_params(target, "GM0344").naam == name
        assert not list(tmp_path.rglob("*.tmp"))


def test_verbose_shows_the_traceback_for_developers(env, capsys):
    assert cli.main(["-v", "run", "-g", "GM0381"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "GM1942" in err


def test_cbs_snapshot_folder_missing_or_a_file(env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(tmp_path / "processed"))
    monkeypatch.setenv("KOMPAS_CBS_DIR", str(tmp_path / "weg"))
    assert cli.main(["prepare", "--bron", "snapshot"]) == 2
    (tmp_path / "bestand").write_text("x")
    monkeypatch.setenv("KOMPAS_CBS_DIR", str(tmp_path / "bestand"))
    assert cli.main(["prepare", "--bron", "snapshot"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("KOMPAS_CBS_DIR") >= 2


def test_damaged_prepared_data_say_to_prepare_again(env, real, tmp_path, monkeypatch, capsys):
    damaged = tmp_path / "processed"
    shutil.copytree(real.out_dir, damaged, ignore=shutil.ignore_patterns("runs"))
    (damaged / "facts.parquet").write_bytes(b"dit is geen parquet")
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(damaged))
    assert cli.main(["run", "-g", "GM0344"]) != 0
    err = capsys.readouterr().err
    assert "kompas prepare" in err and "Traceback" not in err


# --- property-based: random input is accepted or refused with the library's own error ------------
# (how many examples: the hypothesis profile of tests/conftest.py, few in `make test-fast`)

@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_params_loader_accepts_or_refuses_any_text(tmp_path, text):
    f = tmp_path / "p.yml"
    f.write_text(text, encoding="utf-8")
    try:
        load_params(f, "GM0344")
    except KompasError:
        pass


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["gemeente", "periode", "benchmarks", "privacy", "naam", "k", "indicatoren",
                                        "vergelijkbare_gemeenten", "ambities"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                                    | st.text(max_size=12),
                                    lambda inner: st.lists(inner, max_size=3)
                                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8),
                       max_size=5))
def test_params_loader_accepts_or_refuses_any_structure(tmp_path, data):
    f = tmp_path / "p.yml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_params(f, "GM0344")
    except KompasError:
        pass


CELL = st.one_of(st.text(max_size=10), st.integers(-5, 10 ** 6).map(str), st.floats(allow_nan=True).map(str),
                 st.sampled_from(["", "GM0344", "GM0345", "2023", "2023-13", "1-1-2024", "=1+1", "-5", "12,5"]))


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(list(sjablonen.SPECS)), rows=st.lists(st.lists(CELL, min_size=1, max_size=12),
                                                                  max_size=6))
def test_own_file_validator_accepts_or_refuses_any_table(tmp_path, name, rows):
    header = ";".join(sjablonen.SPECS[name].names)
    body = "\n".join(";".join(r).replace("\n", " ") for r in rows)
    f = tmp_path / f"{name}.csv"
    f.write_text(header + "\n" + body + "\n", encoding="utf-8")
    try:
        sjablonen.load(f, name, {"GM0344": "Utrecht"}, {"vsv", "pct_jeugdbescherming"})
    except KompasError:
        pass


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_own_file_reader_accepts_or_refuses_any_bytes(tmp_path, data):
    f = tmp_path / "aanbieders.csv"
    f.write_bytes(data)
    try:
        sjablonen.load(f, "aanbieders", {"GM0344": "Utrecht"})
    except KompasError:
        pass


# --- property-based: numbers and text as people type them (issue 26; core/entry.py) -------------------

FINITE = st.floats(min_value=-1e14, max_value=1e14, allow_nan=False, allow_infinity=False)


@given(FINITE)
def test_a_number_written_as_the_templates_ask_reads_back_exactly(x):
    assert parse_number(format_number(x)) == x


@given(FINITE, st.integers(1, 4))
def test_a_number_as_dutch_text_writes_it_reads_back(x, decimals):
    """fmt.number writes '1.234,5' (thousands points and a decimal comma): unambiguous, so read."""
    assert parse_number(fmt.number(x, decimals)) == float(f"{x:.{decimals}f}") + 0.0


@given(st.integers(0, 999))
def test_small_whole_numbers_read_back(n):
    assert parse_number(fmt.number(n)) == n == parse_number(str(n), whole=True)


@given(st.integers(1000, 10 ** MAX_DIGITS - 1), st.booleans())
def test_thousands_points_without_a_decimal_comma_are_always_refused(n, whole):
    text = fmt.number(n)  # '1.500', '12.250', '1.500.000'
    with pytest.raises(NumberProblem, match=f"schrijf {n}, zonder punt"):
        parse_number(text, whole)


@given(st.one_of(st.sampled_from(["inf", "-inf", "Infinity", "nan", "NaN", "NA", "#N/B", "∞", "#DEEL/0!"]),
                 st.floats(allow_nan=False).map(lambda x: f"{x:e}"),
                 st.floats(allow_nan=False).map(lambda x: f"{x:E}".replace(".", ",")),
                 st.integers(10 ** MAX_DIGITS, 10 ** 400).map(str)))
def test_refused_forms_are_always_refused(text):
    with pytest.raises(NumberProblem):
        parse_number(text)


@given(st.text(max_size=30))
def test_any_text_is_a_finite_number_or_refused_in_words(text):
    try:
        x = parse_number(text)
    except NumberProblem as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert x == x and abs(x) < 10 ** (MAX_DIGITS + 1)


SPECIAL = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202b", "\u202c", "\u202d",
           "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\x1b", "\x07", "\x00", "\x7f",
           "\x85", "\u00a0", "\u202f", "\u2009", "\u3000", "\t", "\n", "\r", "\u2028", "e\u0301", "A\u030a", " ", "  "]
TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIAL)), max_size=30).map("".join)


@given(TEXT)
def test_text_normalisation_is_idempotent_and_leaves_nothing_invisible(text):
    cleaned, problem = clean_text(text)
    assert clean_text(cleaned) == (cleaned, None)
    assert not [ch for ch in cleaned if refused_kind(ch)]  # no control, zero-width or bidi character survives
    assert not [ch for ch in cleaned if ch != " " and (ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp"))]
    assert cleaned == cleaned.strip() and "  " not in cleaned and unicodedata.is_normalized("NFC", cleaned)
    first = next((ch for ch in text if refused_kind(ch)), None)
    assert (problem is None) == (first is None)
    if first:
        assert f"U+{ord(first):04X}" in problem


@given(TEXT, st.sampled_from([c for c in SPECIAL if refused_kind(c[0])]))
def test_two_names_that_differ_by_an_invisible_character_never_pass_as_one(text, invisible):
    name = clean_text(text)[0] or "Zorg"
    assert clean_text(name[:1] + invisible + name[1:])[1] is not None


# --- what leaves the machine: hostile text from a user's files stays text ---------------------------

HOSTILE = {"activiteit": '<img src=x onerror="alert(1)">Buurtsport', "partner": '=HYPERLINK("http://x","klik")',
           "aanbieder": "<script>alert('x')</script>Zorg", "naam": "Waterveen <b>vet</b>"}


@pytest.mark.slow
def test_a_report_fed_hostile_text_has_no_live_markup_and_no_formula(demo_processed, tmp_path, monkeypatch):
    import csv
    import json
    from html.parser import HTMLParser

    import openpyxl
    import pandas as pd

    from kompas_lib.pipeline.run import run_one

    only = tmp_path / "notebooks"  # the blocks that show activities and providers are enough here
    only.mkdir()
    for nb in ("03_activiteiten.ipynb", "05_outcome.ipynb"):
        shutil.copy(Path(__file__).resolve().parents[1] / "notebooks" / nb, only / nb)
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(only))
    demo = Path(json.loads((demo_processed / "prepare.json").read_text(encoding="utf-8"))["source"]["root"])
    act = pd.read_csv(demo / "activiteiten.csv", sep=";", dtype=str, keep_default_na=False)
    act.loc[0, ["activiteit", "partner"]] = [HOSTILE["activiteit"], HOSTILE["partner"]]
    act.to_csv(tmp_path / "activiteiten.csv", sep=";", index=False)
    prov = pd.read_csv(demo / "aanbieders_uitkomsten.csv", sep=";", dtype=str, keep_default_na=False)
    prov.loc[prov["aanbieder"] == prov["aanbieder"].iloc[0], "aanbieder"] = HOSTILE["aanbieder"]
    prov.to_csv(tmp_path / "aanbieders.csv", sep=";", index=False)
    params = tmp_path / "GM9001.yml"
    params.write_text(f"gemeente: GM9001\nnaam: '{HOSTILE['naam']}'\nlokale_gegevens:\n  activiteiten: activiteiten.csv\n"
                      "aanbieders:\n  bestand: aanbieders.csv\n", encoding="utf-8")
    r = run_one("GM9001", params, processed=demo_processed, out_root=tmp_path / "out")
    assert r.ok, r.message
    page = r.report.read_text(encoding="utf-8")

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.bad = []

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed") or any(k.startswith("on") for k, _ in attrs):
                self.bad.append((tag, attrs))
            if tag == "img" and not dict(attrs).get("src", "").startswith("data:image/svg+xml;base64,"):
                self.bad.append((tag, attrs))

    parser = Tags()
    parser.feed(page)
    assert not parser.bad
    assert "Buurtsport" in page and "&lt;script&gt;" in page  # shown, as text
    assert "<b>vet</b>" not in page and "Waterveen &lt;b&gt;vet&lt;/b&gt;" in page
    book = openpyxl.load_workbook(r.report.parent / "tabellen.xlsx")
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not [c for c in cells if c.data_type == "f"]
    for f in (r.report.parent / "data").glob("*.csv"):
        with f.open(encoding="utf-8-sig") as fh:
            for row in csv.reader(fh, delimiter=";"):
                assert not [v for v in row if v and (v[0] in "=@" or (v[0] in "+-" and not _number(v)))], f.name
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in r.report.parent.rglob("*") if p.is_file())


def _number(v: str) -> bool:
    try:
        float(v.replace(",", "."))
        return True
    except ValueError:
        return False
