"""The wizard's guides: complete in both languages, safe pictures, clear errors.

The guides are content the shop edits by hand when Amazon changes its pages,
so these tests are the safety net for such edits as much as for the code.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from receipt_assistant.core import guides
from receipt_assistant.core.errors import InputError
from receipt_assistant.core.guides import GUIDE_IDS, Guide, load_guide, resources_dir

REPO_RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SVG_NS = "{http://www.w3.org/2000/svg}"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"「[^」]*」")
ORDER_HISTORY = "https://www.amazon.co.jp/gp/css/order-history"


@pytest.fixture(autouse=True)
def _real_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test from the repository's own content, whatever the shell says."""
    monkeypatch.delenv("RECEIPT_ASSISTANT_RESOURCES", raising=False)


def _texts(guide: Guide) -> list[str]:
    return [guide.title, guide.intro, guide.note, *(s.text for s in guide.steps)]


def _all_svgs() -> list[Path]:
    return sorted((REPO_RESOURCES / "illustrations").glob("*.svg"))


# -- the shipped content -------------------------------------------------------


def test_resources_dir_is_the_repository_folder() -> None:
    assert resources_dir() == REPO_RESOURCES.resolve()


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
def test_every_guide_exists_in_japanese_and_english(guide_id: str) -> None:
    for lang in ("ja", "en"):
        assert (REPO_RESOURCES / "guides" / f"{guide_id}.{lang}.json").is_file()
        guide = load_guide(guide_id, lang)
        assert (guide.id, guide.lang) == (guide_id, lang)
        assert guide.title and guide.steps
        assert all(step.text for step in guide.steps)


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
def test_both_languages_have_the_same_steps_and_pictures(guide_id: str) -> None:
    ja, en = load_guide(guide_id, "ja"), load_guide(guide_id, "en")
    assert len(ja.steps) == len(en.steps)
    for a, b in zip(ja.steps, en.steps, strict=True):
        assert (a.image, a.os, a.example) == (b.image, b.os, b.example)
    assert bool(ja.intro) == bool(en.intro) and bool(ja.note) == bool(en.note)


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
def test_english_leaves_only_quoted_amazon_labels_in_japanese(guide_id: str) -> None:
    for text in _texts(load_guide(guide_id, "en")):
        assert not JAPANESE.search(QUOTED.sub("", text)), text


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
def test_the_only_link_is_the_order_history(guide_id: str) -> None:
    for lang in ("ja", "en"):
        raw = (REPO_RESOURCES / "guides" / f"{guide_id}.{lang}.json").read_text(encoding="utf-8")
        for url in re.findall(r"(?:https?://|www\.)[^\s\"'）)」]*", raw):
            assert url == ORDER_HISTORY


def test_every_step_has_a_picture_that_exists() -> None:
    for guide_id in GUIDE_IDS:
        for step in load_guide(guide_id, "ja").steps:
            assert step.image is not None, (guide_id, step.text)
            assert step.image.is_absolute() and step.image.is_file()
            assert step.image.parent == (REPO_RESOURCES / "illustrations").resolve()


# Pictures the wizard's own pages show (the welcome page and the route cards), not a guide step.
PAGE_PICTURES = {"card-amazon.svg", "card-store.svg", "card-pc.svg", "card-phone.svg",
                 "step-image.svg", "step-read.svg", "step-bundle.svg"}


def test_every_picture_is_used_by_some_guide() -> None:
    used = {step.image.name for g in GUIDE_IDS for step in load_guide(g, "ja").steps if step.image}
    assert not used & PAGE_PICTURES
    assert {p.name for p in _all_svgs()} == used | PAGE_PICTURES


def test_the_guides_cover_what_the_brief_asks() -> None:
    classic = " ".join(_texts(load_guide("amazon-classic", "ja")))
    for label in ("アカウント&リスト", "注文履歴", "領収書等", "領収書/購入明細書", "購入明細書"):
        assert label in classic
    new = " ".join(_texts(load_guide("amazon-2025", "ja")))
    for label in ("注文内容を表示", "請求書のダウンロード", "印刷可能な注文概要"):
        assert label in new
    phone = " ".join(_texts(load_guide("amazon-phone", "ja")))
    for label in ("ぁあ", "デスクトップ用Webサイトを表示", "⋮", "PC版サイト", "アプリ"):
        assert label in phone
    shop = load_guide("shop-photo", "ja")
    examples = [s.example for s in shop.steps]
    assert examples.count("good") >= 1 and examples.count("bad") >= 5
    assert all(s.image for s in shop.steps if s.example)
    assert "保管" in shop.note  # keep the paper slip


# -- the pictures ----------------------------------------------------------------


@pytest.mark.parametrize("svg", _all_svgs(), ids=lambda p: p.name)
def test_every_picture_is_small_plain_svg(svg: Path) -> None:
    raw = svg.read_bytes()
    assert len(raw) < 20_000
    text = raw.decode("utf-8").lower()
    for forbidden in ("<script", "<image", "<foreignobject", 'href="http', "href='http",
                      "url(http", "@import", "data:"):
        assert forbidden not in text, forbidden
    root = ET.fromstring(raw)
    assert root.tag == f"{SVG_NS}svg"
    box = [float(v) for v in root.get("viewBox", "").split()]
    assert len(box) == 4 and box[2] > 0 and box[3] > 0
    for el in root.iter():
        for name, value in el.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#"), value  # only references inside the file
    for el in root.iter(f"{SVG_NS}text"):
        assert el.get("font-family") == "sans-serif"


def test_there_are_pictures_at_all() -> None:
    assert len(_all_svgs()) >= 20


# -- choosing steps and languages ----------------------------------------------


def test_os_filter_keeps_that_systems_steps_and_the_common_ones() -> None:
    everything = load_guide("screenshot", "ja")
    systems = {s.os for s in everything.steps}
    assert {"windows", "macos", None} <= systems
    for os_name in ("windows", "macos", "linux"):
        only = load_guide("screenshot", "ja", os_name=os_name)
        assert {s.os for s in only.steps} <= {os_name, None}
        assert any(s.os == os_name for s in only.steps)
        expected = [s for s in everything.steps if s.os in (os_name, None)]
        assert list(only.steps) == expected


def test_os_filter_understands_python_platform_names() -> None:
    assert load_guide("screenshot", "en", os_name="darwin") == load_guide("screenshot", "en", os_name="macos")
    assert load_guide("screenshot", "en", os_name="win32") == load_guide("screenshot", "en", os_name="windows")
    assert guides.current_os_name() in guides.OS_NAMES


def test_os_filter_rejects_a_name_it_does_not_know() -> None:
    with pytest.raises(ValueError):
        load_guide("screenshot", "ja", os_name="amiga")


def test_guides_without_os_steps_are_unchanged_by_the_filter() -> None:
    assert load_guide("amazon-classic", "en", os_name="windows") == load_guide("amazon-classic", "en")


@pytest.mark.parametrize("lang", ["fr", "", "../../etc", "zh_TW"])
def test_a_language_without_a_file_falls_back_to_japanese(lang: str) -> None:
    guide = load_guide("amazon-classic", lang)
    assert guide.lang == "ja"
    assert guide == load_guide("amazon-classic", "ja")


def test_a_locale_name_finds_its_language() -> None:
    assert load_guide("shop-photo", "en_US").lang == "en"
    assert load_guide("shop-photo", "EN-gb").lang == "en"


# -- a copy of the resources the test can damage ---------------------------------


@pytest.fixture
def res(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private resources folder: the real illustrations, and the classic guide in Japanese only."""
    root = tmp_path / "resources"
    (root / "guides").mkdir(parents=True)
    shutil.copytree(REPO_RESOURCES / "illustrations", root / "illustrations")
    shutil.copy(REPO_RESOURCES / "guides" / "amazon-classic.ja.json", root / "guides")
    monkeypatch.setenv("RECEIPT_ASSISTANT_RESOURCES", str(root))
    return root


def _write(res: Path, data: Any, name: str = "amazon-classic.en.json") -> None:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (res / "guides" / name).write_text(text, encoding="utf-8")


def _good(lang: str = "en") -> dict[str, Any]:
    return {"format": 1, "id": "amazon-classic", "lang": lang, "title": "T", "intro": "I",
            "steps": [{"text": "Do this.", "image": "amazon-pc-header.svg", "os": None, "example": None}],
            "note": "N"}


def test_the_env_override_is_used(res: Path) -> None:
    assert resources_dir() == res.resolve()
    step = load_guide("amazon-classic", "ja").steps[0]
    assert step.image is not None and step.image.parent == (res / "illustrations").resolve()


def test_a_missing_language_file_falls_back_to_japanese(res: Path) -> None:
    guide = load_guide("amazon-classic", "en")
    assert guide.lang == "ja"


def test_a_good_hand_written_file_loads(res: Path) -> None:
    data = _good()
    del data["intro"], data["note"]  # optional
    data["steps"].append({"text": "No picture here."})
    _write(res, data)
    guide = load_guide("amazon-classic", "en")
    assert (guide.lang, guide.intro, guide.note) == ("en", "", "")
    assert guide.steps[1].image is None and guide.steps[1].os is None


def _mutate(**changes: Any) -> dict[str, Any]:
    data = _good()
    data.update(changes)
    return data


def _step(**changes: Any) -> dict[str, Any]:
    return _mutate(steps=[{**_good()["steps"][0], **changes}])


MALFORMED: dict[str, Any] = {
    "not json": "{\"format\": 1, \"steps\": [",
    "empty file": "",
    "top level list": [1, 2, 3],
    "no format": {k: v for k, v in _good().items() if k != "format"},
    "format as text": _mutate(format="1"),
    "id mismatch": _mutate(id="amazon-2025"),
    "lang mismatch": _mutate(lang="ja"),
    "no title": _mutate(title=""),
    "title not text": _mutate(title=["T"]),
    "intro not text": _mutate(intro=3),
    "no steps": _mutate(steps=[]),
    "steps not list": _mutate(steps={"text": "x"}),
    "step not object": _mutate(steps=["Do this."]),
    "step without text": _step(text="  "),
    "image with path": _step(image="../guides/amazon-classic.ja.json"),
    "image absolute": _step(image="/etc/passwd"),
    "image not svg": _step(image="photo.png"),
    "image missing": _step(image="no-such-picture.svg"),
    "image not text": _step(image=7),
    "unknown os": _step(os="android"),
    "unknown example": _step(example="ok"),
}


@pytest.mark.parametrize("content", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_is_a_plain_input_error(res: Path, content: Any) -> None:
    _write(res, content)
    with pytest.raises(InputError) as info:
        load_guide("amazon-classic", "en")
    err = info.value
    assert err.source == "amazon-classic.en.json"
    assert err.message.ja and err.message.en
    assert "Traceback" not in err.text("en")


def test_a_file_that_is_not_utf8_is_an_input_error(res: Path) -> None:
    (res / "guides" / "amazon-classic.en.json").write_bytes(b'{"title": "\xff\xfe"}')
    with pytest.raises(InputError):
        load_guide("amazon-classic", "en")


def test_a_deeply_nested_file_is_an_input_error(res: Path) -> None:
    _write(res, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError):
        load_guide("amazon-classic", "en")


def test_a_newer_format_asks_for_an_update(res: Path) -> None:
    _write(res, _mutate(format=2))
    with pytest.raises(InputError) as info:
        load_guide("amazon-classic", "en")
    assert "update" in info.value.message.en.lower()


def test_a_missing_guide_is_an_input_error(res: Path) -> None:
    with pytest.raises(InputError):
        load_guide("shop-photo", "ja")


@pytest.mark.parametrize("guide_id", ["../guides/amazon-classic", "Amazon Classic", "", "a/b"])
def test_a_strange_guide_id_is_an_input_error(guide_id: str) -> None:
    with pytest.raises(InputError):
        load_guide(guide_id, "ja")


def test_the_guides_module_never_imports_qt() -> None:
    code = ("import sys, receipt_assistant.core.guides as g; g.load_guide('screenshot', 'ja'); "
            "sys.exit(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
