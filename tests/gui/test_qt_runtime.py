"""The Qt binding itself: a long session must not wear the interpreter down."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject

pytestmark = pytest.mark.gui


def test_qt_calls_that_return_nothing_keep_none_alive() -> None:
    # A camera preview makes thousands of such calls a minute; a binding that
    # drops a reference to None on each aborts the app ("none_dealloc").
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        obj.setObjectName("preview")
    assert sys.getrefcount(None) >= before - 50
