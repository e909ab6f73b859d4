"""The staff side: what each bundle proves, the flags that help a fair decision, and the record.

Staff check a day's bundles offline and must be able to show later why they
decided. Everything about a bundle is derived from ``verify`` (never from
trusting the bundle), the decisions live in a SQLite database in the user
data folder keyed by the SHA-256 of the bundle file, and the bundles
themselves are never modified.

The database keeps only what each bundle says by itself. Whatever relates one
bundle to others (the same receipt sent twice) or to the staff's input (the
confirmation code from the customer's message) is worked out when entries are
read, so the answer never depends on the order in which files were scanned.
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
import math
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
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
RULES_VERSION = 2
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
# red: the verdict is "problem"; amber: "check"; info: shown to staff, the verdict stays as it is.
SEVERITIES = ("red", "amber", "info")
# Flags worked out when entries are read, never stored; and the ids older versions stored on the
# second of two bundles (order-dependent), dropped when such a row is read.
_COMPUTED_IDS = frozenset({"duplicate_of", "sent_again", "fingerprint_differs", "fingerprint_missing"})
_FINGERPRINT_IDS = frozenset({"fingerprint_differs", "fingerprint_missing"})
_NOT_STORED = _COMPUTED_IDS | {"same_order", "same_image"}
_EDITORS = re.compile(r"photoshop|lightroom|gimp|snapseed|picsart|canva|affinity|pixelmator|paint\.net|"
                      r"illustrator|photoscape|meitu|facetune|vsco|polarr|fotor|pixlr|photopea", re.I)


@dataclass(frozen=True)
class Flag:
    id: str
    severity: str  # red | amber | info (see SEVERITIES)
    message: Message

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "message": self.message.text(lang)}


@dataclass(frozen=True)
class Decision:
    """One decision as it was made, kept for good so staff can show later why they decided."""

    decision: str
    note: str
    staff: str
    decided_at: str
    verdict: str  # the verdict shown when it was made ("" when recorded before that was kept)
    fingerprint: str | None  # the confirmation code staff had entered from the customer's message

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "note": self.note, "staff": self.staff, "decided_at": self.decided_at,
                "verdict": self.verdict, "fingerprint": self.fingerprint}


def _verdict(flags: Iterable[Flag]) -> str:
    """Red beats amber beats green; info flags are shown but never change the verdict."""
    severities = {f.severity for f in flags}
    return "red" if "red" in severities else "amber" if "amber" in severities else "green"


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
    history: list[Decision] = field(default_factory=list)  # every decision, oldest first (the last is shown)
    fingerprint_given: str | None = None  # the code staff entered from the customer's message
    original: str | None = None  # hash of the first copy of this receipt, when this is a later one
    copies: list[str] = field(default_factory=list)  # hashes of later copies, when this is the first
    original_path: str | None = None  # where the first copy lies, when this is a later one

    @property
    def stale(self) -> bool:
        """Judged by another version of the app or its rules: to be verified again (decisions stay)."""
        return (self.app_version, self.rules_version) != (__version__, RULES_VERSION)

    @property
    def verdict(self) -> str:
        """green, amber or red, from the red and amber flags (info flags do not count)."""
        return _verdict(self.flags)

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
    """The flags one bundle raises by itself; the only ones stored (the others come with Store.entries)."""
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


def _when(iso: str) -> str:
    """A recorded time as staff read it: 2026-12-01 10:00."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or "—"


def _instant(iso: str | None) -> float:
    """A recorded time as a number to order by (unknown times last)."""
    try:
        return dt.datetime.fromisoformat(str(iso)).timestamp()
    except (TypeError, ValueError, OverflowError, OSError):
        return math.inf


# --- the confirmation code ---------------------------------------------------------

# Hyphens and dashes of any width, and what a Japanese keyboard types for them.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2043\u2212\u30fc\ufe58\ufe63\uff0d\uff70]+")
# Crockford's base32 has no I, L or O: typed for 1 and 0, they can only mean those.
_LOOKALIKES = str.maketrans("ILO", "110")


def _code(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper()).translate(_LOOKALIKES)


def fingerprint_matches(given: str, actual: str | None) -> bool:
    """Whether the code a customer wrote is this bundle's, however it was spaced, cased or hyphenated.

    Customers copy it by hand or through a phone keyboard, so width, case,
    spaces and dashes vary; only the characters count.
    """
    return bool(actual) and bool(_code(given)) and _code(given) == _code(str(actual))


def _fingerprint_flags(given: str | None, actual: str | None) -> list[Flag]:
    if not given:
        return [_flag("fingerprint_missing", "info", "お客様のメッセージにある確認コードが、まだ入力されていません。",
                      "The fingerprint from the customer's message has not been entered yet.")]
    if fingerprint_matches(given, actual):
        return []
    shown = actual or "—"
    return [_flag("fingerprint_differs", "red",
                  f"お客様のメッセージにある確認コード（{given}）と、このファイルの確認コード（{shown}）が違います。"
                  "別の提出のコードか、ファイルが差し替えられた可能性があります。",
                  f"The fingerprint in the customer's message ({given}) differs from this file's code "
                  f"({shown}): it may belong to another submission, or the file was replaced.")]


# --- deciding -----------------------------------------------------------------------


def confirmation_needed(entry: Entry, decision: str) -> Message | None:
    """The question to ask before ``decision`` is recorded, or None when it needs none.

    Approving what the checks call a problem, or overturning a colleague's
    decision, must be a conscious step with a reason staff can show later:
    when this returns a question, the note is required.
    """
    label = DECISION_LABELS[decision]
    red = decision == "approved" and entry.verdict == "red"
    before = entry.history[-1] if entry.history else None
    changed = before is not None and before.decision not in ("unchecked", decision)
    if not (red or changed):
        return None
    reason = Message("理由をメモに書いてください。", "Write the reason in the note.")
    problem = VERDICT_LABELS["red"]
    if not changed:
        return Message(f"自動判定は『{problem.ja}』です。それでも承認しますか？" + reason.ja,
                       f"The automatic verdict is “{problem.en}”. Approve it anyway? " + reason.en)
    assert before is not None
    was = DECISION_LABELS.get(before.decision, Message(before.decision, before.decision))
    who_ja = "、".join(x for x in (before.staff, _when(before.decided_at)) if x)
    who_en = ", ".join(x for x in (before.staff, _when(before.decided_at)) if x)
    if red:
        return Message(f"この提出はすでに『{was.ja}』と記録されています（{who_ja}）。自動判定は『{problem.ja}』です。"
                       f"それでも『{label.ja}』に変えますか？" + reason.ja,
                       f"This submission is already recorded as “{was.en}” ({who_en}), and the automatic verdict "
                       f"is “{problem.en}”. Change it to “{label.en}” anyway? " + reason.en)
    return Message(f"この提出はすでに『{was.ja}』と記録されています（{who_ja}）。『{label.ja}』に変えますか？" + reason.ja,
                   f"This submission is already recorded as “{was.en}” ({who_en}). Change it to “{label.en}”? "
                   + reason.en)


# --- the same receipt twice ----------------------------------------------------------

_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _popcount(x: np.ndarray) -> np.ndarray:
    """Set bits of each 64-bit value (numpy before 2.0 has no bitwise_count)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x)
    x = np.ascontiguousarray(x, dtype=np.uint64)
    return _BYTE_BITS[x.view(np.uint8)].reshape(*x.shape, 8).sum(axis=-1)


@dataclass
class _Node:
    """What relating one recorded bundle to the others needs."""

    hash: str
    path: str
    received_at: str
    created_at: str
    sender: str
    order: str | None
    images: tuple[int, ...]  # perceptual hashes of the originals
    originals: frozenset[str]  # SHA-256 of the originals (intact bundles only)

    def key(self) -> tuple[float, float, str]:
        """First received, then first made, then the file hash: the same order from any scan."""
        return _instant(self.received_at), _instant(self.created_at), self.hash


def _reasons(a: _Node, b: _Node) -> list[Message]:
    """Why two bundles are one receipt, as staff read it (empty when they are not directly)."""
    out = []
    if a.order and a.order == b.order:
        out.append(Message(f"同じ注文番号 {a.order}", f"same order number {a.order}"))
    if a.originals & b.originals:
        out.append(Message("同じ画像", "same image"))
    elif any((x ^ y).bit_count() <= SAME_IMAGE_BITS for x in a.images for y in b.images):
        out.append(Message("ほぼ同じ画像", "nearly the same image"))
    return out


@dataclass
class _Relation:
    original: str | None = None
    original_path: str | None = None
    copies: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _duplicate_flag(first: _Node, later: _Node, reasons: list[Message], via: _Node | None) -> Flag:
    ja, en = "・".join(r.ja for r in reasons), ", ".join(r.en for r in reasons)
    if via is not None:  # one receipt through a third bundle: say which
        ja, en = f"{Path(via.path).name} と{ja}", f"{en} as {Path(via.path).name}"
    name, when = Path(first.path).name, _when(first.received_at)
    return _flag("duplicate_of", "red", f"同じレシートが先に届いています: {name}（{when} 受信、{ja}）。",
                 f"The same receipt arrived earlier: {name} (received {when}; {en}).")


_LISTED_COPIES = 5


def _sent_again_flag(later: list[_Node]) -> Flag:
    shown = later[:_LISTED_COPIES]
    ja = "、".join(f"{Path(n.path).name}（{_when(n.received_at)} 受信、送り主: {n.sender or '—'}）" for n in shown)
    en = ", ".join(f"{Path(n.path).name} (received {_when(n.received_at)}; sender: {n.sender or '—'})" for n in shown)
    if (more := len(later) - len(shown)) > 0:
        ja, en = f"{ja}、ほか {more} 件", f"{en}, and {more} more"
    if len(later) == 1:
        return _flag("sent_again", "info", f"同じレシートが後から届いています: {ja}。",
                     f"The same receipt arrived again later: {en}.")
    return _flag("sent_again", "info", f"同じレシートが後から {len(later)} 件届いています: {ja}。",
                 f"The same receipt arrived again later, {len(later)} times: {en}.")


class _SameReceipt:
    """Which recorded bundles are one receipt: groups joined by a shared order number or image.

    Groups only grow (union-find), so recording thousands of bundles one by
    one stays fast; each new bundle's images are compared with every stored
    one in a single numpy pass. A group's first copy and its flags are worked
    out when first asked for and kept until the group changes.
    """

    def __init__(self, nodes: Iterable[_Node] = ()) -> None:
        self.nodes: dict[str, _Node] = {}
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._by_order: dict[str, list[str]] = {}
        self._by_file: dict[str, list[str]] = {}
        self._owners: list[str] = []  # whose image each stored value is
        self._buffer = np.zeros(64, dtype=np.uint64)  # the stored values, then room to grow
        self._described: dict[str, dict[str, _Relation]] = {}  # by group root
        for node in nodes:
            self.put(node)

    def _find(self, h: str) -> str:
        root = h
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[h] != root:
            self._parent[h], h = root, self._parent[h]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra] += self._members.pop(rb)
        self._described.pop(ra, None)
        self._described.pop(rb, None)

    def put(self, node: _Node) -> bool:
        """Add or update one bundle; False when a link it had may be gone (then build anew)."""
        old = self.nodes.get(node.hash)
        if old is None:
            self._parent[node.hash] = node.hash
            self._members[node.hash] = [node.hash]
            order, files, images = node.order, node.originals, list(node.images)
        else:
            if (old.order and old.order != node.order) or not set(old.images) <= set(node.images) \
                    or not old.originals <= node.originals:
                return False
            order = node.order if node.order != old.order else None
            files = node.originals - old.originals
            images = [x for x in node.images if x not in old.images]
        self.nodes[node.hash] = node
        others: set[str] = set()
        if order:
            others.update(self._by_order.setdefault(order, []))
            self._by_order[order].append(node.hash)
        for sha in files:
            others.update(self._by_file.setdefault(sha, []))
            self._by_file[sha].append(node.hash)
        if images:
            new, n = np.array(images, dtype=np.uint64), len(self._owners)
            if n:
                close = (_popcount(new[:, None] ^ self._buffer[None, :n]) <= SAME_IMAGE_BITS).any(axis=0)
                others.update(self._owners[i] for i in np.flatnonzero(close))
            if n + len(new) > len(self._buffer):
                self._buffer = np.concatenate([self._buffer[:n], np.zeros(max(n, len(new)), dtype=np.uint64)])
            self._buffer[n:n + len(new)] = new
            self._owners += [node.hash] * len(images)
        for other in others - {node.hash}:
            self._union(node.hash, other)
        self._described.pop(self._find(node.hash), None)
        return True

    def move(self, h: str, path: str) -> None:
        """The bundle's file lies elsewhere now: the messages naming it change."""
        if h in self.nodes:
            self.nodes[h].path = path
            self._described.pop(self._find(h), None)

    def relation(self, h: str) -> _Relation | None:
        """How the bundle relates to the others of its receipt (None when it stands alone)."""
        if h not in self.nodes:
            return None
        root = self._find(h)
        if root not in self._described:
            self._described[root] = self._describe([self.nodes[m] for m in self._members[root]])
        return self._described[root].get(h)

    @staticmethod
    def _describe(group: list[_Node]) -> dict[str, _Relation]:
        if len(group) < 2:
            return {}
        ordered = sorted(group, key=_Node.key)
        first, later = ordered[0], ordered[1:]
        out = {first.hash: _Relation(copies=[n.hash for n in later], flags=[_sent_again_flag(later)])}
        for i, n in enumerate(later, start=1):
            reasons, via = _reasons(n, first), None
            if not reasons:  # joined through another copy: name it, an earlier one when there is one
                for other in ordered[1:i] + ordered[i + 1:]:
                    if reasons := _reasons(n, other):
                        via = other
                        break
            out[n.hash] = _Relation(first.hash, first.path, flags=[_duplicate_flag(first, n, reasons, via)])
        return out


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
    rules_version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT,
    sender TEXT,
    original_hashes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS bundles_order ON bundles(order_number);
CREATE TABLE IF NOT EXISTS decision_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    staff TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    verdict TEXT NOT NULL DEFAULT '',
    fingerprint_given TEXT
);
CREATE INDEX IF NOT EXISTS decision_log_hash ON decision_log(hash);
CREATE TABLE IF NOT EXISTS fingerprints (
    hash TEXT PRIMARY KEY,
    given TEXT NOT NULL,
    given_at TEXT NOT NULL
);
"""
# Columns later versions added to bundles, with how to add them to an older record.
_ADDED_COLUMNS = {
    "app_version": "TEXT NOT NULL DEFAULT ''",
    "rules_version": "INTEGER NOT NULL DEFAULT 0",
    "created_at": "TEXT",
    "sender": "TEXT",
    "original_hashes": "TEXT NOT NULL DEFAULT '[]'",
}
_ADDED_DEFAULTS = {"app_version": "''", "rules_version": "0", "created_at": "NULL", "sender": "NULL",
                   "original_hashes": "'[]'"}


def database_path() -> Path:
    return paths.data_dir() / "review.sqlite3"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _originals(v: Verification) -> list[str]:
    """SHA-256 of the original files, as the manifest lists them; trusted only when every member matched."""
    if not v.intact or v.manifest is None:
        return []
    return sorted({str(f["sha256"]) for f in v.manifest.get("files", []) if f.get("role") == "original"})


def _json_strings(text: Any) -> list[str]:
    """A stored JSON list of strings; a damaged one is an empty list (nothing to compare)."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return [str(x) for x in value] if isinstance(value, list) else []


def _hex_values(strings: Iterable[str]) -> tuple[int, ...]:
    values = []
    for x in strings:
        with contextlib.suppress(ValueError):
            values.append(int(x, 16))
    return tuple(values)


class Store:
    """Every bundle ever opened and every decision, in one SQLite file; each change a transaction."""

    def __init__(self, path: Path | None = None, *, read_only: bool | None = None) -> None:
        """Open the record; a file staff may not write is opened read-only, to view."""
        self.path = path or database_path()
        self.skipped_rows: set[str] = set()  # hashes of rows too damaged to show
        self._same: _SameReceipt | None = None  # built on the first read, kept current by record/moved
        self._same_version = -1
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
            if read_only and not columns:
                raise sqlite3.DatabaseError("no bundles table")
            if not read_only:
                self._migrate(columns)
                columns |= set(_ADDED_COLUMNS)
            self._col = {c: (f"b.{c}" if c in columns else d) for c, d in _ADDED_DEFAULTS.items()}
            tables = {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # A record opened to view only may predate the history; its single decisions are the history then.
            self._log = ("SELECT hash, decision, note, staff, decided_at, verdict, fingerprint_given, id AS seq "
                         "FROM decision_log" if "decision_log" in tables else
                         "SELECT hash, decision, note, staff, decided_at, '', NULL, rowid AS seq FROM decisions"
                         if "decisions" in tables else None)
            self._has_fingerprints = "fingerprints" in tables
            if not read_only and not self.backup_path.exists():
                self._back_up()
        except (OSError, sqlite3.Error) as exc:
            raise self._fault(exc) from exc

    def _migrate(self, columns: set[str]) -> None:
        """Bring an older record up to date in one transaction, losing nothing.

        Rows from before versions were kept count as another version's (and
        are verified again when seen). Decisions of the one-per-bundle table
        are copied into the history; the old table stays as it was, for an
        older copy of the app, and what that copy adds is picked up next time.
        """
        tables = {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        with self.db:
            for name, declaration in _ADDED_COLUMNS.items():
                if name not in columns:
                    self.db.execute(f"ALTER TABLE bundles ADD COLUMN {name} {declaration}")
            if "created_at" not in columns:
                for h, text in self.db.execute("SELECT hash, verification FROM bundles").fetchall():
                    try:
                        v = json.loads(text)
                        created, sender = v.get("created_at"), (v.get("declared") or {}).get("name")
                    except (TypeError, ValueError, AttributeError):
                        continue  # a damaged row is shown as skipped, not fixed here
                    self.db.execute("UPDATE bundles SET created_at=?, sender=? WHERE hash=?",
                                    (None if created is None else str(created),
                                     None if sender is None else str(sender), h))
            if "decisions" in tables:
                self.db.execute(
                    "INSERT INTO decision_log(hash, decision, note, staff, decided_at, verdict, fingerprint_given) "
                    "SELECT d.hash, d.decision, d.note, d.staff, d.decided_at, '', NULL FROM decisions d "
                    "WHERE NOT EXISTS (SELECT 1 FROM decision_log l WHERE l.hash = d.hash AND "
                    "l.decision = d.decision AND l.note = d.note AND l.staff = d.staff AND "
                    "l.decided_at = d.decided_at) ORDER BY d.decided_at")

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
        """Store what verify found for one bundle and the flags it raises by itself.

        ``images`` are the originals' perceptual hashes when the caller already
        has them (a worker thread computes them so a window never waits). The
        time received is the file's modification time when first recorded and
        is kept when the bundle is seen again: it decides which copy came first.
        """
        bundle_hash = bundle_hash or file_hash(path)
        flags = assess(v)
        if images is None:
            images = image_hashes(v)
        seen = v.to_json()
        order = (seen.get("read") or {}).get("order_number")
        created, sender = seen.get("created_at"), (seen.get("declared") or {}).get("name")
        originals = _originals(v)
        now = _now()
        try:
            received = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
        except OSError:  # gone since it was checked
            received = now
        with self._tx() as db:
            db.execute(
                "INSERT INTO bundles(hash, path, received_at, verification, flags, order_number, image_hashes, "
                "seen_at, app_version, rules_version, created_at, sender, original_hashes) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(hash) DO UPDATE "
                "SET path=excluded.path, verification=excluded.verification, flags=excluded.flags, "
                "order_number=excluded.order_number, image_hashes=excluded.image_hashes, "
                "app_version=excluded.app_version, rules_version=excluded.rules_version, "
                "created_at=excluded.created_at, sender=excluded.sender, original_hashes=excluded.original_hashes",
                (bundle_hash, str(path), received, json.dumps(v.to_json("ja"), ensure_ascii=False),
                 json.dumps([_flag_json(f) for f in flags], ensure_ascii=False), order, json.dumps(images), now,
                 __version__, RULES_VERSION, created, sender, json.dumps(originals)))
            received = str(db.execute("SELECT received_at FROM bundles WHERE hash=?", (bundle_hash,)).fetchone()[0])
        node = _Node(bundle_hash, str(path), received, str(created or ""), str(sender or ""), order,
                     _hex_values(images), frozenset(originals))
        with self._guard():
            if self._same is not None and (self._data_version() != self._same_version or not self._same.put(node)):
                self._same = None  # built again on the next read
        entry = self.get(bundle_hash)
        assert entry is not None
        return entry

    def moved(self, bundle_hash: str, path: Path) -> None:
        """A recorded bundle now lies at ``path`` (moved, or downloaded again)."""
        with self._tx() as db:
            db.execute("UPDATE bundles SET path=? WHERE hash=?", (str(path), bundle_hash))
        if self._same is not None:
            self._same.move(bundle_hash, str(path))

    def decide(self, bundle_hash: str, decision: str, note: str, staff: str, *,
               fingerprint: str | None = None) -> None:
        """Add a decision to the bundle's history; earlier ones stay, so a change can be shown later.

        The verdict shown at this moment is kept with it, and the confirmation
        code staff had entered (``fingerprint``, stored as the bundle's code
        when given; otherwise the one entered before). Whether to ask first is
        the caller's business: see ``confirmation_needed``.
        """
        if decision not in DECISIONS:
            raise ValueError(decision)
        entry = self.get(bundle_hash)
        if entry is None:
            raise KeyError(bundle_hash)
        given = entry.fingerprint_given if fingerprint is None else (fingerprint.strip() or None)
        flags = [f for f in entry.flags if f.id not in _FINGERPRINT_IDS]
        flags += _fingerprint_flags(given, entry.value("fingerprint"))
        now = _now()
        with self._tx() as db:
            if fingerprint is not None:
                self._write_fingerprint(db, bundle_hash, fingerprint, now)
            db.execute("INSERT INTO decision_log(hash, decision, note, staff, decided_at, verdict, fingerprint_given) "
                       "VALUES (?,?,?,?,?,?,?)", (bundle_hash, decision, note, staff, now, _verdict(flags), given))

    def set_fingerprint(self, bundle_hash: str, given: str) -> None:
        """Keep the confirmation code staff copied from the customer's message (empty clears it)."""
        with self._tx() as db:
            self._write_fingerprint(db, bundle_hash, given, _now())

    @staticmethod
    def _write_fingerprint(db: sqlite3.Connection, bundle_hash: str, given: str, now: str) -> None:
        given = given.strip()
        if not given:
            db.execute("DELETE FROM fingerprints WHERE hash=?", (bundle_hash,))
            return
        db.execute("INSERT INTO fingerprints(hash, given, given_at) VALUES (?,?,?) ON CONFLICT(hash) DO UPDATE "
                   "SET given=excluded.given, given_at=excluded.given_at", (bundle_hash, given, now))

    def get(self, bundle_hash: str) -> Entry | None:
        rows = self._entries(bundle_hash)
        return rows[0] if rows else None

    def entries(self, folder: Path | None = None) -> list[Entry]:
        """Every recorded bundle (those whose file is in ``folder`` when given), newest first."""
        entries = self._entries(None)
        if folder is not None:
            root = Path(folder).resolve()
            entries = [e for e in entries if Path(e.path).resolve().parent == root]
        return sorted(entries, key=lambda e: e.received_at, reverse=True)

    def _data_version(self) -> int:
        """Changes when another connection (another window, a batch run) commits to the file."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _same_receipt(self) -> _SameReceipt:
        version = self._data_version()
        if self._same is None or version != self._same_version:
            rows = self.db.execute(
                f"SELECT b.hash, b.path, b.received_at, {self._col['created_at']}, {self._col['sender']}, "
                f"b.order_number, b.image_hashes, {self._col['original_hashes']} FROM bundles b").fetchall()
            nodes = []
            for h, p, r, created, sender, order, images, originals in rows:
                nodes.append(_Node(str(h), str(p), str(r), str(created or ""), str(sender or ""),
                                   str(order) if order else None, _hex_values(_json_strings(images)),
                                   frozenset(_json_strings(originals))))
            self._same, self._same_version = _SameReceipt(nodes), version
        return self._same

    def _entries(self, bundle_hash: str | None) -> list[Entry]:
        where, args = ("WHERE b.hash = ?", (bundle_hash,)) if bundle_hash is not None else ("", ())
        with self._guard():
            rows = self.db.execute(
                "SELECT b.hash, b.path, b.received_at, b.verification, b.flags, b.image_hashes, "
                f"{self._col['app_version']}, {self._col['rules_version']} FROM bundles b {where}", args
            ).fetchall()
            history: dict[str, list[Decision]] = {}
            if self._log is not None:
                log_where = "WHERE hash = ?" if bundle_hash is not None else ""
                for h, d, n, s, t, verdict, given, _seq in self.db.execute(
                        f"SELECT * FROM ({self._log}) {log_where} ORDER BY seq", args):
                    history.setdefault(str(h), []).append(
                        Decision(str(d), str(n), str(s), str(t), str(verdict or ""), None if given is None else str(given)))
            fingerprints: dict[str, str] = {}
            if self._has_fingerprints:
                fingerprints = {str(h): str(g) for h, g in self.db.execute(
                    f"SELECT hash, given FROM fingerprints {'WHERE hash = ?' if bundle_hash is not None else ''}", args)}
            same = self._same_receipt()
        entries = []
        for h, p, r, v, fl, im, av, rv in rows:
            h = str(h)
            try:
                verification = json.loads(v)
                if not isinstance(verification, dict):
                    raise TypeError(type(verification))
                flags = [f for f in (_flag_from(x) for x in json.loads(fl)) if f.id not in _NOT_STORED]
                images = [str(x) for x in json.loads(im)]
            except (TypeError, ValueError, KeyError, AttributeError):
                self.skipped_rows.add(h)  # one damaged row must not hide the others
                continue
            relation = same.relation(h) or _Relation()
            given = fingerprints.get(h)
            flags += relation.flags + _fingerprint_flags(given, verification.get("fingerprint"))
            decisions = history.get(h, [])
            last = decisions[-1] if decisions else Decision("unchecked", "", "", "", "", None)
            entries.append(Entry(h, str(p), str(r), verification, flags, images, last.decision, last.note, last.staff,
                                 last.decided_at, str(av), int(rv), decisions, given, relation.original,
                                 relation.copies, relation.original_path))
        return entries


def _flag_json(f: Flag) -> dict[str, str]:
    return {"id": f.id, "severity": f.severity, "ja": f.message.ja, "en": f.message.en}


def _flag_from(d: dict[str, str]) -> Flag:
    return Flag(d["id"], d["severity"], Message(d["ja"], d["en"]))


# --- exports ----------------------------------------------------------------------

EXPORT_COLUMNS = ("file", "fingerprint", "fingerprint_given", "fingerprint_match", "received_at", "route", "amount",
                  "date", "read_amount", "read_date", "gift_card", "order_number", "store", "name", "email",
                  "reference", "intact", "verdict", "verdict_id", "flags", "flag_ids", "original", "decision",
                  "decision_id", "note", "staff", "decided_at", "history", "app_version", "rules_version")


def export_rows(entries: Sequence[Entry], lang: str = "ja") -> list[dict[str, Any]]:
    """One row per bundle: labels in ``lang`` for people, ids beside them for scripts.

    ``fingerprint_match`` is None until staff entered the customer's code;
    ``history`` is the list of every decision (Decision.to_json), oldest first.
    """
    rows = []
    for e in entries:
        row = {k: e.value(k) for k in ("fingerprint", "route", "amount", "date", "read_amount", "read_date",
                                       "gift_card", "order_number", "store", "name", "email", "reference",
                                       "intact")}
        label = DECISION_LABELS.get(e.decision)
        row.update(file=Path(e.path).name, received_at=e.received_at,
                   fingerprint_given=e.fingerprint_given,
                   fingerprint_match=(None if not e.fingerprint_given
                                      else fingerprint_matches(e.fingerprint_given, e.value("fingerprint"))),
                   verdict=VERDICT_LABELS[e.verdict].text(lang), verdict_id=e.verdict,
                   flags=" / ".join(f.message.text(lang) for f in e.flags), flag_ids=" ".join(f.id for f in e.flags),
                   original=Path(e.original_path).name if e.original_path else None,
                   decision=label.text(lang) if label else e.decision, decision_id=e.decision, note=e.note,
                   staff=e.staff, decided_at=e.decided_at, history=[d.to_json() for d in e.history],
                   app_version=e.app_version, rules_version=e.rules_version)
        rows.append({k: row[k] for k in EXPORT_COLUMNS})
    return rows


def _history_cell(history: list[dict[str, Any]], lang: str) -> str:
    """Every decision in one cell, oldest first: "2026-12-01T10:00:00+09:00 佐藤 承認 (note) | …"."""
    parts = []
    for d in history:
        label = DECISION_LABELS.get(d["decision"])
        text = " ".join(x for x in (d["decided_at"], d["staff"], label.text(lang) if label else d["decision"]) if x)
        parts.append(text + (f" ({d['note']})" if d["note"] else ""))
    return " | ".join(parts)


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
    for row in export_rows(entries, lang):
        match = row["fingerprint_match"]
        row.update(history=_history_cell(row["history"], lang),
                   fingerprint_match="" if match is None else str(match).lower())
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
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
