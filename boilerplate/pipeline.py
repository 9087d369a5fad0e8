"""HTML to what a model reads: the one path every entry point takes.

Classification, training and evaluation all call :func:`page_features`, so a
page is turned into blocks, features, terms and regions the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import block_words, featurize
from .parsing import parse_html
from .regions import block_regions
from .segmentation import Page, segment
from .terms import Terms, block_terms

__all__ = ["PageInputs", "page_features"]


@dataclass
class PageInputs:
    """One page's blocks and what a model reads of them, one row per block."""

    page: Page
    X: np.ndarray  # features (boilerplate.features)
    terms: Terms | None  # terms by group (boilerplate.terms), None where not asked for
    regions: np.ndarray  # the blocks' regions (boilerplate.regions)


def page_features(
    html: str | bytes, *, url: str | None = None, encoding: str | None = None, terms: bool = True
) -> PageInputs:
    """Parse, segment and featurize one page.

    ``terms=False`` skips the terms (None in their place) for a model that reads none.
    """
    page = segment(parse_html(html, encoding=encoding), url=url)
    words = block_words(page)
    return PageInputs(page, featurize(page, words), block_terms(page, words) if terms else None, block_regions(page))
