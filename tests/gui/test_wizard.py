"""The customer wizard through its real widgets, with real reading on committed samples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage

from receipt_assistant.core.settings import Settings
from receipt_assistant.core.verify import verify_bundle
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.wizard import Wizard

pytestmark = [pytest.mark.gui, pytest.mark.tesseract, pytest.mark.xdist_group("tesseract")]

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "resources" / "samples"
TRUTH = {t["file"]: t for t in json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))}


@pytest.fixture
def wizard(qtbot, tmp_path: Path) -> Wizard:  # type: ignore[no-untyped-def]
    w = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(w)
    w.show()
    return w


def _choose(w: Wizard, choice: int) -> None:
    """0: Amazon on a computer, 1: Amazon on a phone, 2: a shop slip."""
    w.pages["welcome"].cards.cards[0 if choice < 2 else 1].click()  # type: ignore[attr-defined]
    if choice < 2:
        assert w.current.key == "route" and not w.next_button.isEnabled()
        w.pages["route"].cards.cards[choice].click()  # type: ignore[attr-defined]
        assert w.next_button.isEnabled()
        w.next()
    assert w.current.key == "guide"
    w.next()


def _add_and_read(qtbot, w: Wizard, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    page = w.images_page
    page.add_files([str(f) for f in files])
    qtbot.waitUntil(lambda: len(page.items) == len(files) and page.is_complete(), timeout=30_000)
    w.next()
    assert w.current.key == "reading"
    qtbot.waitUntil(lambda: w.current.key == "results", timeout=120_000)


def _finish(qtbot, w: Wizard, amount: int, date: str) -> Path:  # type: ignore[no-untyped-def]
    w.next()  # results -> details
    details = w.pages["details"]
    assert details.amount.text() == str(amount)  # type: ignore[attr-defined]  # prefilled from the reading
    assert details.date.date().toString("yyyy-MM-dd") == date  # type: ignore[attr-defined]
    w.next()
    assert w.current.key == "summary"
    summary = w.pages["summary"]
    if summary.question.isVisibleTo(w):  # type: ignore[attr-defined]
        summary.confirm_gift.setChecked(True)  # type: ignore[attr-defined]
    assert not w.next_button.isEnabled() and "同意" in w.why.text()  # consent first, and it says so
    summary.consent.setChecked(True)  # type: ignore[attr-defined]
    assert w.next_button.isEnabled() and not w.why.text()
    w.next()
    assert w.current.key == "done"
    w.pages["done"].save_button.click()  # type: ignore[attr-defined]
    # The worker's result reaches the wizard and the page as two queued calls: wait for both.
    qtbot.waitUntil(lambda: w.result is not None and bool(w.pages["done"].fingerprint.text()), timeout=60_000)  # type: ignore[attr-defined]
    assert w.pages["done"].fingerprint.text() == w.result.fingerprint  # type: ignore[attr-defined,union-attr]
    return w.result.path  # type: ignore[union-attr]


def test_the_shop_route_ends_in_a_bundle_that_verifies(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    t = TRUTH["store-slip-photo.jpg"]
    _choose(wizard, 2)
    _add_and_read(qtbot, wizard, [SAMPLES / t["file"]])
    rows = wizard.pages["results"].rows  # type: ignore[attr-defined]
    assert rows["amount"].value.text() == f"{t['amount']:,} 円"
    assert "決め手: 合計の表示" in rows["amount"].explain.text()  # what chose the amount, in one line
    assert rows["date"].value.text() == t["date"]
    path = _finish(qtbot, wizard, t["amount"], t["date"])
    v = verify_bundle(path)
    assert v.intact
    assert v.manifest["declared"]["purchase_date"] == t["date"]  # type: ignore[index]
    assert v.manifest["declared"]["route"] == "store"  # type: ignore[index]
    assert v.manifest["declared"]["amount"] == t["amount"]  # type: ignore[index]


def test_a_reading_out_of_time_says_so(qtbot, wizard: Wizard, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RECEIPT_ASSISTANT_BUDGET", "0.001")
    _choose(wizard, 2)
    _add_and_read(qtbot, wizard, [SAMPLES / "store-slip-photo.jpg"])
    assert "時間内に読み取りを終えられなかった" in wizard.pages["results"].extra.text()  # type: ignore[attr-defined]


def test_the_amazon_route_with_a_correction(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    t = TRUTH["amazon-receipt.png"]
    _choose(wizard, 0)
    _add_and_read(qtbot, wizard, [SAMPLES / t["file"]])
    results = wizard.pages["results"]
    results.rows["amount"].edit.setText(str(t["amount"] + 1000))  # type: ignore[attr-defined]
    results.rows["amount"].edit.editingFinished.emit()  # type: ignore[attr-defined]
    row = results.rows["amount"]  # type: ignore[attr-defined]
    assert row.state.text() == "✎ あなたが入力した値"
    assert row.value.text() == f"{t['amount'] + 1000:,} 円"
    assert f"画像から読み取った値: {t['amount']:,} 円" in row.explain.text()
    path = _finish(qtbot, wizard, t["amount"] + 1000, t["date"])
    manifest = verify_bundle(path).manifest
    assert manifest["corrections"][0]["field"] == "amount"  # type: ignore[index]
    assert manifest["corrections"][0]["value_read"] == t["amount"]  # type: ignore[index]
    assert manifest["corrections"][0]["value_given"] == t["amount"] + 1000  # type: ignore[index]
    assert manifest["reading"]["fields"]["amount"]["value"] == t["amount"]  # type: ignore[index]


def test_paste_and_drop_add_images(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    _choose(wizard, 0)
    page = wizard.images_page
    QGuiApplication.clipboard().setImage(QImage(str(SAMPLES / "amazon-receipt.png")))
    page.paste()
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=30_000)
    assert Path(page.items[0].path).name.startswith("pasted-")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLES / "store-slip.png"))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    qtbot.waitUntil(lambda: len(page.items) == 2, timeout=30_000)
    assert wizard.draft.files == [page.items[0].path, str(SAMPLES / "store-slip.png")]


def test_a_file_that_is_not_an_image_is_explained_and_nothing_else_lost(qtbot, wizard: Wizard,
                                                                       tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _choose(wizard, 2)
    fake = tmp_path / "receipt.jpg"
    fake.write_text("not a picture", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_files", lambda parent: [str(SAMPLES / "store-slip.png"), str(fake)])
    page = wizard.images_page
    page.open_button.click()
    qtbot.waitUntil(lambda: "receipt.jpg" in page.status.text(), timeout=30_000)
    assert [Path(i.path).name for i in page.items] == ["store-slip.png"]


def test_cancel_during_reading_keeps_the_images(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(SAMPLES / "store-slip-photo.jpg"), str(SAMPLES / "store-slip.png")])
    qtbot.waitUntil(lambda: len(page.items) == 2 and page.is_complete(), timeout=30_000)
    wizard.next()
    wizard.pages["reading"].cancel_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: wizard.current.key == "images", timeout=60_000)
    assert "中止" in page.status.text()
    assert len(page.items) == 2 and wizard.reading is None


def test_a_draft_is_offered_again_after_closing_midway(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(first)
    _choose(first, 2)
    first.images_page.add_files([str(SAMPLES / "store-slip.png")])
    qtbot.waitUntil(lambda: len(first.images_page.items) == 1, timeout=30_000)
    first.close()

    again = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(again)
    assert again.saved_draft is not None
    assert again.pages["welcome"].banner.isVisibleTo(again)  # type: ignore[attr-defined]
    again.pages["welcome"].resume_button.click()  # type: ignore[attr-defined]
    assert again.draft.route == "store"
    assert again.current.key == "images"
    qtbot.waitUntil(lambda: len(again.images_page.items) == 1, timeout=30_000)


def test_the_declared_values_are_checked_against_the_reading(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    t = TRUTH["store-slip.png"]
    _choose(wizard, 2)
    _add_and_read(qtbot, wizard, [SAMPLES / t["file"]])
    wizard.next()
    details = wizard.pages["details"]
    details.amount.setText(str(t["amount"] + 1))  # type: ignore[attr-defined]
    assert "違います" in details.compare.text()  # type: ignore[attr-defined]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    from PySide6.QtCore import QDate

    details.date.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))  # type: ignore[attr-defined]
    assert not wizard.next_button.isEnabled()  # a purchase date in the future cannot be saved
    assert "今日より後" in wizard.why.text()


def test_without_tesseract_the_values_can_be_typed_by_hand(qtbot, wizard: Wizard, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core import api
    from receipt_assistant.core.errors import TesseractMissing
    from receipt_assistant.core.model import Message
    from receipt_assistant.gui import wizard as wizard_module

    def missing(*args: object, **kwargs: object) -> None:
        raise TesseractMissing(Message("Tesseract をインストールしてください。", "Install Tesseract."))

    monkeypatch.setattr(api, "make_engine", missing)
    monkeypatch.setattr(wizard_module, "make_engine", missing)
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(SAMPLES / "store-slip.png")])
    qtbot.waitUntil(lambda: page.is_complete(), timeout=30_000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.current.key == "results", timeout=30_000)
    results = wizard.pages["results"]
    assert "Tesseract をインストール" in results.advice.text()  # type: ignore[attr-defined]
    assert results.rows["amount"].state.text() == "！ 見つかりません"  # type: ignore[attr-defined]
    for name, value in (("amount", "5000"), ("date", "2024-05-01")):
        results.rows[name].edit.setText(value)  # type: ignore[attr-defined]
        results.rows[name].edit.editingFinished.emit()  # type: ignore[attr-defined]
    path = _finish(qtbot, wizard, 5000, "2024-05-01")
    manifest = verify_bundle(path).manifest
    assert manifest["tesseract"] is None  # type: ignore[index]
    assert {c["field"]: c["value_given"] for c in manifest["corrections"]} == {  # type: ignore[index]
        "amount": 5000, "date": "2024-05-01"}


def test_a_full_disk_when_saving_is_explained_and_nothing_is_lost(qtbot, wizard: Wizard, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno
    import os

    t = TRUTH["store-slip.png"]
    _choose(wizard, 2)
    _add_and_read(qtbot, wizard, [SAMPLES / t["file"]])
    wizard.next()
    wizard.next()
    wizard.pages["summary"].consent.setChecked(True)  # type: ignore[attr-defined]
    wizard.next()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    done = wizard.pages["done"]
    done.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "空き" in done.status.text(), timeout=60_000)  # type: ignore[attr-defined]
    assert done.save_button.isEnabled() and wizard.result is None  # type: ignore[attr-defined]
    assert wizard.draft.files == [str(SAMPLES / t["file"])]
    monkeypatch.undo()
    done.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=60_000)


def test_the_window_keeps_responding_while_a_12_megapixel_photo_is_read(qtbot, wizard: Wizard,
                                                                         tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import time

    from PIL import Image
    from PySide6.QtCore import QTimer

    big = tmp_path / "big.jpg"
    Image.open(SAMPLES / "store-slip-photo.jpg").resize((4032, 3024)).save(big, quality=90)
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(big)])
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=60_000)
    assert page.is_complete()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.current.key == "results", timeout=180_000)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 20
    assert max(gaps) < 0.5  # the event loop never stalled for half a second


def test_without_a_display_the_app_says_so_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if sys.platform != "linux":
        pytest.skip("only Linux decides by the DISPLAY variable")
    res = subprocess.run([sys.executable, "-m", "receipt_assistant"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "receipt-assistant check" in res.stderr


def test_a_hard_to_read_image_is_warned_about_then_a_retake_asked_for_when_reading_fails(qtbot, wizard: Wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageFilter

    soft = tmp_path / "soft.png"
    Image.open(SAMPLES / "store-slip.png").filter(ImageFilter.GaussianBlur(6)).save(soft)
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(soft)])
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=30_000)
    problems = page.items[0].problems
    assert "blurred" in problems
    assert "ぼやけ" in page.list.item(0).text() or "ピント" in page.list.item(0).text()
    assert wizard.next_button.isEnabled()  # a warning before reading, not a stop
    wizard.next()
    qtbot.waitUntil(lambda: wizard.current.key == "results", timeout=120_000)
    results = wizard.pages["results"]
    assert results.retake_box.isVisibleTo(results)  # type: ignore[attr-defined]
    assert "撮り直し" in results.retake_text.text()  # type: ignore[attr-defined]
    assert not wizard.next_button.isEnabled()
    results.use_anyway.setChecked(True)  # type: ignore[attr-defined]
    assert wizard.next_button.isEnabled()
    wizard.next()
    assert {o["problem"] for o in wizard.draft.overrides} == set(problems)
    assert {o["note"] for o in wizard.draft.overrides} == {"soft.png"}


def test_a_photo_with_a_flaw_that_reads_in_full_is_not_asked_to_be_retaken(qtbot, wizard: Wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    # The slip's header is cut off at the top edge; date, total and gift line are all below it.
    cut = tmp_path / "cut.jpg"
    with Image.open(SAMPLES / "store-slip-photo.jpg") as image:
        w, h = image.size
        image.crop((0, h * 6 // 20, w, h)).save(cut, quality=92)
    _choose(wizard, 2)
    _add_and_read(qtbot, wizard, [cut])
    assert wizard.images_page.items[0].problems == ["cut_off"]
    results = wizard.pages["results"]
    assert wizard.reading is not None and not wizard.reading.quality.retake
    assert not results.retake_box.isVisibleTo(results)  # type: ignore[attr-defined]
    assert wizard.next_button.isEnabled()
    wizard.next()
    assert wizard.draft.overrides == []


def test_turning_a_sideways_image_is_used_for_reading_and_recorded(qtbot, wizard: Wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    t = TRUTH["store-slip.png"]
    sideways = tmp_path / "sideways.png"
    Image.open(SAMPLES / t["file"]).rotate(90, expand=True).save(sideways)  # turned left
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(sideways)])
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=30_000)
    page.list.setCurrentRow(0)
    page.turn_button.click()
    assert wizard.draft.turns == {str(sideways): 90}
    assert page.list.item(0).icon().availableSizes()  # the thumbnail is still shown
    for n in range(page.list.count()):
        if page.items[n].problems:
            page.list.item(n).setCheckState(Qt.CheckState.Checked)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.current.key == "results", timeout=120_000)
    assert wizard.reading.pages[0].rotation == 0  # already upright: no guessing needed  # type: ignore[union-attr]
    path = _finish(qtbot, wizard, t["amount"], t["date"])
    original = next(f for f in verify_bundle(path).manifest["files"] if f["role"] == "original")  # type: ignore[index]
    assert original["turned"] == 90


def test_the_first_steps_work_from_the_keyboard_alone(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    cards = wizard.pages["welcome"].cards.cards  # type: ignore[attr-defined]
    assert all(c.accessibleName() for c in cards)
    cards[1].setFocus()
    QTest.keyClick(cards[1], Qt.Key.Key_Space)
    assert wizard.draft.route == "store" and wizard.current.key == "guide"  # a slip needs no device
    assert wizard.next_button.isDefault()
    QTest.keyClick(wizard.next_button, Qt.Key.Key_Return)
    assert wizard.current.key == "images"
    QTest.keyClick(wizard, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(wizard, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wizard.current.key == "welcome"
    assert cards[1].isChecked() and cards[1].mark.isVisibleTo(wizard)  # the choice is marked, not only coloured


def test_a_twenty_page_pdf_shows_progress_and_the_window_keeps_responding(qtbot, wizard: Wizard,
                                                                          tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import time

    from PIL import Image
    from PySide6.QtCore import QTimer

    page = Image.open(SAMPLES / "store-slip.png").convert("RGB")
    pdf = tmp_path / "twenty.pdf"
    page.save(pdf, "PDF", save_all=True, append_images=[page] * 19, resolution=150.0)
    _choose(wizard, 2)
    images = wizard.images_page
    images.add_files([str(pdf)])
    qtbot.waitUntil(lambda: len(images.items) == 1, timeout=60_000)
    assert len(images.items[0].pages) == 20
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    wizard.next()
    reading = wizard.pages["reading"]
    qtbot.waitUntil(lambda: reading.bar.maximum() == 20 and reading.bar.value() >= 3, timeout=120_000)  # type: ignore[attr-defined]
    reading.cancel_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: wizard.current.key == "images", timeout=60_000)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.5


def test_a_receipt_in_two_files_shows_both_pages(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    _choose(wizard, 0)
    _add_and_read(qtbot, wizard, [SAMPLES / "amazon-receipt.png", SAMPLES / "amazon-receipt-points.png"])
    results = wizard.pages["results"]
    assert results.next_page.isVisible() and "/ 2" in results.page_label.text()  # type: ignore[attr-defined]
    results._show_page(0)  # type: ignore[attr-defined]
    results.next_page.click()  # type: ignore[attr-defined]
    assert results.shown == 1 and not results.next_page.isEnabled()  # type: ignore[attr-defined]


def test_the_slip_corners_are_shown_and_can_be_moved(qtbot, wizard: Wizard) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    from PIL import Image

    from receipt_assistant.core.sheet import find_sheet

    t = TRUTH["store-slip-photo.jpg"]
    photo = SAMPLES / t["file"]
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(photo)])
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=30_000)
    page.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.editor.isVisible() and len(page.editor.handles) == 4, timeout=30_000)
    found = find_sheet(Image.open(photo).convert("L"))
    assert found is not None
    _, factor = page.editing  # type: ignore[misc]
    assert np.abs(page.editor.corners() * factor - found).max() < 6  # the dots sit on the corners found
    assert not page.editor.preview.pixmap().isNull()  # the flattened slip is previewed
    before = page.editor.corners() * factor
    handle = page.editor.handles[0]
    handle.setPos(handle.pos().x() + 10, handle.pos().y() + 10)  # ten screen pixels right and down
    placed = wizard.draft.corners[str(photo)]
    moved = 10 / page.editor.scale * factor  # in the photo's own pixels
    assert abs(placed[0][0] - (before[0][0] + moved)) < 1 and abs(placed[0][1] - (before[0][1] + moved)) < 1
    assert np.abs(np.array(placed[1:]) - before[1:]).max() < 0.5  # the other three stay
    path = _finish_after_reading(qtbot, wizard, t)
    original = next(f for f in verify_bundle(path).manifest["files"] if f["role"] == "original")  # type: ignore[index]
    assert original["corners"] == placed
    page_reset = wizard.images_page
    page_reset.editor.reset()
    assert str(photo) not in wizard.draft.corners


def _finish_after_reading(qtbot, wizard: Wizard, t: dict) -> Path:  # type: ignore[no-untyped-def]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.current.key == "results", timeout=120_000)
    return _finish(qtbot, wizard, t["amount"], t["date"])


def test_a_cut_off_slip_is_warned_about_unless_it_is_one_of_two_parts(qtbot, wizard: Wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    top, bottom = tmp_path / "top.jpg", tmp_path / "bottom.jpg"
    with Image.open(SAMPLES / "store-slip-photo.jpg") as image:
        w, h = image.size
        image.crop((0, 0, w, h * 11 // 20)).save(top, quality=92)
        image.crop((0, h * 9 // 20, w, h)).save(bottom, quality=92)
    _choose(wizard, 2)
    page = wizard.images_page
    page.add_files([str(top)])
    qtbot.waitUntil(lambda: len(page.items) == 1, timeout=30_000)
    assert page.items[0].problems == ["cut_off"]
    assert "下端で切れています" in page.list.item(0).text()
    assert "読み取りにくいかもしれない" in page.status.text()
    # The rest of the slip in a second photo: the cut edges are expected now.
    page.add_files([str(bottom)])
    qtbot.waitUntil(lambda: len(page.items) == 2, timeout=30_000)
    assert [i.problems for i in page.items] == [[], []]
    assert wizard.next_button.isEnabled()
