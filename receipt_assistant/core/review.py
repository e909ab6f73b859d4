"""The staff side: what each bundle proves, the flags that help a fair decision, and the record.

Staff check a day's bundles offline and must be able to show later why they
decided. Everything about a bundle is derived from ``verify`` (never from
trusting the bundle), the decisions live in a SQLite database in the user
data folder keyed by the SHA-256 of the bundle file, and the bundles
themselves are never modified.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from receipt_assistant import __version__
from receipt_assistant.core import paths
from receipt_assistant.core.atomic import replace_file
from receipt_assistant.core.bundle import SUFFIX
from receipt_assistant.core.errors import InstallationError, ReceiptError
from receipt_assistant.core.model import Message
from receipt_assistant.core.verify import Finding, Verification, verify_bundle

log = logging.getLogger(__name__)

# What verify and the flags judge by. Raise it with any change that can turn a
# recorded verdict: every bundle recorded under another rules version or by
# another app version is verified again when it is next seen.
RULES_VERSION = 1
DECISIONS = ("unchecked", "approved", "rejected", "more")
DECISION_LABELS = {
    "unchecked": Message("未確認", "Unchecked"),
    "approved": Message("承認", "Approved"),
    "rejected": Message("却下", "Rejected"),
    "more": Message("追加資料を依頼", "Asked for more"),
}
VERDICT_LABELS = {"green": Message("問題なし", "Clear"), "amber": Message("要確認", "Check"),
                  "red": Message("問題あり", "Problem")}
# Hamming distance between 64-bit perceptual hashes under which two photos are the same receipt.
SAME_IMAGE_BITS = 6
_EDITORS = re.compile(r"photoshop|lightroom|gimp|snapseed|picsart|canva|affinity|pixelmator|paint\.net|"
                      r"illustrator|photoscape|meitu|facetune|vsco|polarr|fotor|pixlr|photopea", re.I)


@dataclass(frozen=True)
class Flag:
    id: str
    severity: str  # red | amber
    message: Message

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "message": self.message.text(lang)}


@dataclass
class Entry:
    """One bundle as staff see it: what verify found, the flags, the verdict and the decision."""

    bundle_hash: str
    path: str
    received_at: str
    verification: dict[str, Any]  # Verification.to_json("ja")
    flags: list[Flag] = field(default_factory=list)
    image_hashes: list[str] = field(default_factory=list)
    decision: str = "unchecked"
    note: str = ""
    staff: str = ""
    decided_at: str = ""
    app_version: str = ""  # the app and rules that made this verdict
    rules_version: int = 0

    @property
    def stale(self) -> bool:
        """Judged by another version of the app or its rules: to be verified again (decisions stay)."""
        return (self.app_version, self.rules_version) != (__version__, RULES_VERSION)

    @property
    def verdict(self) -> str:
        if any(f.severity == "red" for f in self.flags):
            return "red"
        return "amber" if self.flags else "green"

    def value(self, key: str) -> Any:
        """The keys a bookkeeper searches by."""
        v = self.verification
        declared = v.get("declared") or {}
        read = v.get("read") or {}
        return {
            "amount": declared.get("amount"),
            "date": declared.get("purchase_date"),
            "route": declared.get("route"),
            "name": declared.get("name"),
            "reference": declared.get("reference"),
            "email": declared.get("email"),
            "order_number": read.get("order_number"),
            "store": read.get("store"),
            "read_amount": read.get("amount"),
            "read_date": read.get("date"),
            "gift_card": read.get("gift_card"),
            "fingerprint": v.get("fingerprint"),
            "intact": v.get("intact"),
        }.get(key)

    def matches(self, text: str) -> bool:
        """Free-text search over the searchable keys (case-insensitive)."""
        needle = text.strip().lower()
        if not needle:
            return True
        keys = ("amount", "date", "name", "reference", "email", "order_number", "store", "fingerprint")
        hay = " ".join(str(self.value(k) or "") for k in keys) + " " + Path(self.path).name
        return needle in hay.lower() or needle.replace(",", "") in hay.lower()


# --- flags ----------------------------------------------------------------------


def _flag(fid: str, severity: str, ja: str, en: str) -> Flag:
    return Flag(fid, severity, Message(ja, en))


def assess(v: Verification) -> list[Flag]:
    """The flags one bundle raises by itself (duplicates need the store: see Store.record)."""
    flags: list[Flag] = []
    if not v.intact:
        reasons = "; ".join(p.message.en for p in v.problems) or "unknown"
        reasons_ja = "、".join(p.message.ja for p in v.problems) or "不明"
        flags.append(_flag("not_intact", "red", f"バンドルが壊れているか改ざんされています: {reasons_ja}",
                           f"The bundle is damaged or was altered: {reasons}"))
    m = v.manifest
    if m is None:
        return flags
    if v.reread:
        fields = ", ".join(d.field for d in v.reread)
        flags.append(_flag("edited_after_reading", "red",
                           f"読み直すと値が違います（{fields}）。作成後に値が書き換えられた可能性があります。",
                           f"Reading the images again gives other values ({fields}): the values may have "
                           "been edited after reading."))
    declared, fields_read = m["declared"], m["reading"]["fields"]
    corrected = {c["field"]: c["value_given"] for c in m["corrections"]}
    read_amount = fields_read["amount"]["value"]
    if read_amount is not None and read_amount != declared["amount"]:
        flags.append(_flag("amount_differs", "amber",
                           f"申告の金額 {declared['amount']:,} 円と、画像の金額 {read_amount:,} 円が違います。",
                           f"The declared amount ¥{declared['amount']:,} differs from the ¥{read_amount:,} read."))
    read_date = fields_read["date"]["value"]
    if read_date is not None and read_date != declared["purchase_date"]:
        flags.append(_flag("date_differs", "amber",
                           f"申告の購入日 {declared['purchase_date']} と、画像の日付 {read_date} が違います。",
                           f"The declared date {declared['purchase_date']} differs from the {read_date} read."))
    if corrected:
        flags.append(_flag("corrected", "amber",
                           f"お客様が読み取り結果を修正しています（{', '.join(corrected)}）。",
                           f"The customer corrected what was read ({', '.join(corrected)})."))
    if m["reading"].get("gift_payment_text"):
        flags.append(_flag("gift_card_as_payment", "red",
                           f"ギフトカードは支払いに使われただけで、購入した行はありません（「{m['reading']['gift_payment_text']}」）。",
                           "A gift card was only used to pay; no line shows one being bought "
                           f"(\"{m['reading']['gift_payment_text']}\")."))
    elif not fields_read["gift_card"]["value"]:
        flags.append(_flag("no_gift_line", "red", "ギフトカードを購入した行が読み取れません。",
                           "No line showing a gift-card purchase was read."))
    for o in m["overrides"]:
        flags.append(_flag("quality_override", "amber",
                           f"お客様は画質の警告（{o['problem']}）を確認のうえ、この画像を使いました。",
                           f"The customer used an image despite a quality warning ({o['problem']})."))
    for f in m["files"]:
        software = f.get("software")
        if f["role"] == "original" and software and _EDITORS.search(software):
            flags.append(_flag("edited_photo", "amber",
                               f"写真の記録に画像編集ソフトの名前があります（{software}）。",
                               f"The photo's metadata names image-editing software ({software})."))
    return flags


def perceptual_hash(data: bytes) -> str | None:
    """A 64-bit DCT hash of a picture: near-identical photos differ in a few bits."""
    import cv2

    try:
        with Image.open(io.BytesIO(data)) as img:
            gray = np.asarray(img.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float32)
    except Exception:  # noqa: BLE001 - a PDF or an undecodable file has no picture hash
        return None
    low = cv2.dct(gray)[:8, :8].flatten()
    bits = low > np.median(low[1:])
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def image_hashes(v: Verification) -> list[str]:
    """Perceptual hashes of a verified bundle's original images (needs ``keep_members``)."""
    return [h for name, data in v.members.items() if name.startswith("originals/") if (h := perceptual_hash(data))]


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


# --- the record -------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bundles (
    hash TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    received_at TEXT NOT NULL,
    verification TEXT NOT NULL,
    flags TEXT NOT NULL,
    order_number TEXT,
    image_hashes TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    app_version TEXT NOT NULL DEFAULT '',
    rules_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS bundles_order ON bundles(order_number);
CREATE TABLE IF NOT EXISTS decisions (
    hash TEXT PRIMARY KEY REFERENCES bundles(hash),
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    staff TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
"""


def database_path() -> Path:
    return paths.data_dir() / "review.sqlite3"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class Store:
    """Every bundle ever opened and every decision, in one SQLite file; each change a transaction."""

    def __init__(self, path: Path | None = None, *, read_only: bool | None = None) -> None:
        """Open the record; a file staff may not write is opened read-only, to view."""
        self.path = path or database_path()
        self.skipped_rows: set[str] = set()  # hashes of rows too damaged to show
        if read_only is None:
            read_only = self.path.exists() and not (os.access(self.path, os.W_OK)
                                                    and os.access(self.path.parent, os.W_OK))
        self.read_only = read_only
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=30)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                with self.db:
                    self.db.executescript(_SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(bundles)")}
            # A record from before versions were kept: its verdicts count as another version's.
            if not read_only and "app_version" not in columns:
                with self.db:
                    self.db.execute("ALTER TABLE bundles ADD COLUMN app_version TEXT NOT NULL DEFAULT ''")
                    self.db.execute("ALTER TABLE bundles ADD COLUMN rules_version INTEGER NOT NULL DEFAULT 0")
                columns |= {"app_version", "rules_version"}
            self._versions = "b.app_version, b.rules_version" if "app_version" in columns else "'', 0"
            if read_only and not columns:
                raise sqlite3.DatabaseError("no bundles table")
            if not read_only and not self.backup_path.exists():
                self._back_up()
        except (OSError, sqlite3.Error) as exc:
            raise self._fault(exc) from exc

    @property
    def backup_path(self) -> Path:
        return self.path.with_name(self.path.stem + "-backup" + self.path.suffix)

    def _back_up(self) -> None:
        """A copy of the record as it is, if sound, for the day the file is damaged."""
        backup = self.backup_path
        try:
            if self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return  # never replace a good copy with a damaged one
            part = backup.with_name(backup.name + ".part")
            with contextlib.closing(sqlite3.connect(part)) as copy:
                self.db.backup(copy)
            os.replace(part, backup)
        except (OSError, sqlite3.Error) as exc:  # a backup that cannot be made must not stop the review
            log.warning("could not back up %s: %s", self.path, exc)

    def _fault(self, exc: BaseException) -> ReceiptError:
        """What went wrong with the record file, and what staff can do about it."""
        if self.read_only or "readonly" in str(exc).lower() or isinstance(exc, PermissionError):
            return ReceiptError(Message(
                f"確認の記録（{self.path}）は書き込みできないため、判断を保存できません。"
                "そのファイルとフォルダーに書き込めるようにしてから、もう一度お試しください（記録を見るだけならこのままで使えます）。",
                f"The review record ({self.path}) cannot be written, so decisions cannot be saved. "
                "Make the file and its folder writable and try again (viewing the record works as it is).",
            ))
        backup = self.backup_path
        if backup.is_file():
            when = dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            restore = Message(
                f"{when} の写し（{backup}）があります。壊れたファイルを別の場所へ移し、写しの名前を "
                f"{self.path.name} に変えると、その時点までの判断が戻ります。",
                f"A copy from {when} is at {backup}: move the damaged file elsewhere and rename the copy to "
                f"{self.path.name} to get the decisions back up to then.",
            )
        else:
            restore = Message("", "")
        return ReceiptError(Message(
            f"確認の記録（{self.path}）を開けません。ファイルが壊れているか、書き込めません。"
            "そのファイルを別の場所へ移してから、もう一度開いてください（判断の記録はそのファイルに残ります）。"
            + restore.ja,
            f"The review record ({self.path}) cannot be opened: the file is damaged or cannot be written. "
            "Move that file elsewhere and open the review again (the decisions stay in that file)."
            + (" " + restore.en if restore.en else ""),
        ))

    def close(self) -> None:
        """Close the record, refreshing its copy (kept as it was if the record is no longer sound)."""
        if not self.read_only:
            self._back_up()
        self.db.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Every use of the file: a fault becomes the sentence, never a traceback."""
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            raise self._fault(exc) from exc

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._guard(), self.db:
            yield self.db

    def known(self, bundle_hash: str) -> bool:
        """Recorded with a verdict this version of the app and its rules made."""
        entry = self.get(bundle_hash)
        return entry is not None and not entry.stale

    def record(self, path: Path, v: Verification, bundle_hash: str | None = None,
               images: list[str] | None = None) -> Entry:
        """Store what verify found for one bundle, with its flags (duplicates included).

        ``images`` are the originals' perceptual hashes when the caller already
        has them (a worker thread computes them so a window never waits).
        """
        bundle_hash = bundle_hash or file_hash(path)
        flags = assess(v)
        if images is None:
            images = image_hashes(v)
        order = (v.to_json().get("read") or {}).get("order_number")
        with self._guard():
            flags += self._duplicates(bundle_hash, order, images)
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            received = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
        except OSError:  # gone since it was checked
            received = now
        with self._tx() as db:
            db.execute(
                "INSERT INTO bundles(hash, path, received_at, verification, flags, order_number, image_hashes, "
                "seen_at, app_version, rules_version) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(hash) DO UPDATE "
                "SET path=excluded.path, verification=excluded.verification, flags=excluded.flags, "
                "order_number=excluded.order_number, image_hashes=excluded.image_hashes, "
                "app_version=excluded.app_version, rules_version=excluded.rules_version",
                (bundle_hash, str(path), received, json.dumps(v.to_json("ja"), ensure_ascii=False),
                 json.dumps([_flag_json(f) for f in flags], ensure_ascii=False), order, json.dumps(images), now,
                 __version__, RULES_VERSION))
        entry = self.get(bundle_hash)
        assert entry is not None
        return entry

    def _duplicates(self, bundle_hash: str, order: str | None, images: list[str]) -> list[Flag]:
        flags: list[Flag] = []
        rows = self.db.execute("SELECT path, order_number, image_hashes FROM bundles WHERE hash != ?",
                               (bundle_hash,)).fetchall()
        for other_path, other_order, other_images in rows:
            name = Path(str(other_path)).name
            if order and order == other_order:
                flags.append(_flag("same_order", "red", f"同じ注文番号 {order} のバンドルがすでにあります（{name}）。",
                                   f"Another bundle has the same order number {order} ({name})."))
                continue
            try:
                theirs = [str(h) for h in json.loads(other_images)]
            except (TypeError, ValueError):
                continue  # a damaged row holds no hashes to compare
            if any(_distance(a, b) <= SAME_IMAGE_BITS for a in images for b in theirs):
                flags.append(_flag("same_image", "red", f"ほぼ同じ画像のバンドルがすでにあります（{name}）。",
                                   f"Another bundle holds a near-identical image ({name})."))
        return flags

    def moved(self, bundle_hash: str, path: Path) -> None:
        """A recorded bundle now lies at ``path`` (moved, or downloaded again)."""
        with self._tx() as db:
            db.execute("UPDATE bundles SET path=? WHERE hash=?", (str(path), bundle_hash))

    def decide(self, bundle_hash: str, decision: str, note: str, staff: str) -> None:
        if decision not in DECISIONS:
            raise ValueError(decision)
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with self._tx() as db:
            db.execute("INSERT INTO decisions(hash, decision, note, staff, decided_at) VALUES (?,?,?,?,?) "
                       "ON CONFLICT(hash) DO UPDATE SET decision=excluded.decision, note=excluded.note, "
                       "staff=excluded.staff, decided_at=excluded.decided_at",
                       (bundle_hash, decision, note, staff, now))

    def get(self, bundle_hash: str) -> Entry | None:
        rows = self._entries("WHERE b.hash = ?", (bundle_hash,))
        return rows[0] if rows else None

    def entries(self, folder: Path | None = None) -> list[Entry]:
        """Every recorded bundle (those whose file is in ``folder`` when given), newest first."""
        entries = self._entries("", ())
        if folder is not None:
            root = Path(folder).resolve()
            entries = [e for e in entries if Path(e.path).resolve().parent == root]
        return sorted(entries, key=lambda e: e.received_at, reverse=True)

    def _entries(self, where: str, args: tuple[Any, ...]) -> list[Entry]:
        with self._guard():
            rows = self.db.execute(
                "SELECT b.hash, b.path, b.received_at, b.verification, b.flags, b.image_hashes, "
                "COALESCE(d.decision, 'unchecked'), COALESCE(d.note, ''), COALESCE(d.staff, ''), "
                f"COALESCE(d.decided_at, ''), {self._versions} "
                f"FROM bundles b LEFT JOIN decisions d ON d.hash = b.hash {where}", args
            ).fetchall()
        entries = []
        for h, p, r, v, fl, im, d, n, s, t, av, rv in rows:
            try:
                verification = json.loads(v)
                if not isinstance(verification, dict):
                    raise TypeError(type(verification))
                entries.append(Entry(str(h), str(p), str(r), verification, [_flag_from(f) for f in json.loads(fl)],
                                     [str(x) for x in json.loads(im)], d, n, s, t, av, rv))
            except (TypeError, ValueError, KeyError, AttributeError):
                self.skipped_rows.add(str(h))  # one damaged row must not hide the others
        return entries


def _flag_json(f: Flag) -> dict[str, str]:
    return {"id": f.id, "severity": f.severity, "ja": f.message.ja, "en": f.message.en}


def _flag_from(d: dict[str, str]) -> Flag:
    return Flag(d["id"], d["severity"], Message(d["ja"], d["en"]))


# --- exports ----------------------------------------------------------------------

EXPORT_COLUMNS = ("file", "fingerprint", "received_at", "route", "amount", "date", "read_amount", "read_date",
                  "gift_card", "order_number", "store", "name", "email", "reference", "intact", "verdict",
                  "flags", "decision", "note", "staff", "decided_at", "app_version", "rules_version")


def export_rows(entries: Sequence[Entry], lang: str = "ja") -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        row = {k: e.value(k) for k in ("fingerprint", "route", "amount", "date", "read_amount", "read_date",
                                       "gift_card", "order_number", "store", "name", "email", "reference",
                                       "intact")}
        row.update(file=Path(e.path).name, received_at=e.received_at, verdict=e.verdict,
                   flags=" / ".join(f.message.text(lang) for f in e.flags), decision=e.decision, note=e.note,
                   staff=e.staff, decided_at=e.decided_at, app_version=e.app_version,
                   rules_version=e.rules_version)
        rows.append({k: row[k] for k in EXPORT_COLUMNS})
    return rows


# A spreadsheet runs a cell that starts like a formula; customers write names and references.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, kept as text with a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(entries: Sequence[Entry], out: Path, lang: str = "ja") -> None:
    """UTF-8 with a BOM, so Japanese Excel opens it with the Japanese intact; no cell runs as a formula."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in export_rows(entries, lang))
    replace_file(out, "\ufeff" + buf.getvalue())


def export_json(entries: Sequence[Entry], out: Path, lang: str = "ja") -> None:
    replace_file(out, json.dumps(export_rows(entries, lang), ensure_ascii=False, indent=2))


# --- batch ------------------------------------------------------------------------


def bundles_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.name.endswith(SUFFIX))


def verify_for_review(path: str | Path, *, reread: bool = False, engine: Any = None) -> tuple[str, Verification, list[str]]:
    """Everything recording a bundle needs, computed away from the UI thread or in a worker process."""
    v = verify_bundle(path, reread=reread, engine=engine, keep_members=True)
    images = image_hashes(v)
    v.members = {}
    return file_hash(Path(path)), v, images


@functools.cache
def _worker_engine() -> Any:
    """One Tesseract probe per worker process, not one per bundle."""
    from receipt_assistant.core.api import make_engine

    try:
        return make_engine()
    except Exception:  # noqa: BLE001 - verify then reports reread_error for each bundle
        return None


def _could_not_check(path: str, exc: BaseException) -> tuple[str, str, Verification, list[str]]:
    """A bundle the checks themselves failed on: recorded as a finding, so the batch goes on."""
    try:
        bundle_hash = file_hash(Path(path))
    except OSError:
        bundle_hash = "unreadable:" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
    finding = Finding("check_failed", Message(
        f"この提出は確認の途中で止まりました（{type(exc).__name__}）。ファイルを保存して、開発元に知らせてください。",
        f"Checking this bundle stopped part way ({type(exc).__name__}). Keep the file and report it.",
    ))
    return path, bundle_hash, Verification(path, problems=[finding]), []


def _verify_one(job: tuple[str, bool]) -> tuple[str, str, Verification, list[str]]:
    path, reread = job
    try:
        return (path, *verify_for_review(path, reread=reread, engine=_worker_engine() if reread else None))
    except InstallationError:
        raise  # the app's own files: no bundle would fare better
    except Exception as exc:  # noqa: BLE001 - one bundle's failure is its finding; the others are still checked
        return _could_not_check(path, exc)


def batch(folder: Path, store: Store, *, reread: bool = False, jobs: int | None = None,
          progress: Callable[[int, int, str], None] | None = None, redo: bool = False) -> list[Entry]:
    """Verify every bundle in ``folder`` on all cores and record each as it finishes.

    Bundles already recorded (same file hash) are skipped unless ``redo``, so
    an interrupted run simply continues.
    """
    paths_ = bundles_in(folder)
    todo = [str(p) for p in paths_ if redo or reread or not store.known(file_hash(p))]
    jobs = max(1, jobs or os.cpu_count() or 1)
    done = len(paths_) - len(todo)
    if progress:
        progress(done, len(paths_), "")
    if todo:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_verify_one, (p, reread)): p for p in todo}
            for future in as_completed(futures):
                try:
                    path, bundle_hash, v, images = future.result()
                except InstallationError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a worker that died (out of memory, killed)
                    path, bundle_hash, v, images = _could_not_check(futures[future], exc)
                store.record(Path(path), v, bundle_hash, images)
                done += 1
                if progress:
                    progress(done, len(paths_), path)
    return store.entries(Path(folder))
