import numpy as np

from boilerplate.features import block_words, featurize
from boilerplate.pipeline import page_features
from boilerplate.terms import block_terms

from .conftest import fixture_bytes


def test_page_features_are_the_same_with_and_without_terms():
    html = fixture_bytes("product-page-de.html")
    page, X, terms = page_features(html)
    _page, X_alone, no_terms = page_features(html, terms=False)
    assert no_terms is None
    assert np.array_equal(X, X_alone)  # the counting pass finds the words as block_words does
    assert np.array_equal(X, featurize(page, block_words(page)))
    assert terms == block_terms(page, block_words(page))
