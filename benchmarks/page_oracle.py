"""How much of the loss is where each page's cut falls, rather than how the model orders a page's blocks.

Each validation page is given its best cut on the model's own scores, a cut
known only from the page's gold text, so no extractor can choose it. The gap
between the model's figures and these is what a better choice of each page's
cut could win with the same scores; the gap between these and the block
labels' own figures is what only a better order of the blocks could win.

    python benchmarks/page_oracle.py ../shared/data/wcxb-dev [--model MODEL]

Takes about a minute here.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np

from boilerplate.api import resolve_model
from boilerplate.datasets import load_labelled
from boilerplate.evaluation import PageResult, evaluate_pages, word_scores


def kept_f1(page: PageResult, kept: np.ndarray) -> float:
    return word_scores("\n\n".join(t for t, k in zip(page.texts, kept.tolist(), strict=True) if k), page.gold_text)[2]


def best_cut(page: PageResult) -> tuple[float, int, int]:
    """The page's best word F1 over every cut of its scores (keeping nothing included), and the content and
    chrome blocks kept there (of the cuts that reach it, the strictest)."""
    best = (kept_f1(page, np.zeros(len(page.scores), dtype=bool)), 0, 0)
    for cut in np.unique(page.scores)[::-1]:
        kept = page.scores >= cut
        f1 = kept_f1(page, kept)
        if f1 > best[0]:
            best = (f1, int((kept & (page.labels == 1)).sum()), int((kept & (page.labels == 0)).sum()))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wcxb", help="WCXB folder (its validation split is read)")
    parser.add_argument("--model", help="model file (default: the shipped one)")
    parser.add_argument("--split", default="validation")
    args = parser.parse_args()

    report = evaluate_pages(load_labelled(args.wcxb, args.split), resolve_model(args.model))
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    gaps = []
    content = chrome = 0
    for page in report.pages:
        at_cut = kept_f1(page, page.scores >= report.threshold)
        best, tp, fp = best_cut(page)
        content, chrome = content + tp, chrome + fp
        rows[page.page_type or "unknown"].append((at_cut, best, kept_f1(page, page.labels == 1)))
        gaps.append((best - at_cut, page.page_id))
    rows["all"] = [row for name in sorted(rows) for row in rows[name]]
    print(f"word F1 on {len(report.pages)} {args.split} pages: at the model's cut {report.threshold}, at each page's")
    print("best cut (known only from its gold text), and with the block labels as the prediction")
    print(f"{'page type':<16}{'pages':>6}{'at the cut':>12}{'best cut':>10}{'labels':>9}")
    for name, values in sorted(rows.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        means = np.mean(values, axis=0)
        print(f"{name:<16}{len(values):>6}{means[0]:>12.3f}{means[1]:>10.3f}{means[2]:>9.3f}")
    print(f"block precision at each page's best cut: {content / max(content + chrome, 1):.3f}")
    gaps.sort(reverse=True)
    total = sum(g for g, _ in gaps)
    largest = ", ".join(f"{page_id} {gap:.2f}" for gap, page_id in gaps[:10])
    print(f"the gap, summed over pages: {total:.2f}; the ten largest: {largest}")


if __name__ == "__main__":
    main()
