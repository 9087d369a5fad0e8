"""Function words of many languages, for the stopword-ratio feature.

Running prose is full of short function words ("the", "und", "de", "что");
menus, buttons and labels have few. A small built-in list per language is
enough to measure that, with nothing downloaded at run time. Words that mean
different things in different languages are fine here: only the ratio counts.
"""

from __future__ import annotations

__all__ = ["STOPWORDS", "guess_language"]

_LISTS = {
    "en": """the of and to a in is it that for was on are as with his they be at one have this from
        or had by but not what all were we when your can said there use an each which she do how their
        if will up about out many then them these so some her would other into has more him could no
        than been its who now my over did down only way may should our after also most any very just""",
    "de": """der die das und ist nicht ein eine einen einem einer sie es ich wir ihr zu den dem des mit
        von für auf im in an auch als wie aber oder wenn dass daß so noch nach bei aus sich sind war
        wird werden hat haben kann können nur über um durch vor zum zur bis sein seine ihre unter""",
    "fr": """le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette ces il
        elle ils elles nous vous on par plus ne se sont été être avoir mais ou où comme tout leur
        leurs son sa ses même aussi dont sans entre très fait peut""",
    "es": """el la los las de del un una unos y es en que por para con no se lo le su sus al como más
        pero o este esta estos son fue ha han era muy también entre sin sobre ya cuando todo hay
        desde porque donde""",
    "it": """il lo la i gli le di del della dei degli delle un una uno e è in che per con non si da al
        alla ai come ma più anche sono era questo questa sua suo suoi loro nel nella tra fra molto
        quando tutto dove perché""",
    "pt": """o a os as de do da dos das um uma e é em que por para com não se no na nos nas ao como mas
        mais ou seu sua seus suas foi são está ele ela eles também muito quando entre sem sobre já
        isso esse essa""",
    "nl": """de het een en van in is dat op te zijn met voor niet aan er die als ook om maar bij dan
        of door naar heeft hebben was werd wordt nog kan deze dit wat uit zo""",
    "sv": """och att det som en på är av för med till den har inte om ett var jag men så de ett från
        eller vid kan också när hade""",
    "da_no": """og i at det som en på er af for med til den har ikke om et var jeg men så de fra eller
        ved kan også når havde av ble ikke""",
    "pl": """i w na z że do się nie to jest jak o od po ale co tak przez dla jego jej są był była było
        czy tylko już oraz może także bardzo""",
    "cs_sk": """a v na se že je to do s o z k i ve jak by ale jsou byl bylo jeho její pro po podle také
        jako sa sú bol""",
    "ru": """и в не на что с как а то по это он она они к но из у за от для же о так было бы был
        была уже или если только его её их при""",
    "uk": """і в не на що з як а то по це він вона вони до але із у за від для же так було б був
        була вже або якщо тільки його її їх при""",
    "tr": """ve bir bu da de için ile çok daha olarak ama gibi en ne var olan sonra kadar her ya
        değil mi ise""",
    "id_ms": """dan yang di ke dari ini itu untuk dengan pada adalah tidak akan dalam juga atau oleh
        sebagai karena telah ada""",
    "ro": """și în de la cu pe a că un o nu este sunt pentru din care mai ce se fost sau dar""",
    "hu": """a az és hogy nem is egy de meg van volt csak már még mint vagy ez azt""",
    "fi": """ja on ei se että oli hän ovat mutta kun tai myös joka kanssa niin""",
    "vi": """và của là có không được các những trong cho với một này để đã người khi""",
}

STOPWORDS: frozenset[str] = frozenset(word for words in _LISTS.values() for word in words.split())

_BY_LANGUAGE: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _LISTS.items()}


def guess_language(words: list[str], *, min_hits: int = 5) -> str | None:
    """The language whose function words are most frequent in ``words`` (lower-cased tokens).

    For reports by language on pages that do not declare one; None when no
    language has ``min_hits`` function words or two languages tie.
    """
    counts = sorted(((sum(w in vocab for w in words), lang) for lang, vocab in _BY_LANGUAGE.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    if best < min_hits or best == second:
        return None
    return lang
