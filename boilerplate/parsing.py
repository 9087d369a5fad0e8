"""From raw input to an lxml tree: decoding bytes and parsing HTML.

Decoding follows what browsers do, in order: a byte-order mark, then a
``<meta charset>`` or ``http-equiv`` declaration near the top, then UTF-8,
then cp1252 (what pages labelled latin-1 or unlabelled western pages really
use). Parsing uses lxml's forgiving HTML parser with network access off.

The parser is handed UTF-8 bytes. A page that arrives as valid UTF-8 (most
do) is handed over as it came, control characters deleted from the bytes,
rather than decoded to text and encoded again.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import lxml.etree

from .errors import InputError, LimitError, NotHTMLError, ParseError

__all__ = ["Limits", "decode_html", "limit_input", "parse_html"]


@dataclass(frozen=True)
class Limits:
    """How large a page may be before it is refused (or, with ``truncate``, cut).

    The defaults lie well above real pages (the largest of the benchmark's
    1,497 is 5.3 MB) and keep one hostile page from taking gigabytes: 16 MB
    of paragraphs peaked at 0.92 GB (the process, model included). ``None``
    lifts a limit.
    """

    max_bytes: int | None = 16_000_000  # of the input (characters, for a str)
    max_elements: int | None = 1_000_000  # of the parsed tree
    truncate: bool = False  # classify the first max_bytes of a longer page instead of refusing it


DEFAULT_LIMITS = Limits()


def limit_input(html: str | bytes, limits: Limits) -> tuple[str | bytes, bool]:
    """The input within ``limits.max_bytes``, and whether it was cut; :class:`LimitError` if too long to cut."""
    size = limits.max_bytes
    if size is None or not isinstance(html, (str, bytes, bytearray, memoryview)) or len(html) <= size:
        return html, False
    if not limits.truncate:
        unit = "characters" if isinstance(html, str) else "bytes"
        raise LimitError(f"page has {len(html):,} {unit}, over the limit of {size:,} (Limits.max_bytes)")
    # A multi-byte character cut in two decodes to U+FFFD; the parser closes the elements left open.
    return html[:size], True


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
    return _decode(data, encoding)[0]


def _decode(data: bytes, encoding: str | None) -> tuple[str, bytes | None]:
    """The page's text, and its UTF-8 bytes when the input already is exactly that (``None`` otherwise).

    Most pages are valid UTF-8: handing their own bytes to the parser saves encoding the text again.
    """
    if encoding is not None:
        try:
            return data.decode(encoding, errors="replace"), None
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            text = data.decode(name, errors="replace")
            return text, _same_utf8(text, data) if name == "utf-8" else None
    declared = _declared_encoding(data[:4096])
    if declared is not None:
        text = data.decode(declared, errors="replace")
        return text, _same_utf8(text, data) if declared == "utf-8" else None
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        pass
    # Mostly valid UTF-8 with a few broken bytes stays UTF-8; otherwise cp1252.
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    if multibyte > broken:
        return text, None
    return _decode_cp1252(data), None


def _same_utf8(text: str, data: bytes) -> bytes | None:
    """``data`` if decoding it as UTF-8 replaced nothing (so ``text`` encodes back to exactly ``data``)."""
    return None if "\ufffd" in text else data


def _check_text(text: str) -> None:
    sample = text[:4096]
    if sample and len(_CONTROL.findall(sample)) > 0.1 * len(sample):
        raise NotHTMLError("input looks like binary data, not an HTML page")


# In UTF-8 every control character is one byte that no other character uses, so deleting these
# bytes from the encoded page is the same as deleting the characters from the text, only faster.
_CONTROL_BYTES = bytes(b for b in range(0x80) if _CONTROL.match(chr(b)))
# A character that is not whitespace, a control character or a byte-order mark: text worth parsing.
_VISIBLE = re.compile(r"[^\s\x00-\x08\x0b\x0e-\x1f\x7f\ufeff]")


def _is_blank(text: str) -> bool:
    """Whether nothing but whitespace is left once control characters and leading byte-order marks go."""
    if _VISIBLE.search(text):
        return False
    return not _CONTROL.sub("", text).lstrip("\ufeff").strip()


# Each control byte alone: looking for each with memchr (``in``) is quicker than rewriting the page, and pages
# seldom hold any.
_CONTROL_NEEDLES = tuple(bytes([b]) for b in _CONTROL_BYTES)


def _clean_utf8(data: bytes) -> bytes:
    """UTF-8 page bytes without control characters and leading byte-order marks."""
    # NUL and other control characters are not text; libxml2 would stop at a NUL.
    if any(needle in data for needle in _CONTROL_NEEDLES):
        data = data.translate(None, _CONTROL_BYTES)
    # A byte-order mark left at the start of the text is not content.
    start = 0
    while data.startswith(codecs.BOM_UTF8, start):
        start += len(codecs.BOM_UTF8)
    return data[start:] if start else data


_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8_of(text: str) -> bytes:
    """The text as UTF-8; a lone surrogate (which UTF-8 cannot carry) becomes U+FFFD rather than losing the page."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def parse_html(html: str | bytes, *, encoding: str | None = None) -> lxml.etree._Element | None:
    """Parse a page into an lxml tree; ``None`` when there is nothing to parse.

    Raises :class:`NotHTMLError` for binary input and :class:`InputError` for
    anything else that is not a string or bytes.
    """
    utf8: bytes | None = None
    if isinstance(html, (bytes, bytearray, memoryview)):
        text, utf8 = _decode(bytes(html), encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise InputError(f"expected str or bytes, got {type(html).__name__}")
    _check_text(text)
    if _is_blank(text):
        return None
    # A parser per call: lxml parsers keep an error log and must not be shared across threads.
    # huge_tree lifts libxml2's limits on nesting (256 to 2048) and on text node size.
    # lxml.etree's parser, not lxml.html's: lxml.html picks a Python element class for every element the
    # walk touches, which costs a tenth of the segmentation, and nothing here uses its methods.
    parser = lxml.etree.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        default_doctype=False,
        huge_tree=True,
        encoding="utf-8",
        # libxml2 would otherwise index every id attribute for lookups by id, which nothing here makes.
        collect_ids=False,
    )
    try:
        # The parser reads UTF-8 bytes; a page that arrived as valid UTF-8 is handed over as it came.
        data = _clean_utf8(_utf8_of(text) if utf8 is None else utf8)
        root = lxml.etree.fromstring(data, parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root is None:  # nothing the parser could read as a document
        return None
    for entry in parser.error_log:
        if entry.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            # libxml2 stops at its resource limits and would silently drop the rest of the page.
            raise ParseError(
                f"page exceeds the HTML parser's limits ({entry.message.strip()}); it cannot be read whole"
            )
    return root
