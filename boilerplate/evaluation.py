"""Measure a model on labelled pages: block-level and word-level scores.

Two views, reported side by side:

* block level: precision, recall and F1 of the ``content`` label against the
  pages' block labels (hand annotations, or alignment with the gold text),
  counted by blocks and weighted by characters;
* word level: the benchmark's metric, bag-of-words precision, recall and F1
  of the extracted text against the gold main text, averaged over pages.

Every page's block scores are kept, so one run also gives the
precision-recall curve over the threshold and the cost of each preset.

For chrome, the report also says which kinds the model let through (no
paywall, cookie or advertisement block may be kept), how well the kind rules
name each kind, whether each page's paywall verdict matches the expected one
(``PAGE.expected.json``), and which of the benchmark's ``without`` snippets
leaked, flagging those in paywall or consent vocabulary.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import lexicon
from .alignment import tokenize
from .datasets import LabelledPage
from .errors import OptionError
from .features import words_of
from .kinds import GUARDED, guess_kinds, settle_scores
from .labelling import UNKNOWN, PageLabels, label_blocks
from .model import PRESETS, Model
from .paywall import find_paywall
from .pipeline import page_features
from .segmentation import Page
from .stopwords import guess_language
from .terms import Terms

__all__ = [
    "RESAMPLES",
    "PageResult",
    "Report",
    "compare_figures",
    "compare_reports",
    "comparison_table",
    "evaluate_models",
    "evaluate_page",
    "evaluate_pages",
    "figure_intervals",
    "one_line",
    "page_figures",
    "site_bootstrap",
    "word_scores",
]


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


RESAMPLES = 1000  # draws of sites behind each interval (Report.intervals, compare_reports)


def _site_sums(sites: list[str], word_f1: np.ndarray, tp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Per site (rows of the result's columns): word F1 summed over its pages, its pages, its kept
    content blocks and all its kept blocks."""
    names, site_of = np.unique(np.asarray(sites, dtype=str), return_inverse=True)
    columns = (word_f1, np.ones(len(site_of)), tp, tp + fp)
    return np.array([np.bincount(site_of, weights=c, minlength=len(names)) for c in columns])


def _drawn(sums: np.ndarray, draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean word F1 and pooled block precision (NaN where nothing was kept) of each draw, a row of site indices."""
    total = sums[:, draws].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total[0] / total[1], np.where(total[3] > 0, total[2] / total[3], np.nan)


def _draws(n: int, resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """``resamples`` draws of ``n`` sites with replacement, a hundred at a time to bound memory on large sets."""
    for start in range(0, resamples, 100):
        yield rng.integers(0, n, size=(min(100, resamples - start), n))


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    if not len(values) or np.isnan(values).all():
        return math.nan, math.nan
    low, high = np.nanpercentile(values, (50.0 * (1.0 - level), 50.0 * (1.0 + level)))
    return float(low), float(high)


def _groups(types: list[str]) -> Iterator[tuple[str, np.ndarray]]:
    """Each page type in order, then "all", with the mask of its pages."""
    for name in [*sorted(set(types)), "all"]:
        yield name, np.array([name in ("all", t) for t in types], dtype=bool)


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise OptionError(f"an interval's level is between 0 and 1, not {level}")


def site_bootstrap(
    word_f1: np.ndarray,
    tp: np.ndarray,
    fp: np.ndarray,
    sites: list[str],
    *,
    resamples: int = RESAMPLES,
    level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Percentile intervals of the mean word F1 over pages and of the pooled block precision, sites drawn
    with replacement (see :meth:`Report.intervals`). Arguments are per page; ``tp`` and ``fp`` count the
    page's kept content and chrome blocks."""
    _check_level(level)
    rng = np.random.default_rng(0) if rng is None else rng
    sums = _site_sums(sites, word_f1, tp, fp)
    n = sums.shape[1]
    drawn = [_drawn(sums, draws) for draws in _draws(n, resamples, rng)] if n else []
    f1s = np.concatenate([d[0] for d in drawn]) if drawn else np.zeros(0)
    precisions = np.concatenate([d[1] for d in drawn]) if drawn else np.zeros(0)
    return {
        "sites": n,
        "pages": len(sites),
        "resamples": resamples,
        "level": level,
        "word_f1": _interval(f1s, level),
        "block_precision": _interval(precisions, level),
    }


def page_figures(report: Report, cut: float | None = None) -> dict[str, list]:
    """Each page's figures at ``cut`` (default: the report's), in columns: what paired comparisons read.

    ``page_id``, ``site``, ``page_type``, ``word_f1``, and the kept ``content_blocks`` and
    ``chrome_blocks``. Plain lists, so that a model card can keep them (the trainer keeps its held-out
    pages') and two cards can be compared later with :func:`compare_figures`.
    """
    cut = report.threshold if cut is None else cut
    counts = [p.counts(cut) for p in report.pages]
    return {
        "page_id": [p.page_id for p in report.pages],
        "site": [p.site or p.page_id for p in report.pages],
        "page_type": [p.page_type or "unknown" for p in report.pages],
        "word_f1": [p.words(cut)[2] for p in report.pages],
        "content_blocks": [c["tp"] for c in counts],
        "chrome_blocks": [c["fp"] for c in counts],
    }


def figure_intervals(
    figures: dict[str, list], *, resamples: int = RESAMPLES, level: float = 0.95, random_state: int = 0
) -> dict[str, dict[str, Any]]:
    """:meth:`Report.intervals` from a set of :func:`page_figures`."""
    words, tp, fp = _arrays(figures)
    rng = np.random.default_rng(random_state)
    return {
        name: site_bootstrap(
            words[chosen],
            tp[chosen],
            fp[chosen],
            [s for s, c in zip(figures["site"], chosen, strict=True) if c],
            resamples=resamples,
            level=level,
            rng=rng,
        )
        for name, chosen in _groups(list(figures["page_type"]))
    }


def _arrays(figures: dict[str, list]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.asarray(figures[key], dtype=np.float64) for key in ("word_f1", "content_blocks", "chrome_blocks"))


def compare_reports(
    base: Report, other: Report, *, resamples: int = RESAMPLES, level: float = 0.95, random_state: int = 0
) -> dict[str, dict[str, Any]]:
    """By page type: how much ``other`` scores above ``base`` on the same pages, and how sure that is.

    Paired: each draw of sites (as in :meth:`Report.intervals`) scores both models on the same pages,
    so what the pages share cancels. Per type and for "all": the difference in mean word F1 and in
    block precision, its interval, and the share of draws in which ``other`` is ahead. A difference
    whose interval holds 0 is one that another draw of sites could reverse.
    """
    return compare_figures(
        page_figures(base), page_figures(other), resamples=resamples, level=level, random_state=random_state
    )


def compare_figures(
    base: dict[str, list],
    other: dict[str, list],
    *,
    resamples: int = RESAMPLES,
    level: float = 0.95,
    random_state: int = 0,
) -> dict[str, dict[str, Any]]:
    """:func:`compare_reports` from two sets of :func:`page_figures`, such as two model cards' held-out pages."""
    if list(base["page_id"]) != list(other["page_id"]):
        raise OptionError("the two models must be scored on the same pages in the same order")
    _check_level(level)
    figures = (_arrays(base), _arrays(other))
    sites = list(base["site"])
    rng = np.random.default_rng(random_state)
    out: dict[str, dict[str, Any]] = {}
    for name, chosen in _groups(list(base["page_type"])):
        picked = [s for s, c in zip(sites, chosen, strict=True) if c]
        base_sums, other_sums = (_site_sums(picked, *(v[chosen] for v in f)) for f in figures)
        n = base_sums.shape[1]
        row: dict[str, Any] = {"sites": n, "pages": len(picked), "resamples": resamples, "level": level}
        whole = np.arange(n)[None, :]
        point = [o - b for o, b in zip(_drawn(other_sums, whole), _drawn(base_sums, whole), strict=True)]
        moved: list[list[np.ndarray]] = [[], []]
        for draws in _draws(n, resamples, rng) if n else ():
            for i, (o, b) in enumerate(zip(_drawn(other_sums, draws), _drawn(base_sums, draws), strict=True)):
                moved[i].append(o - b)
        for i, key in enumerate(("word_f1", "block_precision")):
            values = np.concatenate(moved[i]) if moved[i] else np.zeros(0)
            known = values[~np.isnan(values)]
            row[key] = float(point[i][0]) if n else math.nan
            row[f"{key}_interval"] = _interval(values, level)
            row[f"{key}_ahead"] = float((known > 0).mean()) if len(known) else math.nan
        out[name] = row
    return out


def comparison_table(comparison: dict[str, dict[str, Any]], base: str, other: str) -> str:
    """The plain-text table of :func:`compare_reports`."""
    any_row = next(iter(comparison.values()), {})
    rows = [
        f"{other} against {base}:",
        f"the difference on the same pages, its {any_row.get('level', 0.95):.0%} interval from "
        f"{any_row.get('resamples', 0)} paired draws of sites, and the share of draws in which the first is ahead",
        f"{'page type':<16}{'sites':>6}{'pages':>6}{'word F1':>9}{'interval':>18}{'ahead':>7}"
        f"{'block P':>9}{'interval':>18}{'ahead':>7}",
    ]
    for name, r in comparison.items():
        cells = ""
        for key in ("word_f1", "block_precision"):
            low, high = r[f"{key}_interval"]
            cells += f"{r[key]:>+9.3f}{f'{low:+.3f} - {high:+.3f}':>18}{r[f'{key}_ahead']:>7.0%}"
        rows.append(f"{name:<16}{r['sites']:>6}{r['pages']:>6}{cells}")
    return "\n".join(rows)


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class PageResult:
    """One page: its blocks' scores and labels, and the text the model kept at the report's cut."""

    page_id: str
    page_type: str | None
    texts: list[str] = field(repr=False)
    scores: np.ndarray = field(repr=False)  # content score per block, as the cut reads it
    labels: np.ndarray = field(repr=False)  # 1 content, 0 chrome, -1 unknown
    kinds: list[str | None] = field(repr=False)  # chrome kind per block, where annotated
    gold_text: str = field(repr=False, default="")
    with_snippets: tuple[str, ...] = field(repr=False, default=())
    without_snippets: tuple[str, ...] = field(repr=False, default=())
    guessed_kinds: list[str] = field(repr=False, default_factory=list)  # the kind rules' guess per block
    paywall: dict[str, Any] | None = field(repr=False, default=None)  # verdict at the report's cut
    expected_paywall: dict[str, Any] | None = field(repr=False, default=None)
    language: str | None = None  # the page's declared language (primary subtag), else guessed from the gold text
    site: str | None = None  # the page's host: pages of one site share a template, so intervals resample sites

    def verdict_ok(self) -> bool | None:
        """Whether the paywall verdict matches the expected one (None where nothing is expected)."""
        if self.expected_paywall is None or self.paywall is None:
            return None
        want, got = self.expected_paywall, self.paywall
        same = all(want.get(key) == got[key] for key in ("paywalled", "type", "truncated"))
        return same and set(want.get("signals", [])) == set(got["signals"])

    def extract(self, cut: float) -> str:
        return "\n\n".join(t for t, s in zip(self.texts, self.scores.tolist(), strict=True) if s >= cut)

    def words(self, cut: float) -> tuple[float, float, float]:
        return word_scores(self.extract(cut), self.gold_text)

    def counts(self, cut: float) -> dict[str, int]:
        """Block confusion counts of the content label, by blocks and by characters."""
        predicted = self.scores >= cut
        known = self.labels != UNKNOWN
        gold = self.labels == 1
        chars = np.fromiter((len(t) for t in self.texts), dtype=np.int64, count=len(self.texts))
        cells = {"tp": predicted & gold, "fp": predicted & ~gold & known, "fn": ~predicted & gold}
        out = {name: int(mask.sum()) for name, mask in cells.items()}
        out.update({f"{name}_chars": int(chars[mask].sum()) for name, mask in cells.items()})
        return out

    def snippets(self, cut: float) -> tuple[list[str], list[str]]:
        """``without`` snippets found in the output (leaks) and ``with`` snippets missing from it."""
        flat = _normalized(self.extract(cut))
        leaked = [s for s in self.without_snippets if _normalized(s) and _normalized(s) in flat]
        missed = [s for s in self.with_snippets if _normalized(s) and _normalized(s) not in flat]
        return leaked, missed


@dataclass
class Report:
    """Scores of a model over a set of pages at one cut, with everything needed for other cuts."""

    pages: list[PageResult]
    threshold: float
    presets: dict[str, float] = field(default_factory=dict)

    def summary(self, pages: list[PageResult] | None = None, cut: float | None = None) -> dict[str, Any]:
        pages = self.pages if pages is None else pages
        cut = self.threshold if cut is None else cut
        n = len(pages)
        words = [p.words(cut) for p in pages]
        counts: Counter[str] = Counter()
        leaked = missed = 0
        for p in pages:
            counts.update(p.counts(cut))
            found, lost = p.snippets(cut)
            leaked += len(found)
            missed += len(lost)
        return {
            "pages": n,
            "threshold": cut,
            "word_precision": sum(w[0] for w in words) / n if n else math.nan,
            "word_recall": sum(w[1] for w in words) / n if n else math.nan,
            "word_f1": sum(w[2] for w in words) / n if n else math.nan,
            "block": _prf(counts["tp"], counts["fp"], counts["fn"]),
            "block_by_chars": _prf(counts["tp_chars"], counts["fp_chars"], counts["fn_chars"]),
            "without_leaked": leaked,
            "with_missed": missed,
        }

    def by_type(self) -> dict[str, dict[str, Any]]:
        return self._grouped(lambda p: p.page_type)

    def by_language(self) -> dict[str, dict[str, Any]]:
        return self._grouped(lambda p: p.language)

    def _grouped(self, key: Callable[[PageResult], str | None]) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[PageResult]] = defaultdict(list)
        for p in self.pages:
            groups[key(p) or "unknown"].append(p)
        return {name: self.summary(group) for name, group in sorted(groups.items())}

    def by_kind(self) -> dict[str, dict[str, Any]]:
        """For annotated chrome kinds: blocks of each kind, how many were kept as content, and how
        well the kind rules name the kind (precision and recall over the annotated chrome blocks)."""
        table: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"blocks": 0, "kept_as_content": 0, "guessed": 0, "hit": 0}
        )
        for p in self.pages:
            kept = p.scores >= self.threshold
            guesses = p.guessed_kinds or [None] * len(p.kinds)
            for kind, label, keep, guess in zip(p.kinds, p.labels.tolist(), kept.tolist(), guesses, strict=True):
                if label != 0 or not kind:
                    continue
                table[kind]["blocks"] += 1
                table[kind]["kept_as_content"] += int(keep)
                table[kind]["hit"] += int(guess == kind)
                if guess is not None:
                    table[guess]["guessed"] += 1
        for row in table.values():
            row["precision"] = row["hit"] / row["guessed"] if row["guessed"] else math.nan
            row["recall"] = row["hit"] / row["blocks"] if row["blocks"] else math.nan
        return {kind: dict(row) for kind, row in sorted(table.items()) if row["blocks"]}

    def guarded_kept(self) -> int:
        """Annotated paywall, cookie and advertisement blocks kept as content: must be none."""
        return sum(row["kept_as_content"] for kind, row in self.by_kind().items() if kind in GUARDED)

    def verdicts(self) -> list[dict[str, Any]]:
        """Each page's paywall verdict beside the expected one, where one is expected."""
        return [
            {"page_id": p.page_id, "ok": p.verdict_ok(), "expected": p.expected_paywall, "found": p.paywall}
            for p in self.pages
            if p.expected_paywall is not None
        ]

    def leaked_snippets(self) -> list[dict[str, Any]]:
        """The ``without`` snippets found in the output, flagged when they speak of paywalls or consent.

        ``from_chrome`` says whether a kept block that is not content carries the snippet; when
        only content blocks do, the snippet's words are the article's own ("newsletters I
        subscribe to" holds the snippet "Subscribe").
        """
        rows = []
        for p in self.pages:
            leaked = p.snippets(self.threshold)[0]
            if not leaked:
                continue
            kept_chrome = [
                _normalized(t)
                for t, s, y in zip(p.texts, p.scores.tolist(), p.labels.tolist(), strict=True)
                if s >= self.threshold and y != 1
            ]
            for snippet in leaked:
                needle = _normalized(snippet)
                rows.append(
                    {
                        "page_id": p.page_id,
                        "snippet": snippet,
                        "paywall_or_consent": bool(lexicon.PAYWALL_OR_CONSENT.search(snippet)),
                        "from_chrome": any(needle in text for text in kept_chrome),
                    }
                )
        return rows

    def operating_points(self) -> dict[str, dict[str, Any]]:
        """The scores at each preset cut: what favouring precision or recall costs."""
        cuts = {"balanced": self.threshold, **self.presets}
        return {name: self.summary(cut=cut) for name, cut in sorted(cuts.items(), key=lambda item: item[1])}

    def intervals(
        self, resamples: int = RESAMPLES, level: float = 0.95, random_state: int = 0, cut: float | None = None
    ) -> dict[str, dict[str, Any]]:
        """How far each page type's word F1 and block precision could move on another draw of sites.

        A cluster bootstrap: the sites that have pages of a type (all sites, for "all") are drawn with
        replacement ``resamples`` times, each draw bringing all its pages of that type, and the interval
        is the central ``level`` of the figures (at ``cut``, default the report's) recomputed on the
        draws. Sites, not pages, are drawn because pages of one site share a template and succeed or
        fail together. A type of 18 pages moves by several points from one draw to the next;
        :func:`compare_reports` says whether a difference between two models on the same pages holds.
        """
        return figure_intervals(page_figures(self, cut), resamples=resamples, level=level, random_state=random_state)

    def curve(self) -> dict[str, np.ndarray]:
        """Block-level precision and recall of the content label at every cut."""
        scores = np.concatenate([p.scores[p.labels != UNKNOWN] for p in self.pages] or [np.zeros(0)])
        gold = np.concatenate([p.labels[p.labels != UNKNOWN] == 1 for p in self.pages] or [np.zeros(0, bool)])
        order = np.argsort(-scores, kind="stable")
        scores, gold = scores[order], gold[order]
        tp = np.cumsum(gold)
        picked = np.arange(1, len(gold) + 1)
        last = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1] if len(scores) else np.zeros(0, int)
        return {
            "threshold": scores[last],
            "precision": tp[last] / picked[last],
            "recall": tp[last] / max(gold.sum(), 1),
        }

    def worst_pages(self, n: int = 10) -> list[tuple[str, str | None, float]]:
        """(page id, page type, word F1) of the ``n`` worst pages; :meth:`page_errors` says more of each."""
        return [(e["page_id"], e["page_type"], e["word_f1"]) for e in self.page_errors(n)]

    def page_errors(self, n: int | None = None) -> list[dict[str, Any]]:
        """The pages by word F1, worst first, each with what went wrong.

        ``what`` is "no gold text" (the page has none, so any text kept scores 0), "nothing kept",
        "too much kept" (word precision below recall: chrome let through), "too little kept", or
        "right: nothing to keep" (no gold text and nothing kept).
        """
        rows = [self._page_error(p) for p in self.pages]
        rows.sort(key=lambda row: (row["word_f1"], row["page_id"]))
        return rows if n is None else rows[:n]

    def _page_error(self, p: PageResult) -> dict[str, Any]:
        """One page's word scores at the report's cut, its word counts, and what went wrong (see page_errors)."""
        kept = p.extract(self.threshold)
        precision, recall, f1 = word_scores(kept, p.gold_text)
        gold_words, kept_words = len(tokenize(p.gold_text)), len(tokenize(kept))
        if not gold_words:
            what = "no gold text" if kept_words else "right: nothing to keep"
        elif not kept_words:
            what = "nothing kept"
        else:
            what = "too much kept" if precision < recall else "too little kept"
        return {
            "page_id": p.page_id,
            "page_type": p.page_type,
            "word_precision": precision,
            "word_recall": recall,
            "word_f1": f1,
            "gold_words": gold_words,
            "kept_words": kept_words,
            "what": what,
        }

    def lost_by_type(self, errors: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
        """Where the mean word F1 is lost: the sum of 1 - F1 over each type's pages, its share of the
        whole, and how much of it comes from pages that kept too much or too little (see
        :meth:`page_errors`, whose full list may be passed in when it is at hand). The type with the
        largest share is the one to work on first."""
        table: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"pages": 0, "lost": 0.0, "too_much": 0.0, "too_little": 0.0}
        )
        for row in self.page_errors() if errors is None else errors:
            for name in (row["page_type"] or "unknown", "all"):
                entry = table[name]
                entry["pages"] += 1
                entry["lost"] += 1.0 - row["word_f1"]
                side = "too_much" if row["what"] in ("too much kept", "no gold text") else "too_little"
                entry[side] += 1.0 - row["word_f1"]
        total = table["all"]["lost"] if self.pages else 0.0
        for entry in table.values():
            entry["share"] = entry["lost"] / total if total else 0.0
        return {name: dict(table[name]) for name in [*sorted(k for k in table if k != "all"), "all"] if name in table}

    def chrome_kept_by_page(self, n: int | None = None) -> list[dict[str, Any]]:
        """The pages by how many labelled chrome blocks they kept, most first: where block precision is lost.

        Block precision pools every page's blocks, so a few pages can set it: one whose gold text is another
        version of the page, or stops early, turns its whole article into kept chrome. Each row gives the
        page's kept chrome and content blocks, the share of all kept chrome on it and the pages above it,
        and the block precision of the pages below it (the whole set without this page and those above).
        """
        counts = [(p, p.counts(self.threshold)) for p in self.pages]
        counts.sort(key=lambda pc: (-pc[1]["fp"], pc[0].page_id))
        tp = sum(c["tp"] for _, c in counts)
        fp = sum(c["fp"] for _, c in counts)
        rows, dropped_tp, dropped_fp = [], 0, 0
        for page, c in counts[:n]:
            dropped_tp += c["tp"]
            dropped_fp += c["fp"]
            rest_kept = tp - dropped_tp + fp - dropped_fp
            rows.append(
                {
                    "page_id": page.page_id,
                    "page_type": page.page_type,
                    "chrome_kept": c["fp"],
                    "content_kept": c["tp"],
                    "share_so_far": dropped_fp / fp if fp else 0.0,
                    "precision_of_the_rest": (tp - dropped_tp) / rest_kept if rest_kept else math.nan,
                }
            )
        return rows

    def to_dict(self, resamples: int = RESAMPLES) -> dict[str, Any]:
        cut = self.threshold
        errors = [self._page_error(p) for p in self.pages]  # each page's word scores once, for both uses below
        pages = []
        for p, error in zip(self.pages, errors, strict=True):
            leaked, missed = p.snippets(cut)
            pages.append({**error, **p.counts(cut), "leaked": leaked, "missed": missed})
        return {
            "threshold": cut,
            "overall": self.summary(),
            "by_page_type": self.by_type(),
            "intervals": self.intervals(resamples) if resamples > 0 else {},
            "by_language": self.by_language(),
            "by_chrome_kind": self.by_kind(),
            "guarded_kinds_kept": self.guarded_kept(),
            "paywall_verdicts": self.verdicts(),
            "leaked_snippets": self.leaked_snippets(),
            "operating_points": self.operating_points(),
            "lost_by_page_type": self.lost_by_type(errors),
            "chrome_kept_by_page": self.chrome_kept_by_page(),
            "pages": pages,
        }

    def table(self, worst: int = 10, resamples: int = RESAMPLES) -> str:
        """Plain-text tables: per page type, with intervals from ``resamples`` draws of sites (none at 0),
        where word F1 is lost, per preset, the ``worst`` pages by kept chrome blocks, per chrome kind, and
        the ``worst`` pages by word F1."""
        names = ("word P", "word R", "word F1", "block P", "block R", "block F1")
        header = f"{'page type':<16}{'pages':>6}" + "".join(f"{name:>9}" for name in names)

        def row(name: str, s: dict[str, Any]) -> str:
            b = s["block"]
            values = (s["word_precision"], s["word_recall"], s["word_f1"], b["precision"], b["recall"], b["f1"])
            return f"{name:<16}{s['pages']:>6}" + "".join(f"{v:>9.3f}" for v in values)

        rows = [header, "-" * len(header)]
        by_type = self.by_type()
        rows += [row(name, s) for name, s in by_type.items()]
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
        )
        rows += self._interval_rows(resamples, {**by_type, "all": overall})
        languages = self.by_language()
        if len(languages) > 1:
            rows += ["", f"{'language':<16}{'pages':>6}" + "".join(f"{name:>9}" for name in names)]
            rows.append("-" * len(header))
            rows += [row(name, s) for name, s in languages.items()]
        errors = self.page_errors()  # every page's word scores, once for the two views below
        rows += [
            "",
            "where word F1 is lost: the sum of 1 - F1 over the pages; 'too much' is lost on pages that kept",
            "more chrome than they missed content (word precision below recall), 'too little' on the others",
            f"{'page type':<16}{'pages':>6}{'lost':>9}{'share':>9}{'too much':>10}{'too little':>11}",
        ]
        rows += [
            f"{name:<16}{e['pages']:>6}{e['lost']:>9.2f}{e['share']:>9.0%}{e['too_much']:>10.2f}{e['too_little']:>11.2f}"
            for name, e in self.lost_by_type(errors).items()
        ]
        rows += ["", f"{'operating point':<16}{'cut':>6}" + "".join(f"{name:>9}" for name in names)]
        for name, s in self.operating_points().items():
            b = s["block"]
            values = (s["word_precision"], s["word_recall"], s["word_f1"], b["precision"], b["recall"], b["f1"])
            rows.append(f"{name:<16}{s['threshold']:>6.2f}" + "".join(f"{v:>9.3f}" for v in values))
        rows += self._chrome_kept_rows(worst)
        kinds = self.by_kind()
        if kinds:
            rows += ["", f"{'chrome kind':<16}{'blocks':>7}{'kept as content':>17}{'kind P':>9}{'kind R':>9}"]
            rows += [
                f"{kind:<16}{k['blocks']:>7}{k['kept_as_content']:>17}{k['precision']:>9.3f}{k['recall']:>9.3f}"
                for kind, k in kinds.items()
            ]
            rows.append(f"paywall, cookie and advertisement blocks kept as content: {self.guarded_kept()}")
        verdicts = self.verdicts()
        if verdicts:
            right = sum(bool(v["ok"]) for v in verdicts)
            rows += ["", f"paywall verdicts right: {right} of {len(verdicts)}"]
            for v in verdicts:
                if not v["ok"]:
                    found = {k: v["found"][k] for k in ("paywalled", "type", "truncated", "signals")}
                    rows.append(f"  wrong: {v['page_id']}: expected {v['expected']}, found {found}")
        leaks = self.leaked_snippets()
        if leaks:
            flagged = [row for row in leaks if row["paywall_or_consent"]]
            rows += [
                "",
                f"'without' snippets leaked: {len(leaks)}; in paywall or consent vocabulary: {len(flagged)}, "
                f"of which from kept chrome blocks: {sum(row['from_chrome'] for row in flagged)}",
                "  (! paywall or consent vocabulary; * only inside content blocks, the article's own words)",
            ]
            for row in leaks:
                mark = ("!" if row["paywall_or_consent"] else " ") + (" " if row["from_chrome"] else "*")
                rows.append(f" {mark} {row['page_id']}: {one_line(row['snippet'], 100)}")
        errors = errors[: max(worst, 0)]
        if errors:
            width = _page_column_width([e["page_id"] for e in errors])
            rows += [
                "",
                f"the {len(errors)} worst pages by word F1",
                f"{'page':<{width}}{'type':<14}{'word P':>8}{'word R':>8}{'word F1':>9}"
                f"{'gold words':>12}{'kept words':>12}  what",
            ]
            rows += [
                f"{one_line(e['page_id'], width - 2):<{width}}{one_line(e['page_type'] or '-', 13):<14}"
                f"{e['word_precision']:>8.3f}{e['word_recall']:>8.3f}{e['word_f1']:>9.3f}"
                f"{e['gold_words']:>12}{e['kept_words']:>12}  {e['what']}"
                for e in errors
            ]
        return "\n".join(rows)

    def _interval_rows(self, resamples: int, summaries: dict[str, dict[str, Any]]) -> list[str]:
        """The table of :meth:`intervals` beside the figures of ``summaries`` (by type and "all"), or nothing
        when ``resamples`` is 0."""
        if resamples <= 0 or not self.pages:
            return []
        rows = [
            "",
            f"95% intervals from {resamples} draws of sites with replacement: how far each figure could move",
            "on other sites of the same kinds (pages of one site count together)",
            f"{'page type':<16}{'sites':>6}{'pages':>6}{'word F1':>9}{'interval':>16}{'block P':>9}{'interval':>16}",
        ]
        for name, ci in self.intervals(resamples).items():
            s = summaries[name]
            f_lo, f_hi = ci["word_f1"]
            p_lo, p_hi = ci["block_precision"]
            rows.append(
                f"{name:<16}{ci['sites']:>6}{ci['pages']:>6}{s['word_f1']:>9.3f}{f'{f_lo:.3f} - {f_hi:.3f}':>16}"
                f"{s['block']['precision']:>9.3f}{f'{p_lo:.3f} - {p_hi:.3f}':>16}"
            )
        return rows

    def _chrome_kept_rows(self, n: int) -> list[str]:
        """The table of :meth:`chrome_kept_by_page` for the ``n`` pages that kept most chrome."""
        top = [row for row in self.chrome_kept_by_page(max(n, 0)) if row["chrome_kept"]]
        if not top:
            return []
        width = _page_column_width([r["page_id"] for r in top])
        rows = [
            "",
            f"where block precision is lost: the {len(top)} pages that kept the most chrome blocks;",
            "'share' is of all chrome kept, on this page and those above; 'P of the rest' is the block",
            "precision of the other pages",
            f"{'page':<{width}}{'type':<14}{'chrome kept':>12}{'content kept':>13}{'share':>8}{'P of the rest':>15}",
        ]
        rows += [
            f"{one_line(r['page_id'], width - 2):<{width}}{one_line(r['page_type'] or '-', 13):<14}"
            f"{r['chrome_kept']:>12}{r['content_kept']:>13}{r['share_so_far']:>8.0%}{r['precision_of_the_rest']:>15.3f}"
            for r in top
        ]
        return rows

    def plot(self, path: str | Path) -> Path:
        """Save the precision-recall curve over the threshold, the operating points marked."""
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as exc:  # an optional extra
            raise ImportError("plotting needs matplotlib: pip install 'boilerplate[notebooks]'") from exc
        curve = self.curve()
        fig, ax = plt.subplots(figsize=(6, 4.5))
        ax.plot(curve["recall"], curve["precision"], lw=1.5, label="content blocks")
        for name, s in self.operating_points().items():
            b = s["block"]
            ax.plot(b["recall"], b["precision"], "o", label=f"{name} (cut {s['threshold']:.2f})")
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_xlim(0, 1.01)
        ax.set_ylim(0, 1.01)
        ax.grid(alpha=0.3)
        ax.set_title(f"Precision and recall of the content label ({len(self.pages)} pages)")
        ax.legend(loc="lower left")
        fig.tight_layout()
        fig.savefig(path, dpi=120)
        plt.close(fig)
        return Path(path)


def _page_column_width(page_ids: list[str]) -> int:
    """Width of a table's page column: its longest id, at most 40 characters, and two spaces."""
    return min(max(len("page"), *(len(i) for i in page_ids)), 40) + 2


def one_line(text: str, width: int = 90) -> str:
    """A text on one line, cut at ``width`` characters, for tables and listings."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def evaluate_page(page: LabelledPage, model: Model, cut: float | None = None) -> PageResult:
    """Classify one labelled page and keep its scores beside its labels.

    The scores are settled by the kind rules and adjusted to the page as in :func:`boilerplate.classify_blocks`;
    the paywall verdict is taken at ``cut`` (default: the model's operating point).
    """
    return _page_result(page, _read(page, model.reads_terms), model, model.cut(None) if cut is None else cut)


def _read(page: LabelledPage, terms: bool) -> tuple[Page, np.ndarray, Terms | None, PageLabels]:
    """The page parsed, featurized and labelled: what every model that scores it shares."""
    parsed, X, found = page_features(page.html, url=page.url, terms=terms)
    return parsed, X, found, label_blocks(page, parsed)


def _page_result(
    page: LabelledPage, read: tuple[Page, np.ndarray, Terms | None, PageLabels], model: Model, cut: float
) -> PageResult:
    parsed, X, terms, truth = read
    n = len(parsed.blocks)
    guesses = guess_kinds(parsed.blocks)  # settle_scores names copies in them: each model its own
    raw = model.scores(X, np.zeros(n, dtype=np.int64), terms) if n else np.zeros(0)
    scores = model.decide(settle_scores(parsed.blocks, raw, guesses), words_of(X)) if n else raw
    content = (scores >= cut).tolist()
    return PageResult(
        page_id=page.page_id,
        page_type=page.page_type,
        texts=[b.text for b in parsed.blocks],
        scores=scores,
        labels=truth.labels,
        kinds=truth.kinds,
        gold_text=truth.gold_text,
        with_snippets=page.with_snippets,
        without_snippets=page.without_snippets,
        guessed_kinds=[g.kind for g in guesses],
        paywall=find_paywall(parsed, guesses, content).to_dict(),
        expected_paywall=page.expected_paywall,
        language=_language(parsed.lang, truth.gold_text or " ".join(b.text for b in parsed.blocks)),
        site=page.site,
    )


def _language(declared: str, text: str) -> str | None:
    """The declared language's primary subtag ("en-GB" is "en"), else a guess from the text's function words."""
    primary = declared.replace("_", "-").split("-")[0].strip().lower()
    if primary.isalpha() and 2 <= len(primary) <= 3:
        return primary
    return guess_language(tokenize(text))


def evaluate_pages(pages: Iterable[LabelledPage], model: Model, *, threshold: float | str | None = None) -> Report:
    """Score a model on labelled pages at ``threshold`` (a number or a preset; default: the model's)."""
    return evaluate_models(pages, [model], threshold=threshold)[0]


def evaluate_models(
    pages: Iterable[LabelledPage], models: list[Model], *, threshold: float | str | None = None
) -> list[Report]:
    """:func:`evaluate_pages` for several models at once, each page parsed, featurized and labelled once.

    Each model is scored at ``threshold`` read as its own cut (a preset or the default: its operating point).
    """
    cuts = [model.cut(threshold) for model in models]
    terms = any(model.reads_terms for model in models)
    results: list[list[PageResult]] = [[] for _ in models]
    for page in pages:
        read = _read(page, terms)
        for model, cut, found in zip(models, cuts, results, strict=True):
            found.append(_page_result(page, read, model, cut))
    return [
        Report(found, cut, {name: model.cut(name) for name in PRESETS if name != "balanced"} if model.presets else {})
        for model, cut, found in zip(models, cuts, results, strict=True)
    ]
