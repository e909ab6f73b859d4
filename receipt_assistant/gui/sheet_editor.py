"""Where the slip is in a photo: its four corners over the photo, draggable, and the flattened result.

The reader finds the corners by itself; when it finds none, or the wrong
ones (a slip on a white table, a finger over a corner), the customer moves
them here and the reading uses theirs.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from receipt_assistant.core.sheet import even_light, flattened, sheet_in_photo
from receipt_assistant.gui.imaging import to_qimage

EDIT_PX = 900  # longest side of the photo shown for placing corners
HANDLE = "#f08c00"


class _Handle(QGraphicsEllipseItem):
    def __init__(self, editor: SheetEditor, x: float, y: float) -> None:
        r = 9.0
        super().__init__(-r, -r, 2 * r, 2 * r)
        self.editor = editor
        self.setPos(x, y)
        self.setBrush(QBrush(QColor(HANDLE)))
        self.setPen(QPen(QColor("white"), 2))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.setZValue(2)

    def itemChange(self, change, value):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.editor.moved()
        return super().itemChange(change, value)


class SheetEditor(QWidget):
    """The photo with the slip's corners, and the flattened slip the reader will see."""

    placed = Signal(object)  # the corners in the photo's pixels ([[x, y] × 4]), or None for "find them"

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.hint = QLabel(self.tr("オレンジの点をレシートの四隅に合わせてください。右が読み取る向きの仕上がりです。"))
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        self.view = QGraphicsView()
        self.view.setScene(QGraphicsScene(self))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAccessibleName(self.tr("レシートの四隅"))
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(160, 120)
        self.view.setMinimumSize(160, 120)
        self.preview.setAccessibleName(self.tr("平らにしたレシート"))
        row.addWidget(self.view, 3)
        row.addWidget(self.preview, 2)
        lay.addLayout(row, 1)
        self.reset_button = QPushButton(self.tr("四隅を自動で探し直す"))
        self.reset_button.clicked.connect(self.reset)
        lay.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.gray: np.ndarray | None = None
        self.scale = 1.0
        self.found: np.ndarray | None = None
        self.handles: list[_Handle] = []
        self.outline: QGraphicsPolygonItem | None = None
        self._quiet = False

    def show_photo(self, image: Image.Image, corners: list[list[float]] | None) -> None:
        """Show ``image`` (already turned as the customer wants) with the given or found corners."""
        gray = image.convert("L")
        self.found = sheet_in_photo(image, gray)
        qimage, self.scale = to_qimage(image, EDIT_PX)
        small = gray.resize((qimage.width(), qimage.height()))
        self.gray = np.asarray(small)
        scene = self.view.scene()
        scene.clear()
        scene.addPixmap(QPixmap.fromImage(qimage))
        scene.setSceneRect(QRectF(qimage.rect()))
        self.outline = QGraphicsPolygonItem()
        self.outline.setPen(QPen(QColor(HANDLE), 3))
        self.outline.setZValue(1)
        scene.addItem(self.outline)
        w, h = qimage.width(), qimage.height()
        if corners is not None:
            points = np.asarray(corners, dtype=np.float64) * self.scale
        elif self.found is not None:
            points = self.found * self.scale
        else:
            points = np.array([[0.05 * w, 0.05 * h], [0.95 * w, 0.05 * h], [0.95 * w, 0.95 * h], [0.05 * w, 0.95 * h]])
        self._quiet = True
        self.handles = [_Handle(self, float(x), float(y)) for x, y in points]
        for handle in self.handles:
            scene.addItem(handle)
        self._quiet = False
        self.view.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._redraw()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        scene = self.view.scene()
        if not scene.sceneRect().isEmpty():
            self.view.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            self._redraw()

    def corners(self) -> np.ndarray:
        """The handles' places in the photo's own pixels."""
        return np.array([[h.pos().x(), h.pos().y()] for h in self.handles]) / self.scale

    def moved(self) -> None:
        if self._quiet:
            return
        self._redraw()
        self.placed.emit([[round(float(x), 1), round(float(y), 1)] for x, y in self.corners()])

    def reset(self) -> None:
        if self.found is None or not self.handles:
            return
        self._quiet = True
        for handle, (x, y) in zip(self.handles, self.found * self.scale, strict=True):
            handle.setPos(float(x), float(y))
        self._quiet = False
        self._redraw()
        self.placed.emit(None)

    def _redraw(self) -> None:
        if self.gray is None or self.outline is None:
            return
        points = [h.pos() for h in self.handles]
        self.outline.setPolygon(QPolygonF([QPointF(p) for p in points]))
        small = np.array([[p.x(), p.y()] for p in points])
        try:
            flat, _ = flattened(Image.fromarray(self.gray), small)
        except Exception:  # noqa: BLE001 - corners crossed over: no preview until they are sensible
            self.preview.clear()
            return
        if min(flat.size) < 8:
            self.preview.clear()
            return
        qimage, _ = to_qimage(even_light(flat), 420)
        self.preview.setPixmap(QPixmap.fromImage(qimage).scaled(
            self.preview.width(), self.view.height(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
