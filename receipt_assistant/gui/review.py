"""The staff review window: an inbox of bundles, the detail of one, and the decision.

Verifying, hashing and re-reading run in background tasks; the record lives
in the core's SQLite store, so closing and reopening shows the same state.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QFileSystemWatcher, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core import review
from receipt_assistant.core.api import make_engine
from receipt_assistant.core.errors import ReceiptError
from receipt_assistant.core.fields.amount import explain
from receipt_assistant.core.model import Message
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.verify import verify_bundle
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.imaging import VIEW_PX, to_qimage
from receipt_assistant.gui.pages import ImageView
from receipt_assistant.gui.style import HIGHLIGHT, colours
from receipt_assistant.gui.tasks import Task

COLUMNS = ("verdict", "decision", "name", "amount", "read_amount", "date", "received", "fingerprint", "file")


def _severity_colour(severity: str) -> str:
    c = colours()
    return {"red": c.missing, "amber": c.doubt, "green": c.ok}.get(severity, c.muted)


class _Item(QTableWidgetItem):
    """A cell that sorts by a value of its own (numbers as numbers)."""

    def __init__(self, text: str, key: object = None) -> None:
        super().__init__(text)
        self.key = text if key is None else key

    def __lt__(self, other: QTableWidgetItem) -> bool:  # type: ignore[override]
        try:
            return self.key < other.key  # type: ignore[attr-defined,operator,no-any-return]
        except TypeError:
            return str(self.key) < str(getattr(other, "key", ""))


class ReviewWindow(QMainWindow):
    """Staff's window over one folder of bundles (and the record of every bundle ever seen)."""

    def __init__(self, settings: Settings, lang: str, folder: Path | None = None,
                 store: review.Store | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.lang = lang
        self.store = store or review.Store()
        self.folder: Path | None = None
        self.files: list[Path] = []  # when reviewing chosen bundles rather than a folder
        self.hashes: dict[str, tuple[tuple[int, int], str]] = {}  # path -> ((mtime, size), SHA-256)
        self.entries: list[review.Entry] = []
        self.pending: set[str] = set()
        self.setWindowTitle(self.tr("提出の確認（スタッフ用）"))
        self.resize(1360, 820)

        central = QWidget()
        outer = QVBoxLayout(central)
        top = QHBoxLayout()
        self.open_button = QPushButton(self.tr("フォルダを開く…"))
        self.open_button.clicked.connect(self._choose_folder)
        self.folder_label = QLabel("")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("検索（金額・日付・注文番号・店舗・受付番号・名前）"))
        self.search.setAccessibleName(self.tr("検索"))
        self.amount_min = QLineEdit()
        self.amount_max = QLineEdit()
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for w, text in ((self.amount_min, self.tr("金額 下限")), (self.amount_max, self.tr("金額 上限")),
                        (self.date_from, self.tr("日付 から (YYYY-MM-DD)")), (self.date_to, self.tr("日付 まで"))):
            w.setPlaceholderText(text)
            w.setAccessibleName(text)
            w.setMaximumWidth(150)
        self.verdict_filter = QComboBox()
        self.verdict_filter.addItem(self.tr("自動判定: すべて"), "")
        for key, msg in review.VERDICT_LABELS.items():
            self.verdict_filter.addItem(msg.text(lang), key)
        self.decision_filter = QComboBox()
        self.decision_filter.addItem(self.tr("スタッフの判断: すべて"), "")
        for key, msg in review.DECISION_LABELS.items():
            self.decision_filter.addItem(msg.text(lang), key)
        top.addWidget(self.open_button)
        top.addWidget(self.folder_label, 1)
        outer.addLayout(top)
        filters = QHBoxLayout()
        for w in (self.search, self.amount_min, self.amount_max, self.date_from, self.date_to,
                  self.verdict_filter, self.decision_filter):
            filters.addWidget(w)
        self.csv_button = QPushButton(self.tr("CSV に書き出す…"))
        self.json_button = QPushButton(self.tr("JSON に書き出す…"))
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.json_button.clicked.connect(lambda: self._export("json"))
        filters.addWidget(self.csv_button)
        filters.addWidget(self.json_button)
        outer.addLayout(filters)
        for w in (self.search, self.amount_min, self.amount_max, self.date_from, self.date_to):
            w.textChanged.connect(self._fill_table)
        self.verdict_filter.currentIndexChanged.connect(self._fill_table)
        self.decision_filter.currentIndexChanged.connect(self._fill_table)

        split = QSplitter()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("自動判定"), self.tr("スタッフの判断"), self.tr("お名前"), self.tr("申告金額"),
            self.tr("読み取り金額"), self.tr("申告日"), self.tr("受信"), self.tr("確認コード"), self.tr("ファイル")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)  # problems first
        self.table.setAccessibleName(self.tr("受信したバンドル"))
        self.table.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.table)

        detail = QWidget()
        d = QVBoxLayout(detail)
        # The image of the bundle shown in the detail, or why it cannot be shown.
        self.view = ImageView()
        self.image_note = QLabel("")
        self.image_note.setWordWrap(True)
        self.image_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_note.setObjectName("lead")
        self.image_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.image_pane = QStackedWidget()
        self.image_pane.addWidget(self.view)
        self.image_pane.addWidget(self.image_note)
        d.addWidget(self.image_pane, 3)
        self.page_images: list = []
        self.page_fields: dict = {}
        self.shown_page = 0
        pager = QHBoxLayout()
        self.prev_page = QPushButton(self.tr("前のページ"))
        self.next_page = QPushButton(self.tr("次のページ"))
        self.page_label = QLabel("")
        self.prev_page.clicked.connect(lambda: self.show_page(self.shown_page - 1))
        self.next_page.clicked.connect(lambda: self.show_page(self.shown_page + 1))
        for w in (self.prev_page, self.page_label, self.next_page):
            pager.addWidget(w)
        self.prev_page.setVisible(False)
        self.next_page.setVisible(False)
        pager.addStretch(1)
        d.addLayout(pager)
        self.info = QTextBrowser()
        self.info.setAccessibleName(self.tr("詳細"))
        self.info.setOpenLinks(False)
        self.info.anchorClicked.connect(self._link)
        d.addWidget(self.info, 2)
        code_row = QHBoxLayout()
        code_label = QLabel(self.tr("お客様のメッセージの確認コード:"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("例: 1TB5-NMZF-65S1（貼り付け）"))
        self.code.setAccessibleName(self.tr("お客様のメッセージの確認コード"))
        self.code.setMinimumWidth(220)
        self.code.editingFinished.connect(self._code_given)
        self.code_result = QLabel("")
        self.code_result.setWordWrap(True)  # a long sentence must not push the list off-screen
        code_row.addWidget(code_label)
        code_row.addWidget(self.code)
        code_row.addWidget(self.code_result, 1)
        d.addLayout(code_row)
        row = QHBoxLayout()
        self.reread_button = QPushButton(self.tr("読み直す"))
        self.reread_button.clicked.connect(self._reread)
        row.addWidget(self.reread_button)
        self.staff = QLineEdit(settings.staff_name or "")
        self.staff.setPlaceholderText(self.tr("担当者名"))
        self.staff.setAccessibleName(self.tr("担当者名"))
        self.staff.setMaximumWidth(160)
        row.addWidget(self.staff)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("メモ（判断の理由）"))
        self.note.setAccessibleName(self.tr("メモ"))
        row.addWidget(self.note, 1)
        d.addLayout(row)
        buttons = QHBoxLayout()
        self.approve = QPushButton(self.tr("承認 (Alt+A)"))
        self.reject = QPushButton(self.tr("却下 (Alt+R)"))
        self.more = QPushButton(self.tr("追加資料を依頼 (Alt+M)"))
        self.next_button = QPushButton(self.tr("次の未確認 (Alt+N)"))
        for key, button in (("Alt+A", self.approve), ("Alt+R", self.reject), ("Alt+M", self.more),
                            ("Alt+N", self.next_button)):
            QShortcut(QKeySequence(key), self, button.click)
        self.approve.clicked.connect(lambda: self.decide("approved"))
        self.reject.clicked.connect(lambda: self.decide("rejected"))
        self.more.clicked.connect(lambda: self.decide("more"))
        self.next_button.clicked.connect(self.next_unchecked)
        for b in (self.approve, self.reject, self.more, self.next_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        d.addLayout(buttons)
        # The shown bundle's own line, wrapped and selectable: a sentence about it may name a path to act on.
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        d.addWidget(self.status)
        split.addWidget(detail)
        split.setSizes([760, 600])
        outer.addWidget(split, 1)
        self.setCentralWidget(central)
        # Sentences about the inbox as a whole (new files, exports, the record file).
        self.inbox_status = QLabel("")
        self.inbox_status.setWordWrap(True)
        self.inbox_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.inbox_status, 1)
        self.shown: str | None = None  # the bundle whose image and detail are on screen
        self.said: dict[str, str] = {}  # the last sentence about each bundle
        if settings.review_geometry:
            self.restoreGeometry(QByteArray.fromHex(settings.review_geometry.encode("ascii")))

        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _: self._rescan_soon.start())
        self._rescan_soon = QTimer(self)
        self._rescan_soon.setSingleShot(True)
        self._rescan_soon.setInterval(500)  # a file still being copied settles first
        self._rescan_soon.timeout.connect(self.scan)
        self._set_decision_enabled(False)
        if folder is not None:
            self.open_folder(folder)

    # -- the inbox -----------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = dialogs.ask_folder(self, self.settings.review_folder or str(Path.home()))
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        if self.folder is not None:
            self.watcher.removePath(str(self.folder))
        self.files = []
        self.folder = folder
        self.settings.review_folder = str(folder)
        self.folder_label.setText(str(folder))
        self.watcher.addPath(str(folder))
        self.scan()

    def open_files(self, files: list[Path]) -> None:
        """Review just these bundles (they may lie in several folders)."""
        self.files = [Path(f) for f in files]
        self.folder_label.setText(", ".join(f.name for f in self.files))
        self.scan()

    def _candidates(self) -> list[Path]:
        if self.files:
            return [f for f in self.files if f.is_file()]
        return review.bundles_in(self.folder) if self.folder is not None else []

    def scan(self) -> None:
        """Record every bundle not seen before (in the background), then show all.

        A file is hashed once per size and modification time, in a worker:
        the folder is rescanned whenever it changes.
        """
        ready, to_hash = [], []
        for path in self._candidates():
            if str(path) in self.pending:
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            sig = (st.st_mtime_ns, st.st_size)
            cached = self.hashes.get(str(path))
            if cached is not None and cached[0] == sig:
                ready.append((path, sig, cached[1]))
            else:
                to_hash.append((path, sig))
        self._sort_out(ready)
        if to_hash:
            self.pending.update(str(p) for p, _ in to_hash)
            task = Task(lambda progress, cancel, todo=to_hash: [(p, sig, review.file_hash(p)) for p, sig in todo],
                        self)
            task.succeeded.connect(self._hashed)
            task.failed.connect(lambda exc, todo=to_hash: [self._failed(p, exc) for p, _ in todo])
            task.start()

    def _hashed(self, hashed) -> None:  # type: ignore[no-untyped-def]
        for path, _, _ in hashed:
            self.pending.discard(str(path))
        self._sort_out(hashed)

    def _sort_out(self, hashed) -> None:  # type: ignore[no-untyped-def]
        """Known bundles are shown (and followed if moved); new ones are verified in the background."""
        new = []
        for path, sig, bundle_hash in hashed:
            self.hashes[str(path)] = (sig, bundle_hash)
            known = self.store.get(bundle_hash)
            if known is None or known.stale:
                new.append(path)
            elif Path(known.path) != path:
                self.store.moved(bundle_hash, path)
        self._reload()
        for path in new:
            self.pending.add(str(path))
            task = Task(lambda progress, cancel, p=path: (p, *review.verify_for_review(p)), self)
            task.succeeded.connect(self._verified)
            task.failed.connect(lambda exc, p=path: self._failed(p, exc))
            task.start()
        if new:
            self.inbox_status.setText(self.tr("{0} 件を確認しています…").format(len(new)))

    def _verified(self, outcome) -> None:  # type: ignore[no-untyped-def]
        path, bundle_hash, v, images = outcome
        self.pending.discard(str(path))
        if not self._kept(lambda: self.store.record(Path(path), v, bundle_hash, images)):
            return
        if not self.pending:
            self.inbox_status.setText("")
        self._reload()

    def _kept(self, change) -> bool:  # type: ignore[no-untyped-def]
        """Make a change to the record; a fault of the file shows its sentence in the status line instead."""
        try:
            change()
        except ReceiptError as exc:
            self.inbox_status.setText(exc.text(self.lang))
            return False
        return True

    def _failed(self, path: Path, exc: BaseException) -> None:
        self.pending.discard(str(path))
        why = exc.text(self.lang) if isinstance(exc, ReceiptError) else self.tr("予期しない問題で確認できませんでした。")
        self.inbox_status.setText(f"{path.name}: {why}")

    def _reload(self) -> None:
        if self.files:
            found = (self.store.get(self.hashes.get(str(f), (None, ""))[1]) for f in self.files)
            self.entries = [e for e in found if e is not None]
        else:
            self.entries = self.store.entries(self.folder) if self.folder is not None else []
        self._fill_table()
        shown = self.entry(self.shown)
        if shown is not None:
            self._fill_detail(shown)  # the same bundle: its record may have changed

    def visible_entries(self) -> list[review.Entry]:
        """The entries that pass the search and the filters."""
        out = []
        lo, hi = _int(self.amount_min.text()), _int(self.amount_max.text())
        start, end = _date(self.date_from.text()), _date(self.date_to.text())
        verdict, decision = self.verdict_filter.currentData(), self.decision_filter.currentData()
        for e in self.entries:
            amount, day = e.value("amount"), _date(e.value("date") or "")
            if lo is not None and (amount is None or amount < lo):
                continue
            if hi is not None and (amount is None or amount > hi):
                continue
            if start is not None and (day is None or day < start):
                continue
            if end is not None and (day is None or day > end):
                continue
            if verdict and e.verdict != verdict or decision and e.decision != decision:
                continue
            if e.matches(self.search.text()):
                out.append(e)
        return out

    def _fill_table(self) -> None:
        """Fill the list; the bundle on screen stays selected, or the detail empties if it is filtered out."""
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)
        rows = self.visible_entries()
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            amount, read_amount = e.value("amount"), e.value("read_amount")
            cells = [
                _Item(review.VERDICT_LABELS[e.verdict].text(self.lang), ("red", "amber", "green").index(e.verdict)),
                _Item(review.DECISION_LABELS[e.decision].text(self.lang)),
                _Item(e.value("name") or "—"),
                _Item(_yen(amount), amount if isinstance(amount, int) else -1),
                _Item(_yen(read_amount), read_amount if isinstance(read_amount, int) else -1),
                _Item(e.value("date") or "—"),
                _Item(e.received_at.replace("T", " ")[:16], e.received_at),
                _Item(e.value("fingerprint") or "—"),
                _Item(Path(e.path).name),
            ]
            cells[0].setForeground(QBrush(QColor(_severity_colour(e.verdict))))
            if isinstance(amount, int) and isinstance(read_amount, int) and amount != read_amount:
                cells[4].setForeground(QBrush(QColor(_severity_colour("amber"))))
            for c, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, e.bundle_hash)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        row = self._row_of(self.shown)
        if row is not None:
            self.table.selectRow(row)
        else:  # Qt would move the highlight to a neighbour: a bundle staff have not looked at
            self.table.selectionModel().clear()
        self.table.blockSignals(False)
        if row is None and self.shown is not None:
            self._selected()  # the bundle on screen is no longer listed: nothing stays half-shown

    # -- one bundle ----------------------------------------------------------------
    def entry(self, bundle_hash: str | None) -> review.Entry | None:
        return next((e for e in self.entries if e.bundle_hash == bundle_hash), None) if bundle_hash else None

    @property
    def current(self) -> review.Entry | None:
        """The highlighted bundle, which is always the one on screen."""
        items = self.table.selectedItems()
        return self.entry(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _row_of(self, bundle_hash: str | None) -> int | None:
        for r in range(self.table.rowCount()):
            if bundle_hash and self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == bundle_hash:
                return r
        return None

    def select(self, bundle_hash: str) -> None:
        row = self._row_of(bundle_hash)
        if row is not None:
            self.table.selectRow(row)

    def _link(self, url) -> None:  # type: ignore[no-untyped-def]
        """A link in the detail to another bundle (the original of a copy, a later copy): show it."""
        target = url.toString().removeprefix("bundle:")
        if self.entry(target) is None:
            return
        if self._row_of(target) is None:  # hidden by the filters: show everything again
            for w in (self.search, self.amount_min, self.amount_max, self.date_from, self.date_to):
                w.blockSignals(True)
                w.clear()
                w.blockSignals(False)
            for box in (self.verdict_filter, self.decision_filter):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
            self._fill_table()
        self.select(target)

    def _set_decision_enabled(self, on: bool) -> None:
        for w in (self.approve, self.reject, self.more, self.reread_button, self.note, self.code):
            w.setEnabled(on)

    def _clear_detail(self) -> None:
        self.info.clear()
        self.view.scene().clear()
        self.page_images, self.page_fields = [], {}
        self.page_label.setText("")
        self.prev_page.setVisible(False)
        self.next_page.setVisible(False)
        self.image_note.setText("")
        self.image_pane.setCurrentWidget(self.view)
        self.note.clear()
        self.code.clear()
        self.code_result.setText("")
        self.status.setText("")

    def _selected(self) -> None:
        """Any change of selection: empty the detail, then fill it with that bundle alone."""
        e = self.current
        self._clear_detail()
        self.shown = e.bundle_hash if e is not None else None
        self._set_decision_enabled(e is not None)
        if e is None:
            return
        self._fill_detail(e)
        self.code.setText(e.fingerprint_given or "")
        self.status.setText(self.said.get(e.bundle_hash, ""))
        self.image_note.setText(self.tr("画像を読み込んでいます…"))
        self.image_pane.setCurrentWidget(self.image_note)
        task = Task(lambda progress, cancel, p=e.path: _page_images(p), self)
        task.succeeded.connect(lambda out, h=e.bundle_hash: self._show_image(h, out))
        task.failed.connect(lambda exc, h=e.bundle_hash: self._show_image(h, _cannot_show(exc)))
        task.start()

    def _fill_detail(self, e: review.Entry) -> None:
        self.info.setHtml(self.describe(e))
        self._show_code_result(e)

    def _say(self, bundle_hash: str, text: str) -> None:
        """A sentence about one bundle: shown while it is on screen, and again when it is chosen."""
        self.said[bundle_hash] = text
        if bundle_hash == self.shown:
            self.status.setText(text)

    def _show_image(self, bundle_hash: str, outcome) -> None:  # type: ignore[no-untyped-def]
        if bundle_hash != self.shown:
            return  # another bundle was chosen meanwhile: its own image is on the way
        if isinstance(outcome, Message):
            self.image_note.setText(self.tr("この提出の画像は表示できません。") + "\n" + outcome.text(self.lang))
            self.image_pane.setCurrentWidget(self.image_note)
            return
        self.image_pane.setCurrentWidget(self.view)
        self.page_images, self.page_fields = outcome
        found = [f for f in (self.page_fields.get(n) or {} for n in ("gift_card", "amount", "date"))
                 if f.get("value") not in (None, False)]
        self.show_page(found[0].get("page", 0) if found else 0)

    def show_page(self, page: int) -> None:
        if not 0 <= page < len(self.page_images):
            return
        self.shown_page = page
        image, scale = self.page_images[page]
        boxes = []
        for name, colour in HIGHLIGHT.items():
            f = self.page_fields.get(name) or {}
            if f.get("box") and f.get("page") == page and f.get("value") not in (None, False):
                x, y, w, h = f["box"]
                boxes.append((QRectF(x * scale, y * scale, w * scale, h * scale), colour))
        self.view.show_page(image, boxes)
        many = len(self.page_images) > 1
        self.prev_page.setVisible(many)
        self.next_page.setVisible(many)
        self.prev_page.setEnabled(page > 0)
        self.next_page.setEnabled(page < len(self.page_images) - 1)
        self.page_label.setText(self.tr("{0} / {1} ページ").format(page + 1, len(self.page_images)) if many else "")

    def describe(self, e: review.Entry) -> str:
        """The detail of one bundle as a small HTML page: each fact once, as it stands now (every value escaped)."""
        v = e.verification
        lang = self.lang
        declared, read = v.get("declared") or {}, v.get("read") or {}
        corrected = {c["field"]: c for c in v.get("corrections") or []}
        # Words looked up outside the f-strings: the translation tools do not read inside them.
        verdict_word, open_word, amount_word = self.tr("自動判定"), self.tr("開く"), self.tr("金額")
        history_word, verdict_then = self.tr("スタッフの判断の記録"), self.tr("その時の自動判定")
        parts = [f"<h3>{escape(Path(e.path).name)}</h3>"]
        parts.append(f'<p><b style="color:{_severity_colour(e.verdict)}">{escape(verdict_word)}: '
                     f'{escape(review.VERDICT_LABELS[e.verdict].text(lang))}</b></p><ul>')
        # Each copy of a receipt links to the others: a later copy to the original, the original to the copies.
        linked = {"duplicate_of": [e.original] if e.original else [], "sent_again": e.copies}
        for f in e.flags:
            text = escape(f.message.text(lang))
            text += "".join(f' <a href="bundle:{escape(h)}">{escape(open_word)}</a>' for h in linked.get(f.id, []))
            parts.append(f'<li style="color:{_severity_colour(f.severity)}">{text}</li>')
        parts.append("</ul>")
        def shown(key: str, value: object) -> str:
            if value is None:
                return "—"
            if key == "gift_card":
                return self.tr("あり") if value else self.tr("なし")
            if key == "amount" and isinstance(value, int):
                return _yen(value)
            return str(value)

        rows = [(self.tr("金額"), declared.get("amount"), read.get("amount"), "amount"),
                (self.tr("購入日"), declared.get("purchase_date"), read.get("date"), "date"),
                (self.tr("ギフトカードの行"), None, read.get("gift_card"), "gift_card"),
                (self.tr("注文番号"), None, read.get("order_number"), "order_number"),
                (self.tr("店舗"), None, read.get("store"), "store")]
        head = (self.tr("申告"), self.tr("画像から読み取り"), self.tr("お客様の修正"))
        parts.append("<table border='1' cellspacing='0' cellpadding='3'><tr><th></th>"
                     + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
        for label, dec, got, key in rows:
            fix = corrected.get(key)
            fix_text = escape(shown(key, fix["value_given"])) if fix else ""
            parts.append(f"<tr><td>{escape(label)}</td><td>{escape(shown(key, dec) if key in ('amount', 'date') else '')}"
                         f"</td><td>{escape(shown(key, got))}</td><td>{fix_text}</td></tr>")
        parts.append("</table>")
        why = explain(v.get("amount_evidence") or [])
        if why is not None:
            parts.append(f"<p>{escape(amount_word)} — {escape(why.text(lang))}</p>")
        route = {"amazon": "Amazon.co.jp", "store": self.tr("店舗")}.get(declared.get("route") or "", "—")
        customer = ((self.tr("購入場所"), route), (self.tr("お名前"), declared.get("name")),
                    (self.tr("メールアドレス"), declared.get("email")), (self.tr("受付番号"), declared.get("reference")))
        parts.append("<p>" + "<br>".join(f"{escape(label)}: {escape(str(value or '—'))}" for label, value in customer)
                     + "</p>")
        if e.history:
            parts.append(f"<p><b>{escape(history_word)}</b></p><ol>")
            for h in e.history:
                note = f" — {escape(h.note)}" if h.note else ""
                parts.append(f"<li>{escape(h.decided_at.replace('T', ' ')[:16])} {escape(h.staff)}: "
                             f"{escape(review.DECISION_LABELS[h.decision].text(lang))} "
                             f"({escape(verdict_then)}: "
                             f"{escape(review.VERDICT_LABELS.get(h.verdict, review.VERDICT_LABELS['amber']).text(lang))})"
                             f"{note}</li>")
            parts.append("</ol>")
        removed = sorted({r for f in v.get("files") or [] for r in f.get("metadata_removed") or []})
        overrides = ", ".join(o["problem"] for o in v.get("overrides") or []) or "—"
        meta = (
            (self.tr("確認コード"), str(v.get("fingerprint") or "—")),
            (self.tr("受信"), e.received_at.replace("T", " ")[:16]),
            (self.tr("作成"), f"{v.get('created_at') or '—'} / receipt-assistant {v.get('app_version') or '—'} / "
                            f"Tesseract {(v.get('tesseract') or {}).get('version', '—')}"),
            (self.tr("削除されたメタデータ"), ", ".join(removed) or "—"),
            (self.tr("警告を承知で使用"), overrides),
        )
        parts.append("<p><small>" + "<br>".join(f"{escape(label)}: {escape(value)}" for label, value in meta)
                     + "</small></p>")
        return "".join(parts)

    # -- the customer's fingerprint -------------------------------------------------
    def _code_given(self) -> None:
        e = self.entry(self.shown)
        if e is None or self.code.text().strip() == (e.fingerprint_given or ""):
            return
        if self._kept(lambda: self.store.set_fingerprint(e.bundle_hash, self.code.text().strip())):
            self._reload()

    def _show_code_result(self, e: review.Entry) -> None:
        given = e.fingerprint_given
        if not given:
            self.code_result.setText(self.tr("未入力: お客様のメッセージから貼り付けてください。"))
            self.code_result.setStyleSheet(f"color: {_severity_colour('amber')};")
        elif review.fingerprint_matches(given, e.value("fingerprint")):
            self.code_result.setText(self.tr("✓ バンドルの確認コードと一致しています。"))
            self.code_result.setStyleSheet(f"color: {_severity_colour('green')};")
        else:
            self.code_result.setText(self.tr("✗ バンドルの確認コード（{0}）と違います。").format(e.value("fingerprint") or "—"))
            self.code_result.setStyleSheet(f"color: {_severity_colour('red')};")

    # -- deciding ----------------------------------------------------------------
    def decide(self, decision: str) -> None:
        """Record a decision for the bundle on screen; overriding the verdict or a decision asks first."""
        e = self.entry(self.shown)
        if e is None or self.current is None or self.current.bundle_hash != e.bundle_hash:
            return
        staff = self.staff.text().strip()
        if not staff:
            self._say(e.bundle_hash, self.tr("担当者名を入力してください。"))
            self.staff.setFocus()
            return
        note = self.note.text().strip()
        question = review.confirmation_needed(e, decision)
        if question is not None:
            if not note:
                self._say(e.bundle_hash, question.text(self.lang) + "\n" + self.tr("メモに理由を書いてから、もう一度押してください。"))
                self.note.setFocus()
                return
            if not dialogs.ask_yes_no(self, self.tr("判断の確認"), question.text(self.lang)):
                return
        self.settings.staff_name = staff
        code = self.code.text().strip() or None
        if not self._kept(lambda: self.store.decide(e.bundle_hash, decision, note, staff, fingerprint=code)):
            return
        self.note.clear()
        self._reload()
        self._say(e.bundle_hash, self.tr("{0} と記録しました。").format(review.DECISION_LABELS[decision].text(self.lang)))

    def next_unchecked(self) -> None:
        rows = self.table.rowCount()
        start = self.table.currentRow() + 1
        for n in range(rows):
            r = (start + n) % max(rows, 1)
            e = self.entry(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole))
            if e is not None and e.decision == "unchecked":
                self.table.selectRow(r)
                return
        self.inbox_status.setText(self.tr("未確認のバンドルはありません。"))

    def _reread(self) -> None:
        e = self.entry(self.shown)
        if e is None:
            return
        self.reread_button.setEnabled(False)
        self._say(e.bundle_hash, self.tr("読み直しています…"))
        settings = self.settings

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            try:
                engine = make_engine(settings, responsive=True)
            except ReceiptError:
                engine = None
            return (Path(e.path), *review.verify_for_review(e.path, reread=True, engine=engine))

        task = Task(work, self)
        task.succeeded.connect(self._reread_done)
        task.failed.connect(lambda exc, h=e.bundle_hash: self._reread_failed(h, exc))
        task.start()

    def _reread_failed(self, bundle_hash: str, exc: BaseException) -> None:
        self.reread_button.setEnabled(self.shown is not None)
        why = exc.text(self.lang) if isinstance(exc, ReceiptError) else self.tr("予期しない問題で読み直せませんでした。")
        self._say(bundle_hash, why)

    def _reread_done(self, outcome) -> None:  # type: ignore[no-untyped-def]
        path, bundle_hash, v, images = outcome
        self.reread_button.setEnabled(self.shown is not None)
        if not self._kept(lambda: self.store.record(path, v, bundle_hash, images)):
            return
        self._reload()
        if v.reread_error is not None:
            self._say(bundle_hash, v.reread_error.text(self.lang))
        elif v.reread:
            self._say(bundle_hash, self.tr("読み直すと違う値があります。"))
        else:
            self._say(bundle_hash, self.tr("読み直した値はバンドルと一致しました。"))

    def _export(self, kind: str) -> None:
        suggested = str(Path.home() / f"review-{dt.date.today().isoformat()}.{kind}")
        path = dialogs.ask_save_file(self, suggested, "CSV (*.csv)" if kind == "csv" else "JSON (*.json)")
        if not path:
            return
        entries = self.visible_entries()
        try:
            (review.export_csv if kind == "csv" else review.export_json)(entries, Path(path), self.lang)
        except OSError as exc:
            self.inbox_status.setText(self.tr("書き出せませんでした: {0}").format(exc.strerror or exc))
            return
        self.inbox_status.setText(self.tr("{0} 件を書き出しました。").format(len(entries)))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        self.settings.review_geometry = bytes(self.saveGeometry().toHex().data()).decode("ascii")
        try:
            self.settings.save()
        except OSError:
            pass
        self.store.close()
        super().closeEvent(event)


def _cannot_show(exc: BaseException) -> Message:
    if isinstance(exc, ReceiptError):
        return exc.message
    return Message("画像を開く途中で予期しない問題が起きました。", "An unexpected problem stopped the image from opening.")


def _page_images(path: str):  # type: ignore[no-untyped-def]
    """Every page of a bundle's originals as QImages and the fields read, or why they cannot be shown (in a worker).

    Pages are numbered over all originals, as the reading numbered them, and
    the customer's turns are applied so the outlines fall in place.
    """
    import tempfile
    from pathlib import PurePosixPath

    from receipt_assistant.core.api import turned
    from receipt_assistant.core.loader import load

    v = verify_bundle(path, keep_members=True)
    if v.manifest is None:
        reasons = [p.message for p in v.problems] or [Message("バンドルを開けません。", "The bundle cannot be opened.")]
        return Message("\n".join(m.ja for m in reasons), "\n".join(m.en for m in reasons))
    originals = [f for f in v.manifest["files"] if f["role"] == "original"]
    kept = [f for f in originals if f["path"] in v.members]
    if len(kept) < len(originals):  # an original failed its check: showing the others would mislead
        broken = [p.message for p in v.problems] or [Message("元の画像が欠けています。", "An original image is missing.")]
        return Message("元の画像が壊れているか、書き換えられています。\n" + "\n".join(m.ja for m in broken),
                       "An original image is damaged or was altered.\n" + "\n".join(m.en for m in broken))
    if not kept:
        return Message("この提出には元の画像がありません。", "This bundle holds no original image.")
    with tempfile.TemporaryDirectory(prefix="receipt-review-") as tmp:
        paths, turns = [], {}
        for n, f in enumerate(kept, start=1):
            suffix = PurePosixPath(f["path"]).suffix.lower()
            safe = Path(tmp) / f"{n}{suffix if suffix.isascii() and len(suffix) <= 6 else ''}"
            safe.write_bytes(v.members[f["path"]])
            paths.append(safe)
            turns[str(safe)] = f.get("turned", 0)
        try:
            pages = turned(load(paths), turns)
        except ReceiptError as exc:
            return exc.message
        images = [to_qimage(page.image, VIEW_PX) for page in pages]
    return images, v.manifest["reading"]["fields"]


def _yen(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "—"


def _int(text: str) -> int | None:
    digits = text.replace(",", "").replace("円", "").strip()
    return int(digits) if digits.isdigit() else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
