"""The purchase date among every date a slip prints, on OCR text in real slips' patterns."""

from __future__ import annotations

import datetime as dt

import pytest

from receipt_assistant.core.fields.date import find_date
from receipt_assistant.core.model import Box, Line
from receipt_assistant.core.text import normalize

REF = dt.date(2026, 11, 1)


def slip(text: str) -> list[Line]:
    rows = text.strip("\n").splitlines()
    return [Line(text=normalize(r), raw=r, box=Box(20, 40 * k, 600, 30), conf=0.9, page=0, index=k)
            for k, r in enumerate(rows)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ローソン 中野店\n2025年04月20日(日) 12:48 レジ1\n合計 ¥450\nポイント期限 2026/02/10",
                     dt.date(2025, 4, 20), id="point-expiry-is-not-the-purchase"),
        pytest.param("セブン-イレブン\n2026年 9月27日 (日) 21:53\n合計 5,528円\nポイント有効期限 2026年10月14日\n"
                     "ご利用日 26/09/27", dt.date(2026, 9, 27), id="expiry-and-card-slip-repeat"),
        pytest.param("Seria 南瓦町店\n24-07-20 12:59\n小計 ¥1,200", dt.date(2024, 7, 20), id="two-digit-year"),
        pytest.param("ドラッグ 青葉台店\n2025% 048208 (RH)\n合計 ¥647\nご利用日 2025/04/20\n会員番号 ****4411",
                     dt.date(2025, 4, 20), id="garbled-top-date-card-slip-repeat"),
        pytest.param("スーパー 東町店\n開店 2023/12/01\n2024/01/25(木) 07:40\n合計 ¥352\nお預り ¥400\nお釣 ¥48",
                     dt.date(2024, 1, 25), id="the-date-with-the-time-of-sale"),
        pytest.param("ミニストップ\n2025年6月1日 19:20\nお届け予定日 2025年6月3日", dt.date(2025, 6, 1),
                     id="delivery-date-is-not-the-purchase"),
        pytest.param("イトーヨーカドー\n25-03-07 07:14\nレジ4\n合計 ¥5,000\n宿イント覆曜2026/08/15",
                     dt.date(2025, 3, 7), id="the-sale-with-its-time-over-a-full-year-with-a-garbled-label"),
        pytest.param("ファミリーマート\nJuma 48168 (火) 18:39\n合計 ¥10,783\nネイント朔限2024/10/16", None,
                     id="an-expiry-whose-label-is-garbled-is-no-purchase-date"),
        pytest.param("amazon.co.jp\n印刷可能な注文概要\n: 5年9月26日注文番号: 249-5516188-8513455\n"
                     "` 2025年9月27日に発返ー一", None, id="a-shipment-date-whose-label-is-garbled-is-no-order-date"),
    ],
)
def test_purchase_date(text: str, expected: dt.date | None) -> None:
    field = find_date(slip(text), "store", REF).field
    assert field.value == expected


def test_a_future_date_is_not_taken_but_reported() -> None:
    field, future, _refused = find_date(slip("店\n2027年1月5日 10:00\n合計 ¥100"), "store", REF)
    assert field.value is None and future == dt.date(2027, 1, 5)


def test_a_date_older_than_a_card_stays_valid_loses_to_a_plausible_one() -> None:
    """A card bought over ten years ago has expired: 2004 on a slip is a misread 2024 when another date is read."""
    lines = slip("ツルハドラッグ\n2004/10/04 13:30\n合計 ¥10,000\nご利用日 2024/10/04")
    assert find_date(lines, "store", REF)[0].value == dt.date(2024, 10, 4)
    alone = find_date(slip("ツルハドラッグ\n2004/10/04 13:30\n合計 ¥10,000"), "store", REF)[0]
    assert alone.value == dt.date(2004, 10, 4) and alone.confidence < 0.6  # kept, but shown as doubtful
