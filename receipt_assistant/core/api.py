"""The one call the CLI, the wizard and the review tool make: files in, a checked reading out."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from receipt_assistant.core import loader, quality
from receipt_assistant.core.amounts import find_amounts, grouped_values
from receipt_assistant.core.checks import run_checks
from receipt_assistant.core.dates import spelled_dates
from receipt_assistant.core.engine_tesserocr import EngineUnavailable, TesserocrEngine
from receipt_assistant.core.errors import Cancelled, ReceiptError
from receipt_assistant.core.extract import (
    Extraction,
    extract,
    gift_over_passes,
    misread_of,
    printed_smaller,
    reading_order,
)
from receipt_assistant.core.fields.amount import (
    MIN_SHOP_GIFT_YEN,
    as_printed,
    below_price,
    facts,
    zeros_read_as_sixes,
)
from receipt_assistant.core.model import (
    Box,
    Check,
    Field,
    Fields,
    Kind,
    Line,
    Message,
    PageQuality,
    Problem,
)
from receipt_assistant.core.ocr import (
    CancelFn,
    OcrEngine,
    PageReading,
    ProgressFn,
    Reader,
    ReadOptions,
    TesseractEngine,
    build_lines,
    check_cancel,
    merged_spans,
    on_every_reading_thread,
    on_reading_thread,
    turn_points,
    unrotate_box,
)
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.tesseract import ENV_TESSERACT, library_tessdata, probe

log = logging.getLogger(__name__)

# A further pass starts only while this share of the time it should take is
# left (the first pass's read of the same rows, scaled to the pass's larger
# copy). One cut off at the deadline still gives the rows each strip had read
# by then in process (tesserocr stops between words), the top of each strip.
_PASS_SHARE = 0.3
OUT_OF_TIME = Message(
    ja="時間内に読み取りを終えられなかったため、途中までの結果です。",
    en="Reading could not finish within the time allowed; these are the results so far.",
)

ENV_BUDGET = "RECEIPT_ASSISTANT_BUDGET"
BUDGET_S = 15.0


def default_budget() -> float:
    """Seconds a reading may take: 15, or ``RECEIPT_ASSISTANT_BUDGET`` (a slow or shared machine, the tests)."""
    try:
        value = float(os.environ.get(ENV_BUDGET, ""))
    except ValueError:
        return BUDGET_S
    return value if value > 0 else BUDGET_S


# Below this mean word confidence a page that shows no receipt words is
# treated as a bad photo rather than as the wrong page.
READABLE_CONF = 0.6


@dataclass
class CheckOptions:
    kind: str = "auto"  # auto | amazon | store
    expect_amount: int | None = None
    expect_date: dt.date | None = None
    date_tolerance: int = 0
    reference: dt.date | None = None  # "today"; dates after it are rejected
    # Quarter turns clockwise the customer gave a file ({path: 90}); boxes are then on the turned image.
    turns: dict[str, int] = field(default_factory=dict)
    # The slip's four corners the customer placed on a photo ({path: [[x, y] × 4]}, on the turned image).
    corners: dict[str, list[list[float]]] = field(default_factory=dict)
    # Seconds one reading may take: past them the best reading so far is
    # returned with a note (Reading.notes) instead of making the customer wait.
    budget_s: float = field(default_factory=lambda: default_budget())


@dataclass
class QualityReport:
    """Pixel measurements per page plus the verdict after reading."""

    pages: list[PageQuality] = field(default_factory=list)
    verdict: str = "ok"  # ok | poor | not_a_receipt
    problems: list[Problem] = field(default_factory=list)
    # The measured problems to fix by taking the photo again: those of a
    # reading that missed a field. A photo with a defect that still gave all
    # three values needs no retake; a doubtful value is shown for checking
    # against the image instead (on the retake benchmark, asking also for
    # doubtful values put 9 of 38 retakes on photos that had been read right).
    retake: list[Problem] = field(default_factory=list)

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "problems": [p.to_json(lang) for p in self.problems],
            "retake": [p.id for p in self.retake],
            "pages": [p.to_json(lang) for p in self.pages],
        }


@dataclass
class Reading:
    """Everything known about one receipt (one or several files)."""

    sources: list[str]
    kind: Kind = "unknown"
    fields: Fields = field(default_factory=Fields)
    checks: list[Check] = field(default_factory=list)
    quality: QualityReport = field(default_factory=QualityReport)
    pages: list[PageReading] = field(default_factory=list)
    # Pages as each further pass read them (the first pass is ``pages``).
    further: list[list[PageReading]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    extraction: Extraction | None = None
    error: ReceiptError | None = None
    # Why nothing was read although the files are fine (no Tesseract): values are typed by hand.
    unread: Message | None = None
    # What the customer should know about how the reading went (e.g. it ran out of time).
    notes: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def source(self) -> str:
        return " + ".join(self.sources)

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        """The documented ``check --json`` object (docs/cli.md)."""
        return {
            "source": self.source,
            "kind": self.kind,
            "fields": self.fields.to_json(),
            "quality": self.quality.to_json(lang),
            "checks": [c.to_json(lang) for c in self.checks],
            "ok": self.ok,
            "error": self.error.text(lang) if self.error else None,
            "notes": [n.text(lang) for n in self.notes],
        }


def _corners_for(page: loader.Page, corners: dict[str, list[list[float]]]) -> np.ndarray | None:
    """The customer's corners for a page: only a one-page image file has them, and only on the image.

    Corners come from a bundle's manifest too, which is untrusted: a point
    off the picture (or not a number) leaves the page unflattened.
    """
    by_path = {str(Path(k)): v for k, v in corners.items()}
    points = by_path.get(str(Path(page.source)))
    if points is None or page.index != 0 or page.text_words is not None or len(points) != 4:
        return None
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if arr.shape != (4, 2) or not np.isfinite(arr).all():
        return None
    if (arr < -1).any() or (arr > np.asarray(page.image.size) + 1).any():
        return None
    return arr


def turned(pages: list[loader.Page], turns: dict[str, int]) -> list[loader.Page]:
    """Pages with the customer's quarter turns applied (to copies; a text layer is already upright)."""
    by_path = {str(Path(k)): v for k, v in turns.items()}
    out = []
    for page in pages:
        turn = by_path.get(str(Path(page.source)), 0) % 360
        if turn and page.text_words is None:
            page = replace(page, image=page.image.rotate(-turn, expand=True))
        out.append(page)
    return out


_engines: dict[str, TesserocrEngine] = {}
_engines_lock = threading.Lock()


def _library_engine(responsive: bool) -> TesserocrEngine | None:
    """Tesseract loaded in this process, shared by every reading (it keeps one model per thread)."""
    found = library_tessdata()
    if found is None:
        return None
    key = f"{found[0]}|{responsive}"
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            try:
                engine = TesserocrEngine(found[0])
                # A window reads one receipt at a time on a machine of its own:
                # each reading thread loads its model now, in parallel, so the
                # first page is split among them. A command loads one and
                # splits only tall pages (core.ocr).
                (on_every_reading_thread if responsive else on_reading_thread)(engine.load)
            except EngineUnavailable as exc:
                log.info("tesserocr not used: %s", exc)
                return None
            program = probe(None) if responsive else None
            if program is not None and program.ok:
                engine.orientation_program = TesseractEngine(program)
            _engines[key] = engine
        return engine


def make_engine(settings: Settings | None = None, *, responsive: bool = False) -> OcrEngine:
    """The real engine; raises TesseractMissing (with the fix) when it cannot read Japanese.

    Tesseract in this process (tesserocr) unless the user named a Tesseract
    to use (setting or environment variable) or tesserocr cannot load here;
    then the Tesseract program through pytesseract. ``responsive``: for a
    window, whose event loop must not wait on a call that holds the GIL (the
    orientation check is then asked of the program, where there is one).
    """
    settings = settings or Settings.load()
    if not settings.tesseract_path and not os.environ.get(ENV_TESSERACT):
        engine = _library_engine(responsive)
        if engine is not None:
            return engine
    return TesseractEngine(probe(settings.tesseract_path))


def _problem(pid: str, value: float, threshold: float, ja: str, en: str, *, advice: bool = False) -> Problem:
    return Problem(pid, value, threshold, Message(ja, en), advice=advice)


def _verdict(report: QualityReport, readings: Sequence[PageReading], ex: Extraction) -> None:
    pixel_problems = [p for page in report.pages for p in page.problems]
    report.problems = list(pixel_problems)
    f = ex.fields
    if any(fld.value in (None, False) for fld in (f.date, f.amount, f.gift_card)):
        report.retake = list(pixel_problems)
    words = [w for r in readings for w in r.words]
    mean_conf = sum(w.conf for w in words) / len(words) if words else 0.0
    if ex.receipt_words == 0 and ex.kind == "unknown":
        if pixel_problems or (words and mean_conf < READABLE_CONF):
            report.verdict = "poor"
        elif not words:
            report.verdict = "not_a_receipt"
            report.problems.append(_problem(
                "not_a_receipt", 0, 1,
                "画像に文字が見つかりません。領収書のページかレシートの写真を選んでください。",
                "No text was found in the image. Choose the receipt page or a photo of the slip.",
            ))
        else:
            report.verdict = "not_a_receipt"
            report.problems.append(_problem(
                "not_a_receipt", 0, 1,
                "文字は読めましたが、領収書やレシートの言葉（合計・注文・円など）がありません。"
                "違うページか、別の写真のようです。",
                "The text is readable but has none of the words of a receipt (total, order, yen). "
                "This looks like a different page or photo.",
            ))
        return
    if words and mean_conf < READABLE_CONF:
        report.problems.append(_problem(
            "low_confidence", mean_conf, READABLE_CONF,
            f"文字の読み取りの確かさが低めです（{mean_conf:.0%}）。読み取った値をよく確認してください。",
            f"The reading is unsure ({mean_conf:.0%}). Check the values read carefully.",
        ))
    # An Amazon page read from a camera picture (screenshots and rendered PDF
    # pages have no grain at all; a photo of a monitor has some, JPEG or not)
    # gets the advice to send a screenshot instead.
    grain = max((p.grain for p in report.pages), default=0.0)
    if ex.kind == "amazon" and grain > quality.CAMERA_GRAIN and not all(r.from_text_layer for r in readings):
        report.problems.append(_problem(
            "screen_photo", grain, quality.CAMERA_GRAIN,
            "Amazonの画面をカメラで撮った写真のようです。次からは画面のスクリーンショット（またはPDF保存）を使ってください。"
            "文字がくっきりして、確実に読み取れます。",
            "This looks like a camera photo of the Amazon page on a screen. Next time use a screenshot of the "
            "screen (or save the page as PDF): the text is sharper and reads reliably.",
            advice=True,
        ))
    report.verdict = "poor" if any(not p.advice for p in report.problems) else "ok"


def _missing(ex: Extraction) -> bool:
    """A field not read, or an amount with neither a total's label nor a sum behind it."""
    f = ex.fields
    return f.date.value is None or _weak_amount(ex) or (not f.gift_card.value and ex.gift_room)


_TOTAL_ATTRS = ("order_total", "amount_label", "amount_checked", "amount_evidence", "amount_strength",
                "arithmetic_totals", "checked_totals", "gift_room", "amount_summed")


def _stronger_total(ex: Extraction, ex2: Extraction, first: Sequence[PageReading], again: Sequence[PageReading],
                    reference: dt.date, kind: str) -> Extraction:
    """``ex`` with the slip total that has the most evidence over both passes.

    Each pass's reading is weighed again with the other pass's sums as
    evidence (a total whose label one pass read and whose tax rows only the
    other did); on a tie the reading so far stays.
    """
    pooled = ex.amount_facts + [f for f in ex2.amount_facts if f not in ex.amount_facts]
    best = ex
    weighed = [ex, ex2]
    for lines, extra in ((build_lines(first), ex2.amount_facts), (build_lines(again), ex.amount_facts)):
        other = extract(lines, reference=reference, kind=kind, extra_facts=extra)
        weighed.append(other)
        if other.fields.amount.value is not None and other.amount_strength > best.amount_strength:
            best = other
    # On a slip whose zeros read as sixes, a total read with zeros where the
    # stronger reading has sixes is the printed one, whatever backs the other.
    read = best.fields.amount.value
    if (ex.zeros_as_sixes or ex2.zeros_as_sixes) and read is not None:
        zeroed = [e for e in weighed if e.amount_evidence and e.fields.amount.value is not None
                  and zeros_read_as_sixes(read, e.fields.amount.value)]
        if zeroed:
            best = min(zeroed, key=lambda e: e.fields.amount.value)  # the most zeros
    zeros = _zeros_on_its_row(best.fields.amount, [*build_lines(first), *build_lines(again)])
    if zeros is not None:
        shown = [e for e in best.fields.amount.evidence if e in ("label", "large_print")]
        evidence = (*shown, "repaired", *(e for e in best.fields.amount.evidence if e not in [*shown, "repaired"]))
        amount = replace(best.fields.amount, value=zeros, evidence=evidence)
        best = replace(best, fields=replace(best.fields, amount=amount), amount_evidence=evidence)
    if best is ex:
        return replace(ex, amount_facts=pooled)
    fields = replace(ex.fields, amount=best.fields.amount)
    return replace(ex, fields=fields, amount_facts=pooled, **{a: getattr(best, a) for a in _TOTAL_ATTRS})


def _overlap(a: Box, b: Box) -> float:
    """How much of the smaller box the two share."""
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return w * h / max(1, min(a.w * a.h, b.w * b.h)) if w > 0 and h > 0 else 0.0


# Below this a date was guessed through look-alike digits, nothing else backing it.
_GUESSED_DATE = 0.6


def _surer_on_its_row(again: Field, first: Field) -> bool:
    """Another pass read the same printed date surer than the first pass's guess
    (2025/08/63, one digit to repair, over 2023/68/63, two)."""
    return (again.value != first.value and again.box is not None and first.box is not None
            and again.page == first.page and _overlap(again.box, first.box) >= 0.5
            and first.confidence < _GUESSED_DATE < again.confidence)


def _repair_undone(again: Field, first: Field, reference: dt.date) -> bool:
    """The first pass changed a digit to fit the weekday it read ("2026年6月17日(木)" taken as 6月11日), and
    another reading of the row spells the date as the first read it, on a weekday that agrees ("17日(水)"):
    the weekday was the misread part, not the digits."""
    if (again.value is None or first.value is None or again.value == first.value or again.box is None
            or first.box is None or again.page != first.page or _overlap(again.box, first.box) < 0.5
            or again.value.year != first.value.year):  # a weekday fits some day of another year too
        return False
    first_read = spelled_dates(first.text, reference)
    return (first.value not in first_read and again.value in first_read
            and spelled_dates(again.text, reference).get(again.value, False))


def _changed_to_fit(date: Field, reference: dt.date) -> bool:
    """The date's row spells another real day of the same year: a digit was changed to fit the weekday read."""
    spelled = spelled_dates(date.text, reference)
    return date.value is not None and date.value not in spelled and any(
        day.year == date.value.year for day in spelled)


def _refused_before(again: Field, refused: Sequence[Field]) -> bool:
    """A date another pass read on the same row under a label saying it is not the purchase (ポイント有効期限)."""
    return again.box is not None and any(
        r.value == again.value and r.box is not None and r.page == again.page and _overlap(again.box, r.box) >= 0.5
        for r in refused)


def _date_in_doubt(ex: Extraction, reference: dt.date) -> bool:
    """A date only guessed from a garbled row or changed to fit its weekday, or a slip's date with a 6 where
    zeros were read as sixes.

    A guess (2024年4月11日 read "202448 11H", its kanji lost) is read again
    on its own row: the row read another way often comes back whole. A 6 in
    a slip's month or day may be a 0 when the phone number or year shows it
    (see ``Extraction.zeros_as_sixes``), a zero of the date itself was read
    as six and repaired (令和8年16月16日 read as 10-16), or one value is
    printed on two rows, once with zeros and once with sixes (an item's ¥108
    and its 8 % base read ¥168; see ``Extraction.read_both_ways``).
    """
    day = ex.fields.date.value
    if day is None:
        return False
    if ex.fields.date.confidence < _GUESSED_DATE or _changed_to_fit(ex.fields.date, reference):
        return True
    if ex.kind == "amazon" or "6" not in f"{day.month}{day.day}":
        return False
    groups = set(re.findall(r"\d+", ex.fields.date.text))
    repaired = any("0" in part and part.replace("0", "6") in groups and part not in groups
                   for part in (f"{day.month:02d}", f"{day.month}", f"{day.day:02d}", f"{day.day}"))
    return ex.zeros_as_sixes or ex.read_both_ways or repaired


def _add_date_row(bands: dict[int, list[tuple[float, float]]], ex: Extraction, first: Sequence[PageReading]) -> bool:
    """Add the date's row (and one row around it) to ``bands``; whether it could be placed."""
    date = ex.fields.date
    reading = next((r for r in first if r.page == date.page and not (r.from_text_layer or r.skipped)), None)
    band = reading.band_of(date.box) if reading is not None and date.box is not None else None
    if reading is None or band is None:
        return False
    row = _row(reading)
    spans = [*bands.get(reading.page, []), (max(0.0, band[0] - row), min(1.0, band[1] + row))]
    bands[reading.page] = merged_spans(spans)
    return True


def _zeros_for_sixes(again: Field, first: Field) -> bool:
    """Another pass read the same date row with zeros where the first read sixes (07/10 for 07/16)."""
    if not (isinstance(again.value, dt.date) and isinstance(first.value, dt.date)):
        return False
    if again.box is None or first.box is None or again.page != first.page or _overlap(again.box, first.box) < 0.5:
        return False
    return zeros_read_as_sixes(int(first.value.strftime("%Y%m%d")), int(again.value.strftime("%Y%m%d")))


def _zeros_on_its_row(total: Field, lines: Sequence[Line]) -> int | None:
    """The total with zeros where it was read with sixes, when a pass read its very row so.

    The same printed row read 13,100 once and 13,166 once is a till's
    zeros coming back as sixes (a 6 is not read as 0), whatever sums
    repeat the sixes. The row's label and yen mark may be garbled in the
    reading with zeros: its value grouped in thousands is enough.
    """
    if total.value is None or total.box is None or "6" not in str(total.value):
        return None
    box = total.box
    # Most of the total's value lies within the row, whichever way the page was turned.
    row_values = ({a.value for a in find_amounts(line.text)} | grouped_values(line.text)
                  for line in lines if line.page == total.page and _overlap(box, line.box) >= 0.5)
    zeroed = {v for values in row_values for v in values if zeros_read_as_sixes(total.value, v)}
    return min(zeroed) if zeroed else None


def _weak_amount(ex: Extraction) -> bool:
    # Slips print 合計 double height, which Tesseract often misreads; the 小計
    # usually agrees, but a pass that reads the 合計 itself is worth the time.
    # A 小計 the slip's own sums confirm (cash less change) is the total.
    if ex.fields.amount.value is None:
        return True
    # A slip that shows a gift-card line totals at least the cheapest card.
    if ex.kind == "store" and ex.fields.gift_card.value and ex.fields.amount.value < MIN_SHOP_GIFT_YEN:
        return True
    # Its 6s may be zeros (the slip's phone number or year read so, or one value printed both ways):
    # another pass may read them right, unless a sum of other values gives it (misread alike, they
    # would not add up).
    if (ex.zeros_as_sixes or ex.read_both_ways) and "6" in str(ex.fields.amount.value) and not ex.amount_summed:
        return True
    return ex.amount_label in ("subtotal", "") and not ex.amount_checked


def _only_gift_missing(ex: Extraction) -> bool:
    f = ex.fields
    return f.date.value is not None and not _weak_amount(ex) and not f.gift_card.value and ex.gift_room


def _kana_pass(retry: dict[str, object]) -> bool:
    """A widened, binarized copy: the pass that reads half-width katakana names."""
    return bool(retry.get("binarize")) and float(retry.get("stretch_x", 1.0)) != 1.0  # type: ignore[arg-type]


def _next_pass(left: Sequence[dict[str, object]], ex: Extraction) -> dict[str, object]:
    """Of the further passes not yet run, the one that finds what is still missing soonest.

    When only the gift-card row is missing, its name is nearly always a
    till's half-width katakana (ｱﾏｿﾞﾝｷﾞﾌﾄ), which the widened passes read and
    the others garble alike; those go first, so a found row ends the passes.
    """
    if _only_gift_missing(ex):  # the first kana pass, else the first widened one, else the first
        return min(left, key=lambda r: (not _kana_pass(r), r.get("stretch_x", 1.0) == 1.0))
    return left[0]


def _near(subtotal: int | None, total: int) -> bool:
    """A 合計 read later may replace a 小計 only within discounts and tax of it."""
    return subtotal is None or 0.5 * subtotal <= total <= 1.25 * subtotal


def _below_gift(total: int | None, gift_price: int | None) -> bool:
    """A total less than the price printed on the slip's gift-card row, which it includes."""
    return total is not None and below_price(total, gift_price)


# Where a slip prints its date: the header above the items, or at the foot
# under the payment rows (some tills); also around any row read like a date.
DATE_BANDS = ((0.0, 0.3), (0.7, 1.0))
_HEADER_MAX = 0.6  # a first priced row lower than this is not the end of a header
_DATE_LIKE = re.compile(r"\d\s*[年/月]\s*\d|\d{1,2}\s*[:時]\s*\d{2}|令和|平成|日付")
# Where the total is when no row near it was read: below the header.
TOTAL_BAND = (0.3, 1.0)
# Rows around a money label read again: this many text rows above and below.
_ROWS_AROUND = 6
# Labels of the rows around the total, as OCR gives them (合計 often as 言一 or 言十).
_TOTAL_ROWS = re.compile(r"計|言一|言十|預|釣|支払|請求|現金|クレジット|電子マネー|対象|税")


def bands_to_reread(ex: Extraction, first: Sequence[PageReading], *,
                    narrow: bool = False) -> dict[int, list[tuple[float, float]]]:
    """Which rows of each page a further pass reads ({page: [(top, bottom) as fractions of its height]}).

    Only where evidence is missing: a missing date is in the header or the
    foot, or around a row that looks like a date or a time; a
    missing or weak total is among the rows labelled like totals, or below
    the header when none was read; a missing gift-card line can be anywhere
    above a slip's total, so it takes the page down to a total that was read
    (the whole page without one, and on an Amazon page, whose header repeats
    the total above the items), or, when the item prices make up the total
    and the date was read, only the item rows priced like a card. ``narrow``
    (the first further pass) reads only the rows above the total priced like a
    card even when the items do not make up the total; a later pass reads the
    page down to the total. Pages left out are not read.
    """
    f = ex.fields
    ocr = [r for r in first if not (r.from_text_layer or r.skipped)]
    by_page = {r.page: r for r in ocr}
    wanted: dict[int, list[tuple[float, float]]] = {}
    if not f.gift_card.value and ex.gift_room:
        reading = by_page.get(f.amount.page)
        total = None
        if ex.kind == "store" and not _weak_amount(ex) and f.amount.box is not None and reading is not None:
            total = reading.band_of(f.amount.box)
        for r in ocr:
            if total is None or r.page < f.amount.page:
                wanted.setdefault(r.page, []).append((0.0, 1.0))
            elif r.page == f.amount.page:
                # With the date missing too, the rows between header and total may hold it.
                priced = _priced_rows(ex, ocr, r, total[0] if narrow else None) if f.date.value is not None else []
                wanted.setdefault(r.page, []).extend(
                    priced or [(0.0, min(1.0, total[1] + _ROWS_AROUND * _row(r)))])
    if f.date.value is None:
        for r in ocr:
            wanted.setdefault(r.page, []).extend(DATE_BANDS)
        header: dict[int, float] = {}
        for line in build_lines(ocr):
            band = by_page[line.page].band_of(line.box)
            if band is None:
                continue
            row = _row(by_page[line.page])
            if _DATE_LIKE.search(line.text):
                wanted[line.page].append((max(0.0, band[0] - 3 * row), min(1.0, band[1] + 3 * row)))
            if any(a.marked for a in find_amounts(line.text)):
                header[line.page] = min(header.get(line.page, 1.0), band[0])
        # The date is printed in the header, which runs down to the first priced row however long it is.
        for page, top in header.items():
            if top <= _HEADER_MAX:
                wanted[page].append((0.0, top))
    if _weak_amount(ex):
        around: dict[int, list[tuple[float, float]]] = {}
        for line in build_lines(ocr):
            band = by_page[line.page].band_of(line.box) if _TOTAL_ROWS.search(line.text) else None
            if band is not None:
                around.setdefault(line.page, []).append(band)
        if f.amount.box is not None and f.amount.page in by_page:
            band = by_page[f.amount.page].band_of(f.amount.box)
            if band is not None:
                around.setdefault(f.amount.page, []).append(band)
        for r in ocr:
            if not around:
                wanted.setdefault(r.page, []).append(TOTAL_BAND)
            elif r.page in around:
                rows = around[r.page]
                wanted.setdefault(r.page, []).append(
                    (max(0.0, min(t for t, _ in rows) - _ROWS_AROUND * _row(r)),
                     min(1.0, max(b for _, b in rows) + _ROWS_AROUND * _row(r))))
    return {page: merged_spans(spans) for page, spans in wanted.items()}


def _priced_rows(ex: Extraction, ocr: Sequence[PageReading], reading: PageReading,
                 above: float | None = None) -> list[tuple[float, float]]:
    """The item rows dear enough to be a gift card, with the row above each, when the items make up the total;
    else, given ``above`` (the top of the total's row), the rows above it priced so.

    Item prices that add up to the total mean every item row was read, so a
    card line whose name OCR garbled (half-width katakana) is among them; its
    name may have wrapped onto the row above. Without that sum the card's row
    is still most often one whose price was read. Reading just those rows
    again is a fraction of reading the page down to the total, which a
    widened copy makes dearer than the first pass.
    """
    lines = reading_order(build_lines(ocr))
    items = next((f for f in facts(as_printed(lines)) if f.name == "items" and f.value == ex.fields.amount.value),
                 None)

    def dear(text: str) -> bool:
        return any(a.value >= MIN_SHOP_GIFT_YEN for a in find_amounts(text))

    if items is not None:
        rows = [i for i in sorted(items.rows) if dear(lines[i].text)]
    elif above is not None:
        # A card's price with its tax mark read as a digit (29,0003) is no
        # amount, but its row is still worth the look.
        rows = [i for i, line in enumerate(lines) if line.page == reading.page
                and (band := reading.band_of(line.box)) is not None and band[1] <= above
                and (dear(line.text) or _PRICED_LIKE_A_CARD.search(line.text.replace(" ", "")))]
    else:
        return []
    row = _row(reading)
    bands = []
    for i in rows:
        band = reading.band_of(lines[i].box) if lines[i].page == reading.page else None
        if band is not None:
            bands.append((max(0.0, band[0] - row), min(1.0, band[1] + row / 2)))
    return bands


# A thousands group or a yen sign before four digits: a price a card could
# have (the header's phone and registration numbers have neither).
_PRICED_LIKE_A_CARD = re.compile(r"[1-9]\d{0,2},\d{3}|[¥\\￥][1-9]\d{3,}")


def _pass_estimate(first: Sequence[PageReading], options: ReadOptions, retry: dict[str, object],
                   bands: dict[int, list[tuple[float, float]]]) -> float:
    """Seconds a further pass over ``bands`` should take: the first read of the same rows, scaled by the copy's pixels."""
    again = replace(options, **retry)  # type: ignore[arg-type]
    seconds = 0.0
    for r in first:
        if r.page not in bands:
            continue
        pixels = 1.0
        g = r.geometry
        if g is not None and g.char_height:
            now, then = g.scale * g.char_height, again.char_px(g.char_height, g.drawn)
            if now > 0 and then > 0:
                pixels = (then / now) ** 2 * again.stretch_x / g.stretch_x
        seconds += r.read_s * sum(b - t for t, b in bands[r.page]) * pixels
    return seconds


def _row(reading: PageReading) -> float:
    """One text row of a page as read, as a fraction of its height."""
    geo = reading.geometry
    if geo is None or geo.size[1] <= 2 * geo.border:
        return 0.05
    return 1.5 * (geo.char_height or 20.0) * geo.scale / (geo.size[1] - 2 * geo.border)


def _labelled_total(ex: Extraction, ex2: Extraction, fields: Fields) -> Extraction:
    """An Amazon page's total after a further pass (``fields.amount`` is set in place).

    Its totals are labelled plainly; another pass's reading replaces a
    missing or weak one, or one with look-alike digits its sums contradict.
    """
    f, f2 = ex.fields, ex2.fields
    if f.amount.value is not None and f.amount.value in ex2.arithmetic_totals:
        ex = replace(ex, amount_checked=True)  # this pass's sums confirm the first reading
    # The first pass read the total with look-alike digits its own rows cannot
    # settle (5,168 for 5,108); this pass's sums give the other reading.
    alternatives = [v for v in ex2.checked_totals
                    if f.amount.value is not None and not ex.amount_checked
                    and f.amount.value not in ex2.arithmetic_totals and misread_of(f.amount.value, v)]
    other = None
    if len(alternatives) == 1:
        other = f2.amount if f2.amount.value == alternatives[0] else ex2.checked_totals[alternatives[0]]
    price = ex.gift_price or ex2.gift_price
    if other is not None and not printed_smaller(other, f.amount):
        value = other.value
        fields.amount = other
        label = "total" if ex.amount_label == "subtotal" else ex.amount_label
        order_total = value if ex.order_total == f.amount.value else ex.order_total
        ex = replace(ex, order_total=order_total, amount_label=label, amount_checked=True)
    elif _weak_amount(ex) and not _weak_amount(ex2) and _near(f.amount.value, f2.amount.value):
        fields.amount = f2.amount
        ex = replace(ex, order_total=ex2.order_total, amount_label=ex2.amount_label)
    elif _weak_amount(ex) and f2.amount.value is not None and f2.amount.value != f.amount.value \
            and f2.amount.value in ex.arithmetic_totals:
        # The first pass's own sums give what this pass read as the total.
        fields.amount = f2.amount
        ex = replace(ex, order_total=ex2.order_total, amount_label="total" if ex2.amount_label == "subtotal"
                     else ex2.amount_label, amount_checked=True)
    elif _weak_amount(ex) and _below_gift(f.amount.value, price) and f2.amount.value is not None \
            and not _below_gift(f2.amount.value, price):
        # A total less than the gift card on the slip is a misreading (a dotted
        # zero read as "60": ¥260 for ¥20,000); this pass's reading is not.
        fields.amount = f2.amount
        ex = replace(ex, order_total=ex2.order_total, amount_label=ex2.amount_label)
    elif f.amount.value is None and f2.amount.value is not None:
        fields.amount = f2.amount
        ex = replace(ex, order_total=ex.order_total or ex2.order_total, amount_label=ex2.amount_label)
    return ex


def _reread_total(ex: Extraction, first: Sequence[PageReading], bands: dict[int, list[tuple[float, float]]]) -> bool:
    """Whether a further pass read the row of the total found so far (or there is none)."""
    box, page = ex.fields.amount.box, ex.fields.amount.page
    reading = next((r for r in first if r.page == page), None)
    row = reading.band_of(box) if box is not None and reading is not None else None
    if ex.fields.amount.value is None or row is None:
        return True
    return any(top <= row[0] and row[1] <= bottom for top, bottom in bands.get(page, []))


def _further_pass(
    ex: Extraction,
    pages: Sequence[loader.Page],
    first: Sequence[PageReading],
    reader: Reader,
    retry: dict[str, object],
    reference: dt.date,
    kind: str,
    cancel: CancelFn | None,
    corners: dict[str, list[list[float]]],
    printed: Sequence[tuple[int, int] | None],
    bands: dict[int, list[tuple[float, float]]],
) -> tuple[Extraction, list[PageReading]]:
    """Read the ``bands`` of the pages again another way and fill in the fields the first pass missed.

    A different scale and a binarized copy fail on different characters than
    the first pass (italic item names, noisy photos), so the two together
    find more than either; what the first pass found is kept.
    """
    again = reader.again(replace(reader.options, retries=(), **retry))  # type: ignore[arg-type]
    readings = []
    for page, done, print_box in zip(pages, first, printed, strict=True):
        check_cancel(cancel)
        if done.from_text_layer or done.skipped or done.page not in bands:
            readings.append(done if done.from_text_layer else replace(done, words=[], bands=()))
            continue
        turned = again.upright(page.image, done.rotation)
        points = _corners_for(page, corners)
        if points is not None and done.rotation:
            points = turn_points(points, done.rotation, *page.image.size)
        r = again.read_page(turned, source=page.source, source_page=page.index, page=done.page, corners=points,
                            bands=bands[done.page], printed=None if done.rotation else print_box)
        if done.rotation:  # boxes back onto the unturned original
            r.words = [replace(w, box=unrotate_box(w.box, done.rotation, *page.image.size)) for w in r.words]
            r.size, r.rotation = page.image.size, done.rotation
        readings.append(r)
    reader.out_of_time = reader.out_of_time or again.out_of_time
    ex2 = extract(build_lines(readings), reference=reference, kind=kind)
    f, f2 = ex.fields, ex2.fields
    fields = replace(f)
    if (f2.date.value is not None and not _refused_before(f2.date, ex.refused_dates)
            and (f.date.value is None or _surer_on_its_row(f2.date, f.date) or _zeros_for_sixes(f2.date, f.date)
                 or _repair_undone(f2.date, f.date, reference))):
        fields.date = f2.date
    # A pass over a few item rows has no sums to weigh a total by.
    if _reread_total(ex, first, bands):
        if ex.kind != "amazon" and ex2.kind != "amazon":
            ex = _stronger_total(ex, ex2, first, readings, reference, kind)
            fields.amount = ex.fields.amount
        else:
            ex = _labelled_total(ex, ex2, fields)
    # A gift card the first pass already read as a means of payment stays
    # that: a blurrier reading of the same row must not turn it into a purchase.
    if not f.gift_card.value and f2.gift_card.value and not ex.gift_payment_text:
        fields.gift_card = f2.gift_card
        ex = replace(ex, gift_price=ex2.gift_price)
    kind_out = ex.kind if ex.kind != "unknown" else ex2.kind
    # A shop's slip carries no Amazon order number, whatever a garbled pass makes of its rules.
    for name in ("order_number", "store") if kind_out != "store" else ("store",):
        if getattr(f, name).value is None and getattr(f2, name).value is not None:
            setattr(fields, name, getattr(f2, name))
    merged = replace(ex, fields=fields, kind=kind_out, receipt_words=max(ex.receipt_words, ex2.receipt_words),
                     refused_dates=ex.refused_dates + ex2.refused_dates)
    return merged, readings


def check_files(
    paths: Sequence[str | Path],
    *,
    options: CheckOptions | None = None,
    engine: OcrEngine | None = None,
    read_options: ReadOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    loaded: Callable[[list[loader.Page]], None] | None = None,
) -> Reading:
    """Read the files as one receipt and check it.

    Bad input and a missing Tesseract are reported in ``Reading.error`` rather
    than raised, so a caller with many receipts keeps going. Cancelling raises
    :class:`Cancelled`. ``loaded`` is given the pages as they will be read
    (turned as asked), so a caller that shows them need not load them again.
    """
    options = options or CheckOptions()
    read_options = read_options or ReadOptions()
    reference = options.reference or dt.date.today()
    deadline = time.monotonic() + options.budget_s
    reading = Reading(sources=[str(p) for p in paths])
    try:
        pages = turned(loader.load(paths, cancel=cancel), options.turns)
        if loaded is not None:
            loaded(pages)
        reading.quality.pages = [quality.measure(p.image, source=p.source, page=p.index) for p in pages]
        need_ocr = any(not p.text_words for p in pages)
        if need_ocr and engine is None:
            engine = make_engine()
        reader = Reader(engine, read_options, deadline=deadline) if engine is not None else None
        for i, page in enumerate(pages):
            check_cancel(cancel)
            if progress:
                progress(i, len(pages), Message(ja=f"{i + 1}/{len(pages)} ページを読み取り中…",
                                                en=f"Reading page {i + 1} of {len(pages)}…"))
            if page.text_words:
                words = [replace(w, page=i) for w in page.text_words]
                reading.pages.append(
                    PageReading(page.source, page.index, i, page.image.size, words, from_text_layer=True)
                )
                continue
            assert reader is not None
            if quality.unreadable(reading.quality.pages[i]) or quality.blank(page.image):
                # A thumbnail (the retake says so) or a page with nothing printed: nothing to read.
                reading.pages.append(PageReading(page.source, page.index, i, page.image.size, skipped=True))
                continue
            reading.pages.append(reader.read_page(page.image, source=page.source, source_page=page.index, page=i,
                                                  corners=_corners_for(page, options.corners),
                                                  printed=reading.quality.pages[i].print_columns))
        if progress:
            progress(len(pages), len(pages), Message(ja="読み取りが終わりました。", en="Reading finished."))
    except Cancelled:
        raise
    except ReceiptError as exc:
        reading.error = exc
        return reading

    reading.lines = build_lines(reading.pages)
    ex = extract(reading.lines, reference=reference, kind=options.kind)
    pass_lines = [reading.lines]  # each pass's rows, for a gift-card row only the passes together read
    if reader is not None and not all(p.from_text_layer or p.skipped for p in reading.pages):
        untried = list(read_options.retries)
        date_rechecked = False
        while untried and (_missing(ex) or (not date_rechecked and _date_in_doubt(ex, reference))):
            retry = _next_pass(untried, ex)
            untried.remove(retry)
            if ex.kind == "amazon" and retry.get("stretch_x", 1.0) != 1.0:
                continue  # widened copies are for a till's narrow kana and double-height rows
            # The first further pass reads only the rows priced like a card; the
            # kana pass stays to be run on the page down to the total if it failed there.
            bands = bands_to_reread(ex, reading.pages)
            if not reading.further:
                narrow = bands_to_reread(ex, reading.pages, narrow=True)
                if narrow != bands and _kana_pass(retry):
                    untried.append(retry)
                bands = narrow
            # A widened copy garbles a date's digits: a date in doubt is read again on a copy of its own width.
            if not date_rechecked and retry.get("stretch_x", 1.0) == 1.0 and _date_in_doubt(ex, reference):
                date_rechecked = _add_date_row(bands, ex, reading.pages)
            left = reader.remaining()
            if left is not None and left < _PASS_SHARE * _pass_estimate(reading.pages, read_options, retry, bands):
                reader.out_of_time = True  # the pass would be cut off early: keep what was read
                break
            ex, again = _further_pass(ex, pages, reading.pages, reader, retry, reference, options.kind, cancel,
                                      options.corners, [q.print_columns for q in reading.quality.pages], bands)
            reading.further.append(again)
            pass_lines.append(build_lines(again))
            ex = gift_over_passes(pass_lines, ex)
    if reader is not None and reader.out_of_time:
        reading.notes.append(OUT_OF_TIME)
    reading.extraction = ex
    reading.kind = ex.kind
    reading.fields = ex.fields
    reading.checks = run_checks(
        ex,
        reference=reference,
        expect_amount=options.expect_amount,
        expect_date=options.expect_date,
        date_tolerance=options.date_tolerance,
    )
    _verdict(reading.quality, reading.pages, ex)
    return reading
