"""Render every page of the wizard, in Japanese and English, to docs/screenshots/.

    python tools/screenshots.py          (make screenshots)

Runs offscreen with the real reading on a committed sample. Machines without
a Japanese font get one from the test fonts, so the pictures show what a
customer sees rather than empty boxes.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SAMPLES = ROOT / "resources" / "samples"


def _japanese_font() -> None:
    from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

    if any("JP" in f or "CJK" in f for f in QFontDatabase.families()):
        return
    try:
        import pylopdf_fonts_jp
    except ImportError:
        return
    fonts = sorted(Path(pylopdf_fonts_jp.__file__).parent.glob("NotoSansJP*"))
    if fonts:
        family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(fonts[0])))[0]
        QGuiApplication.setFont(QFont(family, 10))


def _wait(app, condition: Callable[[], bool], timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the wizard did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def _webcam_frame():  # type: ignore[no-untyped-def]
    """A 4:3 webcam picture of the sample slip: the photo, the table beside it mirrored outwards."""
    import numpy as np
    from PIL import Image

    from receipt_assistant.gui.imaging import to_qimage

    photo = Image.open(SAMPLES / "store-slip-photo.jpg").convert("RGB")
    photo = photo.resize((round(photo.width * 960 / photo.height), 960), Image.Resampling.LANCZOS)
    a = np.asarray(photo)
    left_pad = (1280 - photo.width) // 2

    def table(strip, width: int):  # type: ignore[no-untyped-def]
        tiles, total = [], 0
        while total < width:
            strip = strip[:, ::-1]
            tiles.append(strip)
            total += strip.shape[1]
        return np.concatenate(tiles, axis=1)[:, :width]

    left = table(a[:, :150], left_pad)[:, ::-1]
    right = table(a[:, -150:], 1280 - photo.width - left_pad)
    return to_qimage(Image.fromarray(np.concatenate([left, a, right], axis=1)))[0]


def _camera_shot(app, w, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The camera dialog over the images page, showing the sample slip and its feedback."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtGui import QImage

    from receipt_assistant.gui import camera

    class StillCamera(QObject):
        frame = Signal(QImage)
        failed = Signal(str)

        def names(self) -> list[str]:
            return ["FaceTime HD Camera"]

        def start(self, index: int = 0) -> None:
            pass

        def stop(self) -> None:
            pass

    source = StillCamera()
    real = camera.make_source
    camera.make_source = lambda parent=None: source  # type: ignore[assignment]
    try:
        page = w.images_page
        page.camera_button.click()
        dialog = page.camera_dialog
        source.frame.emit(_webcam_frame())
        easy = dialog.tr("読み取りやすい画像です。")
        _wait(app, lambda: dialog.feedback.text() == easy, timeout=30)
        app.processEvents()
        dialog.grab().save(str(OUT / f"4-camera-{lang}.png"))
        dialog.reject()
        app.processEvents()
    finally:
        camera.make_source = real  # type: ignore[assignment]


def _review_shot(app, home: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The staff window over the bundles the wizard just saved, plus a copy sent twice and a broken file."""
    import zipfile

    from receipt_assistant.core.review import Store
    from receipt_assistant.core.settings import Settings
    from receipt_assistant.gui.review import ReviewWindow

    inbox = home / f"inbox-{lang}"
    inbox.mkdir()
    made = sorted(home.glob(f"bundles-{lang}-*/*.receipt.zip"))
    for path in made:
        shutil.copy(path, inbox / path.name)
    twice = inbox / f"again_{made[0].name}"
    shutil.copy(made[0], twice)
    with zipfile.ZipFile(twice, "a") as zf:
        zf.comment = b"sent again"
    later = time.time() + 3600  # received an hour after the first copy
    os.utime(twice, (later, later))
    (inbox / "broken.receipt.zip").write_bytes(b"PK\x03\x04 damaged in transit")
    w = ReviewWindow(Settings(staff_name="佐藤" if lang == "ja" else "Sato"), lang, inbox,
                     store=Store(home / f"review-{lang}.sqlite3"))
    w.show()  # at its default size: what a new employee first sees
    _wait(app, lambda: len(w.entries) == len(made) + 2 and not w.pending)
    w.select(next(e.bundle_hash for e in w.entries if e.path == str(twice)))
    _wait(app, lambda: not w.view.scene().items() == [], timeout=30)
    time.sleep(0.3)
    app.processEvents()
    w.grab().save(str(OUT / f"10-review-{lang}.png"))
    w.close()


def _dark_palette():  # type: ignore[no-untyped-def]
    """The system's dark mode, as Qt's Fusion style draws it."""
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Base, "#2a2b2e"), (QPalette.ColorRole.AlternateBase, "#303134"),
                         (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.Button, "#303134"),
                         (QPalette.ColorRole.ButtonText, "#e8eaed"), (QPalette.ColorRole.Highlight, "#8ab4f8"),
                         (QPalette.ColorRole.HighlightedText, "#202124"), (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
                         (QPalette.ColorRole.ToolTipBase, "#303134"), (QPalette.ColorRole.ToolTipText, "#e8eaed")):
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8389"))
    return p


def _walk(app, home: Path, lang: str, route: str, shot: Callable[[object, str], None]) -> None:  # type: ignore[no-untyped-def]
    """One customer's path through the wizard, a picture of each page."""
    from receipt_assistant.core.settings import Settings
    from receipt_assistant.gui.wizard import Wizard

    sample = "amazon-receipt.png" if route == "amazon" else "store-slip-photo.jpg"
    folder = home / f"bundles-{lang}-{route}"
    folder.mkdir(exist_ok=True)
    w = Wizard(Settings(bundle_folder=str(folder)), lang)
    w.resize(1280, 720)
    w.show()
    if route == "amazon":
        shot(w, "1-welcome")
    w.pages["welcome"].cards.cards[0 if route == "amazon" else 1].click()  # type: ignore[attr-defined]
    if route == "amazon":
        shot(w, "2-route")
        w.pages["route"].cards.cards[0].click()  # type: ignore[attr-defined]
        w.next()
    shot(w, f"3-guide-{route}")
    w.next()
    if route == "amazon":
        shot(w, "4-images-empty")
    w.images_page.add_files([str(SAMPLES / sample)])
    _wait(app, lambda: bool(w.images_page.items))
    w.images_page.list.setCurrentRow(0)
    if route == "store":  # a photo: its corners and the flattened slip
        _wait(app, lambda: w.images_page.editor.isVisible())
    shot(w, f"4-images-{route}")
    if route == "store":
        _camera_shot(app, w, lang)
    w.next()
    shot(w, f"5-reading-{route}")
    _wait(app, lambda: w.current.key == "results")
    shot(w, f"6-results-{route}")
    w.next()
    w.pages["details"].name.setText("山田 花子" if route == "amazon" else "鈴木 一郎")  # type: ignore[attr-defined]
    shot(w, f"7-details-{route}")
    w.next()
    w.pages["summary"].consent.setChecked(True)  # type: ignore[attr-defined]
    shot(w, f"8-summary-{route}")
    w.next()
    w.pages["done"].save_button.click()  # type: ignore[attr-defined]
    _wait(app, lambda: w.result is not None and bool(w.pages["done"].fingerprint.text()))  # type: ignore[attr-defined]
    w.pages["done"].folder.setText("~/Documents")  # type: ignore[attr-defined]
    w.pages["done"].file_label.setText(  # type: ignore[attr-defined]
        w.pages["done"].file_label.text().replace(str(folder), "~/Documents"))  # type: ignore[attr-defined]
    shot(w, f"9-done-{route}")
    w.close()


def _no_gift_line(app, home: Path, lang: str, shot: Callable[[object, str], None]) -> None:  # type: ignore[no-untyped-def]
    """The summary of a receipt that shows no gift-card purchase, with an amount typed by hand."""
    from receipt_assistant.core.draft import discard_draft
    from receipt_assistant.core.settings import Settings
    from receipt_assistant.gui.wizard import Wizard

    w = Wizard(Settings(bundle_folder=str(home)), lang)
    w.resize(1280, 720)
    w.show()
    w.pages["welcome"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.pages["route"].cards.cards[0].click()  # type: ignore[attr-defined]
    w.next()
    w.next()
    w.images_page.add_files([str(SAMPLES / "amazon-giftcard-payment.png")])
    _wait(app, lambda: w.images_page.is_complete())
    w.next()
    _wait(app, lambda: w.current.key == "results")
    row = w.pages["results"].rows["amount"]  # type: ignore[attr-defined]
    row.edit.setText("2,000")
    row.edit.editingFinished.emit()
    shot(w, "6-results-corrected")
    w.next()
    w.next()
    shot(w, "8-summary-no-gift-line")
    w.close()
    discard_draft()  # left unsaved on purpose: the next customer starts afresh


def _looks(app, lang: str, shot: Callable[[object, str], None], suffix: str) -> None:  # type: ignore[no-untyped-def]
    """The first pages in another look (dark mode, a 2x display), as a first-time customer sees them."""
    from receipt_assistant.core.draft import discard_draft
    from receipt_assistant.core.settings import Settings
    from receipt_assistant.gui.wizard import Wizard

    discard_draft()
    w = Wizard(Settings(), lang)
    w.resize(1280, 720)
    w.show()
    shot(w, f"1-welcome-{suffix}")
    w.pages["welcome"].cards.cards[0].click()  # type: ignore[attr-defined]
    shot(w, f"2-route-{suffix}")
    w.close()


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="receipt-shots-"))
    os.environ["RECEIPT_ASSISTANT_HOME"] = str(home)
    scale = os.environ.get("QT_SCALE_FACTOR")
    from PySide6.QtWidgets import QApplication

    from receipt_assistant.gui import camera
    from receipt_assistant.gui.app import install_translators
    from receipt_assistant.gui.style import stylesheet

    camera.cameras_available = lambda: True  # type: ignore[assignment]  # show what a computer with a camera shows
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(stylesheet())
    _japanese_font()
    OUT.mkdir(parents=True, exist_ok=True)
    def shooter(lang: str) -> Callable[[object, str], None]:
        def shot(w, name: str) -> None:  # type: ignore[no-untyped-def]
            _wait(app, lambda: True)
            app.processEvents()
            w.grab().save(str(OUT / f"{name}-{lang}.png"))

        return shot

    try:
        for lang in ("ja", "en"):
            install_translators(app, lang)
            if scale:  # a second run, on a 2x display
                _looks(app, lang, shooter(lang), "2x")
                continue
            for route in ("amazon", "store"):
                _walk(app, home, lang, route, shooter(lang))
            _no_gift_line(app, home, lang, shooter(lang))
            _review_shot(app, home, lang)
        if not scale:  # the system's dark mode
            app.setStyle("Fusion")
            app.setPalette(_dark_palette())
            app.setStyleSheet(stylesheet())
            for lang in ("ja", "en"):
                install_translators(app, lang)
                _looks(app, lang, shooter(lang), "dark")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if not scale:
        import subprocess

        subprocess.run([sys.executable, __file__], env={**os.environ, "QT_SCALE_FACTOR": "2"}, check=True)
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
