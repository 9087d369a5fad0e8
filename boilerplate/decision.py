"""Each page its own cut: the model's scores adjusted to the page before the cut is applied.

One cut for every page serves the average page. A page whose blocks the model
is sure of can afford a strict cut; on a page where it is unsure (a grid of
cards, a service page of short sections) the strict cut keeps almost nothing,
and the words lost cost more than the chrome a looser cut lets in. The
benchmark scores each page by its word F1, and for a page whose blocks are
content with probabilities ``p`` and hold ``w`` words each, keeping the blocks
that score ``p >= t`` gives an expected word F1 of about
``2 * sum(p*w, kept) / (sum(w, kept) + sum(p*w, all))``. That is highest when
``t`` is half the best expected F1 itself, so each page gets the cut half its
own best expected F1, and the model's cut is then read against it: a block's
adjusted score is its probability with the page's cut taken out of its
log-odds, so that the adjusted score 0.5 sits at the page's own cut and a
model's threshold above or below 0.5 makes every page stricter or looser.

Blocks of a few words (buttons, labels, a date) carry few words and most of
the chrome a page keeps, and the block-level precision counts each of them as
much as a paragraph. So each block gets its own cut: keeping block ``i``
changes the page's expected word F1 by about ``w_i * (2 * p_i - F) / D`` (``F``
the page's best expected F1, ``D`` the words it weighs: those kept at that
best plus the expected words of the gold text) and the page's expected count
of content blocks kept, less ``q`` times all the blocks kept, by ``p_i - q``.
Weighing the second by ``block_weight`` and keeping the block where the sum is
positive gives the cut ``(w_i * F + c * q) / (2 * w_i + c)`` with
``c = block_weight * D``: the page's cut for a long block, rising toward ``q``
(``block_precision``) as its words fall to none. ``c`` grows with the page,
so a page of many blocks holds its short ones to a higher bar, as a precision
pooled over the blocks of many pages would ask. (Models trained before this
lowered the log-odds of blocks of one or two words by a fixed step instead:
``short_words`` and ``short_penalty``.)

The settings were chosen on out-of-fold scores of the wcxb-dev training pages
(see the README, "Each page its own cut").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = ["PageDecision"]

_EDGE = 1e-9  # scores are clipped this far inside (0, 1) before their log-odds are taken


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(p, _EDGE, 1.0 - _EDGE)
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class PageDecision:
    """How a page's settled scores are adjusted to the page (see the module's docstring).

    ``power``: the scores are raised to it when the page's expected word F1 is
    estimated; with 2, blocks of middling score count for less than their score
    says, and the page's cut comes out lower where the model is unsure.
    ``floor``: no page's own cut goes below it.
    ``short_words`` and ``short_penalty``: blocks of at most that many words
    have their log-odds lowered by the penalty.
    ``block_weight`` and ``block_precision``: with a weight above 0, each
    block's cut slides from the page's cut toward ``block_precision`` as its
    words fall (see the module's docstring); 0 gives every block the page's cut.
    """

    power: float = 2.0
    floor: float = 0.15
    short_words: int = 2
    short_penalty: float = 0.5
    block_weight: float = 0.0
    block_precision: float = 0.9

    def page_cut(self, scores: np.ndarray, words: np.ndarray) -> float:
        """Half the best expected word F1 of keeping the page's top-scoring blocks, not below ``floor``."""
        if len(scores) == 0:
            return self.floor
        return max(self._best(scores, words)[0] / 2.0, self.floor)

    def _best(self, scores: np.ndarray, words: np.ndarray) -> tuple[float, float]:
        """The best expected word F1 of keeping the top-scoring blocks, and the words it weighs there."""
        order = np.argsort(-scores, kind="stable")
        gain = (np.clip(scores, 0.0, 1.0) ** self.power * words)[order]
        weighed = np.cumsum(words[order]) + gain.sum()
        expected = 2.0 * np.cumsum(gain) / np.maximum(weighed, _EDGE)
        best = int(np.argmax(expected))
        return float(expected[best]), float(weighed[best])

    def block_cuts(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Each block's own cut: the page's for long blocks, toward ``block_precision`` for short ones."""
        if len(scores) == 0 or self.block_weight <= 0.0:
            return np.full(len(scores), self.page_cut(scores, words))
        best, weighed = self._best(scores, words)
        c = self.block_weight * max(weighed, _EDGE)
        return np.maximum((words * best + c * self.block_precision) / (2.0 * words + c), self.floor)

    def adjust(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """The page's scores with its own cut taken out of their log-odds; a score of 0 stays 0.

        Within a page, blocks keep their order except that short ones move down
        (by their own cut, or by the same step); a block scoring exactly 0 (certain
        chrome, a copy) stays 0 whatever the cut.
        """
        scores = np.asarray(scores, dtype=np.float64)
        words = np.asarray(words, dtype=np.float64)
        if len(scores) != len(words):
            raise ValueError(f"{len(scores)} scores for {len(words)} word counts")
        if len(scores) == 0:
            return scores.copy()
        shift = _logit(self.block_cuts(scores, words)) + self.short_penalty * (words <= self.short_words)
        adjusted = 1.0 / (1.0 + np.exp(shift - _logit(scores)))
        return np.where(scores > 0.0, adjusted, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
