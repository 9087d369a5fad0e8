"""From raw input to an lxml tree: decoding bytes and parsing HTML.

Decoding follows what browsers do, in order: a byte-order mark, then a
``<meta charset>`` or ``http-equiv`` declaration near the top, then UTF-8,
then cp1252 (what pages labelled latin-1 or unlabelled western pages really
use). Parsing uses lxml's forgiving HTML parser with network access off.
"""

from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html

from .errors import InputError, NotHTMLError, ParseError

__all__ = ["decode_html", "parse_html"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)

# Labels that browsers decode as cp1252 (WHATWG encoding standard).
_CP1252_ALIASES = {"latin_1", "iso8859_1", "ascii", "cp1252"}

# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.replace("-", "_") in _CP1252_ALIASES:
        return "cp1252"
    if name.startswith("utf_16") or name.startswith("utf-16"):
        # A page whose bytes we can read to find this tag is not UTF-16.
        return "utf-8"
    return name


# cp1252 leaves five bytes undefined; they keep their latin-1 meaning so nothing is lost.
_CP1252_TABLE = {
    i: ord(bytes([i]).decode("cp1252", errors="replace"))
    for i in range(0x80, 0xA0)
    if bytes([i]).decode("cp1252", errors="replace") != "\ufffd"
}


def _decode_cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252_TABLE)


def decode_html(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes to text the way a browser would.

    ``encoding`` overrides detection. Undecodable bytes in a page that is
    clearly UTF-8 become U+FFFD rather than failing the page.
    """
    if encoding is not None:
        try:
            return data.decode(encoding, errors="replace")
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    declared = _declared_encoding(data[:4096])
    if declared is not None:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly valid UTF-8 with a few broken bytes stays UTF-8; otherwise cp1252.
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    if multibyte > broken:
        return text
    return _decode_cp1252(data)


def _check_text(text: str) -> None:
    sample = text[:4096]
    if sample and len(_CONTROL.findall(sample)) > 0.1 * len(sample):
        raise NotHTMLError("input looks like binary data, not an HTML page")


def parse_html(html: str | bytes, *, encoding: str | None = None) -> lxml.html.HtmlElement | None:
    """Parse a page into an lxml tree; ``None`` when there is nothing to parse.

    Raises :class:`NotHTMLError` for binary input and :class:`InputError` for
    anything else that is not a string or bytes.
    """
    if isinstance(html, (bytes, bytearray, memoryview)):
        text = decode_html(bytes(html), encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise InputError(f"expected str or bytes, got {type(html).__name__}")
    _check_text(text)
    # NUL and other control characters are not text; libxml2 would stop at a NUL.
    text = _CONTROL.sub("", text)
    # lxml refuses str input that carries its own encoding declaration.
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None
    # A parser per call: lxml parsers keep an error log and must not be shared across threads.
    # huge_tree lifts libxml2's limits on nesting (256 to 2048) and on text node size.
    parser = lxml.html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        default_doctype=False,
        huge_tree=True,
        encoding="utf-8",
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    for entry in parser.error_log:
        if entry.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            # libxml2 stops at its resource limits and would silently drop the rest of the page.
            raise ParseError(
                f"page exceeds the HTML parser's limits ({entry.message.strip()}); it cannot be read whole"
            )
    return root
