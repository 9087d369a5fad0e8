"""Split a parsed page into blocks of visible text, in one walk over the tree.

A block is the run of text that a browser would lay out as one box: a
paragraph, a heading, a list item, a table cell, or the direct text of a
container. Inline elements (links, emphasis, spans) stay inside their block,
and ``<br>`` ends a run. Nothing that is never shown as text (scripts,
styles, the head, SVG icon titles) makes a block, except a ``<noscript>``
that carries a whole page: what a reader without scripts sees, and where
forum software puts the posts.

Hidden block-level elements (``hidden``, ``display: none``,
``visibility: hidden``) are read and marked with the ``hidden`` landmark
rather than dropped: pages hide accordion panels, tabs, "read more" halves
and sometimes the whole article until a script runs, and the classifier
learns which hidden text is content. ``aria-hidden`` hides nothing from the
eye (it takes an element away from screen readers only), so it is only
marked. A hidden inline element inside a visible block is left out, so as
not to mix a hidden alternative into the visible sentence.

The walk is lxml's ``iterwalk``, which is iterative: deep nesting cannot
overflow the Python stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from .templates import BOUND_TEXT_ATTRIBUTES, bound_attribute

__all__ = ["Block", "Page", "segment", "BLOCK_TAGS", "LANDMARKS"]

# Elements that start a new block (HTML's block-level and table elements).
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    main menu nav ol p pre section summary table tbody td tfoot th thead tr ul
    """.split()
)

# Elements whose content is never laid out as visible text.
_SKIP_TAGS = frozenset(
    """
    script style noscript template head title svg math iframe object embed canvas audio video
    select datalist textarea input img picture source track map param base link meta
    """.split()
)

# Landmarks: each has a bit, set on every block inside such an element or ARIA role.
# "schema_text" marks schema.org microdata that holds a page's main text (itemprop="articleBody", a forum
# post's "text", a review's "reviewBody", a product's "description").
# "hidden" and "aria_hidden" mark text inside hidden elements (see the module's docstring).
LANDMARKS = (
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "menu",
    "dialog",
    "main",
    "article",
    "schema_text",
    "hidden",
    "aria_hidden",
)
_SCHEMA_TEXT = frozenset({"articlebody", "text", "reviewbody", "description", "commenttext"})
_LANDMARK_BIT = {name: 1 << i for i, name in enumerate(LANDMARKS)}
_HIDDEN = _LANDMARK_BIT["hidden"]
_ARIA_HIDDEN = _LANDMARK_BIT["aria_hidden"]
_ROLE_LANDMARK = {
    "navigation": "nav",
    "menubar": "menu",
    "menu": "menu",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "form",
    "form": "form",
    "button": "button",
    "dialog": "dialog",
    "alertdialog": "dialog",
    "main": "main",
    "article": "article",
}

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Characters that may open a template token in an attribute value.
_TEMPLATE_HINT = re.compile(r"\{\{|\{%|\$\{|\[\[|<<|%%|<%")


@dataclass(slots=True)
class Block:
    """One block of visible text and where it sits in the page.

    ``label`` and ``score`` are empty until a model has classified the block.
    """

    text: str
    tag: str
    xpath: str
    order: int
    depth: int
    link_chars: int
    classes: str = ""  # class and id tokens of the block's element and its inline children
    ancestor_classes: str = ""  # class and id tokens of each enclosing element, outermost first, " | " between elements
    ancestor_tags: str = ""  # tags of the enclosing elements, outermost first
    landmarks: int = 0  # bit set of LANDMARKS enclosing the block
    container: int = 0  # serial number of the enclosing block-level element
    template_attrs: str = ""  # attribute values of the block's elements that look like templates
    label: str | None = None
    score: float | None = None
    kind: str | None = None  # for chrome: navigation, paywall, advertisement, cookie, ... (see boilerplate.kinds)

    @property
    def link_density(self) -> float:
        """Share of the block's characters that sit inside links."""
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class Page:
    """A segmented page: its blocks in document order and page-level facts."""

    blocks: list[Block]
    title: str = ""
    description: str = ""  # the page's own summary: meta description, og:description or twitter:description
    lang: str = ""
    url: str | None = None
    tree: lxml.etree._ElementTree | None = field(default=None, repr=False)


# A <noscript> with at least this many words is the page itself, served to readers without scripts
# (forum software such as Discourse puts every post there); shorter ones are tracking pixels and
# "please enable JavaScript" notes.
_NOSCRIPT_PAGE_WORDS = 100


def _holds_a_page(el: lxml.etree._Element) -> bool:
    words = 0
    for text in el.itertext():
        words += len(text.split())
        if words >= _NOSCRIPT_PAGE_WORDS:
            return True
    return False


def _hidden_bits(attrib) -> int:
    """Landmark bits for an element hidden from the eye (``hidden``) or from screen readers (``aria_hidden``)."""
    style = attrib.get("style")
    bits = _HIDDEN if "hidden" in attrib or (style and _HIDDEN_STYLE.search(style)) else 0
    if attrib.get("aria-hidden", "").strip().lower() == "true":
        bits |= _ARIA_HIDDEN
    return bits


def _tokens(el: lxml.etree._Element) -> str:
    attrib = el.attrib
    if not attrib:
        return ""
    cls = attrib.get("class", "")
    ident = attrib.get("id", "")
    if cls and ident:
        return f"{cls} {ident}".lower()
    return (cls or ident).lower()


class _Frame:
    """An open block-level element and the text run being collected in it."""

    __slots__ = ("el", "serial", "parent", "pieces", "link_chars", "classes", "templates", "depth")

    def __init__(self, el, serial: int, parent: int, depth: int, classes: str) -> None:
        self.el = el
        self.serial = serial
        self.parent = parent
        self.depth = depth
        self.pieces: list[str] = []
        self.link_chars = 0
        self.classes = [classes] if classes else []
        self.templates: list[str] = []


_DESCRIPTION_NAMES = ("description", "og:description", "twitter:description")


def _head_facts(root: lxml.etree._Element) -> tuple[str, str]:
    """The page's ``<title>`` and its description meta tag, read from the head alone."""
    head = root.find("head")
    if head is None:
        return "", ""
    title = ""
    descriptions: dict[str, str] = {}
    for el in head:
        if el.tag == "title" and not title:
            title = " ".join((el.text or "").split())
        elif el.tag == "meta":
            name = (el.get("name") or el.get("property") or "").strip().lower()
            if name in _DESCRIPTION_NAMES and name not in descriptions:
                descriptions[name] = " ".join((el.get("content") or "").split())
    description = next((descriptions[n] for n in _DESCRIPTION_NAMES if descriptions.get(n)), "")
    return title, description


def segment(root: lxml.html.HtmlElement | None, *, url: str | None = None) -> Page:
    """Walk the tree once and return its blocks in document order."""
    if root is None:
        return Page(blocks=[], url=url)
    tree = root.getroottree()
    getpath = tree.getpath
    blocks: list[Block] = []
    frames: list[_Frame] = []
    # Per open element (block or inline): class tokens, tag, landmark bits.
    class_stack: list[str] = []
    tag_stack: list[str] = []
    mark_stack: list[int] = [0]
    link_depth = 0
    serial = 0

    def flush(frame: _Frame) -> None:
        if not frame.pieces:
            return
        text = " ".join("".join(frame.pieces).split())
        if text:
            blocks.append(
                Block(
                    text=text,
                    tag=frame.el.tag,
                    xpath=getpath(frame.el),
                    order=len(blocks),
                    depth=frame.depth,
                    link_chars=min(frame.link_chars, len(text)),
                    classes=" ".join(frame.classes),
                    ancestor_classes=" | ".join(class_stack[: frame.depth]),
                    ancestor_tags=" ".join(tag_stack[: frame.depth]),
                    landmarks=mark_stack[frame.depth + 1],
                    container=frame.parent,
                    template_attrs=" ".join(frame.templates),
                )
            )
        frame.pieces = []
        frame.link_chars = 0

    def add_text(text: str | None) -> None:
        if text and frames:
            frame = frames[-1]
            frame.pieces.append(text)
            if link_depth:
                frame.link_chars += len(" ".join(text.split()))

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions
            if event == "end":
                add_text(el.tail)
            continue
        tag = tag.lower()
        if event == "start":
            hidden = _hidden_bits(el.attrib) if el.attrib else 0
            if (tag in _SKIP_TAGS and not (tag == "noscript" and _holds_a_page(el))) or (
                hidden & _HIDDEN and tag not in BLOCK_TAGS and frames
            ):
                walker.skip_subtree()
                skipped.add(id(el))
                continue
            tokens = _tokens(el)
            marks = mark_stack[-1] | _LANDMARK_BIT.get(tag, 0) | hidden
            role = el.get("role")
            if role:
                marks |= _LANDMARK_BIT.get(_ROLE_LANDMARK.get(role.strip().lower(), ""), 0)
            itemprop = el.get("itemprop")
            if itemprop and _SCHEMA_TEXT.intersection(itemprop.lower().split()):
                marks |= _LANDMARK_BIT["schema_text"]
            depth = len(tag_stack)
            if tag in BLOCK_TAGS:
                if frames:
                    flush(frames[-1])
                serial += 1
                parent = frames[-1].serial if frames else 0
                frames.append(_Frame(el, serial, parent, depth, tokens))
            elif tag == "br":
                if frames:
                    flush(frames[-1])
            elif tokens and frames:
                frames[-1].classes.append(tokens)
            if tag == "a":
                link_depth += 1
            if frames and el.attrib:
                for name, value in el.attrib.items():
                    if _TEMPLATE_HINT.search(value) or name in BOUND_TEXT_ATTRIBUTES:
                        template = bound_attribute(name, value)
                        if template:
                            frames[-1].templates.append(template)
            class_stack.append(tokens)
            tag_stack.append(tag)
            mark_stack.append(marks)
            add_text(el.text)
        else:
            if id(el) in skipped:
                skipped.discard(id(el))
                add_text(el.tail)
                continue
            if tag in BLOCK_TAGS and frames and frames[-1].el is el:
                flush(frames.pop())
            class_stack.pop()
            tag_stack.pop()
            mark_stack.pop()
            if tag == "a":
                link_depth -= 1
            add_text(el.tail)
    lang = (root.get("lang") or "").strip().lower()
    title, description = _head_facts(root)
    return Page(blocks=blocks, title=title, description=description, lang=lang, url=url, tree=tree)
