"""Small pieces every field's chooser needs: where a value stands, and how sure OCR was of its row."""

from __future__ import annotations

from receipt_assistant.core.model import Box, Field, Line
from receipt_assistant.core.text import normalize


def ocr_factor(line: Line) -> float:
    """Scale a pattern score by how sure the OCR engine was of the line."""
    conf = min(max(line.conf, 0.0), 1.0)
    return 0.6 + 0.4 * conf


def clamp(x: float) -> float:
    return round(min(max(x, 0.0), 1.0), 3)


def span_box(line: Line, start: int, end: int) -> Box:
    """The union of the words that hold ``line.text[start:end]``, else the line's box.

    Words are normalized one by one and found in order in the line's text, so
    the narrowing survives the spaces :func:`normalize` removed.
    """
    if not line.words or start >= end:
        return line.box
    cursor = 0
    box: Box | None = None
    for word in line.words:
        piece = normalize(word.text)
        if not piece:
            continue
        at = line.text.find(piece, cursor)
        if at < 0:
            return line.box
        cursor = at + len(piece)
        if at < end and start < cursor:
            box = word.box if box is None else box.union(word.box)
    return box or line.box


def make_field(value: object, confidence: float, line: Line, box: Box | None = None) -> Field:
    return Field(value=value, confidence=clamp(confidence), text=line.text, box=box or line.box, page=line.page)
