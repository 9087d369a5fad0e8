# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The boosted trees' raw scores, compiled: what scikit-learn's HistGradientBoosting computes, faster.

scikit-learn walks each tree through 60-byte node records read through
generic memoryviews. Here the nodes of all trees of one booster are packed
into flat arrays (feature, threshold, children) and each row is walked down
every tree in a tight loop. The comparisons and the order of the sum are
scikit-learn's (the baseline, then tree after tree, in float64), so the
scores are the same to the last bit; ``boilerplate.model`` checks that on
every booster it packs, and uses scikit-learn's own code wherever it is not.
"""

from libc.math cimport isnan

import numpy as np


def raw_scores(
    const float[:, ::1] X,
    const int[::1] roots,
    const int[::1] feature,
    const double[::1] threshold,
    const int[::1] left,
    const int[::1] right,
    const unsigned char[::1] missing_left,
    const double[::1] value,
    double baseline,
):
    """The baseline plus every tree's leaf value, for each row of ``X``.

    A node is a leaf where ``feature`` is -1; ``left`` and ``right`` index the
    packed arrays. A missing value (NaN) goes where ``missing_left`` says.
    """
    cdef Py_ssize_t n = X.shape[0], n_trees = roots.shape[0]
    cdef Py_ssize_t i, t
    cdef int node, f
    cdef double x, total
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] scores = out
    with nogil:
        for i in range(n):
            total = 0.0  # as scikit-learn sums: zero, then the baseline, then tree after tree
            total += baseline
            for t in range(n_trees):
                node = roots[t]
                f = feature[node]
                while f >= 0:
                    x = X[i, f]
                    if isnan(x):
                        node = left[node] if missing_left[node] else right[node]
                    elif x <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                    f = feature[node]
                total += value[node]
            scores[i] = total
    return out
