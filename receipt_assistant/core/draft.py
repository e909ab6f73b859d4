"""The customer's unfinished submission, kept between runs of the wizard.

A customer may close the window half-way (to find the slip, to ask someone);
what they chose and added must be there when they come back. The draft is a
small JSON file in the user data folder, written atomically; images pasted
from the clipboard and photos taken with the computer's camera are saved
beside it, since they exist nowhere else.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from PIL import Image

from receipt_assistant.core import paths
from receipt_assistant.core.atomic import replace_bytes, replace_file

DRAFT_VERSION = 1
# Files the wizard made itself; they go when the draft goes.
_OWN_PREFIXES = ("pasted-", "camera-")
# A camera frame is kept as a JPEG of this quality: webcams already send
# compressed frames, and a lossless copy would be several times larger for
# nothing the reading can use.
CAMERA_JPEG_QUALITY = 92


@dataclass
class Draft:
    route: str | None = None  # amazon | store
    device: str | None = None  # pc | phone (Amazon route)
    files: list[str] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)  # quarter turns clockwise the customer gave a file
    corners: dict[str, list[list[float]]] = field(default_factory=dict)  # slip corners the customer placed
    overrides: list[dict[str, Any]] = field(default_factory=list)  # bundle.Override.to_json()
    corrections: list[dict[str, Any]] = field(default_factory=list)  # bundle.Correction.to_json()
    amount: int | None = None  # declared
    purchase_date: str | None = None  # declared, ISO
    name: str = ""
    email: str = ""
    reference: str = ""
    amazon_layout: str = "classic"  # classic | 2025: which Amazon order page the customer sees
    retake_accepted: bool = False  # kept the pictures although a retake was asked for
    gift_confirmed: bool = False  # no gift-card line was read, and the customer says it is the right receipt
    consent: bool = False  # agreed to send the values and images to the shop
    page: str = "welcome"  # the page to reopen on
    saved_at: str = ""

    @property
    def empty(self) -> bool:
        return self.route is None and not self.files

    def declared_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.purchase_date) if self.purchase_date else None
        except ValueError:
            return None


def draft_dir() -> Path:
    """Where the draft and the images pasted into it live."""
    return paths.data_dir() / "draft"


def load_draft(folder: Path | None = None) -> Draft | None:
    """The saved draft, or None when there is none or it cannot be used."""
    path = (folder or draft_dir()) / "draft.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != DRAFT_VERSION:
        return None
    known = {f.name: f for f in fields(Draft)}
    values = {k: v for k, v in data.items() if k in known}
    try:
        draft = Draft(**values)
    except TypeError:
        return None
    if not isinstance(draft.files, list) or not all(isinstance(f, str) for f in draft.files):
        return None
    # Files moved or deleted since: the wizard asks for them again.
    draft.files = [f for f in draft.files if Path(f).is_file()]
    return None if draft.empty else draft


def save_draft(draft: Draft, folder: Path | None = None) -> None:
    """Write the draft atomically; a crash never leaves half a file."""
    folder = folder or draft_dir()
    folder.mkdir(parents=True, exist_ok=True)
    draft.saved_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    data = {"version": DRAFT_VERSION, **asdict(draft)}
    replace_file(folder / "draft.json", json.dumps(data, ensure_ascii=False, indent=2))


def discard_draft(folder: Path | None = None) -> None:
    """Forget the draft, the pasted images and the camera photos (after the bundle is saved, or on request)."""
    folder = folder or draft_dir()
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_file() and (child.name == "draft.json" or child.name.startswith(_OWN_PREFIXES)):
            child.unlink(missing_ok=True)


def _new_path(folder: Path | None, prefix: str, suffix: str) -> Path:
    folder = folder or draft_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    n = 1
    while (candidate := folder / f"{prefix}-{stamp}-{n}{suffix}").exists():
        n += 1
    return candidate


def pasted_path(folder: Path | None = None) -> Path:
    """A new file name for an image pasted from the clipboard."""
    return _new_path(folder, "pasted", ".png")


def save_camera_photo(image: Image.Image, folder: Path | None = None) -> Path:
    """Keep a photo taken with the computer's camera beside the draft; returns its path.

    It is written as a JPEG under a new name, atomically, so a crash leaves
    either the whole photo or none.
    """
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=CAMERA_JPEG_QUALITY)
    path = _new_path(folder, "camera", ".jpg")
    replace_bytes(path, buf.getvalue())
    return path
