# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The boosted trees' raw scores, compiled: what scikit-learn's HistGradientBoosting computes, faster.

scikit-learn walks each tree through 60-byte node records read through
generic memoryviews. Here all trees of one booster are packed into one array
of 16-byte nodes (threshold, feature, first child, where a missing value
goes), a node's two children side by side, and the rows are walked down one
tree after another, so that the tree being walked stays in the fastest cache.
The comparisons and the order of the sum are scikit-learn's (the baseline,
then tree after tree, in float64), so the scores are the same to the last
bit; ``boilerplate.model`` checks that on every booster it packs, and uses
scikit-learn's own code wherever it is not.
"""

import numpy as np

from cpython.mem cimport PyMem_Free, PyMem_Malloc

cdef struct Node:
    float threshold  # the largest float32 at or below scikit-learn's float64 threshold: the same test on float32 rows
    int feature  # -1 at a leaf
    int left  # the left child's index; the right child follows it
    int missing_right  # 1 where a missing value (NaN) goes right

NODE = np.dtype([("threshold", np.float32), ("feature", np.int32), ("left", np.int32), ("missing_right", np.int32)])


def raw_scores(
    const float[:, ::1] X,
    const int[::1] roots,
    const Node[::1] nodes,
    const double[::1] value,
    double baseline,
):
    """The baseline plus every tree's leaf value, for each row of ``X``; ``value`` is each node's leaf value."""
    cdef Py_ssize_t n = X.shape[0], n_trees = roots.shape[0]
    cdef Py_ssize_t i, t
    cdef float x
    cdef const Node* first = &nodes[0]
    cdef const Node* node
    cdef const Node* root
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] scores = out
    with nogil:
        for i in range(n):
            scores[i] = 0.0  # as scikit-learn sums: zero, then the baseline, then tree after tree
            scores[i] += baseline
        for t in range(n_trees):
            root = first + roots[t]
            for i in range(n):
                node = root
                while node.feature >= 0:
                    x = X[i, node.feature]
                    if x <= node.threshold:
                        node = first + node.left
                    elif x > node.threshold:
                        node = first + node.left + 1
                    else:  # NaN
                        node = first + node.left + node.missing_right
                scores[i] += value[node - first]
    return out


cdef extern from "stdlib.h":
    void qsort(void* base, size_t n, size_t size, int (*compare)(const void*, const void*) noexcept nogil) nogil


cdef struct Ranked:
    double proba
    Py_ssize_t index


cdef int _by_proba_then_index(const void* a, const void* b) noexcept nogil:
    """Order of np.lexsort((proba, page)) within a page: by probability, ties in page order."""
    cdef const Ranked* x = <const Ranked*>a
    cdef const Ranked* y = <const Ranked*>b
    if x.proba < y.proba:
        return -1
    if x.proba > y.proba:
        return 1
    return (x.index > y.index) - (x.index < y.index)


def context_features(const double[::1] proba, const long long[::1] pages, offsets, windows):
    """``model._python_context_features(proba, pages)``, compiled: the same float32 columns, to the last bit.

    The numpy version makes some seventy arrays, whatever the number of blocks; for one page that was a
    fifth of a millisecond a member. The sums are numpy's: one running sum over all rows, in order.
    """
    cdef Py_ssize_t n = proba.shape[0], n_off = len(offsets), n_win = len(windows)
    cdef Py_ssize_t i, j, k, start, stop, length, lo, hi, c
    cdef Py_ssize_t rank = 1 + n_off + n_win + 2  # the last column: the block's rank within its page
    cdef long long[::1] offset = np.asarray(offsets, dtype=np.int64)
    cdef long long[::1] half = np.asarray(windows, dtype=np.int64)
    out_array = np.empty((n, 1 + n_off + n_win + 3), dtype=np.float32)
    cdef float[:, ::1] out = out_array
    running = np.empty(n + 1, dtype=np.float64)
    cdef double[::1] cumulative = running
    cdef double total = 0.0, best
    cdef Ranked* ranked
    if n == 0:
        return out_array
    ranked = <Ranked*>PyMem_Malloc(n * sizeof(Ranked))
    if ranked == NULL:
        raise MemoryError()
    try:
        with nogil:
            cumulative[0] = 0.0
            for i in range(n):
                total = total + proba[i]
                cumulative[i + 1] = total
            start = 0
            while start < n:
                stop = start + 1
                while stop < n and pages[stop] == pages[start]:
                    stop += 1
                length = stop - start
                best = 0.0  # numpy's maximum starts from zeros
                for i in range(start, stop):
                    if proba[i] > best:
                        best = proba[i]
                    ranked[i].proba = proba[i]
                    ranked[i].index = i
                qsort(&ranked[start], length, sizeof(Ranked), _by_proba_then_index)
                for i in range(start, stop):
                    out[i, 0] = <float>proba[i]
                    c = 1
                    for k in range(n_off):
                        j = i + offset[k]
                        out[i, c] = <float>(proba[j] if start <= j < stop else -1.0)
                        c += 1
                    for k in range(n_win):
                        lo = max(i - start - half[k], 0) + start
                        hi = min(i - start + half[k] + 1, length) + start
                        out[i, c] = <float>((cumulative[hi] - cumulative[lo]) / <double>(hi - lo))
                        c += 1
                    out[i, c] = <float>((cumulative[stop] - cumulative[start]) / <double>length)
                    out[i, c + 1] = <float>best
                for k in range(length):  # the block of rank k within its page
                    out[ranked[start + k].index, rank] = <float>(<double>k / <double>max(length - 1, 1))
                start = stop
    finally:
        PyMem_Free(ranked)
    return out_array


# The shipped model's trees written out as code by the build (boilerplate/treecode.py, from the table beside
# the model); an empty table where there was none.
cdef extern from "_shipped_trees.c":
    ctypedef void (*shipped_scorer)(const float*, Py_ssize_t, Py_ssize_t, double, double*) noexcept nogil
    const int SHIPPED_COUNT
    const char* SHIPPED_FINGERPRINTS[]
    shipped_scorer SHIPPED_SCORERS[]

# The fingerprint of each compiled booster's packed trees (treecode.fingerprint), and its number.
SHIPPED = {SHIPPED_FINGERPRINTS[k].decode("ascii"): k for k in range(SHIPPED_COUNT)}


def shipped_raw_scores(int index, const float[:, ::1] X, double baseline):
    """``raw_scores`` of the shipped booster ``index`` (see ``SHIPPED``), by its compiled code."""
    if not 0 <= index < SHIPPED_COUNT:
        raise IndexError(f"no compiled booster {index}")
    out = np.empty(X.shape[0], dtype=np.float64)
    cdef double[::1] scores = out
    if X.shape[0]:
        with nogil:
            SHIPPED_SCORERS[index](&X[0, 0], X.shape[0], X.shape[1], baseline, &scores[0])
    return out
