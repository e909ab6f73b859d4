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


def _background(rng: random.Random, nrng: np.random.RandomState, w: int, h: int,
                kind: str | None = None) -> tuple[np.ndarray, str]:
    if kind is None:
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


# ---------------------------------------------------------------- photos as customers take them

# Sizes of the photos customers send (portrait): 2252 × 4000 is the most common.
REAL_FRAMES = [((2252, 4000), 5.0), ((3024, 4032), 2.0), ((3000, 4000), 1.0), ((1536, 2048), 1.5),
               ((1080, 1920), 1.0), ((1200, 1600), 1.0), ((960, 1280), 0.6)]
REAL_SETTINGS = ("binder", "leather", "wood", "cloth", "fill")


@dataclass
class Frame:
    """Where a slip lands in a photo: the frame's size, the paper's scale and placement."""

    size: tuple[int, int]
    scale: float  # photo pixels per printer dot
    setting: str  # one of REAL_SETTINGS
    centre: tuple[float, float]  # where the paper's centre lands
    tilt: float  # degrees, clockwise
    crop: tuple[int, int] | None = None  # the dot rows photographed (the whole slip when None)
    small: bool = False


def plan_frame(rng: random.Random, paper: tuple[int, int], need: tuple[int, int], *,
               setting: str | None = None, glyph_dots: float = 20.0) -> Frame:
    """Choose the photo for a slip of ``paper`` (w, h) dots whose rows ``need`` (top, bottom) must show.

    Characters end up at least 13 px tall, as in the real photos that
    people can still read; the slip may fill the frame edge to edge, with
    its top or bottom beyond it, but never the rows between ``need``.
    """
    pw, ph = paper
    setting = setting or rng.choices(REAL_SETTINGS, weights=[3, 1.5, 2, 1, 2])[0]
    tilt = max(-8.0, min(8.0, rng.gauss(0, 2.5)))
    if setting == "fill":
        for (w, h), _ in sorted(REAL_FRAMES, key=lambda f: -f[1]):
            s = w * rng.uniform(1.0, 1.06) / pw
            lo = 0.02 * h - need[0] * s  # the paper's top (frame y) that keeps the top rows in
            hi = 0.98 * h - need[1] * s  # ... and the bottom rows
            lo, hi = max(lo, h - ph * s), min(hi, 0.0)  # and the paper runs past both ends of the frame
            if lo <= hi:
                top = rng.uniform(lo, hi)
                first = max(0, int(-top / s) - 4)
                last = min(ph, int((h - top) / s) + 4)
                cy = top + (first + last) / 2 * s
                return Frame((w, h), s, "fill", (w / 2 + rng.uniform(-0.01, 0.01) * w, cy),
                             max(-2.0, min(2.0, tilt / 2)), (first, last))
        setting = "binder"
    (w, h) = rng.choices([f for f, _ in REAL_FRAMES], weights=[wt for _, wt in REAL_FRAMES])[0]
    small = rng.random() < 0.3
    share = rng.uniform(0.3, 0.5) if small else rng.uniform(0.65, 0.9)
    s = min(share * h / ph, 0.85 * w / pw)
    if s * glyph_dots < 13:
        w, h = 2252, 4000
        s = max(min(0.92 * h / ph, 0.85 * w / pw), s)
        if s * glyph_dots < 13:
            w, h = 3024, 4032
            s = min(0.95 * h / ph, 0.85 * w / pw)
    half = 0.5 * math.hypot(pw * s, ph * s) * abs(math.sin(math.radians(tilt)))
    cx = w / 2 + rng.uniform(-1, 1) * max(0.0, (w - pw * s) / 2 - half - 0.02 * w)
    cy = h / 2 + rng.uniform(-1, 1) * max(0.0, (h - ph * s) / 2 - half - 0.02 * h)
    return Frame((w, h), s, setting, (cx, cy), tilt, None, small)


def _dark_surface(rng: random.Random, nrng: np.random.RandomState, w: int, h: int, kind: str) -> np.ndarray:
    """A black ring binder (smooth, glossy vinyl) or leather (grained), dark and slightly shiny."""
    if kind == "binder":
        base = np.array(rng.choice([(22, 22, 26), (30, 30, 34), (18, 20, 28), (35, 33, 33)]), np.float32)
        tone = 1.0 + 0.15 * (_lowfreq(nrng, w, h, 6) - 0.5)
    else:
        base = np.array(rng.choice([(62, 42, 30), (45, 32, 26), (30, 28, 28), (80, 55, 38)]), np.float32)
        grain = nrng.rand(h, w).astype(np.float32)
        grain = cv2.GaussianBlur(grain, (0, 0), 1.2)
        tone = 1.0 + 0.35 * (grain - grain.mean()) + 0.15 * (_lowfreq(nrng, w, h, 8) - 0.5)
    img = tone[..., None] * base[None, None, :]
    # The gloss: a broad soft reflection of the room light across the surface.
    a = rng.uniform(0, math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = (xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a) - rng.uniform(-0.3, 0.3)
    img += (rng.uniform(15, 45) * np.exp(-(d / rng.uniform(0.05, 0.15)) ** 2))[..., None]
    return img


def _curl_and_crease(rgba: np.ndarray, rng: random.Random, nrng: np.random.RandomState,
                     notes: list[str]) -> np.ndarray:
    """Bend the paper gently (a long slip waves, its sides curl) and maybe fold it once."""
    h, w = rgba.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    amp = rng.uniform(0.0, 0.012) * w
    map_x = xx + amp * np.sin(yy / max(h, 1) * math.pi * rng.uniform(1, 3) + rng.uniform(0, 6))
    bow = rng.uniform(-0.012, 0.012) * w
    map_y = yy + bow * ((xx / w - 0.5) * 2) ** 2
    shade = 1.0 - rng.uniform(0.03, 0.14) * ((xx / w - 0.5) * 2) ** 4
    if rng.random() < 0.45:
        # A fold: the paper steps a little at the crease, which shows as a thin light and dark line.
        y0 = rng.uniform(0.15, 0.85) * h
        slope = rng.uniform(-0.15, 0.15)
        dist = yy - (y0 + slope * (xx - w / 2))
        step = rng.uniform(1, 4)
        map_y -= step * (dist > 0)
        width = max(2.0, 0.004 * w)
        shade *= 1.0 - 0.12 * np.exp(-(dist / width) ** 2) + 0.06 * np.exp(-((dist - width * 2) / width) ** 2)
        shade *= np.where(dist > 0, np.float32(rng.uniform(0.95, 1.0)), np.float32(1.0))
        notes.append("creased")
    if amp > 0.006 * w or abs(bow) > 0.008 * w:
        notes.append("curled")
    out = cv2.remap(rgba, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    out[..., :3] *= shade[..., None]
    return out


def _finger(img: np.ndarray, rng: random.Random, paper_box: tuple[float, float, float, float],
            margin: float) -> None:
    """A thumb holding the slip down: from the frame's side to the paper's blank margin, the hand beyond."""
    H, W = img.shape[:2]
    x0, y0, x1, y1 = paper_box
    side = "left" if (x0 < W - x1) else "right"
    fw = rng.uniform(0.06, 0.09) * W
    cy = rng.uniform(y0 + 0.3 * (y1 - y0), y0 + 0.8 * (y1 - y0))
    tip = x0 + margin * 0.8 if side == "left" else x1 - margin * 0.8
    yy, xx = np.ogrid[0:H, 0:W]
    along = (xx - tip) * (-1 if side == "left" else 1)  # distance from the tip towards the frame's side
    slope = rng.uniform(-0.25, 0.25)
    across = (yy - cy) - slope * along
    thumb = (along >= 0) & (np.abs(across) <= fw / 2)
    nail = (along < 0) & ((along / (fw / 2)) ** 2 + (across / (fw / 2)) ** 2 <= 1)
    palm = (along >= 2.5 * fw) & (np.abs(across - fw) <= 1.6 * fw)
    inside = thumb | nail | palm
    skin = np.array(rng.choice([(215, 165, 140), (190, 140, 110), (230, 185, 160)]), np.float32)
    shade = 1.0 - 0.3 * np.clip(np.abs(across) / (fw / 2), 0, 1) ** 2
    shade = np.where(palm & ~thumb, np.float32(0.85), shade)
    mask = np.broadcast_to(inside, (H, W))
    fill = np.broadcast_to(shade, (H, W))[..., None] * skin[None, None, :]
    img[mask] = fill[mask]


def photograph_real(paper: Image.Image, frame: Frame, rng: random.Random, nrng: np.random.RandomState,
                    *, margin_px: float = 0.0) -> PhotoResult:
    """A phone photo of an RGBA slip already at ``frame.scale``, as customers take them.

    On a black binder, leather, a wooden table or a cloth, or filling the
    frame; a little curled or folded, tilted, lit unevenly, sometimes with a
    thumb at the side, then focused, noisy and JPEG-compressed.
    """
    notes: list[str] = []
    W, H = frame.size
    rgba = np.asarray(paper.convert("RGBA"), dtype=np.float32)
    rgba = _curl_and_crease(rgba, rng, nrng, notes)
    sh, sw = rgba.shape[:2]
    rad = math.radians(frame.tilt)
    cos_t, sin_t = math.cos(rad), math.sin(rad)
    persp = rng.uniform(0.0, 0.03)
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    dst = []
    for x, y in src:
        x0, y0 = x - sw / 2 + rng.uniform(-persp, persp) * sw, y - sh / 2 + rng.uniform(-persp, persp) * min(sw, sh)
        dst.append([frame.centre[0] + x0 * cos_t - y0 * sin_t, frame.centre[1] + x0 * sin_t + y0 * cos_t])
    M = cv2.getPerspectiveTransform(src, np.float32(dst))
    warped = cv2.warpPerspective(rgba, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    rgb, mask = warped[..., :3], warped[..., 3] / 255.0
    if abs(frame.tilt) > 1:
        notes.append(f"tilt {frame.tilt:.0f}")
    notes.append(f"{W}x{H}")
    if frame.small:
        notes.append("slip small in the frame")

    sw2, sh2 = _small(W, H)
    kind = frame.setting
    if kind in ("binder", "leather"):
        bg = _dark_surface(rng, nrng, sw2, sh2, kind)
    elif kind == "fill":
        bg, _ = _background(rng, nrng, sw2, sh2, rng.choice(["dark", "wood", "solid"]))
    else:
        bg, _ = _background(rng, nrng, sw2, sh2, "wood" if kind == "wood" else "fabric")
    notes.append("fills the frame" if kind == "fill" else f"on {kind}")
    small_mask = cv2.resize(mask, (sw2, sh2), interpolation=cv2.INTER_AREA)
    k = max(3, int(min(sw2, sh2) * 0.01)) | 1
    shadow = np.roll(cv2.GaussianBlur(small_mask, (k * 4 + 1, k * 4 + 1), 0), (k // 2, k // 2), axis=(0, 1))
    bg *= (1.0 - 0.4 * shadow)[..., None]
    light = _lighting(rng, nrng, sw2, sh2, False)
    cast = np.array([1 + rng.uniform(-0.04, 0.06), 1.0, 1 + rng.uniform(-0.08, 0.03)], np.float32)
    img = cv2.blendLinear(_up(bg.astype(np.float32), W, H), rgb, 1.0 - mask, mask)
    img = cv2.multiply(img, _up((light[..., None] * cast[None, None, :]).astype(np.float32), W, H))
    if kind in ("binder", "leather") and rng.random() < 0.4:
        # The lamp's reflection on the glossy surface reaches onto the paper, faintly.
        gx, gy = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H
        yy, xx = np.ogrid[0:H, 0:W]
        r = rng.uniform(0.1, 0.25) * min(W, H)
        spot = (rng.uniform(15, 40) * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / r ** 2)).astype(np.float32)
        img = img + cv2.merge([spot, spot, spot])
        notes.append("gloss")
    if rng.random() < 0.2 and kind != "fill":
        ys, xs = np.nonzero(mask > 0.5)
        box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        _finger(img, rng, box, margin_px)
        notes.append("finger at the edge")
    glyph = 20.0 * frame.scale
    sigma = rng.uniform(0.01, 0.045) * glyph
    if sigma > 0.35:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    if rng.random() < 0.15:
        # The hand moved a little while the shutter was open.
        length = max(3, int(rng.uniform(0.04, 0.1) * glyph)) | 1
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (length, length))
        img = cv2.filter2D(img, -1, kernel / max(float(kernel.sum()), 1e-6))
        notes.append("shaken")
    noise = rng.uniform(1.5, 5.0)
    n = nrng.standard_normal((H // 2 + 1, W // 2 + 1)).astype(np.float32) * noise
    img = cv2.add(img, cv2.merge([_up(n, W, H)] * 3))
    out = Image.fromarray(cv2.convertScaleAbs(img), "RGB")
    exif = None
    if rng.random() < 0.1:
        out = out.transpose(Image.Transpose.ROTATE_90)
        exif = 6
        notes.append("EXIF orientation 6 (stored sideways, displays upright)")
    return PhotoResult(out, 0, exif, notes, rng.randint(72, 92))


def thumbnail(photo_image: Image.Image, rng: random.Random) -> Image.Image:
    """A photo shrunk to a web thumbnail of about 200 × 260 px, which nobody can read."""
    w, h = photo_image.size
    want = 200 / 260
    if w / h > want:
        nw = int(h * want)
        photo_image = photo_image.crop(((w - nw) // 2, 0, (w - nw) // 2 + nw, h))
    else:
        nh = int(w / want)
        photo_image = photo_image.crop((0, (h - nh) // 2, w, (h - nh) // 2 + nh))
    size = rng.choice([(200, 260), (195, 260), (200, 266)])
    return photo_image.resize(size, Image.Resampling.LANCZOS)
