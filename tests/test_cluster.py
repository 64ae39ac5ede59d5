"""Reports on a Dask cluster: a LocalCluster started by the test stands in for a real one."""

import pytest

from kompas_lib.core.errors import KompasError
from kompas_lib.pipeline.batch import run_many

pytestmark = pytest.mark.slow


def test_batch_on_a_dask_cluster_writes_reports_and_index(demo_processed, tmp_path, monkeypatch):
    from distributed import LocalCluster
    from test_kernel import _probe_notebooks  # one small notebook per report: the test is about the executor

    monkeypatch.setenv("KOMPAS_NOTEBOOKS_DIR", str(_probe_notebooks(tmp_path / "notebooks")))
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        results = run_many(["GM9001", "GM0000"], processed=demo_processed, out_root=tmp_path, progress=False,
                           executor="dask", scheduler=cluster.scheduler_address)
    ok, bad = results
    assert ok.ok and ok.report.is_file() and "Demoland" in ok.report.read_text(encoding="utf-8")
    assert not bad.ok and "fictieve demogegevens" in bad.message
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "GM9001" in index and "GM0000" in index and "mislukt" in index


def test_unreachable_scheduler_is_one_clear_message(demo_processed, tmp_path, monkeypatch):
    from kompas_lib.pipeline import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(KompasError, match="niet bereikbaar"):
        run_many(["GM9001"], processed=demo_processed, out_root=tmp_path, progress=False, executor="dask",
                 scheduler="tcp://127.0.0.1:9")
