"""The batch API: same answers as one page at a time, in order, nothing dropped, input read lazily."""

from __future__ import annotations

import json

import pytest

from boilerplate import OptionError, analyze, classify_blocks, extract_text, load_model
from boilerplate.batch import PageInput, PageOutput, classify_many, extract_many

from .conftest import FIXTURES

PAGES = sorted(FIXTURES.glob("*.html"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def htmls() -> list[bytes]:
    return [p.read_bytes() for p in PAGES]


@pytest.fixture(scope="module")
def single(htmls: list[bytes]) -> list[PageOutput]:
    return list(extract_many(htmls, chunk_size=5))


def test_blocks_match_the_single_page_call(htmls: list[bytes]) -> None:
    for html, out in zip(htmls, classify_many(htmls, chunk_size=4), strict=True):
        expected = classify_blocks(html)
        assert out.ok and out.blocks is not None
        assert [(b.text, b.label, b.kind, b.score) for b in out.blocks] == [
            (b.text, b.label, b.kind, b.score) for b in expected
        ]


def test_text_and_verdict_match_the_single_page_calls(htmls: list[bytes], single: list[PageOutput]) -> None:
    assert [o.id for o in single] == [str(i) for i in range(len(htmls))]
    for html, out in zip(htmls, single, strict=True):
        assert out.text == extract_text(html)
        assert out.paywall == analyze(html).paywall.to_dict()
        assert out.blocks is None


def test_chunk_size_does_not_change_results(htmls: list[bytes], single: list[PageOutput]) -> None:
    assert list(extract_many(htmls, chunk_size=1)) == single
    assert list(extract_many(htmls, chunk_size=100)) == single


def test_two_processes_give_the_same_output_in_the_same_order(htmls: list[bytes], single: list[PageOutput]) -> None:
    assert list(extract_many(htmls, jobs=2, chunk_size=3)) == single


def test_a_failing_page_is_an_error_record_and_the_rest_go_on(htmls: list[bytes]) -> None:
    items = [
        {"id": "a", "url": "https://example.org/a", "html": htmls[0]},
        PNG,
        {"id": "no-html", "url": "https://example.org/b"},
        12345,
        PageInput(htmls[1], id="b"),
        "",
    ]
    for jobs in (1, 2):
        out = list(extract_many(items, jobs=jobs, chunk_size=2))
        assert len(out) == len(items)
        assert [o.id for o in out] == ["a", "1", "no-html", "3", "b", "5"]
        assert out[0].ok and out[0].url == "https://example.org/a" and out[0].text == extract_text(htmls[0])
        assert out[1].error is not None and out[1].error.startswith("NotHTMLError")
        assert out[2].error == "InputError: the record has no html"
        assert out[3].error is not None and "int" in out[3].error
        assert out[4].ok and out[4].text == extract_text(htmls[1])
        assert out[5].text is None or out[5].text == ""  # an empty page: an empty result or a clear error
        assert out[5].ok or out[5].error.startswith("InputError")


def test_records_are_json_ready(htmls: list[bytes]) -> None:
    record = next(classify_many(htmls[:1])).to_dict()
    again = json.loads(json.dumps(record))
    assert set(again) == {"id", "url", "text", "paywall", "chrome_kinds", "truncated", "error", "blocks"}
    assert again["blocks"] and {"order", "label", "kind", "score", "tag", "xpath", "text"} <= set(again["blocks"][0])
    assert "blocks" not in next(extract_many(htmls[:1])).to_dict()


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_is_read_lazily(htmls: list[bytes], jobs: int) -> None:
    taken = 0

    def pages():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield htmls[i % len(htmls)]

    first = next(extract_many(pages(), jobs=jobs, chunk_size=2))
    assert first.ok
    assert taken <= 2 * (2 * jobs + 1)  # a few chunks ahead at most, never the whole input


def test_bad_options_raise_before_any_page_is_read(htmls: list[bytes]) -> None:
    with pytest.raises(OptionError):
        extract_many(htmls, keep=["no-such-kind"])
    with pytest.raises(OptionError):
        extract_many(htmls, jobs=0)
    with pytest.raises(OptionError):
        extract_many(htmls, chunk_size=0)


def test_a_model_object_reaches_the_workers(htmls: list[bytes], single: list[PageOutput]) -> None:
    model = load_model()
    assert list(extract_many(htmls[:4], model=model, jobs=2, chunk_size=1)) == single[:4]


class _KillsTheWorker(str):
    """A page that ends the process that unpickles it: a stand-in for a crash inside a worker."""

    def __reduce__(self):
        import os

        return (os._exit, (3,))


def test_a_worker_crash_is_an_error_record_and_the_other_pages_survive(htmls: list[bytes]) -> None:
    items = [htmls[0], _KillsTheWorker("<p>boom</p>"), htmls[1], htmls[2]]
    out = list(extract_many(items, jobs=2, chunk_size=2))
    assert [o.id for o in out] == ["0", "1", "2", "3"]
    assert out[1].error is not None
    assert [o.text for o in out[:1] + out[2:]] == [extract_text(h) for h in htmls[:3]]


def test_pages_over_the_limits_are_error_records_or_cut_on_request():
    from boilerplate import Limits

    big = "<html><body>" + "<p>The committee met on Tuesday to discuss the budget.</p>" * 400 + "</body></html>"
    pages = ["<html><body><p>A short page about the budget of the town.</p></body></html>", big]
    refused = list(extract_many(pages, limits=Limits(max_bytes=5_000)))
    assert [o.ok for o in refused] == [True, False]
    assert refused[1].error.startswith("LimitError") and refused[1].id == "1"
    cut = list(extract_many(pages, limits=Limits(max_bytes=5_000, truncate=True)))
    assert [o.truncated for o in cut] == [False, True] and cut[1].to_dict()["truncated"] is True
    assert "committee" in cut[1].text


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_over_the_time_limit_is_an_error_record_and_the_rest_go_on(htmls: list[bytes], jobs: int) -> None:
    # About two seconds of work before the model here, four times the limit: a page far over it on any machine.
    slow = "<html><body><ul>" + "<li>item</li>" * 200_000 + "</ul></body></html>"
    pages = [htmls[0], slow, htmls[1]]
    out = list(extract_many(pages, jobs=jobs, timeout=0.5))
    assert [o.id for o in out] == ["0", "1", "2"]
    assert out[1].error.startswith("PageTimeout")
    assert [o.text for o in (out[0], out[2])] == [o.text for o in extract_many([htmls[0], htmls[1]])]


def test_a_bad_timeout_is_an_option_error(htmls: list[bytes]) -> None:
    with pytest.raises(OptionError, match="positive"):
        extract_many(htmls, timeout=0)


def test_the_tree_outlives_segmentation_only_where_the_paywall_reads_it() -> None:
    from boilerplate.parsing import parse_html
    from boilerplate.paywall import reads_tree
    from boilerplate.segmentation import segment

    haspart = (FIXTURES / "pw-14-hard-haspart-news.html").read_bytes()
    plain = (FIXTURES / "forum-thread.html").read_bytes()
    assert reads_tree(segment(parse_html(haspart)))
    assert not reads_tree(segment(parse_html(plain)))
    # The batch frees other pages' trees early; the part named by CSS selector is still found.
    records = list(extract_many([plain, haspart], chunk_size=2))
    assert records[1].paywall == analyze(haspart).paywall.to_dict()
    assert records[1].paywall["paywalled_parts"] == ["/html/body/main/article/div[6]"]
