"""The file dialog: the system's own on Windows and macOS; elsewhere Qt's, every word in the
app's language, its columns readable, the customer's folders in the sidebar."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, QDir, QEvent, QSettings, QUrl
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QTreeView

from receipt_assistant.gui import dialogs
from receipt_assistant.gui.app import install_translators

pytestmark = pytest.mark.gui

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
LABELS = QFileDialog.DialogLabel
TITLE = "レシート・領収書の画像を選ぶ"

ENGLISH = {
    "files": {LABELS.LookIn: "&Look in:", LABELS.FileName: "File &name:", LABELS.FileType: "Files of &type:",
              LABELS.Accept: "&Open", LABELS.Reject: "Cancel"},
    "folder": {LABELS.LookIn: "&Look in:", LABELS.FileName: "&Folder:", LABELS.FileType: "Files of &type:",
               LABELS.Accept: "&Choose", LABELS.Reject: "Cancel"},
    "save": {LABELS.LookIn: "&Look in:", LABELS.FileName: "File &name:", LABELS.FileType: "Files of &type:",
             LABELS.Accept: "&Save", LABELS.Reject: "Cancel"},
}
JAPANESE_LABELS = {
    "files": {LABELS.LookIn: "場所(&L):", LABELS.FileName: "ファイル名(&N):", LABELS.FileType: "ファイルの種類(&T):",
              LABELS.Accept: "開く(&O)", LABELS.Reject: "キャンセル"},
    "folder": {LABELS.LookIn: "場所(&L):", LABELS.FileName: "フォルダ(&F):", LABELS.FileType: "ファイルの種類(&T):",
               LABELS.Accept: "選ぶ(&C)", LABELS.Reject: "キャンセル"},
    "save": {LABELS.LookIn: "場所(&L):", LABELS.FileName: "ファイル名(&N):", LABELS.FileType: "ファイルの種類(&T):",
             LABELS.Accept: "保存(&S)", LABELS.Reject: "キャンセル"},
}
TYPES = {"ja": {"フォルダ", "HEIC ファイル", "PDF ファイル", "JPG ファイル"},
         "en": {"Folder", "HEIC file", "PDF file", "JPG file"}}


@pytest.fixture(autouse=True)
def _qt_settings(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """Qt's file dialog remembers its folder and columns in the user's QtProject.conf: not from tests."""
    scope, fmt = QSettings.Scope.UserScope, QSettings.Format.NativeFormat
    home = str(Path(QSettings(scope, "QtProject").fileName()).parent)
    QSettings.setPath(fmt, scope, str(tmp_path / "qt-settings"))
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # dialogs save when deleted
    QSettings.setPath(fmt, scope, home)


@pytest.fixture
def japanese_font(qapp: QApplication) -> Iterator[None]:
    """A Japanese font for the whole app while the test runs, so pictures show glyphs, not boxes."""
    before = qapp.font()
    added = -1
    if not any("JP" in f or "CJK" in f for f in QFontDatabase.families()):
        fonts = pytest.importorskip("pylopdf_fonts_jp")
        otf = sorted(Path(fonts.__file__).parent.glob("NotoSansJP*"))
        if not otf:
            pytest.skip("no Japanese font")
        added = QFontDatabase.addApplicationFont(str(otf[0]))
        qapp.setFont(QFont(QFontDatabase.applicationFontFamilies(added)[0], 10))
    yield
    qapp.setFont(before)
    if added >= 0:
        QFontDatabase.removeApplicationFont(added)


@pytest.fixture
def language(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[str]:
    """The app's translators for the test's language; Japanese (the source, no own translator) after."""
    install_translators(qapp, request.param)
    yield request.param
    install_translators(qapp, "ja")


@pytest.fixture
def receipts(tmp_path: Path) -> Path:
    """A folder as a customer has it: long Japanese and English names, a phone photo, a subfolder."""
    folder = tmp_path / "receipts"
    (folder / "2024年").mkdir(parents=True)
    (folder / "領収書 2024-11 ヨドバシカメラ 新宿西口本店 ギフトカード購入.jpg").write_bytes(b"x" * 2048)
    (folder / "amazon-order-249-1234567-7654321-receipt.pdf").write_bytes(b"x" * 123456)
    (folder / "IMG_4012.HEIC").write_bytes(b"x" * 3_500_000)
    return folder


def _shown(qtbot, dialog: QFileDialog, rows: int) -> QTreeView:  # type: ignore[no-untyped-def]
    """Show the dialog and wait until Qt has read the folder (names and types)."""
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.findChild(QTreeView, "treeView")
    model, root = tree.model(), tree.rootIndex()
    qtbot.waitUntil(lambda: model.rowCount(root) == rows
                    and all(model.index(r, 2, root).data() for r in range(rows)), timeout=10_000)
    qtbot.wait(100)  # the header resizes to the contents after they arrive
    return tree


def _words(dialog: QFileDialog, tree: QTreeView) -> list[str]:
    """Every word Qt's dialog shows around the files: title, labels, buttons, tips, headers."""
    shown = [dialog.windowTitle()]
    for label in dialog.findChildren(QLabel):
        if label.isVisibleTo(dialog):
            shown.append(label.text())
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisibleTo(dialog):
            shown += [button.text(), button.toolTip()]
    model = tree.model()
    shown += [str(model.headerData(c, tree.header().orientation())) for c in range(model.columnCount())]
    return [text for text in shown if text]


def _types(tree: QTreeView) -> set[str]:
    model, root = tree.model(), tree.rootIndex()
    return {model.index(r, 2, root).data() for r in range(model.rowCount(root))}


def _readable(tree: QTreeView) -> None:
    """The Name column has the room; the others show what they hold in full."""
    header = tree.header()
    assert header.sectionSize(0) >= 0.4 * tree.viewport().width()
    for column in range(1, header.count()):
        if not header.isSectionHidden(column):
            assert header.sectionSize(column) >= tree.sizeHintForColumn(column)


@pytest.mark.parametrize("language", ["ja"], indirect=True)
def test_the_dialog_speaks_japanese(qtbot, language: str, receipts: Path, japanese_font: None) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs._file_dialog(None, TITLE, "files", str(receipts), dialogs.image_filters())
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.windowTitle() == TITLE
    for label, text in JAPANESE_LABELS["files"].items():
        assert dialog.labelText(label) == text
    tree = _shown(qtbot, dialog, 4)
    assert dialog.viewMode() == QFileDialog.ViewMode.Detail
    assert _types(tree) == TYPES["ja"]
    # No English word: Qt's own (buttons' tips, headers) come from its catalogue, the rest from ours.
    assert [w for w in _words(dialog, tree) if WORD.search(re.sub(r"\(&\w\)", "", w))] == []
    _readable(tree)
    assert dialog.grab().save("/tmp/dialog-ja.png")


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_dialog_speaks_english(qtbot, language: str, receipts: Path, japanese_font: None) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs._file_dialog(None, "Choose the receipt images", "files", str(receipts),
                                  dialogs.image_filters())
    qtbot.addWidget(dialog)
    for label, text in ENGLISH["files"].items():
        assert dialog.labelText(label) == text
    tree = _shown(qtbot, dialog, 4)
    assert _types(tree) == TYPES["en"]
    assert [w for w in _words(dialog, tree) if JAPANESE.search(w)] == []
    assert not any(JAPANESE.search(f) for f in dialog.nameFilters())
    _readable(tree)
    assert dialog.grab().save("/tmp/dialog-en.png")


@pytest.mark.parametrize("language", ["ja", "en"], indirect=True)
@pytest.mark.parametrize("mode", ["folder", "save"])
def test_every_question_has_its_own_labels(qtbot, language: str, mode: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    start = str(tmp_path / "export.csv") if mode == "save" else str(tmp_path)
    dialog = dialogs._file_dialog(None, "t", mode, start, ["CSV (*.csv)"] if mode == "save" else [])
    qtbot.addWidget(dialog)
    expected = (JAPANESE_LABELS if language == "ja" else ENGLISH)[mode]
    assert {label: dialog.labelText(label) for label in expected} == expected
    assert Path(dialog.directory().absolutePath()) == tmp_path
    if mode == "save":
        assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        assert dialog.defaultSuffix() == "csv"
        assert [Path(f).name for f in dialog.selectedFiles()] == ["export.csv"]
    else:
        assert dialog.fileMode() == QFileDialog.FileMode.Directory
        assert dialog.testOption(QFileDialog.Option.ShowDirsOnly)


def test_the_pictures_filter_and_the_places(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs._file_dialog(None, TITLE, "files", "", dialogs.image_filters())
    qtbot.addWidget(dialog)
    pictures = dialog.nameFilters()[0]
    patterns = pictures[pictures.index("(") + 1:pictures.rindex(")")].split()
    for pattern in ("*.heic", "*.HEIC", "*.pdf", "*.PDF", "*.jpg", "*.png"):
        assert pattern in patterns
    assert dialog.nameFilters()[-1].endswith("(*)")
    urls = dialog.sidebarUrls()
    assert urls[0] == QUrl.fromLocalFile(QDir.homePath())
    assert len({u.toString() for u in urls}) == len(urls)
    assert all(u.toLocalFile() == "" or Path(u.toLocalFile()).is_dir() for u in urls)


@pytest.mark.parametrize("window", [(400, 300), (1600, 1000)])
def test_the_dialog_is_roomy_and_fits_the_screen(qtbot, window: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(*window)
    dialog = dialogs._file_dialog(parent, "t", "files", "", [])
    room = parent.screen().availableGeometry()
    assert dialog.width() >= min(900, 0.95 * room.width()) - 1
    assert dialog.height() >= min(560, 0.9 * room.height()) - 1
    assert dialog.width() <= room.width() and dialog.height() <= room.height()


def test_linux_asks_in_the_translated_qt_dialog(qapp, monkeypatch: pytest.MonkeyPatch, receipts: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dialogs, "sys", SimpleNamespace(platform="linux"))
    asked: list[QFileDialog] = []
    photo = receipts / "IMG_4012.HEIC"

    def answer(dialog: QFileDialog) -> bool:
        asked.append(dialog)
        dialog.selectFile(str(photo))
        return True

    monkeypatch.setattr(dialogs, "_exec", answer)
    assert dialogs.ask_open_files(None) == [str(photo)]
    assert asked[-1].testOption(QFileDialog.Option.DontUseNativeDialog)
    assert asked[-1].labelText(LABELS.LookIn) == "場所(&L):"

    monkeypatch.setattr(dialogs, "_exec", lambda dialog: asked.append(dialog) or True)
    assert dialogs.ask_folder(None, str(receipts)) == str(receipts)
    assert asked[-1].fileMode() == QFileDialog.FileMode.Directory
    assert dialogs.ask_save_file(None, str(receipts / "export.csv"), "CSV (*.csv)") == str(receipts / "export.csv")

    monkeypatch.setattr(dialogs, "_exec", lambda dialog: False)
    assert dialogs.ask_open_files(None) == []
    assert dialogs.ask_folder(None, str(receipts)) is None
    assert dialogs.ask_save_file(None, str(receipts / "export.csv"), "CSV (*.csv)") is None


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_ask_in_the_system_dialog(qapp, monkeypatch: pytest.MonkeyPatch, platform: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dialogs, "sys", SimpleNamespace(platform=platform))
    monkeypatch.setattr(dialogs, "_file_dialog", lambda *a: pytest.fail("Qt's own dialog on " + platform))
    calls: list[tuple] = []

    class Static:
        @staticmethod
        def getOpenFileNames(*args):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            calls.append(args)
            return ["/a.png"], args[3].split(";;")[0]

        @staticmethod
        def getExistingDirectory(*args):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            calls.append(args)
            return "/out"

        @staticmethod
        def getSaveFileName(*args):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            calls.append(args)
            return "", ""

    monkeypatch.setattr(dialogs, "QFileDialog", Static)
    assert dialogs.ask_open_files(None) == ["/a.png"]
    assert "*.heic" in calls[-1][3]
    assert dialogs.ask_folder(None, "/start") == "/out"
    assert dialogs.ask_save_file(None, "/x.csv", "CSV (*.csv)") is None
    assert len(calls) == 3
