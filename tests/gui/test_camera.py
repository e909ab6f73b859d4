"""Taking the photo with the camera, through the real wizard and dialog, with a camera made of pictures."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from receipt_assistant.core.draft import draft_dir
from receipt_assistant.core.settings import Settings
from receipt_assistant.gui import camera
from receipt_assistant.gui.app import install_translators
from receipt_assistant.gui.imaging import to_qimage
from receipt_assistant.gui.wizard import Wizard

pytestmark = pytest.mark.gui

BLURRED_JA = "画像がぼやけています"
EASY_JA = "読み取りやすい画像です。"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_LINES = ["ファミリーマート 渋谷店", "2024年5月1日(水) 14:23", "Amazonギフトカード", "POSA ¥5,000",
          "合計 ¥5,000", "お預り ¥10,000", "お釣り ¥5,000"]


class FakeCamera(QObject):
    """A frame source whose pictures the test hands in."""

    frame = Signal(QImage)
    failed = Signal(str)

    def __init__(self, names: tuple[str, ...] = ("テスト用カメラ",)) -> None:
        super().__init__()
        self._names = list(names)
        self.started: list[int] = []
        self.stops = 0

    def names(self) -> list[str]:
        return self._names

    def start(self, index: int = 0) -> None:
        self.started.append(index)

    def stop(self) -> None:
        self.stops += 1


@pytest.fixture(scope="module")
def font() -> ImageFont.FreeTypeFont:
    pylo = pytest.importorskip("pylopdf_fonts_jp")
    return ImageFont.truetype(str(Path(pylo.__file__).parent / "NotoSansJP-Regular.otf"), 22)


def _frame(font: ImageFont.FreeTypeFont, *, blur: float = 0.0) -> QImage:
    """A 1280x720 webcam picture of a slip (22 px characters) on a brown table."""
    px = 22
    paper = Image.new("RGB", (20 * px, int(1.7 * px) * len(_LINES) + 4 * px), (245, 243, 238))
    draw = ImageDraw.Draw(paper)
    for i, text in enumerate(_LINES):
        draw.text((2 * px, 2 * px + i * int(1.7 * px)), text, font=font, fill=(20, 20, 20))
    im = Image.new("RGB", (1280, 720), (92, 74, 60))
    im.paste(paper, ((im.width - paper.width) // 2, (im.height - paper.height) // 2))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur * px))
    return to_qimage(im)[0]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeCamera:
    source = FakeCamera()
    monkeypatch.setattr(camera, "cameras_available", lambda: True)
    monkeypatch.setattr(camera, "make_source", lambda parent=None: source)
    return source


@pytest.fixture
def wizard(qtbot, tmp_path: Path) -> Wizard:  # type: ignore[no-untyped-def]
    w = Wizard(Settings(bundle_folder=str(tmp_path)), "ja")
    qtbot.addWidget(w)
    w.show()
    w.draft.route = "store"
    w.go("images")
    return w


def _open_dialog(qtbot, wizard: Wizard) -> camera.CameraDialog:  # type: ignore[no-untyped-def]
    page = wizard.images_page
    page._update_camera_button()
    assert page.camera_button.isVisibleTo(page)
    page.camera_button.click()
    dialog = page.camera_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _camera_files() -> list[Path]:
    """The photos kept so far (the app's folders are shared by the tests of one run)."""
    folder = draft_dir()
    return sorted(folder.glob("camera-*")) if folder.is_dir() else []


# -- whether the option is there -----------------------------------------------------


def test_without_a_camera_the_button_is_hidden(wizard: Wizard, monkeypatch: pytest.MonkeyPatch) -> None:
    page = wizard.images_page
    monkeypatch.setattr(camera, "cameras_available", lambda: False)
    wizard.go("images")
    assert page.camera_button.isHidden()
    monkeypatch.setattr(camera, "cameras_available", lambda: True)
    wizard.go("images")
    assert page.camera_button.isVisibleTo(page)
    assert page.camera_button.text() == "カメラで撮る"


def test_without_qtmultimedia_there_is_no_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(camera, "_multimedia", lambda: None)
    assert camera.cameras_available() is False
    assert camera.watch_cameras(QObject(), lambda: None) is None


def test_the_real_source_without_a_camera_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    if camera._multimedia() is None:
        pytest.skip("QtMultimedia cannot be loaded here (on Linux it needs libpulse)")
    source = camera.QtCameraSource()
    if source.names():
        pytest.skip("this machine has a camera")
    with qtbot.waitSignal(source.failed, timeout=5000) as blocker:
        source.start(0)
    assert blocker.args == ["カメラが見つかりません。"]
    source.stop()


def test_the_real_source_turns_video_frames_into_pictures(qtbot) -> None:  # type: ignore[no-untyped-def]
    mm = camera._multimedia()
    if mm is None:
        pytest.skip("QtMultimedia cannot be loaded here (on Linux it needs libpulse)")
    source = camera.QtCameraSource()
    source._camera = object()  # as if a camera were running: frames reach the sink
    picture = QImage(320, 240, QImage.Format.Format_RGB32)
    picture.fill(0xFF0AC81E)
    with qtbot.waitSignal(source.frame, timeout=5000) as blocker:
        source._sink.setVideoFrame(mm.QVideoFrame(picture))
    image = blocker.args[0]
    assert image.size() == picture.size() and image.pixelColor(5, 5).getRgb() == (10, 200, 30, 255)
    source._camera = None


def test_the_largest_usable_camera_format_is_chosen() -> None:
    formats = [(640, 480, 30.0), (1920, 1080, 30.0), (1920, 1080, 5.0), (3840, 2160, 30.0), (1280, 720, 60.0)]
    assert camera.best_format(formats) == 1
    assert camera.best_format([(640, 480, 15.0), (640, 480, 30.0)]) == 1
    assert camera.best_format([(3840, 2160, 30.0), (4096, 3072, 30.0)]) == 0  # too big only: the smallest
    assert camera.best_format([]) is None


# -- the dialog ----------------------------------------------------------------------


def test_the_preview_shows_the_picture_and_says_when_it_is_blurred(qtbot, wizard: Wizard, fake: FakeCamera,
                                                                    font) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_dialog(qtbot, wizard)
    assert fake.started == [0]
    assert dialog.chooser.isHidden()  # one camera: nothing to choose
    assert not dialog.take_button.isEnabled()  # nothing to take yet
    blurred = _frame(font, blur=0.12)
    fake.frame.emit(blurred)
    assert dialog.preview.image is not None and dialog.preview.image.size() == blurred.size()
    assert dialog.take_button.isEnabled()
    qtbot.waitUntil(lambda: BLURRED_JA in dialog.feedback.text(), timeout=10_000)
    assert EASY_JA not in dialog.feedback.text()
    # The same words the images page shows for a blurred file.
    assert dialog.quality is not None and [p.id for p in dialog.quality.problems] == ["blurred"]
    assert dialog.feedback.text() == dialog.quality.problems[0].message.ja

    fake.frame.emit(_frame(font))
    qtbot.waitUntil(lambda: dialog.feedback.text() == EASY_JA, timeout=10_000)
    assert dialog.quality is not None and dialog.quality.problems == []
    dialog.reject()


def test_feedback_is_measured_off_the_ui_thread_one_frame_at_a_time(qtbot, wizard: Wizard, fake: FakeCamera,
                                                                      font, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = camera.quality.measure
    release = threading.Event()
    calls: list[bool] = []

    def slow(image):  # type: ignore[no-untyped-def]
        calls.append(QThread.currentThread() is QApplication.instance().thread())
        release.wait(10)
        return real(image)

    monkeypatch.setattr(camera.quality, "measure", slow)
    dialog = _open_dialog(qtbot, wizard)
    frame = _frame(font)
    fake.frame.emit(frame)
    qtbot.waitUntil(lambda: len(calls) == 1)
    for _ in range(5):  # frames keep coming and the timer keeps ticking while one is measured
        fake.frame.emit(frame)
        dialog._measure()
    assert dialog.preview.image is not None  # the UI went on meanwhile
    assert calls == [False]  # measured once, and not on the UI thread
    release.set()
    qtbot.waitUntil(lambda: dialog.feedback.text() == EASY_JA, timeout=10_000)
    dialog.reject()


def test_taking_the_photo_adds_exactly_one_image(qtbot, wizard: Wizard, fake: FakeCamera, font,
                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = wizard.images_page
    added: list[list[str]] = []
    add_files = page.add_files
    monkeypatch.setattr(page, "add_files", lambda files: (added.append(list(files)), add_files(files)))
    before = _camera_files()
    dialog = _open_dialog(qtbot, wizard)
    fake.frame.emit(_frame(font, blur=0.12))
    sharp = _frame(font)
    fake.frame.emit(sharp)
    dialog.take_button.click()
    qtbot.waitUntil(lambda: len(page.items) == 1 and not page.task.running, timeout=20_000)  # type: ignore[union-attr]
    assert page.camera_dialog is None  # closed
    assert fake.stops >= 1  # the camera is off again
    path = Path(page.items[0].path)
    assert path.parent == draft_dir() and path.name.startswith("camera-") and path.suffix == ".jpg"
    assert _camera_files() == before + [path]
    assert added == [[str(path)]]  # added the way a chosen file is, once
    with Image.open(path) as im:
        im.load()
        assert im.format == "JPEG" and im.size == (sharp.width(), sharp.height())
    # Added as a file is: measured, listed, and remembered in the draft.
    assert wizard.draft.files == [str(path)]
    assert page.list.count() == 1 and EASY_JA in page.list.item(0).text()
    assert page.status.text() == ""  # nothing failed to load
    assert page.is_complete()


def test_cancel_adds_nothing(qtbot, wizard: Wizard, fake: FakeCamera, font) -> None:  # type: ignore[no-untyped-def]
    page = wizard.images_page
    before = _camera_files()
    dialog = _open_dialog(qtbot, wizard)
    fake.frame.emit(_frame(font))
    dialog.cancel_button.click()
    assert page.camera_dialog is None
    assert fake.stops >= 1
    qtbot.wait(300)
    assert page.items == [] and wizard.draft.files == [] and page.list.count() == 0
    assert _camera_files() == before


def test_a_camera_can_be_chosen_when_there_are_several(qtbot, wizard: Wizard, fake: FakeCamera) -> None:  # type: ignore[no-untyped-def]
    fake._names = ["内蔵カメラ", "USB カメラ"]
    dialog = _open_dialog(qtbot, wizard)
    assert dialog.chooser.isVisibleTo(dialog) and dialog.chooser.count() == 2
    dialog.chooser.setCurrentIndex(1)
    assert fake.started == [0, 1]
    fake.failed.emit("カメラを使えませんでした")
    assert dialog.status.text() == "カメラを使えませんでした"
    dialog.reject()


def test_no_japanese_is_left_in_the_camera_dialog_in_english(qtbot, fake: FakeCamera, font) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    install_translators(app, "en")
    try:
        fake._names = ["Built-in", "USB"]
        dialog = camera.CameraDialog("en", source=fake)
        qtbot.addWidget(dialog)
        dialog.show()
        texts = [dialog.windowTitle(), dialog.preview.placeholder, dialog.chooser.accessibleName()]
        fake.frame.emit(_frame(font, blur=0.12))
        qtbot.waitUntil(lambda: "blurred" in dialog.feedback.text(), timeout=10_000)
        texts += [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
        assert [t for t in texts if JAPANESE.search(t)] == []
        assert dialog.take_button.text() == "Take photo"
        dialog.reject()
    finally:
        install_translators(app, "ja")
