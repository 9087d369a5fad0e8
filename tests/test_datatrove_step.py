"""The datatrove step: a JSONL pipeline gives the text and verdict extract_many gives, and drops failed pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove", reason='needs the [datatrove] extra: pip install "boilerplate[datatrove]"')
pytest.importorskip("orjson", reason="datatrove's JSONL reader and writer need orjson (in the [datatrove] extra)")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from boilerplate import OptionError, extract_text
from boilerplate.batch import extract_many
from boilerplate.datatrove_step import BoilerplateExtractor
from boilerplate.parsing import decode_html

from .conftest import FIXTURES

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
NAV_ONLY = "<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></body></html>"


def _records() -> list[dict[str, Any]]:
    """The fixture pages as JSONL records (datatrove reads ``text`` and ``id``), a PNG, and a page with no content."""
    records = [
        {"id": path.stem, "text": decode_html(path.read_bytes()), "url": f"https://example.org/{path.stem}"}
        for path in sorted(FIXTURES.glob("*.html"))
    ]
    records.append({"id": "png", "text": PNG.decode("latin-1"), "url": "https://example.org/logo.png"})
    records.append({"id": "nav-only", "text": NAV_ONLY, "url": "https://example.org/"})
    return records


def test_a_jsonl_pipeline_gives_the_text_and_verdict_extract_many_gives(tmp_path: Path) -> None:
    records = _records()
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "pages.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    expected = {o.id: o for o in extract_many({"id": r["id"], "html": r["text"], "url": r["url"]} for r in records)}
    assert expected["png"].error is not None and expected["nav-only"].text == ""

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            BoilerplateExtractor(),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    written = [json.loads(line) for path in sorted((tmp_path / "out").glob("*.jsonl")) for line in open(path)]
    kept = {page_id for page_id, o in expected.items() if o.ok and o.text}
    assert sorted(doc["id"] for doc in written) == sorted(kept)  # the PNG and the page with no text are dropped
    for doc in written:
        want = expected[doc["id"]]
        assert doc["text"] == want.text
        assert doc["metadata"]["url"] == want.url
        assert doc["metadata"]["boilerplate"] == {
            "paywalled": want.paywall["paywalled"],
            "paywall": want.paywall,
            "chrome_kinds": want.chrome_kinds,
            "truncated": False,
        }

    stats = {stat["name"]: stat["stats"] for stat in json.loads((tmp_path / "logs" / "stats.json").read_text())}
    step = next(value for name, value in stats.items() if "boilerplate" in name)
    assert step["total"] == len(records)
    assert step["clean_error"] == 1 and step["dropped"] == 1
    assert step["forwarded"] == len(kept) == step["extracted"] - 1
    assert step["paywalled"] == sum(bool(expected[i].paywall["paywalled"]) for i in kept)


def test_extract_is_extract_text_and_options_are_checked_when_the_pipeline_is_built() -> None:
    html = (FIXTURES / "forum-thread.html").read_bytes().decode("utf-8")
    assert BoilerplateExtractor(threshold="favor_precision").extract(html) == extract_text(
        html, threshold="favor_precision"
    )
    with pytest.raises(OptionError):
        BoilerplateExtractor(keep=["no-such-kind"])
    with pytest.raises(OptionError):
        BoilerplateExtractor(threshold="no-such-preset")


def test_limits_reach_the_step() -> None:
    from boilerplate import LimitError, Limits

    html = (FIXTURES / "forum-thread.html").read_bytes().decode("utf-8")
    with pytest.raises(LimitError):
        BoilerplateExtractor(limits=Limits(max_bytes=1_000)).extract(html)
    cut = BoilerplateExtractor(limits=Limits(max_bytes=len(html) // 2, truncate=True)).extract(html)
    assert 0 < len(cut) < len(BoilerplateExtractor().extract(html))
