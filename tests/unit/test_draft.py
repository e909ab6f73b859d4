"""The wizard's draft: kept between runs, forgiving of damage, gone once the bundle is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from receipt_assistant.core import atomic
from receipt_assistant.core.draft import (
    Draft,
    discard_draft,
    load_draft,
    pasted_path,
    save_camera_photo,
    save_draft,
)


def test_a_saved_draft_comes_back(tmp_path: Path) -> None:
    photo = tmp_path / "slip.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    draft = Draft(route="store", files=[str(photo)], amount=5000, purchase_date="2024-05-01", name="山田",
                  corrections=[{"field": "amount", "value_read": 4000, "value_given": 5000, "at": "x"}],
                  page="images")
    save_draft(draft, tmp_path)
    again = load_draft(tmp_path)
    assert again == draft
    assert again is not None and again.saved_at


def test_files_that_disappeared_are_dropped_and_an_empty_draft_is_none(tmp_path: Path) -> None:
    save_draft(Draft(route=None, files=[str(tmp_path / "gone.jpg")]), tmp_path)
    assert load_draft(tmp_path) is None
    save_draft(Draft(route="amazon", files=[str(tmp_path / "gone.jpg")]), tmp_path)
    kept = load_draft(tmp_path)
    assert kept is not None and kept.files == []


def test_a_damaged_or_foreign_draft_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "draft.json").write_text("{not json", encoding="utf-8")
    assert load_draft(tmp_path) is None
    (tmp_path / "draft.json").write_text('{"version": 99, "route": "store"}', encoding="utf-8")
    assert load_draft(tmp_path) is None
    (tmp_path / "draft.json").write_text('{"version": 1, "route": "store", "files": "nope"}', encoding="utf-8")
    assert load_draft(tmp_path) is None
    (tmp_path / "draft.json").write_text('{"version": 1, "route": "store", "unknown": 1}', encoding="utf-8")
    assert load_draft(tmp_path) == Draft(route="store", saved_at="")


def test_discarding_removes_the_draft_and_pasted_images_only(tmp_path: Path) -> None:
    save_draft(Draft(route="store"), tmp_path)
    pasted = pasted_path(tmp_path)
    pasted.write_bytes(b"png")
    save_camera_photo(Image.new("RGB", (8, 8)), tmp_path)
    other = tmp_path / "keep.txt"
    other.write_text("x", encoding="utf-8")
    assert pasted_path(tmp_path) != pasted
    discard_draft(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_camera_photo_is_kept_as_a_new_jpeg_each_time(tmp_path: Path) -> None:
    frame = Image.new("RGBA", (64, 48), (200, 30, 30, 255))
    first = save_camera_photo(frame, tmp_path)
    second = save_camera_photo(frame, tmp_path)
    assert first != second and first.parent == second.parent == tmp_path
    assert first.name.startswith("camera-") and first.suffix == ".jpg"
    with Image.open(first) as im:
        im.load()
        assert (im.format, im.mode, im.size) == ("JPEG", "RGB", (64, 48))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])  # no temporaries


def test_a_camera_photo_that_cannot_be_written_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError):
        save_camera_photo(Image.new("RGB", (8, 8)), tmp_path)
    assert list(tmp_path.iterdir()) == []
