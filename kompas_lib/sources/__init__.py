"""Data sources. All three kinds end up as a folder in the CBS snapshot layout
(``<root>/<TABLEID>/<TABLEID>.csv`` plus optional ``<TABLEID>.json`` metadata):

* ``snapshot`` – a folder given by ``KOMPAS_CBS_DIR`` (read only);
* ``live``     – tables fetched with ``cbsodata`` into ``data/raw/cbs/`` (see :mod:`.live`);
* ``demo``     – fictitious Demoland tables generated into ``data/raw/demo/`` (see :mod:`kompas_lib.demo`).

:class:`FolderSource` reads any of them; :func:`choose_source` picks one.
"""

from kompas_lib.sources.folder import FolderSource, choose_source

__all__ = ["FolderSource", "choose_source"]
