"""Verifying a bundle: is it intact, and what does it prove?

A bundle arrives from the internet, so it is untrusted input. Nothing is
extracted to disk (except originals copied into a private temporary folder
to be read again); members are read into memory by an allow-list of names the
manifest gives, each bounded by a size the ZIP's own directory declares and
that is itself limited, so a ZIP bomb is refused before anything is
decompressed. Every way a bundle can be wrong becomes a problem with an id
and a sentence in Japanese and English; nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import stat
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image

from receipt_assistant.core.bundle import MANIFEST, SCHEMA_ID, SCHEMA_VERSION, fingerprint, schema
from receipt_assistant.core.loader import fit_pixels
from receipt_assistant.core.model import FIELD_NAMES, Message
from receipt_assistant.core.ocr import OcrEngine

MAX_BUNDLE_BYTES = 600 * 1024 * 1024
MAX_ENTRIES = 200
MAX_ENTRY_BYTES = 150 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text compresses ~10x, images ~1x
MAX_CORNER = 60_000  # pixels: no side of an image the app reads is longer


@dataclass
class Finding:
    id: str
    message: Message

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {"id": self.id, "message": self.message.text(lang), "message_ja": self.message.ja,
                "message_en": self.message.en}


@dataclass
class Difference:
    field: str
    in_bundle: Any
    today: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "in_bundle": self.in_bundle, "today": self.today}


@dataclass
class Verification:
    """What one bundle is: intact or not (and why), and what it says."""

    path: str
    intact: bool = False
    problems: list[Finding] = field(default_factory=list)
    fingerprint: str | None = None
    manifest: dict[str, Any] | None = None
    reread: list[Difference] | None = None  # None when not asked for
    reread_error: Message | None = None  # why the images could not be read again
    # The members that passed every check, by name (kept only when asked for).
    members: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Intact, and (when read again) today's reading agrees with the bundle."""
        return self.intact and not self.reread and self.reread_error is None

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        m = self.manifest or {}
        reading = m.get("reading") or {}
        return {
            "path": self.path,
            "intact": self.intact,
            "ok": self.ok,
            "problems": [p.to_json(lang) for p in self.problems],
            "fingerprint": self.fingerprint,
            "bundle_id": m.get("bundle_id"),
            "created_at": m.get("created_at"),
            "schema_version": m.get("schema_version"),
            "app_version": (m.get("app") or {}).get("version"),
            "tesseract": m.get("tesseract"),
            "declared": m.get("declared"),
            "kind": reading.get("kind"),
            "read": {k: v.get("value") for k, v in (reading.get("fields") or {}).items()},
            "amount_evidence": list(((reading.get("fields") or {}).get("amount") or {}).get("evidence") or []),
            "checks": reading.get("checks"),
            "corrections": m.get("corrections"),
            "overrides": m.get("overrides"),
            "files": [{k: f.get(k) for k in ("path", "role", "metadata_removed", "converted") if k in f}
                      for f in m.get("files", [])],
            "reread": None if self.reread is None else [d.to_json() for d in self.reread],
            "reread_error": self.reread_error.text(lang) if self.reread_error else None,
        }


def _finding(fid: str, ja: str, en: str) -> Finding:
    return Finding(fid, Message(ja, en))


class _Reject(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message.en)
        self.finding = finding


def verify_bundle(path: str | Path, *, reread: bool = False, engine: OcrEngine | None = None,
                  reference: dt.date | None = None, keep_members: bool = False) -> Verification:
    """Check one bundle file; with ``reread`` read its originals again and compare.

    ``keep_members`` keeps the bytes of every member that passed its checks
    (the review tool hashes the images to find the same receipt twice).
    """
    result = Verification(str(path))
    # The app's own schema first, outside the checks of the bundle: without
    # it nothing can be judged, and that is no fault of the bundle.
    manifest_schema = schema()
    try:
        members, manifest_bytes, manifest = _open(Path(path), result, manifest_schema)
    except _Reject as exc:
        result.problems.insert(0, exc.finding)
        return result
    result.intact = not result.problems
    if reread and manifest is not None:
        _reread(members, manifest, result, engine, reference)
    if keep_members:
        result.members = members
    return result


def _open(path: Path, result: Verification,
          manifest_schema: dict[str, Any]) -> tuple[dict[str, bytes], bytes, dict[str, Any]]:
    try:
        size = path.stat().st_size
    except OSError:
        raise _Reject(_finding("unreadable", "ファイルを開けません。", "The file cannot be opened.")) from None
    if not path.is_file():
        raise _Reject(_finding("unreadable", "ファイルではありません。", "This is not a file."))
    if size > MAX_BUNDLE_BYTES:
        raise _Reject(_finding("too_large", "ファイルが大きすぎます。", "The file is too large to be a bundle."))
    try:
        data = path.read_bytes()
    except OSError:
        raise _Reject(_finding("unreadable", "ファイルを読めません。", "The file cannot be read.")) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we report them
            zf = zipfile.ZipFile(io.BytesIO(data))
            with zf:
                infos = zf.infolist()
                _check_directory(infos)
                manifest_bytes = _read_member(zf, _by_name(infos)[MANIFEST], MAX_MANIFEST_BYTES)
                manifest = _parse_manifest(manifest_bytes, manifest_schema)
                result.manifest = manifest
                result.fingerprint = fingerprint(manifest_bytes)
                members = _read_files(zf, infos, manifest, result)
    except _Reject:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, IndexError,
            NotImplementedError, RuntimeError, zlib.error, OverflowError, UnicodeError):
        raise _Reject(_finding("not_a_bundle", "壊れているか、バンドル（ZIP）ファイルではありません。",
                               "The file is damaged or is not a bundle (ZIP) file.")) from None
    return members, manifest_bytes, manifest


def _by_name(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    return {i.filename: i for i in infos}


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse hostile layouts from the ZIP's directory alone, before reading any data."""
    if len(infos) > MAX_ENTRIES:
        raise _Reject(_finding("too_many_entries", "ファイルの数が多すぎます。", "The bundle holds too many files."))
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise _Reject(_finding("duplicate_names", "同じ名前のファイルが重複しています。",
                               "The bundle holds two files with the same name."))
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if (name.startswith(("/", "\\")) or "\\" in name or ":" in name or "\x00" in name
                or any(part in ("..", ".", "") for part in name.split("/")) or pure.is_absolute()):
            raise _Reject(_finding("unsafe_path", f"危険なパスを含んでいます: {name!r}",
                                   f"The bundle holds an unsafe path: {name!r}"))
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _Reject(_finding("symlink", f"リンク（symlink）を含んでいます: {name!r}",
                                   f"The bundle holds a symbolic link: {name!r}"))
        if info.flag_bits & 0x1:
            raise _Reject(_finding("encrypted", "暗号化されたファイルを含んでいます。",
                                   "The bundle holds an encrypted file."))
        if info.file_size > (MAX_MANIFEST_BYTES if name == MANIFEST else MAX_ENTRY_BYTES):
            raise _Reject(_finding("entry_too_large", f"大きすぎるファイルを含んでいます: {name!r}",
                                   f"A file in the bundle is too large: {name!r}"))
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Reject(_finding("zip_bomb", "圧縮率が異常に高いファイルを含んでいます（ZIP 爆弾の疑い）。",
                                   "A file in the bundle is compressed implausibly well (a ZIP bomb)."))
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _Reject(_finding("too_large", "展開後の合計サイズが大きすぎます。",
                               "The bundle's files are too large in total."))
    if MANIFEST not in names:
        raise _Reject(_finding("no_manifest", "manifest.json がありません。", "The bundle has no manifest.json."))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than its declared size (nor ``limit``)."""
    if info.file_size > limit:
        raise _Reject(_finding("entry_too_large", f"大きすぎるファイルを含んでいます: {info.filename!r}",
                               f"A file in the bundle is too large: {info.filename!r}"))
    out = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(1024 * 1024):
            out += chunk
            if len(out) > info.file_size:
                raise _Reject(_finding("zip_bomb", "ファイルの大きさが申告と違います。",
                                       "A file in the bundle is larger than it claims."))
    return bytes(out)


def _parse_manifest(data: bytes, manifest_schema: dict[str, Any]) -> dict[str, Any]:
    def no_constants(name: str) -> Any:
        raise ValueError(name)

    bad = _finding("bad_manifest", "manifest.json が読めないか、形式が正しくありません。",
                   "manifest.json cannot be read or is malformed.")
    try:
        manifest = json.loads(data.decode("utf-8"), parse_constant=no_constants)
    except (ValueError, RecursionError):
        raise _Reject(bad) from None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA_ID:
        raise _Reject(bad)
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _Reject(_finding("unknown_schema", f"このアプリが知らない形式のバージョンです（{version!r}）。アプリを更新してください。",
                               f"Unknown bundle format version {version!r}. Update the app."))
    import jsonschema

    validator = jsonschema.Draft202012Validator(manifest_schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(manifest))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise _Reject(_finding("bad_manifest", f"manifest.json が形式に合いません（{where}）。",
                               f"manifest.json does not match the bundle format (at {where})."))
    where = _senseless_value(manifest)
    if where is not None:
        raise _Reject(_finding("bad_manifest", f"manifest.json にありえない値があります（{where}）。",
                               f"manifest.json holds an impossible value (at {where})."))
    return manifest


def _senseless_value(manifest: dict[str, Any]) -> str | None:
    """Where a value the schema's shapes allow makes no sense (2025-02-30, a corner at 1e308), or None."""
    dates = [("declared/purchase_date", manifest["declared"]["purchase_date"]),
             ("reading/fields/date/value", manifest["reading"]["fields"]["date"]["value"])]
    dates += [(f"corrections/{n}/value_given", c.get("value_given")) for n, c in enumerate(manifest["corrections"])
              if c.get("field") == "date"]
    for where, value in dates:
        if value is None:
            continue
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return where
        if not 2000 <= day.year <= 2100:
            return where
    for n, entry in enumerate(manifest["files"]):
        for point in entry.get("corners") or []:
            if not all(isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= MAX_CORNER for v in point):
                return f"files/{n}/corners"
    return None


def _read_files(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], manifest: dict[str, Any],
                result: Verification) -> dict[str, bytes]:
    by_name = _by_name(infos)
    listed = [f["path"] for f in manifest["files"]]
    if len(set(listed)) != len(listed):
        result.problems.append(_finding("bad_manifest", "manifest.json に同じファイルが二度書かれています。",
                                        "manifest.json lists a file twice."))
    members: dict[str, bytes] = {}
    for entry in manifest["files"]:
        name = entry["path"]
        info = by_name.get(name)
        if info is None:
            result.problems.append(_finding("missing_file", f"ファイルが足りません: {name}",
                                            f"A file is missing: {name}"))
            continue
        try:
            data = _read_member(zf, info, MAX_ENTRY_BYTES)
        except zipfile.BadZipFile:
            result.problems.append(_finding("damaged_file", f"ファイルが壊れています: {name}",
                                            f"A file is damaged: {name}"))
            continue
        if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            result.problems.append(_finding("hash_mismatch", f"作成後に変更されています: {name}",
                                            f"A file was changed after the bundle was made: {name}"))
            continue
        if entry["role"] in ("original", "prepared") and not _decodes(data, entry):
            result.problems.append(_finding("bad_image", f"画像として開けません: {name}",
                                            f"An image cannot be opened: {name}"))
            continue
        members[name] = data
    extra = sorted(set(by_name) - set(listed) - {MANIFEST})
    for name in extra:
        result.problems.append(_finding("extra_file", f"一覧にないファイルがあります: {name}",
                                        f"The bundle holds a file its manifest does not list: {name}"))
    roles = {e["role"] for e in manifest["files"]}
    for role in ("original", "ocr", "summary"):
        if role not in roles:
            result.problems.append(_finding("missing_file", f"必要なファイルがありません（{role}）。",
                                            f"The bundle lacks its {role} file."))
    return members


def _decodes(data: bytes, entry: dict[str, Any]) -> bool:
    if entry.get("media_type") == "application/pdf":
        return data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if not fit_pixels(img):  # the loader's own limit: what bundle wrote, verify accepts
                    return False
                img.load()
        return True
    except Exception:  # noqa: BLE001 - any decoder failure means "does not decode"
        return False


def _reread(members: dict[str, bytes], manifest: dict[str, Any], result: Verification,
            engine: OcrEngine | None, reference: dt.date | None) -> None:
    """Read the originals again and list the fields that differ from the manifest."""
    from receipt_assistant.core.api import CheckOptions, check_files

    originals = [e for e in manifest["files"] if e["role"] == "original" and e["path"] in members]
    if not originals:
        result.reread_error = Message(
            "この提出には読み直せる元の画像がありません（画像が壊れているか、バンドルから欠けています）。",
            "This bundle has no original image that can be read again (the images are damaged or missing).",
        )
        return
    declared = manifest["declared"]
    with tempfile.TemporaryDirectory(prefix="receipt-verify-") as tmp:
        paths = []
        turns, corners = {}, {}
        for n, entry in enumerate(originals, start=1):
            suffix = PurePosixPath(entry["path"]).suffix.lower()
            safe = Path(tmp) / f"{n}{suffix if suffix.isascii() and len(suffix) <= 6 else ''}"
            safe.write_bytes(members[entry["path"]])
            paths.append(safe)
            turns[str(safe)] = entry.get("turned", 0)
            if entry.get("corners"):
                corners[str(safe)] = entry["corners"]
        options = CheckOptions(kind=declared["route"], expect_amount=declared["amount"],
                               expect_date=dt.date.fromisoformat(declared["purchase_date"]), reference=reference,
                               turns=turns, corners=corners)
        reading = check_files(paths, options=options, engine=engine)
    if reading.error is not None:
        result.reread_error = reading.error.message
        return
    today = reading.fields.to_json()
    before = manifest["reading"]["fields"]
    result.reread = [Difference(name, before[name]["value"], today[name]["value"])
                     for name in FIELD_NAMES if before[name]["value"] != today[name]["value"]]
