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


def _without_workers(cluster) -> None:
    """Close every worker of a LocalCluster and wait until the scheduler knows."""
    import time

    cluster.scale(0)
    deadline = time.monotonic() + 30
    while cluster.scheduler.workers and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not cluster.scheduler.workers


def test_a_cluster_without_workers_is_reported_within_a_minute(demo_processed, tmp_path, monkeypatch, capsys):
    """On the command line: a scheduler with no worker connected ends with one message, exit code 2 and
    nothing made, instead of waiting for ever at 0/N."""
    import time

    from distributed import LocalCluster

    from kompas_lib import cli
    from kompas_lib.pipeline import cluster

    monkeypatch.setattr(cluster, "NO_WORKER_WAIT", 3.0)  # 60 s on the command line
    reports = tmp_path / "reports"
    monkeypatch.setenv("KOMPAS_PROCESSED_DIR", str(demo_processed))
    monkeypatch.setenv("KOMPAS_REPORTS_DIR", str(reports))
    monkeypatch.delenv("KOMPAS_CBS_DIR", raising=False)  # the demo is prepared and asked for
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        _without_workers(local)
        t0 = time.monotonic()
        code = cli.main(["run", "-g", "GM9001", "GM9002", "--scheduler", local.scheduler_address])
        seconds = time.monotonic() - t0
    err = capsys.readouterr().err
    assert code == 2 and "heeft geen workers" in err and "Er is niets gemaakt" in err, err
    assert seconds < 60 and "Traceback" not in err
    assert not list(reports.glob("GM*/rapport.html"))


def _slow_report(code, params_file, **kwargs):
    import time

    time.sleep(6)  # a report that is still being made when its worker goes (after 2 s)


def test_workers_lost_during_a_batch_fail_the_rest_with_a_message_within_a_minute(monkeypatch):
    """The only worker leaves while it makes a report: the batch does not wait for ever; the codes not
    made fail with a Dutch reason once there has been no worker for NO_WORKER_WAIT seconds."""
    import threading
    import time

    from distributed import LocalCluster

    from kompas_lib.pipeline import batch, cluster

    monkeypatch.setattr(cluster, "NO_WORKER_WAIT", 3.0)
    monkeypatch.setattr(cluster, "POLL", 0.5)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        threading.Timer(2.0, _without_workers, args=(local,)).start()
        t0 = time.monotonic()
        results = dict(cluster.run_on_cluster(_slow_report, ["GM9001", "GM9002"], None, {}, local.scheduler_address))
        seconds = time.monotonic() - t0
    assert sorted(results) == ["GM9001", "GM9002"] and seconds < 60
    for lost in results.values():
        message = batch._lost_message(lost)
        assert "had 3 seconden lang geen enkele worker" in message and "niet gemaakt" in message


def test_a_dask_cluster_makes_the_same_reports_as_local_worker_processes(demo_batch, demo_processed, tmp_path):
    """Issue 23: the whole notebooks of two Demoland gemeenten on a LocalCluster with 2 workers give the
    same reports as the session's batch with --jobs 2 (``demo_batch``) — the same visible text and the same
    workbook cells (report_digest)."""
    from distributed import LocalCluster
    from report_digest import differences, digest

    codes = ["GM9001", "GM9002"]
    local = [demo_batch[0][code] for code in codes]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = run_many(codes, processed=demo_processed, out_root=tmp_path / "dask", progress=False,
                           executor="dask", scheduler=cluster.scheduler_address)
    assert all(r.ok for r in local + on_dask), [r.message for r in local + on_dask]
    for a, b in zip(local, on_dask):
        assert a.report.parent.name == b.report.parent.name
        assert differences(digest(a.report.parent), digest(b.report.parent)) == [], a.code
