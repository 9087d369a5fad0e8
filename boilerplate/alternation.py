"""The top-level alternatives of a regular expression, so that a long alternation can be regrouped.

Python's regex engine tries an alternation's alternatives one by one at
every position of a text. The features' class vocabulary and the lexicon's
phrase families are long alternations; regrouped (by first letter, or under
one shared word boundary) they match the same texts in a fraction of the
time. Both regroup the alternatives this module finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["alternatives", "by_first_character", "opened", "starts_plainly"]


def _outside(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each character outside escapes and character classes, where it is, and the group depth after it."""
    depth = 0
    in_class = escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        else:
            in_class = ch == "["
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth


def alternatives(pattern: str) -> list[str]:
    """A regex's top-level alternatives: split at each ``|`` outside groups, character classes and escapes."""
    cuts = [i for i, ch, depth in _outside(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _group_end(pattern: str) -> int:
    """Where the group that opens the pattern closes (the index of its ``)``); -1 if it never does."""
    return next((i for i, ch, depth in _outside(pattern) if ch == ")" and depth == 0), -1)


def opened(part: str) -> list[str]:
    """The part with a leading non-capturing group multiplied out: ``(?:a|b)c`` gives ``ac`` and ``bc``, and
    ``(?:a )?b`` gives ``a b`` and ``b``.

    The parts match somewhere in a text exactly where the part does, and each starts with what a match
    starts with, so that they can be grouped by it. A group under any other repeat is left as it is.
    """
    if not part.startswith("(?:"):
        return [part]
    end = _group_end(part)
    rest = part[end + 1 :]
    optional = rest[:1] == "?" and rest[1:2] not in ("?", "+")
    if end < 0 or (rest[:1] in ("?", "*", "+", "{") and not optional):
        return [part]
    if optional:
        rest = rest[1:]
    inside = [piece for inner in alternatives(part[3:end]) for piece in opened(inner + rest)]
    return inside + opened(rest) if optional else inside


def starts_plainly(part: str) -> bool:
    """Whether every match of the part starts with its first character, a letter or digit (``nav``, not ``s?``)."""
    first, rest = part[:1], part[1:]
    return first.isascii() and first.isalnum() and not (rest and rest[0] in "?*+{")


def by_first_character(parts: Iterable[str]) -> str:
    """One alternation of ``parts`` that matches where any of them does, grouped so that it is quick to search.

    The parts that start with a plain letter or digit are grouped by it (``n(?:av|avbar|ext)``), so that at
    most places one comparison rules a whole group out; the others follow as they are. Grouping keeps where
    a match starts and whether there is one, not which part matches first.
    """
    by_first: dict[str, list[str]] = {}
    others: list[str] = []
    for part in parts:
        if starts_plainly(part):
            by_first.setdefault(part[0], []).append(part[1:])
        else:
            others.append(part)
    grouped = [f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items()]
    return "|".join(grouped + [f"(?:{part})" for part in others])
