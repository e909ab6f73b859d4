"""Taking the photo with the computer's camera, inside the wizard.

The dialog shows what the camera sees, says about once a second whether that
picture would be easy to read (the same words the images page uses for a
file), and keeps the frame the customer takes as a JPEG beside the draft.

The dialog gets its pictures from a *frame source*: an object with a
``frame`` signal (QImage), a ``failed`` signal (a sentence), ``names()``,
``start(index)`` and ``stop()``. The real one wraps QCamera; tests and the
screenshots give it pictures of their own. QtMultimedia (PySide6-Addons) is
imported only here and only when needed: where it is missing or cannot load
(on Linux it needs libpulse), there is simply no camera.
"""

from __future__ import annotations

import functools
import time
from types import ModuleType
from typing import Any, Protocol

from PySide6.QtCore import (
    QCameraPermission,
    QCoreApplication,
    QLoggingCategory,
    QObject,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core import quality
from receipt_assistant.core.draft import save_camera_photo
from receipt_assistant.core.model import PageQuality
from receipt_assistant.gui.imaging import to_pil
from receipt_assistant.gui.style import colours
from receipt_assistant.gui.tasks import Task

# The preview needs no more than this many pictures a second; each costs a
# conversion on the UI thread.
PREVIEW_FPS = 20
# Largest camera picture asked for: more pixels help reading, but every frame
# is decoded and converted, and the quality is measured on one a second.
MAX_CAMERA_PIXELS = 2560 * 1440
MIN_CAMERA_FPS = 10.0


class FrameSource(Protocol):
    """Where the dialog's pictures come from (a QObject in practice)."""

    frame: Any  # Signal(QImage)
    failed: Any  # Signal(str): a sentence for the customer

    def names(self) -> list[str]: ...

    def start(self, index: int = 0) -> None: ...

    def stop(self) -> None: ...


# -- QtMultimedia, only when it is there -------------------------------------------


@functools.cache
def _multimedia() -> ModuleType | None:
    """PySide6.QtMultimedia, or None where it is not installed or cannot load."""
    # The optional libraries it looks for (hardware decoding, PipeWire) and the
    # FFmpeg version are of no use to a customer reading the terminal.
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false")
    try:
        from PySide6 import QtMultimedia
    except ImportError:
        return None
    return QtMultimedia


def cameras_available() -> bool:
    """Whether this computer has a camera the app can use."""
    mm = _multimedia()
    return mm is not None and bool(mm.QMediaDevices.videoInputs())


def watch_cameras(parent: QObject, changed: Any) -> QObject | None:
    """Call ``changed`` whenever a camera is plugged in or out; None when there is no QtMultimedia."""
    mm = _multimedia()
    if mm is None:
        return None
    devices = mm.QMediaDevices(parent)
    devices.videoInputsChanged.connect(changed)
    return devices


def best_format(formats: list[tuple[int, int, float]]) -> int | None:
    """Index of the camera format to use among (width, height, frames a second), or None.

    The most pixels up to MAX_CAMERA_PIXELS at a usable frame rate (small text
    needs pixels; aiming needs a live picture), then the highest frame rate.
    """
    usable = [(w * h, fps, n) for n, (w, h, fps) in enumerate(formats)
              if w * h <= MAX_CAMERA_PIXELS and fps >= MIN_CAMERA_FPS]
    if not usable:
        usable = [(-(w * h), fps, n) for n, (w, h, fps) in enumerate(formats)]  # the smallest then
    if not usable:
        return None
    return max(usable)[2]


class QtCameraSource(QObject):
    """Frames of the computer's cameras through QCamera, a capture session and a video sink."""

    frame = Signal(QImage)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        mm = _multimedia()
        if mm is None:
            raise RuntimeError("QtMultimedia is not available")
        self._mm = mm
        default = mm.QMediaDevices.defaultVideoInput().id()
        self._devices = sorted(mm.QMediaDevices.videoInputs(), key=lambda d: d.id() != default)
        self._session = mm.QMediaCaptureSession(self)
        self._sink = mm.QVideoSink(self)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._camera: Any = None
        self._wanted: int | None = None
        self._last = 0.0

    def names(self) -> list[str]:
        return [d.description() for d in self._devices]

    def start(self, index: int = 0) -> None:
        self.stop()
        self._wanted = index
        app = QCoreApplication.instance()
        permission = QCameraPermission()
        status = app.checkPermission(permission)
        if status == Qt.PermissionStatus.Undetermined:  # macOS asks the customer once
            app.requestPermission(permission, self, lambda p: self._open(index, p.status()))
        else:
            self._open(index, status)

    def _open(self, index: int, status: Qt.PermissionStatus) -> None:
        if self._wanted != index:
            return
        if status != Qt.PermissionStatus.Granted:
            self.failed.emit(self.tr(
                "カメラの使用が許可されていません。システムの設定で、このアプリにカメラの使用を許可してください。"))
            return
        if not 0 <= index < len(self._devices):
            self.failed.emit(self.tr("カメラが見つかりません。"))
            return
        device = self._devices[index]
        camera = self._mm.QCamera(device, self)
        formats = device.videoFormats()
        chosen = best_format([(f.resolution().width(), f.resolution().height(), f.maxFrameRate())
                              for f in formats])
        if chosen is not None:
            camera.setCameraFormat(formats[chosen])
        camera.errorOccurred.connect(self._error)
        self._session.setCamera(camera)
        self._camera = camera
        camera.start()

    def stop(self) -> None:
        self._wanted = None
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)
            self._camera.deleteLater()
            self._camera = None

    def _error(self, _error: Any, text: str) -> None:
        self.failed.emit(self.tr(
            "カメラを使えませんでした（{0}）。ほかのアプリがカメラを使っていないか確かめてください。").format(text))

    def _on_frame(self, video_frame: Any) -> None:
        now = time.monotonic()
        if self._camera is None or now - self._last < 1.0 / PREVIEW_FPS or not video_frame.isValid():
            return
        image = video_frame.toImage()
        if not image.isNull():
            self._last = now
            self.frame.emit(image)


def make_source(parent: QObject | None = None) -> FrameSource:
    """The computer's cameras (a seam: tests and the screenshots replace it)."""
    return QtCameraSource(parent)


# -- the dialog -------------------------------------------------------------------


class Preview(QWidget):
    """The latest picture, scaled to fit, or a sentence while there is none."""

    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.placeholder = ""
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202020"))
        if self.image is None or self.image.isNull():
            painter.setPen(QColor("#f0f0f0"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)


class CameraDialog(QDialog):
    """Aim the camera at the receipt, see whether it would read well, take the photo."""

    taken = Signal(str)  # the path of the photo kept
    MEASURE_MS = 1000  # how often the picture's quality is measured

    def __init__(self, lang: str, parent: QWidget | None = None, source: FrameSource | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.source = source if source is not None else make_source(self)
        self.latest: QImage | None = None
        self.quality: PageQuality | None = None
        self.measuring: Task | None = None
        self.saving: Task | None = None
        self.path: str | None = None
        self._started = False
        self.setWindowTitle(self.tr("カメラで撮る"))
        self.resize(960, 760)
        lay = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "レシートを明るい場所に平らに置き、全体が映るようにカメラを向けてください。"
            "文字にピントが合い、下に「読み取りやすい画像です。」と出たら「撮る」を押します。"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        names = self.source.names()
        row = QHBoxLayout()
        self.chooser_label = QLabel(self.tr("カメラ:"))
        self.chooser = QComboBox()
        self.chooser.addItems(names)
        self.chooser.setAccessibleName(self.tr("使うカメラ"))
        row.addWidget(self.chooser_label)
        row.addWidget(self.chooser, 1)
        for w in (self.chooser_label, self.chooser):
            w.setVisible(len(names) > 1)
        lay.addLayout(row)
        self.preview = Preview()
        self.preview.placeholder = self.tr("カメラを起動しています…")
        self.preview.setAccessibleName(self.tr("カメラの映像"))
        lay.addWidget(self.preview, 1)
        self.feedback = QLabel("")
        self.feedback.setWordWrap(True)
        self.feedback.setObjectName("cameraFeedback")
        lay.addWidget(self.feedback)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("キャンセル"))
        self.take_button = QPushButton(self.tr("撮る"))
        self.take_button.setObjectName("primary")
        self.take_button.setDefault(True)
        self.take_button.setEnabled(False)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.take_button)
        lay.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.take_button.clicked.connect(self.take)
        self.chooser.currentIndexChanged.connect(self._choose)
        self.source.frame.connect(self._frame)
        self.source.failed.connect(self._failed)
        self.timer = QTimer(self)
        self.timer.setInterval(self.MEASURE_MS)
        self.timer.timeout.connect(self._measure)

    # -- the camera --------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.source.start(self.chooser.currentIndex() if self.chooser.count() else 0)

    def _choose(self, index: int) -> None:
        self.latest, self.quality = None, None
        self.preview.show_image(None)
        self.feedback.setText("")
        self.status.setText("")
        self.take_button.setEnabled(False)
        self.source.start(index)

    def _frame(self, image: QImage) -> None:
        first = self.latest is None
        self.latest = image
        self.preview.show_image(image)
        if self.saving is None:
            self.take_button.setEnabled(True)
        if first:
            self.take_button.setFocus()  # Space or Enter takes the photo
            self.status.setText("")
            self.feedback.setText(self.tr("画像を確かめています…"))
            self._measure()
            self.timer.start()

    def _failed(self, text: str) -> None:
        self.status.setText(text)

    # -- feedback, off the UI thread ----------------------------------------------
    def _measure(self) -> None:
        """Measure the current picture in the background, unless a measurement is still running."""
        image = self.latest
        if image is None or self.saving is not None or (self.measuring is not None and self.measuring.running):
            return
        task = Task(lambda progress, cancel: quality.measure(to_pil(image)))
        task.succeeded.connect(self._measured)
        self.measuring = task
        task.start()

    def _measured(self, measured: PageQuality) -> None:
        if self.latest is None:
            return  # another camera was chosen meanwhile
        self.quality = measured
        if measured.problems:
            self.feedback.setText("\n".join(p.message.text(self.lang) for p in measured.problems))
            self.feedback.setStyleSheet(f"color: {colours().doubt};")
        else:
            self.feedback.setText(self.tr("読み取りやすい画像です。"))
            self.feedback.setStyleSheet(f"color: {colours().ok};")

    # -- taking the photo ---------------------------------------------------------
    def take(self) -> None:
        """Keep the current picture beside the draft (in the background), then close."""
        image = self.latest
        if image is None or self.saving is not None:
            return
        self.take_button.setEnabled(False)
        self.timer.stop()
        self.status.setText(self.tr("写真を保存しています…"))
        task = Task(lambda progress, cancel: str(save_camera_photo(to_pil(image))))
        task.succeeded.connect(self._saved)
        task.failed.connect(self._save_failed)
        self.saving = task
        task.start()

    def _saved(self, path: str) -> None:
        self.saving = None
        self.path = path
        self.taken.emit(path)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = None
        self.status.setText(self.tr("写真を保存できませんでした（{0}）。ディスクの空きを確認してください。").format(exc))
        self.take_button.setEnabled(self.latest is not None)
        self.timer.start()

    def done(self, result: int) -> None:
        """Closing, by any way: the camera goes off and late results are ignored."""
        self.timer.stop()
        self.source.stop()
        if self.measuring is not None:
            self.measuring.succeeded.disconnect(self._measured)
            self.measuring = None
        if self.saving is not None:  # cancelled while saving: the photo is not added
            self.saving.succeeded.disconnect(self._saved)
            self.saving.failed.disconnect(self._save_failed)
            self.saving = None
        super().done(result)
