"""Words that name kinds of chrome, in page text and in class/id attributes.

Paywall prompts, consent dialogs and sponsored labels are written in a small,
stable vocabulary ("already a subscriber?", "Alle akzeptieren", "Publicidad"),
and their containers carry the names of the vendors that render them
(``tp-modal``, ``didomi-popup``, ``adslot``). This module holds those
vocabularies for English, German, French, Spanish, Italian, Portuguese and
Dutch, as compiled patterns that the features, the kind rules and the
paywall verdict share.

Most short texts on a page name no kind at all, and a family's pattern tries
every alternative at every position of the text, so each family carries a
*gate* (:class:`Gate`): lowercase literals, one of which every text the
pattern matches contains (its "stems"), or, for phrases anchored at the
start, begins with (its "openings"). :func:`text_kinds` looks for all stems
in all of a page's texts at once, at C speed, and runs a pattern only on the
texts whose gate opened. The patterns stay the definition; a gate only saves
time, and ``tests/test_lexicon.py`` checks on real pages and on the examples
there that no gate shuts out a text its pattern matches. A phrase added to a
family needs a stem that it always contains, taken from its literal words
(not from a character class, an optional part or a repeat), and an example.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from .alternation import alternatives as split_alternatives
from .alternation import by_first_character, opened, starts_plainly

__all__ = [
    "KIND_CLASS_PATTERNS",
    "METER",
    "CONTINUE",
    "SUBSCRIBER_ONLY",
    "REGISTRATION",
    "MEMBERSHIP",
    "LOYALTY",
    "OFFER",
    "SUBSCRIBE",
    "COOKIE",
    "ACCOUNT",
    "AD_LABEL",
    "NEWSLETTER",
    "NEWSLETTER_CALL",
    "SOCIAL",
    "RELATED",
    "PAYWALL_OR_CONSENT",
    "GATES",
    "Gate",
    "class_kind",
    "gate_key",
    "gates_open",
    "innermost_class_kind",
    "matches",
    "read_texts",
    "text_kind",
    "text_kinds",
]


@dataclass(frozen=True, slots=True)
class Gate:
    """What every match of a family has: a cheap test that rules most texts out before the pattern runs.

    Both are lowercase literals, compared with the text's :func:`gate_key`.
    """

    stems: tuple[str, ...] = ()  # every match contains one of these, anywhere
    openings: tuple[str, ...] = ()  # or starts the text with one, after any non-word characters (for ^\W* phrases)


GATES: dict[re.Pattern[str], Gate] = {}

# re.I equates "ı" and "İ" with "i" and "ſ" with "s", which str.lower() keeps apart ("İ" even becomes two characters).
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s"})
_LEAD = re.compile(r"\W*")
_WORD_START = re.compile(r"\w")


def gate_key(text: str) -> str:
    """The text as gates read it: lowercased so that it holds a stem wherever a case-insensitive pattern could match."""
    if not text.isascii() and ("ı" in text or "İ" in text or "ſ" in text):
        text = text.translate(_FOLD)
    return text.lower()


# For each family (by id: hashing a compiled pattern is slow), its alternatives, and once it is first searched,
# searches that together find a match wherever its pattern does (see _quick_searches): made on first use,
# not at import, where compiling them all took 20 ms.
_ALTERNATIVES: dict[int, tuple[str, ...]] = {}
_QUICK: dict[int, tuple[Callable[[str], re.Match[str] | None], ...]] = {}


def _quick_searches(alternatives: Sequence[str], flags: int) -> tuple[Callable[[str], re.Match[str] | None], ...]:
    """Searches that together match wherever the alternation does.

    Python's engine tries each alternative at every position of a text. Here the alternatives are taken
    apart (``(?:a|b)c`` into ``ac`` and ``bc``) and regrouped: those that start at a word boundary under
    one ``\\b`` taken out in front, tried only where a word starts or ends; those anchored at the start
    under one ``^``; the others as they are. In each, the parts that start with a letter are grouped by
    it, behind a look-ahead at the letters, so that most places fail on one test. The order of the parts
    decides which match a search returns, not whether there is one, which is all :func:`matches` tells.
    """
    fronts: dict[str, list[str]] = {"\\b": [], "^": [], "": []}
    for alternative in alternatives:
        for part in (piece for top in split_alternatives(alternative) for piece in opened(top)):
            front = next((f for f in ("\\b", "^") if part.startswith(f)), "")
            fronts[front].extend(opened(part[len(front) :]))
    searches = []
    for front, parts in fronts.items():
        plain = [part for part in parts if starts_plainly(part)]
        others = [part for part in parts if not starts_plainly(part)]
        if plain:
            letters = "".join(sorted({part[0] for part in plain}))
            searches.append(re.compile(f"{front}(?=[{letters}])(?:{by_first_character(plain)})", flags).search)
        if others:
            searches.append(re.compile(f"{front}(?:{by_first_character(others)})", flags).search)
    return tuple(searches)


def matches(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (a family of this module, or any pattern) matches somewhere in ``text``, found quickly."""
    searches = _QUICK.get(id(pattern))
    if searches is None:
        alternatives = _ALTERNATIVES.get(id(pattern))
        if alternatives is None:  # not a family: searched as it is
            return pattern.search(text) is not None
        searches = _QUICK[id(pattern)] = _quick_searches(alternatives, re.I)
    for search in searches:
        if search(text) is not None:
            return True
    return False


def _phrases(*alternatives: str, stems: tuple[str, ...] = (), openings: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the alternatives, and its gate (none if no stems or openings)."""
    pattern = re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)
    _ALTERNATIVES[id(pattern)] = alternatives
    for literal in (*stems, *openings):
        if not literal or literal != gate_key(literal) or "\0" in literal:
            raise ValueError(f"gate literal {literal!r} must be non-empty and lowercase")
    for opening in openings:
        if not _WORD_START.match(opening):
            raise ValueError(f"opening {opening!r} must start with a word character")
    if stems or openings:
        GATES[pattern] = Gate(stems, openings)
    return pattern


# A counted metered allowance: "3 free articles left", "{{numberArticlesLeft}} free articles".
METER = _phrases(
    r"(?:\b\d+|\{\{[^{}]{1,60}\}\}|\b(?:one|two|three|four|five))\s+(?:more\s+)?(?:free\s+)?(?:articles?|stor(?:y"
    r"|ies)|pieces|reads)\b"
    r"[^.!?]{0,40}\b(?:left|remaining|this month|per month)",
    r"\bfree (?:articles?|stor(?:y|ies)) (?:left|remaining)",
    r"\b(?:reached|used) (?:your|all (?:of )?your) (?:\w+ )?(?:free )?(?:articles?|stor(?:y|ies)|article limit|limit)",
    r"\b(?:last|final) free (?:article|story)",
    r"(?:\d+|\{\{[^{}]{1,60}\}\})\s+(?:von|of|de|di|van|sur)\s+\d+\s+(?:kostenlosen|freien|free|gratuits?"
    r"|gratuitos?|gratuiti|gratis)",
    r"\bnoch\s+(?:\d+|\{\{[^{}]{1,60}\}\}|einen?|zwei|drei)\s+(?:kostenlose|freie|gratis)",
    r"\bkostenlose[nr]? artikel",
    r"\barticles? (?:gratuits?|offerts?)\b",
    r"\bil vous reste\s+(?:\d+|\{\{[^{}]{1,60}\}\})\s+(?:articles?|contenus?|lectures?)\b",
    r"\b(?:te|le) quedan?\s+(?:\d+|\{\{[^{}]{1,60}\}\})\s+(?:artículos?|noticias?|contenidos?)\b",
    r"\b(?:artículos|noticias|contenidos) gratuitos",
    r"\bti (?:restano|resta)\s+(?:\d+|\{\{[^{}]{1,60}\}\})\s+(?:articoli|articolo|contenuti)\b",
    r"\barticoli gratuiti",
    r"\bartigos? gratuitos?",
    r"\bgratis artikel(?:en)?\b",
    r"\bje hebt nog\s+(?:\d+|\{\{[^{}]{1,60}\}\})\s+(?:gratis )?(?:artikel(?:en)?|verhalen)\b",
    stems=(
        *("left", "remaining", "this month", "per month", "reached", "used your", "used all", "free", "kostenlos"),
        *("freie", "gratui", "gratis", "offert", "vous reste", "e queda", "ti rest", "je hebt nog"),
    ),
)

# "Continue reading" behind a wall: the body stops here.
CONTINUE = _phrases(
    r"\bto (?:continue|keep) reading\b",
    r"\bcontinue reading (?:with|by)\b",
    r"\b(?:read|access) the (?:full|rest of the|whole) (?:article|story)",
    r"\bthe rest of (?:this|the) (?:article|story|post) is (?:for|available)",
    r"\b(?:sign|log) ?in to (?:continue|read|keep|access)",
    r"\((?:requires|required:?) (?:a |an )?(?:login|log-in|sign-in|account|registration)\)",
    r"\((?:login|log-in|sign-in|registration) required\)",
    r"\bum weiterzulesen\b",
    r"\bweiterlesen mit\b",
    r"\b(?:jetzt|direkt) weiterlesen\b",
    r"\blesen sie (?:jetzt )?weiter mit\b",
    r"\bden (?:ganzen|vollständigen|kompletten) artikel\b",
    r"\bpour (?:lire|continuer à lire) la suite\b",
    r"\bla suite (?:de cet article )?est réservée\b",
    r"\blire la suite de cet article\b",
    r"\bpara (?:seguir|continuar) leyendo\b",
    r"\bsigue leyendo con\b",
    r"\bper (?:continuare a leggere|leggere (?:tutto )?l'articolo)\b",
    r"\bcontinua a leggere\b",
    r"\bpara continuar (?:lendo|a ler)\b",
    r"\bcontinue lendo\b",
    r"\bom (?:verder|dit artikel) te lezen\b",
    r"\blees verder met\b",
    stems=(
        *("continue reading", "keep reading", "the full", "the rest of", "the whole", "in to ", "(require"),
        *(" required)", "weiter", "en artikel", "la suite", "leyendo", "leggere", "para continuar", "continue lendo"),
        *("te lezen", "lees verder"),
    ),
)

# The text is for subscribers only, or the reader is asked whether they already are one.
SUBSCRIBER_ONLY = _phrases(
    r"\b(?:exclusive|only|reserved) (?:for|to) (?:paid |our )?(?:subscribers|members|supporters)",
    r"\bsubscribers?[- ]only\b",
    r"\bsubscribers?[- ]exclusive\b|\bexclusi(?:vo|f) (?:para )?(?:suscriptores|abonnés)\b",
    r"\bfor (?:paid )?subscribers\b",
    r"\balready (?:a )?(?:subscriber|subscribed|a member)\b",
    r"^\W*already have an account\b",
    r"\b(?:nur |exklusiv )?für (?:abonnenten|abonnentinnen|abonnierende|mitglieder|unterstützer)",
    r"\b(?:bereits|schon) (?:abonnent|abonniert|mitglied)",
    r"\bréservée? aux (?:abonnés|membres)",
    r"\bdéjà abonnée?\b",
    r"\b(?:exclusivo|solo|sólo) para (?:suscriptores|socios|miembros)",
    r"\bya eres (?:suscriptor|socio|miembro)",
    r"\b(?:riservato|riservata|esclusivo|esclusiva) (?:agli|per gli) (?:abbonati|sostenitori|membri)",
    r"\bsei già (?:abbonato|abbonata|registrato)",
    r"\b(?:exclusivo|exclusiva) para assinantes",
    r"\bjá é assinante",
    r"\b(?:alleen|exclusief) voor (?:abonnees|leden)",
    r"\b(?:al|reeds) abonnee\b",
    r"\b(?:abo|plus|premium|z\+|f\+|sz plus)[- ]artikel\b",
    stems=(
        *("subscriber", "members", "supporters", "already", "mitglied", "unterstütze", "abonn", "réservé", "suscr"),
        *("socios", "miembros", "ya eres", "abbona", "sostenitori", "membri", "sei già", "assin", "voor leden"),
        "artikel",
    ),
)

# A free registration wall.
REGISTRATION = _phrases(
    r"\b(?:register|sign up) (?:for free |free )?to (?:continue|read|keep|access|unlock)",
    r"\bcreate (?:a|your) free account\b",
    r"\bfree (?:registration|account)\b",
    r"\bregister for free\b",
    r"\bkostenlos (?:registrieren|anmelden)\b",
    r"\b(?:jetzt )?(?:kostenlos|gratis) registrieren\b",
    r"\bregistrieren sie sich (?:kostenlos|jetzt)\b",
    r"\bcréez (?:votre|un) compte (?:gratuit|gratuitement)",
    r"\binscrivez-vous gratuitement\b",
    r"\bcompte gratuit\b",
    r"\bregístrate (?:gratis|gratuitamente)\b",
    r"\bregistro gratuito\b",
    r"\bregistrati gratuitamente\b",
    r"\bregistrazione gratuita\b",
    r"\bcadastre-se gratuitamente\b",
    r"\bgratis (?:registreren|account)\b",
    stems=("regist", "sign up", "free account", "free registration", "kostenlos", "gratui", "gratis", "regístrate"),
)

# Membership platforms and paid newsletters: posts for paying members.
MEMBERSHIP = _phrases(
    r"\bthis (?:post|article|story|episode) is for (?:paid subscribers|paying subscribers|(?:paid "
    r"|paying )?members|supporters)",
    r"\b(?:upgrade|switch) to (?:a )?paid\b",
    r"\bpaid (?:subscribers?|members?)\b(?! can)",
    r"\bbecome a (?:paid )?(?:member|supporter|patron)\b",
    r"^\W*(?:for )?members?[- ]only\W*$",
    r"\b(?:is|are) (?:for |reserved for |available to )?(?:paying )?members[- ]only\b",
    r"\b(?:for|to) (?:paying |paid )?members only\b",
    r"\bnur für (?:mitglieder|unterstützer|unterstützerinnen)",
    r"\bwerde (?:mitglied|unterstützer)",
    r"\b(?:riservato|riservata) ai (?:sostenitori|membri)",
    r"\bdiventa (?:sostenitore|membro)\b",
    # Supporter appeals of reader-funded sites.
    r"\b(?:support|fund) (?:our|independent|quality) journalism\b|\b(?:small )?monthly contribution\b",
    r"\bunterstützen sie (?:uns|unseren journalismus|unabhängigen journalismus)\b|\bmonatlichen beitrag\b",
    r"\bsoutenez(?:-nous| notre journalisme)\b|\bapóyanos\b|\bapoya (?:nuestro )?periodismo\b",
    r"\b(?:piccolo )?contributo mensile\b|\bsostienici\b|\bgrazie a chi (?:lo|ci) sostiene\b",
    r"\bapoie (?:o nosso )?jornalismo\b|\bsteun (?:ons|onze journalistiek)\b",
    stems=(
        *("is for ", "paid", "become a", "members only", "members-only", "member only", "member-only", "journalism"),
        *("monthly contribution", "mitglied", "unterstütze", "monatlichen beitrag", "riservat", "diventa "),
        *("soutenez", "apóyanos", "apoya ", "contributo mensile", "sostienici", "grazie a chi", "apoie ", "steun on"),
    ),
)

# Offers: prices per period, trials, unlimited access.
OFFER = _phrases(
    r"\bunlimited (?:digital )?access\b",
    r"\bpremium (?:\w+ )?(?:services?|membership|subscriptions?|access|content|plans?|offers?)\b",
    r"\b(?:free|\d+[- ]day|\d+[- ]month) trial\b",
    r"\bstart (?:your )?(?:free )?trial\b",
    r"\bcancel (?:at )?any ?time\b",
    r"(?:[$€£]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:[$€£]|eur|euro))\s*(?:/|per |a |pro |par |al |por |il )?\s*"
    r"(?:month|week|year|monat|woche|jahr|mois|semaine|an|mes|semana|año|mese|settimana|anno|mês|ano|maand|jaar)\b",
    r"\b(?:first|1st) (?:month|year)\b",
    r"\bprobemonat\b|\bprobeabo\b|\bjederzeit kündbar\b|\bmonatlich kündbar\b|\bim ersten monat\b",
    r"\bsans engagement\b|\bpremier mois\b|\bpremière année\b|\bessai gratuit\b",
    r"\bprimer mes\b|\bsin permanencia\b|\bprueba gratuita\b",
    r"\bprimo mese\b|\bdisdici quando vuoi\b|\bprova gratuita\b",
    r"\bprimeiro mês\b|\bteste grátis\b",
    r"\beerste maand\b|\bmaandelijks opzegbaar\b|\bproefabonnement\b",
    stems=(
        *("unlimited", "premium ", "premier mois", "première année", "trial", "cancel", "$", "€", "£", "eur"),
        *("st month", "st year", "probe", "kündbar", "ersten monat", "sans engagement", "gratui", "primer mes"),
        *("primo mese", "primeiro mês", "permanencia", "disdici", "grátis", "maand", "proef"),
    ),
)

# The act of subscribing itself, in each language.
SUBSCRIBE = _phrases(
    r"\bsubscri(?:be|ption|bers?)\b",
    r"\babo(?:nnieren|nnement|nnent|s)?\b|\bjetzt abonnieren\b",
    r"\babonn(?:ez|er|ement|é|ée|és)\b",
    r"\bsuscr(?:íbete|ibirse|ibirte|ipción|iptor|iptores)\b",
    r"\babbona(?:ti|mento|rsi|to)\b",
    r"\bassin(?:e|atura|ante|antes)\b",
    r"\babonne(?:er|ment|e|es)\b|\bword abonnee\b",
    stems=("subscri", "abo", "suscr", "abbona", "assin"),
)

# Consent for cookies and tracking. A bare "cookie" is not enough: recipes have cookies too.
COOKIE = _phrases(
    r"\bcookies? ?(?:policy|settings|preferences|notice|statement|consent|choices|banner|richtlinie"
    r"|einstellungen|hinweis"
    r"|erklärung|-?richtlinie)\b",
    r"\b(?:uses?|use of|we use|using|utilise|utilisons|utilizamos|utiliza|utilizza|usiamo|usa|verwendet|verwenden|nutzt"
    r"|nutzen|setzt|setzen|gebruikt|gebruiken)\b[^.]{0,60}\bcookies?\b",
    r"\bcookies?\b[^.]{0,80}\b(?:accept|consent|agree|zustimm|einverstanden|einwillig|accepter|acceptez|consentement"
    r"|aceptar|acepta|consentimiento|accetta|accettare|consenso|aceitar|aceita|consentimento|accepteren"
    r"|akkoord|toestemming)",
    r"\b(?:cookie|consent) (?:settings|preferences|choices|manager)\b",
    r"\b(?:accept|reject|refuse|allow|deny) all(?: cookies)?\b",
    # The categories of a consent dialog: "Strictly necessary cookies", "Advertising Cookies".
    r"^\W*(?:strictly necessary|necessary|essential|technical|functional|functionality|performance|analytics?"
    r"|analytical|statistics?|statistical|marketing|advertising|targeting|preferences?|social media|third[- ]party)"
    r"\s+cookies\W*$",
    r"\bmanage (?:cookies|preferences|options|settings|choices|consent)\b",
    r"^\W*privacy (?:settings|preferences|choices|center|centre|manager)\W*$",
    r"\beinwilligung\b|\balle (?:akzeptieren|ablehnen)\b|\bdatenschutzeinstellungen\b",
    r"\bconsentement\b|\btout (?:accepter|refuser)\b|\bparamétrer les cookies\b",
    r"\bconsentimiento\b|\b(?:aceptar|rechazar) (?:todas|todo|cookies)\b",
    r"\bconsenso\b|\b(?:accetta|rifiuta) (?:tutti|tutto|cookie)\b",
    r"\bconsentimento\b|\b(?:aceitar|rejeitar) (?:todos|tudo|cookies)\b",
    r"\btoestemming\b|\balles (?:accepteren|weigeren)\b",
    stems=(
        *("cookie", "consen", "accept all", "reject all", "refuse all", "allow all", "deny all", "manage "),
        *("einwilligung", "alle akzeptieren", "alle ablehnen", "datenschutzeinstellungen", "tout accepter"),
        *("tout refuser", "aceptar", "rechazar", "accetta", "rifiuta", "aceitar", "rejeitar", "toestemming"),
        *("alles accepteren", "alles weigeren"),
    ),
    openings=("privacy ",),
)

# Account links: "Sign in", "Anmelden", "Se connecter". Chrome when they stand alone as links or buttons.
ACCOUNT = _phrases(
    r"^\W*(?:sign ?in|log ?in|sign ?up|register|create (?:an |your )?account|my account|premium login|join now)\b",
    r"^\W*(?:anmelden|einloggen|registrieren|mein konto|se connecter|connexion|s'inscrire|mon compte)\b",
    r"^\W*(?:iniciar sesión|inicia sesión|acceder|entrar|regístrate|mi cuenta|accedi|registrati|il mio account)\b",
    r"^\W*(?:inloggen|registreren|mijn account|minha conta|cadastre-se)\b",
    openings=(
        *("sign", "log", "regist", "create ", "my account", "premium login", "join now", "anmelden", "einloggen"),
        *("mein konto", "se connecter", "connexion", "s'inscrire", "mon compte", "inicia", "acced", "entrar"),
        *("regístrate", "mi cuenta", "il mio account", "inloggen", "mijn account", "minha conta", "cadastre-se"),
    ),
)

# Loyalty-programme prompts on shop pages: points a purchase earns, rewards to unlock, a club to join.
LOYALTY = _phrases(
    r"\b(?:purchasing|buying|ordering) this (?:product|item) (?:earns|gets) (?:you )?\d+",
    r"\bearn \d+ (?:reward )?(?:points|xp)\b (?:with|on|for) (?:this|your) (?:purchase|order)\b",
    r"\bunlock (?:access to )?exclusive (?:rewards|perks|member benefits)\b",
    r"\bjoin (?:our )?(?:rewards|loyalty) (?:program|programme|club)\b",
    stems=(
        *("purchasing this", "buying this", "ordering this", "this purchase", "this order", "your purchase"),
        *("your order", "exclusive rewards", "exclusive perks", "exclusive member benefits", "rewards program"),
        *("rewards club", "loyalty program", "loyalty club"),
    ),
)

# A label that marks advertising: "Advertisement", "Anzeige", "Contenido patrocinado".
AD_LABEL = _phrases(
    r"^\W*(?:advertisement|ad|ads|sponsored|promoted|paid (?:post|content|partnership)|partner content)\W*$",
    r"^\W*(?:advertisement|sponsored|promoted|paid post)\s*[:|·-]",
    r"^\W*sponsored (?:content|by|post|story|links?)\b",
    r"^\W*(?:anzeige|werbung|gesponsert)\W*$|\bgesponserter (?:inhalt|beitrag)\b",
    r"^\W*(?:publicité|sponsorisé)\W*$|\bcontenu sponsorisé\b",
    r"^\W*(?:publicidad|patrocinado)\W*$|\bcontenido patrocinado\b",
    r"^\W*(?:pubblicità|sponsorizzato)\W*$|\bcontenuto sponsorizzato\b",
    r"^\W*(?:publicidade|patrocinado)\W*$|\bconteúdo patrocinado\b",
    r"^\W*(?:advertentie|gesponsord)\W*$|\bgesponsorde (?:inhoud|content)\b",
    # A label word opening a short ad: "Publicidade Férias na ria com 20% de desconto".
    r"^\W*(?:advertisement|anzeige|werbung|publicité|publicidad|pubblicità|publicidade|advertentie)\s+(?-i:[A-ZÀ-Ý0-9])",
    r"^\W*(?:contenu partenaire|partnerinhalt|contenido (?:de )?(?:socio|partner)|contenuto (?:del )?partner"
    r"|conteúdo (?:de )?parceiro|partnercontent)\W*$",
    stems=("gespons", "sponsori", "patrocinado"),
    openings=(
        *("ad", "sponso", "promoted", "paid ", "partner", "anzeige", "werbung", "gespons", "publici", "patrocinado"),
        *("pubblicit", "conten", "conteúdo"),
    ),
)

# A call to sign up for a newsletter: never article text, so it settles the block as chrome.
NEWSLETTER_CALL = _phrases(
    r"^\W*sign up (?:for|to get|to receive) (?:the|our) (?:latest|best|weekly|daily|monthly)\b",
    r"^\W*(?:sign up|subscribe|register) (?:for|to) (?:our|the|my) (?:\w+ ){0,3}(?:newsletters?|e-?mails?|briefing)\b",
    r"\b(?:e-?mail|newsletter|inbox)\b.{0,200}\b(?:subscribe|sign up|register|join)"
    r"(?: here| now| today| for free)?\W*$",
    r"^\W*(?:melden sie sich|abonnieren sie) (?:jetzt )?(?:für )?(?:unseren|den) newsletter",
    r"^\W*(?:inscrivez-vous|abonnez-vous) à (?:notre|la) newsletter",
    r"^\W*(?:suscríbete|regístrate) (?:a|en) (?:nuestro|el) (?:boletín|newsletter)",
    r"^\W*(?:iscriviti|abbonati) alla (?:nostra )?newsletter",
    r"^\W*(?:inscreva-se|assine) (?:na|a) (?:nossa )?newsletter",
    r"^\W*meld je aan voor (?:onze|de) (?:gratis )?nieuwsbrief",
    stems=("sign up", "newsletter", "mail", "briefing", "inbox", "boletín", "nieuwsbrief"),
)

NEWSLETTER = _phrases(
    r"\bnewsletters?\b",
    r"\bsign up for (?:our|the)\b",
    r"\b(?:get|receive) (?:our|the) (?:latest|best|top)\b[^.]{0,40}\b(?:inbox|email)",
    r"\bin your inbox\b|\bdelivered to your inbox\b",
    r"\bin ihr(?:em)? postfach\b|\bnieuwsbrief\b|\bboletín\b|\binscreva-se\b",
    stems=("newsletter", "sign up", "inbox", "mail", "postfach", "nieuwsbrief", "boletín", "inscreva-se"),
)

SOCIAL = _phrases(
    r"^\W*(?:share|teilen|partager|compartir|condividi|partilhar|delen|tweet|follow us|folgen sie uns"
    r"|suivez-nous|síguenos|seguici|siga-nos|volg ons)\b",
    r"^(?:\W*(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|email|e-mail|mail|correo|courriel|posta"
    r"|telegram|threads|bluesky|xing|flipboard|copy link|copiar enlace|copier le lien|link kopieren|print"
    r"|drucken|imprimir)\W*){2,}$",
    openings=(
        *("share", "teilen", "partager", "compartir", "condividi", "partilhar", "delen", "tweet", "follow us"),
        *("folgen sie uns", "suivez-nous", "síguenos", "seguici", "siga-nos", "volg ons", "facebook", "twitter", "x"),
        *("linkedin", "whatsapp", "pinterest", "reddit", "email", "e-mail", "mail", "correo", "courriel", "posta"),
        *("telegram", "threads", "bluesky", "flipboard", "copy link", "copiar enlace", "copier le lien"),
        *("link kopieren", "print", "drucken", "imprimir"),
    ),
)

RELATED = _phrases(
    r"^\W*(?:related|more from|more on|read more|read next|most (?:read|popular|viewed)|recommended"
    r"|you may also like|trending)\b",
    r"^\W*(?:das könnte sie auch interessieren|meistgelesen|mehr zum thema|lesen sie auch|auch interessant)\b",
    r"^\W*(?:à lire aussi|lire aussi|les plus lus|sur le même sujet|vous aimerez aussi)\b",
    r"^\W*(?:te puede interesar|lo más leído|más noticias|relacionad[oa]s|también te puede)\b",
    r"^\W*(?:potrebbe interessarti|i più letti|leggi anche|articoli correlati)\b",
    r"^\W*(?:leia também|mais lidas|relacionad[oa]s|veja também)\b",
    r"^\W*(?:lees ook|meest gelezen|gerelateerd)\b",
    openings=(
        *("related", "more from", "more on", "read more", "read next", "most ", "recommended", "you may also like"),
        *("trending", "das könnte sie auch interessieren", "meistgelesen", "mehr zum thema", "lesen sie auch"),
        *("auch interessant", "à lire aussi", "lire aussi", "les plus lus", "sur le même sujet", "vous aimerez aussi"),
        *("te puede interesar", "lo más leído", "más noticias", "relacionad", "también te puede"),
        *("potrebbe interessarti", "i più letti", "leggi anche", "articoli correlati", "leia também", "mais lidas"),
        *("veja também", "lees ook", "meest gelezen", "gerelateerd"),
    ),
)

# Words that mark a text as being about paywalls, accounts or consent; the evaluation flags leaked
# snippets that contain them. Broad on purpose: it is a check on the output, not a classifier.
PAYWALL_OR_CONSENT = _phrases(
    r"\bsubscri(?:be|bed|ber|bers|bing|ption|ptions)\b",
    r"\bfree (?:articles?|stories)\b",
    r"\b(?:sign|log) ?(?:in|up)\b",
    r"\bregist(?:er|ration)\b",
    r"\bpremium\b|\bunlock\b|\btrial\b|\bpaywall\b",
    r"\bcookies?\b|\bconsent\b|\bgdpr\b",
    r"\babonn|\bsuscri|\babbona|\bassinante|\bregistrieren\b|\banmelden\b|\beinwilligung\b",
)

# Class/id tokens naming a kind of chrome. A pattern must match a whole token
# or a part of it between "-", "_" or digits, so "ad" finds "ad-slot" but not "header".
KIND_CLASS_PATTERNS: dict[str, str] = {
    "cookie": r"cookies?|consent|gdpr|cmp|onetrust|ot-sdk\w*|didomi\w*|usercentrics|uc|cookiebot|cybot\w*|qc-cmp\w*"
    r"|sp_message\w*|truste|osano|iubenda|borlabs|klaro|quantcast|cc-window|cc-banner|cookielaw",
    "paywall": r"paywall\w*|pay-wall|piano|tp|tp-modal|tp-container|tinypass|poool|zephr|pelcro|laterpay"
    r"|regwall|reg-wall"
    r"|metered|meter|paywalled|subscriber-only|premium-wall|upsell|gh-post-upgrade-cta|steady\w*|offer-wall|plus-teaser"
    r"|subscription-widget|subscribe-prompt|subscribe-wall",
    "advertisement": r"ads?|advert\w*|adslot|ad-slot|adunit|ad-unit|adsbygoogle|dfp|gpt-ad|sponsor\w*|promoted"
    r"|native-ad"
    r"|taboola\w*|outbrain\w*|commercial|anzeige|publicite|banner-ad|ad-container|ad-wrapper|app-promo|app-banner",
    "newsletter": r"newsletter\w*|signup|sign-up|mailchimp|mc-embed\w*|optin|opt-in|email-capture|subscribe-form",
    "social": r"share\w*|sharing|social\w*|follow|addthis|sharethis|sharebar",
    "related": r"related\w*|recommend\w*|more-stories|most-read|mostread|popular|trending|read-next|readnext|also-read",
    "comments": r"comments?|commentlist|comment-list|discussion|disqus|replies",
    "navigation": r"nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|toc",
    "footer": r"footer|colophon|legal|copyright|site-info",
    "header": r"header|masthead|topbar|branding|site-header",
}


def _naming(kinds: Sequence[str]) -> re.Pattern[str]:
    """A part of a token that names one of the kinds; the group that matched is named ``k<index>_<n>``.

    The words of all the kinds are grouped under their first letter: ``re``
    tries an alternation's words one by one at every boundary, and grouped,
    passes most of them over at once.
    """
    by_head: dict[str, dict[int, list[str]]] = {}
    for i, kind in enumerate(kinds):
        pattern = KIND_CLASS_PATTERNS[kind]
        for word in pattern.split("|") if "(" not in pattern else [f"(?:{pattern})"]:
            plain = word[:1].isalnum() and word[1:2] not in ("?", "*", "+", "{")
            by_head.setdefault(word[0] if plain else "", {}).setdefault(i, []).append(word[1:] if plain else word)
    alternation = "|".join(
        head + "(?:" + "|".join(f"(?P<k{i}_{n}>{'|'.join(tails)})" for i, tails in by_kind.items()) + ")"
        for n, (head, by_kind) in enumerate(by_head.items())
    )
    return re.compile(rf"(?:^|[-_\d])(?:{alternation})(?:$|[-_\d])")


_KINDS = list(KIND_CLASS_PATTERNS)
_KINDS_BEFORE = [_naming(_KINDS[:n]) for n in range(len(_KINDS) + 1)]  # [n]: any of the first n kinds


@lru_cache(maxsize=1 << 16)
def token_kind(token: str) -> str | None:
    """The kind of chrome one class/id token names, or None; of several, the first in KIND_CLASS_PATTERNS.

    A search over all kinds finds one that the token names; a search over the
    kinds before it, another; and so on until none comes before.
    """
    kind, n = None, len(_KINDS)
    while n:
        match = _KINDS_BEFORE[n].search(token)
        if match is None:
            break
        n = int(match.lastgroup[1:].partition("_")[0])
        kind = _KINDS[n]
    return kind


@lru_cache(maxsize=1 << 14)
def class_kind(tokens: str) -> str | None:
    """The kind named by a string of class/id tokens, the last (innermost) match winning; cached: pages repeat them.

    An ASCII string (nearly every one) is read by the compiled scan where it is built; any other by the
    patterns themselves.
    """
    if _CLASS_SCANNER is not None and tokens.isascii():
        found = _CLASS_SCANNER.of(tokens)
        return None if found < 0 else _KINDS[found]
    return _python_class_kind(tokens)


def _python_class_kind(tokens: str) -> str | None:
    """:func:`class_kind` by the patterns, token by token: the reference for the compiled scan."""
    for token in reversed(tokens.split()):
        kind = token_kind(token)
        if kind is not None:
            return kind
    return None


def innermost_class_kind(classes: str, tags: str, passed_over: frozenset[str]) -> str | None:
    """The kind the innermost element names, of elements given outermost first.

    ``classes`` holds their class/id strings joined by " | ", ``tags`` their tags joined by spaces; the
    two are paired from the innermost element, and elements whose tag is in ``passed_over`` are left out.
    """
    if _CLASS_SCANNER is not None and classes.isascii() and tags.isascii():
        found = _CLASS_SCANNER.of_innermost(classes, tags, _as_bytes(passed_over))
        return None if found < 0 else _KINDS[found]
    return _python_innermost_class_kind(classes, tags, passed_over)


def _python_innermost_class_kind(classes: str, tags: str, passed_over: frozenset[str]) -> str | None:
    """:func:`innermost_class_kind` by the patterns: the reference for the compiled scan."""
    for tokens, tag in zip(reversed(classes.split(" | ")), reversed(tags.split()), strict=False):
        if tokens and tag not in passed_over:
            kind = _python_class_kind(tokens)
            if kind is not None:
                return kind
    return None


@lru_cache(maxsize=16)
def _as_bytes(tags: frozenset[str]) -> tuple[bytes, ...]:
    return tuple(tag.encode("utf-8") for tag in tags)


_EXACT, _OPTIONAL_LAST, _WORD_RUN = range(3)  # how a class literal may end, as the compiled scan reads it


def _class_literals() -> list[tuple[str, int, int]] | None:
    """Each alternative of the class patterns as (literal, how it may end, kind index), for the compiled scan.

    An alternative is a plain ASCII word, a word whose last character may be left out (``cookies?``), or a
    word followed by any word characters (``didomi\\w*``); None if some alternative is anything else, and
    then the patterns read every string.
    """
    literals = []
    for index, pattern in enumerate(KIND_CLASS_PATTERNS.values()):
        for alternative in split_alternatives(pattern):
            word, form = alternative, _EXACT
            if alternative.endswith("\\w*"):
                word, form = alternative[:-3], _WORD_RUN
            elif alternative.endswith("?"):
                word, form = alternative[:-1], _OPTIONAL_LAST
            if not re.fullmatch(r"[a-z0-9_-]+", word) or (form == _OPTIONAL_LAST and len(word) < 2):
                return None
            literals.append((word, form, index))
    return literals


# What the families say, in the order text_kind asks them: the first that matches names the kind, and says
# whether it names it unmistakably.
_SAYS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (COOKIE, "cookie", True),
    (METER, "paywall", True),
    (CONTINUE, "paywall", True),
    (SUBSCRIBER_ONLY, "paywall", True),
    (MEMBERSHIP, "paywall", True),
    (REGISTRATION, "paywall", True),
    (AD_LABEL, "advertisement", True),
    (LOYALTY, "advertisement", True),
    (NEWSLETTER_CALL, "newsletter", True),
    (NEWSLETTER, "newsletter", False),
    (OFFER, "paywall", False),
    (SUBSCRIBE, "paywall", False),
    (SOCIAL, "social", False),
    (RELATED, "related", False),
)


# Each family has a bit, set in a text's mask when the family's pattern may match it (hashing a compiled
# pattern is slow, so the hot loop tests bits). Ungated families' bits are always set.
_BIT = {pattern: 1 << i for i, pattern in enumerate(dict.fromkeys([*GATES, *(p for p, _, _ in _SAYS)]))}
_ALWAYS = sum(bit for pattern, bit in _BIT.items() if pattern not in GATES)
_SAYS_BITS = tuple((pattern, _BIT[pattern], kind, unmistakable) for pattern, kind, unmistakable in _SAYS)
_SAYING = sum({_BIT[pattern] for pattern, _, _ in _SAYS})
_BIT_OF = {id(pattern): _BIT[pattern] for pattern in GATES}


def _index(literals: str) -> dict[str, int]:
    """Each stem (or opening) of the gates, with the bits of the families whose gate it opens."""
    index: dict[str, int] = {}
    for pattern, gate in GATES.items():
        for literal in getattr(gate, literals):
            index[literal] = index.get(literal, 0) | _BIT[pattern]
    return index


def _by_first_character(index: dict[str, int]) -> dict[str, dict[str, int]]:
    """The openings under their first character, so that a text is held against the few that could open it."""
    heads: dict[str, dict[str, int]] = {}
    for opening, bits in index.items():
        heads.setdefault(opening[0], {})[opening] = bits
    return heads


_STEMS = _index("stems")
_OPENING_BITS = _index("openings")
_OPENINGS = _by_first_character(_OPENING_BITS)
_OPENING_TUPLES = {head: tuple(openings) for head, openings in _OPENINGS.items()}


def _lead(key: str) -> int:
    """Where a key's words start: past the characters that are no word characters."""
    return 0 if key[:1].isalnum() else _LEAD.match(key).end()


def _open_gates(texts: Sequence[str]) -> list[int]:
    """For each text, the bits of the families whose pattern may match it: those whose gate opens, and the ungated."""
    keys = [gate_key(text) for text in texts]
    if _SCANNER is not None:
        try:
            return _SCANNER.masks(keys, _ALWAYS)
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: the Python scan reads it
            pass
    return _python_gates(keys)


def _python_gates(keys: list[str]) -> list[int]:
    """:func:`_open_gates` of the texts' keys, in Python: the reference for the compiled scan.

    Stems are looked for in all the keys together, one ``str.find`` scan of
    their keys joined per stem: far cheaper than a scan per stem and text.
    """
    masks = [_ALWAYS] * len(keys)
    for i, key in enumerate(keys):
        lead = _lead(key)
        head = key[lead : lead + 1]
        if head in _OPENINGS and key.startswith(_OPENING_TUPLES[head], lead):
            for opening, bits in _OPENINGS[head].items():
                if key.startswith(opening, lead):
                    masks[i] |= bits
    starts = list(accumulate((len(key) + 1 for key in keys), initial=0))
    haystack = "\0".join(keys)
    for stem, bits in _STEMS.items():
        at = haystack.find(stem)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            masks[i] |= bits
            at = haystack.find(stem, starts[i + 1])  # on to the next text
    return masks


try:  # the compiled scans, where the package was built with them: the same masks (in 64 bits) and kinds
    from ._gates import ClassKinds, GateScanner

    _SCANNER = GateScanner(_STEMS, _OPENING_BITS, _lead) if max(_BIT.values()) < 1 << 63 else None
    _CLASS_SCANNER = ClassKinds(_literals, -1) if (_literals := _class_literals()) is not None else None
except ImportError:
    _SCANNER = _CLASS_SCANNER = None


def gates_open(texts: Sequence[str]) -> dict[re.Pattern[str], list[bool]]:
    """For each gated family, whether each text gets through its gate, found as :func:`text_kinds` finds it."""
    masks = _open_gates(texts)
    return {pattern: [bool(mask & _BIT[pattern]) for mask in masks] for pattern in GATES}


def text_kinds(texts: Sequence[str]) -> list[tuple[str | None, bool]]:
    """:func:`text_kind` of each text; pass a page's texts together, so that the gates scan them together."""
    return [says for says, _ in read_texts(texts)]


def read_texts(
    texts: Sequence[str], *patterns: re.Pattern[str]
) -> list[tuple[tuple[str | None, bool], tuple[bool, ...]]]:
    """For each text, its :func:`text_kind` and whether each of ``patterns`` matches it: one gate scan serves both."""
    # By id: hashing a compiled pattern is slow. An ungated pattern has every bit, and so is always searched.
    bits = [_BIT_OF.get(id(pattern), -1) for pattern in patterns]
    any_bit = sum(bits) if -1 not in bits else -1
    nothing = (False,) * len(patterns)
    unique = list(dict.fromkeys(texts))  # a page repeats its "Share" and "Read more"
    read = {}
    for text, mask in zip(unique, _open_gates(unique), strict=True):
        says = _said(text, mask) if mask & _SAYING else (None, False)
        found = nothing
        if any_bit == -1 or mask & any_bit:
            found = tuple(
                (bit == -1 or bool(mask & bit)) and matches(pattern, text)
                for pattern, bit in zip(patterns, bits, strict=True)
            )
        read[text] = (says, found)
    return [read[text] for text in texts]


def _said(text: str, mask: int) -> tuple[str | None, bool]:
    """What the first family that may match the text (by ``mask``) and does match it says."""
    for pattern, bit, kind, unmistakable in _SAYS_BITS:
        if mask & bit and matches(pattern, text):
            return kind, unmistakable
    return None, False


def text_kind(text: str) -> tuple[str | None, bool]:
    """The kind of chrome a short text's own words say it is, and whether they say it unmistakably.

    Meter counts, "to continue reading", "already a subscriber?", consent
    requests, advertising labels and calls to sign up for a newsletter are unmistakable; "subscription", a price
    per month or "free trial" also describe products, so they name the kind
    without settling it. A page's texts are read faster together, with :func:`text_kinds`.
    """
    return text_kinds([text])[0]
