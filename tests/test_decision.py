"""Each page its own cut: the expected-F1 cut and the adjusted scores."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boilerplate.decision import PageDecision

PLAIN = PageDecision(power=1.0, floor=0.0, short_words=0, short_penalty=0.0)

# A page as its blocks' scores and word counts.
PAGES = st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 400)), min_size=1, max_size=40).map(
    lambda blocks: (np.array([s for s, _ in blocks]), np.array([w for _, w in blocks], dtype=np.float64))
)


def brute_force_cut(scores, words):
    """Half the best expected F1 over every prefix of the blocks sorted by score, as a sum over blocks."""
    order = np.argsort(-scores, kind="stable")
    total = float((scores * words).sum())
    best = 0.0
    for k in range(1, len(scores) + 1):
        kept = order[:k]
        denominator = float(words[kept].sum()) + total
        if denominator:  # no words anywhere: nothing to expect
            best = max(best, 2 * float((scores[kept] * words[kept]).sum()) / denominator)
    return best / 2


def test_the_page_cut_is_half_the_best_expected_f1():
    scores = np.array([0.95, 0.9, 0.6, 0.3, 0.1])
    words = np.array([40.0, 25.0, 10.0, 6.0, 3.0])
    assert PLAIN.page_cut(scores, words) == pytest.approx(brute_force_cut(scores, words))
    # The blocks the expected-F1 cut keeps are those that raise the expected F1: here the first three.
    assert 0.3 < PLAIN.page_cut(scores, words) < 0.6


def test_a_page_the_model_is_unsure_of_gets_a_looser_cut():
    words = np.array([30.0, 30.0, 30.0, 5.0, 5.0])
    sure = PLAIN.page_cut(np.array([0.97, 0.95, 0.9, 0.05, 0.02]), words)
    unsure = PLAIN.page_cut(np.array([0.45, 0.4, 0.35, 0.05, 0.02]), words)
    assert unsure < sure
    assert unsure < 0.35  # all three paragraphs are kept at 0.5 on the adjusted scale
    adjusted = PLAIN.adjust(np.array([0.45, 0.4, 0.35, 0.05, 0.02]), words)
    assert (adjusted[:3] >= 0.5).all() and (adjusted[3:] < 0.5).all()


def test_the_floor_bounds_the_page_cut():
    scores = np.array([0.2, 0.1, 0.05])
    words = np.array([10.0, 10.0, 10.0])
    assert PLAIN.page_cut(scores, words) < 0.15
    assert PageDecision(power=1.0, floor=0.15).page_cut(scores, words) == 0.15


def test_the_power_counts_middling_scores_for_less():
    scores = np.array([0.9, 0.6, 0.5, 0.5])
    words = np.array([20.0, 20.0, 20.0, 20.0])
    squared = PageDecision(power=2.0, floor=0.0, short_penalty=0.0)
    assert squared.page_cut(scores, words) < PLAIN.page_cut(scores, words)


def test_short_blocks_are_held_to_a_higher_bar():
    scores = np.array([0.9, 0.55, 0.55, 0.1])
    words = np.array([50.0, 2.0, 12.0, 4.0])
    adjusted = PageDecision(short_words=2, short_penalty=0.5).adjust(scores, words)
    assert adjusted[1] < adjusted[2]  # the same score, two words against twelve
    plain = PageDecision(short_words=2, short_penalty=0.0).adjust(scores, words)
    assert adjusted[2] == pytest.approx(plain[2]) and adjusted[1] < plain[1]


def test_certain_chrome_stays_at_zero_and_an_empty_page_stays_empty():
    adjusted = PageDecision().adjust(np.array([0.0, 0.7, 0.0]), np.array([5.0, 30.0, 8.0]))
    assert adjusted[0] == 0.0 and adjusted[2] == 0.0 and adjusted[1] > 0.0
    assert PageDecision().adjust(np.zeros(0), np.zeros(0)).shape == (0,)
    assert PageDecision().adjust(np.zeros(3), np.array([1.0, 0.0, 4.0])).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="3 scores for 2 word counts"):
        PageDecision().adjust(np.ones(3), np.ones(2))


@given(PAGES)
def test_adjusted_scores_are_probabilities_in_the_pages_order(page):
    scores, words = page
    adjusted = PLAIN.adjust(scores, words)
    assert np.isfinite(adjusted).all() and (adjusted >= 0).all() and (adjusted <= 1).all()
    order = np.argsort(scores, kind="stable")
    assert (np.diff(adjusted[order]) >= -1e-12).all()  # no short-block step: the order is the scores'
    assert PLAIN.page_cut(scores, words) == pytest.approx(brute_force_cut(scores, words))


BLOCKWISE = PageDecision(power=1.0, floor=0.0, short_penalty=0.0, block_weight=0.01, block_precision=0.9)


def test_each_block_cut_slides_from_the_page_cut_to_the_block_precision():
    scores = np.array([0.95, 0.9, 0.6, 0.3, 0.1])
    words = np.array([400.0, 250.0, 3.0, 1.0, 0.0])
    cuts = BLOCKWISE.block_cuts(scores, words)
    page = PLAIN.page_cut(scores, words)
    assert cuts[0] == pytest.approx(page, abs=0.01)  # a long block: nearly the page's own cut
    assert cuts[4] == pytest.approx(0.9)  # no words: the block precision asked for
    assert (np.diff(cuts[np.argsort(-words)]) >= 0).all()  # fewer words, a higher bar
    assert PLAIN.block_cuts(scores, words).tolist() == [page] * 5  # no weight: the page's cut for all


def test_a_larger_page_holds_its_short_blocks_to_a_higher_bar():
    small_scores, small_words = np.array([0.9, 0.6]), np.array([100.0, 3.0])
    large_scores = np.concatenate([small_scores, np.full(40, 0.9)])
    large_words = np.concatenate([small_words, np.full(40, 100.0)])
    small = BLOCKWISE.block_cuts(small_scores, small_words)[1]
    large = BLOCKWISE.block_cuts(large_scores, large_words)[1]
    assert small < large < 0.9


def test_a_short_block_is_dropped_where_a_long_one_of_its_score_is_kept():
    scores = np.array([0.9, 0.55, 0.55, 0.1])
    words = np.array([50.0, 1.0, 60.0, 4.0])
    adjusted = BLOCKWISE.adjust(scores, words)
    assert adjusted[2] >= 0.5 > adjusted[1]
    assert BLOCKWISE.block_cuts(np.zeros(0), np.zeros(0)).shape == (0,)
    assert BLOCKWISE.adjust(np.zeros(3), np.array([1.0, 0.0, 4.0])).tolist() == [0.0, 0.0, 0.0]


@given(PAGES)
def test_block_cuts_lie_between_the_page_cut_and_the_block_precision(page):
    scores, words = page
    cuts = BLOCKWISE.block_cuts(scores, words)
    page_cut = PLAIN.page_cut(scores, words)
    low, high = min(page_cut, 0.9), max(page_cut, 0.9)
    assert np.isfinite(cuts).all() and (cuts >= low - 1e-9).all() and (cuts <= high + 1e-9).all()
    adjusted = BLOCKWISE.adjust(scores, words)
    assert np.isfinite(adjusted).all() and (adjusted >= 0).all() and (adjusted <= 1).all()
