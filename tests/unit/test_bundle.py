"""Writing bundles: contents, metadata removal, atomic and never-overwriting writes.

These tests hand create_bundle a finished reading, so they need no Tesseract;
tests/test_bundle_cli.py runs the whole path with the real one.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from bundle_helpers import DECLARED, TODAY, D, gps_jpeg, make, reading_for
from PIL import Image

from receipt_assistant.core import bundle
from receipt_assistant.core.bundle import BundleError, Correction, Declared, Override, create_bundle
from receipt_assistant.core.verify import verify_bundle


def test_a_bundle_holds_every_part_and_verifies_intact(tmp_path: Path) -> None:
    _, result = make(tmp_path,
                     corrections=[Correction("amount", 5000, 5500, "2026-11-28T10:00:00+09:00")],
                     overrides=[Override("blurred", "2026-11-28T10:01:00+09:00")])
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        summary = zf.read("summary.html").decode("utf-8")
        ocr = json.loads(zf.read("ocr.json"))
    assert names == {"manifest.json", "originals/1-photo.jpg", "prepared/page1-first.png", "ocr.json", "summary.html"}
    jsonschema.Draft202012Validator(bundle.schema()).validate(manifest)
    assert manifest["declared"] == {"route": "store", "amount": 5000, "purchase_date": "2026-11-20",
                                    "name": "山田 花子", "email": "hanako@example.jp", "reference": "A-123"}
    assert manifest["reading"]["fields"]["amount"]["value"] == 5000
    assert manifest["corrections"][0]["value_given"] == 5500  # kept apart from the value read
    assert manifest["overrides"][0]["problem"] == "blurred"
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert "山田 花子" in summary and "5,000円" in summary and "ローソン 新宿店" in summary
    assert ocr["passes"][0]["name"] == "first"

    v = verify_bundle(result.path)
    assert v.intact and v.problems == []
    assert v.fingerprint == result.fingerprint
    assert v.to_json()["read"]["amount"] == 5000


def test_the_name_carries_the_keys_a_person_searches_by(tmp_path: Path) -> None:
    _, result = make(tmp_path)
    name = result.path.name
    assert name.startswith("2026-11-20_5000yen_ローソン_新宿店_")
    assert name.endswith(".receipt.zip")


def test_fingerprint_is_short_readable_and_tied_to_the_manifest(tmp_path: Path) -> None:
    _, result = make(tmp_path)
    fp = result.fingerprint
    assert len(fp) == 14 and fp[4] == fp[9] == "-"
    assert not set(fp) & set("ILOU")  # no letters that read like digits
    with zipfile.ZipFile(result.path) as zf:
        assert bundle.fingerprint(zf.read("manifest.json")) == fp
    assert bundle.fingerprint(b"{}") != fp


def test_location_and_device_tags_are_removed_and_the_photo_kept(tmp_path: Path) -> None:
    src, result = make(tmp_path)
    original = src.read_bytes()
    with zipfile.ZipFile(result.path) as zf:
        stored = zf.read("originals/1-photo.jpg")
        entry = next(f for f in json.loads(zf.read("manifest.json"))["files"] if f["role"] == "original")
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert 0x8825 not in exif and 0x010F not in exif and 0x0110 not in exif
    assert exif.get(0x0112) == 6  # still turned the same way
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(stored))), np.asarray(Image.open(src)))
    assert entry["imported_sha256"] == hashlib.sha256(original).hexdigest()
    assert "exif:gps" in entry["metadata_removed"]
    assert src.read_bytes() == original  # the customer's file is untouched


def test_an_existing_bundle_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "x.receipt.zip"
    target.write_bytes(b"earlier bundle")
    with pytest.raises(BundleError) as err:
        bundle.write_atomically(target, [("manifest.json", b"{}")])
    assert "already exists" in err.value.message.en
    assert target.read_bytes() == b"earlier bundle"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(BundleError) as err:
        make(tmp_path)
    assert "disk is full" in err.value.message.en and "空き" in err.value.message.ja
    assert list((tmp_path / "out").iterdir()) == []
    assert (tmp_path / "photo.jpg").exists()


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(bundle.tempfile, "mkstemp", refused)
    with pytest.raises(BundleError) as err:
        make(tmp_path)
    assert "cannot be written" in err.value.message.en and "保存できません" in err.value.message.ja
    assert list((tmp_path / "out").iterdir()) == []


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    gps_jpeg(src)
    with pytest.raises(BundleError) as err:
        create_bundle([src], DECLARED, tmp_path / "nowhere", reading=reading_for([src]), today=TODAY)
    assert "does not exist" in err.value.message.en


@pytest.mark.parametrize(
    ("declared", "words"),
    [
        pytest.param(Declared("shop", 5000, D(2026, 11, 1)), "route", id="route"),
        pytest.param(Declared("store", 0, D(2026, 11, 1)), "amount", id="zero-yen"),
        pytest.param(Declared("store", 5000, D(2026, 12, 1)), "future", id="future-date"),
        pytest.param(Declared("store", 5000, D(2026, 11, 1), email="not-an-address"), "email", id="email"),
        pytest.param(Declared("store", 5000, D(2026, 11, 1), name="x" * 101), "name", id="long-name"),
        pytest.param(Declared("store", 5000, D(2026, 11, 1), reference="A\x00B"), "reference", id="control-char"),
    ],
)
def test_a_declaration_staff_could_not_use_is_refused(declared: Declared, words: str) -> None:
    with pytest.raises(BundleError) as err:
        bundle.validate_declared(declared, today=TODAY)
    assert words in err.value.message.en.lower()
    assert err.value.message.ja


_SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from receipt_assistant.core.bundle import write_atomically
    members = [(f"prepared/{i}.png", bytes(1 << 20)) for i in range(40)]
    write_atomically(Path(sys.argv[1]), members, cancel=lambda: time.sleep(0.05))
""")


@pytest.mark.parametrize("after_s", [0.3, 0.9, 1.5])
def test_a_writer_killed_mid_write_leaves_no_file_under_the_final_name(tmp_path: Path, after_s: float) -> None:
    target = tmp_path / "b.receipt.zip"
    child = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)])
    time.sleep(after_s)
    child.kill()
    child.wait()
    assert not target.exists()
    # what is left is only the hidden temporary file
    assert all(p.name.startswith(".") and p.name.endswith(".part") for p in tmp_path.iterdir())


def test_a_writer_left_alone_publishes_a_complete_zip(tmp_path: Path) -> None:
    target = tmp_path / "b.receipt.zip"
    subprocess.run([sys.executable, "-c", _SLOW_WRITER.replace("0.05", "0"), str(target)], check=True)
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None and len(zf.namelist()) == 40
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_the_summary_escapes_what_the_customer_and_ocr_wrote(tmp_path: Path) -> None:
    hostile = Declared("store", 5000, D(2026, 11, 20), name="<script>alert(1)</script>")
    _, result = make(tmp_path, declared=hostile)
    with zipfile.ZipFile(result.path) as zf:
        summary = zf.read("summary.html").decode("utf-8")
    assert "<script>" not in summary and "&lt;script&gt;alert(1)&lt;/script&gt;" in summary


def test_a_turn_the_customer_gave_is_recorded_and_the_original_kept(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    gps_jpeg(src)
    out = tmp_path / "out"
    out.mkdir()
    result = create_bundle([src], DECLARED, out, reading=reading_for([src]), today=TODAY,
                           turns={str(tmp_path / "." / "photo.jpg"): 450})
    entry = next(f for f in result.manifest["files"] if f["role"] == "original")
    assert entry["turned"] == 90
    assert verify_bundle(result.path).intact


def test_turned_pages_are_copies_and_text_layers_stay() -> None:
    from receipt_assistant.core.api import turned
    from receipt_assistant.core.loader import Page

    image = Image.new("RGB", (100, 50), "white")
    photo = Page("dir/./a.jpg", 0, image)
    pdf = Page("b.pdf", 0, image, text_words=[])
    out = turned([photo, pdf], {"dir/a.jpg": 90, "b.pdf": 90})
    assert out[0].image.size == (50, 100) and photo.image.size == (100, 50)
    assert out[1].image.size == (100, 50)


def test_corners_the_customer_placed_are_recorded(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    gps_jpeg(src)
    out = tmp_path / "out"
    out.mkdir()
    placed = [[1, 2], [70, 3], [71, 55], [2, 54]]
    result = create_bundle([src], DECLARED, out, reading=reading_for([src]), today=TODAY,
                           corners={str(src): placed})
    entry = next(f for f in result.manifest["files"] if f["role"] == "original")
    assert entry["corners"] == [[1.0, 2.0], [70.0, 3.0], [71.0, 55.0], [2.0, 54.0]]
    assert verify_bundle(result.path).intact


def test_every_kind_of_evidence_a_total_can_name_is_allowed_in_a_bundle() -> None:
    """A bundle whose total names evidence the schema does not know would be refused as damaged."""
    from receipt_assistant.core.fields.amount import EVIDENCE_WORDS

    def enums(node: object) -> list[list[str]]:
        if isinstance(node, dict):
            found = [node["evidence"]["items"]["enum"]] if isinstance(node.get("evidence"), dict) \
                and "enum" in node["evidence"].get("items", {}) else []
            return found + [e for v in node.values() for e in enums(v)]
        if isinstance(node, list):
            return [e for v in node for e in enums(v)]
        return []

    allowed = enums(bundle.schema())
    assert allowed and all(set(e) == set(EVIDENCE_WORDS) for e in allowed)
