"""The warm kernel of a batch worker: reused across gemeenten, emptied between them, replaced after a hang."""

import nbformat

from kompas_lib.pipeline.kernel import worker_kernel
from kompas_lib.pipeline.run import run_one

PROBE = '''import time
left_over = sorted(k for k in globals() if k.startswith("van_"))
assert not left_over, f"variables of an earlier gemeente: {left_over}"
globals()["van_" + gemeente] = 1
if gemeente == "GM9002":
    time.sleep(60)
print("klaar", gemeente)
'''


def _probe_notebooks(folder):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('gemeente = "GM9001"\nparams_file = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(PROBE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_probe.ipynb")
    return folder


def test_one_kernel_for_many_gemeenten_emptied_between_them_and_replaced_after_a_hang(
        demo_processed, tmp_path, monkeypatch):
    folder = _probe_notebooks(tmp_path / "notebooks")
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(folder))
    kw = dict(processed=demo_processed, out_root=tmp_path / "reports")

    first = run_one("GM9001", **kw)
    kernel = worker_kernel(folder)
    km = kernel.km
    second = run_one("GM9003", **kw)  # would fail on the assert if GM9001's variable were still there
    assert first.ok and second.ok, (first.message, second.message)
    assert kernel.km is km and kernel.reports == 2  # the same kernel made both

    hung = run_one("GM9002", timeout=3, **kw)
    assert not hung.ok and "te lang" in hung.message and hung.seconds < 30
    after = run_one("GM9004", **kw)  # a new kernel: the hung one is gone
    assert after.ok, after.message
    assert kernel.km is not km and kernel.reports == 1


def test_kernel_namespace_is_empty_after_ready(demo_processed, tmp_path, monkeypatch):
    folder = _probe_notebooks(tmp_path / "notebooks")
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(folder))
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    kernel = worker_kernel(folder).ready()
    kernel.run_code("geheim = 'GM9001'")
    assert kernel.run_code("print('geheim' in globals())").strip() == "True"
    kernel.ready()
    assert kernel.run_code("print('geheim' in globals())").strip() == "False"


def test_a_kernel_started_early_is_the_one_the_report_uses(demo_processed, tmp_path, monkeypatch):
    """`kompas run` for one report starts its kernel before it has checked everything: the report then runs in
    that kernel, warmed with the tables meanwhile, not in a second one."""
    from kompas_lib.pipeline.kernel import start_early

    folder = _probe_notebooks(tmp_path / "notebooks")
    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(folder))
    start_early(folder, demo_processed)
    kernel = worker_kernel(folder)
    km = kernel.km
    assert km is not None and kernel.reports == 0
    result = run_one("GM9001", processed=demo_processed, out_root=tmp_path / "reports")
    assert result.ok, result.message
    assert kernel.km is km and kernel.reports == 1
    loaded = kernel.run_code("from kompas_lib.presentation import session as _s; print(len(_s._FACTS)); del _s")
    assert int(loaded.strip()) >= 1  # warmed with the prepared tables while it started
