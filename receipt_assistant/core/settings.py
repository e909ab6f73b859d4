"""User settings: a small typed JSON file in the config folder.

Passed around as an object (never a global) so tests can build their own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from receipt_assistant.core import paths
from receipt_assistant.core.atomic import replace_file

SETTINGS_VERSION = 1


@dataclass
class Settings:
    tesseract_path: str | None = None  # a Tesseract the user chose; wins over every other place
    language: str | None = None  # "ja" | "en"; None follows the system
    bundle_folder: str | None = None  # where the wizard last saved a bundle
    window_geometry: str | None = None  # the wizard window's size and place (Qt's saveGeometry, hex)
    review_folder: str | None = None  # the folder staff last reviewed
    review_geometry: str | None = None  # the review window's size and place (Qt's saveGeometry, hex)
    staff_name: str | None = None  # who records the decisions on this computer

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; a missing or damaged file gives the defaults."""
        path = path or paths.config_dir() / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known and (v is None or isinstance(v, str))})

    def save(self, path: Path | None = None) -> None:
        """Write atomically so a crash never leaves half a settings file."""
        path = path or paths.config_dir() / "settings.json"
        data = {"version": SETTINGS_VERSION, **asdict(self)}
        replace_file(path, json.dumps(data, ensure_ascii=False, indent=2))
