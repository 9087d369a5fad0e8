"""Model choice by evidence: model families on the same features, held-out sites and the validation split.

For every family the script picks the balanced cut on a site-grouped
hold-out of the training pages (the same three-to-one split of sites that
``boilerplate train`` uses), fits on all training pages, and scores the
validation pages at that cut: block precision, recall and F1 of the content
label, and the word-weighted F1 per page (the benchmark's word metric on
block labels), averaged over pages.

    python benchmarks/model_choice.py ../shared/data/wcxb-dev training_data --jobs 2
    python benchmarks/model_choice.py ../shared/data/wcxb-dev training_data --card models/boilerplate-wcxb.card.json

``--card`` writes the table into a model card's ``model_selection`` section
(the card's checksum covers the model file, not the card).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from boilerplate.datasets import load_labelled
from boilerplate.model import BlockClassifier
from boilerplate.training import (
    TrainingSet,
    block_scores,
    block_weights,
    build_training_set,
    choose_threshold,
    hash_order,
    page_word_f,
)


def families(jobs: int) -> dict[str, tuple[Any, str]]:
    """The candidates, each with how its training blocks are weighed (see ``boilerplate.training.block_weights``):
    the two-stage booster with terms, without, and without but weighing blocks by their words; one stage;
    a forest; a linear model.

    Every booster is given the blocks' terms; ``use_terms`` says whether it reads them.
    """
    return {
        "boosting, two stages, terms (train's default)": (BlockClassifier(), "blocks"),
        "boosting, two stages, no terms (shipped design)": (BlockClassifier(use_terms=False), "blocks"),
        "boosting, two stages, no terms, blocks by words": (BlockClassifier(use_terms=False), "log_words"),
        "boosting, one stage, terms": (BlockClassifier(stacking=False), "blocks"),
        "random forest": (
            RandomForestClassifier(
                n_estimators=200, min_samples_leaf=3, max_features="sqrt", n_jobs=jobs, random_state=0
            ),
            "blocks",
        ),
        "logistic regression": (make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)), "blocks"),
    }


def _fit(estimator: Any, data: TrainingSet, rows: np.ndarray, weighting: str) -> Any:
    fitted = clone(estimator)
    if isinstance(fitted, BlockClassifier):
        return fitted.fit(
            data.X[rows],
            data.y[rows],
            pages=data.pages[rows],
            groups=data.sites[rows],
            terms=data.terms_of(rows),
            sample_weight=block_weights(data.words[rows], weighting),
        )
    if weighting != "blocks":
        raise ValueError("only the boosters are given block weights here")
    return fitted.fit(data.X[rows], data.y[rows])


def _scores(estimator: Any, data: TrainingSet, rows: np.ndarray) -> np.ndarray:
    if isinstance(estimator, BlockClassifier):
        terms = data.terms_of(rows) if estimator.term_groups_ else None
        return estimator.predict_proba(data.X[rows], pages=data.pages[rows], terms=terms)[:, 1]
    return estimator.predict_proba(data.X[rows])[:, 1]


def compare(train: TrainingSet, validation: TrainingSet, jobs: int) -> list[dict[str, Any]]:
    sites = np.unique(train.sites)
    held = np.isin(train.sites, sites[hash_order(sites) % 4 == 0])
    everything = np.ones(len(train.y), dtype=bool)
    all_validation = np.ones(len(validation.y), dtype=bool)
    rows = []
    for name, (estimator, weighting) in families(jobs).items():
        start = time.process_time()
        probe = _fit(estimator, train, ~held, weighting)
        held_scores = _scores(probe, train, held)
        cut = choose_threshold(held_scores, train.y[held], train.words[held], train.pages[held])
        fitted = _fit(estimator, train, everything, weighting)
        scores = _scores(fitted, validation, all_validation)
        row = {
            "family": name,
            "cut": cut,
            "held_out_sites_word_f1": round(
                page_word_f(held_scores, train.y[held], train.words[held], train.pages[held], cut), 4
            ),
            "validation_word_f1": round(page_word_f(scores, validation.y, validation.words, validation.pages, cut), 4),
            "validation_block": block_scores(scores >= cut, validation.y == 1),
            "cpu_seconds": round(time.process_time() - start, 1),
        }
        rows.append(row)
        print(_line(row), flush=True)
    return rows


def _line(row: dict[str, Any]) -> str:
    block = row["validation_block"]
    return (
        f"{row['family']:<50}{row['cut']:>6.2f}{row['held_out_sites_word_f1']:>10.4f}"
        f"{row['validation_word_f1']:>10.4f}{block['precision']:>9.4f}{block['recall']:>9.4f}{block['f1']:>9.4f}"
        f"{row['cpu_seconds']:>9.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wcxb", help="WCXB folder (train split to fit, validation split to report)")
    parser.add_argument("extra", nargs="*", help="more labelled training data (for example training_data)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--card", help="model card to record the table in, under model_selection")
    args = parser.parse_args()
    train_pages = list(load_labelled(args.wcxb, "train"))
    for extra in args.extra:
        train_pages += list(load_labelled(extra))
    train = build_training_set(train_pages, n_jobs=args.jobs)
    validation = build_training_set(load_labelled(args.wcxb, "validation"), n_jobs=args.jobs)
    print(f"{train.n_pages} training pages ({len(train.y)} blocks), {validation.n_pages} validation pages")
    print(
        f"{'family':<50}{'cut':>6}{'held F1':>10}{'valid F1':>10}{'block P':>9}{'block R':>9}{'block F1':>9}"
        f"{'cpu s':>9}"
    )
    rows = compare(train, validation, args.jobs)
    if args.card:
        path = Path(args.card)
        card = json.loads(path.read_text(encoding="utf-8"))
        # The families' table only: other records under model_selection (seeds and members) stay.
        card.setdefault("model_selection", {})["families"] = {
            "protocol": "cut chosen on a site-grouped hold-out of a quarter of the training sites; "
            "fitted on all training pages; scored on the validation split at that cut. "
            "Word F1 here is the word-weighted F1 of the block labels, averaged over pages.",
            "command": "python benchmarks/model_choice.py ../shared/data/wcxb-dev training_data --jobs 2",
            "results": rows,
        }
        path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
