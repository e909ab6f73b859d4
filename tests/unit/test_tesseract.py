"""Finding Tesseract: the user's choice wins, and a missing one says what to install."""

from __future__ import annotations

import pytest

from receipt_assistant.core import tesseract
from receipt_assistant.core.errors import TesseractMissing


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with no Tesseract anywhere."""
    monkeypatch.setattr(tesseract, "_wheel_binary", lambda: None)
    monkeypatch.setattr(tesseract.shutil, "which", lambda name: None)
    monkeypatch.setattr(tesseract, "_LINUX_PLACES", ())
    monkeypatch.setattr(tesseract, "_MAC_PLACES", ())
    monkeypatch.setattr(tesseract, "_WINDOWS_PLACES", ())
    monkeypatch.delenv(tesseract.ENV_TESSERACT, raising=False)


@pytest.mark.usefixtures("nowhere")
def test_missing_tesseract_names_what_to_install() -> None:
    info = tesseract.probe()
    assert not info.ok and info.path is None
    with pytest.raises(TesseractMissing) as err:
        info.require()
    assert "tesseract" in err.value.message.en.lower()
    assert "Tesseract" in err.value.message.ja
    report = tesseract.doctor_report(info, "en")
    assert "not found" in report and "still works" in report


@pytest.mark.parametrize(
    ("platform", "needle"),
    [("win32", "UB-Mannheim"), ("darwin", "brew install tesseract tesseract-lang"), ("linux", "tesseract-ocr-jpn")],
)
def test_install_hint_is_specific_to_the_os(platform: str, needle: str) -> None:
    hint = tesseract.install_hint(platform)
    assert needle in hint.en and needle in hint.ja


@pytest.mark.usefixtures("nowhere")
def test_a_path_from_the_setting_is_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'tesseract 9.9.9'\n[ \"$1\" = --list-langs ] && printf 'List of\\neng\\n'\nexit 0\n")
    fake.chmod(0o755)
    info = tesseract.probe(str(fake))
    assert info.path == str(fake) and info.path_source == "setting" and info.version == "9.9.9"
    assert not info.ok  # no jpn: the fix names the Japanese data
    assert "jpn" in info.problem.en and "日本語" in info.problem.ja


def test_environment_variable_comes_after_the_setting(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tesseract.ENV_TESSERACT, str(tmp_path / "env-tesseract"))
    found = tesseract._candidates("/chosen/tesseract")
    assert found[0] == ("/chosen/tesseract", "setting")
    assert found[1] == (str(tmp_path / "env-tesseract"), "environment")


def _program(tmp_path) -> tesseract.TesseractInfo:  # type: ignore[no-untyped-def]
    return tesseract.TesseractInfo(path=str(tmp_path / "tesseract"), path_source="setting", version="5.3.0",
                                   languages=["eng", "jpn"])


def test_tesseract_in_process_is_the_default_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from receipt_assistant.core import api
    from receipt_assistant.core.engine_tesserocr import TesserocrEngine
    from receipt_assistant.core.settings import Settings

    monkeypatch.delenv(tesseract.ENV_TESSERACT, raising=False)
    engine = api.make_engine(Settings())
    assert isinstance(engine, TesserocrEngine)
    assert "in process" in engine.description and {"jpn", "eng", "osd"} <= set(engine.installed_languages)
    assert api.make_engine(Settings()) is engine  # loaded once per process


def test_a_chosen_tesseract_or_no_tesserocr_means_the_program(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from receipt_assistant.core import api
    from receipt_assistant.core.ocr import TesseractEngine
    from receipt_assistant.core.settings import Settings

    monkeypatch.setattr(api, "probe", lambda *a, **k: _program(tmp_path))
    monkeypatch.delenv(tesseract.ENV_TESSERACT, raising=False)
    chosen = api.make_engine(Settings(tesseract_path=str(tmp_path / "tesseract")))
    assert isinstance(chosen, TesseractEngine) and chosen.description.startswith("pytesseract with ")
    monkeypatch.setenv(tesseract.ENV_TESSERACT, str(tmp_path / "tesseract"))
    assert isinstance(api.make_engine(Settings()), TesseractEngine)
    monkeypatch.delenv(tesseract.ENV_TESSERACT)
    monkeypatch.setattr(api, "_library_engine", lambda responsive: None)  # tesserocr cannot load here
    assert isinstance(api.make_engine(Settings()), TesseractEngine)


def test_tesserocr_without_japanese_data_is_not_used(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from receipt_assistant.core.engine_tesserocr import EngineUnavailable, TesserocrEngine

    (tmp_path / "eng.traineddata").write_bytes(b"")
    with pytest.raises(EngineUnavailable, match="jpn"):
        TesserocrEngine(str(tmp_path))
