"""Train a block classifier from labelled pages and write it with its model card."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import joblib
import lxml.etree
import numpy as np
import sklearn

from .alignment import align_blocks
from .datasets import LabelledPage
from .features import FEATURE_NAMES
from .model import BlockClassifier, Model, save_model
from .pipeline import page_features

__all__ = ["TrainingSet", "build_training_set", "train_model", "choose_threshold"]


@dataclass
class TrainingSet:
    """Features and labels of many pages, rows grouped by page in input order."""

    X: np.ndarray
    y: np.ndarray
    pages: np.ndarray  # page number of each row
    sites: np.ndarray  # site of each row, for grouped cross-validation
    words: np.ndarray  # words of each block, to weigh errors by text
    page_ids: list[str]
    ambiguous: int  # blocks whose alignment was neither clearly content nor chrome
    digest: str  # sha256 over the pages' HTML and gold text

    @property
    def n_pages(self) -> int:
        return len(self.page_ids)


def _label_page(page: LabelledPage) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    parsed, X = page_features(page.html, url=page.url)
    alignment = align_blocks([b.text for b in parsed.blocks], page.reference)
    return X, alignment.labels, alignment.words, int(alignment.ambiguous.sum())


def build_training_set(pages: Iterable[LabelledPage], *, n_jobs: int = 1) -> TrainingSet:
    """Featurize and label every page (labels from aligning blocks with the gold text)."""
    pages = list(pages)
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.page_id.encode())
        digest.update(hashlib.sha256(page.html).digest())
        digest.update(hashlib.sha256(page.reference.encode()).digest())
    results = joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(_label_page)(p) for p in pages)
    sizes = [len(r[1]) for r in results]
    width = len(FEATURE_NAMES)
    return TrainingSet(
        X=np.vstack([r[0] for r in results]) if results else np.zeros((0, width), np.float32),
        y=np.concatenate([r[1] for r in results]) if results else np.zeros(0, np.int8),
        pages=np.repeat(np.arange(len(pages)), sizes),
        sites=np.repeat(np.array([p.site for p in pages], dtype=object), sizes),
        words=np.concatenate([r[2] for r in results]) if results else np.zeros(0),
        page_ids=[p.page_id for p in pages],
        ambiguous=sum(r[3] for r in results),
        digest=digest.hexdigest(),
    )


def choose_threshold(scores: np.ndarray, y: np.ndarray, words: np.ndarray) -> float:
    """The cut that maximizes the word-weighted F1 of the content label."""
    best, best_f1 = 0.5, -1.0
    weight = np.maximum(words, 0).astype(np.float64)
    positive = (weight * y).sum()
    for cut in np.arange(0.2, 0.81, 0.02):
        chosen = scores >= cut
        tp = (weight * (chosen & (y == 1))).sum()
        picked = (weight * chosen).sum()
        if picked == 0 or positive == 0:
            continue
        precision, recall = tp / picked, tp / positive
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(round(cut, 2)), f1
    return best


def train_model(
    data: TrainingSet,
    *,
    params: dict[str, Any] | None = None,
    sources: list[dict[str, Any]] | None = None,
    metrics: dict[str, Any] | None = None,
    threshold: float | None = None,
) -> Model:
    """Fit a :class:`BlockClassifier` and pick its threshold on out-of-fold scores if none is given."""
    estimator = BlockClassifier(**(params or {}))
    sites = np.unique(data.sites)
    held = np.isin(data.sites, sites[hash_order(sites) % 4 == 0])
    if threshold is None and (len(sites) < 8 or held.all() or not held.any()):
        threshold = 0.5  # too few sites to hold some out
    if threshold is None:
        # Threshold from a grouped hold-out: fit on three quarters of the sites, score the rest.
        probe = BlockClassifier(**(params or {}))
        probe.fit(data.X[~held], data.y[~held], pages=data.pages[~held], groups=data.sites[~held])
        scores = probe.predict_proba(data.X[held], pages=data.pages[held])[:, 1]
        threshold = choose_threshold(scores, data.y[held], data.words[held])
    estimator.fit(data.X, data.y, pages=data.pages, groups=data.sites)
    model = Model(estimator, list(FEATURE_NAMES), threshold)
    model.card = {
        "name": "boilerplate block classifier",
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "training_data": {
            "sources": sources or [],
            "pages": data.n_pages,
            "blocks": len(data.y),
            "content_blocks": int(data.y.sum()),
            "ambiguous_blocks": data.ambiguous,
            "sha256": data.digest,
        },
        "features": list(FEATURE_NAMES),
        "estimator": type(estimator).__name__,
        "hyperparameters": estimator.get_params(),
        "threshold": threshold,
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


def hash_order(values: np.ndarray) -> np.ndarray:
    """A stable pseudo-random integer per value (the same on every run and machine)."""
    return np.array([int(hashlib.md5(str(v).encode()).hexdigest()[:8], 16) for v in values])


def save(model: Model, path: str | Path) -> Path:
    """Write model and card; returns the card's path."""
    return save_model(model, path, model.card)
