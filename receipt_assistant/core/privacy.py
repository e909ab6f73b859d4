"""Take location and device data out of a receipt photo before it is filed as evidence.

A phone photo carries where it was taken (GPS), which phone took it (make,
model, serial numbers, maker notes) and often more (XMP, IPTC, comments, a
thumbnail or a second picture). None of that proves a purchase, and an
evidence bundle must not hand it on. The pixels, on the other hand, are the
evidence: JPEG and PNG are therefore cleaned at the container level, so the
picture stays bit-for-bit what the customer sent. Formats whose metadata
cannot be cut out that way are decoded and saved again as lossless PNG.

The orientation survives (a picture must not turn sideways), and so does the
capture date (it can support the receipt's date). Everything taken out is
named in ``Cleaned.removed``, so a report can say exactly what happened. The
caller's bytes are never changed; a file that cannot be cleaned becomes an
:class:`InputError` asking for another copy, never a half-cleaned file.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import pillow_heif
from PIL import ExifTags, Image, ImageOps

from receipt_assistant.core.errors import InputError
from receipt_assistant.core.loader import sniff_format
from receipt_assistant.core.model import Message

pillow_heif.register_heif_opener()


@dataclass(frozen=True)
class Cleaned:
    """A copy safe to store, and an account of what was taken out of it."""

    data: bytes  # the bytes to store
    name: str  # file name to store under; its suffix changes only when converted
    removed: tuple[str, ...]  # sorted ids such as "exif:gps", "xmp", "png:text"
    converted: str | None  # e.g. "heif->png" when the pixels had to be re-encoded


_FAILED = Message(
    ja="このファイルから位置情報などの記録を取り除けませんでした。"
    "ファイルを保存し直すか、別のファイルに差し替えてください。",
    en="Location and other recorded data could not be removed from this file. "
    "Please save the file again or replace it with another file.",
)
_CUT_SHORT = Message(
    ja="この画像ファイルは終わりが欠けています（保存が途中で止まったようです）。"
    "元の画像から保存し直すか、スクリーンショットを撮り直してください。",
    en="This image file is cut short (saving it seems to have stopped part way). "
    "Save it again from the original, or take the screenshot again.",
)
_TOO_LARGE = Message(
    ja="画像が大きすぎるため、位置情報などの記録を取り除けませんでした。"
    "小さく保存し直すか、別のファイルに差し替えてください。",
    en="The image is too large to remove its location and other recorded data. "
    "Please save a smaller copy or replace it with another file.",
)

_ORIENTATION = 0x0112
_KEPT_DATES = (0x9003, 0x9011)  # DateTimeOriginal, OffsetTimeOriginal (in the Exif IFD)
_EXIF_KIND = {
    ExifTags.IFD.GPSInfo: "exif:gps",
    0x927C: "exif:maker_note",
    **dict.fromkeys((0xA420, 0xA430, 0xA431, 0xA435, 0xC62F), "exif:serial_numbers"),
    **dict.fromkeys((0x010F, 0x0110, 0x0131, 0xA433, 0xA434), "exif:device"),
}

# APPn segments decoders use (file type, colour profile, Adobe colour transform);
# every other APPn is metadata.
# Application segments kept: JFIF's header (its thumbnail cut off), the colour
# profile, and Adobe's colour transform. Everything else, JFXX thumbnails
# included (they carry EXIF of their own), is dropped.
_KEPT_APP = {0xE0: (b"JFIF\0",), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
# Segments that code the picture: frame headers (SOF0–SOF15 but DHT, JPG and
# DAC), Huffman and quantisation tables, arithmetic conditioning, restart
# interval, line count, expansion. Any other (JPG extensions 0xF0–0xFD) is dropped.
_JPEG_CODING = frozenset({*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD, 0xDF}) - {0xC8}
_XMP_PREFIXES = (b"http://ns.adobe.com/xap/1.0/\0", b"http://ns.adobe.com/xmp/extension/\0")
# In entropy-coded data FF00 is a stuffed FF, FFD0-FFD7 a restart and FFFF fill:
# the scan ends at the first FF followed by anything else.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"tEXt": "png:text", b"iTXt": "png:text", b"zTXt": "png:text", b"tIME": "png:time"}
# The only chunks copied: those that make the picture and how it is shown. Any
# other (C2PA's caBX, a private chunk holding a location) is dropped.
_PNG_KEPT = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"bKGD", b"pHYs", b"cICP"}

# Formats cleaned by re-encoding -> the only Pillow decoder allowed for each.
_CONVERTED = {"webp": "WEBP", "tiff": "TIFF", "gif": "GIF", "heif": "HEIF", "avif": "AVIF"}
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "P", "RGB", "RGBA"}
_KEPT_INFO = ("icc_profile", "transparency")


def clean_metadata(data: bytes, name: str) -> Cleaned:
    """A copy of ``data`` without location or device data, for the evidence bundle.

    Raises :class:`InputError` (and nothing else) when the file cannot be
    cleaned, so no file whose metadata is unknown is ever stored.
    """
    try:
        with warnings.catch_warnings():
            # Decoder chatter about odd metadata decides nothing; a bomb must stop here.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _clean(data, name)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(_TOO_LARGE, source=name) from None
    except TruncatedImage:
        raise InputError(_CUT_SHORT, source=name) from None
    except Exception:  # parsers and decoders raise many types on bad data
        raise InputError(_FAILED, source=name) from None


def _clean(data: bytes, name: str) -> Cleaned:
    fmt = sniff_format(data[:1024])
    if fmt in ("bmp", "pdf"):  # no image metadata to speak of
        return Cleaned(data, name, (), None)
    if fmt in _CONVERTED:
        return _to_png(data, name, fmt)
    if fmt == "jpeg":
        cleaned, removed = _clean_jpeg(data)
    elif fmt == "png":
        cleaned, removed = _clean_png(data)
    else:
        raise ValueError(f"not a format that can be cleaned: {fmt}")
    # Untouched files stay byte-identical, so their hashes keep matching the originals.
    return Cleaned(cleaned if removed else data, name, tuple(sorted(removed)), None)


# -- EXIF --------------------------------------------------------------------


def _exif_kinds(exif: Image.Exif, kept: set[int]) -> set[str]:
    """What a block of EXIF holds beyond the ``kept`` tags, by kind."""
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    tags = (set(exif) | set(sub)) - kept
    if sub:  # a pointer to a readable Exif IFD is structure; to an unreadable one, data
        tags.discard(ExifTags.IFD.Exif)
    return {_EXIF_KIND.get(tag, "exif:other") for tag in tags}


def _minimal_exif(payload: bytes) -> tuple[bytes | None, set[str]]:
    """A new EXIF block (``Exif\\0\\0``-prefixed) with only orientation and capture
    date, or None when there is neither; and what the old block held besides."""
    old = Image.Exif()
    old.load(payload)
    new = Image.Exif()
    orientation = old.get(_ORIENTATION)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        new[_ORIENTATION] = orientation
    sub = old.get_ifd(ExifTags.IFD.Exif)
    dates = {tag: sub[tag] for tag in _KEPT_DATES if isinstance(sub.get(tag), str)}
    if dates:
        new.get_ifd(ExifTags.IFD.Exif).update(dates)
    removed = _exif_kinds(old, kept=set(new) | set(dates))
    if old.get_ifd(ExifTags.IFD.IFD1):  # not asked in _to_png: in a TIFF, IFD1 is page 2
        removed.add("exif:thumbnail")
    if not (new or dates):  # an empty or unreadable block goes as well
        return None, removed or {"exif:other"}
    return new.tobytes(), removed


# -- JPEG --------------------------------------------------------------------


def _clean_jpeg(data: bytes) -> tuple[bytes, set[str]]:
    """Rewrite the marker segments; scans are copied verbatim, so pixels stay identical."""
    out, removed, pos, scans = [data[:2]], set(), 2, 0
    while True:
        while data[pos : pos + 2] == b"\xff\xff":  # fill bytes before a marker
            pos += 1
        if pos >= len(data):
            raise TruncatedImage("JPEG ends without its end marker")
        if data[pos : pos + 1] != b"\xff" or pos + 2 > len(data):
            raise ValueError(f"no JPEG marker at {pos}")
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        if marker < 0xC0 or marker == 0xD8 or pos + 4 > len(data):
            raise ValueError(f"bad JPEG marker at {pos}")
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end < pos + 4 or end > len(data):
            raise TruncatedImage(f"JPEG segment at {pos} is cut off")
        if marker == 0xDA:  # SOS: the entropy-coded data follows the header
            scans += 1
            scan_end = _SCAN_END.search(data, end)
            if scan_end is None:
                raise TruncatedImage("JPEG scan is cut off")
            end = scan_end.start()
            out.append(data[pos:end])
        else:
            segment, found = _jpeg_segment(marker, data[pos:end])
            out.append(segment)
            removed |= found
        pos = end
    if not scans:
        raise ValueError("JPEG without image data")
    out.append(b"\xff\xd9")
    if pos + 2 < len(data):  # MPF second pictures, appended files
        removed.add("jpeg:trailing_data")
    return b"".join(out), removed


def _jpeg_segment(marker: int, segment: bytes) -> tuple[bytes, set[str]]:
    """The bytes to write in place of one segment, and what that removes."""
    payload = segment[4:]
    if marker == 0xE1 and payload.startswith(b"Exif\0\0"):
        exif, removed = _minimal_exif(payload)
        if not removed:
            return segment, set()
        return (_jpeg_app(0xE1, exif) if exif else b""), removed
    if marker == 0xE1 and payload.startswith(_XMP_PREFIXES):
        return b"", {"xmp"}
    if marker == 0xED:
        return b"", {"iptc"}
    if marker == 0xFE:
        return b"", {"jpeg:comment"}
    if marker == 0xE0 and payload.startswith(b"JFIF\0") and len(payload) > 14:
        # JFIF's own header is 14 bytes; what follows is a thumbnail's pixels.
        return _jpeg_app(0xE0, payload[:12] + b"\0\0"), {"jpeg:thumbnail"}
    if 0xE0 <= marker <= 0xEF and not payload.startswith(_KEPT_APP.get(marker, ())):
        return b"", {"jpeg:other_segment"}
    if not 0xE0 <= marker <= 0xEF and marker not in _JPEG_CODING:
        return b"", {"jpeg:other_segment"}
    return segment, set()


def _jpeg_app(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


# -- PNG ---------------------------------------------------------------------


class TruncatedImage(ValueError):
    """The file stops before the image's end: saving it was cut short."""


def _clean_png(data: bytes) -> tuple[bytes, set[str]]:
    """Copy the chunks that make the picture byte for byte (an EXIF chunk cut down); drop every other."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG signature")
    out, removed, pos = [_PNG_SIGNATURE], set(), len(_PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise TruncatedImage(f"PNG ends at {pos} without IEND")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        body = data[pos + 8 : end - 4]
        if (
            length >= 2**31
            or end > len(data)
            or not kind.isalpha()
            or zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big")
        ):
            raise ValueError(f"broken PNG chunk at {pos}")
        chunk = data[pos:end]
        if kind in _PNG_DROPPED:
            removed.add(_PNG_DROPPED[kind])
            chunk = b""
        elif kind == b"eXIf":
            exif, found = _minimal_exif(body)
            if found:
                removed |= found
                chunk = _png_chunk(b"eXIf", exif[6:]) if exif else b""
        elif kind not in _PNG_KEPT:
            removed.add("png:other_chunk")
            chunk = b""
        out.append(chunk)
        pos = end
        if kind == b"IEND":
            break
    if pos < len(data):  # e.g. the uncropped screenshot left behind by some editors
        removed.add("png:trailing_data")
    return b"".join(out), removed


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# -- formats that are re-encoded -----------------------------------------------


def _to_png(data: bytes, name: str, fmt: str) -> Cleaned:
    """Decode the first picture, turn it upright and save it as lossless PNG.

    Only the ICC profile and transparency are carried over: they change how the
    pixels look, nothing else in the old file does.
    """
    with Image.open(io.BytesIO(data), formats=[_CONVERTED[fmt]]) as img:
        removed = {"metadata"} | _exif_kinds(img.getexif(), kept={_ORIENTATION})
        if img.info.get("xmp"):
            removed.add("xmp")
        if getattr(img, "n_frames", 1) > 1:
            removed.add("extra_frames")
        img.load()
        picture = ImageOps.exif_transpose(img)
    params = {}
    if picture.mode in _PNG_MODES:
        params = {key: picture.info[key] for key in _KEPT_INFO if key in picture.info}
    else:  # e.g. CMYK; a profile for the old mode would be wrong for the new one
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    picture.info = {}
    buf = io.BytesIO()
    picture.save(buf, "PNG", **params)
    stored = str(PurePath(name).with_suffix(".png")) if PurePath(name).name else name + ".png"
    return Cleaned(buf.getvalue(), stored, tuple(sorted(removed)), f"{fmt}->png")
