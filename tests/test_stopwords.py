from boilerplate.stopwords import STOPWORDS, guess_language


def test_function_words_of_several_languages():
    assert {"the", "und", "les", "que", "della", "het"} <= STOPWORDS


def test_guess_language_needs_enough_function_words():
    assert guess_language("il gatto è sul tavolo e non vuole scendere per la cena con noi".split()) == "it"
    assert guess_language("the cat is on the mat and it was not what we said".split()) == "en"
    assert guess_language(["home", "login", "cart"]) is None
