import gc
import operator
import sys
from dataclasses import astuple, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerplate import segmentation
from boilerplate.errors import LimitError
from boilerplate.parsing import parse_html
from boilerplate.segmentation import LANDMARKS, segment

from .conftest import FIXTURES, fixture_bytes


def blocks_of(html):
    return segment(parse_html(html)).blocks


def test_blocks_follow_block_boundaries_and_keep_inline_text():
    blocks = blocks_of("<div>Intro <b>bold</b> text<p>A <a href='#'>link</a> here.</p>tail</div>")
    assert [b.text for b in blocks] == ["Intro bold text", "A link here.", "tail"]
    assert [b.tag for b in blocks] == ["div", "p", "div"]
    assert blocks[1].link_chars == len("link")


def test_br_splits_runs():
    blocks = blocks_of("<p>line one<br>line two<br/><br>line three</p>")
    assert [b.text for b in blocks] == ["line one", "line two", "line three"]


def test_invisible_content_is_dropped():
    html = """<html><head><title>Page</title><style>p{}</style></head><body>
      <script>var x = 1;</script><noscript>Enable JS</noscript><template><p>tpl</p></template>
      <svg><title>Icon Facebook</title><desc>desc</desc></svg>
      <p>Visible <span style="visibility:hidden">not this</span>text</p></body></html>"""
    assert [b.text for b in blocks_of(html)] == ["Visible text"]


def test_hidden_blocks_are_read_and_marked():
    """Accordion panels and script-revealed articles are hidden in the HTML; the model decides."""
    html = """<body><p hidden>hidden attr</p><div style="display: none"><p>styled</p></div>
      <p aria-hidden="true">aria</p><p>shown</p></body>"""
    page = segment(parse_html(html))
    hidden = 1 << LANDMARKS.index("hidden")
    aria = 1 << LANDMARKS.index("aria_hidden")
    marks = {b.text: (bool(b.landmarks & hidden), bool(b.landmarks & aria)) for b in page.blocks}
    assert marks == {
        "hidden attr": (True, False),
        "styled": (True, False),
        "aria": (False, True),
        "shown": (False, False),
    }


def test_xpath_resolves_to_the_block_element():
    page = segment(parse_html("<body><div><p>one</p><p>two</p></div><ul><li>three</li></ul></body>"))
    for block in page.blocks:
        (element,) = page.tree.xpath(block.xpath)
        assert block.text in "".join(element.itertext())
        assert element.tag == block.tag


@pytest.mark.parametrize("read_hidden", [True, False])
def test_xpaths_are_getpaths_own_when_hidden_siblings_are_left_out(read_hidden):
    html = """<body><section hidden><p>Sign in to read on.</p></section>
    <section><div><p>The article.</p><custom-box><p>A boxed note.</p></custom-box></div></section>
    <section style="display:none"><p>Later.</p></section></body>"""
    root = parse_html(html)
    tree = root.getroottree()
    for walk in (segmentation.walk_tree, segmentation._compiled_walk or segmentation.walk_tree):
        blocks, _ = walk(root, 10**9, None, read_hidden)
        assert "The article." in [b.text for b in blocks]
        for block in blocks:
            (element,) = tree.xpath(block.xpath)
            assert tree.getpath(element) == block.xpath  # "section[2]", also when the hidden ones are not read


def test_landmarks_and_classes_are_recorded():
    html = """<body><nav class="site-nav"><ul><li><a href="/">Home</a></li></ul></nav>
      <div role="contentinfo"><p id="copy">© 2024</p></div></body>"""
    home, copyright_ = blocks_of(html)
    assert home.landmarks & (1 << LANDMARKS.index("nav"))
    assert "site-nav" in home.ancestor_classes
    assert copyright_.landmarks & (1 << LANDMARKS.index("footer"))
    assert copyright_.classes == "copy"


def test_order_depth_and_title():
    page = segment(parse_html("<html lang='de'><head><title> Ein  Titel </title></head><body><p>a</p><p>b</p></body>"))
    assert page.title == "Ein Titel"
    assert page.lang == "de"
    assert [b.order for b in page.blocks] == [0, 1]
    assert page.blocks[0].depth == 2


def test_template_attributes_are_collected():
    blocks = blocks_of('<p data-count="{{numberArticlesLeft}}">You have free articles</p>')
    assert "{{numberArticlesLeft}}" in blocks[0].template_attrs


def test_deep_nesting_does_not_recurse():
    depth = 2_000
    blocks = blocks_of("<div>" * depth + "deep" + "</div>" * depth + "<p>after</p>")
    assert [b.text for b in blocks] == ["deep", "after"]
    assert blocks[0].depth > depth


def test_no_tree_gives_no_blocks():
    assert segment(None).blocks == []


def test_a_noscript_that_holds_the_page_is_read():
    post = " ".join(["The starter needs rye flour, warmth and patience before it rises."] * 12)
    html = (
        "<html><body><noscript><img src='/pixel.gif'>Please enable JavaScript.</noscript>"
        f"<noscript data-path='/t/sourdough/1'><div id='main-outlet'><p>{post}</p></div></noscript>"
        "<div id='app'></div></body></html>"
    )
    texts = [b.text for b in segment(parse_html(html)).blocks]
    assert texts == [post]


def test_schema_org_text_is_marked():
    from boilerplate.segmentation import LANDMARKS

    html = (
        "<html><body><div itemscope itemtype='https://schema.org/DiscussionForumPosting'>"
        "<span itemprop='author'>rye_baker</span><div itemprop='text'><p>Feed it twice a day.</p></div>"
        "</div></body></html>"
    )
    blocks = {b.text: b for b in segment(parse_html(html)).blocks}
    bit = 1 << LANDMARKS.index("schema_text")
    assert blocks["Feed it twice a day."].landmarks & bit
    assert not blocks["rye_baker"].landmarks & bit


def test_attributes_read_on_the_quick_path_and_the_full_one():
    """Elements with only class, id and unrelated attributes skip the full read; the rest get it."""
    html = """<body><div class="Box" id="Main" data-x="1"><p class="a" role="navigation">nav</p>
      <p class="{{cls}}" href="/x">templated</p><p data-n="%%x%%">meter</p>
      <p class="b" style="display:none">gone</p><p itemprop="articleBody">body</p></div></body>"""
    blocks = {b.text: b for b in blocks_of(html)}
    assert blocks["nav"].classes == "a"
    assert blocks["nav"].landmarks & (1 << LANDMARKS.index("nav"))
    assert blocks["nav"].ancestor_classes.endswith("box main")
    assert blocks["templated"].template_attrs == "{{cls}}"
    assert blocks["meter"].template_attrs == "%%x%%"
    assert blocks["gone"].landmarks & (1 << LANDMARKS.index("hidden"))
    assert blocks["body"].landmarks & (1 << LANDMARKS.index("schema_text"))


def test_without_hidden_text_hidden_and_aria_hidden_elements_are_left_out_whole():
    """The page as first shown, which training reads: no hidden block, and no hidden inline text in a shown one."""
    html = """<body><p>Shown <span aria-hidden="true">icon_name</span>text.</p><div hidden>Tab two</div>
      <p style="display: none">Collapsed</p><div aria-hidden="true"><p>Mobile menu</p></div>
      <p>Price <span style="visibility: hidden">old price</span>now.</p></body>"""
    everything = [b.text for b in segment(parse_html(html)).blocks]
    assert everything == ["Shown icon_nametext.", "Tab two", "Collapsed", "Mobile menu", "Price now."]
    shown = [b.text for b in segment(parse_html(html), read_hidden=False).blocks]
    assert shown == ["Shown text.", "Price now."]


def test_leading_whitespace_does_not_change_blocks():
    assert [b.text for b in blocks_of("<div>\n  <p>\n a </p>\n <p> </p>\n b<br> \n</div>")] == ["a", "b"]


def test_xpaths_are_those_of_getpath():
    """XPaths are built from the walk's sibling counts; they must read as libxml2 writes them."""
    html = """<body><div><p>one</p><p>two</p><span><div>in span</div></span><div>three</div></div>
      <ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><section><h2>only</h2><p>text</p></section>
      <table><tr><td>x</td><td>y</td></tr></table><p>last</p></body>"""
    page = segment(parse_html(html))
    by_path = {el: page.tree.getpath(el) for el in page.tree.iter()}
    for block in page.blocks:
        (element,) = page.tree.xpath(block.xpath)
        assert block.xpath == by_path[element]
    assert len(page.blocks) == 12


def test_markers_hold_the_class_id_tokens_and_data_names_the_walk_reads():
    html = """<html><head><script id="Vendor-Tag" data-site="x" src="a.js"></script></head>
      <body class="Home Page"><div id="Main" data-track-id="7" style="color: red"><p class="lead" data-x>Text</p>
      <script class="inside-script"><span class="never-read"></span></script></div></body></html>"""
    markers = segment(parse_html(html)).markers.split()
    assert markers[:2] == ["home", "page"]  # the walk's tokens first, in document order
    for expected in ("vendor-tag", "data-site", "main", "data-track-id", "lead", "data-x", "inside-script"):
        assert expected in markers
    assert "never-read" not in markers  # inside a script: not an element of the page
    assert markers.count("data-track-id") == 1  # once, though its style sends the element through every test


# The compiled walk (boilerplate/_walk.pyx) must give exactly the Python walk's blocks and markers.

compiled = pytest.mark.skipif(
    segmentation._compiled_walk is None,
    reason="the compiled walk is not built in this installation (no C compiler at install): the Python walk serves",
)


def walks(html: str | bytes, read_hidden: bool = True) -> tuple[tuple, tuple]:
    """What the Python walk and the compiled walk give for one page: every field of every block, and the markers."""
    root = parse_html(html)
    out = []
    for walk in (segmentation.walk_tree, segmentation._compiled_walk):
        blocks, markers = walk(root, 10**9, None, read_hidden)
        out.append(([astuple(b) for b in blocks], markers))
    return out[0], out[1]


@compiled
def test_the_compiled_walks_blocks_are_left_out_of_the_garbage_collectors_watch():
    """Blocks hold strings and numbers only; watched, a batch's blocks made the collector go through the heap."""
    blocks = segment(parse_html("<main><h1>Title</h1><p>One <a href='/x'>link</a>.</p></main>")).blocks
    assert [b.text for b in blocks] == ["Title", "One link."]
    assert not any(gc.is_tracked(b) for b in blocks)
    blocks[0].label, blocks[0].score, blocks[0].kind = "content", 0.9, None  # still written to as before
    assert replace(blocks[1], text="Two.").text == "Two." and gc.collect() >= 0


@compiled
def test_segment_uses_the_compiled_walk_where_it_is_built(monkeypatch):
    def python_walk(*args):
        raise AssertionError("segment took the Python walk")

    monkeypatch.setattr(segmentation, "walk_tree", python_walk)
    assert [b.text for b in segment(parse_html("<p>one</p>")).blocks] == ["one"]
    monkeypatch.setattr(segmentation, "_compiled_walk", None)  # where it is not built, the Python walk serves
    with pytest.raises(AssertionError, match="Python walk"):
        segment(parse_html("<p>one</p>"))


@compiled
@pytest.mark.parametrize("read_hidden", [True, False])
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_the_compiled_walk_gives_the_python_walks_blocks_on_the_fixture_pages(name, read_hidden):
    python, compiled_ = walks(fixture_bytes(name), read_hidden)
    assert python[0], "a fixture page has blocks"
    assert compiled_ == python


_TAGS = ["div", "p", "span", "a", "b", "li", "ul", "td", "tr", "table", "h2", "nav", "section", "pre", "code"]
_TAGS += ["br", "img", "script", "noscript", "template", "button", "main", "aside", "footer", "svg", "title"]
_TAGS += ["iframe", "link"]
_ATTRIBUTES = [
    "",
    ' class="Card card--Teaser"',
    ' class="card teaser" id="main-1"',  # nothing to lower: the compiled walk keeps the string as it is
    ' class="Ärger nav" id="Zone"',
    ' id="Main"',
    ' class="x" id="y" data-track="1"',
    ' href="/a?b=1"',
    ' style="display: none"',
    # Style values the compiled walk rules out by their bytes, or leaves to the regex.
    ' style="color: red; DISPLAY:NONE"',
    ' style="Visibility : HIDDEN"',
    ' style="visibility: hıdden"',
    ' style="display: non; hidde: x; no"',
    ' style="x: nonE"',
    ' style=""',
    " hidden",
    ' aria-hidden="true"',
    ' role="navigation"',
    ' itemprop="articleBody"',
    ' data-label="{{numberArticlesLeft}}"',
    ' v-text="paywall.message"',
    ' class="[[x]]"',
    ' title="50%% off"',
    ' class=""',
    ' src="/a.js" href="/b.css" type="text/javascript"',
    ' itemprop="isAccessibleForFree" content="false"',
    ' itemprop="isAccessibleForFree"',
]
_TEXTS = ["", " ", "\n  ", "Hello world.", "a\u00a0b", "{{numberArticlesLeft}} free articles", "&amp; &lt;x&gt;"]
_TEXTS += ["Ünïcode — text", "x" * 30, "<!-- a comment -->", "&nbsp;", "word"]
# Whitespace str.split() splits at beyond ASCII (and a zero-width space, which it does not), for the compiled
# walk's collapsing of a block's whitespace.
_TEXTS += [" x\u2028y\x1c z\u3000\u200b\x85 w\t", "\u2003 \u00a0", "𝔘𝔫𝔦 code  ", "&#x2029;after"]
# Its neighbours in UTF-8, which it does not split at, read byte by byte in the compiled walk.
_TEXTS += ["\u1680a\u205fb\u202f\u200ac\u2030d\u1681e\u2060f\u00a1g\u3001h"]


def _element(children: list[str], draw) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attributes = draw(st.sampled_from(_ATTRIBUTES))
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>{draw(st.sampled_from(_TEXTS))}"


@st.composite
def _html(draw, depth: int = 0) -> str:
    n = draw(st.integers(0, 4 if depth < 4 else 0))
    children = [draw(st.sampled_from(_TEXTS))]
    children += [draw(_html(depth + 1)) for _ in range(n)]
    return _element(children, draw)


@compiled
@settings(max_examples=300, deadline=None)
@given(
    body=_html(),
    head=st.sampled_from(["", "<title>T</title>", '<meta name="description" content="d">']),
    read_hidden=st.booleans(),
)
def test_the_compiled_walk_gives_the_python_walks_blocks_on_random_pages(body, head, read_hidden):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    python, compiled_ = walks(html, read_hidden)
    assert compiled_ == python


@compiled
@settings(max_examples=200, deadline=None)
@given(body=_html(), tail=st.sampled_from(["", "<html><link href='/x.css'></html>", "<script src='/y.js'>"]))
def test_the_compiled_scan_finds_what_the_python_scan_finds_on_random_pages(body, tail):
    python, compiled_ = scans(f"<html><head></head><body>{body}</body></html>{tail}")
    assert compiled_ == python


@compiled
def test_the_compiled_walk_gives_the_python_walks_blocks_on_deeply_nested_elements():
    """Its stacks of open elements grow as the nesting deepens (past 64 levels here) and shrink back."""
    deep = "".join(f"<div class='d{i}'><span>t{i}</span>" for i in range(300)) + "end" + "</div>" * 300
    html = f"<html><body>{deep}<p>after <b>all</b></p></body></html>"
    python, compiled_ = walks(html)
    assert len(python[0]) > 300 and compiled_ == python


@compiled
def test_the_compiled_walk_gives_the_python_walks_blocks_on_the_wcxb_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    differ = [p.page_id for p in load_wcxb(wcxb_root, "validation") if operator.ne(*walks(p.html))]
    assert differ == []


@compiled
def test_the_compiled_walk_stops_at_the_element_limit():
    root = parse_html("<div>" + "<span>x</span>" * 50 + "</div>")
    with pytest.raises(LimitError, match="more than 20 elements"):
        segmentation._compiled_walk(root, 20, 20)


def test_json_ld_objects_and_og_type_are_read_once_with_the_page():
    html = """<html><head><meta property="og:type" content=" Article ">
    <script type="application/ld+json">{"@type": "NewsArticle", "isPartOf": {"@type": "WebPage"},
      "hasPart": [{"@type": "WebPageElement", "isAccessibleForFree": false}]}</script>
    <script type="application/ld+json">{"@type": "Broken",</script>
    <script>var notJsonLd = {"@type": "Nope"};</script></head>
    <body><p>Text.</p><script type="application/ld+json">[{"@type": "BreadcrumbList"}]</script></body></html>"""
    page = segment(parse_html(html))
    types = sorted(obj["@type"] for obj in page.json_ld)
    assert types == ["BreadcrumbList", "NewsArticle", "WebPage", "WebPageElement"]
    assert page.og_type == "article"
    assert [b.text for b in page.blocks] == ["Text."]
    bare = segment(parse_html("<p>No head, no scripts.</p>"))
    assert bare.json_ld == () and bare.og_type == ""


def test_json_ld_nested_too_deep_for_the_parser_is_skipped():
    deep = "[" * 100_000 + "]" * 100_000
    html = f'<html><head><script type="application/ld+json">{deep}</script></head><body><p>Text.</p></body></html>'
    page = segment(parse_html(html))
    assert page.json_ld == () and [b.text for b in page.blocks] == ["Text."]


SCRIPTED = """<html><head><script src="https://cdn.tinypass.com/api/tinypass.min.js"></script>
<link rel="stylesheet" href="/css/Site.css"><script type="application/ld+json">{"@type": "NewsArticle",
 "isAccessibleForFree": "False"}</script><script>var x = 1;</script></head>
<body><article><p>Some text.</p><iframe src="https://example.com/embed"></iframe>
<meta itemprop="isAccessibleForFree" content="false"><span itemprop="isAccessibleForFree">True</span>
<span itemprop="isaccessibleforfree">false</span></article></body></html>"""


def test_the_page_keeps_its_sources_free_flags_and_json_ld():
    page = segment(parse_html(SCRIPTED))
    assert page.sources == (
        "https://cdn.tinypass.com/api/tinypass.min.js",
        "/css/Site.css",
        "https://example.com/embed",
    )
    assert page.free_flags == ("false", "True")  # content, else text; the attribute's value is matched exactly
    assert page.json_ld == ({"@type": "NewsArticle", "isAccessibleForFree": "False"},)


def scans(html: str | bytes) -> tuple[tuple, tuple]:
    """What the Python scan and the compiled scan find on one page."""
    root = parse_html(html)
    python, compiled_ = segmentation._python_scan(root), segmentation._compiled_scan(root)
    return tuple(map(list, python)), tuple(map(list, compiled_))


@compiled
def test_the_compiled_scan_finds_what_the_python_scan_finds():
    # A second <html> at the top of the document (as broken pages give): the XPaths read it, lxml's iter not.
    second = SCRIPTED.replace("</html>", "</html><html><script src='/late.js'></script></html>")
    for html in (SCRIPTED, second, *(fixture_bytes(path.name) for path in FIXTURES.glob("*.html"))):
        python, compiled_ = scans(html)
        assert compiled_ == python
    assert "/late.js" in scans(second)[1][1]


@compiled
def test_the_compiled_scan_finds_what_the_python_scan_finds_on_the_wcxb_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    differ = [p.page_id for p in load_wcxb(wcxb_root, "validation") if operator.ne(*scans(p.html))]
    assert differ == []


@compiled
def test_without_the_compiled_scan_the_page_is_the_same(monkeypatch):
    compiled_page = segment(parse_html(SCRIPTED))
    monkeypatch.setattr(segmentation, "_compiled_scan", None)
    python_page = segment(parse_html(SCRIPTED))
    for name in ("sources", "free_flags", "json_ld", "markers"):
        assert getattr(python_page, name) == getattr(compiled_page, name)


_HEAD_TAGS = ["meta", "link", "script", "style", "title", "base", "noscript", "div"]


@st.composite
def _head(draw) -> str:
    """A head of a few elements with the attributes the walk's tests use (a div would end the head early)."""
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        tag, attributes = draw(st.sampled_from(_HEAD_TAGS)), draw(st.sampled_from(_ATTRIBUTES))
        parts.append(f"<{tag}{attributes}>{draw(st.sampled_from(_TEXTS))}</{tag}>")
    return "".join(parts)


def head_markers(html: str | bytes) -> tuple[list[str], list[str]]:
    """The markers the Python reading and the compiled reading of a page's head give."""
    head = parse_html(html).find("head")
    python: list[str] = []
    compiled_: list[str] = []
    if head is not None:
        segmentation._python_head_markers(head, python)
        segmentation._compiled_head_markers(head, compiled_)
    return python, compiled_


@compiled
@settings(max_examples=300, deadline=None)
@given(head=_head())
def test_the_compiled_head_reading_gives_the_python_markers_on_random_heads(head):
    python, compiled_ = head_markers(f"<html><head>{head}</head><body><p>Text.</p></body></html>")
    assert compiled_ == python


@compiled
def test_the_compiled_head_reading_gives_the_python_markers_on_fixtures_and_wcxb_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    html = '<html><head><meta data-x="1" class="A b" id="c"><link style="{{x}}" data-y></head><body>T</body></html>'
    python, compiled_ = head_markers(html)
    assert compiled_ == python == ["data-x", "a b c", "data-y"]
    pages = [fixture_bytes(path.name) for path in FIXTURES.glob("*.html")]
    pages += [p.html for p in load_wcxb(wcxb_root, "validation")]
    assert [operator.eq(*head_markers(html)) for html in pages] == [True] * len(pages)


@compiled
def test_without_the_compiled_head_reading_the_page_is_the_same(monkeypatch):
    html = fixture_bytes(next(FIXTURES.glob("*.html")).name)
    compiled_page = segment(parse_html(html))
    monkeypatch.setattr(segmentation, "_compiled_head_markers", None)
    python_page = segment(parse_html(html))
    assert python_page.markers == compiled_page.markers
    assert [astuple(b) for b in python_page.blocks] == [astuple(b) for b in compiled_page.blocks]


@compiled
def test_the_compiled_walk_collapses_whitespace_as_str_split_does_at_every_code_point():
    from boilerplate._walk import collapsed, collapsed_length

    for code in range(sys.maxunicode + 1):
        text = f" a{chr(code)}b{chr(code)}"
        expected = " ".join(text.split())
        assert collapsed([text]) == expected and collapsed_length(text) == len(expected), hex(code)


@compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200bab\U0001d518é")))))
def test_the_compiled_walk_collapses_pieces_as_join_and_split_do(pieces):
    from boilerplate._walk import collapsed, collapsed_length

    expected = " ".join("".join(pieces).split())
    assert collapsed(pieces) == expected
    assert collapsed_length("".join(pieces)) == len(expected)
