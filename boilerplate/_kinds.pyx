# cython: language_level=3, boundscheck=False, wraparound=False
"""The kind rules' loops over a page's blocks, compiled: the same guesses and scores as their Python twins.

``kinds._guess`` is the reference, and the rules are read there. Here each
block goes through the same steps without the interpreter's cost for each
line: its word count, whether it sits in code, the kinds its class names,
words and landmarks name, and the decision between them. What is not plain
logic stays with the Python functions, called from here (the class scans, the
template tokens, the lexicon's searches, the cached guesses), so each is
written once. The settling of scores has two loops here too: the copies of a
container to drop (``kinds._python_keep_one_copy``) and the cap on headings
that name chrome (``kinds._python_cap_headings``). Tests hold each loop to
its Python twin.
"""

import numpy as np

from . import kinds as _py
from . import lexicon as _lexicon
from . import templates as _templates

include "_blocks.pxi"

cdef object _class_kind = _lexicon.class_kind
cdef object _enclosing_kind = _py._enclosing_kind
cdef object _in_code = _templates.in_code
cdef object _find_tokens = _py.find_tokens
cdef object _matches = _lexicon.matches
cdef object _ACCOUNT = _lexicon.ACCOUNT
cdef object _SUBSCRIBE = _lexicon.SUBSCRIBE
cdef object _plain_guess = _py._plain_guess
cdef object _KindGuess = _py.KindGuess
cdef frozenset _SETTLED_BY_WORDS = _py._SETTLED_BY_WORDS
cdef frozenset _GUARDED = _py.GUARDED
cdef frozenset _HEADING_TAGS = _py._HEADING_TAGS
# kinds._landmark_kind of every combination of the landmark bits it reads, indexed by them.
cdef long _KIND_MARKS = _py._BIT["nav"] | _py._BIT["menu"] | _py._BIT["footer"] | _py._BIT["header"]
cdef tuple _LANDMARK_KIND = tuple(_py._landmark_kind(marks & _KIND_MARKS) for marks in range(_KIND_MARKS + 1))
cdef Py_ssize_t _SHORT = _py._SHORT
cdef Py_ssize_t _LABEL = _py._LABEL
cdef Py_ssize_t _MAX_CERTAIN_WORDS = _py._MAX_CERTAIN_WORDS
cdef object _UNKNOWN = object()  # not yet asked


def words_and_code(list blocks):
    """Each block's word count (one more than its spaces, as its whitespace is collapsed) and whether it sits
    in a code sample (``templates.in_code``): the first two lists of ``kinds.guess_kinds``."""
    cdef list words = [], code = []
    # in_code(tag, ancestors) is in_code(tag, "") or in_code("", ancestors): each part looked up once a page,
    # by the tag and by the ancestors' tags, which the blocks of one container share.
    cdef dict by_tag = {}, by_ancestors = {}
    cdef str text
    for block in blocks:
        text = _field(block, _AT_TEXT, "text")
        words.append(text.count(" ") + 1 if text else 0)
        tag, ancestors = _field(block, _AT_TAG, "tag"), _field(block, _AT_ANCESTOR_TAGS, "ancestor_tags")
        inside = by_tag.get(tag)
        if inside is None:
            inside = by_tag[tag] = _in_code(tag, "")
        if not inside:
            inside = by_ancestors.get(ancestors)
            if inside is None:
                inside = by_ancestors[ancestors] = _in_code("", ancestors)
        code.append(inside)
    return words, code


def guesses(list blocks, list words, list code, list said, list found):
    """``[kinds._guess(block, words[i], code[i], said[i], found[i]) for i, block in enumerate(blocks)]``."""
    cdef Py_ssize_t i, n = len(blocks), count
    cdef list out = []
    cdef str text, attrs
    cdef bint links, link_row, certain, unmistakable, account, agrees
    cdef tuple tokens, matched
    # The blocks of a container share their ancestors: each container's enclosing kind is asked for once a page
    # (_enclosing_kind keeps them from page to page, at a higher cost for each question).
    cdef dict enclosing = {}
    for i in range(n):
        block = blocks[i]
        text = _field(block, _AT_TEXT, "text")
        count = words[i]
        text_kind, unmistakable = said[i]
        matched = found[i]
        class_kind = _class_kind(_field(block, _AT_CLASSES, "classes"))
        if class_kind is None:
            chain = (
                _field(block, _AT_ANCESTOR_CLASSES, "ancestor_classes"),
                _field(block, _AT_ANCESTOR_TAGS, "ancestor_tags"),
            )
            class_kind = enclosing.get(chain, _UNKNOWN)
            if class_kind is _UNKNOWN:
                class_kind = enclosing[chain] = _enclosing_kind(*chain)
        landmark_kind = _LANDMARK_KIND[_field(block, _AT_LANDMARKS, "landmarks") & _KIND_MARKS]
        tokens = () if code[i] or not _may_hold_tokens(text) else tuple(_find_tokens(text))
        attrs = _field(block, _AT_TEMPLATE_ATTRS, "template_attrs")
        if attrs:
            tokens += tuple(_find_tokens(attrs))

        # Link density above one half, in whole numbers (link_chars / len(text) > 0.5, exactly for any text
        # shorter than 2**53 characters).
        links = len(text) > 0 and 2 * _field(block, _AT_LINK_CHARS, "link_chars") > len(text)
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


def keep_one_copy(list blocks, const double[::1] scores):
    """``kinds._python_keep_one_copy(blocks, scores)``: the blocks of the copies of containers to drop."""
    cdef Py_ssize_t i, n = len(blocks)
    cdef dict members = {}
    cdef list group, first, dropped = []
    cdef dict best = {}
    cdef double top, top_first
    for i in range(n):
        container = _field(blocks[i], _AT_CONTAINER, "container")
        group = members.get(container)
        if group is None:
            members[container] = group = []
        group.append(i)
    for group in members.values():  # containers in the order their first block appears
        # One word ("Yes" in a table, a price) is no copy; lowering a text adds no space and takes none away.
        if len(group) == 1 and " " not in _field(blocks[group[0]], _AT_TEXT, "text"):
            continue
        texts = tuple([_field(blocks[i], _AT_TEXT, "text").lower() for i in group])
        first = best.setdefault(texts, group)
        if first is group:
            continue
        top = max([scores[i] for i in group])
        top_first = max([scores[i] for i in first])
        if top > top_first:
            best[texts] = group
            dropped += first
        else:
            dropped += group
    dropped.sort()
    return dropped


def cap_headings(list blocks, const double[::1] scores, list guesses):
    """``kinds._python_cap_headings(blocks, scores, guesses)``."""
    cdef Py_ssize_t i, n = len(blocks)
    out = np.array(scores)  # a copy
    cdef double[::1] capped = out
    cdef double best_after = -1.0
    for i in range(n - 1, -1, -1):
        if _field(blocks[i], _AT_TAG, "tag") in _HEADING_TAGS:
            if best_after >= 0.0 and guesses[i].source == "text":
                capped[i] = min(capped[i], best_after)
            best_after = -1.0
        else:
            best_after = max(best_after, scores[i])
    return out
