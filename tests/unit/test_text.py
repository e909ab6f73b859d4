"""OCR text repairs: digits misread as letters, katakana misread as kanji."""

from __future__ import annotations

import pytest

from receipt_assistant.core.text import canonical_katakana, is_katakana, normalize, repair_digits


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("合 計 ¥ 5,000", "合計¥ 5,000", id="spaces-around-kanji"),
        pytest.param("２０２４年５月１日（水）", "2024年5月1日(水)", id="fullwidth"),
        pytest.param("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ", "アマゾンギフトカード", id="halfwidth-kana"),
        pytest.param("￥ 1,234", "¥ 1,234", id="fullwidth-yen"),
        pytest.param("ＡＭＡＺＯＮ　ＰＯＳＡ", "AMAZON POSA", id="fullwidth-latin"),
        pytest.param("令 和 6 年 5 月 1 日", "令和6年5月1日", id="era-spaced"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("2O24/O5/0l", "2024/05/01", id="O-and-l-in-date"),
        pytest.param("5,00O", "5,000", id="O-after-group"),
        pytest.param("¥5,OOO", "¥5,000", id="O-run-after-comma"),
        pytest.param("lO0", "100", id="run-of-letters"),
        pytest.param("¥ー,000", "¥1,000", id="long-vowel-for-one-after-yen"),
        pytest.param("¥一0,000", "¥10,000", id="kanji-one-after-yen"),
        pytest.param("合計ー0,000", "合計10,000", id="long-vowel-before-group"),
        pytest.param("1ー,000", "11,000", id="long-vowel-inside-number"),
        pytest.param("202ー年", "2021年", id="long-vowel-before-year-mark"),
        pytest.param("1|000", "11000", id="bar-between-digits"),
        pytest.param("|5,000", "|5,000", id="table-border-kept"),
        pytest.param("Amazon", "Amazon", id="word-untouched"),
        pytest.param("令和$年", "令和5年", id="dollar-for-an-era-year-five"),
        pytest.param("US$5.00", "US$5.00", id="dollar-sign-kept"),
        pytest.param("No.1", "No.1", id="No-untouched"),
        pytest.param("Amaz0n POSA", "Amaz0n POSA", id="digit-in-word-untouched"),
        pytest.param("値引ー100", "値引ー100", id="minus-sign-kept"),
        pytest.param("カー,000", "カー,000", id="katakana-long-vowel-kept"),
        pytest.param("ローソン", "ローソン", id="katakana-untouched"),
    ],
)
def test_repair_digits(raw: str, expected: str) -> None:
    assert repair_digits(raw) == expected
    assert len(repair_digits(raw)) == len(raw)


def test_repair_digits_keeps_dash_separators_when_asked() -> None:
    assert repair_digits("24ー05ー01", dashes=False) == "24ー05ー01"
    assert repair_digits("24ー05ー01") == "24105101"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("ギフ卜カード", "ギフトカード", id="kanji-bu-for-to"),
        pytest.param("ギフト力ード", "ギフトカード", id="kanji-chikara-for-ka"),
        pytest.param("カ一ド", "カード", id="kanji-one-for-long-vowel"),
        pytest.param("ギフ卜力一ド", "ギフトカード", id="chain-of-lookalikes"),
        pytest.param("ギフトカ-ド", "ギフトカード", id="hyphen-for-long-vowel"),
        pytest.param("ギフトカ〜ド", "ギフトカード", id="wave-dash"),
        pytest.param("口ーソン", "ローソン", id="kanji-mouth-for-ro"),
        pytest.param("工ディオン", "エディオン", id="kanji-work-for-e"),
        pytest.param("一丁目", "一丁目", id="kanji-away-from-katakana"),
        pytest.param("入口", "入口", id="kanji-word-kept"),
        pytest.param("お預り", "お預り", id="hiragana-word-kept"),
        pytest.param("A-B", "A-B", id="hyphen-between-latin-kept"),
    ],
)
def test_canonical_katakana(raw: str, expected: str) -> None:
    assert canonical_katakana(raw) == expected


def test_is_katakana() -> None:
    assert is_katakana("カ") and is_katakana("ー")
    assert not is_katakana("力") and not is_katakana("・") and not is_katakana("a")


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        pytest.param("アマソンキ`フトカート~", "アマソンギフトカード", id="backtick-and-tilde"),
        pytest.param("AMAZONキ\"フトカ-ト“", "AMAZONギフトカ-ド", id="quotes"),
        pytest.param("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ", "アマゾンギフトカード", id="real-half-width"),
        pytest.param("5,000~", "5,000~", id="tilde-after-a-digit-stays"),
    ],
)
def test_a_loose_voicing_mark_joins_its_katakana(ocr: str, expected: str) -> None:
    assert normalize(ocr) == expected
