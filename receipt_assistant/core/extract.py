"""From OCR lines to the fields that prove a gift-card purchase.

One template per layout family (invoice2data style): an Amazon.co.jp order
receipt and a shop's till slip name the same facts with different labels.  The
family is recognised by its keywords; a page that matches neither stays
``unknown`` and is read with labels common to both, never forced into one.

Everything here is pure: lines in, values out, ``reference`` standing in for
today, so a recorded OCR result always gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from receipt_assistant.core.amounts import Amount, find_amounts
from receipt_assistant.core.dates import find_dates
from receipt_assistant.core.fields.amount import (
    MIN_TOTAL_YEN,
    Fact,
    TotalChoice,
    choose_total,
    misread_of,
    printed_both_ways,
    room_for_gift_card,
    shows_zeros_as_sixes,
    summed_from_parts,
    tax_added,
)
from receipt_assistant.core.fields.common import clamp, make_field, ocr_factor, span_box
from receipt_assistant.core.fields.date import CARD_ROW as _CARD_ROW
from receipt_assistant.core.fields.date import find_date
from receipt_assistant.core.giftcard import (
    is_other_brand,
    is_payment_line,
    match_brand,
    match_gift_card,
    match_gift_card_row,
    mentions_gift_card,
)
from receipt_assistant.core.model import Field, Fields, Kind, Line
from receipt_assistant.core.text import canonical_katakana, repair_digits

AMAZON_STORE = "Amazon.co.jp"


@dataclass
class Extraction:
    """What was read from one receipt, and the evidence the checks need to explain it."""

    kind: Kind
    kind_confidence: float
    fields: Fields
    gift_price: int | None  # yen printed on the gift-card line itself
    receipt_words: int  # receipt keywords seen: tells "not a receipt" from "a bad photo of one"
    # The total before points or card balance paid part of it (Amazon's 注文合計),
    # which is what the gift card's price should equal.
    order_total: int | None = None
    amount_label: str = ""  # the amount's label: billed | card | order_total | total | subtotal
    gift_quantity: int = 1
    future_date: dt.date | None = None  # a date that was printed but is after today
    gift_payment_text: str = ""  # a line that *pays* with an Amazon gift card, if seen
    gift_rows: list[int] = field(default_factory=list)  # price x quantity of every gift-card row
    kind_scores: dict[str, float] = field(default_factory=dict)
    # Totals the slip's own arithmetic gives (cash less change, the tax rows'
    # bases added up), and those of them also printed on some row, with that row.
    arithmetic_totals: set[int] = field(default_factory=set)
    checked_totals: dict[int, Field] = field(default_factory=dict)
    amount_checked: bool = False  # the amount is one the slip's arithmetic gives
    # What chose a slip's total (label, large_print, cash_minus_change, tax_bases, ...;
    # see core.fields.amount), how strong that is, and every sum the slip gave.
    amount_evidence: tuple[str, ...] = ()
    amount_strength: tuple[int, float] = (0, 0.0)
    amount_facts: list[Fact] = field(default_factory=list)
    # False when the slip's sums show no gift-card row can be on it (see
    # core.fields.amount.room_for_gift_card): no further pass looks for one.
    gift_room: bool = True
    # The slip's phone number or year was read with a 6 where a 0 is printed.
    zeros_as_sixes: bool = False
    # One value printed with zeros on one row and sixes on another: the
    # zeros may be read as sixes, so a 6 in the date or total is read again.
    read_both_ways: bool = False
    # Dates whose label says they are not the purchase (有効期限): another
    # pass that lost the label must not take them for it.
    refused_dates: list[Field] = field(default_factory=list)
    # A sum of two or more non-zero values gives the total: its digits are read right.
    amount_summed: bool = False


# --- helpers ------------------------------------------------------------------


_ocr_factor = ocr_factor
_clamp = clamp
_field = make_field


def _two_line_field(value: object, confidence: float, first: Line, second: Line) -> Field:
    box = first.box.union(second.box) if first.page == second.page else second.box
    return Field(value=value, confidence=_clamp(confidence), text=f"{first.text} {second.text}",
                 box=box, page=second.page)


# --- layout family ------------------------------------------------------------

_ORDER_NO = re.compile(
    r"(?<![0-9A-Za-z])(?P<a>D[0Oo][1lI|]|[0-9OolI|ー一]{3})\s*[-ー−–—‐‑‒一―]\s*"
    r"(?P<b>[0-9OolI|ー一]{7})\s*[-ー−–—‐‑‒一―]\s*(?P<c>[0-9OolI|ー一]{7})(?![0-9])"
)
_ORDER_DIGITS = 17

# 合計 as OCR reads it: 合 as 含, 台, 各 or 向, 計 split into 言十.
_GOUKEI = r"[合含台各向]\s?(?:計|言\s?十|[nル]十)"

_AMAZON_SIGNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"(?i)amazon\s*\.?\s*co\s*\.?\s*jp|amazon\s*japan|アマゾンジャパン"), 2.0),
    (re.compile(r"注文番号|(?i:order\s*(?:number|#))"), 1.5),
    (_ORDER_NO, 1.5),
    (re.compile(r"注文[日曰目旦]|(?i:order\s*placed)"), 1.5),
    (re.compile(r"注文の?概要|注文の詳細|注文内容"), 1.5),
    (re.compile(r"購入明細書"), 2.0),
    (re.compile(r"ご請求額"), 2.0),
    # 注文の合計 and 商品の小計 whose first kanji a photographed screen garbled (流文の合計).
    (re.compile(r"\S?文の?合計|(?i:order\s*total)"), 2.0),
    (re.compile(r"発送済|発送日"), 1.5),
    (re.compile(r"\S?品の小計|(?i:item\(s\)\s*subtotal)"), 1.5),
    (re.compile(r"配送料"), 1.0),
    (re.compile(r"請求先|お届け先住所|支払い方法"), 1.0),
    (re.compile(r"販売\s*[:：]|出品者"), 1.0),
    (re.compile(r"領収書"), 0.5),
)
_STORE_SIGNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(rf"(?<!文)(?<!文の)(?<!品の){_GOUKEI}|お買上|お買い上"), 1.0),
    (re.compile(r"(?<!品の)小計"), 0.7),
    (re.compile(r"お?預[りリか]|預かり"), 2.0),
    (re.compile(r"お?釣[りリ銭]?|おつり"), 2.0),
    (re.compile(r"レジ|(?i:\bpos\b)|責[:：#№No.]|担当"), 1.5),
    (re.compile(r"領収証"), 1.0),
    (re.compile(r"レシート"), 1.5),
    (re.compile(r"電話|(?i:\btel\b)|☎"), 1.0),
    (re.compile(r"非課税|内税|外税|税率|消費税|対象"), 0.7),
    (re.compile(r"点数"), 0.7),
    (re.compile(r"現金|電子マネー|交通系|(?i:paypay|quicpay)"), 0.5),
    (re.compile(r"ありがとうございま|ご来店"), 1.0),
    (re.compile(r"\S店$|\S店\s"), 1.0),
)
_CHAIN_WEIGHT = 2.5
_KIND_MIN = 2.5

_RECEIPT_WORDS = re.compile(
    r"合計|小計|領収書|領収証|注文|¥|円|預[りリか]|釣|レシート|税|明細|請求|金額|店|電話|(?i:\btel\b)|購入|数量|支払"
)


def count_receipt_words(lines: Sequence[Line]) -> int:
    """Receipt keywords seen, one per kind per line: near zero means not a receipt."""
    return sum(len(set(_RECEIPT_WORDS.findall(line.text))) for line in lines)


def _sign_score(lines: Sequence[Line], signs: tuple[tuple[re.Pattern[str], float], ...]) -> float:
    total = 0.0
    for pattern, weight in signs:
        if any(pattern.search(line.text) for line in lines):
            total += weight
    return total


def kind_scores(lines: Sequence[Line]) -> dict[str, float]:
    """Keyword evidence for each layout family (each keyword counted once)."""
    amazon = _sign_score(lines, _AMAZON_SIGNS)
    store = _sign_score(lines, _STORE_SIGNS)
    if any(_chain_in(line.text) for line in lines):
        store += _CHAIN_WEIGHT
    return {"amazon": round(amazon, 2), "store": round(store, 2)}


def detect_kind(lines: Sequence[Line]) -> tuple[Kind, float]:
    """The layout family and how sure, or ``unknown`` when the evidence is thin or mixed."""
    scores = kind_scores(lines)
    a, s = scores["amazon"], scores["store"]
    best, other = (a, s) if a >= s else (s, a)
    kind: Kind = "amazon" if a >= s else "store"
    if best < _KIND_MIN or best < 1.4 * other:
        return "unknown", _clamp(0.5 * abs(a - s) / max(best, 1.0))
    return kind, _clamp((best - other) / best * min(1.0, best / 6.0))


# --- amount -------------------------------------------------------------------


class _Label(NamedTuple):
    name: str
    start: int
    end: int


_TOTAL_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 求額 survives when OCR garbles 請 (諸求額, 華求額).
    ("billed", re.compile(
        r"ご?.?求(?:金)?額|お?支払い?(?:金額|総額)|(?i:grand\s*total|amount\s*charged|payment\s*total)"
    )),
    ("order_total", re.compile(r"注文の?合計|注文総額|(?i:order\s*total)")),
    ("subtotal", re.compile(r"小\s?(?:計|言\s?十)|(?i:sub\s*-?\s*total)")),
    ("total", re.compile(
        rf"総合計|総計|{_GOUKEI}(?:金額)?|お?買い?上げ?(?:合)?計|お会計|(?i:\btotal\b)"
    )),
)
# Labels of other numbers on the same rows: where a total's value ends, and
# words that make a nearby 合計 something else (税抜合計, ポイント合計, 合計点数).
_OTHER_LABELS = re.compile(
    r"お?預[りリか]り?|お?釣り?|釣銭|おつり|(?i:change|cash)|現金|値引|割引|ポイント|(?i:points?)|"
    r"税(?!込)|対象|点数|数量|配送料|手数料|クーポン|ショッピングカード|ギフト券・|残高|"
    r"クレジット|電子マネー|現計"
)
_KILL_BEFORE = re.compile(r"(?:税抜|税別|税|対象|ポイント|割引|値引|点数|(?i:pt))[\s(（]*$")
_KILL_BETWEEN = re.compile(r"税(?!込)|対象|ポイント|点数|数量|預|釣")
_LABEL_ONLY_REST = re.compile(r"^[\s:：()（）\[\]【】・/|_.\-]*(?:税込|\(税込\))?[\s:：()（）.]*$")
_AMOUNT_ONLY = re.compile(
    r"^[\s:：]*[-−▲]?\s*(?:[¥\\Y羊]\s?)?[\dOolI|ー一,.\s]+(?:円)?\s*(?:[(（]?税込[)）]?)?[\s)）]*$"
)

_PRIORITY: dict[str, tuple[str, ...]] = {
    "amazon": ("billed", "card", "order_total", "total", "subtotal"),
    "store": ("total", "billed", "order_total", "subtotal"),
    "unknown": ("billed", "total", "order_total", "card", "subtotal"),
}
_LABEL_WEIGHT = {"billed": 1.0, "card": 0.7, "order_total": 0.9, "total": 0.9, "subtotal": 0.4}



def _labels(text: str) -> list[_Label]:
    """Total labels in a line, left to right, the more specific winning an overlap."""
    found: list[_Label] = []
    for name, pattern in _TOTAL_LABELS:
        for m in pattern.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            if _KILL_BEFORE.search(text[max(0, m.start() - 6) : m.start()]):
                continue
            found.append(_Label(name, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _stops(text: str) -> list[int]:
    return [m.start() for m in _OTHER_LABELS.finditer(text)]


class _AmountHit(NamedTuple):
    label: str
    value: int | None
    confidence: float
    field: Field
    index: int  # line index of the label


def is_amount_only(text: str) -> bool:
    """A line holding nothing but one yen amount (a table's value column)."""
    return bool(_AMOUNT_ONLY.match(text)) and len(find_amounts(text)) == 1


def _is_label_only(text: str) -> bool:
    """A row that names a value but holds none (the value is on a later row)."""
    stripped = text.strip()
    if not stripped or find_amounts(text) or re.search(r"\d{2,}", text):
        return False
    if stripped[-1] in ":：":
        return len(stripped) <= 30
    rest = _OTHER_LABELS.sub("", text)
    for _, pattern in _TOTAL_LABELS:
        rest = pattern.sub("", rest)
    rest = re.sub(r"の|等|額|金|・|商品|合計", "", rest)
    return rest != text and bool(_LABEL_ONLY_REST.match(rest))


# The end of a label wrapped onto the next row, and the digits of its value
# that wrapped with it: "計: 00" under "注文合 ¥ 197,0".
_WRAPPED_TAIL = re.compile(r"([^\d\s:：¥\\|]{1,5})[:：]\s*(\d{1,3})?\s*$")
_WRAPPED_HEAD = re.compile(r"-?[¥\\]\s*\d[\d.,]*\s*$")


def rejoin_wrapped(lines: Sequence[Line]) -> list[Line]:
    """Rows whose label (and the end of its amount) wrapped onto the next row, put back together.

    An Amazon summary in a narrow window breaks 注文合計 after 注文合 and
    ¥197,000 after 197,0; the row's amount stays where it was and the label
    reads whole again. The next row is kept as it is, so row numbers hold.
    """
    out = list(lines)
    for i in range(len(out) - 1):
        head, tail = out[i].text, out[i + 1].text
        value = _WRAPPED_HEAD.search(head)
        wrapped = _WRAPPED_TAIL.search(tail)
        if not value or not wrapped or out[i + 1].page != out[i].page:
            continue
        start = value.start()
        joined = f"{head[:start]}{wrapped.group(1)}: {head[start:].strip()}{wrapped.group(2) or ''}"
        had = {lb.name for lb in _labels(head)}
        if any(lb.name not in had and lb.end > start for lb in _labels(joined)) and find_amounts(joined[start:]):
            first, second = out[i], out[i + 1]
            out[i] = replace(first, text=joined, box=first.box.union(second.box), words=first.words + second.words)
    return out


def _next_line_values(lines: Sequence[Line], i: int) -> Line | None:
    """For a label-only row, the row that holds its value.

    Table layouts read column by column give a run of label rows followed by
    a run of value rows; the k-th label takes the k-th value.
    """
    start = i
    while start > 0 and _is_label_only(lines[start - 1].text) and lines[start - 1].page == lines[i].page:
        start -= 1
    end = i
    while end + 1 < len(lines) and _is_label_only(lines[end + 1].text) and lines[end + 1].page == lines[i].page:
        end += 1
    values: list[Line] = []
    j = end + 1
    while j < len(lines) and is_amount_only(lines[j].text):
        values.append(lines[j])
        j += 1
    n_labels = end - start + 1
    if not values:
        return None
    if n_labels == 1:
        return values[0]
    if len(values) >= n_labels:
        return values[i - start]
    return None


def _amount_hits(lines: Sequence[Line]) -> list[_AmountHit]:
    hits: list[_AmountHit] = []
    for i, line in enumerate(lines):
        text = line.text
        labels = _labels(text)
        if not labels:
            continue
        bounds = sorted([lb.start for lb in labels] + _stops(text) + [len(text)])
        for lb in labels:
            seg_end = min(b for b in bounds if b >= lb.end)
            segment = text[lb.end : seg_end]
            amounts = find_amounts(segment)
            weight = _LABEL_WEIGHT[lb.name]
            if amounts:
                a: Amount = amounts[0]
                if _KILL_BETWEEN.search(segment[: a.span[0]]):
                    continue
                if a.value < 0:
                    continue
                conf = weight * (1.0 if a.marked else 0.85) * (0.9 if a.repaired else 1.0)
                conf *= _ocr_factor(line)
                box = span_box(line, lb.start, lb.end + a.span[1])
                hits.append(_AmountHit(lb.name, a.value, conf, _field(a.value, conf, line, box), i))
                continue
            if segment.strip(" :：()（）税込") and find_amounts(text[lb.end :]):
                continue  # something else follows the label; not this label's value
            nxt = _next_line_values(lines, i) if _is_label_only(text) else None
            if nxt is not None:
                a = find_amounts(nxt.text)[0]
                if a.value >= 0:
                    conf = weight * (1.0 if a.marked else 0.85) * 0.9 * _ocr_factor(nxt)
                    hits.append(_AmountHit(lb.name, a.value, conf,
                                           _two_line_field(a.value, conf, line, nxt), i))
                    continue
            # A label whose number could not be read: remembered to explain.
            hits.append(_AmountHit(lb.name, None, 0.0, _field(None, 0.0, line), i))
    return hits


def _card_hits(lines: Sequence[Line], reference: dt.date) -> list[_AmountHit]:
    """What was charged to a card, from the card-transaction rows under a receipt.

    Several rows (one per shipment) add up to the charge; they stand in for
    ご請求額 when OCR lost that row.
    """
    rows: list[tuple[int, int, Line]] = []
    for i, line in enumerate(lines):
        if not _CARD_ROW.search(line.text) or _labels(line.text):
            continue
        dates = find_dates(line.text, reference, include_future=True)
        if not dates:
            continue
        after = [a for a in find_amounts(line.text[dates[-1].span[1] :]) if a.value > 0]
        if after:
            rows.append((i, after[-1].value, line))
    if not rows:
        return []
    total = sum(v for _, v, _ in rows)
    i, _, line = rows[-1]
    conf = _LABEL_WEIGHT["card"] * _ocr_factor(line)
    return [_AmountHit("card", total, conf, _field(total, conf, line), i)]


def _pick(hits: list[_AmountHit], name: str) -> _AmountHit | None:
    """Among rows with one label, the value most rows agree on (later rows break ties)."""
    readable = [h for h in hits if h.label == name and h.value is not None]
    if not readable:
        return None
    votes: dict[int, float] = {}
    for h in readable:
        votes[h.value] = votes.get(h.value, 0.0) + h.confidence  # type: ignore[index]
    value = max(votes, key=lambda v: (votes[v], max(h.index for h in readable if h.value == v)))
    best = max((h for h in readable if h.value == value), key=lambda h: (h.confidence, h.index))
    return best


_NO_TOTAL = "合計・ご請求額の行が読み取れません (no total line was read)"


_TENDER = re.compile(r"お?預[りリか]り?(?:金額?)?|現計|(?i:\bcash\b)")
_CHANGE = re.compile(r"お?釣り?(?:銭)?|おつり|(?i:\bchange\b)")


def _value_after(text: str, pattern: re.Pattern[str]) -> int | None:
    m = pattern.search(text)
    if not m:
        return None
    amounts = [a for a in find_amounts(text[m.end() :]) if a.value >= 0]
    return amounts[0].value if amounts else None


def _tendered_less_change(lines: Sequence[Line], after: int) -> tuple[int, set[int]] | None:
    """What the cash paid minus the change says the total was, from rows below the total, and those rows."""
    tendered = change = None
    rows: set[int] = set()
    for i in range(after + 1, len(lines)):
        text = lines[i].text
        if tendered is None:
            tendered = _value_after(text, _TENDER)
            if tendered is not None:
                rows.add(i)
        elif change is None:
            change = _value_after(text, _CHANGE)
            if change is not None:
                rows.add(i)
    if tendered is None or change is None or tendered - change < MIN_TOTAL_YEN:
        return None
    return tendered - change, rows


# The tax summary under a slip's total: the base of each rate and the
# untaxed part, which add up to the total when tax is included in the prices.
_TAX_BASE = re.compile(r"対象|非.?税")
_NOT_TAX_BASE = re.compile(r"ポイント|(?i:\bpts?\b)|割引|値引|クーポン")


def _tax_bases_total(lines: Sequence[Line], after: int) -> tuple[int, set[int]] | None:
    """The bases of the tax-summary rows below row ``after`` added up (8%対象 ¥108 + 非課税 ¥5,000), and those rows."""
    if tax_added(lines):  # the bases then add up to the subtotal, not the total
        return None
    total = 0
    rows: set[int] = set()
    for i in range(after + 1, len(lines)):
        text = lines[i].text
        m = _TAX_BASE.search(text)
        if not m or _NOT_TAX_BASE.search(text) or _labels(text):
            continue
        rest = text[m.end() :]
        stop = rest.find("税")  # a tax amount printed on the same row
        amounts = [a for a in find_amounts(rest if stop < 0 else rest[:stop]) if a.value >= 0]
        if amounts:
            total += amounts[0].value
            rows.add(i)
    return (total, rows) if rows and total >= MIN_TOTAL_YEN else None


def _arithmetic_totals(lines: Sequence[Line], after: int) -> dict[int, set[int]]:
    """What the slip's own sums say the total is (cash paid less change, the tax bases added up), and their rows."""
    out: dict[int, set[int]] = {}
    for found in (_tendered_less_change(lines, after), _tax_bases_total(lines, after)):
        if found is not None:
            out.setdefault(found[0], set()).update(found[1])
    return out


def _checked_totals(lines: Sequence[Line], arithmetic: dict[int, set[int]]) -> dict[int, Field]:
    """The arithmetic's totals that a row of their own also prints, with the first such row.

    The rows the sum was made of do not count: a tendered ¥5,108 with ¥0
    change is one reading, not two.
    """
    out = {}
    for value, used in arithmetic.items():
        for i, line in enumerate(lines):
            if i not in used and any(a.value == value for a in find_amounts(line.text)):
                out[value] = _field(value, 0.7 * _ocr_factor(line), line)
                break
    return out


def printed_smaller(reading: Field, than: Field) -> bool:
    """``reading`` comes from clearly smaller print than ``than``.

    Look-alike digits are told apart by small details (the dot in a dotted
    zero), which a till's double-height 合計 row shows at twice the pixels:
    a reading of smaller print does not overturn it.
    """
    if reading.box is None or than.box is None:
        return False
    return reading.box.h < 0.8 * than.box.h


def _settled_total(lines: Sequence[Line], first: int, checked: dict[int, Field], value: int | None,
                   label: str) -> int | None:
    """The total the slip's own sums settle when the reading disagrees with them, else None.

    Two independent sums (the cash paid less the change, and the tax rows'
    bases added up) that agree, on a value another row prints, outweigh the
    total as read, whatever OCR did to it (a wrong digit, a broken separator:
    "16 ,.200" read as 16). A 小計 the sums contradict,
    when they give one value printed on a row of its own between it and a
    quarter more (tax and fees added on top), is not the total: that row,
    whose label OCR lost, is.
    """
    if value is None:
        return None
    paid = _tendered_less_change(lines, first)
    bases = _tax_bases_total(lines, first)
    if paid is not None and bases is not None and paid[0] == bases[0] and paid[0] in checked and value != paid[0]:
        return paid[0]
    if label == "subtotal" and paid is not None:
        above = [v for v in checked if value < v <= 1.25 * value]
        if above == [paid[0]]:
            return paid[0]
    return None


def _garbled(f: Field) -> Field:
    return Field(value=None, confidence=0.0, text=f.text, box=f.box, page=f.page)


class _Amount(NamedTuple):
    field: Field
    label: str
    order_total: int | None  # before points or balance paid part of it
    index: int | None  # the total's line
    arithmetic: dict[int, set[int]]  # total -> rows it was summed from
    checked: dict[int, Field]  # see Extraction.checked_totals
    confirmed: bool  # the amount is what the arithmetic gives


def _find_amount(lines: Sequence[Line], kind: Kind, reference: dt.date) -> _Amount:
    """The amount field, its label, the pre-discount order total and the total's line index."""
    hits = _amount_hits(lines)
    if kind != "store":
        hits += _card_hits(lines, reference)
    # A total of a few yen is a fragment of a garbled number ("5, 06060円"),
    # never the price of a gift card: treat it as unreadable. (¥0 is real: an
    # order paid in full with balance is billed nothing.)
    hits = [h if h.value is None or h.value == 0 or h.value >= MIN_TOTAL_YEN else h._replace(value=None, field=_garbled(h.field))
            for h in hits]
    chosen: _AmountHit | None = None
    for name in _PRIORITY[kind]:
        chosen = _pick(hits, name)
        if chosen is not None:
            break
    if chosen is None:
        unreadable = [h for h in hits if h.label != "subtotal"] or hits
        after = min((h.index for h in hits), default=-1)
        arithmetic = _arithmetic_totals(lines, after) if kind != "amazon" else {}
        checked = _checked_totals(lines, arithmetic)
        if unreadable:
            h = unreadable[0]
            return _Amount(h.field, "", None, h.index, arithmetic, checked, False)
        return _Amount(Field(value=None, confidence=0.0, text=_NO_TOTAL), "", None, None, arithmetic, checked,
                       False)
    summed = _billed_by_summary(lines, hits, chosen) or (_total_by_summary(lines, hits, chosen)
                                                          if kind != "store" else None)
    if summed is not None:
        chosen = summed
    f = chosen.field
    label = chosen.label
    # Where the total is first printed: on a slip, rows below it are the tender area.
    first = min((h.index for h in hits if h.label == chosen.label and h.value == chosen.value), default=chosen.index)
    arithmetic = _arithmetic_totals(lines, first) if kind != "amazon" else {}
    checked = _checked_totals(lines, arithmetic)
    confirmed = chosen.value in arithmetic
    # A total read with look-alike digits (5,168 for 5,108, a dotted zero read
    # as 6) that the slip's own sums contradict, while they give the other
    # reading, also printed on the slip: that reading is the total.
    alternatives = [v for v in checked if chosen.value is not None and misread_of(chosen.value, v)]
    if not confirmed and len(alternatives) == 1:
        value = alternatives[0]
        labelled = [h.field for h in hits if h.value == value and h.label in _LABEL_WEIGHT]
        other = max(labelled, key=lambda g: g.confidence) if labelled else checked[value]
        if not printed_smaller(other, f):
            hit = [h for h in hits if h.field is other]
            chosen = hit[0] if hit else chosen._replace(value=value, field=other)
            f = other
            label = "total" if chosen.label == "subtotal" else chosen.label
            confirmed = True
    settled = _settled_total(lines, first, checked, chosen.value, label) if not confirmed else None
    if settled is not None:
        value, f = settled, checked[settled]
        chosen = chosen._replace(value=value, field=f)
        label = "total" if label == "subtotal" else label
        confirmed = True
    agree = sum(1 for h in hits if h.value == chosen.value and h is not chosen and h.label != "subtotal")
    if agree:
        f.confidence = _clamp(f.confidence + 0.05 * min(agree, 2))
    order_total: int | None = chosen.value
    if chosen.label in ("billed", "card"):
        for name in ("order_total", "total", "subtotal"):
            h = _pick(hits, name)
            if h is not None:
                order_total = h.value
                break
    billed = _billed_by_deductions(lines, hits, chosen) if kind != "store" else None
    if billed is not None:
        f, label = billed.field, billed.label
    return _Amount(f, label, order_total, first, arithmetic, checked, confirmed)


def _billed_by_summary(lines: Sequence[Line], hits: list[_AmountHit], chosen: _AmountHit) -> _AmountHit | None:
    """The order total in place of a ご請求額 read with look-alike digits, when Amazon's summary adds up without it.

    The summary reads 商品の小計 + 配送料・手数料 = 注文合計, and ご請求額 is
    注文合計 less the balance, points and coupons printed between them. With
    nothing taken off, ご請求額 repeats 注文合計: ¥8,808 under a 注文合計 of
    ¥8,898 that the rows above add up to is a misread ¥8,898.
    """
    subtotal, total = _pick(hits, "subtotal"), _pick(hits, "order_total")
    if chosen.label != "billed" or chosen.value is None or subtotal is None or total is None or total.value is None:
        return None
    if not subtotal.index < total.index < chosen.index:
        return None
    fees = [a.value for line in lines[subtotal.index + 1 : total.index] for a in find_amounts(line.text) if a.marked]
    taken_off = [a for line in lines[total.index + 1 : chosen.index] for a in find_amounts(line.text) if a.marked]
    if taken_off or subtotal.value is None or subtotal.value + sum(fees) != total.value:
        return None
    if not misread_of(chosen.value, total.value):
        return None
    return total


_FEES = re.compile(r"送料|手数料")


def _total_by_summary(lines: Sequence[Line], hits: list[_AmountHit], chosen: _AmountHit) -> _AmountHit | None:
    """The summary's 商品の小計 plus its fees in place of a total that lost its last digits (¥ 559 for ¥55,980).

    A photographed monitor's moiré eats the end of a row as easily as its
    start; the summary's rows add up to the whole value, whose beginning the
    total's row shows. Only an order total, which nothing is taken off (a
    ご請求額 of ¥1,000 after ¥9,000 of balance begins ¥10,000 too), and only
    a value the sum begins with, never one it merely differs from.
    """
    subtotal = _pick(hits, "subtotal")
    if chosen.value is None or subtotal is None or subtotal.value is None \
            or chosen.label not in ("order_total", "total"):
        return None
    fees = [a.value for line in lines[subtotal.index + 1 : subtotal.index + 4] if _FEES.search(line.text)
            for a in find_amounts(line.text) if a.marked and a.value >= 0]
    whole = subtotal.value + sum(fees)
    read, full = str(chosen.value), str(whole)
    if len(full) - len(read) not in (1, 2) or not full.startswith(read):
        return None
    return chosen._replace(value=whole, field=replace(subtotal.field, value=whole))


# Rows below 注文合計 that may take points, balance or coupons off it before ご請求額.
_DEDUCTION_ROWS = 3


def _billed_by_deductions(lines: Sequence[Line], hits: list[_AmountHit], chosen: _AmountHit) -> _AmountHit | None:
    """ご請求額 as 注文合計 less what the rows under it take off, when the ご請求額 row itself was not read.

    Amazon's summary prints points, gift-card balance and coupons used as
    negative amounts (``Amazonポイント: -¥1``) between 注文合計 and ご請求額;
    the customer was billed the difference, which is the amount. A discount
    printed above 注文合計 is already in it, so only rows below the last row
    printing the order total count.
    """
    if chosen.label != "order_total" or chosen.value is None or any(h.label == "billed" for h in hits):
        return None
    # The summary's 注文合計, however its label was read: the last row printing that value.
    anchor = max(i for i in range(chosen.index, len(lines))
                 if i == chosen.index or any(a.marked and a.value == chosen.value for a in find_amounts(lines[i].text)))
    taken = []
    for line in lines[anchor + 1 : anchor + 1 + _DEDUCTION_ROWS]:
        if _labels(line.text):
            break
        taken += [a.value for a in find_amounts(line.text) if a.marked and a.value < 0]
    if not taken or chosen.value + sum(taken) < 0:
        return None
    value = chosen.value + sum(taken)
    rows = [lines[chosen.index].text] + [f"{v:,}" for v in taken]
    field = replace(chosen.field, value=value, text=" ".join(rows) + f" = ¥{value:,}")
    return chosen._replace(label="billed", value=value, field=field)


_GIFTISH = re.compile(r"ギフ|ギ.ト|カード|券|チャージ|(?i:gift|card)")
_ITEM_COUNT = re.compile(r"^\s*(\d{1,2})\s?点")


def _amazon_gift_room(lines: Sequence[Line]) -> bool:
    """Whether an Amazon page may hold a gift-card line the reading missed.

    The items above the summary, each its count times its price, adding up
    to 商品の小計 means every item row was read; when none of them looks
    even a little like a gift card (no Amazon brand, no ギフ, カード or 券),
    there is no card line left to find.
    """
    hits = _amount_hits(lines)
    subtotal = _pick(hits, "subtotal")
    if subtotal is None or not subtotal.value:
        return True
    total = 0
    for i, line in enumerate(lines[: subtotal.index]):
        if _labels(line.text) or _stops(line.text):
            continue
        prices = [a for a in find_amounts(line.text) if a.marked and a.value > 0]
        if not prices:
            continue
        # A price alone on its row belongs to the name on the row above.
        name = lines[i - 1].text + line.text if i and is_amount_only(line.text) else line.text
        if match_brand(name) is not None or _GIFTISH.search(name):
            return True
        count = _ITEM_COUNT.match(name)
        total += (int(count.group(1)) if count else 1) * prices[-1].value
    return total != subtotal.value


def _slip_amount(lines: Sequence[Line], kind: Kind, reference: dt.date,
                 extra: Sequence[Fact]) -> tuple[_Amount, TotalChoice]:
    """A shop slip's total, weighed by evidence (core.fields.amount)."""
    gift = _find_gift(lines, kind, None)
    choice = choose_total(lines, extra=extra, at_least=gift[1] if gift[0].value else None)
    if choice.value is None:
        # Nothing with evidence: the labelled rows still say where a total
        # was printed but could not be read.
        found = _find_amount(lines, kind, reference)
        return found._replace(field=_garbled(found.field), label="", confirmed=False), choice
    arithmetic = {f.value: set(f.rows) for f in choice.facts if f.name != "items"}
    # A value with neither a readable total label nor a sum behind it is
    # unlabelled (""): worth another pass.
    label = "total" if choice.kind == "total" or choice.sums else "subtotal" if choice.kind == "subtotal" else ""
    choice.field.evidence = choice.evidence
    found = _Amount(choice.field, label, choice.value, choice.row, arithmetic,
                    _checked_totals(lines, arithmetic), choice.sums > 0)
    return found, choice


# --- gift card ----------------------------------------------------------------

_QTY = re.compile(r"^\s*(\d{1,2})\s*点|数量\s*[:：]?\s*(\d{1,2})|[xX×]\s*(\d{1,2})(?![\d,])|(\d{1,2})\s*個")
_BRAND_ONLY_EXCLUDE = re.compile(r"(?i)co\.?\s*jp|収納|払込|代行|(?i:pay(?![a-z]))|プライム|(?i:prime)")
_MIN_GIFT_PRICE = 15  # Amazon's smallest E-mail gift card


def _gift_price(lines: Sequence[Line], i: int, used: int) -> int | None:
    """The price on the gift line; in a table, the value row just below it."""
    amounts = [a for a in find_amounts(lines[i + used - 1].text if used > 1 else lines[i].text)
               if a.value >= _MIN_GIFT_PRICE]
    if used > 1 and not amounts:
        amounts = [a for a in find_amounts(lines[i].text) if a.value >= _MIN_GIFT_PRICE]
    if amounts:
        marked = [a for a in amounts if a.marked]
        return (marked or amounts)[-1].value
    # Rows such as 「販売: Amazon Japan G.K.」 may sit between the name and its price.
    for j in range(i + used, min(i + used + 3, len(lines))):
        nxt = lines[j]
        if nxt.page != lines[i].page or _labels(nxt.text):
            break
        if is_amount_only(nxt.text):
            value = find_amounts(nxt.text)[0].value
            return value if value >= _MIN_GIFT_PRICE else None
        if find_amounts(nxt.text):
            break  # the next item's row
    return None


def _quantity(text: str) -> int:
    m = _QTY.search(text)
    if not m:
        return 1
    q = int(next(g for g in m.groups() if g))
    return q if 1 <= q <= 20 else 1


_SELLER = re.compile(r"\s*(?:販売|出品|発送元|(?i:sold\s*by))")
# Words of Amazon's summary rows, loose enough for OCR's garbled forms.
_SUMMARY_WORDS = re.compile(r"配送料|手数|小計|合計|請求額|ポイント")


def _find_gift(
    lines: Sequence[Line], kind: Kind, total_index: int | None
) -> tuple[Field, int | None, int, str, list[int]]:
    """The gift-card purchase line, its price and quantity, and any pay-with-card line."""
    best: tuple[float, int, int] | None = None  # score, index, lines used
    payment_text = ""
    limit = len(lines)
    if kind == "store" and total_index is not None:
        # Below the total is the tender area, where a gift card is a means of
        # payment. The total's own row is not: with 合計 unreadable, the total
        # may be read on the card's row when the card is all that was bought.
        limit = total_index + 1
    found: list[tuple[float, int, int]] = []
    amazon_page = kind == "amazon"
    for i, line in enumerate(lines):
        # On an order page an item row never shares a row with the summary labels;
        # a gift card there is the payment method's column read into the row.
        summary = amazon_page and (
            bool(_labels(line.text)) or bool(_SUMMARY_WORDS.search(line.text))
            # "支払い方法:" above, its value (the card) on this row
            or (i > 0 and lines[i - 1].page == line.page and "支払" in lines[i - 1].text[-12:])
        )
        # "販売: アマゾンジャパン合同会社" names the seller, not an item: joined
        # to the next item's "ギフトボックス入り" it would read as a card.
        seller = bool(_SELLER.match(line.text))
        if i >= limit or summary or seller or is_payment_line(line.text) or is_other_brand(line.text):
            if not payment_text and mentions_gift_card(line.text):
                payment_text = line.text
            continue
        score = match_gift_card(line.text, amazon_page=amazon_page)
        used = 1
        # An item name wrapped onto a second row ("Amazonギフト" / "カード(...)").
        if i + 1 < limit and lines[i + 1].page == line.page:
            nxt = lines[i + 1]
            if not (is_payment_line(nxt.text) or is_other_brand(nxt.text)):
                joined = match_gift_card(line.text + nxt.text, amazon_page=amazon_page)
                if (joined is not None and match_gift_card(nxt.text, amazon_page=amazon_page) is None
                        and joined * 0.95 > (score or 0.0)):
                    score, used = joined * 0.95, 2
        if score is not None:
            score *= _ocr_factor(line)
            found.append((score, i, used))
            if best is None or score > best[0]:
                best = (score, i, used)
    if best is None and kind == "store":
        for i, line in enumerate(lines[:limit]):
            brand = match_brand(line.text)
            if not brand or _BRAND_ONLY_EXCLUDE.search(line.text) or is_payment_line(line.text):
                continue
            if any(a.value >= _MIN_GIFT_PRICE for a in find_amounts(line.text)):
                score = 0.5 * brand * _ocr_factor(line)
                if best is None or score > best[0]:
                    best = (score, i, 1)
    if best is None:
        return Field(value=False, confidence=0.0, text=""), None, 1, payment_text, []
    score, i, used = best
    line = lines[i]
    if used == 2:
        f = _two_line_field(True, score, line, lines[i + 1])
    else:
        f = _field(True, score, line)
    joined_text = " ".join(lines[k].text for k in range(i, i + used))
    price = _gift_price(lines, i, used)
    # Every gift-card row with its price times its quantity: several cards
    # bought on one receipt add up to the total.
    subtotals = []
    for _score, k, u in sorted(found, key=lambda h: h[1]):
        p = _gift_price(lines, k, u)
        if p is not None:
            subtotals.append(p * _quantity(" ".join(lines[m].text for m in range(k, k + u))))
    return f, price, _quantity(joined_text), payment_text, subtotals


def _same_row(a: Line, b: Line) -> bool:
    """Two readings of one printed row: each one's middle lies within the other's height."""
    if a.page != b.page:
        return False
    mid_a, mid_b = a.box.y + a.box.h / 2, b.box.y + b.box.h / 2
    return a.box.y <= mid_b <= a.box.bottom and b.box.y <= mid_a <= b.box.bottom


_UNTAXED_MARK = re.compile(r"\s?円?\s?[(（]?\s?非")  # right after a price: 非 (untaxed), maybe bracketed
_UNTAXED_PRICE = re.compile(r"\d" + _UNTAXED_MARK.pattern)
_UNTAXED_BASE = re.compile(r"非.?課?税")


def _prices(text: str) -> list[int]:
    """The prices on a row: amounts with a yen sign or 円, or marked untaxed (a till printing no yen signs)."""
    return [a.value for a in find_amounts(text) if a.marked or _UNTAXED_MARK.match(text, a.span[1])]


def _read_upside_down(lines: Sequence[Line]) -> bool:
    """Whether the rows, in reading order, run up the photo (a slip photographed the wrong way up)."""
    ordered = sorted(lines, key=lambda line: (line.page, line.index))
    steps = [b.box.y - a.box.y for a, b in zip(ordered, ordered[1:], strict=False) if a.page == b.page]
    return sum(1 for d in steps if d < 0) > 2 * max(1, sum(1 for d in steps if d > 0))


def _not_below(line: Line, total: Field, upside_down: bool) -> bool:
    """Whether a row comes before the total in reading order, or is its row, whichever way up the photo was taken.

    The total's own row counts: it may be the card's, the only item bought (see _find_gift).
    """
    if total.box is None or line.page != total.page:
        return total.box is None or line.page < total.page
    middle = line.box.y + line.box.h / 2
    return middle > total.box.y if upside_down else middle < total.box.y + total.box.h


def gift_over_passes(passes: Sequence[Sequence[Line]], ex: Extraction) -> Extraction:
    """``ex`` with the gift-card row that only the passes together read, if a slip shows one.

    A slip's item row read by several passes is matched by its place on the
    page; the brand may come from one reading and the gift word from another
    (see :func:`core.giftcard.match_gift_card_row`). Only rows above the total
    count; a price read on the row must fit within the total, and a brand
    without a gift word needs one.
    """
    if ex.kind != "store" or ex.fields.gift_card.value or len(passes) < 2:
        return ex
    total = ex.fields.amount
    # The slip's 非課税 base names a price that is untaxed even when the row's own 非 mark was lost.
    untaxed_bases = {a.value for lines in passes for line in lines if _UNTAXED_BASE.search(line.text)
                     for a in find_amounts(line.text) if a.marked}
    best: tuple[float, Line, list[Line], int | None] | None = None
    upside_down = _read_upside_down(passes[0])
    for k, lines in enumerate(passes):
        for anchor in lines:
            if total.box is not None and not _not_below(anchor, total, upside_down):
                continue
            row = [anchor] + [line for other in passes[k + 1:] for line in other if _same_row(anchor, line)]
            if len(row) < 2:
                continue
            texts = [line.text for line in row]
            prices = [v for line in row for v in _prices(line.text)]
            fits = [p for p in prices if p >= _MIN_GIFT_PRICE and (total.value is None or p <= total.value)]
            if prices and not fits:
                continue  # the row's price cannot be a card's within this total
            # A card's price marked untaxed (¥33,668(非): 非 right after a price that fits), or one the 非課税 base prints.
            untaxed = bool(fits) and (any(_UNTAXED_PRICE.search(t) for t in texts) or bool(untaxed_bases & set(fits)))
            score = match_gift_card_row(texts, untaxed_price=untaxed)
            if score is None and fits:
                # As on one pass (see _find_gift), a clear brand alone on a priced item row counts.
                score = match_gift_card_row(texts, brand_alone=not any(_BRAND_ONLY_EXCLUDE.search(t) for t in texts))
            if score is None:
                continue
            price = max(set(fits), key=fits.count) if fits else None
            score *= 0.9 * _ocr_factor(anchor)
            if best is None or score > best[0]:
                best = (score, anchor, row, price)
    if best is None:
        return ex
    score, anchor, row, price = best
    texts = list(dict.fromkeys(line.text for line in row))
    gift = Field(value=True, confidence=_clamp(score), text=" / ".join(texts), box=anchor.box, page=anchor.page)
    fields = replace(ex.fields, gift_card=gift)
    quantity = _quantity(anchor.text)
    return replace(ex, fields=fields, gift_price=price, gift_quantity=quantity,
                   gift_rows=[price * quantity] if price is not None else [], gift_room=True)


# --- order number -------------------------------------------------------------

_ORDER_LABEL = re.compile(r"注文番号|(?i:order\s*(?:number|#|no))")


def find_order_numbers(text: str) -> list[tuple[str, tuple[int, int], bool]]:
    """Amazon order numbers in a line: (``249-1234567-1234567``, span, repaired)."""
    found = []
    for m in _ORDER_NO.finditer(text):
        # A rule of dashes (ーーョーョー) repairs into ones: most digits must have been read as digits.
        if sum(c.isdigit() for c in m.group()) < _ORDER_DIGITS // 2:
            continue
        parts = [repair_digits(g).replace("ー", "1").replace("一", "1") for g in m.group("a", "b", "c")]
        head = parts[0]
        if head[0] == "D":
            head = "D01"
        elif not head.isdigit():
            continue
        if not (parts[1].isdigit() and parts[2].isdigit()):
            continue
        value = f"{head}-{parts[1]}-{parts[2]}"
        plain = re.sub(r"\s", "", m.group()).translate(str.maketrans("ー一−–—‐‑‒―", "---------"))
        repaired = value != plain
        found.append((value, m.span(), repaired))
    return found


def _find_order_number(lines: Sequence[Line]) -> Field:
    best: tuple[float, Field] | None = None
    for i, line in enumerate(lines):
        candidates = find_order_numbers(line.text)
        squeezed = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "", line.text)
        if not candidates and squeezed != line.text:
            candidates = [(v, (0, 0), True) for v, _, _ in find_order_numbers(squeezed)]
        for value, (s, e), repaired in candidates:
            score = 0.8 if repaired else 0.9
            labelled = _ORDER_LABEL.search(line.text[:s] if e else line.text)
            if not labelled and i > 0:
                labelled = _ORDER_LABEL.search(lines[i - 1].text)
            if labelled:
                score += 0.1
            score *= _ocr_factor(line)
            box = span_box(line, s, e) if e else line.box
            if best is None or score > best[0]:
                best = (score, _field(value, score, line, box))
    return best[1] if best else Field()


# --- store --------------------------------------------------------------------

# Chains that sell Amazon gift cards: (name shown, pattern over canonical text).
CHAINS: tuple[tuple[str, str], ...] = (
    ("セブン-イレブン", r"セブン.?イレブン|(?i:7\s*-?\s*eleven|seven\s*-?\s*eleven)"),
    ("ファミリーマート", r"ファミリーマート|ファミマ|(?i:family\s*mart)"),
    ("ナチュラルローソン", r"ナチュラルローソン|(?i:natural\s*lawson)"),
    ("ローソンストア100", r"ローソンストア100"),
    ("ローソン", r"ローソン|(?i:lawson)"),
    ("ミニストップ", r"ミニストップ|(?i:ministop)"),
    ("デイリーヤマザキ", r"デイリーヤマザキ|ヤマザキデイリーストア|(?i:daily\s*yamazaki)"),
    ("セイコーマート", r"セイコーマート|(?i:seico\s*mart)"),
    ("ポプラ", r"ポプラ|(?i:poplar)"),
    ("NewDays", r"(?i:new\s*days)|ニューデイズ"),
    ("ウエルシア", r"ウ[エェ]ルシア|(?i:welcia)"),
    ("マツモトキヨシ", r"マツモトキヨシ|マツキヨ|(?i:matsukiyo)"),
    ("ツルハドラッグ", r"ツルハ|(?i:tsuruha)"),
    ("サンドラッグ", r"サンドラッグ|(?i:sun\s*drug)"),
    ("スギ薬局", r"スギ薬局"),
    ("ココカラファイン", r"ココカラファイン|(?i:cocokara)"),
    ("クリエイトSD", r"クリエイト(?:SD|エス・?ディー)"),
    ("ドラッグストアコスモス", r"ドラッグストアコスモス|ディスカウントドラッグコスモス"),
    ("カワチ薬品", r"カワチ薬品"),
    ("サツドラ", r"サツドラ|サッポロドラッグストアー"),
    ("イトーヨーカドー", r"イトーヨーカ[ドド]ー|イトーヨーカ堂|(?i:ito\s*yokado)"),
    ("イオン", r"イオン(?!カード)|(?i:\baeon\b)"),
    ("マックスバリュ", r"マックスバリュ|(?i:maxvalu)"),
    ("西友", r"西友|(?i:seiyu)"),
    ("ライフ", r"ライフ(?!カード)"),
    ("ドン・キホーテ", r"ドン・?キホーテ|(?i:don\s*quijote)"),
    ("ビックカメラ", r"ビックカメラ|(?i:bic\s*camera)"),
    ("ヨドバシカメラ", r"ヨドバシ|(?i:yodobashi)"),
    ("ヤマダデンキ", r"ヤマダ(?:デンキ|電機)|(?i:yamada\s*denki)"),
    ("エディオン", r"エディオン|(?i:edion)"),
    ("ケーズデンキ", r"ケーズデンキ|(?i:k'?s\s*denki)"),
    ("コジマ", r"コジマ|(?i:kojima)"),
    ("ジョーシン", r"ジョーシン|(?i:joshin)"),
    ("ノジマ", r"ノジマ|(?i:nojima)"),
    ("ゲオ", r"ゲオ|(?i:\bgeo\b)"),
    ("TSUTAYA", r"(?i:tsutaya)|ツタヤ"),
)
_CHAIN_RES = tuple((name, re.compile(p)) for name, p in CHAINS)
_BRANCH = re.compile(r"(?P<b>[^\s:：()（）、。,.¥\\]{1,20}?店)(?![舗員長内頭])")
_NOT_BRANCH = re.compile(r"^(?:当|お|本|販売|加盟|取扱|各|同|全|来|ご来|ご利用|弊)店$|来店|利用店")


def _chain_in(text: str) -> tuple[str, int, int] | None:
    canon = canonical_katakana(text)
    for name, pattern in _CHAIN_RES:
        m = pattern.search(canon)
        if m:
            return name, m.start(), m.end()
    return None


def _branch_in(text: str) -> str | None:
    for m in _BRANCH.finditer(text):
        b = m.group("b")
        # Strip the phone-number and address noise that can share the row.
        b = re.sub(r"^[\d\-]+", "", b)
        if len(b) >= 2 and not _NOT_BRANCH.search(b):
            return b
    return None


def _after_chain(text: str) -> str:
    """The part of a row after a chain name (``ローソン中野店`` → ``中野店``)."""
    found = _chain_in(text)
    return canonical_katakana(text)[found[2] :] if found else text


def _find_store(lines: Sequence[Line], kind: Kind, kind_confidence: float) -> Field:
    if kind == "amazon":
        for line in lines:
            if re.search(r"(?i)amazon\s*\.?\s*co\s*\.?\s*jp", line.text):
                return _field(AMAZON_STORE, max(kind_confidence, 0.8) * _ocr_factor(line), line)
        return Field(value=AMAZON_STORE, confidence=_clamp(kind_confidence * 0.8))
    top = max(8, int(len(lines) * 0.4))
    for pos, line in enumerate(lines):
        found = _chain_in(line.text)
        if not found:
            continue
        name, _s, e = found
        near_top = pos < top
        branch = _branch_in(canonical_katakana(line.text)[e:])
        if branch is None:
            for j in range(max(0, pos - 2), min(len(lines), pos + 4)):
                if j != pos and lines[j].page == line.page:
                    branch = _branch_in(_after_chain(lines[j].text))
                    if branch:
                        break
        value = f"{name} {branch}" if branch else name
        conf = (0.9 if near_top else 0.6) * (1.0 if branch else 0.9) * _ocr_factor(line)
        return _field(value, conf, line)
    if kind == "unknown":
        return Field()
    for line in lines[:top]:
        name = line.text.strip()
        if name.endswith("店") and len(name) <= 30 and _branch_in(name):
            return _field(name, 0.4 * _ocr_factor(line), line)
    return Field()


def _other_cards(lines: Sequence[Line], total_index: int | None) -> set[int]:
    """The rows above the total read as other issuers' cards (iTunes ¥3,000), by index."""
    return {i for i, line in enumerate(lines[: total_index if total_index is not None else len(lines)])
            if is_other_brand(line.text)}


# --- entry point --------------------------------------------------------------


def reading_order(lines: Sequence[Line]) -> list[Line]:
    """The lines as extraction numbers them: the row indices of its sums refer to this order."""
    return sorted(lines, key=lambda line: (line.index, line.page, line.box.y))


def extract(lines: Sequence[Line], *, reference: dt.date, kind: str = "auto",
            extra_facts: Sequence[Fact] = ()) -> Extraction:
    """Read the purchase facts from a receipt's OCR lines.

    ``reference`` is today (a purchase cannot be later); ``kind`` may force
    "amazon" or "store" when the user already said where the card was bought.
    ``extra_facts`` are the slip's sums as another pass read them.
    """
    ordered = reading_order(lines)
    scores = kind_scores(ordered)
    if kind in ("amazon", "store"):
        family: Kind = kind  # type: ignore[assignment]
        k_conf = 1.0
    else:
        family, k_conf = detect_kind(ordered)
    choice: TotalChoice | None = None
    # Amazon's pages name their totals plainly (ご請求額, 注文合計) and print no
    # till arithmetic; a slip's total is weighed by its evidence.
    billed = any(h.label in ("billed", "order_total") for h in _amount_hits(ordered))
    if family == "amazon" or (family == "unknown" and billed):
        found = _find_amount(rejoin_wrapped(ordered), family, reference)
    else:
        found, choice = _slip_amount(ordered, family, reference, extra_facts)
    amount, label, order_total, total_index = found.field, found.label, found.order_total, found.index
    date, future, refused = find_date(ordered, family, reference)
    gift, gift_price, quantity, payment_text, gift_rows = _find_gift(ordered, family, total_index)
    fields = Fields(
        date=date,
        amount=amount,
        gift_card=gift,
        order_number=_find_order_number(ordered) if family != "store" else Field(),
        store=_find_store(ordered, family, k_conf),
    )
    if order_total is None:
        order_total = amount.value
    return Extraction(
        kind=family,
        kind_confidence=k_conf,
        fields=fields,
        gift_price=gift_price,
        receipt_words=count_receipt_words(ordered),
        order_total=order_total,
        amount_label=label,
        gift_quantity=quantity,
        future_date=future if date.value is None else None,
        refused_dates=refused,
        gift_payment_text=payment_text,
        gift_rows=gift_rows,
        kind_scores=scores,
        arithmetic_totals=set(found.arithmetic),
        checked_totals=found.checked,
        amount_checked=found.confirmed,
        amount_evidence=choice.evidence if choice and choice.value is not None else (),
        amount_strength=choice.strength if choice and choice.value is not None else (0, 0.0),
        amount_facts=choice.facts if choice else [],
        zeros_as_sixes=family != "amazon" and shows_zeros_as_sixes(ordered),
        read_both_ways=family != "amazon" and printed_both_ways(ordered),
        amount_summed=choice is not None and amount.value == choice.value and summed_from_parts(ordered, choice),
        gift_room=True if gift.value else (
            room_for_gift_card(ordered, choice, _other_cards(ordered, total_index)) if choice
            else _amazon_gift_room(ordered) if family == "amazon" else True),
    )
