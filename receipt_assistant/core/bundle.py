"""The evidence bundle: one ZIP file that carries a customer's proof of purchase.

Staff treat a bundle as evidence, so it holds everything needed to judge it
again later without the customer's computer: the original files (cleaned of
location and device metadata), the copies Tesseract read, every word it read
with its box and confidence, what was read and checked, what the customer
declared and corrected, and a summary a person can open without the app.
``manifest.json`` lists every other file with its SHA-256; the fingerprint is a
short hash of the manifest that the customer also sends by another channel.
See docs/bundle-format.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import errno
import hashlib
import io
import json
import math
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from PIL import Image

from receipt_assistant import __version__
from receipt_assistant.core import summary
from receipt_assistant.core.api import CheckOptions, Reading, check_files, make_engine
from receipt_assistant.core.errors import InputError, ReceiptError, missing_app_file
from receipt_assistant.core.loader import (
    MAX_FILE_BYTES,
    MAX_PAGE_PIXELS,
    FileTooLarge,
    NotAFile,
    read_regular,
    sniff_format,
)
from receipt_assistant.core.model import Message
from receipt_assistant.core.ocr import CancelFn, OcrEngine, PageReading, ProgressFn, check_cancel
from receipt_assistant.core.privacy import clean_metadata

SCHEMA_ID = "receipt-assistant/bundle"
SCHEMA_VERSION = 1
SUFFIX = ".receipt.zip"
MANIFEST = "manifest.json"
ROUTES = ("amazon", "store")
MAX_DECLARED_YEN = 10_000_000

MEDIA_TYPES = {
    "png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "bmp": "image/bmp",
    "tiff": "image/tiff", "gif": "image/gif", "heif": "image/heif", "avif": "image/avif",
    "pdf": "application/pdf",
}

# Crockford's base32: no I, L, O or U, so a fingerprint read aloud or typed survives.
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


class BundleError(ReceiptError):
    """The bundle could not be written (bad declaration, full disk, unwritable folder)."""


@dataclass(frozen=True)
class Declared:
    """What the customer told the shop, kept apart from what was read."""

    route: str  # amazon | store
    amount: int  # yen
    purchase_date: dt.date
    name: str | None = None
    email: str | None = None
    reference: str | None = None  # the shop's reception number

    def to_json(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "amount": self.amount,
            "purchase_date": self.purchase_date.isoformat(),
            "name": self.name,
            "email": self.email,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Correction:
    """A value the customer changed: what was read and what they gave instead."""

    field: str
    value_read: Any
    value_given: Any
    at: str  # ISO 8601 with time zone

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "value_read": _plain(self.value_read),
                "value_given": _plain(self.value_given), "at": self.at}


@dataclass(frozen=True)
class Override:
    """The customer chose "use anyway" despite a quality warning."""

    problem: str  # a quality problem id: blurred, too_small, ...
    at: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"problem": self.problem, "at": self.at, "note": self.note}


@dataclass
class BundleResult:
    path: Path
    fingerprint: str
    manifest: dict[str, Any]
    reading: Reading = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "fingerprint": self.fingerprint,
                "bundle_id": self.manifest["bundle_id"], "ok": self.reading.ok, "error": None}


def now_iso() -> str:
    """The local time with its offset: a bundle is judged against the customer's day."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def fingerprint(manifest_bytes: bytes) -> str:
    """Twelve characters (60 bits of the manifest's SHA-256), grouped for reading aloud."""
    digest = hashlib.sha256(manifest_bytes).digest()
    code = base64.b32encode(digest).decode("ascii").translate(_CROCKFORD)[:12]
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def schema() -> dict[str, Any]:
    """The JSON Schema of manifest.json for SCHEMA_VERSION, as shipped in the package.

    A missing or damaged schema is the installation's fault, and says so:
    it must never turn into a verdict on a customer's bundle.
    """
    name = f"schema/bundle-{SCHEMA_VERSION}.json"
    try:
        return json.loads(resources.files("receipt_assistant.core").joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise missing_app_file(f"receipt_assistant/core/{name}") from None


def validate_declared(d: Declared, *, today: dt.date | None = None) -> None:
    """Refuse a declaration staff could not use, with the reason in both languages."""
    today = today or dt.date.today()
    problems: list[Message] = []
    if d.route not in ROUTES:
        problems.append(Message("購入場所は amazon か store を指定してください。",
                                "The route must be amazon or store."))
    if not isinstance(d.amount, int) or not 1 <= d.amount <= MAX_DECLARED_YEN:
        problems.append(Message(f"金額は 1〜{MAX_DECLARED_YEN:,} 円の整数で入力してください。",
                                f"The amount must be a whole number of yen from 1 to {MAX_DECLARED_YEN:,}."))
    if d.purchase_date > today:
        problems.append(Message("購入日が未来の日付になっています。", "The purchase date is in the future."))
    if d.email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", d.email):
        problems.append(Message("メールアドレスの形が正しくありません。", "The email address does not look right."))
    for value, limit, ja, en in ((d.name, 100, "お名前", "The name"), (d.reference, 64, "受付番号", "The reference")):
        if value is not None and (len(value) > limit or any(unicodedata.category(c) == "Cc" for c in value)):
            problems.append(Message(f"{ja}が長すぎるか、使えない文字を含んでいます。",
                                    f"{en} is too long or holds characters that cannot be used."))
    if problems:
        raise BundleError(Message(" ".join(p.ja for p in problems), " ".join(p.en for p in problems)))


def create_bundle(
    files: Sequence[str | Path],
    declared: Declared,
    out_dir: str | Path,
    *,
    reading: Reading | None = None,
    corrections: Sequence[Correction] = (),
    overrides: Sequence[Override] = (),
    engine: OcrEngine | None = None,
    turns: dict[str, int] | None = None,
    corners: dict[str, list[list[float]]] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    today: dt.date | None = None,
) -> BundleResult:
    """Read (unless ``reading`` is given), check and write one bundle into ``out_dir``.

    ``turns`` are the quarter turns the customer gave files ({path: 90}) and
    ``corners`` the slip corners they placed on a photo; the originals are
    stored untouched and the manifest records both. Raises
    :class:`BundleError` or :class:`InputError` with a sentence for the user;
    the input files are only ever read.
    """
    turns = {str(Path(k)): v % 360 for k, v in (turns or {}).items() if v % 360}
    corners = {str(Path(k)): [[round(float(x), 1), round(float(y), 1)] for x, y in v]
               for k, v in (corners or {}).items() if len(v) == 4}
    validate_declared(declared, today=today)
    out = Path(out_dir)
    if not out.is_dir():
        raise BundleError(Message(f"保存先のフォルダがありません: {out}", f"The folder does not exist: {out}"))
    if not files:
        raise BundleError(Message("証拠の画像を 1 つ以上選んでください。", "Choose at least one image."))
    originals = [_read_original(Path(f)) for f in files]
    if reading is None:
        options = CheckOptions(kind=declared.route, expect_amount=declared.amount,
                               expect_date=declared.purchase_date, reference=today, turns=turns,
                               corners=corners)
        if engine is None and any(sniff_format(data[:1024]) != "pdf" for _, data in originals):
            engine = make_engine()
        reading = check_files(files, options=options, engine=engine, progress=progress, cancel=cancel)
    if reading.error is not None:
        raise reading.error
    check_cancel(cancel)

    members: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    for n, (path, data) in enumerate(originals, start=1):
        cleaned = clean_metadata(data, path.name)
        name = f"originals/{n}-{_safe_name(cleaned.name)}"
        members[name] = cleaned.data
        entries.append(_entry(name, "original", cleaned.data, {
            "media_type": MEDIA_TYPES.get(sniff_format(cleaned.data[:1024]) or "", "application/octet-stream"),
            "imported_name": path.name,
            "imported_sha256": hashlib.sha256(data).hexdigest(),
            "imported_size": len(data),
            "metadata_removed": list(cleaned.removed),
            "converted": cleaned.converted,
            "turned": turns.get(str(path), 0),
            "corners": corners.get(str(path)),
            "software": _software(data),
        }))
    passes = [("first", reading.pages)] + [(f"further-{i}", p) for i, p in enumerate(reading.further, start=1)]
    for pass_name, pages in passes:
        for page in pages:
            if page.prepared is None:
                continue
            name = f"prepared/page{page.page + 1}-{pass_name}.png"
            members[name] = _png(_within_page_limit(page.prepared))
            entries.append(_entry(name, "prepared", members[name], {"page": page.page, "pass": pass_name}))
    members["ocr.json"] = _json_bytes(_ocr_json(passes, reading))
    entries.append(_entry("ocr.json", "ocr", members["ocr.json"], {}))

    bundle_id = _bundle_id()
    manifest: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "bundle_id": bundle_id,
        "created_at": now_iso(),
        "app": {"name": "receipt-assistant", "version": __version__},
        "tesseract": ({"version": engine.version, "languages": engine.languages}
                      if engine is not None and hasattr(engine, "version") else None),
        "declared": declared.to_json(),
        "reading": _reading_json(reading),
        "corrections": [c.to_json() for c in corrections],
        "overrides": [o.to_json() for o in overrides],
        "files": entries,
    }
    html = summary.render(manifest).encode("utf-8")
    members["summary.html"] = html
    entries.append(_entry("summary.html", "summary", html, {"media_type": "text/html"}))
    manifest_bytes = _json_bytes(manifest)
    fp = fingerprint(manifest_bytes)
    target = out / bundle_name(declared, reading, bundle_id)
    write_atomically(target, [(MANIFEST, manifest_bytes)] + list(members.items()), cancel=cancel)
    return BundleResult(target, fp, manifest, reading)


def bundle_name(declared: Declared, reading: Reading, bundle_id: str) -> str:
    """Date, amount, then the order number or store: the keys a person searches mail by."""
    which = reading.fields.order_number.value or reading.fields.store.value
    if not which:
        which = "Amazon" if declared.route == "amazon" else "store"
    stem = f"{declared.purchase_date.isoformat()}_{declared.amount}yen_{_safe_name(str(which))}_{bundle_id}"
    return stem + SUFFIX


def write_atomically(target: Path, members: Sequence[tuple[str, bytes]], *, cancel: CancelFn | None = None) -> None:
    """Write the ZIP beside ``target`` and give it the final name only when complete.

    A temporary file in the same folder is written, flushed and fsynced, then
    hard-linked to the final name (which fails rather than replace an existing
    file) and removed; where hard links are not possible, it is renamed, which
    on Windows also refuses to replace. A crash at any moment leaves at most a
    hidden ``.part`` file, never a partial bundle under the final name.
    """
    if target.exists():
        raise BundleError(_exists(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise BundleError(_os_message(exc, target.parent)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            with zipfile.ZipFile(f, "w") as zf:
                for name, data in members:
                    check_cancel(cancel)
                    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    compress = zipfile.ZIP_STORED if name.startswith(("originals/", "prepared/")) else zipfile.ZIP_DEFLATED
                    zf.writestr(info, data, compress_type=compress)
            f.flush()
            os.fsync(f.fileno())
        _publish(Path(tmp), target)
    except FileExistsError:
        raise BundleError(_exists(target)) from None
    except OSError as exc:
        raise BundleError(_os_message(exc, target.parent)) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _fsync_dir(target.parent)


def _publish(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network drives)
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(tmp, target)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exists(target: Path) -> Message:
    return Message(f"同じ名前のファイルがすでにあります（上書きしません）: {target.name}",
                   f"A file with this name already exists and was not replaced: {target.name}")


def _os_message(exc: OSError, folder: Path) -> Message:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return Message(f"ディスクの空きが足りないため保存できませんでした（{folder}）。空きを作るか、別の保存先を選んでください。",
                       f"The disk is full, so the bundle was not saved ({folder}). Free some space or choose "
                       "another folder.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Message(f"このフォルダには保存できません（{folder}）。別の保存先を選んでください。",
                       f"This folder cannot be written to ({folder}). Choose another folder.")
    return Message(f"保存できませんでした（{folder}）: {exc.strerror or exc}",
                   f"The bundle could not be saved ({folder}): {exc.strerror or exc}")


def _read_original(path: Path) -> tuple[Path, bytes]:
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise InputError(Message("ファイルが大きすぎます。", "The file is too large."), source=str(path)) from None
    except NotAFile:
        raise InputError(Message("画像のファイルではなく、機器やパイプです。", "This is a device or a pipe, not a file."),
                         source=str(path)) from None
    except OSError as exc:
        raise InputError(Message("ファイルを開けませんでした。", f"The file could not be opened ({exc.strerror})."),
                         source=str(path)) from exc
    return path, data


def _safe_name(name: str) -> str:
    """A file-name part that is safe on every system and inside a ZIP."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+', "_", name).strip("._")
    return name[:60] or "file"


def _bundle_id() -> str:
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").translate(_CROCKFORD).lower()


def _entry(name: str, role: str, data: bytes, extra: dict[str, Any]) -> dict[str, Any]:
    return {"path": name, "role": role, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **extra}


def _within_page_limit(image: Image.Image) -> Image.Image:
    """A prepared copy no larger than a page may be (an enlarged huge scan can exceed it): verify must accept it."""
    w, h = image.size
    if w * h <= MAX_PAGE_PIXELS:
        return image
    scale = math.sqrt(MAX_PAGE_PIXELS / (w * h)) * 0.999
    return image.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.Resampling.LANCZOS)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False).encode("utf-8")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _reading_json(reading: Reading) -> dict[str, Any]:
    return {
        "kind": reading.kind,
        "fields": reading.fields.to_json(),
        "checks": [{"id": c.id, "ok": c.ok, "message_ja": c.message.ja, "message_en": c.message.en}
                   for c in reading.checks],
        "quality": {
            "verdict": reading.quality.verdict,
            "problems": [{"id": p.id, "value": round(float(p.value), 3), "threshold": p.threshold,
                          "message_ja": p.message.ja, "message_en": p.message.en}
                         for p in reading.quality.problems],
        },
        "ok": reading.ok,
        "gift_payment_text": (reading.extraction.gift_payment_text or None) if reading.extraction else None,
    }


def _software(data: bytes) -> str | None:
    """The program a photo's EXIF says wrote it (kept: an editor's name matters to staff)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            value = img.getexif().get(0x0131)
    except Exception:  # noqa: BLE001 - no readable EXIF is simply no software named
        return None
    text = str(value).strip()[:200] if value else ""
    return text or None


def _ocr_json(passes: Sequence[tuple[str, Sequence[PageReading]]], reading: Reading) -> dict[str, Any]:
    def page_json(p: PageReading) -> dict[str, Any]:
        return {
            "page": p.page, "source": Path(p.source).name, "source_page": p.source_page,
            "size": list(p.size), "rotation": p.rotation, "scale": round(p.scale, 4),
            "from_text_layer": p.from_text_layer,
            "words": [{"text": w.text, "box": w.box.as_list(), "conf": round(w.conf, 3), "line": w.line}
                      for w in p.words],
        }

    return {
        "passes": [{"name": name, "pages": [page_json(p) for p in pages]} for name, pages in passes],
        "lines": [{"page": ln.page, "text": ln.text, "raw": ln.raw, "box": ln.box.as_list(),
                   "conf": round(ln.conf, 3)} for ln in reading.lines],
        "text": "\n".join(ln.raw for ln in reading.lines),
    }

