"""One error hierarchy: every failure a user can meet carries a sentence in
Japanese and English saying what happened and what to do, and an exit code.

The CLI turns these into exit codes and messages; the GUI shows the message.
Nothing else should reach a user as a traceback.
"""

from __future__ import annotations

from receipt_assistant.core.model import Message

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2
EXIT_INSTALLATION = 3


class ReceiptError(Exception):
    """Base class: a failure with a user-facing message."""

    exit_code = EXIT_USAGE

    def __init__(self, message: Message, *, source: str | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.source = source

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Rebuilt from its message, not from str(self): errors cross from
        # `review --batch`'s worker processes.
        return (self.__class__, (self.message,), {"source": self.source})

    def text(self, lang: str = "ja") -> str:
        msg = self.message.text(lang)
        if self.source:
            return f"{self.source}: {msg}"
        return msg


class InputError(ReceiptError):
    """A file that cannot be used as a receipt image (named in ``source``)."""


class InstallationError(ReceiptError):
    """A file the app ships with is missing: the installation is at fault, never the user's input."""

    exit_code = EXIT_INSTALLATION


def missing_app_file(name: str) -> InstallationError:
    return InstallationError(Message(
        ja=f"アプリのファイル（{name}）が見つかりません。アプリを入れ直してください。",
        en=f"A file of the app ({name}) is missing. Please reinstall the app.",
    ))


class TesseractMissing(ReceiptError):
    """Tesseract or its Japanese data is not installed; ``fix`` says how to install it."""


# What either engine says when Tesseract itself fails on a page.
ENGINE_STOPPED = Message(
    ja="文字の読み取り中に Tesseract が異常終了しました。画像を保存し直して、もう一度お試しください。",
    en="Tesseract stopped with an error while reading. Save the image again and retry.",
)


class OcrFailed(ReceiptError):
    """Tesseract crashed on a page (a timeout is an empty result, not this)."""


class Cancelled(ReceiptError):
    """The caller asked to stop."""
