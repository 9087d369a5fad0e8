"""HTML to feature matrix: the one path every entry point takes.

Classification, training and evaluation all call :func:`page_features`, so a
page is turned into blocks, features and terms the same way everywhere.
"""

from __future__ import annotations

import numpy as np

from .features import block_words, featurize
from .parsing import DEFAULT_LIMITS, Limits, limit_input, parse_html
from .segmentation import Page, segment
from .terms import Terms, block_terms

__all__ = ["page_features"]


def page_features(
    html: str | bytes,
    *,
    url: str | None = None,
    encoding: str | None = None,
    terms: bool = True,
    limits: Limits | None = None,
    read_hidden: bool = True,
) -> tuple[Page, np.ndarray, Terms | None]:
    """Parse, segment and featurize one page: its blocks, their feature matrix and their terms.

    ``terms=False`` skips the terms (None in their place) for a model that reads none. A page
    beyond ``limits`` (default :data:`boilerplate.parsing.DEFAULT_LIMITS`) raises
    :class:`boilerplate.errors.LimitError`, or is cut when the limits say ``truncate``.
    ``read_hidden=False`` leaves hidden elements out, as training does (see :func:`boilerplate.segmentation.segment`).
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    html, truncated = limit_input(html, limits)
    page = segment(
        parse_html(html, encoding=encoding), url=url, max_elements=limits.max_elements, read_hidden=read_hidden
    )
    page.truncated = truncated
    if not terms:
        return page, featurize(page), None
    words = block_words(page)
    return page, featurize(page, words), block_terms(page, words)
