"""The ``boilerplate`` command: classify, extract, analyze, train and evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from .api import CONTENT, Analysis, analyze, classify_blocks, load_model
from .errors import BoilerplateError
from .evaluation import one_line
from .kinds import GUARDED, KINDS

__all__ = ["main"]


def _inputs(files: Sequence[str], example: bool) -> Iterator[tuple[str, bytes]]:
    if example:
        from .examples import example_path

        path = example_path()
        yield str(path), path.read_bytes()
    for name in files:
        if name == "-":
            yield "-", sys.stdin.buffer.read()
        else:
            yield name, Path(name).read_bytes()


def _classify(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    failed = 0
    for name, data in _read_all(args):
        try:
            if args.command == "analyze":
                analysis = analyze(data, model=model, threshold=args.threshold, keep=args.keep)
                blocks = analysis.blocks
            else:
                blocks = classify_blocks(data, model=model, threshold=args.threshold, keep=args.keep)
        except BoilerplateError as exc:
            failed += 1
            print(f"boilerplate: {name}: {exc}", file=sys.stderr)
            continue
        if args.command == "classify":
            for b in blocks:
                record = {"file": name, "order": b.order, "label": b.label, "kind": b.kind}
                record.update({"score": round(b.score or 0.0, 4), "tag": b.tag, "xpath": b.xpath, "text": b.text})
                print(json.dumps(record, ensure_ascii=False))
        elif args.command == "analyze":
            _print_analysis(name, analysis, args.json)
        else:
            text = "\n\n".join(b.text for b in blocks if b.label == CONTENT)
            if args.json:
                print(json.dumps({"file": name, "text": text}, ensure_ascii=False))
            else:
                print(text, end="\n\n" if text else "")
    return 1 if failed else 0


def _print_analysis(name: str, analysis: Analysis, as_json: bool) -> None:
    paywall = analysis.paywall
    kinds = Counter(b.kind for b in analysis.blocks if b.kind)
    if as_json:
        record = {"file": name, "paywall": paywall.to_dict(), "chrome_kinds": dict(sorted(kinds.items()))}
        record["content_blocks"] = sum(b.label == CONTENT for b in analysis.blocks)
        print(json.dumps(record, ensure_ascii=False))
        return
    print(f"== {name}")
    if paywall.paywalled:
        cut = "; the article text stops at the wall" if paywall.truncated else ""
        print(f"paywall: {paywall.type}{cut}")
    else:
        print("paywall: none found")
    print(f"signals: {', '.join(paywall.signals) or 'none'}")
    for i in paywall.prompt_blocks:
        print(f"  prompt  {one_line(analysis.blocks[i].text)}")
    for xpath in paywall.paywalled_parts:
        print(f"  paywalled part (hasPart)  {xpath}")
    print(f"content blocks: {sum(b.label == CONTENT for b in analysis.blocks)} of {len(analysis.blocks)}")
    print("chrome by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    for b in analysis.blocks:
        if b.kind in GUARDED:
            print(f"  {b.kind:<14}{one_line(b.text)}")


def _kinds(value: str) -> list[str]:
    """A comma-separated list of chrome kinds."""
    kinds = [kind.strip() for kind in value.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown kind(s) {', '.join(unknown)}; kinds are {', '.join(KINDS)}")
    return kinds


def _read_all(args: argparse.Namespace) -> Iterator[tuple[str, bytes]]:
    try:
        yield from _inputs(args.files, args.example)
    except OSError as exc:
        raise SystemExit(f"boilerplate: {exc}") from exc


def _train(args: argparse.Namespace) -> int:
    from .training import train

    report = args.report
    if report is None and args.report_split:
        report = args.data[0]
    model = train(
        args.data,
        args.output,
        split=args.split,
        n_jobs=args.jobs,
        report=report,
        report_split=args.report_split,
    )
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
    from .evaluation import evaluate_pages

    model = load_model(args.model)
    split = args.split
    if split is None and (Path(args.data) / "splits.json").exists():
        split = "validation"
    report = evaluate_pages(load_labelled(args.data, split), model, threshold=args.threshold)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.table())
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boilerplate", description="Tell the content of web pages from their chrome.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("classify", "print one JSON line per block: label, score, tag, xpath, text"),
        ("extract", "print the content text of each page"),
        ("analyze", "print each page's paywall verdict, its evidence and its chrome by kind"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("files", nargs="*", help="HTML files; - reads standard input")
        p.add_argument("--example", action="store_true", help="also run on the example page the package ships")
        p.add_argument("--model", help="model file (default: the shipped model)")
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
            p.add_argument("--json", action="store_true", help="one JSON line per file instead of plain text")
        p.set_defaults(run=_classify)
    p = sub.add_parser("train", help="train a model from labelled pages (annotated HTML, WCXB, JSON map, pairs)")
    p.add_argument("data", nargs="+", help="files or folders of labelled pages")
    p.add_argument("-o", "--output", required=True, help="model file to write (its card goes beside it)")
    p.add_argument("--split", help="split of a WCXB folder's splits.json (default: train where there is one)")
    p.add_argument("--jobs", type=int, default=1, help="processes for featurizing pages")
    p.add_argument("--report", help="labelled data to evaluate the new model on; the figures go into its card")
    p.add_argument("--report-split", help="split of the --report data (default data: the first DATA)")
    p.set_defaults(run=_train)
    p = sub.add_parser("evaluate", help="score a model on labelled pages")
    p.add_argument("data", help="file or folder of labelled pages (annotated HTML, WCXB, JSON map, pairs)")
    p.add_argument("--split", help="split of splits.json (default: validation, or every page without one)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--threshold", type=_threshold, help="content score cut or preset (default: balanced)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--plot", metavar="PNG", help="save the precision-recall curve over the threshold")
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
