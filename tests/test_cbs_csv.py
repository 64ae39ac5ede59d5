import numpy as np
import pandas as pd
import pytest

from kompas_lib.core.errors import DataError, SourceUnavailable
from kompas_lib.sources.cbs_csv import read_raw, require_columns, to_number


def test_missing_is_not_zero_and_keeps_its_reason():
    values, reasons = to_number(pd.Series(["318610.0", "", ".", "x", "-", "12,5", "abc", "0"]))
    assert values.iloc[0] == 318610.0
    assert np.isnan(values.iloc[1]) and reasons.iloc[1] == "leeg"
    assert np.isnan(values.iloc[2]) and reasons.iloc[2] == "onbekend"
    assert np.isnan(values.iloc[3]) and reasons.iloc[3] == "geheim"
    assert values.iloc[4] == 0.0 and reasons.iloc[4] is None  # '-' is CBS 'nihil'
    assert values.iloc[5] == 12.5
    assert np.isnan(values.iloc[6]) and reasons.iloc[6].startswith("onleesbaar")
    assert values.iloc[7] == 0.0 and reasons.iloc[7] is None


def test_bom_separator_and_padding(tmp_path):
    f = tmp_path / "T.csv"
    f.write_bytes("\ufeffID;RegioS;Code_1;Waarde_2\n0;Utrecht (gemeente);GM0344    ;  135.5\n".encode("utf-8"))
    df = read_raw(f)
    assert list(df.columns) == ["ID", "RegioS", "Code_1", "Waarde_2"]
    assert df.loc[0, "Code_1"] == "GM0344"
    assert to_number(df["Waarde_2"])[0].iloc[0] == 135.5


# --- a CBS file or prepared data that cannot be used: a plain message, never a pandas traceback -----

def cbs_file(tmp_path, content: bytes, table_id="85099NED"):
    f = tmp_path / table_id / f"{table_id}.csv"
    f.parent.mkdir()
    f.write_bytes(content)
    return f


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n \n"])
def test_an_empty_cbs_file_names_the_table_and_how_to_fetch_it_again(tmp_path, content):
    f = cbs_file(tmp_path, content)
    with pytest.raises(DataError, match=r"CBS-tabel 85099NED: het bestand .* is leeg") as e:
        read_raw(f)
    assert str(f) in str(e.value) and "'kompas fetch 85099NED --refresh'" in str(e.value)


def test_a_cbs_file_with_only_a_header(tmp_path):
    with pytest.raises(DataError, match="alleen een kopregel en geen cijfers.*kompas fetch 85099NED"):
        read_raw(cbs_file(tmp_path, "\ufeffID;RegioS;Perioden;Aantal_1\n".encode("utf-8")))


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 8,  # binary
    "ID;RegioS\n0;Sch\u00f6n\n".encode("latin-1"),  # not UTF-8
    b"ID;RegioS;Aantal_1\n0;Utrecht;1\n1;Zeist;2;3;4;5\n",  # a row with more fields than the header
    b"ID,RegioS,Aantal_1\n0,Utrecht,1\n",  # commas
])
def test_garbage_is_a_data_error_with_what_to_do(tmp_path, content):
    with pytest.raises(DataError, match="CBS-tabel 85099NED: .*kompas fetch 85099NED --refresh"):
        read_raw(cbs_file(tmp_path, content))


def test_the_folder_source_names_the_table_of_a_broken_file(tmp_path):
    from kompas_lib.sources import FolderSource

    cbs_file(tmp_path, b"", table_id="85098NED")
    with pytest.raises(DataError, match="CBS-tabel 85098NED"):
        FolderSource(tmp_path, "snapshot").read_table("85098NED")
    with pytest.raises(DataError, match="CBS-tabel 99999NED staat niet in de map .*'kompas fetch 99999NED'"):
        FolderSource(tmp_path, "snapshot").read_table("99999NED")


def test_missing_columns_name_table_columns_and_catalogue():
    df = pd.DataFrame({"ID": ["0"], "RegioS": ["Utrecht (gemeente)"]})
    with pytest.raises(DataError) as e:
        require_columns(df, ["RegioS", "Perioden", "Aantal_1"], "85099NED")
    msg = str(e.value)
    assert msg.startswith("CBS-tabel 85099NED mist de kolommen 'Perioden', 'Aantal_1'")
    assert "kompas_lib/data/tables.yml" in msg and "CBS de tabel veranderd" in msg and "ID, RegioS" in msg


@pytest.mark.parametrize("content", [b"", b"dit is geen parquet", b"PAR1" + bytes(64) + b"PAR1"])
def test_damaged_prepared_data_say_run_prepare_again(tmp_path, content):
    from kompas_lib.prepare.facts import load_facts

    (tmp_path / "facts.parquet").write_bytes(content)
    with pytest.raises(DataError, match="beschadigd of gemaakt met een oudere versie.*'kompas prepare'"):
        load_facts(tmp_path)


def test_prepared_data_without_the_expected_columns(tmp_path):
    from kompas_lib.prepare.facts import load_facts, load_regions

    pd.DataFrame({"indicator": ["x"], "value": [1.0]}).to_parquet(tmp_path / "facts.parquet")
    with pytest.raises(DataError, match="ontbreken de kolommen region_code.*'kompas prepare' opnieuw"):
        load_facts(tmp_path)
    with pytest.raises(DataError, match=r"regions\.parquet bestaat nog niet.*'kompas prepare'"):
        load_regions(tmp_path)


def test_a_snapshot_folder_that_is_missing_or_a_file(tmp_path):
    from kompas_lib.sources import choose_source

    with pytest.raises(SourceUnavailable, match="KOMPAS_CBS_DIR wijst naar .*een map die niet bestaat"):
        choose_source("snapshot", cbs_dir=tmp_path / "nergens")
    (tmp_path / "cbs.csv").write_text("x", encoding="utf-8")
    with pytest.raises(SourceUnavailable, match="een bestand, geen map"):
        choose_source("snapshot", cbs_dir=tmp_path / "cbs.csv")
