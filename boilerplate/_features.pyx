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
them with the regexes; the pass calls it, as ``features._vocab_bits`` does, for
the class strings the page-to-page cache lacks.

Last, :func:`from_counts` works the features out of the counts, a row at a
time, as ``features._python_from_counts`` does with numpy a column at a time:
the same values to the bit, without the hundred small array operations that
cost every page a fixed fifth of a millisecond.
"""

import numpy as np

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.string cimport memcmp

from . import features as _py

include "_blocks.pxi"

cdef const unsigned char[::1] _CLASS = _py._char_table()
cdef const unsigned char[::1] _END = _py._IS_SENTENCE_END.view(np.uint8)
cdef const unsigned char[::1] _STOP = _py._IS_SENTENCE_STOP.view(np.uint8)
cdef dict _TAG_NUMBER = _py._TAG_NUMBER
cdef long long _OTHER_TAG = _py._OTHER_TAG
cdef frozenset _STOPWORDS = _py.STOPWORDS
cdef object _class_cache = _py._class_cache
cdef object _find_tokens = _py.find_tokens
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


cdef long long _class_bits(str tokens, dict cache) except -1:
    """features._vocab_bits(tokens, cache), without a call into Python for a string the cache lacks."""
    bits = cache.get(tokens)
    if bits is not None:
        return bits
    scanner = _py._VOCAB_SCANNER  # read at each call, as _vocab_bits reads it
    cdef long long found
    if scanner is not None and tokens.isascii():
        found = (<VocabularyScanner>scanner).scan(tokens)
    else:
        found = _py._python_vocab_bits(tokens)
    if len(tokens) <= _py._CACHED_LENGTH:
        cache[tokens] = found
    return found


cdef long long _ancestor_bits(str ancestors, dict seen, dict cache) except -1:
    """features._ancestor_vocab_bits, with its loop over the enclosing elements in C."""
    bits = seen.get(ancestors)
    if bits is not None:
        return bits
    cdef long long found = 0
    for element_classes in ancestors.split(" | "):
        found |= _class_bits(element_classes, cache)
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
        text = _field(block, _AT_TEXT, "text")
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

        out[LINK_CHARS, i] = _field(block, _AT_LINK_CHARS, "link_chars")
        out[DEPTH, i] = _field(block, _AT_DEPTH, "depth")
        out[CONTAINER, i] = _field(block, _AT_CONTAINER, "container")
        out[LANDMARKS, i] = _field(block, _AT_LANDMARKS, "landmarks")
        out[TAG, i] = _TAG_NUMBER.get(_field(block, _AT_TAG, "tag"), _OTHER_TAG)
        out[CLASS_BITS, i] = _class_bits(_field(block, _AT_CLASSES, "classes"), cache)
        out[ANCESTOR_BITS, i] = _ancestor_bits(_field(block, _AT_ANCESTOR_CLASSES, "ancestor_classes"), seen, cache)
        if _may_hold_tokens(text):
            out[TEMPLATE_TEXT, i] = len(_find_tokens(text))
        attrs = _field(block, _AT_TEMPLATE_ATTRS, "template_attrs")
        if attrs:
            out[TEMPLATE_ATTR, i] = len(_find_tokens(attrs))
        shape = _shape(_field(block, _AT_XPATH, "xpath"))
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
        xpath = _field(blocks[i], _AT_XPATH, "xpath")
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
    cdef unsigned char[::1] pair

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
        # Whether any program that may start at a byte (inside a token) may go on with the next byte: most
        # places of a token are ruled out by this one lookup, before any program is tried.
        pair = np.zeros(256 * 256, dtype=np.uint8)
        plain_lengths = np.asarray(self.plain_length)
        for b in range(256):
            for k in lists[b]:
                steps = programs[k][1]
                if plain_lengths[k] >= 2:
                    pair[b * 256 + steps[1][1]] = 1
                else:  # a program of one character, or of other steps: any next byte may do
                    pair[b * 256 : b * 256 + 256] = 1
        self.pair = pair

    def bits(self, str tokens):
        """The string's bit set; it must be ASCII."""
        return self.scan(tokens)

    cdef long long scan(self, str tokens) except -1:
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
                elif p + 1 < n and not self.pair[b * 256 + <unsigned char>s[p + 1]]:
                    continue
                else:
                    first, after = &self.by_first[0], self.by_first_start[b + 1]
                    j = self.by_first_start[b]
                while j < after:
                    k = first[j]
                    j += 1
                    length = self.plain_length[k]
                    if length:  # plain characters, the first already equal
                        if (
                            p + length <= n
                            and (length == 1 or s[p + 1] == plain[self.program_start[k] + 1])
                            and memcmp(s + p, plain + self.program_start[k], length) == 0
                        ):
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


# -- features from the counts -------------------------------------------------------------------------------------

# Where each feature goes in a row (features.FEATURE_NAMES), looked up by name so that the two stay in step.
cdef dict _COLUMN = {name: i for i, name in enumerate(_py.FEATURE_NAMES)}
cdef Py_ssize_t N_FEATURES = len(_py.FEATURE_NAMES)
cdef Py_ssize_t N_TAGS = len(_py._TAG_NAMES)
cdef long long TAG_P = _py._TAG_INDEX["p"], TAG_H1 = _py._TAG_INDEX["h1"], TAG_H2 = _py._TAG_INDEX["h2"]
cdef long long TAG_H3 = _py._TAG_INDEX["h3plus"]
cdef Py_ssize_t FIRST_TAG = _COLUMN["tag_" + _py._TAG_NAMES[0]]
cdef Py_ssize_t N_LANDMARKS = len(_py._FEATURE_LANDMARKS), N_VOCABULARY = len(_py.CLASS_VOCABULARY)
cdef Py_ssize_t FIRST_LANDMARK = _COLUMN["in_" + _py._FEATURE_LANDMARKS[0]]
cdef Py_ssize_t FIRST_CLASS = _COLUMN["class_" + next(iter(_py.CLASS_VOCABULARY))]
cdef Py_ssize_t FIRST_ANCESTOR = _COLUMN["ancestor_class_" + next(iter(_py.CLASS_VOCABULARY))]
cdef Py_ssize_t N_CONTEXT = len(_py._CONTEXT_KEYS)
cdef Py_ssize_t FIRST_CONTEXT = _COLUMN["prev2_" + _py._CONTEXT_KEYS[0]]
cdef Py_ssize_t FIRST_PAGE_TYPE = _COLUMN["page_schema_" + next(iter(_py._SCHEMA_KINDS))]
# The context columns are log_words, link_density, text_density, stopword_ratio, ends_sentence, is_p and is_heading
# for the blocks two and one before and one and two after, in that order.
assert _py._CONTEXT_KEYS == (
    "log_words", "link_density", "text_density", "stopword_ratio", "ends_sentence", "is_p", "is_heading"
)
cdef Py_ssize_t[4] _OFFSETS
_OFFSETS[:] = [-2, -1, 1, 2]
# The arguments of log1p, one row each (taken by numpy's log1p all at once, as the Python code takes them).
cdef enum:
    LOG_CHARS, LOG_WORDS, LOG_SENTENCES, LOG_C_WORDS, LOG_C_BLOCKS, LOG_SAME_TAG, LOG_G_BLOCKS, N_LOGS


def from_counts(
    const long long[:, ::1] c,
    Py_ssize_t n_title,
    bint has_description,
    const double[::1] prose_words,
    const double[::1] in_region,
    long long region_top,
    list page_types,
):
    """``features._python_from_counts``: the feature matrix, written a row at a time.

    Each value is the Python code's, operation for operation in double precision; sums whose order could
    matter are taken in block order, as ``np.bincount`` takes them, and the logarithms by numpy's log1p.
    """
    cdef Py_ssize_t n = c.shape[1], i, k, g, t, o, j, n_groups = 0, n_containers
    cdef long long length, total_chars = 0, max_depth = 1, tag, bits, landmarks
    cdef double words, page_words = 0.0, link_sum = 0.0, in_words = 0.0, prose_sum = 0.0, max_words = 0.0
    cdef double repeat_words = 0.0, nonspace
    # Each block's container as a number from 0, in the order the containers first appear.
    cdef dict numbers = {}
    container_array = np.empty(n, dtype=np.intp)
    cdef Py_ssize_t[::1] container = container_array
    for i in range(n):
        container[i] = numbers.setdefault(c[CONTAINER, i], len(numbers))
        if c[REPEAT_GROUP, i] < 0:
            raise ValueError("repeat groups are numbered from 0")
        if c[REPEAT_GROUP, i] + 1 > n_groups:
            n_groups = c[REPEAT_GROUP, i] + 1
    n_containers = len(numbers)

    per_block_array = np.zeros((7, n))  # the context columns
    cdef double[:, ::1] ctx = per_block_array
    container_sums_array = np.zeros((7, n_containers))
    cdef double[:, ::1] cs = container_sums_array  # words, blocks, chars, links, text density, stop ratio, ends
    same_tag_array = np.zeros(n_containers * N_TAGS, dtype=np.int64)
    cdef long long[::1] same_tag = same_tag_array
    group_sums_array = np.zeros((5, n_groups))
    cdef double[:, ::1] gs = group_sums_array  # blocks, words, chars, links, log words
    logs_array = np.empty((N_LOGS, n))
    cdef double[:, ::1] logs = logs_array

    for i in range(n):
        length = c[CHARS, i]
        words = <double>c[WORDS, i]
        k = container[i]
        g = c[REPEAT_GROUP, i]
        ctx[1, i] = <double>c[LINK_CHARS, i] / <double>(length if length > 1 else 1)
        ctx[2, i] = words if length <= 80 else words * 80.0 / <double>(length if length > 1 else 1)
        ctx[3, i] = <double>c[STOPWORDS, i] / (words if words > 1.0 else 1.0)
        ctx[4, i] = <double>c[ENDS, i]
        tag = c[TAG, i]
        ctx[5, i] = 1.0 if tag == TAG_P else 0.0
        ctx[6, i] = 1.0 if tag == TAG_H1 or tag == TAG_H2 or tag == TAG_H3 else 0.0
        logs[LOG_CHARS, i] = <double>length
        logs[LOG_WORDS, i] = words
        logs[LOG_SENTENCES, i] = <double>(c[INNER_STOPS, i] + 1)
        cs[0, k] += words
        cs[1, k] += 1.0
        cs[2, k] += <double>length
        cs[3, k] += <double>c[LINK_CHARS, i]
        cs[4, k] += ctx[2, i]
        cs[5, k] += ctx[3, i]
        cs[6, k] += ctx[4, i]
        same_tag[k * N_TAGS + tag] += 1
        gs[0, g] += 1.0
        gs[1, g] += words
        gs[2, g] += <double>length
        gs[3, g] += <double>c[LINK_CHARS, i]
        total_chars += length
        page_words += words
        link_sum += <double>c[LINK_CHARS, i]
        if c[DEPTH, i] > max_depth:
            max_depth = c[DEPTH, i]
        in_words += words * in_region[i]
        prose_sum += prose_words[i]
        if words > max_words:
            max_words = words
    for i in range(n):
        k = container[i]
        g = c[REPEAT_GROUP, i]
        logs[LOG_C_WORDS, i] = cs[0, k]
        logs[LOG_C_BLOCKS, i] = cs[1, k]
        logs[LOG_SAME_TAG, i] = <double>same_tag[k * N_TAGS + c[TAG, i]]
        logs[LOG_G_BLOCKS, i] = gs[0, g]
        if gs[0, g] >= 4.0:
            repeat_words += <double>c[WORDS, i]
    if total_chars < 1:
        total_chars = 1
    if page_words < 1.0:
        page_words = 1.0
    np.log1p(logs_array, out=logs_array)
    page_logs = np.log1p(np.array([page_words, <double>n, max_words]))
    for i in range(n):
        ctx[0, i] = logs[LOG_WORDS, i]
        gs[4, c[REPEAT_GROUP, i]] += logs[LOG_WORDS, i]
    cdef double page_log_words = page_logs[0], page_log_blocks = page_logs[1], page_max_log_words = page_logs[2]
    cdef double page_link_density = link_sum / <double>total_chars
    cdef double rel_steps = <double>(n - 1 if n > 2 else 1)
    cdef double[10] facts
    facts[0] = in_words / page_words
    facts[1] = prose_sum / page_words
    facts[2] = page_max_log_words
    facts[3] = repeat_words / page_words
    if len(page_types) > 6:
        raise ValueError("more page types than the features hold")
    for t in range(len(page_types)):
        facts[4 + t] = page_types[t]
    cdef Py_ssize_t FIRST_MEAN = FIRST_CONTEXT + 4 * N_CONTEXT, FIRST_REPEAT = FIRST_MEAN + 3
    cdef Py_ssize_t FIRST_FACT = FIRST_REPEAT + 6
    assert FIRST_FACT + 4 + len(page_types) == N_FEATURES == FIRST_PAGE_TYPE + len(page_types)

    out_array = np.empty((n, N_FEATURES), dtype=np.float32)
    cdef float[:, ::1] out = out_array
    cdef long long start = 0, letters, depth
    cdef double d
    for i in range(n):
        length = c[CHARS, i]
        words = <double>c[WORDS, i]
        k = container[i]
        g = c[REPEAT_GROUP, i]
        depth = c[DEPTH, i]
        nonspace = <double>(length - c[SPACES, i] if length - c[SPACES, i] > 1 else 1)
        letters = c[UPPER, i] + c[LOWER, i]
        out[i, 0] = <float>logs[LOG_CHARS, i]
        out[i, 1] = <float>logs[LOG_WORDS, i]
        out[i, 2] = <float>ctx[2, i]
        out[i, 3] = <float>ctx[1, i]
        out[i, 4] = <float>(<double>c[PUNCT, i] / nonspace)
        out[i, 5] = <float>(<double>c[DIGITS, i] / nonspace)
        out[i, 6] = <float>(<double>c[UPPER, i] / <double>(letters if letters > 1 else 1))
        out[i, 7] = <float>ctx[3, i]
        out[i, 8] = <float>(<double>c[WORD_CHARS, i] / (words if words > 1.0 else 1.0))
        out[i, 9] = <float>ctx[4, i]
        out[i, 10] = <float>c[STARTS_UPPER, i]
        out[i, 11] = <float>logs[LOG_SENTENCES, i]
        out[i, 12] = <float>c[TEMPLATE_TEXT, i]
        out[i, 13] = <float>c[TEMPLATE_ATTR, i]
        out[i, 14] = <float>(<double>i / rel_steps)
        out[i, 15] = <float>(<double>start / <double>total_chars)
        out[i, 16] = <float>depth
        out[i, 17] = <float>(<double>depth / <double>max_depth)
        out[i, 18] = <float>(<double>c[TITLE, i] / <double>n_title) if n_title else 0.0
        if has_description and c[WORDS, i] > 0:
            out[i, 19] = <float>(<double>c[DESCRIPTION, i] / <double>c[WORDS, i])
        else:
            out[i, 19] = 0.0
        out[i, 20] = <float>(words / page_words)
        out[i, 21] = <float>page_log_words
        out[i, 22] = <float>page_log_blocks
        out[i, 23] = <float>page_link_density
        out[i, 24] = <float>logs[LOG_C_WORDS, i]
        out[i, 25] = <float>logs[LOG_C_BLOCKS, i]
        out[i, 26] = <float>(cs[3, k] / (cs[2, k] if cs[2, k] > 1.0 else 1.0))
        out[i, 27] = <float>(words / (cs[0, k] if cs[0, k] > 1.0 else 1.0))
        out[i, 28] = <float>logs[LOG_SAME_TAG, i]
        tag = c[TAG, i]
        for t in range(N_TAGS):
            out[i, FIRST_TAG + t] = 1.0 if t == tag else 0.0
        landmarks = c[LANDMARKS, i]
        for t in range(N_LANDMARKS):
            out[i, FIRST_LANDMARK + t] = <float>((landmarks >> t) & 1)
        bits = c[CLASS_BITS, i]
        for t in range(N_VOCABULARY):
            out[i, FIRST_CLASS + t] = <float>((bits >> t) & 1)
        bits = c[ANCESTOR_BITS, i]
        for t in range(N_VOCABULARY):
            out[i, FIRST_ANCESTOR + t] = <float>((bits >> t) & 1)
        for o in range(4):
            j = i + _OFFSETS[o]
            for t in range(N_CONTEXT):
                out[i, FIRST_CONTEXT + o * N_CONTEXT + t] = <float>ctx[t, j] if 0 <= j < n else -1.0
        out[i, FIRST_MEAN] = <float>(cs[4, k] / cs[1, k])
        out[i, FIRST_MEAN + 1] = <float>(cs[5, k] / cs[1, k])
        out[i, FIRST_MEAN + 2] = <float>(cs[6, k] / cs[1, k])
        out[i, FIRST_REPEAT] = <float>logs[LOG_G_BLOCKS, i]
        out[i, FIRST_REPEAT + 1] = <float>(gs[1, g] / page_words)
        out[i, FIRST_REPEAT + 2] = <float>(gs[3, g] / (gs[2, g] if gs[2, g] > 1.0 else 1.0))
        out[i, FIRST_REPEAT + 3] = <float>(gs[4, g] / gs[0, g])
        out[i, FIRST_REPEAT + 4] = <float>in_region[i]
        out[i, FIRST_REPEAT + 5] = <float>(<double>depth - <double>region_top) if in_region[i] > 0 else -1.0
        for t in range(4 + len(page_types)):
            out[i, FIRST_FACT + t] = <float>facts[t]
        start += length
    return out_array
