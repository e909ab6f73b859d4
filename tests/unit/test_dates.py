"""Dates as slips and Amazon pages print them, and as OCR garbles them."""

from __future__ import annotations

import datetime as dt

import pytest

from receipt_assistant.core.dates import find_dates, parse_date

REF = dt.date(2024, 6, 1)
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Gregorian with kanji
        pytest.param("2024年5月1日", D(2024, 5, 1), id="kanji"),
        pytest.param("2024年05月01日", D(2024, 5, 1), id="kanji-zero-padded"),
        pytest.param("2024年5月1日(水) 14:23", D(2024, 5, 1), id="kanji-weekday-time"),
        pytest.param("2024年5月1日(水曜日)", D(2024, 5, 1), id="kanji-long-weekday"),
        pytest.param("2024年5月1日", D(2024, 5, 1), id="kanji-no-spaces"),
        pytest.param("2024 年 5 月 1 日", D(2024, 5, 1), id="kanji-ocr-spaces"),
        # OCR set a number's two digits apart: before its 月 or 日 they are still one number,
        pytest.param("注文日: 2023年1 1月23日", D(2023, 11, 23), id="month-split"),
        pytest.param("令和5年1 2月1 7日(日)", D(2023, 12, 17), id="era-month-and-day-split"),
        pytest.param("1 1月2 5日(土)", D(2023, 11, 25), id="month-day-split-year-by-weekday"),
        # but not before a time: the day is 2 and the time 1:45, not the 21st.
        pytest.param("2023年11月2 1:45", D(2023, 11, 2), id="day-then-time"),
        pytest.param("2024年5月1", D(2024, 5, 1), id="kanji-day-mark-lost"),
        pytest.param("24年5月1日", D(2024, 5, 1), id="kanji-two-digit-year"),
        # Japanese era
        pytest.param("令和6年5月1日", D(2024, 5, 1), id="reiwa"),
        pytest.param("令和 6 年 5 月 1 日", D(2024, 5, 1), id="reiwa-spaced"),
        pytest.param("令和元年5月1日", D(2019, 5, 1), id="reiwa-gannen"),
        pytest.param("令和元年12月31日", D(2019, 12, 31), id="reiwa-gannen-end"),
        pytest.param("令和2年1月1日", D(2020, 1, 1), id="reiwa-2"),
        pytest.param("平成30年12月1日", D(2018, 12, 1), id="heisei"),
        pytest.param("平成12年4月1日", D(2000, 4, 1), id="heisei-12"),
        pytest.param("平成31年4月30日", D(2019, 4, 30), id="heisei-last-day"),
        pytest.param("R6.5.1", D(2024, 5, 1), id="reiwa-letter-dots"),
        pytest.param("R06/05/01", D(2024, 5, 1), id="reiwa-letter-slashes"),
        pytest.param("H30.12.01", D(2018, 12, 1), id="heisei-letter"),
        # Numeric
        pytest.param("2024/05/01", D(2024, 5, 1), id="slashes"),
        pytest.param("2024/5/1", D(2024, 5, 1), id="slashes-unpadded"),
        pytest.param("2024-05-01", D(2024, 5, 1), id="hyphens"),
        pytest.param("2024.05.01 14:23", D(2024, 5, 1), id="dots-time"),
        pytest.param("2024 / 05 / 01", D(2024, 5, 1), id="slashes-with-spaces"),
        pytest.param("2024/5/1(水)14:23", D(2024, 5, 1), id="slashes-weekday-time"),
        pytest.param("2024ー05ー01", D(2024, 5, 1), id="long-vowel-separators"),
        pytest.param("2024 05 01", D(2024, 5, 1), id="spaces-only"),
        pytest.param("24-05-01", D(2024, 5, 1), id="two-digit-hyphens"),
        pytest.param("24/5/1", D(2024, 5, 1), id="two-digit-slashes"),
        pytest.param("24.05.01 14:23", D(2024, 5, 1), id="two-digit-dots"),
        # OCR garbled
        pytest.param("2O24/O5/0l", D(2024, 5, 1), id="letters-for-digits"),
        pytest.param("注文日: 2024/01701", D(2024, 1, 1), id="second-slash-read-as-7"),
        pytest.param("2024/05101", D(2024, 5, 1), id="second-slash-read-as-1"),
        pytest.param("2024705/01(水06:55", D(2024, 5, 1), id="first-slash-read-as-7"),
        pytest.param("2024705701(水) 14:30", D(2024, 5, 1), id="both-slashes-read-as-7"),
        pytest.param("2624年5月1日(水) 19:27", D(2024, 5, 1), id="year-zero-read-as-six"),
        pytest.param("2024年2月16日(土) 13:52", D(2024, 2, 10), id="weekday-fixes-zero-read-as-six"),
        pytest.param("2624年2月16日(土)", D(2024, 2, 10), id="weekday-fixes-year-and-day"),
        pytest.param("2024/03/13(月)", D(2024, 3, 18), id="weekday-fixes-eight-read-as-three"),
        pytest.param("2023年5月11日(日) 10:07", D(2023, 6, 11), id="weekday-fixes-six-read-as-five"),
        pytest.param("2024年5月1日(木)", D(2024, 5, 1), id="weekday-disagrees-no-single-fix"),
        pytest.param("2024年O5月0l日", D(2024, 5, 1), id="kanji-letters-for-digits"),
        pytest.param("202ー年5月1日", D(2021, 5, 1), id="long-vowel-for-one"),
        pytest.param("針和6年5月1日(水)", D(2024, 5, 1), id="reiwa-first-char-misread"),
        pytest.param("注文日: 20240501", D(2024, 5, 1), id="separators-lost"),
        pytest.param("2024年5月1曰", D(2024, 5, 1), id="day-mark-misread"),
        pytest.param("2024年5月l日", D(2024, 5, 1), id="l-for-one"),
        pytest.param("2024年!月26日{(金) 20:16", D(2024, 1, 26), id="exclamation-mark-for-a-lone-one"),
        pytest.param("2024年|月26日(金)", D(2024, 1, 26), id="bar-for-a-lone-one"),
        pytest.param("令和$年12月11日13:03", D(2023, 12, 11), id="dollar-for-an-era-year-five"),
        pytest.param("2024/O5/I5", D(2024, 5, 15), id="O-and-I"),
        # English (amazon.co.jp in English)
        pytest.param("Order Placed: May 1, 2024", D(2024, 5, 1), id="english-mdy"),
        pytest.param("1 May 2024", D(2024, 5, 1), id="english-dmy"),
        # In context
        pytest.param("注文日: 2024年5月1日", D(2024, 5, 1), id="order-date-label"),
        pytest.param("レジ#2 2024/05/01 14:23 責No.012", D(2024, 5, 1), id="slip-header"),
        pytest.param("日付 2024-05-01 No.1234", D(2024, 5, 1), id="slip-date-label"),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text, REF) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2025年1月1日", id="future-year"),
        pytest.param("2024年6月2日", id="tomorrow"),
        pytest.param("令和7年1月1日", id="future-era"),
        pytest.param("2024/02/30", id="february-30"),
        pytest.param("2023/02/29", id="not-a-leap-year"),
        pytest.param("2024/13/01", id="month-13"),
        pytest.param("2024年4月31日", id="april-31"),
        pytest.param("令和元年4月30日", id="reiwa-before-it-began"),
        pytest.param("1999/05/01", id="before-amazon-japan"),
        pytest.param("平成元年1月8日", id="heisei-gannen-too-old"),
        pytest.param("TEL 03-1234-5678", id="phone-number"),
        pytest.param("249-1234567-1234567", id="order-number"),
        pytest.param("¥5,000", id="price"),
        pytest.param("10.000", id="price-with-dot"),
        pytest.param("12/31/23", id="american-order"),
        pytest.param("14:23", id="time-only"),
        pytest.param("20241399", id="compact-impossible"),
        pytest.param("T3638186647852", id="invoice-registration-number"),
        pytest.param("昭和60年5月1日", id="showa"),
        pytest.param("", id="empty"),
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text, REF) is None


def test_today_is_allowed() -> None:
    assert parse_date("2024年6月1日", REF) == REF


def test_future_is_reported_only_when_asked() -> None:
    assert find_dates("2030/01/01", REF) == []
    (match,) = find_dates("2030/01/01", REF, include_future=True)
    assert match.date == D(2030, 1, 1)


@pytest.mark.parametrize("text", ["2624年05月01日14時23分", "2924年05月01日14時23分"])
def test_a_year_no_till_prints_is_a_misread_zero_not_the_future(text: str) -> None:
    # Asked for future dates too (to say why a printed date was not taken),
    # a year six centuries ahead must not hide the date the slip printed.
    (match,) = find_dates(text, REF, include_future=True)
    assert match.date == D(2024, 5, 1)


def test_a_weekday_tie_goes_to_the_confusion_the_year_already_showed() -> None:
    # 2024-08-20 and 2024-03-26 are both Tuesdays, one digit from 2024-08-26;
    # the year's 0 read as 6 says the day's 6 was a 0 too.
    later = D(2026, 11, 1)
    assert parse_date("2624年8月26日(火) 16:46", later) == D(2024, 8, 20)
    # Without that sign the 6 that was a 0 still wins the tie: a printed 0 comes back as 6, seldom the other way.
    assert parse_date("2024年8月26日(火) 16:46", later) == D(2024, 8, 20)
    assert parse_date("2025/07/16(木) 11:05", later) == D(2025, 7, 10)  # not 01/16, a 7 read for a 1


@pytest.mark.parametrize(("text", "want"), [
    # The weekday's closing bracket lost before the time: still a weekday that names the misread digit.
    ("2024年2月16日(土06:52", D(2024, 2, 10)),
    ("2024年2月16日(土 06:52", D(2024, 2, 10)),
    # A 6 read as 5 on a Monday, and a 0 read as 6 on one.
    ("2024年12月15日(月06:52", D(2024, 12, 16)),
    ("2025年11月16日(月) 06:52", D(2025, 11, 10)),
])
def test_a_weekday_whose_bracket_was_lost_still_repairs_a_digit(text: str, want: dt.date) -> None:
    assert parse_date(text, D(2026, 11, 1)) == want


def test_spans_cover_weekday_and_time() -> None:
    text = "日時 2024年5月1日(水) 14:23 レジ1"
    (m,) = find_dates(text, REF)
    assert text[m.span[0] : m.span[1]] == "2024年5月1日(水) 14:23"


def test_weekday_agreement_raises_score() -> None:
    (right,) = find_dates("2024年5月1日(水)", REF)  # 2024-05-01 was a Wednesday
    (wrong,) = find_dates("2024年5月1日(木)", REF)
    (bare,) = find_dates("2024年5月1日", REF)
    assert right.score > bare.score > wrong.score


def test_labelled_forms_outscore_bare_two_digit() -> None:
    (kanji,) = find_dates("2024年5月1日", REF)
    (short,) = find_dates("24/05/01", REF)
    assert kanji.score > short.score


def test_several_dates_in_one_line() -> None:
    found = find_dates("注文日 2024年5月1日 2024年5月3日に発送済み", REF)
    assert [m.date for m in found] == [D(2024, 5, 1), D(2024, 5, 3)]


def test_heisei_after_the_era_change_is_kept_but_doubted() -> None:
    (late,) = find_dates("平成31年5月10日", REF)
    (ok,) = find_dates("令和元年5月10日", REF)
    assert late.date == ok.date == D(2019, 5, 10)
    assert late.score < ok.score


def test_small_two_digit_year_is_reiwa() -> None:
    assert parse_date("06/05/01", REF) == D(2024, 5, 1)
    assert parse_date("19/05/01", REF) == D(2019, 5, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 令和's name lost or merged into one character: 2026 is the only such day not after today.
        pytest.param("私8年9月14日19:49", D(2026, 9, 14), id="reiwa-name-lost"),
        # 令和5 (2023) or 2025 with 202 lost: the weekday tells them apart.
        pytest.param("5年9月26日(金)", D(2025, 9, 26), id="last-digit-of-the-year-by-weekday"),
        pytest.param("5年9月26日(火)", D(2023, 9, 26), id="reiwa-by-weekday"),
        pytest.param("5年9月26日 10:12", None, id="either-year-no-guess"),
    ],
)
def test_one_digit_before_year_kanji(text: str, expected: dt.date | None) -> None:
    found = find_dates(text, dt.date(2026, 11, 1))
    assert [m.date for m in found] == ([expected] if expected else [])
    assert all(m.score < find_dates("2026年9月14日19:49", dt.date(2026, 11, 1))[0].score for m in found)


# An impossible year, month or day repaired through look-alike digits: the
# dotted or slashed zero of a till's monospace font read as 6, 8 or 9, or as
# two digits ("60"). REF is 2024-06-01.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2024/65/11", D(2024, 5, 11), id="month-zero-read-as-six"),
        pytest.param("2024/85/11", D(2024, 5, 11), id="month-zero-read-as-eight"),
        pytest.param("2024/05/71", D(2024, 5, 11), id="day-one-read-as-seven"),
        pytest.param("2024/05/38", D(2024, 5, 30), id="day-zero-read-as-eight"),
        pytest.param("26023年606月13日", D(2023, 6, 13), id="dotted-zeros-read-as-60"),
        pytest.param("2023年06月136日", None, id="three-digit-day-without-a-doubled-zero"),
        pytest.param("26024年606月13日", None, id="repaired-date-in-the-future"),
        pytest.param("2024/05/66", D(2024, 5, 6), id="only-one-six-can-be-a-zero"),
        pytest.param("2024/05/0", None, id="several-repairs-possible"),
        pytest.param("2024/05/0(水)", D(2024, 5, 8), id="weekday-picks-among-repairs"),
        pytest.param("2024/05/0(金)", None, id="no-repair-agrees-with-weekday"),
        pytest.param("令和5年606月13日(火)", D(2023, 6, 13), id="reiwa-doubled-zero-weekday-agrees"),
        pytest.param("2024/65/11(土)", D(2024, 5, 11), id="repair-agrees-with-weekday"),
        pytest.param("2024/65/11(月)", None, id="repair-disagrees-with-weekday"),
        pytest.param("2024/13/01", None, id="no-look-alike-makes-month-13-real"),
        pytest.param("2024/66/11", None, id="two-wrong-digits-in-one-part"),
        pytest.param("0120-65-1234", None, id="free-dial-number"),
    ],
)
def test_lookalike_digit_repair(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, REF) == expected


def test_lookalike_repair_is_less_sure_and_spans_the_printed_date() -> None:
    text = "日時 2024/65/11 14:23"
    (m,) = find_dates(text, REF)
    assert m.date == D(2024, 5, 11)
    assert text[m.span[0] : m.span[1]] == "2024/65/11 14:23"
    (clean,) = find_dates("日時 2024/05/11 14:23", REF)
    assert m.score < clean.score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The weekday names the year OCR lost: the latest one up to today that fits.
        pytest.param("る和8平6月24日(水) 20:24", dt.date(2026, 6, 24), id="garbled-era-year"),
        pytest.param("6月24日(月) 10:05", dt.date(2024, 6, 24), id="an-earlier-year-fits"),
        pytest.param("6月24日 10:05", None, id="no-weekday-no-year"),
        pytest.param("有効期限 6月30日まで", None, id="no-weekday"),
        # A photographed monitor's moiré turns 年, 月 and 日 into digits: the
        # label and exactly one real split restore the date.
        pytest.param("注文日: 20245048298", dt.date(2024, 4, 29), id="nen-tsuki-hi-as-5-8-8"),
        pytest.param("退文日202484478", dt.date(2024, 4, 7), id="nen-tsuki-hi-as-digits-under-a-garbled-label"),
        pytest.param("注文日202656858", dt.date(2026, 6, 5), id="one-digit-month-and-day"),
        pytest.param("注文番号: 2024123456789", None, id="not-a-date-label"),
        pytest.param("注文日: 20241313138", None, id="no-real-date"),
        # A slip's date row: its weekday and the time of sale after the run say the same.
        pytest.param("20254115108 (8) 14:12", dt.date(2025, 11, 10), id="a-till-date-with-its-time"),
        pytest.param("202470974(土) 16:38", None, id="the-one-split-falls-on-another-weekday"),
        # 年 read as a 1 (01-22) or lost (11-22): with the weekday unreadable, no guess between them.
        pytest.param("2025118220 (1) 13:26", None, id="a-till-date-whose-year-kanji-may-be-lost"),
        # A year after 2099 is a 0 read as 6, in a run of digits before its weekday too.
        pytest.param("26251123(日) 17:44", dt.date(2025, 11, 23), id="a-run-whose-year-zero-was-read-as-six"),
        pytest.param("26251123 17:44", None, id="a-run-of-digits-without-its-weekday"),
        # A slash read both as itself and as a 7 beside it: a date with slashes has no 日 to be a last digit.
        pytest.param("2023712/715(金) 19:32", dt.date(2023, 12, 15), id="a-slash-read-as-itself-and-a-digit"),
        # Both 01-31 and 10-31 fall on a Friday: the one reading a real slash as a slash is the one.
        pytest.param("2025/710/31(金) 15:14", dt.date(2025, 10, 31), id="a-slash-and-a-digit-before-the-month"),
        # A doubled zero in the year repaired, and the one look-alike digit besides that the weekday names;
        # not 2025-11-16, the year a Sunday the 16th alone would name.
        pytest.param("26024年11月16日(日) 17:28", dt.date(2024, 11, 10), id="a-repaired-year-and-the-day-the-weekday-names"),
        # Month 7 and day 10 would be a Wednesday too: only one more digit may be wrong, not two.
        pytest.param("26024年1月16日(水) 17:45", dt.date(2024, 1, 10), id="one-more-look-alike-digit-not-two"),
        # A garbled month: the one month in which that day fell on the weekday printed.
        pytest.param("2026%き月38日(日11:23", dt.date(2026, 8, 30), id="garbled-month-named-by-the-weekday"),
        pytest.param("2025年$月15日(水) 10:00", None, id="garbled-month-two-months-fit"),
        pytest.param("2026年?月30日 11:23", None, id="garbled-month-without-a-weekday"),
        pytest.param("No.20251234 12:30", None, id="a-number-and-a-time-without-a-weekday"),
        # A slashed date that lost one slash: two digits each for month and day.
        pytest.param("注文日: 2023/1205", dt.date(2023, 12, 5), id="the-second-slash-lost"),
        pytest.param("202312/05 09:24", dt.date(2023, 12, 5), id="the-first-slash-lost"),
        pytest.param("2023/1299", None, id="one-slash-no-real-date"),
        pytest.param("No.2023/1205/7", None, id="one-slash-in-a-longer-number"),
        pytest.param("2026/1205", None, id="one-slash-after-today"),
        # 年, 月 and 日 all read as other characters: one split into month and day makes a real date.
        pytest.param("20245075140 12時16分", dt.date(2024, 7, 14), id="kanji-read-as-digits-before-the-time"),
        pytest.param("20245F07H14H 12時16分", dt.date(2024, 7, 14), id="kanji-read-as-letters-before-the-time"),
        pytest.param("2025% 048208 (RH)", dt.date(2025, 4, 20), id="kanji-garbled-before-a-weekday"),
        pytest.param("20254 5月7H(K) 8:05", dt.date(2025, 5, 7), id="year-and-day-garbled-month-read"),
        pytest.param("2025% 5817 10:00", dt.date(2025, 5, 17), id="kanji-garbled-fewest-digits-taken-for-kanji"),
        pytest.param("202444 28H (H) 08:59", dt.date(2024, 4, 28), id="kanji-garbled-a-gap-for-its-month"),
        pytest.param("2025%1123 10:00", None, id="kanji-garbled-two-splits-fit"),
        pytest.param("2024年$月15日(月) 10:00", None, id="kanji-garbled-no-month-digits"),
        pytest.param("レジ 20251234 12:30", None, id="a-short-run-of-digits-before-a-time"),
        pytest.param("20240507514(土) 12:16", None, id="kanji-garbled-on-another-weekday"),
        # 令和 with its 和 garbled.
        pytest.param("令栄6年2月18日07:51", dt.date(2024, 2, 18), id="reiwa-second-character-garbled"),
        pytest.param("今和8年16月10日14:04", dt.date(2026, 10, 10), id="reiwa-garbled-and-a-month-to-repair"),
    ],
)
def test_a_date_restored_from_what_else_is_printed(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, dt.date(2026, 11, 1)) == expected


def test_a_date_with_more_parts_repaired_is_less_sure() -> None:
    (two,) = find_dates("2023/68/63 09:24", dt.date(2026, 11, 1))
    (one,) = find_dates("2025/08/63 09:24", dt.date(2026, 11, 1))
    assert (two.date, one.date) == (dt.date(2023, 8, 3), dt.date(2025, 8, 3))
    assert two.score < one.score


def test_a_date_with_its_year_beats_one_the_weekday_names() -> None:
    (full,) = find_dates("2026年6月24日(水)", dt.date(2026, 11, 1))
    (guessed,) = find_dates("る和8平6月24日(水)", dt.date(2026, 11, 1))
    assert full.score > guessed.score
