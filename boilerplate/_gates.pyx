# cython: language_level=3, boundscheck=False, wraparound=False
"""The gate scan of :mod:`boilerplate.lexicon`, compiled: the same masks as ``lexicon._open_gates``, faster.

``lexicon._open_gates`` is the reference. It looks for each stem in all of a
page's texts with one ``str.find`` scan per stem, and holds each text's start
against the openings in a Python loop; on a page of a few hundred short texts
that took half the time of the kind rules. Here each text is read once, as
its UTF-8 bytes: at every byte, the stems that start with that byte are
compared there, and where the text's words start, the openings. A literal's
UTF-8 bytes occur in a text's UTF-8 bytes exactly where its characters occur
in the text, so the masks are the same; a test holds the two to that.
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

    def masks(self, list keys, unsigned long long always):
        """Each key's mask: ``always``, and the bits of every stem it holds and every opening it starts with.

        Raises UnicodeEncodeError for a key that has no UTF-8 form (a lone surrogate).
        """
        cdef Py_ssize_t n, p, j, lead, length, pair
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
                for j in range(stem_start[b], stem_start[b + 1]):
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


def _group(dict literals):
    """The literals' UTF-8 bytes end to end, sorted; where each first byte's run starts; offsets, lengths, bits."""
    encoded = sorted((literal.encode("utf-8"), bits) for literal, bits in literals.items())
    lengths = np.array([len(e) for e, _ in encoded], dtype=np.intp)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
    firsts = np.array([e[0] for e, _ in encoded], dtype=np.intp)
    start = np.searchsorted(firsts, np.arange(257), side="left").astype(np.intp)
    bits = np.array([b for _, b in encoded], dtype=np.ulonglong)
    return b"".join(e for e, _ in encoded), start, offsets, lengths, bits
