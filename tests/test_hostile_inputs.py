"""Hostile and unlucky inputs end to end: nothing planted in a photo leaves in a bundle, a poisoned
bundle does not stop a staff batch."""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from bundle_helpers import DECLARED, TODAY, bundle_file, other_photo, reading_for
from PIL import Image

from receipt_assistant.core import review
from receipt_assistant.core.bundle import create_bundle

MARKER = b"N35.6586-E139.7454-SN-C39XK2LQ"
GPS_IFD = 0x8825
GPS_MAP_DATUM = 0x0012


def _exif_with_marker() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (35.0, 39.0, 31.0), GPS_MAP_DATUM: MARKER.decode()})
    exif[0x010F] = "Apple " + MARKER.decode()  # make
    return exif


def _picture() -> Image.Image:
    rng = np.random.default_rng(4)
    return Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def planted_jpeg(path: Path) -> Path:
    """GPS in the EXIF, a JFXX thumbnail with EXIF of its own, and a trailing image."""
    buf = io.BytesIO()
    _picture().save(buf, "JPEG", exif=_exif_with_marker())
    data = buf.getvalue()
    thumb = io.BytesIO()
    _picture().resize((16, 12)).save(thumb, "JPEG", exif=_exif_with_marker())
    jfxx = _segment(0xE0, b"JFXX\0\x10" + thumb.getvalue())
    path.write_bytes(data[:2] + jfxx + data[2:] + thumb.getvalue() + MARKER)
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def planted_png(path: Path) -> Path:
    """eXIf, tEXt, zTXt, iTXt, a C2PA caBX and a private chunk, each carrying the marker."""
    buf = io.BytesIO()
    _picture().save(buf, "PNG")
    data = buf.getvalue()
    exif = _exif_with_marker().tobytes()
    planted = b"".join([
        _chunk(b"eXIf", exif),
        _chunk(b"tEXt", b"Location\0" + MARKER),
        _chunk(b"zTXt", b"Location\0\0" + zlib.compress(MARKER)),
        _chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x>" + MARKER + b"</x>"),
        _chunk(b"caBX", b"c2pa " + MARKER),
        _chunk(b"prVt", MARKER),
    ])
    ihdr_end = 8 + 25
    path.write_bytes(data[:ihdr_end] + planted + data[ihdr_end:])
    return path


@pytest.mark.parametrize("make", [planted_jpeg, planted_png], ids=["jpeg", "png"])
def test_no_planted_byte_leaves_in_the_bundle(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    src = make(tmp_path / ("photo.jpg" if make is planted_jpeg else "shot.png"))
    assert MARKER in src.read_bytes()
    made = create_bundle([src], DECLARED, tmp_path, reading=reading_for([src]), today=TODAY).path
    raw = made.read_bytes()
    assert MARKER not in raw
    with zipfile.ZipFile(made) as zf:
        for name in zf.namelist():
            body = zf.read(name)
            assert MARKER not in body and zlib.compress(MARKER)[2:12] not in body, name
        manifest = json.loads(zf.read("manifest.json"))
    (original,) = [f for f in manifest["files"] if f["role"] == "original"]
    assert original["metadata_removed"]
    assert src.read_bytes().count(MARKER) >= 1  # the customer's own file is never modified


@pytest.mark.tesseract
@pytest.mark.xdist_group("tesseract")
def test_a_poisoned_bundle_does_not_stop_a_staff_batch_that_reads_again(tmp_path: Path) -> None:
    good = bundle_file(tmp_path, "good")
    other = bundle_file(tmp_path, "other", photo=other_photo(tmp_path / "o.jpg", 6), gift=False)
    poisoned = good.parent / "poisoned.receipt.zip"
    with zipfile.ZipFile(good) as zf, zipfile.ZipFile(poisoned, "w") as out:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "manifest.json":
                m = json.loads(data)
                m["declared"]["purchase_date"] = "2025-02-30"
                m["files"][0]["corners"] = [[0, 0], [1e308, 0], [1e308, 1e308], [0, 1e308]]
                data = json.dumps(m).encode()
            out.writestr(info.filename, data)
    store = review.Store(tmp_path / "db.sqlite3")
    entries = review.batch(good.parent, store, reread=True, jobs=2)
    out_csv = tmp_path / "record.csv"
    review.export_csv(entries, out_csv)
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(out_csv.read_bytes().decode("utf-8-sig")))}
    assert set(rows) == {good.name, other.name, poisoned.name}
    assert rows[poisoned.name]["verdict_id"] == "red" and rows[poisoned.name]["intact"] == "False"
    assert rows[good.name]["intact"] == "True"
    store.close()
