"""Each page its own cut: the page decision's settings scored on out-of-fold training pages, then on validation.

The settings of :class:`boilerplate.decision.PageDecision` were chosen on the
training pages alone. Each training page is scored by a one-member model
fitted on the sites of the other three of four site folds, through the whole
path of classification, kind rules included. For each design, the cut is the
one ``boilerplate train`` would choose on those scores (of the cuts within
0.002 of the best word F1, the highest), and the best out-of-fold word F1 at
that cut is what a design is judged by. The validation pages are then scored
by a model file (default: the shipped one) without its own page decision,
each design applied to its settled scores at the cut the training pages chose.
A second table reads each design's whole curve out of fold: its word F1 where
its block precision equals 0.82, 0.84, 0.86 and 0.88 (between the two cuts
around it), less that of the design shipped before each block had its own cut.

    python benchmarks/page_cut.py ../shared/data/wcxb-dev --jobs 2

Took 26 minutes here with all twelve designs (four fits of about 2.3 minutes, the rest scoring).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time
from typing import Any

import numpy as np

from boilerplate.alignment import tokenize
from boilerplate.api import resolve_model
from boilerplate.datasets import load_labelled
from boilerplate.decision import PageDecision
from boilerplate.evaluation import PageResult, Report, evaluate_pages
from boilerplate.features import FEATURE_NAMES
from boilerplate.model import BlockClassifier, Model
from boilerplate.training import CUTS, DEFAULT_DECISION, build_training_set, hash_order, plateau_cut

# The designs compared: None is one cut for every page.
DESIGNS: dict[str, PageDecision | None] = {
    "one cut for every page": None,
    "page cut, power 1, floor 0.15": PageDecision(power=1.0, short_words=0, short_penalty=0.0),
    "page cut, power 2, floor 0.2": PageDecision(floor=0.2, short_words=0, short_penalty=0.0),
    "page cut, power 2, floor 0.15": PageDecision(short_words=0, short_penalty=0.0),  # the "+" rows add to it
    "  + blocks of <= 2 words -0.5": PageDecision(short_words=2, short_penalty=0.5),
    "  + blocks of <= 4 words -0.5": PageDecision(short_words=4, short_penalty=0.5),
    "  + blocks of <= 8 words -0.5": PageDecision(short_words=8, short_penalty=0.5),
    "  + blocks of <= 8 words -1.0": PageDecision(short_words=8, short_penalty=1.0),
    "block cuts, weight 0.002, q 0.9": PageDecision(short_penalty=0.0, block_weight=0.002, block_precision=0.9),
    "block cuts, weight 0.004, q 0.9": PageDecision(short_penalty=0.0, block_weight=0.004, block_precision=0.9),
    "block cuts, weight 0.004, q 0.95": PageDecision(short_penalty=0.0, block_weight=0.004, block_precision=0.95),
    "block cuts, weight 0.01, q 0.95": PageDecision(short_penalty=0.0, block_weight=0.01, block_precision=0.95),
}
BEFORE = "  + blocks of <= 2 words -0.5"  # the design shipped before each block had its own cut
LEVELS = (0.82, 0.84, 0.86, 0.88)  # block precisions at which the curves are compared


def out_of_fold(wcxb: str, jobs: int, seed: int) -> list[PageResult]:
    """Every training page scored by a model fitted on the other site folds, one cut (no page decision)."""
    pages = list(load_labelled(wcxb, "train"))
    data = build_training_set(pages, n_jobs=jobs, terms=False)
    sites = np.unique(data.sites)
    fold_of_site = dict(zip(sites.tolist(), (hash_order(sites) % 4).tolist(), strict=True))
    results: list[PageResult] = []
    for fold in range(4):
        started = time.monotonic()
        held = np.array([fold_of_site.get(site, -1) == fold for site in data.sites])
        estimator = BlockClassifier(members=1, use_terms=False, random_state=seed)
        estimator.fit(data.X[~held], data.y[~held], pages=data.pages[~held], groups=data.sites[~held])
        held_pages = [page for page in pages if fold_of_site.get(page.site) == fold]
        results += evaluate_pages(held_pages, Model(estimator, list(FEATURE_NAMES), 0.5)).pages
        print(f"fold {fold}: {len(held_pages)} pages scored out of fold in {time.monotonic() - started:.0f} s")
    return results


def adjusted(pages: list[PageResult], decision: PageDecision | None) -> Report:
    """The pages' settled scores adjusted by ``decision`` (unchanged when None), as a report."""
    if decision is None:
        return Report(pages, 0.5)
    rows = [(p, np.array([len(tokenize(text)) for text in p.texts], dtype=np.float64)) for p in pages]
    return Report([dataclasses.replace(p, scores=decision.adjust(p.scores, words)) for p, words in rows], 0.5)


def figures(report: Report, cut: float) -> dict[str, Any]:
    summary = report.summary(cut=cut)
    return {"word_f1": summary["word_f1"], "block_precision": summary["block"]["precision"]}


def curve(report: Report) -> dict[float, dict[str, Any]]:
    """The figures at each of the trainer's cuts, each measured once: the cut is chosen from them too."""
    return {cut: figures(report, cut) for cut in CUTS}


def at_precision(points: list[tuple[float, float]], level: float) -> float:
    """The curve's word F1 where its block precision is ``level``, between the two cuts around it (nan outside)."""
    for (p0, f0), (p1, f1) in itertools.pairwise(points):
        if p0 <= level <= p1 and p1 > p0:
            return f0 + (f1 - f0) * (level - p0) / (p1 - p0)
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wcxb", help="WCXB folder (train split out of fold, validation split to report)")
    parser.add_argument("--model", help="model file whose settled scores validation reads (default: shipped)")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the out-of-fold fits")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    training = out_of_fold(args.wcxb, args.jobs, args.seed)
    shipped = resolve_model(args.model)
    validation = evaluate_pages(load_labelled(args.wcxb, "validation"), dataclasses.replace(shipped, decision=None))
    print(f"{len(training)} training pages out of fold, {len(validation.pages)} validation pages\n")
    print(f"{'design':<32}{'cut':>6}   out of fold: word F1  block P   validation: word F1  block P")
    rows, curves = [], {}
    for name, decision in DESIGNS.items():
        train_report = adjusted(training, decision)
        points = curve(train_report)  # the trainer's rule (choose_page_cuts) on the mean word F1 of each cut
        cut = plateau_cut([points[c]["word_f1"] for c in CUTS])
        inside, outside = points[cut], figures(adjusted(validation.pages, decision), cut)
        curves[name] = sorted((f["block_precision"], f["word_f1"]) for f in points.values())
        rows.append((inside["word_f1"], name))
        print(
            f"{name:<32}{cut:>6.2f}{inside['word_f1']:>22.4f}{inside['block_precision']:>9.4f}"
            f"{outside['word_f1']:>21.4f}{outside['block_precision']:>9.4f}",
            flush=True,
        )
    best = max(rows)[1]
    print(f"\nbest out of fold: {best.strip()}; the default is {DEFAULT_DECISION}")
    print(f"\nout of fold, word F1 at equal block precision, less that of '{BEFORE.strip()}':")
    print(f"{'design':<32}" + "".join(f"{level:>9.2f}" for level in LEVELS))
    for name, points in curves.items():
        lifts = [at_precision(points, level) - at_precision(curves[BEFORE], level) for level in LEVELS]
        print(f"{name:<32}" + "".join(f"{lift:>+9.4f}" for lift in lifts))


if __name__ == "__main__":
    main()
