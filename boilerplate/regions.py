"""The regions of the page each block belongs to: what the model's second stage pools over.

A block's label is shared with the blocks around it in the tree, not only
with those before and after it in reading order: the cards of a listing,
the posts of a forum thread and the rows of a specification table each
repeat one piece of markup, and either all of them are content or none is.
The second stage of :class:`boilerplate.model.BlockClassifier` reads, for
each block, the first stage's scores pooled over each of its regions.

A region is a set of blocks of one page, named by a page-local integer:

``up1``, ``up2``, ``up3``
    the blocks under the same parent, grandparent and great-grandparent
    element (the block's XPath cut by one, two or three steps);
``same_markup``
    the blocks with the same tag path (the XPath without positions) and
    the same class and id tokens: the items of a repeated template;
``same_parent_path``
    the blocks whose parents have the same tag path: the cells of sibling
    rows, the paragraphs of sibling posts.
"""

from __future__ import annotations

import re

import numpy as np

from .segmentation import Page

__all__ = ["REGION_NAMES", "block_regions"]

REGION_NAMES = ("up1", "up2", "up3", "same_markup", "same_parent_path")

_POSITION = re.compile(r"\[\d+\]")


def block_regions(page: Page) -> np.ndarray:
    """One column per :data:`REGION_NAMES`: each block's region, numbered within the page."""
    numbers: list[dict[str, int]] = [{} for _ in REGION_NAMES]
    rows = []
    for block in page.blocks:
        path = block.xpath
        parent = path.rpartition("/")[0]
        grandparent = parent.rpartition("/")[0]
        template = _POSITION.sub("", path)
        keys = (
            parent,
            grandparent,
            grandparent.rpartition("/")[0],
            template + "|" + block.classes,
            template.rpartition("/")[0],
        )
        rows.append([number.setdefault(key, len(number)) for number, key in zip(numbers, keys, strict=True)])
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(REGION_NAMES))
