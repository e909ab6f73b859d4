"""A shop employee's first day in the review window: what is shown is what is decided."""

from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import DECLARED, bundle_file, other_photo
from PySide6.QtCore import Qt, QUrl

from receipt_assistant.core import review
from receipt_assistant.core.settings import Settings
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.review import ReviewWindow

pytestmark = pytest.mark.gui


def _open(qtbot, tmp_path: Path, folder: Path, count: int) -> ReviewWindow:  # type: ignore[no-untyped-def]
    w = ReviewWindow(Settings(staff_name="佐藤"), "ja", folder, store=review.Store(tmp_path / "db.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: len(w.entries) == count and not w.pending, timeout=60_000)
    return w


def _named(w: ReviewWindow, start: str) -> review.Entry:
    return next(e for e in w.entries if Path(e.path).name.startswith(start))


def _flip_image_byte(bundle: Path) -> None:
    """One byte of the original photo changed after saving (a damaged download)."""
    with zipfile.ZipFile(bundle) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(bundle, "w") as zf:
        for name, data in members:
            if name.startswith("originals/"):
                data = data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]
            zf.writestr(name, data)


def _image_shown(w: ReviewWindow) -> bool:
    return w.image_pane.currentWidget() is w.view and bool(w.view.scene().items())


def test_a_bundle_whose_image_cannot_be_shown_says_so_and_never_shows_another(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = bundle_file(tmp_path, "good")
    good = good.rename(good.with_name("good.receipt.zip"))
    broken = bundle_file(tmp_path, "broken", photo=other_photo(tmp_path / "b.jpg", 3))
    broken = broken.rename(broken.with_name("broken.receipt.zip"))
    _flip_image_byte(broken)
    w = _open(qtbot, tmp_path, good.parent, 2)
    w.select(_named(w, "good").bundle_hash)
    qtbot.waitUntil(lambda: _image_shown(w), timeout=30_000)
    w.select(_named(w, "broken").bundle_hash)
    assert not w.view.scene().items()  # the previous receipt is gone at once
    qtbot.waitUntil(lambda: "表示できません" in w.image_note.text(), timeout=30_000)
    assert w.image_pane.currentWidget() is w.image_note
    assert "改ざん" in w.image_note.text() or "壊れ" in w.image_note.text()  # the reason, in Japanese
    assert Path(_named(w, "broken").path).name in w.info.toPlainText()
    w.close()
    again = _open(qtbot, tmp_path, good.parent, 2)
    again.select(_named(again, "broken").bundle_hash)
    qtbot.waitUntil(lambda: "表示できません" in again.image_note.text(), timeout=30_000)


def test_a_filter_that_hides_the_bundle_on_screen_empties_the_detail_and_decides_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    first = bundle_file(tmp_path, "first")
    bundle_file(tmp_path, "second", photo=other_photo(tmp_path / "s.jpg", 5),
                declared=dataclasses.replace(DECLARED, name="鈴木 一郎"))
    w = _open(qtbot, tmp_path, first.parent, 2)
    yamada = next(e for e in w.entries if e.value("name") == "山田 花子")
    w.select(yamada.bundle_hash)
    w.note.setText("山田様のレシートと一致")
    w.search.setText("鈴木")
    assert w.table.rowCount() == 1
    assert w.current is None and w.shown is None  # nothing highlighted, nothing half-shown
    assert not w.info.toPlainText() and not w.note.text() and not w.approve.isEnabled()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    QTest.keyClick(w, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert all(e.decision == "unchecked" and not e.history for e in w.store.entries())
    suzuki = w.entries[0] if w.entries[0].value("name") == "鈴木 一郎" else w.entries[1]
    w.select(suzuki.bundle_hash)
    assert "鈴木 一郎" in w.info.toPlainText() and "山田" not in w.info.toPlainText()


@pytest.mark.parametrize("first_sender", ["a-yamada", "z-suzuki"])
def test_one_receipt_sent_twice_flags_the_later_copy_whatever_the_file_names(qtbot, tmp_path: Path,
                                                                             first_sender: str) -> None:  # type: ignore[no-untyped-def]
    photo = other_photo(tmp_path / "same.jpg", 9)
    a = bundle_file(tmp_path, "a", photo=photo, order="503-1111111-2222222")
    z = bundle_file(tmp_path, "z", photo=photo, order="503-1111111-2222222",
                    declared=dataclasses.replace(DECLARED, name="鈴木 一郎"))
    a, z = a.rename(a.with_name("a-yamada.receipt.zip")), z.rename(z.with_name("z-suzuki.receipt.zip"))
    earlier, later = (a, z) if first_sender == "a-yamada" else (z, a)
    os.utime(earlier, (1_764_000_000, 1_764_000_000))
    os.utime(later, (1_764_003_600, 1_764_003_600))
    w = _open(qtbot, tmp_path, a.parent, 2)
    original, copy = _named(w, earlier.name[:8]), _named(w, later.name[:8])
    assert "duplicate_of" in {f.id for f in copy.flags} and copy.verdict == "red"
    assert {f.id for f in original.flags if f.severity != "info"} == set()
    assert "sent_again" in {f.id for f in original.flags} and original.verdict != "red"
    w.select(copy.bundle_hash)
    assert earlier.name in w.info.toPlainText()
    w.info.anchorClicked.emit(QUrl(f"bundle:{original.bundle_hash}"))
    assert w.current is not None and w.current.bundle_hash == original.bundle_hash  # the link opens the original


def test_overriding_a_red_verdict_or_a_decision_asks_for_a_note_and_a_confirmation(qtbot, tmp_path: Path,
                                                                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    red = bundle_file(tmp_path, "nogift", gift=False)
    w = _open(qtbot, tmp_path, red.parent, 1)
    e = w.entries[0]
    assert e.verdict == "red"
    w.select(e.bundle_hash)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text) or False)
    w.approve.click()
    assert "メモ" in w.status.text() and not asked  # a note first
    assert w.store.get(e.bundle_hash).decision == "unchecked"  # type: ignore[union-attr]
    w.note.setText("店舗に電話で確認済み")
    w.approve.click()
    assert asked and w.store.get(e.bundle_hash).decision == "unchecked"  # type: ignore[union-attr]  # said no
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: True)
    w.approve.click()
    entry = w.store.get(e.bundle_hash)
    assert entry is not None and entry.decision == "approved" and entry.history[-1].verdict == "red"
    w.note.setText("")
    w.reject.click()  # changing a decision needs its reason too
    assert w.store.get(e.bundle_hash).decision == "approved"  # type: ignore[union-attr]
    w.note.setText("電話の内容を再確認して却下")
    w.reject.click()
    history = w.store.get(e.bundle_hash).history  # type: ignore[union-attr]
    assert [h.decision for h in history] == ["approved", "rejected"]
    assert [h.note for h in history] == ["店舗に電話で確認済み", "電話の内容を再確認して却下"]
    text = w.info.toPlainText()
    assert "店舗に電話で確認済み" in text and "電話の内容を再確認して却下" in text  # the history, shown


def test_the_customers_fingerprint_is_checked_and_kept_with_the_decision(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = bundle_file(tmp_path, "one")
    w = _open(qtbot, tmp_path, path.parent, 1)
    e = w.entries[0]
    w.select(e.bundle_hash)
    assert "未入力" in w.code_result.text()
    w.code.setText("ZZZZ-ZZZZ-ZZZZ")
    w.code.editingFinished.emit()
    assert "違います" in w.code_result.text()
    assert "fingerprint_differs" in {f.id for f in w.store.get(e.bundle_hash).flags}  # type: ignore[union-attr]
    actual = e.value("fingerprint")
    w.code.setText(" " + actual.lower().replace("-", " ") + " ")
    w.code.editingFinished.emit()
    assert "一致" in w.code_result.text()
    w.approve.click()
    assert w.store.get(e.bundle_hash).history[-1].fingerprint  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_at_the_default_size_the_verdict_decision_name_and_amounts_are_visible(qtbot, qapp, tmp_path: Path,
                                                                               lang: str) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.gui.app import install_translators

    install_translators(qapp, lang)
    path = bundle_file(tmp_path, "one")
    w = ReviewWindow(Settings(staff_name="佐藤"), lang, path.parent, store=review.Store(tmp_path / "db.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: len(w.entries) == 1 and not w.pending, timeout=60_000)
    w.select(w.entries[0].bundle_hash)
    qtbot.wait(50)
    install_translators(qapp, "ja")
    header = w.table.horizontalHeader()
    viewport = w.table.viewport().width()
    for column in range(5):  # 自動判定, スタッフの判断, お名前, 申告金額, 読み取り金額
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= viewport
    labels = [w.table.horizontalHeaderItem(c).text() for c in range(w.table.columnCount())]
    assert labels[:2] == (["自動判定", "スタッフの判断"] if lang == "ja" else ["Auto verdict", "Staff decision"])
