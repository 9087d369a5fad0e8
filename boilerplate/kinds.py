"""What kind of chrome a block is: navigation, paywall, cookie, advertisement, ...

The learned model says *whether* a block is chrome; these rules say *which*
chrome, from three kinds of evidence, nearest first:

1. the class/id tokens of the block and of its nearest enclosing elements
   that name a kind (``cookie-banner``, ``tp-modal``, ``ad-slot``, ``share``);
2. the block's own words (:mod:`boilerplate.lexicon`: "3 free articles left",
   "Alle akzeptieren", "Publicidad", "Te puede interesar");
3. the landmark it sits in (``<nav>``, ``<footer>``, ``<header>``).

One more rule works on scores rather than evidence of a kind: of the boxes a
page renders twice (desktop and mobile layouts), only the best-scoring copy
is kept, and the others are "duplicate" chrome.

Paywall prompts, consent dialogs and advertising labels are the chrome that
other tools leak, and their wording is distinctive, so for those three kinds
strong enough evidence is *certain*: the block is chrome whatever the model's
score (:attr:`KindGuess.certain`). Long blocks are never certain: an article
may well talk about subscriptions or cookies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np

from . import lexicon
from .segmentation import LANDMARKS, Block
from .templates import find_tokens, in_code

__all__ = ["KINDS", "GUARDED", "KindGuess", "guess_kinds", "nearest_class_kind", "settle_scores"]

KINDS = (
    "navigation",
    "paywall",
    "advertisement",
    "cookie",
    "social",
    "newsletter",
    "related",
    "comments",
    "footer",
    "header",
    "duplicate",
    "other",
)
GUARDED = frozenset({"paywall", "cookie", "advertisement"})
# Kinds whose unmistakable wording settles a short block as chrome: the guarded ones and newsletter calls.
_SETTLED_BY_WORDS = GUARDED | {"newsletter"}

_BIT = {name: 1 << i for i, name in enumerate(LANDMARKS)}
_MAX_CERTAIN_WORDS = 60  # a longer block may be an article paragraph about paywalls or cookies
_SHORT = 25
_LABEL = 12  # a button or label, not a sentence


@dataclass(frozen=True, slots=True)
class KindGuess:
    """The kind a block would have as chrome, where that came from, and whether it settles the label."""

    kind: str
    source: str  # "class", "text", "landmark", "repeat" (see settle_scores) or "none"
    certain: bool = False  # evidence strong enough that the block is chrome whatever the model says
    template_tokens: tuple[str, ...] = ()  # unrendered template tokens in the block's text or attributes
    words_say: str | None = None  # the kind the block's own words name (short blocks outside code only)
    unmistakable: bool = False  # whether those words name it unmistakably (see lexicon.text_kind)


def nearest_class_kind(block: Block) -> str | None:
    """The kind named by the block's own class/id tokens or by the nearest enclosing element's.

    ``<html>`` and ``<body>`` are left out: their classes describe the page
    ("has-cookie-banner", "header-sticky"), not the block.
    """
    return lexicon.class_kind(block.classes) or _enclosing_kind(block.ancestor_classes, block.ancestor_tags)


_PAGE_WIDE = frozenset({"html", "body"})


@lru_cache(maxsize=1 << 12)
def _enclosing_kind(ancestor_classes: str, ancestor_tags: str) -> str | None:
    """The kind the nearest enclosing element names; cached, as the blocks of one container share their ancestors."""
    return lexicon.innermost_class_kind(ancestor_classes, ancestor_tags, _PAGE_WIDE)


def _landmark_kind(marks: int) -> str | None:
    if marks & (_BIT["nav"] | _BIT["menu"]):
        return "navigation"
    if marks & _BIT["footer"]:
        return "footer"
    if marks & _BIT["header"]:
        return "header"
    return None


def _guess(
    block: Block, words: int, code: bool, said: tuple[str | None, bool], found: tuple[bool, ...] | None
) -> KindGuess:
    """The guess for one block, given its word count, whether it is code, what its words say, and for short
    prose whether ACCOUNT and SUBSCRIBE match it (``found``)."""
    text_kind, unmistakable = said
    class_kind = nearest_class_kind(block)
    landmark_kind = _landmark_kind(block.landmarks)
    tokens = () if code else tuple(find_tokens(block.text))
    if block.template_attrs:
        tokens += tuple(find_tokens(block.template_attrs))

    # A row of links in a landmark ("Privacy | Cookie settings | Contact" in the footer) is that landmark's.
    links = block.link_density > 0.5
    link_row = landmark_kind is not None and links
    kind, source, certain = "other", "none", False
    if class_kind is not None:
        kind, source = class_kind, "class"
    elif text_kind is not None and unmistakable and not link_row:
        kind, source = text_kind, "text"
    elif landmark_kind is not None:
        kind, source = landmark_kind, "landmark"
    elif text_kind is not None:
        kind, source = text_kind, "text"
    # Short prose was searched with the page's other texts (``found``); other blocks are searched here.
    account = words <= 4 and (found[0] if found else lexicon.matches(lexicon.ACCOUNT, block.text))
    if kind == "other" and account:
        kind, source = "navigation", "text"
    if words <= 4 and links and (account or (found[1] if found else lexicon.matches(lexicon.SUBSCRIBE, block.text))):
        certain = True  # a lone "Sign in" / "Subscribe" link is never the article

    agrees = class_kind == text_kind
    if text_kind in _SETTLED_BY_WORDS and (
        # The words say it, or say it and the container agrees; a call to sign up that ends a
        # paragraph ("... the free weekly email. Subscribe here") may run longer.
        (unmistakable and (words <= _SHORT or agrees or text_kind == "newsletter"))
        or (agrees and text_kind in GUARDED and words <= _LABEL)  # "Get unlimited access" in a paywall box
    ):
        certain = True
        if not link_row:
            kind, source = text_kind, "text"
    elif tokens and kind in GUARDED and words <= _MAX_CERTAIN_WORDS:
        certain = True  # a paywall or ad widget the page never rendered
    if tokens:
        return KindGuess(kind, source, certain, tokens, text_kind, unmistakable)
    return _plain_guess(kind, source, certain, text_kind, unmistakable)


@cache
def _plain_guess(kind: str, source: str, certain: bool, words_say: str | None, unmistakable: bool) -> KindGuess:
    """A guess without template tokens: these come in a few hundred variants, and being frozen, one serves all."""
    return KindGuess(kind, source, certain, (), words_say, unmistakable)


def guess_kinds(blocks: list[Block]) -> list[KindGuess]:
    """One :class:`KindGuess` per block, in order."""
    words, code = _words_and_code(blocks)
    # Only short prose is read for what its words say; the lexicon reads a page's texts together, which is faster.
    prose = [i for i, n in enumerate(words) if n <= _MAX_CERTAIN_WORDS and not code[i]]
    said: list[tuple[str | None, bool]] = [(None, False)] * len(blocks)
    found: list[tuple[bool, ...] | None] = [None] * len(blocks)
    read = lexicon.read_texts([blocks[i].text for i in prose], lexicon.ACCOUNT, lexicon.SUBSCRIBE)
    for i, (says, matched) in zip(prose, read, strict=True):
        said[i], found[i] = says, matched
    guesses = _guesses(blocks, words, code, said, found)
    _settle_promo_boxes(blocks, guesses)
    return guesses


def _python_words_and_code(blocks: list[Block]) -> tuple[list[int], list[bool]]:
    """Each block's word count and whether it sits in a code sample: the reference for the compiled loop."""
    # Segmentation collapses a block's whitespace to single spaces, so its words are one more than its spaces:
    # counted without making them strings, which took a sixth of the rules' time.
    words = [block.text.count(" ") + 1 if block.text else 0 for block in blocks]
    # A code sample shows prompts and templates on purpose.
    code = [in_code(block.tag, block.ancestor_tags) for block in blocks]
    return words, code


def _python_guesses(
    blocks: list[Block],
    words: list[int],
    code: list[bool],
    said: list[tuple[str | None, bool]],
    found: list[tuple[bool, ...] | None],
) -> list[KindGuess]:
    """Each block's :func:`_guess`: the reference for the compiled loop."""
    return [_guess(block, words[i], code[i], said[i], found[i]) for i, block in enumerate(blocks)]


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PROMO_RUN = 3  # a promotion box: a heading, a blurb or two, a button


def _settle_promo_boxes(blocks: list[Block], guesses: list[KindGuess]) -> None:
    """Settle a promotion box as a whole: a heading, blurb and button whose words all name one kind.

    ("Premium services" / "Get stock picks from our premium services." / "View premium services".)
    Each part alone is weak evidence, an offer or a newsletter may be what an article is about;
    a heading over a short run of blocks that all say so and end in a call-to-action link is not.
    """
    for i, (block, guess) in enumerate(zip(blocks, guesses, strict=True)):
        kind = guess.kind
        if block.tag not in _HEADING_TAGS or guess.source != "text" or kind not in _SETTLED_BY_WORDS:
            continue
        run = []
        for j in range(i + 1, min(i + 1 + _PROMO_RUN, len(blocks))):
            if blocks[j].tag in _HEADING_TAGS or guesses[j].words_say != kind:
                break
            run.append(j)
        words = sum(len(blocks[j].text.split()) for j in run)
        has_button = any(len(blocks[j].text.split()) <= 4 and blocks[j].link_density > 0.5 for j in run)
        if run and has_button and words <= 2 * _SHORT:
            for j in (i, *run):
                guesses[j] = replace(guesses[j], kind=kind, source="text", certain=True)


def settle_scores(blocks: list[Block], scores: np.ndarray, guesses: list[KindGuess]) -> np.ndarray:
    """The model's content scores, settled by the rules.

    Blocks the kind rules are certain of score 0, and a heading whose words
    name a kind of chrome ("Related articles", "Premium services", "Newsletter")
    scores no higher than the best block of the section it introduces: over
    a promotion or a list of related links, it belongs to them.
    Of the containers that say the same thing (see :func:`_python_keep_one_copy`)
    only the best-scoring one keeps its scores; the blocks of the others
    score 0, and those the rules name no other kind for become the kind
    "duplicate" (``guesses`` is updated in place).
    Every entry point (classification, evaluation, the paywall verdict)
    decides through this one function, so a cut means the same everywhere.
    """
    certain = np.fromiter((g.certain for g in guesses), dtype=bool, count=len(guesses))
    settled = np.where(certain, 0.0, scores)
    for i in _keep_one_copy(blocks, settled):
        settled[i] = 0.0
        if guesses[i].kind == "other":  # a copy of a paywall box or an advert keeps its kind
            guesses[i] = replace(guesses[i], kind="duplicate", source="repeat")
    return _cap_headings(blocks, settled, guesses)


def _python_keep_one_copy(blocks: list[Block], scores: np.ndarray) -> list[int]:
    """The blocks of every container that repeats another container's blocks, text for text (case aside),
    except those of the copy with the best score (the earlier on a tie): what to drop so that a page's
    text is kept once.

    Pages render a whole box twice, for the desktop and the mobile layout, in a tab and in an accordion;
    the reader sees it once and the benchmark's gold text holds it once. Whole containers, not single
    blocks: a phrase repeated inside each card of a list ("Book by Dec 31", a webcam's credit line) is
    part of each card, and the gold text repeats it too. On the training pages, dropping copies of whole
    containers raised word F1 and block precision, and cost half as much block recall as dropping
    single blocks that repeat.

    This is the reference for the compiled one.
    """
    members: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        members.setdefault(block.container, []).append(i)
    # Block texts come from segmentation with their whitespace already collapsed.
    lowered = [block.text.lower() for block in blocks]
    values = scores.tolist()
    best: dict[tuple[str, ...], list[int]] = {}
    dropped: list[int] = []
    for group in members.values():  # containers in the order their first block appears
        texts = tuple([lowered[i] for i in group])
        if len(texts) == 1 and " " not in texts[0]:  # one word ("Yes" in a table, a price) is no copy
            continue
        first = best.setdefault(texts, group)
        if first is group:
            continue
        if max([values[i] for i in group]) > max([values[i] for i in first]):
            best[texts] = group
            dropped += first
        else:
            dropped += group
    return sorted(dropped)


def _python_cap_headings(blocks: list[Block], scores: np.ndarray, guesses: list[KindGuess]) -> np.ndarray:
    """Cap the score of each heading whose words name chrome at the best score up to the next heading.

    Class names are no evidence here: "entry-header" and "post-header" sit on headlines. This is the
    reference for the compiled one.
    """
    out = scores.copy()
    best_after = -1.0  # best score since the last heading seen, walking backwards
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].tag in _HEADING_TAGS:
            if best_after >= 0.0 and guesses[i].source == "text":
                out[i] = min(out[i], best_after)
            best_after = -1.0
        else:
            best_after = max(best_after, float(scores[i]))
    return out


try:  # the compiled loops, where the package was built with them: the same guesses and scores
    from ._kinds import cap_headings as _cap_headings
    from ._kinds import guesses as _guesses
    from ._kinds import keep_one_copy as _keep_one_copy
    from ._kinds import words_and_code as _words_and_code
except ImportError:
    _guesses, _words_and_code = _python_guesses, _python_words_and_code
    _keep_one_copy, _cap_headings = _python_keep_one_copy, _python_cap_headings
