# cython: language_level=3, boundscheck=False, wraparound=False
"""The scans of :mod:`boilerplate.lexicon`, compiled: the gates' masks and the kinds class names name.

The gate scan gives the masks of ``lexicon._open_gates``, faster.

``lexicon._open_gates`` is the reference. It looks for each stem in all of a
page's texts with one ``str.find`` scan per stem, and holds each text's start
against the openings in a Python loop; on a page of a few hundred short texts
that took half the time of the kind rules. Here each text is read once, as
its UTF-8 bytes: at every byte, the stems that start with that byte are
compared there, and where the text's words start, the openings. A literal's
UTF-8 bytes occur in a text's UTF-8 bytes exactly where its characters occur
in the text, so the masks are the same; a test holds the two to that.

The class scan (:class:`ClassKinds`) names the kind a string of class/id
tokens names, as ``lexicon._python_class_kind`` does with the class patterns,
by comparing their words at each place of a token where a part may start.
"""

import numpy as np

from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from libc.string cimport memcmp


cdef class GateScanner:
    """Literals grouped by their first byte, each with the bits of the families whose gate it opens."""

    cdef bytes stem_bytes, opening_bytes
    cdef const Py_ssize_t[::1] stem_start, stem_offset, stem_length, opening_start, opening_offset, opening_length
    cdef const unsigned long long[::1] stem_bits, opening_bits
    cdef unsigned char pairs[8192]  # bit a * 256 + b: some stem starts with byte a then byte b (or is a alone)
    # For a pair of bytes whose bit is set, the stems that may start there: pair_slot[a * 256 + b] numbers a
    # run of them, from slot_start to slot_stop; those starting with a then b, or all that start with a
    # where one stem is a alone.
    cdef const unsigned short[::1] pair_slot
    cdef const Py_ssize_t[::1] slot_start, slot_stop
    cdef object lead_of

    def __init__(self, dict stems, dict openings, lead_of):
        """``stems`` and ``openings`` map literals to bits; ``lead_of(key)`` is where a key's words start."""
        self.stem_bytes, self.stem_start, self.stem_offset, self.stem_length, self.stem_bits = _group(stems)
        (
            self.opening_bytes, self.opening_start, self.opening_offset, self.opening_length, self.opening_bits
        ) = _group(openings)
        self.lead_of = lead_of
        cdef int a, b
        for a in range(8192):
            self.pairs[a] = 0
        for stem in stems:
            first = stem.encode("utf-8")
            a = first[0]
            for b in range(256) if len(first) == 1 else (first[1],):
                self.pairs[(a * 256 + b) >> 3] |= 1 << (b & 7)
        self.pair_slot, self.slot_start, self.slot_stop = _pair_slots(sorted(stem.encode("utf-8") for stem in stems))

    def masks(self, list keys, unsigned long long always):
        """Each key's mask: ``always``, and the bits of every stem it holds and every opening it starts with.

        Raises UnicodeEncodeError for a key that has no UTF-8 form (a lone surrogate).
        """
        cdef Py_ssize_t n, p, j, lead, length, pair, slot
        cdef const char* s
        cdef const char* stems = self.stem_bytes
        cdef const char* openings = self.opening_bytes
        cdef unsigned char b
        cdef unsigned long long mask
        cdef const Py_ssize_t* stem_start = &self.stem_start[0]
        cdef const Py_ssize_t* stem_offset = &self.stem_offset[0] if self.stem_offset.shape[0] else NULL
        cdef const Py_ssize_t* stem_length = &self.stem_length[0] if self.stem_length.shape[0] else NULL
        cdef const unsigned long long* stem_bits = &self.stem_bits[0] if self.stem_bits.shape[0] else NULL
        out = []
        for key in keys:
            s = PyUnicode_AsUTF8AndSize(key, &n)
            mask = always
            for p in range(n):
                b = <unsigned char>s[p]
                pair = b * 256 + (<unsigned char>s[p + 1] if p + 1 < n else 0)
                if not self.pairs[pair >> 3] & (1 << (pair & 7)):
                    continue  # no stem starts with these two bytes: most places of most texts
                slot = self.pair_slot[pair]
                for j in range(self.slot_start[slot], self.slot_stop[slot]):
                    length = stem_length[j]
                    # The first byte is the run's; the second rules out most literals before the rest is compared.
                    if p + length <= n and (
                        length == 1
                        or (s[p + 1] == stems[stem_offset[j] + 1] and memcmp(s + p, stems + stem_offset[j], length) == 0)
                    ):
                        mask |= stem_bits[j]
            # The words start past the characters that are no word characters (as the regex \W* reads them):
            # read here while they are ASCII, by lead_of once another character comes first.
            lead = 0
            while lead < n and <unsigned char>s[lead] < 0x80 and not _is_ascii_word(s[lead]):
                lead += 1
            if lead < n and <unsigned char>s[lead] >= 0x80:
                lead = len(key[: self.lead_of(key)].encode("utf-8"))
            if lead < n:
                b = <unsigned char>s[lead]
                for j in range(self.opening_start[b], self.opening_start[b + 1]):
                    length = self.opening_length[j]
                    if lead + length <= n and memcmp(s + lead, openings + self.opening_offset[j], length) == 0:
                        mask |= self.opening_bits[j]
            out.append(mask)
        return out


cdef inline bint _is_ascii_word(char c):
    return (c >= b"a" and c <= b"z") or (c >= b"A" and c <= b"Z") or (c >= b"0" and c <= b"9") or c == b"_"


def _pair_slots(list encoded):
    """For GateScanner: each pair of bytes' slot, and where each slot's stems start and stop in ``encoded``
    (the stems' bytes, sorted as _group sorts them, so that a slot's stems are one stretch of them)."""
    slots = {}  # (start, stop) -> slot
    pair_slot = np.zeros(256 * 256, dtype=np.ushort)
    for first in range(256):
        run = [i for i, e in enumerate(encoded) if e[0] == first]
        if not run:
            continue
        alone = any(len(encoded[i]) == 1 for i in run)  # a stem of this byte alone: every second byte may do
        for second in range(256):
            within = run if alone else [i for i in run if encoded[i][1] == second]
            if within:
                pair_slot[first * 256 + second] = slots.setdefault((within[0], within[len(within) - 1] + 1), len(slots))
    starts = np.array([start for start, _ in slots] or [0], dtype=np.intp)
    stops = np.array([stop for _, stop in slots] or [0], dtype=np.intp)
    return pair_slot, starts, stops


def _group(dict literals):
    """The literals' UTF-8 bytes end to end, sorted; where each first byte's run starts; offsets, lengths, bits."""
    encoded = sorted((literal.encode("utf-8"), bits) for literal, bits in literals.items())
    lengths = np.array([len(e) for e, _ in encoded], dtype=np.intp)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
    firsts = np.array([e[0] for e, _ in encoded], dtype=np.intp)
    start = np.searchsorted(firsts, np.arange(257), side="left").astype(np.intp)
    bits = np.array([b for _, b in encoded], dtype=np.ulonglong)
    return b"".join(e for e, _ in encoded), start, offsets, lengths, bits


# How a class-name literal may end (see lexicon._class_literals): as written, without its last character,
# or followed by any run of word characters.
cdef enum:
    EXACT = 0
    OPTIONAL_LAST = 1
    WORD_RUN = 2


cdef int _NO_KIND_YET = 1 << 30  # above every kind index


cdef inline bint _is_boundary(unsigned char c):
    """A character the class patterns' (?:^|[-_\\d]) and (?:$|[-_\\d]) accept inside a token (ASCII)."""
    return c == b"-" or c == b"_" or (c >= b"0" and c <= b"9")


# How many element class strings ClassKinds remembers before it starts afresh, and the longest it remembers.
cdef Py_ssize_t _REMEMBERED_ELEMENTS = 1 << 16, _REMEMBERED_LENGTH = 512


cdef bint _one_of(const char* s, Py_ssize_t n, tuple words):
    """Whether the n bytes at s are one of ``words`` (bytes), without making them a bytes object."""
    cdef bytes word
    for word in words:
        if len(word) == n and memcmp(s, <const char*>word, n) == 0:
            return True
    return False


cdef inline bint _is_space(unsigned char c):
    """An ASCII character that str.split() splits at."""
    return c == 32 or (c >= 9 and c <= 13) or (c >= 28 and c <= 31)


cdef class ClassKinds:
    """The kind a string of ASCII class/id tokens names: what ``lexicon._python_class_kind`` gives, faster.

    Each literal of ``lexicon.KIND_CLASS_PATTERNS`` is compared at every place of a token where a part may
    start (its start, or after "-", "_" or a digit), and must end where a part may end. A token's kind is
    the first in the patterns' order among those it names; the string's, the last token's that names one.
    """

    cdef bytes literal_bytes
    cdef Py_ssize_t[::1] start, offset, length
    cdef int[::1] form, kind
    cdef int none
    # The kind of each element's class string met so far (of_innermost): pages share the elements around
    # their containers, and a page's containers the elements around them. Bounded as the features' cache.
    cdef dict element_kinds

    def __init__(self, list literals, int none):
        """``literals``: (literal, form, kind index) triples, the literals ASCII; ``none`` is returned for no kind."""
        entries = sorted((literal.encode("ascii"), form, kind) for literal, form, kind in literals)
        self.literal_bytes = b"".join(e for e, _, _ in entries)
        lengths = np.array([len(e) for e, _, _ in entries], dtype=np.intp)
        self.length = lengths
        self.offset = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
        firsts = np.array([e[0] for e, _, _ in entries], dtype=np.intp)
        self.start = np.searchsorted(firsts, np.arange(257), side="left").astype(np.intp)
        self.form = np.array([f for _, f, _ in entries], dtype=np.intc)
        self.kind = np.array([k for _, _, k in entries], dtype=np.intc)
        self.none = none
        self.element_kinds = {}

    @property
    def remembered(self):
        """How many element class strings :meth:`of_innermost` remembers the kinds of."""
        return len(self.element_kinds)

    def of(self, str tokens):
        """The kind index the string names, or ``none``; the string must be ASCII."""
        cdef Py_ssize_t n
        cdef const char* s = PyUnicode_AsUTF8AndSize(tokens, &n)
        return self.of_range(s, 0, n)

    def of_innermost(self, str classes, str tags, tuple skipped):
        """The kind the innermost element names of elements given outermost first: their class/id strings
        joined by " | " and their tags by spaces, paired from the innermost; elements whose tag is one of
        ``skipped`` (bytes) are passed over. Both strings must be ASCII."""
        cdef Py_ssize_t n, m, i, k, begin, part_end, tag_end, tag_begin
        cdef const char* c = PyUnicode_AsUTF8AndSize(classes, &n)
        cdef const char* t = PyUnicode_AsUTF8AndSize(tags, &m)
        cdef list starts = [0]  # where each part of classes.split(" | ") starts, found from the left as split does
        i = 0
        while i + 3 <= n:
            if c[i] == b" " and c[i + 1] == b"|" and c[i + 2] == b" ":
                starts.append(i + 3)
                i += 3
            else:
                i += 1
        part_end = n
        tag_end = m
        cdef int found
        for k in range(len(starts) - 1, -1, -1):
            begin = starts[k]
            while tag_end > 0 and _is_space(t[tag_end - 1]):
                tag_end -= 1
            if tag_end == 0:
                break  # no tag left to pair with (zip stops at the shorter)
            tag_begin = tag_end
            while tag_begin > 0 and not _is_space(t[tag_begin - 1]):
                tag_begin -= 1
            if begin < part_end and not _one_of(t + tag_begin, tag_end - tag_begin, skipped):
                found = self.element_kind(c, begin, part_end)
                if found != self.none:
                    return found
            part_end = begin - 3
            tag_end = tag_begin
        return self.none

    cdef int element_kind(self, const char* s, Py_ssize_t start, Py_ssize_t stop) except? -2:
        """of_range for one element's class string, remembered from element to element and page to page."""
        if stop - start > _REMEMBERED_LENGTH:
            return self.of_range(s, start, stop)
        key = s[start:stop]
        found = self.element_kinds.get(key)
        if found is None:
            if len(self.element_kinds) >= _REMEMBERED_ELEMENTS:
                self.element_kinds.clear()
            found = self.element_kinds[key] = self.of_range(s, start, stop)
        return found

    cdef int of_range(self, const char* s, Py_ssize_t start, Py_ssize_t stop):
        """The kind the tokens of s[start:stop] name: the last token's that names one."""
        cdef Py_ssize_t end = stop, begin
        cdef int found
        while end > start:
            while end > start and _is_space(s[end - 1]):
                end -= 1
            begin = end
            while begin > start and not _is_space(s[begin - 1]):
                begin -= 1
            if begin < end:
                found = self.token_kind(s, begin, end)
                if found != self.none:
                    return found
            end = begin
        return self.none

    cdef int token_kind(self, const char* s, Py_ssize_t begin, Py_ssize_t end):
        """The first kind (the lowest index) that the token s[begin:end] names, or ``none``."""
        cdef int best = _NO_KIND_YET
        cdef Py_ssize_t p, j, length, q, r
        cdef unsigned char b
        cdef const char* literals = self.literal_bytes
        cdef bint hit, digit_or_underscore
        for p in range(begin, end):
            if p > begin and not _is_boundary(s[p - 1]):
                continue
            b = <unsigned char>s[p]
            for j in range(self.start[b], self.start[b + 1]):
                if self.kind[j] >= best:
                    continue
                length = self.length[j]
                hit = False
                if self.form[j] == EXACT:
                    q = p + length
                    hit = q <= end and memcmp(s + p, literals + self.offset[j], length) == 0 and (
                        q == end or _is_boundary(s[q])
                    )
                elif self.form[j] == OPTIONAL_LAST:
                    q = p + length - 1  # without the last character, then with it
                    if q <= end and memcmp(s + p, literals + self.offset[j], length - 1) == 0:
                        hit = q == end or _is_boundary(s[q]) or (
                            s[q] == literals[self.offset[j] + length - 1] and (q + 1 == end or _is_boundary(s[q + 1]))
                        )
                else:  # WORD_RUN: the literal, a run of word characters, and a boundary at or inside the run's end
                    q = p + length
                    if q <= end and memcmp(s + p, literals + self.offset[j], length) == 0:
                        r = q
                        digit_or_underscore = False
                        while r < end and _is_ascii_word(s[r]):
                            if s[r] == b"_" or (s[r] >= b"0" and s[r] <= b"9"):
                                digit_or_underscore = True
                            r += 1
                        hit = digit_or_underscore or r == end or s[r] == b"-"
                if hit:
                    best = self.kind[j]
        return self.none if best == _NO_KIND_YET else best
