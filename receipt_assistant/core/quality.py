"""Measure what makes a page image hard to read, before reading it.

A customer who is told "the text is too small (about 6 pixels): zoom in and
take the screenshot again" can fix the problem at once; one who is told "could
not read" cannot. So each problem carries the measured number, the threshold,
and a sentence saying what to do.

Only pixels are measured here. Whether the picture shows a receipt at all is
decided later from the words OCR finds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from receipt_assistant.core.model import Message, PageQuality, Problem
from receipt_assistant.core.sheet import Paper, paper_outline

# -- thresholds ----------------------------------------------------------------
# Chosen by experiment on synthetic receipts: Japanese receipt lines set in
# Noto Sans JP, as screenshots and as "photos" (paper tilted on a dark table,
# uneven light, sensor noise), read with Tesseract 5 jpn+eng after scaling
# characters to 34 px as the reader does. Accuracy = 1 - edit distance / length
# over all characters (NFKC, spaces removed), mean of 3 texts.

# Characters shorter than this are flagged. Accuracy by character height:
# 6 px 0.50, 7 px 0.60-0.72, 8 px 0.80, 9 px 0.86-0.88, 10 px 0.94-0.95,
# 12 px 0.95-0.96, 16 px 0.97-0.99. Below 10 px kanji strokes merge and one
# wrong digit in an amount or order number is likely.
TOO_SMALL_CHAR_PX = 10.0
# Below this nothing can be read at all, in a photo or on a screen: a small
# picture with such text is not read (a JPEG thumbnail's smoothing can hide
# the camera's grain that tells a photo).
UNREADABLE_CHAR_PX = 6.0

# A picture whose shorter side is below this, with no text of readable size
# on it, is a thumbnail or a shrunken copy: its "too small" asks for the
# original photo. A 58 mm slip photographed whole with 10 px characters
# needs about 450 px across (40 characters to a row plus margins); web
# thumbnails of slips measure 150-300 px, with characters of 4-8 px (measured
# 4-5 px at 150-200 px wide, 8 px at 300 px wide) or none found at all.
SMALL_IMAGE_SIDE = 400
# Narrower than this no picture holds a line of a receipt, whatever it shows.
NO_PICTURE_SIDE = 64

# Sharpness below this is "blurred". Sharpness is the variance of the
# Laplacian on a copy scaled so characters are 16 px tall and stretched to full
# contrast, minus the share of pixel noise (see _sharpness). Gaussian blur of
# sigma = k x character height, on 10-64 px text, as screenshots, photos,
# grainy photos, JPEG photos and faint-ink photos:
#   k = 0     -> 18 000-48 000   (character accuracy 0.95-0.99)
#   k = 0.06  ->  3 800-11 000   (0.91-0.96, still readable)
#   k = 0.08  ->  1 300- 4 600   (0.75-0.87, digits start to go)
#   k = 0.10  ->    500- 2 300   (0.35-0.58, unreadable; 2 800 at most for k >= 0.10)
# Whether a whole slip photo still gives its date, amount and gift line was
# then measured on the retake benchmark: every photo below 1 100 lost a field,
# between 1 100 and 1 800 two of seven were still read, above 3 000 blur alone
# never lost one. A line at 3 000 asked for retakes of readable photos; 1 500
# is where readable and unreadable photos are about even.
BLUR_SHARPNESS = 1500.0

# Contrast is what decides readability; brightness names the cause. Measured
# around the text (paper level = 95th percentile of gray there, ink level =
# 5th), on photos with realistic grain (noise sigma 6, JPEG quality 85):
#   faint ink on lit paper: contrast 30-69 -> accuracy 0.00, 76-87 -> 0.43-0.97,
#   120 and more -> 0.96 (Tesseract's global threshold loses faint ink under
#   uneven light);
#   dim photos: paper level 25-29 -> 0.11-0.14, 36-40 -> 0.80-0.83, 47-52 -> 0.93;
#   overexposed: ink level ~230 -> 0.17-0.42, ~220 -> 0.88-0.91, 205-210 -> 0.92.
# Evenly lit dim or bright pages with little grain still read well, so a few
# of those are flagged; real dim photos are grainier than these.

# "Low contrast": ink-to-paper spread (p95 - p5 of gray around text) below
# this. Black on white scores 200-255, a good photo of a slip 110-240.
LOW_CONTRAST = 70.0

# "Too dark" instead of low contrast: mean brightness below DARK_MEAN and the
# paper itself darker than DARK_PAPER_LEVEL. The paper condition spares a
# white receipt on a dark table (low mean, bright paper) and dark-mode screens
# (light text). A page this dim has too little contrast anyway.
DARK_MEAN = 50.0
DARK_PAPER_LEVEL = 60.0

# "Washed out" instead of low contrast: mean brightness above WASHED_MEAN and
# even the ink lighter than WASHED_INK_LEVEL (overexposure, glare). Clean white
# screenshots have a mean of 230-250 but black ink, so the ink level decides.
WASHED_MEAN = 200.0
WASHED_INK_LEVEL = 200.0

# -- framing: how a slip was photographed ---------------------------------------------
# Measured on the retake benchmark (benchmarks/retake.py: slips photographed
# with one defect each at severities from harmless to hopeless, read with the
# project's reader); see docs/benchmarks.md for the figures behind each line.
# Only camera pictures of paper on a darker surface are judged: the picture
# has pixel noise above CAMERA_GRAIN (every screenshot of the benchmark
# measures exactly 0, most camera pictures 0.25 or more, JPEG or not) or no
# flat background (see DRAWN_FLAT_SHARE), the
# sheet stands at least 40 gray levels above its surround and touches at most
# two frame sides (a scan fills the frame).
CAMERA_GRAIN = 0.1
# A drawn page's background is one exact gray over most of it (0.80 or more
# of every screenshot and PDF page of the benchmark); a photo smoothed by the
# phone until it has no grain left still spreads its paper over many levels
# (under 0.05 at any one).
DRAWN_FLAT_SHARE = 0.3

# "Cut off": the sheet runs off a frame side and text comes within this many
# character heights of that side, so lines beyond it are missing (a line cut
# in half is not found as text, so the next one down may be two lines away).
# A sheet cut in its blank margin loses nothing and is not flagged.
CUT_OFF_GAP_CHARS = 2.5
# A side counts as touched when the sheet lies along at least this share of it
# (a corner clipping the frame does not hide a whole line).
CUT_OFF_TOUCH = 0.5

# "Too far": the sheet covers less than this share of the frame while its text
# is below TOO_SMALL_CHAR_PX; moving closer, not zooming a screen, is the fix.
TOO_FAR_SHARE = 0.15

# "Strong tilt": seen at an angle, the sheet's far edge is foreshortened; the
# shorter of two opposite edges below this share of the longer. Flattening
# straightens the geometry, and on the retake benchmark every slip down to a
# ratio of 0.39 was still read; below that the far end is too squeezed.
STEEP_EDGE_RATIO = 0.35

# "Glare": this share of the sheet is blown out to white (after a blur of a
# stroke width, so white paper between strokes does not count) while the rest
# of the sheet is not: a lamp's reflection has erased the print there. The
# rest of the sheet counts as white when its 90th percentile reaches
# _GLARE_PAPER_LEVEL: 203-240 around reflections in the retake benchmark,
# 246-255 on the same photos overexposed all over, which is not glare.
# Whether a reflection costs a field depends on which lines it covers: from
# 4 % to 11 % of the sheet both happened; from 12 % on every slip lost one.
GLARE_SHARE = 0.12
_GLARE_PAPER_LEVEL = 244.0
_SATURATED = 250

# -- working sizes ------------------------------------------------------------------
# Pixels are measured on a downscaled copy so a 12-megapixel photo takes well
# under 0.3 s. Text is first looked for at 1.5 MP; only if characters come out
# smaller than _RETRY_CHAR_PX there is it looked for again at 4 MP, so 6 px
# characters of a 12 MP photo are still seen (~3.5 px).
_MEASURE_PIXELS = 4_000_000
_FIRST_PASS_PIXELS = 1_500_000
_RETRY_CHAR_PX = 12.0
# Sharpness is measured with characters scaled to this height, so blur counts
# relative to the text and not to the image size.
_NORMAL_CHAR_PX = 16.0
# Fewer character pieces than this on text-like lines is not taken for text.
_MIN_TEXT_PIECES = 8
# Without detectable text, sharpness is measured at this long side instead.
_NORMAL_LONG_SIDE = 1600


def measure(image: Image.Image, *, source: str = "", page: int = 0) -> PageQuality:
    """Measure one page image and list the problems that would hinder reading."""
    width, height = image.size
    gray, scale = _gray_working_copy(image, _MEASURE_PIXELS)
    found = _locate_text(gray)
    brightness = float(gray.mean())

    sizes = []  # character heights a small picture's text could have, upright or sideways
    if found is not None and min(width, height) < SMALL_IMAGE_SIDE:
        # A small picture is judged by its character size alone, unread, so it
        # is measured turned a quarter too: a sideways one's columns of
        # characters would pass for lines several characters tall. Which way
        # its text runs cannot be told from so few pixels (the wrong way finds
        # as many "lines"), so text too small either way is too small.
        turned = _locate_text(np.ascontiguousarray(np.rot90(gray)))
        if turned is not None:
            sizes.append(turned[0].height / turned[2] / scale)
    if found is not None:
        lines, text_gray, factor = found
        char_px = lines.height / factor / scale
        mask = cv2.dilate(lines.mask().astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        region = text_gray[mask]
        sharpness = _text_sharpness(image, text_gray, mask, scale * factor, char_px)
    else:
        char_px = None
        mask = _edge_region_mask(gray)
        region = gray[mask] if mask.sum() >= 500 else gray.ravel()
        sharpness = _sharpness(gray, mask, min(1.0, _NORMAL_LONG_SIDE / max(gray.shape)))
    p5, p95 = (float(v) for v in np.percentile(region, (5, 95)))
    contrast = p95 - p5
    # Without text, blur can only be judged where there is some structure:
    # a blank or black frame is reported by its exposure alone.
    judge_blur = found is not None or contrast >= LOW_CONTRAST
    grain = _noise_sigma(gray)
    camera = not rendered(gray, grain)
    # A shrunken photo (a thumbnail: a camera picture's grain, or no text of
    # any size found) is too small however little of its text is found; a
    # small screenshot of small text keeps the advice to zoom in on the screen.
    # (A "character" a quarter of such a picture tall is no text row at all.)
    tiny = min(width, height) < SMALL_IMAGE_SIDE and (
        min(width, height) < NO_PICTURE_SIDE
        or (char_px is None and contrast >= LOW_CONTRAST)
        or (char_px is not None and (camera or min((char_px, *sizes)) < UNREADABLE_CHAR_PX)
            and not all(TOO_SMALL_CHAR_PX <= px <= min(width, height) / 4 for px in (char_px, *sizes))))
    problems = _problems(char_px, sharpness if judge_blur else math.inf, brightness, contrast, p5, p95,
                         tiny=(width, height) if tiny else None)
    if min(width, height) < NO_PICTURE_SIDE:  # a few pixels: its light says nothing worth a sentence
        problems = [p for p in problems if p.id == "too_small"]
    if camera and not tiny:
        problems = _framing(gray, found, char_px * scale if char_px else None, problems)
    columns = None
    if found is not None and camera and not tiny:
        lines, text_gray, factor = found
        columns = _print_columns(lines.mask(), lines.height, scale * factor, width,
                                 text_gray if lines.dark_text else None)
    return PageQuality(
        source=source, page=page, width=width, height=height, char_height_px=char_px,
        sharpness=sharpness, brightness=brightness, contrast=contrast, problems=problems,
        grain=grain, print_columns=columns,
    )


# The print of one slip: its columns lie closer than this many character
# heights (a slip filling the frame puts its labels and prices 10 or more
# apart: at 8 its prices were cut off); a mark further off belongs to the surround.
_PRINT_COLUMN_GAP = 20
_PRINT_COLUMN_SHARE = 0.1  # of a busy column's text pixels, below which a column holds only stray marks
# The margin kept at each side, in character heights (2.5 let a cloth's edge
# in beside the paper, read as a column of "|").
_PRINT_PAD = 1.0
# Rows of text the print's columns must rest on: a photo whose small print
# was found on a handful of rows only (a few words at a coarse scale) does not
# show where the slip's columns end, and cutting to them lost its labels.
_PRINT_MIN_ROWS = 10


def _print_columns(mask: np.ndarray, char: float, scale: float, width: int,
                   gray: np.ndarray | None = None) -> tuple[int, int] | None:
    """Left and right of the densest run of text columns, padded, in the original's pixels; None when
    too few rows of text were found to tell.

    ``gray``: the copy the mask was found in (dark print on light paper). A
    run of text further off is the same page's when blank paper lies between
    (a wide page's far column: an Amazon page's totals and prices).
    """
    counts = mask.sum(axis=0)
    on = np.flatnonzero(counts)
    if on.size == 0:
        return None
    # A column through the print crosses many rows of it; a stray mark is a few pixels.
    on = on[counts[on] >= _PRINT_COLUMN_SHARE * np.percentile(counts[on], 95)]
    breaks = np.flatnonzero(np.diff(on) > _PRINT_COLUMN_GAP * char)
    runs = list(zip(np.r_[on[0], on[breaks + 1]], np.r_[on[breaks], on[-1]] + 1, strict=True))
    first = last = max(range(len(runs)), key=lambda i: int(counts[runs[i][0]:runs[i][1]].sum()))
    if gray is not None:
        densest = runs[first]
        while first > 0 and _blank_paper_between(gray, mask, densest, runs[first - 1][1], runs[first][0]):
            first -= 1
        while last < len(runs) - 1 and _blank_paper_between(gray, mask, densest, runs[last][1], runs[last + 1][0]):
            last += 1
    left, right = int(runs[first][0]), int(runs[last][1])
    rows = mask[:, left:right].any(axis=1)
    if int(np.count_nonzero(rows[1:] & ~rows[:-1])) + int(rows[0]) < _PRINT_MIN_ROWS:
        return None
    pad = _PRINT_PAD * char
    return int(max(0.0, (left - pad) / scale)), int(min(float(width), (right + pad) / scale))


# Each column between two runs of print, down the rows of text, must be this
# bright against the paper around the print to be blank paper: a dark surface,
# a slip's edge or its shadow between them is darker down its whole height.
_BLANK_PAPER_SHARE = 0.8


def _blank_paper_between(gray: np.ndarray, mask: np.ndarray, print_run: tuple[int, int], x0: int, x1: int) -> bool:
    """Whether the columns ``x0``..``x1`` are the paper ``print_run``'s columns are printed on,
    from the print's top row to its bottom."""
    rows = np.flatnonzero(mask[:, print_run[0]:print_run[1]].any(axis=1))
    if x1 <= x0 or rows.size == 0:
        return False
    band = slice(int(rows[0]), int(rows[-1]) + 1)
    around = gray[band, print_run[0]:print_run[1]][~mask[band, print_run[0]:print_run[1]]]
    if around.size == 0:
        return False
    paper = float(np.median(around))
    gap = np.median(gray[band, x0:x1], axis=0)
    return bool(gap.min() >= _BLANK_PAPER_SHARE * paper)


# Grey levels between a page's darkest and lightest pixel below which nothing is printed on it.
BLANK_SPREAD = 12


def blank(image: Image.Image) -> bool:
    """A page with nothing on it: every pixel within a few grey levels (a blank PDF page, a white image).

    Any print, however sparse, and any camera picture's noise spread the grey
    levels further; reading a blank page in four orientations finds nothing.
    """
    low, high = image.convert("L").getextrema()
    return high - low < BLANK_SPREAD


def unreadable(page: PageQuality) -> bool:
    """A picture too small for its text to be read at all (a thumbnail): reading it finds only noise."""
    return any(p.id == "too_small" and p.threshold == SMALL_IMAGE_SIDE for p in page.problems)


def _problems(
    char_px: float | None, sharpness: float, brightness: float, contrast: float, p5: float, p95: float,
    *, tiny: tuple[int, int] | None = None,
) -> list[Problem]:
    """``tiny``: the size of a picture too small to read as a whole (a thumbnail)."""
    problems: list[Problem] = []
    too_small = tiny is not None or (char_px is not None and char_px < TOO_SMALL_CHAR_PX)
    if tiny is not None:
        w, h = tiny
        problems.append(Problem(
            "too_small", float(min(w, h)), float(SMALL_IMAGE_SIDE),
            Message(
                ja=f"写真が小さすぎて文字が読めません（{w}×{h}ピクセル）。縮小された画像（サムネイルや、"
                   "その画面のスクリーンショット）ではなく元の写真を送るか、レシートに近づいて撮り直してください。",
                en=f"The photo is too small to read ({w}×{h} pixels). Send the original photo, not a "
                   "thumbnail or a screenshot of one, or take the photo again closer to the slip.",
            ),
        ))
    elif char_px is not None and too_small:
        n = round(char_px)
        problems.append(Problem(
            "too_small", char_px, TOO_SMALL_CHAR_PX,
            Message(
                ja=f"文字が小さすぎます（約{n}ピクセル）。拡大してから撮り直すか、"
                   "画面を拡大してスクリーンショットを撮ってください。",
                en=f"The text is too small (about {n} pixels). Move closer and take the photo "
                   "again, or zoom in on the screen and take the screenshot again.",
            ),
        ))
    # Tiny text always looks soft once enlarged; "too small" already says what to do.
    if sharpness < BLUR_SHARPNESS and not too_small:
        problems.append(Problem(
            "blurred", sharpness, BLUR_SHARPNESS,
            Message(
                ja="画像がぼやけています。カメラを動かさずに、文字にピントを合わせて撮り直してください。",
                en="The image is blurred. Hold the camera still, let it focus on the text, "
                   "and take the photo again.",
            ),
        ))
    exposure = False
    if brightness < DARK_MEAN and p95 < DARK_PAPER_LEVEL:
        exposure = True
        problems.append(Problem(
            "too_dark", brightness, DARK_MEAN,
            Message(
                ja=f"画像が暗すぎます（明るさ {brightness:.0f}/255）。明るい場所で撮り直してください。",
                en=f"The image is too dark (brightness {brightness:.0f}/255). "
                   "Take the photo again in a brighter place.",
            ),
        ))
    elif brightness > WASHED_MEAN and p5 > WASHED_INK_LEVEL:
        exposure = True
        problems.append(Problem(
            "washed_out", brightness, WASHED_MEAN,
            Message(
                ja="画像が白っぽく、文字が薄すぎます。照明の映り込みや光の当たりすぎを避けて撮り直してください。",
                en="The image is washed out and the text is too faint. Avoid glare and strong "
                   "light and take the photo again.",
            ),
        ))
    # Dark and washed-out pages are low in contrast too; one message is enough.
    if not exposure and contrast < LOW_CONTRAST:
        problems.append(Problem(
            "low_contrast", contrast, LOW_CONTRAST,
            Message(
                ja=f"文字と背景の濃さの差が小さすぎます（{contrast:.0f}/255）。"
                   "文字がはっきり見えるように、明るく影のない場所で撮り直してください。",
                en=f"The text barely stands out from the background (contrast {contrast:.0f}/255). "
                   "Take the photo again in even, bright light so the text is clearly visible.",
            ),
        ))
    return problems


def _framing(
    gray: np.ndarray, found: tuple[_TextLines, np.ndarray, float] | None, char_px: float | None,
    problems: list[Problem],
) -> list[Problem]:
    """Add what is wrong with how a slip was photographed: cut off, too far, tilted, glare.

    ``char_px`` is the character height in ``gray``'s pixels. Too far replaces
    too small, since it names the cause.
    """
    small_scale = min(1.0, 600 / max(gray.shape))
    small = cv2.resize(gray, _scaled_size(gray, small_scale), interpolation=cv2.INTER_AREA)
    paper = paper_outline(small)
    if paper is None or sum(v >= CUT_OFF_TOUCH for v in paper.touches.values()) > 2:
        return problems
    text = None
    if found is not None:
        text = cv2.resize(found[0].mask().astype(np.uint8) * 255, small.shape[::-1], interpolation=cv2.INTER_AREA) > 0
        text &= paper.mask
    char_small = char_px * small_scale if char_px else None
    out = list(problems)

    cut = _cut_side(paper, small, text, char_small)
    if cut:
        where = {"top": ("上", "top"), "bottom": ("下", "bottom"), "left": ("左", "left"),
                 "right": ("右", "right")}[cut]
        out.append(Problem(
            "cut_off", paper.touches[cut], CUT_OFF_TOUCH,
            Message(
                ja=f"レシートが写真の{where[0]}端で切れています。レシート全体が枠に収まるように撮り直してください"
                   "（長いレシートは2枚に分けて撮っても構いません）。",
                en=f"The slip is cut off at the {where[1]} edge of the photo. Take the photo again with the "
                   "whole slip inside the frame (a long slip may be taken in two photos).",
            ),
            where=cut,
        ))
    if paper.share < TOO_FAR_SHARE and any(p.id == "too_small" for p in out):
        out = [p for p in out if p.id != "too_small"]
        out.append(Problem(
            "too_far", paper.share, TOO_FAR_SHARE,
            Message(
                ja=f"レシートが写真の中で小さすぎます（画面の{paper.share:.0%}）。"
                   "近づいて、レシートが画面いっぱいになるように撮り直してください。",
                en=f"The slip is too small in the photo (it fills {paper.share:.0%} of it). Move closer so "
                   "the slip fills the frame and take the photo again.",
            ),
        ))
    if paper.corners is not None:
        tl, tr, br, bl = paper.corners
        edges = [np.linalg.norm(tr - tl), np.linalg.norm(br - bl), np.linalg.norm(bl - tl), np.linalg.norm(br - tr)]
        ratio = min(min(edges[0], edges[1]) / max(edges[0], edges[1], 1e-6),
                    min(edges[2], edges[3]) / max(edges[2], edges[3], 1e-6))
        if ratio < STEEP_EDGE_RATIO:
            out.append(Problem(
                "steep", float(ratio), STEEP_EDGE_RATIO,
                Message(
                    ja="斜めから撮られていて、奥の文字がつぶれています。レシートの真上からまっすぐ撮り直してください。",
                    en="The photo was taken at a steep angle and the text at the far end is squeezed. "
                       "Hold the phone straight above the slip and take the photo again.",
                ),
            ))
    glare = _glare_share(small, paper)
    if glare >= GLARE_SHARE:
        out.append(Problem(
            "glare", glare, GLARE_SHARE,
            Message(
                ja="照明が反射して、レシートの一部の文字が白く消えています。"
                   "光が映り込まない向きに少し傾けるか、照明の位置を変えて撮り直してください（フラッシュは使わないでください）。",
                en="A reflection of the light has washed out part of the slip's text. Tilt the slip a little "
                   "or move away from the lamp and take the photo again (without the flash).",
            ),
        ))
    return out


def _cut_side(paper: Paper, small: np.ndarray, text: np.ndarray | None, char_small: float | None) -> str | None:
    """The frame side the sheet runs off with print up to it, or None.

    Print reaches the side when a text line lies within CUT_OFF_GAP_CHARS of
    it, or when ink (a line cut in half, too broken to count as text) lies in
    the outer half character along it.
    """
    if text is None or not text.any() or not char_small:
        return None
    ys, xs = np.nonzero(text)
    h, w = text.shape
    gaps = {"top": ys.min(), "bottom": h - 1 - ys.max(), "left": xs.min(), "right": w - 1 - xs.max()}
    inner = cv2.erode(paper.mask.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    ink = (_depth(small) > max(12.0, 3.0 * _noise_sigma(small))) & inner
    band = max(2, round(char_small / 2))
    strips = {"top": ink[:band], "bottom": ink[-band:], "left": ink[:, :band], "right": ink[:, -band:]}
    limit = max(2.0, CUT_OFF_GAP_CHARS * char_small)
    cut = [side for side, share in paper.touches.items() if share >= CUT_OFF_TOUCH
           and (gaps[side] <= limit or strips[side].sum() >= char_small * char_small / 4)]
    return min(cut, key=lambda side: gaps[side]) if cut else None


def _glare_share(small: np.ndarray, paper: Paper) -> float:
    """Share of the sheet blown out to white, when the rest of it is not white."""
    inner = cv2.erode(paper.mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    if inner.sum() < 100:
        return 0.0
    blown = cv2.GaussianBlur(small, (0, 0), 2.0) >= _SATURATED
    rest = inner & ~cv2.dilate(blown.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    if rest.sum() < 100 or float(np.percentile(small[rest], 90)) >= _GLARE_PAPER_LEVEL:
        return 0.0
    return float(blown[inner].mean())


def estimate_char_height(gray: np.ndarray) -> float | None:
    """Typical height in pixels of a text character in ``gray`` (2-D uint8), or None.

    Used both to warn about small text and to scale pages so characters reach
    the size Tesseract reads best. Characters are found as connected ink
    components, then joined along each line: Japanese characters are built
    from several pieces (the dots of 注, the halves of い), but a line of them
    is as tall as one full character. Light-on-dark text (dark-mode screens)
    is tried as well. None when nothing looks like text.
    """
    arr = _as_gray_array(gray)
    scale = 1.0
    if arr.size > _MEASURE_PIXELS:
        scale = math.sqrt(_MEASURE_PIXELS / arr.size)
        arr = cv2.resize(arr, _scaled_size(arr, scale), interpolation=cv2.INTER_AREA)
    found = _locate_text(arr)
    if found is None:
        return None
    lines, _, factor = found
    return lines.height / factor / scale


# -- internals ------------------------------------------------------------------


def _as_gray_array(gray: np.ndarray) -> np.ndarray:
    arr = np.asarray(gray)
    if arr.ndim == 3:
        arr = cv2.cvtColor(np.ascontiguousarray(arr[:, :, :3]), cv2.COLOR_RGB2GRAY)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


def _scaled_size(arr: np.ndarray, scale: float) -> tuple[int, int]:
    h, w = arr.shape[:2]
    return max(1, round(w * scale)), max(1, round(h * scale))


def _gray_working_copy(image: Image.Image, max_pixels: int) -> tuple[np.ndarray, float]:
    """8-bit gray, downscaled by area averaging to at most ``max_pixels``."""
    w, h = image.size
    scale = min(1.0, math.sqrt(max_pixels / max(1, w * h)))
    im = image if image.mode in ("RGB", "L") else image.convert("RGB")
    if scale < 1.0 and int(1 / scale) >= 2:
        im = im.reduce(int(1 / scale))  # a fast integer box filter first
    arr = np.asarray(im.convert("L") if im.mode != "L" else im)
    if scale < 1.0:
        arr = cv2.resize(arr, _scaled_size(np.empty((h, w)), scale), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(arr), scale


def _locate_text(gray: np.ndarray) -> tuple[_TextLines, np.ndarray, float] | None:
    """Text lines of ``gray``, the copy they were found in, and its scale (<= 1).

    Large text is found on a small copy; only small text needs the full copy.
    """
    if min(gray.shape[:2]) < 8:
        return None
    if gray.size > _FIRST_PASS_PIXELS:
        factor = math.sqrt(_FIRST_PASS_PIXELS / gray.size)
        small = cv2.resize(gray, _scaled_size(gray, factor), interpolation=cv2.INTER_AREA)
        first = _find_text(small)
        # "Lines" a tenth of the copy thick are a pattern, not text: on a
        # 12 MP photo of a slip on a woodgrain table the grain gave 919 px
        # "characters" here and drowned the print, found at 18 px in the larger copy.
        if first is not None and _RETRY_CHAR_PX <= first.height <= min(small.shape[:2]) / 10:
            return first, small, factor
        found = _find_text(gray, first.dark_text if first is not None else None)
    else:
        found = _find_text(gray)
    return (found, gray, 1.0) if found is not None else None


@dataclass
class _TextLines:
    """Lines of text found in an ink mask."""

    pieces: int  # character pieces on the lines: how text-like the mask is
    height: float  # median line height, weighted by pieces
    labels: np.ndarray  # label image of the joined components
    is_line: np.ndarray  # per label: is it a text line
    dark_text: bool  # dark ink on a light ground

    def mask(self) -> np.ndarray:
        return self.is_line[self.labels]


def _find_text(gray: np.ndarray, dark_text: bool | None = None) -> _TextLines | None:
    """Text lines, dark on light or (dark-mode screens) light on dark.

    ``dark_text`` skips the search for the other polarity when a smaller copy
    has already shown which one the page uses.
    """
    noise = _noise_sigma(gray)
    src = gray
    if noise > 3.0:
        # Grainy photo (dim light): smooth a little so grain does not bridge
        # characters into blobs; strokes are wider than this in any readable text.
        src = cv2.GaussianBlur(gray, (0, 0), 0.8)
    depth = _depth(src)
    offset = max(12.0, 3.0 * noise)
    if dark_text is not None:
        found = _text_lines(((depth > offset) if dark_text else (depth < -offset)).astype(np.uint8), dark_text)
        if found is not None:
            return found
    dark_ink = (depth > offset).astype(np.uint8)
    best = _text_lines(dark_ink, True)
    # Light text on a dark ground only happens on a mostly dark page.
    if best is None or float(np.median(gray[::4, ::4])) < 128:
        light_ink = (depth < -offset).astype(np.uint8)
        inverse = _text_lines(light_ink, False)
        if inverse is not None and (
            best is None or _ink_depth(-depth, light_ink, inverse) > _ink_depth(depth, dark_ink, best)
        ):
            best = inverse
    return best


def _depth(gray: np.ndarray) -> np.ndarray:
    """How much darker each pixel is than its neighbourhood (negative: lighter).

    A local reference copes with the uneven light of photos.
    """
    block = min(101, max(15, (min(gray.shape) // 20) | 1))
    local = cv2.blur(gray, (block, block), borderType=cv2.BORDER_REPLICATE)
    return local.astype(np.int16) - gray.astype(np.int16)


def _ink_depth(depth: np.ndarray, ink: np.ndarray, lines: _TextLines) -> float:
    """Mean depth of the ink on the found lines.

    Ink covers less than half of a line, so the local mean lies nearer the
    paper and true ink stands out further from it than the paper between
    strokes does: the polarity with the deeper ink is the right one.
    """
    on = (ink > 0) & lines.mask()
    return float(depth[on].mean()) if on.any() else 0.0


def rendered(gray: np.ndarray, grain: float | None = None) -> bool:
    """A page drawn by a computer (a screenshot, a PDF page), not taken by a camera or scanner.

    Its strokes are exact and its background flat, so it reads well at a
    smaller character size than a picture of paper. A phone that smooths its
    photos away leaves no grain, but never a background of one exact gray.
    ``grain``: the picture's noise, when the caller measured it already.
    """
    return (_noise_sigma(gray) if grain is None else grain) <= CAMERA_GRAIN and _flat_share(gray) >= DRAWN_FLAT_SHARE


def _flat_share(gray: np.ndarray) -> float:
    """The share of pixels at the picture's commonest gray level (a drawn page's background)."""
    sample = np.ascontiguousarray(gray[::3, ::3]).ravel()
    return float(np.bincount(sample, minlength=256).max()) / max(1, sample.size)


def _noise_sigma(gray: np.ndarray) -> float:
    """Standard deviation of pixel noise (Immerkaer's operator, median for robustness).

    The median ignores the minority of pixels on edges, so text does not count as noise.
    """
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    response = cv2.filter2D(gray, cv2.CV_16S, kernel)
    # For Gaussian noise the response has std 6*sigma; median(|x|) = 0.6745*std.
    sample = np.abs(response[1:-1:3, 1:-1:3])
    return float(np.median(sample)) / (0.6745 * 6.0) if sample.size else 0.0


def _text_lines(ink: np.ndarray, dark_text: bool) -> _TextLines | None:
    """The text lines in one ink mask, or None if nothing looks like text."""
    h_img, w_img = ink.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return None
    w = stats[1:, cv2.CC_STAT_WIDTH]
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(w * h, 1)
    # Pieces of characters: not specks, not rules or borders, not big blobs.
    piece = (
        (h >= 2) & (area >= 3)
        & (h <= h_img / 4) & (w <= w_img / 3)
        & (w <= 25 * h) & (h <= 25 * w)
        & (fill >= 0.08)
    )
    if piece.sum() < 3:
        return None
    # Typical piece height, weighted by area so that grain (many tiny specks)
    # does not outvote the characters; the weight is capped so that one big
    # blob (the shadow along a receipt's edge) does not outvote them either.
    hp = h[piece]
    ap = np.minimum(area[piece], np.percentile(area[piece], 90))
    order = np.argsort(hp)
    cum = np.cumsum(ap[order])
    h0 = float(hp[order][np.searchsorted(cum, cum[-1] / 2)])
    # A piece much taller than the typical one is a frame or a photo edge;
    # one much smaller is grain or punctuation, which adds nothing to a line.
    piece &= (h <= 4 * max(h0, 3)) & (h >= 0.2 * h0)
    if piece.sum() < 3:
        return None
    keep = np.zeros(n, np.uint8)
    keep[1:][piece] = 1
    mask = keep[labels]
    # Join pieces along the line: gaps between characters are below ~0.5 em,
    # while the line gap is wider than the kernel's single-pixel height.
    k = max(3, int(round(1.2 * max(h0, 2))))
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, k), np.uint8))
    m, jl = cv2.connectedComponents(joined, connectivity=8)
    if m <= 1:
        return None
    # How many pieces each joined component holds.
    cx = stats[1:, cv2.CC_STAT_LEFT][piece] + stats[1:, cv2.CC_STAT_WIDTH][piece] // 2
    cy = stats[1:, cv2.CC_STAT_TOP][piece] + stats[1:, cv2.CC_STAT_HEIGHT][piece] // 2
    counts = np.bincount(jl[cy, cx], minlength=m)
    # The thickness of a tilted line is the short side of its rotated box;
    # its upright box would add the tilt (2 degrees over 30 characters is a
    # whole character more).
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    jh = np.zeros(m)
    jw = np.zeros(m)
    for c in contours:
        x, y = c[0, 0]
        label = jl[y, x]
        if label == 0 or counts[label] < 3:
            continue
        (_, _), (rw, rh), _ = cv2.minAreaRect(c)
        jw[label], jh[label] = max(rw, rh) + 1, min(rw, rh) + 1  # corners are pixel centres
    line = (counts >= 3) & (jh > 0) & (jw >= 1.5 * jh)
    line[0] = False
    # A few pieces on one "line" are as likely grain or a pattern as text.
    if counts[line].sum() < _MIN_TEXT_PIECES:
        return None
    heights = jh[line].astype(np.float64)
    weights = counts[line].astype(np.float64)
    order = np.argsort(heights)
    cum = np.cumsum(weights[order])
    median = float(heights[order][np.searchsorted(cum, cum[-1] / 2)])
    return _TextLines(pieces=int(weights.sum()), height=median, labels=jl, is_line=line, dark_text=dark_text)


def _edge_region_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels near the strongest edges, for pages where no text lines were found."""
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy)
    thresh = max(float(np.percentile(mag, 92)), 20.0)
    return cv2.dilate((mag >= thresh).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)


def _text_sharpness(
    image: Image.Image, gray: np.ndarray, mask: np.ndarray, gray_scale: float, char_px: float
) -> float:
    """Sharpness with characters scaled to _NORMAL_CHAR_PX.

    ``gray`` is the image at ``gray_scale`` and ``mask`` marks its text. When
    that copy is too coarse for the normalized size, a crop of the original
    around the text is used instead: enlarging an already shrunken copy would
    blur it and call a sharp photo blurred.
    """
    target = min(_NORMAL_CHAR_PX / char_px, 3.0)  # relative to the original
    if target <= gray_scale * 1.05:
        return _sharpness(gray, mask, target / gray_scale)
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return _sharpness(gray, mask, target / gray_scale)
    # Bounding box of the text in original pixels, shrunk around the text's
    # centre so the enlarged crop stays about _FIRST_PASS_PIXELS.
    x0, x1 = xs.min() / gray_scale, (xs.max() + 1) / gray_scale
    y0, y1 = ys.min() / gray_scale, (ys.max() + 1) / gray_scale
    limit = _FIRST_PASS_PIXELS / (target * target)
    if (x1 - x0) * (y1 - y0) > limit:
        cx, cy = xs.mean() / gray_scale, ys.mean() / gray_scale
        aspect = (x1 - x0) / (y1 - y0)
        half_w = min(x1 - x0, math.sqrt(limit * aspect)) / 2
        half_h = min(y1 - y0, math.sqrt(limit / aspect)) / 2
        x0, x1 = max(x0, cx - half_w), min(x1, cx + half_w)
        y0, y1 = max(y0, cy - half_h), min(y1, cy + half_h)
    box = (int(x0), int(y0), max(int(x0) + 1, math.ceil(x1)), max(int(y0) + 1, math.ceil(y1)))
    crop = image.crop(box)
    crop_gray = np.asarray(crop.convert("L") if crop.mode in ("RGB", "L") else crop.convert("RGB").convert("L"))
    # the text mask in the crop's pixels
    mx0, my0 = int(box[0] * gray_scale), int(box[1] * gray_scale)
    mx1, my1 = max(mx0 + 1, math.ceil(box[2] * gray_scale)), max(my0 + 1, math.ceil(box[3] * gray_scale))
    crop_mask = cv2.resize(mask[my0:my1, mx0:mx1].astype(np.uint8), crop_gray.shape[::-1],
                           interpolation=cv2.INTER_NEAREST).astype(bool)
    return _sharpness(np.ascontiguousarray(crop_gray), crop_mask, target)


def _sharpness(gray: np.ndarray, mask: np.ndarray, scale: float) -> float:
    """Variance of the Laplacian around text, on a copy normalized for size and contrast.

    Scaling by ``scale`` (so characters are _NORMAL_CHAR_PX tall) makes the
    figure independent of resolution; stretching ink-to-paper to 0..255 keeps
    a pale but sharp page from counting as blurred (low contrast is its own
    problem); subtracting the Laplacian's response to pixel noise keeps a
    grainy but blurred photo from counting as sharp.
    """
    g = gray
    m = mask
    if abs(scale - 1.0) > 0.02:
        size = _scaled_size(gray, scale)
        g = cv2.resize(gray, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        m = cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    if m.sum() < 50:
        m = np.ones_like(m, dtype=bool)
    values = g[m]
    lo, hi = np.percentile(values, (5, 95))
    # Stretch at most 8x: beyond that grain would be measured, not text.
    gain = 255.0 / max(float(hi - lo), 255.0 / 8)
    lap = cv2.Laplacian(g, cv2.CV_32F, ksize=1)
    noise = _noise_sigma(g)
    # The 4-neighbour Laplacian turns noise of variance s^2 into 20 s^2.
    var = max(float(lap[m].var()) - 20.0 * noise * noise, 0.0)
    return var * gain * gain
