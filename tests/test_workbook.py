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
    (c.margin(11.66, 12.08), "11,7–12,1", [(11.7, "#,##0.0", None), (12.1, "#,##0.0", None)]),  # on its own
    (c.margin(0.7, 1.36, 2, spaced=True), "0,70 – 1,36", [(0.7, "#,##0.00", None), (1.36, "#,##0.00", None)]),
    (c.suppressed_count(4, 10), "<\u00a010", [(None, None, "Leeg: minder dan 10 — niet getoond om privacyredenen")]),
    (c.below(5, words=True), "minder dan 5", [(None, None, "Leeg: minder dan 5 — niet getoond (privacy)")]),
    (c.too_small(), "te klein", [(None, None, "Leeg: te klein — te weinig trajecten om te beoordelen")]),
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
    assert headers == ["Jaar", "Aantal", "Marge ondergrens", "Marge bovengrens", "Leeg", "Naam"]
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
    assert [c.value for c in ws[1]] == ["Aanbieder", "Trajecten", "95 %-marge ondergrens", "95 %-marge bovengrens"]
    assert [c.value for c in ws[2]][2:] == [10.0, 20.0] and ws["C"][1].number_format == "#,##0.0"
    assert ws.cell(row=6, column=1).value == "Bron: eigen gegevens."
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"  # header kept in view, a filter on it



def test_a_margin_becomes_two_number_columns_in_the_format_of_its_figure(tmp_path):
    """'7,2–9,1' beside a percentage: two numbers '… ondergrens' and '… bovengrens' shown as '7,2 %'; a
    margin beside a figure not shown takes the format of that column's other figures; none: both empty."""
    from openpyxl import load_workbook

    rounded = c.Suppressed(shown="minder dan 50 van 200", reason="CBS publiceert dit aantal afgerond op honderdtallen")
    table = pd.DataFrame({"Indicator": ["Jeugdzorg", "Verblijf", "Afgerond", "Zonder marge"],
                          "Waterveen": [c.pct(8.14), c.pct(1.25, 2), rounded, c.value(9.24, "per_1000")],
                          "95 %-marge": [c.margin(7.236, 9.104), c.margin(0.911, 1.704, 2), c.margin(0, 24.6), None],
                          "Demoland": [c.pct(6.0), c.pct(1.0, 2), c.pct(3.0), c.value(8.0, "per_1000")],
                          "W/V": [c.number(1.1, 2), c.number(0.9, 2), None, None],
                          "95 %-interval": [c.margin(0.7, 1.36, 2, spaced=True), None, None, None]})
    headers, rows = cells.excel_table(table)
    assert headers == ["Indicator", "Waterveen", "95 %-marge ondergrens", "95 %-marge bovengrens", "Demoland", "W/V",
                       "95 %-interval ondergrens", "95 %-interval bovengrens"]
    workbook.save_table(tmp_path, 1, "alle", "Alle indicatoren", table, "Bron: Demoland.")
    ws = load_workbook(workbook.build(tmp_path))["Alle indicatoren"]
    grid = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2, max_row=5)]
    assert [r[2:4] for r in grid] == [[7.2, 9.1], [0.91, 1.7], [0, 24.6], [None, None]]
    assert all(isinstance(v, (int, float)) for r in grid[:3] for v in r[2:4])
    assert [ws.cell(row=r, column=3).number_format for r in (2, 3, 4)] == ['#,##0.0 "%"', '#,##0.00 "%"', '#,##0.0 "%"']
    assert ws.cell(row=2, column=4).number_format == ws.cell(row=2, column=2).number_format == '#,##0.0 "%"'
    assert grid[0][6:8] == [0.7, 1.36] and ws.cell(row=2, column=7).number_format == "#,##0.00"  # a ratio's interval
    assert grid[1][6:8] == [None, None] and ws.auto_filter.ref == "A1:H5"


def test_a_suppressed_figure_is_an_empty_cell_with_a_note(tmp_path):
    """A count below the privacy threshold (and any other figure not shown) is an empty cell with a comment,
    and the note is repeated under the table (comments do not print): number columns hold only numbers."""
    from openpyxl import load_workbook

    table = pd.DataFrame({"Wijk": ["Centrum", "Noord", "Haven"],
                          "Jongeren met jeugdzorg": [c.count(1204), c.suppressed_count(7, 10), c.count(None)],
                          "Aandeel": [c.pct(11.5), c.too_small(reason="te weinig jongeren om te beoordelen"),
                                      c.pct(9.0)],
                          "Waargenomen": [c.below(10, words=True), c.count(40), c.count(12)]})
    workbook.save_table(tmp_path, 1, "wijken", "Wijken", table, "Bron: Demoland.")
    ws = load_workbook(workbook.build(tmp_path))["Wijken"]
    assert [cell.value for cell in ws["B"][1:4]] == [1204, None, None]
    assert ws["B"][2].comment.text == "Leeg: minder dan 10 — niet getoond om privacyredenen"
    assert ws["B"][3].comment is None  # missing is not suppressed
    small = "Leeg: te klein — te weinig jongeren om te beoordelen"
    assert ws["C"][2].value is None and ws["C"][2].comment.text == small
    assert ws["D"][1].value is None and ws["D"][1].comment.text == "Leeg: minder dan 10 — niet getoond (privacy)"
    for col in "BCD":  # number columns: numbers or empty, never text
        assert all(cell.value is None or (cell.data_type == "n" and isinstance(cell.value, (int, float)))
                   for cell in ws[col][1:4]), col
    assert [ws.cell(row=r, column=1).value for r in range(6, 10)] == [  # the caption, then each note once
        "Bron: Demoland.", "Leeg: minder dan 10 — niet getoond (privacy)",
        "Leeg: minder dan 10 — niet getoond om privacyredenen", small]
    assert ws.auto_filter.ref == "A1:D4"  # the notes stay outside the filtered range


def test_no_text_in_the_workbook_becomes_a_formula(tmp_path):
    """Cells, headers, sheet titles, captions and notes that start with = + - @ stay text."""
    from openpyxl import load_workbook

    hostile = ["=1+1", "+31 6", "-2+3", "@SUM(A1)"]
    table = pd.DataFrame({"=Kop": hostile, "Aantal": [c.count(1), c.below(10), c.count(3), c.count(4)],
                          "-Marge": [c.margin(1, 2)] * 4})
    workbook.save_table(tmp_path, 1, "x", "=cmd|' /C calc'!A0", table, "@caption")
    wb = load_workbook(workbook.build(tmp_path))
    ws = wb.worksheets[1]
    assert [cell.value for cell in ws["A"][:5]] == ["=Kop"] + hostile and ws.cell(row=7, column=1).value == "@caption"
    assert ws.cell(row=1, column=3).value == "-Marge ondergrens"
    assert wb["Inhoud"].cell(row=2, column=2).value == "=cmd|' /C calc'!A0"
    formulas = [cell.coordinate for sheet in wb for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert not formulas

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
    # two columns under one header, a text column of pandas' string type, a missing figure
    twice = pd.DataFrame([[1 / 3, "=A1", 2 / 3], [float("nan"), "x", 1.0]], columns=["waarde", "naam", "waarde"])
    twice["naam"] = twice["naam"].astype("string")
    out = for_people(twice)
    assert out.iloc[0, 0] == 0.3333333 and out.iloc[0, 2] == 0.6666667 and pd.isna(out.iloc[1, 0])
    assert list(out.iloc[:, 1]) == ["'=A1", "x"]


@pytest.mark.slow
def test_every_excel_cell_holds_what_the_report_shows(demo_report):
    """One contract from builder to reader: the workbook has a sheet per shown table, in report order,
    and every cell holds the number or text of the HTML table (a margin in two number columns, a figure
    not shown as an empty cell whose comment says why)."""
    from report_digest import as_excel_layout, excel_cells, excel_notes, html_tables, same_cell

    folder, _, _ = demo_report
    tables, sheets = html_tables(folder / "rapport.html"), excel_cells(folder / "tabellen.xlsx")
    notes = excel_notes(folder / "tabellen.xlsx")
    assert len(tables) == len(sheets) >= 30
    margins = 0
    for (name, sheet), table in zip(sheets.items(), tables):
        shown = as_excel_layout(table, list(sheet[0]))
        assert len(sheet) >= len(shown)
        for r, row in enumerate(shown):
            for col, text in enumerate(row):
                assert same_cell(text, sheet[r][col], notes[name].get((r, col))), (name, r + 1, col + 1, text,
                                                                                   sheet[r][col])
        for col, header in enumerate(sheet[0]):
            if str(header).endswith((" ondergrens", " bovengrens")):
                margins += 1
                assert all(row[col] is None or isinstance(row[col], (int, float)) for row in sheet[1:len(shown)])
    assert margins >= 2
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
    assert text.splitlines() == ["Uitkomst;Gemeenten;Binnen;Interval ondergrens;Interval bovengrens;Klein",
                                 "A;32;93,8;0,7;1,36;"]
