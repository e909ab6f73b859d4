"""Shared fixtures: every test runs with the app's folders in a temporary place."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEIPT_ASSISTANT_HOME", str(tmp_path_factory.getbasetemp() / "app-home"))
    # Tests check what is read; a loaded test machine must not turn a slow reading into a
    # cut-short one. The budget itself is tested with explicit budgets (tests/unit/test_budget.py).
    monkeypatch.setenv("RECEIPT_ASSISTANT_BUDGET", "300")
