"""The wizard's pages. Each shows the state it is given and reports what the customer did.

No page decides anything about receipts: reading, checking and bundling are
core calls run through :class:`~receipt_assistant.gui.tasks.Task`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPen,
    QPixmap,
    QShortcut,
    QTransform,
)
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core import loader, quality
from receipt_assistant.core.errors import ReceiptError
from receipt_assistant.core.fields.amount import explain
from receipt_assistant.core.guides import current_os_name, load_guide
from receipt_assistant.core.model import Field, Message, PageQuality, Problem
from receipt_assistant.gui import camera, dialogs
from receipt_assistant.gui.imaging import THUMB_PX, to_qimage
from receipt_assistant.gui.sheet_editor import SheetEditor
from receipt_assistant.gui.tasks import Task

if TYPE_CHECKING:
    from receipt_assistant.gui.wizard import Wizard

ORDER_HISTORY = "https://www.amazon.co.jp/gp/css/order-history"
GREEN, AMBER, RED = "#1e7b34", "#b26a00", "#b3261e"
HIGHLIGHT = {"date": "#1565c0", "amount": "#6a1b9a", "gift_card": "#ef6c00"}  # outline of each value on the image


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def _text(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Page(QWidget):
    """One step of the wizard."""

    changed = Signal()  # whether the customer may go on has changed
    key = ""

    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.wizard = wizard
        self.setObjectName(f"page-{self.key}")

    def enter(self) -> None:
        """Called each time the page is shown."""

    def is_complete(self) -> bool:
        return True

    def next_label(self) -> str:
        return self.tr("次へ")


# --- 1 -------------------------------------------------------------------------------


class WelcomePage(Page):
    key = "welcome"
    resume = Signal(bool)  # True: continue the draft; False: start afresh
    staff = Signal()  # shop staff want the review window instead

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("購入の証明を一緒に準備しましょう")))
        lay.addWidget(_text(self.tr(
            "Amazon がギフトカードを無効にしたため、ショップが Amazon に説明するための購入の証明が必要になりました。"
            "このアシスタントが、必要な画像の用意から送るファイルの作成まで、順番にご案内します。")))
        lay.addWidget(_text(self.tr(
            "用意していただくもの: Amazon.co.jp で買った場合は注文の領収書のページ、"
            "お店で買った場合はレシート（写真で大丈夫です）。")))
        lay.addWidget(_text(self.tr(
            "読み取りはすべてこのパソコンの中で行います。作ったファイルをお客様がショップに送るまで、"
            "何もインターネットに送られることはありません。")))
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        b = QHBoxLayout(self.banner)
        b.addWidget(_text(self.tr("前回の途中までの内容が保存されています。")), 1)
        self.resume_button = QPushButton(self.tr("続きから始める"))
        self.fresh_button = QPushButton(self.tr("最初から始める"))
        self.resume_button.clicked.connect(lambda: self.resume.emit(True))
        self.fresh_button.clicked.connect(lambda: self.resume.emit(False))
        b.addWidget(self.resume_button)
        b.addWidget(self.fresh_button)
        lay.addWidget(self.banner)
        lay.addStretch(1)
        self.staff_button = QPushButton(self.tr("ショップのスタッフの方: 提出を確認する"))
        self.staff_button.setFlat(True)
        self.staff_button.clicked.connect(self.staff.emit)
        lay.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_draft_offer(self, show: bool) -> None:
        self.banner.setVisible(show)


# --- 2 -------------------------------------------------------------------------------


class RoutePage(Page):
    key = "route"
    CHOICES = (("amazon", "pc"), ("amazon", "phone"), ("store", None))

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("ギフトカードはどこで買いましたか？")))
        self.group = QButtonGroup(self)
        labels = (
            self.tr("Amazon.co.jp で買った（パソコンで見られます）"),
            self.tr("Amazon.co.jp で買った（スマートフォンしかありません）"),
            self.tr("お店で買った（コンビニ・ドラッグストア・スーパー）"),
        )
        for n, label in enumerate(labels):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setObjectName("choice")
            button.setAccessibleName(label)
            button.setMinimumHeight(64)
            self.group.addButton(button, n)
            lay.addWidget(button)
        self.group.idClicked.connect(self._chosen)
        lay.addStretch(1)

    def enter(self) -> None:
        d = self.wizard.draft
        for n, (route, device) in enumerate(self.CHOICES):
            if d.route == route and (device is None or d.device == device):
                self.group.button(n).setChecked(True)

    def _chosen(self, n: int) -> None:
        route, device = self.CHOICES[n]
        self.wizard.draft.route, self.wizard.draft.device = route, device
        self.changed.emit()

    def is_complete(self) -> bool:
        return self.wizard.draft.route is not None


# --- 3 -------------------------------------------------------------------------------


class GuidePage(Page):
    """How to get the right evidence: the Amazon steps (both layouts) or how to photograph a slip."""

    key = "guide"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        outer = QVBoxLayout(self)
        self.heading = _title("")
        outer.addWidget(self.heading)
        bar = QHBoxLayout()
        self.layout_group = QButtonGroup(self)
        self.classic = QPushButton(self.tr("「領収書等」がある画面"))
        self.newer = QPushButton(self.tr("「請求書のダウンロード」がある画面（2025年〜）"))
        for n, b in enumerate((self.classic, self.newer)):
            b.setCheckable(True)
            self.layout_group.addButton(b, n)
            bar.addWidget(b)
        self.classic.setChecked(True)
        self.layout_group.idClicked.connect(lambda _: self._fill())
        self.open_history = QPushButton(self.tr("注文履歴をブラウザで開く"))
        self.open_history.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(ORDER_HISTORY)))
        bar.addStretch(1)
        bar.addWidget(self.open_history)
        outer.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer.addWidget(self.scroll, 1)

    def enter(self) -> None:
        amazon = self.wizard.draft.route == "amazon"
        for w in (self.classic, self.newer, self.open_history):
            w.setVisible(amazon)
        self._fill()

    def guide_ids(self) -> list[str]:
        d = self.wizard.draft
        if d.route != "amazon":
            return ["shop-photo"]
        ids = ["amazon-phone"] if d.device == "phone" else []
        ids.append("amazon-2025" if self.newer.isChecked() else "amazon-classic")
        if d.device != "phone":
            ids.append("screenshot")
        return ids

    def _fill(self) -> None:
        body = QWidget()
        lay = QVBoxLayout(body)
        first = True
        for gid in self.guide_ids():
            try:
                guide = load_guide(gid, self.wizard.lang, os_name=current_os_name())
            except ReceiptError as exc:
                lay.addWidget(_text(exc.message.text(self.wizard.lang)))
                continue
            if first:
                self.heading.setText(guide.title)
                first = False
            else:
                sub = QLabel(guide.title)
                sub.setObjectName("sectionTitle")
                lay.addWidget(sub)
            if guide.intro:
                lay.addWidget(_text(guide.intro))
            for n, step in enumerate(guide.steps, start=1):
                row = QHBoxLayout()
                mark = {"good": "○ ", "bad": "× "}.get(step.example or "", f"{n}. ")
                label = _text(mark + step.text)
                label.setMinimumWidth(280)
                row.addWidget(label, 2, Qt.AlignmentFlag.AlignTop)
                if step.image is not None and step.image.exists():
                    pic = QSvgWidget(str(step.image))
                    size = pic.renderer().defaultSize()
                    fit = min(420 / max(1, size.width()), 340 / max(1, size.height()))
                    pic.setFixedSize(QSize(int(size.width() * fit), int(size.height() * fit)))
                    pic.setAccessibleName(step.text)
                    row.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
                lay.addLayout(row)
            if guide.note:
                lay.addWidget(_text(guide.note))
        lay.addStretch(1)
        self.scroll.setWidget(body)


# --- 4 -------------------------------------------------------------------------------


@dataclass
class ImageItem:
    path: str
    thumb: QImage | None = None
    pages: list[PageQuality] = field(default_factory=list)
    error: Message | None = None
    # One of several photos of a long slip: cut at its top or bottom on purpose.
    in_parts: bool = False

    @property
    def shown(self) -> list[Problem]:
        """Problems to fix before reading (a part's cut edge is not one)."""
        return [p for q in self.pages for p in q.problems
                if not p.advice and not (self.in_parts and p.id == "cut_off" and p.where in ("top", "bottom"))]

    @property
    def problems(self) -> list[str]:
        return sorted({p.id for p in self.shown})


def _inspect(paths: list[str]) -> list[ImageItem]:
    """Load each file as the reader will, and measure it (runs in a worker)."""
    items = []
    for path in paths:
        item = ImageItem(path)
        try:
            pages = loader.load([path])
            item.thumb, _ = to_qimage(pages[0].image, THUMB_PX)
            item.pages = [quality.measure(p.image, source=p.source, page=p.index) for p in pages]
        except ReceiptError as exc:
            item.error = exc.message
        items.append(item)
    return items


class ImagesPage(Page):
    key = "images"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        self.items: list[ImageItem] = []
        self.task: Task | None = None
        self.setAcceptDrops(True)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("画像を追加してください")))
        lay.addWidget(_text(self.tr(
            "スクリーンショットは「貼り付け」（Ctrl+V / ⌘V）、画像や PDF はこの画面にドラッグするか「ファイルを選ぶ」から。"
            "1 枚に収まらない場合は、続けて何枚でも追加できます。")))
        bar = QHBoxLayout()
        self.paste_button = QPushButton(self.tr("貼り付け"))
        self.open_button = QPushButton(self.tr("ファイルを選ぶ…"))
        self.camera_button = QPushButton(self.tr("カメラで撮る"))
        self.camera_button.setVisible(False)  # until a camera is known to be there
        self.remove_button = QPushButton(self.tr("選んだ画像を外す"))
        self.up_button = QPushButton(self.tr("前へ"))
        self.down_button = QPushButton(self.tr("後ろへ"))
        self.turn_button = QPushButton(self.tr("右に回す"))
        for b in (self.paste_button, self.open_button, self.camera_button, self.remove_button, self.up_button,
                  self.down_button, self.turn_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.paste_button.clicked.connect(self.paste)
        self.open_button.clicked.connect(self.choose_files)
        self.camera_button.clicked.connect(self.take_photo)
        self.camera_dialog: camera.CameraDialog | None = None
        self._watching_cameras = False
        self._camera_watch: object | None = None  # QMediaDevices, telling when a camera comes or goes
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.turn_button.clicked.connect(self.turn_selected)
        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("追加した画像"))
        self.list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.list.setSpacing(6)
        self.list.currentRowChanged.connect(self._show_selected)
        self.editor = SheetEditor()
        self.editor.placed.connect(self._placed)
        self.editor.setVisible(False)
        self.editing: tuple[str, float] | None = None  # the photo in the editor, and its scale to the original
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addWidget(self.editor, 3)
        lay.addLayout(body, 1)
        self.status = _text("")
        lay.addWidget(self.status)

    # -- adding ------------------------------------------------------------------
    def enter(self) -> None:
        if not self._watching_cameras:  # QtMultimedia is loaded only once this page is reached
            self._watching_cameras = True
            self._camera_watch = camera.watch_cameras(self, self._update_camera_button)
        self._update_camera_button()
        known = {i.path for i in self.items}
        missing = [f for f in self.wizard.draft.files if f not in known]
        if missing:
            self.add_files(missing)

    def _update_camera_button(self) -> None:
        self.camera_button.setVisible(camera.cameras_available())

    def take_photo(self) -> None:
        """The camera dialog; the photo taken is added like any file."""
        dialog = camera.CameraDialog(self.wizard.lang, self)
        dialog.taken.connect(lambda path: self.add_files([path]))
        dialog.finished.connect(self._camera_closed)
        self.camera_dialog = dialog
        dialog.open()

    def _camera_closed(self) -> None:
        if self.camera_dialog is not None:
            self.camera_dialog.deleteLater()
            self.camera_dialog = None

    def choose_files(self) -> None:
        files = dialogs.ask_open_files(self)
        if files:
            self.add_files(files)

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if files:
                self.add_files(files)
                return
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.status.setText(self.tr("クリップボードに画像がありません。スクリーンショットを撮ってから、もう一度「貼り付け」を押してください。"))
            return
        from receipt_assistant.core.draft import pasted_path

        path = pasted_path()
        if not image.save(str(path), "PNG"):
            self.status.setText(self.tr("貼り付けた画像を保存できませんでした。ディスクの空きを確認してください。"))
            return
        self.add_files([str(path)])

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.add_files(files)
            event.acceptProposedAction()

    def add_files(self, files: list[str]) -> None:
        new = [f for f in files if f not in {i.path for i in self.items}]
        if not new:
            return
        self.status.setText(self.tr("画像を確認しています…"))
        task = Task(lambda progress, cancel: _inspect(new), self)
        task.succeeded.connect(self._added)
        task.failed.connect(lambda exc: self.status.setText(str(exc)))
        self.task = task
        task.start()

    def _added(self, items: list[ImageItem]) -> None:
        bad = [i for i in items if i.error is not None]
        self.items += [i for i in items if i.error is None]
        lang = self.wizard.lang
        self.status.setText("\n".join(f"{Path(i.path).name}: {i.error.text(lang)}" for i in bad if i.error))
        self._sync()

    # -- the list ----------------------------------------------------------------
    def _sync(self) -> None:
        self.wizard.draft.files = [i.path for i in self.items]
        self.wizard.draft.turns = {p: t for p, t in self.wizard.draft.turns.items() if p in self.wizard.draft.files}
        self.wizard.draft.corners = {p: c for p, c in self.wizard.draft.corners.items()
                                     if p in self.wizard.draft.files}
        self.list.blockSignals(True)
        self.list.clear()
        lang = self.wizard.lang
        for item in self.items:
            item.in_parts = len(self.items) > 1
            lines = [Path(item.path).name]
            problems = item.shown
            if problems:
                lines += [p.message.text(lang) for p in problems]
            else:
                lines.append(self.tr("読み取りやすい画像です。"))
            row = QListWidgetItem("\n".join(lines))
            if item.thumb is not None:
                turn = self.wizard.draft.turns.get(item.path, 0)
                thumb = item.thumb.transformed(QTransform().rotate(turn)) if turn else item.thumb
                row.setIcon(QPixmap.fromImage(thumb))
            row.setData(Qt.ItemDataRole.UserRole, item.path)
            if problems:
                row.setForeground(QBrush(QColor(AMBER)))
            self.list.addItem(row)
        self.list.blockSignals(False)
        if any(i.problems for i in self.items):
            # Said before reading, asked after it: the reader often recovers a
            # photo with a flaw, and a retake is asked for only when it did not.
            self.status.setText(self.tr(
                "読み取りにくいかもしれない画像があります。撮り直した画像を追加して古い方を外すか、"
                "このまま読み取って結果を確かめてください。"))
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(r) for r in self.list.selectedItems()), reverse=True)
        for r in rows:
            del self.items[r]
        self._sync()

    def _show_selected(self, row: int) -> None:
        """Load the chosen photo (turned as the customer set it) into the corner editor, in the background."""
        if not 0 <= row < len(self.items):
            self.editor.setVisible(False)
            return
        path = self.items[row].path
        turn = self.wizard.draft.turns.get(path, 0)

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            page = loader.load([path])[0]
            if page.text_words is not None or path.lower().endswith(".pdf"):
                return path, None, 1.0
            image = page.image.rotate(-turn, expand=True) if turn else page.image
            small = image.copy()
            small.thumbnail((1600, 1600))
            return path, small, image.width / small.width

        task = Task(work, self)
        task.succeeded.connect(self._loaded_for_editing)
        task.start()

    def _loaded_for_editing(self, outcome) -> None:  # type: ignore[no-untyped-def]
        path, image, factor = outcome
        current = self.list.currentRow()
        if image is None or not 0 <= current < len(self.items) or self.items[current].path != path:
            self.editor.setVisible(image is not None and self.editor.isVisible())
            return
        self.editing = (path, factor)
        placed = self.wizard.draft.corners.get(path)
        self.editor.show_photo(image, None if placed is None else [[x / factor, y / factor] for x, y in placed])
        self.editor.setVisible(True)

    def _placed(self, corners) -> None:  # type: ignore[no-untyped-def]
        if self.editing is None:
            return
        path, factor = self.editing
        if corners is None:
            self.wizard.draft.corners.pop(path, None)
        else:
            self.wizard.draft.corners[path] = [[round(x * factor, 1), round(y * factor, 1)] for x, y in corners]

    def turn_selected(self) -> None:
        """A quarter turn clockwise: the reading and the bundle use the turned copy."""
        r = self.list.currentRow()
        if r < 0:
            return
        path = self.items[r].path
        turns = self.wizard.draft.turns
        turns[path] = (turns.get(path, 0) + 90) % 360
        if not turns[path]:
            del turns[path]
        self.wizard.draft.corners.pop(path, None)  # placed on the photo as it was turned before
        self._sync()
        self.list.setCurrentRow(r)
        self._show_selected(r)

    def move_selected(self, step: int) -> None:
        r = self.list.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < len(self.items):
            return
        self.items[r], self.items[target] = self.items[target], self.items[r]
        self._sync()
        self.list.setCurrentRow(target)

    def is_complete(self) -> bool:
        return bool(self.items) and not (self.task is not None and self.task.running)

    def next_label(self) -> str:
        return self.tr("読み取る")


# --- 5 -------------------------------------------------------------------------------


class ReadingPage(Page):
    key = "reading"
    done = Signal(object)  # the Reading, or an exception

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("画像を読み取っています")))
        lay.addWidget(_text(self.tr("大きな写真や何ページもある PDF では、少し時間がかかります。")))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(self.tr("読み取りの進み具合"))
        lay.addWidget(self.bar)
        self.status = _text("")
        lay.addWidget(self.status)
        self.cancel_button = QPushButton(self.tr("中止"))
        self.cancel_button.clicked.connect(self.cancel)
        lay.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self.task: Task | None = None

    def enter(self) -> None:
        self.bar.setRange(0, 0)
        self.status.setText("")
        self.cancel_button.setEnabled(True)
        self.task = self.wizard.start_reading()
        self.task.progress.connect(self._progress)

    def _progress(self, done: int, total: int, message: Message) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        self.status.setText(message.text(self.wizard.lang))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("中止しています…"))

    def is_complete(self) -> bool:
        return False  # the page moves on by itself when reading ends


# --- 6 -------------------------------------------------------------------------------


class ImageView(QGraphicsView):
    """A page of the receipt with the found values outlined; wheel to zoom, drag to pan."""

    def __init__(self) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAccessibleName(self.tr("読み取った画像"))

    def show_page(self, image: QImage, boxes: list[tuple[QRectF, str]]) -> None:
        scene = self.scene()
        scene.clear()
        scene.addPixmap(QPixmap.fromImage(image))
        for rect, colour in boxes:
            item = QGraphicsRectItem(rect.adjusted(-4, -4, 4, 4))
            pen = QPen(QColor(colour))
            pen.setWidth(4)
            item.setPen(pen)
            c = QColor(colour)
            c.setAlpha(40)
            item.setBrush(QBrush(c))
            scene.addItem(item)
        scene.setSceneRect(QRectF(image.rect()))
        self.resetTransform()
        self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def wheelEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        self.zoom(1.2 if event.angleDelta().y() > 0 else 1 / 1.2)


class FieldRow(QFrame):
    """One value read: its state colour, the value, a plain explanation, and a correction box."""

    corrected = Signal(str, str)  # field, text given ("" to undo)

    def __init__(self, name: str, label: str, editable: bool) -> None:
        super().__init__()
        self.name = name
        self.setStyleSheet(f"QLabel#fieldCaption {{ color: {HIGHLIGHT[name]}; font-weight: 600; }}")
        self.setObjectName("fieldRow")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.dot = QLabel("●")
        self.dot.setAccessibleName(label)
        self.caption = QLabel(label)
        self.caption.setObjectName("fieldCaption")
        self.value = QLabel("")
        self.value.setObjectName("fieldValue")
        top.addWidget(self.dot)
        top.addWidget(self.caption)
        top.addWidget(self.value, 1)
        lay.addLayout(top)
        self.explain = _text("")
        lay.addWidget(self.explain)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(label)
        self.edit.setVisible(editable)
        self.edit.setPlaceholderText(self.tr("違っていたら正しい値を入力（例: 5000 / 2024-05-01）"))
        self.edit.editingFinished.connect(lambda: self.corrected.emit(self.name, self.edit.text().strip()))
        lay.addWidget(self.edit)

    def show(self, value: str, state: str, explanation: str) -> None:  # type: ignore[override]
        colour = {"ok": GREEN, "doubt": AMBER, "missing": RED}[state]
        self.dot.setStyleSheet(f"color: {colour}; font-size: 20px;")
        self.value.setText(value)
        self.explain.setText(explanation)


class ResultsPage(Page):
    key = "results"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        self.view = ImageView()
        left.addWidget(self.view, 1)
        zoom = QHBoxLayout()
        for text, factor in ((self.tr("拡大"), 1.25), (self.tr("縮小"), 0.8)):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, f=factor: self.view.zoom(f))
            zoom.addWidget(b)
        self.prev_page = QPushButton(self.tr("前のページ"))
        self.next_page = QPushButton(self.tr("次のページ"))
        self.prev_page.clicked.connect(lambda: self._show_page(self.shown - 1))
        self.next_page.clicked.connect(lambda: self._show_page(self.shown + 1))
        self.page_label = QLabel("")
        for w in (self.prev_page, self.page_label, self.next_page):
            zoom.addWidget(w)
        zoom.addStretch(1)
        left.addLayout(zoom)
        lay.addLayout(left, 3)
        self.shown = 0
        right = QVBoxLayout()
        right.addWidget(_title(self.tr("読み取った内容を確かめてください")))
        self.rows = {
            "date": FieldRow("date", self.tr("購入日"), True),
            "amount": FieldRow("amount", self.tr("金額"), True),
            "gift_card": FieldRow("gift_card", self.tr("ギフトカードの行"), False),
        }
        for row in self.rows.values():
            row.corrected.connect(self._corrected)
            right.addWidget(row)
        self.extra = _text("")
        right.addWidget(self.extra)
        self.advice = _text("")
        right.addWidget(self.advice)
        # Asked only when the reading missed or doubted a field and the
        # pictures have a measured flaw that explains it.
        self.retake_box = QFrame()
        box = QVBoxLayout(self.retake_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.retake_text = _text("")
        self.retake_text.setStyleSheet(f"color: {AMBER};")
        self.use_anyway = QCheckBox(self.tr("撮り直さずに、この画像のまま進む（その旨が記録されます）"))
        self.use_anyway.toggled.connect(lambda _: self.changed.emit())
        box.addWidget(self.retake_text)
        box.addWidget(self.use_anyway)
        right.addWidget(self.retake_box)
        right.addStretch(1)
        lay.addLayout(right, 2)
        self._asked_for: object | None = None

    def enter(self) -> None:
        reading = self.wizard.reading
        if reading is None:
            return
        lang = self.wizard.lang
        f = reading.fields
        corrections = {c["field"]: c for c in self.wizard.draft.corrections}
        checks = {c.id: c.message.text(lang) for c in reading.checks}
        for name, row in self.rows.items():
            fld: Field = getattr(f, name)
            found = fld.value not in (None, False)
            if name == "gift_card":
                shown = self.tr("見つかりました") if found else self.tr("見つかりません")
            elif not found:
                shown = self.tr("見つかりません")
            elif name == "amount":
                shown = self.tr("{0:,} 円").format(fld.value)
            else:
                shown = fld.value.isoformat() if isinstance(fld.value, dt.date) else str(fld.value)
            state = "missing" if not found else ("ok" if fld.confidence >= 0.6 else "doubt")
            explanation = checks.get(f"{name}_found", "")
            if name in corrections:
                state = "doubt"
                explanation = self.tr("修正した値: {0}（読み取った値と異なります）").format(corrections[name]["value_given"])
            elif found and fld.confidence < 0.6:
                explanation += " " + self.tr("読み取りがやや不確かです。画像と見比べてください。")
            why = explain(fld.evidence) if found else None
            if why is not None and name not in corrections:
                explanation = (explanation + "\n" + why.text(lang)).strip()
            row.show(shown, state, explanation)
        extras = []
        if f.order_number.value:
            extras.append(self.tr("注文番号: {0}").format(f.order_number.value))
        if f.store.value:
            extras.append(self.tr("お店: {0}").format(f.store.value))
        extras += [note.text(lang) for note in reading.notes]  # e.g. the reading ran out of time
        self.extra.setText("\n".join(extras))
        missing = any(getattr(f, n).value in (None, False) for n in ("date", "amount", "gift_card"))
        # What the pixels say is worth repeating only where it explains a miss;
        # advice (a photo of a screen) is said whatever was read.
        retake = reading.quality.retake
        notes = [p.message.text(lang) for p in reading.quality.problems if p.advice]
        if missing and not retake:
            notes.insert(0, self.tr("見つからない項目がある場合は「戻る」でよりはっきりした画像を追加できます。"))
        self.advice.setText("\n".join(dict.fromkeys(notes)))
        self.retake_box.setVisible(bool(retake))
        if reading is not self._asked_for:  # a new reading asks afresh; a correction does not
            self._asked_for = reading
            self.use_anyway.setChecked(False)
        if retake:
            reasons = "\n".join(dict.fromkeys(p.message.text(lang) for p in retake))
            self.retake_text.setText(self.tr(
                "読み取れなかった項目があります。画像に次の問題があるため、撮り直しをおすすめします。"
                "「戻る」で撮り直した画像を追加してください。") + "\n" + reasons)
        if reading.unread is not None:
            self.advice.setText(reading.unread.text(lang) + "\n" + self.tr(
                "このままでも、購入日と金額を入力して保存できます。ショップが画像を見て確認します。"))
        # Open on the page that holds the gift-card line (else the amount, else the first).
        found = [getattr(f, n) for n in ("gift_card", "amount", "date") if getattr(f, n).value not in (None, False)]
        self._show_page(found[0].page if found else 0)

    def _show_page(self, page: int) -> None:
        images = self.wizard.page_images
        if not images or not 0 <= page < len(images):
            return
        self.shown = page
        self.prev_page.setVisible(len(images) > 1)
        self.next_page.setVisible(len(images) > 1)
        self.prev_page.setEnabled(page > 0)
        self.next_page.setEnabled(page < len(images) - 1)
        image, scale = images[page]
        boxes = []
        for name, colour in HIGHLIGHT.items():
            fld = getattr(self.wizard.reading.fields, name)
            if fld.box is not None and fld.page == page and fld.value not in (None, False):
                b = fld.box
                boxes.append((QRectF(b.x * scale, b.y * scale, b.w * scale, b.h * scale), colour))
        self.view.show_page(image, boxes)
        self.page_label.setText(self.tr("{0} / {1} ページ").format(page + 1, len(images)) if len(images) > 1 else "")

    def _corrected(self, name: str, text: str) -> None:
        self.wizard.correct(name, text)
        self.enter()

    def is_complete(self) -> bool:
        reading = self.wizard.reading
        return reading is None or not reading.quality.retake or self.use_anyway.isChecked()

    def overrides(self) -> list[tuple[str, str]]:
        """(file name, problem) kept although a retake was asked for."""
        reading = self.wizard.reading
        if reading is None or not self.use_anyway.isChecked():
            return []
        asked = {id(p) for p in reading.quality.retake}
        return sorted({(Path(page.source).name, p.id) for page in reading.quality.pages
                       for p in page.problems if id(p) in asked})


# --- 7 -------------------------------------------------------------------------------


class DetailsPage(Page):
    key = "details"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("お客様の情報")))
        lay.addWidget(_text(self.tr("ショップにお知らせいただいた金額と購入日を入力してください。")))
        form = QFormLayout()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("5000")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.reference = QLineEdit()
        form.addRow(self.tr("金額（円）"), self.amount)
        form.addRow(self.tr("購入日"), self.date)
        form.addRow(self.tr("お名前（任意）"), self.name)
        form.addRow(self.tr("メールアドレス（任意）"), self.email)
        form.addRow(self.tr("受付番号（任意）"), self.reference)
        for label, w in ((self.tr("金額（円）"), self.amount), (self.tr("購入日"), self.date),
                         (self.tr("お名前（任意）"), self.name), (self.tr("メールアドレス（任意）"), self.email),
                         (self.tr("受付番号（任意）"), self.reference)):
            w.setAccessibleName(label)
            w.setMaximumWidth(520)
        lay.addLayout(form)
        self.compare = _text("")
        lay.addWidget(self.compare)
        self.consent = QCheckBox(self.tr(
            "入力した内容と画像を、購入の証明としてショップに提出することに同意します。"))
        lay.addWidget(self.consent)
        lay.addStretch(1)
        for w in (self.amount, self.name, self.email, self.reference):
            w.textChanged.connect(self._changed)
        self.date.dateChanged.connect(self._changed)
        self.consent.toggled.connect(self._changed)

    def enter(self) -> None:
        d = self.wizard.draft
        known_amount, known_date = self.wizard.effective_values()
        amount = d.amount if d.amount is not None else known_amount
        day = d.declared_date() or known_date or dt.date.today()
        fields = (self.amount, self.date, self.name, self.email, self.reference)
        for w in fields:
            w.blockSignals(True)
        self.amount.setText(str(amount) if amount else "")
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.name.setText(d.name)
        self.email.setText(d.email)
        self.reference.setText(d.reference)
        for w in fields:
            w.blockSignals(False)
        self._changed()

    def declared_amount(self) -> int | None:
        text = self.amount.text().replace(",", "").replace("円", "").replace("¥", "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else None

    def _changed(self) -> None:
        d = self.wizard.draft
        d.amount = self.declared_amount()
        qd = self.date.date()
        d.purchase_date = dt.date(qd.year(), qd.month(), qd.day()).isoformat()
        d.name, d.email, d.reference = self.name.text().strip(), self.email.text().strip(), self.reference.text().strip()
        amount, day = self.wizard.effective_values()
        notes = []
        if d.amount is None:
            notes.append(self.tr("金額を数字で入力してください。"))
        elif amount is not None and d.amount != amount:
            notes.append(self.tr("入力した金額 {0:,} 円は、画像の金額 {1:,} 円と違います。どちらが正しいか確かめてください"
                                 "（違うまま保存すると、その旨がショップに伝わります）。").format(d.amount, amount))
        declared_day = d.declared_date()
        if declared_day and day and declared_day != day:
            notes.append(self.tr("入力した購入日 {0} は、画像の日付 {1} と違います。").format(declared_day.isoformat(),
                                                                                          day.isoformat()))
        if declared_day and declared_day > dt.date.today():
            notes.append(self.tr("購入日が未来の日付になっています。"))
        self.compare.setText("\n".join(notes))
        self.changed.emit()

    def is_complete(self) -> bool:
        d = self.wizard.draft
        day = d.declared_date()
        return d.amount is not None and day is not None and day <= dt.date.today() and self.consent.isChecked()

    def next_label(self) -> str:
        return self.tr("保存へ進む")


# --- 8 -------------------------------------------------------------------------------


class DonePage(Page):
    key = "done"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("送るファイルを保存します")))
        row = QHBoxLayout()
        self.folder = QLabel("")
        self.folder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.change = QPushButton(self.tr("保存先を変える…"))
        self.change.clicked.connect(self._change_folder)
        row.addWidget(QLabel(self.tr("保存先:")))
        row.addWidget(self.folder, 1)
        row.addWidget(self.change)
        lay.addLayout(row)
        self.save_button = QPushButton(self.tr("保存する"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        lay.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = _text("")
        lay.addWidget(self.status)
        self.result_box = QFrame()
        self.result_box.setObjectName("banner")
        r = QVBoxLayout(self.result_box)
        self.file_label = _text("")
        r.addWidget(self.file_label)
        fp_row = QHBoxLayout()
        fp_row.addWidget(QLabel(self.tr("確認コード:")))
        self.fingerprint = QLabel("")
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fp_row.addWidget(self.fingerprint)
        self.copy_button = QPushButton(self.tr("コピー"))
        self.copy_button.clicked.connect(self._copy)
        fp_row.addWidget(self.copy_button)
        self.open_folder = QPushButton(self.tr("フォルダを開く"))
        self.open_folder.clicked.connect(self._open_folder)
        fp_row.addWidget(self.open_folder)
        fp_row.addStretch(1)
        r.addLayout(fp_row)
        r.addWidget(_text(self.tr(
            "このファイルを、ショップからのご案内メール（またはお問い合わせフォーム）に添付して送ってください。"
            "メッセージの本文には、上の確認コードを書き添えてください。レシートの紙も大切に保管してください。")))
        lay.addWidget(self.result_box)
        lay.addStretch(1)
        self.task: Task | None = None

    def enter(self) -> None:
        self.folder.setText(self.wizard.bundle_folder())
        self.result_box.setVisible(self.wizard.result is not None)
        self.save_button.setEnabled(self.wizard.result is None)

    def _change_folder(self) -> None:
        folder = dialogs.ask_folder(self, self.wizard.bundle_folder())
        if folder:
            self.wizard.settings.bundle_folder = folder
            self.folder.setText(folder)

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("保存しています…"))
        self.task = self.wizard.start_bundle(self.folder.text())
        self.task.succeeded.connect(self._saved)
        self.task.failed.connect(self._failed)

    def _saved(self, result) -> None:  # type: ignore[no-untyped-def]
        self.status.setText("")
        self.file_label.setText(self.tr("保存しました: {0}").format(str(result.path)))
        self.fingerprint.setText(result.fingerprint)
        self.result_box.setVisible(True)
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        message = exc.message.text(self.wizard.lang) if isinstance(exc, ReceiptError) else str(exc)
        self.status.setText(message + "\n" + self.tr("入力した内容と画像はそのまま残っています。"))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.fingerprint.text())

    def _open_folder(self) -> None:
        if self.wizard.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.wizard.result.path.parent)))

    def is_complete(self) -> bool:
        return self.wizard.result is not None

    def next_label(self) -> str:
        return self.tr("閉じる")
