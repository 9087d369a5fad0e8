# cython: language_level=3
"""The walk of :func:`boilerplate.segmentation.segment`, compiled: the same blocks, read from libxml2's nodes.

``segmentation.walk_tree`` is the reference: this module does exactly what it
does, step for step, and a test holds the two to the same output. What makes
it fast is where it reads the page: the C structures under lxml's elements
(names, attributes and text nodes), without making a Python element for each
node. The attributes that may hide an element, mark a landmark or hold a
template are read here too, one attribute at a time, with the patterns and
tables of ``segmentation`` (its ``_read_all_attributes`` is the reference);
the rare cases (a ``<noscript>``, a template found, the XPath of an element
whose parent is not block-level) go back to the Python helpers and to
lxml's ``getpath``. ``scan_elements`` is the one pass over the whole document
that finds the scripts, the script, iframe and stylesheet addresses and the
isAccessibleForFree flags, where ``segmentation._python_scan`` asks lxml for
each in a pass of its own.
"""

cimport cython
from cpython.mem cimport PyMem_Free, PyMem_Realloc
from cpython.unicode cimport PyUnicode_1BYTE_DATA, PyUnicode_DecodeUTF8, PyUnicode_GET_LENGTH
from libc.string cimport memcpy, strchr, strcmp, strlen, strncmp, strstr

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object text)

cetree.import_lxml__etree()

from . import segmentation as _py  # the Python walk's helpers and constants

cdef int _BLOCK = _py._BLOCK
cdef int _BREAK = _py._BREAK
cdef int _LINK = _py._LINK
cdef int _SKIP = _py._SKIP
cdef int _NOSCRIPT = _py._NOSCRIPT
cdef int _HIDDEN = _py._HIDDEN
cdef int _ARIA_HIDDEN = _py._ARIA_HIDDEN
cdef int _SCHEMA_TEXT_BIT = _py._SCHEMA_TEXT_BIT
cdef object _HIDDEN_STYLE = _py._HIDDEN_STYLE
cdef object _TEMPLATE_HINT = _py._TEMPLATE_HINT
cdef dict _LANDMARK_BIT = _py._LANDMARK_BIT
cdef dict _ROLE_LANDMARK = _py._ROLE_LANDMARK
cdef frozenset _SCHEMA_TEXT = _py._SCHEMA_TEXT
# Attribute names that bind an element's text (templates.BOUND_TEXT_ATTRIBUTES).
cdef tuple _BOUND_NAMES = tuple(sorted(n.encode("utf-8") for n in _py.BOUND_TEXT_ATTRIBUTES))
cdef object _bound_attribute = _py.bound_attribute
cdef tuple _NO_ATTRIBUTES = _py._NO_ATTRIBUTES
cdef object _Block = _py.Block

# Attribute names that send an element's attributes to the full reading (segmentation._READ_NAMES).
cdef tuple _READ_NAMES = tuple(sorted(n.encode("utf-8") for n in _py._READ_NAMES))


cdef inline bint _is(const char* name, const char* other):
    """``name == other`` for C strings, the first bytes compared before any call (most names differ there)."""
    return name[0] == other[0] and strcmp(name, other) == 0


cdef inline bint _is_data(const char* name):
    """Whether an attribute name starts with "data-"."""
    return name[0] == b"d" and strncmp(name, b"data-", 5) == 0


cdef inline str _utf8(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), NULL)


cdef extern from "Python.h":
    void PyObject_GC_UnTrack(void* op)


# The whitespace str.split() splits at (Py_UNICODE_ISSPACE), as it is written in UTF-8: the ASCII ones by byte,
# and the others by their sequence (U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F,
# U+3000).
cdef bint _ASCII_SPACE[128]
for _c in range(128):
    _ASCII_SPACE[_c] = chr(_c).isspace()


cdef inline int _sequence_length(const unsigned char* s, Py_ssize_t left):
    """The length of the UTF-8 sequence that starts at ``s`` (``left`` bytes on), or 1 where its bytes do not
    make one (the decoding of the block then fails as the decoding of the piece did)."""
    cdef unsigned char b = s[0]
    cdef int length, k
    if b >= 0xF0 and b <= 0xF4:
        length = 4
    elif b >= 0xE0:
        length = 3 if b < 0xF0 else 1
    elif b >= 0xC2:
        length = 2
    else:
        return 1
    if length > left:
        return 1
    for k in range(1, length):
        if s[k] & 0xC0 != 0x80:
            return 1
    return length


cdef inline bint _multibyte_space(const unsigned char* s, int length):
    """Whether a sequence of two or three bytes is one of the non-ASCII characters str.split() splits at."""
    if length == 2:
        return s[0] == 0xC2 and (s[1] == 0x85 or s[1] == 0xA0)
    if length != 3:
        return False
    if s[0] == 0xE2:
        if s[1] == 0x80:
            return s[2] <= 0x8A or s[2] == 0xA8 or s[2] == 0xA9 or s[2] == 0xAF
        return s[1] == 0x81 and s[2] == 0x9F
    if s[0] == 0xE1:
        return s[1] == 0x9A and s[2] == 0x80
    return s[0] == 0xE3 and s[1] == 0x80 and s[2] == 0x80


@cython.final
cdef class _Run:
    """The text of the block being collected, kept as UTF-8 with its whitespace already collapsed.

    What ``" ".join("".join(pieces).split())`` gives, made as the text nodes come, without a string for
    each node: only the top frame collects text (a frame's run is closed before a nested block starts and
    when it ends), so one run serves the whole walk.
    """

    cdef char* data
    cdef Py_ssize_t size, capacity
    cdef bint gap  # whitespace seen since the last character kept

    def __dealloc__(self):
        PyMem_Free(self.data)

    cdef Py_ssize_t add(self, const unsigned char* s, Py_ssize_t n) except -1:
        """Add ``n`` bytes of a node's text; their own collapsed length (``len(" ".join(text.split()))``), which
        the walk counts for links."""
        cdef Py_ssize_t need = self.size + n + 1, own = 0, i = 0
        cdef bint own_gap = False, space
        cdef int length
        cdef char* grown
        if need > self.capacity:
            need = max(need, 2 * self.capacity)
            grown = <char*>PyMem_Realloc(self.data, need)
            if grown == NULL:
                raise MemoryError()
            self.data, self.capacity = grown, need
        while i < n:
            if s[i] < 0x80:
                length = 1
                space = _ASCII_SPACE[s[i]]
            else:
                length = _sequence_length(s + i, n - i)
                space = _multibyte_space(s + i, length)
            if space:
                own_gap = own > 0
                self.gap = self.size > 0
            else:
                own += 1 + own_gap
                own_gap = False
                if self.gap:
                    self.data[self.size] = 32
                    self.size += 1
                    self.gap = False
                memcpy(self.data + self.size, s + i, length)
                self.size += length
            i += length
        return own

    cdef str take(self, const char* errors=NULL):
        """The run as a string, and the run emptied."""
        text = PyUnicode_DecodeUTF8(self.data, self.size, errors)
        self.size = 0
        self.gap = False
        return text


def collapsed(list pieces):
    """``" ".join("".join(pieces).split())``, made as the walk makes a block's text (for the tests)."""
    cdef _Run run = _Run()
    cdef bytes data
    for piece in pieces:
        data = piece.encode("utf-8", "surrogatepass")
        run.add(data, len(data))
    return run.take("surrogatepass")


def collapsed_length(str text):
    """``len(" ".join(text.split()))``, counted as the walk counts a link's text (for the tests)."""
    cdef bytes data = text.encode("utf-8", "surrogatepass")
    return _Run().add(data, len(data))


cdef bint _may_hide(tree.xmlNode* first):
    """Whether a style value may match _HIDDEN_STYLE: it holds "none" or "hidden" (ASCII case aside).

    Most style values hold neither, and are ruled out without a string or a regex search. A value with a
    non-ASCII character (re.I equates "ı" with "i") or in several nodes is left to the regex.
    """
    if first == NULL:
        return False
    if first.next != NULL or first.type != tree.XML_TEXT_NODE:
        return True
    cdef const unsigned char* v = <const unsigned char*>first.content
    if v == NULL:
        return False
    cdef Py_ssize_t i = 0
    while v[i]:
        if v[i] >= 0x80:
            return True
        # Over ASCII, c | 0x20 is the lower case of a letter, and only a letter's two cases give a letter.
        if (v[i] | 0x20) == b"n" and _ascii_lower_is(v + i + 1, b"one"):
            return True
        if (v[i] | 0x20) == b"h" and _ascii_lower_is(v + i + 1, b"idden"):
            return True
        i += 1
    return False


cdef inline bint _ascii_lower_is(const unsigned char* v, const char* word):
    """Whether the bytes at ``v`` begin with ``word`` (lower-case letters), ASCII case aside."""
    cdef Py_ssize_t i = 0
    while word[i]:
        if v[i] == 0 or (v[i] | 0x20) != <unsigned char>word[i]:
            return False
        i += 1
    return True


cdef str _node_text(tree.xmlNode* first):
    """The text of an attribute's child nodes, as lxml reads an attribute value."""
    if first == NULL:
        return ""
    if first.next == NULL and first.type == tree.XML_TEXT_NODE:
        return _utf8(<const char*>first.content) if first.content != NULL else ""
    pieces = []
    cdef tree.xmlNode* c = first
    while c != NULL:
        if c.content != NULL:
            pieces.append(_utf8(<const char*>c.content))
        c = c.next
    return "".join(pieces)


cdef inline str _class_tokens(str cls, str ident):
    """segmentation._class_tokens, without a Python call for each element."""
    if cls and ident:
        return _lowered(cls + " " + ident)
    return _lowered(cls or ident)


cdef str _lowered(str text):
    """``text.lower()``, without a copy of an ASCII string that holds no capital letter (most class strings)."""
    if not PyUnicode_IS_ASCII(text):
        return text.lower()
    cdef const unsigned char* data = <const unsigned char*>PyUnicode_1BYTE_DATA(text)
    cdef Py_ssize_t i
    for i in range(PyUnicode_GET_LENGTH(text)):
        if 65 <= data[i] <= 90:  # "A" to "Z"
            return text.lower()
    return text


cdef bint _template_hint(const char* value):
    """Whether a value may hold a template: every template hint holds "{", "[", "<" or "%%"."""
    return value != NULL and (
        strchr(value, b"{") != NULL or strchr(value, b"[") != NULL or strchr(value, b"<") != NULL
        or strstr(value, b"%%") != NULL
    )


cdef bint _may_hold_template(tree.xmlNode* first):
    """_template_hint for an attribute's value, however many nodes hold it."""
    if first == NULL:
        return False
    if first.next == NULL and first.type == tree.XML_TEXT_NODE:
        return _template_hint(<const char*>first.content)
    return _template_hint(_node_text(first).encode("utf-8"))


cdef bint _one_of(const char* name, tuple names):
    cdef bytes candidate
    for candidate in names:
        if _is(name, candidate):
            return True
    return False


# For each first byte, the lengths (below 32) of the read names that start with it: most attribute names
# ("class", "href", "id", "src") are ruled out without comparing them with each.
cdef unsigned int _READ_NAME_LENGTHS[256]
for _name in _READ_NAMES:
    if len(_name) < 32:
        _READ_NAME_LENGTHS[_name[0]] |= 1u << len(_name)


cdef bint _is_read_name(const char* name):
    """Whether the attribute is one the full reading reads (``_one_of(name, _READ_NAMES)``)."""
    cdef size_t length = strlen(name)
    if length < 32 and not (_READ_NAME_LENGTHS[<unsigned char>name[0]] >> length) & 1:
        return False
    return _one_of(name, _READ_NAMES)


cdef bint _needs_full_reading(const char* name, const char* value):
    """Whether one attribute is read only by the full reading: a name it reads, or a value that may hold a template."""
    return _template_hint(value) or _is_read_name(name)


cdef tuple _attributes(tree.xmlNode* c, list markers):
    """What segmentation._read_attributes gives for the element's attributes (data- names go to ``markers``)."""
    cdef tree.xmlAttr* a = c.properties
    cdef tree.xmlNode* v
    cdef const char* name
    cdef const char* value
    cdef bint full = False
    # One pass in C: does any attribute need the full reading?
    while a != NULL:
        name = <const char*>a.name
        v = a.children
        if v == NULL or (v.next == NULL and v.type == tree.XML_TEXT_NODE):
            value = <const char*>v.content if v != NULL else NULL
            if _needs_full_reading(name, value):
                full = True
                break
        else:  # a value in several nodes (rare): the same test on the whole value
            whole = _node_text(v).encode("utf-8")
            if _needs_full_reading(name, whole):
                full = True
                break
        a = a.next
    if full:
        return _full_reading(c, markers)
    cls = ident = ""
    a = c.properties
    while a != NULL:
        name = <const char*>a.name
        if _is(name, b"class"):
            cls = _node_text(a.children)
        elif _is(name, b"id"):
            ident = _node_text(a.children)
        elif _is_data(name):
            markers.append(_utf8(name))
        a = a.next
    if cls or ident:
        return (0, 0, _class_tokens(cls, ident), ())
    return _NO_ATTRIBUTES


cdef tuple _full_reading(tree.xmlNode* c, list markers):
    """segmentation._read_all_attributes, read from the element's C attributes (markers updated the same way).

    Each value becomes a string only where a rule reads it; the patterns are segmentation's own.
    """
    cdef tree.xmlAttr* a = c.properties
    cdef const char* name
    cdef int hidden = 0, marks = 0
    cdef list templates = []
    cls = ident = ""
    while a != NULL:
        name = <const char*>a.name
        value = None
        if _is_data(name):
            markers.append(_utf8(name))
        if _is(name, b"class"):
            value = cls = _node_text(a.children)
        elif _is(name, b"id"):
            value = ident = _node_text(a.children)
        elif _is(name, b"hidden"):
            hidden |= _HIDDEN
        elif _is(name, b"style"):
            if _may_hide(a.children):
                value = _node_text(a.children)
                if value and _HIDDEN_STYLE.search(value):
                    hidden |= _HIDDEN
        elif _is(name, b"aria-hidden"):
            value = _node_text(a.children)
            if value and value.strip().lower() == "true":
                hidden |= _ARIA_HIDDEN
        elif _is(name, b"role"):
            value = _node_text(a.children)
            if value:
                marks |= _LANDMARK_BIT.get(_ROLE_LANDMARK.get(value.strip().lower(), ""), 0)
        elif _is(name, b"itemprop"):
            value = _node_text(a.children)
            if value and not _SCHEMA_TEXT.isdisjoint(value.lower().split()):
                marks |= _SCHEMA_TEXT_BIT
        # A value that may hold a template (every template hint holds "{", "[", "<" or "%%"), or a
        # framework's text binding, goes to segmentation's reading of templates.
        bound = _one_of(name, _BOUND_NAMES)
        if bound or _may_hold_template(a.children):
            if value is None:
                value = _node_text(a.children)
            if bound or _TEMPLATE_HINT.search(value):
                template = _bound_attribute(_utf8(name), value)
                if template:
                    templates.append(template)
        a = a.next
    return hidden, marks, _class_tokens(cls, ident), tuple(templates)


@cython.final
@cython.no_gc
cdef class _CFrame:
    """An open block-level element (segmentation._Frame); the text being collected is the walk's run."""

    cdef tree.xmlNode* node
    cdef str tag
    cdef int serial, parent, depth, marks, index, link_chars
    cdef str classes
    cdef tuple templates
    cdef tuple context
    cdef _CFrame up
    cdef dict block_children
    cdef object xpath

    cdef int count_child(self, str tag):
        """Count one more block-level child with ``tag``; its number among them, from 1."""
        if self.block_children is None:
            self.block_children = {}
        cdef int index = self.block_children.get(tag, 0) + 1
        self.block_children[tag] = index
        return index


cdef class _Walk:
    """The state of one walk: the blocks so far, the open frames and elements (segmentation.walk_tree's locals)."""

    cdef cetree._Document doc
    cdef object getpath
    cdef list blocks, block_frames, frames, markers, open_tokens, open_tags
    # contexts[d]: the ancestors' class tokens and tags of the first d open elements, joined, once a block
    # needed them (None where none did); every entry is of elements still open (see _end).
    cdef list contexts
    # What the walk does with each open element and its landmark bits, as C arrays (the Python walk's
    # open_elements holds them with the tokens and tags): ``depth`` of them are open, room for ``room``.
    cdef int* open_kinds
    cdef int* open_marks
    cdef Py_ssize_t depth, room
    cdef _CFrame top
    cdef _Run run  # the top frame's text so far (the Python walk's top.pieces)
    cdef int link_depth, serial

    def __init__(self, cetree._Element root):
        self.doc = root._doc
        self.getpath = root.getroottree().getpath
        self.blocks = []
        self.block_frames = []
        self.frames = []
        self.markers = []
        self.open_tokens = []
        self.open_tags = []
        self.contexts = []
        self.depth = self.room = 0
        self.top = None
        self.run = _Run()
        self.link_depth = 0
        self.serial = 0

    def __dealloc__(self):
        PyMem_Free(self.open_kinds)
        PyMem_Free(self.open_marks)

    cdef int open(self, int kind, str tokens, str tag, int marks) except -1:
        """An element opens: what the walk does with it, its class tokens, its tag and its landmark bits."""
        cdef Py_ssize_t room
        cdef int* kinds
        cdef int* marks_of
        if self.depth == self.room:
            room = max(64, 2 * self.room)
            kinds = <int*>PyMem_Realloc(self.open_kinds, room * sizeof(int))
            if kinds == NULL:
                raise MemoryError()
            self.open_kinds = kinds
            marks_of = <int*>PyMem_Realloc(self.open_marks, room * sizeof(int))
            if marks_of == NULL:
                raise MemoryError()
            self.open_marks = marks_of
            self.room = room
        self.open_kinds[self.depth] = kind
        self.open_marks[self.depth] = marks
        self.depth += 1
        self.open_tokens.append(tokens)
        self.open_tags.append(tag)
        return 0

    cdef flush(self, _CFrame frame):
        """Close the frame's run of text as a block (the Python walk's flush; callers skip an empty run)."""
        text = self.run.take()
        if text:
            if frame.context is None:
                frame.context = self.context(frame.depth)
            self.block_frames.append(frame)
            block = (
                _Block(  # positional, in Block's field order: the tests compare every field with the Python walk's
                    text,
                    frame.tag,
                    "",  # the XPath, written after the walk
                    len(self.blocks),
                    frame.depth,
                    min(frame.link_chars, len(text)),
                    frame.classes,
                    frame.context[0],
                    frame.context[1],
                    frame.marks,
                    frame.parent,
                    " ".join(frame.templates),
                )
            )
            # A block holds strings and numbers only, so it can never be part of a reference cycle, and the
            # garbage collector need not watch it. Watched, the thousands of blocks of a batch's chunk outlived
            # two collections and were moved to the oldest generation, and every few hundred pages the
            # collector went through the whole heap: a tenth of a page's time was the collector's, two thirds
            # of it in those full collections.
            PyObject_GC_UnTrack(<void*>block)
            self.blocks.append(block)
        frame.link_chars = 0

    cdef tuple context(self, Py_ssize_t depth):
        """``(" | ".join(open_tokens[:depth]), " ".join(open_tags[:depth]))``, built on the longest such pair
        already joined for the same open elements: a block's siblings and cousins share most of theirs."""
        cdef list contexts = self.contexts
        cdef Py_ssize_t k = min(depth, len(contexts) - 1)
        if k == depth and contexts[k] is not None:
            return contexts[k]
        while k > 0 and contexts[k] is None:
            k -= 1
        cdef tuple joined
        if k <= 0:
            joined = (" | ".join(self.open_tokens[:depth]), " ".join(self.open_tags[:depth]))
        else:  # depth > k >= 1: both parts hold elements, so one separator joins them
            base = contexts[k]
            joined = (
                base[0] + " | " + " | ".join(self.open_tokens[k:depth]),
                base[1] + " " + " ".join(self.open_tags[k:depth]),
            )
        while len(contexts) <= depth:
            contexts.append(None)
        contexts[depth] = joined
        return joined

    cdef int text(self, const char* content) except -1:
        """A text node's content joins the open block's run, as the Python walk adds an element's text or tail.

        Whitespace before the run's first word adds nothing, as the Python walk leaves such a piece out.
        """
        cdef _CFrame top = self.top
        if top is None or content == NULL or content[0] == 0:
            return 0
        cdef Py_ssize_t own = self.run.add(<const unsigned char*>content, strlen(content))
        if self.link_depth:
            top.link_chars += own
        return 0

    cdef str xpath_of(self, _CFrame frame):
        """segmentation._xpath for a compiled frame."""
        chain = []
        while frame.xpath is None and frame.up is not None:
            chain.append(frame)
            frame = frame.up
        if frame.xpath is None:
            frame.xpath = self.getpath(cetree.elementFactory(self.doc, frame.node))
        path = frame.xpath
        for frame in reversed(chain):
            tag = frame.tag
            path = f"{path}/{tag}[{frame.index}]" if frame.up.block_children[tag] > 1 else f"{path}/{tag}"
            frame.xpath = path
        return path


def walk_tree(cetree._Element root, Py_ssize_t element_limit, max_elements, bint read_hidden=True):
    """The blocks of the tree under ``root``, XPaths written, and the markers: see ``segmentation.walk_tree``."""
    cdef _Walk w = _Walk(root)
    cdef tree.xmlNode* top_node = root._c_node
    cdef tree.xmlNode* c = top_node
    cdef Py_ssize_t elements = 0
    cdef int kind, tag_mark, hidden, attribute_marks, marks, depth, index
    cdef bint descend
    cdef _CFrame frame
    cdef dict tags = {}  # name pointer -> (raw tag, lower-cased tag, kind, landmark bit), for names without namespace
    cdef int marks_above = 0
    while True:
        descend = False
        if (
            c.type == tree.XML_ELEMENT_NODE
            or c.type == tree.XML_ENTITY_REF_NODE
            or c.type == tree.XML_COMMENT_NODE
            or c.type == tree.XML_PI_NODE
        ):  # what lxml's walk yields and counts; of those that are not elements, only the tail is read
            elements += 1
            if elements > element_limit:
                raise _py.LimitError(f"page has more than {max_elements:,} elements (Limits.max_elements)")
        if c.type == tree.XML_ELEMENT_NODE:
            facts = tags.get(<size_t>c.name) if c.ns == NULL else None
            if facts is None:
                raw_tag = cetree.namespacedName(c)
                tag = raw_tag.lower()
                facts = (raw_tag, tag, _py._tag_kind(tag), _py._LANDMARK_BIT.get(tag, 0))
                if c.ns == NULL:
                    tags[<size_t>c.name] = facts
            raw_tag, tag, kind, tag_mark = facts
            if c.properties != NULL:
                hidden, attribute_marks, tokens, templates = _attributes(c, w.markers)
                if tokens:
                    w.markers.append(tokens)
            else:
                hidden = attribute_marks = 0
                tokens = ""
                templates = ()
            depth = w.depth
            # A block-level child is counted among its block-level parent's children for its XPath step
            # before it may be skipped: getpath counts a hidden one left out too.
            index = 0
            if kind == _BLOCK and w.top is not None and w.top.depth == depth - 1:
                index = w.top.count_child(raw_tag)
            if (
                kind == _SKIP
                or (kind == _NOSCRIPT and not _py._holds_a_page(cetree.elementFactory(w.doc, c)))
                or (hidden & _HIDDEN and kind != _BLOCK and w.top is not None)
                or (hidden and not read_hidden)
            ):
                pass  # skipped with its subtree: the walk goes on to its tail
            else:
                marks = marks_above | tag_mark | hidden | attribute_marks
                if kind == _BLOCK:
                    if w.top is not None and w.run.size:
                        w.flush(w.top)
                    w.serial += 1
                    frame = _CFrame()
                    frame.node = c
                    frame.tag = raw_tag
                    frame.serial = w.serial
                    frame.depth = depth
                    frame.marks = marks
                    frame.link_chars = 0
                    frame.classes = tokens
                    frame.templates = templates
                    if w.top is not None:
                        frame.parent = w.top.serial
                        if index:  # the parent element is block-level (else up stays None)
                            frame.up = w.top
                            frame.index = index
                    w.top = frame
                    w.frames.append(frame)
                else:
                    if w.top is not None:
                        if kind == _BREAK:
                            if w.run.size:
                                w.flush(w.top)
                        elif tokens:
                            w.top.classes = f"{w.top.classes} {tokens}" if w.top.classes else tokens
                        if templates:
                            w.top.templates += templates
                    if kind == _LINK:
                        w.link_depth += 1
                w.open(kind, tokens, tag, marks)
                marks_above = marks
                if c.children != NULL:
                    descend = True
                else:
                    marks_above = _end(w)
        elif c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            w.text(<const char*>c.content)
        if descend:
            c = c.children
            continue
        # On to the next node: up through the elements that end here.
        while c != top_node and c.next == NULL:
            c = c.parent
            marks_above = _end(w)
        if c == top_node:
            break
        c = c.next
    # The tail of the walk's own root, as lxml's walk reads it.
    c = top_node.next
    while c != NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE):
        w.text(<const char*>c.content)
        c = c.next
    for block, frame in zip(w.blocks, w.block_frames):
        block.xpath = frame.xpath if frame.xpath is not None else w.xpath_of(frame)
    return w.blocks, w.markers


cdef int _end(_Walk w) except? -1:
    """Close an open element (it was not skipped); the landmark bits of the element now innermost."""
    w.depth -= 1
    cdef int kind = w.open_kinds[w.depth]
    if kind == _BLOCK:
        if w.run.size:
            w.flush(w.top)
        w.frames.pop()
        w.top = w.frames[-1] if w.frames else None
    elif kind == _LINK:
        w.link_depth -= 1
    w.open_tokens.pop()
    w.open_tags.pop()
    if len(w.contexts) > w.depth + 1:  # those that held the element just closed
        del w.contexts[w.depth + 1 :]
    return w.open_marks[w.depth - 1] if w.depth else 0


cdef tree.xmlAttr* _attribute(tree.xmlNode* c, const char* name):
    """The element's attribute ``name`` without a namespace, as XPath's ``@name`` finds it (NULL if none)."""
    cdef tree.xmlAttr* a = c.properties
    while a != NULL:
        if a.ns == NULL and _is(<const char*>a.name, name):
            return a
        a = a.next
    return NULL


def scan_elements(cetree._Element root):
    """``segmentation._python_scan(root)`` in one pass over libxml2's nodes: the scripts with a type under
    ``root``, and the script, iframe and stylesheet addresses and the elements flagged isAccessibleForFree of
    the whole document (the XPaths' ``//``), each in document order."""
    cdef cetree._Document doc = root._doc
    cdef tree.xmlNode* top_node = root._c_node
    cdef tree.xmlNode* c = <tree.xmlNode*>doc._c_doc.children
    cdef tree.xmlNode* top_level
    cdef tree.xmlAttr* a
    cdef const char* name
    cdef list scripts = [], sources = [], flagged = []
    while c != NULL:  # each node at the top of the document, and the elements under it
        top_level = c
        while True:
            if c.type == tree.XML_ELEMENT_NODE:
                if c.ns == NULL:  # the names of lxml's iter("script") and of the XPaths carry no namespace
                    name = <const char*>c.name
                    if _is(name, b"script"):
                        if top_level == top_node and _attribute(c, b"type") != NULL:
                            scripts.append(cetree.elementFactory(doc, c))
                        a = _attribute(c, b"src")
                        if a != NULL:
                            sources.append(_node_text(a.children))
                    elif _is(name, b"iframe"):
                        a = _attribute(c, b"src")
                        if a != NULL:
                            sources.append(_node_text(a.children))
                    elif _is(name, b"link"):
                        a = _attribute(c, b"href")
                        if a != NULL:
                            sources.append(_node_text(a.children))
                a = _attribute(c, b"itemprop")
                if a != NULL and _node_text(a.children) == "isAccessibleForFree":
                    flagged.append(cetree.elementFactory(doc, c))
                if c.children != NULL:
                    c = c.children
                    continue
            # On to the next node: up through the elements that end here.
            while c != top_level and c.next == NULL:
                c = c.parent
            if c == top_level:
                break
            c = c.next
        c = top_level.next
    return scripts, sources, flagged


def head_markers(cetree._Element head, list markers):
    """``segmentation._python_head_markers(head, markers)``: each child element's data- attribute names and
    class and id tokens, read as the walk reads an element's, go to ``markers`` in document order."""
    cdef tree.xmlNode* c = head._c_node.children
    while c != NULL:
        if c.type == tree.XML_ELEMENT_NODE and c.properties != NULL:
            tokens = _attributes(c, markers)[2]
            if tokens:
                markers.append(tokens)
        c = c.next
