"""The library's exception hierarchy.

Every error that `boilerplate` raises on purpose derives from
:class:`BoilerplateError`, so a caller processing a crawl can catch one class
and keep going.
"""

from __future__ import annotations


class BoilerplateError(Exception):
    """Base class of every exception raised by boilerplate."""


class InputError(BoilerplateError, ValueError):
    """The input cannot be read as an HTML page."""


class NotHTMLError(InputError):
    """The input is binary data (an image, an archive, ...) rather than text."""


class ParseError(InputError):
    """The page cannot be parsed whole (for example, elements nested deeper than 2048 levels)."""


class LimitError(InputError):
    """The page is larger than a limit (:class:`boilerplate.parsing.Limits`): too many bytes or elements."""


class PageTimeout(BoilerplateError):
    """A page took longer than the batch's per-page time limit (``timeout=``)."""


class OptionError(BoilerplateError, ValueError):
    """An option names something the library does not know: a chrome kind, a threshold preset."""


class ModelError(BoilerplateError):
    """A model file is missing, damaged, or does not match its model card."""


class DataError(BoilerplateError):
    """Labelled training or evaluation data is missing or malformed."""
