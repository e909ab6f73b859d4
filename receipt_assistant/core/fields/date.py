"""The purchase date, chosen by evidence among every date printed.

A receipt prints several dates: the purchase near the top (a slip's with
the time of day), a card slip's ご利用日 repeating it, and dates that are
not the purchase (有効期限, ポイント期限, an Amazon shipment's 発送日, a
browser's print stamp). Each date read is a candidate, weighed by the label
before it, the words after it, its place on the page, a time printed beside
it (core.dates: a till prints the time of the sale; expiry dates and a
card slip's repeat carry none), and how sure OCR was of its row; dates after today are kept
apart so the user can be told why a printed date was not taken.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple

from receipt_assistant.core.dates import find_dates
from receipt_assistant.core.fields.common import clamp as _clamp
from receipt_assistant.core.fields.common import make_field as _field
from receipt_assistant.core.fields.common import ocr_factor as _ocr_factor
from receipt_assistant.core.fields.common import span_box
from receipt_assistant.core.model import Field, Kind, Line

# Amazon's 「クレジットカード取引」 rows: "Visa 末尾: 1234: 2024年5月1日: ¥ 5,000".
CARD_ROW = re.compile(r"[末未]尾|(?i:ending\s*in)")


# 注文日 with its 注 garbled on a photographed monitor (退文日) is still the order date.
_ORDER_DATE_LABEL = re.compile(r"注文[日曰目旦]|[^\s\d]文日|注文確定日|(?i:order\s*(?:placed|date))")
_SLIP_DATE_LABEL = re.compile(r"日付|取引日|利用日|購入日|お?買上げ?日|売上日|日時|(?i:\bdate\b)")
_ISSUE_DATE_LABEL = re.compile(r"発行日|請求日|領収日|請求書|(?i:invoice\s*date)")
# 限 alone: 期限 with its 期 garbled (ポイント朔限) still ends a validity period.
_NOT_PURCHASE_BEFORE = re.compile(
    r"お届け|配達|到着|発送|出荷|限|期日|予定|有効|(?i:deliver|ship|arriv|expir|valid)"
)
# 発 with its second kanji garbled (に発返) is still 発送.
_NOT_PURCHASE_AFTER = re.compile(r"^\s*(?:に|より|から)?\s*(?:発送|お届け|配達|到着|出荷|まで|迄)|^\s*に\s*発")
_DATE_FLOOR = 0.2


class _DateHit(NamedTuple):
    date: dt.date
    score: float
    field: Field


def _date_label_bonus(before: str, kind: Kind, has_order_label: bool) -> float:
    """Score the label nearest before a date (the last one in ``before``)."""
    bonuses = {
        "not": -0.6,
        "order": 0.5 if kind != "store" else 0.3,
        "issue": -0.3 if (kind == "amazon" and has_order_label) else 0.15,
        "slip": 0.3 if kind != "amazon" else 0.15,
    }
    patterns = {
        "not": _NOT_PURCHASE_BEFORE,
        "order": _ORDER_DATE_LABEL,
        "issue": _ISSUE_DATE_LABEL,
        "slip": _SLIP_DATE_LABEL,
    }
    nearest: tuple[int, str] | None = None
    for name, pattern in patterns.items():
        for m in pattern.finditer(before):
            if nearest is None or m.end() > nearest[0]:
                nearest = (m.end(), name)
    return bonuses[nearest[1]] if nearest else 0.0


_CLOCK = re.compile(r"\d:\d\d")
_CLOCK_ONLY = re.compile(r"^\W{0,2}\d{1,2}:\d{2}(?::\d{2})?\W{0,2}\w?$")


def _beside_clock(lines: Sequence[Line], i: int) -> bool:
    """A row next to one holding nothing but a time: a taskbar's clock and date."""
    return any(0 <= j < len(lines) and lines[j].page == lines[i].page and _CLOCK_ONLY.match(lines[j].text.strip())
               for j in (i - 1, i + 1))


# An Amazon gift card is valid for ten years from its purchase.
CARD_VALID_YEARS = 10


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years) if not (day.month == 2 and day.day == 29) else \
        day.replace(year=day.year - years, day=28)


class DateChoice(NamedTuple):
    """The purchase date, a printed date after today (to say why it was not taken),
    and the dates whose own label says they are not the purchase (有効期限, お届け予定)."""

    field: Field
    future: dt.date | None
    refused: list[Field]


def find_date(lines: Sequence[Line], kind: Kind, reference: dt.date) -> DateChoice:
    has_order_label = any(_ORDER_DATE_LABEL.search(line.text) for line in lines)
    hits: list[_DateHit] = []
    future: list[_DateHit] = []
    refused: list[Field] = []
    n = max(len(lines), 1)
    for i, line in enumerate(lines):
        matches = find_dates(line.text, reference, include_future=True)
        prev_end = 0
        for m in matches:
            start, end = m.span
            before = line.text[max(prev_end, start - 14) : start]
            prev_end = end
            bonus = _date_label_bonus(before, kind, has_order_label)
            if bonus == 0.0 and not before.strip() and i > 0:
                prev = lines[i - 1]
                if prev.page == line.page and not find_dates(prev.text, reference, include_future=True):
                    bonus = 0.9 * _date_label_bonus(prev.text[-14:], kind, has_order_label)
            if _NOT_PURCHASE_AFTER.search(line.text[end : end + 8]):
                bonus -= 0.6
            if bonus < 0:
                refused.append(_field(m.date, m.score, line, span_box(line, start, end)))
            # A card bought longer ago than it stays valid has expired: such a
            # date is a misread one (2004 for 2024), not a purchase to prove.
            if m.date < _years_before(reference, CARD_VALID_YEARS):
                bonus -= 0.6
            # A card charge is dated when the order shipped, not when it was placed.
            if kind != "store" and CARD_ROW.search(line.text):
                bonus -= 0.6
            if kind != "amazon" and i < 0.4 * n:
                bonus += 0.05
            # A till stamps the sale with its time; expiry dates and coupons print none.
            if kind != "amazon" and _CLOCK.search(line.text[start:end]):
                bonus += 0.15
            # The order date heads an Amazon page; a later twin of its label
            # belongs to a shipment or delivery box.
            if kind == "amazon":
                bonus -= 0.05 * i / n
            # On a web page a date with a clock time is the browser's print
            # stamp, or the computer's clock when the screen was captured.
            if kind == "amazon" and (_CLOCK.search(line.text[start:end]) or _beside_clock(lines, i)):
                bonus -= 0.2
            score = (m.score + bonus) * _ocr_factor(line)
            f = _field(m.date, score, line, span_box(line, start, end))
            hit = _DateHit(m.date, score, f)
            (future if m.date > reference else hits).append(hit)
    good = [h for h in hits if h.score >= _DATE_FLOOR]
    future_good = [h for h in future if h.score >= _DATE_FLOOR]
    future_date = max(future_good, key=lambda h: h.score).date if future_good else None
    if not good:
        if future_good:
            best = max(future_good, key=lambda h: h.score)
            return DateChoice(Field(value=None, confidence=0.0, text=best.field.text, box=best.field.box,
                                    page=best.field.page), future_date, refused)
        return DateChoice(Field(value=None, confidence=0.0,
                                text="購入日・注文日が読み取れません (no purchase date was read)"), future_date, refused)
    best = max(good, key=lambda h: h.score)
    best.field.confidence = _clamp(best.score)
    return DateChoice(best.field, future_date, refused)
