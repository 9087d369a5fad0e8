"""Shared test helpers: fixture pages, their hand-made labels, the WCXB data beside the project, and a Block
subclass for the compiled passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from boilerplate.segmentation import Block

FIXTURES = Path(__file__).parent / "fixtures"
WCXB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wcxb-dev"


@pytest.fixture(scope="session")
def wcxb_root() -> Path:
    """The WCXB development split in ../shared; tests that need it skip where it is absent."""
    if not (WCXB / "html").is_dir():
        pytest.skip(f"WCXB data not found at {WCXB} (it lives in ../shared beside the project, not in the repository)")
    return WCXB


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _shown_as(value: str, field: str) -> property:
    """A property that reads ``value`` whatever the block was given, which goes to Block's own slot ``field``."""
    return property(lambda self: value, lambda self, given: Block.__dict__[field].__set__(self, given))


class RetaggedBlock(Block):
    """A Block whose tag and XPath are properties: its slots hold what it was given, attribute lookup reads
    something else ("h2", "/html/body/main"). The compiled passes must read it as Python does."""

    __slots__ = ()
    tag = _shown_as("h2", "tag")
    xpath = _shown_as("/html/body/main", "xpath")
