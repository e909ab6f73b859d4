"""The app's own folders, in one place.

Setting ``RECEIPT_ASSISTANT_HOME`` puts every folder under that directory;
tests use it so they never touch the real user folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "receipt-assistant"


def _base(kind: str) -> Path:
    home = os.environ.get("RECEIPT_ASSISTANT_HOME")
    if home:
        return Path(home) / kind
    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return _base("cache")


def config_dir() -> Path:
    return _base("config")


def data_dir() -> Path:
    return _base("data")
