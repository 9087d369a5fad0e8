"""The chrome vocabularies: prompts in seven languages are recognized, article prose about the same topics is not."""

import pytest

from boilerplate.lexicon import class_kind, text_kind, token_kind


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
