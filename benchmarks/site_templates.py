"""Would site templates help? Drop kept blocks that repeat on a site's other pages, and score the pages.

On pages of sites with several pages in the split, each page is classified as
usual, then the blocks it keeps are dropped when the same block (its text,
case and spacing aside, and with ``--by text+path`` its XPath too) also occurs
on another page of the site. ``--by text+path-not-copies`` leaves out of that
comparison the site's pages that share half or more of their blocks with the
page (near copies: the same product twice, a page under two addresses), whose
repeated blocks are content, not template. Prints the mean word F1 of those
pages without the rule and with it, and how many pages gained and lost.

    python benchmarks/site_templates.py ../shared/data/wcxb-dev --split validation
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

RULES = ("text", "text+path", "text+path-not-copies")
NEAR_COPY = 0.5  # Jaccard overlap of two pages' blocks from which one is a copy of the other


def _key(text: str, xpath: str, rule: str) -> tuple[str, ...]:
    text = " ".join(text.lower().split())
    return (text,) if rule == "text" else (text, xpath)


def site_scores(data: Path, split: str, rules: tuple[str, ...]) -> tuple[int, list[float], dict[str, list[float]]]:
    """Sites with several pages, their pages' word F1 without a rule, and with each rule."""
    from boilerplate import classify_blocks
    from boilerplate.datasets import load_wcxb
    from boilerplate.evaluation import word_scores

    by_site = defaultdict(list)
    for page in load_wcxb(data, split):
        by_site[page.site].append(page)
    sites = [pages for pages in by_site.values() if len(pages) > 1]
    before: list[float] = []
    after: dict[str, list[float]] = {rule: [] for rule in rules}
    for pages in sites:
        blocks = [classify_blocks(page.html, url=page.url) for page in pages]
        kept = [[b for b in page_blocks if b.label == "content"] for page_blocks in blocks]
        for page_kept, page in zip(kept, pages, strict=True):
            before.append(word_scores("\n\n".join(b.text for b in page_kept), page.main_text)[2])
        for rule in rules:
            keys = [{_key(b.text, b.xpath, rule) for b in page_blocks} for page_blocks in blocks]
            for i, page in enumerate(pages):
                others = [keys[j] for j in range(len(pages)) if j != i]
                if rule == "text+path-not-copies":
                    others = [k for k in others if len(keys[i] & k) / max(1, len(keys[i] | k)) < NEAR_COPY]
                elsewhere = set().union(*others)
                pruned = "\n\n".join(b.text for b in kept[i] if _key(b.text, b.xpath, rule) not in elsewhere)
                after[rule].append(word_scores(pruned, page.main_text)[2])
    return len(sites), before, after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a WCXB folder (html/, ground-truth/, splits.json)")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--by", choices=RULES, action="append", help="the rule(s) to measure (default: all)")
    args = parser.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"no WCXB data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    print(f"{'rule':<22}{'sites':>6}{'pages':>7}{'F1 before':>11}{'F1 after':>10}{'gained':>8}{'lost':>6}")
    rules = tuple(args.by or RULES)
    sites, before, after = site_scores(args.data, args.split, rules)
    mean_before = sum(before) / max(1, len(before))
    for rule in rules:
        gained = sum(a > b + 1e-9 for a, b in zip(after[rule], before, strict=True))
        lost = sum(a < b - 1e-9 for a, b in zip(after[rule], before, strict=True))
        mean_after = sum(after[rule]) / max(1, len(after[rule]))
        print(f"{rule:<22}{sites:>6}{len(before):>7}{mean_before:>11.4f}{mean_after:>10.4f}{gained:>8}{lost:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
