"""Block labels for a labelled page: from its annotations or from its gold text.

Annotated pages say what each block is with ``data-label`` attributes; pages
with gold main text are labelled by aligning blocks with that text
(:mod:`boilerplate.alignment`). Either way the result is a
:class:`PageLabels`, which training and evaluation share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .alignment import align_blocks, tokenize
from .datasets import LabelledPage
from .segmentation import Page

__all__ = ["UNKNOWN", "Annotation", "PageLabels", "block_annotations", "label_blocks"]

UNKNOWN = -1  # a block no annotation covers: reported, and left out of training and scoring


@dataclass(frozen=True)
class Annotation:
    """The hand-made label of one block of an annotated page."""

    label: str | None  # "content", "chrome", or None when no enclosing element is labelled
    kind: str | None = None  # for chrome: the data-chrome value at or below the labelled element


@dataclass(frozen=True)
class PageLabels:
    """Labels of a page's blocks (1 content, 0 chrome, -1 unknown) and the text to score against."""

    labels: np.ndarray
    kinds: list[str | None]
    gold_text: str
    ambiguous: int = 0  # aligned blocks whose words are partly in the gold text
    unlabelled: int = 0  # annotated-page blocks that no data-label covers


def block_annotations(page: Page) -> list[Annotation]:
    """Labels of an annotated page's blocks from ``data-label``/``data-chrome`` attributes.

    A block takes the label of its nearest enclosing element that has a
    ``data-label``; the kind comes from the nearest ``data-chrome`` at or
    below that element.
    """
    if page.tree is None:
        return []
    found: list[Annotation] = []
    cache: dict[str, Annotation] = {}
    for block in page.blocks:
        annotation = cache.get(block.xpath)
        if annotation is None:
            annotation = Annotation(None)
            kind = None
            for el in page.tree.xpath(block.xpath):
                for node in (el, *el.iterancestors()):
                    kind = kind or node.get("data-chrome")
                    label = (node.get("data-label") or "").strip().lower()
                    if label:
                        annotation = Annotation(label, kind if label == "chrome" else None)
                        break
                else:
                    annotation = _inline_annotation(el, block.text)
            cache[block.xpath] = annotation
        found.append(annotation)
    return found


def _inline_annotation(el, text: str) -> Annotation:
    """The label of a block whose text sits in a labelled inline child (``<a data-label>`` in a bare div)."""
    labelled = [
        node
        for node in el.iterdescendants()
        if isinstance(node.tag, str) and node.get("data-label") and " ".join("".join(node.itertext()).split()) in text
    ]
    labels = {(n.get("data-label") or "").strip().lower() for n in labelled}
    if len(labels) != 1:
        return Annotation(None)
    label = labels.pop()
    kinds = [n.get("data-chrome") for n in labelled if n.get("data-chrome")]
    return Annotation(label, kinds[0] if label == "chrome" and kinds else None)


def label_blocks(page: LabelledPage, parsed: Page) -> PageLabels:
    """Labels of ``parsed`` (the segmented ``page``)."""
    if page.annotated:
        annotations = block_annotations(parsed)
        values = {"content": 1, "chrome": 0}
        labels = np.array([values.get(a.label or "", UNKNOWN) for a in annotations], dtype=np.int8)
        gold = "\n\n".join(b.text for b, v in zip(parsed.blocks, labels, strict=True) if v == 1)
        return PageLabels(labels, [a.kind for a in annotations], gold, unlabelled=int((labels == UNKNOWN).sum()))
    alignment = align_blocks([b.text for b in parsed.blocks], page.reference)
    labels = alignment.labels.copy()
    _standfirst_is_content(parsed, labels)
    return PageLabels(
        labels,
        [None] * len(parsed.blocks),
        page.main_text,
        ambiguous=int(alignment.ambiguous.sum()),
    )


def _standfirst_is_content(parsed: Page, labels: np.ndarray) -> None:
    """Label the article's standfirst content when the gold text left it out.

    Gold main texts often omit the standfirst (the summary under the
    headline), yet a reader came for it too. A block at the top of the
    content run that the page's own meta description repeats is taken as
    the standfirst.
    """
    content = np.flatnonzero(labels == 1)
    description = set(tokenize(parsed.description))
    if not len(content) or len(description) < 5:
        return
    for i in range(max(content[0] - 3, 0), min(content[0] + 4, content[-1])):
        words = tokenize(parsed.blocks[i].text)
        if labels[i] == 0 and len(words) >= 5:
            shared = sum(1 for w in words if w in description)
            if shared >= 0.8 * len(words) and shared >= 0.8 * len(description):
                labels[i] = 1
