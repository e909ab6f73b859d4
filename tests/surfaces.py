"""Photos of one slip on the surfaces customers put slips on, made here from seeded numbers.

A black binder with a soft reflection and its metal rings, dark leather,
a wooden table, the slip filling the whole frame, tilted, and a long slip
in a 9-12 MP photo. The slip is drawn with Pillow in the way a till prints
it (grid of cells, a double-size 合計 row, yen before the number), so its
date, amount and gift-card line are known.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

DATE = dt.date(2025, 4, 20)


@dataclass
class Photo:
    image: Image.Image
    corners: np.ndarray | None  # the slip's corners (clockwise from top-left), None when it fills the frame


@dataclass
class SlipPicture:
    image: Image.Image  # RGB paper, print on it
    date: dt.date
    amount: int


def _font(px: int) -> ImageFont.FreeTypeFont:
    import pylopdf_fonts_jp

    return ImageFont.truetype(str(Path(pylopdf_fonts_jp.__file__).parent / "NotoSansJP-Regular.otf"), px)


def _rows(rng: random.Random, long: bool) -> tuple[list[tuple[str, str, bool]], int]:
    """(left, right, double size) rows of a konbini slip, and its total."""
    items = [("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ" if rng.random() < 0.3 else "Amazonギフトカード", 5000, "非")]
    goods = ["おにぎり 鮭", "緑茶 500ml", "ボールペン 黒", "からあげ棒", "ポテトチップス", "牛乳 1000ml",
             "食パン 6枚", "歯ブラシ", "ティッシュ 5箱", "洗剤 詰替", "バナナ", "カップ麺"]
    for name in rng.sample(goods, 9 if long else 2):
        items.append((name, rng.randrange(10, 60) * 10 + 8, "軽"))
    total = sum(p for _, p, _ in items)
    paid = -(-total // 1000) * 1000
    rows: list[tuple[str, str, bool]] = [
        ("", "", False), ("ローソン 渋谷道玄坂店", "", False), ("東京都渋谷区道玄坂1-2-3", "", False),
        ("電話:03-1234-5678", "", False), ("登録番号 T1234567890123", "", False),
        (f"{DATE.year}年{DATE.month:02d}月{DATE.day:02d}日(日) 12:48", "", False),
        ("レジ#2  責No.012", "", False), ("      領  収  書", "", False), ("", "", False),
    ]
    rows += [(name, f"¥{price:,}{mark}", False) for name, price, mark in items]
    rows += [("小計", f"¥{total:,}", False), ("合 計", f"¥{total:,}", True),
             ("(内消費税等 8%", f"¥{sum(p for _, p, m in items if m == '軽') * 8 // 108:,})", False),
             ("お預り", f"¥{paid:,}", False), ("お釣", f"¥{paid - total:,}", False), ("", "", False),
             ("またのご来店をお待ちしております", "", False)]
    if long:
        for k in range(50):
            rows.append((f"ポイントカード会員様特典 その{k + 1}", "", False))
    return rows, total


def draw_slip(seed: int, *, long: bool = False, char_px: int = 22) -> SlipPicture:
    """A thermal slip 58 mm wide at about 200 dpi (640 px), as a till prints it."""
    rng = random.Random(seed)
    rows, total = _rows(rng, long)
    font, big = _font(char_px), _font(2 * char_px)
    pitch = int(char_px * 1.5)
    width = 640
    height = 2 * pitch + sum(2 * pitch if b else pitch for _, _, b in rows) + 3 * pitch
    paper = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(paper)
    ink = rng.randint(40, 80)
    y = pitch
    margin = 40
    for left, right, double in rows:
        f = big if double else font
        draw.text((margin, y), left, font=f, fill=ink)
        if right:
            draw.text((width - margin, y), right, font=f, fill=ink, anchor="ra")
        y += 2 * pitch if double else pitch
    # A barcode near the foot, as tills print one.
    x = 160
    while x < width - 160:
        w = rng.choice([2, 2, 4, 6])
        draw.rectangle([x, y + 10, x + w - 1, y + 2 * pitch], fill=ink)
        x += w + rng.choice([2, 4])
    return SlipPicture(paper.convert("RGB"), DATE, total)


# -- surfaces ---------------------------------------------------------------------------------


def _surface(kind: str, w: int, h: int, nrng: np.random.RandomState, around: float | None = None,
             binder_gray: float = 24.0) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "binder":
        # A black vinyl binder, pebbled; ``around``: the gray of the desk its
        # edges lie on (None: the binder fills the frame but for a strip of desk).
        pebble = cv2.GaussianBlur(nrng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)
        base = binder_gray + 4 * pebble / max(1e-6, pebble.std())
        if around is None:
            base[:, int(0.9 * w):] = 55.0
        else:
            desk = np.full((h, w), float(around))
            inside = np.zeros((h, w), np.float32)
            cv2.rectangle(inside, (int(0.07 * w), int(0.04 * h)), (int(0.93 * w), int(0.96 * h)), 1.0, -1)
            m = cv2.getRotationMatrix2D((w / 2, h / 2), 2.0, 1.0)
            inside = cv2.warpAffine(inside, m, (w, h))
            base = base * inside + desk * (1 - inside)
        rgb = np.stack([base, base, base + 4], axis=-1)
    elif kind == "leather":
        grain = cv2.GaussianBlur(nrng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 2.0)
        base = 38 + 10 * grain / max(1e-6, grain.std())
        rgb = np.stack([base * 1.25, base * 0.9, base * 0.65], axis=-1)
    elif kind == "wood":
        phase = nrng.uniform(0, 6)
        stripes = np.sin(xx / 23.0 + 3 * np.sin(yy / 211.0 + phase)) + 0.5 * np.sin(xx / 7.0 + yy / 400.0)
        base = 120 + 22 * stripes
        rgb = np.stack([base * 1.2, base * 0.85, base * 0.55], axis=-1)
    elif kind == "pale":
        # A pale table, barely darker than paper, with a fine grain.
        grain = cv2.GaussianBlur(nrng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.2)
        base = 200 + 5 * grain / max(1e-6, grain.std())
        rgb = np.stack([base * 1.03, base, base * 0.97], axis=-1)
    elif kind == "checked":
        # A checked cloth: light squares corner to corner with grey ones,
        # nearly as light as paper.
        light = (xx // 30 + yy // 30) % 2
        base = 172 + 36 * light + 3 * nrng.normal(0, 1, (h, w))
        rgb = np.stack([base, base * 0.98, base * 0.95], axis=-1)
    else:
        raise ValueError(kind)
    return rgb


def _reflection(w: int, h: int, rng: random.Random, strength: float) -> np.ndarray:
    """A soft lamp reflection on a glossy surface: a wide bright blob plus a streak."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.15, 0.85) * w, rng.uniform(0.15, 0.5) * h
    sx, sy = rng.uniform(0.12, 0.2) * w, rng.uniform(0.08, 0.14) * h
    blob = np.exp(-(((xx - cx) / sx) ** 2 + ((yy - cy) / sy) ** 2))
    streak = np.exp(-(((xx - cx + 0.3 * (yy - cy)) / (0.03 * w)) ** 2)) * np.exp(-(((yy - cy) / (0.4 * h)) ** 2))
    return strength * (0.8 * blob + 0.4 * streak)


def _rings(rgb: np.ndarray, rng: random.Random) -> None:
    """A binder's metal rings along its spine: bright, glossy ellipses left of the slip."""
    h, w = rgb.shape[:2]
    x = int(0.06 * w)
    for k in range(3):
        y = int((0.2 + 0.3 * k) * h)
        cv2.ellipse(rgb, (x, y), (int(0.035 * w), int(0.06 * h)), 0, 0, 360, (170, 170, 175), max(3, w // 150))
        cv2.ellipse(rgb, (x, y), (int(0.035 * w), int(0.06 * h)), 0, 200, 260, (235, 235, 240), max(2, w // 300))


def photograph(slip: SlipPicture, surface: str, seed: int, *, size: tuple[int, int] = (1500, 2000),
               share: float = 0.55, tilt: float = 0.0, reflection: float = 0.0, rings: bool = False,
               perspective: float = 0.0, around: float | None = None,
               glint: float = 0.0, binder_gray: float = 24.0) -> Photo:
    """The slip on ``surface`` ("binder", "leather", "wood", "pale", "checked" or "fill"), as a phone takes it.

    ``share``: the slip's height over the frame's; ``reflection``: gray levels a
    lamp's reflection adds; ``perspective``: how much narrower the far (top) end looks;
    ``around``: the desk's gray around a binder; ``glint``: a window's reflection
    on the binder right beside the slip, this bright.
    """
    rng, nrng = random.Random(seed), np.random.RandomState(seed)
    w, h = size
    corners = None
    paper = np.asarray(slip.image).astype(np.float32)
    ph, pw = paper.shape[:2]
    if surface == "fill":
        # The slip fills the frame: its middle, enlarged, with no table in sight.
        k = w / (pw * 0.92)
        scaled = cv2.resize(paper, (int(pw * k), int(ph * k)), interpolation=cv2.INTER_CUBIC)
        top = rng.randint(0, max(0, scaled.shape[0] - h))
        crop = scaled[top:top + h, (scaled.shape[1] - w) // 2:(scaled.shape[1] - w) // 2 + w]
        canvas = np.full((h, w, 3), 235.0, np.float32)
        canvas[:crop.shape[0], :crop.shape[1]] = crop
        if tilt:
            m = cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0)
            canvas = cv2.warpAffine(canvas, m, (w, h), borderMode=cv2.BORDER_REFLECT)
        out = canvas
    else:
        out = _surface(surface, w, h, nrng, around, binder_gray).astype(np.float32)
        if rings:
            _rings(out, rng)
        k = share * h / ph
        sw, sh = pw * k, ph * k
        cx, cy = w * rng.uniform(0.45, 0.55), h * rng.uniform(0.47, 0.53)
        corners = np.array([[-sw / 2, -sh / 2], [sw / 2, -sh / 2], [sw / 2, sh / 2], [-sw / 2, sh / 2]])
        corners[:2, 0] *= 1 - perspective
        a = np.deg2rad(tilt)
        rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
        corners = corners @ rot.T + [cx, cy]
        src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
        m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
        warped = cv2.warpPerspective(paper, m, (w, h), flags=cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (w, h), flags=cv2.INTER_LINEAR)
        # A soft shadow under the paper's edge.
        shadow = cv2.GaussianBlur(mask, (0, 0), max(2.0, w / 400))
        out = out * (1 - 0.35 * shadow[..., None])
        if glint:
            # A bright window pane reflected in the gloss, touching the slip's right edge.
            x0 = int(corners[:, 0].max()) - 5
            y0 = int(corners[:, 1].min() + 0.2 * sh)
            pane = np.zeros((h, w), np.float32)
            cv2.rectangle(pane, (x0, y0), (x0 + int(0.12 * w), y0 + int(0.3 * sh)), 1.0, -1)
            pane = cv2.GaussianBlur(pane, (0, 0), w / 300)
            out = out + glint * pane[..., None] * (1 - mask[..., None])
        out = out * (1 - mask[..., None]) + warped * mask[..., None]
    # Light: a gentle gradient over the whole photo, then the reflection on top.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - 0.15 * (0.6 * xx / w + 0.4 * yy / h)
    out = out * light[..., None]
    if reflection:
        out = out + _reflection(w, h, rng, reflection)[..., None]
    out = cv2.GaussianBlur(out, (0, 0), 0.7) + nrng.normal(0, 3.0, out.shape)
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return Photo(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), corners)


def thumbnail(slip: SlipPicture, size: tuple[int, int] = (200, 260)) -> Image.Image:
    """A web thumbnail of a photo of the slip: nobody can read its print."""
    photo = photograph(slip, "wood", 1, size=(900, 1170), share=0.8).image
    return photo.resize(size, Image.Resampling.LANCZOS)
