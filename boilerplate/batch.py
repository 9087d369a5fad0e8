"""Many pages at once: results in input order, bounded memory, every core, no page lost.

:func:`classify_many` and :func:`extract_many` take an iterable of pages (HTML
strings or bytes, mappings with ``html`` and optionally ``id`` and ``url``, or
:class:`PageInput`) and yield one :class:`PageOutput` per page, in input
order. Pages are taken in chunks: the model scores a whole chunk in one call,
which costs far less than one call per page, and at most a few chunks are in
memory at a time, so a crawl of any length streams through. A page that fails
comes back as a record with its ``error`` set; every page in gives exactly one
record out.

With ``jobs`` above 1 the chunks go to worker processes, each holding the model
once; results still come back in input order, and they are the same as with
one process.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from joblib.externals.loky import get_reusable_executor

from .api import CONTENT, check_keep, label_page, paywall_of, resolve_model
from .errors import OptionError, PageTimeout
from .features import words_of
from .model import Model
from .parsing import Limits
from .paywall import reads_tree
from .pipeline import page_features
from .segmentation import Block, Page
from .terms import Terms

__all__ = ["PageInput", "PageOutput", "as_input", "block_record", "classify_many", "error_record", "extract_many"]

DEFAULT_CHUNK = 8  # pages scored in one model call
CHUNK_BYTES = 4_000_000  # ... unless their HTML comes to this much first


@dataclass(frozen=True)
class PageInput:
    """One page to classify: its HTML and, to find it again in the output, an id and a URL."""

    html: str | bytes
    id: str | None = None
    url: str | None = None
    encoding: str | None = None  # the charset the page was served with (an HTTP header's), if known


@dataclass
class PageOutput:
    """What came of one page: its text, paywall verdict and chrome, or the error that stopped it."""

    id: str
    url: str | None = None
    text: str | None = None  # the content blocks' text, as extract_text gives it; None on error
    paywall: dict[str, Any] | None = None  # PaywallFinding.to_dict()
    chrome_kinds: dict[str, int] = field(default_factory=dict)  # chrome blocks by kind
    blocks: list[Block] | None = None  # every block, from classify_many only
    error: str | None = None  # "ExceptionName: message" when the page failed
    truncated: bool = False  # only the first Limits.max_bytes of the page were read

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record; ``blocks`` only when the page was classified with them."""
        record: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "text": self.text,
            "paywall": self.paywall,
            "chrome_kinds": self.chrome_kinds,
            "truncated": self.truncated,
            "error": self.error,
        }
        if self.blocks is not None:
            record["blocks"] = [block_record(b) for b in self.blocks]
        return record


def block_record(block: Block) -> dict[str, Any]:
    """A classified block as a JSON-ready dict."""
    return {
        "order": block.order,
        "label": block.label,
        "kind": block.kind,
        "score": round(block.score or 0.0, 4),
        "tag": block.tag,
        "xpath": block.xpath,
        "text": block.text,
    }


@dataclass(frozen=True)
class _Options:
    cut: float
    kept: frozenset[str]
    encoding: str | None
    blocks: bool
    limits: Limits | None = None
    timeout: float | None = None  # seconds per page


def as_input(item: Any, index: int) -> PageInput | PageOutput:
    """The page behind one input item, or an error record when the item is not a page."""
    if isinstance(item, PageOutput):  # a page its reader already failed to read
        return item
    if isinstance(item, PageInput):
        return item if item.id is not None else PageInput(item.html, str(index), item.url, item.encoding)
    if isinstance(item, (str, bytes)):
        return PageInput(item, str(index))
    if isinstance(item, Mapping):
        page_id = str(item["id"]) if item.get("id") is not None else str(index)
        url = item.get("url")
        html = item.get("html")
        if isinstance(html, (str, bytes)):
            return PageInput(html, page_id, url if isinstance(url, str) else None)
        return PageOutput(page_id, url if isinstance(url, str) else None, error="InputError: the record has no html")
    return PageOutput(str(index), error=f"InputError: not a page: {type(item).__name__}")


def error_record(page: PageInput, exc: BaseException) -> PageOutput:
    message = str(exc).splitlines()[0][:500] if str(exc) else ""
    return PageOutput(page.id or "", page.url, error=f"{type(exc).__name__}: {message}".rstrip(": "))


def _finish(
    page_in: PageInput, page: Page, X: np.ndarray, raw: np.ndarray, options: _Options, model: Model
) -> PageOutput:
    guesses = label_page(page, raw, options.cut, options.kept, model, words_of(X))
    text = "\n\n".join(b.text for b in page.blocks if b.label == CONTENT)
    kinds = Counter(b.kind for b in page.blocks if b.kind)
    return PageOutput(
        id=page_in.id or "",
        url=page_in.url,
        text=text,
        paywall=paywall_of(page, guesses).to_dict(),
        chrome_kinds=dict(sorted(kinds.items())),
        blocks=page.blocks if options.blocks else None,
        truncated=page.truncated,
    )


def _run_chunk(chunk: list[PageInput | PageOutput], model: Model, options: _Options) -> list[PageOutput]:
    """Classify a chunk of pages with one model call for all their blocks."""
    out: list[PageOutput | None] = [item if isinstance(item, PageOutput) else None for item in chunk]
    ready: list[tuple[int, Page, np.ndarray, Terms | None]] = []
    spent: dict[int, float] = {}  # seconds each page took before the chunk's model call
    for i, item in enumerate(chunk):
        if isinstance(item, PageOutput):
            continue
        started = time.monotonic()
        try:
            with _time_limit(options.timeout):
                page, X, terms = page_features(
                    item.html,
                    url=item.url,
                    encoding=options.encoding or item.encoding,
                    terms=model.reads_terms,
                    limits=options.limits,
                )
        except Exception as exc:  # a batch reports a failed page and goes on
            out[i] = error_record(item, exc)
            continue
        if not reads_tree(page):
            # Freed now, while it is fresh in the processor's cache, and not held while the chunk is scored:
            # the labels need only the blocks.
            page.tree = None
        ready.append((i, page, X, terms))
        spent[i] = time.monotonic() - started
    if not ready:
        return [o for o in out if o is not None]
    sizes = [len(X) for _, _, X, _ in ready]
    together = None
    if model.reads_terms:
        together = {group: [row for *_, terms in ready for row in terms[group]] for group in ready[0][3]}
    try:
        raw = model.scores(np.vstack([X for _, _, X, _ in ready]), np.repeat(np.arange(len(ready)), sizes), together)
    except Exception as exc:  # the model failed on the chunk as a whole: every page in it says so
        return [o if o is not None else error_record(item, exc) for o, item in zip(out, chunk, strict=True)]
    offsets = np.r_[0, np.cumsum(sizes)]
    for (i, page, X, _), lo, hi in zip(ready, offsets[:-1], offsets[1:], strict=True):
        item = chunk[i]
        assert isinstance(item, PageInput)
        left = None if options.timeout is None else max(options.timeout - spent[i], 1e-3)
        try:
            with _time_limit(left):
                out[i] = _finish(item, page, X, raw[lo:hi], options, model)
        except Exception as exc:  # a batch reports a failed page and goes on
            out[i] = error_record(item, exc)
        page.tree = None  # the lxml tree is large and cannot cross to another process
    return [o for o in out if o is not None]


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the code inside once ``seconds`` have passed (a SIGALRM timer).

    The signal interrupts Python code only: a single call into C (libxml2
    parsing a page) finishes before the timeout is raised.
    """
    if seconds is None:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise PageTimeout(f"the page took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_timeout(timeout: float | None, workers: int) -> None:
    if timeout is None:
        return
    if timeout <= 0:
        raise OptionError("timeout must be a positive number of seconds")
    if not hasattr(signal, "setitimer"):
        raise OptionError("timeout= needs SIGALRM timers, which this platform lacks")
    if workers == 1 and threading.current_thread() is not threading.main_thread():
        raise OptionError("timeout= with jobs=1 works in the main thread only; use jobs=2 or more")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[PageInput | PageOutput]]:
    """Pages in chunks of ``size``, or fewer when their HTML passes ``CHUNK_BYTES``.

    A chunk's parsed trees stay in memory until its pages are labelled, and a
    tree takes several times its page's size: the byte bound keeps a run of
    big pages from taking hundreds of megabytes.
    """
    chunk: list[PageInput | PageOutput] = []
    held = 0
    for index, item in enumerate(items):
        page = as_input(item, index)
        chunk.append(page)
        held += len(page.html) if isinstance(page, PageInput) else 0
        if len(chunk) == size or held >= CHUNK_BYTES:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _n_workers(jobs: int) -> int:
    """Processes for ``jobs``: a positive number as it is, -1 every core, -2 all but one, as in joblib."""
    if jobs == 0:
        raise OptionError("jobs must be a positive number of processes, or negative to count back from every core")
    return jobs if jobs > 0 else max((os.cpu_count() or 1) + 1 + jobs, 1)


@lru_cache(maxsize=4)
def _worker_model(path: str | None) -> Model:
    """The model of a worker process, loaded once per process and path."""
    return resolve_model(path)


def _chunk_task(chunk: list[PageInput | PageOutput], model: Model | str | None, options: _Options) -> list[PageOutput]:
    fitted = model if isinstance(model, Model) else _worker_model(model)
    return _run_chunk(chunk, fitted, options)


def classify_many(
    pages: Iterable[str | bytes | Mapping[str, Any] | PageInput],
    *,
    jobs: int = 1,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    chunk_size: int = DEFAULT_CHUNK,
    blocks: bool = True,
    limits: Limits | None = None,
    timeout: float | None = None,
) -> Iterator[PageOutput]:
    """Classify many pages; one :class:`PageOutput` per page, in input order, with its blocks.

    ``jobs`` is the number of processes (-1: every core). Options are those of
    :func:`boilerplate.classify_blocks`; a bad option raises at once, a bad
    page gives an error record. Pages without an id are numbered from 0.
    ``timeout`` bounds the seconds one page may take: beyond it the page is a
    ``PageTimeout`` error record and the run goes on.
    """
    fitted = resolve_model(model)
    if chunk_size < 1:
        raise OptionError("chunk_size must be at least 1")
    options = _Options(fitted.cut(threshold), check_keep(keep), encoding, blocks, limits, timeout)
    workers = _n_workers(jobs)
    _check_timeout(timeout, workers)
    # Workers load a model file themselves, once each; a model object travels with every chunk.
    shipped = model if isinstance(model, Model) else (None if model is None else str(model))
    return _stream(_chunks(pages, chunk_size), fitted, shipped, options, workers)


def _stream(
    chunks: Iterator[list[PageInput | PageOutput]],
    model: Model,
    shipped: Model | str | None,
    options: _Options,
    workers: int,
) -> Iterator[PageOutput]:
    if workers == 1:
        for chunk in chunks:
            yield from _run_chunk(chunk, model, options)
        return
    # joblib's loky workers start clean (a fork after OpenMP threads can hang) and are reused between
    # runs; each gets its share of the cores for the model's threads. At most two chunks per worker are
    # queued, so the input is read only as fast as results are taken.
    threads = str(max((os.cpu_count() or 1) // workers, 1))
    env = {var: threads for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}

    def submit(chunk: list[PageInput | PageOutput]) -> Future[list[PageOutput]]:
        executor = get_reusable_executor(max_workers=workers, env=env)
        return executor.submit(_chunk_task, chunk, shipped, options)

    def collect(chunk: list[PageInput | PageOutput], future: Future[list[PageOutput]]) -> list[PageOutput]:
        try:
            return future.result()
        except Exception:  # the worker process died (a crash, a kill): retry each page alone
            out: list[PageOutput] = []
            for item in chunk:
                try:
                    out += [item] if isinstance(item, PageOutput) else submit([item]).result()
                except Exception as exc:
                    out.append(error_record(item, exc))  # type: ignore[arg-type]
            return out

    in_flight: deque[tuple[list[PageInput | PageOutput], Future[list[PageOutput]]]] = deque()
    for chunk in chunks:
        in_flight.append((chunk, submit(chunk)))
        if len(in_flight) >= 2 * workers:
            yield from collect(*in_flight.popleft())
    while in_flight:
        yield from collect(*in_flight.popleft())


def extract_many(
    pages: Iterable[str | bytes | Mapping[str, Any] | PageInput],
    *,
    jobs: int = 1,
    model: Model | str | Path | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    chunk_size: int = DEFAULT_CHUNK,
    limits: Limits | None = None,
    timeout: float | None = None,
) -> Iterator[PageOutput]:
    """Like :func:`classify_many` without the blocks: text, paywall verdict and chrome kinds per page."""
    return classify_many(
        pages,
        jobs=jobs,
        model=model,
        encoding=encoding,
        threshold=threshold,
        keep=keep,
        chunk_size=chunk_size,
        blocks=False,
        limits=limits,
        timeout=timeout,
    )
