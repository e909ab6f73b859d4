"""English is complete: every string in the code is translated, compiled, and shown."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from receipt_assistant.core.settings import Settings
from receipt_assistant.gui.app import install_translators
from receipt_assistant.gui.wizard import ORDER, Wizard

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent.parent
TS = ROOT / "resources" / "translations" / "receipt_assistant_en.ts"
BIN = Path(sys.executable).parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"「[^」]*」")  # Amazon's own Japanese button names, quoted in English text


def _unfinished(ts: Path) -> list[str]:
    root = ET.parse(ts).getroot()
    return [m.findtext("source", "") for m in root.iter("message")
            if (t := m.find("translation")) is None or t.get("type") == "unfinished" or not (t.text or "").strip()]


def test_every_string_is_translated() -> None:
    assert _unfinished(TS) == []


def test_the_translation_source_covers_the_code(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    files = sorted(str(p) for p in (ROOT / "receipt_assistant" / "gui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none",
                    "-source-language", "ja", "-target-language", "en", "-ts", str(copy)],
                   check=True, capture_output=True)
    assert _unfinished(copy) == [], "run `python tools/translations.py` and translate the new strings"


def test_the_compiled_file_matches_the_source(tmp_path: Path) -> None:
    qm = tmp_path / "en.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run `python tools/translations.py`"


def test_no_japanese_is_left_on_any_page_in_english(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    install_translators(app, "en")
    try:
        w = Wizard(Settings(bundle_folder=str(tmp_path)), "en")
        qtbot.addWidget(w)
        w.draft.route, w.draft.device = "amazon", "pc"
        leftovers = []
        for key in ORDER:
            if key == "reading":
                continue
            w.stack.setCurrentWidget(w.pages[key])
            w._update_nav()
            for widget in w.findChildren(QLabel) + w.findChildren(QAbstractButton):
                text = QUOTED.sub("", widget.text())
                if JAPANESE.search(text) and text != "日本語":
                    leftovers.append((key, widget.text()))
        assert sorted(set(leftovers)) == []
        assert w.next_button.text() in ("Next", "Read", "Go to saving", "Close")
    finally:
        install_translators(app, "ja")


def test_no_japanese_is_left_in_the_review_window_in_english(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core.review import Store
    from receipt_assistant.gui.review import ReviewWindow

    app = QApplication.instance()
    install_translators(app, "en")
    try:
        w = ReviewWindow(Settings(), "en", store=Store(tmp_path / "db.sqlite3"))
        qtbot.addWidget(w)
        texts = [x.text() for x in w.findChildren(QLabel) + w.findChildren(QAbstractButton)]
        texts += [w.table.horizontalHeaderItem(c).text() for c in range(w.table.columnCount())]
        texts += [w.verdict_filter.itemText(i) for i in range(w.verdict_filter.count())]
        texts += [w.search.placeholderText(), w.windowTitle()]
        assert [t for t in texts if JAPANESE.search(QUOTED.sub("", t))] == []
    finally:
        install_translators(app, "ja")
