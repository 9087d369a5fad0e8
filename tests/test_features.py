from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerplate import features
from boilerplate.alternation import alternatives
from boilerplate.features import CLASS_VOCABULARY, FEATURE_NAMES, featurize
from boilerplate.parsing import parse_html
from boilerplate.segmentation import Block, segment

from .conftest import RetaggedBlock


def features_of(html):
    page = segment(parse_html(html))
    return page, featurize(page)


def column(name):
    return FEATURE_NAMES.index(name)


PAGE = """<html><head><title>Rainfall records broken across the region</title></head><body>
<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Rainfall records broken across the region</h1>
<p>The wettest month since records began left rivers high and fields flooded,
and the forecast is for more of the same.</p>
<p class="paywall-prompt">You have {{numberArticlesLeft}} free articles left this month</p></article>
<footer class="site-footer"><p>© 2024 Example Media</p></footer></body></html>"""


def test_shape_names_and_finite():
    page, X = features_of(PAGE)
    assert X.shape == (len(page.blocks), len(FEATURE_NAMES))
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert np.isfinite(X).all()


def test_empty_page_gives_empty_matrix():
    page = segment(None)
    assert featurize(page).shape == (0, len(FEATURE_NAMES))


def test_link_density_and_landmarks():
    _page, X = features_of(PAGE)
    home = X[0]
    assert home[column("link_density")] == 1.0
    assert home[column("in_nav")] == 1.0
    assert home[column("ancestor_class_nav")] == 1.0
    paragraph = X[3]
    assert paragraph[column("link_density")] == 0.0
    assert paragraph[column("in_article")] == 1.0
    assert paragraph[column("stopword_ratio")] > 0.3
    assert paragraph[column("ends_sentence")] == 1.0


def test_template_tokens_and_class_vocabulary():
    page, X = features_of(PAGE)
    prompt = X[4]
    assert page.blocks[4].text.startswith("You have")
    assert prompt[column("template_text")] == 1.0
    assert prompt[column("class_paywall")] == 1.0
    assert X[5][column("ancestor_class_footer")] == 1.0


def test_title_overlap_marks_the_headline():
    _page, X = features_of(PAGE)
    assert X[2][column("title_overlap")] == 1.0
    assert X[3][column("title_overlap")] < 0.5


def test_neighbour_features_see_the_next_block():
    _page, X = features_of(PAGE)
    assert X[2][column("next1_log_words")] == X[3][column("log_words")]
    assert X[0][column("prev1_log_words")] == -1.0


def test_template_tokens_are_counted_in_text_and_attributes():
    html = (
        "<html><body><article><p>A long enough paragraph of ordinary article text for the page.</p>"
        '<div class="meter">You have {{numberArticlesLeft}} free articles left</div>'
        '<p><span v-text="user.name"></span>Hello there, reader of this page.</p></article></body></html>'
    )
    page, X = features_of(html)
    texts = [b.text for b in page.blocks]
    meter = texts.index("You have {{numberArticlesLeft}} free articles left")
    assert X[meter][column("template_text")] == 1.0
    assert X[0][column("template_text")] == 0.0


def test_vocabulary_is_documented_in_names():
    for name in CLASS_VOCABULARY:
        assert f"class_{name}" in FEATURE_NAMES


def test_non_latin_text():
    _page, X = features_of("<p>Это обычный текст статьи, и в нём есть слова.</p><p>東京で会議が開かれた。</p>")
    assert np.isfinite(X).all()
    assert X[0][column("stopword_ratio")] > 0


def test_hidden_text_is_featurized_like_visible_text():
    _, X = features_of("<body><p>Shown text here.</p><p hidden>Shown text here.</p></body>")
    assert "in_hidden" not in FEATURE_NAMES
    differ = {name for i, name in enumerate(FEATURE_NAMES) if X[0, i] != X[1, i]}
    assert all(name.startswith(("rel_", "prev", "next")) for name in differ), differ  # position and neighbours


def test_class_vocabulary_matches_are_those_of_the_grouped_regex():
    """The quick start finder must not change which vocabulary entries a token matches."""

    def reference(token):
        bits = 0
        for match in features._VOCAB_RE.finditer(token):
            bits |= 1 << features._VOCAB_INDEX[match.lastgroup]
        return bits

    tokens = ["ad", "ads", "x-ad", "x-ads-y", "ad-", "head", "hed", "hed-x", "subhed", "rich-text", "richtext"]
    tokens += ["topbar", "navbar", "tags", "tag-", "x_tag", "tagcloud", "|", "", "site-nav__item--more-read"]
    tokens += list(CLASS_VOCABULARY) + [a for p in CLASS_VOCABULARY.values() for a in alternatives(p)]
    for token in tokens:
        assert features._token_bits.__wrapped__(token) == reference(token), token


def test_ancestor_classes_are_read_element_by_element():
    ancestors = "site-nav main |  | article-body x | ads"
    whole = 0
    for token in set(ancestors.split()):
        whole |= features._token_bits(token)
    assert features._ancestor_vocab_bits(ancestors, {}, {}) == whole


GRID = """<html><head><title>Rain jackets</title>
<meta property="og:type" content="product.group">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "CollectionPage",
 "mainEntity": {"@type": "ItemList", "itemListElement": [{"@type": "Product", "name": "Storm shell"}]}}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/men">Men</a></li><li><a href="/women">Women</a></li></ul></nav>
<main><h1>Rain jackets</h1>
<p>Jackets that keep the rain out on long walks, from light shells to warm parkas for the winter months.</p>
<ul class="grid">
<li class="card"><h3>Storm shell</h3><p>A light shell that packs into its own pocket for the bottom of a bag.</p></li>
<li class="card"><h3>Fell parka</h3><p>A warm parka with a hood that fits over a helmet and a long back.</p></li>
<li class="card"><h3>City mac</h3><p>A long coat for the office that sheds the rain and breathes on the train.</p></li>
<li class="card"><h3>Trail smock</h3><p>A pullover smock with a chest pocket big enough for a folded map.</p></li>
</ul></main>
<footer><p>Prices include tax.</p></footer></body></html>"""


def test_repeat_groups_gather_the_same_field_of_every_card():
    page, X = features_of(GRID)
    texts = [b.text for b in page.blocks]
    titles = [texts.index(t) for t in ("Storm shell", "Fell parka", "City mac", "Trail smock")]
    assert {float(X[i, column("repeat_log_blocks")]) for i in titles} == {np.float32(np.log1p(4))}
    words = features.block_words(page)
    card_words = sum(len(words[i + 1]) for i in titles)
    page_words = sum(map(len, words))
    share = X[titles[0] + 1, column("repeat_word_share")]
    assert share == np.float32(card_words / page_words)
    intro = texts.index(next(t for t in texts if t.startswith("Jackets")))
    assert X[intro, column("repeat_log_blocks")] == np.float32(np.log1p(1))
    # The menu's three links are one group too, all of it inside links.
    home = texts.index("Home")
    assert X[home, column("repeat_log_blocks")] == np.float32(np.log1p(3))
    assert X[home, column("repeat_link_density")] == 1.0
    assert X[titles[0] + 1, column("page_repeat_share")] > 0.5  # cards and menu hold most of the words


def test_the_text_region_is_the_deepest_element_with_half_the_prose():
    page, X = features_of(GRID)
    texts = [b.text for b in page.blocks]
    inside = column("in_text_region")
    depth = column("text_region_depth")
    # Five prose blocks: the intro and four card texts, all under <main>; the grid alone holds four fifths
    # of them, so the region is the <ul>, and the intro sits outside it.
    first_card = texts.index("Storm shell")
    assert X[first_card, inside] == 1.0 and X[first_card, depth] == 2.0  # ul > li > h3
    assert X[first_card + 1, inside] == 1.0
    intro = texts.index(next(t for t in texts if t.startswith("Jackets")))
    assert X[intro, inside] == 0.0 and X[intro, depth] == -1.0
    assert X[texts.index("Home"), inside] == 0.0
    assert 0.5 < X[0, column("page_text_region_share")] < 1.0


def test_a_page_without_prose_has_no_text_region():
    _page, X = features_of("<ul><li><a href='/a'>One</a></li><li><a href='/b'>Two</a></li></ul>")
    assert (X[:, column("in_text_region")] == 0).all() and (X[:, column("text_region_depth")] == -1).all()
    assert (X[:, column("page_prose_share")] == 0).all()


def test_page_types_come_from_json_ld_and_og_type():
    _page, X = features_of(GRID)
    row = X[0]
    assert row[column("page_schema_list")] == 1.0  # CollectionPage and ItemList
    assert row[column("page_schema_product")] == 1.0  # the nested Product
    assert row[column("page_schema_article")] == 0.0 and row[column("page_schema_forum")] == 0.0
    assert row[column("page_og_product")] == 1.0 and row[column("page_og_article")] == 0.0
    _page, X = features_of(PAGE)
    assert X[:, [column(n) for n in FEATURE_NAMES if n.startswith(("page_schema_", "page_og_"))]].sum() == 0


# The compiled counting pass (boilerplate/_features.pyx) must give exactly the Python pass's counts.
compiled_counts = pytest.mark.skipif(
    features._compiled_counts is None,
    reason="the compiled counting pass is not built in this installation (no C compiler at install): the Python pass",
)


def both_counts(page):
    """The Python pass's and the compiled pass's counts of one segmented page."""
    words = features.block_words(page)
    title = set(features._WORD.findall(page.title.lower())) - features.STOPWORDS
    description = set(features._WORD.findall(page.description.lower()))
    args = (page.blocks, words, title, description)
    return features._python_block_counts(*args), features._compiled_counts(*args)


def test_the_python_counts_are_what_the_features_say():
    page = segment(parse_html(PAGE))
    words = features.block_words(page)
    title = set(features._WORD.findall(page.title.lower())) - features.STOPWORDS
    counts = dict(zip(features._COUNTS, features._python_block_counts(page.blocks, words, title, set()), strict=True))
    texts = [b.text for b in page.blocks]
    first = texts.index(next(t for t in texts if t.startswith("The wettest")))
    assert counts["chars"][first] == len(texts[first]) and counts["words"][first] == len(words[first])
    assert counts["ends_sentence"][first] == 1 and counts["starts_upper"][first] == 1
    assert counts["spaces"][first] == texts[first].count(" ")
    assert counts["title_words"][texts.index("Rainfall records broken across the region")] == len(title)
    assert counts["template_text"][texts.index(next(t for t in texts if "{{" in t))] == 1
    assert counts["link_chars"][texts.index("Home")] == 4
    assert counts["tag"][first] == features._TAG_INDEX["p"]
    assert counts["class_bits"][texts.index("Home")] == 0  # the menu's class is its ancestors'
    assert counts["ancestor_class_bits"][texts.index("Home")] & (1 << features._VOCAB_INDEX["nav"])


_CHARS = st.sampled_from([*'aZ É9٣ .?!:;"”)\n\t\u00a0\u3002{}[]<>%|-_/$²½\u0301', "𝐀", "😀", "ß", "İ", "ǅ"])
_PIECES = st.text(_CHARS, max_size=40) | st.sampled_from(["{{ x }}", "[[y]]", "%%z%%", "Sign in", "The end."])
_XPATHS = st.sampled_from(["/html/body/div[2]/p[3]", "/html/body/ul/li[١٢]/a", "/x[]/y[3a]/z[12]", "/p[2]"])
# One byte a character (the compiled pass reads these from their buffer): a superscript digit is no position.
_XPATHS |= st.sampled_from(["/é[2]/ß[x]/p[", "[3]", "/div[3]]", "/p[³]", "/p[2][3]", "", "/a[0123456789]"])
_CLASS_STRINGS = st.sampled_from(["", "nav main-menu", "x-ads | card", "post-body", "hed", "sidebar | | related"])


@st.composite
def _blocks(draw):
    blocks = []
    for order in range(draw(st.integers(1, 8))):
        text = "".join(draw(st.lists(_PIECES, max_size=4)))
        blocks.append(
            Block(
                text=text,
                tag=draw(st.sampled_from(["p", "h2", "li", "td", "div", "span", "DIV"])),
                xpath=draw(_XPATHS),
                order=order,
                depth=draw(st.integers(0, 9)),
                link_chars=draw(st.integers(0, len(text))),
                classes=draw(_CLASS_STRINGS),
                ancestor_classes=draw(_CLASS_STRINGS),
                landmarks=draw(st.integers(0, 1 << 12)),
                container=draw(st.integers(0, 3)),
                template_attrs=draw(st.sampled_from(["", "{{ price }}", "50%% off"])),
            )
        )
    return blocks


@compiled_counts
@settings(max_examples=300, deadline=None)
@given(
    blocks=_blocks(), title=st.sampled_from(["", "The end", "Sign in ٣"]), description=st.sampled_from(["", "x end"])
)
def test_the_compiled_counts_are_the_python_counts_on_any_blocks(blocks, title, description):
    words = [features._WORD.findall(b.text.lower()) for b in blocks]
    title_words = set(features._WORD.findall(title.lower())) - features.STOPWORDS
    description_words = set(features._WORD.findall(description.lower()))
    python = features._python_block_counts(blocks, words, title_words, description_words)
    assert np.array_equal(features._compiled_counts(blocks, words, title_words, description_words), python)
    # Without the words, both passes find them as block_words does.
    assert np.array_equal(features._compiled_counts(blocks, None, title_words, description_words), python)
    assert np.array_equal(features._python_block_counts(blocks, None, title_words, description_words), python)


@compiled_counts
@settings(max_examples=200, deadline=None)
@given(blocks=_blocks(), region=_XPATHS | st.sampled_from(["/html/body", "/html/body/div[2]", "/p", "/é"]))
def test_the_compiled_region_test_is_the_python_one_on_any_blocks(blocks, region):
    expected = features._python_within(blocks, region)
    assert np.array_equal(features._within(blocks, region), expected)


def both_matrices(page):
    """The feature matrix of one segmented page by the Python columns and by the compiled ones."""
    compiled = featurize(page)
    saved = features._from_counts
    features._from_counts = features._python_from_counts
    try:
        return featurize(page), compiled
    finally:
        features._from_counts = saved


def compiled_differs(page) -> bool:
    """Whether the compiled counts or columns of one segmented page differ from the Python ones."""
    python, compiled = both_matrices(page)
    assert compiled.dtype == np.float32 and compiled.flags.c_contiguous
    return not (np.array_equal(*both_counts(page)) and np.array_equal(python, compiled))


@compiled_counts
def test_the_compiled_counts_and_columns_are_the_python_ones_on_the_local_pages():
    root = Path(__file__).resolve().parents[1]
    paths = [path for folder in ("training_data", "tests/fixtures") for path in (root / folder).rglob("*.html")]
    assert paths
    differ = [path.name for path in paths if compiled_differs(segment(parse_html(path.read_bytes())))]
    assert differ == []


@compiled_counts
def test_the_compiled_counts_and_columns_are_the_python_ones_on_the_wcxb_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    differ = []
    for labelled in load_wcxb(wcxb_root, "validation"):
        page = segment(parse_html(labelled.html))
        if page.blocks and compiled_differs(page):
            differ.append(labelled.page_id)
    assert differ == []


@compiled_counts
@settings(max_examples=300, deadline=None)
@given(
    blocks=_blocks(),
    n_title=st.integers(0, 5),
    has_description=st.booleans(),
    inside=st.lists(st.booleans(), min_size=8, max_size=8),
    region_top=st.integers(-1, 6),
    page_types=st.lists(st.sampled_from([0.0, 1.0]), min_size=6, max_size=6),
)
def test_the_compiled_columns_are_the_python_columns_on_any_counts(
    blocks, n_title, has_description, inside, region_top, page_types
):
    counts = features._compiled_counts(blocks, None, set(), set())
    prose = features._prose_words(counts)
    in_region = np.array(inside[: len(blocks)], dtype=np.float64)
    args = (counts, n_title, has_description, prose, in_region, region_top, page_types)
    python = features._python_from_counts(*args)
    compiled = features._from_counts(*args)
    assert compiled.shape == (len(blocks), len(FEATURE_NAMES))
    assert np.array_equal(python.view(np.uint32), compiled.view(np.uint32))  # to the bit, -0.0 and all


def test_without_the_compiled_pass_the_features_are_the_same(monkeypatch):
    page = segment(parse_html(GRID))
    X = featurize(page)
    assert np.array_equal(featurize(page, features.block_words(page)), X)  # words given or found alike
    monkeypatch.setattr(features, "_compiled_counts", None)
    monkeypatch.setattr(features, "_within", features._python_within)
    monkeypatch.setattr(features, "_from_counts", features._python_from_counts)
    assert np.array_equal(featurize(page), X)


def test_the_class_cache_keeps_short_strings_only_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(features, "_CLASS_CACHE", {})
    monkeypatch.setattr(features, "_CLASS_CACHE_SIZE", 4)
    cache = features._class_cache()
    long = "nav " + "x" * features._CACHED_LENGTH
    assert features._vocab_bits(long, cache) == features._vocab_bits("nav", cache)
    assert long not in cache and "nav" in cache
    for i in range(6):
        features._vocab_bits(f"card-{i}", cache)
    assert len(features._class_cache()) == 0  # past its size, emptied before the next page


@pytest.mark.parametrize("counts", ["python", "compiled"])
def test_both_counting_passes_cache_a_pages_short_class_strings_only(monkeypatch, counts):
    if counts == "compiled" and features._compiled_counts is None:
        pytest.skip("the compiled counting pass is not built in this installation")
    monkeypatch.setattr(features, "_CLASS_CACHE", {})
    count = features._python_block_counts if counts == "python" else features._compiled_counts
    long = "nav " + "x" * features._CACHED_LENGTH
    blocks = [
        Block("Home", "li", "/html/body/ul/li[1]", 0, 3, 4, classes=long, ancestor_classes="menu | sidebar"),
        Block("News", "li", "/html/body/ul/li[2]", 1, 3, 4, classes="item", ancestor_classes="menu | sidebar"),
    ]
    bits = dict(zip(features._COUNTS, count(blocks, None, set(), set()), strict=True))
    nav, sidebar = 1 << features._VOCAB_INDEX["nav"], 1 << features._VOCAB_INDEX["sidebar"]
    assert bits["class_bits"][0] & nav and bits["ancestor_class_bits"][1] == nav | sidebar
    assert set(features._CLASS_CACHE) == {"item", "menu", "sidebar"}  # the long string is read, not kept


# The compiled vocabulary scanner must give the regexes' bits for every ASCII class string.
compiled_vocabulary = pytest.mark.skipif(
    features._VOCAB_SCANNER is None,
    reason="the compiled vocabulary scanner is not built in this installation (no C compiler at install): the regexes",
)

_VOCAB_PIECES = ["ad", "ads", "s", "-", "_", " ", "\t", "\x1c", "tag", "hed", "rich", "text", "nav", "bar", "x", "7"]
_VOCAB_PIECES += ["more", "side-bar", "cookie", "meta", "plus-only", "sign-in", "top", "header", "|", "e", "a"]


@compiled_vocabulary
def test_the_compiled_vocabulary_scanner_gives_the_regexes_bits_on_edge_cases_and_the_local_pages():
    strings = ["", " ", "ad", "ads", "x-ad", "x-ads-y", "ad-", "-ad", "_ads_", "xad", "head", "hed", "hed-x", "subhed"]
    strings += ["rich-text", "richtext", "rich--text", "topbar navbar", "tags tag- x_tag tagcloud", "a\x1cad", "|"]
    strings += ["site-nav__item--more-read", "adsad", "ad ad", "tagsad-"]
    strings += list(CLASS_VOCABULARY) + [a for p in CLASS_VOCABULARY.values() for a in alternatives(p)]
    root = Path(__file__).resolve().parents[1]
    for path in [path for folder in ("training_data", "tests/fixtures") for path in (root / folder).rglob("*.html")]:
        for block in segment(parse_html(path.read_bytes())).blocks:
            strings += [block.classes, *block.ancestor_classes.split(" | ")]
    strings = [s for s in dict.fromkeys(strings) if s.isascii()]
    expected = [features._python_vocab_bits(s) for s in strings]
    assert [features._VOCAB_SCANNER.bits(s) for s in strings] == expected
    assert any(expected)


@compiled_vocabulary
@given(st.lists(st.sampled_from(_VOCAB_PIECES), max_size=14).map("".join))
def test_the_compiled_vocabulary_scanner_gives_the_regexes_bits_on_any_string(tokens):
    assert features._VOCAB_SCANNER.bits(tokens) == features._python_vocab_bits(tokens)


@compiled_vocabulary
def test_the_compiled_vocabulary_scanner_gives_the_regexes_bits_on_the_wcxb_validation_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    blocks = [b for page in load_wcxb(wcxb_root, "validation") for b in segment(parse_html(page.html)).blocks]
    strings = [s for s in dict.fromkeys(p for b in blocks for p in (b.classes, *b.ancestor_classes.split(" | ")))]
    strings = [s for s in strings if s.isascii()]
    assert len(strings) > 10_000
    assert [features._VOCAB_SCANNER.bits(s) for s in strings] == [features._python_vocab_bits(s) for s in strings]


def test_vocabulary_entries_of_another_form_are_read_by_the_regexes(monkeypatch):
    assert features._vocab_programs() is not None  # the shipped entries are characters, x?, and the two anchors
    monkeypatch.setitem(features.CLASS_VOCABULARY, "search", r"search|quer(?:y|ies)")
    assert features._vocab_programs() is None


def test_non_ascii_class_strings_get_the_regexes_bits():
    assert features._vocab_bits("navegación ad", {}) == features._python_vocab_bits("navegación ad") != 0


def test_without_the_compiled_vocabulary_scanner_the_features_are_the_same(monkeypatch):
    page = segment(parse_html(GRID))
    compiled = featurize(page)
    monkeypatch.setattr(features, "_VOCAB_SCANNER", None)
    features._CLASS_CACHE.clear()
    try:
        assert np.array_equal(featurize(page), compiled)
    finally:
        features._CLASS_CACHE.clear()


@compiled_counts
def test_the_compiled_counts_read_a_block_subclass_as_python_does():
    blocks = [
        RetaggedBlock("Rainfall records broken", "p", "/html/body/p[1]", 0, 2, 0, classes="headline"),
        Block("The wettest month since records began.", "p", "/html/body/p[2]", 1, 2, 0),
    ]
    python = features._python_block_counts(blocks, None, set(), set())
    assert np.array_equal(features._compiled_counts(blocks, None, set(), set()), python)
    assert python[features._COUNT["tag"]][0] == features._TAG_INDEX["h2"]
    assert np.array_equal(features._within(blocks, "/html/body/main"), [1.0, 0.0])


@pytest.mark.parametrize("name", ["seed-paywalled-news.html", "forum-thread.html", "product-page-de.html"])
def test_words_of_reads_back_each_blocks_words_from_the_features(name):
    from .conftest import FIXTURES

    page = segment(parse_html((FIXTURES / name).read_bytes()))
    expected = [len(words) for words in features.block_words(page)]
    assert features.words_of(featurize(page)).tolist() == expected
    # A block far longer than any page holds still reads back exactly.
    long = segment(parse_html("<html><body><p>" + "word " * 200_000 + "</p></body></html>"))
    assert features.words_of(featurize(long)).tolist() == [200_000]
