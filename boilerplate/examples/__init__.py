"""Example pages shipped with the package, for trying the library out."""

from __future__ import annotations

from pathlib import Path

__all__ = ["example_path", "EXAMPLES"]

_HERE = Path(__file__).resolve().parent
EXAMPLES: tuple[str, ...] = tuple(sorted(p.name for p in _HERE.glob("*.html")))


def example_path(name: str = "blog-post.html") -> Path:
    """Path of a shipped example page."""
    path = _HERE / name
    if not path.exists():
        raise FileNotFoundError(f"no example {name!r}; there are {', '.join(EXAMPLES)}")
    return path
