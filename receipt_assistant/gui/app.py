"""Starting the wizard: the display, the language, the look."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from receipt_assistant.core.errors import ReceiptError
from receipt_assistant.core.guides import icon_path, translations_dir
from receipt_assistant.core.settings import Settings


def has_display() -> bool:
    """Whether a window can be shown (on Linux a display server must be named)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def install_translators(app, lang: str) -> list:  # type: ignore[no-untyped-def]
    """The app's own strings and Qt's standard buttons, in ``lang`` (Japanese is the source)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    kept = []
    for old in getattr(app, "_receipt_translators", []):
        app.removeTranslator(old)
    if lang == "en":
        own = QTranslator(app)
        if own.load(str(translations_dir() / "receipt_assistant_en.qm")):
            app.installTranslator(own)
            kept.append(own)
    qt = QTranslator(app)
    if qt.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        kept.append(qt)
    app._receipt_translators = kept
    return kept


def watch_opened_files(app, lang: str):  # type: ignore[no-untyped-def]
    """Open the bundles the system hands the app in the review window.

    On macOS a file opened with the app (Open With, a double-click) arrives
    as an event, not as an argument; it may come before or after a window.
    """
    from PySide6.QtCore import QEvent, QObject

    class OpenedFiles(QObject):
        def __init__(self) -> None:
            super().__init__(app)
            self.window = None

        def eventFilter(self, obj, event) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.FileOpen and event.file():
                self.open(Path(event.file()))
                return True
            return False

        def open(self, path: Path) -> None:
            from receipt_assistant.gui.review import ReviewWindow

            settings = Settings.load()
            language = settings.language or lang
            if self.window is None:
                try:
                    self.window = ReviewWindow(settings, language)
                except ReceiptError as exc:
                    _cannot_start(exc, language)
                    return
            files = [*self.window.files, path] if path not in self.window.files else self.window.files
            self.window.open_files(files)
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()

    opener = getattr(app, "_receipt_opened_files", None)
    if opener is None:
        opener = OpenedFiles()
        app.installEventFilter(opener)
        app._receipt_opened_files = opener
    return opener


def _application(lang: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("receipt-assistant")
    try:
        app.setWindowIcon(QIcon(str(icon_path())))
    except ReceiptError:
        pass  # the window that follows says what is missing
    watch_opened_files(app, lang)
    from receipt_assistant.gui.style import stylesheet

    app.setStyleSheet(stylesheet())
    # The system switched between light and dark while the app was open.
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: app.setStyleSheet(stylesheet()))
    return app


def _no_display() -> int:
    print("画面（ディスプレイ）が見つからないため、ウィンドウを開けません。コマンドで確認するには "
          "receipt-assistant check FILE を使ってください。 / No display found; use "
          "`receipt-assistant check FILE` on the command line.", file=sys.stderr)
    return 2


def _cannot_start(exc: ReceiptError, lang: str) -> int:
    """Say why the window cannot open, in a dialog: a windowed app has no console to print to."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    print(exc.text(lang), file=sys.stderr)
    QMessageBox.critical(None, QCoreApplication.translate("Wizard", "購入証明アシスタント"), exc.text(lang))
    return exc.exit_code


def _smoke_test(app, report: Path) -> None:  # type: ignore[no-untyped-def]
    """Write the clock time once the first window is up, then quit (the frozen app's check)."""
    from PySide6.QtCore import QTimer

    def done() -> None:
        report.write_text(f"{time.time():.3f}", encoding="utf-8")
        app.quit()

    QTimer.singleShot(0, done)


def run_review(lang: str, folder: Path | None, files: list[Path] | None = None) -> int:
    """Open the staff review window on ``folder`` (or the last one reviewed), or on chosen bundles."""
    if not has_display():
        return _no_display()
    from receipt_assistant.gui.review import ReviewWindow

    app = _application(lang)
    settings = Settings.load()
    install_translators(app, settings.language or lang)
    if folder is None and not files and settings.review_folder and Path(settings.review_folder).is_dir():
        folder = Path(settings.review_folder)
    try:
        window = ReviewWindow(settings, settings.language or lang, folder)
    except ReceiptError as exc:
        return _cannot_start(exc, settings.language or lang)
    if files:
        window.open_files(files)
    window.show()
    return app.exec()


def wizard_launcher(app, settings: Settings):  # type: ignore[no-untyped-def]
    """A function that opens the wizard in a language; called again, it reopens it in another.

    Qt translates a widget when it is built, so a new language means a new
    window; it takes over the old one's submission and page, and runs nothing again.
    """
    from receipt_assistant.gui.wizard import Wizard

    state: dict[str, Wizard] = {}

    def launch(language: str) -> Wizard:
        install_translators(app, language)
        old = state.get("window")
        window = Wizard(settings, language, relaunch=launch, engine=old.engine if old is not None else None)
        if old is not None:
            window.take_over(old)
            state["previous"] = old  # kept alive: it is still inside its language box's signal
        state["window"] = window
        window.show()
        return window

    return launch


def run(lang: str, smoke_test: Path | None = None) -> int:
    """Open the wizard; returns the exit code.

    With ``smoke_test`` the app writes the time its window was up to that
    file and quits.
    """
    if not has_display():
        return _no_display()
    app = _application(lang)
    settings = Settings.load()
    launch = wizard_launcher(app, settings)
    try:
        launch(settings.language or lang)
    except ReceiptError as exc:
        return _cannot_start(exc, settings.language or lang)
    if smoke_test is not None:
        _smoke_test(app, smoke_test)
    return app.exec()
