"""Run boilerplate on Ray: a Ray Data mapper, a Dataset helper, and a page stream for the command line.

Three ways in, for three kinds of caller:

* :class:`BoilerplateMapper` is a callable class for ``Dataset.map_batches``:
  Ray Data runs it as a pool of actors, each loading the model once, and it
  adds ``text``, ``paywalled``, ``paywall``, ``chrome_kinds`` and ``error``
  columns to a dataset with an ``html`` column.
* :func:`extract_dataset` wraps that call with sensible settings.
* :func:`extract_on_ray` takes any iterable of pages (as
  :func:`boilerplate.batch.extract_many` does) and yields one
  :class:`~boilerplate.batch.PageOutput` per page, in input order, the same
  as ``extract_many`` gives on one machine.

Needs the ``[ray]`` extra (``pip install "boilerplate[ray]"``); on a cluster,
every node needs boilerplate installed too.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

try:
    import pyarrow as pa
    import ray
    import ray.data
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError('boilerplate.ray_data needs Ray Data: pip install "boilerplate[ray]"') from exc

from .api import resolve_model
from .batch import DEFAULT_CHUNK, PageInput, PageOutput, as_input, classify_many, error_record, extract_many
from .errors import OptionError
from .model import Model
from .parsing import Limits

__all__ = ["OUTPUT_SCHEMA", "BoilerplateMapper", "extract_dataset", "extract_on_ray"]

# The columns the mapper adds. Nested results (the paywall finding, the chrome counts) travel as
# JSON strings: their keys vary from page to page, and Arrow wants one schema for every block.
OUTPUT_SCHEMA = pa.schema(
    [
        ("text", pa.string()),  # null when the page failed
        ("paywalled", pa.bool_()),  # null when the page failed
        ("paywall", pa.string()),  # JSON of PaywallFinding.to_dict(); null when the page failed
        ("chrome_kinds", pa.string()),  # JSON object, chrome kind -> number of blocks
        ("error", pa.string()),  # "ExceptionName: message", null when the page went through
    ]
)

Batch = pa.Table | dict[str, Any]


class BoilerplateMapper:
    """A ``map_batches`` callable class: the model is loaded once per actor, then every batch reuses it.

    Use it with ``batch_format="pyarrow"`` (what :func:`extract_dataset`
    does): the HTML column comes as Arrow strings or binary, with no copy to
    numpy, and the new columns go back with the fixed types of
    :data:`OUTPUT_SCHEMA`, so a batch of failed pages has the same schema as
    any other. A dict of numpy arrays (Ray's default format) works too.

    Input columns are kept as they are (an ``id`` column passes through); a
    column of the same name as an output column is replaced. ``url_column``
    is read when present: the URL is one of the page's features.
    """

    def __init__(
        self,
        model: Model | str | Path | None = None,
        *,
        threshold: float | str | None = None,
        keep: Iterable[str] = (),
        encoding: str | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        html_column: str = "html",
        url_column: str | None = "url",
    ) -> None:
        self.model = resolve_model(model)
        self.options: dict[str, Any] = {
            "threshold": threshold,
            "keep": tuple(keep),
            "encoding": encoding,
            "chunk_size": chunk_size,
        }
        extract_many((), model=self.model, **self.options)  # a bad option fails the actor at start, not each batch
        self.html_column = html_column
        self.url_column = url_column

    def __call__(self, batch: Batch) -> pa.Table:
        table = batch if isinstance(batch, pa.Table) else pa.table(batch)
        if self.html_column not in table.column_names:
            raise KeyError(f"no column {self.html_column!r} in the batch (columns: {', '.join(table.column_names)})")
        htmls = table.column(self.html_column).to_pylist()
        if self.url_column and self.url_column in table.column_names:
            urls = table.column(self.url_column).to_pylist()
        else:
            urls = [None] * len(htmls)
        pages = [{"html": html, "url": url} for html, url in zip(htmls, urls, strict=True)]
        outputs = list(extract_many(pages, jobs=1, model=self.model, **self.options))
        return _with_columns(table, output_columns(outputs))


def output_columns(outputs: list[PageOutput]) -> dict[str, pa.Array]:
    """The mapper's columns for a list of results, typed as :data:`OUTPUT_SCHEMA`."""
    values: dict[str, list[Any]] = {
        "text": [o.text for o in outputs],
        "paywalled": [None if o.paywall is None else bool(o.paywall.get("paywalled")) for o in outputs],
        "paywall": [None if o.paywall is None else json.dumps(o.paywall, ensure_ascii=False) for o in outputs],
        "chrome_kinds": [json.dumps(o.chrome_kinds, ensure_ascii=False) for o in outputs],
        "error": [o.error for o in outputs],
    }
    return {f.name: pa.array(values[f.name], type=f.type) for f in OUTPUT_SCHEMA}


def _with_columns(table: pa.Table, columns: dict[str, pa.Array]) -> pa.Table:
    for name, column in columns.items():
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, column) if index >= 0 else table.append_column(name, column)
    return table


def _actor_pool(concurrency: int | tuple[int, int] | None) -> ray.data.ActorPoolStrategy:
    if concurrency is None:
        return ray.data.ActorPoolStrategy(min_size=1)  # Ray's own default for a callable class: it scales up
    if isinstance(concurrency, int):
        return ray.data.ActorPoolStrategy(size=concurrency)
    low, high = concurrency
    return ray.data.ActorPoolStrategy(min_size=low, max_size=high)


def extract_dataset(
    ds: ray.data.Dataset,
    *,
    concurrency: int | tuple[int, int] | None = None,
    batch_size: int = 64,
    model: Model | str | Path | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    encoding: str | None = None,
    html_column: str = "html",
    url_column: str | None = "url",
    num_cpus: float = 1,
) -> ray.data.Dataset:
    """``ds`` with boilerplate's columns added (see :data:`OUTPUT_SCHEMA`); lazy, like any ``map_batches``.

    ``concurrency`` is the number of actors (a number, or ``(min, max)`` for
    an autoscaling pool; None lets Ray scale from one). Options are checked
    here, so a bad one raises now rather than in every actor. A model given
    as a path is loaded here and shipped to the actors, so the file need not
    exist on the other nodes; with ``model=None`` each actor loads the model
    that ships with its own installation. Row order follows Ray's
    ``DataContext.execution_options.preserve_order``: keep an ``id`` column
    to match results with their pages.
    """
    fitted = resolve_model(model)
    extract_many((), model=fitted, threshold=threshold, keep=keep, encoding=encoding)
    return ds.map_batches(
        BoilerplateMapper,
        fn_constructor_kwargs={
            "model": None if model is None else fitted,
            "threshold": threshold,
            "keep": tuple(keep),
            "encoding": encoding,
            "chunk_size": batch_size,  # one model call per batch
            "html_column": html_column,
            "url_column": url_column,
        },
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=_actor_pool(concurrency),
        num_cpus=num_cpus,
    )


class _PageWorker:
    """A Ray actor with the model loaded: classifies each list of pages it is sent, as ``classify_many`` does."""

    def __init__(self, model: Model | None, options: dict[str, Any]) -> None:
        self.model = resolve_model(model)
        self.options = options

    def run(self, pages: list[Any]) -> list[PageOutput]:
        return list(classify_many(pages, jobs=1, model=self.model, **self.options))


def extract_on_ray(
    pages: Iterable[str | bytes | Mapping[str, Any] | PageInput],
    *,
    address: str | None = None,
    chunk_pages: int = 1000,
    model: Model | str | Path | None = None,
    blocks: bool = False,
    concurrency: int | None = None,
    encoding: str | None = None,
    threshold: float | str | None = None,
    keep: Iterable[str] = (),
    chunk_size: int = DEFAULT_CHUNK,
    limits: Limits | None = None,
    timeout: float | None = None,
) -> Iterator[PageOutput]:
    """Classify pages on a Ray cluster; one :class:`PageOutput` per page, in input order, as ``extract_many`` gives.

    ``address`` is passed to ``ray.init`` (``"auto"`` joins the cluster this
    machine belongs to, None starts a local Ray) unless Ray is already
    initialized, in which case that connection is used; a Ray started here
    is shut down at the end. ``concurrency`` actors (default: one per CPU of
    the cluster; each reserves one CPU) hold the model and classify ``chunk_size`` pages per
    call; at most about ``chunk_pages`` pages are in flight, so the input is
    read only as fast as the cluster works through it, and memory stays
    bounded whatever its length. With ``blocks=True`` the records carry
    their blocks, as with ``classify_many``; ``limits`` and ``timeout`` are
    those of ``classify_many``, applied in the actors.

    Long-lived actors are used rather than a Ray Dataset per chunk of pages:
    a Dataset starts (and ends) its actor pool with each execution, which
    would load the model again for every chunk. An actor that dies is
    restarted and its pages tried once more; pages that still fail come back
    as error records, so every page in gives one record out.
    """
    if chunk_pages < 1:
        raise OptionError("chunk_pages must be at least 1")
    if concurrency is not None and concurrency < 1:
        raise OptionError("concurrency must be at least 1")
    fitted = resolve_model(model)
    options: dict[str, Any] = {
        "encoding": encoding,
        "threshold": threshold,
        "keep": tuple(keep),
        "chunk_size": chunk_size,
        "blocks": blocks,
        "limits": limits,
        "timeout": timeout,
    }
    classify_many((), model=fitted, **options)  # a bad option raises here, before Ray starts
    # With the shipped model, each actor loads its own copy; any other model travels through the object store.
    shipped = None if model is None else fitted
    batch = min(chunk_size, chunk_pages)
    return _stream(pages, address, shipped, options, concurrency, batch, chunk_pages)


def _stream(
    pages: Iterable[Any],
    address: str | None,
    model: Model | None,
    options: dict[str, Any],
    concurrency: int | None,
    batch: int,
    chunk_pages: int,
) -> Iterator[PageOutput]:
    started = not ray.is_initialized()
    if started:
        ray.init(address=address)
    workers: list[Any] = []
    try:
        n = concurrency or max(int(ray.cluster_resources().get("CPU", 1)), 1)
        # Restart a dead actor (an out-of-memory kill, a lost node) and retry its calls once.
        worker_class = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=1)(_PageWorker)
        model_ref = ray.put(model) if model is not None else None
        workers = [worker_class.remote(model_ref, options) for _ in range(n)]
        in_flight: deque[tuple[list[PageInput | PageOutput], Any]] = deque()
        queued = 0
        for number, items in enumerate(_numbered_batches(pages, batch)):
            in_flight.append((items, workers[number % n].run.remote(items)))
            queued += len(items)
            while queued >= chunk_pages:
                items, ref = in_flight.popleft()
                queued -= len(items)
                yield from _collect(items, ref)
        while in_flight:
            yield from _collect(*in_flight.popleft())
    finally:
        for worker in workers:
            ray.kill(worker)
        if started:
            ray.shutdown()


def _numbered_batches(pages: Iterable[Any], size: int) -> Iterator[list[PageInput | PageOutput]]:
    """Batches of pages, numbered and checked here as ``extract_many`` does, so ids match its output."""
    items: list[PageInput | PageOutput] = []
    for index, item in enumerate(pages):
        items.append(as_input(item, index))
        if len(items) == size:
            yield items
            items = []
    if items:
        yield items


def _collect(items: list[PageInput | PageOutput], ref: Any) -> list[PageOutput]:
    """A batch's records; when the actor failed the batch as a whole, an error record for each page."""
    try:
        return ray.get(ref)
    except Exception as exc:
        return [item if isinstance(item, PageOutput) else error_record(item, exc) for item in items]
