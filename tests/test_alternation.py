import re

from boilerplate.alternation import alternatives, by_first_character


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
