"""What a notebook needs to stay thin: one call to start, small helpers to show results.

    from kompas_lib.presentation import notebook as nb
    ctx = nb.start(gemeente, params_file)      # reads params, facts and own files once per report
    nb.header(ctx, "Blok 1 · Staat van de jeugd")
    nb.show(ctx, staat.kerncijfers(ctx.scope))  # any Section from kompas_lib.analysis.sections

Everything shown goes through :func:`show`, so formats, captions, privacy and exports are the same
in every block. The work is done in :mod:`.session` (loading) and :mod:`.view` (showing); this module
is the short name notebooks import.
"""

from __future__ import annotations

from kompas_lib.core import fmt
from kompas_lib.prepare.regions import COUNTRY_CODE
from kompas_lib.presentation.session import Context, cached_tables, load_scope
from kompas_lib.presentation.view import export, header, md, section_html, show, start

__all__ = ["start", "load_scope", "cached_tables", "Context", "header", "md", "show", "section_html", "export",
           "COUNTRY_CODE", "fmt"]
