"""Accuracy and speed of reading, beside a naive pass, on three seeded sets that cannot flatter.

    python -m benchmarks.run                      # all three sets (what `make bench` runs first)
    python -m benchmarks.run --only realistic     # one set (tune, untouched, realistic; comma-separated)
    python -m benchmarks.run --quick              # a fifth of each set, to try a change
    python -m benchmarks.run --only tune --show-misses

The sets:

- **tune** (seed 7, 120 files): the set the reading is tuned on; its misses
  may be printed (``--show-misses``).
- **untouched** (seed 20261129, 60 files): the same generator with a seed
  never used for tuning. Its misses are never printed: ``--show-misses``
  refuses to run on it, so its figures stay an honest estimate.
- **realistic** (seed 20260611, 60 files): slips printed as thermal dots
  with real layouts (``synth/real.py``), scanned at 200 dpi or photographed
  as customers do, with their own negatives and unreadable thumbnails.

Each set is read twice in the same run, by the project's reading and by the
naive pass (raw Tesseract on the unprepared image with the same parsers),
every receipt in a process of its own, ``--jobs`` at once (2 by default: a
user running ``receipt-assistant check`` twice on 2 cores). The project's
reading is the ``check --json`` command itself; the naive pass and the
ablations run through ``benchmarks.one``, which starts and loads the same
way. Seconds are each process's wall time from start to exit (start-up and
the model's loading included, as a user waits for them), so both passes pay
the same sharing of the machine.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
REFERENCE = dt.date(2026, 11, 1)  # the generator dates everything before this
FIELDS = ("date", "amount", "gift_card")
SLOW = 20.0  # seconds: no receipt may take longer


@dataclass(frozen=True)
class SetSpec:
    name: str
    seed: int
    count: int
    categories: tuple[str, ...]
    misses_allowed: bool


TUNE_SEED = 7
UNTOUCHED_SEED = 20261129
REALISTIC_SEED = 20260611
SETS = {
    "tune": SetSpec("tune", TUNE_SEED, 120, ("screenshot", "photo", "pdf", "negative"), True),
    "untouched": SetSpec("untouched", UNTOUCHED_SEED, 60, ("screenshot", "photo", "pdf", "negative"), False),
    "realistic": SetSpec("realistic", REALISTIC_SEED, 60, ("real_scan", "real_photo"), True),
}


@dataclass
class Tally:
    n: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    false_pos: int = 0
    negatives: int = 0
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    misses: list[str] = field(default_factory=list)
    thumbs: int = 0
    thumbs_quiet: int = 0  # nothing read from a thumbnail
    thumbs_retake: int = 0  # a retake asked for it
    crashes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the sets


def _make_one(job: Any, folder: str) -> tuple[int, str, dict[str, Any]]:
    from receipt_assistant.synth import batch

    path, truth = batch.make(job, Path(folder))
    return job.index, path.name, truth.to_json()


def generator_version() -> str:
    """A short hash of the generator's source, so a set made by an older generator is made again."""
    import hashlib

    h = hashlib.sha1()
    for path in sorted((ROOT / "receipt_assistant" / "synth").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:8]


def dataset(spec: SetSpec, jobs: int) -> list[tuple[Path, dict[str, Any]]]:
    """The set's files and truth, generated once into bench-out (in ``jobs`` processes)."""
    from receipt_assistant.synth import batch

    folder = OUT / f"set-{spec.name}-{spec.seed}-{spec.count}-{generator_version()}"
    truth_file = folder / "truth.jsonl"
    if not truth_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        plan = batch.plan(spec.seed, spec.count, categories=spec.categories)
        print(f"… generating {len(plan)} files for the {spec.name} set", file=sys.stderr, flush=True)
        with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            made = sorted(pool.map(_make_one, plan, [str(folder)] * len(plan)))
        with open(folder / "truth.tmp", "w", encoding="utf-8") as fh:
            for _, name, truth in made:
                fh.write(json.dumps({"file": name, **truth}, ensure_ascii=False) + "\n")
        (folder / "truth.tmp").replace(truth_file)
    items = []
    for line in truth_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        items.append((folder / row["file"], row))
    return items


def group_of(row: dict[str, Any]) -> str:
    if row.get("extra", {}).get("unreadable"):
        return "thumbnail"
    return {"pdf": "screenshot"}.get(row["category"], row["category"])


# ---------------------------------------------------------------- reading, one process a receipt


def _command(path: str, overrides: dict[str, Any]) -> list[str]:
    """The project's reading is the `check` command itself; other options go through ``benchmarks.one``."""
    today = ["--today", REFERENCE.isoformat()]
    if not overrides:
        return [sys.executable, "-m", "receipt_assistant", "--lang", "en", "check", "--json", *today, path]
    return [sys.executable, "-m", "benchmarks.one", *today, "--options", json.dumps(overrides), path]


def _read_one(path: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """Read one receipt in a new process and time the whole of it: start-up, model, reading, checks."""
    started = time.perf_counter()
    done = subprocess.run(_command(path, overrides), capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, timeout=300, check=False)
    elapsed = time.perf_counter() - started
    try:
        got = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):  # no result is a result to count, not the end of the run
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return {"seconds": elapsed, "date": None, "amount": None, "gift_card": False, "retake": False,
                "crash": last[:300], "error": None}
    fields = got["fields"]
    return {
        "seconds": elapsed,
        "date": fields["date"]["value"],
        "amount": fields["amount"]["value"],
        "gift_card": bool(fields["gift_card"]["value"]),
        "retake": bool(got["quality"]["retake"]),
        "error": got["error"],
        "crash": None,
    }


def evaluate(items: list[tuple[Path, dict[str, Any]]], overrides: dict[str, Any], jobs: int) -> Tally:
    """Read every item with ``ReadOptions`` changed by ``overrides`` and score it."""
    paths = [str(p) for p, _ in items]
    with cf.ThreadPoolExecutor(jobs) as pool:  # each thread waits on its own process
        got_all = list(pool.map(_read_one, paths, [overrides] * len(paths)))
    tally = Tally()
    for (path, truth), got in zip(items, got_all, strict=True):
        group = group_of(truth)
        secs = got["seconds"]
        if got["crash"]:
            tally.crashes.append(f"{path.name}: {got['crash']}")
        tally.seconds["all"].append(secs)
        tally.seconds[group].append(secs)
        if "12 MP" in truth.get("notes", "") or any(s in truth.get("notes", "") for s in ("2252x4000", "3024x4032",
                                                                                        "3000x4000")):
            tally.seconds["photo of 9 MP or more"].append(secs)
        if group == "thumbnail":
            tally.thumbs += 1
            quiet = got["amount"] is None and got["date"] is None and not got["gift_card"]
            tally.thumbs_quiet += quiet
            tally.thumbs_retake += got["retake"]
            if not quiet:
                tally.misses.append(f"{path.name} [thumbnail]: read {got['date']!r} {got['amount']!r} "
                                    f"gift {got['gift_card']}")
            continue
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
                tally.misses.append(f"{path.name} [{group}] {name}: want {truth[name]!r} got {got[name]!r}"
                                    + (f" ({got['error']})" if got["error"] else ""))
    return tally


def ablations() -> dict[str, dict[str, Any]]:
    """Each preparation step switched off in turn; steps the reading no longer has are left out."""
    from dataclasses import fields

    from receipt_assistant.core.ocr import ReadOptions

    have = {f.name for f in fields(ReadOptions)}
    retries = tuple(getattr(ReadOptions(), "retries", ()))
    wanted = {
        "no scaling": {"target_char_px": 0.0}, "no paper crop": {"crop_paper": False},
        "no flattening": {"flatten": False}, "no deskew": {"deskew": False}, "no further passes": {"retries": ()},
        "no widened passes": {"retries": retries[:1]}, "psm 3": {"psm": 3}, "no border": {"border_px": 0},
        "binarized": {"binarize": True}, "no rotation fix": {"fix_rotation": False},
        "no parallel strips": {"parallel_strips": False},
    }
    return {name: o for name, o in wanted.items() if set(o) <= have}


# ---------------------------------------------------------------- tables


def _pct(t: Tally, key: str) -> str:
    n = t.n.get(key, 0)
    return f"{100 * t.right.get(key, 0) / n:.1f} % ({t.right.get(key, 0)}/{n})" if n else "-"


def _secs(values: list[float], with_max: bool = False) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    text = f"{statistics.median(values):.1f} / {p90:.1f}"
    return text + f" / {values[-1]:.1f}" if with_max else text


LABELS = {"screenshot": "screenshots", "photo": "photos", "real_scan": "scans", "real_photo": "photos"}


def table(results: dict[str, Tally], groups: tuple[str, ...]) -> str:
    names = list(results)
    tallies = list(results.values())
    rows = ["| figure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for group in groups:
        for name in FIELDS:
            key = f"{group}:{name}"
            if any(t.n.get(key) for t in tallies):
                rows.append(f"| {LABELS[group]}: {name} | " + " | ".join(_pct(t, key) for t in tallies) + " |")
    rows.append("| gift-card false positives | " + " | ".join(
        f"{100 * t.false_pos / max(1, t.negatives):.1f} % ({t.false_pos}/{t.negatives})" for t in tallies) + " |")
    if any(t.thumbs for t in tallies):
        rows.append("| thumbnails: nothing read | " + " | ".join(f"{t.thumbs_quiet}/{t.thumbs}" for t in tallies) + " |")
        rows.append("| thumbnails: retake asked | " + " | ".join(f"{t.thumbs_retake}/{t.thumbs}" for t in tallies)
                    + " |")
    rows.append("| seconds per receipt, median / p90 / max | "
                + " | ".join(_secs(t.seconds["all"], True) for t in tallies) + " |")
    if any(t.crashes for t in tallies):
        rows.append("| readings that crashed | " + " | ".join(str(len(t.crashes)) for t in tallies) + " |")
    rows.append(f"| receipts over {SLOW:.0f} s | "
                + " | ".join(str(sum(s > SLOW for s in t.seconds["all"])) for t in tallies) + " |")
    for group in (*groups, "photo of 9 MP or more", "thumbnail", "negative"):
        if any(t.seconds.get(group) for t in tallies):
            label = {"real_scan": "scan", "real_photo": "photo"}.get(group, group)
            rows.append(f"| seconds per {label}, median / p90 | "
                        + " | ".join(_secs(t.seconds[group]) for t in tallies) + " |")
    return "\n".join(rows)


def machine() -> str:
    try:
        model = next(
            (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
             if ln.startswith("model name")),
            platform.processor(),
        )
    except OSError:
        model = platform.processor()
    tess = subprocess.run([sys.executable, "-m", "receipt_assistant", "doctor", "--json"], capture_output=True,
                          text=True)
    version = json.loads(tess.stdout).get("version") if tess.stdout.strip().startswith("{") else "?"
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {model}; "
            f"Python {platform.python_version()}; Tesseract {version}")


def _counts(items: list[tuple[Path, dict[str, Any]]]) -> str:
    counts: dict[str, int] = defaultdict(int)
    plain = thumbs = 0
    for _, row in items:
        counts[row["category"]] += 1
        if group_of(row) == "thumbnail":
            thumbs += 1
        elif row["category"].startswith("real_") and not row["gift_card"]:
            plain += 1
    text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    if plain or thumbs:
        text += f"; {plain} slips without a gift card, {thumbs} thumbnails"
    return text


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="tune,untouched,realistic",
                    help="comma-separated sets to run: tune, untouched, realistic")
    ap.add_argument("--quick", action="store_true", help="a fifth of each set (at least 12 files)")
    ap.add_argument("--count", type=int, help="files in the tune set (default 120)")
    ap.add_argument("--seed", type=int, default=TUNE_SEED, help=f"seed of the tune set (default {TUNE_SEED})")
    ap.add_argument("--jobs", type=int, default=2, help="receipts read at once, each by a process of its own")
    ap.add_argument("--show-misses", action="store_true", help="print every miss (refused for the untouched seed)")
    ap.add_argument("--unflattened", action="store_true",
                    help="also read the tune set's photos without flattening the slip")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive pass (faster, for trying a change)")
    ap.add_argument("--ablation", action="store_true",
                    help="also switch each preparation step off in turn, on the first --subset files of the tune set")
    ap.add_argument("--subset", type=int, default=48)
    args = ap.parse_args(argv)

    names = [n.strip() for n in args.only.split(",") if n.strip()]
    bad = [n for n in names if n not in SETS]
    if bad:
        ap.error(f"unknown set(s): {', '.join(bad)} (choose from {', '.join(SETS)})")
    specs = [SETS[n] for n in names]
    if args.count or args.seed != TUNE_SEED:
        specs = [replace(s, count=args.count or s.count, seed=args.seed) if s.name == "tune" else s for s in specs]
    if args.quick:
        specs = [replace(s, count=max(12, s.count // 5)) for s in specs]
    if args.show_misses and any(s.seed == UNTOUCHED_SEED or not s.misses_allowed for s in specs):
        ap.error(f"--show-misses is refused for the untouched seed {UNTOUCHED_SEED}: its misses are never "
                 "looked at, so that its figures stay honest. Use --only tune or --only realistic.")

    header = f"Machine: {machine()}\nEach set read by {args.jobs} processes at once; seconds are per receipt.\n"
    print(header)
    out = [header]
    OUT.mkdir(exist_ok=True)
    for spec in specs:
        items = dataset(spec, args.jobs)
        groups = ("real_scan", "real_photo") if spec.name == "realistic" else ("screenshot", "photo")
        results: dict[str, Tally] = {}
        print(f"… {spec.name}: project", file=sys.stderr, flush=True)
        results["project"] = evaluate(items, {}, args.jobs)
        if not args.no_naive:
            print(f"… {spec.name}: naive pass", file=sys.stderr, flush=True)
            # One pass of raw Tesseract: reading the same unprepared image again finds nothing new.
            results["naive pass"] = evaluate(items, {"naive": True, "retries": ()}, args.jobs)
        if args.unflattened and spec.name == "tune":
            print("… tune: photos without flattening", file=sys.stderr, flush=True)
            photos = [(p, row) for p, row in items if group_of(row) == "photo"]
            results["photos without flattening"] = evaluate(photos, {"flatten": False}, args.jobs)
        if args.ablation and spec.name == "tune":
            for name, overrides in ablations().items():
                print(f"… tune (first {args.subset}): {name}", file=sys.stderr, flush=True)
                results[name] = evaluate(items[: args.subset], overrides, args.jobs)
        text = (f"### {spec.name} set: seed {spec.seed}, {len(items)} files ({_counts(items)})\n\n"
                + table(results, groups) + "\n")
        for name, tally in results.items():
            for crash in tally.crashes:  # where it crashed, never what it read: safe for every set
                text += f"\ncrashed ({name}): {crash}"
        print(text, flush=True)
        out.append(text)
        (OUT / f"results-{spec.name}.md").write_text(header + "\n" + text, encoding="utf-8")
        if args.show_misses and spec.misses_allowed and spec.seed != UNTOUCHED_SEED:
            for name, tally in results.items():
                print(f"\n#### misses: {spec.name}, {name}")
                print("\n".join(tally.misses))
    (OUT / "results.md").write_text("\n".join(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
