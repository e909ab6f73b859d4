"""The checks a customer and a reviewer read."""

from __future__ import annotations

import datetime as dt

import pytest

from receipt_assistant.core.checks import run_checks
from receipt_assistant.core.extract import Extraction, extract
from receipt_assistant.core.model import Box, Check, Field, Fields, Line
from receipt_assistant.core.text import normalize

REF = dt.date(2024, 6, 1)
D = dt.date
MAY_1 = dt.date(2024, 5, 1)


def make(
    *,
    date: dt.date | None = MAY_1,
    amount: int | None = 5000,
    gift: bool = True,
    gift_price: int | None = 5000,
    kind: str = "store",
    label: str = "total",
    order_total: int | None = None,
    quantity: int = 1,
    future: dt.date | None = None,
    payment_text: str = "",
    gift_rows: list[int] | None = None,
) -> Extraction:
    fields = Fields(
        date=Field(value=date, confidence=0.9 if date else 0.0, text="2024年5月1日"),
        amount=Field(value=amount, confidence=0.9 if amount is not None else 0.0, text="合計¥5,000"),
        gift_card=Field(value=gift, confidence=0.9 if gift else 0.0,
                        text="Amazonギフトカード¥5,000" if gift else ""),
    )
    return Extraction(
        kind=kind,  # type: ignore[arg-type]
        kind_confidence=0.9,
        fields=fields,
        gift_price=gift_price,
        receipt_words=10,
        order_total=order_total if order_total is not None else amount,
        amount_label=label,
        gift_quantity=quantity,
        future_date=future,
        gift_payment_text=payment_text,
        gift_rows=gift_rows or [],
    )


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {c.id: c for c in checks}


def test_all_good() -> None:
    checks = run_checks(make(), reference=REF, expect_amount=5000, expect_date=D(2024, 5, 1))
    assert [c.id for c in checks] == [
        "date_found", "amount_found", "gift_card_found", "date_not_future",
        "amount_matches", "date_matches", "gift_price_matches_total",
    ]
    assert all(c.ok for c in checks)
    c = by_id(checks)
    assert "2024年5月1日" in c["date_found"].message.ja and "2024-05-01" in c["date_found"].message.en
    assert "5,000円" in c["amount_found"].message.ja and "¥5,000" in c["amount_found"].message.en
    assert "Amazonギフトカード¥5,000" in c["gift_card_found"].message.ja


def test_optional_checks_only_when_asked() -> None:
    ids = [c.id for c in run_checks(make(gift_price=None), reference=REF)]
    assert ids == ["date_found", "amount_found", "gift_card_found", "date_not_future"]


@pytest.mark.parametrize(
    ("ex", "failing"),
    [
        pytest.param(make(date=None), {"date_found", "date_not_future"}, id="no-date"),
        pytest.param(make(amount=None), {"amount_found"}, id="no-amount"),
        pytest.param(make(gift=False, gift_price=None), {"gift_card_found"}, id="no-gift"),
        pytest.param(make(date=D(2024, 7, 1)), {"date_not_future"}, id="future-date-kept"),
        pytest.param(make(date=None, future=D(2025, 1, 1)), {"date_found", "date_not_future"},
                     id="future-date-rejected"),
        pytest.param(make(gift_price=3000), {"gift_price_matches_total"}, id="price-differs"),
    ],
)
def test_failures(ex: Extraction, failing: set[str]) -> None:
    checks = run_checks(ex, reference=REF)
    assert {c.id for c in checks if not c.ok} == failing
    for c in checks:
        assert c.message.ja and c.message.en


def test_future_date_message_names_the_date() -> None:
    c = by_id(run_checks(make(date=None, future=D(2025, 1, 1)), reference=REF))
    assert "2025年1月1日" in c["date_found"].message.ja
    assert "2025-01-01" in c["date_not_future"].message.en


def test_payment_only_gift_card_is_explained() -> None:
    ex = make(gift=False, gift_price=None, payment_text="お支払い方法: Amazonギフトカード")
    c = by_id(run_checks(ex, reference=REF))["gift_card_found"]
    assert not c.ok and "支払" in c.message.ja and "paying" in c.message.en


@pytest.mark.parametrize(
    ("amount", "expected", "ok"),
    [
        pytest.param(5000, 5000, True, id="same"),
        pytest.param(5000, 3000, False, id="different"),
        pytest.param(None, 5000, False, id="not-read"),
    ],
)
def test_amount_matches(amount: int | None, expected: int, ok: bool) -> None:
    c = by_id(run_checks(make(amount=amount), reference=REF, expect_amount=expected))
    assert c["amount_matches"].ok is ok
    assert f"{expected:,}円" in c["amount_matches"].message.ja


def test_amount_matches_the_order_total_when_points_paid_part() -> None:
    ex = make(kind="amazon", amount=4500, label="billed", order_total=5000)
    c = by_id(run_checks(ex, reference=REF, expect_amount=5000))["amount_matches"]
    assert c.ok and "4,500円" in c.message.ja and "5,000円" in c.message.ja


@pytest.mark.parametrize(
    ("read", "expected", "tolerance", "ok"),
    [
        pytest.param(D(2024, 5, 1), D(2024, 5, 1), 0, True, id="same-day"),
        pytest.param(D(2024, 5, 1), D(2024, 5, 2), 0, False, id="a-day-off-strict"),
        pytest.param(D(2024, 5, 1), D(2024, 5, 2), 1, True, id="a-day-off-tolerated"),
        pytest.param(D(2024, 5, 1), D(2024, 4, 28), 2, False, id="three-days-off"),
        pytest.param(None, D(2024, 5, 1), 3, False, id="not-read"),
    ],
)
def test_date_matches(read: dt.date | None, expected: dt.date, tolerance: int, ok: bool) -> None:
    checks = run_checks(make(date=read), reference=REF, expect_date=expected, date_tolerance=tolerance)
    assert by_id(checks)["date_matches"].ok is ok


def test_date_mismatch_says_by_how_much() -> None:
    c = by_id(run_checks(make(), reference=REF, expect_date=D(2024, 5, 4)))["date_matches"]
    assert "3日" in c.message.ja and "3 days" in c.message.en


@pytest.mark.parametrize(
    ("kw", "ok"),
    [
        pytest.param({"gift_price": 5000, "amount": 5000}, True, id="equal"),
        pytest.param({"gift_price": 5000, "amount": 4000, "label": "billed", "order_total": 5000},
                     True, id="points-lowered-the-charge"),
        pytest.param({"gift_price": 5000, "amount": 10000, "quantity": 2}, True, id="two-cards"),
        pytest.param({"gift_price": 5000, "amount": 8000, "gift_rows": [5000, 3000]}, True,
                     id="several-gift-rows"),
        pytest.param({"gift_price": 5000, "amount": 6200}, False, id="other-items"),
        pytest.param({"gift_price": 5000, "amount": 4000, "label": "billed", "order_total": 6000},
                     False, id="other-items-and-points"),
    ],
)
def test_gift_price_matches_total(kw: dict[str, object], ok: bool) -> None:
    c = by_id(run_checks(make(**kw), reference=REF))  # type: ignore[arg-type]
    assert c["gift_price_matches_total"].ok is ok


def test_points_explained_in_price_check() -> None:
    ex = make(kind="amazon", amount=4000, label="billed", order_total=5000)
    c = by_id(run_checks(ex, reference=REF))
    assert "ポイント" in c["gift_price_matches_total"].message.ja
    assert "4,000円" in c["amount_found"].message.ja and "5,000円" in c["amount_found"].message.ja


def test_amazon_missing_date_points_at_the_order_date() -> None:
    c = by_id(run_checks(make(kind="amazon", date=None), reference=REF))["date_found"]
    assert "注文日" in c.message.ja


def test_end_to_end_from_lines() -> None:
    rows = [
        "ローソン 新宿三丁目店", "2024年5月1日(水) 14:23 レジ1",
        "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000", "合計 ¥5,000", "お預り ¥10,000", "お釣り ¥5,000",
    ]
    lines = [Line(normalize(r), r, Box(0, 30 * i, 300, 25), 0.9, 0, i) for i, r in enumerate(rows)]
    ex = extract(lines, reference=REF)
    checks = run_checks(ex, reference=REF, expect_amount=5000, expect_date=D(2024, 5, 1))
    assert all(c.ok for c in checks), [c.message.en for c in checks if not c.ok]
