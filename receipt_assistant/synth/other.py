"""Images that are not receipts at all, for the "not a receipt" path of the checker."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from receipt_assistant.synth import data, fonts
from receipt_assistant.synth.model import Truth


def prose_page(rng: random.Random) -> tuple[Image.Image, Truth]:
    """A page of ordinary Japanese text: readable, but no receipt."""
    w = rng.choice([800, 1000, 1200])
    size = rng.randint(18, 28)
    font = fonts.pil_font(rng.choice([fonts.noto_sans(), fonts.noto_serif(), fonts.wqy()]), size)
    title_font = fonts.pil_font(fonts.noto_sans(), int(size * 1.5))
    per_line = (w - 120) // size
    lines: list[str] = []
    for _ in range(rng.randint(4, 8)):
        para = "".join(rng.choice(data.PROSE) for _ in range(rng.randint(2, 4)))
        para = "\u3000" + para
        lines += [para[i:i + per_line] for i in range(0, len(para), per_line)]
        lines.append("")
    h = 160 + len(lines) * int(size * 1.7)
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((60, 50), rng.choice(["日記", "お知らせ", "読書メモ", "議事録", "随筆"]), font=title_font, fill=(20, 20, 20))
    y = 130
    for line in lines:
        d.text((60, y), line, font=font, fill=(30, 30, 30))
        y += int(size * 1.7)
    return img, Truth("unknown", None, None, False, None, None, "negative", "Japanese prose, no receipt",
                      variant="prose")


def picture(rng: random.Random, nrng: np.random.RandomState) -> tuple[Image.Image, Truth]:
    """A picture without any text: a landscape of sky, hills and a sun, or abstract shapes."""
    w, h = rng.choice([(1200, 900), (1024, 768), (1600, 1200), (900, 1200)])
    img = Image.new("RGB", (w, h))
    top = np.array(rng.choice([(90, 150, 230), (250, 170, 120), (40, 60, 120)]), np.float32)
    bottom = np.array(rng.choice([(200, 225, 250), (255, 220, 180), (120, 140, 200)]), np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    sky = top * (1 - t) + bottom * t
    img = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    r = rng.randint(40, 90)
    cx, cy = rng.randint(r, w - r), rng.randint(r, h // 2)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 235, 150))
    for k in range(rng.randint(2, 4)):
        base = int(h * (0.55 + 0.1 * k))
        pts = [(0, h)]
        for x in range(0, w + 50, 50):
            pts.append((x, base + int(40 * np.sin(x / rng.uniform(80, 200) + k)) + rng.randint(-10, 10)))
        pts.append((w, h))
        g = 90 + 30 * k
        d.polygon(pts, fill=(40 + 10 * k, g, 50 + 10 * k))
    if rng.random() < 0.5:
        for _ in range(rng.randint(3, 8)):
            x, y, s = rng.randint(0, w), rng.randint(0, h), rng.randint(20, 120)
            d.rectangle([x, y, x + s, y + s // 2], fill=tuple(int(c) for c in nrng.randint(0, 255, 3)))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    return img, Truth("unknown", None, None, False, None, None, "negative", "picture without text",
                      variant="picture")
