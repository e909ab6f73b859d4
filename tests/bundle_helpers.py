"""Building blocks for bundle tests: a phone photo with location tags and a finished reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from PIL import Image

from receipt_assistant.core import bundle
from receipt_assistant.core.api import Reading
from receipt_assistant.core.bundle import Declared, create_bundle
from receipt_assistant.core.model import Box, Check, Field, Fields, Message
from receipt_assistant.core.ocr import PageReading

D = dt.date
TODAY = D(2026, 11, 28)
DECLARED = Declared("store", 5000, D(2026, 11, 20), "山田 花子", "hanako@example.jp", "A-123")


def gps_jpeg(path: Path) -> bytes:
    """A photo as a phone saves it: turned by EXIF, with location and device tags."""
    rng = np.random.default_rng(1)
    img = Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turned
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (35.0, 41.0, 22.0), "E", (139.0, 41.0, 30.0)
    img.save(path, "JPEG", exif=exif, quality=90)
    return path.read_bytes()


def reading_for(paths: list[Path]) -> Reading:
    prepared = Image.new("L", (40, 30), 255)
    page = PageReading(str(paths[0]), 0, 0, (80, 60), [], prepared=prepared)
    return Reading(
        sources=[str(p) for p in paths],
        kind="store",
        fields=Fields(
            date=Field(D(2026, 11, 20), 0.9, "2026年11月20日", Box(1, 2, 3, 4)),
            amount=Field(5000, 0.8, "合計 ¥5,000", Box(5, 6, 7, 8)),
            gift_card=Field(True, 0.95, "ＡＭＡＺＯＮ ＰＯＳＡ", Box(9, 10, 11, 12)),
            store=Field("ローソン 新宿店", 0.7, "ローソン新宿店"),
        ),
        checks=[Check("amount_matches", True, Message("金額は一致しています。", "The amount matches."))],
        pages=[page],
    )


def make(tmp_path: Path, **kw: object) -> tuple[Path, bundle.BundleResult]:
    src = tmp_path / "photo.jpg"
    if not src.exists():
        gps_jpeg(src)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = create_bundle([src], kw.pop("declared", DECLARED), out, reading=reading_for([src]),  # type: ignore[arg-type]
                           today=TODAY, **kw)  # type: ignore[arg-type]
    return src, result


def bundle_file(tmp_path: Path, name: str, *, declared: Declared = DECLARED, photo: Path | None = None,
           order: str | None = None, gift: bool = True, **kw: object) -> Path:
    src = photo or tmp_path / f"{name}.jpg"
    if not src.exists():
        gps_jpeg(src)
    reading = reading_for([src])
    if order:
        reading.fields.order_number = Field(order, 0.9, order)
    if not gift:
        reading.fields.gift_card = Field(False, 0.0, "")
    out = tmp_path / "inbox"
    out.mkdir(exist_ok=True)
    return create_bundle([src], declared, out, reading=reading, today=TODAY, **kw).path  # type: ignore[arg-type]


def other_photo(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(path, quality=90)
    return path
