from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas_lib.core.entry import clean_text, has_line_break
from kompas_lib.core.errors import ParamsError
from kompas_lib.core.params import load_params, new_params_file

ROOT = Path(__file__).resolve().parents[1]
KNOWN = {"GM0344": "Utrecht", "GM0363": "Amsterdam", "GM0088": "Schiermonnikoog", "JZ19": "Utrecht Stad"}


def write(tmp_path, text, name="GM0344.yml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_load_and_a_gemeente_file_overrides_nested_keys(tmp_path):
    p = write(tmp_path, "gemeente: GM0344\nperiode:\n  start_jaar: 2018\nprivacy:\n  drempel: 20\n")
    params = load_params(p, "GM0344", known_regions=KNOWN)
    assert params.periode.start_jaar == 2018 and params.periode.eind_jaar is None
    assert params.privacy.drempel == 20
    assert params.benchmarks == ["nederland", "provincie", "jeugdregio", "grootteklasse", "vergelijkbare_gemeenten"]
    assert params.vergelijkbare_gemeenten.k == 15


def test_shipped_params_files_validate():
    for p in sorted((ROOT / "params").glob("*.yml")):
        if p.name != "default.yml":
            load_params(p, p.stem)


def test_unknown_key_names_file_key_and_nearest_allowed(tmp_path):
    p = write(tmp_path, "benchmark:\n  - nederland\n")
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    msg = str(e.value)
    assert str(p) in msg and "benchmark: onbekende sleutel" in msg and "bedoelt u 'benchmarks'" in msg


def test_nested_unknown_key(tmp_path):
    p = write(tmp_path, "privacy:\n  drempl: 5\n")
    with pytest.raises(ParamsError, match=r"privacy\.drempl: onbekende sleutel; bedoelt u 'drempel'"):
        load_params(p, "GM0344")


def test_wrong_type_says_what_is_expected(tmp_path):
    p = write(tmp_path, "vergelijkbare_gemeenten:\n  k: veel\n")
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    assert "vergelijkbare_gemeenten.k: 'veel' is geen geheel getal; toegestaan: een geheel getal van 1 tot en met 50" in str(e.value)


@pytest.mark.parametrize("text, where", [
    ("periode:\n  start_jaar: 2009\n", "regel 2, kolom 15: periode.start_jaar"),
    ("periode:\n  start_jaar: 2020\n  eind_jaar: 2018\n", "regel 1: periode"),  # a section: the line of its key
    ("periode:\n  start_jaar: 2999\n", "regel 2, kolom 15: periode.start_jaar"),
])
def test_bad_years(tmp_path, text, where):
    p = write(tmp_path, text)
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    assert f"{p}: {where}:" in str(e.value) and "toegestaan:" in str(e.value)


def test_unknown_code_suggests_nearest_code(tmp_path):
    with pytest.raises(ParamsError, match=r"GM0334 is geen bekende regio; bedoelt u GM0344 \(Utrecht\)"):
        load_params(None, "GM0334", known_regions=KNOWN)


def test_name_instead_of_code_suggests_the_code(tmp_path):
    p = write(tmp_path, "gemeente: Amsterdam\n", "mijn.yml")
    with pytest.raises(ParamsError) as e:
        load_params(p, None, known_regions=KNOWN)
    msg = str(e.value)
    assert "gemeente: 'Amsterdam' is geen regiocode" in msg and "GM0363 (Amsterdam)" in msg


def test_bad_code_in_fixed_peer_list(tmp_path):
    p = write(tmp_path, "vergelijkbare_gemeenten:\n  vaste_lijst: [GM0363, GM9999]\n")
    with pytest.raises(ParamsError, match=r"vaste_lijst: GM9999 is geen bekende gemeente"):
        load_params(p, "GM0344", known_regions=KNOWN)


def test_invalid_yaml_names_line(tmp_path):
    p = write(tmp_path, "periode:\n  start_jaar: 2015\n eind_jaar: 2020\n")
    with pytest.raises(ParamsError, match=r"geen geldige YAML op regel 3"):
        load_params(p, "GM0344")


def test_missing_file_explains_how_to_create_one(tmp_path):
    with pytest.raises(ParamsError, match="kompas params new"):
        load_params(tmp_path / "GM0344.yml", "GM0344")


def test_file_for_another_gemeente(tmp_path):
    p = write(tmp_path, "gemeente: GM0363\n")
    with pytest.raises(ParamsError, match="het bestand is voor GM0363, maar het rapport is voor GM0344"):
        load_params(p, "GM0344")


def test_top_level_must_be_a_mapping(tmp_path):
    p = write(tmp_path, "- gewoon\n- een lijst\n")
    with pytest.raises(ParamsError, match=r"\(bovenste niveau\)"):
        load_params(p, "GM0344")


def test_new_params_file_round_trips_and_refuses_overwrite(tmp_path):
    p = new_params_file("GM0344", "Utrecht", dest_dir=tmp_path)
    params = load_params(p, "GM0344", known_regions=KNOWN)
    assert params.naam == "Utrecht" and params.gemeente == "GM0344"
    with pytest.raises(ParamsError, match="bestaat al"):
        new_params_file("GM0344", "Utrecht", dest_dir=tmp_path)
    new_params_file("GM0344", "Utrecht", dest_dir=tmp_path, overwrite=True)


AMBITIE = """ambities:
  - ambitie: We willen dat meer kinderen veilig opgroeien.
    resultaten:
      - id: R1
        titel: Minder jeugdbescherming
        soort: inhoudelijk
        indicatoren:
          - indicator: {ind}
            richting: lager
            basis: {{periode: "2021"}}
            doel: 0.9
            doeljaar: 2027
"""


def test_ambitions_validate_and_unknown_catalogue_id_is_named(tmp_path):
    ok = load_params(write(tmp_path, AMBITIE.format(ind="pct_jeugdbescherming")), "GM0344")
    assert ok.ambities[0].resultaten[0].indicatoren[0].has_norm
    with pytest.raises(ParamsError, match=r"ambities\.0\.resultaten\.0\.indicatoren\.0\.indicator: 'pct_jeugdbesch' staat niet in de catalogus; toegestaan: pct_jeugdbescherming"):
        load_params(write(tmp_path, AMBITIE.format(ind="pct_jeugdbesch")), "GM0344")


def test_result_kind_and_duplicate_ids(tmp_path):
    text = AMBITIE.format(ind="pct_jeugdbescherming").replace("soort: inhoudelijk", "soort: effect")
    with pytest.raises(ParamsError, match=r"soort: 'effect' is niet toegestaan"):
        load_params(write(tmp_path, text), "GM0344")
    doubled = AMBITIE.format(ind="pct_jeugdbescherming")
    doubled += doubled.split("resultaten:\n", 1)[1].replace("      - id: R1", "      - id: R1", 1)
    with pytest.raises(ParamsError, match="R1 komen meer dan één keer voor"):
        load_params(write(tmp_path, doubled.replace("ambities:\n", "ambities:\n", 1)), "GM0344")


# --- numbers and text as people type them (issue 26) ------------------------------------------------

NORM = AMBITIE.format(ind="pct_jeugdbescherming")


@pytest.mark.parametrize("old, new, expected", [
    ("doel: 0.9", "doel: .inf", "regel 11, kolom 19: ambities.resultaten.indicatoren.doel: '.inf' is geen gewoon getal "
                                "(het betekent oneindig); toegestaan: een getal met een punt als decimaalteken"),
    ("doel: 0.9", "doel: .nan", "'.nan' is geen gewoon getal (het betekent 'geen getal')"),
    ("doel: 0.9", "doel: 1e400", "'1e400' is geen gewoon getal (het betekent oneindig)"),
    ("doel: 0.9", "doel: '0,9'", "'0,9' is geen getal: in een params-bestand is het decimaalteken een punt; schrijf 0.9"),
    ("doeljaar: 2027", "doeljaar: 99999", "regel 12, kolom 23: ambities.resultaten.indicatoren.doeljaar: doeljaar 99999 "
                                          "ligt buiten 2015–"),
    ("doeljaar: 2027", "doeljaar: .inf", "doeljaar: '.inf' is geen gewoon getal"),
    ("doeljaar: 2027", "doeljaar: yes", "doeljaar: 'yes' is geen geheel getal"),
    ("doeljaar: 2027", "doeljaar: 2027.5", "doeljaar: '2027.5' is geen geheel getal"),
    ("basis: {periode: \"2021\"}", "basis: {periode: \"2021\", waarde: .nan}", "basis.waarde: '.nan' is geen gewoon getal"),
])
def test_numbers_that_are_no_numbers_are_refused_with_line_and_column(tmp_path, old, new, expected):
    assert old in NORM
    p = write(tmp_path, NORM.replace(old, new))
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    assert f"{p}: " in str(e.value) and expected in str(e.value)


@pytest.mark.parametrize("text, expected", [
    ("privacy:\n  drempel: .inf\n", "regel 2, kolom 12: privacy.drempel: '.inf' is geen gewoon getal"),
    ("vergelijkbare_gemeenten:\n  k: true\n", "regel 2, kolom 6: vergelijkbare_gemeenten.k: 'true' is geen geheel getal"),
    ("periode:\n  start_jaar: .nan\n", "periode.start_jaar: '.nan' is geen gewoon getal"),
])
def test_infinite_and_boolean_counts_are_refused(tmp_path, text, expected):
    with pytest.raises(ParamsError, match=expected.replace(".", r"\.").replace("(", r"\(")):
        load_params(write(tmp_path, text), "GM0344")


def test_a_base_year_typed_as_a_number_is_read_as_its_text(tmp_path):
    params = load_params(write(tmp_path, NORM.replace('basis: {periode: "2021"}', "basis: {periode: 2021}")), "GM0344")
    assert params.ambities[0].resultaten[0].indicatoren[0].basis.periode == "2021"


@pytest.mark.parametrize("text, expected", [
    ('naam: "Utrecht\u202e"\n', "regel 1, kolom 7: naam: een onzichtbaar teken U+202E (right-to-left override; het "
                                 "verandert de leesrichting) na 'Utrecht'"),
    ('rapport:\n  titel: "Jeugd\u200bmonitor"\n', "regel 2, kolom 10: rapport.titel: een onzichtbaar teken U+200B"),
    ('rapport:\n  organisatie: "a\u2066b"\n', "regel 2, kolom 16: rapport.organisatie: een onzichtbaar teken U+2066"),
    ("rapport:\n  titel: Jeugd\x07\n", "regel 2, kolom 15: hier staat een onzichtbaar stuurteken U+0007 (BEL)"),
    ('naam: "\\e[31mrood"\n', "regel 1, kolom 7: naam: een onzichtbaar stuurteken U+001B (ESC) aan het begin"),
    ('"bench\u200bmarks": [nederland]\n', "regel 1: sleutel 'benchmarks': een onzichtbaar teken U+200B"),
])
def test_invisible_characters_in_params_text_are_named(tmp_path, text, expected):
    p = write(tmp_path, text)
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    assert f"{p}: {expected}" in str(e.value), str(e.value)


def test_params_text_is_normalised_but_paths_stay_as_typed(tmp_path):
    text = ('naam: "Gemeente\u00a0 Utre\u0301cht "\nrapport:\n  titel: "Jeugd\tin\n beeld"\n'
            "aanbieders:\n  bestand: 'mijn  map/a.csv'\n")
    params = load_params(write(tmp_path, text), "GM0344")
    assert params.naam == "Gemeente Utr\u00e9cht" and params.rapport.titel == "Jeugd in beeld"
    assert params.aanbieders.bestand == "mijn  map/a.csv"


@pytest.mark.parametrize("name", ["Gemeente " + "met een heel lange naam " * 40, "yes", "2021", "x: y # z",
                                  "'s-Hertogenbosch", '"Aan" de Maas', "Súdwest-Fryslân", "- lijst", "[a]", "&anker *x"])
def test_a_starter_file_keeps_any_name_whole_and_valid(tmp_path, name):
    p = new_params_file("GM0344", name, dest_dir=tmp_path)
    assert load_params(p, "GM0344").naam == name.strip()
    assert yaml.safe_load(p.read_text(encoding="utf-8"))["naam"] == name.strip()


@pytest.mark.parametrize("name, words", [("Utrecht\nStad", "regeleinde"), ("Utrecht\r\nStad", "regeleinde"),
                                         ("Utrecht\u2028Stad", "regeleinde"), ("Utrecht\u200b", "U+200B"),
                                         ("Utrecht\x1b", "U+001B")])
def test_a_starter_name_with_a_line_break_or_invisible_character_writes_nothing(tmp_path, name, words):
    with pytest.raises(ParamsError, match=words.replace("+", r"\+")):
        new_params_file("GM0344", name, dest_dir=tmp_path)
    assert not list(tmp_path.iterdir())


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_a_starter_file_round_trips_any_name_or_refuses_it(tmp_path, name):
    try:
        p = new_params_file("GM0344", name, dest_dir=tmp_path, overwrite=True)
    except ParamsError:
        assert has_line_break(name) or clean_text(name)[1]
        return
    assert load_params(p, "GM0344").naam == (clean_text(name)[0] or "GM0344")
