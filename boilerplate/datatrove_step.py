"""A datatrove extractor step: HTML documents in, their content text out, the paywall verdict in the metadata.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from boilerplate.datatrove_step import BoilerplateExtractor
>>> LocalPipelineExecutor(
...     [JsonlReader("html/"), BoilerplateExtractor(), JsonlWriter("text/")], tasks=4, logging_dir="logs/"
... ).run()  # doctest: +SKIP

Needs the ``[datatrove]`` extra (``pip install "boilerplate[datatrove]"``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError('boilerplate.datatrove_step needs datatrove: pip install "boilerplate[datatrove]"') from exc

from .api import extract_text, load_model
from .batch import PageInput, PageOutput, extract_many
from .model import Model
from .parsing import Limits

__all__ = ["BoilerplateExtractor"]

# What the sandbox's worker process classifies before its first document: a real page, so that the
# first document does not pay for the first call into the model.
_WARMUP = ("<html><body><article><h1>Warm-up</h1><p>A paragraph of text to classify.</p></article></body></html>", None)


# The process whose OpenMP threads are limited to one; see _one_openmp_thread.
_LIMITED_PID: int | None = None


def _one_openmp_thread() -> None:
    """Keep scikit-learn's OpenMP to one thread in this process.

    The sandbox forks its worker from the task's process. When that process
    has already run the model on several OpenMP threads (GNU OpenMP's), the
    forked worker hangs on its first call into OpenMP, and every document
    would time out. One thread per worker never does; datatrove runs
    documents in parallel through its tasks anyway.
    """
    global _LIMITED_PID
    if _LIMITED_PID != os.getpid():
        threadpool_limits(limits=1, user_api="openmp")
        _LIMITED_PID = os.getpid()


@lru_cache(maxsize=4)
def _model_at(path: str | None) -> Model:
    """A model file loaded once per process, however many steps, tasks or documents use it."""
    return load_model(path)


class BoilerplateExtractor(BaseExtractor):
    """Replace each document's HTML with its content text, and note its paywall verdict and chrome in the metadata.

    ``document.text`` is the page's HTML; the page's URL, when the reader put
    one in ``metadata[url_key]``, is used too (it is one of the features).
    On success ``document.text`` becomes the content text and
    ``metadata[metadata_key]`` a JSON-ready dict: ``paywalled`` (bool),
    ``paywall`` (the full verdict, as ``PaywallFinding.to_dict()``) and
    ``chrome_kinds`` (chrome kind -> number of blocks) and ``truncated``
    (only the first ``limits.max_bytes`` were read; see
    :class:`boilerplate.parsing.Limits`). With ``ParquetWriter``
    give an explicit schema, or JSON-encode that dict in an adapter: its keys
    vary from page to page.

    Failures follow :class:`BaseExtractor`: each document is classified in
    datatrove's sandbox process under ``timeout`` seconds, and a document
    that cannot be read (binary data, a page lxml cannot parse whole), that
    times out or that kills the sandbox process is dropped from the pipeline
    and counted in the step's stats (``clean_error``, ``timeout``,
    ``broken_process``); the first error is logged once. A page with no
    content text is dropped as ``dropped``, as an empty extraction is in
    datatrove. The pages that go through are counted as ``extracted`` and
    ``forwarded``, and the paywalled ones as ``paywalled`` too.

    The model is loaded once per process: here to check the options, then in
    :meth:`run` before the sandbox starts its worker process, which inherits
    it. A model given as a path is pickled with the pipeline as that path,
    not as the model.
    """

    name = "🧱 boilerplate"
    # Nothing beyond the core of boilerplate, which importing this module has already proved present.
    _requires_dependencies: ClassVar[list[str | tuple[str, str]]] = []

    def __init__(
        self,
        model: Model | str | Path | None = None,
        *,
        threshold: float | str | None = None,
        keep: tuple[str, ...] | list[str] = (),
        encoding: str | None = None,
        timeout: float = 10.0,
        url_key: str | None = "url",
        metadata_key: str = "boilerplate",
        limits: Limits | None = None,
    ) -> None:
        super().__init__(timeout)
        self.limits = limits
        self.model = str(model) if isinstance(model, Path) else model
        self.threshold = threshold
        self.keep = tuple(keep)
        self.encoding = encoding
        self.url_key = url_key
        self.metadata_key = metadata_key
        extract_many((), model=self._model(), **self._options())  # a bad option raises when the pipeline is built

    def _model(self) -> Model:
        return self.model if isinstance(self.model, Model) else _model_at(self.model)

    def _options(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "keep": self.keep, "encoding": self.encoding, "limits": self.limits}

    def extract(self, text: str) -> str:
        """The content text of one page; raises when the page cannot be read, as :class:`BaseExtractor` expects."""
        return extract_text(text, model=self._model(), **self._options())

    def _extract_page(self, html: str, url: str | None) -> PageOutput:
        """One page's record, in the sandbox process. Never raises: an exception there would end the process."""
        try:
            _one_openmp_thread()
            return next(extract_many([PageInput(html, url=url)], model=self._model(), **self._options()))
        except Exception as exc:  # extract_many reports a bad page as a record; this is for anything else
            return PageOutput("0", url, error=f"{type(exc).__name__}: {exc}")

    def _clean_error(self, message: str) -> None:
        self.stat_update("clean_error")
        if not self._warned_error:
            logger.warning(f"❌ Error {message!r} while extracting a document. Skipping it. This message appears once.")
            self._warned_error = True

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """:meth:`BaseExtractor.run`, keeping the whole record rather than the text alone."""
        self._model()  # load it here, before the sandbox forks its worker process
        with ExtractorSandbox(self.timeout, _WARMUP) as sandbox:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    url = doc.metadata.get(self.url_key) if self.url_key else None
                    try:
                        page = sandbox.process_document(
                            (doc.text, url if isinstance(url, str) else None), self._extract_page
                        )
                    except TimeoutError:
                        self.stat_update("timeout")
                        logger.warning(f"⏰ Timeout while extracting document {doc.id}. Skipping it.")
                        continue
                    except EOFError:
                        self.stat_update("broken_process")
                        logger.warning("The extraction process died; a new one will take the next document.")
                        continue
                    except Exception as exc:  # sending the document to the sandbox failed
                        self._clean_error(f"{type(exc).__name__}: {exc}")
                        continue
                    if page.error is not None:
                        self._clean_error(page.error)
                        continue
                    self.stat_update("extracted")
                paywall = page.paywall or {}
                if paywall.get("paywalled"):
                    self.stat_update("paywalled")
                doc.text = page.text or ""
                doc.metadata[self.metadata_key] = {
                    "paywalled": bool(paywall.get("paywalled")),
                    "paywall": page.paywall,
                    "chrome_kinds": page.chrome_kinds,
                    "truncated": page.truncated,
                }
                if doc.text:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update(StatHints.dropped)
