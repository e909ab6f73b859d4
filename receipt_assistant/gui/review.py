"""The staff review window: an inbox of bundles, the detail of one, and the decision.

Verifying, hashing and re-reading run in background tasks; the record lives
in the core's SQLite store, so closing and reopening shows the same state.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QRectF, Qt, QTimer
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
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.verify import verify_bundle
from receipt_assistant.gui import dialogs
from receipt_assistant.gui.imaging import VIEW_PX, to_qimage
from receipt_assistant.gui.pages import ImageView
from receipt_assistant.gui.style import HIGHLIGHT
from receipt_assistant.gui.tasks import Task

VERDICT_COLOURS = {"green": "#1e7b34", "amber": "#b26a00", "red": "#b3261e"}
COLUMNS = ("received", "fingerprint", "route", "amount", "date", "intact", "verdict", "decision", "file")


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
        self.resize(1360, 800)

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
        self.verdict_filter.addItem(self.tr("すべての判定"), "")
        for key, msg in review.VERDICT_LABELS.items():
            self.verdict_filter.addItem(msg.text(lang), key)
        self.decision_filter = QComboBox()
        self.decision_filter.addItem(self.tr("すべての判断"), "")
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
            self.tr("受信"), self.tr("確認コード"), self.tr("購入場所"), self.tr("申告金額"), self.tr("申告日"),
            self.tr("完全性"), self.tr("判定"), self.tr("判断"), self.tr("ファイル")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName(self.tr("受信したバンドル"))
        self.table.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.table)

        detail = QWidget()
        d = QVBoxLayout(detail)
        self.view = ImageView()
        d.addWidget(self.view, 3)
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
        d.addWidget(self.info, 2)
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
        # Its own line, wrapped and selectable: a sentence about the record names a path to act on.
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        d.addWidget(self.status)
        split.addWidget(detail)
        split.setSizes([700, 660])
        outer.addWidget(split, 1)
        self.setCentralWidget(central)

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
            self.status.setText(self.tr("{0} 件を確認しています…").format(len(new)))

    def _verified(self, outcome) -> None:  # type: ignore[no-untyped-def]
        path, bundle_hash, v, images = outcome
        self.pending.discard(str(path))
        if not self._kept(lambda: self.store.record(Path(path), v, bundle_hash, images)):
            return
        if not self.pending:
            self.status.setText("")
        self._reload()

    def _kept(self, change) -> bool:  # type: ignore[no-untyped-def]
        """Make a change to the record; a fault of the file shows its sentence in the status line instead."""
        try:
            change()
        except ReceiptError as exc:
            self.status.setText(exc.text(self.lang))
            return False
        return True

    def _failed(self, path: Path, exc: BaseException) -> None:
        self.pending.discard(str(path))
        why = exc.text(self.lang) if isinstance(exc, ReceiptError) else str(exc)
        self.status.setText(f"{path.name}: {why}")

    def _reload(self) -> None:
        if self.files:
            found = (self.store.get(self.hashes.get(str(f), (None, ""))[1]) for f in self.files)
            self.entries = [e for e in found if e is not None]
        else:
            self.entries = self.store.entries(self.folder) if self.folder is not None else []
        self._fill_table()
        if self.current is not None:
            self.info.setHtml(self.describe(self.current))  # the same row: its record may have changed

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
        selected = self.current.bundle_hash if self.current else None
        self.table.setSortingEnabled(False)
        rows = self.visible_entries()
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            amount = e.value("amount")
            route = {"amazon": "Amazon", "store": self.tr("店舗")}.get(e.value("route") or "", "—")
            cells = [
                _Item(e.received_at.replace("T", " ")[:16], e.received_at),
                _Item(e.value("fingerprint") or "—"),
                _Item(route),
                _Item(f"{amount:,}" if isinstance(amount, int) else "—", amount if isinstance(amount, int) else -1),
                _Item(e.value("date") or "—"),
                _Item(self.tr("OK") if e.value("intact") else self.tr("NG")),
                _Item(review.VERDICT_LABELS[e.verdict].text(self.lang), ("red", "amber", "green").index(e.verdict)),
                _Item(review.DECISION_LABELS[e.decision].text(self.lang)),
                _Item(Path(e.path).name),
            ]
            cells[6].setForeground(QBrush(QColor(VERDICT_COLOURS[e.verdict])))
            for c, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, e.bundle_hash)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        if selected:
            self.select(selected)

    # -- one bundle ----------------------------------------------------------------
    @property
    def current(self) -> review.Entry | None:
        items = self.table.selectedItems()
        if not items:
            return None
        bundle_hash = items[0].data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e.bundle_hash == bundle_hash), None)

    def select(self, bundle_hash: str) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == bundle_hash:
                self.table.selectRow(r)
                return

    def _set_decision_enabled(self, on: bool) -> None:
        for w in (self.approve, self.reject, self.more, self.reread_button, self.note):
            w.setEnabled(on)

    def _selected(self) -> None:
        e = self.current
        self._set_decision_enabled(e is not None)
        if e is None:
            self.info.clear()
            return
        self.note.setText(e.note)
        self.info.setHtml(self.describe(e))
        task = Task(lambda progress, cancel, p=e.path: _page_images(p), self)
        task.succeeded.connect(lambda out, h=e.bundle_hash: self._show_image(h, out))
        task.start()

    def _show_image(self, bundle_hash: str, outcome) -> None:  # type: ignore[no-untyped-def]
        current = self.current
        if current is None or current.bundle_hash != bundle_hash or outcome is None:
            return
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
        """The detail of one bundle as a small HTML page (every value escaped)."""
        from html import escape

        v = e.verification
        lang = self.lang
        declared, read = v.get("declared") or {}, v.get("read") or {}
        corrected = {c["field"]: c for c in v.get("corrections") or []}
        parts = [f"<h3>{escape(Path(e.path).name)}</h3>"]
        parts.append("<p><b>" + escape(review.VERDICT_LABELS[e.verdict].text(lang)) + "</b></p><ul>")
        parts += [f'<li style="color:{VERDICT_COLOURS[f.severity]}">{escape(f.message.text(lang))}</li>'
                  for f in e.flags]
        parts.append("</ul>")
        rows = [(self.tr("金額"), declared.get("amount"), read.get("amount"), "amount"),
                (self.tr("購入日"), declared.get("purchase_date"), read.get("date"), "date"),
                (self.tr("ギフトカードの行"), None, read.get("gift_card"), "gift_card"),
                (self.tr("注文番号"), None, read.get("order_number"), "order_number"),
                (self.tr("店舗"), None, read.get("store"), "store")]
        head = (self.tr("申告"), self.tr("読み取り"), self.tr("お客様の修正"))
        parts.append("<table border='1' cellspacing='0' cellpadding='3'><tr><th></th>"
                     + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
        for label, dec, got, key in rows:
            fix = corrected.get(key)
            fix_text = (escape(str(fix["value_given"])) + " — " + self.tr("読み取った値と異なります")) if fix else ""
            parts.append(f"<tr><td>{escape(label)}</td><td>{escape(str(dec if dec is not None else '—'))}</td>"
                         f"<td>{escape(str(got if got is not None else '—'))}</td><td>{fix_text}</td></tr>")
        parts.append("</table>")
        why = explain(v.get("amount_evidence") or [])
        if why is not None:
            parts.append(f"<p>{escape(self.tr('金額'))} — {escape(why.text(lang))}</p>")
        for key in ("name", "email", "reference"):
            if declared.get(key):
                parts.append(f"<p>{escape(key)}: {escape(str(declared[key]))}</p>")
        parts.append("<p>" + "<br>".join(
            ("✓ " if c["ok"] else "✗ ") + escape(c["message_ja"] if lang == "ja" else c["message_en"])
            for c in v.get("checks") or []) + "</p>")
        removed = sorted({r for f in v.get("files") or [] for r in f.get("metadata_removed") or []})
        overrides = ", ".join(o["problem"] for o in v.get("overrides") or []) or "—"
        meta = (
            (self.tr("確認コード"), str(v.get("fingerprint"))),
            (self.tr("作成"), f"{v.get('created_at')} / receipt-assistant {v.get('app_version')} / Tesseract "
                            f"{(v.get('tesseract') or {}).get('version', '—')}"),
            (self.tr("削除されたメタデータ"), ", ".join(removed) or "—"),
            (self.tr("警告を承知で使用"), overrides),
        )
        parts.append("<p><small>" + "<br>".join(f"{label}: {escape(value)}" for label, value in meta)
                     + "</small></p>")
        if e.decision != "unchecked":
            parts.append(f"<p>{escape(review.DECISION_LABELS[e.decision].text(lang))} — {escape(e.staff)} "
                         f"{escape(e.decided_at)}<br>{escape(e.note)}</p>")
        return "".join(parts)

    def decide(self, decision: str) -> None:
        e = self.current
        if e is None:
            return
        staff = self.staff.text().strip()
        if not staff:
            self.status.setText(self.tr("担当者名を入力してください。"))
            self.staff.setFocus()
            return
        self.settings.staff_name = staff
        if not self._kept(lambda: self.store.decide(e.bundle_hash, decision, self.note.text().strip(), staff)):
            return
        self._reload()
        self.select(e.bundle_hash)
        self.status.setText(self.tr("記録しました。"))

    def next_unchecked(self) -> None:
        rows = self.table.rowCount()
        start = self.table.currentRow() + 1
        for n in range(rows):
            r = (start + n) % max(rows, 1)
            bundle_hash = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            e = next((x for x in self.entries if x.bundle_hash == bundle_hash), None)
            if e is not None and e.decision == "unchecked":
                self.table.selectRow(r)
                return
        self.status.setText(self.tr("未確認のバンドルはありません。"))

    def _reread(self) -> None:
        e = self.current
        if e is None:
            return
        self.reread_button.setEnabled(False)
        self.status.setText(self.tr("読み直しています…"))
        settings = self.settings

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            try:
                engine = make_engine(settings, responsive=True)
            except ReceiptError:
                engine = None
            return (Path(e.path), *review.verify_for_review(e.path, reread=True, engine=engine))

        task = Task(work, self)
        task.succeeded.connect(self._reread_done)
        task.start()

    def _reread_done(self, outcome) -> None:  # type: ignore[no-untyped-def]
        path, bundle_hash, v, images = outcome
        if not self._kept(lambda: self.store.record(path, v, bundle_hash, images)):
            return
        self._reload()
        self.select(bundle_hash)
        if v.reread_error:
            self.status.setText(v.reread_error)
        elif v.reread:
            self.status.setText(self.tr("読み直すと違う値があります。"))
        else:
            self.status.setText(self.tr("読み直した値はバンドルと一致しました。"))

    def _export(self, kind: str) -> None:
        suggested = str(Path.home() / f"review-{dt.date.today().isoformat()}.{kind}")
        path = dialogs.ask_save_file(self, suggested, "CSV (*.csv)" if kind == "csv" else "JSON (*.json)")
        if not path:
            return
        entries = self.visible_entries()
        try:
            (review.export_csv if kind == "csv" else review.export_json)(entries, Path(path), self.lang)
        except OSError as exc:
            self.status.setText(self.tr("書き出せませんでした: {0}").format(exc.strerror or exc))
            return
        self.status.setText(self.tr("{0} 件を書き出しました。").format(len(entries)))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        try:
            self.settings.save()
        except OSError:
            pass
        self.store.close()
        super().closeEvent(event)


def _page_images(path: str):  # type: ignore[no-untyped-def]
    """Every page of a bundle's originals as QImages, and the fields read (runs in a worker).

    Pages are numbered over all originals, as the reading numbered them, and
    the customer's turns are applied so the outlines fall in place.
    """
    import tempfile
    from pathlib import PurePosixPath

    from receipt_assistant.core.api import turned
    from receipt_assistant.core.loader import load

    v = verify_bundle(path, keep_members=True)
    if v.manifest is None:
        return None
    originals = [f for f in v.manifest["files"] if f["role"] == "original" and f["path"] in v.members]
    if not originals:
        return None
    with tempfile.TemporaryDirectory(prefix="receipt-review-") as tmp:
        paths, turns = [], {}
        for n, f in enumerate(originals, start=1):
            suffix = PurePosixPath(f["path"]).suffix.lower()
            safe = Path(tmp) / f"{n}{suffix if suffix.isascii() and len(suffix) <= 6 else ''}"
            safe.write_bytes(v.members[f["path"]])
            paths.append(safe)
            turns[str(safe)] = f.get("turned", 0)
        try:
            pages = turned(load(paths), turns)
        except ReceiptError:
            return None
        images = [to_qimage(page.image, VIEW_PX) for page in pages]
    return images, v.manifest["reading"]["fields"]


def _int(text: str) -> int | None:
    digits = text.replace(",", "").replace("円", "").strip()
    return int(digits) if digits.isdigit() else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
