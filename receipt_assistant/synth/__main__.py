"""python -m receipt_assistant.synth --out DIR --seed 1 --count 120 [--realistic]"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from receipt_assistant.synth.model import CATEGORIES, DEFAULT_CATEGORIES, KINDS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m receipt_assistant.synth",
                                 description="Write synthetic receipts and truth.jsonl.")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated subset of {','.join(KINDS)}")
    ap.add_argument("--categories", default=",".join(DEFAULT_CATEGORIES),
                    help=f"comma-separated subset of {','.join(CATEGORIES)} (default: the first four)")
    ap.add_argument("--realistic", action="store_true",
                    help="realistic slips only (thermal print, scans and customers' photos): "
                         "the same as --categories real_scan,real_photo")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)

    from receipt_assistant.synth.batch import generate

    kinds = [k for k in args.kinds.split(",") if k]
    categories = [c for c in args.categories.split(",") if c]
    if args.realistic:
        categories = ["real_scan", "real_photo"]
    bad = (set(kinds) - set(KINDS)) | (set(categories) - set(CATEGORIES))
    if bad:
        ap.error(f"unknown kinds/categories: {', '.join(sorted(bad))}")
    t0 = time.monotonic()

    def progress(i: int, n: int, path: Path) -> None:
        if not args.quiet:
            print(f"[{i}/{n}] {path.name}", file=sys.stderr)

    results = generate(args.out, seed=args.seed, count=args.count, kinds=kinds, categories=categories,
                       progress=progress)
    by_cat = collections.Counter(t.category for _, t in results)
    secs = time.monotonic() - t0
    print(f"wrote {len(results)} files and truth.jsonl to {args.out} in {secs:.1f}s "
          f"({', '.join(f'{c} {by_cat[c]}' for c in CATEGORIES if by_cat[c])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
