"""What the shop will see: the sentences a customer reads before sending a bundle.

Each case asserts what the customer would notice: which value is flagged, the
value in the sentence, and which page the wizard sends them back to.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import D, make

from receipt_assistant.core import summary
from receipt_assistant.core.bundle import Correction, Declared, Override
from receipt_assistant.core.model import Box, Field, Fields
from receipt_assistant.core.submission import (
    DOUBT_BELOW,
    NO_GIFT_LINE_CONSEQUENCE,
    NO_GIFT_LINE_QUESTION,
    FieldState,
    field_state,
    summary_lines,
)

AT = "2026-11-28T10:00:00+09:00"
DAY = D(2026, 11, 20)
DECLARED = Declared("store", 5000, DAY).to_json()


def fields(*, date: Any = DAY, date_conf: float = 0.9, amount: Any = 5000, amount_conf: float = 0.9,
           gift: bool = True, gift_conf: float = 0.95) -> dict[str, Any]:
    return Fields(
        date=Field(date, date_conf if date else 0.0, "2026年11月20日" if date else "", Box(1, 2, 3, 4) if date else None),
        amount=Field(amount, amount_conf if amount else 0.0, "合計 ¥5,000" if amount else ""),
        gift_card=Field(gift, gift_conf if gift else 0.0, "ＡＭＡＺＯＮ ＰＯＳＡ" if gift else ""),
    ).to_json()


def corr(name: str, read: Any, given: Any) -> dict[str, Any]:
    return Correction(name, read, given, AT).to_json()


def by_id(lines: list[Any]) -> dict[str, Any]:
    return {ln.id: ln for ln in lines}


# (case, fields, corrections, declared, overrides, id, state, fix, words in the Japanese and English sentences)
CASES = [
    ("typed amount", fields(amount=None), [corr("amount", None, 5000)], DECLARED, [],
     "amount_corrected", "typed", None, ("5,000", "入力"), ("¥5,000", "typed")),
    ("corrected amount", fields(amount=3000), [corr("amount", 3000, 5000)], DECLARED, [],
     "amount_corrected", "typed", None, ("3,000", "5,000", "直しました"), ("¥3,000", "¥5,000")),
    ("corrected date", fields(), [corr("date", "2026-11-20", "2026-11-19")], Declared("store", 5000, D(2026, 11, 19)).to_json(), [],
     "date_corrected", "typed", None, ("2026年11月20日", "2026年11月19日"), ("2026-11-20", "2026-11-19")),
    ("no gift line", fields(gift=False), [], DECLARED, [],
     "gift_card_missing", "missing", "images", ("ギフトカード", "見つかりません"), ("gift-card line", "not found")),
    ("doubtful gift line", fields(gift_conf=0.4), [], DECLARED, [],
     "gift_card_doubt", "check", "images", ("「Amazonギフトカード」",), ("not be read clearly",)),
    ("doubtful amount", fields(amount_conf=0.5), [], DECLARED, [],
     "amount_doubt", "check", "results", ("5,000", "見比べて"), ("¥5,000", "compare")),
    ("doubtful date", fields(date_conf=0.5), [], DECLARED, [],
     "date_doubt", "check", "results", ("2026年11月20日",), ("2026-11-20",)),
    ("amount missing", fields(amount=None), [], DECLARED, [],
     "amount_missing", "missing", "results", ("金額", "読み取れず"), ("amount", "not been typed")),
    ("declared amount differs", fields(), [], Declared("store", 5500, D(2026, 11, 20)).to_json(), [],
     "amount_differs", "check", "details", ("5,500", "5,000"), ("¥5,500", "¥5,000")),
    ("declared amount differs from the corrected one", fields(amount=3000), [corr("amount", 3000, 4000)], DECLARED, [],
     "amount_differs", "check", "details", ("5,000", "4,000", "お客様が直した"), ("¥4,000", "corrected")),
    ("declared date differs", fields(), [], Declared("store", 5000, D(2026, 11, 18)).to_json(), [],
     "date_differs", "check", "details", ("2026年11月18日", "2026年11月20日"), ("2026-11-18", "2026-11-20")),
    ("retake skipped", fields(), [], DECLARED, [Override("blurred", AT, "photo.jpg").to_json()],
     "retake_skipped", "check", "images", ("photo.jpg", "ぼやけ"), ("photo.jpg", "blurred")),
]


@pytest.mark.parametrize(("case", "flds", "corrections", "declared", "overrides", "id_", "state", "fix", "ja", "en"),
                         CASES, ids=[c[0] for c in CASES])
def test_each_situation_gives_the_sentence_the_customer_reads(
    case: str, flds: dict[str, Any], corrections: list[dict[str, Any]], declared: dict[str, Any],
    overrides: list[dict[str, Any]], id_: str, state: str, fix: str | None, ja: tuple[str, ...], en: tuple[str, ...],
) -> None:
    line = by_id(summary_lines(flds, corrections, declared, overrides))[id_]
    assert (line.state, line.fix) == (state, fix)
    for word in ja:
        assert word in line.message.ja
    for word in en:
        assert word in line.message.en


def test_a_perfect_reading_gives_only_ok_lines_in_order() -> None:
    lines = summary_lines(fields(), [], DECLARED, [])
    assert [ln.id for ln in lines] == ["date_read", "amount_read", "gift_card_read"]
    assert {ln.state for ln in lines} == {"ok"} and all(ln.fix is None for ln in lines)
    assert "5,000円" in lines[1].message.ja and "¥5,000" in lines[1].message.en
    assert "2026年11月20日" in lines[0].message.ja and "2026-11-20" in lines[0].message.en


def test_differences_come_after_the_fields_and_the_retake_last() -> None:
    lines = summary_lines(fields(gift=False), [], Declared("store", 5500, D(2026, 11, 18)).to_json(),
                          [Override("glare", AT, "a.jpg").to_json()])
    assert [ln.id for ln in lines] == ["date_read", "amount_read", "gift_card_missing",
                                       "amount_differs", "date_differs", "retake_skipped"]


def test_before_the_details_page_nothing_is_compared() -> None:
    lines = summary_lines(fields(), [], None, [])
    assert not any(ln.id.endswith("_differs") for ln in lines)


def test_a_missing_value_is_not_called_different_from_the_declared_one() -> None:
    ids = [ln.id for ln in summary_lines(fields(amount=None), [], DECLARED, [])]
    assert "amount_missing" in ids and "amount_differs" not in ids


def test_nothing_read_says_so_first_and_does_not_blame_the_gift_line() -> None:
    flds = Fields().to_json()
    lines = summary_lines(flds, [corr("amount", None, 5000), corr("date", None, "2026-11-20")], DECLARED, [],
                          unread=True)
    assert [ln.id for ln in lines] == ["unread", "date_corrected", "amount_corrected"]
    assert lines[0].state == "check" and "担当者" in lines[0].message.ja


@pytest.mark.parametrize(("name", "field", "correction", "expected"), [
    ("amount", Field(None).to_json(), corr("amount", None, 5000), FieldState("corrected", 5000, None)),
    ("amount", Field(3000, 0.9).to_json(), corr("amount", 3000, 5000), FieldState("corrected", 5000, 3000)),
    ("amount", Field(5000, 0.5).to_json(), None, FieldState("doubt", 5000, 5000)),
    ("amount", Field(5000, DOUBT_BELOW).to_json(), None, FieldState("read", 5000, 5000)),
    ("amount", Field(None).to_json(), None, FieldState("missing", None, None)),
    ("amount", Field(5000, 0.9).to_json(), corr("amount", 5000, 5000), FieldState("read", 5000, 5000)),
    ("date", Field(D(2026, 11, 20), 0.9).to_json(), corr("date", "2026-11-20", "2026-11-19"),
     FieldState("corrected", "2026-11-19", "2026-11-20")),
    ("gift_card", Field(True, 0.95).to_json(), None, FieldState("read", True, True)),
    ("gift_card", Field(True, 0.3).to_json(), None, FieldState("doubt", True, True)),
    ("gift_card", Field(False).to_json(), corr("gift_card", False, True), FieldState("missing", False, False)),
])
def test_field_state(name: str, field: dict[str, Any], correction: dict[str, Any] | None,
                     expected: FieldState) -> None:
    assert field_state(name, field, correction) == expected


def test_the_no_gift_line_texts_promise_nothing_the_shop_does_not_do() -> None:
    assert NO_GIFT_LINE_QUESTION.ja.endswith("？") and NO_GIFT_LINE_QUESTION.en.endswith("?")
    assert "担当者が画像を見て確認" in NO_GIFT_LINE_CONSEQUENCE.ja
    assert "戻る" in NO_GIFT_LINE_CONSEQUENCE.ja and "go back" in NO_GIFT_LINE_CONSEQUENCE.en


def test_the_bundle_summary_opens_with_what_the_shop_will_see(tmp_path: Path) -> None:
    _, result = make(tmp_path, declared=Declared("store", 5500, D(2026, 11, 20)),
                     corrections=[Correction("date", "2026-11-20", "2026-11-19", AT)],
                     overrides=[Override("blurred", AT, "<b>photo</b>.jpg")])
    with zipfile.ZipFile(result.path) as zf:
        html = zf.read("summary.html").decode("utf-8")
        manifest = json.loads(zf.read("manifest.json"))
    assert html.index("ショップにお伝えすること") < html.index("お客様の申告")
    for ln in summary_lines(manifest["reading"]["fields"], manifest["corrections"], manifest["declared"],
                            manifest["overrides"]):
        assert summary.escape(ln.message.ja) in html and summary.escape(ln.message.en) in html
    assert "金額 5,000円 は画像から読み取りました。" in html
    assert "申告した金額 5,500円" in html  # amount_differs
    assert "お客様が 2026年11月19日 に直しました" in html
    assert "<b>photo</b>" not in html and "&lt;b&gt;photo&lt;/b&gt;.jpg" in html


@pytest.mark.parametrize(("name", "value", "text", "shown"), [
    ("gift_card", True, "ギフムカード(メールタイプジ-あくがとう(交勇) \\ 40.000", "Amazonギフトカード ¥40,000"),
    ("gift_card", True, "ＡＭＡＺＯＮ ＰＯＳＡ", "Amazonギフトカード"),
    ("gift_card", False, "ＡＭＡＺＯＮ ＰＯＳＡ", ""),
    ("amount", 34796, "合計 ¥34, 796", "¥34,796"),
    ("date", "2023-12-02", "令和5年12月2日 21:14", "2023-12-02"),
])
def test_a_value_is_quoted_as_a_person_reads_it_not_as_ocr_spelled_it(name: str, value: Any, text: str,
                                                                        shown: str) -> None:
    from receipt_assistant.core.submission import plain_quote

    assert plain_quote(name, {"value": value, "text": text}) == shown
