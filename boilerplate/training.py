"""Train a block classifier from labelled pages and write it with its model card."""

from __future__ import annotations

import hashlib
import logging
import platform
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import lxml.etree
import numpy as np
import sklearn

from .alignment import tokenize
from .datasets import LabelledPage, detect_format, load_labelled
from .decision import PageDecision
from .errors import OptionError
from .features import FEATURE_NAMES
from .labelling import UNKNOWN, label_blocks
from .model import PRESETS, BlockClassifier, Model, save_model
from .pipeline import page_features
from .terms import TERM_GROUPS, Terms

if TYPE_CHECKING:
    from .evaluation import Report

__all__ = [
    "DEFAULT_DECISION",
    "WEIGHTINGS",
    "TrainingSet",
    "block_scores",
    "block_weights",
    "build_training_set",
    "check_weighting",
    "check_params",
    "CUTS",
    "choose_page_cuts",
    "plateau_cut",
    "choose_threshold",
    "page_word_f",
    "train_model",
]

# Training takes minutes on a few thousand pages; each step says so at INFO level (the CLI shows them).
logger = logging.getLogger(__name__)


@dataclass
class TrainingSet:
    """Features and labels of many pages, rows grouped by page in input order."""

    X: np.ndarray
    y: np.ndarray
    pages: np.ndarray  # page number of each row
    sites: np.ndarray  # site of each row, for grouped cross-validation
    words: np.ndarray  # words of each block, to weigh errors by text
    terms: Terms  # terms of each row by group (see boilerplate.terms)
    page_ids: list[str]
    ambiguous: int  # blocks whose alignment was neither clearly content nor chrome
    unlabelled: dict[str, int]  # annotated pages with blocks no data-label covers: page id -> blocks
    digest: str  # sha256 over the pages' HTML and gold text

    @property
    def n_pages(self) -> int:
        return len(self.page_ids)

    def terms_of(self, rows: np.ndarray) -> Terms:
        """The terms of the rows a boolean mask picks."""
        picked = np.flatnonzero(rows).tolist()
        return {group: [terms[i] for i in picked] for group, terms in self.terms.items()}


def _label_page(page: LabelledPage, with_terms: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, Terms]:
    # Trained on the page as first shown: hidden and aria-hidden elements left out. Classification reads
    # them too (their text is sometimes the article), but training on them made a worse model: refit on
    # the wcxb-dev training pages, validation block F1 0.843 with them against 0.863 without.
    parsed, X, terms = page_features(page.html, url=page.url, terms=with_terms, read_hidden=False)
    labels = label_blocks(page, parsed)
    known = labels.labels != UNKNOWN
    words = np.fromiter((len(tokenize(b.text)) for b in parsed.blocks), dtype=np.int64, count=len(parsed.blocks))
    kept = {
        group: [row for row, k in zip(rows, known.tolist(), strict=True) if k] for group, rows in (terms or {}).items()
    }
    return X[known], labels.labels[known], words[known], labels.ambiguous, labels.unlabelled, kept


def build_training_set(
    pages: Iterable[LabelledPage], *, n_jobs: int = 1, terms: bool = True, progress: bool = False
) -> TrainingSet:
    """Featurize and label every page; blocks without a label are left out and reported.

    ``terms=False`` leaves the blocks' terms out (an empty ``terms``), for a model that reads none: they
    take about a third of the memory of featurizing the wcxb-dev training pages. ``progress`` shows a
    tqdm bar on standard error when tqdm is installed.
    """
    pages = list(pages)
    started = time.monotonic()
    logger.info("featurizing %d pages, jobs=%d", len(pages), n_jobs)
    jobs = joblib.Parallel(n_jobs=n_jobs, return_as="generator")(joblib.delayed(_label_page)(p, terms) for p in pages)
    results = list(_with_bar(jobs, len(pages)) if progress else jobs)
    sizes = [len(r[1]) for r in results]
    width = len(FEATURE_NAMES)
    logger.info("featurized %d blocks in %.0f s", sum(sizes), time.monotonic() - started)
    return TrainingSet(
        X=np.vstack([r[0] for r in results]) if results else np.zeros((0, width), np.float32),
        y=np.concatenate([r[1] for r in results]) if results else np.zeros(0, np.int8),
        pages=np.repeat(np.arange(len(pages)), sizes),
        sites=np.repeat(np.array([p.site for p in pages], dtype=object), sizes),
        words=np.concatenate([r[2] for r in results]) if results else np.zeros(0),
        terms={group: [row for r in results for row in r[5][group]] for group in TERM_GROUPS} if terms else {},
        page_ids=[p.page_id for p in pages],
        ambiguous=sum(r[3] for r in results),
        unlabelled={p.page_id: r[4] for p, r in zip(pages, results, strict=True) if r[4]},
        digest=pages_digest(pages),
    )


def _with_bar(results: Iterator[Any], total: int) -> Iterator[Any]:
    """The results, counted on a tqdm bar on standard error; as they are when tqdm is not installed."""
    try:
        from tqdm import tqdm
    except ImportError:
        logger.warning("no progress bar: tqdm is not installed (pip install 'boilerplate[warc]')")
        return results
    return iter(tqdm(results, total=total, unit="page", desc="featurizing", dynamic_ncols=True))


def pages_digest(pages: Iterable[LabelledPage]) -> str:
    """sha256 over the pages' ids, HTML and gold text: what the model card cites as its data."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.page_id.encode())
        digest.update(hashlib.sha256(page.html).digest())
        digest.update(hashlib.sha256(page.reference.encode()).digest())
    return digest.hexdigest()


def page_word_f(
    scores: np.ndarray, y: np.ndarray, words: np.ndarray, pages: np.ndarray, cut: float, beta: float = 1.0
) -> float:
    """Mean over pages of the word-weighted F-beta of the content label at ``cut``."""
    weight = np.maximum(words, 0).astype(np.float64)
    _, page = np.unique(pages, return_inverse=True)
    chosen = scores >= cut
    positive = np.bincount(page, weights=weight * (y == 1))
    tp = np.bincount(page, weights=weight * (chosen & (y == 1)), minlength=len(positive))
    picked = np.bincount(page, weights=weight * chosen, minlength=len(positive))
    precision = np.divide(tp, picked, out=np.zeros_like(tp), where=picked > 0)
    recall = np.divide(tp, positive, out=np.zeros_like(tp), where=positive > 0)
    denominator = beta**2 * precision + recall
    f = np.divide((1 + beta**2) * precision * recall, denominator, out=np.zeros_like(tp), where=denominator > 0)
    # A page with nothing to find and nothing picked is right.
    f[(positive == 0) & (picked == 0)] = 1.0
    return float(f.mean())


_PLATEAU = 0.002  # F differences smaller than this are noise between neighbouring cuts
CUTS = [float(cut) for cut in np.round(np.arange(0.1, 0.91, 0.02), 2)]  # the cuts an operating point is chosen from


def plateau_cut(fs: list[float]) -> float:
    """Of the cuts in :data:`CUTS` whose F (``fs``, in that order) is within ``_PLATEAU`` of the best, the highest.

    The optimum is usually a wide plateau, and keeping less text for the same F is what a corpus builder wants.
    """
    best_f = max(fs)
    return max(cut for cut, f in zip(CUTS, fs, strict=True) if f >= best_f - _PLATEAU)


def _f_beta(precision: float, recall: float, beta: float) -> float:
    denominator = beta**2 * precision + recall
    return (1 + beta**2) * precision * recall / denominator if denominator else 0.0


def choose_threshold(
    scores: np.ndarray, y: np.ndarray, words: np.ndarray, pages: np.ndarray, beta: float = 1.0
) -> float:
    """The cut that maximizes the mean over pages of the word-weighted F-beta of the content label.

    Averaging over pages, as the benchmark's word-level metric does, keeps
    short pages from counting for less than long ones; beta < 1 favours
    precision and beta > 1 recall. Of the cuts on the plateau, the highest (:func:`plateau_cut`).
    """
    return plateau_cut([page_word_f(scores, y, words, pages, cut, beta) for cut in CUTS])


def choose_page_cuts(report: Report, betas: dict[str, float]) -> dict[str, float]:
    """For each named beta, the cut that maximizes the mean over pages of the word F-beta against the gold text.

    ``report`` holds the pages' scores after the kind rules (:func:`boilerplate.evaluation.evaluate_pages`), so
    the cuts are chosen on what ``extract_text`` keeps and on the benchmark's own metric, rather than on
    block labels aligned to the gold text; of the cuts on the plateau, the highest (:func:`plateau_cut`).
    Each page's word precision and recall are measured once per cut and serve every beta.
    """
    measured = [[page.words(cut)[:2] for page in report.pages] for cut in CUTS]
    n = max(len(report.pages), 1)
    return {
        name: plateau_cut([sum(_f_beta(p, r, beta) for p, r in row) / n for row in measured])
        for name, beta in betas.items()
    }


# Each page its own cut and each block its own within it, with the settings chosen on out-of-fold scores of
# the wcxb-dev training pages (see the README, "Each block its own cut").
DEFAULT_DECISION = PageDecision(short_penalty=0.0, block_weight=0.002, block_precision=0.9)

# How much each training block's errors can count, and the formula the card records.
WEIGHTINGS = {"blocks": "every block 1", "log_words": "log(1 + words) + 0.5, scaled to mean 1"}


def check_weighting(weighting: str) -> str:
    if weighting not in WEIGHTINGS:
        raise OptionError(f"unknown weighting {weighting!r}; weightings are {', '.join(WEIGHTINGS)}")
    return weighting


def block_weights(words: np.ndarray, weighting: str = "blocks") -> np.ndarray | None:
    """How much each training block's errors count: once each (``"blocks"``: None, no weights), or by its words.

    ``"log_words"`` weighs a block ``log(1 + words) + 0.5``, scaled to a mean of 1: word F1 counts words, so
    a paragraph lost costs more than a button kept, and the logarithm leans the model toward the blocks that
    carry the text without letting a few very long ones outweigh the many short ones. On the wcxb-dev pages
    it raised held-out word F1 but chose a lower cut, where validation block precision fell (see the README).
    """
    if check_weighting(weighting) == "blocks" or len(words) == 0:
        return None
    weights = np.log1p(np.maximum(np.asarray(words, dtype=np.float64), 0.0)) + 0.5
    return weights / weights.mean()


def check_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """The hyperparameters for :class:`BlockClassifier`, refused when a name is unknown or a value of another type.

    Checked before any page is featurized, so that a misspelt name fails at once rather than after the work.
    """
    params = dict(params or {})
    known = BlockClassifier().get_params()
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise OptionError(
            f"unknown hyperparameter(s) {', '.join(unknown)}; BlockClassifier takes {', '.join(sorted(known))}"
        )
    for name, value in params.items():
        default = known[name]
        expected = (int, float) if isinstance(default, float) else type(default)  # 1 will do for 1.0
        if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
            raise OptionError(
                f"hyperparameter {name} is of type {type(default).__name__} (default {default!r}), not {value!r}"
            )
    return params


def train_model(
    data: TrainingSet,
    *,
    params: dict[str, Any] | None = None,
    sources: list[dict[str, Any]] | None = None,
    metrics: dict[str, Any] | None = None,
    threshold: float | None = None,
    pages: list[LabelledPage] | None = None,
    weighting: str = "blocks",
    decision: PageDecision | None = DEFAULT_DECISION,
) -> Model:
    """Fit a :class:`BlockClassifier` and pick its threshold on held-out sites if none is given.

    A quarter of the sites is held out and scored by a model fitted on the rest. With ``pages`` (the
    labelled pages behind ``data``, in its order) the cuts are chosen on the held-out pages' gold text,
    through the whole path of classification (:func:`choose_page_cuts`); without them, on the held-out
    blocks' labels (:func:`choose_threshold`). ``weighting`` weighs the blocks (:func:`block_weights`).
    ``decision`` adjusts each page's scores to the page before the cut (:mod:`boilerplate.decision`; None:
    one cut for every page); the cuts are chosen on the adjusted scores when they are chosen on gold text.
    """
    params = check_params(params)
    weights = block_weights(data.words, weighting)
    estimator = BlockClassifier(**params)
    sites = np.unique(data.sites)
    held = np.isin(data.sites, sites[hash_order(sites) % 4 == 0])
    presets: dict[str, float] = {}
    held_out: dict[str, Any] = {}
    if threshold is None and (len(sites) < 8 or held.all() or not held.any()):
        threshold = 0.5  # too few sites to hold some out
    if threshold is None:
        # Operating points from a grouped hold-out: fit on three quarters of the sites, score the rest.
        logger.info(
            "choosing the cut: fitting on %d sites, scoring %d held-out sites",
            len(np.unique(data.sites[~held])),
            len(np.unique(data.sites[held])),
        )
        probe = BlockClassifier(**params)
        probe.fit(
            data.X[~held],
            data.y[~held],
            pages=data.pages[~held],
            groups=data.sites[~held],
            terms=data.terms_of(~held),
            sample_weight=None if weights is None else weights[~held],
        )
        scores = probe.predict_proba(data.X[held], pages=data.pages[held], terms=data.terms_of(held))[:, 1]
        y_held, words_held, pages_held = data.y[held], data.words[held], data.pages[held]
        held_out = {"sites": len(np.unique(data.sites[held])), "blocks": int(held.sum())}
        if pages is not None:
            from .evaluation import evaluate_pages, figure_intervals, page_figures

            held_sites = set(np.unique(data.sites[held]).tolist())
            held_pages = [page for page in pages if page.site in held_sites]
            logger.info("choosing the cuts on the gold text of %d held-out pages", len(held_pages))
            # Featurized again, as classification reads them: with their hidden text, which training leaves out.
            report = evaluate_pages(held_pages, Model(probe, list(FEATURE_NAMES), 0.5, decision=decision))
            presets = choose_page_cuts(report, PRESETS)
            held_out["pages"] = len(held_pages)
            # Each held-out page's figures at the balanced cut, and how far they could move on another draw of
            # sites. The held-out sites are the same for every model trained on the same pages, so two cards can
            # be compared page by page (benchmarks/held_out.py).
            figures = page_figures(report, presets["balanced"])
            held_out["intervals"] = figure_intervals(figures)["all"]
            held_out["pages_scored"] = {**figures, "word_f1": [round(f, 6) for f in figures["word_f1"]]}
            held_out["chosen_on"] = "word F-beta against the held-out pages' gold text, after the kind rules"
        else:
            if decision is not None:  # without the pages' texts the held-out scores cannot be adjusted to their pages
                logger.info("no gold text for the held-out pages: one cut for every page")
                decision = None
            presets = {
                name: choose_threshold(scores, y_held, words_held, pages_held, beta) for name, beta in PRESETS.items()
            }
            held_out["chosen_on"] = "word-weighted F-beta of the held-out blocks' labels"
        threshold = presets["balanced"]
        for name, cut in presets.items():
            if pages is None:
                held_out[name] = {"threshold": cut, **block_scores(scores >= cut, y_held == 1)}
            else:
                summary = report.summary(cut=cut)
                block = {key: round(value, 4) for key, value in summary["block"].items()}
                held_out[name] = {"threshold": cut, **block, "word_f1": round(summary["word_f1"], 4)}
    logger.info("fitting the model on all %d pages (%d blocks) at cut %.2f", data.n_pages, len(data.y), threshold)
    estimator.fit(data.X, data.y, pages=data.pages, groups=data.sites, terms=data.terms, sample_weight=weights)
    model = Model(estimator, list(FEATURE_NAMES), threshold, presets=presets, decision=decision)
    model.card = {
        "name": "boilerplate block classifier",
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "training_data": {
            "sources": sources or [],
            "pages": data.n_pages,
            "blocks": len(data.y),
            "content_blocks": int(data.y.sum()),
            "ambiguous_blocks": data.ambiguous,
            "unlabelled_blocks": sum(data.unlabelled.values()),
            "sha256": data.digest,
        },
        "features": list(FEATURE_NAMES),
        "term_groups": list(estimator.term_groups_),
        "estimator": type(estimator).__name__,
        "hyperparameters": estimator.get_params(),
        "sample_weight": {"weighting": weighting, "formula": WEIGHTINGS[weighting]},
        "threshold": threshold,
        "presets": presets,
        "page_decision": None if decision is None else decision.to_dict(),
        "held_out_sites": held_out,
        "library_versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "joblib": joblib.__version__,
            "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        },
        "metrics": metrics or {},
    }
    return model


def train(
    data: str | Path | list[str | Path],
    output: str | Path,
    *,
    split: str | None = None,
    n_jobs: int = 1,
    params: dict[str, Any] | None = None,
    report: str | Path | None = None,
    report_split: str | None = None,
    progress: bool = False,
    weighting: str = "blocks",
    decision: PageDecision | None = DEFAULT_DECISION,
) -> Model:
    """Train a model from labelled data in any supported layout and write it with its card.

    ``split`` picks the part of WCXB folders to train on (``"train"`` where a
    folder has a ``splits.json`` and nothing is said). With ``report``, the
    model is evaluated on that data (``report_split`` of it) and the figures
    go into the card. ``weighting`` weighs the training blocks
    (:func:`block_weights`); ``decision`` adjusts each page's scores to the page
    (:func:`train_model`). ``progress`` shows a bar while pages are
    featurized; the steps are logged at INFO level to the
    ``boilerplate.training`` logger, the model's stages to ``boilerplate.model``.
    """
    params = check_params(params)
    check_weighting(weighting)  # refused before any page is read
    paths = [Path(p) for p in ([data] if isinstance(data, (str, Path)) else data)]
    pages: list[LabelledPage] = []
    sources = []
    for path in paths:
        source_split = split if split is not None else ("train" if (path / "splits.json").exists() else None)
        loaded = list(load_labelled(path, source_split))
        sources.append(
            {
                "path": path.name,
                "format": detect_format(path),
                "split": source_split,
                "pages": len(loaded),
                "sha256": pages_digest(loaded),
            }
        )
        pages += loaded
        logger.info("read %d pages from %s", len(loaded), path)
    training_set = build_training_set(
        pages, n_jobs=n_jobs, terms=BlockClassifier(**params).use_terms, progress=progress
    )
    model = train_model(
        training_set, params=params, sources=sources, pages=pages, weighting=weighting, decision=decision
    )
    if report is not None:
        from .evaluation import evaluate_pages

        logger.info("evaluating on %s", report)
        result = evaluate_pages(load_labelled(report, report_split), model)
        model.card["metrics"] = {
            "data": Path(report).name,
            "split": report_split,
            "overall": result.summary(),
            "by_page_type": result.by_type(),
            "intervals": result.intervals(),
        }
    save(model, output)
    return model


def block_scores(predicted: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the content label over blocks, rounded for the model card."""
    tp = float((predicted & gold).sum())
    precision = tp / max(predicted.sum(), 1)
    recall = tp / max(gold.sum(), 1)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def hash_order(values: np.ndarray) -> np.ndarray:
    """A stable pseudo-random integer per value (the same on every run and machine)."""
    return np.array([int(hashlib.md5(str(v).encode()).hexdigest()[:8], 16) for v in values])


def save(model: Model, path: str | Path) -> Path:
    """Write model and card; returns the card's path."""
    return save_model(model, path, model.card)
