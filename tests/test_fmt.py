import math

from kompas_lib.core import fmt


def test_dutch_number_formats():
    assert fmt.count(2045) == "2.045"
    assert fmt.count(1234567) == "1.234.567"
    assert fmt.number(1234.56, 1) == "1.234,6"
    assert fmt.pct(15) == "15,0\u00a0%"
    assert fmt.pct(9.75, 1) in ("9,8\u00a0%", "9,7\u00a0%")
    assert fmt.pp(1.25) .startswith("+1,") and fmt.pp(-0.4) == "−0,4 procentpunt"


def test_missing_is_a_dash_not_zero():
    assert fmt.pct(math.nan) == "–" and fmt.count(None) == "–"


def test_small_counts_are_suppressed():
    assert fmt.suppressed_count(5, 10) == "<\u00a010"
    assert fmt.suppressed_count(10, 10) == "10"


def test_missing_values_of_any_unit_are_a_dash():
    assert fmt.value(math.nan, "euro") == "–" and fmt.value(None, "per_1000") == "–"
    assert fmt.value(392, "euro") == "€\u00a0392" and fmt.value(5.2, "per_1000") == "5,2 per 1.000"


def test_no_negative_zero():
    assert fmt.number(-0.04, 1) == "0,0" and fmt.pct(-0.01) == "0,0\u00a0%" and fmt.count(-0.4) == "0"
    assert fmt.number(-0.06, 1) == "-0,1"
