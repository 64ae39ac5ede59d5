"""Every numbered notebook runs for a jeugdregio as a whole — executed in this process (no kernel,
no papermill) with the session's demo facts, so it takes seconds. The papermill run itself is tested
once in test_pipeline.py."""

import json

import pytest
from conftest import ROOT


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"]
            if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("code", ["JZ91"])
def test_every_notebook_runs_for_a_region_as_a_whole(code, demo_processed, demo_facts, tmp_path, monkeypatch):
    import IPython.display

    import kompas_lib.presentation.session as nb_module

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    monkeypatch.setattr(nb_module, "load_facts", lambda processed: demo_facts)
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(tmp_path))
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 7
    for path in notebooks:
        namespace = {"gemeente": code, "params_file": ""}
        for source in code_cells(path):
            exec(compile(source, f"{path.name}", "exec"), namespace)  # noqa: S102 - our own notebooks
    import re

    html = re.sub(r'src="data:[^"]*"', "", "".join(getattr(o, "data", "") or "" for o in shown))
    for bad in ("Traceback", "nan %", "NaN"):
        at = html.find(bad)
        assert at < 0, html[max(0, at - 300):at + 100]
    assert any((tmp_path).rglob("trend_jongeren_jeugdzorg.csv"))
