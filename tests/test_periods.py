from datetime import date

import pytest

from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period


@pytest.mark.parametrize("title, code, ptype, start, end", [
    ("2023", "2023", "jaar", date(2023, 1, 1), date(2023, 12, 31)),
    ("1e halfjaar 2021", "2021-H1", "halfjaar", date(2021, 1, 1), date(2021, 6, 30)),
    ("2e halfjaar 2021", "2021-H2", "halfjaar", date(2021, 7, 1), date(2021, 12, 31)),
    ("1e half jaar 2024", "2024-H1", "halfjaar", date(2024, 1, 1), date(2024, 6, 30)),
    ("2015 1e halfjaar", "2015-H1", "halfjaar", date(2015, 1, 1), date(2015, 6, 30)),
    ("1e kwartaal 2015", "2015-K1", "kwartaal", date(2015, 1, 1), date(2015, 3, 31)),
    ("2015 4e kwartaal", "2015-K4", "kwartaal", date(2015, 10, 1), date(2015, 12, 31)),
    ("30 juni 2023", "2023-06-30", "peildatum", date(2023, 6, 30), date(2023, 6, 30)),
    ("31 december 2019", "2019-12-31", "peildatum", date(2019, 12, 31), date(2019, 12, 31)),
    ("2021/'22", "2021/2022", "schooljaar", date(2021, 8, 1), date(2022, 7, 31)),
    ("  2012/'13 ", "2012/2013", "schooljaar", date(2012, 8, 1), date(2013, 7, 31)),
    ("2023JJ00", "2023", "jaar", date(2023, 1, 1), date(2023, 12, 31)),
    ("2021HJ02", "2021-H2", "halfjaar", date(2021, 7, 1), date(2021, 12, 31)),
    ("2015KW03", "2015-K3", "kwartaal", date(2015, 7, 1), date(2015, 9, 30)),
])
def test_period_titles(title, code, ptype, start, end):
    p = parse_period(title)
    assert (p.code, p.type, p.start, p.end) == (code, ptype, start, end)
    # canonical codes parse back to the same period
    assert parse_period(p.code) == p


def test_voorlopig_star_is_kept_as_status():
    p = parse_period("2024*")
    assert p.code == "2024" and p.status == "voorlopig"


def test_labels_are_dutch():
    assert parse_period("2021-H1").label == "1e halfjaar 2021"
    assert parse_period("30 juni 2023").label == "30 juni 2023"
    assert parse_period("2021/'22").label == "schooljaar 2021/'22"


@pytest.mark.parametrize("bad", ["3e halfjaar 2021", "31 februari 2021", "zomer 2020", ""])
def test_unknown_titles_fail_with_clear_message(bad):
    with pytest.raises(DataError, match="Onbekende periode"):
        parse_period(bad)


def test_every_period_title_in_the_snapshot_parses(snapshot_dir):
    import pandas as pd

    seen = 0
    for f in snapshot_dir.glob("*/*.csv"):
        head = pd.read_csv(f, sep=";", encoding="utf-8-sig", nrows=0).columns
        if "Perioden" not in head:
            continue
        for t in pd.read_csv(f, sep=";", encoding="utf-8-sig", usecols=["Perioden"], dtype=str)["Perioden"].unique():
            parse_period(t)
            seen += 1
    assert seen > 100
