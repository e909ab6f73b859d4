"""The wizard window: the pages in order, a step indicator, Back and Next.

It owns the submission's state (the draft, the reading, the bundle) and the
background tasks; pages show that state and report what the customer did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QStandardPaths, Qt
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core.amounts import parse_yen
from receipt_assistant.core.api import CheckOptions, Reading, check_files, make_engine
from receipt_assistant.core.bundle import (
    BundleResult,
    Correction,
    Declared,
    Override,
    create_bundle,
    now_iso,
)
from receipt_assistant.core.draft import Draft, discard_draft, load_draft, save_draft
from receipt_assistant.core.errors import Cancelled, InputError, ReceiptError, TesseractMissing
from receipt_assistant.core.model import Message
from receipt_assistant.core.ocr import OcrEngine
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.submission import SummaryLine, summary_lines
from receipt_assistant.gui import dialogs
from receipt_assistant.gui import pages as P
from receipt_assistant.gui.imaging import VIEW_PX, to_qimage
from receipt_assistant.gui.tasks import Task

ORDER = ("welcome", "route", "guide", "images", "reading", "results", "details", "summary", "done")
# Pages a reopened draft or another language may return to (the reading is re-run for the later ones).
RETURNABLE = ("route", "guide", "images", "results", "details", "summary")


class Wizard(QMainWindow):
    """The customer's window, from "where did you buy it" to a saved bundle."""

    def __init__(self, settings: Settings, lang: str, *, relaunch: Callable[[str], object] | None = None,
                 engine: OcrEngine | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.lang = lang
        self.relaunch = relaunch
        self.engine = engine
        self.draft = Draft()
        self.saved_draft = load_draft()
        self.reading: Reading | None = None
        self.page_images: list[tuple[QImage, float]] = []
        self.result: BundleResult | None = None
        self.setWindowTitle(self.tr("購入証明アシスタント"))
        self.resize(1280, 720)
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromHex(settings.window_geometry.encode("ascii")))

        central = QWidget()
        outer = QVBoxLayout(central)
        header = QHBoxLayout()
        self.steps = QLabel("")
        self.steps.setObjectName("steps")
        self.steps.setAccessibleName(self.tr("手順"))
        header.addWidget(self.steps, 1)
        self.language = QComboBox()
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if lang == "ja" else 1)
        self.language.setAccessibleName(self.tr("表示言語"))
        self.language.currentIndexChanged.connect(self._language_chosen)
        header.addWidget(self.language)
        outer.addLayout(header)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = QPushButton(self.tr("戻る"))
        self.next_button = QPushButton(self.tr("次へ"))
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.why = QLabel("")  # why Next is disabled, beside it
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.why.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.why, 3)
        nav.addWidget(self.next_button)
        outer.addLayout(nav)
        self.setCentralWidget(central)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.back)

        self.pages: dict[str, P.Page] = {}
        for cls in (P.WelcomePage, P.RoutePage, P.GuidePage, P.ImagesPage, P.ReadingPage, P.ResultsPage,
                    P.DetailsPage, P.SummaryPage, P.DonePage):
            page = cls(self)
            self.pages[page.key] = page
            self.stack.addWidget(page)
            page.changed.connect(self._update_nav)
        welcome = self.pages["welcome"]
        assert isinstance(welcome, P.WelcomePage)
        welcome.show_draft_offer(self.saved_draft is not None)
        welcome.resume.connect(self._resume)
        welcome.staff.connect(self.open_review)
        welcome.route_chosen.connect(self._route_chosen)
        self.after_reading = "results"  # where a finished reading leads (a reopened draft's page)
        self.go("welcome")

    # -- navigation --------------------------------------------------------------
    @property
    def current(self) -> P.Page:
        page = self.stack.currentWidget()
        assert isinstance(page, P.Page)
        return page

    def sequence(self) -> tuple[str, ...]:
        """The pages of this route, in order (a slip needs no choice of device)."""
        return tuple(k for k in ORDER if not (k == "route" and self.draft.route == "store"))

    def go(self, key: str) -> None:
        page = self.pages[key]
        self.stack.setCurrentWidget(page)
        page.enter()
        self._update_nav()
        if key in RETURNABLE:
            self.draft.page = key
            self._save_draft()

    def next(self) -> None:
        key = self.current.key
        if not self.current.is_complete():
            return
        if key == "results":
            self.draft.overrides = [
                Override(problem, now_iso(), name).to_json()
                for name, problem in self.pages["results"].overrides()  # type: ignore[attr-defined]
            ]
        if key == "done":
            self.close()
            return
        order = self.sequence()
        self.go(order[order.index(key) + 1])

    def back(self) -> None:
        key = self.current.key
        if key == "reading":
            self.pages["reading"].cancel()  # type: ignore[attr-defined]
            return
        if key == "welcome" or (key == "done" and self.result is not None):
            return
        order = self.sequence()
        self.go("images" if key == "results" else order[order.index(key) - 1])

    def _route_chosen(self, route: str) -> None:
        """The first answer, on the welcome page: a slip goes straight to its guide."""
        if self.saved_draft is not None:  # a new start instead of the draft offered
            discard_draft()
            self.saved_draft = None
            self.pages["welcome"].show_draft_offer(False)  # type: ignore[attr-defined]
        if route != self.draft.route:
            self.draft.route, self.draft.device = route, None
        self.go("guide" if route == "store" else "route")

    def busy(self) -> bool:
        """Work under way that a new window would lose: reading, or saving the bundle."""
        done = self.pages["done"]
        return self.current.key == "reading" or (isinstance(done, P.DonePage) and done.busy())

    def _update_nav(self) -> None:
        key = self.current.key
        order = self.sequence()
        index = order.index(key)
        names = {"welcome": self.tr("はじめに"), "route": self.tr("見る機器"), "guide": self.tr("準備"),
                 "images": self.tr("画像"), "reading": self.tr("読み取り"), "results": self.tr("確認"),
                 "details": self.tr("お客様情報"), "summary": self.tr("最終確認"), "done": self.tr("保存")}
        self.steps.setText("  ›  ".join(
            f"<b><u>{n + 1}. {names[k]}</u></b>" if n == index else f"{n + 1}. {names[k]}"
            for n, k in enumerate(order)))
        # Hidden, not greyed, where there is nowhere to go back to (before the start, after saving).
        self.back_button.setVisible(key != "welcome" and not (key == "done" and self.result is not None))
        complete = self.current.is_complete()
        self.next_button.setText(self.current.next_label())
        self.next_button.setEnabled(complete)
        self.next_button.setVisible(key not in ("reading", "welcome"))
        self.why.setText("" if complete or key == "reading" else self.current.blocked_reason())
        busy = self.busy()
        self.language.setEnabled(not busy)
        self.language.setToolTip(self.tr("読み取りや保存が終わると切り替えられます。") if busy else "")

    @property
    def images_page(self) -> P.ImagesPage:
        page = self.pages["images"]
        assert isinstance(page, P.ImagesPage)
        return page

    def open_review(self) -> None:
        """The shop's staff opened the app: show the review window instead."""
        from receipt_assistant.gui.review import ReviewWindow

        folder = self.settings.review_folder
        try:
            self.review_window = ReviewWindow(self.settings, self.lang,
                                              Path(folder) if folder and Path(folder).is_dir() else None)
        except ReceiptError as exc:
            dialogs.show_error(self, exc.message.text(self.lang))
            return
        self.review_window.show()

    # -- draft -------------------------------------------------------------------
    def _resume(self, resume: bool) -> None:
        if resume and self.saved_draft is not None:
            self.draft = self.saved_draft
            self.saved_draft = None
            self.pages["welcome"].show_draft_offer(False)  # type: ignore[attr-defined]
            page = self.draft.page if self.draft.page in RETURNABLE else "images"
            if not self.draft.route:
                self.go("welcome")
            elif page in ("results", "details", "summary") and self.draft.files:
                self.after_reading = page  # read again, then back where the customer was
                self.go("reading")
            else:
                self.go(page if page in ("route", "guide") else "images")
        else:
            discard_draft()
            self.draft = Draft()
            self.saved_draft = None
            self.pages["welcome"].show_draft_offer(False)  # type: ignore[attr-defined]
            self.go("welcome")

    def take_over(self, old: Wizard) -> None:
        """Carry on from the window this one replaces (another language): same page, same values, nothing re-run."""
        self.draft, self.reading, self.page_images, self.result = old.draft, old.reading, old.page_images, old.result
        self.saved_draft = old.saved_draft
        self.pages["welcome"].show_draft_offer(self.saved_draft is not None)  # type: ignore[attr-defined]
        self.images_page.adopt(old.images_page.items)
        self.setGeometry(old.geometry())
        key = old.current.key
        old.relaunch = None
        old.close()
        self.go(key)

    def _save_draft(self) -> None:
        if self.result is not None or self.draft.empty:
            return
        try:
            save_draft(self.draft)
        except OSError:
            pass  # a draft is a convenience; the submission itself is still on screen

    # -- reading -----------------------------------------------------------------
    def _engine(self) -> OcrEngine | None:
        if self.engine is None:
            self.engine = make_engine(self.settings, responsive=True)
        return self.engine

    def start_reading(self) -> Task:
        files = list(self.draft.files)
        route = self.draft.route or "auto"
        turns = dict(self.draft.turns)
        corners = dict(self.draft.corners)

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            try:
                engine = self._engine()
            except ReceiptError:
                engine = None  # PDFs with a text layer need none; others say what to install
            images: list[tuple[QImage, float]] = []

            def show(pages):  # type: ignore[no-untyped-def]
                images[:] = [to_qimage(page.image, VIEW_PX) for page in pages]

            reading = check_files(files, options=CheckOptions(kind=route, turns=turns, corners=corners),
                                  engine=engine, progress=progress, cancel=cancel, loaded=show)
            if isinstance(reading.error, TesseractMissing):
                # Nothing can be read here, but the customer can still type the
                # values; the shop reads the image itself.
                reading = Reading(sources=reading.sources, kind=route if route != "auto" else "unknown",
                                  quality=reading.quality, error=None, unread=reading.error.message)
            return reading, images

        task = Task(work, self)
        task.succeeded.connect(self._read)
        task.failed.connect(self._read_failed)
        task.start()
        return task

    def _read(self, outcome: tuple[Reading, list[tuple[QImage, float]]]) -> None:
        reading, images = outcome
        if reading.error is not None:
            self._read_failed(reading.error)
            return
        self.reading, self.page_images = reading, images
        self.result = None
        target, self.after_reading = self.after_reading, "results"
        if target == "results":  # a new reading asks afresh; a reopened draft keeps what was answered
            self.draft.retake_accepted = self.draft.gift_confirmed = False
        self.go(target)

    def _read_failed(self, exc: BaseException) -> None:
        page = self.images_page
        self.after_reading = "results"
        if isinstance(exc, Cancelled):
            text = self.tr("読み取りを中止しました。画像はそのまま残っています。")
        elif isinstance(exc, ReceiptError):
            text = exc.message.text(self.lang)
        else:
            text = self.tr("予期しない問題で読み取れませんでした。画像はそのまま残っています。もう一度「読み取る」を押してください。")
        self.go("images")
        page.status.setText(text)

    # -- corrections -------------------------------------------------------------
    def correct(self, name: str, text: str) -> bool:
        """Record (or, with an empty text, undo) the customer's value for a field; False when it cannot be read."""
        given: object = text
        if name == "amount" and text:
            given = parse_yen(text)
            if given is None or given <= 0:
                return False
        elif name == "date" and text:
            try:
                given = dt.date.fromisoformat(text.replace("/", "-").strip()).isoformat()
            except ValueError:
                return False
        self.draft.corrections = [c for c in self.draft.corrections if c["field"] != name]
        if not text or self.reading is None:
            return True
        read = getattr(self.reading.fields, name).value
        read_plain = read.isoformat() if isinstance(read, dt.date) else read
        if given != read_plain:
            self.draft.corrections.append(Correction(name, read_plain, given, now_iso()).to_json())
        self._save_draft()
        return True

    def effective_values(self) -> tuple[int | None, dt.date | None]:
        """Amount and date as read, or as the customer corrected them."""
        if self.reading is None:
            return None, None
        amount = self.reading.fields.amount.value
        day = self.reading.fields.date.value
        for c in self.draft.corrections:
            if c["field"] == "amount":
                amount = c["value_given"]
            elif c["field"] == "date":
                day = dt.date.fromisoformat(c["value_given"])
        return amount, day

    # -- bundle ------------------------------------------------------------------
    def summary_lines(self) -> list[SummaryLine]:
        """What the shop will see, as the summary page, the done page and the bundle say it."""
        if self.reading is None:
            return []
        d = self.draft
        declared = None
        if d.amount is not None and d.declared_date() is not None:
            declared = Declared(d.route or "store", d.amount, d.declared_date(),  # type: ignore[arg-type]
                                d.name or None, d.email or None, d.reference or None).to_json()
        return summary_lines(self.reading.fields.to_json(), d.corrections, declared, d.overrides,
                             unread=self.reading.unread is not None)

    def bundle_folder(self) -> str:
        """The folder chosen before, else Documents/購入証明 (made when saving), else the Desktop."""
        if self.settings.bundle_folder and Path(self.settings.bundle_folder).is_dir():
            return self.settings.bundle_folder
        for place in (QStandardPaths.StandardLocation.DocumentsLocation,
                      QStandardPaths.StandardLocation.DesktopLocation):
            base = QStandardPaths.writableLocation(place)
            if base and Path(base).is_dir():
                return str(Path(base) / self.tr("購入証明")) if place == QStandardPaths.StandardLocation.DocumentsLocation \
                    else base
        return str(Path.home())

    def start_bundle(self, folder: str) -> Task:
        d = self.draft
        declared = Declared(d.route or "store", d.amount or 0, d.declared_date() or dt.date.today(),
                            d.name or None, d.email or None, d.reference or None)
        corrections = [Correction(**c) for c in d.corrections]
        overrides = [Override(**o) for o in d.overrides]
        files, reading, engine = list(d.files), self.reading, self.engine
        turns, corners = dict(d.turns), dict(d.corners)

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            try:
                Path(folder).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(Message(
                    f"保存先のフォルダ「{folder}」を作れませんでした。「保存先を変える…」で別の場所を選んでください。",
                    f"The folder {folder} could not be created. Choose another place with \"Change folder…\".")) from exc
            return create_bundle(files, declared, folder, reading=reading, corrections=corrections,
                                 overrides=overrides, engine=engine, turns=turns, corners=corners,
                                 progress=progress, cancel=cancel)

        task = Task(work, self)
        task.succeeded.connect(self._bundled)
        task.start()
        return task

    def _bundled(self, result: BundleResult) -> None:
        self.result = result
        self.settings.bundle_folder = str(result.path.parent)
        discard_draft()
        self._update_nav()

    # -- language and closing ----------------------------------------------------
    def _language_chosen(self) -> None:
        lang = self.language.currentData()
        if lang == self.lang or self.relaunch is None:
            return
        self.settings.language = lang
        self._save_draft()
        self.relaunch(lang)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._save_draft()
        self.settings.window_geometry = bytes(self.saveGeometry().toHex().data()).decode("ascii")
        try:
            self.settings.save()
        except OSError:
            pass
        super().closeEvent(event)
