"""The wizard's step-by-step guides, read from content files.

Amazon changes its pages now and then; the shop must be able to update the
steps, texts and pictures without a new release. So each guide is a JSON
file per language in ``resources/guides/`` and its pictures are SVG files in
``resources/illustrations/`` (the format is described in
``resources/guides/README.md``). This module only reads and checks them; it
stays free of Qt so the CLI, the tests and the GUI share it.

A damaged or half-edited file becomes an :class:`InputError` with a plain
sentence, never a traceback: the wizard can show it and carry on.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from receipt_assistant.core.errors import InputError, missing_app_file
from receipt_assistant.core.model import Message

GUIDE_FORMAT = 1

GUIDE_IDS: tuple[str, ...] = (
    "amazon-classic",
    "amazon-2025",
    "amazon-phone",
    "screenshot",
    "shop-photo",
)
LANGS: tuple[str, ...] = ("ja", "en")
# Japanese first: every guide must exist in Japanese; other languages are optional.
FALLBACK_LANG = "ja"
OS_NAMES: tuple[str, ...] = ("windows", "macos", "linux")
EXAMPLES: tuple[str, ...] = ("good", "bad")

# What callers may pass as ``os_name``: our own names plus what Python reports.
_OS_ALIASES: dict[str, str] = {
    "windows": "windows", "win32": "windows", "cygwin": "windows", "nt": "windows",
    "macos": "macos", "darwin": "macos", "mac": "macos", "osx": "macos",
    "linux": "linux",
}
# Ids and languages become file names: keep them to plain lower-case words.
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An image is a bare file name inside illustrations/, never a path.
_IMAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.svg$")


@dataclass(frozen=True)
class Step:
    """One step: a short text and, usually, a picture of what to press.

    ``os`` names the computer system the step is for (None: every system);
    ``example`` marks a picture of a good or a bad photo (None: an instruction).
    """

    text: str
    image: Path | None
    os: str | None
    example: str | None


@dataclass(frozen=True)
class Guide:
    """A whole guide in one language (``lang`` is the language actually loaded)."""

    id: str
    lang: str
    title: str
    intro: str
    steps: tuple[Step, ...]
    note: str


def resources_dir() -> Path:
    """The installed ``receipt_assistant.resources``; ``RECEIPT_ASSISTANT_RESOURCES`` overrides it.

    Found through the package, so a wheel, a frozen app and a development
    checkout (where the package maps to ``resources/``) all find their own.
    The override lets tests use a temporary copy and lets the shop try new
    content before shipping it.
    """
    override = os.environ.get("RECEIPT_ASSISTANT_RESOURCES")
    if override:
        return Path(override).expanduser().resolve()
    try:
        found = Path(str(resources.files("receipt_assistant.resources")))
    except ModuleNotFoundError:
        raise missing_app_file("receipt_assistant/resources") from None
    if not found.is_dir():
        raise missing_app_file(str(found))
    return found


def guides_dir() -> Path:
    return resources_dir() / "guides"


def illustrations_dir() -> Path:
    return resources_dir() / "illustrations"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def icon_path() -> Path:
    return resources_dir() / "icons" / "app.svg"


def current_os_name() -> str:
    """This computer's system as a guide ``os`` value, so the wizard shows only its steps."""
    return _OS_ALIASES.get(sys.platform, "linux")


def guide_path(guide_id: str, lang: str) -> Path:
    return guides_dir() / f"{guide_id}.{lang}.json"


def load_guide(guide_id: str, lang: str, *, os_name: str | None = None) -> Guide:
    """Read one guide in ``lang`` (Japanese when that language has no file).

    With ``os_name`` ("windows", "macos", "linux"; Python's ``sys.platform``
    names work too) only the steps for that system and the steps for every
    system are kept, so a customer is not shown keys their computer lacks.
    """
    if not isinstance(guide_id, str) or not _NAME_RE.match(guide_id):
        raise _error(str(guide_id),
                     f"「{guide_id}」という案内はありません。",
                     f"There is no guide called '{guide_id}'.")
    wanted_os = _normalize_os(os_name)
    lang = _normalize_lang(lang)
    path = guide_path(guide_id, lang)
    if not path.is_file() and lang != FALLBACK_LANG:
        lang = FALLBACK_LANG
        path = guide_path(guide_id, lang)
    if not path.is_file():
        raise _error(path.name,
                     "この案内のファイルが見つかりません。アプリを入れ直すか、ショップにお問い合わせください。",
                     "The file for this guide is missing. Please reinstall the assistant "
                     "or contact the shop.")
    guide = _parse(path, guide_id, lang)
    if wanted_os is not None:
        steps = tuple(s for s in guide.steps if s.os is None or s.os == wanted_os)
        guide = Guide(guide.id, guide.lang, guide.title, guide.intro, steps, guide.note)
    return guide


# -- reading and checking ------------------------------------------------------


def _normalize_os(os_name: str | None) -> str | None:
    if os_name is None:
        return None
    key = str(os_name).strip().lower()
    if key not in _OS_ALIASES:
        # A caller's mistake, not the customer's: say so loudly.
        raise ValueError(f"unknown os_name {os_name!r}; use one of {OS_NAMES}")
    return _OS_ALIASES[key]


def _normalize_lang(lang: str) -> str:
    """'en_US', 'EN-gb' -> 'en'; anything that is not a plain word -> Japanese."""
    key = re.split(r"[-_.]", str(lang or "").strip().lower(), maxsplit=1)[0]
    return key if _NAME_RE.match(key) else FALLBACK_LANG


def _error(source: str, ja: str, en: str) -> InputError:
    return InputError(Message(ja=ja, en=en), source=source)


def _malformed(path: Path, ja_detail: str, en_detail: str) -> InputError:
    """A file the shop edited by hand and got wrong: say where, plainly."""
    return _error(
        path.name,
        f"案内のファイルが正しく書かれていないため、表示できません（{ja_detail}）。"
        "アプリを入れ直すか、ショップにお問い合わせください。",
        f"This guide file is not written correctly, so it cannot be shown ({en_detail}). "
        "Please reinstall the assistant or contact the shop.",
    )


def _parse(path: Path, guide_id: str, lang: str) -> Guide:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise _error(path.name,
                     "案内のファイルを開けませんでした。アプリを入れ直すか、ショップにお問い合わせください。",
                     "The guide file could not be opened. Please reinstall the assistant "
                     "or contact the shop.") from None
    except UnicodeDecodeError:
        raise _malformed(path, "UTF-8 ではありません", "it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _malformed(path, f"JSON の {exc.lineno} 行目に誤りがあります",
                         f"JSON error on line {exc.lineno}") from None
    except RecursionError:
        raise _malformed(path, "入れ子が深すぎます", "it is nested too deeply") from None

    if not isinstance(data, dict):
        raise _malformed(path, "全体が { } で囲まれていません", "the top level is not an object")
    fmt = data.get("format")
    if fmt != GUIDE_FORMAT:
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > GUIDE_FORMAT:
            raise _error(path.name,
                         "この案内は新しい版のアプリ用です。アプリを最新版に更新してください。",
                         "This guide was written for a newer version of the assistant. "
                         "Please update the assistant.")
        raise _malformed(path, f'"format" は {GUIDE_FORMAT} にしてください',
                         f'"format" must be {GUIDE_FORMAT}')
    if data.get("id") != guide_id:
        raise _malformed(path, f'"id" がファイル名と違います（{guide_id} のはず）',
                         f'"id" does not match the file name (expected {guide_id})')
    if data.get("lang") != lang:
        raise _malformed(path, f'"lang" がファイル名と違います（{lang} のはず）',
                         f'"lang" does not match the file name (expected {lang})')

    title = _text(path, data, "title", required=True)
    intro = _text(path, data, "intro", required=False)
    note = _text(path, data, "note", required=False)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise _malformed(path, '"steps" に手順が一つもありません', '"steps" holds no steps')
    steps = tuple(_step(path, i, raw) for i, raw in enumerate(raw_steps, start=1))
    return Guide(guide_id, lang, title, intro, steps, note)


def _text(path: Path, data: dict[str, Any], key: str, *, required: bool) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _malformed(path, f'"{key}" に文章がありません', f'"{key}" is not a text')
    return value.strip()


def _step(path: Path, number: int, raw: object) -> Step:
    where_ja, where_en = f"{number} 番目の手順", f"step {number}"
    if not isinstance(raw, dict):
        raise _malformed(path, f"{where_ja}が {{ }} ではありません",
                         f"{where_en} is not an object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _malformed(path, f"{where_ja}に文章がありません", f"{where_en} has no text")

    image_name = raw.get("image")
    image: Path | None = None
    if image_name is not None:
        if not isinstance(image_name, str) or not _IMAGE_RE.match(image_name):
            raise _malformed(path, f"{where_ja}の画像名は .svg のファイル名だけにしてください",
                             f"{where_en}: the image must be a bare .svg file name")
        image = illustrations_dir() / image_name
        if not image.is_file():
            raise _malformed(path, f"{where_ja}の画像「{image_name}」が見つかりません",
                             f"{where_en}: the image '{image_name}' is missing")

    os_value = raw.get("os")
    if os_value is not None and os_value not in OS_NAMES:
        raise _malformed(path, f'{where_ja}の "os" は {" / ".join(OS_NAMES)} か null です',
                         f'{where_en}: "os" must be one of {", ".join(OS_NAMES)} or null')
    example = raw.get("example")
    if example is not None and example not in EXAMPLES:
        raise _malformed(path, f'{where_ja}の "example" は good / bad か null です',
                         f'{where_en}: "example" must be good, bad or null')
    return Step(text=text.strip(), image=image, os=os_value, example=example)
