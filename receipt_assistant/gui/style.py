"""The app's one look: spacing, type sizes and colours, in light and dark mode.

Every page takes its colours from here, so a state reads the same everywhere
and keeps enough contrast (WCAG AA, 4.5:1 for text) on the window's own
background, light or dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication, QPalette


@dataclass(frozen=True)
class Colours:
    ok: str  # read, or done
    doubt: str  # please check
    missing: str  # not found, or a problem
    typed: str  # given by the customer
    accent: str  # the selected card, links
    card: str  # a card's background
    border: str  # a card's edge
    selected: str  # a selected card's background
    muted: str  # secondary text


LIGHT = Colours(ok="#1b6e2f", doubt="#8a5300", missing="#b3261e", typed="#1f4fa8", accent="#0b57d0",
                card="#ffffff", border="#c4c9d0", selected="#e8f0fe", muted="#50565e")
DARK = Colours(ok="#7fd08f", doubt="#ffb74d", missing="#ff8a80", typed="#9ec2ff", accent="#8ab4f8",
               card="#2a2d32", border="#5a5f68", selected="#1d3557", muted="#b5bac1")

# The outline of each value on the image, and its caption: distinct from the state colours.
HIGHLIGHT = {"date": "#1565c0", "amount": "#8e24aa", "gift_card": "#ef6c00"}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the window is drawn light on dark (the system's dark mode)."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colours() -> Colours:
    return DARK if is_dark() else LIGHT


def stylesheet() -> str:
    """The sheet every window uses; colours follow the current palette."""
    c = colours()
    return f"""
QWidget {{ font-size: 15px; }}
QLabel#pageTitle {{ font-size: 24px; font-weight: 600; margin: 4px 0 10px 0; }}
QLabel#lead {{ font-size: 16px; }}
QLabel#sectionTitle {{ font-size: 18px; font-weight: 600; margin-top: 14px; }}
QLabel#steps {{ font-size: 13px; }}
QLabel#muted, QLabel#why {{ color: {c.muted}; }}
QLabel#why {{ font-size: 14px; }}
QLabel#fieldValue {{ font-size: 18px; font-weight: 600; }}
QLabel#fingerprint {{ font-size: 26px; font-family: monospace; font-weight: 700; letter-spacing: 2px; }}
QLabel#done {{ color: {c.ok}; font-weight: 600; }}
QLabel#cardTitle {{ font-size: 19px; font-weight: 600; }}
QLabel#cardText {{ color: {c.muted}; }}
QLabel#cardMark {{ color: {c.accent}; font-weight: 700; }}
QLabel#stepNumber {{ color: {c.accent}; font-size: 22px; font-weight: 700; }}
QLabel#stateOk {{ color: {c.ok}; font-weight: 600; }}
QLabel#stateCheck {{ color: {c.doubt}; font-weight: 600; }}
QLabel#stateMissing {{ color: {c.missing}; font-weight: 600; }}
QLabel#stateTyped {{ color: {c.typed}; font-weight: 600; }}
QLabel#evidence {{ border: 1px solid {c.border}; background: white; }}
QPushButton {{ padding: 6px 14px; }}
QPushButton#primary {{ font-weight: 600; padding: 8px 22px; }}
QPushButton#link {{ border: none; color: {c.accent}; text-decoration: underline; padding: 2px 4px; }}
QPushButton#card {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 12px; padding: 14px; }}
QPushButton#card:hover, QPushButton#card:focus {{ border: 2px solid {c.accent}; }}
QPushButton#card:checked {{ border: 3px solid {c.accent}; background: {c.selected}; }}
QFrame#banner {{ border: 1px solid {c.border}; border-radius: 8px; padding: 8px; }}
QFrame#question {{ border: 2px solid {c.doubt}; border-radius: 8px; padding: 10px; }}
QFrame#dropZone {{ border: 2px dashed {c.border}; border-radius: 12px; }}
QFrame#fieldRow {{ border-bottom: 1px solid {c.border}; }}
"""
