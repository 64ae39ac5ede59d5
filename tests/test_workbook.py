"""The Excel workbook beside the report: every shown table, numbers as numbers, never a formula."""

import re

import pandas as pd
import pytest

from kompas_lib.analysis import cells as c
from kompas_lib.presentation import cells, workbook


@pytest.mark.parametrize("cell, text, excel", [
    (c.pct(11.94), "11,9\u00a0%", [(11.9, '#,##0.0 "%"', None)]),
    (c.count(2045.2), "2.045", [(2045, "#,##0", None)]),
    (c.value(347, "euro"), "€\u00a0347", [(347, '"€" #,##0', None)]),
    (c.value(9.24, "per_1000"), "9,2 per 1.000", [(9.2, '#,##0.0 "per 1.000"', None)]),
    (c.number(-0.44, 1), "-0,4", [(-0.4, "#,##0.0", None)]),
    (c.number(170, 0, "dagen"), "170 dagen", [(170, '#,##0 "dagen"', None)]),
    (c.number(2.5, 1, prefix="klasse"), "klasse 2,5", [(2.5, '"klasse "#,##0.0', None)]),
    (c.signed(-12), "−12", [(-12, "+#,##0;−#,##0;0", None)]),
    (c.signed(0.2), "0", [(0, "+#,##0;−#,##0;0", None)]),
    (c.pct(None), "–", [(None, None, None)]),
    (None, "–", [(None, None, None)]),
    (float("nan"), "–", [(None, None, None)]),
    ("2023", "2023", [("2023", None, None)]),
    ("Jongeren met jeugdzorg", "Jongeren met jeugdzorg", [("Jongeren met jeugdzorg", None, None)]),
    (c.margin(11.66, 12.08), "11,7–12,1", [(11.7, "#,##0.0", None), (12.1, "#,##0.0", None)]),
    (c.margin(0.7, 1.36, 2, spaced=True), "0,70 – 1,36", [(0.7, "#,##0.00", None), (1.36, "#,##0.00", None)]),
    (c.suppressed_count(4, 10), "<\u00a010", [(None, None, "minder dan 10: niet getoond (privacy)")]),
    (c.below(10, words=True), "minder dan 10", [("minder dan 10", None, "minder dan 10: niet getoond (privacy)")]),
    (c.too_small(), "te klein", [("te klein", None, "te weinig trajecten om te beoordelen")]),
])
def test_one_formatter_gives_the_html_text_and_the_excel_number(cell, text, excel):
    assert cells.text(cell) == text
    assert cells.excel(cell) == excel


def test_a_bare_number_in_a_table_is_a_builder_error():
    with pytest.raises(TypeError, match="cell type"):
        cells.text(12.5)


def test_number_columns_are_known_from_the_cells_not_from_their_text():
    table = pd.DataFrame({"Jaar": ["2023", "2024"], "Aantal": [c.count(12), c.below(10)],
                          "Marge": [c.margin(1, 2), None], "Leeg": [None, None], "Naam": ["A", c.count(1)]})
    assert cells.numeric_columns(table) == [False, True, True, False, False]
    headers, rows = cells.excel_table(table)
    assert headers == ["Jaar", "Aantal", "Marge: van", "Marge: tot", "Leeg", "Naam"]
    assert [v for v, _, _ in rows[0]] == ["2023", 12, 1.0, 2.0, None, "A"]
    assert [v for v, _, _ in rows[1]] == ["2024", None, None, None, None, 1]


def test_text_from_a_users_file_never_becomes_a_formula(tmp_path):
    from openpyxl import load_workbook

    table = pd.DataFrame({"Aanbieder": ["=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)"],
                          "Trajecten": [c.count(12), c.count(1200), c.below(10)],
                          "95 %-marge": [c.margin(10.04, 20.0), c.margin(1, 2), None]})
    workbook.save_table(tmp_path, 1, "aanbieders", "Uitkomsten per aanbieder", table, "Bron: eigen gegevens.")
    ws = load_workbook(workbook.build(tmp_path))["Uitkomsten per aanbieder"]
    assert [c.value for c in ws["A"][:4]] == ["Aanbieder", "=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)"]
    assert all(c.data_type == "s" for c in ws["A"][1:4])
    assert [c.value for c in ws["B"][1:4]] == [12, 1200, None]
    assert ws["B"][3].comment is not None and "privacy" in ws["B"][3].comment.text
    assert [c.value for c in ws[1]] == ["Aanbieder", "Trajecten", "95 %-marge: van", "95 %-marge: tot"]
    assert [c.value for c in ws[2]][2:] == [10.0, 20.0] and ws["C"][1].number_format == "#,##0.0"
    assert ws.cell(row=6, column=1).value == "Bron: eigen gegevens."
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"  # header kept in view, a filter on it


def test_the_workbook_opens_on_an_index_and_names_sheets_by_whole_words(tmp_path):
    from openpyxl import load_workbook

    table = pd.DataFrame({"Indicator": ["a"], "Waarde": [c.count(3)]})
    long = "Jongeren met jeugdzorg per wijk en naar leeftijd in de gemeente"
    for i, title in enumerate([long, long, "Vergelijkbare gemeenten: profiel / afstand"], start=1):
        workbook.save_table(tmp_path, i, f"t{i}", title, table, f"Toelichting {i}.")
    wb = load_workbook(workbook.build(tmp_path))
    assert wb.sheetnames[0] == "Inhoud"
    names = wb.sheetnames[1:]
    assert names == ["Jongeren met jeugdzorg per wijk", "Jongeren met jeugdzorg per (2)",
                     "Vergelijkbare gemeenten profiel"]
    assert all(len(n) <= 31 for n in names)
    index = wb["Inhoud"]
    rows = list(index.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == names and rows[0][1] == long and rows[2][2] == "Toelichting 3."
    assert index.cell(row=2, column=1).hyperlink.location == "'Jongeren met jeugdzorg per wijk'!A1" or \
        index.cell(row=2, column=1).hyperlink.target == "#'Jongeren met jeugdzorg per wijk'!A1"


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
    from kompas_lib.presentation.view import for_people

    out = for_people(pd.DataFrame({"aanbieder": ["=cmd()", "Aanbieder A", "-1+2", "@x"], "v": [64829.545454, 1.0, 2.0, 3.0],
                                   "p": [0.123456789, 0.5, 0.25, 0.1]}))
    assert list(out.aanbieder) == ["'=cmd()", "Aanbieder A", "'-1+2", "'@x"]
    assert out.v.iloc[0] == 64829.55 and out.p.iloc[0] == 0.1234568


@pytest.mark.slow
def test_every_excel_cell_holds_what_the_report_shows(demo_report):
    """One contract from builder to reader: the workbook has a sheet per shown table, in report order,
    and every cell holds the number or text of the HTML table (a margin in two columns, a suppressed
    count as an empty cell with the reason as comment)."""
    from report_digest import as_excel_layout, excel_cells, html_tables, same_cell

    folder, _, _ = demo_report
    tables, sheets = html_tables(folder / "rapport.html"), excel_cells(folder / "tabellen.xlsx")
    assert len(tables) == len(sheets) >= 30
    for (name, sheet), table in zip(sheets.items(), tables):
        shown = as_excel_layout(table, list(sheet[0]))
        assert len(sheet) >= len(shown)
        for r, row in enumerate(shown):
            for col, text in enumerate(row):
                assert same_cell(text, sheet[r][col]), (name, r + 1, col + 1, text, sheet[r][col])
    for csv in (folder / "data").glob("*.csv"):  # and the CSVs hold values, never cell objects
        assert not re.search(r"\b(Number|Margin|Suppressed)\(", csv.read_text(encoding="utf-8-sig")), csv.name


def test_csv_exports_hold_values_never_cell_objects(tmp_path):
    """A section whose data are its typed table exports plain values (a margin as two columns)."""
    from kompas_lib.presentation import view

    class Ctx:
        out_dir, exports = tmp_path, []

    table = pd.DataFrame({"Uitkomst": ["A"], "Gemeenten": [c.count(32)], "Binnen": [c.pct(93.75)],
                          "Interval": [c.margin(0.7, 1.36, 2, spaced=True)], "Klein": [c.below(10)]})
    text = view.export(Ctx(), table, "kwaliteit").read_text(encoding="utf-8-sig")
    assert "Number(" not in text and "Margin(" not in text and "Suppressed(" not in text
    assert text.splitlines() == ["Uitkomst;Gemeenten;Binnen;Interval: van;Interval: tot;Klein", "A;32;93,8;0,7;1,36;"]
