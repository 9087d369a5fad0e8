"""Measure a model on labelled pages: block-level and word-level scores.

Two views, reported side by side:

* block level: precision, recall and F1 of the ``content`` label against
  block labels recovered by alignment with the gold text, counted by blocks
  and weighted by characters;
* word level: the benchmark's metric, bag-of-words precision, recall and F1
  of ``extract_text`` output against the gold main text, averaged over pages.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .alignment import align_blocks, tokenize
from .datasets import LabelledPage
from .model import Model
from .pipeline import page_features

__all__ = ["word_scores", "PageResult", "Report", "evaluate_pages"]


def word_scores(extracted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``extracted`` against ``gold``.

    The benchmark's rule: lower-case, ``\\w+`` tokens, multiset overlap; both
    empty scores 1.0.
    """
    predicted = Counter(tokenize(extracted))
    reference = Counter(tokenize(gold))
    if not predicted and not reference:
        return 1.0, 1.0, 1.0
    if not predicted or not reference:
        return 0.0, 0.0, 0.0
    overlap = sum((predicted & reference).values())
    precision = overlap / sum(predicted.values())
    recall = overlap / sum(reference.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


@dataclass
class PageResult:
    """Scores of one page."""

    page_id: str
    page_type: str | None
    word_precision: float
    word_recall: float
    word_f1: float
    # block-level confusion counts for the content label, by blocks and by characters
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_chars: int = 0
    fp_chars: int = 0
    fn_chars: int = 0
    leaked: list[str] = field(default_factory=list)  # "without" snippets found in the output
    missed: list[str] = field(default_factory=list)  # "with" snippets missing from the output


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Report:
    """Scores over a set of pages, overall and per page type."""

    pages: list[PageResult]
    threshold: float

    def summary(self, pages: list[PageResult] | None = None) -> dict[str, Any]:
        pages = self.pages if pages is None else pages
        n = len(pages)
        tp, fp, fn = (sum(getattr(p, k) for p in pages) for k in ("tp", "fp", "fn"))
        tpc, fpc, fnc = (sum(getattr(p, k) for p in pages) for k in ("tp_chars", "fp_chars", "fn_chars"))
        return {
            "pages": n,
            "word_precision": sum(p.word_precision for p in pages) / n if n else math.nan,
            "word_recall": sum(p.word_recall for p in pages) / n if n else math.nan,
            "word_f1": sum(p.word_f1 for p in pages) / n if n else math.nan,
            "block": _prf(tp, fp, fn),
            "block_by_chars": _prf(tpc, fpc, fnc),
            "without_leaked": sum(len(p.leaked) for p in pages),
            "with_missed": sum(len(p.missed) for p in pages),
        }

    def by_type(self) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[PageResult]] = defaultdict(list)
        for p in self.pages:
            groups[p.page_type or "unknown"].append(p)
        return {name: self.summary(group) for name, group in sorted(groups.items())}

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "overall": self.summary(),
            "by_page_type": self.by_type(),
            "pages": [asdict(p) for p in self.pages],
        }

    def table(self) -> str:
        """A plain-text table: one row per page type and one overall."""
        header = f"{'page type':<15}{'pages':>6}" + "".join(
            f"{name:>9}" for name in ("word P", "word R", "word F1", "block P", "block R", "block F1")
        )
        rows = [header, "-" * len(header)]

        def row(name: str, s: dict[str, Any]) -> str:
            b = s["block"]
            values = (s["word_precision"], s["word_recall"], s["word_f1"], b["precision"], b["recall"], b["f1"])
            return f"{name:<15}{s['pages']:>6}" + "".join(f"{v:>9.3f}" for v in values)

        for name, s in self.by_type().items():
            rows.append(row(name, s))
        rows.append("-" * len(header))
        overall = self.summary()
        rows.append(row("all", overall))
        chars = overall["block_by_chars"]
        rows.append(
            "block scores weighted by characters: "
            f"P {chars['precision']:.3f}  R {chars['recall']:.3f}  F1 {chars['f1']:.3f}"
        )
        rows.append(
            f"'without' snippets leaked: {overall['without_leaked']}   'with' snippets missed: {overall['with_missed']}"
            f"   threshold: {self.threshold:.2f}"
        )
        return "\n".join(rows)


def evaluate_page(page: LabelledPage, model: Model, threshold: float | None = None) -> PageResult:
    """Classify one labelled page and score it against its gold text."""
    parsed, X = page_features(page.html, url=page.url)
    blocks = parsed.blocks
    cut = model.threshold if threshold is None else threshold
    if blocks:
        predicted = model.scores(X, np.zeros(len(X), dtype=np.int64)) >= cut
    else:
        predicted = np.zeros(0, dtype=bool)
    text = "\n\n".join(b.text for b, keep in zip(blocks, predicted, strict=True) if keep)
    precision, recall, f1 = word_scores(text, page.main_text)
    gold = align_blocks([b.text for b in blocks], page.reference).labels.astype(bool)
    chars = np.fromiter((len(b.text) for b in blocks), dtype=np.int64, count=len(blocks))
    flat = _normalized(text)
    return PageResult(
        page_id=page.page_id,
        page_type=page.page_type,
        word_precision=precision,
        word_recall=recall,
        word_f1=f1,
        tp=int((predicted & gold).sum()),
        fp=int((predicted & ~gold).sum()),
        fn=int((~predicted & gold).sum()),
        tp_chars=int(chars[predicted & gold].sum()),
        fp_chars=int(chars[predicted & ~gold].sum()),
        fn_chars=int(chars[~predicted & gold].sum()),
        leaked=[s for s in page.without_snippets if _normalized(s) and _normalized(s) in flat],
        missed=[s for s in page.with_snippets if _normalized(s) and _normalized(s) not in flat],
    )


def evaluate_pages(pages: Iterable[LabelledPage], model: Model, *, threshold: float | None = None) -> Report:
    """Score a model on labelled pages."""
    results = [evaluate_page(page, model, threshold) for page in pages]
    return Report(results, model.threshold if threshold is None else threshold)
