"""Yen amounts as OCR reads them.

The yen sign comes back as ``¥``, ``\\`` (Tesseract's usual reading), ``Y``,
``羊``, or a lone ``v`` or ``w`` glued to the digits (``v183``), or as ``#``
or ``x`` before a price grouped in thousands (``#1, 672``); thousands
commas come back as periods, or as both (``28,.122``); ``1`` comes back as
``ー`` or ``l`` and ``0`` as ``O``.  A number we cannot read cleanly is
dropped rather than guessed: a wrong total is worse than a missing one,
because the user is asked to fix a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from receipt_assistant.core.text import is_katakana, repair_digits


@dataclass(frozen=True)
class Amount:
    value: int  # signed: discounts and payments by balance are printed negative
    span: tuple[int, int]  # in the text given to find_amounts
    marked: bool  # had a yen sign or 円: surely money, not a count or a code
    repaired: bool  # OCR letters were turned into digits to read it


_AMOUNT = re.compile(
    r"""
    (?P<sign>[-−–▲△ー一]\s?)?
    (?P<pre>(?:[¥\\羊]|(?<![A-Za-z])Y)\s?|(?<![A-Za-z])[VWvwy](?=\d))?
    (?P<num>
        \d{1,3}(?:\s?[,.]{1,2}\s?\d{3})+(?!\d)  # "28,.122": one separator read as two
        # a mark glued to the price read as one more digit and debris: "¥2,4003E" for ¥2,400非
        # (with the mark itself read after the digit, "10,6066非", the digit is the number's garble)
        |(?P<glued>\d{1,3}(?:\s?[,.]{1,2}\s?\d{3})+)(?=\d[^\d\s,.非軽※*])
        # a comma lost to a space, only right after a yen sign: "¥5 000"
        |(?:(?<=[¥\\羊Y])|(?<=[¥\\羊Y]\s))\d{1,3}(?:\s\d{3})+(?![\d,.])
        |\d+
    )
    (?P<post>\s?円)?
    """,
    re.X,
)
# After an unmarked number these say it counts something else.
_NOT_MONEY_AFTER = re.compile(
    r"\s?(?:[%％年月日時分秒点個枚件歳回本:/\-]|[A-Za-z])"
    # a unit glued to the number, even one OCR misread (1点 as 1火); not 非/軽 tax marks
    r"|[\u3040-\u30ff\u4e00-\u9fff](?<![非軽])"
)
_NOT_MONEY_BEFORE = re.compile(
    r"(?:\d\s?[:/\-]|#|[A-Za-z]|[A-Za-z0-9]\.|(?i:no\.?|tel|id|fax)\s?)$"
)
# A yen sign read as ``#`` or a lone ``x`` (``#1, 672``, ``x4,760``): before a
# number grouped in thousands it is no register or count mark but the price's.
_YEN_READ_AS_MARK = re.compile(r"(?:^|[^A-Za-z0-9.#])[#xX]\s?$")
_MAX_MARKED = 100_000_000
_MAX_UNMARKED = 10_000_000


def find_amounts(text: str) -> list[Amount]:
    """Every money-looking number in ``text``, left to right.

    Unmarked numbers are kept only where they could be a price (not a time,
    a date part, a count like ``2点``, a percentage or a phone number).
    """
    repaired = repair_digits(text)
    found: list[Amount] = []
    debris_at = -1  # where the digit a glued mark left starts: not a number of its own
    for m in _AMOUNT.finditer(repaired):
        start = m.start()
        if start == debris_at:
            continue
        sign = m["sign"]
        if sign:
            before = repaired[start - 1] if start else ""
            # A dash after a digit joins a code; after katakana it is a long vowel.
            if before.isdigit() or (sign[0] in "ー一" and is_katakana(before)):
                start = m.start("pre") if m["pre"] else m.start("num")
                sign = None
        end = m.end()
        num = m["num"]
        marked = bool(m["pre"] or m["post"])
        rest = repaired[m.end("num") :]
        glued = m["glued"] is not None
        if glued:
            rest, debris_at = rest[1:], m.end("num")
        # "12.5" or "5,00" — a broken or decimal number, not a yen amount.
        if re.match(r"[,.]{1,2}\d", rest):
            continue
        if len(num) <= 3 and rest[:1] in (",", "."):
            continue  # "¥ 30,": its thousands were lost, it is not ¥30
        if start >= 2 and repaired[start - 1] in ",." and repaired[start - 2].isdigit():
            continue  # the tail of a number already rejected as broken
        if not marked:
            before = repaired[:start]
            grouped = len(num) > 3 and not num.isdigit()
            # No rate is grouped in thousands: "3.000%" is a price whose ※ was read as %.
            not_money = _NOT_MONEY_AFTER.match(rest) and not (grouped and rest.lstrip()[:1] in "%％")
            if not_money or (_NOT_MONEY_BEFORE.search(before)
                                                and not (grouped and _YEN_READ_AS_MARK.search(before))):
                continue
            if len(num) > 1 and num.startswith("0"):
                continue
        value = int(re.sub(r"[,.\s]", "", num))
        if value > (_MAX_MARKED if marked else _MAX_UNMARKED):
            continue
        if sign:
            value = -value
        found.append(
            Amount(value, (start, end), marked, glued or repaired[start:end] != text[start:end])
        )
    return found


# Digits grouped in thousands, whatever garbled 円 or mark follows them (10,000H]).
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:[,.]\d{3})+(?![\d,.])")


def grouped_values(text: str) -> set[int]:
    """Every value ``text`` prints grouped in thousands, however its label and yen mark were garbled.

    Looser than :func:`find_amounts`: for comparing two readings of a
    value, not for taking one.
    """
    return {int(re.sub(r"\D", "", g)) for g in _GROUPED.findall(text)}


def parse_yen(text: str) -> int | None:
    """The yen amount a short text states: its first marked amount, else its first number."""
    amounts = find_amounts(text)
    if not amounts:
        return None
    marked = [a for a in amounts if a.marked]
    return (marked or amounts)[0].value
