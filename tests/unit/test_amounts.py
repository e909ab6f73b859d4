"""Yen amounts: the sign OCR makes of ¥, commas read as periods, letters for digits."""

from __future__ import annotations

import pytest

from receipt_assistant.core.amounts import find_amounts, parse_yen
from receipt_assistant.core.text import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("合計 ¥5,000", 5000, id="yen-sign"),
        pytest.param("合計 ￥5,000", 5000, id="fullwidth-yen"),
        pytest.param("合計 \\5,000", 5000, id="backslash-for-yen"),
        pytest.param("合計 Y5.000", 5000, id="Y-and-period"),
        pytest.param("合 計 ¥ 5,000", 5000, id="spaced"),
        pytest.param("¥ 1,234", 1234, id="yen-space"),
        pytest.param("￥ 10,000", 10000, id="amazon-style"),
        pytest.param("5,000円", 5000, id="en-suffix"),
        pytest.param("5000円", 5000, id="en-no-comma"),
        pytest.param("5,000 円", 5000, id="en-spaced"),
        pytest.param("¥1,000,000", 1000000, id="two-groups"),
        pytest.param("¥1.000.000", 1000000, id="two-period-groups"),
        pytest.param("¥ 10, 000", 10000, id="space-after-comma"),
        pytest.param("合計 5000", 5000, id="unmarked"),
        pytest.param("合計 5,000", 5000, id="unmarked-comma"),
        pytest.param("¥5,000-", 5000, id="trailing-dash"),
        pytest.param("¥5,000 非", 5000, id="tax-free-mark"),
        pytest.param("¥ー,000", 1000, id="long-vowel-for-one"),
        pytest.param("¥一0,000", 10000, id="kanji-one-for-one"),
        pytest.param("¥5,00O", 5000, id="O-for-zero"),
        pytest.param("¥5,OOO", 5000, id="O-run"),
        pytest.param("¥l,500", 1500, id="l-for-one"),
        pytest.param("¥I0,000", 10000, id="I-for-one"),
        pytest.param("合計 2点 ¥5,000", 5000, id="count-skipped"),
        pytest.param("1点 Amazonギフト券 ¥ 5,000", 5000, id="marked-wins"),
        pytest.param("-¥ 100", -100, id="negative"),
        pytest.param("−¥500", -500, id="minus-sign"),
        pytest.param("▲100", -100, id="triangle-discount"),
        pytest.param("値引 -100", -100, id="discount"),
        pytest.param("Amazonギフト券・Amazonショッピングカードの金額: -¥ 1,000", -1000, id="amazon-balance-row"),
        pytest.param("(10%対象 ¥1,000)", 1000, id="tax-base-is-still-an-amount"),
        pytest.param("¥5 000", 5000, id="comma-lost-to-space"),
        pytest.param("合計: 5,000", 5000, id="colon-before-unmarked"),
        pytest.param("合計 ..... 5,000", 5000, id="dot-leaders"),
        pytest.param("Total 5000", 5000, id="english-label"),
        pytest.param("¥5,000非", 5000, id="tax-free-mark-glued"),
        pytest.param("(8X対象v183)", 183, id="v-for-yen"),
        pytest.param("QUICPay w3,183", 3183, id="w-for-yen"),
        pytest.param("ご請求額: \\ 28,.122", 28122, id="separator-read-twice"),
        pytest.param("アマソン八`リアフルカード ¥ 2,4003E", 2400, id="glued-mark-read-as-digit-and-letter"),
        pytest.param("チケット¥6,2773%", 6277, id="glued-mark-read-as-digit-and-percent"),
        pytest.param("合計#1, 672", 1672, id="hash-for-yen-before-a-thousands-group"),
        pytest.param("ギカ券 3.000%", 3000, id="price-mark-read-as-percent-after-a-thousands-group"),
        pytest.param("nanaco x8,303", 8303, id="x-for-yen-before-a-thousands-group"),
    ],
)
def test_parse_yen(text: str, expected: int) -> None:
    assert parse_yen(normalize(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("14:23", id="time"),
        pytest.param("2024/05/01", id="date"),
        pytest.param("TEL 03-1234-5678", id="phone"),
        pytest.param("249-1234567-1234567", id="order-number"),
        pytest.param("4901234567890", id="jan-code"),
        pytest.param("No.1234", id="receipt-number"),
        pytest.param("レジ#1234", id="register-number-after-a-hash"),
        pytest.param("No.#1,234", id="grouped-number-after-no-and-hash"),
        pytest.param("3X1,200", id="count-times-a-grouped-number"),
        pytest.param("T#1,234", id="hash-inside-a-code"),
        pytest.param("10%", id="percent"),
        pytest.param("12.5%", id="decimal-percent"),
        pytest.param("2点", id="count"),
        pytest.param("3枚", id="sheets"),
        pytest.param("¥5,00", id="dropped-digit"),
        pytest.param("¥1,2345", id="four-digit-group"),
        pytest.param("¥10,6066非", id="four-digit-group-before-its-mark"),
        pytest.param("¥5.00", id="decimal"),
        pytest.param("注文合計: Y 30,", id="thousands-lost"),
        pytest.param("Amazon", id="word"),
        pytest.param("小計1火", id="count-with-misread-unit"),
        pytest.param("TEL 0312345678", id="phone-no-dashes"),
        pytest.param("JOY5", id="Y-inside-word"),
        pytest.param("POS04", id="letters-and-digits"),
        pytest.param("登録番号T5236175863098", id="registration-number"),
        pytest.param("", id="empty"),
    ],
)
def test_not_an_amount(text: str) -> None:
    assert parse_yen(normalize(text)) is None


def test_find_amounts_reports_marks_and_spans() -> None:
    text = normalize("合計 2点 ¥5,000 (内税 ¥454)")
    found = find_amounts(text)
    assert [a.value for a in found] == [5000, 454]
    assert all(a.marked for a in found)
    start, end = found[0].span
    assert text[start:end] == "¥5,000"


def test_find_amounts_flags_repairs() -> None:
    (clean,) = find_amounts("¥5,000")
    (fixed,) = find_amounts("¥5,00O")
    assert not clean.repaired and fixed.repaired and fixed.value == 5000


def test_glued_mark_leaves_no_number_of_its_own() -> None:
    # ¥2,400非 then ¥300, the 非 read as "3E": the 3 is the mark, not a price of ¥3.
    found = find_amounts("¥2,4003E ¥300")
    assert [(a.value, a.repaired) for a in found] == [(2400, True), (300, False)]


def test_long_vowel_after_katakana_is_not_a_minus() -> None:
    (a,) = find_amounts("カー 500")
    assert a.value == 500


def test_unmarked_number_is_flagged_unmarked() -> None:
    (a,) = find_amounts("合計 5000")
    assert a.value == 5000 and not a.marked
