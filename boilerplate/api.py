"""The public entry points: classify the blocks of a page, extract its text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import features as _features
from . import kinds as _kinds
from . import lexicon as _lexicon
from . import model as _model
from . import segmentation as _segmentation
from .errors import ModelError, OptionError
from .features import FEATURE_NAMES, words_of
from .kinds import KINDS, KindGuess, guess_kinds, settle_scores
from .model import Model
from .model import load_model as _load_model_file
from .parsing import Limits
from .paywall import PaywallFinding, find_paywall
from .pipeline import page_features
from .segmentation import Block, Page

__all__ = [
    "Analysis",
    "analyze",
    "classify_blocks",
    "extract_text",
    "load_model",
    "default_model_path",
    "CONTENT",
    "CHROME",
    "compiled_modules",
]

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


def compiled_modules() -> tuple[str, ...]:
    """The compiled modules this installation runs: any of "page walk", "feature counts", "tree walk",
    "shipped trees" (the shipped model's trees as code, see :mod:`boilerplate.treecode`), "gate scan" and
    "kind rules".

    Each gives exactly what the pure Python (or scikit-learn) code it stands in for gives, in a
    fraction of the time; they are built at install where a C compiler is present.
    """
    running = {
        "page walk": _segmentation._compiled_walk is not None,
        "feature counts": _features._compiled_counts is not None,
        "tree walk": _model._compiled_raw_scores is not None,
        "shipped trees": _model._compiled_raw_scores is not None and bool(_model._SHIPPED),
        "gate scan": _lexicon._SCANNER is not None,
        "kind rules": _kinds._guesses is not _kinds._python_guesses,
    }
    return tuple(name for name, present in running.items() if present)


def load_model(path: str | Path | None = None, *, trusted: bool = False) -> Model:
    """Load a model file (the shipped one when ``path`` is None), checked against its card.

    A file without a card recording its sha256 loads only with ``trusted=True``
    (see :func:`boilerplate.model.load_model`).
    """
    if path is None:
        return _default_model()
    return _load_model_file(path, expected_features=FEATURE_NAMES, trusted=trusted)


@lru_cache(maxsize=1)
def _default_model() -> Model:
    return _load_model_file(default_model_path(), expected_features=FEATURE_NAMES)


def resolve_model(model: Model | str | Path | None) -> Model:
    if model is None:
        return _default_model()
    if isinstance(model, Model):
        return model
    return load_model(model)


@dataclass(frozen=True)
class Analysis:
    """A classified page and its paywall verdict."""

    blocks: list[Block]
    paywall: PaywallFinding
    truncated: bool = False  # only the first Limits.max_bytes of the page were read

    def text(self) -> str:
        """The content blocks' text, as :func:`extract_text` gives it."""
        return "\n\n".join(b.text for b in self.blocks if b.label == CONTENT)


def check_keep(keep: Iterable[str]) -> frozenset[str]:
    kept = frozenset([keep] if isinstance(keep, str) else keep)
    unknown = kept.difference(KINDS)
    if unknown:
        raise OptionError(f"unknown chrome kind(s) {', '.join(sorted(unknown))}; kinds are {', '.join(KINDS)}")
    return kept


def _classify(
    html: str | bytes,
    url: str | None,
    model: Model | str | Path | None,
    encoding: str | None,
    threshold: float | str | None,
    keep: Iterable[str],
    limits: Limits | None = None,
) -> tuple[Page, list[KindGuess]]:
    kept = check_keep(keep)
    fitted = resolve_model(model)
    cut = fitted.cut(threshold)
    page, X, terms = page_features(html, url=url, encoding=encoding, terms=fitted.reads_terms, limits=limits)
    raw = fitted.scores(X, np.zeros(len(X), dtype=np.int64), terms) if page.blocks else np.zeros(0)
    return page, label_page(page, raw, cut, kept, fitted, words_of(X))


def label_page(
    page: Page,
    raw: np.ndarray,
    cut: float,
    kept: frozenset[str] = frozenset(),
    model: Model | None = None,
    words: np.ndarray | None = None,
) -> list[KindGuess]:
    """Settle the model's raw scores with the kind rules, adjust them to the page, and label its blocks in place.

    The one place where a score becomes a label, shared by the single-page
    functions and the batch ones so that both give the same answer. The
    scores are adjusted to the page by ``model``'s page decision, if it has
    one (see :mod:`boilerplate.decision`), which reads the blocks' ``words``
    (:func:`boilerplate.features.words_of` of the page's features).
    """
    if not page.blocks:
        return []
    guesses = guess_kinds(page.blocks)
    scores = settle_scores(page.blocks, raw, guesses)
    if model is not None and model.decision is not None:
        if words is None:
            raise ValueError("a model with a page decision needs the blocks' words")
        scores = model.decide(scores, words)
    for block, guess, score in zip(page.blocks, guesses, scores.tolist(), strict=True):
        block.score = score
        block.label = CONTENT if score >= cut else CHROME
        if block.label == CHROME:
            block.kind = guess.kind
            if guess.kind in kept:
                block.label = CONTENT
    return guesses


def paywall_of(page: Page, guesses: list[KindGuess]) -> PaywallFinding:
    """The paywall verdict of a labelled page; kept chrome (``keep=``) does not count as article text."""
    content = [b.label == CONTENT and b.kind is None for b in page.blocks]
    return find_paywall(page, guesses, content)


def classify_blocks(
    html: str | bytes,
    *,
    url: str | None = None,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    limits: Limits | None = None,
) -> list[Block]:
    """Label every block of a page ``"content"`` or ``"chrome"``.

    Each returned :class:`Block` carries ``text``, ``label``, ``score`` (the
    probability of content), ``xpath`` and ``tag``. A page with no visible
    text gives an empty list. ``threshold`` overrides the model's operating
    point: a number (higher keeps less text, at higher precision) or a preset,
    ``"favor_precision"``, ``"balanced"`` (the default) or ``"favor_recall"``.

    Chrome blocks carry a ``kind`` (see :data:`boilerplate.kinds.KINDS`).
    Paywall prompts, consent dialogs and advertising labels that the rules
    recognize for certain score 0. ``keep`` names kinds of chrome to keep as
    content, for example ``keep=["comments"]`` on a forum; the ``kind`` stays
    on the block. ``limits`` bounds the page's size
    (:class:`boilerplate.parsing.Limits`; beyond them :class:`LimitError`).
    """
    page, _ = _classify(html, url, model, encoding, threshold, keep, limits)
    return page.blocks


def analyze(
    html: str | bytes,
    *,
    url: str | None = None,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    limits: Limits | None = None,
) -> Analysis:
    """Classify a page's blocks and judge whether, and how, it is paywalled."""
    page, guesses = _classify(html, url, model, encoding, threshold, keep, limits)
    return Analysis(page.blocks, paywall_of(page, guesses), page.truncated)


def extract_text(
    html: str | bytes,
    *,
    url: str | None = None,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    limits: Limits | None = None,
) -> str:
    """The page's content blocks in page order, separated by blank lines."""
    blocks = classify_blocks(
        html, url=url, model=model, encoding=encoding, threshold=threshold, keep=keep, limits=limits
    )
    return "\n\n".join(b.text for b in blocks if b.label == CONTENT)
