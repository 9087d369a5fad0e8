"""Words that name kinds of chrome, in page text and in class/id attributes.

Paywall prompts, consent dialogs and sponsored labels are written in a small,
stable vocabulary ("already a subscriber?", "Alle akzeptieren", "Publicidad"),
and their containers carry the names of the vendors that render them
(``tp-modal``, ``didomi-popup``, ``adslot``). This module holds those
vocabularies for English, German, French, Spanish, Italian, Portuguese and
Dutch, as compiled patterns that the features, the kind rules and the
paywall verdict share.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    "class_kind",
    "text_kind",
]


def _phrases(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


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
)

# Account links: "Sign in", "Anmelden", "Se connecter". Chrome when they stand alone as links or buttons.
ACCOUNT = _phrases(
    r"^\W*(?:sign ?in|log ?in|sign ?up|register|create (?:an |your )?account|my account|premium login|join now)\b",
    r"^\W*(?:anmelden|einloggen|registrieren|mein konto|se connecter|connexion|s'inscrire|mon compte)\b",
    r"^\W*(?:iniciar sesión|inicia sesión|acceder|entrar|regístrate|mi cuenta|accedi|registrati|il mio account)\b",
    r"^\W*(?:inloggen|registreren|mijn account|minha conta|cadastre-se)\b",
)

# Loyalty-programme prompts on shop pages: points a purchase earns, rewards to unlock, a club to join.
LOYALTY = _phrases(
    r"\b(?:purchasing|buying|ordering) this (?:product|item) (?:earns|gets) (?:you )?\d+",
    r"\bearn \d+ (?:reward )?(?:points|xp)\b (?:with|on|for) (?:this|your) (?:purchase|order)\b",
    r"\bunlock (?:access to )?exclusive (?:rewards|perks|member benefits)\b",
    r"\bjoin (?:our )?(?:rewards|loyalty) (?:program|programme|club)\b",
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
)

NEWSLETTER = _phrases(
    r"\bnewsletters?\b",
    r"\bsign up for (?:our|the)\b",
    r"\b(?:get|receive) (?:our|the) (?:latest|best|top)\b[^.]{0,40}\b(?:inbox|email)",
    r"\bin your inbox\b|\bdelivered to your inbox\b",
    r"\bin ihr(?:em)? postfach\b|\bnieuwsbrief\b|\bboletín\b|\binscreva-se\b",
)

SOCIAL = _phrases(
    r"^\W*(?:share|teilen|partager|compartir|condividi|partilhar|delen|tweet|follow us|folgen sie uns"
    r"|suivez-nous|síguenos|seguici|siga-nos|volg ons)\b",
    r"^(?:\W*(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|email|e-mail|mail|correo|courriel|posta"
    r"|telegram|threads|bluesky|xing|flipboard|copy link|copiar enlace|copier le lien|link kopieren|print"
    r"|drucken|imprimir)\W*){2,}$",
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
_KIND_CLASS_RE = {
    kind: re.compile(rf"(?:^|[-_\d])(?:{pattern})(?:$|[-_\d])") for kind, pattern in KIND_CLASS_PATTERNS.items()
}


@lru_cache(maxsize=1 << 16)
def token_kind(token: str) -> str | None:
    """The kind of chrome one class/id token names, or None."""
    for kind, pattern in _KIND_CLASS_RE.items():
        if pattern.search(token):
            return kind
    return None


def class_kind(tokens: str) -> str | None:
    """The kind named by a string of class/id tokens, the last (innermost) match winning."""
    for token in reversed(tokens.split()):
        kind = token_kind(token)
        if kind is not None:
            return kind
    return None


def text_kind(text: str) -> tuple[str | None, bool]:
    """The kind of chrome a short text's own words say it is, and whether they say it unmistakably.

    Meter counts, "to continue reading", "already a subscriber?", consent
    requests, advertising labels and calls to sign up for a newsletter are unmistakable; "subscription", a price
    per month or "free trial" also describe products, so they name the kind
    without settling it.
    """
    if COOKIE.search(text):
        return "cookie", True
    if METER.search(text) or CONTINUE.search(text) or SUBSCRIBER_ONLY.search(text) or MEMBERSHIP.search(text):
        return "paywall", True
    if REGISTRATION.search(text):
        return "paywall", True
    if AD_LABEL.search(text) or LOYALTY.search(text):
        return "advertisement", True
    if NEWSLETTER_CALL.search(text):
        return "newsletter", True
    if NEWSLETTER.search(text):
        return "newsletter", False
    if OFFER.search(text) or SUBSCRIBE.search(text):
        return "paywall", False
    if SOCIAL.search(text):
        return "social", False
    if RELATED.search(text):
        return "related", False
    return None, False
