"""On Ray, the same records as extract_many on one machine: Ray Data columns, and the page stream the CLI uses."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

# Read when Ray is imported: a single-node Ray then puts every process on 127.0.0.1, not on the
# machine's network address (the switch is named for Windows and macOS, where that is the default).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

ray = pytest.importorskip("ray", reason='needs the [ray] extra: pip install "boilerplate[ray]"')
pytest.importorskip("ray.data", reason='needs the [ray] extra: pip install "boilerplate[ray]"')

from boilerplate import OptionError  # noqa: E402
from boilerplate.batch import PageInput, PageOutput, classify_many, extract_many  # noqa: E402
from boilerplate.ray_data import OUTPUT_SCHEMA, BoilerplateMapper, extract_dataset, extract_on_ray  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

# Ray Data's own settings object warns about its deprecated fields whenever it is copied.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A two-CPU Ray on the loopback interface: no dashboard, no usage report, warnings only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        patch.setattr(ray.data.DataContext.get_current(), "enable_progress_bars", False)
        patch.setattr(logging.getLogger("ray.data"), "level", logging.WARNING)  # not each execution's plan and timing
        ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
        try:
            assert {node["NodeManagerAddress"] for node in ray.nodes()} == {"127.0.0.1"}
            yield
        finally:
            ray.shutdown()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    """The fixture pages as dataset rows, and one PNG, which must come back as an error record."""
    pages = [
        {"id": path.stem, "html": path.read_bytes(), "url": f"https://example.org/{path.stem}"}
        for path in sorted(FIXTURES.glob("*.html"))
    ]
    return [*pages, {"id": "png", "html": PNG, "url": "https://example.org/logo.png"}]


def test_extract_dataset_adds_the_columns_extract_many_gives(local_ray: None, rows: list[dict[str, Any]]) -> None:
    expected = {o.id: o for o in extract_many(rows)}
    ds = extract_dataset(ray.data.from_items(rows), concurrency=1, batch_size=8).materialize()
    out = ds.take_all()

    assert len(out) == len(rows)
    assert sorted(r["id"] for r in out) == sorted(expected)
    schema = ds.schema()
    assert [schema.types[schema.names.index(field.name)] for field in OUTPUT_SCHEMA] == OUTPUT_SCHEMA.types
    for row in out:
        want = expected[row["id"]]
        assert row["html"] is not None and row["url"] == want.url  # the input columns pass through
        assert row["text"] == want.text
        assert row["error"] == want.error
        assert json.loads(row["chrome_kinds"]) == want.chrome_kinds
        if want.paywall is None:
            assert row["paywall"] is None and row["paywalled"] is None
        else:
            assert json.loads(row["paywall"]) == want.paywall
            assert row["paywalled"] == want.paywall["paywalled"]
    png = next(r for r in out if r["id"] == "png")
    assert png["error"].startswith("NotHTMLError") and png["text"] is None
    assert sum(r["paywalled"] is True for r in out) > 0


def test_extract_on_ray_yields_what_extract_many_yields_in_order(local_ray: None, rows: list[dict[str, Any]]) -> None:
    # Every kind of input: bare bytes, records with and without id, PageInput, a PNG, a record without html, a number.
    pages: list[Any] = [row["html"] for row in rows[:4]]
    pages += [{"html": row["html"], "url": row["url"]} for row in rows[4:8]]
    pages += [PageInput(row["html"], url=row["url"]) for row in rows[8:11]]
    pages += [rows[11], PNG, {"id": "no-html"}, 12345, rows[12]]
    expected = list(extract_many(pages))
    pulled = 0

    def lazily() -> Iterator[Any]:
        nonlocal pulled
        for page in pages:
            pulled += 1
            yield page

    out: list[PageOutput] = []
    for record in extract_on_ray(lazily(), address=None, chunk_pages=8, chunk_size=3, concurrency=2):
        if not out:
            assert pulled <= 8 + 3  # the input is read as the results come back, not all at once
        out.append(record)

    assert len(out) == len(pages)
    assert out == expected
    assert [o.id for o in out][:3] == ["0", "1", "2"] and out[pages.index(12345)].id == str(pages.index(12345))
    assert out[pages.index(PNG)].error.startswith("NotHTMLError")


def test_extract_on_ray_gives_blocks_as_classify_many_does(local_ray: None, rows: list[dict[str, Any]]) -> None:
    pages = rows[:3]
    assert list(extract_on_ray(pages, address=None, blocks=True, concurrency=1)) == list(classify_many(pages))


def test_the_mapper_takes_numpy_batches_too_and_replaces_columns_it_adds(rows: list[dict[str, Any]]) -> None:
    batch = {
        "html": np.array([rows[0]["html"], PNG, None], dtype=object),
        "text": np.array(["old", "old", "old"], dtype=object),  # an input column of an output's name is replaced
    }
    out = BoilerplateMapper()(batch).to_pydict()
    expected = list(extract_many([{"html": html} for html in batch["html"]]))
    assert out["text"] == [o.text for o in expected]
    assert out["error"] == [o.error for o in expected] and out["error"][2] == "InputError: the record has no html"
    assert out["html"] == list(batch["html"])


def test_a_bad_option_raises_before_ray_is_asked_for_anything() -> None:
    with pytest.raises(OptionError):
        extract_on_ray([], address="ray://nowhere:1", keep=["no-such-kind"])
    with pytest.raises(OptionError):
        extract_on_ray([], address="ray://nowhere:1", chunk_pages=0)


def test_the_command_runs_on_ray(local_ray: None, capsys: pytest.CaptureFixture[str]) -> None:
    from boilerplate.cli import main

    pages = [str(p) for p in sorted(FIXTURES.glob("*.html"))[:3]]
    assert main(["extract", "--json", *pages]) == 0
    here = capsys.readouterr().out
    assert main(["extract", "--json", "--ray", "auto", *pages]) == 0
    assert capsys.readouterr().out == here


def test_extract_on_ray_applies_limits_and_the_time_limit_in_the_actors(local_ray: None) -> None:
    from boilerplate import Limits

    paragraph = "<p>The committee met on Tuesday to discuss the budget of the town.</p>"
    pages = ["<html><body>" + paragraph + "</body></html>", "<html><body>" + paragraph * 200 + "</body></html>"]
    limits = Limits(max_bytes=5_000, truncate=True)
    out = list(extract_on_ray(pages, concurrency=1, limits=limits))
    assert [o.truncated for o in out] == [False, True] and all(o.ok for o in out)
    assert [o.text for o in out] == [o.text for o in extract_many(pages, limits=limits)]
    # About two seconds of work before the model here, four times the limit: a page far over it on any machine.
    slow = "<html><body><ul>" + "<li>item</li>" * 200_000 + "</ul></body></html>"
    out = list(extract_on_ray([pages[0], slow], concurrency=1, timeout=0.5))
    assert out[0].ok and out[1].error.startswith("PageTimeout")
