"""Dates as printed on Japanese receipts.

Slips and Amazon pages write the same day in many ways (``2024年5月1日(水)``,
``2024/05/01 14:23``, ``24-05-01``, ``令和6年5月1日``, ``R6.5.1``, ``May 1, 2024``)
and OCR adds spaces, letters for digits and dashes for ones.  This module only
finds calendar dates in one line of text and scores how much each looks like a
real printed date; which date is the purchase date is decided by the caller,
which knows the labels around it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from receipt_assistant.core.text import repair_digits

# Gift cards, and Amazon.co.jp itself, do not predate this.
MIN_YEAR = 2000
# A later year is a misread one (2625 for 2025), not a date in the future.
MAX_YEAR = 2099


class DateMatch(NamedTuple):
    date: dt.date
    span: tuple[int, int]
    score: float  # 0..1: how much the text looks like a printed date


class _Era(NamedTuple):
    offset: int  # Gregorian year = offset + era year
    first: dt.date
    last: dt.date | None


_ERAS = {
    "令和": _Era(2018, dt.date(2019, 5, 1), None),
    "R": _Era(2018, dt.date(2019, 5, 1), None),
    "平成": _Era(1988, dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "H": _Era(1988, dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
}

_SEP = r"\s*[/.\-ー−–‐一]\s*"
_END = r"(?![\d,])"

# A month or day whose two digits OCR set apart ("2024年1 1月23日"), taken only before its 月 or 日.
_MONTH = r"(?P<m>\d \d(?=\s*月)|\d{1,2})"
_DAY = r"(?P<d>\d \d(?=\s*日)|\d{1,2})"
_KANJI = re.compile(rf"(?<![\d])(?P<y>\d{{4}}|\d{{1,2}})\s*年\s*{_MONTH}\s*月\s*{_DAY}(?:\s*日|(?!\d))")
# An era's name, also with one of 令和's kanji garbled (針和, 冷和, 令栄).
_ERA_NAME = r"令和|平成|(?<![A-Za-z])[RH]|[^\s\d平昭大明]和|令[^\s\d和]"
_ERA = re.compile(
    rf"(?P<era>{_ERA_NAME})\s*\.?\s*(?P<y>\d{{1,2}}|元)\s*(?:年|[/.\-])\s*"
    rf"{_MONTH}\s*(?:月|[/.\-])\s*{_DAY}(?:\s*日|(?!\d))"
)
_NUMERIC4 = re.compile(
    rf"(?<![\d,.])(?P<y>(?:19|20)\d{{2}})(?P<s1>{_SEP})(?P<m>\d{{1,2}})(?P<s2>{_SEP})(?P<d>\d{{1,2}}){_END}"
)
_NUMERIC2 = re.compile(
    r"(?<![\d,.¥\\])(?P<y>\d{2})\s*(?P<s>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?![\d,.])"
)
_MONTH_DAY = re.compile(rf"(?<!\d){_MONTH}\s*月\s*{_DAY}\s*日")
# How far back a weekday may place a month and day: a weekday repeats its
# date every five to eleven years, so one within five is unambiguous enough.
_WEEKDAY_YEARS = 5
_YEAR_BY_WEEKDAY = 0.4  # the base score of a year named only by the weekday
# "20240501": OCR lost the separators (or a till prints it so).
_COMPACT = re.compile(r"(?<![\d,.\-])(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?![\d,.\-])")
_SPACED = re.compile(r"(?<![\d])(?P<y>20\d{2}) (?P<m>\d{2}) (?P<d>\d{2})(?![\d])")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MON = r"(?P<mon>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))[a-z]*\.?"
_ENGLISH = (
    re.compile(rf"(?<![A-Za-z]){_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+{_MON},?\s+(?P<y>\d{{4}})"),
)

# Its closing bracket may be lost before the time of sale: "(月06:52".
_WEEKDAY = re.compile(r"\s*[(（]?\s*(?P<w>[月火水木金土日])(?:\s*(?:曜日?)?\s*[)）]"
                      r"|(?<=[(（][月火水木金土日])(?=\s*\d{1,2}\s*[:：時]\s*\d{2}))")
_WEEKDAY_EN = re.compile(r"\s*[(（]?\s*(?P<w>(?i:mon|tue|wed|thu|fri|sat|sun))[a-z]*\.?\s*[)）]?")
_TIME = re.compile(r"\s*(?P<h>\d{1,2})\s*[:時]\s*(?P<mi>\d{2})")
_JA_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = "mon tue wed thu fri sat sun".split()


def _number(digits: str) -> int:
    return int(digits.replace(" ", ""))


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _era_date(era: str, year: str, m: int, d: int) -> tuple[dt.date | None, float]:
    # "針和", "冷和": OCR mangled the first character of 令和.
    misread = era not in _ERAS
    info = _ERAS["令和" if misread else era]
    n = 1 if year == "元" else int(year)
    if n < 1:
        return None, 0.0
    day = _make(info.offset + n, m, d)
    if day is None or day < info.first:
        return None, 0.0
    # Some tills kept printing 平成 for a while after the era changed:
    # a real day, but less likely a correct reading.
    if info.last is not None and day > info.last:
        return day, 0.6
    return day, 0.8 if misread else 1.0


def _two_digit_year(yy: int, reference: dt.date) -> int:
    """``24`` is 2024; a small year no shop would print as 200x is read as 令和."""
    year = 2000 + yy
    if year < 2010 and 1 <= yy <= reference.year - 2018:
        return 2018 + yy
    return year


def _context(text: str, end: int, day: dt.date) -> tuple[int, float]:
    """Extend the match over a weekday and a time and score their agreement.

    A weekday that agrees with the date is strong evidence the digits were read
    right; one that disagrees says a digit is probably wrong.
    """
    bonus = 0.0
    m = _WEEKDAY.match(text, end)
    if m:
        end = m.end()
        bonus += 0.15 if _JA_WEEKDAYS.index(m["w"]) == day.weekday() else -0.25
    else:
        m = _WEEKDAY_EN.match(text, end)
        if m and m["w"].lower() in _EN_WEEKDAYS:
            end = m.end()
            ok = _EN_WEEKDAYS.index(m["w"].lower()) == day.weekday()
            bonus += 0.15 if ok else -0.25
    t = _TIME.match(text, end)
    if t and int(t["h"]) < 24 and int(t["mi"]) < 60:
        end = t.end()
        bonus += 0.1
    return end, bonus


def _weekday_at(text: str, end: int) -> int | None:
    """The weekday printed right after a date ending at ``end`` (Monday is 0)."""
    m = _WEEKDAY.match(text, end)
    if m:
        return _JA_WEEKDAYS.index(m["w"])
    m = _WEEKDAY_EN.match(text, end)
    if m and m["w"].lower() in _EN_WEEKDAYS:
        return _EN_WEEKDAYS.index(m["w"].lower())
    return None


# Digits a receipt font and a photo make Tesseract mistake for one another.
_CONFUSED = {"0": "68", "6": "05", "5": "6", "8": "03", "3": "8", "1": "7", "7": "1"}


def _weekday_repairs(text: str, reference: dt.date, seen: frozenset[str] = frozenset()) -> list[str]:
    """Copies of ``text`` with one digit of a date corrected so its printed weekday agrees.

    When the weekday disagrees, one digit was probably misread ("2024年2月16日(土)"
    from a 0 read as 6). A repair is kept only when exactly one single-digit
    change makes the weekday agree, so a coincidence cannot pick among several;
    ``seen`` are the confusions ("60": a 6 that was a 0) already repaired in
    the text, which break a tie.
    """
    repairs: list[str] = []
    for day, start, end, _ in _candidates(text, reference):
        weekday = _weekday_at(text, end)
        if weekday is None or weekday == day.weekday():
            continue
        agreeing: dict[dt.date, tuple[str, str]] = {}
        for i in range(start, end):
            for alt in _CONFUSED.get(text[i], ""):
                variant = text[:i] + alt + text[i + 1 :]
                for other, s, e, _ in _candidates(variant, reference):
                    if s <= i < e and other.weekday() == weekday and other <= reference:
                        agreeing.setdefault(other, (variant, text[i] + alt))
        # Of several, the one that undoes the confusion already undone in
        # this date (a year's 0 read as 6, "2624年8月26日(火)") is the one.
        if len(agreeing) > 1 and seen:
            agreeing = {d: v for d, v in agreeing.items() if v[1] in seen}
        # Else a 6 that was a 0: a printed 0 comes back as 6, seldom the other way ("2025/07/16(木)" is 07/10).
        if len(agreeing) > 1 and sum(v[1] == "60" for v in agreeing.values()) == 1:
            agreeing = {d: v for d, v in agreeing.items() if v[1] == "60"}
        if len(agreeing) == 1:
            repairs.extend(v[0] for v in agreeing.values())
    return repairs


def _candidates(text: str, reference: dt.date) -> list[tuple[dt.date, int, int, float]]:
    found: list[tuple[dt.date, int, int, float]] = []
    taken: list[tuple[int, int]] = []

    def add(day: dt.date | None, start: int, end: int, base: float) -> None:
        if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
            return
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append((day, start, end, base))

    for m in _ERA.finditer(text):
        day, q = _era_date(m["era"], m["y"], _number(m["m"]), _number(m["d"]))
        add(day, m.start(), m.end(), 0.75 * q)
    for m in _KANJI.finditer(text):
        y = int(m["y"])
        if len(m["y"]) == 1:
            # One digit before 年 is 令和's year with its era's name lost (私8年9月14日), or
            # the last of 202x's (5年9月26日 for 2025年): taken when only one is a real day not after today.
            weekday = _weekday_at(text, m.end())
            days = {day for day in (_era_date("令和", m["y"], _number(m["m"]), _number(m["d"]))[0],
                                    _make(2020 + y, _number(m["m"]), _number(m["d"])))
                    if day is not None and day <= reference and weekday in (None, day.weekday())}
            if len(days) == 1:
                add(days.pop(), m.start(), m.end(), 0.6)
            continue
        year = _two_digit_year(y, reference) if len(m["y"]) == 2 else y
        add(_make(year, _number(m["m"]), _number(m["d"])), m.start(), m.end(), 0.75)
    for m in _NUMERIC4.finditer(text):
        same = m["s1"].strip() == m["s2"].strip()
        add(_make(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end(), 0.7 if same else 0.5)
    for pattern in _ENGLISH:
        for m in pattern.finditer(text):
            month = _MONTHS.index(m["mon"][:3].lower()) + 1
            add(_make(int(m["y"]), month, int(m["d"])), m.start(), m.end(), 0.7)
    for m in _NUMERIC2.finditer(text):
        year = _two_digit_year(int(m["y"]), reference)
        add(_make(year, int(m["m"]), int(m["d"])), m.start(), m.end(), 0.5)
    for m in _SPACED.finditer(text):
        add(_make(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end(), 0.35)
    for m in _COMPACT.finditer(text):
        add(_make(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end(), 0.3)
    # A month and day whose year OCR garbled (る和8平6月24日(水)): the printed
    # weekday names the year, the latest one up to today that fits.
    for m in _MONTH_DAY.finditer(text):
        weekday = _weekday_at(text, m.end())
        if weekday is None:
            continue
        for year in range(reference.year, reference.year - _WEEKDAY_YEARS, -1):
            day = _make(year, _number(m["m"]), _number(m["d"]))
            if day is not None and day <= reference and day.weekday() == weekday:
                add(day, m.start(), m.end(), _YEAR_BY_WEEKDAY)
                break
    return found


# A date's shape with room for misread digits: a year, month and day of any
# plausible-or-not length, set apart the ways slips print them.
_LOOSE = re.compile(
    rf"(?<![\d,.¥\\])(?:(?P<era>{_ERA_NAME})\s*\.?\s*)?(?P<y>\d{{1,6}})"
    r"(?P<s1>\s*年\s*|\s*[/.\-]\s*)(?P<m>\d{1,4})(?P<s2>\s*月\s*|\s*[/.\-]\s*)(?P<d>\d{1,4})"
    r"(?:\s*日)?(?![\d,])"
)
# Look-alike digits as a photo of a till's print gives them (a slashed or
# dotted 0 read as 6, 8 or 9; 1 and 7; 5 and 6; 3 and 8).
_LOOKALIKE = {"0": "689", "6": "05", "8": "03", "9": "0", "1": "7", "7": "1", "5": "6", "3": "8"}
# A dotted zero read as two digits: the 0 and its dot.
_DOUBLED_ZERO = ("60", "06")
_LOOKALIKE_BASE = 0.5
_PER_REPAIR = 0.05


def _digit_variants(digits: str) -> set[str]:
    """``digits`` with one look-alike digit swapped, or one doubled zero made single again."""
    out: set[str] = set()
    for i, c in enumerate(digits):
        for alt in _LOOKALIKE.get(c, ""):
            out.add(digits[:i] + alt + digits[i + 1 :])
    for pair in _DOUBLED_ZERO:
        at = digits.find(pair)
        while at >= 0:
            out.add(digits[:at] + "0" + digits[at + 2 :])
            at = digits.find(pair, at + 1)
    return out


def _plausible_year(digits: str, era: str | None) -> bool:
    if era:
        return 1 <= len(digits) <= 2 and int(digits) >= 1
    return len(digits) == 2 or (len(digits) == 4 and MIN_YEAR <= int(digits) <= MAX_YEAR)


def _plausible_part(digits: str, top: int) -> bool:
    return 1 <= len(digits) <= 2 and 1 <= int(digits) <= top


def _loose_date(era: str | None, y: str, m: str, d: str, reference: dt.date) -> dt.date | None:
    if era:
        return _era_date(era, y, int(m), int(d))[0]
    year = _two_digit_year(int(y), reference) if len(y) == 2 else int(y)
    return _make(year, int(m), int(d))


def _lookalike_dates(text: str, reference: dt.date,
                     taken: list[tuple[int, int]]) -> list[tuple[dt.date, int, int, int]]:
    """Dates read with an impossible year, month or day, repaired through look-alike digits.

    A photographed slip's dotted zero comes back as 6 or as "60"
    ("2026/65/11", "26025年606月13日"). Only the parts that cannot be right are
    changed, each by one look-alike digit or by making a doubled zero single;
    the repair is kept when exactly one real date results that is not after
    ``reference`` (and agrees with a printed weekday), so a guess can never
    choose among several. Each comes with how many parts were repaired.
    """
    found: list[tuple[dt.date, int, int, int]] = []
    for m in _LOOSE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        kanji = "年" in m["s1"]
        if kanji != ("月" in m["s2"]) or (not kanji and m["s1"].strip() != m["s2"].strip()):
            continue
        era = m["era"]
        parts = [(m["y"], _plausible_year(m["y"], era)), (m["m"], _plausible_part(m["m"], 12)),
                 (m["d"], _plausible_part(m["d"], 31))]
        if all(ok for _, ok in parts):
            continue  # every part could be right: nothing says which digit is wrong
        weekday = _weekday_at(text, m.end())
        repaired = sum(not ok for _, ok in parts)
        dates = _repaired_dates(era, [[p] if ok else sorted(_digit_variants(p)) for p, ok in parts],
                                weekday, reference)
        if not dates and weekday is not None:
            # No repair falls on the weekday printed: a part that could be right
            # has a look-alike digit wrong too (26024年11月16日(日) is 2024-11-10).
            for i, (_, ok) in enumerate(parts):
                if ok:
                    dates |= _repaired_dates(era, [sorted(_digit_variants(q)) if j == i or not good else [q]
                                                   for j, (q, good) in enumerate(parts)], weekday, reference)
            repaired += 1
        if len(dates) == 1:
            found.append((dates.pop(), m.start(), m.end(), repaired))
    return found


def _repaired_dates(era: str | None, options: list[list[str]], weekday: int | None,
                    reference: dt.date) -> set[dt.date]:
    """The real dates not after ``reference`` (on ``weekday``, if printed) that the digits' options make."""
    dates: set[dt.date] = set()
    for y in options[0]:
        if not _plausible_year(y, era):
            continue
        for mo in options[1]:
            if not _plausible_part(mo, 12):
                continue
            for d in options[2]:
                if not _plausible_part(d, 31):
                    continue
                day = _loose_date(era, y, mo, d, reference)
                if day is not None and MIN_YEAR <= day.year and day <= reference \
                        and (weekday is None or day.weekday() == weekday):
                    dates.add(day)
    return dates


# A kanji date whose month (and maybe its 年) OCR garbled: a year, one to
# three characters that are no digits, 月, the day, and its weekday after it.
_GARBLED_MONTH = re.compile(r"(?<![\d,.])(?P<y>\d{4})[^\d\s月日]{1,3}月\s*(?P<d>\d{1,3})\s*日?")
_OPEN_WEEKDAY = re.compile(r"\s*[(（]\s*(?P<w>[月火水木金土日])")


def _garbled_month_dates(text: str, reference: dt.date,
                         taken: list[tuple[int, int]]) -> list[tuple[dt.date, int, int]]:
    """Dates whose month was garbled (``2026%き月38日(日11:23``), named by the weekday printed after them.

    A person who cannot read the month looks for the one month in which that
    day fell on that weekday. The year and day may each have one look-alike
    digit wrong when they cannot be right; the date is kept when exactly one
    real date results that is not after ``reference``.
    """
    found: list[tuple[dt.date, int, int]] = []
    for m in _GARBLED_MONTH.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        w = _OPEN_WEEKDAY.match(text, m.end())
        if w is None:
            continue
        years = [m["y"]] if _plausible_year(m["y"], None) else sorted(_digit_variants(m["y"]))
        days = [m["d"]] if _plausible_part(m["d"], 31) else sorted(_digit_variants(m["d"]))
        dates = {day for y in years if _plausible_year(y, None) for d in days if _plausible_part(d, 31)
                 for month in range(1, 13)
                 if (day := _make(int(y), month, int(d))) is not None and MIN_YEAR <= day.year and day <= reference
                 and day.weekday() == _JA_WEEKDAYS.index(w["w"])}
        if len(dates) == 1:
            found.append((dates.pop(), m.start(), m.end()))
    return found


_MISREAD_SEPARATOR = re.compile(r"(?<!\d)((?:19|20)\d{2})([/.\-])(\d{2})[71lI|](\d{2})(?!\d)")
_MISREAD_FIRST_SEPARATOR = re.compile(r"(?<!\d)((?:19|20)\d{2})[71lI|](\d{2})([/.\-])(\d{2})(?!\d)")


_BOTH_SEPARATORS_MISREAD = re.compile(r"(?<!\d)(20\d{2})[71]([01]\d)[71]([0-3]\d)(?!\d)")
_YEAR_ZERO_AS_SIX = re.compile(r"(?<!\d)26(\d{2})(?=\s*[年/.\-]|[01]\d[0-3]\d\s*[(（])")


# A date whose 年, 月 and 日 came back as digits, labelled ("注文日: 20245048298"
# for 2024年04月29日, moiré on a photographed monitor; its 注 may be garbled
# too, 退文日202484478) or followed by its
# weekday and the time of sale ("20254115108 (8) 14:12" for 2025年11月10日(月) 14:12).
# A separator may also come back as itself beside its digit ("2023712/715(金)" for 2023/12/15(金)).
_LABELLED_RUN = re.compile(r"(?:文日|日付|購入日|利用日)\s*[:：]?\s*(?P<run>20\d{5,9})(?!\d)")
_TIMED_RUN = re.compile(
    r"(?<![\dA-Za-z.])(?P<run>20\d(?:[/.\-]?\d){5,9})\s*[(（](?P<wd>[^)）]{1,3})[)）]\s*[0-2]?\d\s?[:：]\s?[0-5]\d(?!\d)")


def _separators_as_digits(text: str, reference: dt.date, taken: list[tuple[int, int]]) -> list[tuple[dt.date, int, int]]:
    """Dates read from a labelled or timed run of digits, one digit standing for each separator.

    Kept only when exactly one split into year, month and day gives a real date
    not after ``reference`` (on the weekday printed beside it, when that was read).
    A run that is not labelled counts only with its weekday and time after it.
    """
    found = []
    for m in [*_LABELLED_RUN.finditer(text), *_TIMED_RUN.finditer(text)]:
        start, end = m.span("run")
        if any(start < e and s < end for s, e in taken):
            continue
        run = re.sub(r"\D", "", m["run"])
        if len(run) > 11:
            continue
        year, rest = int(run[:4]), run[4:]
        # A weekday read right rules out the splits that fall on another day.
        wd = (m.groupdict().get("wd") or "").strip()
        weekday = _JA_WEEKDAYS.index(wd) if len(wd) == 1 and wd in _JA_WEEKDAYS else None
        if run != m["run"]:
            dates = _fewest_stand_ins(m["run"][4:], year, _SEPARATORS_AS, weekday, reference)
        else:
            # 年 comes back as a digit or is lost; 月 as a digit; 日 as a digit or is lost.
            dates = {day for head in (0, 1) for mlen in (1, 2) for dlen in (1, 2) for tail in (0, 1)
                     if head + mlen + 1 + dlen + tail == len(rest)
                     and (day := _make(year, int(rest[head : head + mlen]),
                                       int(rest[head + mlen + 1 : head + mlen + 1 + dlen]))) is not None
                     and day.year >= MIN_YEAR and day <= reference and weekday in (None, day.weekday())}
        if len(dates) == 1:
            found.append((dates.pop(), start, end))
    return found


# A separator as OCR gives it back: itself, a digit in its place, or itself
# with a digit beside it ("2023712/715" for 2023/12/15, "2025/710/31" for
# 2025/10/31); a date printed with separators has no 日 after its day to
# come back as a digit.
_SEPARATOR_AS = re.compile(r"[/.\-]\d?|\d[/.\-]|\d")
_SEPARATORS_AS = (_SEPARATOR_AS, _SEPARATOR_AS, re.compile(""))


def _fewest_stand_ins(rest: str, year: int, places: tuple[re.Pattern[str], ...], weekday: int | None,
                      reference: dt.date) -> set[dt.date]:
    """The dates ``rest`` (what follows a year) makes as place, month, place, day, place.

    Each place is what OCR made of a separator or a kanji, as its pattern
    allows; month and day are one or two digits. Of the real dates not after
    ``reference`` (on ``weekday``, when printed), those read by the splits
    taking the fewest digits for places are the likeliest.
    """
    readings: dict[int, set[dt.date]] = {}
    n = len(rest)
    for a in range(1, n):
        if not places[0].fullmatch(rest, 0, a):
            continue
        for b in (a + 1, a + 2):
            for c in range(b + 1, n):
                if not (rest[a:b].isdigit() and places[1].fullmatch(rest, b, c)):
                    continue
                for d in (c + 1, c + 2):
                    if d > n or not rest[c:d].isdigit() or not places[2].fullmatch(rest, d, n):
                        continue
                    day = _make(year, int(rest[a:b]), int(rest[c:d]))
                    if (day is not None and MIN_YEAR <= day.year and day <= reference
                            and weekday in (None, day.weekday())):
                        digits = sum(ch.isdigit() for ch in rest[:a] + rest[b:c] + rest[d:])
                        readings.setdefault(digits, set()).add(day)
    return readings[min(readings)] if readings else set()


# A slashed date with one of its two slashes lost ("2023/1205", "202312/05"):
# month and day are then two digits each, as the printing that lost it pads them.
_ONE_SEPARATOR = re.compile(
    r"(?<![\d,.¥\\/\-])(?P<y>20\d{2})(?:/(?P<m1>[01]\d)(?P<d1>[0-3]\d)|(?P<m2>[01]\d)/(?P<d2>[0-3]\d))"
    r"(?![\d,/.\-])"
)


def _one_separator_dates(text: str, reference: dt.date,
                         taken: list[tuple[int, int]]) -> list[tuple[dt.date, int, int]]:
    """Dates printed with two separators of which OCR kept one, when the digits make a real date not after today."""
    found = []
    for m in _ONE_SEPARATOR.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        day = _make(int(m["y"]), int(m["m1"] or m["m2"]), int(m["d1"] or m["d2"]))
        weekday = _weekday_at(text, m.end())
        if (day is not None and MIN_YEAR <= day.year and day <= reference
                and (weekday is None or weekday == day.weekday())):
            found.append((day, m.start(), m.end()))
    return found


# A kanji date whose 年, 月 and 日 all came back as other characters, digits
# included ("20245075140 12時16分", "20245F07H14H", "2025% 048208 (RH)" for
# 2024年07月14日 and 2025年04月20日(日)), known by the weekday or time after it.
_GARBLED_KANJI = re.compile(
    r"(?<![\dA-Za-z,.¥\\])(?P<y>20\d{2})(?P<rest>\S(?:[^\n(（]{0,10}?\S)?)"
    r"(?=\s*[(（]|\s+[0-2]?\d\s?[:：時]\s?[0-5]\d)"
)


# How each kanji of a date may come back: 年 as one or two characters or a
# gap, 月 as one character or a gap, 日 as one character or nothing.
_KANJI_AS = (re.compile(r"\s*\S{1,2}\s*|\s+"), re.compile(r"\s*\S\s*|\s+"), re.compile(r"\S?"))


def _garbled_kanji_dates(text: str, reference: dt.date,
                         taken: list[tuple[int, int]]) -> list[tuple[dt.date, int, int]]:
    """Dates whose 年, 月 and 日 OCR read as other characters, kept when one reading makes a real date.

    The month and day are the one or two digits between the kanji's places.
    Of the ways to split the row, those that take the fewest digits for
    kanji are the likeliest ("202444 28H" is 2024年4月28日, its 月 lost to a
    gap, not 4月8日 with a 2 for 月); the date is kept when they agree on one.
    A run of digits alone needs six after the year, so a number followed by
    a time is not taken for a date.
    """
    found = []
    for m in _GARBLED_KANJI.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        rest = m["rest"]
        squeezed = re.sub(r"\s", "", rest)
        # Separators belong to a slashed or dotted date, read by the rules above.
        if not 4 <= len(squeezed) <= 8 or (squeezed.isdigit() and len(squeezed) < 6) \
                or re.search(r"[/.\-:：,]", rest):
            continue
        dates = _fewest_stand_ins(rest, int(m["y"]), _KANJI_AS, _weekday_at(text, m.end()), reference)
        if len(dates) == 1:
            found.append((dates.pop(), m.start(), m.end()))
    return found


def _undone(original: str, repaired: str) -> frozenset[str]:
    """The digit confusions a repair undid, as "60" for a 6 made 0 again."""
    if len(original) != len(repaired):
        return frozenset()
    return frozenset(a + b for a, b in zip(original, repaired, strict=True) if a != b and a.isdigit() and b.isdigit())


def find_dates(
    text: str, reference: dt.date, *, include_future: bool = False
) -> list[DateMatch]:
    """All calendar dates in ``text``, in reading order, each scored.

    ``reference`` is today: a date after it cannot be a purchase date and is
    left out unless ``include_future`` asks for it (to tell the user why a
    printed date was not taken).  Impossible dates (``2024/02/30``) never match.
    """
    results: dict[tuple[int, int], DateMatch] = {}
    by_weekday: set[tuple[int, int]] = set()  # results whose year only the weekday named
    plain = repair_digits(text, dashes=False)
    passes = [(plain, 1.0)]
    dashed = repair_digits(text, dashes=True)
    if dashed != plain:
        passes.append((dashed, 0.85))
    # The second (or first) slash of "2026/01/01" read as 7 or 1 ("2026/01701",
    # "2026701/01"): put it back, one character for one, so spans still fit
    # the original text.
    reslashed = _MISREAD_SEPARATOR.sub(r"\1\2\3\2\4", plain)
    reslashed = _MISREAD_FIRST_SEPARATOR.sub(r"\1\3\2\3\4", reslashed)
    reslashed = _BOTH_SEPARATORS_MISREAD.sub(r"\1/\2/\3", reslashed)
    # A receipt font's 0 read as 6 in the year: "2624年" is 2024, so is "26241123(日)".
    reslashed = _YEAR_ZERO_AS_SIX.sub(r"20\1", reslashed)
    if reslashed != plain:
        passes.append((reslashed, 0.8))
    passes += [(fixed, 0.8) for t, _ in list(passes)
               for fixed in _weekday_repairs(t, reference, _undone(text, t))]
    for repaired, factor in passes:
        changed = repaired != text
        for day, start, end, base in _candidates(repaired, reference):
            if day > reference and not include_future:
                continue
            end, bonus = _context(repaired, end, day)
            score = base + bonus
            if changed and repaired[start:end] != text[start:end]:
                score *= 0.9
            score = max(0.05, min(1.0, score * factor))
            key = (start, end)
            overlaps = [k for k in results if k[0] < end and start < k[1]]
            if any(results[k].score >= score for k in overlaps):
                continue
            for k in overlaps:
                del results[k]
            results[key] = DateMatch(day, (start, end), score)
            if base == _YEAR_BY_WEEKDAY:
                by_weekday.add(key)
    # Last, what no reading above could parse: a year, month or day that cannot
    # be right, repaired through look-alike digits (less sure than any of them).
    future = [(s, e) for day, s, e, _ in _candidates(plain, reference) if day > reference]
    # A year printed, however misread (26024年), outweighs one the weekday names.
    lookalike = _lookalike_dates(plain, reference, [k for k in results if k not in by_weekday] + future)
    for _, s, e, _ in lookalike:
        for k in [k for k in by_weekday if k in results and k[0] < e and s < k[1]]:
            del results[k]
    taken = [*results, *future]
    others = (_separators_as_digits(plain, reference, taken) + _garbled_month_dates(plain, reference, taken)
              + _one_separator_dates(plain, reference, taken))
    taken += [(s, e) for _, s, e in others] + [(s, e) for _, s, e, _ in lookalike]
    others += _garbled_kanji_dates(plain, reference, taken)
    for day, start, end, repaired in lookalike + [(*o, 1) for o in others]:
        end, bonus = _context(plain, end, day)
        # Each part repaired is one more guess: 2023/68/63 is less sure than 2025/08/63.
        score = max(0.05, min(1.0, (_LOOKALIKE_BASE + bonus) * 0.9 - _PER_REPAIR * (repaired - 1)))
        results[(start, end)] = DateMatch(day, (start, end), score)
    return sorted(results.values(), key=lambda m: m.span)


def spelled_dates(text: str, reference: dt.date) -> dict[dt.date, bool]:
    """The dates ``text`` spells with no digit changed, each with whether the weekday printed after it agrees.

    A date found only by changing a digit (to fit a weekday, or through a
    look-alike) is a guess that another reading of its row can confirm or undo.
    """
    plain = repair_digits(text, dashes=False)
    return {day: _weekday_at(plain, end) == day.weekday() for day, _, end, _ in _candidates(plain, reference)}


def parse_date(text: str, reference: dt.date) -> dt.date | None:
    """The most date-like date in ``text`` that is not after ``reference``."""
    matches = find_dates(text, reference)
    if not matches:
        return None
    return max(matches, key=lambda m: (m.score, -m.span[0])).date
