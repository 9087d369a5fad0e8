import gzip
import json

import pytest

from boilerplate.datasets import detect_format, load_annotated, load_json_map, load_labelled, load_pairs, load_wcxb
from boilerplate.errors import DataError

ANNOTATED = """<html lang="en" data-page-type="article"><head>
<link rel="canonical" href="https://www.riverside.example/news/bridge"></head><body>
<nav data-label="chrome" data-chrome="navigation"><a href="/">Home</a></nav>
<article data-label="content"><h1>Bridge reopens</h1><p>The old bridge reopened on Monday after repairs.</p></article>
</body></html>"""


def test_annotated_pages_carry_site_and_type(tmp_path):
    (tmp_path / "a.html").write_text(ANNOTATED)
    (tmp_path / "plain.html").write_text("<p>no labels here</p>")
    (page,) = load_annotated(tmp_path)
    assert page.annotated and page.page_id == "a.html"
    assert page.site == "riverside.example"
    assert page.page_type == "article"
    assert detect_format(tmp_path) == "html"


def test_pairs(tmp_path):
    (tmp_path / "story.html").write_text("<p>Text of the story.</p><nav>Menu</nav>")
    (tmp_path / "story.txt").write_text("Text of the story.")
    (page,) = load_pairs(tmp_path)
    assert page.main_text == "Text of the story." and not page.annotated


def test_json_map(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(b"<p>Body text.</p>"))
    (tmp_path / "html" / "p2.html").write_bytes(b"<p>Other text.</p>")
    gold = {"p1": {"articleBody": "Body text.", "url": "https://a.example/1"}, "p2": {"articleBody": "Other text."}}
    (tmp_path / "truth.json").write_text(json.dumps(gold))
    assert detect_format(tmp_path) == "json-map"
    pages = list(load_json_map(tmp_path))
    assert [p.page_id for p in pages] == ["p1", "p2"]
    assert pages[0].html == b"<p>Body text.</p>" and pages[0].site == "a.example"
    assert [p.page_id for p in load_labelled(tmp_path)] == ["p1", "p2"]


def test_wcxb_split_and_errors(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth").mkdir()
    for page_id in ("0001", "0002"):
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
        truth = {"url": "https://b.example/", "ground_truth": {"main_content": "x", "title": "T"}}
        (tmp_path / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth))
    (tmp_path / "splits.json").write_text(json.dumps({"train": ["0001"], "validation": ["0002"], "page_types": {}}))
    assert [p.page_id for p in load_wcxb(tmp_path, "train")] == ["0001"]
    assert next(iter(load_wcxb(tmp_path, "validation"))).reference == "T\n\nx"
    with pytest.raises(DataError):
        list(load_wcxb(tmp_path, "test"))


def test_nothing_labelled_is_an_error(tmp_path):
    (tmp_path / "plain.html").write_text("<p>no labels</p>")
    with pytest.raises(DataError, match="no labelled page"):
        list(load_labelled(tmp_path))
    with pytest.raises(DataError, match="does not exist"):
        list(load_labelled(tmp_path / "missing"))
