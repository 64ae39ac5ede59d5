"""The Excel workbook beside the report: every shown table, numbers as numbers, never a formula."""

import pandas as pd
import pytest

from kompas_lib.presentation import workbook


@pytest.mark.parametrize("text, value, fmt", [
    ("11,9\u00a0%", 11.9, '#,##0.0 "%"'), ("2.045", 2045, "#,##0"), ("€\u00a0347", 347, '"€" #,##0'),
    ("9,2 per 1.000", 9.2, '#,##0.0 "per 1.000"'), ("-0,4", -0.4, "#,##0.0"), ("–", None, None),
    ("2023", 2023, "#,##0"), ("Jongeren met jeugdzorg", "Jongeren met jeugdzorg", None),
    ("schooljaar 2022/'23", "schooljaar 2022/'23", None), ("11,7–12,1", "11,7–12,1", None),
])
def test_shown_cells_become_numbers_where_they_are_numbers(text, value, fmt):
    assert workbook.parse_cell(text) == (value, fmt)


def test_text_from_a_users_file_never_becomes_a_formula(tmp_path):
    from openpyxl import load_workbook

    table = pd.DataFrame({"Aanbieder": ["=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)"], "Trajecten": ["12", "1.200", "–"]})
    workbook.save_table(tmp_path, 1, "aanbieders", "Uitkomsten per aanbieder", table, "Bron: eigen gegevens.")
    ws = load_workbook(workbook.build(tmp_path))["Uitkomsten per aanbieder"]
    assert [c.value for c in ws["A"][:4]] == ["Aanbieder", "=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)"]
    assert all(c.data_type == "s" for c in ws["A"][1:4])
    assert [c.value for c in ws["B"][1:4]] == [12, 1200, None]
    assert ws.cell(row=6, column=1).value == "Bron: eigen gegevens."


@pytest.mark.slow
def test_demo_workbook_holds_the_numbers_of_the_html_tables(demo_report):
    from openpyxl import load_workbook

    folder, text, _ = demo_report
    wb = load_workbook(folder / "tabellen.xlsx")
    ws = wb["Kerncijfers jeugdzorg"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "Jongeren met jeugdzorg")
    shown = row[header.index("Waterveen")]
    assert isinstance(shown, float) and f"{shown:.1f}".replace(".", ",") + "\u00a0%" in text
    assert "Definities" in wb.sheetnames and len(wb.sheetnames) >= 10
    data = pd.read_csv(folder / "data" / "trechter_jeugdzorg.csv", sep=";", decimal=",")
    assert all(len(str(v).replace(".", "").lstrip("0")) <= 7 for v in data.aandeel)  # rounded for people


def test_csv_exports_keep_formula_like_text_as_text():
    from kompas_lib.presentation.notebook import for_people

    out = for_people(pd.DataFrame({"aanbieder": ["=cmd()", "Aanbieder A", "-1+2", "@x"], "v": [64829.545454, 1.0, 2.0, 3.0],
                                   "p": [0.123456789, 0.5, 0.25, 0.1]}))
    assert list(out.aanbieder) == ["'=cmd()", "Aanbieder A", "'-1+2", "'@x"]
    assert out.v.iloc[0] == 64829.55 and out.p.iloc[0] == 0.1234568
