from boilerplate.datasets import LabelledPage
from boilerplate.labelling import UNKNOWN, block_annotations, label_blocks
from boilerplate.parsing import parse_html
from boilerplate.segmentation import segment

PAGE = b"""<html><body>
<header data-label="chrome" data-chrome="header"><a href="/">Site</a>
  <nav data-chrome="navigation"><a href="/a">Section</a></nav></header>
<article data-label="content"><h1>Title here</h1><p>Body paragraph of the story.</p>
  <aside data-label="chrome" data-chrome="advertisement"><p>Sponsored</p></aside></article>
<p>Nobody labelled this line</p></body></html>"""


def test_nearest_label_and_kind():
    page = segment(parse_html(PAGE))
    found = [(b.text, a.label, a.kind) for b, a in zip(page.blocks, block_annotations(page), strict=True)]
    assert found == [
        ("Site", "chrome", "header"),
        ("Section", "chrome", "navigation"),
        ("Title here", "content", None),
        ("Body paragraph of the story.", "content", None),
        ("Sponsored", "chrome", "advertisement"),
        ("Nobody labelled this line", None, None),
    ]


def test_label_blocks_from_annotations_reports_unlabelled():
    parsed = segment(parse_html(PAGE))
    labels = label_blocks(LabelledPage("p", PAGE, annotated=True), parsed)
    assert labels.labels.tolist() == [0, 0, 1, 1, 0, UNKNOWN]
    assert labels.unlabelled == 1
    assert labels.gold_text == "Title here\n\nBody paragraph of the story."


def test_label_blocks_from_gold_text():
    html = b"<nav><a href='/'>Home</a></nav><p>A long enough paragraph of real text here.</p>"
    parsed = segment(parse_html(html))
    labels = label_blocks(LabelledPage("p", html, main_text="A long enough paragraph of real text here."), parsed)
    assert labels.labels.tolist() == [0, 1]
    assert labels.kinds == [None, None]
