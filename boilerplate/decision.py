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

Blocks of one or two words (buttons, labels, a date) carry few words and most
of the chrome a page keeps, so their log-odds are lowered a little more.

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
    """

    power: float = 2.0
    floor: float = 0.15
    short_words: int = 2
    short_penalty: float = 0.5

    def page_cut(self, scores: np.ndarray, words: np.ndarray) -> float:
        """Half the best expected word F1 of keeping the page's top-scoring blocks, not below ``floor``."""
        if len(scores) == 0:
            return self.floor
        order = np.argsort(-scores, kind="stable")
        gain = (np.clip(scores, 0.0, 1.0) ** self.power * words)[order]
        kept = np.cumsum(words[order])
        expected = 2.0 * np.cumsum(gain) / np.maximum(kept + gain.sum(), _EDGE)
        return max(float(expected.max()) / 2.0, self.floor)

    def adjust(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """The page's scores with its own cut taken out of their log-odds; a score of 0 stays 0.

        Within a page, blocks keep their order except that short ones move down
        by the same step; a block scoring exactly 0 (certain chrome, a copy) stays
        0 whatever the cut.
        """
        scores = np.asarray(scores, dtype=np.float64)
        words = np.asarray(words, dtype=np.float64)
        if len(scores) != len(words):
            raise ValueError(f"{len(scores)} scores for {len(words)} word counts")
        if len(scores) == 0:
            return scores.copy()
        shift = _logit(self.page_cut(scores, words)) + self.short_penalty * (words <= self.short_words)
        adjusted = 1.0 / (1.0 + np.exp(shift - _logit(scores)))
        return np.where(scores > 0.0, adjusted, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
