"""Assembling executed notebooks into one page (kompas_lib.pipeline.assemble), on a tiny notebook."""

import nbformat
from nbconvert.exporters import html as html_module

from kompas_lib.pipeline.assemble import to_html


def _executed() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("nb.show(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": (
        '<h2>Kerncijfers</h2><p>Jeugdhulp &amp; meer: 12,5 %</p>'
        '<img class="kompas-figuur" src="data:image/svg+xml;base64,PHN2Zy8+" alt="Trend in Utrecht">')}),
        nbformat.v4.new_output("stream", name="stderr", text="a warning partners must not see")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Blok 1 · Staat van de jeugd"), cell]
    return nb


def test_page_is_the_template_output_without_a_second_parse():
    page = to_html([_executed()], False, "Kwaliteitskompas jeugd — Utrecht")
    assert '<html lang="nl"' in page and "<script" not in page.lower()
    assert 'alt="Trend in Utrecht"' in page and "No description has been provided" not in page
    assert "Jeugdhulp &amp; meer: 12,5 %" in page  # the text as the section wrote it
    assert "a warning partners must not see" not in page
    assert 'id="blok-1-staat-van-de-jeugd"' in page and 'id="kerncijfers"' in page
    assert "tabindex" not in page  # nbconvert's pass over the parsed page was skipped
    assert html_module.BeautifulSoup.__module__.startswith("bs4")  # and nbconvert's own parser is back
