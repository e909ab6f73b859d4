"""Where the generator's fonts live.

The machines that run the tests have no system CJK fonts, so every Japanese
glyph comes from fonts shipped as Python packages (the ``test`` extra).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")


class FontsMissing(RuntimeError):
    """The Japanese font packages of the ``test`` extra are not installed."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0


@functools.cache
def noto_sans() -> FontFile:
    try:
        import pylopdf_fonts_jp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FontsMissing("pip install pylopdf-fonts-jp (the 'test' extra)") from exc
    return FontFile(Path(pylopdf_fonts_jp.sans_path()))


@functools.cache
def noto_serif() -> FontFile:
    import pylopdf_fonts_jp

    return FontFile(Path(pylopdf_fonts_jp.serif_path()))


def _wqy_path() -> Path:
    try:
        import paperang_p2_fonts_cjk
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FontsMissing("pip install paperang-p2-fonts-cjk (the 'test' extra)") from exc
    return Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"


@functools.cache
def wqy() -> FontFile:
    return FontFile(_wqy_path(), 0)


@functools.cache
def wqy_mono() -> FontFile:
    return FontFile(_wqy_path(), 1)


def dejavu(name: str) -> FontFile | None:
    """A DejaVu face for Latin text, or None when the system lacks it."""
    p = DEJAVU_DIR / f"{name}.ttf"
    return FontFile(p) if p.exists() else None


def cjk_fonts() -> dict[str, FontFile]:
    return {"noto_sans": noto_sans(), "noto_serif": noto_serif(), "wqy": wqy(), "wqy_mono": wqy_mono()}


@functools.lru_cache(maxsize=256)
def pil_font(font: FontFile, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font.path), size, index=font.index)


_QT_FAMILIES: dict[str, str] = {}
_APP: object | None = None  # keeps the QGuiApplication we created alive


def ensure_qt_fonts() -> dict[str, str]:
    """Create the QGuiApplication if needed and register the Japanese fonts with Qt.

    Returns a map from our font keys to Qt family names.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    global _APP
    if QGuiApplication.instance() is None:
        _APP = QGuiApplication([])
    if _QT_FAMILIES:
        return _QT_FAMILIES
    for key, ff in cjk_fonts().items():
        if key == "wqy_mono":
            continue
        fid = QFontDatabase.addApplicationFont(str(ff.path))
        fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        if not fams:
            raise FontsMissing(f"Qt could not load {ff.path}")
        if key == "wqy":
            _QT_FAMILIES["wqy"] = fams[0]
            if len(fams) > 1:
                _QT_FAMILIES["wqy_mono"] = fams[1]
        else:
            _QT_FAMILIES[key] = fams[0]
    for name in ("DejaVuSans", "DejaVuSerif", "DejaVuSans-Bold"):
        ff = dejavu(name)
        if ff is not None:
            QFontDatabase.addApplicationFont(str(ff.path))
    return _QT_FAMILIES
