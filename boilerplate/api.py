"""The public entry points: classify the blocks of a page, extract its text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError
from .features import FEATURE_NAMES
from .model import Model
from .model import load_model as _load_model_file
from .pipeline import page_features
from .segmentation import Block

__all__ = ["classify_blocks", "extract_text", "load_model", "default_model_path", "CONTENT", "CHROME"]

CONTENT = "content"
CHROME = "chrome"
MODEL_NAME = "boilerplate-wcxb.joblib"


def default_model_path() -> Path:
    """The shipped model: inside the installed package, or ``models/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models" / MODEL_NAME, here.parent / "models" / MODEL_NAME):
        if candidate.exists():
            return candidate
    raise ModelError(f"the shipped model {MODEL_NAME} is missing from this installation")


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file (the shipped one when ``path`` is None), checked against its card."""
    if path is None:
        return _default_model()
    return _load_model_file(path, expected_features=FEATURE_NAMES)


@lru_cache(maxsize=1)
def _default_model() -> Model:
    return _load_model_file(default_model_path(), expected_features=FEATURE_NAMES)


def _resolve(model: Model | str | Path | None) -> Model:
    if model is None:
        return _default_model()
    if isinstance(model, Model):
        return model
    return load_model(model)


def classify_blocks(
    html: str | bytes,
    *,
    url: str | None = None,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
) -> list[Block]:
    """Label every block of a page ``"content"`` or ``"chrome"``.

    Each returned :class:`Block` carries ``text``, ``label``, ``score`` (the
    probability of content), ``xpath`` and ``tag``. A page with no visible
    text gives an empty list. ``threshold`` overrides the model's operating
    point: a number (higher keeps less text, at higher precision) or a preset,
    ``"favor_precision"``, ``"balanced"`` (the default) or ``"favor_recall"``.
    """
    fitted = _resolve(model)
    page, X = page_features(html, url=url, encoding=encoding)
    if not page.blocks:
        return []
    scores = fitted.scores(X, np.zeros(len(X), dtype=np.int64))
    cut = fitted.cut(threshold)
    for block, score in zip(page.blocks, scores.tolist(), strict=True):
        block.score = score
        block.label = CONTENT if score >= cut else CHROME
    return page.blocks


def extract_text(
    html: str | bytes,
    *,
    url: str | None = None,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
) -> str:
    """The page's content blocks in page order, separated by blank lines."""
    blocks = classify_blocks(html, url=url, model=model, encoding=encoding, threshold=threshold)
    return "\n\n".join(b.text for b in blocks if b.label == CONTENT)
