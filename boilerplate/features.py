"""Turn a segmented page into a feature matrix, one row per block.

Every feature is named in :data:`FEATURE_NAMES` and described where it is
computed. First one pass over the page's blocks counts what the features are
made of (:data:`_COUNTS`: characters by class, words, function words, links,
the class vocabulary's bits, ...); then the features are worked out from those
counts, in :func:`_python_from_counts` with numpy a whole page's column at a
time. Both steps are compiled where the package was built with a C compiler
(``_features.pyx``), giving the same counts and the same matrix to the bit;
the Python twins, :func:`_python_block_counts` and :func:`_python_from_counts`,
are what runs elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain
from operator import attrgetter

import numpy as np

from .alternation import alternatives, by_first_character
from .segmentation import LANDMARKS, Page
from .stopwords import STOPWORDS
from .templates import find_tokens

__all__ = ["FEATURE_NAMES", "featurize", "block_words", "words_of", "CLASS_VOCABULARY"]

# Class/id vocabulary: each entry is a feature, true when a token of the
# element's class or id attributes contains one of the patterns.
CLASS_VOCABULARY: dict[str, str] = {
    "nav": r"nav|menu|topbar|navbar",
    "header": r"header|masthead|topbar",
    "footer": r"footer|colophon|bottom",
    "sidebar": r"sidebar|side-bar|aside|rail|widget",
    "share": r"share|sharing|social|follow|facebook|twitter|linkedin|whatsapp|pinterest",
    "cookie": r"cookie|consent|gdpr|cmp|privacy|onetrust|didomi|usercentrics",
    "paywall": r"paywall|subscri|premium|meter|piano|tinypass|offer|regwall|plus-only|locked",
    "promo": r"promo|sponsor|advert|partner|taboola|outbrain|dfp|gpt-ad|commercial",
    "ad": r"(?:^|[\s_-])ads?(?:$|[\s_-])|adslot|adunit|ad-container|adsbygoogle",
    "related": r"related|recommend|more-|popular|trending|most-read|read-more|readmore|teaser|also",
    "newsletter": r"newsletter|signup|sign-up|mailing|subscribe-form|optin",
    "login": r"login|log-in|signin|sign-in|register|account|auth",
    "comment": r"comment|reply|replies|discuss|disqus|respon",
    "breadcrumb": r"breadcrumb|crumbs",
    "modal": r"modal|popup|pop-up|overlay|dialog|lightbox|toast|banner",
    "tag": r"(?:^|[\s_-])tags?(?:$|[\s_-])|tagcloud|categor|topics|keywords",
    "meta": r"meta|byline|author|date|time|published|posted|dateline",
    "caption": r"caption|credit|figure|photo|image|media",
    "article": r"article|story|post|entry|blog",
    "content": r"content|main|body|text|prose|copy|markdown|rich-?text|detail|description",
    "title": r"title|headline|heading|hed(?:$|[\s_-])",
    "lead": r"lead|intro|summary|standfirst|dek|excerpt|subtitle|sub-title|abstract|deck",
    "hidden": r"hidden|sr-only|screen-reader|visually-hidden|offscreen|skip",
    "pagination": r"pagination|pager|paging|next|prev",
    "search": r"search|query",
    "button": r"button|btn|cta|action|toolbar|icon",
    "logo": r"logo|brand|site-name|sitename",
    "legal": r"copyright|legal|disclaimer|terms|imprint|impressum",
    "card": r"card|tile|item|grid|list|feed|product|result",
    "code": r"code|highlight|syntax|hljs|prism|example",
    "table": r"table|spec|attribute",
    "forum": r"thread|message|forum|topic|question|answer",
}
_VOCAB_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in CLASS_VOCABULARY.items()))
_VOCAB_INDEX = {name: i for i, name in enumerate(CLASS_VOCABULARY)}


def _start_finder(patterns: list[str]) -> re.Pattern[str]:
    """A regex that matches exactly where one of ``patterns`` matches, made quick to search.

    Python's regex engine tries the alternatives of ``_VOCAB_RE`` one by one at every character, entering
    each named group; grouped by their first letter, most characters rule out a whole group at once.
    """
    return re.compile(by_first_character(a for pattern in patterns for a in alternatives(pattern)))


# Where the next vocabulary match starts; the grouped regex then tells which entry it is.
_VOCAB_START = _start_finder(list(CLASS_VOCABULARY.values()))

# Tags that get their own indicator; everything else falls into "other".
_TAG_GROUPS = {
    "p": "p",
    "h1": "h1",
    "h2": "h2",
    "h3": "h3plus",
    "h4": "h3plus",
    "h5": "h3plus",
    "h6": "h3plus",
    "li": "li",
    "dt": "dl",
    "dd": "dl",
    "td": "cell",
    "th": "cell",
    "pre": "pre",
    "blockquote": "blockquote",
    "figcaption": "figcaption",
    "caption": "figcaption",
    "div": "div",
    "section": "section",
    "article": "section",
    "main": "section",
    "span": "other",
    "a": "other",
}
_TAG_NAMES = (
    "p",
    "h1",
    "h2",
    "h3plus",
    "li",
    "dl",
    "cell",
    "pre",
    "blockquote",
    "figcaption",
    "div",
    "section",
    "other",
)
_TAG_INDEX = {name: i for i, name in enumerate(_TAG_NAMES)}

# Landmarks that are features. "hidden" and "aria_hidden" are recorded on blocks but left out: the
# shipped model was trained without them, and hidden text is judged like any other text.
_FEATURE_LANDMARKS = LANDMARKS[: LANDMARKS.index("hidden")]

_WORD = re.compile(r"\w+")
# Characters that close a sentence when they end a block, and those that end one inside it (before a space).
_SENTENCE_END_CODES = np.array([ord(c) for c in ".!?。！？…:;\"'”»)"], dtype=np.uint32)
_SENTENCE_STOPS = np.array([ord(c) for c in ".?!"], dtype=np.uint32)


def _code_table(codes: np.ndarray) -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is one of ``codes`` (all in it, U+FFFF not)."""
    table = np.zeros(0x10000, dtype=bool)
    table[codes] = True
    return table


# Looked up at np.minimum(code, 0xFFFF): a table lookup costs a fraction of np.isin's sorting and checks.
_IS_SENTENCE_END = _code_table(_SENTENCE_END_CODES)
_IS_SENTENCE_STOP = _code_table(_SENTENCE_STOPS)

# Character classes for the per-character lookup table.
_OTHER, _SPACE, _LOWER, _UPPER, _DIGIT, _PUNCT = range(6)
# Key features repeated for the neighbouring blocks and the container.
_CONTEXT_KEYS = ("log_words", "link_density", "text_density", "stopword_ratio", "ends_sentence", "is_p", "is_heading")


_SLICE = 1 << 20  # characters looked up at a time


@lru_cache(maxsize=1)
def _char_table() -> np.ndarray:
    """Class of every code point of the Basic Multilingual Plane, built once on first use."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for cp in range(0x10000):
        cat = unicodedata.category(chr(cp))
        if cat == "Zs" or cp in (9, 10, 13):
            table[cp] = _SPACE
        elif cat == "Lu" or cat == "Lt":
            table[cp] = _UPPER
        elif cat[0] == "L":
            table[cp] = _LOWER
        elif cat == "Nd":
            table[cp] = _DIGIT
        elif cat[0] == "P" or cat[0] == "S":
            table[cp] = _PUNCT
    return table


@lru_cache(maxsize=1 << 16)
def _token_bits(token: str) -> int:
    """Bit set of the vocabulary entries that one class or id token matches.

    The matches are those of ``_VOCAB_RE.finditer(token)``, found faster: ``_VOCAB_START`` finds where
    the next one starts and the grouped regex, run at that place only, tells which entry it is.
    """
    bits = 0
    pos = 0
    while (start := _VOCAB_START.search(token, pos)) is not None:
        match = _VOCAB_RE.match(token, start.start())
        if match is None:  # cannot happen while both regexes hold the same alternatives
            pos = start.start() + 1
            continue
        bits |= 1 << _VOCAB_INDEX[match.lastgroup]
        pos = match.end()
    return bits


# Bits of one element's class string, kept from page to page: a site's pages and the common frameworks
# repeat them. Emptied when it grows past _CLASS_CACHE_SIZE strings, as _token_bits' cache is bounded;
# a string longer than _CACHED_LENGTH is not kept, so that hostile pages cannot fill memory with it.
_CLASS_CACHE: dict[str, int] = {}
_CLASS_CACHE_SIZE = 1 << 16
_CACHED_LENGTH = 512


def _class_cache() -> dict[str, int]:
    """:data:`_CLASS_CACHE`, emptied first if it has grown too large (called once a page)."""
    if len(_CLASS_CACHE) > _CLASS_CACHE_SIZE:
        _CLASS_CACHE.clear()
    return _CLASS_CACHE


def _vocab_bits(tokens: str, cache: dict[str, int]) -> int:
    """Bit set for a whole class/id string; tokens and strings repeat, so both are cached.

    An ASCII string (nearly every one) is read by the compiled scanner where it is built.
    """
    bits = cache.get(tokens)
    if bits is None:
        if _VOCAB_SCANNER is not None and tokens.isascii():
            bits = _VOCAB_SCANNER.bits(tokens)
        else:
            bits = _python_vocab_bits(tokens)
        if len(tokens) <= _CACHED_LENGTH:
            cache[tokens] = bits
    return bits


def _python_vocab_bits(tokens: str) -> int:
    """The bit set of a class/id string by the vocabulary's regexes: the reference for the compiled scanner."""
    bits = 0
    for token in set(tokens.split()):
        bits |= _token_bits(token)
    return bits


# The steps the compiled scanner reads an alternative in (as _features.pyx numbers them).
_CHAR, _OPTIONAL, _START_OR_SEPARATOR, _END_OR_SEPARATOR = range(4)
_STEPS = re.compile(r"\(\?:\^\|\[\\s_-\]\)|\(\?:\$\|\[\\s_-\]\)|[a-z0-9-]\??")


def _vocab_programs() -> list[tuple[int, list[tuple[int, int]]]] | None:
    """Each alternative of the vocabulary, in order, as (entry index, steps) for the compiled scanner.

    An alternative is read as plain characters, characters that may be left out (``rich-?text``), and the
    start or end of the token or a separator (``(?:^|[\\s_-])``); None if one holds anything else, and
    then the regexes read every string.
    """
    programs = []
    for index, pattern in enumerate(CLASS_VOCABULARY.values()):
        for alternative in alternatives(pattern):
            pieces = _STEPS.findall(alternative)
            if "".join(pieces) != alternative or not pieces:
                return None
            steps = []
            for piece in pieces:
                if piece.startswith("(?:^"):
                    steps.append((_START_OR_SEPARATOR, 0))
                elif piece.startswith("(?:$"):
                    steps.append((_END_OR_SEPARATOR, 0))
                else:
                    steps.append((_OPTIONAL if piece.endswith("?") else _CHAR, ord(piece[0])))
            programs.append((index, steps))
    return programs


def _ancestor_vocab_bits(ancestors: str, seen: dict[str, int], cache: dict[str, int]) -> int:
    """Bit set for a block's ancestor classes, one enclosing element at a time.

    Blocks share most of their ancestors, so looking each element's classes up once (in ``cache``) is
    cheaper than splitting every block's whole string; the page's whole strings are kept in ``seen``.
    The " | " between elements is a token that matches nothing.
    """
    bits = seen.get(ancestors)
    if bits is None:
        bits = 0
        for element_classes in ancestors.split(" | "):
            bits |= _vocab_bits(element_classes, cache)
        seen[ancestors] = bits
    return bits


# Page types that schema.org JSON-LD declares (@type, lower-cased, matched by substring) and og:type values.
_SCHEMA_KINDS: dict[str, tuple[str, ...]] = {
    "article": ("article", "blogposting"),
    "product": ("product",),
    "list": ("itemlist", "collectionpage", "searchresultspage", "offercatalog"),
    "forum": ("discussionforumposting", "qapage", "question", "socialmediaposting", "comment"),
}
_OG_KINDS = ("article", "product")
# A step's position in an XPath ("div[3]"), dropped to group the blocks of repeated structures.
_POSITION = re.compile(r"\[\d+\]")
# Prose: a block of at least this many words with less than half of its characters in links.
_PROSE_WORDS = 8


def _page_types(page: Page) -> list[float]:
    """One flag per :data:`_SCHEMA_KINDS` entry and per :data:`_OG_KINDS` value."""
    types: set[str] = set()
    for obj in page.json_ld:
        declared = obj.get("@type")
        for name in declared if isinstance(declared, list) else [declared]:
            if isinstance(name, str):
                types.add(name.lower())
    flags = [float(any(key in t for t in types for key in keys)) for keys in _SCHEMA_KINDS.values()]
    return flags + [float(kind in page.og_type) for kind in _OG_KINDS]


def _repeat_groups(blocks: list) -> np.ndarray:
    """Group number of every block: blocks share one when their XPaths differ only in positions."""
    shapes = _POSITION.sub("", "\n".join(b.xpath for b in blocks)).split("\n")
    numbers: dict[str, int] = {}
    return np.fromiter((numbers.setdefault(shape, len(numbers)) for shape in shapes), dtype=np.int64, count=len(blocks))


def _text_region(blocks: list, prose_words: np.ndarray) -> str | None:
    """XPath of the deepest element holding at least half of the page's prose words (None without prose).

    The prose words are summed per XPath, then handed up one level at a time from the deepest, so each
    element is added up once; the first level where an element holds half is the answer. (Only elements
    on one line of descent can each hold more than half; of two holding exactly half, the longer XPath.)
    """
    total = float(prose_words.sum())
    if total <= 0:
        return None
    levels: dict[int, dict[str, float]] = {}  # depth ("/html" is 0) -> XPath -> prose words under it
    # Whole numbers of words, so Python floats add them up exactly as numpy's would, and faster.
    for i, words in zip(np.flatnonzero(prose_words).tolist(), prose_words[prose_words != 0].tolist(), strict=True):
        block = blocks[i]
        level = levels.setdefault(block.depth, {})
        level[block.xpath] = level.get(block.xpath, 0.0) + words
    for depth in range(max(levels), -1, -1):
        level = levels.get(depth)
        if not level:
            continue
        found = [path for path, words in level.items() if 2 * words >= total]
        if found:
            return max(found, key=len)
        above = levels.setdefault(depth - 1, {})
        for path, words in level.items():
            parent = path[: path.rfind("/")]
            above[parent] = above.get(parent, 0.0) + words
    return None


# The bit sets among the counts that become one feature per bit, in the matrix's order.
_BIT_COUNTS = (
    ("landmarks", len(_FEATURE_LANDMARKS)),
    ("class_bits", len(CLASS_VOCABULARY)),
    ("ancestor_class_bits", len(CLASS_VOCABULARY)),
)


def _bit_rows(bits: np.ndarray, width: int) -> np.ndarray:
    """One row per bit: the bits of every block's bit set, as 0 and 1."""
    return ((bits >> np.arange(width)[:, None]) & 1).astype(np.float64)


def _build_names() -> list[str]:
    names = [
        # size
        "log_chars",  # log(1 + characters)
        "log_words",  # log(1 + words)
        "text_density",  # words per 80-character line (Kohlschütter et al. 2010)
        "link_density",  # share of characters inside <a>
        "punct_ratio",  # punctuation and symbols per non-space character
        "digit_ratio",  # digits per non-space character
        "upper_ratio",  # upper-case letters per letter
        "stopword_ratio",  # function words (many languages) per word
        "mean_word_len",  # characters per word
        "ends_sentence",  # last character closes a sentence
        "starts_upper",  # first letter is upper case
        "n_sentences",  # log(1 + sentence-ending punctuation followed by a space or the end)
        "template_text",  # unrendered template tokens in the text
        "template_attr",  # unrendered template tokens in attribute values
        # position
        "rel_position",  # block index / number of blocks
        "rel_char_position",  # characters before the block / characters of the page
        "depth",  # DOM depth of the block's element
        "rel_depth",  # depth / deepest block of the page
        "title_overlap",  # share of the page <title>'s words found in the block
        "description_overlap",  # share of the block's words found in the page's meta description
        "page_word_share",  # block words / page words
        # page
        "page_log_words",
        "page_log_blocks",
        "page_link_density",
        # container: the nearest enclosing block-level element
        "container_log_words",
        "container_log_blocks",
        "container_link_density",
        "container_word_share",  # block words / container words
        "same_tag_siblings",  # log(1 + blocks in the container with the same tag)
    ]
    names += [f"tag_{t}" for t in _TAG_NAMES]
    names += [f"in_{lm}" for lm in _FEATURE_LANDMARKS]
    names += [f"class_{v}" for v in CLASS_VOCABULARY]
    names += [f"ancestor_class_{v}" for v in CLASS_VOCABULARY]
    for offset in ("prev2", "prev1", "next1", "next2"):
        names += [f"{offset}_{key}" for key in _CONTEXT_KEYS]
    names += [f"container_mean_{key}" for key in ("text_density", "stopword_ratio", "ends_sentence")]
    names += [
        # repeat group: the blocks whose XPath is the block's without its positions (the same field of every
        # card of a grid, every post of a thread, every row of a table, every link of a menu)
        "repeat_log_blocks",  # log(1 + blocks in the group)
        "repeat_word_share",  # the group's words / page words
        "repeat_link_density",  # the group's characters inside <a> / its characters
        "repeat_mean_log_words",  # mean log(1 + words) of the group's blocks
        # text region: the deepest element holding at least half of the page's prose (blocks of 8 words or more,
        # less than half of them in links), where the article, the post or the grid of cards is
        "in_text_region",
        "text_region_depth",  # the block's depth below that element, -1 outside it
        "page_text_region_share",  # words inside that element / page words
        # page: what kind of page this is, so that one model serves articles, listings and forums
        "page_prose_share",  # words in prose blocks / page words
        "page_max_log_words",  # log(1 + words of the longest block)
        "page_repeat_share",  # words in repeat groups of 4 blocks or more / page words
    ]
    names += [f"page_schema_{kind}" for kind in _SCHEMA_KINDS]
    names += [f"page_og_{kind}" for kind in _OG_KINDS]
    return names


FEATURE_NAMES: list[str] = _build_names()
_LOG_WORDS = FEATURE_NAMES.index("log_words")


def _shift(rows: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """Each row's values of the block ``offset`` places later in the page (earlier if negative)."""
    out = np.full_like(rows, fill)
    if offset > 0:
        out[:, :-offset] = rows[:, offset:]
    elif offset < 0:
        out[:, -offset:] = rows[:, :offset]
    return out


def block_words(page: Page) -> list[list[str]]:
    """The lower-cased words of every block (one regex pass per block), shared with the terms."""
    return [_WORD.findall(b.text.lower()) for b in page.blocks]


def words_of(X: np.ndarray) -> np.ndarray:
    """The number of words of each row's block, read back from its ``log_words`` column.

    The words the benchmark's metric counts, as :func:`block_words` finds them, counted once by
    :func:`featurize`; exact for blocks of up to a million words (float32 holds the logarithm).
    """
    return np.rint(np.expm1(X[:, _LOG_WORDS].astype(np.float64)))


# What one pass over a page's blocks counts, a column each (see _python_block_counts); the features are
# worked out from these counts with numpy.
_COUNTS = (
    "chars",
    "spaces",
    "upper",  # upper-case letters
    "lower",  # other letters
    "digits",
    "punct",  # punctuation and symbols
    "ends_sentence",  # 1 when the last character closes a sentence
    "starts_upper",  # 1 when the first character is upper case
    "inner_stops",  # ". ", "? " and "! " inside the block
    "words",
    "stopwords",
    "word_chars",  # characters of the words
    "title_words",  # distinct words of the page's title in the block
    "description_words",  # the block's words found in the meta description
    "link_chars",
    "depth",
    "container",
    "landmarks",  # bits
    "tag",  # index into _TAG_NAMES
    "class_bits",  # CLASS_VOCABULARY bits of the block's own class/id tokens
    "ancestor_class_bits",  # ... and of its ancestors'
    "template_text",  # template tokens in the text
    "template_attr",  # ... in attribute values
    "repeat_group",  # see _repeat_groups
)
_COUNT = {name: i for i, name in enumerate(_COUNTS)}
# Raw tag -> index into _TAG_NAMES.
_TAG_NUMBER = {tag: _TAG_INDEX[group] for tag, group in _TAG_GROUPS.items()}
_OTHER_TAG = _TAG_INDEX["other"]


def _python_block_counts(
    blocks: list, words_per_block: list[list[str]] | None, title_words: set[str], description_words: set[str]
) -> np.ndarray:
    """The :data:`_COUNTS` of every block, ``(len(_COUNTS), len(blocks))`` int64: the reference for the compiled pass.

    Character statistics are taken over the whole page at once: its text becomes one array of code points,
    and per-block counts are sums over slices of it. Per-word facts are arrays summed per block likewise.
    """
    n = len(blocks)
    texts = [b.text for b in blocks]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    # Looked up a slice at a time, so that a page of millions of characters needs no second copy of them.
    table = _char_table()
    classes = np.empty(len(codes), dtype=np.uint8)
    for lo in range(0, len(codes), _SLICE):
        classes[lo : lo + _SLICE] = table[np.minimum(codes[lo : lo + _SLICE], 0xFFFF)]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    ends = starts + lengths

    def per_block(mask: np.ndarray) -> np.ndarray:
        totals = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        return totals[ends] - totals[starts]

    # A block ends a sentence when its last character closes one, or the character before a final newline
    # does (as a regex's "$" would allow), read from the code points rather than searched for block by block.
    last = codes[np.maximum(ends - 1, 0)] if len(codes) else np.zeros(n, np.uint32)
    before_last = codes[np.maximum(ends - 2, 0)] if len(codes) else np.zeros(n, np.uint32)
    ends_sentence = (lengths > 0) & _IS_SENTENCE_END[np.minimum(last, 0xFFFF)]
    ends_sentence |= (lengths > 1) & (last == ord("\n")) & _IS_SENTENCE_END[np.minimum(before_last, 0xFFFF)]
    # The pairs cannot overlap; one that runs into the next block does not count.
    stop_then_space = np.zeros(len(codes), dtype=bool)
    stop_then_space[:-1] = _IS_SENTENCE_STOP[np.minimum(codes[:-1], 0xFFFF)] & (codes[1:] == ord(" "))
    stop_then_space[ends[lengths > 0] - 1] = False
    stops = np.flatnonzero(stop_then_space)

    if words_per_block is None:
        words_per_block = [_WORD.findall(text.lower()) for text in texts]
    word_counts = np.fromiter(map(len, words_per_block), dtype=np.int64, count=n)
    words = list(chain.from_iterable(words_per_block))
    word_ends = np.cumsum(word_counts)

    def per_block_words(per_word: np.ndarray) -> np.ndarray:
        totals = np.concatenate(([0], np.cumsum(per_word, dtype=np.int64)))
        return totals[word_ends] - totals[word_ends - word_counts]

    def count(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64, count=n)

    cache = _class_cache()
    seen: dict[str, int] = {}  # the page's ancestor strings

    columns = {
        "chars": lengths,
        "spaces": per_block(classes == _SPACE),
        "upper": per_block(classes == _UPPER),
        "lower": per_block(classes == _LOWER),
        "digits": per_block(classes == _DIGIT),
        "punct": per_block(classes == _PUNCT),
        "ends_sentence": ends_sentence,
        "starts_upper": count(t[:1].isupper() for t in texts),
        "inner_stops": np.searchsorted(stops, ends) - np.searchsorted(stops, starts),
        "words": word_counts,
        "stopwords": per_block_words(np.fromiter(map(STOPWORDS.__contains__, words), dtype=bool, count=len(words))),
        "word_chars": per_block_words(np.fromiter(map(len, words), dtype=np.int64, count=len(words))),
        "title_words": count(len(title_words.intersection(ws)) for ws in words_per_block),
        "description_words": per_block_words(
            np.fromiter(map(description_words.__contains__, words), dtype=bool, count=len(words))
        ),
        "link_chars": count(map(attrgetter("link_chars"), blocks)),
        "depth": count(map(attrgetter("depth"), blocks)),
        "container": count(map(attrgetter("container"), blocks)),
        "landmarks": count(map(attrgetter("landmarks"), blocks)),
        "tag": count(_TAG_NUMBER.get(b.tag, _OTHER_TAG) for b in blocks),
        "class_bits": count(_vocab_bits(b.classes, cache) for b in blocks),
        "ancestor_class_bits": count(_ancestor_vocab_bits(b.ancestor_classes, seen, cache) for b in blocks),
        "template_text": count(len(find_tokens(t)) for t in texts),
        "template_attr": count(len(find_tokens(b.template_attrs)) if b.template_attrs else 0 for b in blocks),
        "repeat_group": _repeat_groups(blocks),
    }
    return np.stack([columns[name].astype(np.int64) for name in _COUNTS])


def _python_within(blocks: list, region: str) -> np.ndarray:
    """1.0 for each block whose XPath is ``region`` or lies under it, else 0.0: the reference for the compiled one."""
    inside = region + "/"
    return np.fromiter((b.xpath == region or b.xpath.startswith(inside) for b in blocks), np.float64, len(blocks))


def _block_counts(
    blocks: list, words_per_block: list[list[str]] | None, title_words: set[str], description_words: set[str]
) -> np.ndarray:
    """The compiled pass where it is built, else the Python one: the same counts.

    Without ``words_per_block`` each pass finds the words itself, as :func:`block_words` does.
    """
    if _compiled_counts is not None:
        return _compiled_counts(blocks, words_per_block, title_words, description_words)
    return _python_block_counts(blocks, words_per_block, title_words, description_words)


def featurize(page: Page, words_per_block: list[list[str]] | None = None) -> np.ndarray:
    """Feature matrix of shape ``(len(page.blocks), len(FEATURE_NAMES))``.

    ``words_per_block`` are the words of :func:`block_words`, where the caller has them already (for the
    terms); without them the counting pass finds the words as it counts, which is quicker.
    """
    blocks = page.blocks
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    title_words = set(_WORD.findall(page.title.lower())) - STOPWORDS
    description_words = set(_WORD.findall(page.description.lower()))
    counts = _block_counts(blocks, words_per_block, title_words, description_words)
    prose_words = _prose_words(counts)
    region = _text_region(blocks, prose_words)
    in_region = np.zeros(n) if region is None else _within(blocks, region)
    # A block's depth counts the steps of its XPath after the first ("/html" is 0), the region's likewise.
    region_top = 0 if region is None else region.count("/") - 1
    page_types = _page_types(page)
    return _from_counts(
        counts, len(title_words), bool(description_words), prose_words, in_region, region_top, page_types
    )


def _prose_words(counts: np.ndarray) -> np.ndarray:
    """Words of each prose block (8 words or more, less than half of its characters in links), else 0."""
    n_words = counts[_COUNT["words"]].astype(np.float64)
    link_density = counts[_COUNT["link_chars"]].astype(np.float64) / np.maximum(counts[_COUNT["chars"]], 1)
    return np.where((n_words >= _PROSE_WORDS) & (link_density < 0.5), n_words, 0.0)


def _python_from_counts(
    counts: np.ndarray,
    n_title: int,
    has_description: bool,
    prose_words: np.ndarray,
    in_region: np.ndarray,
    region_top: int,
    page_types: list[float],
) -> np.ndarray:
    """The feature matrix from the counts, with numpy a whole page's column at a time: the reference for the
    compiled one.

    ``n_title`` is the number of the title's words, ``has_description`` whether the page has a meta
    description, ``in_region`` 1.0 for the blocks inside the text region (all 0.0 without one) and
    ``region_top`` the region's own depth.
    """
    c = dict(zip(_COUNTS, counts, strict=True))
    n = counts.shape[1]
    lengths = c["chars"]
    n_upper = c["upper"]
    n_letters = n_upper + c["lower"]
    nonspace = np.maximum(lengths - c["spaces"], 1)
    word_counts = c["words"]
    n_words = word_counts.astype(np.float64)
    n_stop = c["stopwords"].astype(np.float64)
    word_chars = c["word_chars"].astype(np.float64)
    link_chars = c["link_chars"].astype(np.float64)
    link_density = link_chars / np.maximum(lengths, 1)
    # Kohlschütter's text density: words per line when the text is wrapped at 80 characters.
    text_density = np.where(lengths <= 80, n_words, n_words * 80.0 / np.maximum(lengths, 1))
    ends_sentence = c["ends_sentence"].astype(np.float64)
    # Sentences: one more than the ". ", "? " and "! " inside the block.
    n_sentences = (c["inner_stops"] + 1).astype(np.float64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    # --- position
    order = np.arange(n, dtype=np.float64)
    total_chars = max(int(lengths.sum()), 1)
    depth = c["depth"].astype(np.float64)
    title_overlap = c["title_words"] / n_title if n_title else np.zeros(n)
    if has_description:
        description_overlap = np.where(word_counts > 0, c["description_words"] / np.maximum(word_counts, 1), 0.0)
    else:
        description_overlap = np.zeros(n)
    page_words = max(n_words.sum(), 1.0)

    # --- container aggregates
    _, container = np.unique(c["container"], return_inverse=True)
    c_words = np.bincount(container, weights=n_words)
    c_blocks = np.bincount(container).astype(np.float64)
    c_chars = np.bincount(container, weights=lengths.astype(np.float64))
    c_links = np.bincount(container, weights=link_chars)
    tag_idx = c["tag"]
    same_tag = np.bincount(container * len(_TAG_NAMES) + tag_idx, minlength=len(c_blocks) * len(_TAG_NAMES))
    stop_ratio = n_stop / np.maximum(n_words, 1)

    columns: dict[str, np.ndarray] = {
        "log_chars": np.log1p(lengths),
        "log_words": np.log1p(n_words),
        "text_density": text_density,
        "link_density": link_density,
        "punct_ratio": c["punct"] / nonspace,
        "digit_ratio": c["digits"] / nonspace,
        "upper_ratio": n_upper / np.maximum(n_letters, 1),
        "stopword_ratio": stop_ratio,
        "mean_word_len": word_chars / np.maximum(n_words, 1),
        "ends_sentence": ends_sentence,
        "starts_upper": c["starts_upper"].astype(np.float64),
        "n_sentences": np.log1p(n_sentences),
        "template_text": c["template_text"].astype(np.float64),
        "template_attr": c["template_attr"].astype(np.float64),
        "rel_position": order / max(n - 1, 1),
        "rel_char_position": starts / total_chars,
        "depth": depth,
        "rel_depth": depth / max(depth.max(), 1.0),
        "title_overlap": title_overlap,
        "description_overlap": description_overlap,
        "page_word_share": n_words / page_words,
        "page_log_words": np.full(n, np.log1p(page_words)),
        "page_log_blocks": np.full(n, np.log1p(n)),
        "page_link_density": np.full(n, link_chars.sum() / total_chars),
        "container_log_words": np.log1p(c_words[container]),
        "container_log_blocks": np.log1p(c_blocks[container]),
        "container_link_density": c_links[container] / np.maximum(c_chars[container], 1),
        "container_word_share": n_words / np.maximum(c_words[container], 1),
        "same_tag_siblings": np.log1p(same_tag[container * len(_TAG_NAMES) + tag_idx]),
    }
    # Row blocks of the transposed matrix: one row per feature, so that each is written in one piece.
    tag_rows = (tag_idx == np.arange(len(_TAG_NAMES))[:, None]).astype(np.float64)
    context = np.vstack(
        [
            columns["log_words"],
            link_density,
            text_density,
            stop_ratio,
            ends_sentence,
            tag_rows[_TAG_INDEX["p"]],
            tag_rows[[_TAG_INDEX["h1"], _TAG_INDEX["h2"], _TAG_INDEX["h3plus"]]].sum(axis=0),
        ]
    )
    assert len(context) == len(_CONTEXT_KEYS)
    neighbours = [_shift(context, offset, -1.0) for offset in (-2, -1, 1, 2)]
    container_means = [
        (np.bincount(container, weights=values) / c_blocks)[container]
        for values in (text_density, stop_ratio, ends_sentence)
    ]

    # --- repeat groups and the text region
    group = c["repeat_group"]
    g_blocks = np.bincount(group).astype(np.float64)
    g_words = np.bincount(group, weights=n_words)
    g_chars = np.bincount(group, weights=lengths.astype(np.float64))
    repeats = [
        np.log1p(g_blocks[group]),
        g_words[group] / page_words,
        np.bincount(group, weights=link_chars)[group] / np.maximum(g_chars[group], 1),
        (np.bincount(group, weights=columns["log_words"]) / g_blocks)[group],
    ]
    region_depth = np.where(in_region > 0, depth - region_top, -1.0)
    page_facts = [
        (n_words * in_region).sum() / page_words,
        prose_words.sum() / page_words,
        np.log1p(n_words.max()),
        n_words[g_blocks[group] >= 4].sum() / page_words,
        *page_types,
    ]

    rows = np.vstack(
        [columns[name] for name in FEATURE_NAMES[: len(columns)]]
        + [tag_rows]
        + [_bit_rows(c[key], width) for key, width in _BIT_COUNTS]
        + neighbours
        + container_means
        + repeats
        + [in_region, region_depth]
        + [np.repeat(np.array(page_facts)[:, None], n, axis=1)]
    )
    assert rows.shape[0] == len(FEATURE_NAMES), (rows.shape, len(FEATURE_NAMES))
    return np.ascontiguousarray(rows.T, dtype=np.float32)


try:  # the compiled passes, where the package was built with them: the same counts and features
    from ._features import VocabularyScanner
    from ._features import block_counts as _compiled_counts
    from ._features import from_counts as _from_counts
    from ._features import within as _within

    _VOCAB_SCANNER = VocabularyScanner(_programs) if (_programs := _vocab_programs()) is not None else None
except ImportError:  # not built: the same counts and features from the Python code
    _compiled_counts = _VOCAB_SCANNER = None
    _within, _from_counts = _python_within, _python_from_counts
