"""The small committed samples in resources/samples, rebuilt from fixed seeds.

    python -m receipt_assistant.synth.samples [--out resources/samples]

Each sample is searched for deterministically (first seed whose content has
the wanted property), so rerunning gives the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from receipt_assistant.synth import amazon, other, photo, slip
from receipt_assistant.synth.model import TODAY, Truth

MAX_BYTES = 300_000
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "resources" / "samples"


def _first(seed: int, build: Callable[[random.Random], Any], ok: Callable[[Any], bool]) -> tuple[random.Random, Any]:
    for k in range(10_000):
        rng = random.Random(seed * 10_000 + k)
        obj = build(rng)
        if ok(obj):
            return rng, obj
    raise RuntimeError("no seed gave the wanted sample")


def _amazon_png(out: Path, name: str, seed: int, mode: str, ok: Callable[[amazon.AmazonOrder], bool],
                width: int, font_px: int, chrome: str) -> tuple[Path, Truth]:
    rng, order = _first(seed, lambda r: amazon.build_order(r, mode), ok)
    st = amazon.random_style(rng)
    st.width, st.font_px, st.dpr, st.chrome = width, font_px, 1.0, chrome
    st.families = [amazon.fonts.ensure_qt_fonts()["noto_sans"]]
    shot = amazon.render_page(amazon.page_html(rng, order, st), st)
    shot, notes = amazon.add_chrome(shot, st, order, rng)
    path = out / name
    shot.save(path, "PNG", optimize=True)
    truth = amazon.truth_for(order, "screenshot" if order.has_gift_card else "negative")
    for n in notes:
        truth.add_note(n)
    return path, truth


def _jpeg_under(res: photo.PhotoResult, limit: int) -> bytes:
    """Shrink a photo until its JPEG fits the size budget of a committed sample."""
    img = res.image
    quality = min(res.quality, 85)
    while True:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        if buf.tell() <= limit:
            return buf.getvalue()
        if quality > 70:
            quality -= 5
        else:
            img = img.resize((int(img.width * 0.85), int(img.height * 0.85)), Image.Resampling.LANCZOS)


def write_samples(out: Path = DEFAULT_OUT) -> list[tuple[Path, Truth]]:
    out.mkdir(parents=True, exist_ok=True)
    results: list[tuple[Path, Truth]] = []

    def simple_gift(o: amazon.AmazonOrder) -> bool:
        return (o.layout == "classic" and not o.points and len(o.shipments) == 1
                and len(o.shipments[0].items) == 1 and o.title == "領収書/購入明細書"
                and "Eメールタイプ" in o.shipments[0].items[0].title)

    results.append(_amazon_png(out, "amazon-receipt.png", 1, "gift", simple_gift, 900, 16, "desktop"))
    results.append(_amazon_png(out, "amazon-receipt-points.png", 2, "gift",
                               lambda o: o.layout == "classic" and o.points > 0 and len(o.shipments) == 1,
                               1000, 14, "none"))
    results.append(_amazon_png(out, "amazon-giftcard-payment.png", 3, "paid_with_giftcard",
                               lambda o: o.layout == "classic" and 0 < o.gift_balance < o.total,
                               960, 14, "none"))

    # A 2025-style printable order summary as a text-layer PDF.
    rng, order = _first(4, lambda r: amazon.build_order(r, "gift"),
                        lambda o: o.layout == "summary2025" and len(o.shipments) == 1)
    st = amazon.random_style(rng, pdf=True)
    st.font_px = 14
    path = out / "amazon-order-summary.pdf"
    printed = dt.datetime.combine(min(TODAY, order.order_date + dt.timedelta(days=9)), dt.time(20, 15))
    amazon.render_pdf(amazon.page_html(rng, order, st), st, path, printed=printed,
                      doc_id=str(uuid.UUID(int=rng.getrandbits(128))),
                      header=(printed.strftime("%Y/%m/%d %H:%M"), "Amazon.co.jp - 注文の概要"),
                      footer_url=amazon.page_url(order))
    t = amazon.truth_for(order, "pdf")
    t.add_note("text layer; print date in page header")
    results.append((path, t))

    # A flat slip and a photographed one.
    rng, s = _first(5, lambda r: slip.build_slip(r, "gift"),
                    lambda s: s.truth.extra["date_form"] == "kanji" and "fixed POSA" in s.truth.notes)
    st_s = slip.random_style(rng, s.columns, glyph=28)
    paper = slip.render_slip(s, rng, np.random.RandomState(5), st_s)
    path = out / "store-slip.png"
    slip.flat(paper).convert("L").save(path, "PNG", optimize=True)
    s.truth.add_note("flat (scanner-like), grayscale")
    results.append((path, s.truth))

    rng, s = _first(6, lambda r: slip.build_slip(r, "gift"),
                    lambda s: "variable POSA" in s.truth.notes and s.truth.store == "ローソン")
    st_s = slip.random_style(rng, s.columns)
    nrng = np.random.RandomState(6)
    paper = slip.render_slip(s, rng, nrng, st_s)
    res = photo.photograph(paper, rng, nrng, glyph=st_s.glyph, big=False, allow_turn=False)
    path = out / "store-slip-photo.jpg"
    path.write_bytes(_jpeg_under(res, MAX_BYTES - 20_000))
    for n in res.notes:
        s.truth.add_note(n)
    results.append((path, s.truth))

    img, t = other.prose_page(random.Random(7))
    path = out / "not-a-receipt.png"
    img.convert("L").save(path, "PNG", optimize=True)
    results.append((path, t))

    with open(out / "truth.json", "w", encoding="utf-8") as fh:
        json.dump([{"file": p.name, **tr.to_json()} for p, tr in results], fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m receipt_assistant.synth.samples")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    for p, t in write_samples(args.out):
        size = p.stat().st_size
        flag = "" if size <= MAX_BYTES else "  (over budget!)"
        print(f"{p.name:32s} {size / 1000:7.1f} kB  {t.kind:7s} gift={t.gift_card!s:5s} {t.date} {t.amount}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
