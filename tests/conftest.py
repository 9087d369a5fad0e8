"""Shared test helpers: fixture pages, their hand-made labels, and the WCXB data beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

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
