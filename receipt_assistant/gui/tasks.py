"""One way to run work off the UI thread: reading, loading and bundling.

The work is a plain function of (progress, cancel); it runs on Qt's thread
pool and its result, or its exception, comes back to the UI thread as a
signal. Workers never touch widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from receipt_assistant.core.model import Message

Work = Callable[[Callable[[int, int, Message], None], Callable[[], bool]], Any]


class Task(QObject):
    """A piece of work in the background, with progress, cancel and one outcome."""

    progress = Signal(int, int, object)  # done, total, Message
    succeeded = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.running = False

    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        task = self.task
        try:
            result = task._work(lambda d, t, m: task.progress.emit(d, t, m), task._cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, which decides
            task.running = False
            task.failed.emit(exc)
            return
        task.running = False
        task.succeeded.emit(result)
