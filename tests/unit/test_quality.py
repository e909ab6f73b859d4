"""Image quality: each measured problem on synthetic Japanese receipts."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from receipt_assistant.core import quality
from receipt_assistant.core.quality import estimate_char_height, measure

_LINES = [
    "領収書",
    "注文日： 2024年5月1日",
    "注文番号： 249-1234567-1234567",
    "Amazonギフトカード(Eメールタイプ)",
    "商品の小計： ￥ 5,000",
    "注文合計： ￥ 5,000",
    "ご請求額： ￥ 5,000",
    "ファミリーマート 渋谷店",
    "合計 ¥10,000 お預り ¥10,000",
]


@pytest.fixture(scope="module")
def font_path() -> str:
    pylo = pytest.importorskip("pylopdf_fonts_jp")
    return str(Path(pylo.__file__).parent / "NotoSansJP-Regular.otf")


def _render(font_path: str, px: int, *, ink: int = 0, paper: int = 255) -> Image.Image:
    """A screenshot-like receipt: Japanese lines at ``px`` pixels per em."""
    font = ImageFont.truetype(font_path, px)
    margin, step = 2 * px, int(1.6 * px)
    im = Image.new("L", (28 * px + 2 * margin, step * len(_LINES) + 2 * margin), paper)
    draw = ImageDraw.Draw(im)
    for i, text in enumerate(_LINES):
        draw.text((margin, margin + i * step), text, font=font, fill=ink)
    return im


def _photo(page: Image.Image, *, seed: int = 0, noise: float = 4.0) -> Image.Image:
    """The page on a dark table, slightly turned, unevenly lit, with grain."""
    pad = page.width // 4
    turned = page.convert("RGB").rotate(1.5, expand=True, fillcolor=(90, 70, 50))
    canvas = Image.new("RGB", (turned.width + 2 * pad, turned.height + 2 * pad), (90, 70, 50))
    mask = Image.new("L", page.size, 255).rotate(1.5, expand=True, fillcolor=0)
    canvas.paste(turned, (pad, pad), mask)
    a = np.asarray(canvas).astype(np.float32)
    yy, xx = np.mgrid[0 : a.shape[0], 0 : a.shape[1]]
    light = 1 - 0.25 * (0.6 * xx / a.shape[1] + 0.4 * yy / a.shape[0])
    a = a * light[..., None] + np.random.default_rng(seed).normal(0, noise, a.shape)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def _ids(image: Image.Image) -> list[str]:
    return [p.id for p in measure(image).problems]


# -- character height -----------------------------------------------------------------


@pytest.mark.parametrize("px", [8, 12, 24, 48, 80])
def test_char_height_of_screenshots(font_path: str, px: int) -> None:
    est = estimate_char_height(np.asarray(_render(font_path, px)))
    assert est is not None
    assert 0.85 * px <= est <= 1.1 * px


@pytest.mark.parametrize("px", [12, 30])
def test_char_height_of_photos_and_dark_mode(font_path: str, px: int) -> None:
    page = _render(font_path, px)
    photo_est = estimate_char_height(np.asarray(_photo(page).convert("L")))
    dark_est = estimate_char_height(255 - np.asarray(page))
    assert photo_est is not None and 0.85 * px <= photo_est <= 1.15 * px
    assert dark_est is not None and 0.85 * px <= dark_est <= 1.1 * px


def test_char_height_accepts_color_arrays(font_path: str) -> None:
    rgb = np.asarray(_render(font_path, 20).convert("RGB"))
    est = estimate_char_height(rgb)
    assert est is not None and 17 <= est <= 22


def test_char_height_is_none_without_text() -> None:
    assert estimate_char_height(np.full((300, 400), 255, np.uint8)) is None
    noise = np.random.default_rng(0).integers(0, 256, (300, 400), dtype=np.uint8)
    smooth = np.asarray(Image.fromarray(noise).filter(ImageFilter.GaussianBlur(3)))
    assert estimate_char_height(smooth) is None
    assert estimate_char_height(np.zeros((0, 0), np.uint8)) is None


# -- problems ------------------------------------------------------------------------


@pytest.mark.parametrize("px", [12, 24, 40])
def test_normal_pages_have_no_problems(font_path: str, px: int) -> None:
    page = _render(font_path, px)
    assert _ids(page) == []
    assert _ids(_photo(page, seed=px)) == []
    assert _ids(Image.fromarray(255 - np.asarray(page))) == []  # dark-mode screen


def test_measurements_are_reported(font_path: str) -> None:
    q = measure(_render(font_path, 24).convert("RGB"), source="a.png", page=2)
    assert (q.source, q.page) == ("a.png", 2)
    assert q.char_height_px is not None and 21 <= q.char_height_px <= 26
    assert q.sharpness > quality.BLUR_SHARPNESS
    assert q.brightness > 200 and q.contrast > 200
    assert q.to_json()["problems"] == []


def test_small_text(font_path: str) -> None:
    q = measure(_render(font_path, 7))
    problem = next(p for p in q.problems if p.id == "too_small")
    assert problem.value < quality.TOO_SMALL_CHAR_PX == problem.threshold
    assert "約7ピクセル" in problem.message.ja and "about 7 pixels" in problem.message.en
    assert "拡大" in problem.message.ja


def test_blurred_text(font_path: str) -> None:
    page = _render(font_path, 24)
    blurred = page.filter(ImageFilter.GaussianBlur(0.12 * 24))
    q = measure(blurred)
    assert [p.id for p in q.problems] == ["blurred"]
    assert q.problems[0].value < quality.BLUR_SHARPNESS
    assert "ぼやけ" in q.problems[0].message.ja
    assert "blurred" not in _ids(page.filter(ImageFilter.GaussianBlur(0.04 * 24)))


def test_blurred_photo(font_path: str) -> None:
    page = _render(font_path, 24).filter(ImageFilter.GaussianBlur(0.12 * 24))
    assert "blurred" in _ids(_photo(page))


def test_sharpness_does_not_depend_on_resolution(font_path: str) -> None:
    """The same page at twice the resolution: same verdict, similar figure."""
    small, big = _render(font_path, 20), _render(font_path, 40)
    s_small, s_big = measure(small).sharpness, measure(big).sharpness
    assert 0.5 < s_small / s_big < 2.0
    b_small = measure(small.filter(ImageFilter.GaussianBlur(2.4))).sharpness
    b_big = measure(big.filter(ImageFilter.GaussianBlur(4.8))).sharpness
    assert b_small < quality.BLUR_SHARPNESS and b_big < quality.BLUR_SHARPNESS
    assert 0.5 < b_small / b_big < 2.0


def test_too_dark(font_path: str) -> None:
    photo = np.asarray(_photo(_render(font_path, 24), noise=0)).astype(np.float32)
    dark = Image.fromarray((photo * 0.12 + 3 * np.random.default_rng(1).standard_normal(photo.shape))
                           .clip(0, 255).astype(np.uint8))
    q = measure(dark)
    assert [p.id for p in q.problems] == ["too_dark"]
    assert q.problems[0].value == q.brightness < quality.DARK_MEAN
    assert "暗すぎ" in q.problems[0].message.ja


def test_washed_out(font_path: str) -> None:
    page = np.asarray(_render(font_path, 24)).astype(np.float32)
    washed = Image.fromarray((255 - (255 - page) * 0.12).clip(0, 255).astype(np.uint8))
    q = measure(washed)
    assert [p.id for p in q.problems] == ["washed_out"]
    assert q.problems[0].value == q.brightness > quality.WASHED_MEAN
    assert "白っぽく" in q.problems[0].message.ja


def test_low_contrast(font_path: str) -> None:
    faint = _photo(_render(font_path, 24, ink=180, paper=235), noise=2)
    q = measure(faint)
    assert [p.id for p in q.problems] == ["low_contrast"]
    assert q.problems[0].value == q.contrast < quality.LOW_CONTRAST
    assert "差が小さすぎ" in q.problems[0].message.ja


def test_white_receipt_on_dark_table_is_not_too_dark(font_path: str) -> None:
    """Most of the frame is a dark table; the paper itself is bright."""
    page = _render(font_path, 20)
    canvas = Image.new("L", (page.width * 3, page.height * 3), 25)
    canvas.paste(page, (page.width, page.height))
    q = measure(canvas)
    assert q.brightness < quality.DARK_MEAN
    assert [p.id for p in q.problems] == []


@pytest.mark.parametrize(
    "image",
    [Image.new("RGB", (1, 1), "white"), Image.new("L", (5, 400), 0), Image.new("RGBA", (60, 40)),
     Image.new("P", (30, 30)), Image.new("I;16", (30, 30))],
)
def test_odd_images_do_not_crash(image: Image.Image) -> None:
    q = measure(image)
    assert q.width == image.width and q.char_height_px is None


def test_blank_pages_are_reported_by_exposure_only() -> None:
    assert _ids(Image.new("RGB", (800, 600), "white")) == ["washed_out"]
    assert _ids(Image.new("RGB", (800, 600), "black")) == ["too_dark"]


def test_12_megapixel_photo_is_fast(font_path: str) -> None:
    page = _render(font_path, 40)
    photo = _photo(page)
    scale = (12e6 / (photo.width * photo.height)) ** 0.5
    big = Image.new("RGB", (int(photo.width * scale), int(photo.height * scale)), (90, 70, 50))
    big.paste(photo, (50, 50))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        q = measure(big)
        best = min(best, time.perf_counter() - start)
    assert q.char_height_px is not None and 34 <= q.char_height_px <= 46
    # The budget is 0.3 s; the margin absorbs a busy test machine.
    assert best < 0.6


@pytest.mark.parametrize(("seed", "turn"), [(1, 0), (2, 0), (3, 0), (1, 90), (2, 270)])
def test_a_thumbnail_of_a_slip_photo_is_too_small_and_not_read(tmp_path, seed: int, turn: int) -> None:  # type: ignore[no-untyped-def]
    """Upright or sideways: a sideways thumbnail's columns of characters once passed for large text,
    so it was read three times over (9 s) and its retake asked only to show the whole slip."""
    import random
    from pathlib import Path

    from PIL import Image

    from receipt_assistant.core import quality
    from receipt_assistant.core.api import check_files
    from receipt_assistant.synth.photo import thumbnail

    sample = Path(__file__).resolve().parents[2] / "resources" / "samples" / "store-slip-photo.jpg"
    small = thumbnail(Image.open(sample).convert("RGB").rotate(turn, expand=True), random.Random(seed))
    path = tmp_path / "thumb.jpg"
    small.save(path, quality=85)

    class NoReading:
        name, version, languages = "none", "0", "jpn+eng"

        def words(self, image, **kw):  # type: ignore[no-untyped-def]
            raise AssertionError("a thumbnail is not read")

        def orientation(self, image, **kw):  # type: ignore[no-untyped-def]
            raise AssertionError("a thumbnail is not read")

    reading = check_files([path], engine=NoReading())  # type: ignore[arg-type]
    assert quality.unreadable(reading.quality.pages[0])
    assert "too_small" in [p.id for p in reading.quality.retake]


def test_the_print_of_a_slip_is_found_apart_from_stray_marks_on_the_cloth() -> None:
    from receipt_assistant.core.quality import _print_columns

    mask = np.zeros((1000, 800), bool)
    for y in range(100, 900, 30):  # a slip's rows, 12 px characters, items left and prices right
        mask[y:y + 12, 300:420] = True
        mask[y:y + 12, 480:560] = True
    for x, y in [(20, 50), (700, 400), (60, 950), (760, 700)]:  # the cloth's pattern taken for text
        mask[y:y + 6, x:x + 8] = True
    columns = _print_columns(mask, 12.0, 0.5, 1600)  # the mask was measured at half size
    assert columns is not None
    left, right = columns
    assert 500 < left <= 600 and 1120 <= right < 1200  # the print's columns and a margin, no stray mark


def test_a_print_found_on_a_few_rows_does_not_say_where_the_slip_ends() -> None:
    """Small print on a dark surface, found on a handful of rows at the measuring scale: cutting the
    paper to those words' columns lost the left half of every row (the card's name among them)."""
    from receipt_assistant.core.quality import _print_columns

    mask = np.zeros((1000, 800), bool)
    for y in (300, 420, 610, 700, 820):  # five words of the right-hand column found, the labels not
        mask[y:y + 8, 450:520] = True
    assert _print_columns(mask, 8.0, 1.0, 800) is None
    for y in range(300, 900, 40):  # the same print found on its fifteen rows
        mask[y:y + 8, 450:520] = True
    assert _print_columns(mask, 8.0, 1.0, 800) is not None


@pytest.mark.parametrize("turn", [0, 90])
def test_the_realistic_sets_thumbnails_are_too_small_upright_or_sideways(tmp_path, turn: int) -> None:  # type: ignore[no-untyped-def]
    """Seeds 5, 15 and 17 once passed: measured the wrong way their text looked 40 px tall,
    and 8, 15, 17 and 23 have no camera grain left after the JPEG's smoothing."""
    import random

    from receipt_assistant.synth import batch

    for seed in (0, 5, 8, 15, 17, 23):
        path, _ = batch._real_slip(tmp_path / f"t{seed}", random.Random(seed), np.random.RandomState(seed),
                                   "gift", "real_photo", "thumbnail")
        page = measure(Image.open(path).rotate(turn, expand=True))
        assert quality.unreadable(page), (seed, page.char_height_px)


def test_a_slip_filling_the_frame_keeps_its_prices_far_right_of_its_labels() -> None:
    from receipt_assistant.core.quality import _print_columns

    mask = np.zeros((1000, 1000), bool)
    for y in range(50, 950, 30):  # labels on the left; prices 12 characters to their right
        mask[y:y + 12, 20:200] = True
        mask[y:y + 12, 344:420] = True
    columns = _print_columns(mask, 12.0, 1.0, 1000)
    assert columns is not None and columns[0] <= 20 and columns[1] >= 420


@pytest.mark.parametrize(("between", "kept"), [
    pytest.param(235, True, id="blank-paper-a-wide-pages-far-column"),
    pytest.param(60, False, id="a-dark-table-another-papers-print"),
])
def test_a_far_run_of_print_is_the_pages_own_only_across_blank_paper(between: int, kept: bool) -> None:
    """An Amazon page's totals and prices, far right of its addresses, are not cut off as the surround's marks."""
    from receipt_assistant.core.quality import _print_columns

    gray = np.full((1000, 1400), 40, np.uint8)  # a dark desk around the sheet
    gray[100:900, 100:1300] = 240  # the sheet
    gray[100:900, 560:1050] = between  # what lies between the two columns of print
    mask = np.zeros(gray.shape, bool)
    for y in range(150, 850, 30):  # the left column: addresses, item names
        mask[y:y + 12, 150:550] = True
    for y in range(200, 350, 30):  # the summary's labels and totals, far right
        mask[y:y + 12, 1060:1250] = True
    gray[mask] = 20
    left, right = _print_columns(mask, 12.0, 1.0, 1400, gray) or (0, 0)
    assert left < 150
    assert (right > 1250) is kept


def test_a_page_with_nothing_printed_is_blank_and_any_print_is_not() -> None:
    from receipt_assistant.core.quality import blank

    page = Image.new("RGB", (1240, 1754), "white")
    assert blank(page) and blank(Image.new("L", (50, 50), 128))
    ImageDraw.Draw(page).text((600, 900), "¥", fill=(40, 40, 40))  # one small mark on a whole A4 page
    assert not blank(page)
    noisy = Image.fromarray(np.clip(np.random.default_rng(3).normal(200, 4, (300, 200)), 0, 255).astype(np.uint8))
    assert not blank(noisy)  # a camera picture of an empty table is still read


def test_blank_pdf_pages_are_skipped_not_read_four_ways(tmp_path: Path) -> None:
    import datetime as dt

    import pypdfium2 as pdfium

    from receipt_assistant.core.api import CheckOptions, check_files

    pdf = pdfium.PdfDocument.new()
    for _ in range(10):
        pdf.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    pdf.save(str(path))

    class NoReading:
        def __getattr__(self, name: str) -> object:
            raise AssertionError("a blank page was read")

    reading = check_files([path], options=CheckOptions(reference=dt.date(2026, 11, 1)), engine=NoReading())
    assert reading.error is None and len(reading.pages) == 10 and all(p.skipped for p in reading.pages)


@pytest.mark.parametrize("size", [(1, 1), (5, 5), (63, 40)])
@pytest.mark.parametrize("shade", ["white", "black", "gray"])
def test_a_picture_of_a_few_pixels_is_too_small_and_nothing_else(size: tuple[int, int], shade: str) -> None:
    q = measure(Image.new("RGB", size, shade), source="x.png", page=0)
    assert [p.id for p in q.problems] == ["too_small"] and quality.unreadable(q)
