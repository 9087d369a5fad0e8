"""The side-by-side benchmark script runs end to end on a few WCXB pages and reports what it promises."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

COMPARE = Path(__file__).resolve().parents[1] / "benchmarks" / "compare.py"


def _compare() -> ModuleType:
    """benchmarks/compare.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("benchmarks_compare", COMPARE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_compare_reports_accuracy_speed_and_memory(wcxb_root, capsys):
    argv = [str(wcxb_root), "--limit", "3", "--only", "boilerplate,floor", "--skip-scaling", "--json"]
    assert _compare().main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"] == 3
    assert report["skipped"] == {} and report["scaling"] is None
    boilerplate, floor = report["results"]["boilerplate"], report["floor"]
    for row in (boilerplate, floor):
        assert row["pages"] == 3 and row["failures"] == 0
        assert row["pages_per_cpu_second"] > 0 and row["cpu_seconds"] > 0 and row["peak_mb"] > 0
        assert row["ratio_to_boilerplate"] > 0
    assert boilerplate["ratio_to_boilerplate"] == 1.0
    assert 0 < boilerplate["word_f1"]["all"] <= 1
    assert "word_f1" not in floor
    assert report["boilerplate_over_floor"] > 0
