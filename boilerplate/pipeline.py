"""HTML to feature matrix: the one path every entry point takes.

Classification, training and evaluation all call :func:`page_features`, so a
page is turned into blocks and features the same way everywhere.
"""

from __future__ import annotations

import numpy as np

from .features import featurize
from .parsing import parse_html
from .segmentation import Page, segment

__all__ = ["page_features"]


def page_features(html: str | bytes, *, url: str | None = None, encoding: str | None = None) -> tuple[Page, np.ndarray]:
    """Parse, segment and featurize one page."""
    page = segment(parse_html(html, encoding=encoding), url=url)
    return page, featurize(page)
