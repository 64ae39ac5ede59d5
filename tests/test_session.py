"""One report, one reading: the notebooks of a report share one validated params object and one
reading of the own files, and any change to those files is seen by the next notebook."""

import os
import shutil

from kompas_lib.presentation.session import load_scope


def test_params_and_own_files_are_read_once_per_report_and_again_when_they_change(demo_processed, tmp_path):
    from kompas_lib.core.prepare_info import PrepareInfo

    demo = PrepareInfo.read(demo_processed).demo_root
    shutil.copy(demo / "activiteiten.csv", tmp_path / "activiteiten.csv")
    params = tmp_path / "GM9001.yml"
    params.write_text("gemeente: GM9001\nlokale_gegevens:\n  activiteiten: activiteiten.csv\n", encoding="utf-8")
    first = load_scope("GM9001", params, processed=demo_processed)
    assert load_scope("GM9001", params, processed=demo_processed) is first  # the next notebook of the report
    assert load_scope("gm9001", str(params), processed=demo_processed) is first

    own = tmp_path / "activiteiten.csv"
    own.write_text(own.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(own, ns=(own.stat().st_atime_ns, own.stat().st_mtime_ns + 1_000_000))
    changed = load_scope("GM9001", params, processed=demo_processed)
    assert changed is not first  # an own file changed: read again

    params.write_text("gemeente: GM9001\nnaam: Waterveen-Oost\nlokale_gegevens:\n  activiteiten: activiteiten.csv\n",
                      encoding="utf-8")
    renamed = load_scope("GM9001", params, processed=demo_processed)
    assert renamed is not changed and renamed.focus.name == "Waterveen-Oost"
    assert load_scope("GM9002", None, processed=demo_processed).focus.code == "GM9002"  # another gemeente
