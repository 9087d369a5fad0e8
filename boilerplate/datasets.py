"""Readers for labelled pages: HTML with the gold main text beside it.

The WCXB layout (``html/NNNN.html.gz``, ``ground-truth/NNNN.json`` and an
optional ``splits.json``) is read here; training and evaluation take the
records it yields.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import DataError
from .segmentation import Page

__all__ = ["Annotation", "LabelledPage", "block_annotations", "is_wcxb", "load_wcxb"]


@dataclass(frozen=True)
class LabelledPage:
    """One page and what a correct extraction of it contains."""

    page_id: str
    html: bytes
    main_text: str  # the gold main text the benchmark scores against
    title: str = ""
    url: str | None = None
    page_type: str | None = None
    with_snippets: tuple[str, ...] = field(default=(), repr=False)
    without_snippets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def site(self) -> str:
        """Host name, used to keep each site in one fold of a cross-validation."""
        if not self.url:
            return self.page_id
        host = urlsplit(self.url).hostname or self.page_id
        return host.removeprefix("www.")

    @property
    def reference(self) -> str:
        """Text to align blocks with: the headline belongs to the content too."""
        return f"{self.title}\n\n{self.main_text}" if self.title else self.main_text


def is_wcxb(root: Path) -> bool:
    return (root / "html").is_dir() and (root / "ground-truth").is_dir()


def load_wcxb(root: str | Path, split: str | None = None) -> Iterator[LabelledPage]:
    """Pages of a WCXB-layout folder, in id order; ``split`` picks a subset from ``splits.json``."""
    root = Path(root)
    if not is_wcxb(root):
        raise DataError(f"{root} is not a WCXB folder (needs html/ and ground-truth/)")
    page_types: dict[str, str] = {}
    wanted: set[str] | None = None
    splits_path = root / "splits.json"
    if splits_path.exists():
        splits = json.loads(splits_path.read_text())
        page_types = splits.get("page_types", {})
        if split is not None:
            if split not in splits:
                raise DataError(f"{splits_path} has no split {split!r}")
            wanted = set(splits[split])
    elif split is not None:
        raise DataError(f"{root} has no splits.json to take split {split!r} from")
    for truth_path in sorted((root / "ground-truth").glob("*.json")):
        page_id = truth_path.stem
        if wanted is not None and page_id not in wanted:
            continue
        html_path = root / "html" / f"{page_id}.html.gz"
        if not html_path.exists():
            html_path = root / "html" / f"{page_id}.html"
        if not html_path.exists():
            raise DataError(f"no HTML for {truth_path}")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        gold = truth.get("ground_truth", {})
        page_type = page_types.get(page_id) or truth.get("_internal", {}).get("page_type", {}).get("primary")
        if page_type == "category":
            page_type = "collection"
        data = gzip.decompress(html_path.read_bytes()) if html_path.suffix == ".gz" else html_path.read_bytes()
        yield LabelledPage(
            page_id=page_id,
            html=data,
            main_text=gold.get("main_content") or "",
            title=gold.get("title") or "",
            url=truth.get("url"),
            page_type=page_type,
            with_snippets=tuple(gold.get("with") or ()),
            without_snippets=tuple(gold.get("without") or ()),
        )


@dataclass(frozen=True)
class Annotation:
    """The hand-made label of one block of an annotated page."""

    label: str | None  # "content", "chrome", or None when no enclosing element is labelled
    kind: str | None = None  # for chrome: the data-chrome value of the labelled element


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
                    label = node.get("data-label")
                    if label:
                        annotation = Annotation(label.strip().lower(), kind if label.strip() == "chrome" else None)
                        break
            cache[block.xpath] = annotation
        found.append(annotation)
    return found
