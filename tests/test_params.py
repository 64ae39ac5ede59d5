from pathlib import Path

import pytest

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


@pytest.mark.parametrize("text, key", [
    ("periode:\n  start_jaar: 2009\n", "periode.start_jaar"),
    ("periode:\n  start_jaar: 2020\n  eind_jaar: 2018\n", "periode"),
    ("periode:\n  start_jaar: 2999\n", "periode.start_jaar"),
])
def test_bad_years(tmp_path, text, key):
    p = write(tmp_path, text)
    with pytest.raises(ParamsError) as e:
        load_params(p, "GM0344")
    assert f"{p}: {key}:" in str(e.value) and "toegestaan:" in str(e.value)


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
