"""A shop slip's total, chosen by evidence rather than by its label alone.

Tesseract garbles a till's double-size bold 合計 row more than anything else
on a slip (``=言一¥2, 318``, ``大言一\\1 2 0``), while the value beside it and
the slip's own sums usually survive. A person finds the total without reading
its label: the big number after the items, which equals the cash paid less
the change, the subtotal plus the tax, the tax bases added up, and which the
payment row repeats. So here every money value read is a candidate, weighed by

- ``label``: how much the text before it looks like a total label, through
  OCR's confusions; a label that names something else (お預り, お釣, 税, 点)
  counts against it;
- ``large_print``: its row's height against the slip's body text;
- its place (after a 小計, before the tender rows) and a yen sign before it;
- the slip's arithmetic, each sum a piece of evidence of its own:
  ``cash_minus_change`` (お預り − お釣, or the payment row, or with お釣り ¥0
  the row right above it whatever its label reads, less the change),
  ``subtotal_plus_tax`` (小計 less the discounts below it, + 外税), ``subtotal``
  (a 小計 with tax included),
  ``tax_bases`` (8 %/10 %/非課税 対象 added up), ``payment`` (クレジット,
  電子マネー… repeating it), ``card_slip`` (the credit slip's 支払金額) and
  ``items`` (the item prices less discounts).

Two sums that agree, read off rows other than the candidate's and each
other's, settle a total even when its label is unreadable. A value that lost
a digit to a garbled yen sign (``\\』。672`` for ¥1,672) is repaired only when
a sum gives the whole value.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from receipt_assistant.core.amounts import Amount, find_amounts, grouped_values
from receipt_assistant.core.fields.common import make_field, ocr_factor, span_box
from receipt_assistant.core.model import Field, Line, Message
from receipt_assistant.core.text import repair_digits

MIN_TOTAL_YEN = 10

# Digits a receipt font and a photo make Tesseract mistake for one another
# (and a screen font's small 9 for 0).
CONFUSED_DIGITS = frozenset(frozenset(p) for p in ("06", "08", "68", "38", "17", "56", "09"))


def misread_of(read: int, other: int) -> bool:
    """``read`` is ``other`` with one or two digits swapped for look-alikes (5,668 for 5,608)."""
    a, b = str(read), str(other)
    if len(a) != len(b) or a == b:
        return False
    diffs = [frozenset((x, y)) for x, y in zip(a, b, strict=True) if x != y]
    return len(diffs) <= 2 and all(d in CONFUSED_DIGITS for d in diffs)


def zeros_read_as_sixes(read: int, other: int) -> bool:
    """``read`` is ``other`` with some of its zeros read as sixes (5,666 for 5,000).

    A receipt font's dotted or slashed zero comes back as 6 at some scales;
    a 6 is not read as 0, so of two such readings the one with zeros is right.
    """
    a, b = str(read), str(other)
    return len(a) == len(b) and a != b and all(x == y or (x, y) == ("6", "0") for x, y in zip(a, b, strict=True))


# A slip whose print shows its zeros read as sixes: a phone number (they
# begin with 0 in Japan) or a year (20xx) read with a 6 in the zero's place.
_ZERO_AS_SIX = re.compile(r"(?:TEL|電話|☎)\W{0,3}6\d|(?<!\d)26\d{2}\s*[年/]\s*\d")


def shows_zeros_as_sixes(lines: Sequence[Line]) -> bool:
    """Whether a slip's phone number or year shows that its zeros are read as sixes."""
    return any(_ZERO_AS_SIX.search(line.text) for line in lines)


def printed_both_ways(lines: Sequence[Line]) -> bool:
    """One value printed with zeros on one row and with sixes on another (an item's ¥108 and its base
    ¥168, a card's 10,000 and the 合計 16,666): a hint, weaker than a phone number's, that the zeros may
    be read as sixes, for which the rows are worth reading again."""
    values = {v for line in lines for v in grouped_values(line.text)}
    values |= {a.value for line in lines for a in find_amounts(line.text) if a.marked and a.value >= 100}
    return any(zeros_read_as_sixes(a, b) for a in values for b in values)


def _zero_into_six(read: int, repaired: int) -> bool:
    """Whether ``repaired`` has a 6 where ``read`` has a 0 (a 6 is seldom read as 0)."""
    a, b = str(read), str(repaired)
    return len(a) == len(b) and any(x == "0" and y == "6" for x, y in zip(a, b, strict=True))


def below_price(total: int, price: int | None) -> bool:
    """A total less than the price printed on the slip's gift-card row, which it includes.

    Not when the price is the total with look-alike digits (49,666 for
    49,000): the card's row is as easily misread as any other.
    """
    return price is not None and total < price and not (misread_of(price, total)
                                                        or zeros_read_as_sixes(price, total))


def lost_leading_digits(read: int, other: int, printed: str = "") -> bool:
    """``read`` is ``other`` with its first digit swallowed by a garbled yen sign (672 for 1,672).

    ``printed``: the value's digits as the row shows them, whose leading zero
    ``read`` has lost (``Y0,333`` for ¥10,333).
    """
    a, b = printed or str(read), str(other)
    return len(b) - len(a) == 1 and b.endswith(a) and read >= MIN_TOTAL_YEN


# --- what a row's label says ------------------------------------------------

# Checked in this order: the first that matches names the row. A label that
# names something else wins over a 合計 in it (お預り合計, 10%税合計, 値引合計).
_TENDER = re.compile(r"預[りリかカ]?|現金|現計|(?i:\bcash\b)")
_CHANGE = re.compile(r"釣|おつり|(?i:\bchange\b)")
_SUBTOTAL = re.compile(r"小\s?(?:計|言)|税抜\s?(?:合計|金額)|税別|(?i:sub\s*-?\s*total)")
_OTHER = re.compile(
    r"税(?!込)|対象|(?<!\d)(?:8|10)\s?[%％XxNt]?\s?対|点数|数量|ポイント|(?<![A-Za-z])(?i:pts?|no)(?![A-Za-z])|値引|割引|引き|クーポン|残高|番号|回数|単価|@"
)  # "No" and "pt" as words of Latin letters: a name in kanji may run into them (担当:佐藤No.6670)
# A tax rate, its % as OCR reads it on a till's print (8X, 10N, 8t): 8 % and 10 % are the rates.
_RATE_MARKED = r"(?<!\d)(?:8|10)\s?[XxNt](?![A-Za-z])"
_RATE = re.compile(r"\d\s?[%％]|" + _RATE_MARKED)
_TOTAL = re.compile(
    r"合計|総計|お?買い?上げ?(?:合)?計|支払い?合計|ご?請求(?:金)?額|領収金額|お?会計|(?i:\btotal\b)"
    # 合計 as OCR reads a double-size bold 合計: 合 as 含/台/各/向/大/=, 計 as 言十, 言一, n十.
    r"|[合含台各向同大=]\s?(?:計|言\s?[十一ー]?|[nル]十)"
)
_GARBLED_TOTAL = re.compile(
    # お買上 whose 計 was misread, or its 買 (おぉ賓上計), 計 split or alone, and a short label that starts like 合 ("合nt", "台1"),
    # or any one kanji before 計 and nothing else (月計: 小計 and the labelled sums are named before this)
    r"お買い?上|[\u4e00-\u9fff]上げ?\s?計|言\s?[十一ー]|^\W{0,2}計|[含台各向同大=]\s?言|同計|^\W{0,2}[合含台各同](?:.|[^\u3040-\u30ff\u4e00-\u9fff]{0,3})\W*$"
    r"|^\W{0,2}[\u4e00-\u9fff]\s?計\W*$"
)
_CARD_SLIP = re.compile(r"支払金額|ご?利用金額|^\W*金\s?額")
_PAYMENT = re.compile(
    r"クレジット|(?i:credit|visa|jcb|master|amex)|電子マネー|(?i:waon)|ワオン|(?i:nanaco)|ナナコ|交通系|"
    r"(?i:suica|pasmo|icoca|edy|quicpay|paypay|d払い|au\s?pay|rakuten|\bid\b)|楽天|ペイペイ|メルペイ|支払|"
    r"デビット|(?i:debit)|商品券|ギフトカード払|決済|(?i:\bpay\b)"
)
# Counts and tax notes inside a total's own label ("合計 3点", "合計(税込)") say nothing about it.
_LABEL_NOISE = re.compile(r"\d+\s?点|[(（]?税込[)）]?|[(（]?内税[)）]?")
_NAME_CHARS = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Tax added on top of the prices (外税, OCR's タト税): the subtotal plus it is the total.
_TAX_ADDED = re.compile(r"(?:外|タト)\s?(?:消費)?税|税抜|税別")
_TAX_ROW = re.compile(r"消費税|税額|(?:外|タト)税|(?<![内込])税\s?(?:等|\(|（|\d)")
_TAX_INCLUDED_ROW = re.compile(r"内\s?(?:消費)?税|税込")
# 対 is often lost, (10%象 ¥8,616), and 象 garbled, (10%対RR ¥5,782).
_TAX_BASE = re.compile(r"対?象|%\s?対|非.?税|" + _RATE_MARKED + r"\s?対")
_NOT_TAX_BASE = re.compile(r"ポイント|(?i:\bpts?\b)|割引|値引|クーポン")
# A discount on a row of its own (値引 -30, 5%OFF -292).
_DISCOUNT = re.compile(r"値引|割引|引き|クーポン|(?i:off\b)")

LABEL_SCORES = {
    "total": 1.0, "garbled_total": 0.6, "subtotal": 0.35, "payment": 0.2, "card": 0.2, "none": 0.0,
    "item": -0.3, "tender": -1.0, "change": -1.0, "other": -1.0,
}


def label_kind(label: str) -> str:
    """What the text before an amount on its row says the amount is."""
    text = _LABEL_NOISE.sub("", label)
    if len(_NAME_CHARS.findall(text)) < 2 and not re.search(r"計|言", text) and not _GARBLED_TOTAL.search(text):
        return "none"  # no name: a value alone, or beside a label OCR turned into one stray mark
    for kind, pattern in (("tender", _TENDER), ("change", _CHANGE), ("subtotal", _SUBTOTAL)):
        if pattern.search(text):
            return kind
    if _TOTAL.search(text):
        # A 合計 after another word is that word's sum (ポイント合計, 税合計).
        head = text[: _TOTAL.search(text).start()]  # type: ignore[union-attr]
        if _OTHER.search(head) or _RATE.search(head):  # a rate's sum ("10%稚合計", 税 garbled) is its tax
            return "other"
        plain = re.search(r"[合含台各向同]\s?計|[^小]計|額", text)
        return "garbled_total" if _GARBLED_TOTAL.search(text) and not plain else "total"
    if _OTHER.search(text):
        return "other"
    if _CARD_SLIP.search(text):
        return "card"
    if _PAYMENT.search(text):
        return "payment"
    if _GARBLED_TOTAL.search(text):
        return "garbled_total"
    if not _KANA_KANJI.search(text) and len(re.findall(r"[A-Za-z]", text)) < 3 and not re.search(r"\d", text):
        return "none"  # two stray letters ("= BF"): a double-size label OCR could not read, not a name
    return "item"


# --- candidates ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One money value read on one row."""

    value: int
    row: int  # index into the lines
    span: tuple[int, int]  # in the row's text
    kind: str  # what its label says: see LABEL_SCORES
    size: float  # the value's print height against the slip's body text
    marked: bool  # a yen sign or 円
    squeezed: bool = False  # read only once the spaces between its digits were dropped ("\1 2 0")
    # "lost_digit" (a first digit put back) or "look_alike" (digits OCR confuses
    # swapped) because a sum gives the whole value
    repair: str = ""
    fragment: bool = False  # printed with a leading zero: only a repair makes it a value

    @property
    def score(self) -> float:
        s = LABEL_SCORES[self.kind]
        s += 0.45 if self.size >= 1.5 else 0.2 if self.size >= 1.25 else 0.0
        s += 0.1 if self.marked else 0.0
        s -= 0.15 if self.squeezed else 0.0
        s -= 0.1 if self.repair else 0.0
        return s


def _body_height(lines: Sequence[Line]) -> float:
    """The height of the slip's ordinary text rows (the median of rows of several characters)."""
    heights = [line.box.h for line in lines if len(line.text) >= 3 and line.box.h > 0]
    return float(statistics.median(heights)) if heights else 0.0


def _row_amounts(text: str) -> list[tuple[int, tuple[int, int], bool, bool]]:
    """(value, span, marked, squeezed) of every money value on a row.

    Tesseract spaces the digits of large print apart (``\\1 2 0``); the value
    read with those spaces dropped is a candidate too, marked as such.
    """
    found = [(_unsigned(text, a.value, a.span), a.span, a.marked, False) for a in find_amounts(text)]
    squeezed = re.sub(r"(?<=[\d,.])\s(?=\d)", "\0", text)
    if squeezed != text:
        # Spans stay those of the original text: one character for one.
        seen = {v for v, *_ in found}
        joined = squeezed.replace("\0", "")
        offsets = [i for i, ch in enumerate(squeezed) if ch != "\0"]
        for a in find_amounts(joined):
            span = (offsets[a.span[0]], offsets[a.span[1] - 1] + 1)
            value = _unsigned(text, a.value, span)
            if value not in seen:
                found.append((value, span, a.marked, True))
    return found


def _unsigned(text: str, value: int, span: tuple[int, int]) -> int:
    """A "minus" that is the tail of a garbled kanji (計 read as 言一) is no minus."""
    return -value if value < 0 and text[span[0]] in "ー一" else value


# A date, or a weekday and the time after it when the date's digits ran together (202470974(土) 16:38).
_DATE_ROW = re.compile(r"\d{2,4}\s?[年/.\-]\s?\d{1,2}\s?[月/.\-]\s?\d{1,2}"
                       r"|[(（][月火水木金土日][)）]\s?\d{1,2}\s?[:：]\s?\d{2}")


def header_end(lines: Sequence[Line]) -> int:
    """The row of the purchase date near the top: rows above it are the shop's name, address and codes."""
    top = lines[: max(3, int(0.4 * len(lines)))]
    return next((i for i, line in enumerate(top) if _DATE_ROW.search(line.text)), -1)


# Marks a till prints after a price: 軽/※/* (reduced rate), 非 (untaxed), 外/内 (tax), 税込.
_PRICE_MARKS = re.compile(r"[(（][^)）]*[)）]|税込|[軽※*非外内]")


def _in_a_sentence(after: str) -> bool:
    """Words follow the value: an advert's condition ("2,000円以上で100円引"), not a price.

    Words that label a value of their own ("¥1,000 お釣 ¥200", two columns
    read as one row) do not make a sentence, nor do Latin letters alone.
    """
    nxt = [a for a in find_amounts(after) if abs(a.value) >= MIN_TOTAL_YEN]
    tail = _PRICE_MARKS.sub("", after[: nxt[0].span[0]] if nxt else after)
    # Latin letters alone are debris off the paper's edge ("¥4,750 boo"), not words.
    if len(_KANA_KANJI.findall(tail)) < 2:
        return False
    return not nxt or label_kind(tail) == "item"


def _label_row_above(lines: Sequence[Line], i: int) -> int | None:
    """The row above that holds words but no value: a label whose value OCR put on a row of its own.

    A row of debris between them (a double-size row's bottom read as ``_—、mood``,
    no kana, kanji or value) is passed over.
    """
    for j in (i - 1, i - 2):
        if j < 0 or lines[j].page != lines[i].page or find_amounts(lines[j].text):
            return None
        above = lines[j].text
        if len(_NAME_CHARS.findall(above)) >= 2 and (
                _KANA_KANJI.search(above) or label_kind(above) not in ("item", "none")):
            return j
        if _KANA_KANJI.search(above) or re.search(r"\d", above):
            return None
    return None


def candidates(lines: Sequence[Line]) -> list[Candidate]:
    """Every money value on the slip with what its row says about it."""
    body = _body_height(lines)
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        prev_end = 0
        for value, (s, e), marked, squeezed in sorted(_row_amounts(line.text), key=lambda a: a[1]):
            digits = re.sub(r"\D", "", repair_digits(line.text)[s:e])
            # A fragment of a garbled number ("5, 06060円"), but for a yen sign that
            # swallowed the first digit and left its thousands (Y0,333 for ¥10,333),
            # kept for a sum to make whole.
            fragment = digits.startswith("0")
            if value < MIN_TOTAL_YEN or (fragment and not (marked and _ZERO_LED_GROUP.search(line.text[s:e]))):
                continue
            label = line.text[prev_end:s]
            # A value ends the label of the next one; a rate or count inside
            # a label ("小計(税抜10)") does not.
            if not squeezed and marked:
                prev_end = e
            h = span_box(line, s, e).h
            size = h / body if body else 1.0
            kind = "other" if _in_a_sentence(line.text[e:]) else label_kind(label)
            if kind == "none" and (above := _label_row_above(lines, i)) is not None:
                kind = label_kind(lines[above].text)  # the label printed on its own row above the value
            elif kind == "item" and size >= 1.5:
                kind = "none"  # items are printed in body size: a large row's label is one OCR could not read
            out.append(Candidate(value, i, (s, e), kind, size, marked, squeezed, fragment=fragment))
    return out


_ZERO_LED_GROUP = re.compile(r"(?<!\d)0\s?[,.]\s?\d{3}(?!\d)")


def _row_value(text: str, pattern: re.Pattern[str]) -> int | None:
    """The value a labelled row prints after ``pattern``: its last marked amount, else its last one.

    A slip prints the value at the row's right end; rates, counts and card
    names inside the label ("小計(税抜10)", "ギフトカード1枚") come before it.
    """
    m = pattern.search(text)
    if not m:
        return None
    amounts = [a for a in find_amounts(text[m.end() :]) if a.value >= 0]
    marked = [a for a in amounts if a.marked]
    return (marked or amounts)[-1].value if amounts else None


# --- the slip's arithmetic --------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A value one of the slip's own sums gives, and the rows it was read from."""

    name: str
    value: int
    rows: frozenset[int] = frozenset()
    parts: int = 0  # how many rows it was read from, kept when it comes from another pass (whose rows are not these)


def _kinds(lines: Sequence[Line]) -> list[str]:
    """What each row is, by the label before its first amount: its first price when it has one.

    A name can start with digits (a code, or katakana OCR turned into
    ``7738``); the price with its ¥ or 円 comes after the name.
    """
    kinds = []
    for line in lines:
        amounts = find_amounts(line.text)
        first = next((a for a in amounts if a.marked), amounts[0]) if amounts else None
        kinds.append(label_kind(line.text[: first.span[0]]) if first else "")
    return kinds


def _cash_minus_change(lines: Sequence[Line], kinds: Sequence[str]) -> list[Fact]:
    facts = []
    for c, line in enumerate(lines):
        if kinds[c] != "change":
            continue
        change = _row_value(line.text, _CHANGE)
        if change is None:
            continue
        # What was handed over: the tender and payment rows right above the
        # change (cash plus a gift card, say), or the one row that totals them (お預り合計).
        paid_rows: dict[int, int] = {}
        # A row named like an item at the top of the payment rows (ギフトカード ¥1,000
        # above 現金) paid part of it: a card taken as payment, its label read as a name.
        named: dict[int, int] = {}
        for t in range(c - 1, max(-1, c - 7), -1):
            if kinds[t] in ("tender", "payment", "card"):
                value = _row_value(lines[t].text, _TENDER if kinds[t] == "tender" else _PAYMENT)
                if value is None:
                    value = next((a.value for a in reversed(find_amounts(lines[t].text)) if a.value > 0), None)
                if value is not None:
                    paid_rows[t] = value
                    if re.search(r"合?計", lines[t].text):
                        paid_rows = {t: value}
                        break
            elif kinds[t]:
                marked = [a.value for a in find_amounts(lines[t].text) if a.marked and a.value > 0]
                if kinds[t] == "item" and paid_rows and marked and t and kinds[t - 1] != "item":
                    named = {t: marked[-1]}
                break
        if not paid_rows and not change and c and kinds[c - 1] in ("item", "none"):
            # With no change, the row right above お釣 ¥0 is what was paid,
            # whatever OCR made of its label (クレジット read クルジデゥット);
            # with change, cash and a card may both be above it.
            paid = [a.value for a in find_amounts(lines[c - 1].text) if a.marked and a.value > 0]
            if paid:
                paid_rows = {c - 1: paid[-1]}
        for rows in (paid_rows, {**paid_rows, **named} if named else {}):
            if rows and sum(rows.values()) - change >= MIN_TOTAL_YEN:
                facts.append(Fact("cash_minus_change", sum(rows.values()) - change, frozenset({*rows, c})))
    if not any(k == "change" for k in kinds):
        facts += _change_unlabelled(lines, kinds)
    return facts


def _change_unlabelled(lines: Sequence[Line], kinds: Sequence[str]) -> list[Fact]:
    """Cash less the change when OCR lost the change's label (お釣 read as 栄 or 槌).

    The row right after the cash handed over, with a smaller value and no
    label of its own kind, is the change: what a person takes it for.
    """
    facts = []
    for t, line in enumerate(lines[:-1]):
        if kinds[t] != "tender":
            continue
        cash = _row_value(line.text, _TENDER)
        after = lines[t + 1]
        values = [a.value for a in find_amounts(after.text)]
        if cash is None or kinds[t + 1] not in ("item", "none") or len(values) != 1:
            continue
        if 0 < values[0] < cash and cash - values[0] >= MIN_TOTAL_YEN:
            facts.append(Fact("cash_minus_change", cash - values[0], frozenset({t, t + 1})))
    return facts


def _subtotal_blocks(lines: Sequence[Line], kinds: Sequence[str]) -> list[tuple[int, dict[int, int]]]:
    """Runs of 小計 rows side by side ({row: value}) and the row after each run.

    A slip that adds tax on top may print one 小計 per tax rate (税抜8%,
    非課税); the run adds up to the subtotal of the whole sale.
    """
    blocks: list[tuple[int, dict[int, int]]] = []
    block: dict[int, int] = {}
    for i, line in enumerate([*lines, None]):
        value = _row_value(line.text, _SUBTOTAL) if line is not None and kinds[i] == "subtotal" else None
        if value is not None and value >= MIN_TOTAL_YEN:
            block[i] = value
            continue
        if block:
            blocks.append((i, block))
            block = {}
    return blocks


def _subtotal_plus_tax(lines: Sequence[Line], kinds: Sequence[str], added: bool) -> list[Fact]:
    """The 小計 less the discounts on the whole purchase below it (5%OFF -292), plus the tax added on top."""
    facts = []
    for after, block in _subtotal_blocks(lines, kinds):
        sub = sum(block.values())
        if not added:
            facts += [Fact("subtotal", v, frozenset({r})) for r, v in block.items()]
            if len(block) > 1:
                facts.append(Fact("subtotal", sub, frozenset(block)))
        change, rows = 0, set(block)
        for t in range(after, min(len(lines), after + 4)):
            text = lines[t].text
            if kinds[t] in ("total", "garbled_total", "tender", "change", "payment", "subtotal"):
                break
            amounts = [a for a in find_amounts(text) if a.value != 0 and a.marked] or \
                      [a for a in find_amounts(text) if a.value != 0]
            if not amounts:
                continue
            if "計" in text:
                continue  # 値引合計 sums the discounts already taken off above the 小計
            if amounts[-1].value < 0 or _DISCOUNT.search(text):
                change -= abs(amounts[-1].value)
            elif added and _TAX_ROW.search(text) and not _TAX_INCLUDED_ROW.search(text) \
                    and not _TAX_BASE.search(text):
                change += amounts[-1].value
            else:
                continue
            rows.add(t)
        if len(rows) > len(block) and sub + change >= MIN_TOTAL_YEN:
            facts.append(Fact("subtotal_plus_tax", sub + change, frozenset(rows)))
    return facts


def _base_rows(lines: Sequence[Line]) -> dict[int, int]:
    """The tax-base rows (8%対象 ¥108, 非課税 ¥5,000) and the base each prints, each base once."""
    out: dict[int, int] = {}
    seen = set()
    for i, line in enumerate(lines):
        text = line.text
        m = _TAX_BASE.search(text)
        if not m or _NOT_TAX_BASE.search(text) or label_kind(text[: m.start()]) in ("total", "subtotal"):
            continue
        rest = text[m.end() :]
        stop = rest.find("税")  # a tax amount printed on the same row
        amounts = [a for a in find_amounts(rest if stop < 0 else rest[:stop]) if a.value >= 0]
        if not amounts:
            continue
        key = (text[: m.start()][-4:], amounts[0].value)
        if key in seen:  # the same base printed again (a duplicate slip part)
            continue
        seen.add(key)
        out[i] = amounts[0].value
    # A till prints its tax block in brackets; a bracketed value beside a base
    # whose label OCR lost ("(SK R ¥3,270)" for (8%対象 ¥3,270)) is a base
    # too, unless its label names the tax in it.
    for i, line in enumerate(lines):
        m = _BRACKETED.match(line.text)
        if i in out or not m or not any(abs(i - j) <= 3 for j in out) \
                or _TAX_ROW.search(line.text) or _TAX_INCLUDED_ROW.search(line.text) \
                or _NOT_TAX_BASE.search(line.text) or _KANA_KANJI.search(m["label"]):
            continue
        amounts = [a for a in find_amounts(line.text) if a.marked]
        if len(amounts) == 1:
            out[i] = amounts[0].value
    return out


# A bracketed row: a short label and one value ("(8%対象 ¥108)").
_BRACKETED = re.compile(r"^\W{0,2}[(（](?P<label>[^)）]{0,8}?)[¥\\￥]")


def _tax_bases(lines: Sequence[Line]) -> list[Fact]:
    """The bases of the tax rows added up, when tax is in the prices."""
    rows = _base_rows(lines)
    total = sum(rows.values())
    return [Fact("tax_bases", total, frozenset(rows))] if rows and total >= MIN_TOTAL_YEN else []


def _payments(lines: Sequence[Line], kinds: Sequence[str]) -> list[Fact]:
    facts = []
    for i, line in enumerate(lines):
        if kinds[i] not in ("payment", "card"):
            continue
        values = [a.value for a in find_amounts(line.text) if a.value >= MIN_TOTAL_YEN]
        if values:
            facts.append(Fact("card_slip" if kinds[i] == "card" else "payment", values[-1], frozenset({i})))
    return facts


def row_price(amounts: Sequence[Amount]) -> Amount:
    """The price of an item row among its numbers: the last with a yen sign, else the last.

    A stray digit after ``¥4,639``, or a mark read as one (``¥10,000(3)`` for
    ``¥10,000(非)``), is not it.
    """
    return ([a for a in amounts if a.marked] or amounts)[-1]


def _items(lines: Sequence[Line], kinds: Sequence[str], header_end: int) -> list[Fact]:
    """The item rows' prices (less discounts) added up, down to the first summary row.

    A row whose value is the sum of the rows above it is that sum, however
    its label was read (a garbled 合計 looks like an item's name).
    """
    body = _body_height(lines)
    total, rows = 0, set()
    for i in range(header_end + 1, len(lines)):
        text = lines[i].text
        amounts = find_amounts(text)
        if not amounts:
            if label_kind(text) in ("subtotal", "total"):
                break  # 小計 or 合計 whose value was lost: the items lie above it all the same
            continue
        amount = row_price(amounts)
        large = body > 0 and span_box(lines[i], *amount.span).h >= 1.25 * body
        discount = kinds[i] == "other" and _DISCOUNT.search(text)
        if large:
            break  # a summary row printed large (合計): the items, if any were read, lie above it
        # A priced row at the body's size whose name OCR could not read ("YR ¥165") is an item still.
        unnamed_item = kinds[i] == "none" and amount.marked
        if kinds[i] != "item" and not discount and not unnamed_item:
            if not rows and kinds[i] in ("other", "none"):
                continue  # the header's last rows: register, staff and slip numbers
            break  # a summary row: a labelled sum or a value with no name
        value = amount.value
        if len(rows) >= 2 and value == total:
            break
        if discount and value > 0:
            value = -value  # a discount printed without its minus sign
        total += value
        rows.add(i)
    return [Fact("items", total, frozenset(rows))] if rows and total >= MIN_TOTAL_YEN else []


def tax_added(lines: Sequence[Line]) -> bool:
    """Whether the slip adds its tax on top of the prices (外税).

    It says so (外税, 税抜, 税別), or prints a 小計 per rate, which a slip
    whose prices include the tax does not: 小計(税抜8%) whatever OCR made
    of its 税抜 (`小計(税疫8X)`).
    """
    for line in lines:
        if _TAX_ADDED.search(line.text):
            return True
        amounts = find_amounts(line.text)
        label = line.text[: amounts[0].span[0]] if amounts else line.text
        if _SUBTOTAL.search(label) and _RATE.search(label) and not (
                _TAX_INCLUDED_ROW.search(label) or _TAX_BASE.search(label)):
            return True
    return False


def facts(lines: Sequence[Line]) -> list[Fact]:
    """Every value the slip's own sums give."""
    kinds = _kinds(lines)
    added = tax_added(lines)
    out = _cash_minus_change(lines, kinds) + _subtotal_plus_tax(lines, kinds, added) + _payments(lines, kinds)
    if not added:
        out += _tax_bases(lines)
    items = _items(lines, kinds, header_end(lines))
    out += items
    if added:
        out += [f for fact in items if (f := _items_plus_tax(lines, kinds, fact)) is not None]
    return out


def _items_plus_tax(lines: Sequence[Line], kinds: Sequence[str], items: Fact) -> Fact | None:
    """The item prices added up plus the tax added on top below them: the 小計 plus tax when 小計's label was lost.

    The row right below the items that repeats their sum is that 小計, whatever OCR made of its label.
    The sum's rows are those below the items (the items' own are their sum's), so the total is never
    shown on an item's row.
    """
    rows: set[int] = set()
    tax = 0
    for t in range(max(items.rows) + 1, min(len(lines), max(items.rows) + 5)):
        text = lines[t].text
        if kinds[t] in ("total", "garbled_total", "tender", "change", "payment"):
            break
        amounts = [a for a in find_amounts(text) if a.value != 0]
        if not amounts:
            continue
        if _TAX_ROW.search(text) and not _TAX_INCLUDED_ROW.search(text) and not _TAX_BASE.search(text):
            tax += amounts[-1].value
        elif amounts[-1].value != items.value or tax:
            break  # a row that neither repeats the items' sum nor adds tax: not the block below them
        rows.add(t)
    return Fact("subtotal_plus_tax", items.value + tax, frozenset(rows)) if tax else None


# --- the choice -------------------------------------------------------------------


@dataclass
class TotalChoice:
    """The total chosen, and why."""

    value: int | None
    field: Field
    evidence: tuple[str, ...] = ()
    kind: str = ""  # the label kind of the row the value was read on
    row: int | None = None  # index of that row in the lines
    sums: int = 0  # independent sums that give the value
    score: float = 0.0
    facts: list[Fact] = field(default_factory=list)  # every sum seen, agreeing or not

    @property
    def strength(self) -> tuple[int, float]:
        """How the choice compares with another reading's: two sums settle, else the score decides."""
        return (self.sums if self.sums >= 2 else 0, self.score)


# Sums that measure the same thing count once: a 小計 with tax included is
# the item prices added up, so the two agreeing say no more than one of them.
_FAMILY = {"subtotal": "items"}


def _independent(found: Iterable[Fact], exclude: frozenset[int]) -> list[Fact]:
    """The facts that share no row with the candidate's row nor with one another, one of each kind."""
    chosen: list[Fact] = []
    used = set(exclude)
    families: set[str] = set()
    # Sums of several rows first: they say more than a row repeating a value.
    for f in sorted(found, key=lambda f: (-len(f.rows), f.name)):
        family = _FAMILY.get(f.name, f.name)
        if family in families or f.rows & used:
            continue
        chosen.append(f)
        families.add(family)
        used |= f.rows
    return chosen


_ARITHMETIC_NAMES = ("cash_minus_change", "subtotal_plus_tax", "subtotal", "tax_bases", "payment", "card_slip",
                     "items")


def _confidence(sums: int, kind: str, size: float) -> float:
    if sums >= 2:
        return 0.95
    if sums == 1:
        return 0.9 if kind == "total" else 0.8
    if kind == "total":
        return 0.7 if size < 1.25 else 0.75
    if kind == "garbled_total" or size >= 1.5:
        return 0.5
    return 0.35


# "5,.000": two separators where one was printed; the second read as a space
# keeps every span of the row where it was.
_DOUBLE_SEPARATOR = re.compile(r"(?<=\d)([,.])[,.](?=\d{3})")
# On a slip that prints 円 after its amounts, a digit or a letter in 円's
# place at the end of a row (合計11,6129 for 合計11,612円, 合計1,605M) is the
# 円; not a P, which a slip prints after points (累計ポイント15,319P).
_EN_AFTER = re.compile(r"\d\s?円")
_EN_AS_DIGIT = re.compile(r"(\d{1,3}(?:\s?[,.]\s?\d{3})+)[\dA-OQ-Za-oq-z](?=\W{0,2}$)")


def as_printed(lines: Sequence[Line]) -> list[Line]:
    """The rows with the slip's own print style undone where OCR broke a number by it."""
    en = sum(1 for line in lines if _EN_AFTER.search(line.text)) >= 2
    out = []
    for line in lines:
        text = _DOUBLE_SEPARATOR.sub(r"\1 ", line.text)
        if en:
            text = _EN_AS_DIGIT.sub(r"\1円", text)
        out.append(replace(line, text=text) if text != line.text else line)
    return out


# A row this many times the body text's height is printed larger (a till's double-height 合計 reads 1.4-2).
_LARGER_PRINT = 1.25


def choose_total(lines: Sequence[Line], *, extra: Sequence[Fact] = (), at_least: int | None = None) -> TotalChoice:
    """The slip's total: the candidate with the most evidence, and the names of that evidence.

    ``extra`` are sums read in another pass over the same slip: they count as
    evidence of their own kind. ``at_least`` is the price printed on the
    slip's gift-card row, which the total includes.
    """
    lines = as_printed(lines)
    cands = candidates(lines)
    found = facts(lines) + [Fact(f.name, f.value, parts=len(f.rows) or f.parts) for f in extra]
    by_value: dict[int, list[Fact]] = {}
    for f in found:
        by_value.setdefault(f.value, []).append(f)
    # A total row whose value lost its first digit, or shows look-alike digits,
    # is read as the value a sum of what was paid gives: only then. (The items
    # and a 小計 are before discounts, so they repair nothing.)
    # A value a sum already gives is not repaired; nor are look-alike digits
    # of large print from a sum of smaller print, whose rows all show the
    # small details (the dot of a dotted zero) at half the pixels.
    paid = {f.value for f in found if f.name not in ("items", "subtotal")}
    # What each cash-less-change sum may be with its sixes read as zeros (a lone 6 of change as ¥0).
    cash_readings = [(f, _cash_less_change_with_zeros(_parts(lines, f), f.value))
                     for f in found if f.name == "cash_minus_change"]
    for c in list(cands):
        if (c.kind not in ("total", "garbled_total") and c.size < 1.5) or c.value in paid:
            continue
        digits = re.sub(r"\D", "", lines[c.row].text[c.span[0]:c.span[1]])
        printed = digits if digits.startswith("0") else ""
        # Nor from cash less change that may give the value as read (お預り 4,206
        # less お釣 "6", a ¥0 read as 6, repairs no 合計 4,206 into 4,200).
        alike = {f.value for f, made in cash_readings if c.value in made}
        for v in paid - alike:
            # Never a zero into a six: a printed 0 comes back as 6, seldom a 6 as 0
            # (合計 6,056 is no 6,650 that a cash of 6,656 less a change of "6", a misread ¥0, gives).
            repair = "lost_digit" if lost_leading_digits(c.value, v, printed) else \
                "look_alike" if misread_of(c.value, v) and c.size < 1.5 and not _zero_into_six(c.value, v) \
                else ""
            if repair:
                cands.append(Candidate(v, c.row, c.span, c.kind, c.size, c.marked, c.squeezed, repair))
    cands = [c for c in cands if not c.fragment or c.repair]
    largest_base = max(_base_rows(lines).values(), default=0)
    sixes = shows_zeros_as_sixes(lines)
    n = len(lines)
    # A 小計 that discounts or tax below it change is a part of the total, not the total.
    parts = {r for f in found if f.name == "subtotal_plus_tax" for r in f.rows}
    subtotal_rows = [c.row for c in cands if c.kind == "subtotal"]
    tender_rows = [c.row for c in cands if c.kind in ("tender", "change")]
    # Where the slip labels its total: a value elsewhere with no sum behind it does not stand in for it
    # (a large number in the card's name, 16,996 for ギフトカード10000円), but for its 小計.
    labelled_rows = {c.row for c in cands if c.kind in ("total", "garbled_total")}
    best: tuple[tuple[int, float], Candidate, list[Fact]] | None = None
    for c in cands:
        if (c.kind in ("tender", "change", "other", "item") and c.value not in by_value) \
                or (c.kind == "subtotal" and c.row in parts):
            continue
        own = list(by_value.get(c.value, ()))
        if c.kind in ("total", "garbled_total") and "0" in str(c.value) and (c.size >= _LARGER_PRINT or sixes):
            # Sums read with sixes where the total's row has zeros (34,866 for
            # 合計 34,800) give it when its large print is the surer reading, or
            # the slip's phone number or year shows its zeros read as sixes.
            own += [f for v, fs in by_value.items() if zeros_read_as_sixes(v, c.value) for f in fs]
        if c.kind in ("total", "garbled_total") and sixes:
            # So does cash less change when their sixes read as zeros give it
            # (お預り 16,666 for 10,000, お釣 1,828: 合計 8,172).
            own += [f for f, made in cash_readings if f not in own and c.value in made]
        if c.kind == "subtotal":  # the item prices confirm a subtotal, not a total
            own = [f for f in own if _FAMILY.get(f.name, f.name) != "items"]
        if c.kind not in ("total", "garbled_total", "subtotal"):
            # Another pass's value read off one row (an item, a tax base) may be
            # this very row read again: no sum that confirms a row not labelled as one.
            own = [f for f in own if f.rows or f.parts > 1]
        agree = _independent(own, frozenset({c.row}))
        # A total is its subtotal less discounts plus tax: one far from the
        # 小計 printed above it is a misreading unless two sums give it.
        # (Its printed values only: not a rate in its label, 小計(税抜10), nor digits joined across a gap.)
        above = [x.value for x in cands if x.kind == "subtotal" and 0 < c.row - x.row <= 10 and not x.repair
                 and x.marked and not x.squeezed]
        implausible = bool(above) and c.kind != "subtotal" and not any(
            0.5 * v <= c.value <= 1.25 * v for v in (above[-1], sum(above)))
        # A total includes every tax base, unless that base is itself the total misread (19,600 for 19,000),
        # or its sixes may be zeros (非課税 8,666 for 8,000 under 合計 8,172) on a slip that shows them so.
        implausible = implausible or (c.value < largest_base and not misread_of(largest_base, c.value)
                                      and not (sixes and min(_with_zeros(largest_base)) <= c.value))
        score = c.score + 1.0 * len(agree)
        if any(0 < c.row - r <= 10 for r in subtotal_rows):
            score += 0.1
        if any(0 < r - c.row <= 8 for r in tender_rows):
            score += 0.1
        if n >= 10 and c.row < 0.15 * n and c.kind not in ("total", "garbled_total"):
            score -= 0.3  # the header: phone numbers, register and branch codes
        # A total includes the gift card printed on the slip: one below its
        # price is a misreading unless a sum gives it, two when it is under
        # half the price (the taxed bases alone leave an untaxed card out:
        # 合計¥1e,165 is no ¥165 of 8 % ¥160 and 10 % ¥5); just below it, the
        # card's row may be the misread one (¥42,606 for ¥41,994).
        below_gift = below_price(c.value, at_least)
        far_below = below_gift and at_least is not None and 2 * c.value < at_least
        # Look-alike digits are as likely misread in the rows of one sum: two must agree.
        if (c.kind in ("tender", "change", "other", "item") or implausible or c.repair == "look_alike"
                or far_below) and len(agree) < 2:
            continue
        if not agree and (score < 0.4 or below_gift
                          or (labelled_rows and c.row not in labelled_rows and c.kind != "subtotal")):
            continue
        key = (len(agree) if len(agree) >= 2 else 0, score)
        if best is None or key > best[0]:
            best = (key, c, agree)
    if best is None or len(best[2]) < 2:
        settled = _settled_by_sums(lines, found, cands, at_least)
        if settled is not None and (best is None or settled.value != best[1].value):
            return settled
    if best is None:
        return TotalChoice(None, Field(value=None, confidence=0.0, text=""), facts=found)
    (_, score), c, agree = best
    line = lines[c.row]
    evidence = []
    if c.kind in ("total", "garbled_total"):
        evidence.append("label")
    if c.size >= 1.5:
        evidence.append("large_print")
    if c.repair:
        evidence.append("repaired")
    evidence += sorted((f.name for f in agree), key=_ARITHMETIC_NAMES.index)
    conf = _confidence(len(agree), c.kind, c.size) * (ocr_factor(line) if len(agree) < 2 else 1.0)
    f = make_field(c.value, conf, line, span_box(line, *c.span))
    if _in_name(c, lines):
        # Digits in an item's name (ギフトカード10000) the sums agree with: shown on the first row of a sum.
        row = min((r for a in agree if a.name != "items" for r in a.rows), default=c.row)
        f = make_field(c.value, conf, lines[row])
    choice = TotalChoice(c.value, f, tuple(evidence), c.kind, c.row, len(agree), score, found)
    kept = _zeros_kept(cands, c, found, lines)
    # A sum of parts that show no six proves the zeros, whatever sums of misread parts give the sixes;
    # unless a sum of other parts gives the total as read and no reading of their sixes as zeros gives those.
    if kept is not None and (kept[1] == "cash_minus_change" or not summed_from_parts(lines, choice)) \
            and not _sixes_proved(lines, found, c.value, kept[0]):
        value, name = kept
        f = make_field(value, _confidence(1, c.kind, c.size) * ocr_factor(line), line, span_box(line, *c.span))
        evidence = (("label",) if c.kind in ("total", "garbled_total") else ()) + ("repaired", name)
        return TotalChoice(value, f, tuple(evidence), c.kind, c.row, 1, score, found)
    return choice


def _zeros_kept(cands: Sequence[Candidate], total: Candidate, found: Sequence[Fact],
                lines: Sequence[Line]) -> tuple[int, str] | None:
    """The value ``total`` is with zeros read as sixes (19,666 for 19,000), when a row that must equal or
    cover it prints that value, and the name of that evidence.

    A till's dotted-zero font reads alike on every row, so every sum may
    repeat the misread total while one row keeps its zeros (a 6 is not read
    as 0): the 小計 right above the total with nothing between them, which
    equals it, the item prices added up, or the cash handed over, which is
    never less than it. Not when a sum of two non-zero values gives the
    total (see summed_from_parts), unless cash less change gives the zeros
    from parts with no six in them, which no zero read as six can have
    skewed (4,000 less 892 is 3,108, under 8 % base 168 and 非課税 3,000 read
    as 3,168).
    """
    values = {x.value for x in cands}
    subtotal = [x.value for x in cands if x.kind == "subtotal" and x.row == total.row - 1 and not x.repair]
    if len(subtotal) == 1 and zeros_read_as_sixes(total.value, subtotal[0]):
        return subtotal[0], "subtotal"
    items = {f.value for f in found if f.name == "items" and f.rows and max(f.rows) < total.row}
    if len(items) == 1 and zeros_read_as_sixes(total.value, next(iter(items))):
        return items.pop(), "items"
    # Cash and change read with sixes that can still make the total as read repair nothing.
    given = {v for f in found if f.name == "cash_minus_change"
             and total.value not in (made := _cash_less_change_with_zeros(_parts(lines, f), f.value))
             for v in made if zeros_read_as_sixes(total.value, v)}
    if len(given) == 1:
        return given.pop(), "cash_minus_change"
    cash = {x.value for x in cands if x.kind == "tender" and 0 < x.row - total.row <= 8 and not x.repair}
    # Not when another row pays the rest (points, a coupon). Cash short of a
    # total by look-alike digits (10,000 under 合計 10,096) is the total too.
    below = [v for v in cash if v < total.value and (zeros_read_as_sixes(total.value, v) or misread_of(total.value, v))
             and total.value - v not in values]
    return (below[0], "cash_covers") if len(below) == 1 and max(cash) < total.value else None


def _sixes_proved(lines: Sequence[Line], found: Sequence[Fact], read: int, zeros: int) -> bool:
    """Whether a sum of two or more non-zero parts gives the total as ``read`` and cannot give ``zeros``
    however its parts' sixes are read as zeros.

    Each six put right changes its part by six in its place: 432 + 5,688 +
    20,000 + 34 + 568 is 26,722 and no reading of those sixes makes 20,722,
    so a cash of 21,000 (27,000 with its 7 read as 1) less 278 does not
    make the printed 合計 26,722 a misread 20,722.
    """
    for f in found:
        if f.value != read or len(f.rows) < 2:
            continue
        parts = _parts(lines, f)
        if f.name == "cash_minus_change":
            made = _cash_less_change_with_zeros(parts, read)
        elif sum(1 for v in parts if v) >= 2 and sum(parts) == read:
            made = _sum_with_zeros(parts)
        else:
            continue
        if made and zeros not in made:
            return True
    return False


def _sum_with_zeros(parts: Sequence[int], limit: int = 4096) -> set[int]:
    """Every sum of ``parts`` with some of their sixes read as the zeros they may have been (empty past ``limit``)."""
    sums = {0}
    for p in parts:
        readings = {v if p >= 0 else -v for v in _with_zeros(abs(p))}
        sums = {s + r for s in sums for r in readings}
        if len(sums) > limit:
            return set()
    return sums


def _with_zeros(value: int) -> set[int]:
    """``value`` and each reading of it with some of its sixes as the zeros they may have been."""
    digits = str(value)
    sixes = [i for i, c in enumerate(digits) if c == "6"][:6]
    out = set()
    for mask in range(1 << len(sixes)):
        d = list(digits)
        for k, i in enumerate(sixes):
            if mask >> k & 1:
                d[i] = "0"
        if d[0] != "0":
            out.add(int("".join(d)))
    return out


def _cash_less_change_with_zeros(parts: Sequence[int], value: int) -> set[int]:
    """Cash less change with the zeros either may have read as sixes (51,666 less 46 may be 50,954).

    Only for a sum of cash and a change that is not nothing: with no change
    the cash repeats the total, misread alike. A change of a lone 6 may be
    that ¥0 (お預かり 23,396, お釣 "6": the cash itself, 23,396, not 23,390).
    """
    if len(parts) != 2 or parts[0] - parts[1] != value or parts[1] <= 0:
        return set()
    changes = {g for g in _with_zeros(parts[1]) if g > 0} | ({0} if parts[1] == 6 else set())
    return {c - g for c in _with_zeros(parts[0]) for g in changes}


def _settled_by_sums(lines: Sequence[Line], found: Sequence[Fact], cands: Sequence[Candidate],
                     at_least: int | None) -> TotalChoice | None:
    """The total two independent sums of what was paid agree on, when no row prints it legibly.

    A person who cannot read the 合計 (合計ィ43円 for 合計 7,743円, or nothing)
    takes the cash less the change and adds up the tax rows: when both give
    7,743, that is the total. It is shown on the total's row when that row's
    digits end the value (lost first digits) or begin it (a lost last digit,
    ``86(`` for 860), else on the first row of the sums but the items'.
    """
    # The item prices count when two or more add up: one item row alone may be
    # all that was read of a slip whose other prices are unreadable.
    paid = [f for f in found if f.name != "subtotal" and f.rows and (f.name != "items" or len(f.rows) >= 2)]
    values = {f.value for f in paid if f.value >= MIN_TOTAL_YEN and not below_price(f.value, at_least)}
    # The item prices and the tax bases both add up the purchase's parts, so a
    # part unreadable in both leaves both short alike: one must be a payment.
    settled = [(v, agree) for v in values if len(agree := _independent([f for f in paid if f.value == v],
                                                                       frozenset())) >= 2
               and not {f.name for f in agree} <= {"items", "tax_bases"}]
    if len(settled) != 1:
        return None
    value, agree = settled[0]
    names = tuple(sorted((f.name for f in agree), key=_ARITHMETIC_NAMES.index))
    labelled = [c for c in cands if c.kind in ("total", "garbled_total") and not c.repair
                and (str(value).endswith(str(c.value))
                     or (str(value).startswith(str(c.value)) and len(str(value)) - len(str(c.value)) == 1))]
    read = max(labelled, key=lambda c: c.size, default=None)
    if read is not None:
        line = lines[read.row]
        f = make_field(value, _confidence(len(agree), read.kind, read.size), line, span_box(line, *read.span))
        return TotalChoice(value, f, ("label", "repaired", *names), read.kind, read.row, len(agree),
                           read.score + len(agree), list(found))
    # Not on an item's row: the rows from the total's down are read as the tender area.
    row = min((r for f in agree if f.name != "items" for r in f.rows), default=min(r for f in agree for r in f.rows))
    f = make_field(value, _confidence(len(agree), "none", 1.0), lines[row])
    return TotalChoice(value, f, names, "none", row, len(agree), float(len(agree)), list(found))


def _parts(lines: Sequence[Line], f: Fact) -> list[int]:
    """The values printed on the rows a sum was read off."""
    return [row_price(amounts).value for r in sorted(f.rows) if r < len(lines) and (amounts := find_amounts(lines[r].text))]


def summed_from_parts(lines: Sequence[Line], choice: TotalChoice) -> bool:
    """Whether a sum giving the total adds or subtracts two or more non-zero printed values.

    A font whose zeros read as sixes misreads every row alike, so a sum that
    only repeats the total (one item, one tax base, cash with ¥0 change)
    agrees with the misread value (5,666 for 5,000); arithmetic on two
    non-zero values does not (16,666 less 4,524 is not 5,476), so it proves
    the digits.
    """
    lines = as_printed(lines)
    for f in choice.facts:
        if f.value != choice.value or len(f.rows) < 2:
            continue
        if sum(1 for v in _parts(lines, f) if v > 0) >= 2:
            return True
    return False


def _change_given(lines: Sequence[Line], choice: TotalChoice) -> bool:
    """Whether cash handed over less a change that is not nothing gives the total (10,000 less 9,184)."""
    for f in choice.facts:
        if f.name == "cash_minus_change" and f.value == choice.value and len(f.rows) >= 2:
            if sum(1 for v in _parts(lines, f) if v > 0) >= 2:
                return True
    return False


# The cheapest Amazon gift card a shop sells: バリアブル from 1,500 yen (fixed
# cards are 3,000, 5,000 and 10,000).
MIN_SHOP_GIFT_YEN = 1500


# A base or a tax that is not a taxed one: 非課税 (OCR may lose the 非, not 課税), 免税.
_UNTAXED_LABEL = re.compile(r"非|課税|免税")


_UNTAXED_BASE = re.compile(r"非.?税")


def _printed_untaxed(lines: Sequence[Line], skip: Collection[int] = ()) -> set[int]:
    """The values of the rows that print the untaxed base (非課税対象 ¥1,500, (非課税 ¥39,100)), but rows ``skip``."""
    return {amounts[-1].value for i, line in enumerate(lines)
            if i not in skip and (amounts := find_amounts(line.text))
            and _UNTAXED_BASE.search(line.text[: amounts[-1].span[0]]) and not _NOT_TAX_BASE.search(line.text)}


def _untaxed(lines: Sequence[Line], total: int, total_row: int | None) -> int | None:
    """What of the total the tax rows leave untaxed, or None when they say nothing.

    Gift cards carry no consumption tax: a slip's taxed bases (8%対象, 10%対象,
    or 小計(税抜 8%) plus the 消費税 added on top) that make up the whole total
    leave no room for one.
    """
    added = tax_added(lines)
    bases, taxes, seen = 0, 0, set()
    for i, line in enumerate(lines):
        amounts = find_amounts(line.text)
        if not amounts:
            continue
        # 外税 rows print their value at the right end, after a rate that may
        # read as a number (小計(税抜1096) ¥488); a 対象 row may add its tax after the base.
        amount = row_price(amounts) if added else amounts[0]
        label = line.text[: amount.span[0]]
        if _UNTAXED_LABEL.search(label) or _NOT_TAX_BASE.search(label):
            continue
        key = (re.sub(r"\W", "", label)[-4:], amount.value)
        if key in seen:  # the same row printed again (a duplicate slip part)
            continue
        seen.add(key)
        # A 小計 with a rate is a taxed base whatever OCR made of its 税抜 (小計(梶抜10%)).
        before_tax = re.search(r"税抜|税別", label) or (_SUBTOTAL.search(label) and _RATE.search(label))
        if (_TAX_BASE.search(label) and re.search(r"\d|税率", label) and not added) or (added and before_tax):
            bases += amount.value
        elif added and _TAX_ROW.search(label) and not _TAX_INCLUDED_ROW.search(label) \
                and (total_row is None or i < total_row):
            taxes += amount.value  # 外税 added above the total (a repeat below it is not)
    if not bases:
        return None
    return total - bases - taxes


def _in_name(c: Candidate, lines: Sequence[Line]) -> bool:
    """Whether ``c`` is a number in an item's name (緑茶600ml read as ``600l``), not its price.

    On a row whose price carries a yen sign, a value without one is part of the name.
    """
    amounts = find_amounts(lines[c.row].text)
    return not c.marked and bool(amounts) and row_price(amounts).marked


def room_for_gift_card(lines: Sequence[Line], choice: TotalChoice, other_cards: Collection[int] = ()) -> bool:
    """Whether a gift-card row the reading missed could still be on the slip.

    A person knows there is none without reading every name: a total a sum
    confirms that is less than the cheapest card; tax rows whose taxed bases
    make up the total (a gift card is 非課税), less the untaxed rows read as
    other issuers' cards (``other_cards``, their rows); or item prices that add up
    to the total with none of them as dear as a card but those other issuers'
    cards; or an untaxed base the slip prints (非課税対象) that is what those
    other issuers' cards cost. Anything less settled leaves room, and a
    further pass looks for the row.
    """
    lines = as_printed(lines)
    others = [lines[i].text for i in other_cards]
    priced = [find_amounts(text) for text in others]
    # The untaxed base the slip prints (非課税対象 ¥27,800) is what the other
    # issuers' cards cost: a card of ours, untaxed too, would be in it.
    others_cost = sum(a[-1].value for a in priced if a)
    if others_cost and others_cost in _printed_untaxed(lines, other_cards):
        return False
    if choice.value is None or choice.sums == 0:
        return True
    # The other issuers' cards leave less of the total than the cheapest card of ours costs.
    if others_cost and 0 <= choice.value - others_cost < MIN_SHOP_GIFT_YEN:
        return False
    if choice.value < MIN_SHOP_GIFT_YEN:
        if choice.sums >= 2 and _change_given(lines, choice):
            return False  # the cash less a change agrees with another sum: no two rows misread alike
        # ...unless a dearer value is printed above it or in the tax rows: a
        # total whose double-size digits were misread alike on the payment row.
        start = header_end(lines)
        return any(c.value >= MIN_SHOP_GIFT_YEN and c.kind not in ("tender", "change", "other")
                   and not _in_name(c, lines) and (start < c.row < choice.row or _TAX_BASE.search(lines[c.row].text))
                   for c in candidates(lines))
    untaxed = _untaxed(lines, choice.value, choice.row)
    if untaxed is not None:
        if 0 <= untaxed - others_cost < MIN_SHOP_GIFT_YEN:
            return False
        # ...or the untaxed rest is printed on another issuer's card row a mark garbled (¥6,2773% for ¥6,277非).
        if untaxed >= MIN_SHOP_GIFT_YEN and any(str(untaxed) in re.sub(r"\D", "", text) for text in others):
            return False
    whole = {choice.value}
    if any(f.name == "subtotal_plus_tax" and f.value == choice.value for f in choice.facts):
        whole |= {f.value for f in choice.facts if f.name == "subtotal"}  # the items before 外税
    for f in choice.facts:
        if f.name == "items" and f.value in whole:
            rows = {r: find_amounts(lines[r].text) for r in f.rows}
            prices = {r: row_price(amounts).value for r, amounts in rows.items() if amounts}
            if prices and all(p < MIN_SHOP_GIFT_YEN or r in other_cards for r, p in prices.items()):
                return False
    return True


# --- saying why -----------------------------------------------------------------

EVIDENCE_WORDS: dict[str, Message] = {
    "label": Message("合計の表示", "the total's label"),
    "large_print": Message("大きな文字", "large print"),
    "repaired": Message("読み違えた桁を計算で補正", "misread digits corrected by the sums"),
    "cash_minus_change": Message("お預り−お釣", "cash paid less change"),
    "subtotal_plus_tax": Message("小計と値引・消費税", "the subtotal with discounts and tax"),
    "subtotal": Message("小計", "the subtotal"),
    "tax_bases": Message("税率ごとの対象額の合計", "the tax bases added up"),
    "payment": Message("支払いの行", "the payment row"),
    "card_slip": Message("クレジット控え", "the card slip"),
    "cash_covers": Message("お預りの金額", "the cash handed over"),
    "items": Message("商品の金額の合計", "the item prices added up"),
}


def explain(evidence: Sequence[str]) -> Message | None:
    """One line saying what chose the amount, for the results page and the staff review."""
    words = [EVIDENCE_WORDS[e] for e in evidence if e in EVIDENCE_WORDS]
    if not words:
        return None
    return Message(ja="決め手: " + "・".join(w.ja for w in words), en="Chosen by: " + ", ".join(w.en for w in words))
