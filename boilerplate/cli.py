"""The ``boilerplate`` command: classify, extract, analyze, train and evaluate."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .api import CONTENT, compiled_modules, load_model
from .batch import PageInput, PageOutput, block_record, classify_many
from .errors import BoilerplateError, OptionError
from .evaluation import one_line
from .kinds import GUARDED, KINDS
from .parsing import DEFAULT_LIMITS, Limits
from .sources import read_pages

__all__ = ["main"]


def _pages(args: argparse.Namespace) -> Iterator[PageInput | PageOutput]:
    if args.example:
        from .examples import example_path

        path = example_path()
        yield PageInput(path.read_bytes(), str(path))
    yield from read_pages(args.files)


def _outputs(args: argparse.Namespace, blocks: bool, done: frozenset[str] = frozenset()) -> Iterator[PageOutput]:
    model = load_model(args.model, trusted=True) if args.trust_model else args.model
    limits = Limits(max_bytes=args.max_bytes or None, max_elements=args.max_elements or None, truncate=args.truncate)
    options: dict[str, Any] = {
        "model": model,
        "threshold": args.threshold,
        "keep": args.keep,
        "blocks": blocks,
        "limits": limits,
        "timeout": args.timeout,
    }
    pages = _pages(args)
    if done:
        pages = (page for page in pages if page.id not in done)
    if args.ray:
        from .ray_data import extract_on_ray

        return extract_on_ray(pages, address=args.ray, **options)
    return classify_many(pages, jobs=args.jobs, **options)


def _progress(outputs: Iterator[PageOutput], wanted: bool | None) -> Iterator[PageOutput]:
    """A tqdm progress bar on standard error when it is a terminal (or when asked), if tqdm is installed."""
    if wanted is False or (wanted is None and not sys.stderr.isatty()):
        return outputs
    try:
        from tqdm import tqdm
    except ImportError:
        if wanted:
            print("boilerplate: --progress needs tqdm (pip install 'boilerplate[warc]')", file=sys.stderr)
        return outputs
    return iter(tqdm(outputs, unit="page", file=sys.stderr, dynamic_ncols=True))


def _classify(args: argparse.Namespace) -> int:
    blocks = args.command != "extract" or args.blocks
    total = failed = 0
    done: frozenset[str] = frozenset()
    if args.resume:
        if not args.output:
            raise OptionError("--resume needs --output FILE, the output of the run to resume")
        if args.command != "classify" and not args.json:
            raise OptionError("--resume needs JSON lines output: add --json")
        done = resume_point(Path(args.output))
    out = open(args.output, "a" if args.resume else "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for page in _progress(_outputs(args, blocks, done), args.progress):
            total += 1
            if page.error is not None:
                failed += 1
                print(f"boilerplate: {page.id}: {page.error}", file=sys.stderr)
            if args.command == "classify":
                _write_blocks(out, page)
            elif args.command == "analyze":
                _write_analysis(out, page, args.json)
            elif args.json:
                out.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
            elif page.text:
                out.write(page.text + "\n\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if total > 1:
        print(f"boilerplate: {total} pages, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def resume_point(path: Path) -> frozenset[str]:
    """The ids of the pages an interrupted run wrote whole to ``path``, which is cut back to them.

    The last page in the file may have been cut short (a page's blocks are
    several lines, and a line may be half written), so its lines go too and
    the page is done again: no page is lost, none is written twice. The file
    is read a line at a time: only the ids are kept in memory.
    """
    if not path.exists():
        return frozenset()
    done: set[str] = set()
    last: str | None = None  # the id of the run of lines being read, and where that run starts
    last_start = offset = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break  # an unfinished line
            try:
                page_id = str(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError) as exc:
                message = f"--resume: {path} is not the JSON lines output of a boilerplate run ({exc})"
                raise OptionError(message) from exc
            if page_id != last:
                if last is not None:
                    done.add(last)
                last, last_start = page_id, offset
            offset += len(line)
    with open(path, "r+b") as handle:
        handle.truncate(last_start)
    return frozenset(done)


def _write_blocks(out: TextIO, page: PageOutput) -> None:
    if page.error is not None:
        out.write(json.dumps({"id": page.id, "url": page.url, "error": page.error}, ensure_ascii=False) + "\n")
        return
    for block in page.blocks or []:
        record = {"id": page.id, "url": page.url, **block_record(block)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_analysis(out: TextIO, page: PageOutput, as_json: bool) -> None:
    blocks = page.blocks or []
    if as_json:
        record = {"id": page.id, "url": page.url, "paywall": page.paywall, "chrome_kinds": page.chrome_kinds}
        record["content_blocks"] = sum(b.label == CONTENT for b in blocks)
        record["error"] = page.error
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if page.error is not None or page.paywall is None:
        return
    paywall = page.paywall
    lines = [f"== {page.id}"]
    if paywall["paywalled"]:
        cut = "; the article text stops at the wall" if paywall["truncated"] else ""
        lines.append(f"paywall: {paywall['type']}{cut}")
    else:
        lines.append("paywall: none found")
    lines.append(f"signals: {', '.join(paywall['signals']) or 'none'}")
    lines += [f"  prompt  {one_line(blocks[i].text)}" for i in paywall["prompt_blocks"]]
    lines += [f"  paywalled part (hasPart)  {xpath}" for xpath in paywall["paywalled_parts"]]
    lines.append(f"content blocks: {sum(b.label == CONTENT for b in blocks)} of {len(blocks)}")
    by_count = sorted(page.chrome_kinds.items(), key=lambda kv: -kv[1])
    lines.append("chrome by kind: " + ", ".join(f"{kind} {n}" for kind, n in by_count))
    lines += [f"  {b.kind:<14}{one_line(b.text)}" for b in blocks if b.kind in GUARDED]
    out.write("\n".join(lines) + "\n")


def _kinds(value: str) -> list[str]:
    """A comma-separated list of chrome kinds."""
    kinds = [kind.strip() for kind in value.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown kind(s) {', '.join(unknown)}; kinds are {', '.join(KINDS)}")
    return kinds


def _hyperparameter(text: str) -> tuple[str, Any]:
    """``name=value``, the value read as JSON (150, 0.1, true) or else kept as text."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), json.loads(value)
    except ValueError:
        return name.strip(), value


def _train(args: argparse.Namespace) -> int:
    from .training import DEFAULT_DECISION, train

    logger = logging.getLogger("boilerplate")  # the training's steps and the model's stages
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    handler, level = logging.StreamHandler(sys.stderr), logger.level
    handler.setFormatter(logging.Formatter("boilerplate: %(asctime)s %(message)s", "%H:%M:%S"))
    if progress:  # the steps, one line each, on standard error
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    report = args.report
    if report is None and args.report_split:
        report = args.data[0]
    try:
        model = train(
            args.data,
            args.output,
            split=args.split,
            n_jobs=args.jobs,
            params=dict(args.param),
            report=report,
            report_split=args.report_split,
            progress=progress,
            weighting=args.weighting,
            decision=None if args.one_cut else DEFAULT_DECISION,
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    data = model.card["training_data"]
    print(f"trained on {data['pages']} pages, {data['blocks']} blocks; threshold {model.threshold:.2f}")
    if data["unlabelled_blocks"]:
        print(f"left out {data['unlabelled_blocks']} blocks that no data-label covers", file=sys.stderr)
    if "overall" in model.card.get("metrics", {}):
        overall = model.card["metrics"]["overall"]
        print(f"word F1 {overall['word_f1']:.3f}, block precision {overall['block']['precision']:.3f} on {report}")
    print(f"model {args.output}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .datasets import load_labelled
    from .evaluation import compare_reports, comparison_table, evaluate_models, evaluate_pages

    model = load_model(args.model, trusted=args.trust_model)
    split = args.split
    if split is None and (Path(args.data) / "splits.json").exists():
        split = "validation"
    pages = load_labelled(args.data, split)
    comparison = None
    if args.against:  # each page read once, scored by both models
        other = load_model(args.against, trusted=args.trust_model)
        base, report = evaluate_models(pages, [other, model], threshold=args.threshold)
        comparison = compare_reports(base, report, resamples=args.resamples)
    else:
        report = evaluate_pages(pages, model, threshold=args.threshold)
    if args.json:
        out = report.to_dict(resamples=args.resamples)
        if comparison is not None:
            out["against"] = {"model": args.against, "threshold": base.threshold, "difference": comparison}
        print(json.dumps(out, indent=2))
    else:
        print(report.table(worst=args.worst, resamples=args.resamples))
        if comparison is not None:
            print()
            print(comparison_table(comparison, args.against, args.model or "the shipped model"))
    if args.plot:
        print(f"precision-recall curve: {report.plot(args.plot)}", file=sys.stderr)
    overall = report.summary()
    status = 0
    if args.min_word_f1 is not None and overall["word_f1"] < args.min_word_f1:
        print(f"word F1 {overall['word_f1']:.4f} is below {args.min_word_f1}", file=sys.stderr)
        status = 1
    if args.min_precision is not None and overall["block"]["precision"] < args.min_precision:
        print(f"block precision {overall['block']['precision']:.4f} is below {args.min_precision}", file=sys.stderr)
        status = 1
    if args.strict_chrome:
        wrong = [v["page_id"] for v in report.verdicts() if not v["ok"]]
        if report.guarded_kept() or wrong:
            print(f"paywall/cookie/advertisement blocks kept: {report.guarded_kept()}", file=sys.stderr)
            print(f"wrong paywall verdicts: {', '.join(wrong) or 'none'}", file=sys.stderr)
            status = 1
    return status


def _threshold(value: str) -> float | str:
    """A number, or the name of a preset."""
    from .model import PRESETS

    if value in PRESETS:
        return value
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or one of {', '.join(PRESETS)}: {value!r}") from None


def _count(value: str) -> int:
    """A whole number, zero or more."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"not a whole number, zero or more: {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boilerplate", description="Tell the content of web pages from their chrome.")
    compiled = ", ".join(compiled_modules()) or "none, pure Python"
    parser.add_argument("--version", action="version", version=f"boilerplate {__version__} (compiled: {compiled})")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("classify", "print one JSON line per block: label, score, tag, xpath, text"),
        ("extract", "print the content text of each page"),
        ("analyze", "print each page's paywall verdict, its evidence and its chrome by kind"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "files",
            nargs="*",
            help="HTML files, folders of them, globs, JSON lines (html, id, url) or WARC files; - reads standard input",
        )
        p.add_argument("--example", action="store_true", help="also run on the example page the package ships")
        p.add_argument("--model", help="model file (default: the shipped model)")
        p.add_argument(
            "--trust-model",
            action="store_true",
            help="load a model file that has no card recording its sha256 (model files run code when loaded)",
        )
        p.add_argument(
            "--threshold",
            type=_threshold,
            help="content score cut, or favor_precision / balanced / favor_recall (default: balanced)",
        )
        p.add_argument(
            "--keep",
            type=_kinds,
            default=[],
            metavar="KINDS",
            help="comma-separated kinds of chrome to keep as content, e.g. comments",
        )
        if name in ("extract", "analyze"):
            p.add_argument("--json", action="store_true", help="one JSON line per page instead of plain text")
        if name == "extract":
            p.add_argument("--blocks", action="store_true", help="with --json: every block of the page, labelled")
        p.add_argument("-o", "--output", help="write to this file instead of standard output")
        p.add_argument("--jobs", type=int, default=1, help="processes to use; -1 uses every core (default: 1)")
        p.add_argument(
            "--max-bytes",
            type=int,
            default=DEFAULT_LIMITS.max_bytes,
            help=f"refuse larger pages, 0 for no limit (default: {DEFAULT_LIMITS.max_bytes:,})",
        )
        p.add_argument(
            "--max-elements",
            type=int,
            default=DEFAULT_LIMITS.max_elements,
            help=f"refuse pages with more elements, 0 for no limit (default: {DEFAULT_LIMITS.max_elements:,})",
        )
        p.add_argument(
            "--truncate", action="store_true", help="classify the first --max-bytes of a larger page instead"
        )
        p.add_argument("--timeout", type=float, help="seconds a page may take before it is reported as failed")
        p.add_argument(
            "--resume",
            action="store_true",
            help="go on with an interrupted run: keep the pages --output holds and do only the others",
        )
        p.add_argument("--ray", metavar="ADDRESS", help="run on a Ray cluster (an address, or auto); needs [ray]")
        p.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="progress bar on standard error (default: when it is a terminal; needs tqdm)",
        )
        p.set_defaults(run=_classify)
    p = sub.add_parser("train", help="train a model from labelled pages (annotated HTML, WCXB, JSON map, pairs)")
    p.add_argument("data", nargs="+", help="files or folders of labelled pages")
    p.add_argument("-o", "--output", required=True, help="model file to write (its card goes beside it)")
    p.add_argument("--split", help="split of a WCXB folder's splits.json (default: train where there is one)")
    p.add_argument("--jobs", type=int, default=1, help="processes for featurizing pages")
    p.add_argument("--report", help="labelled data to evaluate the new model on; the figures go into its card")
    p.add_argument("--report-split", help="split of the --report data (default data: the first DATA)")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        type=_hyperparameter,
        metavar="NAME=VALUE",
        help="a hyperparameter of boilerplate.model.BlockClassifier, e.g. max_iter=150 (repeatable)",
    )
    p.add_argument(
        "--weighting",
        default="blocks",
        help="how much each block's errors count: blocks (default: each once) or log_words (by its words, "
        "as word F1 counts them; see boilerplate.training.block_weights)",
    )
    p.add_argument(
        "--one-cut",
        action="store_true",
        help="one cut for every page, rather than scores adjusted to each page (see boilerplate.decision)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the steps and a bar while pages are featurized, on standard error (default: when it is a terminal)",
    )
    p.set_defaults(run=_train)
    p = sub.add_parser("evaluate", help="score a model on labelled pages")
    p.add_argument("data", help="file or folder of labelled pages (annotated HTML, WCXB, JSON map, pairs)")
    p.add_argument("--split", help="split of splits.json (default: validation, or every page without one)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument(
        "--trust-model",
        action="store_true",
        help="load a model file that has no card recording its sha256 (model files run code when loaded)",
    )
    p.add_argument(
        "--against",
        metavar="MODEL",
        help="also score this model file on the same pages and report the difference with its intervals",
    )
    p.add_argument("--threshold", type=_threshold, help="content score cut or preset (default: balanced)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--plot", metavar="PNG", help="save the precision-recall curve over the threshold")
    p.add_argument(
        "--worst", type=_count, default=10, metavar="N", help="list the N worst pages by word F1 (default 10; 0: none)"
    )
    p.add_argument(
        "--resamples",
        type=_count,
        default=1000,
        metavar="N",
        help="draws of sites behind the 95%% intervals of word F1 and block precision (default 1000; 0: none)",
    )
    p.add_argument("--min-word-f1", type=float, help="exit 1 when the mean word F1 is below this")
    p.add_argument("--min-precision", type=float, help="exit 1 when block precision is below this")
    p.add_argument(
        "--strict-chrome",
        action="store_true",
        help="exit 1 when an annotated paywall, cookie or advertisement block is kept or a paywall verdict is wrong",
    )
    p.set_defaults(run=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("classify", "extract", "analyze") and not args.files and not args.example:
        build_parser().error("give at least one file, - for standard input, or --example")
    try:
        return args.run(args)
    except BoilerplateError as exc:
        print(f"boilerplate: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`boilerplate classify ... | head`): stop quietly, as a Unix tool does on SIGPIPE,
        # with nothing left for Python to flush into the closed pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
