"""boilerplate: tell the content of a web page from its chrome.

>>> from boilerplate import classify_blocks, extract_text
>>> blocks = classify_blocks("<html><body><nav><a href='/'>Home</a></nav><p>Hello.</p></body></html>")

The data flows one way: HTML (:mod:`.parsing`) to blocks
(:mod:`.segmentation`) to a feature matrix (:mod:`.features`) to labels
(:mod:`.model`). Training (:mod:`.training`) and evaluation
(:mod:`.evaluation`) build on the same path.
"""

from __future__ import annotations

from .api import CHROME, CONTENT, classify_blocks, default_model_path, extract_text, load_model
from .errors import BoilerplateError, DataError, InputError, ModelError, NotHTMLError
from .model import BlockClassifier, Model
from .segmentation import Block

__all__ = [
    "Block",
    "BlockClassifier",
    "BoilerplateError",
    "CHROME",
    "CONTENT",
    "DataError",
    "InputError",
    "Model",
    "ModelError",
    "NotHTMLError",
    "classify_blocks",
    "default_model_path",
    "extract_text",
    "load_model",
]

__version__ = "0.1.0"
