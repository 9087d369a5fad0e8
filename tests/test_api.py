"""The public API on the shipped model: the seed page, the fixtures, and bad input."""

import codecs
import re

import pytest

from boilerplate import (
    CHROME,
    CONTENT,
    KINDS,
    BoilerplateError,
    NotHTMLError,
    OptionError,
    analyze,
    classify_blocks,
    extract_text,
    load_model,
)
from boilerplate.errors import ParseError
from boilerplate.examples import example_path
from boilerplate.labelling import block_annotations
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment

from .conftest import FIXTURES, fixture_bytes

SEED = "seed-paywalled-news.html"


def annotated(name):
    page = segment(parse_html(fixture_bytes(name)))
    return page, block_annotations(page)


def test_blocks_carry_labels_scores_and_xpaths():
    html = fixture_bytes(SEED)
    blocks = classify_blocks(html)
    tree = segment(parse_html(html)).tree
    assert blocks
    for block in blocks:
        assert block.label in (CONTENT, CHROME)
        assert 0.0 <= block.score <= 1.0
        assert (block.label == CONTENT) == (block.score >= load_model().threshold)
        assert len(tree.xpath(block.xpath)) == 1
        assert tree.xpath(block.xpath)[0].tag == block.tag


def test_seed_page_keeps_the_article_and_drops_the_chrome():
    page, labels = annotated(SEED)
    text = extract_text(fixture_bytes(SEED))
    kept = set(text.split("\n\n"))
    content = [b.text for b, a in zip(page.blocks, labels, strict=True) if a.label == CONTENT]
    chrome = [b.text for b, a in zip(page.blocks, labels, strict=True) if a.label == CHROME]
    assert "Holt and Valk name negotiators for fishing-rights treaty before winter summit" in kept
    # The standfirst is borderline for the model (settled score 0.37 with the shipped model, 0.49 with the one
    # before it; on the wcxb-dev training pages, 9 of the 25 blocks right under an article's headline scoring
    # 0.44 to 0.6 are content). On a page whose story the model is sure of, the page's own cut is strict and it
    # goes; the recall preset keeps it.
    standfirst = "Envoys will map out quota talks before the leaders meet again in Sarrow in December"
    assert standfirst in extract_text(fixture_bytes(SEED), threshold="favor_recall").split("\n\n")
    paragraphs = [t for t in content if len(t.split()) > 20]
    assert len(paragraphs) >= 10
    for paragraph in paragraphs:
        assert paragraph in kept, paragraph
    for line in chrome:
        assert line not in kept, line
    assert "{{" not in text
    assert not re.search(r"free article|Sponsored Content|Try 3 months|Unlimited access", text)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_fixture_precision(name):
    """On each hand-labelled fixture, most text the model keeps is content."""
    page, labels = annotated(name)
    blocks = classify_blocks(fixture_bytes(name))
    assert [b.text for b in blocks] == [b.text for b in page.blocks]
    kept = [len(b.text) for b, a in zip(blocks, labels, strict=True) if b.label == CONTENT]
    right = [len(b.text) for b, a in zip(blocks, labels, strict=True) if b.label == CONTENT and a.label == CONTENT]
    assert sum(kept) > 0
    assert sum(right) / sum(kept) >= 0.8


def test_example_page_extracts_its_recipe():
    text = extract_text(example_path().read_bytes())
    assert "galette" in text.lower()
    assert "Accept all" not in text


def test_threshold_trades_text_for_precision():
    html = fixture_bytes(SEED)
    assert len(extract_text(html, threshold=0.95)) <= len(extract_text(html)) <= len(extract_text(html, threshold=0.05))


def test_str_and_bytes_agree():
    html = fixture_bytes(SEED)
    assert extract_text(html) == extract_text(html.decode("utf-8"))


# --- bad input: a defined result or the library's own exception, never a crash


@pytest.mark.parametrize("html", ["", "   \n\t  ", b"", b"\n\n"])
def test_nothing_to_classify_gives_empty_list(html):
    assert classify_blocks(html) == []
    assert extract_text(html) == ""


def test_plain_text_without_tags():
    blocks = classify_blocks("Just a sentence of plain text, with no markup at all.")
    assert [b.text for b in blocks] == ["Just a sentence of plain text, with no markup at all."]


def test_bare_fragment():
    blocks = classify_blocks("<li>one</li><li>two</li>")
    assert [b.text for b in blocks] == ["one", "two"]


def test_latin1_and_cp1252_without_declaration():
    html = "<p>Les élèves ont étudié l’histoire de la région – et c’était passionnant.</p>".encode("cp1252")
    assert "élèves" in extract_text(html, threshold=0.0)
    html = "<p>Größere Straßen führen nach Süden.</p>".encode("latin-1")
    assert "Größere Straßen" in extract_text(html, threshold=0.0)


def test_utf16_with_bom():
    html = codecs.BOM_UTF16_LE + "<p>Unicode text in UTF-16: naïve café</p>".encode("utf-16-le")
    assert "naïve café" in extract_text(html, threshold=0.0)


def test_invalid_utf8_and_nul_bytes():
    blocks = classify_blocks(b"<p>broken \xc3\x28 bytes\x00 and NUL</p>")
    assert len(blocks) == 1
    assert "\x00" not in blocks[0].text


def test_large_page():
    paragraph = "<p>" + "Words of a long article that goes on and on. " * 20 + "</p>"
    html = "<html><body>" + paragraph * (5_000_000 // len(paragraph) + 1) + "</body></html>"
    assert len(html) > 5_000_000
    blocks = classify_blocks(html)
    assert len(blocks) > 5_000


def test_deep_nesting_is_a_library_error():
    with pytest.raises(ParseError):
        classify_blocks("<div>" * 10_000 + "deep" + "</div>" * 10_000)
    assert issubclass(ParseError, BoilerplateError)


def test_binary_input_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    with pytest.raises(NotHTMLError):
        classify_blocks(png)


def test_wrong_type_is_refused():
    with pytest.raises(BoilerplateError):
        classify_blocks(None)  # type: ignore[arg-type]


def test_chrome_blocks_carry_a_kind_and_content_blocks_none():
    blocks = classify_blocks(fixture_bytes("seed-paywalled-news.html"))
    assert all(b.kind is None for b in blocks if b.label == CONTENT)
    assert all(b.kind in KINDS for b in blocks if b.label == CHROME)
    kinds = {b.kind for b in blocks if b.label == CHROME}
    assert {"paywall", "advertisement", "footer"} <= kinds


def test_keep_returns_a_kind_of_chrome_to_the_text():
    html = fixture_bytes("forum-thread.html")
    plain = classify_blocks(html)
    kept = classify_blocks(html, keep=["comments", "social"])
    assert sum(b.label == CONTENT for b in kept) >= sum(b.label == CONTENT for b in plain)
    for before, after in zip(plain, kept, strict=True):
        if before.kind in ("comments", "social"):
            assert after.label == CONTENT and after.kind == before.kind
        else:
            assert after.label == before.label
    with pytest.raises(OptionError, match="unknown chrome kind"):
        classify_blocks(html, keep=["sidebar"])
    assert [b.label for b in classify_blocks(html, keep="comments")] == [
        b.label for b in classify_blocks(html, keep=["comments"])
    ]


def test_keep_brings_back_a_forum_s_comments():
    html = (
        "<html><body><article><h1>Which sourdough starter?</h1><p>I have tried three starters this winter and "
        "none of them rises the way the old one did. What flour do you feed yours, and how often?</p></article>"
        '<section class="comments"><h2>Comments</h2><div class="comment"><p>Rye flour, twice a day, and keep it '
        "somewhere warm: the kitchen windowsill is too cold in January for most starters.</p></div></section>"
        "</body></html>"
    )
    comment = "Rye flour, twice a day"
    blocks = classify_blocks(html, keep=["comments"])
    block = next(b for b in blocks if b.text.startswith(comment))
    assert block.label == CONTENT
    assert comment in extract_text(html, keep=["comments"])


def test_analyze_gives_blocks_and_the_paywall_verdict():
    analysis = analyze(fixture_bytes("seed-paywalled-news.html"))
    assert analysis.paywall.paywalled and analysis.paywall.type == "metered"
    prompts = [analysis.blocks[i].text for i in analysis.paywall.prompt_blocks]
    assert any("{{numberArticlesLeft}}" in text for text in prompts)
    assert all(analysis.blocks[i].label == CHROME for i in analysis.paywall.prompt_blocks)
    assert analysis.text() == extract_text(fixture_bytes("seed-paywalled-news.html"))


def test_analyze_an_empty_page():
    analysis = analyze("<html><body></body></html>")
    assert analysis.blocks == [] and not analysis.paywall.paywalled
