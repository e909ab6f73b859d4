"""Plain data passed between the stages of reading a receipt.

Every stage speaks in these types so that the GUI, the CLI and the tests see
one shape, and so that a recorded OCR result can stand in for Tesseract.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["amazon", "store", "unknown"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels of one page's *original* image."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


@dataclass(frozen=True)
class Word:
    """One word as the OCR engine (or a PDF text layer) gave it."""

    text: str
    box: Box
    conf: float  # 0..1
    page: int = 0
    # Words the engine itself put on one text line share this number (-1:
    # unknown). Tesseract's boxes for single Japanese characters overlap and
    # jitter, so its own line structure is a better guide than geometry.
    line: int = -1


@dataclass(frozen=True)
class Line:
    """A visual row of words, left to right, with its normalized text.

    Extraction works on lines: a label and its value usually share a row even
    when a table layout puts them in different OCR blocks.
    """

    text: str  # normalized (see core.text.normalize)
    raw: str  # words as read, joined by single spaces
    box: Box
    conf: float
    page: int
    index: int  # reading order over all pages of the receipt
    words: tuple[Word, ...] = ()


@dataclass
class Field:
    """One value read from the receipt, with where and how sure."""

    value: Any = None
    confidence: float = 0.0
    text: str = ""
    box: Box | None = None
    page: int = 0
    # What chose the value, when it was weighed by evidence (a slip's total:
    # "label", "large_print", "cash_minus_change", "tax_bases", ...).
    evidence: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        out = {
            "value": value,
            "confidence": round(float(self.confidence), 3),
            "text": self.text,
            "box": self.box.as_list() if self.box else None,
            "page": self.page,
        }
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out


@dataclass
class Fields:
    date: Field = field(default_factory=Field)
    amount: Field = field(default_factory=Field)
    gift_card: Field = field(default_factory=lambda: Field(value=False))
    order_number: Field = field(default_factory=Field)
    store: Field = field(default_factory=Field)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name).to_json() for name in FIELD_NAMES}


FIELD_NAMES = ("date", "amount", "gift_card", "order_number", "store")


@dataclass(frozen=True)
class Message:
    """A sentence for the user, in Japanese and English."""

    ja: str
    en: str

    def text(self, lang: str = "ja") -> str:
        return self.en if lang == "en" else self.ja


@dataclass
class Check:
    id: str
    ok: bool
    message: Message

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {
            "id": self.id,
            "ok": self.ok,
            "message": self.message.text(lang),
            "message_ja": self.message.ja,
            "message_en": self.message.en,
        }


@dataclass
class Problem:
    """A measured reason an image is hard to read."""

    # too_small | too_far | blurred | too_dark | washed_out | low_contrast | cut_off | steep | glare
    # | low_confidence | not_a_receipt | screen_photo
    id: str
    value: float
    threshold: float
    message: Message
    # Advice is worth saying but does not ask for a retake: the image was read.
    advice: bool = False
    where: str = ""  # cut_off: the frame side (top, bottom, left, right)

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {
            "id": self.id,
            "value": round(float(self.value), 3),
            "threshold": self.threshold,
            "message": self.message.text(lang),
            "message_ja": self.message.ja,
            "message_en": self.message.en,
            "advice": self.advice,
        }


@dataclass
class PageQuality:
    """Measurements of one page image before reading."""

    source: str
    page: int
    width: int
    height: int
    char_height_px: float | None  # estimated height of a text character
    sharpness: float  # variance of the Laplacian on a normalized copy; low = blurred
    brightness: float  # mean gray 0..255
    contrast: float  # spread of gray levels (p95 - p5), 0..255
    problems: list[Problem] = field(default_factory=list)
    grain: float = 0.0  # pixel noise sigma: 0 for screenshots and rendered pages, above for camera pictures
    # The columns (left, right, padded) a photo's print spans: the reading keeps
    # to them when the paper cannot be told from a patterned cloth.
    print_columns: tuple[int, int] | None = None

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        d = asdict(self)
        d.pop("print_columns")
        d["problems"] = [p.to_json(lang) for p in self.problems]
        for k in ("char_height_px", "sharpness", "brightness", "contrast", "grain"):
            if d[k] is not None:
                d[k] = round(float(d[k]), 2)
        return d
