"""The words and markup of each block as strings: what the model's term scorers read.

The numeric features describe a block's shape (length, links, position,
a fixed vocabulary of class names). Terms keep what those numbers lose: the
words themselves ("add to cart", "posted by", "read more") and the full
class and tag vocabulary of the block and its ancestors ("product-title",
"price", "post-body"), in any language and for any site builder. The model
hashes them and scores them with a linear model per group (see
:class:`boilerplate.model.BlockClassifier`), whose score becomes one more
input of the booster.

Two groups, each a list of terms per block:

``words``
    the block's first :data:`MAX_WORDS` words, lower-cased (word pairs were
    measured too: they took more time and gave nothing more);
``markup``
    the class and id tokens of the block's element and inline children
    (``c:``) and their letter runs (``cp:``, so ``product-card__title`` also
    gives ``product``, ``card`` and ``title``), the letter runs of the
    tokens of the :data:`ANCESTORS` nearest enclosing elements (``ap:``),
    the block's tag (``t:``) and its tag path of three steps (``pt:``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .features import block_words
from .segmentation import Page

__all__ = ["TERM_GROUPS", "Terms", "block_terms", "MAX_WORDS", "ANCESTORS"]

TERM_GROUPS = ("words", "markup")
Terms = dict[str, list[list[str]]]  # group name -> the terms of every block (or row of a feature matrix)
MAX_WORDS = 60
ANCESTORS = 4

_LETTERS = re.compile(r"[^\W\d_]+")


def block_terms(page: Page, words: list[list[str]] | None = None) -> Terms:
    """Terms of every block of the page, per group of :data:`TERM_GROUPS`.

    ``words`` are the lower-cased words of each block when the caller has
    them already (:func:`boilerplate.features.block_words`).
    """
    if words is None:
        words = block_words(page)
    # Blocks of one container share their markup, so each block's markup terms are made once per page.
    made: dict[tuple[str, str, str, str], list[str]] = {}
    markup = []
    for block in page.blocks:
        key = (block.classes, block.ancestor_classes, block.tag, block.ancestor_tags)
        terms = made.get(key)
        if terms is None:
            terms = made[key] = _markup_terms(*key)
        markup.append(terms)
    return {"words": [ws[:MAX_WORDS] for ws in words], "markup": markup}


def _markup_terms(classes: str, ancestor_classes: str, tag: str, ancestor_tags: str) -> list[str]:
    nearest = ancestor_classes.rsplit(" | ", ANCESTORS)[-ANCESTORS:]
    path = "/".join([*ancestor_tags.rsplit(None, 2)[-2:], tag])
    return [*_class_terms(classes), *_ancestor_terms(" ".join(nearest)), "t:" + tag, "pt:" + path]


# Sites reuse their class names on every page and builders reuse them across sites, so the terms
# of a class attribute and of an ancestor chain are made once and remembered (8,192 of each, some
# 20 MB at most: a long crawl must not grow without bound).
@lru_cache(maxsize=1 << 13)
def _class_terms(classes: str) -> tuple[str, ...]:
    terms = []
    for token in dict.fromkeys(classes.split()):
        terms.append("c:" + token)
        terms += ["cp:" + piece for piece in _LETTERS.findall(token)]
    return tuple(terms)


@lru_cache(maxsize=1 << 13)
def _ancestor_terms(nearest: str) -> tuple[str, ...]:
    return tuple("ap:" + piece for piece in dict.fromkeys(_LETTERS.findall(nearest)))
