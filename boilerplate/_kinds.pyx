# cython: language_level=3, boundscheck=False, wraparound=False
"""The kind rules' loop over a page's blocks, compiled: the same guesses as ``kinds._python_guesses``.

``kinds._guess`` is the reference, and the rules are read there. Here each
block goes through the same steps without the interpreter's cost for each
line: its word count, whether it sits in code, the kinds its class names,
words and landmarks name, and the decision between them. What is not plain
logic stays with the Python functions, called from here (the class scans, the
template tokens, the lexicon's searches, the cached guesses), so each is
written once; a test holds the two loops to the same guesses.
"""

from . import kinds as _py
from . import lexicon as _lexicon
from . import templates as _templates

cdef object _class_kind = _lexicon.class_kind
cdef object _enclosing_kind = _py._enclosing_kind
cdef frozenset _CODE_TAGS = _templates._CODE_TAGS
cdef object _find_tokens = _py.find_tokens
cdef object _matches = _lexicon.matches
cdef object _ACCOUNT = _lexicon.ACCOUNT
cdef object _SUBSCRIBE = _lexicon.SUBSCRIBE
cdef object _plain_guess = _py._plain_guess
cdef object _KindGuess = _py.KindGuess
cdef frozenset _SETTLED_BY_WORDS = _py._SETTLED_BY_WORDS
cdef frozenset _GUARDED = _py.GUARDED
cdef long _NAVIGATION_MARKS = _py._BIT["nav"] | _py._BIT["menu"]
cdef long _FOOTER_MARK = _py._BIT["footer"]
cdef long _HEADER_MARK = _py._BIT["header"]
cdef Py_ssize_t _SHORT = _py._SHORT
cdef Py_ssize_t _LABEL = _py._LABEL
cdef Py_ssize_t _MAX_CERTAIN_WORDS = _py._MAX_CERTAIN_WORDS


def words_and_code(list blocks):
    """Each block's word count (one more than its spaces, as its whitespace is collapsed) and whether it sits
    in a code sample (``templates.in_code``): the first two lists of ``kinds.guess_kinds``."""
    cdef list words = [], code = []
    cdef dict below_code = {}  # by the ancestors' tags, which the blocks of one container share
    cdef str text, ancestors
    for block in blocks:
        text = block.text
        words.append(text.count(" ") + 1 if text else 0)
        if block.tag in _CODE_TAGS:
            code.append(True)
            continue
        ancestors = block.ancestor_tags
        inside = below_code.get(ancestors)
        if inside is None:
            inside = below_code[ancestors] = not _CODE_TAGS.isdisjoint(ancestors.split())
        code.append(inside)
    return words, code


cdef inline object _landmark_kind(long marks):
    """kinds._landmark_kind."""
    if marks & _NAVIGATION_MARKS:
        return "navigation"
    if marks & _FOOTER_MARK:
        return "footer"
    if marks & _HEADER_MARK:
        return "header"
    return None


cdef inline bint _may_hold_tokens(str text):
    """Whether find_tokens could find a token: the quick test it makes first, without the call."""
    return "{" in text or "<" in text or "[" in text or "%" in text


def guesses(list blocks, list words, list code, list said, list found):
    """``[kinds._guess(block, words[i], code[i], said[i], found[i]) for i, block in enumerate(blocks)]``."""
    cdef Py_ssize_t i, n = len(blocks), count
    cdef list out = []
    cdef str text, attrs
    cdef bint links, link_row, certain, unmistakable, account, agrees
    cdef tuple tokens, matched
    for i in range(n):
        block = blocks[i]
        text = block.text
        count = words[i]
        text_kind, unmistakable = said[i]
        matched = found[i]
        class_kind = _class_kind(block.classes) or _enclosing_kind(block.ancestor_classes, block.ancestor_tags)
        landmark_kind = _landmark_kind(block.landmarks)
        tokens = () if code[i] or not _may_hold_tokens(text) else tuple(_find_tokens(text))
        attrs = block.template_attrs
        if attrs:
            tokens += tuple(_find_tokens(attrs))

        # Link density above one half, in whole numbers (link_chars / len(text) > 0.5, exactly for any text
        # shorter than 2**53 characters).
        links = len(text) > 0 and 2 * block.link_chars > len(text)
        link_row = landmark_kind is not None and links
        kind, source, certain = "other", "none", False
        if class_kind is not None:
            kind, source = class_kind, "class"
        elif text_kind is not None and unmistakable and not link_row:
            kind, source = text_kind, "text"
        elif landmark_kind is not None:
            kind, source = landmark_kind, "landmark"
        elif text_kind is not None:
            kind, source = text_kind, "text"
        account = count <= 4 and (matched[0] if matched else _matches(_ACCOUNT, text))
        if kind == "other" and account:
            kind, source = "navigation", "text"
        if count <= 4 and links and (
            account or (matched[1] if matched else _matches(_SUBSCRIBE, text))
        ):
            certain = True

        agrees = class_kind == text_kind
        if text_kind in _SETTLED_BY_WORDS and (
            (unmistakable and (count <= _SHORT or agrees or text_kind == "newsletter"))
            or (agrees and text_kind in _GUARDED and count <= _LABEL)
        ):
            certain = True
            if not link_row:
                kind, source = text_kind, "text"
        elif tokens and kind in _GUARDED and count <= _MAX_CERTAIN_WORDS:
            certain = True
        if tokens:
            out.append(_KindGuess(kind, source, certain, tokens, text_kind, unmistakable))
        else:
            out.append(_plain_guess(kind, source, certain, text_kind, unmistakable))
    return out
