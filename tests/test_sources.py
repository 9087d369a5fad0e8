"""Reading pages from files, folders, globs, JSON lines and WARC files: every page once, failures in place."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from boilerplate.batch import PageInput, PageOutput
from boilerplate.sources import read_jsonl, read_pages, read_warc

from .conftest import FIXTURES

PAGE = (FIXTURES / "seed-paywalled-news.html").read_bytes()


def test_files_folders_and_globs(tmp_path: Path) -> None:
    (tmp_path / "site" / "deep").mkdir(parents=True)
    (tmp_path / "site" / "a.html").write_bytes(PAGE)
    (tmp_path / "site" / "deep" / "b.htm").write_bytes(PAGE)
    with gzip.open(tmp_path / "site" / "c.html.gz", "wb") as f:
        f.write(PAGE)
    (tmp_path / "site" / "notes.txt").write_text("not a page")
    from_folder = list(read_pages([str(tmp_path / "site")]))
    assert [Path(p.id).name for p in from_folder] == ["a.html", "c.html.gz", "b.htm"]
    assert all(isinstance(p, PageInput) and p.html == PAGE for p in from_folder)
    from_glob = list(read_pages([str(tmp_path / "site" / "**" / "*.htm*")]))
    assert sorted(Path(p.id).name for p in from_glob) == ["a.html", "b.htm", "c.html.gz"]


def test_what_cannot_be_read_is_an_error_record_in_place(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE)
    pages = list(read_pages([str(tmp_path / "missing.html"), str(tmp_path / "a.html"), str(tmp_path / "*.nothing")]))
    assert [type(p) for p in pages] == [PageOutput, PageInput, PageOutput]
    assert pages[0].error.startswith("FileNotFoundError")
    assert pages[2].error == "InputError: no files match"


def test_standard_input() -> None:
    (page,) = read_pages(["-"], stdin=io.BytesIO(PAGE))
    assert page == PageInput(PAGE, "-")


def test_json_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "p1", "url": "https://example.org/1", "html": "<p>One</p>"}),
        "",
        "{not json",
        json.dumps({"id": "p3", "text": "no html field"}),
        json.dumps({"html": "<p>Four</p>"}),
    ]
    path = tmp_path / "pages.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    pages = list(read_jsonl(path))
    assert pages[0] == PageInput("<p>One</p>", "p1", "https://example.org/1")
    assert isinstance(pages[1], PageOutput) and pages[1].id == f"{path}:3"
    assert isinstance(pages[2], PageOutput) and "html" in pages[2].error
    assert pages[3] == PageInput("<p>Four</p>", f"{path}:5", None)


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], *, gzipped: bool = True) -> None:
    """A WARC file with a request and a response per page, plus a non-HTML response and a metadata record."""
    warcio = pytest.importorskip("warcio", reason="the [warc] extra is not installed")
    from warcio.statusandheaders import StatusAndHeaders

    with path.open("wb") as stream:
        writer = warcio.WARCWriter(stream, gzip=gzipped)
        for url, body, content_type in pages:
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        png = io.BytesIO(b"\x89PNG\r\n\x1a\n")
        writer.write_record(
            writer.create_warc_record("https://example.org/i.png", "response", payload=png, http_headers=image)
        )
        meta = writer.create_warc_record("https://example.org/", "metadata", payload=io.BytesIO(b"x: y"))
        writer.write_record(meta)


@pytest.mark.parametrize("gzipped", [True, False])
def test_warc_responses_with_html_are_the_pages(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    latin = "<p>Caf\u00e9 cr\u00e8me</p>".encode("cp1252")
    write_warc(
        path,
        [
            ("https://example.org/a", PAGE, "text/html; charset=utf-8"),
            ("https://example.org/b", latin, "text/html; charset=windows-1252"),
            ("https://example.org/c", b"<p>x</p>", "application/xhtml+xml; charset=bogus-label"),
        ],
        gzipped=gzipped,
    )
    pages = list(read_warc(path))
    assert [p.url for p in pages] == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    assert pages[0].html == PAGE and pages[0].encoding == "utf-8"
    assert pages[1].encoding == "cp1252"
    assert pages[2].encoding is None  # a label no browser knows is ignored
    assert all(p.id and p.id.startswith("<urn:uuid:") for p in pages)
    assert list(read_pages([str(path)])) == pages
