"""Loading receipt files: every format, and every bad file as a plain message."""

from __future__ import annotations

import ctypes
import hashlib
import io
import os
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, features

from receipt_assistant.core import loader
from receipt_assistant.core.errors import Cancelled, InputError
from receipt_assistant.core.loader import Page, load, load_file, sniff_format

# -- helpers -----------------------------------------------------------------


def _two_tone(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Left half red, right half blue: shows how an image was turned."""
    im = Image.new("RGB", size, (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return im


def _error(path: Path | str, **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        load([path], **kw)  # type: ignore[arg-type]
    err = info.value
    assert err.source == str(path)
    assert Path(path).name in err.text("ja") and Path(path).name in err.text("en")
    assert err.message.ja and err.message.en
    return err


def _build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _text_pdf(text: bytes = b"Order 123", *, media: bytes = b"0 0 612 792", encrypt: bool = False) -> bytes:
    """A one-page PDF with a Helvetica text object, the way a printed web page has."""
    content = b"BT /F1 24 Tf 72 700 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [" + media + b"] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    extra = b""
    if encrypt:
        # Standard security handler whose /U does not match the empty password,
        # so the file needs a password to open, as a protected PDF does.
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                    + b"> /P -4 >>")
        extra = (b"/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> "
                 b"<00112233445566778899aabbccddeeff>] ")
    return _build_pdf(objs, extra)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- formats -------------------------------------------------------------------


def test_png(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    _two_tone().save(path)
    pages = load([path])
    assert len(pages) == 1
    page = pages[0]
    assert isinstance(page, Page)
    assert (page.source, page.index, page.text_words) == (str(path), 0, None)
    assert page.image.mode == "RGB" and page.image.size == (40, 20)
    assert page.image.getpixel((5, 5)) == (255, 0, 0)


def test_jpeg_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° clockwise to view
    _two_tone().save(path, quality=95, exif=exif)
    image = load([path])[0].image
    assert image.size == (20, 40)
    r, g, b = image.getpixel((10, 5))  # the red left half is now on top
    assert r > 200 and b < 60
    r, g, b = image.getpixel((10, 35))
    assert b > 200 and r < 60


@pytest.mark.parametrize(("name", "fmt"), [("a.webp", "WEBP"), ("a.bmp", "BMP"), ("a.gif", "GIF")])
def test_other_still_formats(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    kw = {"lossless": True} if fmt == "WEBP" else {}
    _two_tone().save(path, fmt, **kw)
    image = load([path])[0].image
    assert image.mode == "RGB" and image.size == (40, 20)
    assert image.getpixel((5, 5)) == (255, 0, 0)


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_avif(tmp_path: Path) -> None:
    path = tmp_path / "photo.avif"
    _two_tone((64, 32)).save(path, "AVIF", quality=95)
    image = load([path])[0].image
    assert image.size == (64, 32)
    r, g, b = image.getpixel((8, 16))
    assert r > 180 and b < 80


def test_single_path_is_not_split_into_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("L", (8, 8), 255).save(path)
    assert len(load(str(path))) == 1  # type: ignore[arg-type]


def test_multipage_tiff_gives_pages_in_order(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    frames = [Image.new("RGB", (30, 20), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    pages = load([path])
    assert [p.index for p in pages] == [0, 1, 2]
    assert [p.image.getpixel((1, 1)) for p in pages] == [(255, 0, 0), (0, 255, 0), (0, 0, 255)]


def test_heic(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (200, 30, 30))).save(path, quality=95)
    image = load([path])[0].image
    assert image.mode == "RGB" and image.size == (64, 48)
    r, g, b = image.getpixel((30, 20))
    assert r > 170 and g < 70 and b < 70


def test_image_only_pdf_is_rendered_at_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _two_tone((144, 72)).save(path, "PDF", resolution=72)  # 2 × 1 inch
    page = load([path], pdf_dpi=100)[0]
    assert page.text_words is None
    assert page.image.mode == "RGB"
    assert page.image.size == (200, 100)
    r, g, b = page.image.getpixel((40, 50))
    assert r > 200 and b < 60


def test_pdf_text_layer_gives_words_in_pixel_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(_text_pdf())
    page = load([path], pdf_dpi=144)[0]
    assert page.image.size == (1224, 1584)
    words = page.text_words
    assert words is not None
    assert [w.text for w in words] == ["Order", "123"]
    assert all(w.conf == 1.0 for w in words)
    # Baseline at y=700pt from the bottom -> 2 * (792 - 700) = 184 px from the top.
    order, num = words
    assert abs(order.box.x - 144) <= 3
    assert 184 - 40 < order.box.y < 184 < order.box.bottom <= 184 + 3
    assert order.box.right < num.box.x
    # The boxes cover the rendered ink.
    ink = np.argwhere(np.asarray(page.image.convert("L")) < 128)
    (y0, x0), (y1, x1) = ink.min(axis=0), ink.max(axis=0)
    assert abs(x0 - order.box.x) <= 2 and abs(x1 - num.box.right) <= 2
    assert abs(y0 - order.box.y) <= 2 and abs(y1 - order.box.bottom) <= 2


def test_pdf_without_text_has_no_words(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(_text_pdf(b"   "))
    assert load([path])[0].text_words is None


def test_japanese_text_layer_groups_runs(tmp_path: Path) -> None:
    """Japanese has no spaces: a run of characters becomes one word."""
    pylo = pytest.importorskip("pylopdf_fonts_jp")
    font_path = Path(pylo.__file__).parent / "NotoSansJP-Regular.otf"
    pdf = pdfium.PdfDocument.new()
    pdf_page = pdf.new_page(595, 842)
    data = font_path.read_bytes()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = pdfium_c.FPDFText_LoadFont(pdf, buf, len(data), pdfium_c.FPDF_FONT_TRUETYPE, 1)
    assert font
    for y, text in ((780, "注文日： 2024年5月1日"), (740, "Amazonギフトカード(Eメールタイプ)  ￥ 5,000")):
        obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf, font, 14)
        wide = (text + "\x00").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(wide), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, y)
        pdfium_c.FPDFPage_InsertObject(pdf_page, obj)
    pdfium_c.FPDFPage_GenerateContent(pdf_page)
    pdf_page.close()
    path = tmp_path / "receipt.pdf"
    pdf.save(str(path))
    pdf.close()

    words = load([path])[0].text_words
    assert words is not None
    assert [w.text for w in words] == ["注文日：", "2024年5月1日", "Amazonギフトカード(Eメールタイプ)", "￥", "5,000"]
    assert words[0].box.bottom < words[2].box.y  # second line is below the first


def test_several_files_make_one_receipt(tmp_path: Path) -> None:
    a, b = tmp_path / "1.png", tmp_path / "2.pdf"
    Image.new("RGB", (10, 10), "white").save(a)
    b.write_bytes(_text_pdf())
    pages = load([a, str(b)])
    assert [(p.source, p.index) for p in pages] == [(str(a), 0), (str(b), 0)]
    assert pages[1].text_words is not None
    assert {w.page for w in pages[1].text_words} == {1}  # numbered within the receipt


def test_format_comes_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "really_a_jpeg.png"
    _two_tone().save(path, "JPEG")
    assert load([path])[0].image.size == (40, 20)
    assert sniff_format(path.read_bytes()) == "jpeg"


def test_sniff_format() -> None:
    assert sniff_format(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_format(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_format(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "heif"
    assert sniff_format(b"junk\n%PDF-1.7\n") == "pdf"
    assert sniff_format(b"hello") is None
    assert ".heic" in loader.SUPPORTED_SUFFIXES and ".pdf" in loader.SUPPORTED_SUFFIXES


# -- conversions -------------------------------------------------------------------


def test_rgba_transparency_becomes_white(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    im = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    im.putpixel((1, 1), (0, 0, 0, 255))
    im.save(path)
    image = load([path])[0].image
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1, 1)) == (0, 0, 0)


def test_gray_alpha_becomes_white(tmp_path: Path) -> None:
    path = tmp_path / "la.png"
    im = Image.new("LA", (4, 4), (0, 0))
    im.putpixel((1, 1), (0, 255))
    im.save(path)
    image = load([path])[0].image
    assert image.mode == "L"
    assert image.getpixel((0, 0)) == 255 and image.getpixel((1, 1)) == 0


def test_palette_png_with_transparency(tmp_path: Path) -> None:
    path = tmp_path / "pal.png"
    im = Image.new("P", (4, 4), 0)
    im.putpalette([0, 0, 0, 200, 0, 0] + [0] * (256 * 3 - 6))
    im.putpixel((1, 1), 1)
    im.info["transparency"] = 0
    im.save(path, transparency=0)
    image = load([path])[0].image
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1, 1)) == (200, 0, 0)


def test_16_bit_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    arr = np.array([[0, 32896, 65535]], dtype=np.uint16)
    Image.fromarray(arr).save(path)  # saved as 16-bit grayscale
    with Image.open(path) as check:
        assert check.mode.startswith("I")
    image = load([path])[0].image
    assert image.mode == "L"
    assert [image.getpixel((x, 0)) for x in range(3)] == [0, 128, 255]


def test_cmyk_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(path, quality=95)  # red
    image = load([path])[0].image
    assert image.mode == "RGB"
    r, g, b = image.getpixel((10, 10))
    assert r > 200 and g < 60 and b < 60


def test_original_bytes_are_untouched(tmp_path: Path) -> None:
    paths = []
    for name, fmt in (("a.jpg", "JPEG"), ("b.png", "PNG"), ("c.pdf", "PDF"), ("d.tif", "TIFF")):
        p = tmp_path / name
        exif = Image.Exif()
        exif[0x0112] = 6
        _two_tone().save(p, fmt, **({"exif": exif} if fmt == "JPEG" else {}))
        paths.append(p)
    before = {p: (_sha(p), p.stat().st_mtime_ns) for p in paths}
    pages = load(paths)
    pages[0].image.putpixel((0, 0), (1, 2, 3))  # a page is a copy: editing it is harmless
    assert {p: (_sha(p), p.stat().st_mtime_ns) for p in paths} == before


# -- bad input ------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nothere.png")
    assert "見つかりません" in err.message.ja and "not found" in err.message.en


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    err = _error(path)
    assert "空" in err.message.ja and "empty" in err.message.en


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    assert "フォルダ" in _error(folder).message.ja


def test_no_files() -> None:
    with pytest.raises(InputError):
        load([])


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_truncated_image(tmp_path: Path, fmt: str) -> None:
    buf = io.BytesIO()
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)).save(buf, fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    err = _error(path)
    assert "途中で切れて" in err.message.ja or "壊れて" in err.message.ja


def test_truncated_png_says_cut_off(tmp_path: Path) -> None:
    buf = io.BytesIO()
    rng = np.random.default_rng(2)
    Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)).save(buf, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buf.getvalue()[:-5000])
    err = _error(path)
    assert "途中で切れています" in err.message.ja and "cut off" in err.message.en


def test_text_renamed_png(tmp_path: Path) -> None:
    path = tmp_path / "receipt.png"
    path.write_text("注文番号 249-1234567-1234567\n合計 ￥5,000\n", encoding="utf-8")
    err = _error(path)
    assert "テキスト" in err.message.ja and "text file" in err.message.en


def test_saved_web_page(tmp_path: Path) -> None:
    path = tmp_path / "order.jpg"
    path.write_text("<!DOCTYPE html><html><body>領収書</body></html>", encoding="utf-8")
    err = _error(path)
    assert "ウェブページ" in err.message.ja and "screenshot" in err.message.en


def test_office_document(tmp_path: Path) -> None:
    path = tmp_path / "receipt.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    assert "Word" in _error(path).message.ja


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "art.png"
    path.write_bytes(b"8BPS\x00\x01" + bytes(100) + b"\xff\xfe" * 50)  # a Photoshop file
    err = _error(path)
    assert "PNG" in err.message.ja and "HEIC" in err.message.en


def test_decompression_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """A PNG whose header claims 50000×50000 pixels (2.5 gigapixels)."""
    path = tmp_path / "bomb.png"
    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 50001 * 20)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
                     + _png_chunk(b"IEND", b""))
    start = time.perf_counter()
    err = _error(path)
    assert time.perf_counter() - start < 1.0
    assert "大きすぎます" in err.message.ja and "50000×50000" in err.message.en


def test_image_just_over_the_pixel_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_PAGE_PIXELS", 1000)
    path = tmp_path / "big.png"
    Image.new("L", (40, 30)).save(path)
    assert "40×30" in _error(path).message.en


def test_huge_jpeg_is_decoded_smaller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_PAGE_PIXELS", 100 * 100)
    path = tmp_path / "200mp.jpg"
    Image.new("RGB", (300, 200), "white").save(path)
    image = load([path])[0].image
    assert image.width * image.height <= 100 * 100
    assert image.size == (75, 50)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_animated_image_is_refused(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"anim.{fmt.lower()}"
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "blue", "green")]
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    err = _error(path)
    assert "アニメーション" in err.message.ja and "still" in err.message.en


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_text_pdf(encrypt=True))
    err = _error(path)
    assert "パスワード" in err.message.ja and "print it to PDF again" in err.message.en


def test_pdf_with_too_many_pages(tmp_path: Path) -> None:
    path = tmp_path / "statement.pdf"
    pages = [Image.new("L", (8, 8), 255) for _ in range(300)]
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:])
    start = time.perf_counter()
    err = _error(path)
    assert time.perf_counter() - start < 2.0  # refused before rendering anything
    assert "300" in err.message.ja and "レシート" in err.message.ja
    assert "Only the receipt pages" in err.message.en


def test_too_many_pages_over_several_files(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        p = tmp_path / f"{i}.png"
        Image.new("L", (8, 8), 255).save(p)
        paths.append(p)
    with pytest.raises(InputError) as info:
        load(paths, max_pages=2)
    assert info.value.source == str(paths[2])


def test_tiff_with_too_many_frames(tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    frames = [Image.new("L", (8, 8), 255) for _ in range(6)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert "6" in _error(path, max_pages=5).message.en


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + b"garbage " * 200,
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    ],
)
def test_corrupted_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    err = _error(path)
    assert "壊れて" in err.message.ja or "途中で切れて" in err.message.ja


def test_huge_pdf_page_is_rendered_capped(tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    path.write_bytes(_text_pdf(media=b"0 0 14400 14400"))  # 200 × 200 inches
    page = load([path])[0]
    assert page.image.width * page.image.height <= loader.MAX_PDF_PAGE_PIXELS
    assert page.text_words is not None and page.text_words[0].text == "Order"


def test_cancel_between_pages(tmp_path: Path) -> None:
    path = tmp_path / "three.tif"
    frames = [Image.new("L", (8, 8), 255) for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        load([path], cancel=cancel)


def test_load_file_matches_load(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("L", (8, 8), 255).save(path)
    page = load_file(path)[0]
    assert page.image.mode == "L" and page.source == str(path)


# -- never a traceback ------------------------------------------------------------------

_MAGIC = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"%PDF-1.4\n", b"II*\x00", b"MM\x00*",
          b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"BM", b"\x00\x00\x00\x18ftypheic"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    magic=st.sampled_from(_MAGIC),
    body=st.binary(max_size=600),
    suffix=st.sampled_from([".png", ".pdf", ".jpg", ".heic"]),
)
def test_random_bytes_never_raise_anything_else(
    tmp_path: Path, magic: bytes, body: bytes, suffix: str
) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(magic + body)
    try:
        pages = load([path])
    except InputError as err:
        assert err.source == str(path)
        assert err.message.ja and err.message.en
    else:  # a few headers can describe a tiny valid image
        assert all(p.image.mode in ("RGB", "L") for p in pages)
    finally:
        os.remove(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="POSIX pipes and devices")
def test_pipes_and_devices_are_refused_at_once_by_check_and_bundle(tmp_path: Path) -> None:
    """A FIFO would wait for a writer for ever, /dev/zero would fill the memory."""
    from receipt_assistant.core.bundle import _read_original

    fifo = tmp_path / "slip.jpg"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        start = time.monotonic()
        with pytest.raises(InputError) as err:
            loader.load_file(str(path))
        assert "device or a pipe" in err.value.message.en
        with pytest.raises(InputError) as err:
            _read_original(path)
        assert "device or a pipe" in err.value.message.en
        assert time.monotonic() - start < 5


def test_one_receipt_has_a_bound_on_its_pixels_in_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_RECEIPT_PIXELS", 25_000)
    files = []
    for n in range(3):
        files.append(tmp_path / f"{n}.png")
        Image.new("RGB", (100, 100), "white").save(files[-1])
    assert len(load(files[:2])) == 2
    with pytest.raises(InputError) as err:
        load(files)
    assert "megapixels in all" in err.value.message.en and err.value.source == str(files[2])
