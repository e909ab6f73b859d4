"""One receipt read in a process of its own with changed reading options, as `check --json` would print it.

    python -m benchmarks.one --today 2026-11-01 --options '{"naive": true, "retries": []}' FILE

The benchmark times the `receipt-assistant check` command itself for the
project's reading; the naive pass and the ablations need options the command
does not take, so they run through this, which starts, loads and reads the
same way (one engine, made as `check` makes it) and prints the same fields.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import replace

from receipt_assistant.core.api import CheckOptions, check_files, make_engine
from receipt_assistant.core.ocr import ReadOptions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.one")
    ap.add_argument("file")
    ap.add_argument("--today", type=dt.date.fromisoformat, required=True)
    ap.add_argument("--options", default="{}", help="ReadOptions fields to change, as JSON")
    args = ap.parse_args(argv)
    overrides = json.loads(args.options)
    if "retries" in overrides:
        overrides["retries"] = tuple(overrides["retries"])
    reading = check_files([args.file], options=CheckOptions(reference=args.today), engine=make_engine(),
                          read_options=replace(ReadOptions(), **overrides))
    print(json.dumps(reading.to_json("en"), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
