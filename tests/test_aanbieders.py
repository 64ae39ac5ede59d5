"""Provider outcome file: every validation error with file, line and column; rates and suppression."""

import pandas as pd
import pytest

from kompas_lib.analysis.methods.aanbieders import COLUMNS, ProviderDataError, rates
from kompas_lib.sources import sjablonen

GOOD = ("Jeugdhulp De Linde;GM0344;2023;ambulant;100;70;10;5;5;4;9;50;40;60;45\n"
        "Jeugdhulp De Linde;GM0344;2023;verblijf;20;12;3;2;3;1;2;8;6;10;7\n"
        "Kompaan;GM0344;2023;ambulant;8;6;1;0;1;0;1;4;3;5;4\n")
KNOWN = {"GM0344": "Utrecht", "GM0363": "Amsterdam"}


def load(path, known_codes=None):
    return sjablonen.load(path, "aanbieders", known_codes)


def write(tmp_path, body, header=None):
    p = tmp_path / "aanbieders.csv"
    p.write_text((header or ";".join(COLUMNS)) + "\n" + body, encoding="utf-8")
    return p


def problems(tmp_path, body, **kw):
    with pytest.raises(ProviderDataError) as e:
        load(write(tmp_path, body, **kw), KNOWN)
    return str(e.value)


def test_template_has_the_documented_columns():
    assert list(sjablonen.template("aanbieders").columns) == COLUMNS


def test_good_file_loads(tmp_path):
    df = load(write(tmp_path, GOOD), KNOWN)
    assert len(df) == 3 and df.trajecten_beeindigd.sum() == 128 and df.periode.iloc[0] == "2023"


def test_negative_count(tmp_path):
    msg = problems(tmp_path, GOOD.replace(";100;70;", ";-100;70;", 1))
    assert "regel 2: kolom 'trajecten_beeindigd': -100 is negatief" in msg


def test_numerator_above_denominator(tmp_path):
    msg = problems(tmp_path, GOOD.replace(";50;40;", ";50;60;", 1))
    assert "regel 2: kolom 'tevredenheid_positief': tevredenheid_positief = 60 is meer dan tevredenheid_respons = 50" in msg


def test_outcomes_sum_above_ended(tmp_path):
    msg = problems(tmp_path, GOOD.replace(";100;70;10;5;5;", ";100;90;10;5;5;", 1))
    assert "beeindigd_volgens_plan + voortijdig_eenzijdig_client + voortijdig_eenzijdig_aanbieder + voortijdig_overig = 110" in msg


def test_unknown_gemeente_code_suggests_nearest(tmp_path):
    msg = problems(tmp_path, GOOD.replace("GM0344", "GM0345", 1))
    assert "regel 2: kolom 'gemeente_code': gemeentecode GM0345 is onbekend (bedoelt u GM0344 Utrecht?)" in msg
    msg = problems(tmp_path, GOOD.replace("GM0344", "Utrecht", 1))
    assert "'Utrecht' is geen gemeentecode" in msg


def test_duplicate_rows(tmp_path):
    lines = GOOD.splitlines()
    msg = problems(tmp_path, "\n".join([*lines, lines[0]]) + "\n")
    assert "regel 5: kolommen aanbieder, gemeente_code, periode, zorgvorm: dezelfde combinatie als op regel 2" in msg


@pytest.mark.parametrize("bad", ["2023-13", "zomer 2023", "30 juni 2023"])
def test_wrong_period_format(tmp_path, bad):
    msg = problems(tmp_path, GOOD.replace(";2023;", f";{bad};", 1))
    assert f"regel 2: kolom 'periode': '{bad}' is geen periode" in msg


def test_not_a_number_and_fraction(tmp_path):
    msg = problems(tmp_path, GOOD.replace(";100;70;", ";honderd;70;", 1).replace(";20;12;", ";20.5;12;", 1))
    assert "kolom 'trajecten_beeindigd': 'honderd' is geen getal" in msg
    assert "regel 3: kolom 'trajecten_beeindigd': 20.5 is geen geheel getal" in msg


def test_missing_and_misspelled_columns(tmp_path):
    header = ";".join(COLUMNS).replace("doel_bereikt", "doel_bereikte")
    msg = problems(tmp_path, GOOD, header=header)
    assert "regel 1: kolom 'doel_bereikt' ontbreekt (bedoelt u 'doel_bereikte'?)" in msg


def test_missing_file_points_at_the_template(tmp_path):
    with pytest.raises(ProviderDataError, match="sjabloon"):
        load(tmp_path / "nope.csv")


def test_rates_with_intervals_and_suppression(tmp_path):
    df = load(write(tmp_path, GOOD), KNOWN)
    r = rates(df, "volgens_plan", ["aanbieder"], threshold=10).set_index("aanbieder")
    linde = r.loc["Jeugdhulp De Linde"]
    assert (linde.k, linde.n) == (82, 120) and linde.rate == pytest.approx(82 / 120)
    assert linde.lo < linde.rate < linde.hi
    small = r.loc["Kompaan"]  # 8 ended trajecten < 10: no numbers at all
    assert small.klein and pd.isna(small.k) and pd.isna(small.n) and pd.isna(small.rate)
