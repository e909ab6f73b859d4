"""Settings and the atomic file replacement they rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from receipt_assistant.core import atomic
from receipt_assistant.core.settings import Settings


def test_settings_round_trip_and_defaults_for_damage(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    Settings(language="en", bundle_folder="/x", window_geometry="01ff").save(path)
    assert Settings.load(path) == Settings(language="en", bundle_folder="/x", window_geometry="01ff")
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    path.write_text("{broken", encoding="utf-8")
    assert Settings.load(path) == Settings()
    path.write_text('{"language": 5, "tesseract_path": "/t"}', encoding="utf-8")
    assert Settings.load(path) == Settings(tesseract_path="/t")


def test_a_failed_replacement_keeps_the_old_file_and_no_temporary(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.json"
    atomic.replace_file(path, "old")

    def broken(src: str, dst: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError):
        atomic.replace_file(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]
