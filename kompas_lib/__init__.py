"""kompas_lib: the shared library behind the Kwaliteitskompas workbook.

Layers (one direction): sources -> prepare -> facts -> analysis -> notebooks -> report.
See docs/architecture.md.
"""

__version__ = "0.1.0"
