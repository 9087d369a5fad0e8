import numpy as np
import pytest

from boilerplate.kinds import guess_kinds, nearest_class_kind, settle_scores
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment

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
