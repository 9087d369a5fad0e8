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


class RetaggedBlock(Block):
    """A Block whose tag and XPath are properties: its slots hold what it was given, attribute lookup reads
    something else ("h2", "/html/body/main"). The compiled passes must read it as Python does."""

    __slots__ = ()

    @property
    def tag(self) -> str:
        return "h2"

    @tag.setter
    def tag(self, value: str) -> None:
        Block.__dict__["tag"].__set__(self, value)

    @property
    def xpath(self) -> str:
        return "/html/body/main"

    @xpath.setter
    def xpath(self, value: str) -> None:
        Block.__dict__["xpath"].__set__(self, value)
