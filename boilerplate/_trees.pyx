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
