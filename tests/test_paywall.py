"""The paywall verdict: one test per signal on small pages, and every fixture's expected verdict."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerplate import analyze, paywall
from boilerplate.paywall import VENDORS, css_to_xpath

from .conftest import FIXTURES

ARTICLE = """<p>The harbour authority will run the early ferry twenty minutes later from Monday, after a month of
complaints from commuters who missed their connecting trains at the mainland terminal, the authority said.</p>
<p>Commuter groups welcomed the change but asked for a later last sailing in the evening as well, saying
that the current timetable forces people who work late to stay overnight on the mainland.</p>"""


def page(head: str = "", body: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Ferry timetable changes</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/subscribe'>Subscribe</a></nav>"
        f"<article><h1>Ferry timetable changes from Monday</h1>{body or ARTICLE}</article>{after}"
        "<footer><p>© 2025 The Harbour Ledger</p></footer></body></html>"
    )


def json_ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def verdict(html: str):
    return analyze(html).paywall


def test_a_free_page_is_not_paywalled_even_with_a_subscribe_link_in_its_navigation():
    found = verdict(page())
    assert not found.paywalled and found.type is None and found.signals == ()


def test_json_ld_is_accessible_for_free_false():
    found = verdict(page(json_ld({"@type": "NewsArticle", "isAccessibleForFree": False})))
    assert found.paywalled and "json-ld" in found.signals
    assert found.type == "hard"


def test_json_ld_inside_a_graph_and_as_a_string():
    data = {"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", "isAccessibleForFree": "False"}]}
    assert "json-ld" in verdict(page(json_ld(data))).signals


def test_broken_json_ld_is_no_signal():
    html = page('<script type="application/ld+json">{"isAccessibleForFree": false,</script>')
    assert not verdict(html).paywalled


def test_microdata_is_accessible_for_free_false():
    body = '<meta itemprop="isAccessibleForFree" content="false">' + ARTICLE
    found = verdict(page(body=body))
    assert found.paywalled and found.signals == ("microdata",)


def test_has_part_css_selector_names_the_paywalled_part():
    data = {
        "@type": "NewsArticle",
        "isAccessibleForFree": False,
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywalled-body"},
    }
    body = f'<div class="article-body paywalled-body">{ARTICLE}</div>'
    found = verdict(page(json_ld(data), body))
    assert "has-part" in found.signals
    assert found.paywalled_parts == ("/html/body/article/div",)


def test_an_untranslatable_selector_is_reported():
    data = {"isAccessibleForFree": False, "hasPart": {"isAccessibleForFree": False, "cssSelector": "p:nth-child(2)"}}
    found = verdict(page(json_ld(data)))
    assert found.unsupported_selectors == ("p:nth-child(2)",)


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        (".locked", ["/html/body/div[1]"]),
        ("#rest", ["/html/body/div[2]"]),
        ("div.locked > p", ["/html/body/div[1]/p"]),
        ("body .locked, #rest", ["/html/body/div[1]", "/html/body/div[2]"]),
        ("[data-paywall]", ["/html/body/div[2]"]),
        ("div[data-paywall='rest']", ["/html/body/div[2]"]),
    ],
)
def test_css_to_xpath(selector, matches):
    import lxml.html

    root = lxml.html.fromstring(
        '<html><body><div class="x locked"><p>a</p></div><div id="rest" data-paywall="rest">b</div></body></html>'
    )
    tree = root.getroottree()
    assert [tree.getpath(el) for el in tree.xpath(css_to_xpath(selector))] == matches


VENDOR_MARKERS = [
    ('<script src="https://cdn.tinypass.com/api/tinypass.min.js"></script>', "piano"),
    ('<div class="tp-modal"></div>', "piano"),
    ('<div id="poool-widget"></div>', "poool"),
    ('<div class="zephr-feature"></div>', "zephr"),
    ('<div id="pelcro-app"></div>', "pelcro"),
    ('<div class="lp_purchase-overlay"></div>', "laterpay"),
    ('<aside class="gh-post-upgrade-cta"></aside>', "ghost"),
    ('<script src="https://substackcdn.com/bundle/main.js"></script>', "substack"),
    ('<div id="steady_paywall"></div>', "steady"),
    ('<div class="memberful-overlay"></div>', "memberful"),
    ('<div class="leaky_paywall_message"></div>', "leaky-paywall"),
    ('<div class="wallkit-paywall"></div>', "wallkit"),
    ('<a data-portal="signup">Subscribe</a>', "ghost"),
    ('<div class="Piano-Offer"></div>', "piano"),
    ('<link rel="preconnect" href="https://api.piano.io">', "piano"),
]


@pytest.mark.parametrize(("marker", "vendor"), VENDOR_MARKERS)
def test_vendor_markers(marker, vendor):
    assert f"vendor:{vendor}" in verdict(page(after=marker)).signals


def test_every_vendor_has_a_marker():
    """A new vendor needs an example above; the example also checks the stems that gate the vendor patterns."""
    assert {vendor for _, vendor in VENDOR_MARKERS} == set(VENDORS)


@pytest.mark.parametrize(
    ("head", "after", "vendor"),
    [
        ('<script id="piano-aid" src="/js/site.js"></script>', "", "piano"),  # in the head, which the walk skips
        ('<meta name="x" data-zephr-config="1">', "", "zephr"),
        ("", '<span hidden class="tp-backdrop">x</span>', "piano"),  # a hidden inline element is still read
        ("", '<p data-poool-mode="hide">Read on</p>', "poool"),
    ],
)
def test_vendor_markers_in_the_head_hidden_elements_and_data_names(head, after, vendor):
    assert f"vendor:{vendor}" in verdict(page(head=head, after=after)).signals


def _literal_openings(pattern: str) -> list[str]:
    """The literal text each top-level alternative of a vendor pattern starts with, groups spelled out."""
    alternatives, depth, start = [], 0, 0
    for i, char in enumerate(pattern + "|"):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            alternatives.append(pattern[start:i].lstrip("^"))
            start = i + 1
    openings = []
    for alternative in alternatives:
        group = re.match(r"([^(\[]*)\(\?:([^)]*)\)(\??)", alternative)
        if group and not group.group(3):
            openings += [group.group(1) + option for option in group.group(2).split("|")]
        else:
            openings.append(re.match(r"[^(\[?]*", alternative).group(0))
    return [opening.replace("\\.", ".") for opening in openings]


def test_every_alternative_of_a_vendor_pattern_holds_one_of_its_stems():
    """The stems gate the patterns: a marker that matches a pattern but holds none of its vendor's stems would
    never be looked for."""
    from boilerplate.paywall import _VENDOR_STEMS

    assert set(_VENDOR_STEMS) == set(VENDORS)
    for name, pattern in VENDORS.items():
        for opening in _literal_openings(pattern):
            assert any(stem in opening for stem in _VENDOR_STEMS[name]), (name, opening)


def test_a_vendor_script_alone_does_not_make_a_page_paywalled():
    found = verdict(page(after='<script src="https://cdn.tinypass.com/api/tinypass.min.js"></script>'))
    assert not found.paywalled and found.signals == ("vendor:piano",)


def test_meter_and_template_tokens_make_a_metered_wall():
    meter = '<div class="meter">You have {{numberArticlesLeft}} free articles left this month</div>'
    found = verdict(page(body=ARTICLE + meter))
    assert found.type == "metered"
    assert {"meter", "template-token", "prompt"} <= set(found.signals)
    assert not found.truncated


@pytest.mark.parametrize(
    ("prompt", "wall"),
    [
        ("Subscribe to continue reading this story.", "hard"),
        ("Para seguir leyendo, suscríbete a La Gaceta.", "hard"),
        ("Um weiterzulesen, schließen Sie ein Abo ab.", "hard"),
        ("Create a free account to keep reading.", "registration"),
        ("Inscrivez-vous gratuitement pour lire la suite.", "registration"),
        ("This post is for paid subscribers.", "member-only"),
    ],
)
def test_prompts_in_many_languages_give_the_kind_of_wall(prompt, wall):
    teaser = ARTICLE.split("</p>")[0] + "</p>"
    found = verdict(page(body=teaser + f'<div class="wall"><p>{prompt}</p></div>'))
    assert found.paywalled and found.type == wall and "prompt" in found.signals
    assert found.truncated  # the body stops just before the prompt


def test_a_prompt_before_the_rest_of_the_text_is_no_truncation():
    prompt = '<div class="wall"><p>Subscribe to continue reading this story.</p></div>'
    first, second = ARTICLE.split("</p>", 1)
    found = verdict(page(body=first + "</p>" + prompt + second))
    assert found.paywalled and not found.truncated


EXPECTED = [
    pytest.param(path, id=path.name.removesuffix(".expected.json")) for path in sorted(FIXTURES.glob("*.expected.json"))
]


@pytest.mark.parametrize("path", EXPECTED)
def test_fixture_verdicts(path):
    html = path.with_name(path.name.replace(".expected.json", ".html")).read_bytes()
    want = json.loads(path.read_text(encoding="utf-8"))
    found = analyze(html).paywall
    assert (found.paywalled, found.type, found.truncated) == (want["paywalled"], want["type"], want["truncated"])
    assert set(found.signals) == set(want["signals"])


def test_every_fixture_has_an_expected_verdict():
    assert len(list(FIXTURES.glob("*.expected.json"))) == len(list(FIXTURES.glob("*.html"))) >= 25


# The vendors' stems are found by the lexicon's compiled scan where it is built; it must answer as str.find does.
_STEMS = [stem for stems in paywall._VENDOR_STEMS.values() for stem in stems]


@pytest.mark.skipif(paywall._STEM_SCAN is None, reason="the compiled scan is not built in this installation")
@settings(max_examples=300, deadline=None)
@given(
    markers=st.lists(st.sampled_from([*_STEMS, "tp", "pian", "x-tinypas", "ü", "é-piano", "gh-"])).map(" ".join),
    sources=st.lists(st.sampled_from([*"abdeghilnoprstuwyz-_./:é", "steady", "poool", "tinypass"])).map("".join),
)
def test_the_compiled_stem_scan_answers_as_find_does(markers, sources):
    assert paywall._named_vendors(markers, sources) == paywall._python_named_vendors(markers, sources)


def test_the_stem_scan_names_each_vendor_by_its_own_stems_and_falls_back_on_text_without_utf8(monkeypatch):
    bit = paywall._VENDOR_BIT
    assert paywall._named_vendors("x tp-modal gh-portal", "https://x.substack.com/a.js") == (
        bit["piano"] | bit["ghost"] | bit["substack"]
    )
    assert paywall._named_vendors("x \ud800 tinypass", "") == bit["piano"]  # a lone surrogate: read in Python
    assert paywall._named_vendors("x \ud800 y", "") == 0
    monkeypatch.setattr(paywall, "_STEM_SCAN", None)
    assert paywall._named_vendors("a zephr-wall", "") == bit["zephr"]
    assert paywall._named_vendors("plain", "/a.js") == 0
