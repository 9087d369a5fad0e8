from boilerplate.features import block_words
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment
from boilerplate.terms import MAX_WORDS, TERM_GROUPS, block_terms

PAGE = """<html><body>
<div class="site-wrap"><div class="l1"><div class="l2"><div class="l3"><div class="l4">
<ul class="product-grid"><li class="product-card__title">
<a href="/p/1">Linen Shirt</a> <span class="price">€49</span></li></ul>
</div></div></div></div></div>
<article class="post-body"><p>Не так давно в городе открылся новый музей, и туда пошли все.</p></article>
</body></html>"""


def terms_of(html):
    page = segment(parse_html(html))
    return page, block_terms(page)


def test_one_list_of_terms_per_block_in_each_group():
    page, terms = terms_of(PAGE)
    assert tuple(terms) == TERM_GROUPS
    assert all(len(terms[group]) == len(page.blocks) for group in TERM_GROUPS)


def test_words_in_any_script_lower_cased():
    page, terms = terms_of(PAGE)
    i = next(i for i, b in enumerate(page.blocks) if b.text.startswith("Не так"))
    assert terms["words"][i][:3] == ["не", "так", "давно"]
    assert "музей" in terms["words"][i]


def test_markup_terms_split_class_tokens_and_stop_at_the_nearest_ancestors():
    page, terms = terms_of(PAGE)
    i = next(i for i, b in enumerate(page.blocks) if "Linen" in b.text)
    markup = set(terms["markup"][i])
    assert {"c:product-card__title", "cp:product", "cp:card", "cp:title", "c:price", "cp:price"} <= markup
    assert {"ap:product", "ap:grid", "ap:l"} <= markup
    assert "ap:site" not in markup and "ap:wrap" not in markup  # six levels up: past the nearest ANCESTORS (4)
    assert {"t:li", "pt:div/ul/li"} <= markup


def test_long_blocks_are_cut_and_given_words_are_used():
    text = " ".join(f"word{i}" for i in range(200))
    page = segment(parse_html(f"<html><body><p>{text}</p></body></html>"))
    words = block_terms(page)["words"][0]
    assert words == [f"word{i}" for i in range(MAX_WORDS)]
    assert block_terms(page, block_words(page)) == block_terms(page)


def test_a_page_without_blocks_has_no_terms():
    assert block_terms(segment(None)) == {group: [] for group in TERM_GROUPS}
