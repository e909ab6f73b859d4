"""Shared fixtures: every test runs with the app's folders in a temporary place."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEIPT_ASSISTANT_HOME", str(tmp_path_factory.getbasetemp() / "app-home"))
