"""kompas_lib: the shared library behind the Kwaliteitskompas workbook.

Layers, one direction (checked by import-linter, see pyproject.toml):
core -> sources -> prepare -> analysis (methods, section builders) -> presentation -> cli.
See docs/architecture.md.
"""

__version__ = "0.1.0"
