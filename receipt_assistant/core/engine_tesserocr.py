"""Tesseract in this process through tesserocr: no start-up cost per call.

Starting a Tesseract process and loading jpn+eng costs about 0.4 s, paid on
every strip of every pass by the pytesseract engine; here the model is loaded
once per worker thread and kept. A ``PyTessBaseAPI`` is not thread-safe, so
each thread that reads gets its own (``threading.local``); the strip pool of
:mod:`receipt_assistant.core.ocr` keeps its threads, so the objects are reused
across calls and passes.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from PIL import Image

from receipt_assistant.core.model import Box, Word

log = logging.getLogger(__name__)

# Tesseract's OpenMP threads would fight the strip pool for the same cores;
# the variable must be set before the library loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class EngineUnavailable(RuntimeError):
    """tesserocr cannot be imported or cannot load the language data here."""


def tesserocr_versions() -> tuple[str, str] | None:
    """(tesserocr's version, the Tesseract version it carries), or None when it cannot load."""
    try:
        import tesserocr  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001 - a broken binary wheel raises more than ImportError
        return None
    first = tesserocr.tesseract_version().split()
    tess = first[1].lstrip("v") if len(first) > 1 else "unknown"
    return str(tesserocr.__version__), tess


class TesserocrEngine:
    """Words and orientation from Tesseract loaded in this process, one API object per thread."""

    name = "tesserocr"

    def __init__(self, tessdata_dir: str, *, lang: str = "jpn+eng", timeout_s: float = 60.0) -> None:
        versions = tesserocr_versions()
        if versions is None:
            raise EngineUnavailable("tesserocr cannot be imported")
        self.wrapper_version, self.version = versions
        self.tessdata_dir = tessdata_dir
        self.languages = lang
        self.timeout_s = timeout_s
        # tesserocr holds the GIL through DetectOrientationScript (0.6 s on a
        # slip photo, measured), which stalls a window's event loop; a Tesseract
        # program, where there is one, answers from another process instead.
        self.orientation_program: Any | None = None
        self._local = threading.local()
        self._models = 0  # reading threads with a model loaded
        self._models_lock = threading.Lock()
        missing = [code for code in lang.split("+")
                   if not os.path.isfile(os.path.join(tessdata_dir, f"{code}.traineddata"))]
        if missing:
            raise EngineUnavailable(f"no {', '.join(missing)} data in {tessdata_dir}")

    @property
    def description(self) -> str:
        """What ``doctor`` prints: which engine, which Tesseract."""
        return f"tesserocr {self.wrapper_version}, Tesseract {self.version} in process"

    @property
    def installed_languages(self) -> list[str]:
        """The language data files in the folder it reads."""
        return sorted(name.removesuffix(".traineddata") for name in os.listdir(self.tessdata_dir)
                      if name.endswith(".traineddata"))

    def load(self) -> None:
        """Load the model on this thread now, so a broken installation shows before the first page.

        Call it on a thread that will read (:func:`receipt_assistant.core.ocr.on_reading_thread`),
        so the model loaded is the one used.
        """
        self._api()

    def _api(self) -> Any:
        api = getattr(self._local, "api", None)
        if api is None:
            from tesserocr import OEM, PSM, PyTessBaseAPI  # type: ignore[import-not-found]

            try:
                # LSTM only: the legacy engine in the language files only costs time.
                api = PyTessBaseAPI(path=self.tessdata_dir, lang=self.languages, oem=OEM.LSTM_ONLY,
                                    psm=PSM.SINGLE_BLOCK)
            except RuntimeError as exc:
                raise EngineUnavailable(str(exc)) from exc
            self._local.api = api
            with self._models_lock:
                self._models += 1
        return api

    @property
    def models_loaded(self) -> int:
        """How many reading threads have their model: splitting a page among more costs a load each."""
        return self._models

    def _osd_api(self) -> Any | None:
        """A separate API for orientation: the LSTM-only one aborts the process when asked for OSD."""
        if not hasattr(self._local, "osd"):
            from tesserocr import PSM, PyTessBaseAPI

            api = None
            if os.path.isfile(os.path.join(self.tessdata_dir, "osd.traineddata")):
                try:
                    api = PyTessBaseAPI(path=self.tessdata_dir, lang="osd", psm=PSM.OSD_ONLY)
                except RuntimeError as exc:
                    log.info("no orientation detection: %s", exc)
            self._local.osd = api
        return self._local.osd

    def words(self, image: Image.Image, *, psm: int = 3, timeout_s: float | None = None) -> list[Word]:
        from tesserocr import RIL, iterate_level

        api = self._api()
        limit = self.timeout_s if timeout_s is None else min(self.timeout_s, timeout_s)
        try:
            api.SetPageSegMode(psm)
            api.SetImage(image if image.mode in ("L", "RGB") else image.convert("L"))
            # The deadline is checked between words, so one call never runs far past it.
            finished = api.Recognize(timeout=max(1, int(limit * 1000)))
        except RuntimeError as exc:
            log.error("Tesseract failed: %s", exc)
            from receipt_assistant.core.errors import ENGINE_STOPPED, OcrFailed

            raise OcrFailed(ENGINE_STOPPED) from exc
        if not finished:
            log.warning("Tesseract stopped at its deadline after %.1fs; keeping the words read so far", limit)
        out: list[Word] = []
        line = -1
        iterator = api.GetIterator()
        if iterator is None:
            return out
        for w in iterate_level(iterator, RIL.WORD):
            if w.IsAtBeginningOf(RIL.TEXTLINE):
                line += 1
            try:
                text = (w.GetUTF8Text(RIL.WORD) or "").strip()
            except RuntimeError:  # a word the recogniser left empty (often one cut off at the deadline)
                continue
            conf = w.Confidence(RIL.WORD)
            if not text or conf < 0:
                continue
            x0, y0, x1, y1 = w.BoundingBox(RIL.WORD)
            out.append(Word(text, Box(x0, y0, x1 - x0, y1 - y0), conf / 100.0, line=max(line, 0)))
        api.Clear()
        return out

    def orientation(self, image: Image.Image, *, timeout_s: float | None = None) -> int | None:
        if self.orientation_program is not None:
            return self.orientation_program.orientation(image, timeout_s=timeout_s)
        api = self._osd_api()
        if api is None:
            return None
        api.SetImage(image if image.mode in ("L", "RGB") else image.convert("L"))
        found = api.DetectOrientationScript()
        api.Clear()
        if not found or float(found.get("orient_conf", 0)) < 1.0:
            return None
        # Tesseract names the orientation the text is in; the caller wants the turn that undoes it.
        return (360 - int(found.get("orient_deg", 0))) % 360
