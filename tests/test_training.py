"""Training end to end on a small WCXB-layout folder made from the hand-labelled fixtures."""

import gzip
import json
import logging

import numpy as np
import pytest

from boilerplate import CONTENT, extract_text, load_model
from boilerplate.batch import extract_many
from boilerplate.cli import main
from boilerplate.datasets import load_wcxb
from boilerplate.errors import OptionError
from boilerplate.examples import example_path
from boilerplate.labelling import block_annotations
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment
from boilerplate.training import (
    DEFAULT_DECISION,
    block_weights,
    build_training_set,
    check_params,
    choose_page_cuts,
    choose_threshold,
    save,
    train,
    train_model,
)

from .conftest import FIXTURES

SMALL = {"max_iter": 40, "min_samples_leaf": 5, "n_folds": 3}


@pytest.fixture(scope="module")
def wcxb_folder(tmp_path_factory):
    """Fixture pages in the WCXB layout, their gold text being the annotated content blocks."""
    root = tmp_path_factory.mktemp("wcxb")
    (root / "html").mkdir()
    (root / "ground-truth").mkdir()
    paths = [*sorted(FIXTURES.glob("*.html")), example_path()]
    for i, path in enumerate(paths):
        html = path.read_bytes()
        page = segment(parse_html(html))
        gold = "\n\n".join(
            b.text for b, a in zip(page.blocks, block_annotations(page), strict=True) if a.label == CONTENT
        )
        page_id = f"{i:04d}"
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html, mtime=0))
        truth = {"url": f"https://site{i}.example/{path.stem}", "ground_truth": {"main_content": gold, "title": ""}}
        (root / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth))
    return root, len(paths)


def test_training_set_labels_follow_the_gold_text(wcxb_folder):
    folder, n_pages = wcxb_folder
    data = build_training_set(load_wcxb(folder))
    assert data.n_pages == n_pages
    assert data.X.shape[0] == len(data.y) == len(data.pages) == len(data.sites)
    assert 0.2 < data.y.mean() < 0.9
    assert len(set(data.sites)) == n_pages


def test_training_reads_the_page_as_first_shown(tmp_path):
    """Hidden and aria-hidden text is read when classifying, but training leaves it out."""
    from boilerplate.datasets import LabelledPage

    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article><p>The harbour froze for the first time in "
        "forty years.</p><p>Boats waited.</p><div hidden><p>Tab: the full timetable of ferries.</p></div>"
        "<p aria-hidden='true'>Skip to the timetable</p></article></body></html>"
    )
    page = LabelledPage(
        "p", html.encode(), main_text="The harbour froze for the first time in forty years. Boats waited."
    )
    assert len(segment(parse_html(html)).blocks) == 5
    data = build_training_set([page], terms=False)
    assert len(data.y) == 3  # Home, and the two shown paragraphs


def test_training_is_deterministic(wcxb_folder, tmp_path):
    folder, n_pages = wcxb_folder
    data = build_training_set(load_wcxb(folder))
    first = save(train_model(data, params=SMALL), tmp_path / "a.joblib")
    second = save(train_model(data, params=SMALL), tmp_path / "b.joblib")
    assert (tmp_path / "a.joblib").read_bytes() == (tmp_path / "b.joblib").read_bytes()
    card = json.loads(first.read_text())
    assert card["training_data"]["pages"] == n_pages
    assert card["hyperparameters"]["max_iter"] == 40
    assert card["file"]["sha256"] == json.loads(second.read_text())["file"]["sha256"]
    assert card["term_groups"] == ["words", "markup"]


def test_a_model_with_terms_labels_alike_one_page_at_a_time_and_in_batches(wcxb_folder, tmp_path):
    folder, _ = wcxb_folder
    save(train_model(build_training_set(load_wcxb(folder)), params=SMALL), tmp_path / "terms.joblib")
    model = load_model(tmp_path / "terms.joblib")
    assert model.reads_terms
    pages = [p.html for p in load_wcxb(folder)]
    single = [extract_text(html, model=model) for html in pages]
    assert [out.text for out in extract_many(pages, model=model, chunk_size=3)] == single
    assert sum(map(len, single)) > 0


def test_a_training_set_without_terms_trains_a_model_that_reads_none(wcxb_folder, tmp_path):
    folder, _ = wcxb_folder
    with_terms = build_training_set(load_wcxb(folder))
    data = build_training_set(load_wcxb(folder), terms=False)
    assert data.terms == {} and data.terms_of(data.y == 1) == {}
    assert np.array_equal(data.X, with_terms.X) and np.array_equal(data.y, with_terms.y)
    save(train_model(data, params=SMALL), tmp_path / "plain.joblib")
    model = load_model(tmp_path / "plain.joblib")
    assert not model.reads_terms and model.card["term_groups"] == []
    pages = [p.html for p in load_wcxb(folder)]
    assert [out.text for out in extract_many(pages, model=model)] == [extract_text(h, model=model) for h in pages]


def test_cli_train_then_evaluate(wcxb_folder, tmp_path, capsys):
    folder, n_pages = wcxb_folder
    output = tmp_path / "mine.joblib"
    assert main(["train", str(folder), "-o", str(output)]) == 0
    assert output.exists()
    model = load_model(output)
    assert model.card["training_data"]["pages"] == n_pages
    assert main(["evaluate", str(folder), "--model", str(output), "--min-word-f1", "0.5"]) == 0
    assert "all" in capsys.readouterr().out


def test_cli_train_takes_hyperparameters(wcxb_folder, tmp_path):
    folder, _ = wcxb_folder
    output = tmp_path / "small.joblib"
    args = ["train", str(folder), "-o", str(output), "--param", "max_iter=20", "--param", "min_samples_leaf=5"]
    assert main([*args, "--param", "use_terms=false"]) == 0
    card = load_model(output).card
    assert card["hyperparameters"]["max_iter"] == 20 and card["hyperparameters"]["min_samples_leaf"] == 5
    assert card["hyperparameters"]["use_terms"] is False and card["term_groups"] == []


def test_cli_train_shows_its_steps_and_a_bar_when_asked(wcxb_folder, tmp_path, capsys):
    folder, n_pages = wcxb_folder
    args = ["train", str(folder), "-o", str(tmp_path / "m.joblib"), "--param", "max_iter=20"]
    assert main([*args, "--progress"]) == 0
    err = capsys.readouterr().err
    assert f"read {n_pages} pages from" in err and f"featurizing {n_pages} pages" in err
    assert f"{n_pages}/{n_pages}" in err  # the bar reached the last page
    assert "choosing the cut" in err and f"fitting the model on all {n_pages} pages" in err
    assert "second stage" in err  # the model's stages too
    assert main([*args, "--no-progress"]) == 0
    assert "featurizing" not in capsys.readouterr().err
    assert not logging.getLogger("boilerplate").handlers  # the CLI takes its handler away


def test_train_logs_its_steps_and_the_bar_changes_nothing(wcxb_folder, tmp_path, caplog):
    folder, _ = wcxb_folder
    caplog.set_level(logging.INFO, logger="boilerplate.training")
    model = train(folder, tmp_path / "m.joblib", params={"max_iter": 20}, report=folder)
    intervals = model.card["metrics"]["intervals"]  # the report's figures come with their intervals
    assert intervals["all"]["pages"] == model.card["metrics"]["overall"]["pages"]
    low, high = intervals["all"]["word_f1"]
    assert low <= model.card["metrics"]["overall"]["word_f1"] <= high
    said = " | ".join(record.getMessage() for record in caplog.records)
    for step in ("read", "featurizing", "featurized", "choosing the cut", "fitting the model", "evaluating on"):
        assert step in said
    plain, shown = (build_training_set(load_wcxb(folder), progress=bar) for bar in (False, True))
    np.testing.assert_array_equal(plain.X, shown.X)
    np.testing.assert_array_equal(plain.y, shown.y)


def test_an_unknown_hyperparameter_is_refused_before_any_page_is_read(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"  # never read: the name is checked first
    assert main(["train", str(missing), "-o", str(tmp_path / "m.joblib"), "--param", "max_iters=20"]) == 2
    err = capsys.readouterr().err
    assert "unknown hyperparameter(s) max_iters" in err and "max_iter" in err
    with pytest.raises(OptionError, match="learning_rat"):
        check_params({"learning_rat": 0.1})
    assert check_params({"max_iter": 20}) == {"max_iter": 20} and check_params(None) == {}
    assert check_params({"learning_rate": 1, "use_terms": False}) == {"learning_rate": 1, "use_terms": False}
    for wrong in ({"max_iter": "many"}, {"max_iter": 1.5}, {"max_iter": True}, {"use_terms": 0}):
        with pytest.raises(OptionError, match="is of type"):
            check_params(wrong)
    with pytest.raises(SystemExit):
        main(["train", str(missing), "-o", str(tmp_path / "m.joblib"), "--param", "max_iter"])


def test_block_weights_grow_with_words_and_average_one():
    words = np.array([0, 1, 5, 40, 400])
    weights = block_weights(words, "log_words")
    assert weights.shape == words.shape and weights.mean() == pytest.approx(1.0)
    assert np.all(np.diff(weights) > 0)
    assert weights[-1] / weights[1] < 6  # a long block counts more, not hundreds of times more
    assert block_weights(words) is None and block_weights(np.zeros(0), "log_words") is None
    with pytest.raises(OptionError, match="unknown weighting"):
        block_weights(words, "chars")


def test_cli_train_records_its_weighting_and_refuses_an_unknown_one(wcxb_folder, tmp_path, capsys):
    folder, _ = wcxb_folder
    output = tmp_path / "m.joblib"
    args = ["train", str(folder), "-o", str(output), "--param", "max_iter=20"]
    assert main(args) == 0
    assert load_model(output).card["sample_weight"] == {"weighting": "blocks", "formula": "every block 1"}
    assert main([*args, "--weighting", "log_words"]) == 0
    assert load_model(output).card["sample_weight"]["weighting"] == "log_words"
    assert main(["train", str(tmp_path / "no-such-folder"), "-o", str(output), "--weighting", "chars"]) == 2
    assert "unknown weighting 'chars'" in capsys.readouterr().err


def test_training_gives_each_page_its_own_cut_unless_told_one_cut(wcxb_folder, tmp_path):
    folder, _ = wcxb_folder
    output = tmp_path / "decided.joblib"
    args = ["train", str(folder), "-o", str(output), "--param", "max_iter=20"]
    assert main(args) == 0
    model = load_model(output)
    assert model.decision == DEFAULT_DECISION
    assert model.card["page_decision"] == DEFAULT_DECISION.to_dict()
    held = model.card["held_out_sites"]  # the cut's evidence, and how far it could move on other sites
    assert held["intervals"]["sites"] == held["sites"] and held["intervals"]["pages"] == held["pages"]
    low, high = held["intervals"]["word_f1"]
    assert low - 1e-4 <= held["balanced"]["word_f1"] <= high + 1e-4  # the card rounds to four places
    scored = held["pages_scored"]  # each held-out page's figures, for paired comparisons of two cards
    assert len(scored["page_id"]) == held["pages"] and set(scored) >= {"site", "word_f1", "chrome_blocks"}
    assert np.mean(scored["word_f1"]) == pytest.approx(held["balanced"]["word_f1"], abs=1e-4)
    assert main([*args, "--one-cut"]) == 0
    model = load_model(output)
    assert model.decision is None and model.card["page_decision"] is None


def test_choose_threshold_maximizes_f1():
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 1, 0, 0, 0])
    words = np.ones(6)
    pages = np.array([0, 0, 0, 1, 1, 1])
    assert 0.3 < choose_threshold(scores, y, words, pages) <= 0.7
    # favouring precision never picks a lower cut than favouring recall
    noisy = np.array([0.9, 0.45, 0.35, 0.4, 0.2, 0.1])
    assert choose_threshold(noisy, y, words, pages, 0.5) >= choose_threshold(noisy, y, words, pages, 2.0)


def test_choose_page_cuts_follow_the_gold_text():
    from boilerplate.evaluation import PageResult, Report

    def page(page_id, texts, scores, gold):
        return PageResult(
            page_id,
            "article",
            texts,
            np.array(scores),
            np.zeros(len(texts), dtype=np.int64),
            [None] * len(texts),
            gold_text=gold,
        )

    story = page(
        "story",
        ["Floods close the coast road", "The river rose a metre overnight and the road is shut.", "Share", "Menu"],
        [0.95, 0.55, 0.35, 0.05],
        "Floods close the coast road\n\nThe river rose a metre overnight and the road is shut.",
    )
    notice = page("notice", ["Opening hours change in May", "Subscribe"], [0.6, 0.25], "Opening hours change in May")
    report = Report([story, notice], 0.5)
    cut = choose_page_cuts(report, {"balanced": 1.0})["balanced"]
    assert 0.35 < cut <= 0.55  # keeps both of the story's blocks and neither piece of chrome
    assert report.summary(cut=cut)["word_f1"] == 1.0
    # A block half right: favouring precision drops it, favouring recall keeps it.
    mixed = page("mixed", ["Tides tonight", "Tides tomorrow, sale"], [0.9, 0.45], "Tides tonight tomorrow")
    both = Report([mixed], 0.5)
    cuts = choose_page_cuts(both, {"precision": 0.5, "recall": 2.0})
    assert cuts["precision"] > 0.45 >= cuts["recall"]
