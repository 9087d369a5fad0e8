"""The chrome vocabularies: prompts in seven languages are recognized, article prose about the same topics is not."""

import ast
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerplate import lexicon
from boilerplate.datasets import load_wcxb
from boilerplate.lexicon import GATES, class_kind, gate_key, gates_open, text_kind, text_kinds, token_kind
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text",
    [
        "You have 3 free articles left this month",
        "You have {{numberArticlesLeft}} free article{{numberArticlesLeft-plural}} left this month",
        "This is your last free article this month",
        "Sie haben {{remaining}} von 5 freien Artikeln gelesen",
        "Il vous reste 2 articles gratuits ce mois-ci",
        "Te quedan 3 artículos gratuitos este mes",
        "Ti restano 2 articoli gratuiti",
        "To continue reading, subscribe today.",
        "Um weiterzulesen, schließen Sie ein Abo ab.",
        "Pour lire la suite, abonnez-vous.",
        "Para seguir leyendo, suscríbete.",
        "Per continuare a leggere, abbonati.",
        "Para continuar lendo, assine.",
        "Om verder te lezen, word abonnee.",
        "Already a subscriber? Sign in",
        "¿Ya eres suscriptor? Inicia sesión",
        "Déjà abonné ? Se connecter",
        "This post is for paid subscribers",
        "Create a free account to keep reading",
    ],
)
def test_paywall_prompts_are_unmistakable(text):
    assert text_kind(text) == ("paywall", True)


@pytest.mark.parametrize(
    "text",
    [
        "We use cookies to improve your experience. Accept all",
        "Alle akzeptieren",
        "Tout refuser",
        "Utilizamos cookies para personalizar el contenido y los anuncios.",
        "Manage preferences",
        "Strictly necessary cookies",
    ],
)
def test_consent_dialogs_are_unmistakable(text):
    assert text_kind(text) == ("cookie", True)


@pytest.mark.parametrize(
    "text", ["Advertisement", "Anzeige", "Publicidad", "Sponsored content", "Contenu partenaire", "Pubblicità"]
)
def test_ad_labels_are_unmistakable(text):
    assert text_kind(text) == ("advertisement", True)


@pytest.mark.parametrize(
    "text",
    [
        "Chocolate Chip Cookies",
        "Bake the cookies for twelve minutes, until the edges are golden.",
        "The free version of the app has a limited number of lessons, and full access requires a paid subscription.",
        "Subscriptions to streaming services rose by a third last year.",
        "The survey asked readers whether they would pay for news.",
        "Disclosure: this trip was sponsored by the tourist board, but all opinions are our own.",
    ],
)
def test_prose_about_the_same_topics_is_not_unmistakable(text):
    assert text_kind(text)[1] is False


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("tp-modal", "paywall"),
        ("pelcro-paywall", "paywall"),
        ("onetrust-banner-sdk", "cookie"),
        ("didomi-popup", "cookie"),
        ("ad-slot", "advertisement"),
        ("share-buttons", "social"),
        ("site-footer", "footer"),
        ("header", "header"),
        ("comment-list", "comments"),
    ],
)
def test_class_tokens_name_kinds(token, kind):
    assert token_kind(token) == kind


@pytest.mark.parametrize("token", ["heading", "shadow", "loaded", "article-body", "content"])
def test_ordinary_class_tokens_name_no_kind(token):
    assert token_kind(token) is None


def test_the_innermost_class_wins():
    assert class_kind("site-header share-bar") == "social"


def test_loyalty_prompts_are_advertising():
    for text in (
        "Unlock access to exclusive rewards & benefits. Purchasing this product earns 176XP",
        "Members earn 179 points on this purchase.",
        "Join our rewards program",
    ):
        assert text_kind(text) == ("advertisement", True), text
    assert text_kind("The airline's rewards scheme changed in 2019, and members lost points.") != (
        "advertisement",
        True,
    )


# The gates: each family's stems and openings must let through every text its pattern matches.


def _example_strings() -> list[str]:
    """Every string literal of this module: the examples above, and those a newcomer adds with a new phrase."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _block_texts(pages: list[bytes]) -> list[str]:
    return [block.text for html in pages for block in segment(parse_html(html)).blocks]


def _shut_out(texts: list[str]) -> dict[str, list[str]]:
    """For each gated family, the texts its pattern matches that its gate would not let through."""
    texts = sorted(set(texts))
    names = {id(getattr(lexicon, name)): name for name in lexicon.__all__}
    shut_out = {}
    for pattern, let_through in gates_open(texts).items():
        missed = [
            text for text, through in zip(texts, let_through, strict=True) if not through and pattern.search(text)
        ]
        if missed:
            shut_out[names.get(id(pattern), pattern.pattern[:40])] = missed[:5]
    return shut_out


GATE_HELP = "a family's gate shuts out texts its pattern matches: give the new phrase a stem (boilerplate/lexicon.py)"


def test_gates_let_through_the_examples_and_the_local_pages():
    paths = [path for folder in ("training_data", "tests/fixtures") for path in (ROOT / folder).rglob("*.html")]
    pages = [path.read_bytes() for path in paths]
    assert len(pages) > 50
    assert not _shut_out(_example_strings() + _block_texts(pages)), GATE_HELP


def test_gates_let_through_the_wcxb_validation_pages(wcxb_root):
    """The texts the gates serve (short blocks) of the validation pages; skipped where the data is absent."""
    texts = _block_texts([page.html for page in load_wcxb(wcxb_root, split="validation")])
    assert len(texts) > 10_000
    assert not _shut_out([text for text in texts if len(text.split()) <= 60]), GATE_HELP


def test_gate_keys_equate_what_case_insensitive_patterns_equate():
    """A character that a pattern takes for a gate literal's character under re.I has that character in its key;
    and a non-word character stays one (openings are read past leading non-word characters)."""
    literals = {char for gate in GATES.values() for literal in (*gate.stems, *gate.openings) for char in literal}
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    for found in re.finditer("[" + "".join(map(re.escape, sorted(literals))) + "]", everything, re.I):
        char = found.group()
        for literal in literals:
            if re.fullmatch(re.escape(literal), char, re.I):
                assert gate_key(char) == literal, (char, literal)
    non_word = "".join(re.findall(r"\W", everything))
    assert re.fullmatch(r"\W*", gate_key(non_word))


def test_a_page_read_together_says_what_each_text_says_alone():
    texts = _example_strings()
    assert text_kinds(texts) == [text_kind(text) for text in texts]


def test_gate_literals_must_be_lowercase():
    with pytest.raises(ValueError):
        lexicon._phrases(r"\bNew phrase\b", stems=("New",))


# The compiled gate scan (boilerplate/_gates.pyx) must give the Python scan's masks, text for text.
compiled_gates = pytest.mark.skipif(
    lexicon._SCANNER is None,
    reason="the compiled gate scan is not built in this installation (no C compiler at install): the Python scan",
)

_EDGE_KEYS = [
    "",
    "$",
    "price: $",  # a one-character stem at the very end
    "subscri",
    "abo",
    "xsubscribe",  # a stem inside a word
    "» sign in",  # an opening after punctuation
    "«» sign in",  # after non-ASCII punctuation: the lead is read in Python
    "\0\0sign in",  # control characters are no word characters
    "_sign in",  # "_" is a word character: no opening here
    "é sign in",
    "sign in",
    "  sign in",
    "über unser newsletter-abo",
    "アカウント sign in",
    "related\0articles",
    "accept all cookies and subscribe",
]


def _has_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@compiled_gates
def test_the_compiled_gate_scan_gives_the_python_masks_on_edge_cases_and_the_local_pages():
    paths = [path for folder in ("training_data", "tests/fixtures") for path in (ROOT / folder).rglob("*.html")]
    keys = _EDGE_KEYS + [gate_key(text) for text in _example_strings() + _block_texts([p.read_bytes() for p in paths])]
    keys += list(lexicon._STEMS) + list(lexicon._OPENING_BITS)
    keys = [key for key in keys if _has_utf8(key)]  # the others go to the Python scan (the test below)
    expected = lexicon._python_gates(keys)
    assert lexicon._SCANNER.masks(keys, lexicon._ALWAYS) == expected
    assert any(expected) and not all(expected)


@compiled_gates
@given(st.lists(st.text(alphabet=st.sampled_from(list("$ »«\0_éüアsign uprelatdbcokx-")), max_size=40), max_size=20))
def test_the_compiled_gate_scan_gives_the_python_masks_on_any_text(texts):
    keys = [gate_key(text) for text in texts]
    assert lexicon._SCANNER.masks(keys, lexicon._ALWAYS) == lexicon._python_gates(keys)


def test_a_text_without_a_utf8_form_is_scanned_in_python():
    texts = ["sign in", "subscribe \ud800 now", "plain"]
    masks = lexicon._open_gates(texts)
    assert masks == lexicon._python_gates([gate_key(t) for t in texts])
    assert masks[0] & lexicon._BIT[lexicon.ACCOUNT] and masks[1] & lexicon._BIT[lexicon.SUBSCRIBE] and not masks[2]


def test_without_the_compiled_gate_scan_python_scans(monkeypatch):
    texts = ["Already a subscriber? Sign in", "Accept all cookies", "A paragraph of prose."]
    compiled = lexicon.text_kinds(texts)
    assert compiled[0] == ("paywall", True) and compiled[1][0] == "cookie" and compiled[2] == (None, False)
    monkeypatch.setattr(lexicon, "_SCANNER", None)
    assert lexicon.text_kinds(texts) == compiled


# The quick searches: regrouped, each family must match exactly the texts its pattern matches.

_FAMILIES = {
    name: getattr(lexicon, name) for name in lexicon.__all__ if id(getattr(lexicon, name)) in lexicon._ALTERNATIVES
}


def _mismatched(texts: list[str]) -> dict[str, list[str]]:
    """For each family, the texts where the quick searches and the family's pattern disagree."""
    out = {}
    for name, pattern in _FAMILIES.items():
        wrong = [text for text in texts if lexicon.matches(pattern, text) != (pattern.search(text) is not None)]
        if wrong:
            out[name] = wrong[:5]
    return out


def test_every_family_has_quick_searches():
    assert len(_FAMILIES) >= 15
    assert lexicon.matches(lexicon.METER, "You have 3 free articles left this month")
    assert not lexicon.matches(lexicon.METER, "The council met for three hours")
    assert lexicon.matches(re.compile("x+y"), "axxy")  # any other pattern is searched as it is
    for pattern in _FAMILIES.values():  # made on first use, the searches are the regrouped ones
        lexicon.matches(pattern, "x")
        searches = lexicon._QUICK[id(pattern)]
        assert searches and pattern.search not in searches


def test_quick_searches_match_where_the_patterns_match_on_the_examples_and_local_pages():
    paths = [path for folder in ("training_data", "tests/fixtures") for path in (ROOT / folder).rglob("*.html")]
    texts = sorted(set(_example_strings() + _block_texts([path.read_bytes() for path in paths])))
    assert not _mismatched(texts)


def test_quick_searches_match_where_the_patterns_match_on_the_wcxb_validation_pages(wcxb_root):
    texts = sorted(set(_block_texts([page.html for page in load_wcxb(wcxb_root, split="validation")])))
    assert len(texts) > 10_000
    assert not _mismatched(texts)


_FRAGMENTS = ["free ", "articles ", "left", "3 ", "{{n}} ", "of 5 ", "kostenlose ", "Cookie", "s ", "settings", "-"]
_FRAGMENTS += ["subscri", "ber", "already ", "a ", "member", "only", "$5", "/month", "€", " per ", "Sponsored", " "]
_FRAGMENTS += ["Anzeige", "\n", "sign up", " for our ", "newsletter", "x", "_", "9", "!", "İ", "ſ", "K", "Share"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join))
def test_quick_searches_match_where_the_patterns_match_on_any_text(text):
    assert not _mismatched([text])


# The compiled class scan (boilerplate/_gates.pyx) must name the kinds the class patterns name.
compiled_classes = pytest.mark.skipif(
    lexicon._CLASS_SCANNER is None,
    reason="the compiled class scan is not built in this installation (no C compiler at install): the patterns",
)

_CLASS_PIECES = ["ad", "ads", "s", "cookie", "cookies", "didomi", "nav", "share", "comments", "-", "_", "7", " "]
_CLASS_PIECES += ["x", "header", "\t", "\x1c", "|", " | ", "ot-sdk", "sp_message", "footer", "related", "tp", "up"]


def _compiled_class_kind(tokens: str) -> str | None:
    found = lexicon._CLASS_SCANNER.of(tokens)
    return None if found < 0 else lexicon._KINDS[found]


@compiled_classes
def test_the_compiled_class_scan_names_the_patterns_kinds_on_edge_cases_and_the_local_pages():
    strings = ["", " ", "ad", "ad-slot", "header", "x-ads-y", "ads7", "adsx", "cookies", "cookiesx", "cookie_"]
    strings += ["didomi-host", "didomix", "didomi_", "didomi9", "didomi-", "didomi.", "ot-sdk-container", "nav | ad"]
    strings += ["a\x1cad", "share comments", "comments share", "7ad7", "x7nav", "menu-item menu-link", "tp", "|"]
    paths = [path for folder in ("training_data", "tests/fixtures") for path in (ROOT / folder).rglob("*.html")]
    for html in (path.read_bytes() for path in paths):
        for block in segment(parse_html(html)).blocks:
            strings += [block.classes, *block.ancestor_classes.split(" | ")]
    strings += [alternative for pattern in lexicon.KIND_CLASS_PATTERNS.values() for alternative in pattern.split("|")]
    strings = [s for s in dict.fromkeys(strings) if s.isascii()]
    named = [lexicon._python_class_kind(s) for s in strings]
    assert [_compiled_class_kind(s) for s in strings] == named
    assert any(named) and not all(named)


@compiled_classes
@given(st.lists(st.sampled_from(_CLASS_PIECES), max_size=12).map("".join))
def test_the_compiled_class_scan_names_the_patterns_kinds_on_any_string(tokens):
    assert _compiled_class_kind(tokens) == lexicon._python_class_kind(tokens)


@compiled_classes
@given(
    st.lists(st.lists(st.sampled_from(_CLASS_PIECES), max_size=6).map("".join), max_size=6).map(" | ".join),
    st.lists(st.sampled_from(["html", "body", "div", "nav", "section", "x"]), max_size=7).map(" ".join),
)
def test_the_compiled_class_scan_finds_the_innermost_kind_as_the_patterns_do(classes, tags):
    passed_over = frozenset({"html", "body"})
    found = lexicon._CLASS_SCANNER.of_innermost(classes, tags, (b"html", b"body"))
    expected = lexicon._python_innermost_class_kind(classes, tags, passed_over)
    assert (None if found < 0 else lexicon._KINDS[found]) == expected
    assert lexicon.innermost_class_kind(classes, tags, passed_over) == expected


@compiled_classes
def test_the_compiled_class_scan_names_the_patterns_kinds_on_the_wcxb_validation_pages(wcxb_root):
    blocks = [b for page in load_wcxb(wcxb_root, split="validation") for b in segment(parse_html(page.html)).blocks]
    strings = [s for s in dict.fromkeys(p for b in blocks for p in (b.classes, *b.ancestor_classes.split(" | ")))]
    strings = [s for s in strings if s.isascii()]
    assert len(strings) > 10_000
    assert [_compiled_class_kind(s) for s in strings] == [lexicon._python_class_kind(s) for s in strings]
    chains = list(dict.fromkeys((b.ancestor_classes, b.ancestor_tags) for b in blocks))
    passed_over = frozenset({"html", "body"})
    assert [lexicon.innermost_class_kind(c, t, passed_over) for c, t in chains] == [
        lexicon._python_innermost_class_kind(c, t, passed_over) for c, t in chains
    ]


@compiled_classes
def test_the_class_scan_remembers_short_element_strings_and_stays_bounded():
    from boilerplate._gates import ClassKinds

    scanner = ClassKinds(lexicon._class_literals(), -1)
    long = "x" * 600 + " ad-slot"
    assert scanner.of_innermost("ad-slot | x", "div span", ()) == scanner.of("ad-slot")
    assert scanner.of_innermost(f"{long} | x", "div span", ()) == scanner.of("ad-slot")
    assert scanner.remembered == 2  # "x", then "ad-slot"; the long string is read, not kept
    for i in range(70_000):
        scanner.of_innermost(f"card-{i}", "div", ())
    assert scanner.remembered <= 1 << 16


def test_class_patterns_of_another_form_are_read_by_the_patterns(monkeypatch):
    assert lexicon._class_literals() is not None  # the shipped patterns are all plain words, s? or \w*
    monkeypatch.setitem(lexicon.KIND_CLASS_PATTERNS, "social", r"share\w*|(?:tweet|toot)-?button")
    assert lexicon._class_literals() is None


def test_non_ascii_class_strings_are_read_by_the_patterns():
    assert class_kind("werbeanzeige-ä ad-slot") == "advertisement"
    assert class_kind("navigación") is None
    assert lexicon.innermost_class_kind("ad-slot | ä", "div span", frozenset()) == "advertisement"


def test_without_the_compiled_class_scan_the_patterns_name_the_kinds(monkeypatch):
    strings = ["ad-slot", "header", "site-header nav-menu", "cookie-banner x", "plain"]
    compiled = [class_kind(s) for s in strings]
    monkeypatch.setattr(lexicon, "_CLASS_SCANNER", None)
    class_kind.cache_clear()
    try:
        assert [class_kind(s) for s in strings] == compiled == ["advertisement", "header", "navigation", "cookie", None]
    finally:
        class_kind.cache_clear()
