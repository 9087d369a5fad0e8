"""The side-by-side benchmark script runs end to end on a few WCXB pages and reports what it promises."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

from boilerplate import load_model
from boilerplate.model import Model, save_model

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


def test_rounds_take_turns_and_report_the_median_round(wcxb_root, capsys):
    argv = [str(wcxb_root), "--limit", "2", "--only", "floor,boilerplate", "--skip-scaling", "--rounds", "3", "--json"]
    assert _compare().main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rounds"] == 3
    for row in (report["results"]["boilerplate"], report["floor"]):
        rounds = row["rounds_pages_per_cpu_second"]
        assert len(rounds) == 3
        assert row["pages_per_cpu_second"] == sorted(rounds)[1]


def test_median_run_takes_the_lower_middle_and_the_highest_peak():
    runs = [{"pages_per_cpu_second": v, "peak_mb": m} for v, m in ((30.0, 100), (10.0, 300), (20.0, 200), (40.0, 50))]
    chosen = _compare().median_run(runs)
    assert chosen["pages_per_cpu_second"] == 20.0
    assert chosen["peak_mb"] == 300
    assert chosen["rounds_pages_per_cpu_second"] == [30.0, 10.0, 20.0, 40.0]


def test_a_model_file_of_ones_own_is_benchmarked_and_checked_first(wcxb_root, tmp_path, capsys):
    shipped = load_model()
    # The shipped estimator with a cut no score reaches: it keeps nothing, so its rows must score 0.
    keeps_nothing = Model(shipped.estimator, shipped.feature_names, threshold=1.01)
    path = tmp_path / "keeps-nothing.joblib"
    save_model(keeps_nothing, path, {"name": "keeps-nothing"})
    argv = [str(wcxb_root), "--limit", "2", "--only", "boilerplate,boilerplate-page", "--skip-scaling", "--json"]
    assert _compare().main([*argv, "--model", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == str(path.resolve())
    assert {name: row["word_f1"]["all"] for name, row in report["results"].items()} == {
        "boilerplate": 0.0,
        "boilerplate-page": 0.0,
    }
    path.write_bytes(path.read_bytes() + b"\0")  # the file no longer matches its card
    assert _compare().main([*argv, "--model", str(path)]) == 2
    assert "cannot use the model" in capsys.readouterr().err


def test_stages_prints_a_cold_pass_and_warm_ones(wcxb_root, capsys):
    path = COMPARE.with_name("stages.py")
    spec = importlib.util.spec_from_file_location("benchmarks_stages", path)
    assert spec is not None and spec.loader is not None
    stages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stages)
    assert stages.main([str(wcxb_root), "--limit", "2", "--passes", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["pass", *stages.STAGES, "total"]
    cold, warm = (line.split() for line in lines[2:])
    assert cold[:2] == ["1", "cold"] and warm[0] == "2"
    assert all(float(ms) >= 0 for ms in [*cold[2:], *warm[1:]]) and float(cold[-1]) > 0


def test_site_templates_drop_what_other_pages_repeat_but_not_what_copies_share(tmp_path, monkeypatch, capsys):
    import boilerplate

    path = COMPARE.with_name("site_templates.py")
    spec = importlib.util.spec_from_file_location("benchmarks_site_templates", path)
    assert spec is not None and spec.loader is not None
    sites = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sites)
    # One site of three pages: 0002 is a copy of 0001; 0003 shares only the kept footer line with them.
    footer = ("Call us on weekdays between nine and five", "/html/body/div[2]/p")
    stories = {
        "0001": [("A story about rivers and the towns along them", "/html/body/div[1]/p"), footer],
        "0002": [("A story about rivers and the towns along them", "/html/body/div[1]/p"), footer],
        "0003": [("A second story about mountains and their weather", "/html/body/div[1]/p"), footer],
    }
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth").mkdir()
    for page_id, blocks in stories.items():
        (tmp_path / "html" / f"{page_id}.html").write_text(page_id)  # the fake classifier reads the id
        truth = {"url": f"https://example.org/{page_id}", "ground_truth": {"main_content": blocks[0][0]}}
        (tmp_path / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth))
    (tmp_path / "splits.json").write_text(json.dumps({"validation": list(stories)}))

    def classify(html, url=None):
        return [SimpleNamespace(text=t, xpath=x, label="content") for t, x in stories[html.decode()]]

    monkeypatch.setattr(boilerplate, "classify_blocks", classify)
    n_sites, before, after = sites.site_scores(tmp_path, "validation", sites.RULES)
    assert n_sites == 1 and len(before) == 3 and all(f1 < 1 for f1 in before)  # the footer costs precision
    # Against all other pages, the copies lose their story too (each repeats the other's).
    assert after["text+path"][:2] == [0.0, 0.0] and after["text+path"][2] == 1.0
    # Copies left out of the comparison, only the footer goes: every page keeps its story alone.
    assert after["text+path-not-copies"] == [1.0, 1.0, 1.0]


def test_screen_curve_gives_each_cut_its_figures_and_each_page_type_its_word_f1():
    import numpy as np

    from boilerplate.evaluation import PageResult, Report

    spec = importlib.util.spec_from_file_location("benchmarks_screen", COMPARE.with_name("screen.py"))
    assert spec is not None and spec.loader is not None
    screen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screen)

    def page(page_type, texts, labels, scores, gold):
        n = len(texts)
        return PageResult(page_type, page_type, texts, np.array(scores), np.array(labels), [None] * n, gold)

    pages = [
        # The story scores 0.9 and the menu 0.5: the menu is kept at the cut 0.4 and dropped at 0.6.
        page("article", ["rivers run to the sea", "home about contact"], [1, 0], [0.9, 0.5], "rivers run to the sea"),
        # The grid scores 0.5: kept at 0.4, lost at 0.6.
        page("collection", ["red shirt ten dollars"], [1], [0.5], "red shirt ten dollars"),
    ]
    low, high = screen.curve(Report(pages, threshold=0.4), (0.4, 0.6))
    assert low["cut"] == 0.4 and high["cut"] == 0.6
    assert low["block_precision"] == round(2 / 3, 4) and low["block_recall"] == 1.0
    assert high["block_precision"] == 1.0 and high["block_recall"] == 0.5
    assert low["word_f1_by_type"] == {"article": round(2 * 5 / 8 / (5 / 8 + 1), 4), "collection": 1.0}
    assert high["word_f1_by_type"] == {"article": 1.0, "collection": 0.0}
    assert high["word_f1"] == 0.5 and low["word_f1"] == round((2 * 5 / 8 / (5 / 8 + 1) + 1) / 2, 4)


def test_held_out_compares_two_cards_page_by_page(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_held_out", COMPARE.with_name("held_out.py"))
    assert spec is not None and spec.loader is not None
    held_out = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(held_out)

    def card(name, chrome_kept):
        n = 12
        figures = {
            "page_id": [f"{i:04d}" for i in range(n)],
            "site": [f"site{i // 2}" for i in range(n)],
            "page_type": ["article"] * 8 + ["forum"] * 4,
            "word_f1": [0.9 - 0.1 * chrome_kept[i] for i in range(n)],
            "content_blocks": [5] * n,
            "chrome_blocks": chrome_kept,
        }
        path = tmp_path / f"{name}.card.json"
        path.write_text(json.dumps({"held_out_sites": {"pages_scored": figures}}))
        return path

    base = card("base", [1] * 12)
    better = card("better", [0] * 10 + [1, 1])
    assert held_out.main([str(base), str(better), "--resamples", "200"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{better} against {base}:")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[3:]}
    assert set(rows) == {"article", "forum", "all"}
    assert rows["article"][3] == "+0.100" and rows["all"][7] == "100%"  # ahead on every draw

    (tmp_path / "old.card.json").write_text(json.dumps({"held_out_sites": {"sites": 3}}))
    assert held_out.main([str(base), str(tmp_path / "old.card.json")]) == 2
    assert "records no held-out pages' figures" in capsys.readouterr().err
    assert held_out.main([str(base), str(tmp_path / "missing.joblib")]) == 2
    assert "cannot read the card" in capsys.readouterr().err
