"""The ``boilerplate`` command: classify, extract, train and evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .api import CONTENT, classify_blocks, load_model
from .errors import BoilerplateError

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
            blocks = classify_blocks(data, model=model, threshold=args.threshold)
        except BoilerplateError as exc:
            failed += 1
            print(f"boilerplate: {name}: {exc}", file=sys.stderr)
            continue
        if args.command == "classify":
            for b in blocks:
                record = {"file": name, "order": b.order, "label": b.label, "score": round(b.score or 0.0, 4)}
                record.update({"tag": b.tag, "xpath": b.xpath, "text": b.text})
                print(json.dumps(record, ensure_ascii=False))
        else:
            text = "\n\n".join(b.text for b in blocks if b.label == CONTENT)
            if args.json:
                print(json.dumps({"file": name, "text": text}, ensure_ascii=False))
            else:
                print(text, end="\n\n" if text else "")
    return 1 if failed else 0


def _read_all(args: argparse.Namespace) -> Iterator[tuple[str, bytes]]:
    try:
        yield from _inputs(args.files, args.example)
    except OSError as exc:
        raise SystemExit(f"boilerplate: {exc}") from exc


def _split(data: str, wanted: str | None, default: str) -> str | None:
    """The split to use: as asked, else ``default`` where the folder has splits.json, else every page."""
    if wanted is not None:
        return wanted or None
    return default if (Path(data) / "splits.json").exists() else None


def _train(args: argparse.Namespace) -> int:
    from .datasets import load_wcxb
    from .training import build_training_set, save, train_model

    split = _split(args.data, args.split, "train")
    data = build_training_set(load_wcxb(args.data, split), n_jobs=args.jobs)
    source = {"path": Path(args.data).name, "format": "wcxb", "split": split, "sha256": data.digest}
    model = train_model(data, sources=[source])
    print(f"trained on {data.n_pages} pages, {len(data.y)} blocks; threshold {model.threshold:.2f}")
    if args.report_split:
        from .evaluation import evaluate_pages

        report = evaluate_pages(load_wcxb(args.data, args.report_split), model)
        print(report.table())
        model.card["metrics"] = {
            "data": Path(args.data).name,
            "split": args.report_split,
            "overall": report.summary(),
            "by_page_type": report.by_type(),
        }
    card = save(model, args.output)
    print(f"model {args.output}, card {card}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .datasets import load_wcxb
    from .evaluation import evaluate_pages

    model = load_model(args.model)
    split = _split(args.data, args.split, "validation")
    report = evaluate_pages(load_wcxb(args.data, split), model, threshold=args.threshold)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.table())
    overall = report.summary()
    status = 0
    if args.min_word_f1 is not None and overall["word_f1"] < args.min_word_f1:
        print(f"word F1 {overall['word_f1']:.4f} is below {args.min_word_f1}", file=sys.stderr)
        status = 1
    if args.min_precision is not None and overall["block"]["precision"] < args.min_precision:
        print(f"block precision {overall['block']['precision']:.4f} is below {args.min_precision}", file=sys.stderr)
        status = 1
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boilerplate", description="Tell the content of web pages from their chrome.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("classify", "print one JSON line per block: label, score, tag, xpath, text"),
        ("extract", "print the content text of each page"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("files", nargs="*", help="HTML files; - reads standard input")
        p.add_argument("--example", action="store_true", help="also run on the example page the package ships")
        p.add_argument("--model", help="model file (default: the shipped model)")
        p.add_argument("--threshold", type=float, help="content score cut (default: the model's)")
        if name == "extract":
            p.add_argument("--json", action="store_true", help="one JSON line per file instead of plain text")
        p.set_defaults(run=_classify)
    p = sub.add_parser("train", help="train a model from a WCXB-layout folder")
    p.add_argument("data", help="folder with html/ and ground-truth/")
    p.add_argument("-o", "--output", required=True, help="model file to write (its card goes beside it)")
    p.add_argument("--split", help="split of splits.json to train on (default: train, or every page without one)")
    p.add_argument("--jobs", type=int, default=1, help="processes for featurizing pages")
    p.add_argument("--report-split", help="also evaluate on this split and record the figures in the model card")
    p.set_defaults(run=_train)
    p = sub.add_parser("evaluate", help="score a model on a WCXB-layout folder")
    p.add_argument("data", help="folder with html/ and ground-truth/")
    p.add_argument("--split", help="split of splits.json (default: validation, or every page without one)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--threshold", type=float, help="content score cut (default: the model's)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--min-word-f1", type=float, help="exit 1 when the mean word F1 is below this")
    p.add_argument("--min-precision", type=float, help="exit 1 when block precision is below this")
    p.set_defaults(run=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("classify", "extract") and not args.files and not args.example:
        build_parser().error("give at least one file, - for standard input, or --example")
    try:
        return args.run(args)
    except BoilerplateError as exc:
        print(f"boilerplate: {exc}", file=sys.stderr)
        return 2
