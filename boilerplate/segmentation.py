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
overflow the Python stack. :func:`walk_tree` is that walk, the reference;
where the package was built with a C compiler, :func:`segment` runs its
compiled twin (``boilerplate/_walk.pyx``), which reads libxml2's nodes
directly, gives exactly the same blocks (the tests hold the two together)
and takes about a third of the time.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field

import lxml.etree

from .errors import LimitError
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
_SCHEMA_TEXT_BIT = _LANDMARK_BIT["schema_text"]
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

    text: str  # the visible text, its whitespace collapsed to single spaces (what the kind rules count words by)
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
    truncated: bool = False  # only the first Limits.max_bytes of the page were read
    # The lower-cased class and id tokens and the data- attribute names of the head's elements and of the
    # elements the walk reads (not of those inside skipped ones such as <script>, <svg> or <template>),
    # space-separated: where paywall vendors leave their names, gathered so that no second walk is needed.
    markers: str = field(default="", repr=False)
    # The schema.org objects of the page's JSON-LD scripts, nested ones included, read once for the features
    # (the page's types) and the paywall verdict (isAccessibleForFree).
    json_ld: tuple[dict, ...] = field(default=(), repr=False)
    og_type: str = ""  # the og:type meta tag, lower-cased ("article", "product", "website")
    # The addresses of the page's scripts, iframes and stylesheets (src and href, in document order), where
    # paywall vendors' code comes from.
    sources: tuple[str, ...] = field(default=(), repr=False)
    # The schema.org microdata flags isAccessibleForFree: each flagged element's content attribute, or its text.
    free_flags: tuple[str, ...] = field(default=(), repr=False)


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


# What the walk needs from an element's attributes, in this order (a plain tuple, made for every element):
# landmark bits for being hidden from the eye ("hidden") or from screen readers ("aria_hidden"), landmark bits
# from the ARIA role and schema.org itemprop, the lower-cased class and id tokens, and the attribute values
# that look like templates (see templates.bound_attribute).
_Attributes = tuple[int, int, str, tuple[str, ...]]
_NO_ATTRIBUTES: _Attributes = (0, 0, "", ())
# Attributes other than class and id that the walk reads.
_READ_NAMES = frozenset({"style", "hidden", "aria-hidden", "role", "itemprop"}) | BOUND_TEXT_ATTRIBUTES


def _class_tokens(cls: str, ident: str) -> str:
    return f"{cls} {ident}".lower() if cls and ident else (cls or ident).lower()


def _read_attributes(items: list[tuple[str, str]], data_names: list[str]) -> _Attributes:
    """Everything the walk reads from one element's attributes; ``data-`` attribute names go to ``data_names``.

    Most elements carry a class, an id and attributes such as ``href`` that mean nothing here, so one pass
    settles them; an element with any other attribute the walk reads, or with a value that may hold a
    template (every template hint holds "{", "[", "<" or "%%"; a lone "%" is URL escaping), goes through
    every test.
    """
    cls = ident = ""
    kept = len(data_names)
    for name, value in items:
        if name in _READ_NAMES or "{" in value or "[" in value or "<" in value or "%%" in value:
            del data_names[kept:]  # the full reading adds every data- name itself
            return _read_all_attributes(dict(items), data_names)
        if name == "class":
            cls = value
        elif name == "id":
            ident = value
        elif name.startswith("data-"):
            data_names.append(name)
    return (0, 0, _class_tokens(cls, ident), ()) if cls or ident else _NO_ATTRIBUTES


def _read_all_attributes(attrib: dict[str, str], data_names: list[str]) -> _Attributes:
    data_names.extend(name for name in attrib if name.startswith("data-"))
    style = attrib.get("style")
    hidden = _HIDDEN if "hidden" in attrib or (style and _HIDDEN_STYLE.search(style)) else 0
    aria_hidden = attrib.get("aria-hidden")
    if aria_hidden and aria_hidden.strip().lower() == "true":
        hidden |= _ARIA_HIDDEN
    marks = 0
    role = attrib.get("role")
    if role:
        marks |= _LANDMARK_BIT.get(_ROLE_LANDMARK.get(role.strip().lower(), ""), 0)
    itemprop = attrib.get("itemprop")
    if itemprop and _SCHEMA_TEXT.intersection(itemprop.lower().split()):
        marks |= _SCHEMA_TEXT_BIT
    templates = []
    for name, value in attrib.items():
        if _TEMPLATE_HINT.search(value) or name in BOUND_TEXT_ATTRIBUTES:
            template = bound_attribute(name, value)
            if template:
                templates.append(template)
    return hidden, marks, _class_tokens(attrib.get("class", ""), attrib.get("id", "")), tuple(templates)


# What the walk does with an element, decided by its tag.
_INLINE, _BLOCK, _BREAK, _LINK, _SKIP, _NOSCRIPT = range(6)
# Stands for a node that is not an element (an entity reference) on the walk's stack.
_NOT_ELEMENT = -1
_ENTITY = (_NOT_ELEMENT, "", "", 0)


def _tag_kind(tag: str) -> int:
    if tag == "noscript":
        return _NOSCRIPT
    if tag in _SKIP_TAGS:
        return _SKIP
    if tag in BLOCK_TAGS:
        return _BLOCK
    if tag == "br":
        return _BREAK
    if tag == "a":
        return _LINK
    return _INLINE


class _Frame:
    """An open block-level element and the text run being collected in it."""

    __slots__ = (
        "el",
        "serial",
        "parent",
        "pieces",
        "link_chars",
        "classes",
        "templates",
        "depth",
        "marks",
        "context",
        "up",
        "index",
        "block_children",
        "xpath",
    )

    def __init__(
        self,
        el,
        serial: int,
        parent: int,
        depth: int,
        marks: int,
        tokens: str,
        templates: tuple[str, ...],
        up: _Frame | None,
        index: int,
    ) -> None:
        self.el = el
        self.serial = serial
        self.parent = parent
        self.depth = depth
        self.marks = marks
        self.pieces: list[str] = []
        self.link_chars = 0
        self.classes = tokens  # grows by the tokens of inline children
        self.templates = templates
        # Ancestor classes and ancestor tags: the same for every block of the frame, so made once.
        self.context: tuple[str, str] | None = None
        # For the XPath: the frame of the parent element when that is block-level, this element's number
        # among the parent's children with its tag (from 1), and how many of each tag this element has.
        self.up: _Frame | None = up
        self.index = index
        self.block_children: dict[str, int] | None = None
        self.xpath: str | None = None

    def count_child(self, tag: str) -> int:
        """Count one more block-level child with ``tag``; its number among them, from 1."""
        counts = self.block_children
        if counts is None:
            counts = self.block_children = {}
        index = counts[tag] = counts.get(tag, 0) + 1
        return index


def _xpath(frame: _Frame, getpath) -> str:
    """The frame element's XPath, exactly as libxml2's ``getpath`` writes it.

    ``getpath`` reads the siblings of every ancestor again on each call, which costs much on long lists.
    A step is ``tag[n]`` when the parent has more than one element child with that tag, else ``tag``.
    Elements with the same tag as a block-level element are block-level too, so the frame of a block-level
    parent has counted them all by the end of the walk, and the XPath is the parent's plus one step. Only a
    frame whose parent is not block-level (and the outermost) asks ``getpath``.
    """
    chain = []
    while frame.xpath is None and frame.up is not None:
        chain.append(frame)
        frame = frame.up
    if frame.xpath is None:
        frame.xpath = getpath(frame.el)
    path = frame.xpath
    for frame in reversed(chain):
        tag = frame.el.tag
        path = f"{path}/{tag}[{frame.index}]" if frame.up.block_children[tag] > 1 else f"{path}/{tag}"
        frame.xpath = path
    return path


_DESCRIPTION_NAMES = ("description", "og:description", "twitter:description")


def _head_facts(root: lxml.etree._Element, markers: list[str]) -> tuple[str, str, str]:
    """The page's ``<title>``, its description meta tag and its og:type, read from the head alone.

    The markers of the head's elements (its scripts and links, which the walk skips) go to ``markers``,
    read as the walk reads an element's.
    """
    head = root.find("head")
    if head is None:
        return "", "", ""
    _head_markers(head, markers)
    title = og_type = ""
    descriptions: dict[str, str] = {}
    for el in head:
        if el.tag == "title" and not title:
            title = " ".join((el.text or "").split())
        elif el.tag == "meta":
            name = (el.get("name") or el.get("property") or "").strip().lower()
            if name in _DESCRIPTION_NAMES and name not in descriptions:
                descriptions[name] = " ".join((el.get("content") or "").split())
            elif name == "og:type" and not og_type:
                og_type = (el.get("content") or "").strip().lower()
    description = next((descriptions[n] for n in _DESCRIPTION_NAMES if descriptions.get(n)), "")
    return title, description, og_type


def _python_head_markers(head: lxml.etree._Element, markers: list[str]) -> None:
    """The markers of the head's elements, in document order: the reference for the compiled reading."""
    for el in head:
        items = el.items()
        tokens = _read_attributes(items, markers)[2] if items else ""
        if tokens:
            markers.append(tokens)


def _head_markers(head: lxml.etree._Element, markers: list[str]) -> None:
    """The compiled reading of the head's markers where it is built, else the Python one: the same markers."""
    if _compiled_head_markers is not None:
        _compiled_head_markers(head, markers)
    else:
        _python_head_markers(head, markers)


# What the page-wide scan reads (see _scan_elements): the script, iframe and stylesheet addresses, and the
# elements whose itemprop flags them isAccessibleForFree.
_SOURCES = lxml.etree.XPath("//script/@src | //iframe/@src | //link/@href", smart_strings=False)
_FREE_FLAGS = lxml.etree.XPath("//@itemprop[. = 'isAccessibleForFree']/..")


def _python_scan(root: lxml.etree._Element) -> tuple[list, list[str], list]:
    """The page's scripts with a type, its script, iframe and stylesheet addresses, and its elements flagged
    isAccessibleForFree, each in document order: the reference for the compiled scan."""
    tree = root.getroottree()
    scripts = [script for script in root.iter("script") if script.get("type") is not None]
    return scripts, _SOURCES(tree), _FREE_FLAGS(tree)


def _scan_elements(root: lxml.etree._Element) -> tuple[list, list[str], list]:
    """:func:`_python_scan`, in one compiled pass over the tree where it is built (three lxml scans otherwise)."""
    if _compiled_scan is not None:
        return _compiled_scan(root)
    return _python_scan(root)


def _free_flag(el: lxml.etree._Element) -> str:
    content = el.get("content")
    return content if content is not None else (el.text or "")


def _json_ld(scripts: list) -> tuple[dict, ...]:
    """Every object of the page's JSON-LD scripts, nested ones included; a script that is not JSON is skipped."""
    found: list[dict] = []
    for script in scripts:
        if not script.text or (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common, and nesting too deep for the parser is hostile: both carry nothing
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return tuple(found)


def walk_tree(
    root: lxml.etree._Element, element_limit: int, max_elements: int | None, read_hidden: bool = True
) -> tuple[list[Block], list[str]]:
    """The blocks under ``root`` with their XPaths, and the markers of the elements walked.

    ``read_hidden=False`` leaves out hidden and aria-hidden elements whole, inline ones included: the page
    as it is first shown, which is what a model is trained on (see :mod:`boilerplate.training`).

    This is the reference walk. Where the compiled one (``boilerplate._walk``) is built, :func:`segment`
    uses that instead; it gives exactly these blocks, several times faster.
    """
    tree = root.getroottree()
    getpath = tree.getpath
    elements = 0
    blocks: list[Block] = []
    frames: list[_Frame] = []
    top: _Frame | None = None  # frames[-1], the block that collects text
    # One entry per open element (block or inline), outermost first: what the walk does with it, its class
    # tokens, its tag and its landmark bits. An entity reference has an entry of its own kind, _NOT_ELEMENT,
    # and no children: no element starts while one is open.
    open_elements: list[tuple[int, str, str, int]] = []
    marks_above = 0  # the landmark bits of the innermost open element
    block_frames: list[_Frame] = []  # the frame of each block
    markers: list[str] = []  # class and id tokens and data- attribute names of the elements walked
    link_depth = 0
    serial = 0
    # Lower-cased tag, what the walk does with it and its landmark bit, worked out once per tag and page.
    tags: dict[str, tuple[str, int, int]] = {}

    def flush(frame: _Frame) -> None:
        """Close the frame's run of text as a block (callers skip frames with no text collected)."""
        text = " ".join("".join(frame.pieces).split())
        if text:
            if frame.context is None:
                ancestors = open_elements[: frame.depth]
                frame.context = (" | ".join([e[1] for e in ancestors]), " ".join([e[2] for e in ancestors]))
            ancestor_classes, ancestor_tags = frame.context
            block_frames.append(frame)
            blocks.append(
                Block(
                    text=text,
                    tag=frame.el.tag,
                    xpath="",  # written after the walk
                    order=len(blocks),
                    depth=frame.depth,
                    link_chars=min(frame.link_chars, len(text)),
                    classes=frame.classes,
                    ancestor_classes=ancestor_classes,
                    ancestor_tags=ancestor_tags,
                    landmarks=frame.marks,
                    container=frame.parent,
                    template_attrs=" ".join(frame.templates),
                )
            )
        frame.pieces = []
        frame.link_chars = 0

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    skipped = None  # the element whose subtree was just skipped: its end event comes next
    for event, el in walker:
        if event == "start":
            elements += 1
            if elements > element_limit:
                raise LimitError(f"page has more than {max_elements:,} elements (Limits.max_elements)")
            raw_tag = el.tag
            facts = tags.get(raw_tag)
            if facts is None:
                if not isinstance(raw_tag, str):  # entity references: only their tail is text
                    open_elements.append(_ENTITY)
                    continue
                tag = raw_tag.lower()
                facts = tags[raw_tag] = (tag, _tag_kind(tag), _LANDMARK_BIT.get(tag, 0))
            tag, kind, tag_mark = facts
            items = el.items()
            if items:
                hidden, attribute_marks, tokens, templates = _read_attributes(items, markers)
                if tokens:
                    markers.append(tokens)
            else:
                hidden = attribute_marks = 0
                tokens = ""
                templates = ()
            depth = len(open_elements)
            # A block-level child is counted among its block-level parent's children for its XPath step
            # before it may be skipped: getpath counts a hidden one left out too.
            index = top.count_child(raw_tag) if kind == _BLOCK and top is not None and top.depth == depth - 1 else 0
            if (
                kind == _SKIP
                or (kind == _NOSCRIPT and not _holds_a_page(el))
                or (hidden & _HIDDEN and kind != _BLOCK and top is not None)
                or (hidden and not read_hidden)
            ):
                walker.skip_subtree()
                skipped = el
                continue
            marks = marks_above | tag_mark | hidden | attribute_marks
            if kind == _BLOCK:
                if top is not None and top.pieces:
                    flush(top)
                serial += 1
                if index:  # the parent element is block-level
                    top = _Frame(el, serial, top.serial, depth, marks, tokens, templates, top, index)
                else:
                    parent = top.serial if top is not None else 0
                    top = _Frame(el, serial, parent, depth, marks, tokens, templates, None, 0)
                frames.append(top)
            else:
                if top is not None:
                    if kind == _BREAK:
                        if top.pieces:
                            flush(top)
                    elif tokens:
                        top.classes = f"{top.classes} {tokens}" if top.classes else tokens
                    if templates:
                        top.templates += templates
                if kind == _LINK:
                    link_depth += 1
            open_elements.append((kind, tokens, tag, marks))
            marks_above = marks
            text = el.text
        else:
            if el is skipped:
                skipped = None
            else:
                kind = open_elements.pop()[0]
                if kind != _NOT_ELEMENT:
                    if kind == _BLOCK:
                        if top.pieces:
                            flush(top)
                        frames.pop()
                        top = frames[-1] if frames else None
                    elif kind == _LINK:
                        link_depth -= 1
                    marks_above = open_elements[-1][3] if open_elements else 0
            text = el.tail
        # Whitespace before a run's first word never shows, so it does not start a run.
        if text and top is not None and (top.pieces or not text.isspace()):
            top.pieces.append(text)
            if link_depth:
                top.link_chars += len(" ".join(text.split()))
    for block, frame in zip(blocks, block_frames, strict=True):
        block.xpath = frame.xpath or _xpath(frame, getpath)
    return blocks, markers


try:  # the compiled walk and scan, where the package was built with them
    from ._walk import head_markers as _compiled_head_markers
    from ._walk import scan_elements as _compiled_scan
    from ._walk import walk_tree as _compiled_walk
except (ImportError, ValueError):  # not built, or built against an lxml whose C API differs: the same blocks
    _compiled_walk = _compiled_scan = _compiled_head_markers = None


def _walk_tree(
    root: lxml.etree._Element, element_limit: int, max_elements: int | None, read_hidden: bool
) -> tuple[list[Block], list[str]]:
    """The compiled walk where it is built, else the Python one."""
    if _compiled_walk is not None:
        return _compiled_walk(root, element_limit, max_elements, read_hidden)
    return walk_tree(root, element_limit, max_elements, read_hidden)


def segment(
    root: lxml.etree._Element | None,
    *,
    url: str | None = None,
    max_elements: int | None = None,
    read_hidden: bool = True,
) -> Page:
    """Walk the tree once and return its blocks in document order.

    More than ``max_elements`` elements raise :class:`LimitError` (a page of
    millions of empty elements costs seconds of walking and no text).
    ``read_hidden=False`` leaves hidden and aria-hidden elements out (see :func:`walk_tree`).
    """
    if root is None:
        return Page(blocks=[], url=url)
    element_limit = sys.maxsize if max_elements is None else max_elements
    blocks, markers = _walk_tree(root, element_limit, max_elements, read_hidden)
    lang = (root.get("lang") or "").strip().lower()
    title, description, og_type = _head_facts(root, markers)
    scripts, sources, flagged = _scan_elements(root)
    return Page(
        blocks=blocks,
        title=title,
        description=description,
        lang=lang,
        url=url,
        tree=root.getroottree(),
        markers=" ".join(markers),
        json_ld=_json_ld(scripts),
        og_type=og_type,
        sources=tuple(sources),
        free_flags=tuple(_free_flag(el) for el in flagged),
    )
