"""kompas_lib: the shared library behind the Kwaliteitskompas workbook.

Layers, one direction (checked by import-linter, see pyproject.toml):
core -> sources -> prepare -> analysis (methods, section builders) -> presentation -> cli.
See docs/architecture.md.
"""

__version__ = "0.1.0"


def _skip_slow_optional_imports() -> None:
    """jsonschema (imported by papermill and nbconvert through nbformat) checks the 'iri' string
    format with ``rfc3987_syntax`` when that package is installed; jupyter-events pulls it in, and
    importing it compiles 39 grammars: 2,9 s in every process and kernel that imports papermill,
    more than the rest of a report's imports. Nothing here validates IRIs, so the import is made to
    fail (jsonschema then simply leaves that format unchecked). Set KOMPAS_FULL_JSONSCHEMA=1 to keep it."""
    import os
    import sys

    if os.environ.get("KOMPAS_FULL_JSONSCHEMA") != "1" and "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: "import" raises ImportError


_skip_slow_optional_imports()
