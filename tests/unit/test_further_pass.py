"""How a further reading pass fills in or corrects the first, with a scripted engine (no Tesseract)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from receipt_assistant.core.api import CheckOptions, check_files
from receipt_assistant.core.model import Box, Word
from receipt_assistant.core.ocr import ReadOptions

HEAD = [("ローソン 新宿店", 30), ("2024/05/01 10:00", 30)]
GIFT = [("Amazonギフトカード ¥5,000", 30)]


ZEROS_AS_SIXES = [("ローソン 新宿店", 30), ("電話672-262-3571", 30), ("2024/05/01 10:00", 30),
                  ("AMAZONギフトカード ¥5,666非", 30), ("小計1点 ¥5,666", 30), ("(非課税 ¥5,666)", 30),
                  ("お預かり ¥5,666", 30), ("お釣り ¥6", 30)]


class PassEngine:
    """Reads each pass's rows in turn (row text, print height), one word per row."""

    name = "scripted"
    version = "0"
    languages = "jpn+eng"

    def __init__(self, *passes: list[tuple[str, int]]) -> None:
        self.passes = list(passes)
        self.calls = 0

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        rows = self.passes[min(self.calls, len(self.passes) - 1)]
        self.calls += 1
        out, y = [], 40
        for k, (text, height) in enumerate(rows):
            out.append(Word(text, Box(40, y, 500, height), 0.9, line=k))
            y += height + 12
        return out

    def orientation(self, image: Image.Image) -> int | None:
        return 0


def _read(tmp_path: Path, engine: PassEngine) -> object:
    path = tmp_path / "slip.png"
    page = Image.new("RGB", (700, 900), "white")
    page.putpixel((5, 5), (0, 0, 0))  # a mark: a blank page is not read at all
    page.save(path)
    options = ReadOptions(parallel_strips=False, fix_rotation=False, retries=({"binarize": True},) * 3)
    return check_files([path], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                       engine=engine, read_options=options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "second", "expected", "calls"),
    [
        pytest.param(
            # A dotted zero read as 6 on the small rows; the double-height 合計 row
            # reads right but its label is lost, and the tax rows are garbled.
            HEAD + GIFT + [("小計 ¥5,168", 30), ("飢 ¥5,108", 60), ("(Si ¥108)", 30), ("お頑かり ¥5,168", 30)],
            # Another pass reads the tax rows: 108 + 5,000 is the total.
            HEAD + GIFT + [("小訂 ¥5,168", 30), ("ght ¥5,108", 60), ("(8%対象 ¥108)", 30),
                           ("(非課税計 ¥5,000)", 30)],
            5108, 2, id="another-pass-sums-correct-a-look-alike-subtotal",
        ),
        pytest.param(
            # The total read right in big print; the gift line is missing so another pass runs,
            # and its misread small rows add up to the look-alike.
            HEAD + [("合計 ¥5,108", 60)],
            HEAD + GIFT + [("小計 ¥5,168", 30), ("合計 ¥5,108", 60), ("(8%対象 ¥168)", 30),
                           ("(非課税計 ¥5,000)", 30)],
            5108, 2, id="small-print-sums-do-not-overturn-the-big-total",
        ),
        pytest.param(
            # The next pass's sums agree with the subtotal: it stays, confirmed, and no more passes run.
            HEAD + GIFT + [("小計 ¥5,168", 30), ("お預り ¥10,000", 30)],
            HEAD + GIFT + [("小計 ¥5,168", 30), ("(8%対象 ¥168)", 30), ("(非課税計 ¥5,000)", 30)],
            5168, 2, id="sums-that-agree-confirm-the-subtotal",
        ),
        pytest.param(
            # Cash less change confirms the subtotal on the first pass: no further pass is needed.
            HEAD + GIFT + [("小計 ¥5,168", 30), ("お預り ¥10,000", 30), ("お釣り ¥4,832", 30)],
            HEAD + GIFT + [("合計 ¥5,108", 60)],
            5168, 1, id="a-confirmed-subtotal-needs-no-further-pass",
        ),
        pytest.param(
            # Dotted zeros read as "60" make the subtotal less than the gift card on the slip.
            HEAD + [("Amazonギフトカード ¥20,000", 30), ("小計 ¥260, 6060", 30)],
            HEAD + [("Amazonギフトカード ¥20,000", 30), ("小計 ¥20,000", 30)],
            20000, 4, id="a-total-below-the-gift-card-yields-to-another-reading",
        ),
        pytest.param(
            # The first pass garbles the subtotal but its tax rows add up to what the next pass reads.
            HEAD + [("Amazonギフトカード", 30), ("小計 ¥260, 6060", 30), ("(非課税計 ¥5,000)", 30)],
            HEAD + [("Amazonギフトカード", 30), ("小計 ¥5,000", 30)],
            5000, 2, id="the-first-pass-sums-confirm-another-reading",
        ),
        pytest.param(
            # Both readings are below the gift card and no sum gives either: no amount rather than a wrong one.
            HEAD + [("Amazonギフトカード ¥20,000", 30), ("小計 ¥260", 30)],
            HEAD + [("Amazonギフトカード ¥20,000", 30), ("小計 ¥2,600", 30)],
            None, 4, id="readings-below-the-gift-card-are-not-taken",
        ),
        pytest.param(
            # A total read as ¥10 (its thousands lost) on a slip showing a gift card is below any card:
            # the total's rows are read again, and the sums there give it.
            HEAD + [("Amazonギフトカード", 30), ("合計 ¥10 ., 3", 60)],
            HEAD + [("Amazonギフトカード", 30), ("小計 ¥5,000", 30), ("合計 ¥5,000", 60), ("お預り ¥5,000", 30),
                    ("お釣 ¥0", 30)],
            5000, 2, id="a-total-below-the-cheapest-card-is-read-again",
        ),
        pytest.param(
            # Dotted zeros read as 6 on every row, so the sums agree on 5,666; the phone
            # number (672- for 072-) shows it, and another pass reads the 合計 row with zeros.
            ZEROS_AS_SIXES,
            ZEROS_AS_SIXES[:3] + [("小計 ¥5,600", 30), ("合計 ¥5,000", 60)],
            5000, 2, id="a-slip-whose-zeros-read-as-sixes-takes-the-reading-with-zeros",
        ),
        pytest.param(
            # The phone number shows misread zeros, but cash less change and two item prices
            # give the 5,476 read: misread alike, they would not add up. No further pass.
            ZEROS_AS_SIXES[:3] + [("AMAZONギフトカード ¥5,000非", 30), ("お茶 ¥476", 30), ("合計 ¥5,476", 60),
                                  ("お預かり ¥10,000", 30), ("お釣り ¥4,524", 30)],
            ZEROS_AS_SIXES[:3] + [("合計 ¥5,470", 60)],
            5476, 1, id="a-total-sums-of-other-values-give-is-not-read-again-for-sixes",
        ),
        pytest.param(
            # The same sums with the phone number read right: nothing says 5,666 is misread.
            [("ローソン 新宿店", 30), ("電話072-262-3571", 30)] + ZEROS_AS_SIXES[2:],
            ZEROS_AS_SIXES[:3] + [("小計 ¥5,600", 30), ("合計 ¥5,000", 60)],
            5666, 1, id="sums-that-agree-stand-without-a-sign-of-misread-zeros",
        ),
        pytest.param(
            # The first pass reads no price but the card's, so its items add up to the card's price;
            # the next pass reads the card's row again, and the untaxed base repeats it. That row
            # read twice confirms nothing: the subtotal the next pass reads stands.
            HEAD + [("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥36,600", 30), ("洗剤 va", 30), ("充電器 o.480", 30), ("小計 vo,408", 30),
                    ("合計 #9.108", 60), ("(1の錦象 ¥2,808)", 30), ("現計 \\39 , 408", 30), ("お釣 v", 30)],
            HEAD + [("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ v36.600非", 30), ("洗剤 vs", 30), ("充電器 ¥2,480", 30), ("小計 ¥39,408", 30),
                    ("(oss 2,808)", 30), ("(非課税 ¥36,600)", 30), ("現計 ¥39,408", 30)],
            39408, 4, id="one-row-read-in-two-passes-is-no-sum",
        ),
        pytest.param(
            # The first reading is not below the gift card: another pass's subtotal does not replace it.
            HEAD + GIFT + [("小計 ¥5,300", 30)],
            HEAD + GIFT + [("小計 ¥5,800", 30)],
            5300, 4, id="a-subtotal-above-the-gift-card-stays",
        ),
    ],
)
def test_further_pass_amount(tmp_path: Path, first: list[tuple[str, int]], second: list[tuple[str, int]],
                             expected: int | None, calls: int) -> None:
    engine = PassEngine(first, second)
    reading = _read(tmp_path, engine)
    assert reading.fields.amount.value == expected  # type: ignore[attr-defined]
    assert engine.calls == calls


class KanaEngine(PassEngine):
    """Reads the gift-card row's half-width name only on a widened, binarized copy, as Tesseract does."""

    def __init__(self, rows: list[tuple[str, int]], name_row: int, name: str) -> None:
        super().__init__(rows)
        self.name_row, self.name = name_row, name
        self.copies: list[tuple[int, bool]] = []  # (width, binarized) of each copy read

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        binarized = set(np.unique(np.asarray(image.convert("L")))) <= {0, 255}
        self.copies.append((image.width, binarized))
        words = super().words(image, psm=psm)
        widened = image.width > 1.3 * self.copies[0][0]
        if widened and binarized:
            words[self.name_row] = Word(self.name, words[self.name_row].box, 0.9, line=self.name_row)
        return words


def test_a_missing_half_width_card_name_is_looked_for_on_the_widened_copy_first(tmp_path: Path) -> None:
    """With the date and a settled total read, only the card's name is missing: the pass made for it goes first."""
    rows = HEAD + [("7ィマアッギ7トヵード ¥5,000(非)", 30), ("パン ¥298軽", 30), ("合計 ¥5,298", 60),
                   ("お預り ¥10,000", 30), ("お釣 ¥4,702", 30)]
    engine = KanaEngine(rows, 2, "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000(非)")
    path = tmp_path / "slip.png"
    Image.linear_gradient("L").resize((700, 900)).save(path)  # grey levels a binarized copy loses
    reading = check_files([path], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                          engine=engine,  # type: ignore[arg-type]
                          read_options=ReadOptions(parallel_strips=False, fix_rotation=False))
    assert reading.fields.gift_card.value is True
    assert reading.fields.amount.value == 5298
    assert len(engine.copies) == 2 and engine.copies[1][1]  # one further pass, on the widened binarized copy


# A card row and a row whose price was lost: the items do not make up the total, which the cash settles.
UNSUMMED = HEAD + [("7ィマアッギ7トヵード ¥5,000(非)", 30), ("パン", 30), ("合計 ¥5,298", 60),
                   ("お預り ¥10,000", 30), ("お釣 ¥4,702", 30)]


def _read_kana(tmp_path: Path, engine: KanaEngine) -> object:
    path = tmp_path / "slip.png"
    Image.linear_gradient("L").resize((700, 900)).save(path)  # grey levels a binarized copy loses
    return check_files([path], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                       engine=engine,  # type: ignore[arg-type]
                       read_options=ReadOptions(parallel_strips=False, fix_rotation=False))


def test_a_missing_card_name_is_looked_for_first_in_the_rows_priced_like_a_card(tmp_path: Path) -> None:
    """The items do not add up, yet the card's row is one whose price was read: only such rows are read again."""
    engine = KanaEngine(UNSUMMED, 2, "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000(非)")
    reading = _read_kana(tmp_path, engine)
    assert reading.fields.gift_card.value is True  # type: ignore[attr-defined]
    assert reading.fields.amount.value == 5298  # type: ignore[attr-defined]
    assert len(engine.copies) == 2
    bands = reading.further[0][0].bands  # type: ignore[attr-defined]
    assert bands and bands[0][0] > 0.0  # not from the top: the header was not read again
    assert engine.copies[1][0] > engine.copies[0][0] and 0 < len(bands) <= 2


class WholeRowsKanaEngine(KanaEngine):
    """Reads the card's name only on a widened copy of the page down to the total, not on its row alone."""

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        words = super().words(image, psm=psm)
        if image.height < 400 and words[self.name_row].text == self.name:
            words[self.name_row] = Word("7ィマアッギ7トヵード ¥5,000(非)", words[self.name_row].box, 0.9,
                                        line=self.name_row)
        return words


def test_a_card_name_not_found_in_its_row_alone_is_looked_for_down_to_the_total(tmp_path: Path) -> None:
    engine = WholeRowsKanaEngine(UNSUMMED, 2, "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000(非)")
    reading = _read_kana(tmp_path, engine)
    assert reading.fields.gift_card.value is True  # type: ignore[attr-defined]
    further = [p[0].bands for p in reading.further]  # type: ignore[attr-defined]
    assert len(further) == 2 and further[0][0][0] > 0.0 and further[1][0][0] == 0.0
    assert all(binarized for _, binarized in engine.copies[1:])  # the kana pass both times


@pytest.mark.parametrize(
    ("row_box", "read", "expected"),
    [
        pytest.param(Box(40, 500, 500, 60), "合計 ¥13,100", 13100, id="the-total-row-read-with-zeros"),
        pytest.param(Box(40, 500, 500, 60), "合計 ¥13,160", 13160, id="one-zero-kept"),
        pytest.param(Box(40, 500, 500, 60), "合計 ¥13,166", None, id="read-alike"),
        # The label and the 円 garbled in the reading with zeros (君言比10,000H] for 合計10,000円).
        pytest.param(Box(40, 500, 500, 60), "君言比13,100H]", 13100, id="label-and-yen-garbled"),
        pytest.param(Box(40, 500, 500, 60), "君言比13100H]", None, id="no-thousands-to-go-by"),
        pytest.param(Box(40, 500, 500, 60), "合計 ¥13,199", None, id="not-zeros-for-sixes"),
        pytest.param(Box(40, 600, 500, 30), "お預り ¥13,100", None, id="another-row"),
        # A page photographed sideways: its rows run down the original's pixels.
        pytest.param(Box(2250, 900, 70, 300), "合計 ¥13,100", 13100, id="a-turned-page"),
    ],
)
def test_a_total_read_with_sixes_takes_the_zeros_another_pass_read_on_its_row(
        row_box: Box, read: str, expected: int | None) -> None:
    """A till's zeros come back as sixes, seldom a 6 as 0: its own row read with zeros is the printed total."""
    from receipt_assistant.core.api import _zeros_on_its_row
    from receipt_assistant.core.model import Field, Line

    value_box = Box(400, 505, 130, 50) if row_box.w > row_box.h else Box(2257, 937, 58, 218)
    total = Field(value=13166, confidence=0.95, text="合計 ¥13,166", box=value_box, page=0)
    line = Line(text=read, raw=read, box=row_box, conf=0.9, page=0, index=5, words=(Word(read, row_box, 0.9),))
    assert _zeros_on_its_row(total, [line]) == expected


@pytest.mark.parametrize(
    ("first_conf", "again_box", "again_conf", "expected"),
    [
        pytest.param(0.54, Box(20, 62, 490, 28), 0.62, True, id="the-same-row-read-surer"),
        pytest.param(0.54, Box(20, 62, 490, 28), 0.50, False, id="the-same-row-read-less-sure"),
        pytest.param(0.54, Box(20, 900, 490, 28), 0.90, False, id="another-row"),
        # 2626/606/20(土), a year and a doubled zero repaired, is no guess: 2026/66/26(土) read as 06/06 is no better.
        pytest.param(0.76, Box(20, 62, 490, 28), 0.84, False, id="the-first-was-no-guess"),
    ],
)
def test_a_date_another_pass_reads_surer_on_its_row_replaces_a_guess(first_conf: float, again_box: Box,
                                                                     again_conf: float, expected: bool) -> None:
    """2023/68/63 needs two digits repaired, 2025/08/63 one: the same printed date read surer is the one kept."""
    from receipt_assistant.core.api import _surer_on_its_row
    from receipt_assistant.core.model import Field

    first = Field(value=dt.date(2023, 8, 3), confidence=first_conf, text="2023/68/63 09:24", box=Box(16, 58, 500, 30))
    again = Field(value=dt.date(2025, 8, 3), confidence=again_conf, text="2025/08/63 09:24", box=again_box)
    assert _surer_on_its_row(again, first) is expected


def test_a_date_whose_six_may_be_a_zero_is_read_again_and_the_zeros_kept() -> None:
    """An item's ¥108 read ¥168 in its tax base shows the till's zeros read as sixes: 06月16日 may be 06月10日."""
    from receipt_assistant.core.api import _date_in_doubt, _zeros_for_sixes
    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.model import Field, Line

    def lines(rows: list[str]) -> list[Line]:
        return [Line(text=t, raw=t, box=Box(20, 40 * k, 500, 30), conf=0.9, page=0, index=k,
                     words=(Word(t, Box(20, 40 * k, 500, 30), 0.9),)) for k, t in enumerate(rows)]

    rows = ["セブン-イレブン 旭町駅前店", "2026年06月16日14時53分", "アゾフギフトかド3000 ¥3,000非", "ミネラルウォーター¥108*",
            "小計 ¥3,168", "合計 ¥3,168", "(8%対象 ¥168)", "(非課税計 ¥3,000)", "お預り現金 ¥4,000", "釣銭 ¥892"]
    sixes = lines(rows)
    ex = extract(sixes, reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.date.value == dt.date(2026, 6, 16) and _date_in_doubt(ex, dt.date(2026, 11, 1))
    clean = lines(rows[:6] + ["(8%対象 ¥108)"] + rows[7:])
    assert not _date_in_doubt(extract(clean, reference=dt.date(2026, 11, 1), kind="store"), dt.date(2026, 11, 1))
    # The date's own month read 16 and repaired to 10: its day's 6 may be a 0 too.
    repaired = lines(["令和8年16月16日14:04"] + rows[2:6] + ["(8%対象 ¥108)"] + rows[7:])
    assert _date_in_doubt(extract(repaired, reference=dt.date(2026, 11, 1), kind="store"), dt.date(2026, 11, 1))

    first = Field(value=dt.date(2026, 6, 16), confidence=0.86, text="2026年06月16日", box=Box(165, 448, 356, 40))
    again = Field(value=dt.date(2026, 6, 10), confidence=0.85, text="2026年66月10日", box=Box(165, 448, 356, 38))
    assert _zeros_for_sixes(again, first) and not _zeros_for_sixes(first, again)
    elsewhere = Field(value=dt.date(2026, 6, 10), confidence=0.85, text="2026/06/10", box=Box(165, 900, 356, 38))
    assert not _zeros_for_sixes(elsewhere, first)


def test_an_expiry_date_another_pass_lost_the_label_of_is_not_the_purchase() -> None:
    """The first pass read ポイント有効期限 before a date; a pass that garbled the label reads the same row."""
    from receipt_assistant.core.api import _refused_before
    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.model import Field, Line

    rows = ["ツルハドラッグ 四条店", "領収書", "AMAZON POSAカード ¥5,000非", "合計 ¥5,000",
            "お預り現金 ¥5,000", "ポイント有効期限2025/07/14"]
    lines = [Line(text=t, raw=t, box=Box(20, 40 * k, 500, 30), conf=0.9, page=0, index=k,
                  words=(Word(t, Box(20, 40 * k, 500, 30), 0.9),)) for k, t in enumerate(rows)]
    ex = extract(lines, reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.date.value is None
    assert [r.value for r in ex.refused_dates] == [dt.date(2025, 7, 14)]

    garbled = Field(value=dt.date(2025, 7, 14), confidence=0.59, text="-ギイシF袁hHABER 2025/07/14",
                    box=Box(300, 202, 180, 28))
    assert _refused_before(garbled, ex.refused_dates)
    elsewhere = Field(value=dt.date(2025, 7, 14), confidence=0.59, text="2025/07/14 12:16", box=Box(300, 42, 180, 28))
    assert not _refused_before(elsewhere, ex.refused_dates)


def test_a_date_guessed_from_a_garbled_row_is_read_again() -> None:
    """年 and 月 lost ("202448 11H" for 2024年4月11日) leave two readings; the one guessed is re-read."""
    from receipt_assistant.core.api import _date_in_doubt
    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.model import Line

    def lines(date_row: str) -> list[Line]:
        rows = ["セブン-イレブン 紙屋町南店", date_row, "アマゾンギフトカード ¥5,000非", "合計 ¥5,000",
                "お預り ¥5,000", "お釣 ¥0"]
        return [Line(text=t, raw=t, box=Box(20, 40 * k, 500, 30), conf=0.9, page=0, index=k,
                     words=(Word(t, Box(20, 40 * k, 500, 30), 0.9),)) for k, t in enumerate(rows)]

    garbled = lines("202448 11H (AK) 07:35")
    ex = extract(garbled, reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.date.value is not None and _date_in_doubt(ex, dt.date(2026, 11, 1))
    clean = lines("2024年4月11日(木) 07:35")
    ex = extract(clean, reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.date.value == dt.date(2024, 4, 11) and not _date_in_doubt(ex, dt.date(2026, 11, 1))


def test_a_date_changed_to_fit_a_misread_weekday_is_undone_by_a_reading_of_its_weekday() -> None:
    """2026年6月17日(水) read "(木)" was taken as 6月11日, a Thursday; a pass that reads "17日(水)" undoes it."""
    from receipt_assistant.core.api import _date_in_doubt, _repair_undone
    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.model import Field, Line

    reference = dt.date(2026, 11, 1)
    rows = ["ローソン 北浜二丁目店", "2026年6月17日(木) 15:06", "アマゾンギフトカード ¥5,000非", "合計 ¥5,000",
            "お預り ¥5,000", "お釣 ¥0"]
    lines = [Line(text=t, raw=t, box=Box(20, 40 * k, 500, 30), conf=0.9, page=0, index=k,
                  words=(Word(t, Box(20, 40 * k, 500, 30), 0.9),)) for k, t in enumerate(rows)]
    ex = extract(lines, reference=reference, kind="store")
    assert ex.fields.date.value == dt.date(2026, 6, 11) and _date_in_doubt(ex, reference)

    first = ex.fields.date
    again = Field(value=dt.date(2026, 6, 17), confidence=0.65, text="2026代6月17日(水) 15:06", box=Box(22, 41, 490, 31))
    assert _repair_undone(again, first, reference)
    # Read again without a weekday, or on another row, the repair stands.
    bare = replace(again, text="2026代6月17日 15:06")
    assert not _repair_undone(bare, first, reference)
    assert not _repair_undone(replace(again, box=Box(22, 400, 490, 31)), first, reference)
    # A date read as printed is not undone by a pass that read another day on its weekday.
    plain = Field(value=dt.date(2026, 6, 11), confidence=1.0, text="2026年6月11日(木) 15:06", box=first.box)
    other = replace(again, value=dt.date(2026, 6, 18), text="2026年6月18日(木) 15:06")
    assert not _repair_undone(other, plain, reference)
    # "26024年11月16日(日)" repaired to 2024-11-10, a Sunday: "11月16日(日)" fits 2025 too, which is no undoing.
    repaired = Field(value=dt.date(2024, 11, 10), confidence=0.8, text="26024年11月16日(日) 17:28", box=first.box)
    year_guessed = replace(again, value=dt.date(2025, 11, 16), text="206024年11月16日(日) 17:28")
    assert not _repair_undone(year_guessed, repaired, reference)


def test_a_total_with_sixes_is_read_again_when_another_row_prints_it_with_zeros() -> None:
    """A card's row and its tax base read 10,000 where every sum reads 16,666: the till's zeros may be read as
    sixes, so the total is worth another pass even with its label and the 小計 behind it."""
    from receipt_assistant.core.api import _weak_amount
    from receipt_assistant.core.extract import extract
    from receipt_assistant.core.model import Line

    def lines(rows: list[str]) -> list[Line]:
        return [Line(text=t, raw=t, box=Box(20, 40 * k, 500, 30), conf=0.9, page=0, index=k,
                     words=(Word(t, Box(20, 40 * k, 500, 30), 0.9),)) for k, t in enumerate(rows)]

    rows = ["ドン・キホーテ 道玄坂店", "令和8年10月19日17:33", "アマゾンギフトカード", "2コX @5,000 10,0007 3",
            "小計2点16,666円", "お買上計16,666円", "(非課税10,000F3)", "現計16,666円", "お釣り0円"]
    ex = extract(lines(rows), reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.amount.value == 16666 and _weak_amount(ex)
    alike = [r.replace("10,000", "16,666") for r in rows]
    ex = extract(lines(alike), reference=dt.date(2026, 11, 1), kind="store")
    assert ex.fields.amount.value == 16666 and not _weak_amount(ex)
