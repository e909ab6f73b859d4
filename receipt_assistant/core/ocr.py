"""Running Tesseract on a prepared copy of a page, and turning words into lines.

The original image is never touched: a grayscale copy is scaled so that
characters are about :data:`ReadOptions.target_char_px` tall (Tesseract reads
best at 30-48 px), given a white border, turned upright, and read in
horizontal strips in parallel. Word boxes are mapped back onto the original.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

import numpy as np
from PIL import Image

from receipt_assistant.core.errors import ENGINE_STOPPED, Cancelled, OcrFailed
from receipt_assistant.core.model import Box, Line, Message, Word
from receipt_assistant.core.quality import estimate_char_height, rendered
from receipt_assistant.core.sheet import (
    even_light,
    even_room_light,
    find_paper,
    flattened,
    sheet_in_photo,
)
from receipt_assistant.core.tesseract import TesseractInfo
from receipt_assistant.core.text import normalize

log = logging.getLogger(__name__)

# Several Tesseract processes at once stall each other through OpenMP unless
# each keeps to one thread (tesseract-ocr/tesseract#3109).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class OcrEngine(Protocol):
    """Reads words off an image. Boxes are in that image's pixels."""

    name: str
    version: str
    languages: str

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        """The words read; a call stops after ``timeout_s`` with what it has (or nothing)."""
        ...

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        """Degrees to rotate the image clockwise so its text is upright, or None if unsure."""
        ...


@functools.cache
def _takes_timeout(cls: type) -> bool:
    """Whether an engine's calls accept ``timeout_s`` (engines written before the budget do not)."""
    params = inspect.signature(cls.words).parameters
    return "timeout_s" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def engine_description(engine: OcrEngine) -> str:
    """Which engine and Tesseract read, in one line (``doctor``, logs)."""
    return str(getattr(engine, "description", f"{engine.name} {engine.version}"))


class TesseractEngine:
    """Tesseract through pytesseract: one ``image_to_data`` call per pass."""

    name = "tesseract"

    def __init__(self, info: TesseractInfo, *, lang: str = "jpn+eng", timeout_s: float = 60.0) -> None:
        info.require()
        assert info.path is not None
        self.info = info
        self.languages = lang
        self.version = info.version or "unknown"
        self.timeout_s = timeout_s
        self._base = f'--tessdata-dir "{info.tessdata_dir}"' if info.tessdata_dir else ""

    @property
    def description(self) -> str:
        return f"pytesseract with {self.info.path} (Tesseract {self.version})"

    def _limit(self, timeout_s: float | None) -> float:
        # pytesseract kills the process at its timeout; below a tenth of a
        # second Tesseract cannot even load its model.
        return max(0.1, self.timeout_s if timeout_s is None else min(self.timeout_s, timeout_s))

    def _pytesseract(self):  # type: ignore[no-untyped-def]
        import pytesseract

        pytesseract.pytesseract.tesseract_cmd = self.info.path
        return pytesseract

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        pt = self._pytesseract()
        limit = self._limit(timeout_s)
        # LSTM only: the language files also hold the legacy engine, which
        # only costs start-up time here (OSD still uses it).
        config = f"{self._base} --oem 1 --psm {psm}"
        try:
            # An uncompressed file: pytesseract would spend longer writing a PNG
            # of a large page than Tesseract spends on some strips.
            with tempfile.TemporaryDirectory(prefix="receipt-ocr-") as tmp:
                src = os.path.join(tmp, "page.bmp")
                image.save(src, "BMP")
                data = pt.image_to_data(
                    src, lang=self.languages, config=config, output_type=pt.Output.DICT, timeout=limit
                )
        except RuntimeError as exc:  # pytesseract's timeout: an empty page, not a crash
            log.warning("Tesseract timed out after %.1fs: %s", limit, exc)
            return []
        except pt.TesseractError as exc:
            log.error("Tesseract failed: %s", exc)
            raise OcrFailed(ENGINE_STOPPED) from exc
        out: list[Word] = []
        line_ids: dict[tuple[int, int, int], int] = {}
        for text, conf, x, y, w, h, block, par, line in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"],
            data["block_num"], data["par_num"], data["line_num"], strict=False,
        ):
            text = str(text).strip()
            c = float(conf)
            if not text or c < 0:
                continue
            line_id = line_ids.setdefault((int(block), int(par), int(line)), len(line_ids))
            out.append(Word(text, Box(int(x), int(y), int(w), int(h)), c / 100.0, line=line_id))
        return out

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        pt = self._pytesseract()
        try:
            osd = pt.image_to_osd(
                image, config=f"{self._base} --psm 0", output_type=pt.Output.DICT, timeout=self._limit(timeout_s)
            )
        except (RuntimeError, pt.TesseractError) as exc:  # too little text to tell
            log.info("OSD gave no answer: %s", str(exc).strip()[:200])
            return None
        if float(osd.get("orientation_conf", 0)) < 1.0:
            return None
        return int(osd.get("rotate", 0)) % 360


@dataclass
class ReadOptions:
    """How the copy is prepared. The benchmark switches steps off to measure each."""

    target_char_px: float = 34.0
    # A scan's or a photo's print smaller than the target is enlarged only to
    # this size (None: to the target); the further passes enlarge to the
    # target. A 200 dpi scan's 21 px characters read at 22 px missed three
    # fields of 144 scans, as at 26 px, in a tenth less time (five at their
    # own size, five at 34 px). A page drawn by a computer is always read at
    # its target: its 11-18 px print read at 22 px lost two dates of 60.
    enlarge_char_px: float | None = 22.0
    # A page drawn by a computer (no camera or scanner grain) is read at this
    # share of every pass's character size: its exact strokes need less room.
    rendered_scale: float = 0.76
    binarize: bool = False
    border_px: int = 24
    fix_rotation: bool = True
    parallel_strips: bool = True
    # The copy's size at most. A sideways page's lines are measured across the
    # text, so its characters seem a few pixels tall and a 12 MP photo would be
    # scaled up to 40 MP of noise (11 s) before the orientation is tried; no
    # upright slip or page needs this much at 34 px.
    max_pixels: int = 20_000_000
    # One uniform block: receipts are a single column, and rows are rebuilt
    # from word boxes anyway; measured better and faster than psm 3, which
    # drops blocks between the dashed rules of slips.
    psm: int = 6
    crop_paper: bool = True
    flatten: bool = True  # a slip with four visible corners is flattened (perspective), else cropped and deskewed
    deskew: bool = True
    stretch_x: float = 1.0  # >1 widens characters: half-width katakana then read like full-width
    # A slip's barcode is whitened: its tall bars make Tesseract's one-block
    # segmentation misjudge the line height and lose the rows above it.
    erase_barcodes: bool = True
    # While date, amount or gift-card line is missing (or the amount has
    # no evidence), read again with each of these changes in turn and fill in
    # what that pass found: a larger, binarized copy; one widened 2× so a
    # till's double-height 合計 row has the proportions of normal text; one
    # widened 1.7× and binarized so half-width katakana (ｱﾏｿﾞﾝｷﾞﾌﾄ) look like
    # the full-width letters Tesseract knows. Each pass can find any field
    # (measured: keeping each to its own field lost a date, an amount and a
    # gift line in 42 photos). Amazon pages skip the widened ones.
    retries: tuple[dict[str, object], ...] = (
        {"target_char_px": 44.0, "enlarge_char_px": None, "binarize": True, "fix_rotation": False},
        {"enlarge_char_px": None, "fix_rotation": False, "stretch_x": 2.0},
        {"target_char_px": 40.0, "enlarge_char_px": None, "binarize": True, "fix_rotation": False, "stretch_x": 1.7},
    )
    naive: bool = False  # raw Tesseract on the unprepared image (the baseline)

    def char_px(self, measured: float | None, drawn: bool) -> float:
        """How tall characters measured at ``measured`` px are read (0: at the page's own size)."""
        target = self.target_char_px * (self.rendered_scale if drawn else 1.0)
        if not measured or target <= 0:
            return 0.0
        if measured < target and self.enlarge_char_px is not None and not drawn:
            return max(measured, min(target, self.enlarge_char_px))
        return target


@dataclass
class Prepared:
    """The copy Tesseract reads and how to map its pixels back to the original."""

    image: Image.Image
    scale: float
    origin: tuple[int, int]  # top-left of the crop in the original
    char_height: float | None
    border: int
    back: np.ndarray | None = None  # 3×3: straightened or flattened crop -> crop
    stretch_x: float = 1.0  # extra horizontal scale on top of ``scale``
    drawn: bool = False  # drawn by a computer (read smaller than a picture of paper)
    # The whole copy's width and height, border included, when ``image`` is
    # not that copy: a pass over a few rows reads only those, stacked.
    whole: tuple[int, int] | None = None

    @property
    def size(self) -> tuple[int, int]:
        """The whole copy's size: fractions of the page's height are measured on it."""
        return self.whole or self.image.size

    def to_source(self, box: Box) -> Box:
        """A box on this copy as a box on the image it was prepared from."""
        sx = self.scale * self.stretch_x
        x0 = (box.x - self.border) / sx
        y0 = (box.y - self.border) / self.scale
        x1 = (box.right - self.border) / sx
        y1 = (box.bottom - self.border) / self.scale
        if self.back is not None:
            corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ self.back.T
            corners = corners[:, :2] / corners[:, 2:3]
            x0, y0 = corners.min(axis=0)
            x1, y1 = corners.max(axis=0)
        ox, oy = self.origin
        return Box(max(0, round(ox + x0)), max(0, round(oy + y0)), max(1, round(x1 - x0)), max(1, round(y1 - y0)))

    def from_source(self, box: Box) -> Box:
        """A box on the image this was prepared from, as a box on this copy (the inverse of :meth:`to_source`)."""
        ox, oy = self.origin
        x0, y0, x1, y1 = box.x - ox, box.y - oy, box.right - ox, box.bottom - oy
        if self.back is not None:
            corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ np.linalg.inv(self.back).T
            corners = corners[:, :2] / corners[:, 2:3]
            x0, y0 = corners.min(axis=0)
            x1, y1 = corners.max(axis=0)
        sx = self.scale * self.stretch_x
        left, top = x0 * sx + self.border, y0 * self.scale + self.border
        right, bottom = x1 * sx + self.border, y1 * self.scale + self.border
        return Box(round(left), round(top), max(1, round(right - left)), max(1, round(bottom - top)))

    def band_of(self, box: Box) -> tuple[float, float]:
        """Where a box of the source lies down this copy, as fractions of the page's height (0 top, 1 bottom)."""
        b = self.from_source(box)
        height = max(1, self.size[1] - 2 * self.border)
        top = (b.y - self.border) / height
        bottom = (b.bottom - self.border) / height
        return min(max(top, 0.0), 1.0), min(max(bottom, 0.0), 1.0)


def estimate_skew(gray: Image.Image, *, limit: float = 10.0) -> float:
    """Degrees (counter-clockwise) that make the text lines of a tilted photo horizontal.

    Rotating the ink and keeping the angle whose row profile is most peaked
    (text rows and gaps sharply apart) is the classic projection-profile
    method; it needs no text recognition and copes with any script.
    """
    import cv2

    small = gray.copy()
    small.thumbnail((900, 900))
    arr = np.asarray(small)
    block = max(15, (min(arr.shape) // 30) | 1)
    ink = cv2.adaptiveThreshold(arr, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)
    # Only ink well inside the paper: the sheet's own edges, torn or seen in
    # perspective, run at other angles than its text.
    _, paper = cv2.threshold(cv2.GaussianBlur(arr, (5, 5), 0), 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))
    ink = ink * cv2.erode(paper, np.ones((block, block), np.uint8))
    if ink.sum() < 50:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def peakedness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1).astype(np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = max(np.arange(-limit, limit + 0.01, 1.0), key=peakedness)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.2), key=peakedness)
    return float(fine)


@dataclass
class PageReading:
    """The words of one page, in the original image's pixels."""

    source: str
    source_page: int
    page: int  # index over all pages of the receipt
    size: tuple[int, int]
    words: list[Word] = field(default_factory=list)
    rotation: int = 0  # degrees the page was turned clockwise to read it
    scale: float = 1.0
    from_text_layer: bool = False
    skipped: bool = False  # not read: a picture too small for its text to be read (a thumbnail)
    char_height_px: float | None = None
    # The copy Tesseract read (kept as evidence of how the page was read).
    prepared: Image.Image | None = field(default=None, repr=False, compare=False)
    # How that copy maps onto the turned page, so a later pass can name a band of it.
    geometry: Prepared | None = field(default=None, repr=False, compare=False)
    # The parts of the page read, each (top, bottom) as fractions of its height (None: all of it).
    bands: tuple[tuple[float, float], ...] | None = None
    # Seconds the read that was kept took (preparing and OCR), to judge whether another fits.
    read_s: float = 0.0

    def band_of(self, box: Box) -> tuple[float, float] | None:
        """Where a box of this page (original pixels) lies down the page as read, as fractions of its height."""
        if self.geometry is None or self.from_text_layer:
            return None
        return self.geometry.band_of(_turn_box(box, self.rotation, *self.size))

    @property
    def mean_conf(self) -> float:
        return float(np.mean([w.conf for w in self.words])) if self.words else 0.0


_POOR_CONF = 0.63
_SURE_CONF = 0.8  # a word read at this confidence or more is read sure
_SURE_SHARE = 0.27  # of a page's characters read sure, below which it is read poorly


def _score(words: Sequence[Word]) -> float:
    """How much confidently read text a pass produced; compares rotations.

    Only characters Tesseract is sure of count: a sideways page or a patterned
    table read as text gives many half-trusted characters, upright print few.
    """
    return sum(len(w.text) * w.conf for w in words if w.conf >= _SURE_CONF)


def _looks_poor(words: Sequence[Word]) -> bool:
    """Little text, or text Tesseract itself doubts.

    Upright slips and screenshots read at a mean and median word confidence
    of 0.66 or more, even photos full of background noise; sideways ones at
    0.60 or less. An upside-down slip can reach 0.63, but few of its
    characters are read sure: a fifth, against a third or more upright.
    """
    good = [w for w in words if w.conf >= 0.6]
    confs = [w.conf for w in words]
    if len(good) < 8 or min(float(np.mean(confs)), float(np.median(confs))) < _POOR_CONF:
        return True
    chars = sum(len(w.text) for w in words)
    return sum(len(w.text) for w in words if w.conf >= _SURE_CONF) < _SURE_SHARE * chars


def _cut_rows(gray: np.ndarray, parts: int) -> list[int]:
    """Rows at which to split a tall page without cutting through a text line."""
    ink = (gray < 128).sum(axis=1)
    h = gray.shape[0]
    cuts = [0]
    for i in range(1, parts):
        want = h * i // parts
        lo, hi = max(cuts[-1] + 1, want - h // (parts * 4)), min(h - 1, want + h // (parts * 4))
        if hi <= lo:
            continue
        window = ink[lo:hi]
        best = int(np.argmin(window))
        if window[best] > 0:  # no blank row nearby: keep this stretch whole
            continue
        # Middle of the blank run, so neither strip clips a descender.
        run_end = best
        while run_end + 1 < len(window) and window[run_end + 1] == 0:
            run_end += 1
        cuts.append(lo + (best + run_end) // 2)
    cuts.append(h)
    return cuts


# Shorter strips lose more to Tesseract's start-up than they gain in parallel:
# about 0.4 s of CPU a call for the program, and in process the same for the
# model each further reading thread loads. A 1,000 px band read in process as
# two strips took 0.50-0.60 s against 0.60-0.65 s whole on an idle pair of
# cores, but a small photo checked from the command line took 2.5-2.8 s of CPU
# split against 1.7-2.2 s whole, and two readings at once share the cores.
_MIN_STRIP_PX = 700
# The strips of a page shorter than this are read only by threads whose model
# is loaded (a window loads them all at the start; a `check` process only the
# first), one after another: a further model is 0.2 s of CPU, more than
# reading a page of 4,000 rows in parallel saves when another reading shares
# the cores. Two `check`s at once on 2 cores took 2.1 s a 200 dpi scan
# (median of 24) with one model, 2.4 s with two.
_COLD_SPLIT_PX = 6000
# How long past the deadline a call may run before the reading goes on
# without it: the engines stop themselves at their timeouts well within this.
_GRACE_S = 1.0

T = TypeVar("T")

# The threads that call the engine. They live as long as the process, so an
# engine that keeps one model per thread (tesserocr) loads it once.
_POOL_THREADS = max(2, os.cpu_count() or 1)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_POOL_THREADS, thread_name_prefix="ocr")
        return _pool


def on_reading_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` on one of the threads that call the engine (to load a model where it will be used)."""
    return _shared_pool().submit(fn).result()


def on_every_reading_thread(fn: Callable[[], object]) -> None:
    """Run ``fn`` once on each thread that calls the engine, all at once (a window's models, loaded together)."""
    pool = _shared_pool()
    barrier = threading.Barrier(_POOL_THREADS, timeout=5)  # a thread still busy with an earlier call joins later

    def each() -> None:
        try:
            fn()
        finally:
            try:
                barrier.wait()  # holds this thread, so the next call goes to another
            except threading.BrokenBarrierError:
                pass

    for future in [pool.submit(each) for _ in range(_POOL_THREADS)]:
        future.result()


def _retire_pool(pool: ThreadPoolExecutor) -> None:
    """Leave a pool whose thread is stuck in a call; later readings get fresh threads."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _forget_pool_in_child() -> None:
    # A forked process has none of the parent's threads.
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_in_child)


class Reader:
    """Prepares copies of pages and reads them with an :class:`OcrEngine`."""

    def __init__(self, engine: OcrEngine, options: ReadOptions | None = None, *, workers: int | None = None,
                 deadline: float | None = None) -> None:
        self.engine = engine
        self.options = options or ReadOptions()
        self.workers = max(1, workers or os.cpu_count() or 1)
        # ``time.monotonic()`` by which reading must end; no engine call starts after it.
        self.deadline = deadline
        # Set once a call was skipped or cut short for time: the reading is incomplete.
        self.out_of_time = False
        # The paper found in each page read, shared with the readers of later passes.
        self._papers: dict[tuple[object, ...], tuple[Image.Image, tuple[Image.Image, tuple[int, int],
                                                                       np.ndarray | None, float | None]]] = {}
        self._turned: dict[tuple[int, int], tuple[Image.Image, Image.Image]] = {}

    def again(self, options: ReadOptions) -> Reader:
        """A reader for a later pass: other options, the same engine, deadline and papers found."""
        other = Reader(self.engine, options, workers=self.workers, deadline=self.deadline)
        other._papers, other._turned = self._papers, self._turned
        return other

    def upright(self, image: Image.Image, clockwise: int) -> Image.Image:
        """The page turned ``clockwise`` degrees: one copy per page and angle, so later passes find its paper."""
        if not clockwise % 360:
            return image
        key = (id(image), clockwise % 360)
        if key not in self._turned:
            self._turned[key] = (image, _rotate(image, clockwise))
        return self._turned[key][1]

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline)."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _run(self, calls: Sequence[Callable[[float | None], T]], default: T) -> list[T]:
        """Run engine calls on the shared threads, each given the time left, and never wait past the deadline.

        A call still running ``_GRACE_S`` after the deadline is left behind
        (its result is ``default``), so an engine that ignores its timeout
        cannot hang the reading.
        """
        left = self.remaining()
        if left is not None and left <= 0:
            self.out_of_time = True
            return [default for _ in calls]
        pool = _shared_pool()
        futures = [pool.submit(call, left) for call in calls]
        done, pending = wait(futures, timeout=None if left is None else left + _GRACE_S)
        if pending:
            log.warning("%d OCR call(s) still running past the deadline; going on without them", len(pending))
            self.out_of_time = True
            _retire_pool(pool)
        after = self.remaining()
        if after is not None and after <= 0:
            self.out_of_time = True  # the calls ran into their timeout: what they returned is partial
        return [f.result() if f in done else default for f in futures]

    def _in_turn(self, calls: Sequence[Callable[[float | None], list[Word]]], threads: int) -> list[list[Word]]:
        """``calls`` on at most ``threads`` threads, each taking its share one after another, in order."""
        if threads >= len(calls):
            return self._run(calls, [])
        size = -(-len(calls) // threads)
        groups = [calls[i:i + size] for i in range(0, len(calls), size)]

        def chain(group: Sequence[Callable[[float | None], list[Word]]]) -> Callable[[float | None], list[list[Word]]]:
            def run(left: float | None) -> list[list[Word]]:
                out = []
                for call in group:
                    now = self.remaining()
                    out.append(call(now) if now is None or now > 0 else [])
                return out
            return run

        done = self._run([chain(g) for g in groups], [])
        return [words for got, group in zip(done, groups, strict=True)
                for words in (got or [[] for _ in group])]

    def _words(self, img: Image.Image, psm: int) -> Callable[[float | None], list[Word]]:
        engine = self.engine
        if _takes_timeout(type(engine)):
            return lambda left: engine.words(img, psm=psm, timeout_s=left)
        return lambda left: engine.words(img, psm=psm)

    def _orientation(self, img: Image.Image) -> int | None:
        engine = self.engine
        if _takes_timeout(type(engine)):
            return self._run([lambda left: engine.orientation(img, timeout_s=left)], None)[0]
        return self._run([lambda left: engine.orientation(img)], None)[0]

    # -- preparing -------------------------------------------------------
    def _paper(self, image: Image.Image, corners: np.ndarray | None,
               printed: tuple[int, int] | None = None) -> tuple[Image.Image, tuple[int, int], np.ndarray | None, bool]:
        """The paper in a grayscale copy, flattened or cropped and straightened, how it maps back,
        and whether the page was drawn by a computer.

        ``printed``: the columns the photo's print spans (:attr:`PageQuality.print_columns`).
        """
        opt = self.options
        gray = image.convert("L")
        origin = (0, 0)
        back = None
        sheet = corners
        if sheet is None and opt.crop_paper and opt.flatten:
            sheet = sheet_in_photo(image, gray)
        if sheet is not None:
            # A slip whose four corners show: flattened, which also straightens it,
            # and its shadows and glare evened out so one threshold fits the whole sheet.
            gray, back = flattened(gray, sheet)
            # A sheet whose corners show is paper a camera saw, however smooth the phone made its grain.
            drawn = False
            gray = even_light(gray)
        else:
            if opt.crop_paper:
                box = _narrowed(find_paper(gray), printed, gray.size)
                if box is not None:
                    gray = gray.crop((box.x, box.y, box.right, box.bottom))
                    origin = (box.x, box.y)
            drawn = rendered(np.asarray(gray))
            if opt.deskew and not drawn:  # a page drawn by a computer is never tilted
                angle = estimate_skew(gray)
                if abs(angle) >= 0.5:
                    gray, back = _deskewed(gray, angle)
            if not drawn:
                gray = even_room_light(gray)
        return gray, origin, back, drawn

    def _prepared_paper(self, image: Image.Image, corners: np.ndarray | None,
                        printed: tuple[int, int] | None) -> tuple[Image.Image, Prepared]:
        """The paper (found, flattened or straightened, evened out, barcodes whitened) at its own size,
        and how the copy read will map back, without the copy's pixels yet.

        Finding, flattening and measuring the paper is the same for every
        pass over a page (passes differ in scale and threshold only), so a
        later pass takes it from the first. The image is kept with the
        entry so its id cannot be reused by another image.
        """
        opt = self.options
        key = (id(image), None if corners is None else np.asarray(corners).tobytes(), printed,
               opt.crop_paper, opt.flatten, opt.deskew, opt.erase_barcodes)
        if key in self._papers:
            gray, origin, back, drawn, ch = self._papers[key][1]
        else:
            gray, origin, back, drawn = self._paper(image, corners, printed)
            ch = estimate_char_height(np.asarray(gray))
            if opt.erase_barcodes and ch:
                gray = Image.fromarray(erase_barcodes(np.asarray(gray), ch))
            self._papers[key] = (image, (gray, origin, back, drawn, ch))
        target = opt.char_px(ch, drawn)
        scale = target / ch if ch and target > 0 else 1.0
        scale = min(max(scale, 0.25), 4.0)
        w, h = gray.size
        if w * h * scale * scale > opt.max_pixels:
            scale = math.sqrt(opt.max_pixels / (w * h))
        if abs(scale - 1.0) <= 0.08 and opt.stretch_x == 1.0:
            scale = 1.0
        b = opt.border_px
        width, height = round(w * scale * opt.stretch_x), round(h * scale)
        return gray, Prepared(gray, scale, origin, ch, b, back, opt.stretch_x, drawn, (width + 2 * b, height + 2 * b))

    def _finished(self, gray: Image.Image, prep: Prepared) -> Image.Image:
        """Rows of the paper as Tesseract reads them: scaled (and widened) to the copy's size, thresholded if asked."""
        opt = self.options
        size = (prep.size[0] - 2 * prep.border, max(1, round(gray.height * prep.scale)))
        if size != gray.size:
            resample = Image.Resampling.LANCZOS if prep.scale > 1 else Image.Resampling.BOX
            gray = gray.resize(size, resample)
        if opt.binarize:
            import cv2

            block = max(31, int(opt.char_px(prep.char_height, prep.drawn) * 2) | 1)
            gray = Image.fromarray(cv2.adaptiveThreshold(np.asarray(gray), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                                         cv2.THRESH_BINARY, block, 15))
        return gray

    def prepare(self, image: Image.Image, corners: np.ndarray | None = None, printed: tuple[int, int] | None = None) -> Prepared:
        """A grayscale copy cropped to the paper, scaled and framed for Tesseract.

        ``corners`` are the sheet's corners when the customer placed them;
        otherwise they are looked for. ``printed``: the columns the print spans, as
        measured before reading.
        """
        if self.options.naive:
            return Prepared(image, 1.0, (0, 0), None, 0)
        paper, prep = self._prepared_paper(image, corners, printed)
        b = prep.border
        framed = Image.new("L", prep.size, 255)
        framed.paste(self._finished(paper, prep), (b, b))
        return replace(prep, image=framed, whole=None)

    # -- reading ---------------------------------------------------------
    def _words_parallel(self, img: Image.Image) -> list[Word]:
        parts = 1
        if self.options.parallel_strips and self.workers > 1 and not self.options.naive:
            parts = min(self.workers, max(1, img.height // _MIN_STRIP_PX))
        psm = self.options.psm
        if parts == 1:
            return self._run([self._words(img, psm)], [])[0]
        cuts = _cut_rows(np.asarray(img), parts)
        strips = [(top, img.crop((0, top, img.width, bottom))) for top, bottom in zip(cuts, cuts[1:], strict=False)]
        # Strips read better than the whole page (Tesseract's threshold and
        # line finding then follow a photo's light and curl), so a page is cut
        # alike however many threads read it; only threads with a model take a
        # strip, one after another, unless the page is long.
        threads = len(strips)
        loaded = getattr(self.engine, "models_loaded", None)
        if loaded is not None and img.height < _COLD_SPLIT_PX:
            threads = min(threads, max(1, loaded))
        results = self._in_turn([self._words(strip, psm) for _, strip in strips], threads)
        words: list[Word] = []
        for n, ((top, _), ws) in enumerate(zip(strips, results, strict=True)):
            words.extend(
                replace(w, box=Box(w.box.x, w.box.y + top, w.box.w, w.box.h), line=w.line + n * 1_000_000)
                for w in ws
            )
        return words

    def _read_prepared(self, image: Image.Image, angle: int, corners: np.ndarray | None = None,
                       bands: Sequence[tuple[float, float]] | None = None,
                       printed: tuple[int, int] | None = None) -> tuple[list[Word], Prepared]:
        turned = None if corners is None else turn_points(corners, angle, *image.size)
        upright = self.upright(image, angle)
        printed = printed if not angle % 360 else None
        if bands is None or any(t <= 0.0 and b >= 1.0 for t, b in bands):
            prep = self.prepare(upright, turned, printed)
            return self._words_parallel(prep.image), prep
        if self.options.naive:  # the colour original as it is
            return self._read_bands(upright.convert("L"), self.prepare(upright), bands)
        return self._read_bands(*self._prepared_paper(upright, turned, printed), bands)

    def _read_bands(self, paper: Image.Image, prep: Prepared,
                    bands: Sequence[tuple[float, float]]) -> tuple[list[Word], Prepared]:
        """Read only the rows in ``bands`` (fractions of the page's height) of the paper.

        Each cut moves to the nearest blank row outside its band, so no text
        line is cut in half; only those stretches are scaled and thresholded,
        stacked in one copy with white between them and read together; words
        come back in the pixels of the whole copy (``prep``), which is never made.
        """
        b, scale = prep.border, prep.scale
        gray = np.asarray(paper)
        height = paper.height
        target = self.options.char_px(prep.char_height, prep.drawn)
        reach = int(3 * target / scale) if target > 0 else 100
        cuts = [(_blank_row(gray, int(t * height), -reach), _blank_row(gray, int(math.ceil(e * height)), reach))
                for t, e in bands]
        spans = merged_spans([(top, end) for top, end in cuts if (end - top) * scale >= 8])
        if not spans:
            return [], replace(prep, image=Image.new("L", (prep.size[0], 2 * b), 255))
        pieces = [self._finished(paper.crop((0, top, paper.width, end)), prep) for top, end in spans]
        stacked = Image.new("L", (prep.size[0], sum(p.height for p in pieces) + (len(pieces) + 1) * b), 255)
        placed = []  # (top in the stack, bottom in the stack, shift onto the whole copy)
        y = b
        for (top, _), piece in zip(spans, pieces, strict=True):
            stacked.paste(piece, (b, y))
            placed.append((y, y + piece.height, b + round(top * scale) - y))
            y += piece.height + b
        words = []
        for w in self._words_parallel(stacked):
            middle = w.box.y + w.box.h / 2
            shift = min(placed, key=lambda p: 0 if p[0] <= middle <= p[1] else min(abs(middle - p[0]),
                                                                                  abs(middle - p[1])))[2]
            words.append(replace(w, box=Box(w.box.x, w.box.y + shift, w.box.w, w.box.h)))
        return words, replace(prep, image=stacked)

    def read_page(self, image: Image.Image, *, source: str = "", source_page: int = 0, page: int = 0,
                  corners: np.ndarray | None = None,
                  bands: Sequence[tuple[float, float]] | None = None,
                  printed: tuple[int, int] | None = None) -> PageReading:
        """Read one page; turn it upright first when the first pass reads little.

        Tesseract's orientation detection answers first; when it is unsure,
        the other three orientations are tried. Each turned copy is prepared
        afresh, since the character height is measured along the text lines.
        With ``bands`` (each top and bottom as fractions of the page's height,
        as the page reads upright and flattened) only those rows are read, which
        is how a later pass looks again where a value is missing; the page is
        then taken as upright.
        """
        size = image.size
        angle = 0
        start = time.monotonic()
        words, prep = self._read_prepared(image, 0, corners, bands, printed)
        read_s = time.monotonic() - start
        if bands is None and self.options.fix_rotation and not self.options.naive and _looks_poor(words):
            osd = self._orientation(prep.image)
            # None: OSD could not tell, so try the other three; 0: it is sure
            # the page is upright already and only reads poorly.
            trials = [90, 270, 180] if osd is None else ([osd] if osd else [])
            for trial in trials:
                left = self.remaining()
                if left is not None and left <= 0:
                    self.out_of_time = True
                    break
                start = time.monotonic()
                trial_words, trial_prep = self._read_prepared(image, trial, corners)
                if _score(trial_words) > _score(words) * 1.15:
                    angle, words, prep = trial, trial_words, trial_prep
                    read_s = time.monotonic() - start
                    if not _looks_poor(words):
                        break
        mapped = []
        for w in words:
            # prepared copy -> turned original -> original
            box = unrotate_box(prep.to_source(w.box), angle, *size)
            mapped.append(Word(w.text, Box(max(0, box.x), max(0, box.y), box.w, box.h), w.conf, page, w.line))
        return PageReading(source, source_page, page, size, mapped, rotation=angle, scale=prep.scale,
                           char_height_px=prep.char_height, prepared=prep.image, geometry=prep,
                           bands=None if bands is None else tuple(bands),
                           read_s=read_s)


N = TypeVar("N", int, float)


# A photo's print narrower than this share of the paper found around it lies
# on a cloth whose light squares joined the paper; the reading keeps to the print.
_NARROW_PRINT = 0.7
_FRAME_EDGE = 0.01  # of the frame's height: a paper box this close to its top or bottom runs off it


def _narrowed(paper: Box | None, printed: tuple[int, int] | None, size: tuple[int, int]) -> Box | None:
    """The paper's box, cut at the sides to the print's columns when they are much narrower,
    and widened to them when the print runs past it.

    Only the sides: above and below the print, rows too faint to be found as
    text may still hold a total. Print past the side of a paper that runs off
    the frame's top or bottom means that side was a shadow's or a glare's edge
    across a slip filling the frame, which would cut the prices off every row;
    a sheet seen whole, with the surface above and below it, has its own sides,
    and "print" past them is the surface's pattern (a wooden table's grain).
    """
    if printed is None:
        return paper
    if paper is not None and (printed[0] < paper.x or printed[1] > paper.right):
        if paper.y > _FRAME_EDGE * size[1] and paper.bottom < (1 - _FRAME_EDGE) * size[1]:
            return paper
        left, right = min(paper.x, printed[0]), max(paper.right, printed[1])
        return Box(left, paper.y, right - left, paper.h)
    box = paper or Box(0, 0, *size)
    x0, x1 = max(box.x, printed[0]), min(box.right, printed[1])
    if x1 - x0 >= _NARROW_PRINT * box.w or x1 <= x0:
        return paper
    return Box(x0, box.y, x1 - x0, box.h)


def merged_spans(spans: Sequence[tuple[N, N]]) -> list[tuple[N, N]]:
    """Overlapping stretches of rows (top, bottom) as one, top to bottom."""
    out: list[tuple[N, N]] = []
    for top, bottom in sorted(spans):
        if out and top <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], bottom))
        else:
            out.append((top, bottom))
    return out


def _blank_row(gray: np.ndarray, y: int, reach: int) -> int:
    """The row nearest ``y`` in the direction of ``reach`` (up when negative) with the least ink."""
    h = gray.shape[0]
    y = min(max(y, 0), h)
    end = min(max(y + reach, 0), h)
    if end == y:
        return y
    step = 1 if reach > 0 else -1
    rows = range(y, end, step)
    ink = (gray[min(rows): max(rows) + 1] < 128).sum(axis=1)
    offset = min(rows)
    best = min(rows, key=lambda r: (ink[r - offset], abs(r - y)))
    return best if step < 0 else best + 1


# A barcode: at least this many bars side by side, each this much taller than
# the text, thin, and aligned with its neighbours.
_MIN_BARS = 12
_BAR_HEIGHT = 1.6  # × character height


def find_barcodes(gray: np.ndarray, char_px: float) -> list[Box]:
    """The barcodes printed on a page: rows of tall thin bars of one height, side by side.

    Text never makes a dozen such strokes in a row (a double-height ``¥111,111``
    has six), so a run of them is a barcode.
    """
    import cv2

    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    left, top = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    bars = sorted((i for i in range(1, n) if height[i] >= _BAR_HEIGHT * char_px and 4 * width[i] <= height[i]),
                  key=lambda i: left[i])
    found: list[Box] = []
    used: set[int] = set()
    for k, i in enumerate(bars):
        if i in used:
            continue
        group, right = [i], left[i] + width[i]
        for j in bars[k + 1 :]:
            if j in used or left[j] < right:
                continue
            if left[j] - right > 0.5 * height[i]:
                break
            if abs(int(top[j]) - int(top[i])) <= 0.15 * height[i] and abs(int(height[j]) - int(height[i])) <= 0.2 * height[i]:
                group.append(j)
                right = left[j] + width[j]
        if len(group) >= _MIN_BARS:
            used.update(group)
            x0, y0 = min(left[g] for g in group), min(top[g] for g in group)
            x1 = max(left[g] + width[g] for g in group)
            y1 = max(top[g] + height[g] for g in group)
            found.append(Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
    return found


def erase_barcodes(gray: np.ndarray, char_px: float) -> np.ndarray:
    """The page with its barcodes painted white (a copy when there are any)."""
    boxes = find_barcodes(gray, char_px)
    if not boxes:
        return gray
    out = gray.copy()
    pad = 2
    for b in boxes:
        out[max(0, b.y - pad) : b.bottom + pad, max(0, b.x - pad) : b.right + pad] = 255
    return out


def _deskewed(gray: Image.Image, angle: float) -> tuple[Image.Image, np.ndarray]:
    """The image turned by ``angle`` on a canvas that holds all of it, and the way back."""
    import cv2

    w, h = gray.size
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    turned = cv2.warpAffine(np.asarray(gray), m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)
    return Image.fromarray(turned), np.vstack([cv2.invertAffineTransform(m), [0.0, 0.0, 1.0]])


def _rotate(img: Image.Image, clockwise: int) -> Image.Image:
    return img.rotate(-clockwise, expand=True, fillcolor=255) if clockwise % 360 else img


def unrotate_box(box: Box, clockwise: int, w0: int, h0: int) -> Box:
    """Map a box on the image turned ``clockwise`` degrees back onto the unturned image (w0×h0)."""
    a = clockwise % 360
    if a == 0:
        return box
    x, y, w, h = box.x, box.y, box.w, box.h
    if a == 90:  # turned: (x', y') = (h0 - y, x)
        return Box(y, h0 - (x + w), h, w)
    if a == 180:
        return Box(w0 - (x + w), h0 - (y + h), w, h)
    if a == 270:  # turned: (x', y') = (y, w0 - x)
        return Box(w0 - (y + h), x, h, w)
    return box


def _segments(words: Sequence[Word]) -> list[list[Word]]:
    """Runs of words the engine read as one line, in its own order."""
    segments: list[list[Word]] = []
    by_line: dict[int, list[Word]] = {}
    for w in words:
        if w.line < 0:
            segments.append([w])
        else:
            by_line.setdefault(w.line, []).append(w)
    segments.extend(by_line.values())
    return segments


def _span(words: Sequence[Word]) -> Box:
    box = words[0].box
    for w in words[1:]:
        box = box.union(w.box)
    return box


def turn_points(points: np.ndarray, clockwise: int, w0: int, h0: int) -> np.ndarray:
    """Points on a ``w0``×``h0`` image, as they lie once the image is turned ``clockwise``."""
    pts = np.asarray(points, dtype=np.float64).copy()
    for _ in range((clockwise // 90) % 4):
        pts = np.stack([h0 - 1 - pts[:, 1], pts[:, 0]], axis=1)
        w0, h0 = h0, w0
    return pts


def _turn_box(box: Box, clockwise: int, w0: int, h0: int) -> Box:
    """Where a box of the unturned image (w0×h0) lands once it is turned ``clockwise``."""
    a = clockwise % 360
    x, y, w, h = box.x, box.y, box.w, box.h
    if a == 90:
        return Box(h0 - (y + h), x, h, w)
    if a == 180:
        return Box(w0 - (x + w), h0 - (y + h), w, h)
    if a == 270:
        return Box(y, w0 - (x + w), h, w)
    return box


def build_lines(readings: Sequence[PageReading]) -> list[Line]:
    """Group the engine's lines into visual rows, page by page, in reading order.

    A segment joins a row when it overlaps the row vertically by at least half
    of the smaller height and does not overlap a segment already in it
    horizontally, so a label at the left and its value in another table
    column end up on one line.
    """
    lines: list[Line] = []
    for reading in readings:
        rows: list[list[tuple[Box, list[Word]]]] = []
        # Rows run across the page as it was read, which is not the
        # original's frame when the page had to be turned.
        def upright(seg: Sequence[Word], r: PageReading = reading) -> Box:
            return _turn_box(_span(seg), r.rotation, *r.size)

        segs = [(upright(s), s) for s in _segments(reading.words)]
        for box, seg in sorted(segs, key=lambda bs: (bs[0].y + bs[0].h / 2, bs[0].x)):
            best, best_overlap = None, 0.0
            for row in rows[-12:]:
                top = min(b.y for b, _ in row)
                bottom = max(b.bottom for b, _ in row)
                overlap = min(bottom, box.bottom) - max(top, box.y)
                frac = overlap / max(1.0, min(box.h, bottom - top))
                if frac < 0.5 or any(_h_overlap(box, b) for b, _ in row):
                    continue
                if frac > best_overlap:
                    best, best_overlap = row, frac
            if best is None:
                rows.append([(box, seg)])
            else:
                best.append((box, seg))
        rows.sort(key=lambda r: min(b.y for b, _ in r))
        for row in rows:
            row.sort(key=lambda bs: bs[0].x)
            words = tuple(w for _, seg in row for w in seg)
            raw = " ".join(w.text for w in words)
            text = normalize(raw)
            if not text:
                continue
            lines.append(
                Line(text=text, raw=raw, box=_span(words), conf=float(np.mean([w.conf for w in words])),
                     page=reading.page, index=len(lines), words=words)
            )
    return lines


def _h_overlap(a: Box, b: Box) -> bool:
    return min(a.right, b.right) - max(a.x, b.x) > 0.3 * min(a.w, b.w)


ProgressFn = Callable[[int, int, Message], None]
CancelFn = Callable[[], bool]


def check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled(Message(ja="読み取りを中止しました。", en="Reading was cancelled."))
