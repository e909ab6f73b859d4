"""Turn the files a customer brings into page images, safely.

Customers send whatever their phone or PC produced: screenshots (PNG), photos
(JPEG, HEIC), a receipt printed to PDF, sometimes a file with the wrong name
or one that was cut off while copying. Every such file either becomes a list
of :class:`Page` copies ready for reading, or an :class:`InputError` whose
message names the file and says what to do. Nothing else may escape: a
traceback in front of an upset customer is the worst outcome.

The format is decided from the file's first bytes, never from its name, and
only an allow-list of Pillow decoders is used, so a crafted file cannot reach
a decoder nobody meant to expose. The file is read once, read-only; the image
handed on is a converted copy, so the original bytes (the evidence) stay as
they were.
"""

from __future__ import annotations

import ctypes
import errno
import io
import math
import os
import stat
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps, features

from receipt_assistant.core.errors import Cancelled, InputError
from receipt_assistant.core.model import Box, Message, Word

if TYPE_CHECKING:
    import pypdfium2 as pdfium


@cache
def _heif_opener() -> None:
    """iPhones save photos as HEIC; Pillow reads them through pillow-heif (imported when one comes)."""
    import pillow_heif

    pillow_heif.register_heif_opener()

# A page may hold at most this many pixels. 60 MP covers a 48 MP phone photo
# with room to spare while keeping one RGB page under ~180 MB of memory.
MAX_PAGE_PIXELS = 60_000_000
# A rendered PDF page is capped lower: a receipt needs no more than A4 at
# ~300 dpi (8.7 MP); this only stops a crafted huge page from exhausting memory.
MAX_PDF_PAGE_PIXELS = 40_000_000
# Larger files are not receipts; reading them would only hang the assistant.
MAX_FILE_BYTES = 200 * 1024 * 1024
# Pages of one receipt, all its files together: an Amazon order's receipt
# runs to a few pages even with many items; each page costs ~26 MB to hold.
MAX_PAGES = 20
# And at most this many pixels in all (about 480 MB to hold): a dozen large
# phone photos, or twenty PDF pages, with room to spare.
MAX_RECEIPT_PIXELS = 160_000_000

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".webp", ".bmp", ".dib", ".tif", ".tiff",
     ".gif", ".heic", ".heif", ".hif", ".pdf"}
    | ({".avif"} if features.check("avif") else set())
)

# Sniffed kind -> the only Pillow decoders allowed for it. MPO is how Pillow
# names a JPEG with extra pictures (many cameras add a preview); the first
# picture is the photo.
_PILLOW_FORMATS: dict[str, list[str]] = {
    "png": ["PNG"],
    "jpeg": ["JPEG", "MPO"],
    "webp": ["WEBP"],
    "bmp": ["BMP"],
    "tiff": ["TIFF"],
    "gif": ["GIF"],
    "heif": ["HEIF"],
    "avif": ["AVIF"],
}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}


@dataclass
class Page:
    """One page image of a receipt, ready to be read."""

    source: str  # file path as given
    index: int  # page number within that file (0-based)
    image: Image.Image  # RGB or L, upright, alpha flattened on white; a copy
    # For PDF pages with a real text layer: its words in this image's pixels.
    text_words: list[Word] | None = None


# --------------------------------------------------------------------------
# format sniffing


def sniff_format(head: bytes) -> str | None:
    """The format named by a file's first bytes, or None if it is not one we read.

    Returns one of ``png jpeg webp bmp tiff gif heif avif pdf``. At least the
    first 1024 bytes should be given (a PDF header may follow some junk).
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in (
        12, 16, 40, 52, 56, 64, 108, 124
    ):
        return "bmp"
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        box = head[8 : max(16, min(size, len(head)))]
        brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}
        brands.discard(box[4:8])  # minor version, not a brand
        if brands & _HEIF_BRANDS - {b"mif1", b"msf1", b"mif2"}:
            return "heif"
        if brands & _AVIF_BRANDS:
            return "avif"
        if brands & _HEIF_BRANDS:
            return "heif"
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None


class NotAFile(OSError):
    """A pipe, a device or a socket: reading one could wait for ever or never end."""


class FileTooLarge(OSError):
    """A regular file over the limit; ``size`` is how large it is (or at least is)."""

    def __init__(self, path: str | Path, size: int) -> None:
        super().__init__(errno.EFBIG, "file too large", str(path))
        self.size = size


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Anything else is refused before a byte is read: a FIFO would wait for a
    writer, ``/dev/zero`` would fill the memory, a huge file would only be
    read to be refused.
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotAFile(errno.EINVAL, "not a regular file", str(path))
    if st.st_size > limit:
        raise FileTooLarge(path, st.st_size)
    # Non-blocking, so a file swapped for a FIFO since stat() cannot hang the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotAFile(errno.EINVAL, "not a regular file", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:  # grew since it was measured
        raise FileTooLarge(path, len(data))
    return data


# --------------------------------------------------------------------------
# messages


def _err(source: str, ja: str, en: str) -> InputError:
    return InputError(Message(ja=ja, en=en), source=source)


def _corrupt(source: str, exc: BaseException | None = None) -> InputError:
    text = str(exc).lower() if exc else ""
    if "truncated" in text or isinstance(exc, EOFError):
        return _err(
            source,
            "ファイルが途中で切れています。もう一度保存し直してください。",
            "The file is cut off. Please save it again.",
        )
    return _err(
        source,
        "ファイルが壊れているため開けません。もう一度保存するか、撮り直してください。",
        "The file is damaged and cannot be opened. Please save it again or take a new picture.",
    )


def _unsupported(source: str, data: bytes) -> InputError:
    """Say what the file seems to be, so the user knows what to send instead."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512]:
        if b"<svg" in head:
            return _err(
                source,
                "SVG 形式の画像は読めません。スクリーンショット（PNG）で送ってください。",
                "SVG images cannot be read. Please send a screenshot (PNG).",
            )
        return _err(
            source,
            "これはウェブページを保存したファイルで、画像ではありません。"
            "ページのスクリーンショットを撮るか、PDF に印刷して送ってください。",
            "This is a saved web page, not an image. Please take a screenshot of the page "
            "or print it to PDF.",
        )
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return _err(
            source,
            "SVG 形式の画像は読めません。スクリーンショット（PNG）で送ってください。",
            "SVG images cannot be read. Please send a screenshot (PNG).",
        )
    if data.startswith(b"PK\x03\x04"):
        return _err(
            source,
            "これは Word・Excel などの文書か ZIP ファイルで、画像ではありません。"
            "PDF に印刷するか、スクリーンショットを撮って送ってください。",
            "This is an office document or ZIP archive, not an image. Please print it to PDF "
            "or send a screenshot.",
        )
    if _looks_like_text(data[:4096]):
        return _err(
            source,
            "これは文字だけのファイル（テキスト）で、画像ではありません。"
            "レシートの写真かスクリーンショット、または PDF を選んでください。",
            "This is a text file, not an image. Please choose a photo or screenshot of the "
            "receipt, or a PDF.",
        )
    return _err(
        source,
        "この種類のファイルは読めません。PNG・JPEG・HEIC（iPhone の写真）・PDF のどれかで送ってください。",
        "This kind of file cannot be read. Please send a PNG, JPEG, HEIC (iPhone photo) "
        "or PDF file.",
    )


def _looks_like_text(chunk: bytes) -> bool:
    if not chunk or b"\x00" in chunk:
        return False
    for enc in ("utf-8", "shift_jis", "cp932", "euc_jp"):
        try:
            text = chunk.decode(enc)
        except UnicodeDecodeError:
            # the chunk may end inside a multi-byte character
            try:
                text = chunk[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(1, len(text))
    return False


def _too_large(source: str, width: int = 0, height: int = 0) -> InputError:
    if width <= 0 or height <= 0:
        return _err(
            source,
            "画像が大きすぎます。縮小して保存し直すか、スクリーンショットを撮って送ってください。",
            "The image is too large. Please save a smaller copy or send a screenshot.",
        )
    mp = width * height / 1e6
    return _err(
        source,
        f"画像が大きすぎます（{width}×{height}、約{mp:.0f}メガピクセル）。"
        "縮小して保存し直すか、スクリーンショットを撮って送ってください。",
        f"The image is too large ({width}×{height}, about {mp:.0f} megapixels). "
        "Please save a smaller copy or send a screenshot.",
    )


def _too_many_pages(source: str, count: int, max_pages: int) -> InputError:
    return _err(
        source,
        f"ページが多すぎます（{count}ページ、上限{max_pages}ページ）。"
        "必要なのはレシート（領収書）のページだけです。そのページだけを保存して送ってください。",
        f"Too many pages ({count}; at most {max_pages}). Only the receipt pages are needed: "
        "please save just those pages.",
    )


# --------------------------------------------------------------------------
# loading


def load(
    paths: Sequence[str | Path],
    *,
    max_pages: int = MAX_PAGES,
    pdf_dpi: int = 200,
    cancel: Callable[[], bool] | None = None,
) -> list[Page]:
    """Load several files as the pages of one receipt, in the given order.

    ``Word.page`` of text-layer words is set to the page's position in the
    returned list, the numbering the reader uses for a whole receipt.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise InputError(
            Message(ja="ファイルが選ばれていません。レシートの画像か PDF を選んでください。",
                    en="No file was chosen. Please choose an image or PDF of the receipt.")
        )
    pages: list[Page] = []
    for path in paths:
        _check_cancel(cancel)
        left = max_pages - len(pages)
        loaded = load_file(path, max_pages=max_pages, pdf_dpi=pdf_dpi, cancel=cancel)
        if len(loaded) > left:
            raise _too_many_pages(str(path), len(pages) + len(loaded), max_pages)
        for page in loaded:
            if page.text_words is not None:
                n = len(pages)
                page.text_words = [replace(w, page=n) for w in page.text_words]
            pages.append(page)
        total = sum(p.image.width * p.image.height for p in pages)
        if total > MAX_RECEIPT_PIXELS:
            raise _err(
                str(path),
                f"画像が多すぎるか大きすぎて、一度に読み取れません（合計 約{total / 1e6:.0f} メガピクセル）。"
                "レシートが写っている画像だけを選んでください。",
                f"Too many or too large images to read at once (about {total / 1e6:.0f} megapixels in all). "
                "Choose only the images that show the receipt.",
            )
    return pages


def load_file(
    path: str | Path,
    *,
    max_pages: int = MAX_PAGES,
    pdf_dpi: int = 200,
    cancel: Callable[[], bool] | None = None,
) -> list[Page]:
    """Load one file (an image, a multi-page TIFF or a PDF) as page images."""
    if not 36 <= pdf_dpi <= 1200:
        raise ValueError(f"pdf_dpi out of range: {pdf_dpi}")
    source = str(path)
    data = _read(source)
    kind = sniff_format(data[:1024])
    if kind is None:
        raise _unsupported(source, data)
    if kind == "pdf":
        return _load_pdf(source, data, max_pages=max_pages, dpi=pdf_dpi, cancel=cancel)
    if kind == "avif" and not features.check("avif"):
        raise _unsupported(source, data)
    if kind == "heif":
        _heif_opener()
    return _load_image(source, data, kind, max_pages=max_pages, cancel=cancel)


def _check_cancel(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled(Message(ja="読み込みを中止しました。", en="Loading was cancelled."))


def _read(source: str) -> bytes:
    """Read the whole file once, read-only, turning OS errors into plain messages."""
    p = Path(source)
    try:
        data = read_regular(p, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise _err(
            source,
            f"ファイルが大きすぎます（約{exc.size / 1024 / 1024:.0f}MB）。"
            "レシートのページだけを、小さめに保存して送ってください。",
            f"The file is too large (about {exc.size / 1024 / 1024:.0f} MB). Please save "
            "only the receipt pages, at a smaller size.",
        ) from None
    except IsADirectoryError:
        raise _err(
            source,
            "これはフォルダです。フォルダの中のレシートの画像ファイルを選んでください。",
            "This is a folder. Please choose the receipt image file inside it.",
        ) from None
    except NotAFile:
        raise _err(
            source,
            "これは画像のファイルではなく、機器やパイプです。レシートの画像ファイルを選んでください。",
            "This is not a file but a device or a pipe. Please choose the receipt image file.",
        ) from None
    except FileNotFoundError:
        raise _err(
            source,
            "ファイルが見つかりません。移動・削除されていないか確かめて、もう一度選んでください。",
            "The file was not found. Check that it was not moved or deleted, and choose it again.",
        ) from None
    except PermissionError:
        raise _err(
            source,
            "ファイルを開く権限がありません。デスクトップなどにコピーしてから選んでください。",
            "There is no permission to open the file. Copy it to the desktop first, "
            "then choose the copy.",
        ) from None
    except OSError as exc:
        raise _err(
            source,
            f"ファイルを読めませんでした（{exc.strerror or exc}）。もう一度選んでください。",
            f"The file could not be read ({exc.strerror or exc}). Please choose it again.",
        ) from None
    if not data:
        raise _err(
            source,
            "ファイルが空です（0バイト）。保存に失敗しています。もう一度保存し直してください。",
            "The file is empty (0 bytes); saving failed. Please save it again.",
        )
    return data


# -- images -----------------------------------------------------------------


def _load_image(
    source: str, data: bytes, kind: str, *, max_pages: int, cancel: Callable[[], bool] | None
) -> list[Page]:
    try:
        with warnings.catch_warnings():
            # Decoder chatter about odd metadata must not decide anything, but a
            # decompression bomb must stop here, not just warn.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind]) as im:
                return _decode_frames(source, im, kind, max_pages=max_pages, cancel=cancel)
    except (InputError, Cancelled):
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        w, h = _header_size(data)
        raise _too_large(source, w, h) from None
    except Image.UnidentifiedImageError:
        raise _corrupt(source) from None
    except MemoryError:
        raise _err(
            source,
            "画像が大きすぎて開けません。縮小して保存し直してください。",
            "The image is too large to open. Please save a smaller copy.",
        ) from None
    except Exception as exc:  # decoders raise many types on bad data
        raise _corrupt(source, exc) from None


def _header_size(data: bytes) -> tuple[int, int]:
    """Width and height claimed by a PNG header, for the 'too large' message."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0, 0


def _decode_frames(
    source: str,
    im: Image.Image,
    kind: str,
    *,
    max_pages: int,
    cancel: Callable[[], bool] | None,
) -> list[Page]:
    n_frames = getattr(im, "n_frames", 1) or 1
    if kind == "tiff":
        if n_frames > max_pages:
            raise _too_many_pages(source, n_frames, max_pages)
        frames = range(n_frames)
    else:
        if n_frames > 1 and kind in ("png", "webp", "gif"):
            raise _err(
                source,
                "動く画像（アニメーション）は読めません。"
                "レシートが止まって写っているスクリーンショットか写真を送ってください。",
                "Animated images cannot be read. Please send a still screenshot or photo "
                "of the receipt.",
            )
        # JPEG/MPO previews and HEIF extra images are not pages: the first is the photo.
        frames = range(1)

    pages: list[Page] = []
    for i in frames:
        _check_cancel(cancel)
        if i:
            im.seek(i)
        w, h = im.size
        if w < 1 or h < 1:
            raise _corrupt(source)
        if w * h > MAX_PAGE_PIXELS:
            if not fit_pixels(im):
                raise _too_large(source, w, h)
        im.load()
        pages.append(Page(source=source, index=i, image=_normalize(im), text_words=None))
    return pages


def fit_pixels(im: Image.Image) -> bool:
    """Whether ``im`` decodes within the page limit, letting a huge JPEG decode at 1/2, 1/4 or 1/8 size.

    ``verify`` asks the same of a bundle's images, so what one reads the other accepts.
    """
    if im.size[0] * im.size[1] <= MAX_PAGE_PIXELS:
        return True
    if im.format not in ("JPEG", "MPO"):
        return False
    w, h = im.size
    factor = math.sqrt(w * h / MAX_PAGE_PIXELS)
    reduce = next((r for r in (2, 4, 8) if r >= factor), None)
    if reduce is None:
        return False
    # draft() picks the strongest reduction that still gives at least the asked size
    im.draft(im.mode if im.mode in ("RGB", "L") else "RGB", (math.ceil(w / reduce), math.ceil(h / reduce)))
    return im.size[0] * im.size[1] <= MAX_PAGE_PIXELS


def _normalize(im: Image.Image) -> Image.Image:
    """An upright RGB or L copy with any transparency flattened onto white.

    One copy only: a 12 MP photo's pixels are 36 MB, copied in 25 ms.
    """
    try:
        upright = ImageOps.exif_transpose(im)
    except Exception:  # a damaged EXIF block must not lose the picture
        upright = None
    return _to_rgb_or_l(im) if upright is None else _to_rgb_or_l(upright, copy=False)


def _to_rgb_or_l(im: Image.Image, *, copy: bool = True) -> Image.Image:
    mode = im.mode
    if mode in ("RGB", "L"):
        return im.copy() if copy else im
    if mode == "1":
        return im.convert("L")
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _high_depth_to_l(im)
    if mode == "P":
        if "transparency" in im.info:
            return _flatten(im.convert("RGBA"))
        return im.convert("RGB")
    if mode == "PA":
        return _flatten(im.convert("RGBA"))
    if mode in ("RGBA", "RGBa", "LA", "La"):
        return _flatten(im)
    if mode == "CMYK":
        return im.convert("RGB")
    try:
        return im.convert("RGB")
    except ValueError:
        # modes such as RGB;16 have no direct path; go through numpy
        arr = np.asarray(im)
        if arr.dtype != np.uint8:
            arr = (arr.astype(np.float64) / 257.0).round().clip(0, 255).astype(np.uint8)
        if arr.ndim == 3 and arr.shape[2] >= 3:
            return Image.fromarray(np.ascontiguousarray(arr[:, :, :3]))
        return Image.fromarray(np.ascontiguousarray(arr.reshape(arr.shape[0], arr.shape[1])))


def _high_depth_to_l(im: Image.Image) -> Image.Image:
    """16-bit and 32-bit gray to 8-bit by scaling, not by clipping at 255."""
    arr = np.asarray(im).astype(np.float64)
    if not np.isfinite(arr).all():
        arr = np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
    lo, hi = float(arr.min()), float(arr.max())
    if im.mode == "F" or lo < 0 or hi > 65535:
        out = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
    elif hi <= 255 and im.mode == "I":
        out = arr
    else:
        out = arr / 257.0
    return Image.fromarray(out.round().clip(0, 255).astype(np.uint8), mode="L")


def _flatten(im: Image.Image) -> Image.Image:
    """Composite onto white: transparent parts of a screenshot are paper, not ink."""
    if im.mode in ("LA", "La"):
        la = im.convert("LA")
        base = Image.new("L", la.size, 255)
        base.paste(la.getchannel("L"), mask=la.getchannel("A"))
        return base
    rgba = im.convert("RGBA")
    base = Image.new("RGB", rgba.size, (255, 255, 255))
    base.paste(rgba.convert("RGB"), mask=rgba.getchannel("A"))
    return base


# -- PDF --------------------------------------------------------------------


def _load_pdf(
    source: str, data: bytes, *, max_pages: int, dpi: int, cancel: Callable[[], bool] | None
) -> list[Page]:
    import pypdfium2 as pdfium  # PDFs are few: the library loads when one comes
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise _err(
                source,
                "この PDF にはパスワードがかかっているため開けません。"
                "パスワードを外すか、PDF を開いて「PDF に印刷」し直したものを送ってください。",
                "This PDF is password-protected and cannot be opened. Please remove the "
                "password, or open it and print it to PDF again.",
            ) from None
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise _err(
                source,
                "この PDF は保護（暗号化）されているため開けません。"
                "PDF を開いて「PDF に印刷」し直したものを送ってください。",
                "This PDF is protected (encrypted) and cannot be opened. Please open it and "
                "print it to PDF again.",
            ) from None
        raise _corrupt(source, exc) from None
    except Exception as exc:  # never a traceback for a bad file
        raise _corrupt(source, exc) from None
    try:
        n = len(pdf)
        if n < 1:
            raise _corrupt(source)
        if n > max_pages:
            raise _too_many_pages(source, n, max_pages)
        pages: list[Page] = []
        for i in range(n):
            _check_cancel(cancel)
            pages.append(_render_pdf_page(source, pdf, i, dpi))
        return pages
    except (InputError, Cancelled):
        raise
    except MemoryError:
        raise _err(
            source,
            "PDF のページが大きすぎて開けません。レシートのページだけを印刷し直してください。",
            "A PDF page is too large to open. Please print only the receipt pages again.",
        ) from None
    except Exception as exc:  # pdfium raises on damaged pages
        raise _corrupt(source, exc) from None
    finally:
        pdf.close()


def _render_pdf_page(source: str, pdf: pdfium.PdfDocument, index: int, dpi: int) -> Page:
    page = pdf[index]
    try:
        w_pt, h_pt = page.get_size()
        if not (math.isfinite(w_pt) and math.isfinite(h_pt)) or w_pt <= 0 or h_pt <= 0:
            raise _corrupt(source)
        scale = dpi / 72.0
        # Cap the bitmap: a crafted page can claim to be kilometres wide.
        if w_pt * h_pt * scale * scale > MAX_PDF_PAGE_PIXELS:
            scale = 0.995 * math.sqrt(MAX_PDF_PAGE_PIXELS / (w_pt * h_pt))  # room for rounding up
        if max(w_pt, h_pt) * scale > 30000:
            scale = 30000 / max(w_pt, h_pt)
        if min(w_pt, h_pt) * scale < 1:
            raise _corrupt(source)
        bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=False)
        try:
            image = bitmap.to_pil().convert("RGB")  # convert() copies out of pdfium's buffer
        finally:
            bitmap.close()
        words = _text_layer_words(page, image.size, scale, index)
        return Page(source=source, index=index, image=image, text_words=words)
    finally:
        page.close()


def _text_layer_words(
    page: pdfium.PdfPage, size: tuple[int, int], scale: float, page_no: int
) -> list[Word] | None:
    """Words of the page's own text with boxes in the rendered image's pixels.

    PDFium gives characters, not words, so characters are grouped into runs:
    a run ends at whitespace, at a line change, or at a gap wider than most of
    a character. Japanese has no spaces, so a run is a phrase or table cell,
    which is also what Tesseract returns for Japanese.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return None
        width, height = size
        dx, dy = ctypes.c_int(), ctypes.c_int()

        def to_px(x: float, y: float) -> tuple[int, int]:
            pdfium_c.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, dx, dy)
            return dx.value, dy.value

        words: list[Word] = []
        chars: list[str] = []
        box: list[float] | None = None  # x0, y0, x1, y1 in pixels
        size_px = 0.0

        def flush() -> None:
            nonlocal chars, box
            text = "".join(chars).strip()
            if text and box is not None:
                x0, y0, x1, y1 = (round(v) for v in box)
                x0, y0 = max(0, x0), max(0, y0)
                x1, y1 = min(width, max(x1, x0 + 1)), min(height, max(y1, y0 + 1))
                if x1 > x0 and y1 > y0:
                    words.append(Word(text=text, box=Box(x0, y0, x1 - x0, y1 - y0), conf=1.0, page=page_no))
            chars, box = [], None

        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(textpage, i)
            ch = chr(code) if 0 < code < 0x110000 else ""
            # Spaces, line breaks and control codes (PDFium marks a line-end
            # hyphen as 0x02) separate words.
            if not ch or ch.isspace() or unicodedata.category(ch) == "Cc" or code in (0xFFFE, 0xFFFF):
                flush()
                continue
            try:
                left, bottom, right, top = textpage.get_charbox(i)
            except pdfium.PdfiumError:
                chars.append(ch)
                continue
            ax, ay = to_px(left, top)
            bx, by = to_px(right, bottom)
            cb = [min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)]
            font_px = pdfium_c.FPDFText_GetFontSize(textpage, i) * scale
            ref = max(font_px, cb[3] - cb[1], 1.0)
            if box is not None and chars:
                cy = (cb[1] + cb[3]) / 2
                same_line = box[1] - 0.3 * size_px <= cy <= box[3] + 0.3 * size_px
                gap = cb[0] - box[2]
                if not same_line or gap > 0.8 * max(size_px, ref) or gap < -0.5 * max(size_px, ref):
                    flush()
            if cb[2] - cb[0] <= 0 and cb[3] - cb[1] <= 0:
                # zero-size box (e.g. a generated char); keep the text, not the box
                chars.append(ch)
                continue
            if box is None:
                box = cb
                size_px = ref
            else:
                box = [min(box[0], cb[0]), min(box[1], cb[1]), max(box[2], cb[2]), max(box[3], cb[3])]
                size_px = max(size_px, ref)
            chars.append(ch)
        flush()
        return words or None
    finally:
        textpage.close()
