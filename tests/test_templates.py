import pytest
from hypothesis import given
from hypothesis import strategies as st

from boilerplate.templates import bound_attribute, find_tokens, in_code

from .conftest import fixture_bytes


@pytest.mark.parametrize(
    "token",
    [
        "{{numberArticlesLeft}}",
        "{{ user.firstName | capitalize }}",
        "{{{rawHtml}}}",
        "{{#if subscriber}}",
        "{% if user.is_subscriber %}",
        "{%- endif %}",
        "<%= @articles_left %>",
        "<% if logged_in %>",
        "${price.monthly}",
        "[[remaining]]",
        "<<FirstName>>",
        "%%ARTICLES_LEFT%%",
    ],
)
def test_each_syntax_is_found(token):
    assert find_tokens(f"You have {token} left") == [token]


@pytest.mark.parametrize(
    "prose",
    [
        "A plain sentence, with {braces} and [brackets].",
        "The set {1, 2, 3} has three members.",
        "He wrote {{ see the note below for all the details }} in the margin.",
        "Prices rose 5% to 7% over the year, and 50%% was a typo.",
        "Use Ctrl+[ to indent and << to shift left.",
        "Costs were $5 and $10 {approximately}.",
    ],
)
def test_prose_is_not_a_template(prose):
    assert find_tokens(prose) == []


@given(st.text(alphabet=st.characters(blacklist_characters="{}<>%[]$"), max_size=200))
def test_text_without_template_characters_has_no_tokens(text):
    assert find_tokens(text) == []


def test_seed_page_meter_tokens_are_found():
    html = fixture_bytes("seed-paywalled-news.html").decode("utf-8")
    tokens = set(find_tokens(html))
    assert {"{{numberArticlesLeft}}", "{{numberArticlesLeft-plural}}"} <= tokens


def test_code_samples_are_code():
    assert in_code("pre", "html body main")
    assert in_code("span", "html body pre code")
    assert not in_code("p", "html body article")


def test_bound_attributes_stand_for_their_text():
    assert bound_attribute("v-text", "meter.left") == "{{meter.left}}"
    assert bound_attribute("ng-bind", "user.name") == "{{user.name}}"
    assert bound_attribute("title", "Hello {{name}}") == "Hello {{name}}"
    assert bound_attribute("title", "Hello there") is None
