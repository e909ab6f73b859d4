"""Slips photographed as they come: on a glossy black binder, dark leather, wood, filling the frame.

A slip is flattened only along an outline that is really the sheet's; a
reflection or the binder's rim that joins the bright region must not bend
the outline (flattening along it shears the print into noise), and a
slip filling the frame is read as it is. Photos: tests/surfaces.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from receipt_assistant.core.quality import measure
from receipt_assistant.core.sheet import (
    _bright_regions,
    even_light,
    even_room_light,
    find_paper,
    find_sheet,
    flattened,
    plausible_sheet,
    sheet_in_photo,
)
from tests.surfaces import draw_slip, photograph, thumbnail

SIZE = (1050, 1400)
CASES = {
    # a lamp's streak on the gloss runs into the slip, rings beside it
    "streak": ("binder", dict(around=120, binder_gray=15, reflection=140, rings=True, tilt=-9.6, share=0.5,
                              perspective=0.1)),
    # a window's reflection right beside the slip
    "glint": ("binder", dict(reflection=140, glint=180, tilt=8.8, share=0.5, perspective=0.1)),
    # a grey binder's rim on a white desk
    "rim": ("binder", dict(around=200, binder_gray=70, tilt=-3.8, share=0.7)),
    "plain": ("binder", {}),
    "leather": ("leather", dict(reflection=70, tilt=-6)),
    "wood": ("wood", dict(tilt=9)),
}


def _error(found: np.ndarray, true: np.ndarray) -> float:
    """Largest corner error as a share of the slip's diagonal."""
    return float(np.abs(found - true).max() / np.linalg.norm(true[2] - true[0]))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_slip_is_found_by_its_own_outline(case: str, seed: int) -> None:
    surface, kw = CASES[case]
    photo = photograph(draw_slip(seed), surface, seed, size=SIZE, **kw)
    corners = find_sheet(photo.image.convert("L"))
    assert corners is not None and _error(corners, photo.corners) < 0.02


def test_a_reflection_joined_to_the_slip_gives_no_outline_rather_than_a_wrong_one() -> None:
    # The slip and a lamp's reflection on the binder touch: no threshold or
    # outline parts them, so the slip is cropped and straightened instead.
    photo = photograph(draw_slip(1), "binder", 1, size=SIZE, around=120, binder_gray=70, reflection=140,
                       tilt=1.0, share=0.5)
    corners = find_sheet(photo.image.convert("L"))
    assert corners is None or _error(corners, photo.corners) < 0.02


def test_the_binder_itself_is_no_sheet() -> None:
    photo = photograph(draw_slip(2), "binder", 2, size=SIZE, around=200, binder_gray=70, share=0.5)
    gray = photo.image.convert("L")
    small, arr, _, _ = _bright_regions(gray)
    f = gray.width / small.width
    w, h = SIZE
    binder = np.array([[0.07 * w, 0.04 * h], [0.93 * w, 0.04 * h], [0.93 * w, 0.96 * h], [0.07 * w, 0.96 * h]])
    assert not plausible_sheet(arr, binder / f)
    assert plausible_sheet(arr, photo.corners / f)


@pytest.mark.parametrize("tilt", [0.0, 4.0, -3.0])
def test_a_slip_filling_the_frame_is_not_flattened(tilt: float) -> None:
    photo = photograph(draw_slip(9), "fill", 9, size=SIZE, tilt=tilt)
    assert find_sheet(photo.image.convert("L")) is None


@pytest.mark.parametrize("tilt", [0.0, 3.0, -5.0])
def test_a_slip_on_a_pale_table_is_cropped_to_though_not_flattened(tilt: float) -> None:
    # Paper barely brighter than the table: no outline to flatten along, but
    # reading the whole photo would read the table's grain as print.
    photo = photograph(draw_slip(2), "pale", 2, size=SIZE, tilt=tilt, share=0.6)
    box = find_paper(photo.image.convert("L"))
    assert box is not None
    (x0, y0), (x1, y1) = photo.corners.min(axis=0), photo.corners.max(axis=0)
    assert box.x <= x0 and box.y <= y0 and box.right >= x1 and box.bottom >= y1
    assert box.w * box.h < 1.3 * (x1 - x0) * (y1 - y0)


@pytest.mark.parametrize("tilt", [0.0, 4.0])
def test_a_small_slip_on_a_checked_cloth_is_cropped_to(tilt: float) -> None:
    # The cloth's light squares join the paper at one threshold; read whole,
    # the slip's characters would be measured on the checks.
    photo = photograph(draw_slip(5), "checked", 5, size=SIZE, tilt=tilt, share=0.3)
    box = find_paper(photo.image.convert("L"))
    assert box is not None
    (x0, y0), (x1, y1) = photo.corners.min(axis=0), photo.corners.max(axis=0)
    assert box.x <= x0 + 4 and box.y <= y0 + 4 and box.right >= x1 - 4 and box.bottom >= y1 - 4
    assert box.w * box.h < 1.5 * (x1 - x0) * (y1 - y0)


def test_even_light_keeps_a_clean_slip_clean_beside_a_dark_binder_and_under_a_reflection() -> None:
    photo = photograph(draw_slip(3), "binder", 3, size=SIZE, reflection=110, rings=True)
    gray = photo.image.convert("L")
    # An outline a little too large: a strip of black binder along each side.
    centre = photo.corners.mean(axis=0)
    flat, _ = flattened(gray, centre + 1.04 * (photo.corners - centre))
    out = np.asarray(even_light(flat)).astype(float)
    h, w = out.shape
    paper = out[int(0.1 * h):int(0.9 * h), int(0.1 * w):int(0.9 * w)]
    ink = paper < 128
    assert 0.01 < ink.mean() < 0.15  # print, not speckle
    assert np.median(paper) > 220  # paper stays white under the reflection


@pytest.mark.parametrize("seed", [1, 2])
def test_a_page_on_a_monitor_is_cropped_to_the_screen_leaving_the_wall_out(seed: int) -> None:
    # The page and a pale wall are alike bright; the monitor's dark bezel frames the page.
    rng = np.random.RandomState(seed)
    photo = 195 + 4 * rng.normal(0, 1, (1050, 1400))
    x0, y0, x1, y1, bezel = 250, 150, 1150, 900, 28
    photo[y0:y1, x0:x1] = 22
    page = draw_slip(seed).image.convert("L").resize((x1 - x0 - 2 * bezel, y1 - y0 - 2 * bezel))
    photo[y0 + bezel : y1 - bezel, x0 + bezel : x1 - bezel] = 0.92 * np.asarray(page)
    box = find_paper(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)))
    assert box is not None
    assert box.x <= x0 and box.y <= y0 and box.right >= x1 and box.bottom >= y1
    assert box.w * box.h < 1.2 * (x1 - x0) * (y1 - y0)


def test_a_photo_under_a_rooms_light_is_evened_and_a_scan_is_left_as_it_is() -> None:
    slip = draw_slip(4).image.convert("L")
    scan = slip.point(lambda v: min(255, v + 8))  # a scanner's white paper
    assert even_room_light(scan) is scan
    # A grey slip, darker to one side: no one threshold fits it until evened.
    shade = np.linspace(0.72, 0.92, slip.width)[None, :]
    photo = Image.fromarray((np.asarray(slip) * shade).astype(np.uint8))
    paper = np.asarray(even_room_light(photo)).astype(float)
    blank = np.asarray(slip) > 200
    q = slip.width // 4
    left, right = np.median(paper[:, :q][blank[:, :q]]), np.median(paper[:, -q:][blank[:, -q:]])
    assert abs(left - right) < 6 and min(left, right) > 220


def test_a_thumbnail_is_too_small_and_says_to_send_the_original() -> None:
    for size in [(200, 260), (150, 195), (300, 390)]:
        q = measure(thumbnail(draw_slip(20), size))
        problem = next(p for p in q.problems if p.id == "too_small")
        assert "元の写真" in problem.message.ja and "original photo" in problem.message.en
        assert "thumbnail" in problem.message.en and "サムネイル" in problem.message.ja
        assert not {"too_far", "blurred"} & {p.id for p in q.problems}


def test_a_scan_and_a_photo_of_normal_size_are_not_too_small() -> None:
    scan = draw_slip(20).image  # 640 px wide, characters 22 px, as a till slip scanned at 200 dpi
    assert "too_small" not in {p.id for p in measure(scan).problems}
    photo = photograph(draw_slip(20), "wood", 20, size=SIZE).image
    assert "too_small" not in {p.id for p in measure(photo).problems}


# -- read with the real Tesseract ---------------------------------------------------------------------


def _read(tmp_path, image: Image.Image, name: str):  # type: ignore[no-untyped-def]
    from receipt_assistant.core.api import CheckOptions, check_files

    path = tmp_path / f"{name}.jpg"
    image.save(path, quality=92)
    return check_files([path], options=CheckOptions(reference=dt.date(2026, 1, 1)))


@pytest.mark.tesseract
@pytest.mark.parametrize("case", ["streak", "rim", "fill", "pale"])
def test_slips_on_a_binder_and_filling_the_frame_are_read(tmp_path, case: str) -> None:  # type: ignore[no-untyped-def]
    slip = draw_slip(1)
    if case == "fill":
        photo = photograph(slip, "fill", 1, size=SIZE, tilt=4).image
    elif case == "pale":
        slip = draw_slip(2)
        photo = photograph(slip, "pale", 2, size=SIZE, tilt=3, share=0.6).image
    else:
        surface, kw = CASES[case]
        photo = photograph(slip, surface, 1, size=SIZE, **kw).image
    reading = _read(tmp_path, photo, case)
    assert reading.fields.date.value == slip.date
    assert reading.fields.amount.value == slip.amount
    assert reading.fields.gift_card.value


@pytest.mark.tesseract
def test_a_thumbnail_gets_a_retake_that_says_the_photo_is_too_small(tmp_path) -> None:  # type: ignore[no-untyped-def]
    reading = _read(tmp_path, thumbnail(draw_slip(20)), "thumb")
    assert "too_small" in [p.id for p in reading.quality.retake]
    assert reading.quality.verdict == "poor"


@pytest.mark.parametrize("surface", ["binder", "wood"])
def test_a_long_slip_in_a_12_megapixel_photo_is_found(surface: str) -> None:
    slip = draw_slip(13, long=True)  # 2,706 px of print, enlarged to about 3,100 px in the photo
    photo = photograph(slip, surface, 13, size=(2252, 4000), share=0.78, reflection=80 if surface == "binder" else 0,
                       tilt=6 if surface == "wood" else 0)
    corners = find_sheet(photo.image.convert("L"))
    assert corners is not None and _error(corners, photo.corners) < 0.02


def test_a_long_slip_on_a_black_binder_in_a_12_megapixel_photo_is_measured_right() -> None:
    slip = draw_slip(13, long=True)
    q = measure(photograph(slip, "binder", 13, size=(2252, 4000), share=0.78, reflection=80).image)
    assert q.char_height_px is not None and 18 < q.char_height_px < 34  # about 25 px of print
    assert not q.problems


def _sheet_in_generated_photo(tmp_path: Path, seed: int, index: int, surface: str) -> tuple[Image.Image, np.ndarray]:
    """A photo of the generator's development set, and the sheet's corners found in it."""
    from receipt_assistant.synth import batch

    path, truth = batch.make(batch.plan(seed, 100, categories=("photo",))[index], tmp_path)
    assert surface in truth.notes
    image = Image.open(path)
    corners = sheet_in_photo(image)
    assert corners is not None
    return image, corners


def test_a_slip_as_light_as_its_wooden_table_is_found_in_colour(tmp_path: Path) -> None:
    # An orange table's grain is nearly as light as the slip in gray, so the
    # two merge there; in colour the table is orange and the slip white.
    image, corners = _sheet_in_generated_photo(tmp_path, 8, 38, "on wood")
    share = cv2.contourArea(corners.astype(np.float32)) / (image.width * image.height)
    assert 0.35 < share < 0.65  # the slip, not the table


def test_a_slip_half_in_a_hands_shadow_is_found_whole(tmp_path: Path) -> None:
    # On a pale table the slip's lit half alone separates from its
    # surroundings as well as the whole slip does; flattened along that
    # half, the date and every label on the shaded side were cut off.
    _, corners = _sheet_in_generated_photo(tmp_path, 33, 23, "on solid")
    (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
    # The slip spans about x 110-1500 and y 280-1890 of this 1536 x 2048 photo.
    assert x0 < 250 and y0 < 400 and x1 > 1400 and y1 > 1800


@pytest.mark.parametrize(("seed", "index", "span"), [
    (40, 59, ((77, 67), (1168, 1461))),  # checks about 16 px across in a 1200 x 1600 photo
    (17, 1, ((282, 294), (1127, 1506))),  # finer checks, the slip square to the frame
])
def test_a_slip_on_a_checked_cloth_is_found_past_the_checks(tmp_path: Path, seed: int, index: int,
                                                            span: tuple[tuple[int, int], tuple[int, int]]) -> None:
    # No fixed smoothing evens out every cloth's checks: the slip's outline
    # is found by averaging over exactly one repeat of the cloth's pattern.
    _, corners = _sheet_in_generated_photo(tmp_path, seed, index, "on fabric")
    (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
    assert np.abs(np.array([x0, y0, x1, y1]) - np.array([*span[0], *span[1]])).max() < 40


def test_a_checked_cloths_repeat_is_measured_along_the_frame() -> None:
    from receipt_assistant.core.sheet import _pattern_period

    yy, xx = np.mgrid[0:600, 0:450]
    for check in (5, 8, 11):
        cloth = (150 + 50 * ((xx // check + yy // check) % 2)).astype(np.uint8)
        assert _pattern_period(cloth) == 2 * check
    plain = np.full((600, 450), 160, np.uint8) + np.random.RandomState(1).randint(0, 6, (600, 450)).astype(np.uint8)
    assert _pattern_period(plain) is None
