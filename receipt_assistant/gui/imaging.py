"""Turning the core's Pillow images into Qt images (and camera frames back), in a worker thread.

QImage (unlike QPixmap) may be made off the UI thread, so thumbnails and the
pictures shown on the results page are prepared by the task that loads them.
"""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage

THUMB_PX = 180
VIEW_PX = 2400  # longest side of a page shown on the results page


def to_qimage(image: Image.Image, longest: int | None = None) -> tuple[QImage, float]:
    """A QImage copy of ``image`` (scaled so its longest side is at most ``longest``) and the scale."""
    img = image.convert("RGB")
    scale = 1.0
    if longest and max(img.size) > longest:
        scale = longest / max(img.size)
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                         Image.Resampling.BILINEAR)
    data = img.tobytes()
    q = QImage(data, img.width, img.height, img.width * 3, QImage.Format.Format_RGB888)
    return q.copy(), scale


def to_pil(image: QImage) -> Image.Image:
    """An RGB Pillow copy of ``image`` (for the core, which never sees Qt)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return Image.frombuffer("RGB", (rgb.width(), rgb.height()), bytes(rgb.constBits()), "raw", "RGB",
                            rgb.bytesPerLine(), 1).copy()
