"""Screening fits: one design of the model, fitted with several seeds, scored on validation at several cuts.

A seed alone moves a single model's validation word F1 by up to 0.007, more
than most changes of design, so a design is judged by its curve (word F1
against block precision over the cuts) with at least two seeds, not by one
figure. Each fit uses the WCXB training pages alone (no other labelled
data, no held-out quarter, so it is quicker than ``boilerplate train``) and
is scored on the validation pages through the whole path of classification,
kind rules included, as ``boilerplate evaluate`` scores a model file.

    python benchmarks/screen.py ../shared/data/wcxb-dev --seeds 0,5 --one-cut
    python benchmarks/screen.py ../shared/data/wcxb-dev --seeds 0 --param members=4
    python benchmarks/screen.py ../shared/data/wcxb-dev --seeds 0,5 --weighting log_words

The defaults (``members=1``, no terms, 150 trees a stage) are the one-member
fits behind the README's "More ideas" entries. Those were measured with one
cut for every page (``--one-cut``): seeds 0 and 5 give 0.8911 / 0.8597 and
0.8985 / 0.8665 (word F1 / block precision) at the cut 0.44. Without it, the
scores are adjusted to each page as the shipped model's are
(:mod:`boilerplate.decision`), and the cuts read the adjusted scores.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from boilerplate.cli import _hyperparameter  # read as `boilerplate train --param` reads it
from boilerplate.datasets import load_labelled
from boilerplate.errors import OptionError
from boilerplate.evaluation import PageResult, Report, evaluate_pages
from boilerplate.features import FEATURE_NAMES
from boilerplate.model import BlockClassifier, Model
from boilerplate.training import (
    DEFAULT_DECISION,
    TrainingSet,
    block_weights,
    build_training_set,
    check_params,
    check_weighting,
)

CUTS = (0.36, 0.40, 0.44, 0.48, 0.52, 0.56, 0.60, 0.64)


def fit(data: TrainingSet, params: dict[str, Any], seed: int, weighting: str) -> BlockClassifier:
    """A :class:`BlockClassifier` with ``params`` and ``random_state=seed``, fitted on every training block."""
    estimator = BlockClassifier(**{**params, "random_state": seed})
    return estimator.fit(
        data.X,
        data.y,
        pages=data.pages,
        groups=data.sites,
        terms=data.terms if estimator.use_terms else None,
        sample_weight=block_weights(data.words, weighting),
    )


def curve(report: Report, cuts: tuple[float, ...]) -> list[dict[str, Any]]:
    """Word F1, block precision and recall, and word F1 by page type, at each cut."""
    groups: dict[str, list[PageResult]] = {}
    for page in report.pages:
        groups.setdefault(page.page_type or "unknown", []).append(page)
    rows = []
    for cut in cuts:
        overall = report.summary(cut=cut)
        types = {name: round(report.summary(groups[name], cut=cut)["word_f1"], 4) for name in sorted(groups)}
        rows.append(
            {
                "cut": cut,
                "word_f1": round(overall["word_f1"], 4),
                "block_precision": round(overall["block"]["precision"], 4),
                "block_recall": round(overall["block"]["recall"], 4),
                "word_f1_by_type": types,
            }
        )
    return rows


def _line(row: dict[str, Any]) -> str:
    types = " ".join(f"{name[:4]} {f:.3f}" for name, f in row["word_f1_by_type"].items())
    return (
        f"  cut {row['cut']:.2f}  word F1 {row['word_f1']:.4f}  block P {row['block_precision']:.4f}"
        f"  R {row['block_recall']:.4f}  {types}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wcxb", help="WCXB folder (train split to fit, validation split to score)")
    parser.add_argument("--seeds", default="0,5", help="random_state of each fit, comma-separated (default 0,5)")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        type=_hyperparameter,
        metavar="NAME=VALUE",
        help="a hyperparameter of BlockClassifier, the value read as JSON (default: members=1, use_terms=false)",
    )
    parser.add_argument("--weighting", default="blocks", help="how training blocks are weighed (blocks, log_words)")
    parser.add_argument("--cuts", default=",".join(str(c) for c in CUTS), help="cuts to score, comma-separated")
    parser.add_argument(
        "--one-cut", action="store_true", help="one cut for every page, not scores adjusted to each page"
    )
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON lines as well")
    args = parser.parse_args()

    try:
        params = check_params({"members": 1, "use_terms": False, **dict(args.param)})
        weighting = check_weighting(args.weighting)
    except OptionError as error:
        parser.error(str(error))
    cuts = tuple(float(c) for c in args.cuts.split(","))

    started = time.monotonic()
    train = build_training_set(load_labelled(args.wcxb, "train"), n_jobs=args.jobs, terms=params["use_terms"])
    validation = list(load_labelled(args.wcxb, "validation"))
    print(
        f"{train.n_pages} training pages ({len(train.y)} blocks), {len(validation)} validation pages, "
        f"featurized in {time.monotonic() - started:.0f} s; {params}, weighting {weighting}",
        flush=True,
    )
    for seed in (int(s) for s in args.seeds.split(",")):
        started = time.monotonic()
        estimator = fit(train, params, seed, weighting)
        fitted = time.monotonic() - started
        decision = None if args.one_cut else DEFAULT_DECISION
        report = evaluate_pages(validation, Model(estimator, list(FEATURE_NAMES), cuts[0], decision=decision))
        print(f"seed {seed}: fitted in {fitted:.0f} s, scored in {time.monotonic() - started - fitted:.0f} s")
        for row in curve(report, cuts):
            print(_line(row), flush=True)
            if args.json:
                print(json.dumps({"seed": seed, "params": params, "weighting": weighting, **row}))


if __name__ == "__main__":
    main()
