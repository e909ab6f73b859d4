"""The slip's total chosen by evidence, on OCR text in the patterns real slips give.

Rows starting with ``!`` are printed double-size (twice the body height),
as a till prints its 合計 row.
"""

from __future__ import annotations

import pytest

from receipt_assistant.core.fields.amount import (
    Fact,
    choose_total,
    label_kind,
    lost_leading_digits,
    misread_of,
    printed_both_ways,
    room_for_gift_card,
    shows_zeros_as_sixes,
    summed_from_parts,
    tax_added,
    zeros_read_as_sixes,
)
from receipt_assistant.core.model import Box, Line, Word
from receipt_assistant.core.text import normalize


def slip(text: str, conf: float = 0.9) -> list[Line]:
    lines, y = [], 0
    for k, row in enumerate(r for r in text.strip("\n").splitlines()):
        big = row.startswith("!")
        raw = row.lstrip("!").strip()
        h = 60 if big else 30
        box = Box(20, y, 600, h)
        y += h + 10
        lines.append(Line(text=normalize(raw), raw=raw, box=box, conf=conf, page=0, index=k,
                          words=(Word(raw, box, conf),)))
    return lines


KONBINI_CASH = """
ファミリーマート 中野駅前店
電話:03-1234-5678
2025年04月20日(日) 12:48 レジ1
領収書
アマゾンギフトカード ¥3,000(非)
おにぎり ¥138軽
小計 ¥3,138
(8%対象 ¥138)
(内消費税等 ¥10)
(非課税対象 ¥3,000)
!=言一¥3, 138
!お預り ¥5,000
!お釣 ¥1,862
"""

KONBINI_DEPOSIT_TOTAL = """
ローソン 新宿三丁目店
2024年12月15日 (日) 18:31
POSA Amazon ¥500
!合 計 ¥450
お預り合計 ¥500
!お 釣 ¥50
"""

CARD_LOST_DIGIT = """
ドラッグストア 青葉台店
2025年 5月17日 (土) 15:02
Amazonギフトカード ¥1,500
洗剤 ¥172
!合計\\』。672
!クレジット支払 ¥1,672
お釣り ¥0
(税率 10%対象 ¥172)
(非課税対象 ¥1,500)
"""

TAX_TOTAL_TRAP = """
セブン-イレブン 港南店
2024/01/25(木) 07:40
コーヒー ¥110
!大言一\\1 2 0
10%税合計 ¥11
(税率 8%対象 ¥120)
!お預り ¥1,000
!お釣 ¥880
"""

OUTER_TAX = """
スーパー 東町店
2025年3月2日(日) 10:05
牛乳 ¥198
パン ¥158
値引 -30
小 計(税抜 8%) ¥326
消費税等( 8%) ¥26
!合計 ¥352
現金 ¥400
お釣 ¥48
"""

UNREADABLE_LABEL = """
ミニストップ 北口店
2025年6月1日 19:20
ギフトカード 5000 ¥5,000(非)
お茶 ¥150
!#@ ¥5,150
(8%対象 ¥150)
(非課税対象 ¥5,000)
お預り ¥10,000
お釣 ¥4,850
"""

SMALL_VALUE_TAKEN = """
イオン 幕張店
2024年11月3日(日) 13:12
Amazonギフトカード ¥30,000
日用品 ¥371
合計 ¥90
(10%対象 ¥371)
(非課税 ¥30,000)
クレジット ¥30,371
お釣り ¥0
"""

CARD_SLIP = """
ウエルシア 本町店
2025年04月02日(水) 11:11
アマゾンPOSA ¥647
!合計 ¥647
!クレジット支払 ¥647
ご利用日 2025/04/02
会員番号 ****4411
支払金額 ￥６４７
"""


@pytest.mark.parametrize(
    ("text", "value", "evidence"),
    [
        pytest.param(KONBINI_CASH, 3138, {"label", "cash_minus_change", "tax_bases"}, id="garbled_label_cash_and_bases"),
        pytest.param(KONBINI_DEPOSIT_TOTAL, 450, {"label", "cash_minus_change"}, id="deposit_total_is_tender"),
        pytest.param(CARD_LOST_DIGIT, 1672, {"repaired", "cash_minus_change", "tax_bases"}, id="lost_first_digit"),
        pytest.param(TAX_TOTAL_TRAP, 120, {"cash_minus_change", "tax_bases"}, id="tax_labelled_total_trap"),
        pytest.param(OUTER_TAX, 352, {"label", "subtotal_plus_tax", "cash_minus_change"}, id="outer_tax"),
        pytest.param(UNREADABLE_LABEL, 5150, {"cash_minus_change", "tax_bases", "items"}, id="unreadable_label"),
        pytest.param(SMALL_VALUE_TAKEN, 30371, {"tax_bases", "items"}, id="small_value_outvoted"),
        pytest.param(CARD_SLIP, 647, {"label", "card_slip"}, id="credit_slip"),
    ],
)
def test_total_by_evidence(text: str, value: int, evidence: set[str]) -> None:
    choice = choose_total(slip(text))
    assert choice.value == value
    assert evidence <= set(choice.evidence)


def test_two_sums_give_high_confidence_one_label_alone_less() -> None:
    settled = choose_total(slip(KONBINI_CASH))
    label_only = choose_total(slip("店\n2025年1月5日\nお茶 ¥150\n合計 ¥150\n"))
    assert settled.field.confidence >= 0.9
    assert label_only.value == 150
    assert label_only.field.confidence < settled.field.confidence


def test_a_lost_digit_is_not_repaired_without_arithmetic() -> None:
    choice = choose_total(slip("店\n2025年1月5日\n!合計\\』。672\n"))
    assert choice.value == 672
    assert "repaired" not in choice.evidence


def test_no_money_no_total() -> None:
    assert choose_total(slip("ありがとうございました\nまたお越しください")).value is None


def test_sums_from_another_pass_count() -> None:
    first = slip("店\n2025年1月5日\n!合計\\』。672\n")
    choice = choose_total(first, extra=[Fact("cash_minus_change", 1672), Fact("tax_bases", 1672)])
    assert choice.value == 1672


def test_total_below_the_gift_card_price_loses() -> None:
    text = "店\n2025年1月5日\nAmazon ¥5,000\n合計 ¥500\n!¥5,000\n"
    assert choose_total(slip(text), at_least=5000).value == 5000


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("合計", "total"), ("合 計", "total"), ("=言一", "garbled_total"), ("大言一", "garbled_total"),
        ("お買上計", "total"), ("お支払合計", "total"), ("ご請求額", "total"), ("領収金額", "total"),
        ("台計", "total"), ("各計", "total"), ("小計", "subtotal"), ("小 計(税抜 8%)", "subtotal"),
        ("お預り合計", "tender"), ("お預り", "tender"), ("おぉ預り", "tender"), ("お釣", "change"),
        ("釣銭", "change"), ("10%税合計", "other"), ("消費税等( 8%)", "other"), ("(8%対象", "other"),
        ("ポイント合計", "other"), ("クレジット支払", "payment"), ("電子マネー", "payment"),
        ("WAON", "payment"), ("支払金額", "card"), ("合計 3点", "total"), ("おにぎり", "item"), ("", "none"),
        ("お買上酒", "garbled_total"), ("おぉ賓上計", "garbled_total"), ("= BF", "none"), ("(Amazon Pay)", "payment"), ("コード決済", "payment"),
        ("DVD-R", "item"), ("7 0747 1kg", "item"), ("10%稚合計", "other"), ("8% 合計", "other"),
        ("レジ1担当:佐藤No . ", "other"), ("責No.", "other"), ("今回ポイント", "other"), ("Nori弁当", "item"),
        ("月計", "garbled_total"), ("月計 ", "garbled_total"), ("税計", "other"), ("ポイント累計", "other"),
        ("月計算ドリル", "item"),
    ],
)
def test_label_kind(label: str, kind: str) -> None:
    assert label_kind(normalize(label)) == kind


def test_digit_relations() -> None:
    assert lost_leading_digits(672, 1672)
    assert not lost_leading_digits(672, 2673)
    assert lost_leading_digits(333, 10333, printed="0333")  # ¥10,333 read Y0,333: the 1 swallowed, the 0 kept
    assert not lost_leading_digits(333, 10333) and not lost_leading_digits(333, 20433, printed="0333")
    assert misread_of(5668, 5608)
    assert not misread_of(5000, 5001)


def test_zeros_read_as_sixes() -> None:
    assert zeros_read_as_sixes(5666, 5000) and zeros_read_as_sixes(19666, 19600)
    assert not zeros_read_as_sixes(5000, 5666)  # a 6 is not read as 0
    assert not zeros_read_as_sixes(5566, 5000) and not zeros_read_as_sixes(5666, 5666)


@pytest.mark.parametrize(
    ("row", "shows"),
    [
        pytest.param("電話672-262-3571", True, id="phone-number-begins-with-6"),
        pytest.param("TEL:692-277-9556", True, id="tel"),
        pytest.param("2626/62/11(水) 19:56", True, id="year-26xx"),
        pytest.param("2624年8月26日(火)", True, id="kanji-year-26xx"),
        pytest.param("電話072-262-3571", False, id="phone-read-right"),
        pytest.param("2026/02/11(水) 19:56", False, id="year-read-right"),
        pytest.param("No.2634-1", False, id="a-slip-number"),
    ],
)
def test_a_slip_shows_its_zeros_read_as_sixes(row: str, shows: bool) -> None:
    assert shows_zeros_as_sixes(slip(row)) is shows


@pytest.mark.parametrize(
    ("rows", "both"),
    [
        # A card's row and its tax base read with zeros, every sum with sixes; 円 garbled on both.
        pytest.param("2コX @5,000 10,0007 3\n小計2点16,666円\nお買上計16,666円\n(非課税10,000F3)", True,
                     id="the-card-with-zeros-the-sums-with-sixes"),
        pytest.param("ミネラルウォーター¥108*\n(8%対象 ¥168)", True, id="an-item-and-its-base"),
        pytest.param("ギフトカード ¥10,000\n小計 ¥16,500\n合計 ¥16,500", False, id="other-digits-too"),
        pytest.param("ギフトカード ¥10,000\n合計 ¥10,000\nお預り ¥10,000", False, id="read-alike"),
        pytest.param("レジ3 No.1000\nNo.1666", False, id="numbers-that-are-not-money"),
    ],
)
def test_one_value_printed_with_zeros_and_with_sixes(rows: str, both: bool) -> None:
    assert printed_both_ways(slip(rows)) is both


ZEROS_AS_SIXES = """
ツルハドラッグ 北五条西一丁目店
電話:{phone}
{year}年7月26日(土) 09:20
AMAZONバリアブル 8,000円(非)
おにぎり鮭 166円※軽
小計 8,166円
外税 12円
合計 8,172円
(8%対象 172円)
(非課税計 8,666円)
現計 16,666円
釣銭 1,828円
"""


@pytest.mark.parametrize(
    ("phone", "year", "expected"),
    [
        # 10,000 less 1,828 is the 8,172 printed; the 非課税 8,666 is 8,000, not more than the total.
        pytest.param("611-162-3764", "2625", 8172, id="the-slip-shows-its-zeros-read-as-sixes"),
        pytest.param("011-162-3764", "2025", None, id="a-slip-that-reads-zeros-right"),
    ],
)
def test_sums_read_with_sixes_give_a_total_with_zeros_when_the_slip_shows_them(
        phone: str, year: str, expected: int | None) -> None:
    choice = choose_total(slip(ZEROS_AS_SIXES.format(phone=phone, year=year)))
    if expected is None:
        assert choice.value != 8172
    else:
        assert choice.value == expected and "cash_minus_change" in choice.evidence


def test_a_change_of_a_lone_six_may_be_nothing() -> None:
    """お釣 "6" is a ¥0 read as 6 as likely as ¥6: the cash handed over repairs no 23,396 into 23,390."""
    rows = "Loppi Amazonギフト ¥22,600非\n菓子 ¥796\n小計 ¥23,396\n!口計¥23,3%\nお預かり ¥23,396\nお釣 ¥6"
    assert choose_total(slip(rows)).value == 23396


@pytest.mark.parametrize(
    ("bases", "expected"),
    [
        # 合計¥1e,165 read ¥165: the 8 % and 10 % bases add up to it, but they leave the untaxed card out.
        pytest.param("(10%対象 ¥5)\n(8%対象 ¥160)", None, id="one-sum-below-the-card"),
        pytest.param("(10%対象 ¥5)\n(8%対象 ¥160)\nお預り ¥200\nお釣 ¥35", 165, id="two-sums-below-the-card"),
    ],
)
def test_a_total_below_the_card_it_includes_needs_two_sums(bases: str, expected: int | None) -> None:
    rows = f"Amazonギフトカード ¥10,000非\nおにぎり ¥160\nレジ袋 ¥5\n合計¥1e,165\n{bases}"
    assert choose_total(slip(rows), at_least=10000).value == expected


def test_cash_less_a_lone_six_of_change_repairs_no_total_the_cash_repeats() -> None:
    """お預り 4,206 less お釣 "6" (a ¥0 read as 6) may be 4,206 itself: 合計 4,206 is not repaired into 4,200."""
    rows = "菓子 ¥4,206\n小計 ¥4,206\n合計 ¥4,206\nお預り現金 ¥4,206\nお釣 ¥6"
    assert choose_total(slip(rows), extra=[Fact("tax_bases", 4200, parts=2)]).value == 4206


def test_a_total_just_below_a_misread_card_price_needs_one_sum() -> None:
    """The card's row is as easily misread (¥42,606 for ¥41,994): cash less change is enough."""
    rows = "AMAZONバリアブル ¥42,606非\n菓子 ¥226\n合計 ¥42,220\nお預かり ¥42,226\nお釣り ¥6"
    assert choose_total(slip(rows), at_least=42606).value == 42220


@pytest.mark.parametrize(
    ("total", "sums", "expected"),
    [
        # 6,650 from a cash of 6,656 less a change of "6" read in another pass: the total's 0 is no 6.
        pytest.param("6,056", 6650, 6056, id="never-a-zero-into-a-six"),
        pytest.param("6,656", 6056, 6056, id="a-six-into-a-zero"),
    ],
)
def test_look_alike_digits_are_repaired_only_the_way_ocr_misreads_them(total: str, sums: int, expected: int) -> None:
    extra = [Fact("cash_minus_change", sums, parts=2), Fact("tax_bases", sums, parts=2)]
    assert choose_total(slip(f"店\n2025年1月5日\n菓子 ¥500\n合計 ¥{total}\n"), extra=extra).value == expected


def test_a_tax_base_that_is_the_total_misread_does_not_rule_the_total_out() -> None:
    # 非課税 19,000 read as 19,600: a total includes every tax base, but not a misread one.
    lines = slip("ファミリーマート\n2026/03/13(金) 18:07\n小計1点19,000\n!合計19,000\n(非課税19,600)\nお預かり19,000\n")
    assert choose_total(lines).value == 19000


def test_check_json_names_the_evidence_and_says_it_in_one_line() -> None:
    import datetime as dt

    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.fields.amount import explain

    ex = extract(slip(KONBINI_CASH), reference=dt.date(2026, 1, 1), kind="store")
    data = ex.fields.amount.to_json()
    assert data["value"] == 3138
    assert {"label", "cash_minus_change", "tax_bases"} <= set(data["evidence"])
    line = explain(data["evidence"])
    assert line is not None and "お預り−お釣" in line.ja and "cash paid less change" in line.en
    assert explain([]) is None


SEVEN_SCAN_AS_READ = """
O 7-ELEVEn
=宮町店
2026年9月27日(日) 21:53
がナフキ2トかト- 5,000円非
単37ル》り4本528円
!合切5,528円
10対象計528円
10X税含計48円
(非課税5,.000円)
!ルタヶト5,528円
お釣0円
ご利用日26/09/27
金額¥5, 528
"""


def test_a_clean_scan_as_tesseract_reads_it() -> None:
    choice = choose_total(slip(SEVEN_SCAN_AS_READ))
    assert choice.value == 5528
    assert {"label", "tax_bases", "card_slip"} <= set(choice.evidence)


@pytest.mark.parametrize("advert", ["お会計1,000円以上で5%OFF", "お会計2,000円以上で100円引"])
def test_an_adverts_condition_is_not_a_total(advert: str) -> None:
    text = f"店\n2025年1月5日\nAmazonギフトカード ¥5,000\n!¥5,000\n{advert}\n"
    assert choose_total(slip(text)).value == 5000


def test_a_small_total_below_the_gift_card_is_not_taken_without_a_sum() -> None:
    text = "店\n2025年1月5日\nAmazonギフトカード ¥10,000\nxR合計11円\n"
    assert choose_total(slip(text), at_least=10000).value is None


def test_a_subtotal_per_tax_rate_adds_up_before_the_tax_on_top() -> None:
    text = """店
2025年1月5日
洗剤 ¥1,122外
Amazonギフトカード ¥3,000非
小計(税抜8%) ¥1,122
小計(非課税) ¥3,000
外税(8%) ¥89
合計¥4,211
お預り¥5,000
お釣り¥789
"""
    choice = choose_total(slip(text))
    assert choice.value == 4211
    assert {"label", "subtotal_plus_tax", "cash_minus_change"} <= set(choice.evidence)


# A slip whose gift-card row OCR lost: the slip's sums say whether one can be on it.
TAXED_THROUGHOUT = """
イオン 名駅前店
2024年10月06日(日) 16:02
納豆3P \\ 98軽
国産豚ロース \\498軽
洗剤 \\1,338
小計(3点) ¥1,934
お支払合計\\1.934
(税率8t対象¥596)
(10%対象 ¥1,338)
(内消費税等8 \\ 165)
現金 ¥2,000
お釣り \\66
"""

UNTAXED_LEFT = """
ファミリーマート 中野駅前店
2025年04月20日(日) 12:48 レジ1
7゜74゜ 2トカー ¥3,000
おにぎり ¥138軽
小計 ¥3,138
(8%対象 ¥138)
(非課税対象 ¥3,000)
!=言一¥3, 138
!お預り ¥5,000
!お釣 ¥1,862
"""

OUTER_TAX_TAXED = """
スーパー 東町店
2025年3月2日(日) 10:05
牛乳 ¥198
ゴミ袋 ¥1,852
小 計(税抜 8%) ¥198
小 計(税抜10%) ¥1,852
消費税等( 8%) ¥15
消費税等(10%) ¥185
!合計 ¥2,250
現金 ¥3,000
お釣 ¥750
"""

RATE_READ_AS_A_NUMBER = """
スーパー 東町店
2025年3月2日(日) 10:05
牛乳 ¥198
電子レンジ台 ¥4,000
小 計(税抜 8%) ¥198
小 計(税抜1096) ¥4,000
消費税等( 8%) ¥15
消費税等(10%) ¥400
!合計 ¥4,613
現金 ¥5,000
お釣 ¥387
"""

CHEAP_ITEMS = """
ダイソー 駅前店
2025年5月3日(土) 10:05
収納ケース ¥1,100
ハンガー ¥330
洗濯ネット ¥220
タオル ¥550
!合計 ¥2,200
お預り ¥5,000
お釣 ¥2,800
"""

BOTH_ROWS_MISREAD = """
デイリーヤマザキ 渋谷店
2026年1月27日(火)13:42
7° 74° 2トカー3000 ¥3,000
メロンパン \\145
!合計¥3, 14
(非課税対象¥3,000
!電子マネー\\3 14.
"""


@pytest.mark.parametrize(
    ("text", "room"),
    [
        pytest.param(TAX_TOTAL_TRAP, False, id="total_below_the_cheapest_card"),
        pytest.param(TAXED_THROUGHOUT, False, id="taxed_bases_make_the_total"),
        pytest.param(UNTAXED_LEFT, True, id="untaxed_share_left"),
        pytest.param(OUTER_TAX_TAXED, False, id="outer_tax_bases_and_tax_make_the_total"),
        pytest.param(OUTER_TAX_TAXED.replace("!合計 ¥2,250", "小 計(非課税) ¥3,000\n!合計 ¥5,250")
                     .replace("¥3,000\nお釣 ¥750", "¥6,000\nお釣 ¥750"), True, id="outer_tax_untaxed_subtotal"),
        pytest.param(CHEAP_ITEMS, False, id="cheap_items_make_the_total"),
        pytest.param(CHEAP_ITEMS.replace("タオル ¥550", "毛布 ¥1,650").replace("¥2,200", "¥3,300")
                     .replace("¥2,800", "¥1,700"), True, id="an_item_as_dear_as_a_card"),
        pytest.param(BOTH_ROWS_MISREAD, True, id="small_total_below_a_dearer_row"),
        pytest.param("イオン\n2023年11月23日(木)\n7ヌヅッギ2ト#カード¥10,000(3)\n!合計¥10,000\nお預かり¥10,000\nお釣¥0\n",
                     True, id="a_card_rows_mark_read_as_a_digit_after_its_price"),
        pytest.param("店\n2025年1月5日\nxyz ¥300\n!合計 ¥900\n", True, id="total_without_a_sum"),
        pytest.param(RATE_READ_AS_A_NUMBER, False, id="a_rate_read_as_a_number"),
        pytest.param(TAXED_THROUGHOUT.replace("1,338", "2,338").replace("1,934", "2,934").replace("1.934", "2.934")
                     .replace("¥2,000", "¥3,000").replace("(10%対象", "(10%象"), False, id="a_base_whose_対_was_lost"),
        pytest.param(TAXED_THROUGHOUT.replace("1,338", "2,338").replace("1,934", "2,934").replace("1.934", "2.934")
                     .replace("¥2,000", "¥3,000").replace("(10%対象", "10%対RR Et"), False,
                     id="a_base_whose_象_was_garbled"),
    ],
)
def test_room_for_a_gift_card_row_the_reading_missed(text: str, room: bool) -> None:
    """No further pass hunts for a gift card the slip's sums rule out; any doubt leaves room."""
    lines = slip(text)
    assert room_for_gift_card(lines, choose_total(lines)) is room


def test_a_total_below_a_tax_base_needs_two_sums() -> None:
    """Double-size total and payment rows misread alike (¥3, 14 for ¥3,145) cannot be below the 非課税 base."""
    assert choose_total(slip(BOTH_ROWS_MISREAD)).value is None


def test_a_digit_in_the_place_of_yen_is_the_yen_on_a_slip_that_prints_it() -> None:
    text = """スギ薬局 三宮町南店
2024/03/07 13:11
トイレットペーパー12R 外498円
シャンプー詰替 外398円
小計11,466円
合計11,6129
d払い11,6129
"""
    choice = choose_total(slip(text))
    assert choice.value == 11612
    assert {"label", "payment"} <= set(choice.evidence)
    # The same digits where no row prints 円 are a number as read.
    assert choose_total(slip(text.replace("円", ""))).value != 11612


@pytest.mark.parametrize(("printed", "read"), [("1,605M", True), ("1,605P", False), ("1, 605M]", True)])
def test_a_letter_in_the_place_of_yen_is_the_yen_but_a_points_p(printed: str, read: bool) -> None:
    """合計1,605M is ¥1,605 on a slip that prints 円, its digits apart or not; 1,605P would be points, not money."""
    text = f"""イオン 三宮駅前店
2024年10月15日(火) 18:58
納豆3P 98円
小計(非課税) 1.500円
!合計{printed}
"""
    assert (choose_total(slip(text)).value == 1605) is read


SEVEN_GARBLED_TOTAL = """
セブン-イレブン三軒茶屋中央店
電話: 03-9118-6636
26-05-28 07:55レジ3
責No .200 No .6590
アスゾッラギフトリフル¥4,639 3
慕の内弁当Y550軽
2点X単165 \\330
!吊酒¥5,519
10958象計¥330
(8%対纂\\550 )
(非課税\\4 , 639 )
!お預かりV5,519
お釣り¥0
"""


def test_a_row_equal_to_the_items_above_it_is_their_sum_whatever_its_label() -> None:
    """The items add up to the garbled 合計 row (past a slip-number row and a stray digit), and cash agrees."""
    choice = choose_total(slip(SEVEN_GARBLED_TOTAL))
    assert choice.value == 5519
    assert set(choice.evidence) >= {"cash_minus_change", "items"}


def test_an_item_name_that_starts_with_digits_is_still_an_item() -> None:
    """A half-width card name read as ``7738" -ト7アッギ…``: the row's price, not its first digits, ends its label."""
    choice = choose_total(slip("""
ファミリーマート旭町北口店
2024/02/10 14:59
レジ6責:379 No.2993
7738" -ト7アッギ7カト¥3,000:
合計¥3,000
"""))
    assert choice.value == 3000 and "items" in choice.evidence


def test_a_discount_on_the_whole_purchase_is_taken_off_the_subtotal() -> None:
    """小計 less 5%OFF gives the total whose label (お買上計) OCR garbled; the 小計 itself is not the total."""
    choice = choose_total(slip("""
ライフ 西新宿店
2026年05月04日 16時42分
レジ袋 ¥5
ビール 350ml ¥218
値引 -¥30
小計¥ 11,040
5XOFF -292
!お買上酒¥ 10,748
10%対象計¥ 198
お預り¥ 10,800
"""))
    assert choice.value == 10748
    assert "subtotal_plus_tax" in choice.evidence


def test_a_subtotal_per_tax_rate_is_not_the_total_when_the_total_row_is_unreadable() -> None:
    """The 10 % 小計 is a part of the sale: with the 合計 row garbled there is no total yet, not a wrong one."""
    choice = choose_total(slip("""
ウエルシア 三軒茶屋店
2026年05月08日(金)14:41
洗濯洗剤 ¥358
小計(税抜8%) ¥1,824
小計(税抜10%) ¥7,236
消費税等8% ¥145
消費税等10% ¥723
!8計00.028
現釜¥5,000
お釣り ¥72
"""))
    assert choice.value is None
    assert any(f.name == "subtotal_plus_tax" and f.value == 9928 for f in choice.facts)


def test_a_payment_row_named_by_its_service_repeats_a_total_whose_label_is_noise() -> None:
    """The payment row (Amazon Pay) and the tax bases (one of them without its 対) agree; the advert does not count."""
    choice = choose_total(slip("""
マツモトキヨシ 旭町店
2024年5月26日(日) 07:09
歯磨き粉 ¥198
ドーコ宮
!= BF ¥9,308
(10%象 ¥8,616)
(税率8%対象¥ 692)
コード決済 (Amazon Pay) ¥9,308
お釣り ¥0
お会計2,000円以上で100円引
"""))
    assert choice.value == 9308


def test_a_sum_of_the_discounts_already_taken_off_is_not_taken_off_the_subtotal_again() -> None:
    """値引合計 below the 小計 sums the item discounts above it: the 小計 is still the total."""
    choice = choose_total(slip("""
店
2025年1月5日
牛乳 ¥198
値引 -30
パン ¥158
小計 ¥326
値引合計 -30
お預り ¥1,000
お釣 ¥674
"""))
    assert choice.value == 326
    assert not any(f.name == "subtotal_plus_tax" for f in choice.facts)


def test_an_untaxed_rest_printed_on_another_issuers_card_row_leaves_no_room() -> None:
    """The 非 mark after the price garbled (¥6,2773%): the rest the tax bases leave is that card's price still."""
    lines = slip("""
ローソン 富士見町店
2023/11/17 14:40 レジ3
PlayStation Storeチケット¥6,2773%
天然水550ml ¥118軽
おにぎり ¥150軽
小計 ¥6,545
!合計 ¥6,545
(税率8%対象 ¥268)
(内消費税等8% ¥19)
!お預り ¥7,000
!お釣 ¥455
""")
    choice = choose_total(lines)
    assert choice.value == 6545
    assert room_for_gift_card(lines, choice, {2}) is False  # the row that names PlayStation Store
    assert room_for_gift_card(lines, choice) is True


def test_an_item_whose_name_was_not_read_is_still_added_and_a_large_row_ends_the_items() -> None:
    """``YR ¥165`` is a body-size priced row (a name OCR lost); the double-size garbled 合計 below is no item."""
    choice = choose_total(slip("""
ローソン 中央南店
2026年3月5日(木)20:07
レジ3 責:68172 No.2687
YR ¥165
単3アルカリ4本 ¥528
プロテイン1kg ¥3,980
!呑耐¥4,673
(10%対蒙 ¥4,673)
!AvazonPay支払¥4,673
お釣り¥0
"""))
    assert choice.value == 4673
    assert "items" in choice.evidence


def test_a_larger_total_whose_label_ocr_garbled_keeps_the_zeros_the_sums_read_as_sixes() -> None:
    """合計 read 月計, printed large with zeros; 小計, the untaxed base and the cash all read sixes."""
    choice = choose_total(slip("""
ファミリーマート 西新宿店
電話03-1657-0372
2026/07/12(日) 18:58
Amazonギフトカードバリアブル36,696円非
小計1点36,666円
!月計36,000円
(非課税36,666円)
お預り現金36,666円
釣銭6円
"""))
    assert choice.value == 36000
    assert choice.evidence[0] == "label" and "tax_bases" in choice.evidence


@pytest.mark.parametrize("tax_row", ["(外税8%) 20", "(外税8%) ¥20"])
def test_items_and_the_tax_added_below_them_are_a_sum_when_the_subtotal_label_was_lost(tax_row: str) -> None:
    """小計 read as a name (d欲誠3,256) repeats the items; the 外税 row under it makes 3,276 with them, as cash does,
    and the garbled 合計 3,479 loses to the two sums."""
    choice = choose_total(slip(f"""
セイコーマート 北五条店
2025年03月21日21時41分
レジ6 責:635 No.9832
Amazon POSAカード3,000非
2コX単128 256軽
d欲誠3,256
{tax_row}
!合計3,479
(8%対象276)
(非課税対象3,000)
お預り現金5,000
お釣1,724
"""))
    assert choice.value == 3276
    assert set(choice.evidence) >= {"cash_minus_change", "subtotal_plus_tax"}
    assert "Amazon" not in choice.field.text  # shown below the items, never on the card's row


def test_cash_less_change_with_no_six_keeps_the_zeros_the_tax_bases_read_as_sixes() -> None:
    """8%対象 ¥108 read ¥168 makes the bases add up to the misread 合計 3,168; 4,000 less 892 cannot be misread so."""
    choice = choose_total(slip(r"""
セブン-イレブン 旭町駅前店
2026年06月10日14時53分
レジ6 責:122 No.5339
アゾフギフトかド3000 \3,066非
ミもルリォ-ター¥108*
小計2点\3, 168
合計\3, 168
(8%対象\168)
(内消費税等\8)
(非課税計¥3,000)
お預り現金¥4,000
釣銭\892
"""))
    assert choice.value == 3108
    assert choice.evidence == ("label", "repaired", "cash_minus_change")


def test_the_item_prices_keep_the_zeros_every_sum_read_as_sixes() -> None:
    """小計, 合計 and the untaxed base all read 17,206 where the card's row printed 17,200: the till's zeros."""
    choice = choose_total(slip("""
MINISTOP
中央北口店
2026/09/13(日) 15:19
レジ6 責:137 No.3301
Amazon¥トルリナル17,200 =
小計1点17, 206円
含計17,206円
(非課税17,206円)
現計17,266円
POSA ACTIVATION
"""))
    assert choice.value == 17200
    assert choice.evidence == ("label", "repaired", "items")


@pytest.mark.parametrize(("subtotal", "total"), [("小計1点TT as, 000", "& 8 ¥28,000"), ("", "!呑耐 ¥28,000")])
def test_no_item_read_above_the_summary_rows_makes_no_item_sum(subtotal: str, total: str) -> None:
    """The card's row was lost: 小計 whose value OCR lost, or a large 合計 read like a name, ends the items before
    any was read, so the 合計 row is not taken for the item prices added up."""
    choice = choose_total(slip(f"""
セブン-イレブン 紙屋町店
26-08-21 18:59
レジ4 責:731 No.3601
PL Ey
{subtotal}
{total}
(非課税計¥28,000)
お預り現金¥28,000
"""))
    assert choice.value == 28000
    assert "tax_bases" in choice.evidence
    assert not any(f.name == "items" for f in choice.facts)


def test_a_subtotal_with_a_rate_is_a_taxed_base_whatever_ocr_made_of_its_label() -> None:
    """小計(税抜10%) read 小計(梶抜10%): its rate still says it is a taxed base, so the untaxed rest is the other card."""
    text = """
ウエルシア 南幸店
2025年01月13日22時25分
Google Playギフトコード¥10,000非
サラダチキン ¥198軽
リップクリーム ¥3,168
小計(税抜8%) ¥198
小計(梶抜10%) ¥3,168
小計(非課税) ¥10,000
消費税等8 ¥15
消費税等10 ¥316
!お買上計 ¥13,697
楽天Edy支払 ¥13,697
"""
    lines = slip(text)
    choice = choose_total(lines)
    assert choice.value == 13697
    assert room_for_gift_card(lines, choice, {2}) is False
    # Without the 10 % base (nor the untaxed one, which alone would tell), the taxed bases say nothing.
    unsettled = text.replace("小計(梶抜10%) ¥3,168\n", "").replace("小計(非課税) ¥10,000\n", "")
    assert room_for_gift_card(slip(unsettled), choice, {2}) is True


def test_a_large_row_whose_label_reads_as_a_name_is_the_total_the_sums_restore() -> None:
    """The double-size 合計 ¥1,320 read ``ait礼,320``: no item is printed that large, and 小計 plus 外税 restore its digit."""
    lines = slip("""
ダイソー 名駅店
2026年2月10日(火) 09:54
電池ボタン外 ¥100
収納ラック外 ¥500
フォトフレーム外 ¥100
小計(税抜10) ¥1,200
消費税等(10) ¥120
!ait礼,320
ギフトカード1枚 ¥1,000
お釣り ¥680
""")
    choice = choose_total(lines)
    assert choice.value == 1320
    assert "repaired" in choice.evidence and "subtotal_plus_tax" in choice.evidence


SUPER_TOTAL_UNREAD = """
西友 桜台店
2023/12/18(月) 09:21 レジ#2
米5kg 2,380円軽
食器用洗剤 168円外
小計(15点) 7.318円
会員様割引3X -175円
小計(税抜8) 5.682円
小計(税抜10 1.461円
消費税等( 80) 454円
消費税等(10) 146円
!合計ィ43円
10X税合計146円
8X税合計454円
お預かり10.000円
お釣り2.257円
"""


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        pytest.param(SUPER_TOTAL_UNREAD, ("label", "repaired", "cash_minus_change", "subtotal_plus_tax"),
                     id="two_digits_lost"),
        pytest.param(SUPER_TOTAL_UNREAD.replace("!合計ィ43円", "!8計14弟"), ("cash_minus_change", "subtotal_plus_tax"),
                     id="total_row_unreadable"),
    ],
)
def test_two_sums_that_agree_settle_a_total_no_row_prints_legibly(text: str, evidence: tuple[str, ...]) -> None:
    """Cash less change and 小計 plus 外税 both give 7,743: that is the total, whatever OCR made of its row."""
    choice = choose_total(slip(text))
    assert choice.value == 7743
    assert choice.evidence == evidence
    assert choice.field.confidence >= 0.9


# A total whose last digit was lost (860 read as 86( on its row), and the 8% base read alike.
LAST_DIGIT_LOST = """
ミニストップ 博多駅前店
2023/11/20(月) 07:18
おにぎり 2コX単160 \\ 480軽
オレンジ 2個X単120 \\ 240軽
緑茶600ml \\ 140軽
!合計\\ 86(
(8%対象計 \\ 86
(8%税合計 \\ 63
お預り \\ 5,000
お釣リ ¥4,140
"""


def test_two_sums_outweigh_a_label_and_one_row_read_alike() -> None:
    """Cash less change and three item prices give 860; the 合計 and its tax base both lost the last 0."""
    choice = choose_total(slip(LAST_DIGIT_LOST))
    assert choice.value == 860
    assert choice.evidence == ("label", "repaired", "cash_minus_change", "items")
    assert "合計" in choice.field.text  # shown on the total's row


def test_one_sum_alone_restores_no_total() -> None:
    choice = choose_total(slip(SUPER_TOTAL_UNREAD.replace("お釣り2.257円\n", "")))
    assert choice.value != 7743


def test_a_total_is_weighed_against_the_subtotals_printed_values_not_their_rates() -> None:
    """小計(税抜10 1.461円 read with its rate joined to the value (101,461) made the printed 合計 look implausible."""
    choice = choose_total(slip(SUPER_TOTAL_UNREAD.replace("お釣り2.257円\n", "").replace("!合計ィ43円", "!合計 7,743円")))
    assert choice.value == 7743
    assert choice.evidence == ("label", "large_print", "subtotal_plus_tax")


@pytest.mark.parametrize(
    ("rows", "summed"),
    [
        pytest.param("お茶 ¥476\nAmazonギフトカード ¥5,000\n!合計 ¥5,476\nお預り ¥5,476\nお釣 ¥0", True,
                     id="two_item_prices"),
        pytest.param("Amazonギフトカード ¥5,476\n!合計 ¥5,476\nお預り ¥10,000\nお釣 ¥4,524", True,
                     id="cash_less_change"),
        pytest.param("Amazonギフトカード ¥5,476\n!合計 ¥5,476\nお預り ¥5,476\nお釣 ¥0", False,
                     id="copies_of_the_total_only"),
    ],
)
def test_a_total_summed_from_other_values_has_its_digits_proven(rows: str, summed: bool) -> None:
    """Zeros misread as sixes alike on every row leave copies of the total agreeing, not real sums."""
    lines = slip("ローソン 新宿店\n2024/05/01 10:00\n" + rows)
    choice = choose_total(lines)
    assert choice.value == 5476
    assert summed_from_parts(lines, choice) is summed


def test_a_total_whose_label_row_is_split_from_its_value_by_debris_is_still_labelled() -> None:
    """A photographed drugstore slip's double-size お支払合計 came back as three rows: the label, a row of
    debris from its lower half, and the value with letters of the table after it."""
    text = """店
2026年7月27日
食パン ¥168
歯磨き粉 ¥198
!“」お支払合計mee
_—、mood
!E ¥4,750 boo
ド現金¥5,000
お釣り\\250
"""
    choice = choose_total(slip(text))
    assert choice.value == 4750
    assert "label" in choice.evidence


@pytest.mark.parametrize("after", ["boo", "perennsonay", "SE"])
def test_latin_letters_after_a_value_are_debris_not_an_adverts_words(after: str) -> None:
    text = f"店\n2025年1月5日\nAmazonギフトカード ¥5,000\n!合計 ¥5,000 {after}\n"
    assert choose_total(slip(text)).value == 5000


def test_a_yen_sign_that_swallowed_a_first_digit_but_left_the_zero_is_made_whole_by_the_sums() -> None:
    """¥10,333 read Y0,333: the zero the 1 left is no value of its own, and the sums give the whole one."""
    text = """
ローソン 大手町店
2025年12月08日(月) 06:38
アマゾンギフト券 ¥10,000(非)
食器用洗剤 ¥303
小計(税抜) ¥10,303
消費税等(10%) ¥30
!計Y0,333
!クレジット支払 ¥10,333
お釣り ¥0
"""
    choice = choose_total(slip(text))
    assert choice.value == 10333
    assert "repaired" in choice.evidence and "Y0,333" in choice.field.text  # shown on the 合計 row, not the card's
    # Without the sums the zero-led value is no total: nothing is better than ¥333.
    alone = choose_total(slip("店\n2025年1月5日\n!計Y0,333\n"))
    assert alone.value is None


def test_the_row_above_no_change_is_what_was_paid_whatever_its_label_reads() -> None:
    """クレジット read クルジデゥット: above お釣 ¥0 it is still the payment, and with the tax bases it settles the total."""
    text = """
セブン-イレブン 紺屋町店
2023/12/13(水) 14:44
7ネゲッギ7トカード \\10.,.000非
電池 \\327
!6計Y0,307
10%対象計 \\327
(非課税 ¥10,000)
クルジデゥット \\10.327
お釣 ¥0
"""
    choice = choose_total(slip(text))
    assert choice.value == 10327
    assert {"cash_minus_change", "tax_bases"} <= set(choice.evidence)


def test_with_change_the_row_above_it_alone_is_not_taken_for_what_was_paid() -> None:
    """Paid by a gift card and cash with change back: the cash row alone less the change is no total."""
    text = """
ダイソー 紺屋町店
2025/07/23(水) 06:55
収納ボックス外 \\1,200
小計(税抜10) \\1 , 200
消費税等( 10) \\120
!ait礼,320
ギフトカード1枚 ¥1,000
Re ¥1,000
お釣り \\680
"""
    choice = choose_total(slip(text))
    assert choice.value == 1320


DRUGSTORE_RATES_GARBLED = """
Fig (dra ok zス8
R sy A #3)レース9
大阪府大阪市北区梅田3-2-1
TEL:06-1180-5167
{date}
POS05責No . 402 No .0560
ロキソニンS 12錠648円
PlayStation Store チケット1.000円非
プロテインバー148円軽
お貴上訃1,7985円
(10X対| 648円)
(内消費税等58円)
8N対象計148円
8t程含計108
(非議税対象1.00o内)
!クレジット支払。1,796円
お釣0円
"""


@pytest.mark.parametrize("date", ["2024/09/14(土) 16:38", "202470974(土) 16:38"])
def test_rates_whose_percent_ocr_read_as_a_letter_are_tax_rows_not_items_nor_the_total(date: str) -> None:
    """8%税合計 read 8t程含計 is the tax, 10%対象 read 10X対 a tax base; the rows above a date whose
    digits ran together are the shop's header, not items."""
    lines = slip(DRUGSTORE_RATES_GARBLED.format(date=date))
    assert label_kind("8t程含計") == "other"
    assert label_kind("(10X対| ") == "other"
    choice = choose_total(lines)
    assert choice.value == 1796
    assert "items" in choice.evidence


# A 100-yen shop slip paid partly with a gift card, its label read as a name, the 合計 row unreadable.
PAID_WITH_A_CARD = """
ダイソー名駅店
2026年2月10日(火) 09:54
収納ボックス外\\500
収納ッヵ外\\100
ッチョフィト外\\600
小計(税抜10)) \\1 , 200
消費税等(10) \\120
!a i ¥1,3
ギ7トート1枚\\1 ., 000
現金\\1 , 000
お釣り\\680
"""


def test_a_card_taken_as_payment_above_the_cash_counts_in_what_was_paid() -> None:
    """A person adds the card row above 現金 to the cash: 1,000 + 1,000 - 680 agrees with 小計 plus tax."""
    choice = choose_total(slip(PAID_WITH_A_CARD))
    assert choice.value == 1320
    assert {"cash_minus_change", "subtotal_plus_tax"} <= set(choice.evidence)
    assert choose_total(slip(PAID_WITH_A_CARD.replace("ギ7トート1枚\\1 ., 000\n", ""))).value != 1320  # no card, no sum


# Another issuer's card bought with something small: its price leaves less than any card of ours.
OTHER_CARD_AND_A_LITTLE = """
ウエルシア 堺店
2024年5月15日(水) 10:29
Apple Gift Card \\9,000
まおィチー\\420
!合計¥9,470
クレジット支払¥9,470
"""


@pytest.mark.parametrize(
    ("text", "room"),
    [
        pytest.param(OTHER_CARD_AND_A_LITTLE, False, id="the_rest_is_less_than_a_card"),
        pytest.param(OTHER_CARD_AND_A_LITTLE.replace("\\420", "\\3,420").replace("9,470", "12,470"), True,
                     id="the_rest_could_be_a_card"),
    ],
)
def test_what_other_issuers_cards_leave_of_the_total(text: str, room: bool) -> None:
    lines = slip(text)
    assert room_for_gift_card(lines, choose_total(lines), {2}) is room


# A small konbini slip whose お釣 label OCR lost (栄 for 釣), and an item row whose count reads as a price.
CHANGE_LABEL_LOST = """
ローソン 梅田店
2025年8月9日(土) 09:56
ポテトチップス158軽
Y22 30枚658
小計816
!向計816
(10%対象658)
現計10,000
槌9,184
"""


def test_the_row_after_the_cash_is_the_change_when_its_label_was_lost() -> None:
    """10,000 handed over, 9,184 back: 816, as the 小計 says; a ¥816 slip leaves no room for a card."""
    lines = slip(CHANGE_LABEL_LOST)
    choice = choose_total(lines)
    assert choice.value == 816 and "cash_minus_change" in choice.evidence
    assert room_for_gift_card(lines, choice) is False
    # Without the change there is only the 小計: a dearer value above (22 30枚 read as ¥2,230) leaves room.
    lines = slip(CHANGE_LABEL_LOST.replace("槌9,184\n", ""))
    assert room_for_gift_card(lines, choose_total(lines)) is True


def test_a_total_the_sums_give_is_shown_on_a_sum_not_in_an_items_name() -> None:
    """小計 and the 非課税 base agree on 10,000 against a garbled 合計: the card's name ギフトカード10000 is not where."""
    text = """ファミリーマート 博多駅前南店
2025/12/09(火) 13:36
アマゾンギフトカード10000 19,666円非
小計10,000円
合計16,669円
(非課税計10,000円)
"""
    choice = choose_total(slip(text))
    assert choice.value == 10000
    assert choice.field.text.startswith("小計")


def test_a_sum_no_reading_of_its_sixes_can_lower_keeps_the_total_as_read() -> None:
    """お預り 27,000 read 21,000 less お釣 278 is 20,722, the printed 26,722 with a 6 as a 0; but the
    subtotals and taxes add up to 26,722 and no six among them read as a zero makes 20,722."""
    choice = choose_total(slip(r"""
マツモトキヨシ 三宮町北口店
2024年2月19日(月)12:03
A M A Z O Nギフトカード
2点X単10.000 \20,000非
洗濯洗剤\358
食パン6枚\168※
小計(税抜8%) \432
小計(税抜10%) ¥5,688
小計(非課税) ¥20,000
消費税等8% \34
消費税10% \568
!お支払合計¥26,722
お預り¥21,000
お釣\278
"""))
    assert choice.value == 26722
    assert "subtotal_plus_tax" in choice.evidence


@pytest.mark.parametrize(("rows", "added"), [
    ("小計(税抜8%) ¥1,402\n消費税等8% ¥112", True),
    ("小計(税疫8X) 1,402円\n浩費税等8 112円", True),  # 抜 garbled: a 小計 per rate still says so
    ("外税 ¥112", True),
    ("小計 ¥1,514\n(8%対象 ¥1,514)\n(内消費税等 ¥112)", False),
    ("小計(8%対象) ¥1,514", False),  # a 小計 of a base, tax included
    ("小計(税込8%) ¥1,514", False),
])
def test_tax_added_on_top(rows: str, added: bool) -> None:
    assert tax_added(slip(rows)) is added


def test_a_subtotal_per_rate_with_its_tax_below_is_a_sum_whatever_ocr_made_of_its_label() -> None:
    """小計(税抜8%) and 小計(税抜10%) read with 抜 garbled, and their taxes below: 1,402 + 3,161 + 112 + 316."""
    choice = choose_total(slip("""
ウエルシア 西新宿店
26-01-11 13:24 レジ4
牛乳1L 228円
小計(税疫8X) 1,402円
小計(税袁10 3,161円
浩費税等8 112円
清費税等10% 316円
!合計4,991円
現金5,000円
お釣り9円
"""))
    assert choice.value == 4991
    assert "subtotal_plus_tax" in choice.evidence


def test_a_large_number_in_the_cards_name_does_not_stand_in_for_an_unreadable_total() -> None:
    """合計 read ¥1e,165 (under the card, so no total without two sums), and the card's name 10000円 read
    large as 16996円: with no sum behind it, that number is no total."""
    choice = choose_total(slip(r"""
ファミリーマート 博多駅前店
2025/06/30 16:09
!Amazonギフトカード16996円
¥10,000非
ポテトチップス ¥165
!合計¥1e,165
(8%対象 \ 165)
(内消費税等\ 11)
お預り現金¥12,000
"""), at_least=10000)
    assert choice.value is None
