"""Pages from where crawls keep them: files, folders, globs, JSON lines and WARC files.

:func:`read_pages` turns command-line arguments into a stream of
:class:`~boilerplate.batch.PageInput` for the batch API, reading one page at a
time so that a crawl of any size streams through. Whatever cannot be read (a
missing file, a bad JSON line) comes back as an error record in its place:
the output then has one record per input page, failures included.

WARC files (``.warc``, ``.warc.gz``) need the ``[warc]`` extra (warcio). Each
``response`` record whose payload is HTML is one page, with the record's
target URI as its URL, the charset of its HTTP header as its encoding and its
``WARC-Record-ID`` as its id; other records (requests, metadata, images) are
not pages and are passed over.
"""

from __future__ import annotations

import codecs
import glob
import gzip
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from .batch import PageInput, PageOutput
from .errors import OptionError

__all__ = ["HTML_SUFFIXES", "read_pages", "read_warc", "read_jsonl"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _failed(page_id: str, exc: BaseException) -> PageOutput:
    return PageOutput(page_id, error=f"{type(exc).__name__}: {exc}")


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def _has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.name.lower().endswith(suffixes)


def read_jsonl(path: str | Path) -> Iterator[PageInput | PageOutput]:
    """Pages from a JSON-lines file of records with ``html`` and optionally ``id`` and ``url``.

    A line that is not such a record becomes an error record named ``path:line``.
    """
    path = Path(path)
    with _open(path) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            fallback = f"{path}:{number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield _failed(fallback, exc)
                continue
            if not isinstance(record, dict) or not isinstance(record.get("html"), str):
                yield PageOutput(fallback, error="InputError: the line is not a JSON object with an html string")
                continue
            page_id = record.get("id")
            url = record.get("url")
            yield PageInput(
                record["html"],
                str(page_id) if page_id is not None else fallback,
                url if isinstance(url, str) else None,
            )


def _charset(content_type: str) -> str | None:
    """The charset an HTTP Content-Type names, when Python knows it (browsers ignore labels they don't)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                return None
    return None


def read_warc(path: str | Path) -> Iterator[PageInput]:
    """The HTML responses of a WARC file, one page each, read one record at a time."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise OptionError("reading WARC files needs the warc extra: pip install 'boilerplate[warc]'") from None
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
                continue
            html = record.content_stream().read()
            yield PageInput(
                html,
                record.rec_headers.get_header("WARC-Record-ID"),
                record.rec_headers.get_header("WARC-Target-URI"),
                _charset(content_type),
            )


def _read_file(path: Path) -> Iterator[PageInput | PageOutput]:
    if _has_suffix(path, _WARC_SUFFIXES):
        yield from read_warc(path)
    elif _has_suffix(path, _JSONL_SUFFIXES):
        yield from read_jsonl(path)
    else:
        with _open(path) as stream:
            yield PageInput(stream.read(), str(path))


def _expand(name: str) -> list[Path] | None:
    """The files one argument names: itself, the HTML files of a folder, or a glob's matches."""
    path = Path(name)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _has_suffix(p, HTML_SUFFIXES))
    if not path.exists() and any(c in name for c in "*?["):
        return [Path(p) for p in sorted(glob.glob(name, recursive=True)) if Path(p).is_file()]
    return None


def read_pages(names: Sequence[str], *, stdin: IO[bytes] | None = None) -> Iterator[PageInput | PageOutput]:
    """Pages from files, folders (their HTML files, recursively), globs, JSON lines, WARC, and ``-`` (stdin)."""
    for name in names:
        if name == "-":
            yield PageInput((stdin or sys.stdin.buffer).read(), "-")
            continue
        expanded = _expand(name)
        if expanded == []:
            yield PageOutput(name, error="InputError: no files match")
        for path in expanded if expanded is not None else [Path(name)]:
            try:
                yield from _read_file(path)
            except OptionError:
                raise
            except Exception as exc:  # an unreadable or damaged file is one error record; the rest go on
                yield _failed(str(path), exc)
