"""Reports and batches: the top layer below the ``kompas`` command (DESIGN §3 "Report / batch").

- :mod:`~kompas_lib.pipeline.run`: one report — params, checks before a notebook runs, the numbered
  notebooks executed with papermill, the fingerprint that lets an unchanged report be skipped;
- :mod:`~kompas_lib.pipeline.assemble`: the executed notebooks joined into one HTML report;
- :mod:`~kompas_lib.pipeline.batch`: many reports — which codes, worker processes, skipping what did
  not change, the summary line;
- :mod:`~kompas_lib.pipeline.index_page`: ``reports/index.html`` and ``index.json`` of the batches;
- :mod:`~kompas_lib.pipeline.kernel`: the warm kernel of a worker and its papermill engine;
- :mod:`~kompas_lib.pipeline.cluster`: the same batch on a Dask cluster;
- :mod:`~kompas_lib.pipeline.prepared`: what a worker itself reads of the prepared data;
- :mod:`~kompas_lib.pipeline.provenance`: whether the prepared data are what a run asks for (prepare
  again, or stop, before any report).

Nothing below this package imports it (import-linter contract in ``pyproject.toml``).
"""
