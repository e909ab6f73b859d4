"""The customer's path as a first-time customer walks it: no lost place, an honest summary, reasons for every stop."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from receipt_assistant.core.settings import Settings
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.app import install_translators, wizard_launcher
from receipt_assistant.gui.wizard import Wizard

pytestmark = [pytest.mark.gui, pytest.mark.tesseract, pytest.mark.xdist_group("tesseract")]

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "resources" / "samples"
TRUTH = {t["file"]: t for t in json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))}


@pytest.fixture
def launch(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Open the wizard as the app does; choosing a language reopens it the same way."""
    app = QApplication.instance()
    opened: list[Wizard] = []
    start = wizard_launcher(app, Settings(bundle_folder=str(tmp_path)))

    def open_in(lang: str) -> Wizard:
        w = start(lang)
        qtbot.addWidget(w)
        opened.append(w)
        return w

    yield open_in, opened
    install_translators(app, "ja")


def _switch(opened: list[Wizard], lang: str) -> Wizard:
    old = opened[-1]
    old.language.setCurrentIndex(0 if lang == "ja" else 1)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, Wizard) and w.isVisible()]
    assert len(shown) == 1 and shown[0] is not old and shown[0].lang == lang, "the window reopens in the language"
    opened.append(shown[0])
    return shown[0]


def _read(qtbot, w: Wizard, sample: str) -> None:  # type: ignore[no-untyped-def]
    w.images_page.add_files([str(SAMPLES / sample)])
    qtbot.waitUntil(lambda: w.images_page.is_complete(), timeout=30_000)
    w.next()
    qtbot.waitUntil(lambda: w.current.key == "results", timeout=120_000)


def test_switching_language_on_every_page_keeps_the_page_and_every_value(qtbot, launch) -> None:  # type: ignore[no-untyped-def]
    open_in, opened = launch
    t = TRUTH["amazon-receipt.png"]
    w = open_in("ja")
    for lang in ("en", "ja"):  # the welcome page
        w = _switch(opened, lang)
        assert w.current.key == "welcome"
    w.pages["welcome"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.pages["route"].cards.cards[0].click()  # type: ignore[attr-defined]
    w = _switch(opened, "en")
    assert w.current.key == "route" and w.pages["route"].cards.cards[0].isChecked()  # type: ignore[attr-defined]
    assert w.next_button.text() == "Next"
    w.next()
    w.pages["guide"].newer.click()  # type: ignore[attr-defined]
    w = _switch(opened, "ja")
    assert w.current.key == "guide" and w.pages["guide"].newer.isChecked()  # type: ignore[attr-defined]
    w.next()
    _read(qtbot, w, t["file"])
    reading = w.reading
    rows = w.pages["results"].rows  # type: ignore[attr-defined]
    rows["amount"].edit.setText("330")
    rows["amount"].edit.editingFinished.emit()

    w = _switch(opened, "en")
    assert w.current.key == "results" and w.reading is reading  # nothing read again
    rows = w.pages["results"].rows  # type: ignore[attr-defined]
    assert rows["amount"].edit.text() == "330"  # the correction shows in its box
    assert rows["amount"].value.text() == "¥330"
    assert rows["amount"].state.text() == "✎ Your value"
    assert w.images_page.items and w.images_page.list.count() == 1  # the pictures, not loaded again

    w.next()
    w.pages["details"].name.setText("山田 花子")  # type: ignore[attr-defined]
    w = _switch(opened, "ja")
    assert w.current.key == "details" and w.pages["details"].name.text() == "山田 花子"  # type: ignore[attr-defined]
    assert w.pages["details"].amount.text() == "330"  # type: ignore[attr-defined]
    w.next()
    w.pages["summary"].consent.setChecked(True)  # type: ignore[attr-defined]
    w = _switch(opened, "en")
    assert w.current.key == "summary" and w.pages["summary"].consent.isChecked()  # type: ignore[attr-defined]
    assert w.next_button.isEnabled()
    w.next()
    w.pages["done"].save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: w.result is not None and bool(w.pages["done"].fingerprint.text()), timeout=60_000)  # type: ignore[attr-defined]
    fingerprint = w.result.fingerprint  # type: ignore[union-attr]
    w = _switch(opened, "ja")
    assert w.current.key == "done" and w.pages["done"].fingerprint.text() == fingerprint  # type: ignore[attr-defined]
    assert not w.pages["done"].save_button.isVisible()  # type: ignore[attr-defined]  # saved once, not again
    assert len(list(Path(w.settings.bundle_folder).glob("*.receipt.zip"))) == 1  # type: ignore[arg-type]


def test_the_summary_says_what_was_typed_and_asks_about_a_missing_gift_line(qtbot, launch) -> None:  # type: ignore[no-untyped-def]
    open_in, _ = launch
    t = TRUTH["amazon-giftcard-payment.png"]  # paid with a gift card: no gift card bought
    w = open_in("ja")
    w.pages["welcome"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.pages["route"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.next()
    w.next()
    _read(qtbot, w, t["file"])
    results = w.pages["results"]
    assert results.rows["gift_card"].state.text() == "！ 見つかりません"  # type: ignore[attr-defined]
    results.rows["amount"].edit.setText("2,000")  # type: ignore[attr-defined]
    results.rows["amount"].edit.editingFinished.emit()  # type: ignore[attr-defined]
    w.next()
    w.next()
    summary = w.pages["summary"]
    said = {line.id: line.message.ja for line in summary.lines.lines}  # type: ignore[attr-defined]
    assert "2,000" in said["amount_corrected"] and f"{t['amount']:,}" in said["amount_corrected"]
    assert "gift_card_missing" in said
    assert summary.question.isVisibleTo(w)  # type: ignore[attr-defined]
    assert "ギフトカードを買ったときのレシート" in summary.question_text.text()  # type: ignore[attr-defined]
    summary.consent.setChecked(True)  # type: ignore[attr-defined]
    assert not w.next_button.isEnabled() and "ギフトカードの行" in w.why.text()
    summary.other_image.click()  # type: ignore[attr-defined]  # "no, choose another image"
    assert w.current.key == "images"
    w.go("summary")
    summary.confirm_gift.setChecked(True)  # type: ignore[attr-defined]
    assert w.next_button.isEnabled()
    w.next()
    w.pages["done"].save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: w.result is not None, timeout=60_000)
    done_lines = [line.id for line in w.pages["done"].lines.lines]  # type: ignore[attr-defined]
    assert "amount_corrected" in done_lines and "gift_card_missing" in done_lines
    with zipfile.ZipFile(w.result.path) as zf:  # type: ignore[union-attr]
        summary_html = zf.read("summary.html").decode("utf-8")
    assert "2,000" in summary_html and "ギフトカードの行が画像に見つかりませんでした" in summary_html


def test_every_stop_says_why_beside_the_button(qtbot, launch) -> None:  # type: ignore[no-untyped-def]
    open_in, _ = launch
    w = open_in("ja")
    assert w.why.text() and w.why.isVisible()  # the welcome page: choose where it was bought
    w.pages["welcome"].cards.cards[1].click()  # type: ignore[attr-defined]
    w.next()
    page = w.images_page
    assert not w.next_button.isEnabled() and "1 枚以上" in w.why.text()
    assert page.list_or_hint.currentWidget() is page.drop_zone  # how to add images, before any is there
    page.add_files([str(SAMPLES / "store-slip.png")])
    qtbot.waitUntil(lambda: page.is_complete(), timeout=30_000)
    assert w.next_button.isEnabled() and not w.why.text()
    assert page.list_or_hint.currentWidget() is page.list


def test_a_value_that_cannot_be_read_as_one_is_said_and_kept_in_its_box(qtbot, launch) -> None:  # type: ignore[no-untyped-def]
    open_in, _ = launch
    w = open_in("ja")
    w.pages["welcome"].cards.cards[1].click()  # type: ignore[attr-defined]
    w.next()
    _read(qtbot, w, "store-slip.png")
    row = w.pages["results"].rows["date"]  # type: ignore[attr-defined]
    assert row.edit.placeholderText().endswith("（例: 2024-05-01）")
    assert w.pages["results"].rows["amount"].edit.placeholderText().endswith("（例: 5,000）")  # type: ignore[attr-defined]
    row.edit.setText("5月1日ごろ")
    row.edit.editingFinished.emit()
    assert "「5月1日ごろ」は購入日として読めません" in row.explain.text()
    assert row.edit.text() == "5月1日ごろ" and not w.draft.corrections


def test_the_done_page_confirms_a_copy_and_shows_the_folder_when_it_cannot_open(qtbot, launch,
                                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    open_in, _ = launch
    w = open_in("ja")
    w.pages["welcome"].cards.cards[1].click()  # type: ignore[attr-defined]
    w.next()
    _read(qtbot, w, "store-slip.png")
    w.next()
    w.next()
    w.pages["summary"].consent.setChecked(True)  # type: ignore[attr-defined]
    w.next()
    done = w.pages["done"]
    done.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: w.result is not None and bool(done.fingerprint.text()), timeout=60_000)  # type: ignore[attr-defined]
    done.copy_button.click()  # type: ignore[attr-defined]
    assert done.copied.text() == "コピーしました"  # type: ignore[attr-defined]
    assert QGuiApplication.clipboard().text() == w.result.fingerprint  # type: ignore[union-attr]
    monkeypatch.setattr(dialogs, "open_folder", lambda path: False)
    done.open_folder.click()  # type: ignore[attr-defined]
    assert done.path_box.isVisibleTo(w)  # type: ignore[attr-defined]
    assert done.path.text() == str(w.result.path.parent)  # type: ignore[attr-defined,union-attr]


def test_bundles_go_to_a_clear_default_folder_and_a_changed_one_is_remembered(qtbot, tmp_path: Path,
                                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QStandardPaths

    documents = tmp_path / "書類"
    documents.mkdir()
    real = QStandardPaths.writableLocation
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda where: str(documents)
                        if where == QStandardPaths.StandardLocation.DocumentsLocation else real(where))
    w = Wizard(Settings(), "ja")
    qtbot.addWidget(w)
    assert w.bundle_folder() == str(documents / "購入証明")
    chosen = tmp_path / "別の場所"
    chosen.mkdir()
    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, start: str(chosen))
    w.pages["done"].change.click()  # type: ignore[attr-defined]
    assert w.settings.bundle_folder == str(chosen) and w.bundle_folder() == str(chosen)


def test_closing_and_reopening_returns_to_the_page_with_every_correction(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(first)
    first.pages["welcome"].cards.cards[1].click()  # type: ignore[attr-defined]
    first.next()
    _read(qtbot, first, "store-slip.png")
    row = first.pages["results"].rows["amount"]  # type: ignore[attr-defined]
    row.edit.setText("4,321")
    row.edit.editingFinished.emit()
    first.next()
    assert first.current.key == "details"
    first.close()

    again = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(again)
    again.pages["welcome"].resume_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: again.current.key == "details", timeout=120_000)
    assert again.pages["details"].amount.text() == "4321"  # type: ignore[attr-defined]
    again.back()
    row = again.pages["results"].rows["amount"]  # type: ignore[attr-defined]
    assert row.edit.text() == "4,321" and row.state.text() == "✎ あなたが入力した値"


def test_the_phone_guide_is_shown_once_without_the_computer_steps(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core.guides import load_guide

    w = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(w)
    w.pages["welcome"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.pages["route"].cards.cards[1].click()  # type: ignore[attr-defined]
    w.next()
    guide = w.pages["guide"]
    assert guide.guide_ids() == ["amazon-phone"]  # type: ignore[attr-defined]
    assert not guide.classic.isVisibleTo(w)  # type: ignore[attr-defined]
    steps = load_guide("amazon-phone", "ja").steps
    assert steps[-2].image is not None and steps[-2].image.name == "phone-screenshot-buttons.svg"
    assert not any(s.image is not None and s.image.name.startswith(("keys-", "screenshot-")) for s in steps)
