"""Is this page paywalled, how, and is its article text cut short?

The verdict weighs the signals a publisher leaves in the page:

``json-ld`` / ``microdata``
    schema.org ``isAccessibleForFree`` set to false, which publishers add so
    that search engines do not take the paywall for cloaking;
``has-part``
    a ``hasPart`` entry that is not free, whose ``cssSelector`` names the
    paywalled part of the page (the elements it selects are reported);
``vendor:NAME``
    the markup or scripts of a paywall or metering vendor (Piano/Tinypass,
    Poool, Zephr, Pelcro, Laterpay, Ghost's member gate, Substack, Steady,
    Memberful, Leaky Paywall, Wallkit);
``meter``
    a counted allowance ("3 free articles left this month");
``template-token``
    a paywall widget the page never rendered (``{{numberArticlesLeft}}``);
``prompt``
    a subscription, registration or membership prompt outside the page's
    navigation ("To continue reading, subscribe", "Ya eres suscriptor?").

A vendor's script alone does not make a page paywalled (publishers load it on
free pages too); schema.org's flag, a meter or a prompt does. The kind of
wall follows from the evidence: a meter makes it ``metered``, a free-account
prompt a ``registration`` wall, a membership platform or members-only wording
a ``member-only`` post, anything else ``hard``. The article counts as
``truncated`` when less than a paragraph of the article's text (content
blocks, and blocks in the part the page marks as paywalled) follows a
non-metered wall's last prompt: the body stops short just before the wall.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import lxml.etree

from . import lexicon
from .kinds import KindGuess
from .segmentation import LANDMARKS, Block, Page

__all__ = ["PaywallFinding", "find_paywall", "reads_tree", "css_to_xpath", "VENDORS", "WALL_TYPES"]

WALL_TYPES = ("metered", "hard", "registration", "member-only")

# Vendor markers, matched against the lower-cased class/id tokens, data-* attribute names and script/link/iframe
# addresses of a page (patterns in lower case).
VENDORS: dict[str, str] = {
    "piano": r"tinypass|piano\.io|cdn\.piano|^tp-(?:modal|container|backdrop|iframe|active|offer)|^piano-",
    "poool": r"poool",
    "zephr": r"zephr",
    "pelcro": r"pelcro",
    "laterpay": r"laterpay|^lp_(?:purchase|js)",
    "ghost": r"^gh-post-upgrade-cta|^gh-portal|data-portal",
    "substack": r"substack(?:cdn)?\.com",
    "steady": r"steady(?:hq)?[-_.]|steadyhq",
    "memberful": r"memberful",
    "leaky-paywall": r"leaky[-_]paywall",
    "wallkit": r"wallkit",
}
# Matched against lower-cased text, so without re.I (which would slow the anchored alternatives down).
_VENDOR_RE = {name: re.compile(pattern, re.M) for name, pattern in VENDORS.items()}
# Every match of a vendor's pattern above contains one of its stems (lowercase); keep them in step. A page
# is searched only for the vendors whose stems it holds.
_VENDOR_STEMS: dict[str, tuple[str, ...]] = {
    "piano": ("tinypass", "piano", "tp-modal", "tp-container", "tp-backdrop", "tp-iframe", "tp-active", "tp-offer"),
    "poool": ("poool",),
    "zephr": ("zephr",),
    "pelcro": ("pelcro",),
    "laterpay": ("laterpay", "lp_purchase", "lp_js"),
    "ghost": ("gh-post-upgrade-cta", "gh-portal", "data-portal"),
    "substack": ("substack",),
    "steady": ("steady",),
    "memberful": ("memberful",),
    "leaky-paywall": ("leaky",),
    "wallkit": ("wallkit",),
}
_VENDOR_BIT = {name: 1 << i for i, name in enumerate(VENDORS)}


def _stem_bits() -> dict[str, int]:
    """Each stem with the bits of the vendors it may stand for."""
    bits: dict[str, int] = {}
    for name, stems in _VENDOR_STEMS.items():
        for stem in stems:
            bits[stem] = bits.get(stem, 0) | _VENDOR_BIT[name]
    return bits


_STEM_BITS = _stem_bits()
try:  # the lexicon's compiled scan for stems serves the vendors' stems too, where it is built
    from ._gates import GateScanner

    # Stems only: with no openings, where a key's words start (the third argument) decides nothing.
    _STEM_SCAN: GateScanner | None = GateScanner(_STEM_BITS, {}, lambda key: 0)
except ImportError:
    _STEM_SCAN = None
_MEMBER_PLATFORMS = frozenset({"ghost", "substack", "steady", "memberful"})
_NAV_MARKS = sum(1 << i for i, name in enumerate(LANDMARKS) if name in ("nav", "menu", "header", "footer"))
_MIN_ARTICLE_WORDS = 25  # less text than this after the wall is a caption or a signature, not the article


@dataclass(frozen=True)
class PaywallFinding:
    """The page-level paywall verdict and its evidence."""

    paywalled: bool
    type: str | None = None  # one of WALL_TYPES when paywalled
    truncated: bool = False  # the article text stops short at the wall
    signals: tuple[str, ...] = ()  # in the order of the module docstring
    prompt_blocks: tuple[int, ...] = ()  # order of the blocks that are paywall prompts or meters
    paywalled_parts: tuple[str, ...] = ()  # xpaths of the elements that hasPart's cssSelector selects
    unsupported_selectors: tuple[str, ...] = ()  # cssSelectors this module cannot translate

    def to_dict(self) -> dict[str, Any]:
        return {
            "paywalled": self.paywalled,
            "type": self.type,
            "truncated": self.truncated,
            "signals": list(self.signals),
            "prompt_blocks": list(self.prompt_blocks),
            "paywalled_parts": list(self.paywalled_parts),
            "unsupported_selectors": list(self.unsupported_selectors),
        }


# -- schema.org ---------------------------------------------------------------------------------------------------


def _is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _schema_signals(page: Page) -> tuple[bool, bool, list[str]]:
    """(JSON-LD says not free, microdata says not free, cssSelectors of the non-free parts)."""
    json_ld, selectors = False, []
    for obj in page.json_ld:
        if _is_false(obj.get("isAccessibleForFree")):
            json_ld = True
            selector = obj.get("cssSelector")
            if isinstance(selector, str) and selector.strip():
                selectors.append(selector.strip())
    microdata = any(_is_false(flag) for flag in page.free_flags)
    return json_ld, microdata, selectors


def reads_tree(page: Page) -> bool:
    """Whether :func:`find_paywall` reads the page's tree: only to find the parts that the page's JSON-LD
    names by CSS selector as not free. Without those, the tree may be freed once the page is segmented."""
    return bool(_schema_signals(page)[2])


# -- CSS selectors ------------------------------------------------------------------------------------------------

_SIMPLE = re.compile(r"([a-zA-Z][\w-]*|\*)?((?:[.#][\w-]+|\[[\w-]+(?:[~|^$*]?=[\"']?[^\]\"']*[\"']?)?\])*)$")
_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:([~|^$*]?=)[\"']?([^\]\"']*)[\"']?)?\]")


def css_to_xpath(selector: str) -> str | None:
    """XPath for the CSS selectors that ``hasPart`` uses in practice, or None for anything fancier.

    Covers tags, ``.class``, ``#id``, ``[attr]``, ``[attr=value]`` (and ``~= ^= $= *=``), compound
    selectors, descendant and child combinators, and comma-separated lists.
    """
    alternatives = []
    for alternative in selector.split(","):
        tokens = alternative.replace(">", " > ").split()
        if not tokens:
            return None
        path, axis = "", "//"
        for token in tokens:
            if token == ">":
                axis = "/"
                continue
            match = _SIMPLE.match(token)
            if match is None or not (match.group(1) or match.group(2)):
                return None
            conditions = [_condition(m) for m in _PART.finditer(match.group(2) or "")]
            path += axis + (match.group(1) or "*").lower() + "".join(f"[{c}]" for c in conditions)
            axis = "//"
        alternatives.append(path)
    return " | ".join(alternatives)


def _condition(m: re.Match[str]) -> str:
    if m.group(1) == ".":
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {m.group(2)} ')"
    if m.group(1) == "#":
        return f"@id='{m.group(2)}'"
    name, op, value = m.group(3), m.group(4), m.group(5) or ""
    if op is None:
        return f"@{name}"
    return {
        "=": f"@{name}='{value}'",
        "~=": f"contains(concat(' ', normalize-space(@{name}), ' '), ' {value} ')",
        "^=": f"starts-with(@{name}, '{value}')",
        "$=": f"substring(@{name}, string-length(@{name}) - {len(value) - 1})='{value}'",
        "*=": f"contains(@{name}, '{value}')",
        "|=": f"(@{name}='{value}' or starts-with(@{name}, '{value}-'))",
    }[op]


# -- vendors ------------------------------------------------------------------------------------------------------


def _vendors(page: Page) -> list[str]:
    """Vendors named by class and id tokens, ``data-`` attribute names, and script, link and iframe sources.

    The tokens and names come from the segmentation walk (:attr:`Page.markers`: the head's elements and
    the elements the walk reads, not those inside a ``<script>``, ``<svg>`` or ``<template>``). A page that
    names no vendor's stem costs a few substring scans; otherwise each token or source becomes a line of
    one string, so that the patterns' ``^`` anchors a token's start.
    """
    markers = page.markers  # lower-cased by the walk
    sources = "\n".join(page.sources).lower()
    named = _named_vendors(markers, sources)
    if not named:
        return []
    text = "\n".join(markers.split()) + "\n" + sources
    return [name for name, pattern in _VENDOR_RE.items() if named & _VENDOR_BIT[name] and pattern.search(text)]


def _named_vendors(markers: str, sources: str) -> int:
    """The bits of the vendors whose stems (:data:`_VENDOR_STEMS`) the markers or the sources hold: one compiled
    pass over each where the scan is built, where ``str.find`` went over the page's tens of kilobytes of
    markers once per stem."""
    if _STEM_SCAN is not None:
        try:
            marker_bits, source_bits = _STEM_SCAN.masks([markers, sources], 0)
            return marker_bits | source_bits
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: the same answer, found in Python
            pass
    return _python_named_vendors(markers, sources)


def _python_named_vendors(markers: str, sources: str) -> int:
    """:func:`_named_vendors` by ``str.find``: the reference for the compiled scan."""
    named = 0
    for stem, bits in _STEM_BITS.items():
        if stem in markers or stem in sources:
            named |= bits
    return named


# -- prompts and the verdict ---------------------------------------------------------------------------------------


def _is_prompt(block: Block, guess: KindGuess) -> bool:
    """A paywall prompt or meter in the body of the page, not a "Subscribe" link in its navigation."""
    if block.landmarks & _NAV_MARKS:
        return False
    return guess.words_say == "paywall" and guess.unmistakable


def _inside(xpath: str, parts: Sequence[str]) -> bool:
    return any(xpath == part or xpath.startswith(part + "/") for part in parts)


def find_paywall(page: Page, guesses: Sequence[KindGuess], content: Sequence[bool]) -> PaywallFinding:
    """The paywall verdict of a classified page.

    ``guesses`` are the blocks' kind guesses and ``content`` their labels
    (True for content), both in block order.
    """
    blocks = page.blocks
    tree = page.tree
    json_ld, microdata, selectors = _schema_signals(page)
    vendors = _vendors(page)

    parts: list[str] = []
    unsupported: list[str] = []
    for selector in selectors:
        xpath = css_to_xpath(selector)
        if xpath is None:
            unsupported.append(selector)
            continue
        try:
            elements = tree.xpath(xpath) if tree is not None else []
        except lxml.etree.XPathError:
            unsupported.append(selector)
            continue
        parts.extend(tree.getpath(el) for el in elements)

    # Few guesses are unmistakable: that test first spares the others the call.
    prompts = [b.order for b, g in zip(blocks, guesses, strict=True) if g.unmistakable and _is_prompt(b, g)]
    prompt_texts = [blocks[i].text for i in prompts]
    meter = any(lexicon.matches(lexicon.METER, t) for t in prompt_texts)
    tokens = any(g.template_tokens and g.kind == "paywall" for g in guesses)

    signals = [
        name
        for name, present in (("json-ld", json_ld), ("microdata", microdata), ("has-part", bool(selectors)))
        if present
    ]
    signals += [f"vendor:{name}" for name in vendors]
    signals += [
        name for name, present in (("meter", meter), ("template-token", tokens), ("prompt", prompts)) if present
    ]

    paywalled = json_ld or microdata or meter or bool(prompts)
    if not paywalled:
        return PaywallFinding(False, signals=tuple(signals), unsupported_selectors=tuple(unsupported))

    if meter:
        wall = "metered"
    elif any(lexicon.matches(lexicon.REGISTRATION, t) for t in prompt_texts):
        wall = "registration"
    elif _MEMBER_PLATFORMS.intersection(vendors) or any(lexicon.matches(lexicon.MEMBERSHIP, t) for t in prompt_texts):
        wall = "member-only"
    else:
        wall = "hard"

    # The body stops short when a non-metered wall's prompt comes after the last of the article's text.
    # Text in the part that the page itself marks as paywalled is the article too, whatever the model says.
    truncated = False
    if wall != "metered" and prompts:
        after = prompts[-1]
        words_after = sum(
            len(b.text.split())
            for b, keep in zip(blocks, content, strict=True)
            if b.order > after and (keep or _inside(b.xpath, parts))
        )
        truncated = words_after < _MIN_ARTICLE_WORDS
    return PaywallFinding(
        True,
        wall,
        truncated,
        tuple(signals),
        tuple(prompts),
        tuple(parts),
        tuple(unsupported),
    )
