"""Seeded batches of receipts with ground truth, for integration tests and the benchmark.

A batch is planned first (which recipe each file gets, and its own seed), then
each file is made from its seed alone, so a file does not depend on the ones
before it and one bad file can be regenerated in isolation.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from receipt_assistant.synth import amazon, other, photo, real, slip
from receipt_assistant.synth.model import CATEGORIES, DEFAULT_CATEGORIES, KINDS, TODAY, Truth

# Share of each category in a batch.
MIX = {"screenshot": 0.40, "photo": 0.35, "pdf": 0.05, "negative": 0.20, "real_scan": 0.40, "real_photo": 0.60}

# Recipes per category: (name, kind, weight).
RECIPES: dict[str, list[tuple[str, str, float]]] = {
    "screenshot": [("amazon-gift-shot", "amazon", 1.0)],
    "photo": [("slip-gift-photo", "store", 80), ("slip-gift-scan", "store", 8),
              ("amazon-gift-monitor", "amazon", 12)],
    "pdf": [("amazon-gift-pdf", "amazon", 75), ("slip-gift-pdf-image", "store", 25)],
    "negative": [("amazon-product", "amazon", 25), ("amazon-paid-with-giftcard", "amazon", 15),
                 ("amazon-digital", "amazon", 10), ("slip-plain", "store", 15),
                 ("slip-other-brand", "store", 15), ("slip-paid-with-giftcard", "store", 10),
                 ("prose", "unknown", 5), ("picture", "unknown", 5)],
    # Realistic slips carry their own negatives (no gift card, another brand's
    # card, a gift card or Amazon Pay used to pay) and unreadable thumbnails.
    "real_scan": [("real-gift-scan", "store", 60), ("real-plain-scan", "store", 18),
                  ("real-other-brand-scan", "store", 12), ("real-paid-with-giftcard-scan", "store", 10)],
    "real_photo": [("real-gift-photo", "store", 56), ("real-plain-photo", "store", 16),
                   ("real-other-brand-photo", "store", 10), ("real-paid-with-giftcard-photo", "store", 10),
                   ("real-thumbnail", "store", 8)],
}

BIG_PHOTO_SHARE = 0.2  # photos at the full 12 MP of a phone camera


@dataclass(frozen=True)
class Job:
    index: int
    category: str
    recipe: str
    kind: str
    seed: int


def plan(seed: int, count: int, kinds: Iterable[str] = KINDS,
         categories: Iterable[str] = DEFAULT_CATEGORIES) -> list[Job]:
    """Decide every file of a batch: exact category shares, then recipes by weight."""
    kinds, categories = set(kinds), list(categories)
    unknown = (kinds - set(KINDS)) | (set(categories) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"unknown kinds/categories: {sorted(unknown)}")
    rng = random.Random(seed)
    usable = {c: [r for r in RECIPES[c] if r[1] in kinds] for c in categories}
    usable = {c: rs for c, rs in usable.items() if rs}
    if not usable or count <= 0:
        return []
    counts = _apportion(count, {c: MIX[c] for c in usable})
    picks: list[tuple[str, str, str]] = []
    for c in usable:
        per_recipe = _apportion(counts[c], {name: w for name, _, w in usable[c]})
        kind_of = {name: kind for name, kind, _ in usable[c]}
        picks += [(c, name, kind_of[name]) for name in per_recipe for _ in range(per_recipe[name])]
    rng.shuffle(picks)
    jobs = [Job(i, c, name, kind, rng.randrange(2 ** 31)) for i, (c, name, kind) in enumerate(picks)]
    return jobs


def _apportion(n: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``n`` in proportion to ``weights`` (largest remainder), so small batches keep the mix."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(weights, key=lambda k: exact[k] - out[k], reverse=True)[: n - sum(out.values())]:
        out[k] += 1
    return out


# ---------------------------------------------------------------- recipes

Maker = Callable[[Path, random.Random, np.random.RandomState, Job], tuple[Path, Truth]]


def _save_png(img: Image.Image, stem: Path) -> Path:
    path = stem.with_suffix(".png")
    img.save(path, "PNG")
    return path


def _save_photo(res: photo.PhotoResult, stem: Path, truth: Truth) -> Path:
    path = stem.with_suffix(".jpg")
    path.write_bytes(res.jpeg_bytes())
    truth.rotation = res.rotation
    for n in res.notes:
        truth.add_note(n)
    if res.exif_orientation:
        truth.extra["exif_orientation"] = res.exif_orientation
    return path


def _amazon_screenshot(stem: Path, rng: random.Random, mode: str, category: str) -> tuple[Path, Truth]:
    order = amazon.build_order(rng, mode)
    st = amazon.random_style(rng)
    shot = amazon.render_page(amazon.page_html(rng, order, st), st)
    shot, notes = amazon.add_chrome(shot, st, order, rng)
    truth = amazon.truth_for(order, category)
    truth.add_note(f"width {st.width}px, font {st.font_px}px, scale {st.dpr:g}")
    for n in notes:
        truth.add_note(n)
    return _save_png(shot, stem), truth


def _amazon_pdf(stem: Path, rng: random.Random, mode: str, category: str) -> tuple[Path, Truth]:
    order = amazon.build_order(rng, mode)
    st = amazon.random_style(rng, pdf=True)
    page = amazon.page_html(rng, order, st)
    printed = dt.datetime.combine(
        min(TODAY, order.order_date + dt.timedelta(days=rng.randint(1, 200))),
        dt.time(rng.randint(8, 23), rng.randrange(60)))
    header = None
    truth = amazon.truth_for(order, category)
    if rng.random() < 0.6:
        title = "Amazon.co.jp - 領収書" if order.layout == "classic" else "Amazon.co.jp - 注文の概要"
        header = (printed.strftime("%Y/%m/%d %H:%M"), title)
        truth.add_note("print date in page header")
    path = stem.with_suffix(".pdf")
    doc_id = str(uuid.UUID(int=rng.getrandbits(128)))
    amazon.render_pdf(page, st, path, printed=printed, doc_id=doc_id, header=header,
                      footer_url=amazon.page_url(order) if header else None)
    truth.add_note("text layer")
    return path, truth


def _slip_photo(stem: Path, rng: random.Random, nrng: np.random.RandomState, mode: str,
                category: str, style: str = "photo", defect: photo.Defect | None = None) -> tuple[Path, Truth]:
    s = slip.build_slip(rng, mode)
    st = slip.random_style(rng, s.columns)
    paper = slip.render_slip(s, rng, nrng, st)
    truth = s.truth
    truth.category = category
    if style == "scan":
        flat = slip.flat(paper, (255, 255, 255))
        truth.add_note("scanner app (flat)")
        if rng.random() < 0.5:
            angle = rng.uniform(-1.5, 1.5)
            flat = flat.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))
            truth.add_note(f"tilt {-angle:.1f}")
        return _save_png(flat, stem), truth
    if style == "pdf-image":
        flat = slip.flat(paper, (255, 255, 255))
        path = stem.with_suffix(".pdf")
        fixed = time.gmtime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
        flat.save(path, "PDF", resolution=200.0, creationDate=fixed, modDate=fixed)
        truth.add_note("image-only PDF (no text layer)")
        return path, truth
    res = photo.photograph(paper, rng, nrng, glyph=st.glyph, big=rng.random() < BIG_PHOTO_SHARE, defect=defect)
    return _save_photo(res, stem, truth), truth


def _real_slip(stem: Path, rng: random.Random, nrng: np.random.RandomState, mode: str, category: str,
               how: str) -> tuple[Path, Truth]:
    """A realistic slip (``real.py``) scanned, photographed, or shrunk to a thumbnail."""
    s = real.compose(rng, mode)
    printed = real.print_slip(s, rng)
    truth = s.truth
    truth.category = category
    if how == "scan":
        img, notes = real.scan(printed, rng, nrng)
        for n in notes:
            truth.add_note(n)
        if img.mode == "RGB" and rng.random() < 0.3:
            path = stem.with_suffix(".jpg")
            img.save(path, "JPEG", quality=rng.randint(85, 95))
            return path, truth
        return _save_png(img, stem), truth
    dots = printed.dots
    if how == "thumbnail":
        h, w = dots.shape
        s_ = min(0.85 * 1280 / h, 0.8 * 960 / w)
        frame = photo.Frame((960, 1280), s_, rng.choice(["binder", "wood"]), (480, 640), rng.uniform(-3, 3))
    else:
        frame = photo.plan_frame(rng, (dots.shape[1], dots.shape[0]), real.need_rows(printed))
    if frame.crop:
        printed = real.Printed(dots[frame.crop[0]:frame.crop[1]], printed.boxes, printed.margin_x)
        truth.add_note("photographed part of the slip")
    paper = real.thermal_paper(printed, rng, nrng, frame.scale)
    res = photo.photograph_real(paper, frame, rng, nrng, margin_px=printed.margin_x * frame.scale)
    if how == "thumbnail":
        # Nobody can read it: a perfect reader returns nothing and asks for a better photo.
        res = photo.PhotoResult(photo.thumbnail(res.image, rng), 0, None, ["web thumbnail"], rng.randint(70, 85))
        truth.extra.update(unreadable=True, slip_date=truth.date, slip_amount=truth.amount,
                           slip_gift_card=truth.gift_card)
        truth.date, truth.amount, truth.gift_card = None, None, False
    return _save_photo(res, stem, truth), truth


def _amazon_monitor(stem: Path, rng: random.Random, nrng: np.random.RandomState, mode: str,
                    category: str) -> tuple[Path, Truth]:
    order = amazon.build_order(rng, mode)
    st = amazon.random_style(rng)
    if st.chrome == "phone":
        st.chrome = "desktop"
        st.dpr = 1.0
        st.width = max(st.width, 800)
    st.font_px = max(st.font_px, 13)
    shot = amazon.render_page(amazon.page_html(rng, order, st), st)
    shot, _ = amazon.add_chrome(shot, st, order, rng)
    res = photo.photograph_screen(shot, rng, nrng, glyph=st.font_px * st.dpr)
    truth = amazon.truth_for(order, category)
    return _save_photo(res, stem, truth), truth


def make(job: Job, out_dir: Path) -> tuple[Path, Truth]:
    """Produce one file of a plan."""
    rng = random.Random(job.seed)
    nrng = np.random.RandomState(job.seed)
    stem = out_dir / f"{job.index:04d}-{job.category}-{job.recipe}"
    cat = job.category
    r = job.recipe
    if r == "amazon-gift-shot":
        return _amazon_screenshot(stem, rng, "gift", cat)
    if r == "amazon-gift-pdf":
        return _amazon_pdf(stem, rng, "gift", cat)
    if r == "amazon-gift-monitor":
        return _amazon_monitor(stem, rng, nrng, "gift", cat)
    if r == "slip-gift-photo":
        return _slip_photo(stem, rng, nrng, "gift", cat)
    if r == "slip-gift-scan":
        return _slip_photo(stem, rng, nrng, "gift", cat, "scan")
    if r == "slip-gift-pdf-image":
        return _slip_photo(stem, rng, nrng, "gift", cat, "pdf-image")
    if r.startswith("amazon-"):
        mode = {"amazon-product": "product", "amazon-paid-with-giftcard": "paid_with_giftcard",
                "amazon-digital": "digital"}[r]
        how = rng.choices(["shot", "pdf", "monitor"], weights=[80, 8, 12])[0]
        if how == "pdf":
            return _amazon_pdf(stem, rng, mode, cat)
        if how == "monitor":
            return _amazon_monitor(stem, rng, nrng, mode, cat)
        return _amazon_screenshot(stem, rng, mode, cat)
    if r.startswith("slip-"):
        mode = {"slip-plain": "plain", "slip-other-brand": "other_brand",
                "slip-paid-with-giftcard": "paid_with_giftcard"}[r]
        style = rng.choices(["photo", "scan"], weights=[85, 15])[0]
        return _slip_photo(stem, rng, nrng, mode, cat, style)
    if r.startswith("real-"):
        how = "thumbnail" if r == "real-thumbnail" else r.rsplit("-", 1)[1]
        mode = "gift" if how == "thumbnail" else r[len("real-"):-len(how) - 1].replace("-", "_")
        return _real_slip(stem, rng, nrng, mode, cat, how)
    if r == "prose":
        img, truth = other.prose_page(rng)
        if rng.random() < 0.5:
            res = photo.photograph(img, rng, nrng, glyph=24, allow_turn=False)
            truth.add_note("photographed")
            return _save_photo(res, stem, truth), truth
        return _save_png(img, stem), truth
    if r == "picture":
        img, truth = other.picture(rng, nrng)
        path = stem.with_suffix(".jpg")
        img.save(path, "JPEG", quality=88)
        return path, truth
    raise ValueError(f"unknown recipe {r}")


def generate(out_dir: Path, *, seed: int, count: int, kinds: Iterable[str] = KINDS,
             categories: Iterable[str] = DEFAULT_CATEGORIES,
             progress: Callable[[int, int, Path], None] | None = None) -> list[tuple[Path, Truth]]:
    """Write ``count`` files and ``truth.jsonl`` into ``out_dir``; same seed, same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = plan(seed, count, kinds, categories)
    results: list[tuple[Path, Truth]] = []
    with open(out_dir / "truth.jsonl", "w", encoding="utf-8") as fh:
        for job in jobs:
            path, truth = make(job, out_dir)
            results.append((path, truth))
            fh.write(json.dumps({"file": path.name, **truth.to_json()}, ensure_ascii=False) + "\n")
            if progress:
                progress(job.index + 1, len(jobs), path)
    return results


# What the retake benchmark photographs: clean slips, each defect, and a
# monitor showing the Amazon page instead of a screenshot of it.
RETAKE_KINDS = ("none", *photo.DEFECTS, "screen")


def generate_retake(out_dir: Path, *, seed: int, per_kind: int,
                    progress: Callable[[int, int, Path], None] | None = None) -> list[tuple[Path, Truth]]:
    """Photos for measuring the retake advice: ``per_kind`` of each of RETAKE_KINDS.

    Each defect's severity is drawn evenly from 0..1, so some of its photos
    are still readable and some are not; ``extra`` records kind and severity.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_rng = random.Random(seed)
    jobs = [(kind, plan_rng.randrange(2 ** 31)) for kind in RETAKE_KINDS for _ in range(per_kind)]
    results: list[tuple[Path, Truth]] = []
    with open(out_dir / "truth.jsonl", "w", encoding="utf-8") as fh:
        for i, (kind, job_seed) in enumerate(jobs):
            rng, nrng = random.Random(job_seed), np.random.RandomState(job_seed)
            stem = out_dir / f"{i:04d}-retake-{kind}"
            severity = round(rng.random(), 3)
            if kind == "screen":
                path, truth = _amazon_monitor(stem, rng, nrng, "gift", "photo")
            else:
                defect = photo.Defect(kind, severity) if kind != "none" else None
                path, truth = _slip_photo(stem, rng, nrng, "gift", "photo", defect=defect)
            truth.extra.update(defect=kind, severity=severity if kind not in ("none", "screen") else None)
            results.append((path, truth))
            fh.write(json.dumps({"file": path.name, **truth.to_json()}, ensure_ascii=False) + "\n")
            if progress:
                progress(i + 1, len(jobs), path)
    return results


def read_truth(path: Path) -> list[tuple[str, Truth]]:
    """Load ground truth: a ``truth.jsonl`` from :func:`generate` or the samples' ``truth.json``."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith(".json"):
        rows = json.loads(text)
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(d.pop("file"), Truth.from_json(d)) for d in rows]
