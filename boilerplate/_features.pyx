# cython: language_level=3, boundscheck=False, wraparound=False
"""The counting pass of :mod:`boilerplate.features`, compiled: the same counts as ``features._python_block_counts``.

The Python pass is the reference. It counts with numpy over the whole page
(the page's text as one array of code points, its words as one list), which
takes a few dozen array operations and a generator per block attribute. Here
one loop over the blocks reads each text's characters, its words (found here,
as ``features.block_words`` finds them, when the caller has none) and its
attributes once. The rules that are not plain counting (the class vocabulary's
regexes, the template tokens) are the Python functions themselves, called from
here, so each is written once; a test holds the two passes to the same counts.

The vocabulary scanner (:class:`VocabularyScanner`) gives the class
vocabulary's bits of a class string as ``features._python_vocab_bits`` finds
them with the regexes, for the ``_vocab_bits`` that the pass calls.
"""

import numpy as np

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.string cimport memcmp

from . import features as _py
from . import templates as _templates

cdef const unsigned char[::1] _CLASS = _py._char_table()
cdef const unsigned char[::1] _END = _py._IS_SENTENCE_END.view(np.uint8)
cdef const unsigned char[::1] _STOP = _py._IS_SENTENCE_STOP.view(np.uint8)
cdef dict _TAG_NUMBER = _py._TAG_NUMBER
cdef long long _OTHER_TAG = _py._OTHER_TAG
cdef frozenset _STOPWORDS = _py.STOPWORDS
cdef object _vocab_bits = _py._vocab_bits
cdef object _class_cache = _py._class_cache
cdef object _find_tokens = _py.find_tokens
cdef tuple _TOKEN_HINTS = _templates.TOKEN_HINTS
cdef dict _COUNT = _py._COUNT
cdef bint _ASCII_WORD[128]
for _c in range(128):
    _ASCII_WORD[_c] = chr(_c).isalnum() or _c == ord("_")
cdef int _SPACE = _py._SPACE, _UPPER = _py._UPPER, _LOWER = _py._LOWER, _DIGIT = _py._DIGIT, _PUNCT = _py._PUNCT

# Row of each count in the result (the order of features._COUNTS).
cdef int CHARS = _COUNT["chars"], SPACES = _COUNT["spaces"], UPPER = _COUNT["upper"], LOWER = _COUNT["lower"]
cdef int DIGITS = _COUNT["digits"], PUNCT = _COUNT["punct"], ENDS = _COUNT["ends_sentence"]
cdef int STARTS_UPPER = _COUNT["starts_upper"], INNER_STOPS = _COUNT["inner_stops"], WORDS = _COUNT["words"]
cdef int STOPWORDS = _COUNT["stopwords"], WORD_CHARS = _COUNT["word_chars"], TITLE = _COUNT["title_words"]
cdef int DESCRIPTION = _COUNT["description_words"], LINK_CHARS = _COUNT["link_chars"], DEPTH = _COUNT["depth"]
cdef int CONTAINER = _COUNT["container"], LANDMARKS = _COUNT["landmarks"], TAG = _COUNT["tag"]
cdef int CLASS_BITS = _COUNT["class_bits"], ANCESTOR_BITS = _COUNT["ancestor_class_bits"]
cdef int TEMPLATE_TEXT = _COUNT["template_text"], TEMPLATE_ATTR = _COUNT["template_attr"]
cdef int REPEAT_GROUP = _COUNT["repeat_group"]


cdef inline Py_UCS4 _bmp(Py_UCS4 ch):
    """The code point the tables are read at: U+FFFF for those beyond the Basic Multilingual Plane."""
    return ch if ch < 0xFFFF else 0xFFFF


cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_1BYTE_KIND


cdef str _shape(str xpath):
    """The XPath without its positions ("div[3]" becomes "div"), as features._POSITION.sub gives it."""
    cdef Py_ssize_t n = len(xpath), i = 0, j, kept = 0, size = 0
    cdef list pieces = None
    cdef const unsigned char* chars
    cdef unsigned char* out
    if PyUnicode_KIND(xpath) == PyUnicode_1BYTE_KIND:
        # Nearly every XPath: one byte a character, where only 0 to 9 are decimal digits.
        chars = <const unsigned char*>PyUnicode_DATA(xpath)
        out = <unsigned char*>PyMem_Malloc(n if n else 1)
        if out == NULL:
            raise MemoryError()
        try:
            while i < n:
                if chars[i] == 91:  # "["
                    j = i + 1
                    while j < n and 48 <= chars[j] <= 57:
                        j += 1
                    if j > i + 1 and j < n and chars[j] == 93:  # "]"
                        i = j + 1
                        continue
                out[size] = chars[i]
                size += 1
                i += 1
            return xpath if size == n else PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, out, size)
        finally:
            PyMem_Free(out)
    while i < n:
        if xpath[i] == "[":
            j = i + 1
            while j < n and xpath[j].isdecimal():
                j += 1
            if j > i + 1 and j < n and xpath[j] == "]":
                if pieces is None:
                    pieces = []
                pieces.append(xpath[kept:i])
                kept = i = j + 1
                continue
        i += 1
    if pieces is None:
        return xpath
    pieces.append(xpath[kept:])
    return "".join(pieces)


cdef long long _ancestor_bits(str ancestors, dict seen, dict cache) except -1:
    """features._ancestor_vocab_bits, with its loop over the enclosing elements in C."""
    bits = seen.get(ancestors)
    if bits is not None:
        return bits
    cdef long long found = 0
    for element_classes in ancestors.split(" | "):
        bits = cache.get(element_classes)
        found |= bits if bits is not None else _vocab_bits(element_classes, cache)
    seen[ancestors] = found
    return found


cdef inline bint _is_word(Py_UCS4 ch):
    """Whether the regex's \\w takes the character, in a str: a letter, a digit or "_" (ASCII looked up)."""
    if ch < 128:
        return _ASCII_WORD[ch]
    return ch.isalnum()


cdef inline unsigned long long _hash_run(str text, Py_ssize_t start, Py_ssize_t stop):
    """FNV-1a over the code points of text[start:stop]."""
    cdef unsigned long long h = 14695981039346656037ULL
    cdef Py_ssize_t k
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    for k in range(start, stop):
        h = (h ^ <unsigned long long>PyUnicode_READ(kind, data, k)) * 1099511628211ULL
    return h


cdef class _WordSet:
    """A set of words in which a run of a str's characters is looked up without making the run a str.

    A page's text holds thousands of words, and making each one a string to look it up in the function
    words, the title's and the description's took a third of the counting.
    """

    cdef list words
    cdef unsigned long long[::1] hashes
    cdef Py_ssize_t[::1] slots  # the index of the word in each slot, plus one; 0 where the slot is empty
    cdef unsigned long long mask
    cdef Py_ssize_t size

    def __init__(self, words):
        self.words = list(words)
        self.size = len(self.words)
        cdef Py_ssize_t capacity = 8, j, k
        cdef unsigned long long h
        while capacity < 2 * self.size + 1:
            capacity *= 2
        self.mask = capacity - 1
        self.slots = np.zeros(capacity, dtype=np.intp)
        self.hashes = np.zeros(capacity, dtype=np.uint64)
        for k in range(self.size):
            word = <str>self.words[k]
            h = _hash_run(word, 0, len(word))
            j = h & self.mask
            while self.slots[j]:
                j = (j + 1) & self.mask
            self.slots[j] = k + 1
            self.hashes[j] = h

    cdef Py_ssize_t find(self, str text, Py_ssize_t start, Py_ssize_t stop, unsigned long long h):
        """The index of the word text[start:stop] (whose hash is ``h``), or -1."""
        cdef Py_ssize_t j = h & self.mask, k, m
        cdef str word
        while self.slots[j]:
            if self.hashes[j] == h:
                word = <str>self.words[self.slots[j] - 1]
                if len(word) == stop - start:
                    m = 0
                    while m < stop - start and word[m] == text[start + m]:
                        m += 1
                    if m == stop - start:
                        return self.slots[j] - 1
            j = (j + 1) & self.mask
        return -1


cdef _WordSet _STOPWORD_SET = _WordSet(sorted(_STOPWORDS))


cdef class _WordCounts:
    """A block's function words, description words and distinct title words, counted one word at a time."""

    cdef _WordSet title, description
    cdef Py_ssize_t[::1] title_seen  # the block that last counted each title word
    cdef Py_ssize_t block
    cdef long long stopwords, described, titled

    def __init__(self, set title_words, set description_words):
        self.title = _WordSet(title_words)
        self.description = _WordSet(description_words)
        self.title_seen = np.full(max(len(title_words), 1), -1, dtype=np.intp)

    cdef void start(self, Py_ssize_t block):
        self.block = block
        self.stopwords = self.described = self.titled = 0

    cdef void add(self, str text, Py_ssize_t start, Py_ssize_t stop):
        """Count the word text[start:stop]."""
        cdef unsigned long long h = _hash_run(text, start, stop)
        cdef Py_ssize_t found
        if _STOPWORD_SET.find(text, start, stop, h) >= 0:
            self.stopwords += 1
        if self.description.size and self.description.find(text, start, stop, h) >= 0:
            self.described += 1
        if self.title.size:
            found = self.title.find(text, start, stop, h)
            if found >= 0 and self.title_seen[found] != self.block:  # each title word once a block
                self.title_seen[found] = self.block
                self.titled += 1


cdef inline bint _may_hold_tokens(str text):
    """Whether find_tokens could find a token (templates.TOKEN_HINTS): its quick test, without the call."""
    cdef str hint
    for hint in _TOKEN_HINTS:
        if hint in text:
            return True
    return False


def block_counts(list blocks, list words_per_block, set title_words, set description_words):
    """``features._python_block_counts(blocks, words_per_block, title_words, description_words)``, compiled."""
    cdef Py_ssize_t n = len(blocks), i, j, length
    out_array = np.zeros((len(_COUNT), n), dtype=np.int64)
    cdef long long[:, ::1] out = out_array
    cdef dict cache = _class_cache()
    cdef dict seen = {}  # the page's ancestor strings
    cdef dict shapes = {}
    cdef str text, word, classes, lowered
    cdef list words
    cdef Py_UCS4 ch, last
    cdef unsigned char kind
    cdef long long spaces, upper, lower, digits, punct, stops, word_chars, n_words
    cdef Py_ssize_t start
    cdef _WordCounts counts = _WordCounts(title_words, description_words)
    # A str's characters are read straight from its buffer (its kind says 1, 2 or 4 bytes each).
    cdef int text_kind
    cdef void* data
    for i in range(n):
        block = blocks[i]
        text = block.text
        length = len(text)
        text_kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        spaces = upper = lower = digits = punct = stops = 0
        for j in range(length):
            ch = PyUnicode_READ(text_kind, data, j)
            kind = _CLASS[_bmp(ch)]
            if kind == _SPACE:
                spaces += 1
            elif kind == _UPPER:
                upper += 1
            elif kind == _LOWER:
                lower += 1
            elif kind == _DIGIT:
                digits += 1
            elif kind == _PUNCT:
                punct += 1
            # a stop before a space inside the block (one before the block's end runs into the next block)
            if j + 1 < length and _STOP[_bmp(ch)] and PyUnicode_READ(text_kind, data, j + 1) == 32:
                stops += 1
        out[CHARS, i] = length
        out[SPACES, i] = spaces
        out[UPPER, i] = upper
        out[LOWER, i] = lower
        out[DIGITS, i] = digits
        out[PUNCT, i] = punct
        out[INNER_STOPS, i] = stops
        if length > 0:
            last = text[length - 1]
            if _END[_bmp(last)] or (length > 1 and last == "\n" and _END[_bmp(text[length - 2])]):
                out[ENDS, i] = 1
            if text[0].isupper():
                out[STARTS_UPPER, i] = 1

        counts.start(i)
        if words_per_block is not None:  # the words given (as the terms have them)
            words = words_per_block[i]
            n_words = len(words)
            word_chars = 0
            for word in words:
                word_chars += len(word)
                counts.add(word, 0, len(word))
        else:  # found here, as features._WORD.findall(text.lower()) finds them, and looked up where they lie
            lowered = text.lower()
            length = len(lowered)
            text_kind = PyUnicode_KIND(lowered)
            data = PyUnicode_DATA(lowered)
            n_words = word_chars = 0
            j = 0
            while j < length:
                if not _is_word(PyUnicode_READ(text_kind, data, j)):
                    j += 1
                    continue
                start = j
                j += 1
                while j < length and _is_word(PyUnicode_READ(text_kind, data, j)):
                    j += 1
                n_words += 1
                word_chars += j - start
                counts.add(lowered, start, j)
        out[WORDS, i] = n_words
        out[WORD_CHARS, i] = word_chars
        out[STOPWORDS, i] = counts.stopwords
        out[DESCRIPTION, i] = counts.described
        out[TITLE, i] = counts.titled

        out[LINK_CHARS, i] = block.link_chars
        out[DEPTH, i] = block.depth
        out[CONTAINER, i] = block.container
        out[LANDMARKS, i] = block.landmarks
        out[TAG, i] = _TAG_NUMBER.get(block.tag, _OTHER_TAG)
        classes = block.classes
        bits = cache.get(classes)
        out[CLASS_BITS, i] = bits if bits is not None else _vocab_bits(classes, cache)
        out[ANCESTOR_BITS, i] = _ancestor_bits(block.ancestor_classes, seen, cache)
        if _may_hold_tokens(text):
            out[TEMPLATE_TEXT, i] = len(_find_tokens(text))
        attrs = block.template_attrs
        if attrs:
            out[TEMPLATE_ATTR, i] = len(_find_tokens(attrs))
        shape = _shape(block.xpath)
        group = shapes.get(shape)
        if group is None:
            group = shapes[shape] = len(shapes)
        out[REPEAT_GROUP, i] = group
    return out_array


def within(list blocks, str region):
    """``features._python_within(blocks, region)``: 1.0 for each block whose XPath is the region's or lies
    under it, else 0.0."""
    cdef Py_ssize_t i, n = len(blocks), m = len(region)
    out = np.zeros(n)
    cdef double[::1] flags = out
    cdef str xpath
    for i in range(n):
        xpath = blocks[i].xpath
        if xpath.startswith(region) and (len(xpath) == m or xpath[m] == "/"):
            flags[i] = 1.0
    return out


# The steps of a vocabulary alternative (see features._vocab_programs), tried as Python's regex engine tries
# them: a character; a character that may be left out (taken if it can be); at the start of the token or
# past a separator ((?:^|[\s_-])); at its end or past a separator ((?:$|[\s_-])).
cdef enum:
    CHAR = 0
    OPTIONAL = 1
    START_OR_SEPARATOR = 2
    END_OR_SEPARATOR = 3


cdef inline bint _separates(unsigned char c):
    """[\\s_-] for a character inside a token, which holds no whitespace."""
    return c == b"_" or c == b"-"


cdef inline bint _splits(unsigned char c):
    """An ASCII character that str.split() splits at."""
    return c == 32 or (c >= 9 and c <= 13) or (c >= 28 and c <= 31)


cdef class VocabularyScanner:
    """The class vocabulary's bits of a string of ASCII class/id tokens: what ``features._vocab_bits`` gives
    by the regexes, read here token by token as ``_VOCAB_RE.finditer`` reads one.

    At each place of a token the alternatives are tried in the vocabulary's order, the first that matches
    winning, and the next match is looked for where it ended; only the alternatives that can start with
    the place's character (and those that start at a separator or the start) are tried.
    """

    cdef int[::1] ops, chars, program_start, entry, plain_length
    cdef int[::1] by_first_start, by_first, by_start_start, by_start
    cdef bytes plain_bytes

    def __init__(self, list programs):
        """``programs``: (entry index, [(step, character code), ...]) in the vocabulary's order."""
        ops, chars, starts, entries = [], [], [], []
        for index, steps in programs:
            starts.append(len(ops))
            entries.append(index)
            for op, char in steps:
                ops.append(op)
                chars.append(char)
        starts.append(len(ops))
        self.ops = np.array(ops, dtype=np.intc)
        self.chars = np.array(chars, dtype=np.intc)
        self.program_start = np.array(starts, dtype=np.intc)
        self.entry = np.array(entries, dtype=np.intc)
        # The programs that may match at a place holding a byte, in order: those whose first character it is,
        # and, where it is a separator, those that start past one. At a token's start, those too (by_start).
        def may_start(steps, byte, at_start):
            op, char = steps[0]
            if op == START_OR_SEPARATOR:
                return at_start or chr(byte) in "_-"
            return op == OPTIONAL or char == byte
        lists = [[k for k, (_, steps) in enumerate(programs) if may_start(steps, b, False)] for b in range(256)]
        starts = [[k for k, (_, steps) in enumerate(programs) if may_start(steps, b, True)] for b in range(256)]
        self.by_first_start = np.array([0, *np.cumsum([len(x) for x in lists])], dtype=np.intc)
        self.by_first = np.array([k for x in lists for k in x] or [0], dtype=np.intc)
        self.by_start_start = np.array([0, *np.cumsum([len(x) for x in starts])], dtype=np.intc)
        self.by_start = np.array([k for x in starts for k in x] or [0], dtype=np.intc)
        # A program of plain characters is compared with memcmp: its bytes start at its first step's index.
        self.plain_bytes = bytes(c if op == CHAR else 0 for op, c in zip(ops, chars)) + b"\0"
        self.plain_length = np.array(
            [len(steps) if all(op == CHAR for op, _ in steps) else 0 for _, steps in programs], dtype=np.intc
        )

    def bits(self, str tokens):
        """The string's bit set; it must be ASCII."""
        cdef Py_ssize_t n, begin = 0, end
        cdef const char* s = PyUnicode_AsUTF8AndSize(tokens, &n)
        cdef long long found = 0
        while begin < n:
            while begin < n and _splits(s[begin]):
                begin += 1
            end = begin
            while end < n and not _splits(s[end]):
                end += 1
            if begin < end:
                found |= self.token_bits(s + begin, end - begin)
            begin = end
        return found

    cdef long long token_bits(self, const char* s, Py_ssize_t n):
        cdef long long found = 0
        cdef Py_ssize_t pos = 0, p, stop
        cdef int j, k, length, after
        cdef unsigned char b
        cdef const char* plain = self.plain_bytes
        cdef const int* first
        while pos < n:
            stop = -1
            for p in range(pos, n):
                b = <unsigned char>s[p]
                if p == 0:
                    first, after = &self.by_start[0], self.by_start_start[b + 1]
                    j = self.by_start_start[b]
                else:
                    first, after = &self.by_first[0], self.by_first_start[b + 1]
                    j = self.by_first_start[b]
                while j < after:
                    k = first[j]
                    j += 1
                    length = self.plain_length[k]
                    if length:  # plain characters, the first already equal
                        if p + length <= n and memcmp(s + p, plain + self.program_start[k], length) == 0:
                            stop = p + length
                        else:
                            stop = -1
                    else:
                        stop = self.match(s, n, p, self.program_start[k], self.program_start[k + 1])
                    if stop >= 0:
                        found |= 1LL << self.entry[k]
                        break
                if stop >= 0:
                    break
            if stop < 0:
                break
            pos = stop if stop > p else p + 1
        return found

    cdef Py_ssize_t match(self, const char* s, Py_ssize_t n, Py_ssize_t p, int step, int last):
        """Where the steps from ``step`` on end when they start at ``p``, or -1: first choice first."""
        cdef Py_ssize_t got
        cdef int op
        if step == last:
            return p
        op = self.ops[step]
        if op == CHAR:
            if p < n and <unsigned char>s[p] == self.chars[step]:
                return self.match(s, n, p + 1, step + 1, last)
            return -1
        if op == OPTIONAL:
            if p < n and <unsigned char>s[p] == self.chars[step]:
                got = self.match(s, n, p + 1, step + 1, last)
                if got >= 0:
                    return got
            return self.match(s, n, p, step + 1, last)
        # START_OR_SEPARATOR or END_OR_SEPARATOR: at the token's edge without a character, else past a separator
        if (p == 0) if op == START_OR_SEPARATOR else (p == n):
            got = self.match(s, n, p, step + 1, last)
            if got >= 0:
                return got
        if p < n and _separates(s[p]):
            return self.match(s, n, p + 1, step + 1, last)
        return -1
