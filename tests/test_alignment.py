from boilerplate.alignment import align_blocks, tokenize


def test_tokenize_matches_benchmark_rule():
    assert tokenize("It's 3 o'clock — café!") == ["it", "s", "3", "o", "clock", "café"]


def test_menu_words_that_also_occur_in_the_text_are_not_matched():
    gold = "Home prices rose again this year. Buyers in the city paid more than ever before."
    blocks = [
        "Home",
        "About",
        "Contact",
        "Home prices rose again this year.",
        "Buyers in the city paid more than ever before.",
    ]
    alignment = align_blocks(blocks, gold)
    assert alignment.labels.tolist() == [0, 0, 0, 1, 1]


def test_short_heading_aligns_with_its_paragraph():
    gold = "Introduction\n\nThis paper studies the weather on Mars and its seasons."
    blocks = ["Menu", "Introduction", "This paper studies the weather on Mars and its seasons.", "Share"]
    assert align_blocks(blocks, gold).labels.tolist() == [0, 1, 1, 0]


def test_order_keeps_a_repeated_teaser_out():
    gold = "First sentence of the story is here. Second sentence follows it closely. Third one ends the story well."
    blocks = [
        "First sentence of the story is here.",
        "Second sentence follows it closely.",
        "Third one ends the story well.",
        "Related: First sentence of the story is here.",
    ]
    labels = align_blocks(blocks, gold).labels.tolist()
    assert labels[:3] == [1, 1, 1]
    assert labels[3] == 0


def test_blocks_without_words_and_empty_gold():
    alignment = align_blocks(["|", "Some words here"], "")
    assert alignment.labels.tolist() == [0, 0]
    assert alignment.words.tolist() == [0, 3]
    assert align_blocks([], "gold text").labels.tolist() == []


def test_ambiguous_blocks_are_reported():
    gold = "the quick brown fox jumps over the lazy dog"
    alignment = align_blocks(["the quick brown fox jumps and then something else entirely different"], gold)
    assert alignment.ambiguous.tolist() == [True]
