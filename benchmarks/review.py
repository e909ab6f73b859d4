"""Throughput of `review --batch`: bundles per second, with and without re-reading, by number of jobs.

    python -m benchmarks.review [--count 40] [--seed 7]

Bundles are made once from the seeded generated set (a real reading each)
and kept in bench-out/. Each figure is the median of three runs into a fresh
record. The naive baseline verifies and records the bundles one after the
other in a plain loop, in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.run import SETS, dataset
from receipt_assistant.core import review
from receipt_assistant.core.api import make_engine
from receipt_assistant.core.bundle import Declared, create_bundle
from receipt_assistant.core.verify import verify_bundle

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
REFERENCE = dt.date(2026, 11, 1)


def make_bundles(count: int, seed: int) -> Path:
    folder = OUT / f"bundles-{seed}-{count}"
    if folder.is_dir() and len(review.bundles_in(folder)) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine = make_engine()
    made = 0
    for path, truth in dataset(replace(SETS["tune"], seed=seed), jobs=os.cpu_count() or 1):
        if made == count:
            break
        if truth["category"] == "negative" or not truth.get("date") or not truth.get("amount"):
            continue
        declared = Declared(truth["kind"] if truth["kind"] in ("amazon", "store") else "store", truth["amount"],
                            dt.date.fromisoformat(truth["date"]))
        create_bundle([path], declared, folder, engine=engine, today=REFERENCE)
        made += 1
    return folder


def timed(run) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def median_rate(count: int, run, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    return count / statistics.median(timed(run) for _ in range(repeats))


def naive(folder: Path, reread: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = review.Store(Path(tmp) / "db.sqlite3")
        engine = make_engine() if reread else None
        for path in review.bundles_in(folder):
            store.record(path, verify_bundle(path, reread=reread, engine=engine, keep_members=True))
        store.close()


def project(folder: Path, reread: bool, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = review.Store(Path(tmp) / "db.sqlite3")
        review.batch(folder, store, reread=reread, jobs=jobs)
        store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--reread-count", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    folder = make_bundles(args.count, args.seed)
    small = OUT / f"bundles-{args.seed}-{args.count}-first{args.reread_count}"
    if not small.is_dir() or len(review.bundles_in(small)) != args.reread_count:
        shutil.rmtree(small, ignore_errors=True)
        small.mkdir()
        for p in review.bundles_in(folder)[: args.reread_count]:
            shutil.copy(p, small / p.name)
    cores = os.cpu_count() or 1
    print(f"{args.count} bundles (seed {args.seed}); {args.reread_count} when re-reading. "
          f"Machine: {platform.system()} {platform.machine()}, {cores} cores")
    rows = []
    rows.append(("verify only, naive loop", median_rate(args.count, lambda: naive(folder, False))))
    for jobs in range(1, cores + 1):
        rows.append((f"verify only, batch --jobs {jobs}",
                     median_rate(args.count, lambda j=jobs: project(folder, False, j))))
    rows.append(("with --reread, naive loop", median_rate(args.reread_count, lambda: naive(small, True), 1)))
    for jobs in range(1, cores + 1):
        rows.append((f"with --reread, batch --jobs {jobs}",
                     median_rate(args.reread_count, lambda j=jobs: project(small, True, j), 1)))
    print("\n| run | bundles per second |\n|---|---|")
    for name, rate in rows:
        print(f"| {name} | {rate:.2f} |")
    (OUT / "review-results.json").write_text(json.dumps(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
