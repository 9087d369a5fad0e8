"""Readers for labelled pages, in every layout that training and evaluation take.

* Annotated HTML: elements carry ``data-label="content|chrome"`` (and
  ``data-chrome="KIND"``); ``<html data-page-type>`` and ``<link
  rel="canonical">`` give the page type and the site.
* HTML with gold text: the WCXB layout (``html/NNNN.html.gz`` +
  ``ground-truth/NNNN.json`` + optional ``splits.json``); a JSON map
  ``{id: {"articleBody": ...}}`` beside ``html/<id>.html(.gz)``; plain pairs
  ``page.html`` + ``page.txt``.

:func:`load_labelled` tells the layouts apart. Every reader yields
:class:`LabelledPage` records; turning them into block labels is
:mod:`boilerplate.labelling`'s job.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import DataError

__all__ = [
    "LabelledPage",
    "detect_format",
    "is_annotated",
    "is_wcxb",
    "load_annotated",
    "load_json_map",
    "load_labelled",
    "load_pairs",
    "load_wcxb",
]


@dataclass(frozen=True)
class LabelledPage:
    """One page and what a correct extraction of it contains."""

    page_id: str
    html: bytes
    main_text: str = ""  # the gold main text (empty for annotated pages: their labels are in the HTML)
    annotated: bool = False  # labels come from data-label attributes rather than from gold text
    title: str = ""
    url: str | None = None
    page_type: str | None = None
    with_snippets: tuple[str, ...] = field(default=(), repr=False)
    without_snippets: tuple[str, ...] = field(default=(), repr=False)
    expected_paywall: dict | None = field(default=None, repr=False)  # from a PAGE.expected.json beside the page

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


_CANONICAL = re.compile(rb"""<link[^>]*rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']([^"'>\s]+)""", re.I)
_PAGE_TYPE = re.compile(rb"""<html[^>]*data-page-type=["']?([\w-]+)""", re.I)
_DATA_LABEL = re.compile(rb"""data-label=["']?(?:content|chrome)""", re.I)


def _read_html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def is_annotated(html: bytes) -> bool:
    """Whether a page carries data-label annotations."""
    return bool(_DATA_LABEL.search(html))


def _annotated_page(html: bytes, page_id: str) -> LabelledPage:
    canonical = _CANONICAL.search(html[:65536])
    href = _HREF.search(canonical.group(0)) if canonical else None
    page_type = _PAGE_TYPE.search(html[:4096])
    return LabelledPage(
        page_id=page_id,
        html=html,
        annotated=True,
        url=href.group(1).decode("utf-8", "replace") if href else None,
        page_type=page_type.group(1).decode("ascii").lower() if page_type else None,
    )


def _html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith((".html", ".htm", ".html.gz")))


def _stem(path: Path) -> str:
    return path.name.removesuffix(".gz").rsplit(".", 1)[0]


def _folder_pages(root: Path, *, annotated: bool = True, pairs: bool = True) -> Iterator[LabelledPage]:
    """Annotated pages and ``.html``/``.txt`` pairs in a file or below a folder."""
    for path in [root] if root.is_file() else _html_files(root):
        page_id = _stem(path) if path == root else str(path.relative_to(root)).removesuffix(".gz")
        html = _read_html(path)
        text_path = path.with_name(_stem(path) + ".txt")
        if annotated and is_annotated(html):
            page = _annotated_page(html, page_id)
            verdict_path = path.with_name(_stem(path) + ".expected.json")
            if verdict_path.exists():
                page = replace(page, expected_paywall=json.loads(verdict_path.read_text(encoding="utf-8")))
            yield page
        elif pairs and text_path.exists():
            yield LabelledPage(page_id=page_id, html=html, main_text=text_path.read_text(encoding="utf-8"))


def load_annotated(root: str | Path) -> Iterator[LabelledPage]:
    """Annotated pages: one file, or every HTML file with data-label attributes below a folder."""
    return _folder_pages(Path(root), pairs=False)


def load_pairs(root: str | Path) -> Iterator[LabelledPage]:
    """Plain pairs: ``page.html`` with its gold main text in ``page.txt`` beside it."""
    return _folder_pages(Path(root), annotated=False)


def _find_json_map(root: Path) -> Path | None:
    for candidate in sorted(root.glob("*.json")):
        if candidate.name == "splits.json":
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        if isinstance(data, dict) and data and all(isinstance(v, dict) and "articleBody" in v for v in data.values()):
            return candidate
    return None


def load_json_map(root: str | Path) -> Iterator[LabelledPage]:
    """A JSON map ``{id: {"articleBody": text, "url": ..., "title": ...}}`` beside ``html/<id>.html(.gz)``."""
    root = Path(root)
    map_path = _find_json_map(root)
    if map_path is None:
        raise DataError(f"{root} has no JSON map of {{id: {{'articleBody': ...}}}}")
    entries = json.loads(map_path.read_text(encoding="utf-8"))
    for page_id in sorted(entries):
        entry = entries[page_id]
        for name in (f"{page_id}.html", f"{page_id}.html.gz", f"{page_id}.htm"):
            path = root / "html" / name
            if path.exists():
                break
        else:
            raise DataError(f"no HTML for {page_id!r} of {map_path} in {root / 'html'}")
        yield LabelledPage(
            page_id=page_id,
            html=_read_html(path),
            main_text=entry.get("articleBody") or "",
            title=entry.get("title") or entry.get("headline") or "",
            url=entry.get("url"),
            page_type=entry.get("page_type"),
        )


def detect_format(path: str | Path) -> str:
    """Name of the layout of a labelled-data path: wcxb, json-map, or html (annotated pages and pairs)."""
    root = Path(path)
    if root.is_dir() and is_wcxb(root):
        return "wcxb"
    if root.is_dir() and (root / "html").is_dir() and _find_json_map(root) is not None:
        return "json-map"
    return "html"


def load_labelled(paths: str | Path | Iterable[str | Path], split: str | None = None) -> Iterator[LabelledPage]:
    """Pages from any mix of the supported layouts; ``split`` applies to WCXB folders.

    A folder of HTML files may mix annotated pages and ``.html``/``.txt``
    pairs. A path that holds no labelled page at all is an error, so a typo
    cannot train a model on nothing.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise DataError(f"{root} does not exist")
        found = 0
        layout = detect_format(root)
        if layout == "wcxb":
            pages: Iterable[LabelledPage] = load_wcxb(root, split)
        elif layout == "json-map":
            pages = load_json_map(root)
        else:
            pages = _folder_pages(root)
        for page in pages:
            found += 1
            yield page
        if not found:
            raise DataError(f"{root} holds no labelled page (annotated HTML, WCXB, JSON map or .html/.txt pairs)")
