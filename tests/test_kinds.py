import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerplate import kinds
from boilerplate.kinds import guess_kinds, nearest_class_kind, settle_scores
from boilerplate.parsing import parse_html
from boilerplate.segmentation import LANDMARKS, Block, segment

from .conftest import FIXTURES, RetaggedBlock, fixture_bytes

PAGE = """<html><body class="has-cookie-banner">
<header class="site-header"><a href="/">The Harbour Ledger</a></header>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
  <h1>Ferry timetable changes from Monday</h1>
  <p>The harbour authority will run the early ferry twenty minutes later from Monday, after a month of
  complaints from commuters who missed their connecting trains at the mainland terminal.</p>
  <p>Readers who want the cookies recipe from last week's food page will find it in the archive.</p>
  <div class="share-bar"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
  <div class="ad-slot"><span>Advertisement</span></div>
  <div class="meter">You have {{numberArticlesLeft}} free articles left this month</div>
  <p><a href="/login">Sign in</a></p>
</article>
<div id="onetrust-banner-sdk"><p>We use cookies to personalise content. You can accept or reject them.</p>
<button>Accept all</button></div>
<footer class="site-footer"><p>© 2025 The Harbour Ledger</p></footer>
</body></html>"""


def guesses_by_text():
    page = segment(parse_html(PAGE))
    return {b.text: g for b, g in zip(page.blocks, guess_kinds(page.blocks), strict=True)}, page


def test_kinds_come_from_classes_words_and_landmarks():
    guesses, _ = guesses_by_text()
    assert guesses["Facebook X Email"].kind == "social"
    assert guesses["Advertisement"].kind == "advertisement"
    assert guesses["News"].kind == "navigation"
    assert guesses["© 2025 The Harbour Ledger"].kind == "footer"
    assert guesses["Accept all"].kind == "cookie"


def test_unmistakable_chrome_is_certain_and_article_text_is_not():
    guesses, _ = guesses_by_text()
    meter = guesses["You have {{numberArticlesLeft}} free articles left this month"]
    assert meter.kind == "paywall" and meter.certain
    assert meter.template_tokens == ("{{numberArticlesLeft}}",)
    assert guesses["Advertisement"].certain
    assert guesses["Sign in"].certain
    assert guesses["We use cookies to personalise content. You can accept or reject them."].certain
    for text, guess in guesses.items():
        if text.startswith(("The harbour authority", "Readers who want", "Ferry timetable")):
            assert not guess.certain, text


def test_page_classes_on_body_name_no_kind():
    _, page = guesses_by_text()
    headline = next(b for b in page.blocks if b.tag == "h1")
    assert nearest_class_kind(headline) is None


def test_settled_scores_zero_only_certain_blocks():
    guesses, page = guesses_by_text()
    scores = np.full(len(page.blocks), 0.9)
    settled = settle_scores(page.blocks, scores, list(guesses.values()))
    certain = np.array([g.certain for g in guesses.values()])
    assert (settled[certain] == 0).all()
    assert (settled[~certain] == 0.9).all()


def test_a_chrome_heading_scores_no_higher_than_its_section():
    html = (
        "<html><body><article><h2>Premium services</h2><p>Get stock picks from our premium services.</p>"
        "<p>View premium services</p><h2>Second section</h2><p>Plain article text.</p><h2>Last</h2>"
        "</article></body></html>"
    )
    page = segment(parse_html(html))
    assert [b.tag for b in page.blocks] == ["h2", "p", "p", "h2", "p", "h2"]
    scores = np.array([0.8, 0.2, 0.1, 0.6, 0.05, 0.7])
    settled = settle_scores(page.blocks, scores, guess_kinds(page.blocks))
    # "Premium services" names an offer: capped by its section; "Second section" names nothing: left alone.
    assert settled.tolist() == [0.2, 0.2, 0.1, 0.6, 0.05, 0.7]


def test_template_code_in_a_documentation_sample_is_not_a_widget():
    html = (
        "<html><body><main><h1>Custom templates</h1><p>Write the counter like this:</p>"
        "<pre><code>You have {{numberArticlesLeft}} free articles left</code></pre></main></body></html>"
    )
    page = segment(parse_html(html))
    code = next(g for b, g in zip(page.blocks, guess_kinds(page.blocks), strict=True) if b.tag in ("pre", "code"))
    assert code.template_tokens == ()
    assert not code.certain


# A shop page that renders its description twice, for the desktop and the mobile layout, above a list of
# offers whose cards each carry the same line.
TWICE = """<html><body><main>
<h1>Stoneware mug</h1>
<div class="desktop"><p>A wheel-thrown mug in speckled stoneware, glazed inside.</p><p>Volume: about 350 ml.</p></div>
<div class="mobile"><p>A wheel-thrown mug in speckled stoneware, glazed inside.</p><p>Volume: about 350 ml.</p></div>
<ul>
<li><h3>Maui</h3><p>Book by Dec 31, 2025</p></li>
<li><h3>Honolulu</h3><p>Book by Dec 31, 2025</p></li>
</ul>
</main></body></html>"""


def test_a_box_rendered_twice_keeps_only_its_best_copy():
    page = segment(parse_html(TWICE))
    texts = [b.text for b in page.blocks]
    assert texts.count("Volume: about 350 ml.") == 2 and texts.count("Book by Dec 31, 2025") == 2
    guesses = guess_kinds(page.blocks)
    scores = np.full(len(texts), 0.9)
    mobile = [i for i, b in enumerate(page.blocks) if "mobile" in b.ancestor_classes]
    scores[mobile] = 0.95  # the better copy wins wherever it comes
    settled = settle_scores(page.blocks, scores, guesses)
    dropped = [i for i, s in enumerate(settled.tolist()) if s == 0.0]
    assert dropped == [i for i, b in enumerate(page.blocks) if "desktop" in b.ancestor_classes]
    assert {guesses[i].kind for i in dropped} == {"duplicate"}
    # The line each offer card repeats is part of each card: no score changes beyond the desktop copy.
    kept = [i for i in range(len(texts)) if i not in dropped]
    assert (settled[kept] == scores[kept]).all()


def test_copies_that_tie_keep_the_first_and_a_lone_word_is_no_copy():
    html = "<html><body><div><p>Same words here.</p></div><div><p>Same words here.</p></div>"
    html += "<div><p>Yes</p></div><div><p>Yes</p></div></body></html>"
    page = segment(parse_html(html))
    settled = settle_scores(page.blocks, np.full(4, 0.8), guess_kinds(page.blocks))
    assert settled.tolist() == [0.8, 0.0, 0.8, 0.8]


def test_extract_text_gives_a_repeated_box_once_unless_copies_are_kept():
    from boilerplate import classify_blocks, extract_text

    text = extract_text(TWICE)
    assert text.count("wheel-thrown mug") == 1
    assert text.count("Book by Dec 31, 2025") == 2
    assert extract_text(TWICE, keep=["duplicate"]).count("wheel-thrown mug") == 2
    kinds = {b.kind for b in classify_blocks(TWICE) if "wheel-thrown" in b.text}
    assert kinds == {None, "duplicate"}


@pytest.mark.parametrize(
    "box, kind, first_score",
    [
        # Certain chrome: every copy scores 0 anyway, and the dropped copy must not be renamed "duplicate".
        ('<div class="paywall-prompt"><p>Subscribe to keep reading this story today.</p></div>', "paywall", 0.0),
        # Named but not certain: the first copy keeps its score, the second is dropped and stays "related".
        ('<div class="related-posts"><p>Five walks along the river this winter</p></div>', "related", 0.6),
    ],
)
def test_a_copy_of_named_chrome_keeps_its_kind(box, kind, first_score):
    html = f"<html><body><article><p>{'The council met on Tuesday. ' * 5}</p></article>{box}{box}</body></html>"
    page = segment(parse_html(html))
    guesses = guess_kinds(page.blocks)
    settled = settle_scores(page.blocks, np.full(len(page.blocks), 0.6), guesses)
    first, second = [i for i, b in enumerate(page.blocks) if b.text == page.blocks[-1].text]
    assert settled[first] == first_score and settled[second] == 0.0
    assert guesses[first].kind == guesses[second].kind == kind


# The compiled loop (boilerplate/_kinds.pyx) must give exactly the guesses of kinds._guess, block for block.
compiled_kinds = pytest.mark.skipif(
    kinds._guesses is kinds._python_guesses or kinds._keep_one_copy is kinds._python_keep_one_copy,
    reason="the compiled kind rules are not built in this installation (no C compiler at install): Python serves",
)


_LOOPS = ("_guesses", "_words_and_code", "_keep_one_copy", "_cap_headings")


def both_loops(blocks: list[Block], scores: np.ndarray | None = None) -> tuple[tuple, tuple]:
    """guess_kinds and settle_scores by the Python loops and by the compiled ones: the word counts, code
    flags, guesses, settled scores and guesses after settling."""
    if scores is None:
        scores = np.linspace(0.0, 1.0, len(blocks)) ** 2
    out = []
    with pytest.MonkeyPatch.context() as patch:
        for source in ("python", "compiled"):
            for name in _LOOPS:
                patch.setattr(kinds, name, getattr(kinds, f"_python{name}") if source == "python" else COMPILED[name])
            guesses = guess_kinds(blocks)
            before = list(guesses)
            settled = settle_scores(blocks, scores, guesses)
            out.append((kinds._words_and_code(blocks), before, settled.tolist(), guesses))
    return out[0], out[1]


COMPILED = {name: getattr(kinds, name) for name in _LOOPS}


@compiled_kinds
def test_the_compiled_kind_rules_give_the_python_guesses_on_the_local_pages_and_the_wcxb_pages(wcxb_root):
    from boilerplate.datasets import load_wcxb

    pages = [PAGE, TWICE] + [fixture_bytes(p.name) for p in sorted(FIXTURES.glob("*.html"))]
    pages += [p.html for p in load_wcxb(wcxb_root, "validation")]
    differ = []
    for i, html in enumerate(pages):
        blocks = segment(parse_html(html)).blocks
        python, compiled_ = both_loops(blocks)
        if python != compiled_:
            differ.append(i)
    assert differ == []


_TEXTS = ["", "Sign in", "Subscribe", "Subscribe now", "Advertisement", "Share", "Accept all cookies", "Newsletter"]
_TEXTS += ["You have {{numberArticlesLeft}} free articles left", "The council met on Tuesday to discuss the ferry."]
_TEXTS += ["Get unlimited access", "Related articles", "{% if user %}", "a b c d e", "100% [sic] <tag>", "Menu"]
_CLASSES = ["", "nav", "ad-slot", "share-bar", "cookie-banner", "paywall", "newsletter-box", "article-body"]


@st.composite
def _block(draw) -> Block:
    text = " ".join(draw(st.lists(st.sampled_from(_TEXTS), max_size=3))).strip()
    depth = draw(st.integers(0, 3))
    tags = draw(st.lists(st.sampled_from(["div", "pre", "section", "body", "footer"]), min_size=depth, max_size=depth))
    return Block(
        text=text,
        tag=draw(st.sampled_from(["p", "h2", "li", "code", "div"])),
        xpath="/html/body/p",
        order=0,
        depth=depth,
        link_chars=draw(st.integers(0, len(text) + 2)),  # more than the text too: the rules must not mind
        classes=draw(st.sampled_from(_CLASSES)),
        ancestor_classes=" | ".join(draw(st.sampled_from(_CLASSES)) for _ in tags),
        ancestor_tags=" ".join(tags),
        landmarks=draw(st.integers(0, (1 << len(LANDMARKS)) - 1)),
        template_attrs=draw(st.sampled_from(["", "{{price}}", "plain"])),
    )


@compiled_kinds
@settings(max_examples=300, deadline=None)
@given(
    st.lists(_block(), max_size=12),
    st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.5, 0.9, 1.0]), min_size=12, max_size=12),
    st.integers(1, 4),
)
def test_the_compiled_kind_rules_give_the_python_guesses_on_any_blocks(blocks, scores, containers):
    for i, block in enumerate(blocks):  # a few containers, so that some repeat another's texts
        block.container = i % containers
    python, compiled_ = both_loops(blocks, np.array(scores[: len(blocks)]))
    assert compiled_ == python


@compiled_kinds
def test_the_compiled_kind_rules_read_a_block_subclass_as_python_does():
    blocks = [
        RetaggedBlock("Related articles", "p", "/html/body/h2", 0, 2, 0),
        Block("The council met on Tuesday to discuss the ferry.", "p", "/html/body/p[1]", 1, 2, 0),
        RetaggedBlock("Subscribe now", "div", "/html/body/div", 2, 2, 13, classes="paywall", container=1),
    ]
    python, compiled_ = both_loops(blocks, np.array([0.9, 0.3, 0.8]))
    assert compiled_ == python
    assert python[2][0] == 0.3  # the first block is read as the heading it says it is, and capped
