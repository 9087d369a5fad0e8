"""Side-by-side benchmark: boilerplate and its peers on the same pages, accuracy and throughput in one run.

For every extractor it reports the benchmark's word-level F1 per page type
and overall, pages per CPU-second, that speed as a multiple of boilerplate's,
peak memory and the pages it failed on. A floor row, parsing each page with
lxml and walking its text nodes, shows what no extractor can go below. Last,
it measures how boilerplate scales on this machine: wall-clock pages per
second of ``boilerplate.batch.extract_many`` with ``jobs=1`` and ``jobs=2``
(the check is ``jobs=2`` at 1.7 times ``jobs=1`` or more). Peers that are not
installed are skipped with a note (``pip install -e ".[bench]"`` installs
trafilatura, jusText, readability-lxml and boilerpy3).

    python benchmarks/compare.py ../shared/data/wcxb-dev --split validation
    python benchmarks/compare.py ../shared/data/wcxb-dev --limit 40 --only boilerplate,trafilatura,floor
    python benchmarks/compare.py ../shared/data/wcxb-dev --skip-scaling --json
    python benchmarks/compare.py ../shared/data/wcxb-dev --only boilerplate,trafilatura,floor --rounds 3

Every extractor, the floor and each of the two scaling runs get a fresh
child process, one after another, never two at once, so the peak memory is
that extractor's own (the child's peak resident set, Python and the pages
included; on Linux ``VmHWM``, since ``ru_maxrss`` carries the parent's over
into the child) and one does not slow another. The pages are read once, up
front, and handed to the children in a temporary folder. A child imports its
extractor, loads the pages, warms up on the first page (model loading, lazy
imports), then times the whole loop over the pages: CPU time of the process
and wall-clock time. Scoring comes after the timing, outside it. The thread
settings in the environment (``OMP_NUM_THREADS`` and the like) go into the
report: on a busy machine the model's OpenMP threads change boilerplate's
CPU time a lot. A shared machine's speed also drifts by a quarter from one
minute to the next; ``--rounds 3`` runs every extractor (and each scaling
run) three times, the extractors taking turns, and reports each by its median
round, so that a ratio does not hang on one slow spell.

boilerplate runs twice: through its batch API, ``extract_many(pages,
jobs=1)``, as corpus builders use it (the model scores a chunk of pages in one
call), which is the row the others are compared with, and page by page with
``extract_text``. Peers get their recommended defaults and the page bytes,
except readability-lxml and boilerpy3, which take text: they get the pages
decoded by ``boilerplate.parsing.decode_html`` beforehand (it costs under 1%
of their time, and keeps boilerplate's imports out of their memory). A peer
that raises on a page scores 0 there and counts as a failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

SCRIPT = Path(__file__).resolve()
WORKER_FLAG = "--worker"  # hidden: ``compare.py --worker NAME FOLDER`` measures one extractor in a child process
SCALING_JOBS = {"jobs1": 1, "jobs2": 2}  # the scaling runs, each in a child of its own
FLOOR = "floor"
BASE = "boilerplate"
THREAD_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # recorded: they change the timings
SCALING_TARGET = 1.7  # jobs=2 should give at least this many times the pages per second of jobs=1

MODEL_FILE = "model.json"  # in the children's folder: the model file boilerplate loads (null: the shipped one)

T = TypeVar("T")
Runner = Callable[[Sequence[Any]], list[Any]]  # all pages in, one output per page out; None marks a failed page


# Extractors: each setup imports its library and returns a runner over all pages.


def _each(extract: Callable[[Any], T]) -> Callable[[Sequence[Any]], list[T | None]]:
    """A runner calling ``extract`` page by page; a page that raises gives None."""

    def run(pages: Sequence[Any]) -> list[T | None]:
        outputs: list[T | None] = []
        for page in pages:
            try:
                outputs.append(extract(page))
            except Exception:  # a peer that crashes on a page scores 0 there, as in the benchmark
                outputs.append(None)
        return outputs

    return run


# The model file boilerplate's rows load, set in the child from the folder (see worker); None: the shipped one.
_model: str | None = None


def _boilerplate_batch() -> Runner:
    from boilerplate import load_model
    from boilerplate.batch import extract_many

    model = load_model(_model)  # once, as a corpus builder would, not with every call

    def run(pages: Sequence[Any]) -> list[str | None]:
        return [out.text for out in extract_many(pages, jobs=1, model=model)]  # text is None where a page failed

    return run


def _boilerplate_page() -> Runner:
    from boilerplate import extract_text, load_model

    model = load_model(_model)
    return _each(lambda html: extract_text(html, model=model))


def _trafilatura() -> Runner:
    import trafilatura

    return _each(lambda html: trafilatura.extract(html, include_comments=False) or "")


def _justext() -> Runner:
    import justext

    stoplist = justext.get_stoplist("English")

    def extract(html: bytes) -> str:
        return "\n\n".join(p.text for p in justext.justext(html, stoplist) if not p.is_boilerplate)

    return _each(extract)


def _readability() -> Runner:
    import lxml.html
    from readability import Document

    def extract(text: str) -> str:
        summary = Document(text).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    return _each(extract)


def _boilerpy3() -> Runner:
    from boilerpy3 import extractors

    article = extractors.ArticleExtractor()  # the extractor boilerpy3's documentation uses and recommends
    return _each(article.get_content)


def _floor() -> Runner:
    import lxml.html

    def walk(html: bytes) -> int:
        return sum(len(text) for text in lxml.html.document_fromstring(html).itertext())

    return _each(walk)


@dataclass(frozen=True)
class Contender:
    """One row of the table: how to set it up, what it takes, and whether its output is scored."""

    setup: Callable[[], Runner]  # an ImportError from a peer means it is not installed
    label: str
    takes_text: bool = False  # the pages decoded to text rather than their bytes
    scored: bool = True
    peer: bool = True


CONTENDERS: dict[str, Contender] = {
    BASE: Contender(_boilerplate_batch, "boilerplate: extract_many(pages, jobs=1)", peer=False),
    "boilerplate-page": Contender(_boilerplate_page, "boilerplate: extract_text, page by page", peer=False),
    "trafilatura": Contender(_trafilatura, "trafilatura.extract"),
    "justext": Contender(_justext, "justext.justext, English stoplist"),
    "readability": Contender(_readability, "readability-lxml Document.summary", takes_text=True),
    "boilerpy3": Contender(_boilerpy3, "boilerpy3 ArticleExtractor", takes_text=True),
    FLOOR: Contender(_floor, "lxml document_fromstring + itertext", scored=False, peer=False),
}


# The child process: measure one contender (or the scaling) on the prepared pages.


def peak_mb() -> float:
    """This process's peak resident set so far, in MB.

    On Linux it is ``VmHWM`` from /proc/self/status: ``ru_maxrss`` survives
    fork and exec, so a child started from a large parent (the benchmark's
    own, or a test runner) would report the parent's size. Elsewhere it is
    ``ru_maxrss`` (KiB on Linux, bytes on macOS).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _load(folder: Path, name: str) -> Any:
    with open(folder / f"{name}.pickle", "rb") as f:
        return pickle.load(f)


def f1_by_type(outputs: Sequence[str | None], gold: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Mean word F1 per page type and over all pages ("all"); a failed page scores 0."""
    from boilerplate.evaluation import word_scores

    scores: dict[str, list[float]] = defaultdict(list)
    for text, (page_type, main_text) in zip(outputs, gold, strict=True):
        f1 = word_scores(text, main_text)[2] if text is not None else 0.0
        scores[page_type].append(f1)
        scores["all"].append(f1)
    return {kind: sum(v) / len(v) for kind, v in sorted(scores.items())}


def measure(name: str, folder: Path) -> dict[str, Any]:
    """Time one contender over the pages in ``folder``; its word F1 when scored."""
    contender = CONTENDERS[name]
    try:
        run = contender.setup()
    except ImportError as exc:
        if contender.peer:
            return {"skipped": f"not installed ({exc.name or exc})"}
        raise
    pages = _load(folder, "text" if contender.takes_text else "html")
    run(pages[:1])  # warm up: model loading, lazy imports, caches
    ready = peak_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    outputs = run(pages)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = peak_mb()  # before scoring, which imports boilerplate
    result: dict[str, Any] = {
        "label": contender.label,
        "pages": len(pages),
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "pages_per_cpu_second": len(pages) / cpu if cpu else float("inf"),
        "pages_per_second": len(pages) / wall if wall else float("inf"),
        "peak_mb": peak,
        "ready_mb": ready,  # the peak before the timed loop: Python, the library, its model and the pages
        "failures": sum(out is None for out in outputs),
    }
    if contender.scored:
        result["word_f1"] = f1_by_type(outputs, _load(folder, "gold"))
    return result


def measure_jobs(jobs: int, folder: Path) -> dict[str, Any]:
    """Wall-clock pages per second of extract_many with ``jobs`` processes, and a digest of the texts."""
    from boilerplate.batch import DEFAULT_CHUNK, extract_many

    pages = _load(folder, "html")
    # Warm up with the same jobs and enough chunks for every worker: each worker process loads the model
    # on its first chunk (the file at _model, or the shipped one), and the pool is reused by the timed run.
    list(extract_many(pages[: 4 * jobs * DEFAULT_CHUNK], jobs=jobs, model=_model))
    start = time.perf_counter()
    texts = [out.text for out in extract_many(pages, jobs=jobs, model=_model)]
    wall = time.perf_counter() - start
    return {
        "pages": len(pages),
        "chunk_size": DEFAULT_CHUNK,
        "pages_per_second": len(pages) / wall,
        "digest": hashlib.sha256(json.dumps(texts).encode()).hexdigest(),
    }


def worker(argv: list[str]) -> int:
    """Child entry point: measure NAME on the pages in FOLDER and write FOLDER/NAME.json."""
    global _model
    name, folder = argv[0], Path(argv[1])
    _model = json.loads((folder / MODEL_FILE).read_text())
    if name in SCALING_JOBS:
        result = measure_jobs(SCALING_JOBS[name], folder)
    else:
        result = measure(name, folder)
    (folder / f"{name}.json").write_text(json.dumps(result))
    return 0


# The parent process: prepare the pages, run the children one by one, put the report together.


def prepare(data: Path, split: str, limit: int | None, folder: Path, model: Path | None = None) -> int:
    """Read the pages once and leave them in ``folder`` for the children: bytes, decoded text, gold, the model."""
    from boilerplate.datasets import load_wcxb
    from boilerplate.parsing import decode_html

    pages = list(islice(load_wcxb(data, split), limit))
    parts = {
        "html": [p.html for p in pages],
        "text": [decode_html(p.html) for p in pages],
        "gold": [(p.page_type or "unknown", p.main_text) for p in pages],
    }
    for part, value in parts.items():
        with open(folder / f"{part}.pickle", "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / MODEL_FILE).write_text(json.dumps(None if model is None else str(model)))
    return len(pages)


def spawn(name: str, folder: Path, timeout: float) -> dict[str, Any]:
    """Run one child to its end and return its result, or an ``error`` when it died or hung."""
    command = [sys.executable, str(SCRIPT), WORKER_FLAG, name, str(folder)]
    # A session of its own, so that the child and any pool it starts can be stopped together.
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as child:
        try:
            _, stderr = child.communicate(timeout=timeout)
        except BaseException as exc:  # a hang, or Ctrl-C: stop the child's process group, no more
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            if not isinstance(exc, subprocess.TimeoutExpired):
                raise
            print(f"{name}: no result after {timeout:.0f} s, stopped", file=sys.stderr)
            return {"error": f"no result after {timeout:.0f} s"}
    out = folder / f"{name}.json"
    if child.returncode != 0 or not out.exists():
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        print(f"{name}: the child process failed (exit code {child.returncode})\n{tail}", file=sys.stderr)
        return {"error": f"exit code {child.returncode}: {tail.splitlines()[-1] if tail else ''}"}
    return json.loads(out.read_text())


def scaling(folder: Path, timeout: float, rounds: int = 1) -> dict[str, Any]:
    """How extract_many scales from one process to two, as wall-clock pages per second (median of ``rounds``)."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in SCALING_JOBS}
    for _ in range(rounds):
        for name in SCALING_JOBS:
            result = spawn(name, folder, timeout)
            if "error" in result:
                return {"error": f"{name}: {result['error']}"}
            runs[name].append(result)
    one, two = (sorted(runs[name], key=lambda r: r["pages_per_second"])[(rounds - 1) // 2] for name in SCALING_JOBS)
    ratio = two["pages_per_second"] / one["pages_per_second"]
    print(f"scaling: jobs=2 gives {ratio:.2f}× the pages/s of jobs=1", file=sys.stderr)
    return {
        "pages": one["pages"],
        "chunk_size": one["chunk_size"],
        "jobs1_pages_per_second": one["pages_per_second"],
        "jobs2_pages_per_second": two["pages_per_second"],
        "ratio": ratio,
        "target": SCALING_TARGET,
        "met": ratio >= SCALING_TARGET,
        "same_text": one["digest"] == two["digest"],
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Of one extractor's rounds, the one with the median pages per CPU-second (the lower of two middles).

    It carries every round's pages per CPU-second and the highest peak memory of all rounds.
    """
    ordered = sorted(runs, key=lambda r: r["pages_per_cpu_second"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["rounds_pages_per_cpu_second"] = [r["pages_per_cpu_second"] for r in runs]
    chosen["peak_mb"] = max(r["peak_mb"] for r in runs)
    return chosen


def run(
    data: Path,
    split: str,
    limit: int | None,
    only: list[str],
    with_scaling: bool,
    timeout: float,
    rounds: int = 1,
    model: Path | None = None,
) -> dict[str, Any]:
    """The whole benchmark as a JSON-ready report; ``model`` is a model file for boilerplate (default: the shipped).

    With ``rounds`` above 1 every extractor runs that many times, the extractors taking turns, so that a
    slow spell of the machine falls on all of them; each is reported by its median round, and so are the
    two scaling runs.
    """
    from boilerplate import load_model
    from boilerplate.api import compiled_modules

    load_model(model)  # a missing or tampered model stops here, before any child starts
    report: dict[str, Any] = {
        "data": str(data),
        "split": split,
        "cpu_count": os.cpu_count(),
        "load_average_before": os.getloadavg()[0],
        "thread_settings": {name: os.environ[name] for name in THREAD_SETTINGS if name in os.environ},
        "rounds": rounds,
        "boilerplate_compiled": list(compiled_modules()),  # without them boilerplate runs pure Python, slower
        "model": "shipped" if model is None else str(model),
    }
    runs: dict[str, list[dict[str, Any]]] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        folder = Path(tmp)
        report["pages"] = prepare(data, split, limit, folder, model)
        for _ in range(rounds):
            for name in only:
                if name in skipped:
                    continue
                result = spawn(name, folder, timeout)
                if "skipped" in result or "error" in result:
                    skipped[name] = result.get("skipped") or result["error"]
                    runs.pop(name, None)  # an extractor that failed once is reported as failed
                    print(f"{name}: {skipped[name]}, skipped", file=sys.stderr)
                    continue
                runs.setdefault(name, []).append(result)
                print(
                    f"{name}: {result['pages_per_cpu_second']:.1f} pages/CPU-s, peak {result['peak_mb']:.0f} MB",
                    file=sys.stderr,
                )
        report["scaling"] = scaling(folder, timeout, rounds) if with_scaling else None
    results = {name: median_run(rs) for name, rs in runs.items()}
    report["load_average_after"] = os.getloadavg()[0]
    base = results.get(BASE, {}).get("pages_per_cpu_second")
    for result in results.values():
        result["ratio_to_boilerplate"] = _ratio(result["pages_per_cpu_second"], base)
    floor = results.pop(FLOOR, None)
    report["results"] = results
    report["floor"] = floor
    # boilerplate's CPU time over the floor's on the same pages, that is the floor's speed over boilerplate's
    report["boilerplate_over_floor"] = _ratio(floor["pages_per_cpu_second"], base) if floor else None
    report["skipped"] = skipped
    return report


def _cell(value: float | None, spec: str, width: int, suffix: str = "") -> str:
    return f"{'-' if value is None else format(value, spec) + suffix:>{width}}"


def table(report: dict[str, Any]) -> str:
    """The report as a plain-text table, with what each column means."""
    results = report["results"]
    types = [*sorted({t for r in results.values() for t in r.get("word_f1", {}) if t != "all"}), "all"]
    header = (
        f"{'extractor':<18}"
        + "".join(f"{t[:11]:>12}" for t in types)
        + f"{'pages/CPU-s':>13}{'vs boilerplate':>16}{'peak MB':>9}{'failures':>10}"
    )
    threads = "".join(f", {name}={value}" for name, value in report["thread_settings"].items())
    rows = [
        f"word F1 and throughput on {report['pages']} {report['split']} pages "
        f"({report['cpu_count']} cores, load average {report['load_average_before']:.1f} before, "
        f"{report['load_average_after']:.1f} after{threads}; boilerplate's compiled modules: "
        f"{', '.join(report['boilerplate_compiled']) or 'none'}; model: {report['model']})",
        header,
        "-" * len(header),
    ]
    floor = report["floor"]
    for name, r in [*results.items(), *([(FLOOR, floor)] if floor else [])]:
        f1 = r.get("word_f1", {})
        rows.append(
            f"{name:<18}"
            + "".join(_cell(f1.get(t), ".3f", 12) for t in types)
            + _cell(r["pages_per_cpu_second"], ".1f", 13)
            + _cell(r["ratio_to_boilerplate"], ".2f", 16, "×")
            + _cell(r["peak_mb"], ".0f", 9)
            + f"{r['failures']:>10}"
        )
    rows += [
        "",
        "pages/CPU-s: pages over the child process's CPU time for the loop over them (imports, model loading",
        "  and one warm-up page excluded); peak MB: the child's peak resident set, Python and the pages included.",
    ]
    if report.get("rounds", 1) > 1:
        rows.append(f"  Each extractor ran {report['rounds']} times, taking turns; its median round is shown. Rounds:")
        for name, r in [*results.items(), *([(FLOOR, floor)] if floor else [])]:
            rows.append(f"  {name:<18}" + " ".join(f"{x:.1f}" for x in r["rounds_pages_per_cpu_second"]))
    rows += [
        "vs boilerplate: the extractor's pages/CPU-s over boilerplate's (the extract_many row):",
        "  above 1× it is faster than boilerplate, below 1× slower. floor: lxml parsing and a walk over the text.",
    ]
    if report["boilerplate_over_floor"] is not None:
        rows.append(
            f"boilerplate ÷ floor: boilerplate takes {report['boilerplate_over_floor']:.1f}× the CPU time of "
            "parsing the pages with lxml and walking their text."
        )
    scaling = report["scaling"]
    if scaling and "error" not in scaling:
        verdict = "met" if scaling["met"] else "not met"
        rows.append(
            f"scaling: extract_many jobs=1 {scaling['jobs1_pages_per_second']:.1f} pages/s, "
            f"jobs=2 {scaling['jobs2_pages_per_second']:.1f} pages/s wall-clock: {scaling['ratio']:.2f}× "
            f"(target ≥ {scaling['target']}×: {verdict}; same text: {'yes' if scaling['same_text'] else 'NO'})"
            + (f"; medians of {report['rounds']} rounds" if report.get("rounds", 1) > 1 else "")
        )
        chunks = -(-scaling["pages"] // scaling["chunk_size"])
        if chunks < 8:
            rows += [
                f"  only {chunks} chunk(s) of {scaling['chunk_size']} pages: too few to share evenly between two",
                "  processes; run on more pages (the whole split) for the check.",
            ]
    elif scaling:
        rows.append(f"scaling: failed ({scaling['error']})")
    for name, why in report["skipped"].items():
        rows.append(f"skipped: {name} ({why})")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [WORKER_FLAG]:
        return worker(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a WCXB folder (html/, ground-truth/, splits.json)")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument(
        "--only", help=f"comma-separated extractors to run, in that order, from: {', '.join(CONTENDERS)}"
    )
    parser.add_argument("--skip-scaling", action="store_true", help="leave out the jobs=1 against jobs=2 run")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--model", type=Path, help="a model file (its card beside it) for boilerplate's rows (default: the shipped one)"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds one child may take before it is stopped (default 1800)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run every extractor this many times, taking turns, and report each by its median round (default 1)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else list(CONTENDERS)
    unknown = [n for n in only if n not in CONTENDERS]
    if unknown:
        parser.error(f"unknown extractor(s) {', '.join(unknown)}; choose from {', '.join(CONTENDERS)}")
    if not (args.data / "html").is_dir():
        print(f"no WCXB data at {args.data} (it lives in ../shared beside the project)", file=sys.stderr)
        return 2
    from boilerplate.errors import ModelError

    model = args.model.resolve() if args.model else None
    try:
        report = run(
            args.data.resolve(), args.split, args.limit, only, not args.skip_scaling, args.timeout, args.rounds, model
        )
    except ModelError as exc:
        print(f"cannot use the model: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
