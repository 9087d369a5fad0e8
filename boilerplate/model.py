"""The block classifier, and saving and loading it with its model card.

:class:`BlockClassifier` is a scikit-learn estimator in two stages. Before
them, a linear model per group of terms (a block's words; its class, id and
tag vocabulary: :mod:`boilerplate.terms`) scores the hashed terms, and its
score joins the block's features. The first stage scores each block from
those features. Labels of neighbouring blocks
are not independent (an article is a run of content blocks; a menu is a run
of chrome), so the second stage sees the block's features plus the
first-stage probabilities of the blocks around it. During training the
boosters learn from out-of-fold term scores and the second stage from
out-of-fold first-stage probabilities, folds grouped by site, so that each
learns how far to trust what it is given on sites it has not seen.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import warnings
import weakref
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import Normalizer
from sklearn.utils import murmurhash3_32
from threadpoolctl import ThreadpoolController  # scikit-learn's own dependency

from .decision import PageDecision
from .errors import ModelError, OptionError
from .terms import TERM_GROUPS, Terms

# Fitting on a few thousand pages takes minutes a stage; each stage says so at INFO level.
logger = logging.getLogger(__name__)

__all__ = [
    "PRESETS",
    "ModelVersionWarning",
    "BlockClassifier",
    "Model",
    "load_model",
    "save_model",
    "sha256_of",
    "CONTEXT_NAMES",
    "SURE",
]

# Neighbour offsets and window half-widths of the second stage's context features.
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 10)
CONTEXT_NAMES: list[str] = (
    ["p_self"]
    + [f"p_{'prev' if o < 0 else 'next'}{abs(o)}" for o in _OFFSETS]
    + [f"p_window{w}" for w in _WINDOWS]
    + ["p_page_mean", "p_page_max", "p_page_rank"]
)


# A first-stage probability of content this close to 0 or 1 is final. The second stage, which costs as much
# as the first, then scores only the blocks the first is unsure of: 44% of the wcxb-dev validation blocks for
# the shipped model. Chosen for a model of one cut for every page, where it moved no label of the 66,658 blocks
# at that model's cuts. Each page's own cut (boilerplate.decision) reads all of a page's scores, so any band
# wider than 0.002 now moves a few labels: with the shipped model 0.01 moves 14, 5 and 9 at its three cuts
# (word F1 0.90214 against 0.90219 with every block through the second stage), 0.005 moves 1, and 0.002
# none but sends 62% of the blocks through the second stage.
SURE = 0.01


class ModelVersionWarning(UserWarning):
    """A model file was made with another scikit-learn version than the one installed."""


try:  # the compiled tree walk and context, where the package was built with them
    from ._trees import NODE as _TREE_NODE
    from ._trees import SHIPPED as _SHIPPED
    from ._trees import context_features as _compiled_context
    from ._trees import raw_scores as _compiled_raw_scores
    from ._trees import shipped_raw_scores as _shipped_raw_scores
except ImportError:  # without a compiler: scikit-learn scores and numpy's context, the same probabilities
    _compiled_raw_scores = _compiled_context = None
    _SHIPPED = {}


def _page_starts(pages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index of each row's page, and the length of that page (rows grouped by page)."""
    n = len(pages)
    boundaries = np.flatnonzero(np.r_[True, pages[1:] != pages[:-1]])
    lengths = np.diff(np.r_[boundaries, n])
    page_of_row = np.repeat(np.arange(len(boundaries)), lengths)
    return boundaries[page_of_row], lengths[page_of_row]


def context_features(proba: np.ndarray, pages: np.ndarray) -> np.ndarray:
    """First-stage probabilities of each block's neighbours, windows and page, per :data:`CONTEXT_NAMES`.

    Rows are grouped by page (``pages``, one number a row). Compiled where the package was built with it
    (``_trees.context_features``), the same columns to the last bit as :func:`_python_context_features`.
    """
    if _compiled_context is None:
        return _python_context_features(proba, pages)
    proba = np.ascontiguousarray(proba, dtype=np.float64)
    return _compiled_context(proba, np.ascontiguousarray(pages, dtype=np.int64), _OFFSETS, _WINDOWS)


def _python_context_features(proba: np.ndarray, pages: np.ndarray) -> np.ndarray:
    """:func:`context_features` with numpy: the reference for the compiled columns."""
    n = len(proba)
    start, length = _page_starts(pages)
    position = np.arange(n) - start
    columns = [proba]
    for offset in _OFFSETS:
        target = np.arange(n) + offset
        valid = (position + offset >= 0) & (position + offset < length)
        columns.append(np.where(valid, proba[np.clip(target, 0, n - 1)], -1.0))
    cumulative = np.r_[0.0, np.cumsum(proba)]
    for half in _WINDOWS:
        lo = np.maximum(position - half, 0) + start
        hi = np.minimum(position + half + 1, length) + start
        columns.append((cumulative[hi] - cumulative[lo]) / (hi - lo))
    page_sum = cumulative[start + length] - cumulative[start]
    columns.append(page_sum / length)
    page_index = np.searchsorted(np.unique(start), start)
    page_max = np.zeros(page_index.max() + 1 if n else 0)
    np.maximum.at(page_max, page_index, proba)
    columns.append(page_max[page_index])
    # Rank of the block's probability within its page, 0 (lowest) to 1 (highest).
    order = np.lexsort((proba, page_index))
    rank = np.empty(n)
    rank[order] = np.arange(n)
    columns.append((rank - start) / np.maximum(length - 1, 1))
    return np.column_stack(columns).astype(np.float32)


class BlockClassifier(ClassifierMixin, BaseEstimator):
    """Two-stage gradient-boosted classifier of blocks: 1 is content, 0 is chrome.

    ``members`` two-stage boosters, seeded ``random_state``, ``random_state + 1``, ...,
    are fitted on the same rows and their probabilities averaged. They differ in the
    200,000 rows scikit-learn samples to place each feature's bins, and on the wcxb-dev
    training pages (333,553 rows) that alone moved a single model's validation block F1
    by up to 0.009 from one seed to the next; the average of two models of half the
    size (``max_iter`` 150 where one had 300) scored as the better of its two members
    did, for the same number of trees. On fewer rows than that the members come out
    alike, and ``members=1`` does the work once.

    ``fit`` and ``predict_proba`` take ``pages``, the page number of every
    row (rows of one page contiguous and in page order), so that the second
    stage knows which blocks are neighbours, and ``terms``, the terms of
    every row by group; a model fitted without terms, or with
    ``use_terms=False``, reads none.
    """

    def __init__(
        self,
        *,
        members: int = 2,
        max_iter: int = 150,
        learning_rate: float = 0.16,
        max_leaf_nodes: int = 48,
        min_samples_leaf: int = 40,
        l2_regularization: float = 1.0,
        stacking: bool = True,
        n_folds: int = 4,
        use_terms: bool = True,
        term_features: int = 2**18,
        term_c: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.members = members
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.stacking = stacking
        self.n_folds = n_folds
        self.use_terms = use_terms
        self.term_features = term_features
        self.term_c = term_c
        self.random_state = random_state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle, giving a parameter added since the file was saved its default.

        A model saved before a parameter existed was fitted as if it had the
        default (the term scorers' settings, for a model that reads no terms),
        and without it ``get_params``, ``repr`` and ``clone`` would fail.
        """
        super().__setstate__(state)
        if isinstance(self.__dict__.get("first_"), HistGradientBoostingClassifier):  # saved before members
            self.first_ = [self.first_]
            self.second_ = [self.second_] if "second_" in self.__dict__ else []
            self.members = 1
        for name, parameter in inspect.signature(type(self).__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty and name not in self.__dict__:
                setattr(self, name, parameter.default)

    def _booster(self, member: int = 0) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state + member,
        )

    def _term_scorer(self) -> Pipeline:
        return make_pipeline(
            Normalizer(),
            LogisticRegression(C=self.term_c, solver="liblinear", max_iter=200, random_state=self.random_state),
        )

    def _hasher(self) -> FeatureHasher:
        return FeatureHasher(n_features=self.term_features, input_type="string", alternate_sign=False)

    def _folds(self, X: np.ndarray, y: np.ndarray, groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        n_splits = min(self.n_folds, len(np.unique(groups)))
        if n_splits < 2:
            raise ValueError("stacking needs pages from at least two sites (groups) to train on")
        return list(GroupKFold(n_splits=n_splits).split(X, y, groups))

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        pages: np.ndarray,
        groups: np.ndarray | None = None,
        terms: Terms | None = None,
        sample_weight: np.ndarray | None = None,
    ):
        """Fit the term scorers and both stages; ``groups`` (for example the site of each row) keeps folds apart.

        ``sample_weight`` weighs each row's errors (see :func:`boilerplate.training.block_weights`).
        """
        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y).astype(np.int64)
        pages = np.asarray(pages)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if w is not None and w.shape != y.shape:
            raise ValueError(f"sample_weight has shape {w.shape} for {len(y)} rows")
        groups = pages if groups is None else np.asarray(groups)
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        self.term_groups_ = tuple(terms) if terms and self.use_terms else ()
        folds = self._folds(X, y, groups) if self.stacking or self.term_groups_ else []
        self.term_scorers_ = {}
        columns = []
        for group in self.term_groups_:
            logger.info("term scorer %r: %d folds and a final fit", group, len(folds))
            hashed = self._hasher().transform(_checked_rows(terms[group], len(y), group))
            oof = np.zeros(len(y))
            for train, test in folds:
                scorer = self._term_scorer().fit(
                    hashed[train], y[train], logisticregression__sample_weight=_rows(w, train)
                )
                oof[test] = scorer.predict_proba(hashed[test])[:, 1]
            self.term_scorers_[group] = self._term_scorer().fit(hashed, y, logisticregression__sample_weight=w)
            columns.append(oof)
        if columns:
            X = np.hstack([X, np.column_stack(columns).astype(np.float32)])
        logger.info("first stage: %d rows, %d features, %d member(s)", len(y), X.shape[1], self.members)
        self.first_, self.second_ = [], []
        for member in range(self.members):
            self.first_.append(self._booster(member).fit(X, y, sample_weight=w))
            if not self.stacking:
                continue
            oof = np.zeros(len(y))
            for fold, (train, test) in enumerate(folds, start=1):
                logger.info("member %d: first stage out of fold: fold %d of %d", member, fold, len(folds))
                booster = self._booster(member).fit(X[train], y[train], sample_weight=_rows(w, train))
                oof[test] = booster.predict_proba(X[test])[:, 1]
            logger.info("member %d: second stage", member)
            second = self._booster(member).fit(np.hstack([X, context_features(oof, pages)]), y, sample_weight=w)
            self.second_.append(second)
        return self

    def term_scores(self, terms: Terms | None, n: int) -> np.ndarray:
        """The term scorers' probabilities of content, one column per term group."""
        groups = getattr(self, "term_groups_", ())
        if not groups:
            return np.zeros((n, 0), dtype=np.float32)
        if terms is None or any(group not in terms for group in groups):
            raise ValueError(f"this model reads the term groups {', '.join(groups)}; pass terms=")
        index = _term_index(self.term_features)
        columns = [
            _linear_term_scores(_checked_rows(terms[group], n, group), self.term_scorers_[group], index)
            for group in groups
        ]
        return np.column_stack(columns).astype(np.float32)

    def predict_proba(
        self, X: np.ndarray, *, pages: np.ndarray | None = None, terms: Terms | None = None
    ) -> np.ndarray:
        """Probabilities of chrome (column 0) and content (column 1)."""
        X = np.asarray(X, dtype=np.float32)
        if len(X) == 0:
            return np.zeros((0, 2))
        return self.boosted_proba(np.hstack([X, self.term_scores(terms, len(X))]), pages=pages)

    def boosted_proba(self, X: np.ndarray, *, pages: np.ndarray | None = None) -> np.ndarray:
        """:meth:`predict_proba` from the features with the term scores already appended (:meth:`term_scores`).

        The boosters' part alone, for callers that time or reuse the term scores apart.
        """
        X = np.asarray(X, dtype=np.float32)
        pages = np.zeros(len(X), dtype=np.int64) if pages is None else np.asarray(pages)
        total = np.zeros((len(X), 2))
        for member, first_stage in enumerate(self.first_):
            first = booster_proba(first_stage, X)
            if self.stacking:
                # The second stage scores the blocks the first is unsure of; the others keep the first's probability.
                unsure = np.flatnonzero((first[:, 1] > SURE) & (first[:, 1] < 1.0 - SURE))
                if len(unsure):
                    context = context_features(first[:, 1], pages)[unsure]
                    first[unsure] = booster_proba(self.second_[member], np.hstack([X[unsure], context]))
            total += first
        return total / len(self.first_)

    def predict(self, X: np.ndarray, *, pages: np.ndarray | None = None, terms: Terms | None = None) -> np.ndarray:
        return (self.predict_proba(X, pages=pages, terms=terms)[:, 1] >= 0.5).astype(np.int64)


# How each fitted booster is scored (see _scorer), worked out on first use; None where scikit-learn scores.
_SCORERS: weakref.WeakKeyDictionary[HistGradientBoostingClassifier, _Scorer | None] = weakref.WeakKeyDictionary()


def booster_proba(booster: HistGradientBoostingClassifier, X: np.ndarray) -> np.ndarray:
    """``booster.predict_proba(X)`` for float32 rows, by compiled code where it serves.

    Through scikit-learn, scoring took a third of a page's time, nearly all of it in walking the trees.
    The compiled walk (``boilerplate/_trees.pyx``) gives the same probabilities, to the last bit, in less
    than half that time, and the shipped model's trees written out as code (:mod:`boilerplate.treecode`)
    in less than half of that again.
    """
    scorer = _SCORERS.get(booster, False) if _compiled_raw_scores is not None else None
    if scorer is False:
        scorer = _SCORERS[booster] = _scorer(booster)
    if scorer is None:
        return booster.predict_proba(X)
    if X.ndim != 2 or X.shape[1] != booster.n_features_in_:
        raise ValueError(f"X has {X.shape[-1]} features, but the booster expects {booster.n_features_in_}")
    return booster._loss.predict_proba(scorer(np.ascontiguousarray(X, dtype=np.float32)))


@dataclass(frozen=True, eq=False)  # compared by identity: its fields hold arrays
class _Scorer:
    """A booster's raw scores, compiled: by the shipped model's code for its trees, or by the walk."""

    trees: tuple  # the booster's packed trees (pack_trees)
    shipped: int | None = None  # the number of its trees' compiled code (_trees.SHIPPED); None: walk them

    def __call__(self, X: np.ndarray) -> np.ndarray:
        if self.shipped is None:
            return _compiled_raw_scores(X, *self.trees)
        return _shipped_raw_scores(self.shipped, X, self.trees[3])


def _scorer(booster: HistGradientBoostingClassifier) -> _Scorer | None:
    """The booster's scoring by the shipped model's compiled trees where they are this booster's, else by
    the compiled walk over its packed trees; None where neither gives scikit-learn's probabilities."""
    from .treecode import fingerprint  # imported here: ``python -m boilerplate.treecode`` imports this module

    trees = pack_trees(booster)
    if trees is None:
        return None
    index = _SHIPPED.get(fingerprint(trees))
    if index is not None:
        code = _Scorer(trees, index)
        # The code was compiled from a table of these very trees; it still proves itself before it serves.
        probe = _probe_rows(trees[1], booster.n_features_in_)
        if np.array_equal(booster._loss.predict_proba(code(probe)), booster.predict_proba(probe)):
            return code
    return _Scorer(trees)


def pack_trees(booster: HistGradientBoostingClassifier) -> tuple | None:
    """The booster's trees as flat arrays for the compiled walk; None where it cannot give scikit-learn's scores.

    It reads scikit-learn's fitted trees (private attributes), so it checks itself: on rows made to fall
    on every threshold and beside it, with missing values among them, it must give exactly what
    ``predict_proba`` gives, or scikit-learn keeps the scoring.
    """
    if _compiled_raw_scores is None:
        return None
    try:
        predictors = booster._predictors
        if booster.n_trees_per_iteration_ != 1 or any(len(p) != 1 for p in predictors):
            return None
        trees = [p[0].nodes for p in predictors]
        nodes = np.concatenate(trees)
        if nodes["is_categorical"].any():
            return None
        sizes = np.array([len(t) for t in trees])
        roots = np.r_[0, np.cumsum(sizes)[:-1]]
        offset = np.repeat(roots, sizes)
        split = ~nodes["is_leaf"].astype(bool)
        # Renumber each tree's nodes so that a node's children sit side by side: the root stays first, and
        # the k-th split node of a tree has its children at 1 + 2k and 2 + 2k.
        seen = np.cumsum(split)  # split nodes up to each node, all trees together
        k = seen - 1 - np.repeat((seen - split)[roots], sizes)  # less those of the trees before
        renumbered = offset.copy()  # each root keeps its place
        renumbered[nodes["left"][split] + offset[split]] = offset[split] + 1 + 2 * k[split]
        renumbered[nodes["right"][split] + offset[split]] = offset[split] + 2 + 2 * k[split]
        if not np.array_equal(np.sort(renumbered), np.arange(len(nodes))):
            return None
        threshold = nodes["num_threshold"].astype(np.float64)
        # A float32 x is <= t exactly when it is <= the largest float32 at or below t.
        narrow = threshold.astype(np.float32)
        narrow = np.where(narrow > threshold, np.nextafter(narrow, np.float32(-np.inf)), narrow)
        packed_nodes = np.zeros(len(nodes), dtype=_TREE_NODE)
        packed_nodes["threshold"][renumbered] = np.where(split, narrow, 0)
        packed_nodes["feature"][renumbered] = np.where(split, nodes["feature_idx"], -1)
        packed_nodes["left"][renumbered] = np.where(split, renumbered[nodes["left"] + offset], 0)
        packed_nodes["missing_right"][renumbered] = np.where(split, 1 - nodes["missing_go_to_left"], 0)
        value = np.empty(len(nodes))
        value[renumbered] = nodes["value"]
        packed = (
            roots.astype(np.int32),
            packed_nodes,
            value,
            float(np.asarray(booster._baseline_prediction).reshape(-1)[0]),
        )
        probe = _probe_rows(packed_nodes, booster.n_features_in_)
        raw = _compiled_raw_scores(probe, *packed)
        if not np.array_equal(booster._loss.predict_proba(raw), booster.predict_proba(probe)):
            return None
    except (AttributeError, KeyError, TypeError, ValueError):  # another scikit-learn's trees
        return None
    return packed


def _probe_rows(nodes: np.ndarray, n_features: int, n: int = 256) -> np.ndarray:
    """Rows whose values sit on the packed trees' thresholds, just above them, or are missing."""
    rng = np.random.default_rng(0)
    X = np.zeros((n, n_features), dtype=np.float32)
    for f in range(n_features):
        cuts = nodes["threshold"][nodes["feature"] == f].astype(np.float32)
        if len(cuts):
            values = np.concatenate([cuts, np.nextafter(cuts, np.float32(np.inf)), [np.nan]])
            X[:, f] = rng.choice(values, size=n)
    return X


def _rows(weights: np.ndarray | None, picked: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[picked]


# Distinct terms whose hashed column is remembered; past this the memory starts afresh.
_TERM_CACHE = 1 << 18  # about 25 MB of terms


class _TermIndex(dict):
    """Each term's hashed column, computed as :class:`FeatureHasher` does and remembered across pages."""

    def __init__(self, n_features: int):
        super().__init__()
        self.n_features = n_features

    def __missing__(self, term: str) -> int:
        if len(self) >= _TERM_CACHE:
            self.clear()
        column = self[term] = abs(murmurhash3_32(term, seed=0)) % self.n_features
        return column


@cache
def _term_index(n_features: int) -> _TermIndex:
    return _TermIndex(n_features)


def _linear_term_scores(rows: list[list[str]], scorer: Pipeline, index: _TermIndex) -> np.ndarray:
    """What ``scorer.predict_proba(hasher.transform(rows))[:, 1]`` gives, without building a sparse matrix.

    The scorer is a linear model over L2-normalised counts of hashed terms, so
    a row's score is the logistic of its counts' dot product with the
    coefficients over their norm. Rows that are the same list (blocks sharing
    their markup terms) are scored once. Sparse matrices cost more to build
    than to multiply at a page's size; this is the same arithmetic in a few
    numpy calls per page.
    """
    linear = scorer[-1]
    coef, intercept = linear.coef_[0], float(linear.intercept_[0])
    firsts = {id(row): row for row in rows}
    kept = list(firsts.values())
    place = {key: i for i, key in enumerate(firsts)}
    inverse = np.fromiter(map(place.__getitem__, map(id, rows)), dtype=np.intp, count=len(rows))
    lengths = np.fromiter(map(len, kept), dtype=np.intp, count=len(kept))
    columns = np.fromiter(map(index.__getitem__, chain.from_iterable(kept)), dtype=np.int64, count=int(lengths.sum()))
    keys = np.repeat(np.arange(len(kept), dtype=np.int64), lengths) * index.n_features + columns
    keys, counts = np.unique(keys, return_counts=True)
    owner = keys // index.n_features
    counts = counts.astype(np.float64)
    dot = np.bincount(owner, counts * coef[keys % index.n_features], minlength=len(kept))
    norm = np.sqrt(np.bincount(owner, counts * counts, minlength=len(kept)))
    # Float output whatever bincount gives: with no terms on the whole page it returns integers.
    decision = np.divide(dot, norm, out=np.zeros(len(kept)), where=norm > 0) + intercept
    with np.errstate(over="ignore"):  # a very negative decision gives exp(inf) and a score of 0, as it should
        return (1.0 / (1.0 + np.exp(-decision)))[inverse]


def _checked_rows(rows: list[list[str]], n: int, group: str) -> list[list[str]]:
    if len(rows) != n:
        raise ValueError(f"terms[{group!r}] has {len(rows)} rows for {n} rows of features")
    return rows


@dataclass
class Model:
    """A fitted classifier with what is needed to use it: features, thresholds, card.

    ``threshold`` is the balanced operating point; ``presets`` maps the names
    ``favor_precision`` and ``favor_recall`` to stricter and looser cuts.
    """

    estimator: BlockClassifier
    feature_names: list[str]
    threshold: float = 0.5
    card: dict[str, Any] = field(default_factory=dict)
    presets: dict[str, float] = field(default_factory=dict)
    decision: PageDecision | None = None  # each page its own cut; None: the one cut for every page

    def decide(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """A page's settled scores as its cut reads them: adjusted to the page by :attr:`decision`, if any.

        ``words``: each block's words (:func:`boilerplate.features.words_of` reads them from the features).
        """
        if self.decision is None:
            return scores
        return self.decision.adjust(scores, words)

    def scores(self, X: np.ndarray, pages: np.ndarray | None = None, terms: Terms | None = None) -> np.ndarray:
        """Probability of content for every row.

        The trees are walked on one thread: by the compiled tree walk where it
        is built (see :func:`booster_proba`), else by scikit-learn on one OpenMP
        thread. A page's few hundred blocks are too few to share between
        threads, and scikit-learn's idle threads spin between the booster's
        hundreds of small parallel loops: measured here, several times the CPU
        time of one thread, for no gain in wall time. Parallelism comes from
        scoring pages in several processes (``jobs=`` of the batch API).
        """
        with _openmp().limit(limits=1, user_api="openmp"):
            return self.estimator.predict_proba(X, pages=pages, terms=terms)[:, 1]

    @property
    def reads_terms(self) -> bool:
        """Whether the estimator scores the blocks' terms (models trained before terms read none)."""
        return bool(getattr(self.estimator, "term_groups_", ()))

    def cut(self, threshold: float | str | None = None) -> float:
        """The score cut for a number, a preset name, or None (the balanced default)."""
        if threshold is None or threshold == "balanced":
            return self.threshold
        if isinstance(threshold, str):
            if threshold not in PRESETS:
                raise OptionError(f"unknown threshold preset {threshold!r}; use one of {', '.join(PRESETS)}")
            return self.presets.get(threshold, self.threshold)
        return float(threshold)


@cache
def _openmp() -> ThreadpoolController:
    """The thread pools of the libraries loaded in this process (scikit-learn's OpenMP among them)."""
    return ThreadpoolController()


# Named operating points: the cut that maximizes F-beta of the content label on held-out sites.
PRESETS = {"favor_precision": 0.5, "balanced": 1.0, "favor_recall": 2.0}


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def card_path(model_path: str | Path) -> Path:
    """The model card sits beside the model: ``name.joblib`` has ``name.card.json``."""
    path = Path(model_path)
    return path.with_name(path.name.removesuffix(".joblib") + ".card.json")


def save_model(model: Model, path: str | Path, card: dict[str, Any]) -> Path:
    """Write the model and its card (with the model file's sha256); returns the card's path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": 1,
        "estimator": model.estimator,
        "feature_names": list(model.feature_names),
        "threshold": float(model.threshold),
        "presets": {name: float(value) for name, value in model.presets.items()},
        "decision": None if model.decision is None else model.decision.to_dict(),
        "sklearn_version": sklearn.__version__,
    }
    joblib.dump(payload, path, compress=("zlib", 6))
    card = dict(card)
    card["file"] = {"name": path.name, "sha256": sha256_of(path), "bytes": path.stat().st_size}
    target = card_path(path)
    target.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    model.card = card
    return target


def load_model(path: str | Path, *, expected_features: list[str] | None = None, trusted: bool = False) -> Model:
    """Load a model saved by :func:`save_model`, checked against its card.

    joblib files are pickles, and unpickling runs code. So a model file loads
    only when the card beside it records its sha256 and the file matches it;
    a file that is not the one its card describes is refused before it is
    unpickled, whatever ``trusted`` says. A file with no card loads only with
    ``trusted=True``: the caller vouches for where it came from. (A card
    proves that a file is the one it describes, not who made both: load
    model files only from sources you trust.)
    """
    path = Path(path)
    if not path.exists():
        raise ModelError(f"no model file at {path}")
    card_file = card_path(path)
    if not card_file.exists():
        if not trusted:
            raise ModelError(
                f"model {path} has no model card at {card_file} recording its sha256; model files are pickles "
                "and run code when loaded: load it with trusted=True only if you trust its source"
            )
        card: dict[str, Any] = {}
    else:
        try:
            card = json.loads(card_file.read_text(encoding="utf-8"))
            recorded = card["file"]["sha256"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"model card {card_file} is unreadable: {exc}") from exc
        actual = sha256_of(path)
        if actual != recorded:
            raise ModelError(f"model {path} does not match its card (sha256 {actual}, card says {recorded})")
    trained_with = card.get("library_versions", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"model {path.name} was trained with scikit-learn {trained_with} and this is scikit-learn "
            f"{sklearn.__version__}: its scores may differ; retrain it or install scikit-learn=={trained_with}",
            ModelVersionWarning,
            stacklevel=3,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            payload = joblib.load(path)
        except Exception as exc:  # unpickling errors come in many types
            raise ModelError(
                f"cannot load model {path} (trained with scikit-learn {trained_with}, "
                f"this is scikit-learn {sklearn.__version__}): {exc}"
            ) from exc
    if not isinstance(payload, dict) or payload.get("format") != 1:
        raise ModelError(f"{path} is not a boilerplate model file")
    if expected_features is not None and payload["feature_names"] != list(expected_features):
        raise ModelError(
            f"model {path} was trained on other features than this version of boilerplate computes; retrain it"
        )
    unknown = [group for group in getattr(payload["estimator"], "term_groups_", ()) if group not in TERM_GROUPS]
    if unknown:  # its scores would need terms that no page of this version is given
        raise ModelError(
            f"model {path} reads the term group(s) {', '.join(unknown)}, which this version of boilerplate "
            f"does not make (it makes {', '.join(TERM_GROUPS)}); retrain it"
        )
    decision = payload.get("decision")
    try:
        decision = None if decision is None else PageDecision(**decision)
    except TypeError as exc:
        raise ModelError(f"model {path} has page decision settings this version does not know: {exc}") from exc
    return Model(
        payload["estimator"], payload["feature_names"], payload["threshold"], card, payload.get("presets", {}), decision
    )
