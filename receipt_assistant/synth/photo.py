"""Make a flat page look like a phone photo of it.

Customers photograph slips on a table under room light: the paper is tilted,
seen at an angle, lit unevenly, a little soft, noisy and JPEG-compressed, and
sometimes the phone stores the picture sideways. Each effect here is mild on
its own so that most photos stay readable, as real usable submissions are.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

PHONE_12MP = (4032, 3024)

# Defects a customer's photo can have, each made worse by a severity in 0..1
# (0 is a mild case most readers cope with, 1 a photo nobody can read). The
# retake benchmark draws severities across the range so that the quality
# checks are measured on both sides of their thresholds.
DEFECTS = ("blurred", "dark", "glare", "cut_off", "too_far", "steep")


@dataclass(frozen=True)
class Defect:
    kind: str  # one of DEFECTS
    severity: float  # 0..1


@dataclass
class PhotoResult:
    image: Image.Image  # RGB as the sensor saw it, already turned by ``rotation``
    rotation: int  # clockwise degrees the content was turned
    exif_orientation: int | None = None  # set when the stored pixels need turning to display
    notes: list[str] = field(default_factory=list)
    quality: int = 85

    def jpeg_bytes(self) -> bytes:
        """Encode once, as the phone would, with the EXIF orientation tag when set."""
        buf = io.BytesIO()
        kwargs = {}
        if self.exif_orientation:
            exif = Image.Exif()
            exif[0x0112] = self.exif_orientation
            kwargs["exif"] = exif.tobytes()
        self.image.save(buf, "JPEG", quality=self.quality, **kwargs)
        return buf.getvalue()


# ---------------------------------------------------------------- backgrounds


def _lowfreq(nrng: np.random.RandomState, w: int, h: int, cells: int) -> np.ndarray:
    """Smooth noise in [0, 1] at (h, w): random values on a coarse grid, upscaled."""
    gw = max(2, cells)
    gh = max(2, int(round(cells * h / max(w, 1))))
    g = nrng.rand(gh, gw).astype(np.float32)
    out = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(out, 0, 1)


def _small(w: int, h: int) -> tuple[int, int]:
    """Working size for smooth fields; they are computed small and upscaled for speed."""
    f = max(1, max(w, h) // 1200)
    return max(2, w // f), max(2, h // f)


def _up(a: np.ndarray, w: int, h: int) -> np.ndarray:
    if a.shape[1] == w and a.shape[0] == h:
        return a
    return cv2.resize(a, (w, h), interpolation=cv2.INTER_LINEAR)


def _background(rng: random.Random, nrng: np.random.RandomState, w: int, h: int) -> tuple[np.ndarray, str]:
    kind = rng.choices(["wood", "solid", "fabric", "dark", "mat", "stone"],
                       weights=[3, 3, 1.5, 1.5, 1, 1])[0]
    if kind == "wood":
        base = np.array(rng.choice([(150, 105, 65), (185, 140, 95), (110, 75, 45), (205, 170, 125)]), np.float32)
        y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
        warp = _lowfreq(nrng, w, h, 4) * 2.0
        freq = rng.uniform(30, 70)
        if rng.random() < 0.5:
            grain = np.sin((y + 0.02 * warp) * freq * math.pi * 2 + warp)
        else:
            grain = np.sin((x + 0.02 * warp) * freq * math.pi * 2 + warp)
        tone = 1.0 + 0.10 * grain + 0.10 * (_lowfreq(nrng, w, h, 12) - 0.5)
        img = tone[..., None] * base[None, None, :]
    elif kind == "fabric":
        c1 = np.array(rng.choice([(70, 90, 140), (160, 60, 60), (90, 120, 90), (200, 200, 190)]), np.float32)
        period = rng.randint(12, 40)
        yy, xx = np.mgrid[0:h, 0:w]
        check = (((xx // period) + (yy // period)) % 2).astype(np.float32)
        tone = 0.88 + 0.12 * check + 0.06 * (_lowfreq(nrng, w, h, 30) - 0.5)
        img = tone[..., None] * c1[None, None, :]
    elif kind == "mat":
        c1 = np.array((40, 110, 80), np.float32)
        img = np.broadcast_to(c1, (h, w, 3)).astype(np.float32).copy()
        step = max(12, w // 30)
        img[::step, :, :] += 40
        img[:, ::step, :] += 40
    else:
        colors = {"solid": [(225, 222, 215), (200, 205, 210), (180, 170, 160), (235, 230, 220), (150, 160, 170)],
                  "dark": [(45, 45, 50), (60, 50, 45), (30, 35, 40)],
                  "stone": [(170, 170, 165), (120, 120, 125)]}[kind]
        c1 = np.array(rng.choice(colors), np.float32)
        tone = 1.0 + 0.08 * (_lowfreq(nrng, w, h, 8) - 0.5)
        if kind == "stone":
            tone = tone + 0.08 * (_lowfreq(nrng, w, h, 120) - 0.5)
        img = tone[..., None] * c1[None, None, :]
    return img.astype(np.float32), kind


# ---------------------------------------------------------------- helpers


def _lighting(rng: random.Random, nrng: np.random.RandomState, W: int, H: int, hard: bool) -> np.ndarray:
    """A multiplicative light field: a gradient, a vignette and sometimes a cast shadow."""
    w, h = _small(W, H)
    phi = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xn, yn = xx / w - 0.5, yy / h - 0.5
    ramp = xn * math.cos(phi) + yn * math.sin(phi)
    low = rng.uniform(0.62, 0.92) if not hard else rng.uniform(0.5, 0.75)
    light = 1.0 - (1.0 - low) * (ramp + 0.7) / 1.4
    light *= 1.0 - rng.uniform(0.0, 0.25) * (xn ** 2 + yn ** 2) * 2
    if rng.random() < (0.45 if hard else 0.3):
        # Shadow of the phone or a hand: a soft-edged half plane across one side.
        a = rng.uniform(0, 2 * math.pi)
        d = rng.uniform(0.15, 0.45)
        edge = xn * math.cos(a) + yn * math.sin(a) - d
        soft = rng.uniform(0.01, 0.06)
        mask = 0.5 * (1.0 + np.tanh(edge / (2 * soft)))
        light *= 1.0 - rng.uniform(0.15, 0.38 if hard else 0.3) * mask
    return _up(light.astype(np.float32), W, H)


def _paper_shading(nrng: np.random.RandomState, w: int, h: int, amount: float) -> np.ndarray:
    """Curl and crumple: slow brightness changes across the paper."""
    return (1.0 - amount * _lowfreq(nrng, w, h, 5)).astype(np.float32)


def _fit_output(rng: random.Random, page_w: int, page_h: int, glyph: float, big: bool,
                fill: float | None = None) -> tuple[int, int, float]:
    """Choose the photo size and the page scale so the text ends up readable.

    ``fill`` (the page's share of the frame) makes the camera stand that far
    away whatever the text size, as a customer holding the phone too far does.
    """
    portrait = page_h >= page_w * 0.9
    if big:
        w, h = PHONE_12MP
    else:
        w, h = rng.choice([(1600, 1200), (2016, 1512), (2048, 1536), (1920, 1440), (2560, 1920)])
    if portrait:
        w, h = h, w
    drawn = rng.uniform(0.62, 0.9)
    s = min((fill or drawn) * w / page_w, (fill or drawn) * h / page_h)
    want = rng.uniform(22, 34)  # em size of the text after scaling, in px
    if not big and fill is None and glyph * s < want:
        grow = min(want / (glyph * s), 4032 / max(w, h))
        w, h = int(w * grow), int(h * grow)
        s *= grow
    return w, h, s


# ---------------------------------------------------------------- main effects


def photograph(page: Image.Image, rng: random.Random, nrng: np.random.RandomState, *,
               glyph: float = 28.0, big: bool = False, allow_turn: bool = True,
               hard: bool = False, defect: Defect | None = None) -> PhotoResult:
    """A phone photo of ``page`` (RGBA paper, or RGB) lying on a table.

    Without ``defect`` the photo is an ordinary, mostly readable one; with it,
    that one flaw is added at its severity on top of the ordinary effects.
    """
    notes: list[str] = []
    kind, sev = (defect.kind, defect.severity) if defect else ("", 0.0)
    if defect:
        notes.append(f"defect {kind} {sev:.2f}")
    rgba = page.convert("RGBA")
    pw, ph = rgba.size
    # Too far: the slip's long side fills 45 % of the frame at worst 12 %.
    W, H, s = _fit_output(rng, pw, ph, glyph, big, 0.45 - 0.33 * sev if kind == "too_far" else None)
    if big:
        notes.append("12 MP")
    # Scale the page first with area averaging so small text does not alias.
    sw, sh = max(1, int(pw * s)), max(1, int(ph * s))
    arr = np.asarray(rgba, dtype=np.float32)
    arr = cv2.resize(arr, (sw, sh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    rgb, alpha = arr[..., :3], arr[..., 3] / 255.0
    rgb *= _paper_shading(nrng, sw, sh, rng.uniform(0.02, 0.12))[..., None]

    # Where the page's corners land: centred, tilted, seen slightly from an angle.
    tilt = max(-6.0, min(6.0, rng.gauss(0, 2))) if rng.random() < 0.92 else rng.uniform(-12, 12)
    if abs(tilt) > 1:
        notes.append(f"tilt {tilt:.0f}")
    persp = rng.uniform(0.0, 0.05) if not hard else rng.uniform(0.04, 0.12)
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    cx, cy = W / 2 + rng.uniform(-0.05, 0.05) * W, H / 2 + rng.uniform(-0.05, 0.05) * H
    rad = math.radians(tilt)
    cos_t, sin_t = math.cos(rad), math.sin(rad)
    dst = []
    for x, y in src:
        x0, y0 = x - sw / 2, y - sh / 2
        x0 += rng.uniform(-persp, persp) * sw
        y0 += rng.uniform(-persp, persp) * sh
        dst.append([cx + x0 * cos_t - y0 * sin_t, cy + x0 * sin_t + y0 * cos_t])
    if kind == "steep":
        # Seen from low down: the far (top) edge shrinks towards the centre and
        # the page is foreshortened, as when the phone is held at an angle.
        narrow = 0.15 + 0.55 * sev
        dst[0][0] += (cx - dst[0][0]) * narrow
        dst[1][0] += (cx - dst[1][0]) * narrow
        dst[0][1] += (cy - dst[0][1]) * narrow * 0.8
        dst[1][1] += (cy - dst[1][1]) * narrow * 0.8
    dst_a = np.float32(dst)
    # Keep the whole page in the frame: shrink about the centre if a corner falls out.
    margin = 0.02 * min(W, H)
    over = max(
        (np.abs(dst_a[:, 0] - cx).max() + margin) / max(min(cx, W - cx), 1),
        (np.abs(dst_a[:, 1] - cy).max() + margin) / max(min(cy, H - cy), 1),
    )
    if over > 1:
        dst_a[:, 0] = cx + (dst_a[:, 0] - cx) / over
        dst_a[:, 1] = cy + (dst_a[:, 1] - cy) / over
    if kind == "cut_off":
        # Part of the slip falls outside the frame: mostly its top or bottom
        # (the slip is long), sometimes a side.
        side = rng.choices(["bottom", "top", "left", "right"], weights=[4, 3, 1, 1])[0]
        share = 0.03 + 0.3 * sev
        lo_x, hi_x = dst_a[:, 0].min(), dst_a[:, 0].max()
        lo_y, hi_y = dst_a[:, 1].min(), dst_a[:, 1].max()
        if side == "bottom":
            dst_a[:, 1] += H - hi_y + share * (hi_y - lo_y)
        elif side == "top":
            dst_a[:, 1] -= lo_y + share * (hi_y - lo_y)
        elif side == "left":
            dst_a[:, 0] -= lo_x + share * (hi_x - lo_x)
        else:
            dst_a[:, 0] += W - hi_x + share * (hi_x - lo_x)
        notes.append(f"cut off at the {side}")
    if persp > 0.03:
        notes.append("perspective")
    M = cv2.getPerspectiveTransform(src, dst_a)
    warped = cv2.warpPerspective(rgb, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    mask = cv2.warpPerspective(alpha.astype(np.float32), M, (W, H), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT)

    # Table, the paper's soft shadow and the light are all smooth, so they are
    # built at a small size and upscaled once; only the paper is full-size.
    sw2, sh2 = _small(W, H)
    bg, bg_kind = _background(rng, nrng, sw2, sh2)
    notes.append(f"on {bg_kind}")
    small_mask = cv2.resize(mask, (sw2, sh2), interpolation=cv2.INTER_AREA)
    k = max(3, int(min(sw2, sh2) * 0.012)) | 1
    sh_mask = cv2.GaussianBlur(small_mask, (k * 4 + 1, k * 4 + 1), 0)
    off = int(min(sw2, sh2) * 0.006)
    sh_mask = np.roll(sh_mask, (off, off), axis=(0, 1))
    bg *= (1.0 - 0.35 * sh_mask)[..., None]

    light = _lighting(rng, nrng, sw2, sh2, hard)
    if rng.random() < 0.08:
        # A patch of glare from a lamp; mild so that it does not bleach the print.
        gx, gy = rng.uniform(0.2, 0.8) * sw2, rng.uniform(0.2, 0.8) * sh2
        yy, xx = np.ogrid[0:sh2, 0:sw2]
        r2 = ((xx - gx) ** 2 + (yy - gy) ** 2) / (0.12 * min(sw2, sh2)) ** 2
        light = light + (rng.uniform(0.1, 0.2) * np.exp(-r2)).astype(np.float32)
        notes.append("glare")
    cast = np.array([1 + rng.uniform(-0.05, 0.06), 1 + rng.uniform(-0.03, 0.03), 1 + rng.uniform(-0.07, 0.04)],
                    np.float32)
    light3 = light[..., None] * cast[None, None, :]

    if kind == "dark":
        # A dim room: less light, so the phone raises the gain and the grain.
        light3 = light3 * np.float32(0.42 - 0.34 * sev)
    img = cv2.blendLinear(_up(bg, W, H), warped, 1.0 - mask, mask)
    img = cv2.multiply(img, _up(light3, W, H))
    if kind == "glare":
        # A lamp's reflection on glossy paper adds light over the print, ink
        # included, up to white at its centre; it lies somewhere over the slip.
        ys, xs = np.nonzero(mask > 0.5)
        i = rng.randrange(len(ys))
        gx, gy = float(xs[i]), float(ys[i])
        radius = (0.06 + 0.12 * sev) * min(W, H)
        yy, xx = np.ogrid[0:H, 0:W]
        r2 = ((xx - gx) ** 2 + ((yy - gy) * rng.uniform(0.6, 1.6)) ** 2) / radius ** 2
        spot = (np.float32(120 + 260 * sev) * np.exp(-r2 * r2)).astype(np.float32)
        img = img + cv2.merge([spot, spot, spot])

    # Focus and camera noise, relative to the size of the text.
    g_out = glyph * s
    sigma = rng.uniform(0.0, 0.05) * g_out
    if hard or rng.random() < 0.08:
        sigma = rng.uniform(0.05, 0.08) * g_out
        notes.append("blurred")
    if kind == "blurred":
        sigma = (0.05 + 0.09 * sev) * g_out
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    noise = rng.uniform(1.5, 6.0)
    if kind == "dark":
        noise += 8.0 * sev
    nh, nw = H // 2 + 1, W // 2 + 1
    n = nrng.standard_normal((nh, nw)).astype(np.float32) * noise
    n = cv2.resize(n, (W, H), interpolation=cv2.INTER_LINEAR)
    img = cv2.add(img, cv2.merge([n, n, n]))
    out = Image.fromarray(cv2.convertScaleAbs(img), "RGB")

    rotation = 0
    exif_orientation = None
    if allow_turn and not defect:
        turn = rng.choices([0, 90, 180, 270, "exif"], weights=[80, 7, 4, 5, 4])[0]
        if turn == "exif":
            # Stored sideways with an EXIF tag; it displays upright.
            out = out.transpose(Image.Transpose.ROTATE_90)
            exif_orientation = 6
            notes.append("EXIF orientation 6 (stored sideways, displays upright)")
        elif turn:
            rotation = int(turn)
            out = out.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                                 270: Image.Transpose.ROTATE_90}[rotation])
            notes.append(f"rotated {rotation}")
    return PhotoResult(out, rotation, exif_orientation, notes, rng.randint(62, 93))


def photograph_screen(shot: Image.Image, rng: random.Random, nrng: np.random.RandomState, *,
                      glyph: float = 14.0) -> PhotoResult:
    """A phone photo of a monitor showing ``shot``: bezel, moiré, glow."""
    rgb = np.asarray(shot.convert("RGB"), dtype=np.float32)
    h, w = rgb.shape[:2]
    bezel = max(12, w // 40)
    framed = np.full((h + 2 * bezel, w + 2 * bezel, 3), rng.choice([20, 30, 45]), np.float32)
    framed[bezel:bezel + h, bezel:bezel + w] = rgb * rng.uniform(0.85, 1.0)
    page = Image.fromarray(framed.astype(np.uint8), "RGB")
    res = photograph(page, rng, nrng, glyph=glyph, big=rng.random() < 0.3, allow_turn=False)
    # Moiré between the screen's pixel grid and the camera's sensor.
    arr = np.asarray(res.image, dtype=np.float32)
    H, W = arr.shape[:2]
    a = rng.uniform(0, math.pi)
    k = np.float32(2 * math.pi / rng.uniform(3.0, 7.0))
    x = np.arange(W, dtype=np.float32) * np.float32(math.cos(a)) * k
    y = np.arange(H, dtype=np.float32) * np.float32(math.sin(a)) * k
    pattern = np.sin(y[:, None] + x[None, :])
    depth = np.float32(rng.uniform(0.015, 0.04))
    arr *= (1.0 - depth * (0.5 + 0.5 * pattern))[..., None]
    res.image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    res.quality = rng.randint(70, 92)
    res.notes.insert(0, "photo of a monitor")
    return res
