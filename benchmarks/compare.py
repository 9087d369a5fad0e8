"""Side-by-side benchmark: boilerplate and its peers on the WCXB validation split, in one run.

For every extractor it reports the benchmark's word-level F1 per page type
and overall, and the time it took, as a ratio to boilerplate's. Peers that
are not installed are skipped with a note (``pip install -e ".[bench]"``
installs trafilatura, jusText and readability-lxml).

    python benchmarks/compare.py ../shared/data/wcxb-dev --split validation
    python benchmarks/compare.py ../shared/data/wcxb-dev --limit 50 --json

Each extractor sees the page bytes; each runs on the same pages in the same
process, one after the other, so the timings compare like with like. Peers
get their recommended defaults. The timing covers the whole call, parsing
included, and nothing else (reading the files happens once, before).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from boilerplate import extract_text
from boilerplate.datasets import load_wcxb
from boilerplate.evaluation import word_scores
from boilerplate.parsing import decode_html

Extractor = Callable[[bytes], str]


def _boilerplate(html: bytes) -> str:
    return extract_text(html)


def _trafilatura() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(html: bytes) -> str:
        return trafilatura.extract(html, include_comments=False) or ""

    return run


def _justext() -> Extractor | None:
    try:
        import justext
    except ImportError:
        return None
    stoplist = justext.get_stoplist("English")

    def run(html: bytes) -> str:
        paragraphs = justext.justext(html, stoplist)
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def _readability() -> Extractor | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None

    def run(html: bytes) -> str:
        summary = Document(decode_html(html)).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    return run


def extractors() -> dict[str, Extractor | None]:
    return {
        "boilerplate": _boilerplate,
        "trafilatura": _trafilatura(),
        "justext": _justext(),
        "readability": _readability(),
    }


def run(data: Path, split: str, limit: int | None) -> dict:
    pages = list(load_wcxb(data, split))[:limit]
    results: dict[str, dict] = {}
    for name, extract in extractors().items():
        if extract is None:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        scores: dict[str, list[float]] = defaultdict(list)
        failures = 0
        start = time.perf_counter()
        for page in pages:
            try:
                text = extract(page.html)
            except Exception:  # a peer that crashes on a page scores 0 there, as in the benchmark
                text, failures = "", failures + 1
            f1 = word_scores(text, page.main_text)[2]
            scores[page.page_type or "unknown"].append(f1)
            scores["all"].append(f1)
        seconds = time.perf_counter() - start
        results[name] = {
            "seconds": seconds,
            "pages_per_second": len(pages) / seconds if seconds else float("inf"),
            "failures": failures,
            "word_f1": {kind: sum(v) / len(v) for kind, v in sorted(scores.items())},
        }
        print(f"{name}: {seconds:.1f} s", file=sys.stderr)
    return {"data": str(data), "split": split, "pages": len(pages), "results": results}


def table(report: dict) -> str:
    results = report["results"]
    base = results["boilerplate"]["seconds"]
    types = [t for t in results["boilerplate"]["word_f1"] if t != "all"] + ["all"]
    header = f"{'extractor':<13}" + "".join(f"{t[:11]:>12}" for t in types) + f"{'pages/s':>10}{'time ratio':>12}"
    rows = [f"word F1 on {report['pages']} {report['split']} pages", header, "-" * len(header)]
    for name, r in results.items():
        cells = "".join(f"{r['word_f1'].get(t, float('nan')):>12.3f}" for t in types)
        rows.append(f"{name:<13}{cells}{r['pages_per_second']:>10.1f}{r['seconds'] / base:>12.2f}")
    rows.append("time ratio: the extractor's time over boilerplate's on the same pages (lower is faster)")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a WCXB folder (html/, ground-truth/, splits.json)")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "html").is_dir():
        print(f"no WCXB data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    report = run(args.data, args.split, args.limit)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
