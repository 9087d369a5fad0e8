"""Is one candidate model better than another on the trainer's held-out sites? A paired comparison of two cards.

`boilerplate train` chooses a model's cut on a quarter of the training sites
that it holds out, and those sites are the same for every model trained on the
same pages. Each card keeps its held-out pages' figures at the balanced cut
(``held_out_sites.pages_scored``), so two candidates can be compared page by
page without touching the validation split: the difference in word F1 and in
block precision, its 95% interval from paired draws of the held-out sites,
and the share of draws in which OTHER is ahead.

    python benchmarks/held_out.py BASE.card.json OTHER.card.json

A model file may be given instead of its card (the card beside it is read).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def held_out_figures(path: Path) -> dict[str, list]:
    """The held-out pages' figures recorded in a card (or in the card beside a model file)."""
    from boilerplate.errors import OptionError
    from boilerplate.model import card_path

    card_file = path if path.name.endswith(".json") else card_path(path)
    try:
        card: dict[str, Any] = json.loads(card_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OptionError(f"cannot read the card {card_file}: {exc}") from exc
    figures = (card.get("held_out_sites") or {}).get("pages_scored")
    if not figures:
        raise OptionError(
            f"{card_file} records no held-out pages' figures: the model was trained without held-out "
            "gold text, or before cards kept them; train it again"
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    from boilerplate.errors import OptionError
    from boilerplate.evaluation import compare_figures, comparison_table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="the card (or model file) to compare against")
    parser.add_argument("other", type=Path, help="the candidate's card (or model file)")
    parser.add_argument("--resamples", type=int, default=1000, help="paired draws of sites (default 1000)")
    args = parser.parse_args(argv)
    try:
        comparison = compare_figures(
            held_out_figures(args.base), held_out_figures(args.other), resamples=args.resamples
        )
    except OptionError as exc:
        print(f"held_out: {exc}", file=sys.stderr)
        return 2
    print(comparison_table(comparison, str(args.base), str(args.other)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
