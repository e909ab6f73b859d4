"""One reading has a time budget: slow or hanging engines never keep the customer waiting past it."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from receipt_assistant.core.api import OUT_OF_TIME, CheckOptions, Reading, check_files
from receipt_assistant.core.model import Box, Word
from receipt_assistant.core.ocr import Reader, ReadOptions

# Reading goes on without a stuck call one second after the deadline; the rest is extraction.
SLACK_S = 2.5


def _slip(tmp_path: Path, rows: int = 12) -> Path:
    """A page with dark bars for text rows, so bands of it hold something to read."""
    img = Image.new("RGB", (600, 60 * rows + 40), "white")
    d = ImageDraw.Draw(img)
    for r in range(rows):
        d.rectangle([30, 30 + 60 * r, 400, 30 + 60 * r + 24], fill="black")
    path = tmp_path / "slip.png"
    img.save(path)
    return path


class HangingEngine:
    """An engine whose calls never return by themselves and ignore any timeout."""

    name = "hanging"
    version = "0"
    languages = "jpn+eng"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def words(self, image: Image.Image, *, psm: int = 3) -> list[Word]:
        self.calls += 1
        self.release.wait(60)
        return []

    def orientation(self, image: Image.Image) -> int | None:
        self.release.wait(60)
        return None


class SlowEngine:
    """Reads nothing useful, slowly, keeping to the timeout it is given; records what it was given."""

    name = "slow"
    version = "0"
    languages = "jpn+eng"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: list[float] = []
        self.timeouts: list[float | None] = []

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        self.started.append(time.monotonic())
        self.timeouts.append(timeout_s)
        time.sleep(min(self.seconds, timeout_s if timeout_s is not None else self.seconds))
        return [Word("ノイズ", Box(10, 10, 40, 20), 0.3, line=0)]

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        time.sleep(min(self.seconds, timeout_s if timeout_s is not None else self.seconds))
        return None


class RowEngine:
    """Reads a slip with every field; records the height of each image it was given."""

    name = "rows"
    version = "0"
    languages = "jpn+eng"

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self.heights: list[int] = []

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        self.heights.append(image.height)
        return [Word(t, Box(40, 40 + 50 * k, 400, 30), 0.95, line=k) for k, t in enumerate(self.rows)]

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        return 0


def test_a_hanging_engine_still_gives_an_answer_within_the_budget(tmp_path: Path) -> None:
    engine = HangingEngine()
    try:
        start = time.monotonic()
        reading = check_files([_slip(tmp_path)], options=CheckOptions(reference=dt.date(2026, 1, 1), budget_s=1.0),
                              engine=engine)  # type: ignore[arg-type]
        elapsed = time.monotonic() - start
    finally:
        engine.release.set()
    assert elapsed < 1.0 + SLACK_S
    assert reading.error is None
    assert OUT_OF_TIME in reading.notes
    assert reading.to_json("ja")["notes"] == ["時間内に読み取りを終えられなかったため、途中までの結果です。"]
    assert reading.to_json("en")["notes"][0].startswith("Reading could not finish")


def test_a_slow_engine_gets_only_the_time_left_and_no_call_starts_after_the_deadline(tmp_path: Path) -> None:
    engine = SlowEngine(0.7)
    budget = 2.0
    start = time.monotonic()
    reading = check_files([_slip(tmp_path)], options=CheckOptions(reference=dt.date(2026, 1, 1), budget_s=budget),
                          engine=engine)  # type: ignore[arg-type]
    elapsed = time.monotonic() - start
    assert elapsed < budget + SLACK_S
    assert engine.started and all(t - start < budget for t in engine.started)
    assert all(t is not None and 0 < t <= budget for t in engine.timeouts)
    # Nothing was read, and the passes that would have looked again did not fit.
    assert reading.fields.amount.value is None
    assert OUT_OF_TIME in reading.notes


def test_a_reading_that_fits_has_no_note(tmp_path: Path) -> None:
    engine = RowEngine(["ローソン 新宿店", "2024/05/01 10:00", "Amazonギフトカード ¥5,000", "合計 ¥5,000",
                        "お預り ¥5,000", "お釣り ¥0"])
    reading = check_files([_slip(tmp_path)], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                          engine=engine)  # type: ignore[arg-type]
    assert reading.fields.amount.value == 5000 and reading.fields.gift_card.value
    assert reading.notes == [] and reading.to_json()["notes"] == []


def test_a_missing_date_is_looked_for_again_only_in_the_header_and_the_foot(tmp_path: Path) -> None:
    engine = RowEngine(["ローソン 新宿店", "Amazonギフトカード ¥5,000", "合計 ¥5,000", "お預り ¥5,000", "お釣り ¥0"])
    options = ReadOptions(parallel_strips=False, fix_rotation=False, retries=({"binarize": True},))
    reading = check_files([_slip(tmp_path)], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                          engine=engine, read_options=options)  # type: ignore[arg-type]
    assert reading.fields.date.value is None
    assert len(engine.heights) == 2 and len(reading.further) == 1
    whole, again = engine.heights
    # The header and the foot (cut at blank rows), stacked with white between them.
    assert reading.further[0][0].bands == ((0.0, 0.3), (0.7, 1.0))
    assert again < 0.8 * whole


@pytest.mark.parametrize("budget", [0.0001])
def test_no_time_at_all_reads_nothing_and_says_so(tmp_path: Path, budget: float) -> None:
    engine = SlowEngine(0.1)
    reader = Reader(engine, ReadOptions(), deadline=time.monotonic() + budget)  # type: ignore[arg-type]
    time.sleep(0.01)
    page = reader.read_page(Image.open(_slip(tmp_path)))
    assert page.words == [] and engine.started == []
    assert reader.out_of_time


def test_the_default_budget_is_fifteen_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from receipt_assistant.core.api import ENV_BUDGET

    monkeypatch.delenv(ENV_BUDGET, raising=False)
    assert CheckOptions().budget_s == 15.0
    monkeypatch.setenv(ENV_BUDGET, "40")
    assert CheckOptions().budget_s == 40.0
    monkeypatch.setenv(ENV_BUDGET, "soon")
    assert CheckOptions().budget_s == 15.0


def _check_slip(tmp_path: Path, engine: RowEngine) -> Reading:
    """A 20-row slip read by ``engine`` with one further pass."""
    options = ReadOptions(parallel_strips=False, fix_rotation=False, retries=({"binarize": True},))
    return check_files([_slip(tmp_path, rows=20)], options=CheckOptions(reference=dt.date(2024, 6, 1), kind="store"),
                       engine=engine, read_options=options)  # type: ignore[arg-type]


def test_a_missing_gift_line_is_looked_for_above_the_total_only(tmp_path: Path) -> None:
    engine = RowEngine(["ローソン 新宿店", "2024/05/01 10:00", "合計 ¥5,000", "お預り ¥5,000", "お釣り ¥0"])
    reading = _check_slip(tmp_path, engine)
    assert reading.fields.amount.value == 5000 and not reading.fields.gift_card.value
    whole, again = engine.heights
    bands = reading.further[0][0].bands
    assert bands is not None and len(bands) == 1 and bands[0][0] == 0.0 and bands[0][1] < 0.6
    assert again < 0.7 * whole


def test_a_garbled_card_name_is_looked_for_on_its_priced_row_when_the_items_make_up_the_total(
        tmp_path: Path) -> None:
    engine = RowEngine(["ローソン 新宿店", "東京都新宿区1-2-3", "2024/05/01 10:00", "7738 -ト7アッギ7カト ¥3,000",
                        "レジ袋 ¥5", "合計 ¥3,005", "お預り ¥3,005", "お釣り ¥0"])
    reading = _check_slip(tmp_path, engine)
    assert reading.fields.amount.value == 3005 and not reading.fields.gift_card.value
    whole, again = engine.heights
    bands = reading.further[0][0].bands
    # The ¥3,000 row and the row above it; not the header, not the ¥5 bag, not the total.
    assert bands is not None and len(bands) == 1
    top, bottom = bands[0]
    assert 0.05 < top and bottom < 0.2
    assert again < 0.3 * whole


def test_with_the_date_missing_too_the_slip_is_read_down_to_its_total(tmp_path: Path) -> None:
    """A date printed among the items (a kiosk sheet) is only found by reading them all."""
    engine = RowEngine(["ローソン 新宿店", "東京都新宿区1-2-3", "TEL 03-1234-5678", "登録番号T1234567890123",
                        "ファミポート", "申込券", "ご来店ありがとう", "またどうぞ", "コンビニ", "7738 -ト7アッギ7カト ¥3,000",
                        "レジ袋 ¥5", "合計 ¥3,005", "お預り ¥3,005", "お釣り ¥0"])
    reading = _check_slip(tmp_path, engine)
    assert reading.fields.date.value is None
    bands = reading.further[0][0].bands
    # From the top past the ¥3,000 row (40 % down the page) in one stretch, not the header and that row apart.
    assert bands is not None and bands[0][0] == 0.0 and bands[0][1] > 0.45


def test_a_missing_date_is_looked_for_in_a_long_header_down_to_the_first_priced_row(tmp_path: Path) -> None:
    """A chain's long header (address, phone, register number, a notice) pushes the date past the top 30 %."""
    engine = RowEngine(["ミニストップ 富士見店", "株式会社ミニストップ", "千葉県千葉市中央区1-2-3", "TEL 043-775-4360",
                        "登録番号T1234567890123", "領収書", "ご来店ありがとうございます", "ポイントカードはお持ちですか",
                        "レジ1 責:776 No.1655", "っろnスヒムニと白ゥロテン", "Amazonギフトカード ¥5,000", "合計 ¥5,000",
                        "お預り ¥5,000", "お釣り ¥0"])
    reading = _check_slip(tmp_path, engine)
    assert reading.fields.date.value is None
    bands = reading.further[0][0].bands
    # From the top down to the card's row (y 540 of 1240 px), beside the foot.
    assert bands is not None and bands[0][0] == 0.0 and 0.4 < bands[0][1] < 0.45
    assert bands[-1] == (0.7, 1.0)
