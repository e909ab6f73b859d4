"""Every modal question the app asks, behind one small seam each.

Tests replace these functions, so no test ever waits on a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

IMAGE_FILTER = "*.png *.jpg *.jpeg *.heic *.heif *.webp *.bmp *.tif *.tiff *.pdf"


def ask_open_files(parent: QWidget | None) -> list[str]:
    """Files the customer picked, or [] when they cancelled."""
    files, _ = QFileDialog.getOpenFileNames(
        parent, QCoreApplication.translate("dialogs", "レシート・領収書の画像を選ぶ"), "",
        f"{QCoreApplication.translate('dialogs', '画像・PDF')} ({IMAGE_FILTER} {IMAGE_FILTER.upper()});;"
        f"{QCoreApplication.translate('dialogs', 'すべてのファイル')} (*)")
    return list(files)


def ask_folder(parent: QWidget | None, start: str) -> str | None:
    """A folder to save into, or None when the customer cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, QCoreApplication.translate("dialogs", "保存先のフォルダを選ぶ"), start)
    return folder or None


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_save_file(parent: QWidget | None, suggested: str, filter_: str) -> str | None:
    """Where to write an export, or None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("dialogs", "書き出す"), suggested, filter_)
    return path or None


def show_error(parent: QWidget | None, text: str) -> None:
    """A sentence the user must see before going on."""
    QMessageBox.warning(parent, QCoreApplication.translate("dialogs", "問題があります"), text)
