"""Whole-receipt extraction on hand-written OCR lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from receipt_assistant.core.extract import (
    Extraction,
    detect_kind,
    extract,
    find_order_numbers,
    gift_over_passes,
    is_amount_only,
    span_box,
)
from receipt_assistant.core.model import Box, Line, Word
from receipt_assistant.core.text import normalize

REF = dt.date(2024, 6, 1)
D = dt.date


def lines_of(text: str, *, conf: float = 0.95, page: int = 0, start: int = 0) -> list[Line]:
    """One Line per text row, stacked down the page like an OCR result."""
    rows = [r for r in text.strip("\n").splitlines()]
    return [
        Line(text=normalize(r), raw=r, box=Box(20, 40 * k, 600, 30), conf=conf, page=page,
             index=start + k)
        for k, r in enumerate(rows)
    ]


def run(text: str, reference: dt.date = REF, **kw: object) -> Extraction:
    return extract(lines_of(text), reference=reference, **kw)  # type: ignore[arg-type]


AMAZON_OLD = """
Amazon.co.jp
領収書/購入明細書
注文番号: 249-1234567-7654321
注文日: 2024年5月1日
注文合計: ￥ 5,000
2024年5月2日に発送済み
注文商品 価格
1 点 Amazonギフトカード(Eメールタイプ) - Amazonベーシック ￥ 5,000
販売: Amazon Japan G.K.
支払い情報
お支払い方法: Visa ****1234
商品の小計: ￥ 5,000
配送料・手数料: ￥ 0
注文合計: ￥ 5,000
ご請求額: ￥ 5,000
"""

AMAZON_POINTS = """
Amazon.co.jp
領収書
注文日: 2024年4月20日
注文番号: 503-1111111-2222222
注文合計: ￥ 10,000
2024年4月20日に発送済み
1 点 Amazonギフト券(Eメールタイプ) - Amazonベーシック ￥ 10,000
商品の小計: ￥ 10,000
配送料・手数料: ￥ 0
Amazonポイント: -￥ 1,500
Amazonギフト券・Amazonショッピングカードの金額: -￥ 500
注文合計: ￥ 10,000
ご請求額: ￥ 8,000
"""

AMAZON_2025 = """
amazon.co.jp
注文の詳細
注文日 2025年3月1日 注文番号 250-1234567-1234567
注文内容
Amazonギフトカード(Eメールタイプ) - Amazonベーシック
¥3,000
販売: Amazon Japan G.K.
お支払い方法
Visa ****1234
注文の概要
商品の小計: ¥3,000
配送料・手数料: ¥0
注文合計: ¥3,000
ご請求額: ¥3,000
"""

AMAZON_COLUMNS = """
Amazon.co.jp 購入明細書
注文日:
2024/05/01
注文番号: D01-1234567-1234567
Amazonギフトカード(Eメールタイプ) ￥ 2,000
商品の小計:
配送料・手数料:
注文合計:
ご請求額:
￥ 2,000
￥ 0
￥ 2,000
￥ 2,000
"""

AMAZON_GARBLED = """
Arnazon.co.jp
領 収 書
注 文 番 号 : 249ー l234567 ー 765432l
注 文 日 : 2O24 年 5 月 l 日
2024 年 5 月 3 日 に 発 送 済 み
1 点 Arnazon ギ フ 卜 力 一 ド ( E メ ー ル タ イ プ ) \\ 5,OOO
商 品 の 小 計 : \\ 5,OOO
注 文 合 計 : \\ 5,OOO
ご 請 求 額 : Y5.000
"""

AMAZON_PAID_WITH_CARD = """
Amazon.co.jp
領収書
注文日: 2024年5月1日
注文番号: 249-7777777-8888888
1 点 ワイヤレスイヤホン ￥ 3,980
お支払い方法: Amazonギフトカード
商品の小計: ￥ 3,980
Amazonギフト券・Amazonショッピングカードの金額: -￥ 3,980
注文合計: ￥ 3,980
ご請求額: ￥ 0
"""

SLIP_7 = """
セブン-イレブン
新宿三丁目店
東京都新宿区新宿3-1-1
電話:03-1234-5678
2024年5月1日(水) 14:23 レジ#2
領 収 書
ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000 非
小 計 ¥5,000
合 計 ¥5,000
(非課税対象 ¥5,000)
お預り ¥10,000
お釣り ¥5,000
"""

SLIP_FAMIMA = """
ﾌｧﾐﾘｰﾏｰﾄ 渋谷道玄坂店
TEL 03-9999-0000
24-05-01 09:05
ＡＭＡＺＯＮ ＰＯＳＡ ¥3,000
ｵｶｼ ¥150
(8%対象 ¥150)
お買上計 ¥3,150
(内消費税等 ¥11)
現金 ¥5,000
お釣 ¥1,850
"""

SLIP_LAWSON = """
LAWSON
ローソン 中野駅前店
令和6年5月10日(金) 18:02
Amazonギフトカード バリアブル ¥12,000
合計点数 1点
合計 ¥12,000
お預り ¥12,000
お釣り ¥0
"""

SLIP_TENDER = """
ローソン 中野駅前店
2024/05/10 18:02
おにぎり ¥150
お茶 ¥130
合計 ¥280
Amazonギフトカード ¥280
お釣り ¥0
"""

SLIP_JCB = """
ウエルシア 杉並店
2024/05/12 10:00
シャンプー ¥880
合計 ¥880
JCBｷﾞﾌﾄｶｰﾄﾞ 1枚 ¥1,000
お釣り ¥120
"""


def test_amazon_old_receipt() -> None:
    ex = run(AMAZON_OLD)
    f = ex.fields
    assert ex.kind == "amazon" and ex.kind_confidence > 0.8
    assert f.date.value == D(2024, 5, 1) and f.date.text == "注文日: 2024年5月1日"
    assert f.amount.value == 5000 and ex.amount_label == "billed"
    assert f.gift_card.value is True and "Amazonギフトカード" in f.gift_card.text
    assert ex.gift_price == 5000
    assert f.order_number.value == "249-1234567-7654321"
    assert f.store.value == "Amazon.co.jp"
    assert ex.receipt_words >= 8
    for field in (f.date, f.amount, f.gift_card, f.order_number):
        assert 0.5 < field.confidence <= 1.0 and field.box is not None


def test_amazon_points_take_the_charged_amount_and_keep_the_order_total() -> None:
    ex = run(AMAZON_POINTS)
    assert ex.fields.amount.value == 8000 and ex.amount_label == "billed"
    assert ex.order_total == 10000
    assert ex.gift_price == 10000
    assert ex.fields.gift_card.value is True
    assert "Eメールタイプ" in ex.fields.gift_card.text
    assert ex.fields.date.value == D(2024, 4, 20)


AMAZON_SUMMARY = """
Amazon.co.jp
注文日: 2025年4月15日 注文番号: 503-0928265-5033764
2点 サーモス真空断熱ケータイマグ ¥ 8,438
山崎蓮 JCB |末尾: 0269 商品の小計: ¥ 8,438
〒154-6114 配送料・手数料: ¥ 460
東京都世田谷区三軒茶屋3-5-18 注文合計: ¥ 8,898
{taken_off}ご請求額: ¥ {billed}
"""


@pytest.mark.parametrize(
    ("taken_off", "billed", "expected"),
    [
        pytest.param("", "8,808", 8898, id="billed-misread-summary-adds-up"),
        pytest.param("", "8,898", 8898, id="billed-read-right"),
        pytest.param("Amazonポイント: -¥ 1,000\n", "7,898", 7898, id="points-taken-off"),
        pytest.param("", "7,898", 7898, id="not-a-look-alike"),
    ],
)
def test_amazon_billed_misread_gives_way_to_the_summary_sum(taken_off: str, billed: str, expected: int) -> None:
    ex = run(AMAZON_SUMMARY.format(taken_off=taken_off, billed=billed), reference=D(2025, 5, 1))
    assert ex.fields.amount.value == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param("請求先住所 ¥ 8,898\nAmazonポイント: -¥1\n", 8897, id="points-below-a-garbled-summary-row"),
        pytest.param("Amazonポイント: -¥ 1,000\nAmazonギフト券の金額: -¥ 898\n", 7000, id="points-and-balance"),
        pytest.param("", 8898, id="nothing-taken-off"),
    ],
)
def test_amazon_billed_row_unread_is_the_order_total_less_what_was_taken_off(rows: str, expected: int) -> None:
    text = AMAZON_SUMMARY.format(taken_off=rows, billed="").replace("ご請求額: ¥ \n", "")
    ex = run(text, reference=D(2025, 5, 1))
    assert ex.fields.amount.value == expected
    assert ex.order_total == 8898


# An Amazon page photographed off a monitor: the moiré garbled the first
# kanji of its labels, ran the order date's 年月日 into digits and ate the
# end of the order total.
AMAZON_MONITOR = """
領収書
amazoncojp
退文日202484478
流文の合計: \\ {total}%
注文商品2024年4月10日に発送済み
1点Amazonギフトカード Eメールタイプ
配送先住所
omo口品の小計: Y 55980
配送料・手数料 \\ 0
クレジットカード 2024年4月10日 ¥ 55,980
"""


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        pytest.param("559", 55980, id="last-two-digits-lost"),
        pytest.param("5598", 55980, id="last-digit-lost"),
        pytest.param("55,980", 55980, id="read-whole"),
        pytest.param("55,000", 55000, id="not-the-beginning-of-the-sum"),
    ],
)
def test_amazon_total_that_lost_its_end_is_the_summary_sum(total: str, expected: int) -> None:
    ex = run(AMAZON_MONITOR.format(total=total), reference=D(2026, 11, 1))
    assert ex.kind == "amazon"
    assert ex.fields.date.value == D(2024, 4, 7)
    assert ex.fields.amount.value == expected


def test_amazon_billed_after_balance_is_no_lost_end() -> None:
    ex = run(AMAZON_MONITOR.format(total="55,980") + "Amazonギフト券の金額: -¥ 50,980\nご請求額: ¥ 5,000\n",
             reference=D(2026, 11, 1))
    assert ex.fields.amount.value == 5000


def test_amazon_billed_is_kept_when_the_summary_does_not_add_up() -> None:
    text = AMAZON_SUMMARY.format(taken_off="", billed="8,808").replace("¥ 460", "¥ 400")
    assert run(text, reference=D(2025, 5, 1)).fields.amount.value == 8808


def test_amazon_2025_layout_price_on_next_line() -> None:
    ex = extract(lines_of(AMAZON_2025), reference=D(2025, 3, 10))
    assert ex.kind == "amazon"
    assert ex.fields.date.value == D(2025, 3, 1)
    assert ex.fields.order_number.value == "250-1234567-1234567"
    assert ex.fields.amount.value == 3000
    assert ex.gift_price == 3000


def test_amazon_table_read_column_by_column() -> None:
    ex = run(AMAZON_COLUMNS)
    assert ex.fields.date.value == D(2024, 5, 1)
    assert ex.fields.amount.value == 2000 and ex.amount_label == "billed"
    assert ex.fields.amount.text == "ご請求額: ¥ 2,000"
    assert ex.order_total == 2000
    assert ex.fields.order_number.value == "D01-1234567-1234567"


def test_amazon_garbled_ocr() -> None:
    ex = run(AMAZON_GARBLED)
    assert ex.kind == "amazon"
    assert ex.fields.date.value == D(2024, 5, 1)
    assert ex.fields.order_number.value == "249-1234567-7654321"
    assert ex.fields.amount.value == 5000
    assert ex.fields.gift_card.value is True
    assert ex.gift_price == 5000


def test_amazon_card_used_to_pay_is_not_a_purchase() -> None:
    ex = run(AMAZON_PAID_WITH_CARD)
    assert ex.fields.gift_card.value is False
    assert "Amazonギフト" in ex.gift_payment_text
    assert ex.fields.amount.value == 0 and ex.order_total == 3980


def test_amazon_shipping_date_is_not_the_order_date() -> None:
    ex = run("""
Amazon.co.jp 領収書
2024年5月3日に発送済み
注文日: 2024年5月1日
注文番号: 249-1234567-1234567
ご請求額: ￥ 5,000
""")
    assert ex.fields.date.value == D(2024, 5, 1)


def test_amazon_issue_date_loses_to_order_date() -> None:
    ex = run("""
Amazon.co.jp
発行日: 2024年5月20日
注文日: 2024年5月1日
注文番号: 249-1234567-1234567
注文合計: ￥ 5,000
""")
    assert ex.fields.date.value == D(2024, 5, 1)


def test_amazon_only_shipping_date_gives_no_date() -> None:
    ex = run("""
Amazon.co.jp 領収書
注文番号: 249-1234567-1234567
2024年5月3日に発送済み
Amazonギフトカード(Eメールタイプ) ￥ 5,000
ご請求額: ￥ 5,000
""")
    assert ex.fields.date.value is None


def test_amazon_header_total_when_summary_is_cut_off() -> None:
    ex = run("""
Amazon.co.jp
注文日: 2024年5月1日
注文番号: 249-1234567-1234567
注文の合計: ￥ 4,000
1 点 Amazonギフトカード(印刷タイプ) ￥ 4,000
""")
    assert ex.fields.amount.value == 4000 and ex.amount_label == "order_total"


def test_amazon_browser_print_stamp_is_not_the_order_date() -> None:
    ex = run("""
2024/05/20 12:34 Amazon.co.jp - 注文の詳細
注文日: 2024年5月1日
注文番号: 249-1234567-1234567
ご請求額: ￥ 5,000
""")
    assert ex.fields.date.value == D(2024, 5, 1)


def test_amazon_screen_clock_is_not_the_order_date() -> None:
    # A photo of the screen: the order-date row misread and doubted, the taskbar clock below.
    top = lines_of("Amazon.co.jp 領収書/購入明細書")
    order = lines_of("隙TECH: 2024/04/07", conf=0.56, start=1)
    rest = lines_of("""
注文番号: 503-1101552-9272693
ご請求額: ￥ 5,000
このページを印刷するには、ブラウザの印刷ボタンをクリックしてください
19:41
2024/05/05
""", start=2, conf=0.81)
    ex = extract(top + order + rest, reference=REF)
    assert ex.fields.date.value == D(2024, 4, 7)


def test_slip_seven_eleven() -> None:
    ex = run(SLIP_7)
    f = ex.fields
    assert ex.kind == "store" and ex.kind_confidence > 0.8
    assert f.date.value == D(2024, 5, 1)
    assert f.amount.value == 5000 and f.amount.text == "合計¥5,000"
    assert f.gift_card.value is True and ex.gift_price == 5000
    assert f.store.value == "セブン-イレブン 新宿三丁目店"
    assert f.order_number.value is None


def test_slip_familymart_halfwidth_and_okaiage() -> None:
    ex = run(SLIP_FAMIMA)
    f = ex.fields
    assert ex.kind == "store"
    assert f.date.value == D(2024, 5, 1)
    assert f.amount.value == 3150
    assert f.gift_card.value is True and ex.gift_price == 3000
    assert f.store.value == "ファミリーマート 渋谷道玄坂店"


def test_slip_lawson_reiwa_and_item_count() -> None:
    ex = run(SLIP_LAWSON)
    f = ex.fields
    assert f.date.value == D(2024, 5, 10)
    assert f.amount.value == 12000
    assert f.gift_card.value is True and ex.gift_price == 12000
    assert f.store.value == "ローソン 中野駅前店"


def test_slip_gift_card_below_total_is_a_tender() -> None:
    ex = run(SLIP_TENDER)
    assert ex.fields.amount.value == 280
    assert ex.fields.gift_card.value is False
    assert ex.gift_payment_text.startswith("Amazon")


def test_slip_other_brand_tender() -> None:
    ex = run(SLIP_JCB)
    assert ex.fields.gift_card.value is False
    assert ex.fields.amount.value == 880
    assert ex.fields.store.value == "ウエルシア 杉並店"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param("小計 ¥5,000\n合計 ¥5,000\nお預り ¥10,000\nお釣り ¥5,000", 5000, id="total-not-tendered"),
        pytest.param("合計 ¥5,000\nお預り ¥10,000", 5000, id="tendered-after"),
        pytest.param("お預り ¥10,000\n合計 ¥5,000", 5000, id="tendered-before"),
        pytest.param("小計 ¥4,000\n値引 -¥500\n合計 ¥3,500", 3500, id="subtotal-then-total"),
        pytest.param("合計 \\5,000", 5000, id="backslash"),
        pytest.param("合計 Y5.000", 5000, id="Y-period"),
        pytest.param("合 計 ¥ 5,000", 5000, id="spaced-label"),
        pytest.param("合計 5点 ¥5,000", 5000, id="count-on-row"),
        pytest.param("合計点数 2点\n合計 ¥5,000", 5000, id="count-row"),
        pytest.param("合計(税込) ¥5,500", 5500, id="tax-included"),
        pytest.param("税抜合計 ¥5,000\n合計 ¥5,500", 5500, id="pre-tax-total"),
        pytest.param("(10%対象 ¥1,000)\n(内消費税 ¥90)\n合計 ¥1,000", 1000, id="tax-rows"),
        pytest.param("非課税対象額 ¥5,000\n合計 ¥5,000", 5000, id="tax-free-base"),
        pytest.param("お買上げ計 ¥5,000", 5000, id="okaiage"),
        pytest.param("支払合計 ¥5,000", 5000, id="shiharai"),
        pytest.param("お会計 ¥5,000", 5000, id="okaikei"),
        pytest.param("合計金額 ¥5,000", 5000, id="goukei-kingaku"),
        pytest.param("合計 ¥5,000 (内税 ¥0)", 5000, id="inner-tax-after"),
        pytest.param("合計 ¥ー0,000", 10000, id="long-vowel-digit"),
        pytest.param("合計\n¥5,000", 5000, id="value-on-next-row"),
        pytest.param("小計 ¥4,000\n各計\\5 , 000", 5000, id="goukei-read-as-kakukei"),
        pytest.param("小計 ¥4,000\n向計¥5,000", 5000, id="goukei-read-as-koukei"),
        pytest.param("小計 ¥5,000", 5000, id="only-subtotal"),
        pytest.param("小計 ¥5,108\n合計 ¥5,168\n現計 ¥10,000\nお釣 ¥4,892", 5108,
                     id="cash-less-change-picks-between-look-alike-totals"),
        pytest.param("小計 ¥5,608\n合計 ¥5,668\nお預り ¥10,000\nお釣り ¥4,332", 5668,
                     id="cash-less-change-agrees-with-total"),
        # Cash less change from parts with no six gives the zeros the 合計 row read as sixes.
        pytest.param("合計 ¥5,668\n現計 ¥10,000\nお釣 ¥4,392", 5608, id="cash-less-change-keeps-the-zeros"),
        pytest.param("合計 ¥5,668\n現計 ¥10,000\nお釣 ¥4,362", 5668, id="cash-less-change-with-a-six-corrects-nothing"),
        pytest.param("合計 ¥5,698\n現計 ¥10,000\nお釣 ¥4,392", 5698, id="cash-less-change-alone-corrects-no-other-digit"),
        # The cash read with sixes too: with its zeros, 51,000 less 46 is the total with its zero.
        pytest.param("合計 ¥56,954\nお預り ¥51,666\n釣銭 ¥46", 50954, id="cash-and-total-read-with-sixes-agree-with-zeros"),
        pytest.param("合計 ¥5,616\nお預り ¥6,600\nお釣 ¥984", 5616, id="cash-less-change-agreeing-as-read-repairs-nothing"),
        pytest.param("AMAZONバリアブル ¥19,666円\n小計 ¥19,666\n合計 ¥19,666\n(非課税 ¥19,666)\nお預り ¥19,000",
                     19000, id="cash-below-the-total-is-the-total-with-its-zeros"),
        pytest.param("Amazonギフトかド10,000\n合計10,096円\nお預り10,000\nお釣 6", 10000,
                     id="cash-short-of-the-total-by-look-alike-digits-is-the-total"),
        pytest.param("小計 ¥19,666\n合計 ¥19,666\nお預り ¥19,000\nポイント利用 ¥666", 19666,
                     id="cash-below-the-total-with-points-paying-the-rest"),
        pytest.param("小計 ¥19,666\n合計 ¥19,666\nお預り ¥10,000\nクレジット ¥9,666", 19666,
                     id="cash-below-the-total-not-a-look-alike"),
        pytest.param("小計 ¥19,666\n合計 ¥19,666\nお預り ¥20,000\nお釣 ¥334", 19666,
                     id="cash-above-the-total-repairs-nothing"),
        pytest.param("牛乳 ¥215軽\nパン ¥3,055軽\n10X対象計 ¥218\n10X税合計 ¥19\n(SK R ¥3,270)\n(内消費税等 ¥242)\n"
                     "コード決済 ¥3,488\nお釣 ¥0", 3488, id="a-bracketed-base-whose-label-was-lost"),
        pytest.param("牛乳 ¥215軽\nパン ¥3,055軽\n10X対象計 ¥218\n10X税合計 ¥19\n(内消費税等 ¥242)\n(SK R ¥3,270)\n"
                     "コード決済 ¥3,488\nお釣 ¥0", 3488, id="a-bracketed-base-below-the-tax-row"),
        pytest.param("小計 ¥5,108\n合計 ¥5,168\nお預り ¥10,000\nお釣り ¥4,300", 5108,
                     id="cash-less-change-not-a-look-alike-the-subtotal-right-above-keeps-its-zeros"),
        pytest.param("小計 ¥5,108\n(8%対象 ¥5,168)\n合計 ¥5,168\nお預り ¥10,000\nお釣り ¥4,300", 5168,
                     id="a-subtotal-apart-from-the-total-keeps-no-zeros-for-it"),
        pytest.param("小計 ¥5,608\n合計 ¥5,668", 5608, id="the-subtotal-right-above-keeps-its-zeros"),
        pytest.param("AMAZONバリアブル ¥49,666非\n合計 ¥49,000", 49000,
                     id="below-a-card-price-read-with-sixes-for-zeros"),
        pytest.param("AMAZONバリアブル ¥5,168非\n合計 ¥5,108", 5108,
                     id="below-a-card-price-one-look-alike-apart"),
        pytest.param("AMAZONバリアブル ¥49,666非\n合計 ¥48,000", None,
                     id="below-a-card-price-not-a-look-alike"),
        pytest.param("AMAZONバリアブル ¥27,766非\n小計 ¥27,700\n合計 ¥27,700\n(非課税 ¥27,766)\n"
                     "お預り ¥30,000\nお釣り ¥2,366", 27700, id="no-repair-turns-zeros-into-sixes"),
        pytest.param("AMAZONバリアブル ¥27,700非\n小計 ¥27,700\n合計 ¥27,766\n(非課税 ¥27,700)\n"
                     "お預り ¥30,000\nお釣り ¥2,300", 27700, id="a-repair-turns-sixes-into-zeros"),
    ],
)
def test_slip_amounts(rows: str, expected: int | None) -> None:
    ex = run("ローソン 新宿店\nレジ1 2024/05/01 10:00\n" + rows, kind="store")
    assert ex.fields.amount.value == expected


def test_slip_amount_from_subtotal_is_marked_as_such() -> None:
    ex = run("ローソン 新宿店\n2024/05/01\nAmazonギフトカード ¥5,000\n小計 ¥5,000", kind="store")
    assert ex.amount_label == "subtotal" and ex.fields.amount.confidence < 0.5


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param("Amazonギフトカード ¥5,000\nお預り ¥10,000\nお釣り ¥5,000", id="only-tender"),
        pytest.param("Amazonギフトカード ¥5,000\nAmazonギフトカード ¥5,000", id="items-only"),
        pytest.param("合計 ¥5,0", id="unreadable-total"),
    ],
)
def test_slip_without_a_readable_total(rows: str) -> None:
    ex = run("ローソン 新宿店\n2024/05/01 10:00\n" + rows, kind="store")
    assert ex.fields.amount.value is None
    assert ex.fields.amount.confidence == 0.0
    assert ex.fields.amount.text  # says why


def test_future_date_is_rejected_and_reported() -> None:
    ex = run("ローソン 新宿店\nレジ1 2025/05/01 10:00\nAmazonギフトカード ¥5,000\n合計 ¥5,000")
    assert ex.fields.date.value is None
    assert ex.future_date == D(2025, 5, 1)


def test_slip_header_date_wins_over_a_gift_card_expiry() -> None:
    ex = run("""
ファミリーマート 池袋店
2024/05/01 10:00 レジ2
Amazonギフトカード ¥5,000
合計 ¥5,000
有効期限 2034/05/01
""")
    assert ex.fields.date.value == D(2024, 5, 1)


def test_slip_labelled_date_beats_an_unlabelled_one() -> None:
    ex = run("""
ドン・キホーテ 新宿東南口店
2024/04/01 No.123
取引日 2024/05/01
Amazonギフトカード ¥5,000
合計 ¥5,000
""")
    assert ex.fields.date.value == D(2024, 5, 1)


def test_unknown_page_is_not_forced_into_a_family() -> None:
    ex = run("""
今日の予定
10:00 打ち合わせ
12:00 ランチ
メモ: 牛乳を買う
""")
    assert ex.kind == "unknown"
    assert ex.receipt_words == 0
    assert ex.fields.gift_card.value is False
    assert ex.fields.amount.value is None and ex.fields.date.value is None
    assert ex.fields.store.value is None


def test_forced_kind_skips_detection() -> None:
    ex = run(SLIP_7, kind="amazon")
    assert ex.kind == "amazon" and ex.kind_confidence == 1.0
    assert ex.fields.store.value == "Amazon.co.jp"


def test_detect_kind() -> None:
    assert detect_kind(lines_of(AMAZON_OLD))[0] == "amazon"
    assert detect_kind(lines_of(SLIP_FAMIMA))[0] == "store"
    assert detect_kind(lines_of("ABC\nDEF"))[0] == "unknown"
    assert detect_kind([])[0] == "unknown"


def test_empty_input() -> None:
    ex = extract([], reference=REF)
    assert ex.kind == "unknown" and ex.receipt_words == 0
    assert ex.fields.gift_card.value is False and ex.gift_price is None


def test_gift_line_split_over_two_rows() -> None:
    ex = run("""
Amazon.co.jp 領収書
注文日: 2024年5月1日
1 点 Amazonギフト
カード(Eメールタイプ) ￥ 5,000
ご請求額: ￥ 5,000
""")
    assert ex.fields.gift_card.value is True
    assert ex.gift_price == 5000


def test_gift_quantity() -> None:
    ex = run("""
Amazon.co.jp 領収書
注文日: 2024年5月1日
2 点 Amazonギフトカード(印刷タイプ) ￥ 5,000
注文合計: ￥ 10,000
""")
    assert ex.gift_quantity == 2 and ex.gift_price == 5000 and ex.order_total == 10000


def test_pages_are_read_in_order() -> None:
    first = lines_of("Amazon.co.jp 領収書\n注文日: 2024年5月1日\n注文番号: 249-1234567-1234567")
    second = lines_of(
        "Amazonギフトカード(Eメールタイプ) ￥ 5,000\n注文合計: ￥ 5,000\nご請求額: ￥ 5,000",
        page=1, start=3,
    )
    ex = extract(second + first, reference=REF)
    assert ex.fields.amount.value == 5000 and ex.fields.amount.page == 1
    assert ex.fields.date.value == D(2024, 5, 1) and ex.fields.date.page == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("注文番号: 249-1234567-1234567", "249-1234567-1234567", id="plain"),
        pytest.param("注文番号 D01-1234567-1234567", "D01-1234567-1234567", id="digital"),
        pytest.param("DO1-1234567-1234567", "D01-1234567-1234567", id="digital-O"),
        pytest.param("249 - 1234567 - 1234567", "249-1234567-1234567", id="spaced"),
        pytest.param("249ー1234567ー1234567", "249-1234567-1234567", id="long-vowel-hyphen"),
        pytest.param("249−1234567–1234567", "249-1234567-1234567", id="unicode-dashes"),
        pytest.param("注文番号・249—1295116-0429030", "249-1295116-0429030", id="em-dash"),
        pytest.param("249-l234567-123456O", "249-1234567-1234560", id="letters"),
        pytest.param("249-ー234567-1234567", "249-1234567-1234567", id="long-vowel-one"),
        pytest.param("Order # 503-1234567-1234567", "503-1234567-1234567", id="english"),
    ],
)
def test_order_numbers(text: str, expected: str) -> None:
    found = find_order_numbers(normalize(text))
    assert [v for v, _, _ in found] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("TEL 03-1234-5678", id="phone"),
        pytest.param("249-123456-1234567", id="short-group"),
        pytest.param("1249-1234567-1234567", id="long-head"),
        pytest.param("2024/05/01", id="date"),
        # A rule of dashes on a slip: every "digit" would be a dash repaired into a one.
        pytest.param("ーーョーョーョーョーョーョーョーーーーーーーーーーーーーーーーーー一", id="a-rule-of-dashes"),
    ],
)
def test_not_order_numbers(text: str) -> None:
    assert find_order_numbers(normalize(text)) == []


def test_order_number_with_space_inside_a_group() -> None:
    ex = run("Amazon.co.jp\n注文番号: 249-123 4567-1234567\n注文日: 2024年5月1日")
    assert ex.fields.order_number.value == "249-1234567-1234567"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param("ローソン 新宿三丁目店", "ローソン 新宿三丁目店", id="same-row"),
        pytest.param("LAWSON\n新宿店", "ローソン 新宿店", id="latin-then-branch"),
        pytest.param("ﾌｧﾐﾘｰﾏｰﾄ\n池袋西口店", "ファミリーマート 池袋西口店", id="halfwidth"),
        pytest.param("口ーソン 中野店", "ローソン 中野店", id="kanji-ro"),
        pytest.param("セブンイレブン 渋谷1丁目店", "セブン-イレブン 渋谷1丁目店", id="no-hyphen"),
        pytest.param("ミニストップ", "ミニストップ", id="no-branch"),
        pytest.param("MEGAドン・キホーテ 渋谷本店", "ドン・キホーテ 渋谷本店", id="mega-donki"),
        pytest.param("マツモトキヨシ 上野店\nまたのご来店をお待ちしております", "マツモトキヨシ 上野店", id="drugstore"),
        pytest.param("やまびこ商店 駅前店", "やまびこ商店駅前店", id="unknown-chain"),
    ],
)
def test_store_names(rows: str, expected: str) -> None:
    ex = run(rows + "\nレジ1 2024/05/01 10:00\nAmazonギフトカード ¥5,000\n合計 ¥5,000\nお預り ¥5,000",
             kind="store")
    assert ex.fields.store.value == expected


def test_is_amount_only() -> None:
    assert is_amount_only("¥ 2,000")
    assert is_amount_only("-¥ 500")
    assert not is_amount_only("合計 ¥2,000")
    assert not is_amount_only("2024/05/01")


def test_span_box_narrows_to_words() -> None:
    words = (
        Word("合", Box(0, 0, 20, 20), 0.9),
        Word("計", Box(22, 0, 20, 20), 0.9),
        Word("¥5,000", Box(200, 0, 80, 20), 0.9),
    )
    line = Line(text=normalize("合 計 ¥5,000"), raw="合 計 ¥5,000", box=Box(0, 0, 280, 20),
                conf=0.9, page=0, index=0, words=words)
    start = line.text.index("¥")
    assert span_box(line, start, len(line.text)) == Box(200, 0, 80, 20)
    assert span_box(line, 0, 2) == Box(0, 0, 42, 20)


def test_field_box_falls_back_to_the_line() -> None:
    ex = run(SLIP_7)
    assert ex.fields.amount.box == Box(20, 40 * 8, 600, 30)


# --- layouts as OCR really returns them -----------------------------------------

AMAZON_MERGED_COLUMNS = """
Amazon.co.jp -領収書
aMazon cojp
領収書/購入明細書
注文日: 2024年6月5日
Amazon.co.jp注文番号: 250-1520414-2316617
注文合計: \\ 30,000
2024年6月8日に発送済み
注文商品価格
1点Aヵazoロ0ギフトカード(呑芥タイプ-読代月\\ 30,000
販売: Amazon Japan G.K.
支払い情報
支払い方法:商品の小計: \\ 30,000
American Express |末尾: 3076配送料・手数料: \\ 0
注文合計: \\ 30,000
請求先住所Amazonポイント: -¥ 100
井上結夕ご請求額: \\ 29,900
クレジットカード取引
American Express末尾: 3076: 2024年6月8日: \\29,900
"""


def test_amazon_two_column_rows_and_italic_item_name() -> None:
    ex = run(AMAZON_MERGED_COLUMNS, reference=D(2024, 7, 1))
    assert ex.kind == "amazon"
    assert ex.fields.date.value == D(2024, 6, 5)
    assert ex.fields.amount.value == 29900 and ex.order_total == 30000
    assert ex.fields.gift_card.value is True and ex.gift_price == 30000
    assert ex.fields.gift_card.confidence < 0.8  # read from a garbled name


def test_amazon_payment_column_merged_into_a_summary_row_is_not_an_item() -> None:
    ex = run("""
amazon.co.jp
注文日: 2023年11月27日
注文番号: 249-1295116-0429030
1点 キッチンペーパー 4ロール ¥ 1,280
商品の小計: ¥ 1,280
Amazonギフトカード注文合計: \\ 1,280
Amazonギフト券・Amazonショッピ-\\ 1,280
ご請求額: ¥0
""")
    assert ex.fields.gift_card.value is False
    assert ex.gift_payment_text


def test_amazon_card_rows_stand_in_for_a_lost_billed_row() -> None:
    ex = run("""
領収書/購入明細書
注文日: 2025年10月01日
注文番号: 503-9303100-8885049
注文合計¥ 3,000
1無Amazoanギフトカード(Eメールタイプ¥ 3,000
支払い方法:商品の小計:
請求先住所注文合計:
クレジットカード取引
American Express未尾: 0791 : 2025年10月2日: \\ 2,950
""", reference=D(2025, 11, 1))
    assert ex.fields.amount.value == 2950 and ex.amount_label == "card"
    assert ex.order_total == 3000
    assert ex.fields.date.value == D(2025, 10, 1)


def test_amazon_card_row_date_is_not_the_order_date() -> None:
    ex = run("""
Amazon.co.jp 領収書
注文番号: 503-4203377-3093627
注文の合計: ¥ 50,000
1点Amazonギフトカード(チャージタイプ) ¥ 50,000
クレジットカード取引
Mastercard末尾: 1194: 2024/05/26: ¥ 50,000
""")
    assert ex.fields.date.value is None


def test_amazon_garbled_billed_label() -> None:
    ex = run("""
Amazon.co.jp 領収書
注文日: 2024年5月1日
注文合計: ¥ 15,000
彗壷県横浜市西区南幸華求額¥ 14,950
""")
    assert ex.fields.amount.value == 14950 and ex.amount_label == "billed"


def test_slip_total_label_with_split_kanji() -> None:
    ex = run("セブン-イレブン 渋谷店\n2024/04/17 10:03\nAMAZON POSA ¥20,000\n合n十¥20,000", kind="store")
    assert ex.fields.amount.value == 20000


def test_slip_several_gift_rows_add_up() -> None:
    ex = run("""
ローソン 中野店
2024年5月1日(水) 10:00
Amazonギフトカード ¥5,000
Amazonギフトカード ¥3,000
合計 ¥8,000
お預り ¥10,000
""")
    assert ex.gift_price == 5000 and ex.gift_rows == [5000, 3000]


def test_slip_count_with_misread_unit_is_not_a_total() -> None:
    ex = run("ファミリーマート 中野店\n2024年5月30日 10:16\nAMAZONバリアブル\n小計1火\n", kind="store")
    assert ex.fields.amount.value is None


def test_order_number_repairs_are_flagged() -> None:
    assert find_order_numbers("249 - 1234567 - 1234567")[0][2] is False
    assert find_order_numbers("249-l234567-1234567")[0][2] is True


def test_a_total_garbled_down_to_a_few_yen_is_unreadable_not_wrong() -> None:
    ex = run(
        """ローソン中央店
        2025/08/11 07:04
        Amazonギフトカード 5,000円(非)
        含計5, 06060円e
        お預かり 5,000円"""
    )
    assert ex.fields.amount.value is None


def test_amazon_payment_method_column_merged_into_a_summary_row_is_not_a_purchase() -> None:
    ex = run(
        """領収書/購入明細書
        注文日: 2024年5月1日
        注文番号: 249-1234567-1234567
        1点無印良品ノートA5 ¥ 1,200
        支払い方法:
        Amazonギフトカード配送料・手数斜: Y 0
        注文合計: ¥ 1,200
        ご請求額: ¥ 1,200"""
    )
    assert ex.kind == "amazon"
    assert ex.fields.gift_card.value is False


def test_amazon_the_first_of_two_equally_labelled_dates_is_the_order_date() -> None:
    ex = run(
        """領収書/購入明細書
        デジタル注文: 2024/03/23
        Amazon.co.jp注文番号: D01-9577755-6277747
        注文の合計: ¥ 1,080
        デジタル注文: 2024/03/24
        1点Amazon Music Unlimited個人プラン ¥ 1,080
        ご請求額: ¥ 1,080"""
    )
    assert ex.fields.date.value == D(2024, 3, 23)


def _slip_rows(rows: list[tuple[str, int]]) -> list[Line]:
    """Slip rows with their print height in pixels (a till's 合計 row is printed double height)."""
    head = [("ローソン 新宿店", 30), ("2024/05/01 10:00", 30), ("Amazonギフトカード ¥5,000", 30)]
    out, y = [], 0
    for k, (text, height) in enumerate(head + rows):
        out.append(Line(text=normalize(text), raw=text, box=Box(20, y, 600, height), conf=0.9, page=0,
                        index=k))
        y += height + 10
    return out


@pytest.mark.parametrize(
    ("rows", "expected", "checked"),
    [
        pytest.param([("小計 ¥5,168", 30), ("飢 ¥5,108", 60), ("(8%対象 ¥108)", 30), ("(内消費税等 ¥8)", 30),
                      ("(非課税計 ¥5,000)", 30), ("お預かり ¥5,168", 30)], 5108, True,
                     id="tax-bases-pick-the-look-alike-the-garbled-total-row-prints"),
        pytest.param([("小計 ¥5,168", 30), ("(8%対象 ¥108)", 30), ("(非課税 ¥5,000)", 30)], 5168, False,
                     id="sums-alone-correct-nothing"),
        pytest.param([("小計 ¥5,168", 30), ("合計 ¥5,108", 60), ("(8%対象 ¥108)", 30), ("(非課税 ¥5,000)", 30)],
                     5108, True, id="sums-agree-with-the-total"),
        pytest.param([("小計 ¥5,168", 30), ("合計 ¥5,108", 30), ("(8%対象 ¥108)", 30), ("(非課税 ¥5,000)", 30),
                      ("お預り ¥10,000", 30), ("お釣り ¥4,832", 30)], 5108, True,
                     id="two-sums-disagreeing-leave-a-confirmed-total"),
        # Tax bases read with a six where the double-height total has a zero: they do not overturn it, they confirm it.
        pytest.param([("小計 ¥5,168", 30), ("合計 ¥5,108", 60), ("(8%対象 ¥168)", 30), ("(非課税 ¥5,000)", 30)],
                     5108, True, id="smaller-print-does-not-overturn-the-double-height-total"),
        pytest.param([("小計 ¥34,866", 30), ("合計 ¥34,800", 45), ("(非課税計 ¥34,866)", 30), ("お預り ¥35,000", 30)],
                     34800, True, id="a-larger-total-with-zeros-where-every-sum-has-sixes"),
        pytest.param([("TEL 03-1234-5678", 30), ("小計 ¥34,866", 30), ("合計 ¥34,800", 30), ("(非課税計 ¥34,866)", 30),
                      ("お預り ¥35,000", 30)], 34866, True, id="same-size-sums-win-on-a-slip-that-reads-zeros-right"),
        pytest.param([("TEL 63-1234-5678", 30), ("小計 ¥34,866", 30), ("合計 ¥34,800", 30), ("(非課税計 ¥34,866)", 30),
                      ("お預り ¥35,000", 30)], 34800, True, id="same-size-total-with-zeros-on-a-slip-that-reads-them-as-sixes"),
        pytest.param([("小計 ¥5,168", 30), ("合計 ¥5,108", 30), ("(8%対象 ¥168)", 30), ("(非課税 ¥5,000)", 30)],
                     5168, True, id="same-size-print-the-sums-and-a-second-row-win"),
        pytest.param([("小計 ¥6,000", 30), ("外税 8% ¥80", 30), ("合計 ¥6,080", 60), ("(8%対象 ¥1,000)", 30)],
                     6080, True, id="tax-added-on-top-the-subtotal-plus-tax-confirms-it"),
        pytest.param([("小計 ¥5,000", 30), ("合計 ¥5,400", 30), ("(タト税8%対象 ¥5,000)", 30)], 5400, False,
                     id="tax-added-read-as-tato"),
        pytest.param([("小計 ¥5,108", 30), ("ポイント対象額 ¥5,108", 30), ("合計 ¥5,168", 30)], 5168, False,
                     id="point-rows-are-not-tax-bases"),
        pytest.param([("小計 ¥5,168", 30), ("合計 ¥5,168", 30), ("(10%対象 ¥168)", 30), ("(非課税 ¥5,000)", 30),
                      ("お預り ¥5,168", 30), ("お釣り ¥0", 30)], 5168, True, id="sums-confirm-a-subtotal"),
        # Two independent sums that agree, on a value a row prints, outweigh the total as read.
        pytest.param([("小計 5,275", 30), ("合計 5,205", 60), ("(10%対象 165)", 30), ("(8%対象 110)", 30),
                      ("(非課税対象 5,000)", 30), ("お預かり 6,000", 30), ("お釣 725", 30)], 5275, True,
                     id="both-sums-agree-on-the-subtotal-one-digit-from-the-total"),
        pytest.param([("小計 5,275", 30), ("合計 5,205", 60), ("(10%対象 165)", 30), ("(8%対象 110)", 30),
                      ("(非課税対象 5,000)", 30)], 5205, False, id="one-sum-alone-does-not-overturn-the-total"),
        pytest.param([("小計 5,275", 30), ("合計 4,205", 60), ("(10%対象 165)", 30), ("(8%対象 110)", 30),
                      ("(非課税対象 5,000)", 30), ("お預かり 6,000", 30), ("お釣 725", 30)], 5275, True,
                     id="both-sums-agree-with-a-total-garbled-beyond-one-digit"),
        pytest.param([("小計 ¥16,200", 30), ("合計 ¥16,.200", 60), ("(非課税 ¥16,200)", 30), ("お預り ¥17,000", 30), ("お釣 ¥800", 30)],
                     16200, True, id="both-sums-agree-against-a-broken-separator-read-as-16-yen"),
        pytest.param([("小計 ¥5,000", 30), ("合計 ¥5,000", 60), ("(非課税 ¥5,000)", 30), ("ポイント利用 -¥500", 30),
                      ("お預り ¥5,000", 30), ("お釣 ¥500", 30)], 5000, True,
                     id="sums-that-disagree-overturn-nothing"),
        # A 小計 the cash less change contradicts, when one row a little above it prints what they give.
        pytest.param([("小計 ¥31,448", 30), ("同計 ¥31,472", 60), ("(非課税 ¥31,200)", 30),
                      ("お預り ¥32,000", 30), ("釣銭 ¥528", 30)], 31472, True,
                     id="garbled-total-label-found-by-cash-less-change"),
        pytest.param([("小計 ¥31,448", 30), ("同計 ¥41,472", 60), ("お預り ¥42,000", 30), ("釣銭 ¥528", 30)],
                     31448, False, id="far-above-the-subtotal-is-not-its-total"),
        pytest.param([("小計 ¥31,448", 30), ("お預り ¥32,000", 30), ("釣銭 ¥528", 30)], 31448, False,
                     id="the-sum-alone-printed-nowhere-is-not-taken"),
    ],
)
def test_slip_arithmetic_settles_look_alike_digits(rows: list[tuple[str, int]], expected: int, checked: bool) -> None:
    ex = extract(_slip_rows(rows), reference=REF, kind="store")
    assert ex.fields.amount.value == expected
    assert ex.amount_checked is checked


def test_a_confirmed_subtotal_is_taken_as_the_total() -> None:
    ex = extract(_slip_rows([("小計 ¥5,000", 30), ("お預り ¥10,000", 30), ("お釣り ¥5,000", 30)]),
                 reference=REF, kind="store")
    assert ex.fields.amount.value == 5000 and ex.amount_checked and ex.arithmetic_totals == {5000}


def test_a_corrected_total_points_at_the_row_that_prints_it() -> None:
    rows = [("小計 ¥5,168", 30), ("飢 ¥5,108", 60), ("(8%対象 ¥108)", 30), ("(非課税計 ¥5,000)", 30)]
    ex = extract(_slip_rows(rows), reference=REF, kind="store")
    assert ex.fields.amount.value == 5108 and ex.amount_label == "total"
    assert ex.fields.amount.text == "飢¥5,108"
    assert ex.fields.amount.box == Box(20, 4 * 40, 600, 60)  # below three head rows and the 小計


@pytest.mark.parametrize("row", ["AmazonPay支払 ¥4,673", "AnazonPay 3S 35 ¥4 _673", "Arazon Payギ4 ,673", "Amazon Pay ¥4,673"])
def test_paying_with_amazon_pay_is_not_a_gift_card_bought(row: str) -> None:
    # The total's row unreadable: the payment row is the only one left to look at.
    ex = run(f"ローソン 中野店\n2026年3月5日(木) 10:05\n牛乳 ¥198\nパン ¥4,475\n#@ 4\n{row}\n", kind="store")
    assert ex.fields.gift_card.value is False


OTHER_CARD_SLIP = """
ファミリーマート 中野駅前店
2025年04月20日(日) 12:48
{row}
おにぎり ¥138軽
小計 ¥3,138
合計 ¥3,138
(8%対象 ¥138)
(非課税対象 ¥3,000)
お預り ¥5,000
お釣 ¥1,862
"""


@pytest.mark.parametrize(("row", "room"), [("iTunesカード ¥3,000", False), ("7゜74゜ 2トカー ¥3,000", True)])
def test_an_untaxed_share_another_issuers_card_explains_leaves_no_room(row: str, room: bool) -> None:
    """No further pass looks for an Amazon card where the untaxed yen are another card's."""
    ex = run(OTHER_CARD_SLIP.format(row=row), kind="store")
    assert ex.fields.gift_card.value is False
    assert ex.gift_room is room


UNTAXED_BASE_SLIP = """
ツルハドラッグ 四条通中央店
2025年5月25日(日) 11:23
{rows}
おにぎり鮭 160円※軽
小計 4点 28,436円
合計 28,486円
(SR 686円)
(内消費税等 50円)
({base} {untaxed}円)
"""


@pytest.mark.parametrize(("rows", "base", "untaxed", "room"), [
    # The 8 % base garbled and the total's label alone: only the printed untaxed base tells.
    pytest.param("iTunesカード 27,800円非", "非課税", "27,800", False, id="the-untaxed-base-is-the-other-card"),
    pytest.param("iTunesカード 27,800円非", "非館税", "27,800", False, id="its-label-garbled"),
    pytest.param("iTunesカード 27,800円非\n7ィマアッギ7トヵード 3,000円非", "非課税", "30,800", True,
                 id="a-garbled-row-makes-up-the-rest"),
    pytest.param("iTunesカード 27,800円非", "非課税", "30,800", True, id="more-untaxed-than-the-card"),
    pytest.param("7ィマアッギ7トヵード 27,800円非", "非課税", "27,800", True, id="no-other-issuer-read"),
    pytest.param("iTunesカード 27,800円非", "ポイント非課税", "27,800", True, id="not-a-tax-row"),
])
def test_an_untaxed_base_that_is_another_issuers_card_leaves_no_room(rows: str, base: str, untaxed: str,
                                                                     room: bool) -> None:
    """A person reads 非課税 27,800 beside an iTunes card of 27,800: an Amazon card would be in it too."""
    ex = run(UNTAXED_BASE_SLIP.format(rows=rows, base=base, untaxed=untaxed), kind="store")
    assert ex.fields.gift_card.value is False
    assert ex.gift_room is room


ITEMS_ONLY_SLIP = """
ダイソー 紺屋町店
2025/07/23(水) 06:55
{row}
おにぎり ¥138
合計 ¥{total}
現金 ¥{cash}
お釣 ¥1,000
"""


@pytest.mark.parametrize(("row", "total", "room"), [
    pytest.param("App Store & iTunes ¥27,000(非)", "27,138", False, id="the-dear-row-another-issuers-card"),
    pytest.param("7ィマアッギ7トヵード ¥27,000(非)", "27,138", True, id="the-dear-row-a-garbled-name"),
    pytest.param("App Store & iTunes ¥27,000(非)", "30,138", True, id="a-row-not-read"),
])
def test_items_that_make_up_the_total_leave_room_only_for_an_unnamed_dear_row(row: str, total: str,
                                                                               room: bool) -> None:
    cash = f"{int(total.replace(',', '')) + 1000:,}"
    ex = run(ITEMS_ONLY_SLIP.format(row=row, total=total, cash=cash), kind="store")
    assert ex.fields.gift_card.value is False
    assert ex.gift_room is room


def test_a_register_number_after_a_clerks_name_is_no_dearer_value_above_a_small_total() -> None:
    """A ¥341 slip leaves no room for a card: 6670 is the register's number, not a price."""
    text = ("ミニストップ 旭町店\n2025/03/15 10:05\nレジ1担当:佐藤No . 6670\nプリン ¥183軽\n"
            "ポテトチップス ¥158軽\n合計 ¥341\nお預り ¥341\n釣銭 ¥0\n")
    ex = run(text, kind="store")
    assert ex.fields.amount.value == 341
    assert ex.gift_room is False


@pytest.mark.parametrize(("row", "room"), [
    pytest.param("緑茶600l \\140軽", False, id="a-size-in-the-name"),
    pytest.param("緑茶 6001 140軽", True, id="no-yen-sign-to-tell-the-price"),
])
def test_a_number_in_an_items_name_is_no_dearer_value_above_a_small_total(row: str, room: bool) -> None:
    """A ¥320 slip leaves no room for a card: 600 in 緑茶600ml (read 600l) is the bottle, not a price."""
    text = (f"ミニストップ 南瓦町店\n2024年07月26日(金)18:28\n{row}\nまヶトート ¥180軽\n合計 ¥320\n"
            "8%対象計 ¥320\nクレジット支払 ¥320\nお釣 ¥0\n")
    ex = run(text, kind="store")
    assert ex.fields.amount.value == 320
    assert ex.gift_room is room


AMAZON_PRODUCTS = """
Amazon.co.jp
注文日: 2025年4月15日 注文番号: 503-0928265-5033764
2点 サーモス真空断熱ケータイマグ500ml ¥ 2,680
販売: アマゾンジャパン合同会社
{second}
販売: アマゾンジャパン合同会社
商品の小計: ¥ {subtotal}
配送料・手数料: ¥ 0
注文合計: ¥ {subtotal}
ご請求額: ¥ {subtotal}
"""


@pytest.mark.parametrize(
    ("second", "subtotal", "room"),
    [
        pytest.param("1点 SanDisk microSDXC 128GB ¥ 1,980", "7,340", False, id="items-add-up-none-a-card"),
        pytest.param("1点 SanDisk microSDXC 128GB\n¥ 1,980", "7,340", False, id="price-on-its-own-row"),
        pytest.param("1点 SanDisk microSDXC 128GB ¥ 1,980", "12,340", True, id="an-item-row-was-not-read"),
        pytest.param("1点 Amazonベーシック 乾電池 ¥ 1,980", "7,340", True, id="a-row-with-the-brand"),
        pytest.param("1点 ギフ卜ボックス入り\n¥ 1,980", "7,340", True, id="a-gift-word-above-its-price"),
    ],
)
def test_amazon_items_that_make_up_the_subtotal_leave_no_room_for_a_card(second: str, subtotal: str,
                                                                         room: bool) -> None:
    ex = run(AMAZON_PRODUCTS.format(second=second, subtotal=subtotal), reference=D(2025, 5, 1))
    assert not ex.fields.gift_card.value
    assert ex.gift_room is room


SLIP_GIFT_ROW = """
ローソン 新宿店
2024/05/01 10:00
{row}
小計 ¥5,000
合計 ¥5,000
({tax} ¥5,000)
お預り ¥5,000
{below}
"""


@pytest.mark.parametrize(
    ("first", "again", "below", "found", "tax"),
    [
        # ｱﾏｿﾞﾝｷﾞﾌﾄ券: one pass reads the card word but not the brand, another the brand but not the word.
        pytest.param("アアッギ7ト券 ¥5,000", "ァマンーンキーフトタテseee。マー-ゥoe", "", True, "非課税計",
                     id="brand-in-one-reading-gift-word-in-another"),
        pytest.param("7ィヅッルアM-F ¥5,000非", "レアッギフト券 ¥5,000", "", True, "非課税計",
                     id="brand-by-its-shape-in-one-reading-gift-word-in-another"),
        pytest.param("ァゾッルアM-F ¥5,000非", "アマゾン公、リアフ見カーまキ¥ 5,0003EF", "", True, "非課税計",
                     id="a-clear-brand-alone-on-the-priced-item-row"),
        pytest.param("iTunesギフト券 ¥5,000", "ァマンーンキーフトタテseee", "", False, "非課税計",
                     id="another-issuer-in-one-reading"),
        pytest.param("アアッギ7ト券 ¥50,000", "ァマンーンキーフトタテseee", "", False, "非課税計",
                     id="a-price-above-the-total"),
        pytest.param("アアッギ7ト券5000 pe", "ァマンーンキーフトタテseee", "", True, "非課税計",
                     id="brand-and-gift-word-need-no-price"),
        pytest.param("ァゾッルアM-F", "アマゾン公、リアフ見カーまキ", "", False, "非課税計",
                     id="a-brand-alone-needs-a-price"),
        pytest.param("AONEフトード¥5,000非", "MAてNギフトカード ¥5,000", "", False, "非課税計",
                     id="no-reading-names-the-brand"),
        # ｱﾏｿﾞﾝｷﾞﾌﾄ ﾊﾞﾘｱﾌﾞﾙ: a garbled brand in one reading, ギフト in another, a card's price marked untaxed.
        pytest.param("アッギフトACY v5,000(非)", "アァマヅフキーフォすハタサアフ瓦Yさ3。らら8《JF)", "", True, "非課税計",
                     id="garbled-brand-and-gift-word-on-an-untaxed-card-price"),
        pytest.param("アッギフトACY v5,000", "アァマヅフキーフォすハタサアフ瓦Yさ3。らら8《JF)", "", False, "8%対象",
                     id="garbled-brand-and-gift-word-need-an-untaxed-price"),
        pytest.param("ーすアアッルのアMカ-ド\\5,000非SE Co", "4ァマソーンバりサイブルルカートーギそえ。のらモヨドー", "", True, "非課税計",
                     id="garbled-brand-and-card-word-on-an-untaxed-card-price"),
        pytest.param("ーすアアッルのアMカ-ド\\5,000 SE Co", "4ァマソーンバりサイブルルカートーギそえ。のらモヨドー", "", False, "8%対象",
                     id="garbled-brand-and-card-word-need-an-untaxed-price"),
        pytest.param("アッギフトACY v5,000", "アァマヅフキーフォすハタサアフ瓦Yさ3。らら8《JF)", "", True, "非課税計",
                     id="garbled-brand-and-gift-word-on-a-price-the-untaxed-base-names"),
        # ｱﾏｿﾞﾝ garbled to three letters right before a clear ギフト券, on an untaxed card price.
        pytest.param("アゲッギ2ト券3000 \\5,000(非)", "アバアッギフト券3000 \\5,000(非)", "", True, "非課税計",
                     id="three-letter-brand-before-the-gift-word-on-an-untaxed-price"),
        # ｱﾏｿﾞﾝ's five narrow glyphs read as five letters before a garbled ｷﾞﾌﾄｶｰﾄﾞ.
        pytest.param("アパゾアッギ2フトカか-ド“ 5,000非", "バゾッギけ-ドMS。e6e非", "", True, "非課税計",
                     id="five-letter-brand-before-the-gift-word-on-an-untaxed-price"),
        pytest.param("アパゾアッギ2フトカか-ド“ 5,000", "バゾッギけ-ドMS。e6e", "", False, "8%対象",
                     id="five-letter-brand-needs-an-untaxed-price"),
        # ﾛｯﾋﾟｰ ｱﾏｿﾞﾝｷﾞﾌﾄ: the narrow ｱ read as its look-alike 7.
        pytest.param("ask' - 7アッギフト\\5,000(非)", "ロッピーFT YASIR ¥5,000(3E)", "", True, "非課税計",
                     id="brand-whose-first-letter-reads-as-7-before-the-gift-word"),
        # ﾌｧﾐﾎﾟｰﾄ ｱﾏｿﾞﾝｷﾞﾌﾄ on a till that prints no yen signs: the 非 mark alone makes 5,000 a price.
        pytest.param("ファミボ-トアスゾフギフト5,000非", "ファミボ-トアイゾッギフト5,000非", "", True, "8%対象",
                     id="a-price-without-a-yen-sign-marked-untaxed"),
        pytest.param("ファミボ-トアスゾフギフト5,000", "ファミボ-トアイゾッギフト5,000", "", False, "8%対象",
                     id="a-price-without-a-yen-sign-or-untaxed-mark"),
        # Below the total is the tender area: a card there pays, it was not bought.
        pytest.param("ポテトチップス ¥5,000", "ポテトチップス ¥5,000", "アアッギ7ト券 ¥5,000", False, "非課税計",
                     id="rows-below-the-total"),
    ],
)
def test_gift_row_read_over_passes(first: str, again: str, below: str, found: bool, tax: str) -> None:
    passes = [lines_of(SLIP_GIFT_ROW.format(row=row, below=below, tax=tax)) for row in (first, again)]
    if below:  # the second pass reads the brand on the tender row
        passes[1][-1] = replace(passes[0][-1], text="ァマンーンキーフトタテseee")
    ex = extract(passes[0], reference=REF)
    assert not ex.fields.gift_card.value
    assert ex.fields.amount.value == 5000
    got = gift_over_passes(passes, ex)
    assert got.fields.gift_card.value is found
    if found:
        assert got.fields.gift_card.box == passes[0][2].box
        assert got.gift_price == (5000 if "5,000" in first + again else None)


def test_gift_row_read_over_passes_on_a_slip_photographed_upside_down() -> None:
    """The rows run up the photo: the card's row is still the one before the total in reading order."""
    def flipped(lines: list[Line]) -> list[Line]:
        bottom = max(line.box.bottom for line in lines)
        return [replace(line, box=Box(line.box.x, bottom - line.box.bottom, line.box.w, line.box.h))
                for line in lines]

    passes = [flipped(lines_of(SLIP_GIFT_ROW.format(row=row, below="", tax="非課税計")))
              for row in ("アアッギ7ト券 ¥5,000", "ァマンーンキーフトタテseee。マー-ゥoe")]
    ex = extract(passes[0], reference=REF)
    assert not ex.fields.gift_card.value
    assert gift_over_passes(passes, ex).fields.gift_card.value is True


# An Amazon summary in a narrow window: each label breaks before its end, and a
# long amount breaks with it (as OCR read 0000 and 0060 of the seeded screenshots).
NARROW_SUMMARY = """
amazon.co.jp
印刷可能な注文概要
注文日: 2026年4月4日注文番号: 249-9747216-9603648
お届け先支払い方法注文の概要
清水大輔American商品の小\\ {sub}
〒530-1770 Express |末尾:計: {sub_tail}
大阪府大阪市北2413配送料・\\ 0
区梅田4-12-17手数料:
コ30注文合\\ {sub}
計: {sub_tail}
Amazonポー-\\ {points}
イント:
ご請求\\ {billed}
額: {billed_tail}
1点Amazonギフトカード(Eメールタイプ) -お祝い\\ 5,000
"""


@pytest.mark.parametrize(("sub", "sub_tail", "points", "billed", "billed_tail", "want"), [
    ("79.488", "", "500", "78.988", "", 78988),  # the labels wrapped
    ("197.0", "00", "0", "197.0", "00", 197000),  # the labels and the amounts' last digits
])
def test_a_label_wrapped_onto_the_next_row_still_names_its_amount(
        sub: str, sub_tail: str, points: str, billed: str, billed_tail: str, want: int) -> None:
    text = NARROW_SUMMARY.format(sub=sub, sub_tail=sub_tail, points=points, billed=billed, billed_tail=billed_tail)
    ex = run(text, reference=D(2026, 11, 1))
    assert ex.fields.amount.value == want


def test_a_wrapped_row_keeps_the_rows_after_it_in_place() -> None:
    from receipt_assistant.core.extract import rejoin_wrapped

    rows = lines_of("注文合\\ 197.0\n計: 00\nご請求額: \\ 197,000")
    joined = rejoin_wrapped(rows)
    assert [r.text for r in joined[1:]] == [r.text for r in rows[1:]]
    assert joined[0].text == normalize("注文合計: \\ 197.000")


def test_a_total_only_sums_give_leaves_the_gift_card_row_among_the_items() -> None:
    """Cash less change and the two item prices give 8,738 with the 合計 row unreadable: the card's row,
    the first of the items, is still a purchase, not the tender area below a total."""
    ex = run("""
デイリーヤマザキ 梅田南店
2024/10/22 15:54 レジ#2
ATazonギフトカードバリアブル¥8,500( JF)
からあげクン\\238※
6計し有
お預かり¥9,000
お釣り\\262
""", kind="store")
    assert ex.fields.amount.value == 8738
    assert ex.fields.amount.evidence == ("cash_minus_change", "items")
    assert "お預かり" in ex.fields.amount.text  # shown on the cash row, not on the card's
    assert ex.fields.gift_card.value is True


def test_a_total_read_on_the_card_row_leaves_that_row_a_purchase() -> None:
    """合計 unreadable and the card all that was bought: the sums give the total on the card's own row,
    which is still the item bought, not the tender area below the total."""
    ex = run("""
イオン四条通店
電話075-479-3600
令和8年10月15日(木)
レジ6責:787 No .3607
Amazonギフトカード10000円¥10,0003F
小計¥10,000
A =
6計410,00
(非課税計¥10,000)
お預り¥10,000
お釣り¥0
""", kind="store")
    assert ex.fields.amount.value == 10000
    assert "ギフトカード" in ex.fields.amount.text
    assert ex.fields.gift_card.value is True
    assert ex.gift_price == 10000


def test_gift_row_read_over_passes_on_the_row_the_total_was_read_on() -> None:
    """The total read on the card's own row (合計 unreadable) leaves that row an item, over passes too."""
    passes = [lines_of(SLIP_GIFT_ROW.format(row=row, below="", tax="非課税計"))
              for row in ("アアッギ7ト券 ¥5,000", "ァマンーンキーフトタテseee。マー-ゥoe")]
    ex = extract(passes[0], reference=REF)
    assert not ex.fields.gift_card.value
    on_card_row = replace(ex.fields.amount, box=passes[0][2].box, text=passes[0][2].text)
    ex = replace(ex, fields=replace(ex.fields, amount=on_card_row))
    assert gift_over_passes(passes, ex).fields.gift_card.value is True
