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


@pytest.fixture(autouse=True)
def _no_waiting_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question the app asks would wait for a person forever: a test that reaches one must answer it."""
    try:
        from receipt_assistant.gui import dialogs
    except ImportError:  # no Qt here: nothing can ask
        return

    def waits(*args: object, **kwargs: object) -> None:
        raise AssertionError("the app asked a question this test does not answer (replace it in receipt_assistant.gui.dialogs)")

    for name in ("ask_yes_no", "show_error", "_exec"):
        monkeypatch.setattr(dialogs, name, waits)
