"""Accuracy and speed of reading, beside a naive pass, on a seeded generated set.

    python -m benchmarks.run [--count 120] [--seed 7] [--ablation]

The naive pass is raw Tesseract (jpn+eng) on the unprepared image with the
same parsers, so the difference is what preparing the copy buys. With
``--ablation`` each preparation step is switched off in turn on a subset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from receipt_assistant.core.api import CheckOptions, check_files, make_engine
from receipt_assistant.core.ocr import ReadOptions

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
REFERENCE = dt.date(2026, 11, 1)  # the generator dates everything before this
FIELDS = ("date", "amount", "gift_card")


@dataclass
class Tally:
    n: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    false_pos: int = 0
    negatives: int = 0
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    misses: list[str] = field(default_factory=list)


def _dataset(count: int, seed: int) -> list[tuple[Path, dict]]:
    from receipt_assistant.synth import generate

    folder = OUT / f"set-{seed}-{count}"
    truth_file = folder / "truth.jsonl"
    if not truth_file.exists():
        generate(folder, seed=seed, count=count)
    items = []
    for line in truth_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        items.append((folder / row["file"], row))
    return items


def _group(row: dict) -> str:
    return {"pdf": "screenshot"}.get(row["category"], row["category"])


def evaluate(items: list[tuple[Path, dict]], options: ReadOptions, engine) -> Tally:  # type: ignore[no-untyped-def]
    tally = Tally()
    for path, truth in items:
        started = time.perf_counter()
        reading = check_files([path], options=CheckOptions(reference=REFERENCE), engine=engine, read_options=options)
        elapsed = time.perf_counter() - started
        group = _group(truth)
        tally.seconds[group].append(elapsed)
        if "12 MP" in truth.get("notes", ""):
            tally.seconds["12-megapixel photo"].append(elapsed)
        got = {
            "date": reading.fields.date.value,
            "amount": reading.fields.amount.value,
            "gift_card": bool(reading.fields.gift_card.value),
        }
        if isinstance(got["date"], dt.date):
            got["date"] = got["date"].isoformat()
        if group == "negative" or not truth["gift_card"]:
            tally.negatives += 1
            if got["gift_card"]:
                tally.false_pos += 1
                tally.misses.append(f"{path.name}: false gift card ({truth.get('notes', '')})")
        if group == "negative":
            continue
        for name in FIELDS:
            tally.n[f"{group}:{name}"] += 1
            if got[name] == truth[name]:
                tally.right[f"{group}:{name}"] += 1
            else:
                tally.misses.append(f"{path.name} [{group}] {name}: want {truth[name]!r} got {got[name]!r}")
    return tally


def _pct(t: Tally, key: str) -> str:
    n = t.n.get(key, 0)
    return f"{100 * t.right.get(key, 0) / n:.1f} % ({t.right.get(key, 0)}/{n})" if n else "-"


def _secs(values: list[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return f"{statistics.median(values):.2f} / {p90:.2f}"


def table(results: dict[str, Tally]) -> str:
    names = list(results)
    rows = ["| figure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for group in ("screenshot", "photo"):
        for name in FIELDS:
            key = f"{group}:{name}"
            rows.append(f"| {group}s: {name} | " + " | ".join(_pct(results[n], key) for n in names) + " |")
    rows.append(
        "| gift-card false positives | "
        + " | ".join(
            f"{100 * t.false_pos / max(1, t.negatives):.1f} % ({t.false_pos}/{t.negatives})" for t in results.values()
        )
        + " |"
    )
    for group in ("screenshot", "photo", "12-megapixel photo", "negative"):
        rows.append(
            f"| seconds per {group}, median / p90 | " + " | ".join(_secs(t.seconds[group]) for t in results.values()) + " |"
        )
    return "\n".join(rows)


def machine() -> str:
    try:
        model = next(
            (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")),
            platform.processor(),
        )
    except OSError:
        model = platform.processor()
    tess = subprocess.run([sys.executable, "-m", "receipt_assistant", "doctor", "--json"], capture_output=True, text=True)
    version = json.loads(tess.stdout).get("version") if tess.stdout.strip().startswith("{") else "?"
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {model}; Python {platform.python_version()}; Tesseract {version}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ablation", action="store_true", help="switch each preparation step off in turn (on a subset)")
    ap.add_argument("--subset", type=int, default=48, help="images per ablation variant")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    items = _dataset(args.count, args.seed)
    engine = make_engine()
    project = ReadOptions()
    variants: dict[str, ReadOptions] = {"project": project, "naive": ReadOptions(naive=True)}
    if args.ablation:
        items = items[: args.subset]
        variants.update(
            {
                "no scaling": replace(project, target_char_px=0.0),
                "no paper crop": replace(project, crop_paper=False),
                "no flattening": replace(project, flatten=False),
                "no deskew": replace(project, deskew=False),
                "no further passes": replace(project, retries=()),
                "no widened passes": replace(project, retries=project.retries[:1]),
                "no 2x-widened pass": replace(project, retries=project.retries[:1] + project.retries[2:]),
                "no 1.7x-widened pass": replace(project, retries=project.retries[:2]),
                "psm 3": replace(project, psm=3),
                "no border": replace(project, border_px=0),
                "binarized": replace(project, binarize=True),
                "no rotation fix": replace(project, fix_rotation=False),
                "no parallel strips": replace(project, parallel_strips=False),
            }
        )
    results = {}
    for name, options in variants.items():
        print(f"… {name}", file=sys.stderr, flush=True)
        results[name] = evaluate(items, options, engine)
    if not args.ablation:
        # The photos as they were read before the slip was found and flattened:
        # cropped to the paper's bounding box and deskewed only.
        print("… photos without flattening", file=sys.stderr, flush=True)
        photos = [(path, row) for path, row in items if _group(row) == "photo"]
        results["photos without flattening"] = evaluate(photos, replace(project, flatten=False), engine)
    text = (
        f"{len(items)} images (seed {args.seed}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(_counts(items).items()))
        + f"\nMachine: {machine()}\n\n"
        + table(results)
    )
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / ("ablation.md" if args.ablation else "results.md")).write_text(text + "\n", encoding="utf-8")
    if args.show_misses:
        for name, tally in results.items():
            print(f"\n## misses: {name}")
            print("\n".join(tally.misses))
    return 0


def _counts(items: list[tuple[Path, dict]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _, row in items:
        counts[row["category"]] += 1
    return counts


if __name__ == "__main__":
    raise SystemExit(main())
