"""The staff review window through its real widgets."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import bundle_file, other_photo
from PySide6.QtCore import Qt

from receipt_assistant.core import review
from receipt_assistant.core.settings import Settings
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.review import ReviewWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A day's downloads: a good bundle, a tampered one, the same receipt twice, and junk."""
    good = bundle_file(tmp_path, "good")
    folder = good.parent
    bundle_file(tmp_path, "other", photo=other_photo(tmp_path / "other.jpg", 4), gift=False)
    tampered = bundle_file(tmp_path, "tampered", photo=other_photo(tmp_path / "t.jpg", 7))
    with zipfile.ZipFile(tampered) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(tampered, "w") as zf:
        for name, data in members:
            zf.writestr(name, data + b"!" if name == "ocr.json" else data)
    twice = folder / "again.receipt.zip"
    shutil.copy(good, twice)
    with zipfile.ZipFile(twice, "a") as zf:
        zf.comment = b"sent again"
    (folder / "junk.receipt.zip").write_bytes(os.urandom(300))
    return folder


def _open(qtbot, tmp_path: Path, folder: Path) -> ReviewWindow:  # type: ignore[no-untyped-def]
    w = ReviewWindow(Settings(staff_name="佐藤"), "ja", folder, store=review.Store(tmp_path / "db.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: len(w.entries) == 5 and not w.pending, timeout=60_000)
    return w


def _row(w: ReviewWindow, name: str) -> review.Entry:
    return next(e for e in w.entries if Path(e.path).name.startswith(name))


def test_the_inbox_shows_every_bundle_with_the_right_flags(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    assert w.table.rowCount() == 5
    assert "not_intact" in {f.id for f in _row(w, "junk").flags}
    assert "no_gift_line" in {f.id for f in next(e for e in w.entries if e.value("gift_card") is False).flags}
    assert any(f.id == "duplicate_of" for e in w.entries for f in e.flags)  # the copy sent again
    tampered = [e for e in w.entries if any("ocr.json" in f.message.en for f in e.flags)]
    assert tampered and tampered[0].verdict == "red"
    assert all(e.decision == "unchecked" for e in w.entries)


def test_deciding_is_recorded_and_survives_a_restart(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    w.select(next(e for e in w.entries if e.verdict != "red").bundle_hash)  # approving red asks first
    chosen = w.current
    assert chosen is not None
    w.note.setText("レシートと一致")
    w.approve.click()
    assert w.store.get(chosen.bundle_hash).decision == "approved"  # type: ignore[union-attr]
    w.close()
    again = _open(qtbot, tmp_path, inbox)
    e = again.store.get(chosen.bundle_hash)
    assert e is not None and (e.decision, e.note, e.staff) == ("approved", "レシートと一致", "佐藤")
    again.select(chosen.bundle_hash)
    assert "佐藤" in again.info.toPlainText()


def test_a_decision_needs_a_staff_name(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    w.staff.setText("")
    w.next_unchecked()
    w.reject.click()
    assert "担当者名" in w.status.text()
    assert all(e.decision == "unchecked" for e in w.entries)


def test_search_and_filters_narrow_the_list(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    w.verdict_filter.setCurrentIndex(w.verdict_filter.findData("red"))
    assert 0 < w.table.rowCount() < 5
    assert all(e.verdict == "red" for e in w.visible_entries())
    w.verdict_filter.setCurrentIndex(0)
    w.search.setText("junk")
    assert w.table.rowCount() == 1
    w.search.setText("")
    w.amount_min.setText("6000")
    assert w.table.rowCount() == 0
    w.amount_min.setText("4000")
    w.date_to.setText("2026-11-30")
    assert w.table.rowCount() == 4  # the junk has no amount


def test_new_bundles_arriving_in_the_folder_are_noticed(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    (tmp_path / "late").mkdir()
    late = bundle_file(tmp_path / "late", "late", photo=other_photo(tmp_path / "late.jpg", 11))
    shutil.copy(late, inbox / late.name)
    qtbot.waitUntil(lambda: len(w.entries) == 6, timeout=30_000)


def test_export_writes_what_is_shown_for_excel(qtbot, tmp_path: Path, inbox: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, tmp_path, inbox)
    out = tmp_path / "record.csv"
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a: str(out))
    w.search.setText("山田")
    w.csv_button.click()
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == len(w.visible_entries()) and rows[0]["name"] == "山田 花子"


def test_keyboard_shortcuts_decide_and_move_on(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    w = _open(qtbot, tmp_path, inbox)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    first = w.current
    assert first is not None
    QTest.keyClick(w, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert w.store.get(first.bundle_hash).decision == "rejected"  # type: ignore[union-attr]
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert w.current is not None and w.current.bundle_hash != first.bundle_hash


@pytest.mark.tesseract
@pytest.mark.xdist_group("tesseract")
def test_reread_shows_values_edited_after_reading(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    # These bundles carry readings that were not read from their pictures (random
    # pixels): reading them again must disagree, as it would with an edited manifest.
    w = _open(qtbot, tmp_path, inbox)
    target = next(e for e in w.entries if e.value("intact") and e.value("gift_card"))
    w.select(target.bundle_hash)
    w.reread_button.click()
    qtbot.waitUntil(lambda: "読み直すと違う値" in w.status.text(), timeout=120_000)
    flags = {f.id for f in w.store.get(target.bundle_hash).flags}  # type: ignore[union-attr]
    assert "edited_after_reading" in flags
    assert "読み直すと値が違います" in w.info.toPlainText()


def test_every_page_of_a_bundle_can_be_seen(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bundle_helpers import DECLARED, TODAY, reading_for

    from receipt_assistant.core.bundle import create_bundle

    photos = [other_photo(tmp_path / "p1.jpg", 1), other_photo(tmp_path / "p2.jpg", 2)]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    create_bundle(photos, DECLARED, inbox, reading=reading_for(photos), today=TODAY)
    w = ReviewWindow(Settings(staff_name="佐藤"), "ja", inbox, store=review.Store(tmp_path / "db.sqlite3"))
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: len(w.entries) == 1 and not w.pending, timeout=30_000)
    w.select(w.entries[0].bundle_hash)
    qtbot.waitUntil(lambda: len(w.page_images) == 2, timeout=30_000)
    assert w.next_page.isVisibleTo(w) and "1 / 2" in w.page_label.text()
    w.next_page.click()
    assert w.shown_page == 1 and not w.next_page.isEnabled()


def test_chosen_bundles_from_several_folders_and_a_moved_bundle(qtbot, tmp_path: Path, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    store = review.Store(tmp_path / "db.sqlite3")
    first = sorted(inbox.glob("2026-*.receipt.zip"))[0]
    elsewhere = tmp_path / "archive"
    elsewhere.mkdir()
    moved = elsewhere / first.name
    shutil.copy(first, moved)
    w = ReviewWindow(Settings(staff_name="佐藤"), "ja", inbox, store=store)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: len(w.entries) == 5 and not w.pending, timeout=60_000)
    w.open_files([moved, inbox / "junk.receipt.zip"])
    qtbot.waitUntil(lambda: len(w.entries) == 2, timeout=30_000)
    assert {Path(e.path) for e in w.entries} == {moved, inbox / "junk.receipt.zip"}


def test_the_detail_says_what_chose_the_amount(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = ReviewWindow(Settings(staff_name="佐藤"), "ja", None, store=review.Store(tmp_path / "db.sqlite3"))
    qtbot.addWidget(w)
    verification = {"declared": {"amount": 3138}, "read": {"amount": 3138},
                    "amount_evidence": ["label", "cash_minus_change", "tax_bases"]}
    e = review.Entry("h", str(tmp_path / "a.receipt.zip"), "2026-11-29", verification)
    html = w.describe(e)
    assert "決め手: 合計の表示・お預り−お釣・税率ごとの対象額の合計" in html
    assert "決め手" not in w.describe(review.Entry("h", str(tmp_path / "b.receipt.zip"), "2026-11-29",
                                                   {"declared": {}, "read": {}}))


def test_a_bundle_the_system_opens_with_the_app_shows_in_the_review_window(qtbot, qapp, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS hands "Open With" and a double-click to the app as an event, not as an argument."""
    monkeypatch.setattr(review, "database_path", lambda: tmp_path / "review.sqlite3")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFileOpenEvent

    from receipt_assistant.gui.app import watch_opened_files

    first, second = bundle_file(tmp_path, "opened"), bundle_file(tmp_path, "opened-too", gift=False)
    opener = watch_opened_files(qapp, "ja")
    assert watch_opened_files(qapp, "ja") is opener  # one watcher however often the app is set up
    QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(first)))
    w = opener.window
    qtbot.addWidget(w)
    assert w is not None and w.isVisible() and w.files == [first]
    QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(second)))
    assert opener.window is w and w.files == [first, second]
    qtbot.waitUntil(lambda: len(w.entries) == 2 and not w.pending, timeout=60_000)
    assert {Path(e.path) for e in w.entries} == {first, second}
    w.close()
    qapp.removeEventFilter(opener)
    del qapp._receipt_opened_files
