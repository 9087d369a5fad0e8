"""boilerplate: tell the content of a web page from its chrome.

>>> from boilerplate import classify_blocks, extract_text
>>> blocks = classify_blocks("<html><body><nav><a href='/'>Home</a></nav><p>Hello.</p></body></html>")

The data flows one way: HTML (:mod:`.parsing`) to blocks
(:mod:`.segmentation`) to a feature matrix (:mod:`.features`) to labels
(:mod:`.model`); the kind rules (:mod:`.kinds`) name each kind of chrome and
settle the unmistakable ones, and :mod:`.paywall` judges the page. Training (:mod:`.training`) and evaluation
(:mod:`.evaluation`) build on the same path.
"""

from __future__ import annotations

from .api import CHROME, CONTENT, Analysis, analyze, classify_blocks, default_model_path, extract_text, load_model
from .errors import (
    BoilerplateError,
    DataError,
    InputError,
    LimitError,
    ModelError,
    NotHTMLError,
    OptionError,
    ParseError,
)
from .kinds import KINDS
from .model import BlockClassifier, Model
from .parsing import Limits
from .paywall import PaywallFinding
from .segmentation import Block

__all__ = [
    "Analysis",
    "Block",
    "BlockClassifier",
    "BoilerplateError",
    "CHROME",
    "CONTENT",
    "DataError",
    "InputError",
    "KINDS",
    "LimitError",
    "Limits",
    "Model",
    "ModelError",
    "NotHTMLError",
    "OptionError",
    "ParseError",
    "PaywallFinding",
    "analyze",
    "classify_blocks",
    "default_model_path",
    "extract_text",
    "load_model",
]

__version__ = "0.1.0"
