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

from .segmentation import Page

__all__ = ["TERM_GROUPS", "Terms", "block_terms", "MAX_WORDS", "ANCESTORS"]

TERM_GROUPS = ("words", "markup")
Terms = dict[str, list[list[str]]]  # group name -> the terms of every block (or row of a feature matrix)
MAX_WORDS = 60
ANCESTORS = 4

_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


def block_terms(page: Page, words: list[list[str]] | None = None) -> Terms:
    """Terms of every block of the page, per group of :data:`TERM_GROUPS`.

    ``words`` are the lower-cased words of each block when the caller has
    them already (:func:`boilerplate.features.block_words`).
    """
    blocks = page.blocks
    if words is None:
        words = [_WORD.findall(b.text.lower()) for b in blocks]
    word_terms = [ws[:MAX_WORDS] for ws in words]

    # Blocks of one container share their classes and ancestors, so each string is split once per page.
    own: dict[str, list[str]] = {}
    around: dict[str, list[str]] = {}
    paths: dict[tuple[str, str], list[str]] = {}
    markup_terms = []
    for block in blocks:
        classes = own.get(block.classes)
        if classes is None:
            classes = own[block.classes] = _own_class_terms(block.classes)
        ancestors = around.get(block.ancestor_classes)
        if ancestors is None:
            ancestors = around[block.ancestor_classes] = _ancestor_class_terms(block.ancestor_classes)
        key = (block.tag, block.ancestor_tags)
        tags = paths.get(key)
        if tags is None:
            steps = [*block.ancestor_tags.split()[-2:], block.tag]
            tags = paths[key] = ["t:" + block.tag, "pt:" + "/".join(steps)]
        markup_terms.append(classes + ancestors + tags)
    return {"words": word_terms, "markup": markup_terms}


def _own_class_terms(classes: str) -> list[str]:
    terms = []
    for token in dict.fromkeys(classes.split()):
        terms.append("c:" + token)
        terms += ["cp:" + piece for piece in _LETTERS.findall(token)]
    return terms


def _ancestor_class_terms(ancestor_classes: str) -> list[str]:
    nearest = " ".join(ancestor_classes.split(" | ")[-ANCESTORS:])
    return ["ap:" + piece for piece in dict.fromkeys(_LETTERS.findall(nearest))]
