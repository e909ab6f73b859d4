"""The app's icon for the installers, drawn from resources/icons/app.svg.

    python tools/icons.py build/icons      (make dist runs it)

Writes app.png (512 px), app.ico (Windows, 16–256 px) and app.icns (macOS).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.svg"


def render(size: int) -> Image.Image:
    """The SVG drawn at ``size`` pixels, with Qt's SVG renderer (the one the app uses)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(buf.data()))).convert("RGBA")


def main(out: str) -> int:
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    big = render(1024)
    big.resize((512, 512), Image.LANCZOS).save(target / "app.png")
    big.save(target / "app.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(target / "app.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "build/icons"))
