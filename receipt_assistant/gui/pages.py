"""The wizard's pages. Each shows the state it is given and reports what the customer did.

No page decides anything about receipts: reading, checking and bundling are
core calls run through :class:`~receipt_assistant.gui.tasks.Task`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRectF, QSize, Qt, QTimer, QUrl, Signal
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
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core import loader, quality
from receipt_assistant.core.errors import ReceiptError
from receipt_assistant.core.fields.amount import explain
from receipt_assistant.core.guides import current_os_name, illustrations_dir, load_guide
from receipt_assistant.core.model import Field, Message, PageQuality, Problem
from receipt_assistant.core.submission import (
    NO_GIFT_LINE_CONSEQUENCE,
    NO_GIFT_LINE_QUESTION,
    SummaryLine,
    field_state,
    plain_quote,
)
from receipt_assistant.gui import camera, dialogs
from receipt_assistant.gui.imaging import THUMB_PX, to_qimage
from receipt_assistant.gui.sheet_editor import SheetEditor
from receipt_assistant.gui.style import HIGHLIGHT, colours
from receipt_assistant.gui.tasks import Task

if TYPE_CHECKING:
    from receipt_assistant.gui.wizard import Wizard

ORDER_HISTORY = "https://www.amazon.co.jp/gp/css/order-history"


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def _text(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _picture(name: str, width: int, height: int) -> QSvgWidget:
    """One of the app's illustrations, scaled to fit the box and keeping its shape."""
    pic = QSvgWidget(str(illustrations_dir() / name))
    size = pic.renderer().defaultSize()
    fit = min(width / max(1, size.width()), height / max(1, size.height()))
    pic.setFixedSize(QSize(int(size.width() * fit), int(size.height() * fit)))
    return pic


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

    def blocked_reason(self) -> str:
        """Why the customer cannot go on yet, shown beside the Next button ("" when they can)."""
        return ""

    def next_label(self) -> str:
        return self.tr("次へ")


class Card(QPushButton):
    """A large choice: a picture, a title and one line; when chosen, a mark says so (not only a colour)."""

    def __init__(self, picture: str, title: str, text: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setCheckable(True)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        lay = QVBoxLayout(self)
        lay.setSpacing(6)
        pic = _picture(picture, 200, 112)
        heading = QLabel(title)
        heading.setObjectName("cardTitle")
        heading.setWordWrap(True)
        line = QLabel(text)
        line.setObjectName("cardText")
        line.setWordWrap(True)
        self.mark = QLabel(self.tr("✓ 選んでいます"))
        self.mark.setObjectName("cardMark")
        self.mark.setVisible(False)
        lay.addStretch(1)
        for w in (pic, heading, line, self.mark):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            if w is pic:
                lay.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
            else:
                lay.addWidget(w)
        lay.addStretch(1)
        self.toggled.connect(self.mark.setVisible)
        self.setMinimumWidth(300)
        self.setFixedHeight(236)


class CardGroup(QWidget):
    """Cards side by side, at most one chosen."""

    chosen = Signal(int)

    def __init__(self, cards: list[Card]) -> None:
        super().__init__()
        self.cards = cards
        self.group = QButtonGroup(self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(18)
        for n, card in enumerate(cards):
            self.group.addButton(card, n)
            lay.addWidget(card)
        self.group.idClicked.connect(self.chosen.emit)

    def select(self, n: int | None) -> None:
        self.group.setExclusive(False)
        for i, card in enumerate(self.cards):
            card.setChecked(i == n)
        self.group.setExclusive(True)


# --- 1 -------------------------------------------------------------------------------


class WelcomePage(Page):
    """What the app will do, and the first question: where the gift card was bought."""

    key = "welcome"
    resume = Signal(bool)  # True: continue the draft; False: start afresh
    staff = Signal()  # shop staff want the review window instead
    route_chosen = Signal(str)  # amazon | store

    ROUTES = ("amazon", "store")

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        lay.addWidget(_title(self.tr("購入の証明を一緒に準備しましょう")))
        lay.addWidget(_text(self.tr(
            "Amazon がギフトカードを無効にしたため、ショップが Amazon に説明するための購入の証明が必要になりました。"
            "このアシスタントが、順番にご案内します。"), "lead"))
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        b = QHBoxLayout(self.banner)
        b.addWidget(_text(self.tr("前回の途中までの内容が保存されています。")), 1)
        self.resume_button = QPushButton(self.tr("続きから始める"))
        self.resume_button.setObjectName("primary")
        self.fresh_button = QPushButton(self.tr("最初から始める"))
        self.resume_button.clicked.connect(lambda: self.resume.emit(True))
        self.fresh_button.clicked.connect(lambda: self.resume.emit(False))
        b.addWidget(self.resume_button)
        b.addWidget(self.fresh_button)
        lay.addWidget(self.banner)
        steps = QHBoxLayout()
        steps.setSpacing(24)
        for n, (picture, text) in enumerate((
            ("step-image.svg", self.tr("レシートや領収書の画像を用意します")),
            ("step-read.svg", self.tr("日付・金額・ギフトカードの行を読み取って、一緒に確かめます")),
            ("step-bundle.svg", self.tr("ショップに送るファイルを 1 つ作ります")),
        ), start=1):
            box = QHBoxLayout()
            number = QLabel(str(n))
            number.setObjectName("stepNumber")
            box.addWidget(number, 0, Qt.AlignmentFlag.AlignTop)
            box.addWidget(_picture(picture, 72, 56), 0, Qt.AlignmentFlag.AlignTop)
            box.addWidget(_text(text), 1, Qt.AlignmentFlag.AlignTop)
            steps.addLayout(box, 1)
        lay.addLayout(steps)
        question = QLabel(self.tr("ギフトカードはどこで買いましたか？"))
        question.setObjectName("sectionTitle")
        lay.addWidget(question)
        self.cards = CardGroup([
            Card("card-amazon.svg", self.tr("Amazon.co.jp で買った"),
                 self.tr("注文の領収書のページを画像にします（パソコンでもスマートフォンでも）。")),
            Card("card-store.svg", self.tr("お店で買った"),
                 self.tr("コンビニ・ドラッグストア・スーパーなどのレシートを写真に撮ります。")),
        ])
        self.cards.chosen.connect(lambda n: self.route_chosen.emit(self.ROUTES[n]))
        lay.addWidget(self.cards)
        lay.addWidget(_text(self.tr(
            "読み取りはすべてこのパソコンの中で行います。作ったファイルをお客様がショップに送るまで、"
            "何もインターネットに送られることはありません。"), "muted"))
        lay.addStretch(1)
        self.staff_button = QPushButton(self.tr("ショップのスタッフの方: 提出を確認する"))
        self.staff_button.setObjectName("link")
        self.staff_button.clicked.connect(self.staff.emit)
        lay.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignRight)

    def enter(self) -> None:
        route = self.wizard.draft.route
        self.cards.select(self.ROUTES.index(route) if route in self.ROUTES else None)

    def show_draft_offer(self, show: bool) -> None:
        self.banner.setVisible(show)

    def is_complete(self) -> bool:
        return self.wizard.draft.route is not None

    def blocked_reason(self) -> str:
        return self.tr("上のどちらかを選んでください。")


# --- 2 -------------------------------------------------------------------------------


class RoutePage(Page):
    """Amazon only: the receipt page is reached differently on a computer and on a phone."""

    key = "route"
    DEVICES = ("pc", "phone")

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("Amazon の注文履歴は、どれで見られますか？")))
        lay.addWidget(_text(self.tr("選んだ方に合わせて、領収書のページの出し方をご案内します。"), "lead"))
        self.cards = CardGroup([
            Card("card-pc.svg", self.tr("パソコン"),
                 self.tr("このパソコンのブラウザで Amazon.co.jp にログインできます。")),
            Card("card-phone.svg", self.tr("スマートフォンだけ"),
                 self.tr("スマートフォンで領収書を表示して、スクリーンショットをこのパソコンに送ります。")),
        ])
        self.cards.chosen.connect(self._chosen)
        lay.addWidget(self.cards)
        lay.addStretch(1)

    def enter(self) -> None:
        device = self.wizard.draft.device
        self.cards.select(self.DEVICES.index(device) if device in self.DEVICES else None)

    def _chosen(self, n: int) -> None:
        self.wizard.draft.device = self.DEVICES[n]
        self.changed.emit()

    def is_complete(self) -> bool:
        return self.wizard.draft.device in self.DEVICES

    def blocked_reason(self) -> str:
        return self.tr("パソコンかスマートフォンかを選んでください。")


# --- 3 -------------------------------------------------------------------------------


class GuidePage(Page):
    """How to get the right evidence: the Amazon steps (both layouts), on a phone, or how to photograph a slip."""

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
        self.layout_group.idClicked.connect(self._layout_chosen)
        self.open_history = QPushButton(self.tr("注文履歴をブラウザで開く"))
        self.open_history.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(ORDER_HISTORY)))
        bar.addStretch(1)
        bar.addWidget(self.open_history)
        outer.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer.addWidget(self.scroll, 1)

    def enter(self) -> None:
        pc = self.wizard.draft.route == "amazon" and self.wizard.draft.device != "phone"
        for w in (self.classic, self.newer, self.open_history):
            w.setVisible(pc)
        (self.newer if self.wizard.draft.amazon_layout == "2025" else self.classic).setChecked(True)
        self._fill()

    def _layout_chosen(self, n: int) -> None:
        self.wizard.draft.amazon_layout = "2025" if n == 1 else "classic"
        self._fill()

    def guide_ids(self) -> list[str]:
        """The guides for the route chosen: each step is shown once (a phone has its own complete guide)."""
        d = self.wizard.draft
        if d.route != "amazon":
            return ["shop-photo"]
        if d.device == "phone":
            return ["amazon-phone"]
        return ["amazon-2025" if d.amazon_layout == "2025" else "amazon-classic", "screenshot"]

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
                    pic = _picture(step.image.name, 420, 340)
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
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("dropZone")
        zone = QVBoxLayout(self.drop_zone)
        zone.addStretch(1)
        zone.addWidget(_picture("step-image.svg", 140, 100), 0, Qt.AlignmentFlag.AlignHCenter)
        hint = _text(self.tr(
            "ここに画像や PDF をドラッグしてください。\n"
            "スクリーンショットは Ctrl+V（Mac は ⌘V）で貼り付けられます。"
            "「ファイルを選ぶ」や「カメラで撮る」も使えます。"), "lead")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        zone.addWidget(hint)
        zone.addStretch(1)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("追加した画像"))
        self.list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.list.setSpacing(6)
        self.list.currentRowChanged.connect(self._show_selected)
        self.editor = SheetEditor()
        self.editor.placed.connect(self._placed)
        self.editor.setVisible(False)
        self.editing: tuple[str, float] | None = None  # the photo in the editor, and its scale to the original
        self.list_or_hint = QStackedWidget()
        self.list_or_hint.addWidget(self.drop_zone)
        self.list_or_hint.addWidget(self.list)
        body = QHBoxLayout()
        body.addWidget(self.list_or_hint, 2)
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
        task.failed.connect(self._add_failed)
        self.task = task
        task.start()
        self.changed.emit()

    def _add_failed(self, exc: BaseException) -> None:
        self.status.setText(exc.message.text(self.wizard.lang) if isinstance(exc, ReceiptError) else self.tr(
            "画像を確認できませんでした。別の形式（PNG や JPEG）で保存し直して、もう一度追加してください。"))
        self.changed.emit()

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
                row.setForeground(QBrush(QColor(colours().doubt)))
            self.list.addItem(row)
        self.list.blockSignals(False)
        self.list_or_hint.setCurrentWidget(self.list if self.items else self.drop_zone)
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

    def adopt(self, items: list[ImageItem]) -> None:
        """Show pictures already looked at (the window reopened in another language): nothing is loaded again."""
        self.items = list(items)
        self._sync()

    def is_complete(self) -> bool:
        return bool(self.items) and not (self.task is not None and self.task.running)

    def blocked_reason(self) -> str:
        if self.task is not None and self.task.running:
            return self.tr("画像を確認しています。少しお待ちください。")
        return self.tr("画像を 1 枚以上追加すると、読み取りに進めます。")

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
    """One value: a single clear state, the value, where on the image it was found, and a correction box."""

    corrected = Signal(str, str)  # field, text given ("" to undo)

    def __init__(self, name: str, label: str, editable: bool, example: str) -> None:
        super().__init__()
        self.name = name
        self.setObjectName("fieldRow")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.caption = QLabel(label)
        self.caption.setStyleSheet(f"color: {HIGHLIGHT[name]}; font-weight: 600;")  # the colour of its outline
        self.state = QLabel("")
        self.value = QLabel("")
        self.value.setObjectName("fieldValue")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setAccessibleName(label)
        top.addWidget(self.caption)
        top.addSpacing(8)
        top.addWidget(self.value)
        top.addStretch(1)
        top.addWidget(self.state)
        lay.addLayout(top)
        # The cleaned value above; the part of the image it came from below it.
        self.crop = QLabel()
        self.crop.setObjectName("evidence")
        self.crop.setAccessibleName(self.tr("画像の該当部分"))
        self.crop.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        lay.addWidget(self.crop)
        self.explain = _text("")
        lay.addWidget(self.explain)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.tr("{0}を入力").format(label))
        self.edit.setVisible(editable)
        self.edit.setPlaceholderText(self.tr("違っていたら正しい値を入力（{0}）").format(example))
        self.edit.setMaximumWidth(360)
        self.edit.editingFinished.connect(lambda: self.corrected.emit(self.name, self.edit.text().strip()))
        lay.addWidget(self.edit)

    STATES = {"read": "stateOk", "doubt": "stateCheck", "corrected": "stateTyped", "missing": "stateMissing"}

    def show(self, value: str, state: str, explanation: str, *, crop: QPixmap | None = None,  # type: ignore[override]
             given: str | None = None) -> None:
        self.state.setObjectName(self.STATES[state])
        self.state.setText({
            "read": self.tr("✓ 読み取りました"),
            "doubt": self.tr("？ 確かめてください"),
            "corrected": self.tr("✎ あなたが入力した値"),
            "missing": self.tr("！ 見つかりません"),
        }[state])
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self.value.setText(value)
        self.crop.setVisible(crop is not None)
        if crop is not None:
            self.crop.setPixmap(crop)
        self.explain.setText(explanation)
        if given is not None and not self.edit.hasFocus():
            self.edit.setText(given)


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
        right_body = QWidget()
        right = QVBoxLayout(right_body)
        right.addWidget(_title(self.tr("読み取った内容を確かめてください")))
        self.rows = {
            "date": FieldRow("date", self.tr("購入日"), True, self.tr("例: 2024-05-01")),
            "amount": FieldRow("amount", self.tr("金額"), True, self.tr("例: 5,000")),
            "gift_card": FieldRow("gift_card", self.tr("ギフトカードの行"), False, ""),
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
        self.retake_box.setObjectName("question")
        box = QVBoxLayout(self.retake_box)
        self.retake_text = _text("")
        self.use_anyway = QCheckBox(self.tr("撮り直さずに、この画像のまま進む（その旨が記録されます）"))
        self.use_anyway.toggled.connect(self._use_anyway)
        box.addWidget(self.retake_text)
        box.addWidget(self.use_anyway)
        right.addWidget(self.retake_box)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(right_body)
        lay.addWidget(scroll, 2)
        self.problem: dict[str, str] = {}  # a correction that could not be used, per field

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
            st = field_state(name, fld.to_json(), corrections.get(name))
            shown = plain_quote(name, fld.to_json()) if name == "gift_card" and st.read else \
                self._shown(name, st.value)
            if st.state == "read":
                explanation = self.tr("Amazon ギフトカードを買った行が見つかりました。") if name == "gift_card" \
                    else checks.get(f"{name}_found", "")
            elif st.state == "doubt":
                explanation = self.tr("読み取りがやや不確かです。画像の枠の部分と見比べて、違っていたら正しい値を入力してください。")
            elif st.state == "corrected":
                explanation = self.tr("画像から読み取った値: {0}").format(self._shown(name, st.read)) \
                    if st.read is not None else self.tr("画像からは読み取れなかったので、あなたが入力した値を使います。")
            elif name == "gift_card":
                paid_with = reading.extraction is not None and bool(reading.extraction.gift_payment_text)
                explanation = (self.tr("Amazon ギフトカードは支払いに使われた行としてだけ書かれていて、買った商品の行は見つかりませんでした。")
                               if paid_with else self.tr("Amazon ギフトカードを買ったことを示す行が見つかりませんでした。")) + "\n" + self.tr(
                    "ギフトカードを買ったときのレシート（領収書）か確かめてください。違う場合は「戻る」で正しい画像を追加してください。")
            else:
                explanation = self.tr("画像の中に見つけられませんでした。画像で確かめて、下の欄に入力してください。")
            why = explain(fld.evidence) if st.state in ("read", "doubt") else None
            if why is not None:
                explanation = (explanation + "\n" + why.text(lang)).strip()
            if name in self.problem:
                explanation = self.problem[name] + "\n" + explanation
            found = st.read not in (None, False)
            given = corrections[name]["value_given"] if name in corrections else ""
            if isinstance(given, int) and not isinstance(given, bool):
                given = f"{given:,}"
            row.show(shown, st.state, explanation.strip(), crop=self._crop(fld) if found else None,
                     given=None if name in self.problem else str(given))
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
        self.use_anyway.blockSignals(True)
        self.use_anyway.setChecked(self.wizard.draft.retake_accepted)
        self.use_anyway.blockSignals(False)
        if retake:
            reasons = "\n".join(dict.fromkeys(p.message.text(lang) for p in retake))
            self.retake_text.setText(self.tr(
                "読み取れなかった項目があります。画像に次の問題があるため、撮り直しをおすすめします。"
                "「戻る」で撮り直した画像を追加してください。") + "\n" + reasons)
        if reading.unread is not None:
            self.advice.setText(reading.unread.text(lang) + "\n" + self.tr(
                "このままでも、購入日と金額を入力して保存できます。ショップが画像を見て確認します。"))
        # Open on the page that holds the gift-card line (else the amount, else the first).
        found_on = [getattr(f, n) for n in ("gift_card", "amount", "date") if getattr(f, n).value not in (None, False)]
        self._show_page(found_on[0].page if found_on else 0)

    def _shown(self, name: str, value: object) -> str:
        if value in (None, False) or name == "gift_card":
            return "—"
        if name == "amount":
            return self.tr("{0:,} 円").format(value)
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def _crop(self, fld: Field) -> QPixmap | None:
        """The part of the page the value was read from, as the customer sees it on the left."""
        images = self.wizard.page_images
        if fld.box is None or not 0 <= fld.page < len(images):
            return None
        image, scale = images[fld.page]
        b = fld.box
        rect = QRectF(b.x * scale, b.y * scale, b.w * scale, b.h * scale).adjusted(-6, -4, 6, 4).toAlignedRect()
        rect = rect.intersected(image.rect())
        if rect.isEmpty():
            return None
        piece = QPixmap.fromImage(image.copy(rect))
        if piece.height() > 40 or piece.width() > 380:
            piece = piece.scaled(380, 40, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        return piece

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
        if self.wizard.correct(name, text):
            self.problem.pop(name, None)
        else:
            self.problem[name] = self.tr("「{0}」は{1}として読めません。{2}の形で入力してください。").format(
                text, self.rows[name].caption.text(), self.tr("例: 5,000") if name == "amount" else self.tr("例: 2024-05-01"))
        self.enter()

    def _use_anyway(self, on: bool) -> None:
        self.wizard.draft.retake_accepted = on
        self.changed.emit()

    def is_complete(self) -> bool:
        reading = self.wizard.reading
        return reading is None or not reading.quality.retake or self.wizard.draft.retake_accepted

    def blocked_reason(self) -> str:
        return self.tr("撮り直した画像を追加するか、「この画像のまま進む」にチェックを入れてください。")

    def overrides(self) -> list[tuple[str, str]]:
        """(file name, problem) kept although a retake was asked for."""
        reading = self.wizard.reading
        if reading is None or not self.wizard.draft.retake_accepted:
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
        lay.addWidget(_text(self.tr("ショップにお知らせいただいた金額と購入日を入力してください。"), "lead"))
        form = QFormLayout()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("例: 5,000"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("例: taro@example.jp"))
        self.reference = QLineEdit()
        for label, w in ((self.tr("金額（円）"), self.amount), (self.tr("購入日"), self.date),
                         (self.tr("お名前（任意）"), self.name), (self.tr("メールアドレス（任意）"), self.email),
                         (self.tr("受付番号（任意）"), self.reference)):
            form.addRow(label, w)
            w.setAccessibleName(label)
            w.setMaximumWidth(520)
        lay.addLayout(form)
        self.compare = _text("")
        lay.addWidget(self.compare)
        lay.addStretch(1)
        for w in (self.amount, self.name, self.email, self.reference):
            w.textChanged.connect(self._changed)
        self.date.dateChanged.connect(self._changed)

    def enter(self) -> None:
        d = self.wizard.draft
        known_amount, known_date = self.wizard.effective_values()
        amount = d.amount if d.amount is not None else known_amount
        day = d.declared_date() or known_date or dt.date.today()
        fields = (self.amount, self.date, self.name, self.email, self.reference)
        for w in fields:
            w.blockSignals(True)
        if self.declared_amount() != amount or not amount:
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
        if d.amount is not None and amount is not None and d.amount != amount:
            notes.append(self.tr("入力した金額 {0:,} 円は、画像の金額 {1:,} 円と違います。どちらが正しいか確かめてください"
                                 "（違うまま保存すると、その旨がショップに伝わります）。").format(d.amount, amount))
        declared_day = d.declared_date()
        if declared_day and day and declared_day != day:
            notes.append(self.tr("入力した購入日 {0} は、画像の日付 {1} と違います。").format(declared_day.isoformat(),
                                                                                          day.isoformat()))
        self.compare.setText("\n".join(notes))
        self.changed.emit()

    def is_complete(self) -> bool:
        d = self.wizard.draft
        day = d.declared_date()
        return d.amount is not None and day is not None and day <= dt.date.today()

    def blocked_reason(self) -> str:
        d = self.wizard.draft
        if d.amount is None:
            return self.tr("金額を数字で入力してください（例: 5,000）。")
        return self.tr("購入日が今日より後になっています。正しい日付を選んでください。")

    def next_label(self) -> str:
        return self.tr("確認へ進む")


# --- 8 -------------------------------------------------------------------------------


class SummaryLines(QWidget):
    """What the shop will see, one plain sentence per line, each with a way back to fix it."""

    fix = Signal(str)  # the page to go back to

    MARKS = {"ok": ("✓", "stateOk"), "check": ("？", "stateCheck"), "typed": ("✎", "stateTyped"),
             "missing": ("！", "stateMissing")}

    def __init__(self, with_links: bool) -> None:
        super().__init__()
        self.with_links = with_links
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.lines: list[SummaryLine] = []

    def show_lines(self, lines: list[SummaryLine], lang: str) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.lines = lines
        for n, line in enumerate(lines):
            mark, style = self.MARKS.get(line.state, ("•", "muted"))
            icon = QLabel(mark)
            icon.setObjectName(style)
            self.grid.addWidget(icon, n, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(_text(line.message.text(lang)), n, 1)
            if self.with_links and line.fix:
                link = QPushButton(self.tr("戻って直す"))
                link.setObjectName("link")
                link.setAccessibleName(self.tr("戻って直す: {0}").format(line.message.text(lang)))
                link.clicked.connect(lambda _=False, page=line.fix: self.fix.emit(page))
                self.grid.addWidget(link, n, 2, Qt.AlignmentFlag.AlignTop)


class SummaryPage(Page):
    """Before saving: what was read, what was typed, what is missing; and the customer's consent."""

    key = "summary"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("保存する前に、ショップに伝わる内容を確かめてください")))
        box = QFrame()
        box.setObjectName("banner")
        inner = QVBoxLayout(box)
        self.lines = SummaryLines(with_links=True)
        self.lines.fix.connect(self.wizard.go)
        inner.addWidget(self.lines)
        lay.addWidget(box)
        sent = QLabel(self.tr("送るファイルに入るもの"))
        sent.setObjectName("sectionTitle")
        lay.addWidget(sent)
        self.contents = _text("")
        lay.addWidget(self.contents)
        self.question = QFrame()
        self.question.setObjectName("question")
        q = QVBoxLayout(self.question)
        self.question_text = _text("", "sectionTitle")
        self.consequence = _text("")
        self.confirm_gift = QCheckBox(self.tr("はい、ギフトカードを買ったときのレシート（領収書）です。このまま送ります。"))
        self.confirm_gift.toggled.connect(self._gift_confirmed)
        self.other_image = QPushButton(self.tr("いいえ、画像を選び直す"))
        self.other_image.clicked.connect(lambda: self.wizard.go("images"))
        q.addWidget(self.question_text)
        q.addWidget(self.consequence)
        q.addWidget(self.confirm_gift)
        q.addWidget(self.other_image, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.question)
        self.consent = QCheckBox(self.tr(
            "入力した内容と画像を、購入の証明としてショップに提出することに同意します。"))
        self.consent.toggled.connect(self._consent)
        lay.addWidget(self.consent)
        lay.addStretch(1)

    def enter(self) -> None:
        lang = self.wizard.lang
        d = self.wizard.draft
        self.lines.show_lines(self.wizard.summary_lines(), lang)
        day = d.declared_date()
        contents = [
            self.tr("お知らせいただいた金額と購入日: {0:,} 円、{1}").format(d.amount or 0, day.isoformat() if day else "—"),
            self.tr("画像: {0}").format("、".join(Path(f).name for f in d.files)),
        ]
        given = [v for v in (d.name, d.email, d.reference) if v]
        if given:
            contents.append(self.tr("連絡先など: {0}").format("、".join(given)))
        contents.append(self.tr("写真の位置情報などの付加情報は、保存するときに取り除かれます。"))
        self.contents.setText("\n".join("・" + c for c in contents))
        self.question.setVisible(self.gift_missing())
        self.question_text.setText(NO_GIFT_LINE_QUESTION.text(lang))
        self.consequence.setText(NO_GIFT_LINE_CONSEQUENCE.text(lang))
        for box, on in ((self.confirm_gift, self.wizard.draft.gift_confirmed), (self.consent, self.wizard.draft.consent)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)

    def gift_missing(self) -> bool:
        reading = self.wizard.reading
        return reading is None or not reading.fields.gift_card.value

    def _gift_confirmed(self, on: bool) -> None:
        self.wizard.draft.gift_confirmed = on
        self.changed.emit()

    def _consent(self, on: bool) -> None:
        self.wizard.draft.consent = on
        self.changed.emit()

    def is_complete(self) -> bool:
        d = self.wizard.draft
        return d.consent and (d.gift_confirmed or not self.gift_missing())

    def blocked_reason(self) -> str:
        if self.gift_missing() and not self.wizard.draft.gift_confirmed:
            return self.tr("ギフトカードの行についての質問に答えてください。")
        return self.tr("保存するには、提出への同意にチェックを入れてください。")

    def next_label(self) -> str:
        return self.tr("保存へ進む")


# --- 9 -------------------------------------------------------------------------------


class DonePage(Page):
    key = "done"

    def __init__(self, wizard: Wizard) -> None:
        super().__init__(wizard)
        lay = QVBoxLayout(self)
        lay.addWidget(_title(self.tr("送るファイルを保存します")))
        row = QHBoxLayout()
        self.folder = _text("")
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
        self.copied = QLabel("")
        self.copied.setObjectName("done")
        fp_row.addWidget(self.copied)
        self.open_folder = QPushButton(self.tr("フォルダを開く"))
        self.open_folder.clicked.connect(self._open_folder)
        fp_row.addWidget(self.open_folder)
        fp_row.addStretch(1)
        r.addLayout(fp_row)
        # Where no file manager opens the folder, its path is there to copy.
        self.path_box = QWidget()
        pb = QHBoxLayout(self.path_box)
        pb.setContentsMargins(0, 0, 0, 0)
        self.path_note = _text(self.tr("フォルダを開けませんでした。保存した場所は次のとおりです:"))
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setAccessibleName(self.tr("保存した場所"))
        self.copy_path = QPushButton(self.tr("場所をコピー"))
        self.copy_path.clicked.connect(self._copy_path)
        pb.addWidget(self.path_note)
        pb.addWidget(self.path, 1)
        pb.addWidget(self.copy_path)
        self.path_box.setVisible(False)
        r.addWidget(self.path_box)
        r.addWidget(_text(self.tr(
            "このファイルを、ショップからのご案内メール（またはお問い合わせフォーム）に添付して送ってください。"
            "メッセージの本文には、上の確認コードを書き添えてください。レシートの紙も大切に保管してください。")))
        lay.addWidget(self.result_box)
        heading = QLabel(self.tr("ショップに伝わる内容"))
        heading.setObjectName("sectionTitle")
        lay.addWidget(heading)
        self.lines = SummaryLines(with_links=False)
        lay.addWidget(self.lines)
        lay.addStretch(1)
        self.task: Task | None = None
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(4000)
        self._copied_timer.timeout.connect(lambda: self.copied.setText(""))

    def enter(self) -> None:
        result = self.wizard.result
        self.folder.setText(self.wizard.bundle_folder())
        self.change.setVisible(result is None)
        self.result_box.setVisible(result is not None)
        self.save_button.setVisible(result is None)
        self.save_button.setEnabled(result is None and not self.busy())
        if result is not None:
            self._show_result(result)
        self.lines.show_lines(self.wizard.summary_lines(), self.wizard.lang)

    def busy(self) -> bool:
        return self.task is not None and self.task.running

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
        self.changed.emit()

    def _show_result(self, result) -> None:  # type: ignore[no-untyped-def]
        self.file_label.setText(self.tr("保存しました: {0}").format(str(result.path)))
        self.fingerprint.setText(result.fingerprint)
        self.path.setText(str(result.path.parent))

    def _saved(self, result) -> None:  # type: ignore[no-untyped-def]
        self.status.setText("")
        self.enter()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        message = exc.message.text(self.wizard.lang) if isinstance(exc, ReceiptError) else self.tr(
            "予期しない問題で保存できませんでした。")
        self.status.setText(message + "\n" + self.tr("入力した内容と画像はそのまま残っています。"))
        self.changed.emit()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.fingerprint.text())
        self.copied.setText(self.tr("コピーしました"))
        self._copied_timer.start()

    def _copy_path(self) -> None:
        QGuiApplication.clipboard().setText(self.path.text())
        self.copied.setText(self.tr("コピーしました"))
        self._copied_timer.start()

    def _open_folder(self) -> None:
        if self.wizard.result is not None and not dialogs.open_folder(self.wizard.result.path.parent):
            self.path_box.setVisible(True)

    def is_complete(self) -> bool:
        return self.wizard.result is not None

    def blocked_reason(self) -> str:
        if self.busy():
            return self.tr("保存しています。少しお待ちください。")
        return self.tr("「保存する」を押すと、送るファイルができます。")

    def next_label(self) -> str:
        return self.tr("閉じる")
