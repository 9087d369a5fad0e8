"""Where a page's time goes: CPU milliseconds a page for each stage of extraction, over WCXB pages.

The stages are those of extracting a page, timed apart: parsing, the walk into
blocks, the words (for a model that reads terms; otherwise the features'
counting pass finds them), the features, the terms (for a model that reads
them), their scores, the boosters, the kind rules with the labels, and the
paywall verdict (which ``extract_many`` gives with every page, ``extract_text``
not). The first pass over the pages is cold, as a corpus run meets a new site's
pages (caches of class names, terms and hashed columns empty); later passes
(``--passes``) are warm. Use it to profile before optimizing; ``compare.py`` is
the benchmark.

    python benchmarks/stages.py ../shared/data/wcxb-dev --split validation [--model MODEL] [--passes 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

STAGES = ("parse", "segment", "words", "featurize", "terms", "term_scores", "boosters", "label", "paywall")


def time_stages(pages: list[bytes], model_path: Path | None, passes: int) -> list[dict[str, float]]:
    """Milliseconds a page per stage, one dict per pass over the pages."""
    from boilerplate import load_model
    from boilerplate.api import label_page, paywall_of
    from boilerplate.features import block_words, featurize
    from boilerplate.parsing import parse_html
    from boilerplate.segmentation import segment
    from boilerplate.terms import block_terms

    model = load_model(model_path)
    estimator = model.estimator
    cut = model.cut(None)
    results = []
    # One OpenMP thread, as Model.scores runs the boosters (scikit-learn's fallback walk would spin up more).
    with threadpool_limits(limits=1, user_api="openmp"):
        for _ in range(passes):
            spent = dict.fromkeys(STAGES, 0.0)
            for html in pages:
                clock = [time.process_time()]
                root = parse_html(html)
                clock.append(time.process_time())
                page = segment(root)
                clock.append(time.process_time())
                words = block_words(page) if model.reads_terms else None  # else the counting pass finds them
                clock.append(time.process_time())
                X = featurize(page, words)
                clock.append(time.process_time())
                terms = block_terms(page, words) if model.reads_terms else None
                clock.append(time.process_time())
                # The model's two parts, each timed once: the term scores, then the boosters given them.
                scored = np.hstack([X, estimator.term_scores(terms, len(X))]) if page.blocks else X
                clock.append(time.process_time())
                raw = estimator.boosted_proba(scored)[:, 1] if page.blocks else np.zeros(0)
                clock.append(time.process_time())
                guesses = label_page(page, raw, cut)
                clock.append(time.process_time())
                paywall_of(page, guesses)  # the verdict extract_many gives with every page
                clock.append(time.process_time())
                for stage, seconds in zip(STAGES, np.diff(clock), strict=True):
                    spent[stage] += seconds
            results.append({stage: 1000 * seconds / len(pages) for stage, seconds in spent.items()})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a WCXB folder (html/, ground-truth/, splits.json)")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--model", type=Path, help="a model file (default: the shipped one)")
    parser.add_argument("--passes", type=int, default=1, help="passes over the pages; the first is cold (default 1)")
    args = parser.parse_args(argv)
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    if not (args.data / "html").is_dir():
        print(f"no WCXB data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    from boilerplate.datasets import load_wcxb

    pages = [page.html for page in load_wcxb(args.data, args.split)][: args.limit]
    print(f"CPU ms a page over {len(pages)} {args.split} pages; model: {args.model or 'shipped'}")
    print(f"{'pass':<6}" + "".join(f"{stage:>12}" for stage in STAGES) + f"{'total':>10}")
    for n, row in enumerate(time_stages(pages, args.model, args.passes), start=1):
        label = f"{n} cold" if n == 1 else str(n)
        print(f"{label:<6}" + "".join(f"{row[stage]:>12.2f}" for stage in STAGES) + f"{sum(row.values()):>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
