import re

from boilerplate.alternation import alternatives, by_first_character, opened, starts_plainly


def test_alternatives_split_at_the_top_level_only():
    assert alternatives(r"(?:^|[\s_-])a|b\|c|[|]d") == [r"(?:^|[\s_-])a", r"b\|c", "[|]d"]
    assert alternatives(r"\bx(?:y|z)\b|\bw") == [r"\bx(?:y|z)\b", r"\bw"]
    assert alternatives("plain") == ["plain"]
    assert alternatives("") == [""]


def test_grouping_by_first_character_matches_where_the_parts_match():
    parts = ["nav", "navbar", "next", "ads?", "(?:^|-)ad", "menu", "7up", "é"]
    grouped = re.compile(by_first_character(parts))
    assert by_first_character(["ab", "ac", "d?"]) == "a(?:b|c)|(?:d?)"
    for text in ["", "navigation", "x-ad", "ad", "a", "menu", "7up", "café", "nothing here", "ne"]:
        whole = re.compile("|".join(f"(?:{p})" for p in parts))
        assert (grouped.search(text) is None) == (whole.search(text) is None), text
        if whole.search(text):
            assert grouped.search(text).start() == whole.search(text).start(), text


def test_a_leading_group_is_multiplied_out():
    assert opened("(?:a|b)c") == ["ac", "bc"]
    assert opened("(?:a )?b") == ["a b", "b"]
    assert opened("(?:(?:x|y)z|w)q") == ["xzq", "yzq", "wq"]
    assert opened(r"(?:\d+|\{\{x\}\})\s+y") == [r"\d+\s+y", r"\{\{x\}\}\s+y"]
    for kept in ["(?:a)*b", "(?:a)+b", "(?:a){2,}b", "(?:a)??b", "x(?:a|b)", "(?:a|b", "[(?:]a"]:
        assert opened(kept) == [kept]


def test_opened_parts_match_where_the_part_matches():
    for part in ["(?:a|b)c", "(?:a )?b", r"(?:(?:x|y)z|w)q\b", r"(?:\bab|c)?d", "(?:a|)b"]:
        whole = re.compile(part)
        pieces = [re.compile(piece) for piece in opened(part)]
        for text in ["", "ac", "bc", "a b", "b", "xzq", "wq", "yq", "abd", "cd", "d", "zabd", "ab", "xac"]:
            assert (whole.search(text) is not None) == any(p.search(text) for p in pieces), (part, text)


def test_plain_starts():
    assert starts_plainly("nav") and starts_plainly("7up") and starts_plainly("a")
    for part in ["s?x", r"\bx", "é", "", "(?:a)"]:
        assert not starts_plainly(part), part
