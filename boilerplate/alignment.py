"""Label blocks by aligning their text with a page's gold main text.

Datasets such as WCXB give the main text of a page, not the label of each
DOM block. This module recovers block labels: the page's words (all blocks,
in order) are aligned with the gold words, and a block is content when most
of its words fall inside the alignment.

The alignment is the longest chain of word trigrams shared by the page and
the gold text in the same order on both sides (Hunt-Szymanski: a longest
increasing subsequence over trigram matches). Trigrams span block
boundaries, so a one-word heading followed by its paragraph aligns, while
the same word in a menu does not; requiring order keeps a teaser or a
"related" box that repeats a sentence of the article from claiming it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Alignment", "align_blocks", "tokenize"]

_WORD = re.compile(r"\w+")
# A trigram seen more often than this in the gold text carries no position information.
_MAX_OCCURRENCES = 64


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, as the benchmark's word-level metric counts them."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Alignment:
    """Per-block result of aligning a page with its gold text."""

    matched: np.ndarray  # share of each block's words inside the alignment (0 for blocks without words)
    words: np.ndarray  # words per block
    threshold: float = 0.5

    @property
    def labels(self) -> np.ndarray:
        """1 for content (most words aligned), 0 for chrome."""
        return (self.matched >= self.threshold).astype(np.int8)

    @property
    def ambiguous(self) -> np.ndarray:
        """Blocks with words whose aligned share is neither clearly high nor clearly low."""
        return (self.words > 0) & (self.matched > 0.2) & (self.matched < 0.8)


def _longest_chain(page_ids: list[int], gold_ids: list[int], n: int) -> list[int]:
    """Start positions in the page of the n-grams in the longest ordered n-gram chain."""
    index: dict[tuple[int, ...], list[int]] = {}
    for j in range(len(gold_ids) - n + 1):
        index.setdefault(tuple(gold_ids[j : j + n]), []).append(j)
    pair_i: list[int] = []
    pair_j: list[int] = []
    for i in range(len(page_ids) - n + 1):
        where = index.get(tuple(page_ids[i : i + n]))
        if where and len(where) <= _MAX_OCCURRENCES:
            # Decreasing gold positions within one page position: at most one of them joins a chain.
            for j in reversed(where):
                pair_i.append(i)
                pair_j.append(j)
    tails: list[int] = []  # smallest gold position ending a chain of each length
    tail_pair: list[int] = []
    previous = [-1] * len(pair_j)
    for k, j in enumerate(pair_j):
        at = bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_pair.append(k)
        else:
            tails[at] = j
            tail_pair[at] = k
        previous[k] = tail_pair[at - 1] if at else -1
    chain: list[int] = []
    k = tail_pair[-1] if tail_pair else -1
    while k >= 0:
        chain.append(pair_i[k])
        k = previous[k]
    return chain


def align_blocks(block_texts: Sequence[str], gold: str, *, threshold: float = 0.5) -> Alignment:
    """Align blocks (in page order) with the gold text of the page."""
    block_words = [tokenize(text) for text in block_texts]
    counts = np.fromiter((len(w) for w in block_words), dtype=np.int64, count=len(block_words))
    gold_words = tokenize(gold)
    stream = [w for words in block_words for w in words]
    if not stream or not gold_words:
        return Alignment(np.zeros(len(block_words)), counts, threshold)
    vocabulary: dict[str, int] = {}
    page_ids = [vocabulary.setdefault(w, len(vocabulary)) for w in stream]
    gold_ids = [vocabulary.setdefault(w, len(vocabulary)) for w in gold_words]
    n = 3 if len(gold_ids) >= 3 else 1
    covered = np.zeros(len(stream), dtype=np.int64)
    for start in _longest_chain(page_ids, gold_ids, n):
        covered[start : start + n] = 1
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has_words = counts > 0
    matched = np.zeros(len(block_words))
    if has_words.any():
        sums = np.add.reduceat(covered, starts[has_words])
        matched[has_words] = sums / counts[has_words]
    return Alignment(matched, counts, threshold)
