"""Every modal question the app asks, behind one small seam each.

Tests replace these functions, so no test ever waits on a dialog.

Files and folders are chosen in the system's own dialog on Windows and macOS.
Elsewhere (Linux) Qt draws its own dialog; it is built by ``_file_dialog``
so that every word in it is in the app's language (Qt's Japanese catalogue
lacks some of its labels) and its columns are readable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QDir, QFileInfo, QStandardPaths, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QHeaderView,
    QListView,
    QMessageBox,
    QSplitter,
    QTreeView,
    QWidget,
)

IMAGE_FILTER = "*.png *.jpg *.jpeg *.heic *.heif *.webp *.bmp *.tif *.tiff *.pdf"

Mode = Literal["files", "folder", "save"]
"""What the file dialog is for: opening files, choosing a folder, or saving one file."""

SIZE = (900, 560)
"""The Qt file dialog's size when it has no window to follow."""

PLACES = (
    QStandardPaths.StandardLocation.DesktopLocation,
    QStandardPaths.StandardLocation.DocumentsLocation,
    QStandardPaths.StandardLocation.PicturesLocation,
    QStandardPaths.StandardLocation.DownloadLocation,
)
"""The customer's own folders in the Qt dialog's sidebar, after home."""


def _native() -> bool:
    """Whether files are chosen in the system's own dialog (Windows, macOS) rather than Qt's."""
    return sys.platform in ("win32", "darwin")


def image_filters() -> list[str]:
    """The name filters for receipt pictures and PDFs, then for any file."""
    # Outside the f-strings: lupdate does not look into them.
    pictures = QCoreApplication.translate("dialogs", "画像・PDF")
    anything = QCoreApplication.translate("dialogs", "すべてのファイル")
    return [f"{pictures} ({IMAGE_FILTER} {IMAGE_FILTER.upper()})", f"{anything} (*)"]


def ask_open_files(parent: QWidget | None) -> list[str]:
    """Files the customer picked, or [] when they cancelled."""
    title = QCoreApplication.translate("dialogs", "レシート・領収書の画像を選ぶ")
    if _native():
        files, _ = QFileDialog.getOpenFileNames(parent, title, "", ";;".join(image_filters()))
        return list(files)
    dialog = _file_dialog(parent, title, "files", "", image_filters())
    return _chosen(dialog)


def ask_folder(parent: QWidget | None, start: str) -> str | None:
    """A folder to save into, or None when the customer cancelled."""
    title = QCoreApplication.translate("dialogs", "保存先のフォルダを選ぶ")
    if _native():
        return QFileDialog.getExistingDirectory(parent, title, start) or None
    chosen = _chosen(_file_dialog(parent, title, "folder", start, []))
    return chosen[0] if chosen else None


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_save_file(parent: QWidget | None, suggested: str, filter_: str) -> str | None:
    """Where to write an export, or None when cancelled."""
    title = QCoreApplication.translate("dialogs", "書き出す")
    if _native():
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
        return path or None
    filters = [f for f in filter_.split(";;") if f.strip()]
    chosen = _chosen(_file_dialog(parent, title, "save", suggested, filters))
    return chosen[0] if chosen else None


def open_folder(folder: Path) -> bool:
    """Show a folder in the system's file manager; False where none answers (the caller then shows the path)."""
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_error(parent: QWidget | None, text: str) -> None:
    """A sentence the user must see before going on."""
    QMessageBox.warning(parent, QCoreApplication.translate("dialogs", "問題があります"), text)


def _exec(dialog: QFileDialog) -> bool:
    """Show the dialog until the customer answers; whether they accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def _chosen(dialog: QFileDialog) -> list[str]:
    try:
        return list(dialog.selectedFiles()) if _exec(dialog) else []
    finally:
        dialog.deleteLater()


class _FileTypes(QFileIconProvider):
    """The Type column in the app's language.

    Qt names folders with a string its Japanese catalogue lacks, and files by
    the system's MIME comment in the system's language, not the app's.
    Qt asks for these words from the thread that reads the folder, so they
    are looked up beforehand, in the GUI thread (``retranslate``). One
    provider serves every dialog and lives as long as the app: a folder may
    still be read while a dialog closes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.retranslate()

    def retranslate(self) -> None:
        self.folder = QCoreApplication.translate("dialogs", "フォルダ")
        self.drive = QCoreApplication.translate("dialogs", "ドライブ")
        self.file = QCoreApplication.translate("dialogs", "ファイル")
        self.typed = QCoreApplication.translate("dialogs", "{0} ファイル")

    def type(self, info: QFileInfo) -> str:  # noqa: A003 - Qt's name
        if info.isRoot():
            return self.drive
        if info.isDir():
            return self.folder
        suffix = info.suffix()
        return self.typed.format(suffix.upper()) if suffix else self.file


_FILE_TYPES: list[_FileTypes] = []


def _file_types() -> _FileTypes:
    """The one provider, in the language now installed."""
    if not _FILE_TYPES:
        _FILE_TYPES.append(_FileTypes())
    _FILE_TYPES[0].retranslate()
    return _FILE_TYPES[0]


def _places() -> list[QUrl]:
    """Home, the customer's Desktop, Documents, Pictures and Downloads (those that exist), the computer."""
    home = QDir.homePath()
    seen = {home}
    urls = [QUrl.fromLocalFile(home)]
    for where in PLACES:
        path = QStandardPaths.writableLocation(where)
        if path and path not in seen and QFileInfo(path).isDir():
            seen.add(path)
            urls.append(QUrl.fromLocalFile(path))
    urls.append(QUrl("file:"))  # the drives, or / : where a USB stick is found
    return urls


def _size(parent: QWidget | None) -> tuple[int, int]:
    """900×560, larger with a large window behind, never beyond the screen."""
    width, height = SIZE
    if parent is not None:
        window = parent.window()
        width = max(width, min(round(window.width() * 0.85), 1200))
        height = max(height, min(round(window.height() * 0.85), 800))
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, round(room.width() * 0.95))
        height = min(height, round(room.height() * 0.9))
    return width, height


def _start(dialog: QFileDialog, mode: Mode, start: str) -> None:
    """Open in ``start`` (for saving: the suggested file's folder, with its name filled in)."""
    if not start:
        return  # Qt's choice: the folder the customer last visited
    path = Path(start).expanduser()
    if mode == "save" and not path.is_dir():
        folder = path.parent if str(path.parent) not in ("", ".") and path.parent.is_dir() else None
        if folder is not None:
            dialog.setDirectory(str(folder))
        dialog.selectFile(path.name)
    elif path.is_dir():
        dialog.setDirectory(str(path))


def _labels(dialog: QFileDialog, mode: Mode) -> None:
    """Every label, from the app's own translation: Qt's Japanese lacks "&Look in:" and "Files of &type:"."""
    label = QFileDialog.DialogLabel
    if mode == "folder":
        name = QCoreApplication.translate("dialogs", "フォルダ(&F):")
        accept = QCoreApplication.translate("dialogs", "選ぶ(&C)")
    elif mode == "save":
        name = QCoreApplication.translate("dialogs", "ファイル名(&N):")
        accept = QCoreApplication.translate("dialogs", "保存(&S)")
    else:
        name = QCoreApplication.translate("dialogs", "ファイル名(&N):")
        accept = QCoreApplication.translate("dialogs", "開く(&O)")
    dialog.setLabelText(label.LookIn, QCoreApplication.translate("dialogs", "場所(&L):"))
    dialog.setLabelText(label.FileName, name)
    dialog.setLabelText(label.FileType, QCoreApplication.translate("dialogs", "ファイルの種類(&T):"))
    dialog.setLabelText(label.Accept, accept)
    dialog.setLabelText(label.Reject, QCoreApplication.translate("dialogs", "キャンセル"))


def _columns(dialog: QFileDialog) -> None:
    """Names get the room; size, type and date are as wide as what they show."""
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is None:
        return
    header = tree.header()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(60)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def _sidebar_width(dialog: QFileDialog) -> None:
    """Wide enough for the places' names (Qt remembers a narrow one from earlier dialogs)."""
    sidebar = dialog.findChild(QListView, "sidebar")
    splitter = dialog.findChild(QSplitter, "splitter")
    if sidebar is None or splitter is None:
        return
    model = sidebar.model()
    names = [str(model.index(row, 0).data() or "") for row in range(model.rowCount())]
    text = max((sidebar.fontMetrics().horizontalAdvance(name) for name in names), default=0)
    width = min(max(text + max(sidebar.iconSize().width(), 16) + 40, 150), 260)
    splitter.setSizes([width, dialog.width() - width])


def _file_dialog(parent: QWidget | None, title: str, mode: Mode, start: str,
                 filters: list[str]) -> QFileDialog:
    """Qt's own file dialog, set up and not yet shown (its ``exec()`` asks the question).

    Used where the system has no native dialog Qt uses well (Linux): every
    word in the app's language, the detail view with a wide Name column, and
    the customer's usual folders in the sidebar.
    """
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode == "files":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    else:
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if filters and mode != "folder":
        dialog.setNameFilters(filters)
        dialog.setOption(QFileDialog.Option.HideNameFilterDetails, True)  # "画像・PDF", not ten patterns
        if mode == "save":
            suffix = _first_suffix(filters[0])
            if suffix:
                dialog.setDefaultSuffix(suffix)
    dialog.setIconProvider(_file_types())
    _labels(dialog, mode)
    _start(dialog, mode, start)
    dialog.setSidebarUrls(_places())
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    _columns(dialog)
    dialog.resize(*_size(parent))
    _sidebar_width(dialog)
    return dialog


def _first_suffix(name_filter: str) -> str:
    """``csv`` from ``CSV (*.csv)``; empty when the filter has no plain suffix."""
    inside = name_filter[name_filter.find("(") + 1:name_filter.rfind(")")] if "(" in name_filter else name_filter
    for pattern in inside.split():
        if pattern.startswith("*.") and pattern[2:].isalnum():
            return pattern[2:]
    return ""
