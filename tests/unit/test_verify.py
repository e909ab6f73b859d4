"""Verifying bundles that arrive from the internet: each hostile shape is refused with its reason."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_helpers import make
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from receipt_assistant.core.verify import MAX_ENTRIES, verify_bundle

Members = list[tuple[str, bytes]]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Members]:
    """A real bundle and its members, to be bent into hostile shapes."""
    _, result = make(tmp_path_factory.mktemp("good"))
    with zipfile.ZipFile(result.path) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    return result.path, members


def zip_of(path: Path, members: Members, tweak: Callable[[zipfile.ZipInfo], None] | None = None) -> Path:
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # duplicate names are one of the shapes tested
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if tweak:
                tweak(info)
            zf.writestr(info, data)
    return path


def manifest_of(members: Members) -> dict:
    return json.loads(dict(members)["manifest.json"])


def with_manifest(members: Members, manifest: dict) -> Members:
    data = json.dumps(manifest, ensure_ascii=False).encode()
    return [(n, data if n == "manifest.json" else d) for n, d in members]


def replace_member(members: Members, name: str, data: bytes, *, rehash: bool) -> Members:
    out = [(n, data if n == name else d) for n, d in members]
    if rehash:
        m = manifest_of(out)
        for f in m["files"]:
            if f["path"] == name:
                f["sha256"], f["size"] = hashlib.sha256(data).hexdigest(), len(data)
        out = with_manifest(out, m)
    return out


def original(members: Members) -> str:
    return next(n for n, _ in members if n.startswith("originals/"))


def huge_png() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buf, "PNG")  # 400 megapixels in a few KB
    return buf.getvalue()


def hostile(name: str) -> Callable[[Members], Members]:
    return lambda m: m + [(name, b"x")]


CASES: list[tuple[str, Callable[[Members], Members], str]] = [
    ("dot-dot", hostile("../evil.txt"), "unsafe_path"),
    ("dot-dot-inside", hostile("originals/../../evil.txt"), "unsafe_path"),
    ("absolute", hostile("/etc/evil"), "unsafe_path"),
    ("drive", hostile("C:/evil"), "unsafe_path"),
    ("backslash", hostile("originals\\..\\evil"), "unsafe_path"),
    ("duplicate", lambda m: m + [m[1]], "duplicate_names"),
    ("too-many", lambda m: m + [(f"junk/{i}", b"") for i in range(MAX_ENTRIES)], "too_many_entries"),
    ("not-json", lambda m: [(n, b"{not json" if n == "manifest.json" else d) for n, d in m], "bad_manifest"),
    ("nan", lambda m: [(n, b'{"schema": NaN}' if n == "manifest.json" else d) for n, d in m], "bad_manifest"),
    ("deep", lambda m: [(n, b"[" * 100_000 if n == "manifest.json" else d) for n, d in m], "bad_manifest"),
    ("wrong-schema", lambda m: with_manifest(m, {**manifest_of(m), "declared": {"route": "moon"}}), "bad_manifest"),
    ("unknown-version", lambda m: with_manifest(m, {**manifest_of(m), "schema_version": 99}), "unknown_schema"),
    ("no-manifest", lambda m: [(n, d) for n, d in m if n != "manifest.json"], "no_manifest"),
    ("changed-file", lambda m: replace_member(m, original(m), b"\xff\xd8\xff edited", rehash=False), "hash_mismatch"),
    ("missing-file", lambda m: [(n, d) for n, d in m if n != "ocr.json"], "missing_file"),
    ("extra-file", hostile("notes.txt"), "extra_file"),
    ("undecodable", lambda m: replace_member(m, original(m), b"\xff\xd8\xffjunk", rehash=True), "bad_image"),
    ("pixel-bomb", lambda m: replace_member(m, original(m), huge_png(), rehash=True), "bad_image"),
]


@pytest.mark.parametrize(("bend", "problem"), [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_hostile_bundles_are_refused_with_their_reason(good, tmp_path: Path, bend, problem: str) -> None:
    _, members = good
    path = zip_of(tmp_path / "hostile.receipt.zip", bend(members))
    v = verify_bundle(path)
    assert not v.intact
    assert problem in [p.id for p in v.problems]
    assert all(p.message.ja and p.message.en for p in v.problems)
    assert list(tmp_path.iterdir()) == [path]  # nothing was extracted


def test_a_symlink_entry_is_refused(good, tmp_path: Path) -> None:
    def as_link(info: zipfile.ZipInfo) -> None:
        if info.filename == "link":
            info.external_attr = (stat.S_IFLNK | 0o777) << 16

    path = zip_of(tmp_path / "b.zip", good[1] + [("link", b"/etc/passwd")], as_link)
    assert "symlink" in [p.id for p in verify_bundle(path).problems]


def test_an_encrypted_entry_is_refused(good, tmp_path: Path) -> None:
    path = zip_of(tmp_path / "b.zip", good[1])
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, struct.unpack_from("<H", data, central + 8)[0] | 1)
    path.write_bytes(bytes(data))
    v = verify_bundle(path)
    assert not v.intact and v.problems[0].id in ("encrypted", "not_a_bundle")


def test_a_highly_compressed_entry_is_a_zip_bomb(good, tmp_path: Path) -> None:
    path = zip_of(tmp_path / "b.zip", good[1] + [("zeros", bytes(8 << 20))])
    assert verify_bundle(path).problems[0].id == "zip_bomb"


def test_an_oversized_manifest_is_too_large_not_a_zip_bomb(good, tmp_path: Path) -> None:
    manifest = json.loads(dict(good[1])["manifest.json"])
    manifest["padding"] = " " * (3 << 20)  # 3 MB that compresses a thousand to one
    members = [(n, json.dumps(manifest).encode() if n == "manifest.json" else d) for n, d in good[1]]
    v = verify_bundle(zip_of(tmp_path / "fat.zip", members))
    assert v.problems[0].id == "entry_too_large" and "manifest.json" in v.problems[0].message.en


def test_a_gigabyte_claiming_bomb_is_refused_fast_without_allocating_it(good, tmp_path: Path) -> None:
    path = zip_of(tmp_path / "bomb.zip", good[1] + [("bomb", bytes(1024))])
    data = bytearray(path.read_bytes())
    claim = 1 << 30
    local = data.rfind(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, claim)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claim)
    path.write_bytes(bytes(data))
    tracemalloc.start()
    started = time.perf_counter()
    v = verify_bundle(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert v.problems[0].id == "entry_too_large"
    assert elapsed < 0.5
    assert peak < 64 << 20


def test_an_edited_manifest_changes_the_fingerprint(good, tmp_path: Path) -> None:
    path, members = good
    m = manifest_of(members)
    m["declared"]["amount"] = 50_000
    edited = verify_bundle(zip_of(tmp_path / "e.zip", with_manifest(members, m)))
    assert edited.intact  # consistent on its own...
    assert edited.fingerprint != verify_bundle(path).fingerprint  # ...but not what the customer sent


def test_not_a_zip_and_not_a_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.receipt.zip"
    junk.write_bytes(os.urandom(2000))
    assert verify_bundle(junk).problems[0].id == "not_a_bundle"
    assert verify_bundle(tmp_path / "absent.zip").problems[0].id == "unreadable"
    assert verify_bundle(tmp_path).problems[0].id == "unreadable"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_verify_never_raises_on_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "r.receipt.zip"
    path.write_bytes(data)
    assert not verify_bundle(path).intact


_NAMES = st.sampled_from(["manifest.json", "ocr.json", "summary.html", "originals/1-a.jpg", "../x", "a/b", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_NAMES, st.binary(max_size=300)), max_size=6),
       st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_verify_never_raises_on_random_zips(tmp_path: Path, members: list[tuple[str, bytes]], method: int) -> None:
    path = tmp_path / "z.receipt.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", method) as zf:
        warnings.simplefilter("ignore")
        for name, data in members:
            zf.writestr(name or "empty", data)
    assert not verify_bundle(path).intact


def test_a_missing_schema_is_the_apps_fault_never_the_bundles(good, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from receipt_assistant import cli
    from receipt_assistant.core import bundle
    from receipt_assistant.core.errors import EXIT_INSTALLATION, InstallationError

    path, _ = good
    assert verify_bundle(path).intact

    class Gone:
        def joinpath(self, name: str) -> Path:
            return Path("/nonexistent") / name

    monkeypatch.setattr(bundle.resources, "files", lambda package: Gone())
    with pytest.raises(InstallationError) as err:
        verify_bundle(path)
    assert "reinstall" in err.value.text("en")
    assert cli.main(["--lang", "en", "verify", str(path)]) == EXIT_INSTALLATION
    out = capsys.readouterr()
    assert "Please reinstall the app" in out.err and "damaged" not in out.out + out.err


def _with_manifest(path: Path, members: Members, change: Callable[[dict], None]) -> Path:
    manifest = json.loads(dict(members)["manifest.json"])
    change(manifest)
    return zip_of(path, [(n, json.dumps(manifest).encode() if n == "manifest.json" else d) for n, d in members])


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda m: m["declared"].update(purchase_date="2025-02-30"), "declared/purchase_date"),
        (lambda m: m["reading"]["fields"]["date"].update(value="2025-13-01"), "reading/fields/date/value"),
        (lambda m: m["declared"].update(purchase_date="0001-01-01"), "declared/purchase_date"),
        (lambda m: m["files"][0].update(corners=[[0, 0], [1e308, 0], [10, 10], [0, 10]]), "files/0/corners"),
        (lambda m: m["files"][0].update(corners=[[0, 0], [60001, 0], [10, 10], [0, 10]]), "files/0/corners"),
    ],
)
def test_values_the_schema_allows_but_make_no_sense_are_findings(good, tmp_path: Path, change, where: str) -> None:
    path, members = good
    v = verify_bundle(_with_manifest(tmp_path / "odd.receipt.zip", members, change), reread=True)
    assert not v.intact and v.problems[0].id == "bad_manifest" and where in v.problems[0].message.en


def test_a_64_megapixel_phone_photo_bundles_and_verifies(tmp_path: Path) -> None:
    """What bundle writes, verify accepts: the same pixel limit (a huge JPEG is read reduced)."""
    from bundle_helpers import bundle_file

    photo = tmp_path / "64mp.jpg"
    big = Image.new("RGB", (8000, 8000), "white")
    big.paste((30, 30, 30), (3000, 3000, 5000, 3100))
    big.save(photo, quality=80)
    del big
    v = verify_bundle(bundle_file(tmp_path, "big", photo=photo))
    assert v.intact, [p.message.en for p in v.problems]


def test_a_prepared_copy_over_the_page_limit_is_stored_within_it_and_verifies(tmp_path: Path) -> None:
    from bundle_helpers import DECLARED, TODAY, gps_jpeg, reading_for

    from receipt_assistant.core.bundle import create_bundle
    from receipt_assistant.core.loader import MAX_PAGE_PIXELS

    src = tmp_path / "scan.jpg"
    gps_jpeg(src)
    reading = reading_for([src])
    reading.pages[0].prepared = Image.new("L", (9000, 9000), 255)  # an enlarged 7000 × 8500 scan: 81 MP
    made = create_bundle([src], DECLARED, tmp_path, reading=reading, today=TODAY).path
    with zipfile.ZipFile(made) as zf:
        (name,) = [n for n in zf.namelist() if n.startswith("prepared/")]
        with Image.open(io.BytesIO(zf.read(name))) as stored:
            assert stored.width * stored.height <= MAX_PAGE_PIXELS
    assert verify_bundle(made).intact
