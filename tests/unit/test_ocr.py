"""Preparing, rotating and line-building, with a scripted engine (no Tesseract)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from receipt_assistant.core.model import Box, Word
from receipt_assistant.core.ocr import (
    PageReading,
    Prepared,
    Reader,
    ReadOptions,
    _cut_rows,
    _turn_box,
    build_lines,
    unrotate_box,
)
from receipt_assistant.core.quality import rendered


def _rotate_box_forward(box: Box, clockwise: int, w0: int, h0: int) -> Box:
    """Turn a box with the image by drawing it and reading the result back."""
    img = Image.new("L", (w0, h0), 0)
    ImageDraw.Draw(img).rectangle([box.x, box.y, box.right - 1, box.bottom - 1], fill=255)
    turned = np.asarray(img.rotate(-clockwise, expand=True))
    ys, xs = np.nonzero(turned)
    return Box(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))


@pytest.mark.parametrize("angle", [0, 90, 180, 270])
def testunrotate_box_inverts_pil_rotation(angle: int) -> None:
    original = Box(30, 50, 40, 12)
    turned = _rotate_box_forward(original, angle, 200, 120)
    assert _turn_box(original, angle, 200, 120) == turned
    assert unrotate_box(turned, angle, 200, 120) == original


class ScriptedEngine:
    """Returns one word per dark blob row band, and reads only upright text."""

    name = "scripted"
    version = "0"
    languages = "jpn+eng"

    def __init__(self, upright_words: list[str]) -> None:
        self.upright_words = upright_words
        self.calls: list[tuple[int, int]] = []

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls.append(image.size)
        if image.width < image.height:  # our test page is landscape when upright
            return [Word("???", Box(0, 0, 5, 5), 0.1)]
        return [Word(t, Box(10 + 60 * i, 10, 50, 20), 0.95) for i, t in enumerate(self.upright_words)]

    def orientation(self, image: Image.Image) -> int | None:
        return 90 if image.width < image.height else 0


def test_sideways_page_is_turned_upright_and_boxes_land_on_the_original() -> None:
    page = Image.new("RGB", (300, 600), "white")  # a landscape page photographed sideways
    engine = ScriptedEngine([f"w{i}" for i in range(10)])
    reader = Reader(engine, ReadOptions(border_px=0, parallel_strips=False))
    reading = reader.read_page(page)
    assert reading.rotation == 90
    assert [w.text for w in reading.words][:3] == ["w0", "w1", "w2"]
    for w in reading.words:  # every box lies inside the original image
        assert 0 <= w.box.x and w.box.right <= 300 and 0 <= w.box.y and w.box.bottom <= 600


def _small_text() -> Image.Image:
    """Five rows of 12 px "characters" drawn on white, as a screenshot draws them."""
    img = Image.new("L", (400, 200), 255)
    d = ImageDraw.Draw(img)
    for row in range(5):
        for col in range(20):
            d.rectangle([10 + col * 18, 10 + row * 30, 10 + col * 18 + 10, 10 + row * 30 + 12], fill=0)
    return img


def test_prepare_scales_small_text_up_and_adds_a_border() -> None:
    img = _small_text()
    reader = Reader(ScriptedEngine([]), ReadOptions(target_char_px=36, enlarge_char_px=None, rendered_scale=1.0, border_px=20))
    prep = reader.prepare(img)
    assert prep.char_height is not None and 9 <= prep.char_height <= 16
    assert prep.scale > 2
    assert prep.image.size == (round(400 * prep.scale) + 40, round(200 * prep.scale) + 40)
    assert img.size == (400, 200)  # the original is untouched


def test_a_page_whose_text_seems_tiny_is_not_scaled_past_twenty_megapixels() -> None:
    """A sideways photo's lines measure a few pixels tall: scaling a 12 MP photo up 4× only reads noise slowly."""
    page = Image.new("L", (4000, 3000), 255)
    d = ImageDraw.Draw(page)
    for y in range(40, 2960, 14):
        for x in range(40, 3960, 12):
            d.rectangle([x, y, x + 6, y + 5], fill=0)
    prep = Reader(ScriptedEngine([]), ReadOptions(border_px=0)).prepare(page)
    assert prep.char_height is not None and prep.char_height < 10  # text this small is scaled up...
    assert prep.scale > 1.2
    assert prep.image.width * prep.image.height <= 20_000_000 * 1.01  # ...to 20 MP at most


def test_small_print_is_enlarged_less_than_large_print_is_shrunk() -> None:
    """A scan's small print is read a little larger than printed; a photo's large print is brought down to the target."""
    options = ReadOptions(target_char_px=34, enlarge_char_px=26, rendered_scale=0.65)
    assert options.char_px(21, drawn=False) == 26  # a 200 dpi scan
    assert options.char_px(30, drawn=False) == 30  # already large enough: read as it is
    assert options.char_px(60, drawn=False) == 34  # a close-up photo
    assert options.char_px(12, drawn=True) == pytest.approx(34 * 0.65)  # a screenshot: its own, smaller size
    assert replace(options, enlarge_char_px=16).char_px(12, drawn=True) == pytest.approx(34 * 0.65)  # ...always
    assert options.char_px(None, drawn=False) == 0  # nothing measured: no scaling
    assert replace(options, enlarge_char_px=None).char_px(21, drawn=False) == 34  # the further passes

    grain = np.random.default_rng(1).normal(0, 4, (200, 400))
    scan = Image.fromarray(np.clip(np.asarray(_small_text(), float) * 0.8 + 30 + grain, 0, 255).astype(np.uint8))
    prep = Reader(ScriptedEngine([]), replace(options, border_px=0)).prepare(scan)
    assert prep.char_height is not None and prep.char_height < 26
    assert prep.scale * prep.char_height == pytest.approx(26, rel=0.05)


def test_a_drawn_page_is_read_smaller_than_a_picture_of_paper() -> None:
    drawn = _small_text()
    grain = np.random.default_rng(1).normal(0, 4, (200, 400))
    photographed = Image.fromarray(np.clip(np.asarray(drawn, float) * 0.8 + 30 + grain, 0, 255).astype(np.uint8))
    reader = Reader(ScriptedEngine([]), ReadOptions(target_char_px=36, enlarge_char_px=None, rendered_scale=0.75,
                                                    border_px=0))
    small, large = reader.prepare(drawn), reader.prepare(photographed)
    assert large.char_height == pytest.approx(small.char_height, abs=1)
    assert small.scale == pytest.approx(large.scale * 0.75, rel=0.1)
    # On a black binder most of the photo is flat black, but the paper has the camera's grain.
    on_black = Image.new("L", (900, 700), 0)
    on_black.paste(photographed, (250, 250))
    assert reader.prepare(on_black).scale == pytest.approx(large.scale, rel=0.1)


def test_a_photo_smoothed_to_no_grain_is_still_read_as_paper() -> None:
    """A phone's noise reduction leaves no grain, but its paper is shaded, never one exact gray like a screenshot's."""
    drawn = _small_text()
    shade = np.linspace(0, 40, 400)[None, :] + np.linspace(0, 25, 200)[:, None]
    smooth = Image.fromarray(np.clip(np.asarray(drawn, float) * 0.8 + 10 + shade, 0, 255).astype(np.uint8))
    assert rendered(np.asarray(drawn)) and not rendered(np.asarray(smooth))
    reader = Reader(ScriptedEngine([]), ReadOptions(target_char_px=36, enlarge_char_px=None, rendered_scale=0.75,
                                                    border_px=0))
    assert reader.prepare(smooth).scale == pytest.approx(reader.prepare(drawn).scale / 0.75, rel=0.1)


def test_cut_rows_only_cut_through_blank_rows() -> None:
    gray = np.full((1000, 100), 255, np.uint8)
    for top in range(0, 1000, 50):
        gray[top + 10 : top + 40, :] = 0  # text lines with blank gaps
    cuts = _cut_rows(gray, 2)
    assert cuts[0] == 0 and cuts[-1] == 1000 and len(cuts) == 3
    assert (gray[cuts[1]] == 255).all()


def test_build_lines_joins_label_and_value_across_the_page() -> None:
    words = [
        Word("注", Box(10, 100, 20, 22), 0.9),
        Word("文", Box(32, 101, 20, 22), 0.9),
        Word("合計:", Box(54, 99, 40, 22), 0.9),
        Word("\\", Box(600, 102, 10, 22), 0.8),
        Word("5,000", Box(615, 100, 60, 22), 0.9),
        Word("ご請求額", Box(10, 160, 80, 22), 0.9),
        Word("¥5,000", Box(600, 161, 70, 22), 0.9),
    ]
    lines = build_lines([PageReading("x", 0, 0, (800, 300), words)])
    assert [ln.raw for ln in lines] == ["注 文 合計: \\ 5,000", "ご請求額 ¥5,000"]
    assert lines[0].text.startswith("注文合計:")
    assert lines[0].box == Box(10, 99, 665, 25)
    assert [ln.index for ln in lines] == [0, 1]


def test_find_paper_crops_a_slip_on_a_dark_table_and_leaves_screenshots_whole() -> None:
    from receipt_assistant.core.ocr import find_paper

    photo = Image.new("L", (1200, 1600), 60)
    ImageDraw.Draw(photo).rectangle([400, 300, 800, 1300], fill=235)
    box = find_paper(photo)
    assert box is not None
    assert 360 <= box.x <= 400 and 300 >= box.y >= 250 and 800 <= box.right <= 850 and 1300 <= box.bottom <= 1350

    screenshot = Image.new("L", (1200, 900), 250)
    ImageDraw.Draw(screenshot).rectangle([100, 100, 600, 130], fill=20)
    assert find_paper(screenshot) is None


@pytest.mark.parametrize("tilt", [-6.0, -2.0, 3.0, 7.0])
def test_estimate_skew_finds_the_tilt_of_text_lines(tilt: float) -> None:
    from receipt_assistant.core.ocr import estimate_skew

    page = Image.new("L", (900, 1200), 255)
    d = ImageDraw.Draw(page)
    for row in range(25):
        for col in range(30):
            d.rectangle([60 + col * 26, 60 + row * 44, 60 + col * 26 + 18, 60 + row * 44 + 20], fill=0)
    tilted = page.rotate(tilt, expand=True, fillcolor=255)  # counter-clockwise
    assert estimate_skew(tilted) == pytest.approx(-tilt, abs=0.4)
    assert estimate_skew(page) == pytest.approx(0.0, abs=0.3)


class BlurryUprightEngine(ScriptedEngine):
    """Reads little, but orientation detection is sure the page is upright."""

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls.append(image.size)
        return [Word("?", Box(0, 0, 5, 5), 0.2)]

    def orientation(self, image: Image.Image) -> int | None:
        return 0


def test_a_poor_page_that_is_already_upright_is_not_read_three_more_times() -> None:
    engine = BlurryUprightEngine([])
    reading = Reader(engine, ReadOptions(parallel_strips=False)).read_page(Image.new("RGB", (300, 600), "white"))
    assert reading.rotation == 0
    assert len(engine.calls) == 1


def _slip_on_table(corners: list[tuple[int, int]], size: tuple[int, int] = (900, 1200)):  # type: ignore[no-untyped-def]
    """A white sheet with a black mark near its top-left, photographed in perspective on a dark table."""
    import cv2

    sheet = np.full((800, 400), 235, np.uint8)
    sheet[100:140, 60:140] = 20  # the mark: x 60-140, y 100-140 on the sheet
    target = np.array(corners, np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [399, 0], [399, 799], [0, 799]], np.float32), target)
    table = np.full((size[1], size[0]), 50, np.uint8)
    warped = cv2.warpPerspective(sheet, m, size, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(sheet, 255), m, size, borderValue=0)
    table[mask > 0] = warped[mask > 0]
    return Image.fromarray(table), target, m


def test_a_sheet_in_perspective_is_found_and_flattened() -> None:
    from receipt_assistant.core.sheet import find_sheet, flattened

    photo, truth, _ = _slip_on_table([(220, 150), (640, 190), (700, 1050), (160, 1000)])
    corners = find_sheet(photo)
    assert corners is not None
    assert np.abs(corners - truth).max() < 12  # within a few pixels of the true corners
    flat, back = flattened(photo, corners)
    assert flat.height > flat.width  # upright, as tall as its longer side
    arr = np.asarray(flat)
    ys, xs = np.nonzero(arr < 100)
    filled = (arr[ys.min():ys.max() + 1, xs.min():xs.max() + 1] < 100).mean()
    assert filled > 0.85  # the square mark is a square again, not a trapezoid


def test_boxes_on_the_flattened_copy_map_back_onto_the_photo() -> None:
    photo, _, m = _slip_on_table([(220, 150), (640, 190), (700, 1050), (160, 1000)])
    reader = Reader(ScriptedEngine([]), ReadOptions(target_char_px=0, border_px=10))
    prep = reader.prepare(photo)
    arr = np.asarray(prep.image)
    ys, xs = np.nonzero(arr < 100)
    on_copy = Box(int(xs.min()), int(ys.min()), int(xs.max() - xs.min()), int(ys.max() - ys.min()))
    back = prep.to_source(on_copy)
    expected = cv2_points(m, [(60, 100), (140, 100), (60, 140), (140, 140)])
    assert abs(back.x - expected[:, 0].min()) < 8 and abs(back.y - expected[:, 1].min()) < 8
    assert abs(back.right - expected[:, 0].max()) < 8 and abs(back.bottom - expected[:, 1].max()) < 8


def cv2_points(m, points):  # type: ignore[no-untyped-def]
    import cv2

    return cv2.perspectiveTransform(np.array([points], np.float32), m)[0]


def test_a_sheet_cut_by_the_frame_or_a_screenshot_is_not_flattened() -> None:
    from receipt_assistant.core.sheet import find_sheet

    cut, _, _ = _slip_on_table([(220, -40), (640, -10), (700, 1050), (160, 1000)])
    assert find_sheet(cut) is None
    assert find_sheet(Image.new("L", (900, 1200), 240)) is None


def test_even_light_lifts_a_shadow_but_keeps_the_ink() -> None:
    from receipt_assistant.core.sheet import even_light

    arr = np.full((400, 400), 230, np.uint8)
    arr[:, :200] = 120  # a shadow over the left half
    for x in range(50, 150, 12):
        arr[180:220, x:x + 4] = 30  # strokes in the shadow
        arr[180:220, x + 200:x + 204] = 30  # strokes in the light
    out = np.asarray(even_light(Image.fromarray(arr)))
    assert abs(int(out[50, 100]) - int(out[50, 300])) < 20  # paper the same on both sides
    assert out[200, 50] < 100 and out[200, 250] < 100  # ink still dark


@pytest.mark.parametrize("angle", [0, 90, 180, 270])
def test_turn_points_follow_the_turned_image(angle: int) -> None:
    from receipt_assistant.core.ocr import _rotate, turn_points

    img = Image.new("L", (200, 120), 255)
    img.putpixel((30, 50), 0)
    turned = np.asarray(_rotate(img, angle))
    ys, xs = np.nonzero(turned == 0)
    assert turn_points(np.array([[30.0, 50.0]]), angle, 200, 120).tolist() == [[float(xs[0]), float(ys[0])]]


def test_corners_the_customer_placed_are_used_instead_of_looking() -> None:
    photo, truth, _ = _slip_on_table([(220, 150), (640, 190), (700, 1050), (160, 1000)])
    reader = Reader(ScriptedEngine([]), ReadOptions(target_char_px=0, border_px=0))
    inner = truth + np.array([[40, 40], [-40, 40], [-40, -40], [40, -40]])  # a smaller sheet than the paper
    found, placed = reader.prepare(photo), reader.prepare(photo, inner)
    assert placed.image.width < found.image.width and placed.image.height < found.image.height


def _pale_table_slip(corners: list[tuple[int, int]], size: tuple[int, int] = (900, 1200)):  # type: ignore[no-untyped-def]
    """A white sheet on a pale grey table lit from one side: no threshold parts the two."""
    import cv2

    sheet = np.full((800, 400), 232, np.uint8)
    sheet[100:140, 60:140] = 20
    target = np.array(corners, np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [399, 0], [399, 799], [0, 799]], np.float32), target)
    table = np.tile(np.linspace(175, 222, size[0]).astype(np.uint8), (size[1], 1))
    warped = cv2.warpPerspective(sheet, m, size, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(sheet, 255), m, size, borderValue=0)
    table[mask > 0] = warped[mask > 0]
    return Image.fromarray(table), target


def test_a_white_sheet_on_a_pale_unevenly_lit_table_is_found_by_its_outline() -> None:
    from receipt_assistant.core.sheet import find_sheet

    photo, truth = _pale_table_slip([(220, 150), (640, 190), (700, 1050), (160, 1000)])
    corners = find_sheet(photo)
    assert corners is not None
    assert np.abs(corners - truth).max() < 12


def _patterned_table_slip(corners: list[tuple[int, int]], pattern: str, size: tuple[int, int] = (900, 1200)):  # type: ignore[no-untyped-def]
    """A sheet with rows of print on a patterned cloth whose light parts are as bright as the paper's lower half."""
    import cv2

    sheet = np.tile(np.linspace(238, 222, 800).astype(np.uint8)[:, None], (1, 400))  # lit from the top
    for y in range(60, 760, 40):
        for x in range(40, 330, 14):
            sheet[y : y + 12, x : x + 3] = 40  # rows of print: thin strokes
    target = np.array(corners, np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [399, 0], [399, 799], [0, 799]], np.float32), target)
    yy, xx = np.mgrid[0 : size[1], 0 : size[0]]
    if pattern == "checks":
        table = np.where((yy // 20 + xx // 20) % 2 == 0, 212, 186)  # a pale checked cloth
    else:  # stripes
        table = np.where((xx // 16) % 2 == 0, 212, 120)
    table = table.astype(np.uint8)
    warped = cv2.warpPerspective(sheet, m, size, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(sheet, 255), m, size, borderValue=0)
    table[mask > 0] = warped[mask > 0]
    return Image.fromarray(table), target


def test_a_sheet_on_a_striped_cloth_is_found() -> None:
    from receipt_assistant.core.sheet import find_sheet

    photo, truth = _patterned_table_slip([(220, 150), (640, 190), (700, 1050), (160, 1000)], "stripes")
    corners = find_sheet(photo)
    assert corners is not None
    assert np.abs(corners - truth).max() < 25


def _small(image: Image.Image) -> np.ndarray:
    import cv2

    small = image.copy()
    small.thumbnail((600, 600))
    return cv2.GaussianBlur(np.asarray(small), (5, 5), 0)


def _page_with_rows() -> Image.Image:
    page = Image.new("L", (900, 1200), 245)
    d = ImageDraw.Draw(page)
    for y in range(40, 1160, 30):
        d.rectangle([60, y, 840, y + 12], fill=60)  # a screenshot's text, margin to margin
    return page


@pytest.mark.parametrize(
    ("make", "textured"),
    [
        pytest.param(lambda: _patterned_table_slip([(220, 150), (640, 190), (700, 1050), (160, 1000)], "checks")[0],
                     True, id="checked-cloth"),
        pytest.param(lambda: _slip_on_table([(220, 150), (640, 190), (700, 1050), (160, 1000)])[0], False,
                     id="plain-dark-table"),
        pytest.param(lambda: _pale_table_slip([(220, 150), (640, 190), (700, 1050), (160, 1000)])[0], False,
                     id="pale-table-lit-from-one-side"),
        pytest.param(_page_with_rows, False, id="a-screenshot-full-of-text"),
    ],
)
def test_a_patterned_surround_is_told_from_a_plain_one(make, textured: bool) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core.sheet import _textured_surround

    assert _textured_surround(_small(make())) is textured


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(None, id="a-box-drawn-on-a-white-page"),
        pytest.param(230, id="a-grey-panel-on-a-white-page"),
    ],
)
def test_a_box_on_a_page_is_not_taken_for_a_sheet(fill: int | None) -> None:
    from receipt_assistant.core.sheet import find_sheet

    page = Image.new("L", (900, 1200), 245)
    d = ImageDraw.Draw(page)
    d.rectangle([200, 200, 700, 1000], outline=40, width=3, fill=fill)
    for y in range(260, 960, 40):
        d.rectangle([240, y, 600, y + 14], fill=60)  # text rows
    assert find_sheet(page) is None


def _page_with_barcode(bars: int, bar_height: int = 90) -> Image.Image:
    """Text-like rows above a row of ``bars`` bars of varied width."""
    img = Image.new("L", (800, 700), 255)
    d = ImageDraw.Draw(img)
    for row in range(6):
        for col in range(16):
            d.rectangle([30 + col * 40, 30 + row * 50, 30 + col * 40 + 24, 30 + row * 50 + 30], fill=0)
    x = 150
    for k in range(bars):
        w = 2 + (k * 7) % 5
        d.rectangle([x, 450, x + w - 1, 450 + bar_height - 1], fill=0)
        x += w + 3 + (k * 3) % 3
    return img


def test_a_barcode_is_found_and_whitened() -> None:
    from receipt_assistant.core.ocr import erase_barcodes, find_barcodes

    arr = np.asarray(_page_with_barcode(40))
    boxes = find_barcodes(arr, 30.0)
    assert len(boxes) == 1
    b = boxes[0]
    assert b.x == 150 and b.y == 450 and b.h == 90
    out = erase_barcodes(arr, 30.0)
    assert out[450:540, 150:b.right].min() == 255  # the bars are gone
    assert (out[:350] == arr[:350]).all()  # the text rows are untouched


@pytest.mark.parametrize(
    ("bars", "height"),
    [
        pytest.param(8, 90, id="a-few-tall-strokes-are-text"),  # a double-height ¥111,111
        pytest.param(40, 30, id="strokes-of-text-height-are-text"),
    ],
)
def test_what_is_not_a_barcode(bars: int, height: int) -> None:
    from receipt_assistant.core.ocr import find_barcodes

    assert find_barcodes(np.asarray(_page_with_barcode(bars, height)), 30.0) == []


def test_prepare_whitens_the_barcode_unless_asked_not_to() -> None:
    page = _page_with_barcode(40)
    kept = Reader(ScriptedEngine([]), ReadOptions(erase_barcodes=False, border_px=0, crop_paper=False, deskew=False))
    erased = Reader(ScriptedEngine([]), ReadOptions(border_px=0, crop_paper=False, deskew=False))
    assert np.asarray(kept.prepare(page).image).min() < 100
    ink = np.asarray(erased.prepare(page).image) < 100
    rows = np.nonzero(ink.any(axis=1))[0]
    assert rows.max() < 0.6 * ink.shape[0]  # only the text rows at the top are left


class InkRowEngine:
    """One word per run of inked rows in the image it is given, boxed where the ink is."""

    name = "ink"
    version = "0"
    languages = "jpn+eng"

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        ink = np.asarray(image.convert("L")) < 128
        rows = ink.any(axis=1)
        out, y = [], 0
        while y < len(rows):
            if not rows[y]:
                y += 1
                continue
            end = y
            while end < len(rows) and rows[end]:
                end += 1
            cols = np.nonzero(ink[y:end].any(axis=0))[0]
            out.append(Word(f"r{len(out)}", Box(int(cols[0]), y, int(cols[-1] - cols[0] + 1), end - y), 0.9,
                            line=len(out)))
            y = end
        return out

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        return 0


def _rows_page() -> tuple[Image.Image, list[Box]]:
    """Ten rows of character-sized blocks, each row starting further right."""
    img = Image.new("L", (520, 700), 255)
    d = ImageDraw.Draw(img)
    boxes = []
    for row in range(10):
        x0, y0 = 20 + 15 * row, 30 + 65 * row
        for col in range(12):
            d.rectangle([x0 + col * 24, y0, x0 + col * 24 + 13, y0 + 13], fill=0)
        boxes.append(Box(x0, y0, 11 * 24 + 14, 14))
    return img, boxes


@pytest.mark.parametrize("band", [(0.5, 1.0), (0.0, 0.35), (0.3, 0.58)])
def test_words_read_in_a_band_land_where_they_are_on_the_original(band: tuple[float, float]) -> None:
    img, drawn = _rows_page()
    options = ReadOptions(target_char_px=34, border_px=24, parallel_strips=False, crop_paper=False, deskew=False,
                          erase_barcodes=False)
    reader = Reader(InkRowEngine(), options)
    whole = reader.read_page(img)
    part = reader.read_page(img, bands=[band])
    assert whole.geometry is not None and whole.geometry.scale > 1.5  # scaled up: the mapping is not trivial
    assert len(whole.words) == 10 and 0 < len(part.words) < 10
    for w in part.words:
        match = min(drawn, key=lambda b: abs(b.y - w.box.y))
        assert abs(w.box.x - match.x) <= 2 and abs(w.box.y - match.y) <= 2
        assert abs(w.box.right - match.right) <= 2 and abs(w.box.bottom - match.bottom) <= 2
    # The band takes the rows that lie in it, whole, and no other.
    inside = [b for b in drawn if band[0] <= (b.y + b.h / 2) / img.height <= band[1]]
    assert len(part.words) == len(inside)
    for w in whole.words:  # and a page knows where its own rows lie down it
        top, bottom = whole.band_of(w.box)
        assert abs(top - w.box.y / img.height) < 0.02 and abs(bottom - w.box.bottom / img.height) < 0.02


def test_from_source_undoes_to_source() -> None:
    img = Image.new("L", (1000, 800), 255)
    shift = np.array([[1.0, 0.0, -7.0], [0.0, 1.0, 12.0], [0.0, 0.0, 1.0]])
    prep = Prepared(img, 1.7, (30, 45), 20.0, 24, back=shift, stretch_x=2.0)
    for box in (Box(100, 200, 60, 25), Box(31, 46, 5, 5), Box(300, 90, 120, 40)):
        assert prep.to_source(prep.from_source(box)) == box


def test_words_read_in_two_bands_land_where_they_are_on_the_original() -> None:
    img, drawn = _rows_page()
    options = ReadOptions(target_char_px=34, border_px=24, parallel_strips=False, crop_paper=False, deskew=False,
                          erase_barcodes=False)
    reader = Reader(InkRowEngine(), options)
    part = reader.read_page(img, bands=[(0.0, 0.2), (0.75, 1.0)])
    # Rows 0-1 at the top and 8-9 at the foot; none from the middle.
    assert sorted(min(range(10), key=lambda k: abs(drawn[k].y - w.box.y)) for w in part.words) == [0, 1, 8, 9]
    for w in part.words:
        match = min(drawn, key=lambda b: abs(b.y - w.box.y))
        assert abs(w.box.x - match.x) <= 2 and abs(w.box.y - match.y) <= 2
        assert abs(w.box.bottom - match.bottom) <= 2


def test_a_colour_page_read_raw_in_a_band() -> None:
    img, drawn = _rows_page()
    reader = Reader(InkRowEngine(), ReadOptions(naive=True, parallel_strips=False))
    part = reader.read_page(img.convert("RGB"), bands=[(0.0, 0.35)])
    assert 0 < len(part.words) < len(drawn)


class NoisyUprightEngine(ScriptedEngine):
    """An upright photo on a busy background: most words read well, many noise words badly."""

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls.append(image.size)
        good = [Word(f"w{i}", Box(10 + 60 * i, 10, 50, 20), 0.8) for i in range(36)]
        noise = [Word("~", Box(10 + 60 * i, 50, 50, 20), 0.2) for i in range(14)]
        return good + noise  # mean 0.63, median 0.8

    def orientation(self, image: Image.Image) -> int | None:
        return None  # OSD cannot tell


def test_an_upright_page_with_background_noise_is_not_read_turned() -> None:
    """Noise words drag the mean down a little: no three more readings of a well-read page."""
    engine = NoisyUprightEngine([])
    reading = Reader(engine, ReadOptions(parallel_strips=False)).read_page(Image.new("RGB", (300, 600), "white"))
    assert reading.rotation == 0
    assert len(engine.calls) == 1


class GrainTurnedEngine(ScriptedEngine):
    """A slip on a wooden table: upright, its print reads sure and the grain as noise; turned a quarter,
    the grain's stripes read as many half-trusted characters."""

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls.append(image.size)
        if image.width > image.height:  # turned
            return [Word("ままままま", Box(10, 10 + 30 * i, 200, 20), 0.7) for i in range(40)]
        print_ = [Word("合計¥10,000", Box(10, 10 + 30 * i, 200, 20), 0.95) for i in range(12)]
        grain = [Word("ン", Box(300, 10 + 30 * i, 20, 20), 0.3) for i in range(40)]
        return print_ + grain

    def orientation(self, image: Image.Image) -> int | None:
        return None


def test_a_patterned_table_read_as_text_does_not_turn_a_well_printed_page() -> None:
    engine = GrainTurnedEngine([])
    reading = Reader(engine, ReadOptions(parallel_strips=False)).read_page(Image.new("RGB", (300, 600), "white"))
    assert reading.rotation == 0
    assert reading.words[0].text == "合計¥10,000"


class UpsideDownEngine(ScriptedEngine):
    """A slip whose heading (a dark bar) must be at the top: upside down, Tesseract still trusts its words
    at 0.7, but is sure of few characters."""

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls.append(image.size)
        arr = np.asarray(image.convert("L"))
        if image.width < image.height:  # sideways
            return [Word("~", Box(10, 10 + 30 * i, 20, 20), 0.3) for i in range(30)]
        if arr[: arr.shape[0] // 2].mean() < arr[arr.shape[0] // 2:].mean():  # heading on top: upright
            return [Word("合計¥5,000", Box(10, 10 + 30 * i, 200, 20), 0.95) for i in range(12)]
        sure = [Word("ー", Box(10, 10 + 30 * i, 20, 20), 0.85) for i in range(10)]
        doubted = [Word("ロ-ソン", Box(40, 10 + 30 * i, 80, 20), 0.7) for i in range(20)]
        return sure + doubted  # mean 0.75, median 0.7; 10 of 90 characters sure

    def orientation(self, image: Image.Image) -> int | None:
        return None


def test_an_upside_down_slip_read_with_middling_confidence_is_turned() -> None:
    page = Image.new("L", (600, 400), 255)
    page.paste(0, (0, 340, 600, 400))  # the heading, at the foot: photographed upside down
    engine = UpsideDownEngine([])
    options = ReadOptions(parallel_strips=False, crop_paper=False, deskew=False, border_px=0)
    reading = Reader(engine, options).read_page(page)
    assert reading.rotation == 180
    assert reading.words[0].text == "合計¥5,000"


@pytest.mark.parametrize(("paper", "printed", "expected"), [
    # The cloth's light squares joined the paper: the print is far narrower, so the sides are cut.
    (Box(100, 50, 2000, 3900), (950, 1950), Box(950, 50, 1000, 3900)),
    # No paper told apart at all: the print's columns over the whole height.
    (None, (300, 1000), Box(300, 0, 700, 4000)),
    # A slip well cropped: its print fills most of its width, and the crop stays as it was.
    (Box(400, 100, 1000, 1800), (450, 1350), Box(400, 100, 1000, 1800)),
    (Box(400, 100, 1000, 1800), None, Box(400, 100, 1000, 1800)),
    # A shadow's edge taken for the paper's across a slip filling the frame: the prices past it are kept.
    (Box(0, 0, 2032, 3997), (7, 2252), Box(0, 0, 2252, 3997)),
    # A slip seen whole on a wooden table whose grain was found as "print" across the frame: the paper stays.
    (Box(640, 530, 1030, 3150), (0, 2252), Box(640, 530, 1030, 3150)),
])
def test_a_paper_crop_keeps_to_the_print_at_its_sides(paper, printed, expected) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core.ocr import _narrowed

    assert _narrowed(paper, printed, (2252, 4000)) == expected


class CountingEngine:
    """Records each strip's height and how many calls ran at once; ``models_loaded`` as a library engine has it."""

    name = "counting"
    version = "0"
    languages = "jpn+eng"

    def __init__(self, models_loaded: int | None) -> None:
        import threading

        self.heights: list[int] = []
        self.running = self.most = 0
        self.lock = threading.Lock()
        if models_loaded is not None:
            self.models_loaded = models_loaded

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        import time

        with self.lock:
            self.heights.append(image.height)
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return [Word(f"row{image.height}", Box(0, 0, 10, 10), 0.9)]


def _striped(height: int) -> Image.Image:
    """A page of text-like rows with blank rows between, cuttable anywhere."""
    img = Image.new("L", (400, height), 255)
    draw = ImageDraw.Draw(img)
    for y in range(0, height - 20, 40):
        draw.rectangle([20, y, 380, y + 18], fill=0)
    return img


@pytest.mark.parametrize(("height", "loaded", "at_once"), [
    (3000, 1, 1),     # a command's one model: the strips of a scan-sized page are read in turn
    (3000, 2, 2),     # a window's models are all loaded: they read the strips together
    (3000, None, 2),  # an engine with nothing to load per thread (the Tesseract program) reads them together
    (6400, 1, 2),     # a long slip's strips are read together even when a model must be loaded for it
])
def test_a_page_is_cut_alike_but_read_at_once_only_by_threads_with_a_model(height: int, loaded: int | None,
                                                                          at_once: int) -> None:
    engine = CountingEngine(loaded)
    words = Reader(engine, ReadOptions(), workers=2)._words_parallel(_striped(height))
    assert len(engine.heights) == 2 and sum(engine.heights) == height  # the same two strips every time
    assert engine.most == at_once
    # Words come back in page order, each strip's below the one before.
    first, second = words
    assert second.box.y == int(first.text.removeprefix("row"))  # the second strip starts where the first ends


def test_every_reading_thread_runs_the_loader_once() -> None:
    import threading

    from receipt_assistant.core.ocr import _POOL_THREADS, on_every_reading_thread

    seen: list[int] = []
    lock = threading.Lock()

    def load() -> None:
        with lock:
            seen.append(threading.get_ident())

    on_every_reading_thread(load)
    assert len(seen) == _POOL_THREADS
    assert len(set(seen)) == _POOL_THREADS
