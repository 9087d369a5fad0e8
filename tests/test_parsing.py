import codecs

import lxml.etree
import pytest

from boilerplate.errors import InputError, NotHTMLError
from boilerplate.parsing import decode_html, parse_html


def test_utf8_default():
    assert decode_html("<p>café</p>".encode()) == "<p>café</p>"


def test_bom_wins_over_declaration():
    data = codecs.BOM_UTF16_LE + '<meta charset="iso-8859-1"><p>naïve</p>'.encode("utf-16-le")
    assert "naïve" in decode_html(data)


def test_meta_charset_declaration():
    data = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'.encode("cp1251")
    assert "Привет" in decode_html(data)


def test_http_equiv_declaration():
    data = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>Fa\xe7ade \x93quoted\x94</p>'
    ).encode("latin-1")
    # Browsers read latin-1 labels as cp1252: 0x93/0x94 are curly quotes.
    assert "Façade “quoted”" in decode_html(data)


def test_undeclared_cp1252_falls_back():
    data = "<p>Smörgåsbord \u2013 déjà vu</p>".encode("cp1252")
    assert "Smörgåsbord – déjà vu" in decode_html(data)


def test_encoding_override():
    data = "<p>Grüße</p>".encode("latin-1")
    assert decode_html(data, encoding="latin-1") == "<p>Grüße</p>"
    with pytest.raises(InputError):
        decode_html(data, encoding="no-such-codec")


def test_mostly_utf8_with_a_broken_byte_stays_utf8():
    data = "<p>Zürich, Genève, München, Köln</p>".encode() + b"\xff"
    text = decode_html(data)
    assert "Zürich, Genève, München, Köln" in text


def test_empty_and_whitespace_parse_to_none():
    assert parse_html("") is None
    assert parse_html(b"   \n\t ") is None


def test_binary_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(NotHTMLError):
        parse_html(png)


def test_wrong_type_is_refused():
    with pytest.raises(InputError):
        parse_html(12345)  # type: ignore[arg-type]


def test_nul_bytes_are_dropped():
    root = parse_html(b"<p>a\x00b</p>")
    assert root is not None
    assert "".join(root.itertext()) == "ab"


@pytest.mark.parametrize("control", [*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
def test_every_control_byte_is_dropped_alone(control):
    root = parse_html(b"<p>caf\xc3\xa9 a" + bytes([control]) + b"b</p>")
    assert "".join(root.itertext()) == "caf\u00e9 ab"


def test_bytes_and_text_give_the_same_tree():
    """Valid UTF-8 goes to the parser as it came; text is encoded: the trees must not differ."""
    html = "\ufeff\ufeff<p>caf\u00e9 \x00na\u00efve\x07 \U0001f600</p><p>\x1f2</p>"
    from_text = parse_html(html)
    for data in (html.encode(), codecs.BOM_UTF8 + html.encode()):
        assert lxml.etree.tostring(parse_html(data)) == lxml.etree.tostring(from_text)
    assert "".join(from_text.itertext()) == "caf\u00e9 na\u00efve \U0001f6002"


def test_blank_after_cleaning_parses_to_none():
    assert parse_html("\ufeff\x00\u3000" + " " * 20) is None
    assert parse_html(b"\xef\xbb\xbf\x00\xef\xbb\xbf\n" + b" " * 20) is None
    # A byte-order mark after other text is not stripped, so this page is not blank.
    assert parse_html(" \ufeff") is not None


def test_limit_input_refuses_or_cuts_and_says_so():
    from boilerplate.errors import LimitError
    from boilerplate.parsing import Limits, limit_input

    assert limit_input("<p>short</p>", Limits(max_bytes=100)) == ("<p>short</p>", False)
    with pytest.raises(LimitError, match="20 bytes, over the limit of 10"):
        limit_input(b"<p>" + b"x" * 17, Limits(max_bytes=10))
    assert limit_input(b"<p>" + b"x" * 17, Limits(max_bytes=10, truncate=True)) == (b"<p>xxxxxxx", True)
    assert limit_input("x" * 50, Limits(max_bytes=None)) == ("x" * 50, False)


def test_a_lone_surrogate_becomes_a_replacement_character():
    root = parse_html("<p>a \ud800 b</p>")
    assert "".join(root.itertext()) == "a \ufffd b"
