"""Unrendered client-side template syntax, in text and in attributes.

A page that shows ``{{numberArticlesLeft}}`` was captured before its scripts
filled the blanks in; such text is almost always a widget (a meter, a login
box, a price), not the article. The syntaxes covered are Mustache/Handlebars
and Angular/Vue ``{{ x }}``, Jinja/Liquid/Django ``{% x %}``, ERB/JSP/ASP
``<%= x %>``, ``${x}``, ``[[x]]``, ``<<x>>`` and ``%%x%%``, plus elements
whose text is bound by ``v-text``/``v-html``/``ng-bind``/``x-text``.

Prose and code samples use braces too, so a token must look like an
expression (a name, a path, a filter, a call) and not like a sentence; and
text inside ``<pre>``/``<code>`` is a code sample, which a documentation page
shows on purpose, so callers skip it (:func:`in_code`).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["TEMPLATE_TOKEN", "BOUND_TEXT_ATTRIBUTES", "find_tokens", "in_code", "bound_attribute"]

# An expression: names, dots, brackets, pipes, calls, quotes, operators; not a sentence of many words.
_EXPR = r"[\w$@#.\-|:()\[\]'\" ,+*/<>=!?&]{1,80}"
TEMPLATE_TOKEN = re.compile(
    rf"\{{\{{\{{?\s*[#/^>&!]?\s*{_EXPR}?\}}\}}\}}?"  # {{x}}, {{{x}}}, {{#if x}}
    rf"|\{{%-?\s*\w+{_EXPR}?%\}}"  # {% if x %}
    rf"|<%[=\-#]?\s*{_EXPR}%>"  # <%= x %>
    r"|\$\{[\w.\[\]'\"()]{1,60}\}"  # ${x}
    r"|\[\[\s*[\w.\-:]{1,60}\s*\]\]"  # [[x]]
    r"|<<\s*[\w.\-:]{1,60}\s*>>"  # <<x>>
    r"|%%[\w.\-:]{1,60}%%"  # %%x%%
)

# Attributes whose value an unrendered framework would have turned into the element's text.
BOUND_TEXT_ATTRIBUTES = frozenset(
    {"v-text", "v-html", "ng-bind", "ng-bind-html", "data-ng-bind", "data-ng-bind-html", "x-text", "x-html", "th:text"}
)
_CODE_TAGS = frozenset({"pre", "code", "kbd", "samp", "tt", "var", "textarea"})


# Every token holds one of these characters, so a text without any holds none: the quick test of
# find_tokens, which the compiled passes make too before they call it.
TOKEN_HINTS = ("{", "<", "[", "%")


def find_tokens(text: str) -> list[str]:
    """The template tokens in ``text``, in order."""
    if "{" not in text and "<" not in text and "[" not in text and "%" not in text:  # TOKEN_HINTS
        return []
    return [m.group(0) for m in TEMPLATE_TOKEN.finditer(text) if not _is_prose(m.group(0))]


def _is_prose(token: str) -> bool:
    """A braced run of several plain words ("{{ see the note below }}") is prose, not an expression."""
    inner = token.strip("{}%<>=$[]#/^!&- ")
    words = inner.split()
    return len(words) > 4 and not any(c in inner for c in ".|()[]=:'\"")


@lru_cache(maxsize=1 << 12)
def in_code(tag: str, ancestor_tags: str) -> bool:
    """Whether a block sits in a code sample, where template syntax is content; cached, as a page's blocks share it."""
    return tag in _CODE_TAGS or not _CODE_TAGS.isdisjoint(ancestor_tags.split())


def bound_attribute(name: str, value: str) -> str | None:
    """The template an attribute stands for: its value as a ``{{...}}`` token when it binds text, or a token in it."""
    if name.lower() in BOUND_TEXT_ATTRIBUTES and value.strip():
        return "{{" + value.strip() + "}}"
    if find_tokens(value):
        return value
    return None
