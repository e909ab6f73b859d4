"""The sheet of paper in a photo: where it is, its corners, flattening it, evening its light.

Reading and measuring both need to know whether a photo shows a slip on a
darker table; this module answers that without reading any text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops

from receipt_assistant.core.model import Box

_COLOURED = 40  # grey levels between a pixel's brightest and darkest channel that make it coloured
_COLOURED_SHARE = 0.2  # of the frame coloured, below which the darkest channel is not looked at


def sheet_in_photo(image: Image.Image, gray: Image.Image | None = None) -> np.ndarray | None:
    """:func:`find_sheet` on a photo in colour: in its gray, else in the darkest of its colour channels,
    else past a patterned table's repeat (:func:`_beyond_pattern`).

    Paper is white or grey, while what it lies on is often coloured (a wooden
    table, a cloth, a cutting mat): in plain gray an orange table is nearly as
    light as the slip and the two merge; in the darkest channel the colour
    goes dark and the paper stays light. ``gray``: the image in gray, when the
    caller has it already.
    """
    gray = gray if gray is not None else image.convert("L")
    regions = _bright_regions(gray)
    found = _sheet_among(gray, regions)
    if found is None and image.mode != "L":
        found = _sheet_in_colour(image)
    if found is None:
        small, arr, _, _ = regions
        quad = _beyond_pattern(arr)
        found = None if quad is None else quad * (gray.width / small.width)
    return found


def _sheet_in_colour(image: Image.Image) -> np.ndarray | None:
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    # The outline is looked for at about 600 px: a copy reduced to twice that loses nothing.
    factor = max(1, max(rgb.size) // 1200)
    r, g, b = (rgb.reduce(factor) if factor > 1 else rgb).split()
    darkest = ImageChops.darker(ImageChops.darker(r, g), b)
    # Only a coloured surround makes a difference (a screenshot's white page has none to speak of).
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b), darkest)
    if sum(spread.histogram()[_COLOURED + 1:]) < _COLOURED_SHARE * darkest.width * darkest.height:
        return None
    found = find_sheet(darkest)
    return None if found is None else found * factor


def _bright_regions(gray: Image.Image) -> tuple[Image.Image, np.ndarray, np.ndarray, Sequence[np.ndarray]]:
    """A small copy, its blurred pixels, the bright (paper) mask and its outlines."""
    import cv2

    small = gray.copy()
    small.thumbnail((600, 600))
    arr = cv2.GaussianBlur(np.asarray(small), (5, 5), 0)
    _, mask = cv2.threshold(arr, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return small, arr, mask, contours


@dataclass
class Paper:
    """The sheet's outline in a small copy of a photo, for judging how it was framed."""

    mask: np.ndarray  # bool, True on the paper, in the small copy's pixels
    share: float  # of the frame covered by the paper
    separation: float  # mean gray of the paper minus that of its surround
    touches: dict[str, float]  # per frame side: share of the paper's extent lying on that edge
    corners: np.ndarray | None  # as find_sheet, in the small copy's pixels


# A sheet must be this much brighter than its surround to be told apart from
# it, for cropping and flattening as for judging how it was framed (at 30 a
# light patterned table merged with the slip and was taken for a cut-off one).
_MIN_SEPARATION = 40.0
_MIN_SOLIDITY = 0.8
_EDGE_DEPTH = 4  # pixels of the small copy that count as the frame's edge


def paper_outline(small: np.ndarray) -> Paper | None:
    """The brightest large region of ``small`` (2-D uint8, about 600 px), if it stands out as paper.

    Unlike find_sheet this also answers for a slip that runs off the frame or
    fills only a corner of it, which is exactly what the quality advice needs.
    On a light table unevenly lit, one threshold splits the table into its lit
    and shaded parts; the brighter part is then split again to find the paper.
    """
    found = _paper_region(small)
    if found is not None:
        found.corners = find_sheet(Image.fromarray(small))
    return found


def _paper_region(small: np.ndarray) -> Paper | None:
    """:func:`paper_outline` without the corners: the region alone."""
    import cv2

    arr = cv2.GaussianBlur(small, (5, 5), 0)
    level, _ = cv2.threshold(arr, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    found = _outline_at(arr, level)
    if found is None or sum(v >= 0.5 for v in found.touches.values()) > 2:
        upper = arr[arr > level]
        if upper.size >= 0.005 * arr.size:
            higher, _ = cv2.threshold(upper.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            found = _outline_at(arr, higher) or found
    return found


def _outline_at(arr: np.ndarray, level: float) -> Paper | None:
    import cv2

    mask = ((arr > level) * 255).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8))
    if n < 2:
        return None
    paper = labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if paper.all():
        return None
    separation = float(arr[paper].mean()) - float(arr[~paper].mean())
    if separation < _MIN_SEPARATION:
        return None
    # A sheet is convex even when curled; a region that merged with a light
    # part of the table or its pattern is not.
    contours, _ = cv2.findContours(paper.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.contourArea(cv2.convexHull(max(contours, key=cv2.contourArea)))
    if paper.sum() < _MIN_SOLIDITY * hull:
        return None
    ys, xs = np.nonzero(paper)
    w, h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    # The outermost rows and columns, a few pixels deep: a lens darkens the
    # very edge of a photo, which can push the paper's last pixel row under
    # the threshold.
    d = _EDGE_DEPTH
    touches = {"top": paper[:d].any(axis=0).sum() / w, "bottom": paper[-d:].any(axis=0).sum() / w,
               "left": paper[:, :d].any(axis=1).sum() / h, "right": paper[:, -d:].any(axis=1).sum() / h}
    return Paper(paper, float(paper.mean()), separation, {k: float(v) for k, v in touches.items()}, None)


# A slip alone in a large photo covers this much of the frame at least: its
# characters are then still about 13 px on a 4000 px photo.
_MIN_SMALL_SHARE = 0.03


def find_paper(gray: Image.Image) -> Box | None:
    """The bright sheet of paper in a photo, when the background is darker.

    Tesseract binarizes the whole page with one threshold, so a dark table
    around a slip drags the threshold down and loses text; cropping to the
    paper avoids that. Returns None when no clear sheet stands out (a
    screenshot, a scan), so those are read whole.
    """
    import cv2

    small, arr, mask, contours = _bright_regions(gray)
    f = gray.width / small.width
    if not contours:
        return None
    biggest = max(contours, key=cv2.contourArea)
    x, y, w, h = cv2.boundingRect(biggest)
    area = w * h / (small.width * small.height)
    inside = float(arr[mask > 0].mean()) if (mask > 0).any() else 0.0
    outside = float(arr[mask == 0].mean()) if (mask == 0).any() else 255.0
    if not 0.08 <= area <= 0.85 or inside - outside < _MIN_SEPARATION:
        quad = _outlined(arr, mask, contours)
        rect = cv2.boundingRect(quad.astype(np.int32)) if quad is not None else _small_paper(small)
        if rect is None:
            return None
        x, y, w, h = rect
    pad = 0.03 * max(w, h)
    x0, y0 = max(0.0, x - pad), max(0.0, y - pad)
    x1, y1 = min(small.width, x + w + pad), min(small.height, y + h + pad)
    return Box(int(x0 * f), int(y0 * f), int((x1 - x0) * f), int((y1 - y0) * f))


def _small_paper(small: Image.Image) -> tuple[int, int, int, int] | None:
    """The box (x, y, w, h) of a small slip alone on a patterned cloth, in the small copy's pixels.

    The cloth's light squares join the paper at one threshold; the brighter
    part split again leaves the paper alone, as the framing advice finds it.
    """
    paper = _paper_region(np.asarray(small))
    if paper is None or not _MIN_SMALL_SHARE <= paper.share <= 0.85 or any(paper.touches.values()):
        return None
    ys, xs = np.nonzero(paper.mask)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def _outlined(arr: np.ndarray, mask: np.ndarray, contours: Sequence[np.ndarray]) -> np.ndarray | None:
    """Corners of an outline that looks enough like paper to crop to, though not to flatten along.

    On a pale table the paper is too little brighter than the table for the
    bright region to count as a sheet, and its outline parts the two along
    too little of its length to flatten by; yet the bright region's hull, or
    the largest outline among the edges, still frames the slip. An outline
    dark all along its inner side is a frame around the page (a monitor's
    bezel on a pale wall): cropping to it leaves the wall out.
    """
    import cv2

    def outlines() -> Iterator[Sequence[np.ndarray]]:
        yield contours
        edges = cv2.dilate(cv2.Canny(arr, 10, 30), np.ones((3, 3), np.uint8))  # only when the region did not do
        yield cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]

    for found in outlines():
        if not found:
            continue
        quad = _quad(cv2.convexHull(max(found, key=lambda c: cv2.contourArea(cv2.convexHull(c)))), arr.shape)
        m = None if quad is None else outline_measures(arr, quad)
        if m is not None and _sheet_shaped(m) \
                and (float(np.mean(m.sides)) >= _MIN_CROP_SEPARATED or max(m.sides) <= _DARK_FRAME):
            return quad
    return None


def find_sheet(gray: Image.Image) -> np.ndarray | None:
    """The four corners of a sheet of paper photographed on a darker table, or None.

    Clockwise from top-left, in the image's pixels. Torn or zigzag edges are
    smoothed by the convex hull; a sheet cut off by the frame, or a page with
    no darker surround (a screenshot, a scan, a slip filling the frame), gives None.

    The sheet is first looked for as the bright region (one threshold for the
    whole photo); on a glossy black binder a lamp's reflection or the binder's
    lighter rim can pass that threshold too and join the slip, so the brighter
    part is then thresholded again on its own. A white slip on a pale grey
    table, or a table lit unevenly (a lamp's gradient, glare), has no
    threshold that parts the two; then the sheet is a region the paper's
    outline encloses (:func:`_edge_sheet`). Every outline must pass
    :func:`plausible_sheet`: flattening along a wrong one shears the print
    into noise, while the crop-and-straighten path reads an unflattened slip well.
    """
    return _sheet_among(gray, _bright_regions(gray))


def _sheet_among(gray: Image.Image, regions: tuple[Image.Image, np.ndarray, np.ndarray, Sequence[np.ndarray]],
                 ) -> np.ndarray | None:
    """:func:`find_sheet` with the bright regions measured already (a caller reuses them)."""
    small, arr, mask, contours = regions
    f = gray.width / small.width
    plausible: list[tuple[float, float, np.ndarray]] = []  # how well it separates, its share of the frame, corners
    for quad in _candidates(arr, mask, contours):
        m = None if quad is None else outline_measures(arr, quad)
        if m is not None and _plausible(m):
            plausible.append((min(m.sides) + float(np.mean(m.sides)), m.share, quad))
    if not plausible:
        return None
    _, share, best = max(plausible, key=lambda found: found[0])
    # The brighter part of an unevenly lit slip can pass too, and on a pale
    # table its cut through the paper may separate as well as the sheet's
    # own outline does; a plausible outline around it is the whole sheet.
    around = [(s, quad) for _, s, quad in plausible if s > 1.2 * share and _encloses(quad, best)]
    if around:
        best = max(around, key=lambda found: found[0])[1]
    return best * f


def _encloses(outer: np.ndarray, inner: np.ndarray) -> bool:
    """Every corner of ``inner`` lies inside ``outer`` (or within a few pixels of it)."""
    import cv2

    contour = outer.astype(np.float32).reshape(-1, 1, 2)
    return all(cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -3 for x, y in inner)


def _candidates(arr: np.ndarray, mask: np.ndarray, contours: Sequence[np.ndarray]) -> Iterator[np.ndarray | None]:
    """Outlines that may be the sheet's: the bright region, its brighter part, enclosed regions."""
    import cv2

    if contours:
        hull = cv2.convexHull(max(contours, key=cv2.contourArea))
        area = cv2.contourArea(hull) / arr.size
        inside = float(arr[mask > 0].mean())
        outside = float(arr[mask == 0].mean()) if (mask == 0).any() else 255.0
        if 0.08 <= area <= 0.85 and inside - outside >= _MIN_SEPARATION:
            yield _quad(hull, arr.shape)
    yield _brighter_part(arr)
    yield _edge_sheet(arr)
    if _textured_surround(arr):
        # A patterned table (checked cloth, woodgrain): its light parts merge
        # with the paper under any one threshold and its pattern is edges
        # everywhere. Smoothed wider than the pattern, it is an even grey
        # around an even sheet, whose outline is then the only edge left.
        for period in (30, 18):
            # Its outline comes out broken where the paper is barely lighter
            # than the cloth's average: wider walls close the gaps.
            yield _edge_sheet(_untextured(arr, min(arr.shape) // period), low=5, high=15, close=7)


def _beyond_pattern(arr: np.ndarray) -> np.ndarray | None:
    """The sheet on a patterned table no fixed smoothing parted it from, or None.

    Averaged over exactly one repeat of its pattern (a checked cloth's pair
    of checks), the table is an even grey whatever the pattern's size, and
    the sheet's outline the only edge left; the outline is judged on that
    even copy too, where a light check beside the slip no longer passes for paper.
    """
    import cv2

    period = _pattern_period(arr) if _textured_surround(arr) else None
    if period is None:
        return None
    even = cv2.blur(cv2.morphologyEx(arr, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8)), (period, period))
    quad = _edge_sheet(even, low=5, high=15, close=7)
    m = None if quad is None else outline_measures(even, quad)
    return quad if m is not None and _plausible(m) else None


def _brighter_part(arr: np.ndarray) -> np.ndarray | None:
    """The sheet as the largest region above a second threshold, taken among the bright pixels only.

    A reflection on a glossy binder, or a grey binder on a darker desk, is
    brighter than the first threshold but darker than paper.
    """
    import cv2

    level, _ = cv2.threshold(arr, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    upper = arr[arr > level]
    if upper.size < 0.05 * arr.size:
        return None
    higher, _ = cv2.threshold(upper.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = ((arr > higher) * 255).astype(np.uint8)
    # Narrower than the first pass's closing, so a reflection a few pixels
    # away stays apart; the hull still bridges the print.
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    if not 0.08 <= cv2.contourArea(hull) / arr.size <= 0.85:
        return None
    return _quad(hull, arr.shape)


# What a trustworthy outline of a sheet looks like in the small copy. Measured
# on 60 seeded photos of a slip on a black binder (tests/surfaces.py:
# reflections, rings, the binder's rim on a desk, tilt up to 10 degrees,
# perspective up to 15 %), on the 57 right and 21 wrong outlines the earlier
# single-threshold search and this one returned: on every right outline each
# side separated paper from surround along 56-100 % of its length (52 % on
# one of 80 of the generator's photos, an unevenly lit slip on a pale
# table); on every wrong one (a reflection or the binder's rim joined in, or
# the binder taken for the sheet) some side did so along 0-24 % (44 % on a
# reflection merged along one side). Corners of right outlines were 86-94
# degrees; the wider limits leave room for a steep angle, which only the
# quality advice judges.
_MIN_CORNER_DEG, _MAX_CORNER_DEG = 60.0, 120.0
# Short side over long side, either way up: a 58 mm slip 40 cm long is 0.15.
_MIN_ASPECT = 0.13
# Share of each side, and of the four on average, along which just inside is lighter than just outside.
_MIN_SIDE_SEPARATED = 0.5
_MIN_BORDER_SEPARATED = 0.75
# ...and on average, for cropping to the outline's box rather than flattening along it.
_MIN_CROP_SEPARATED = 0.5
# ...or at most this share of each side, where a dark frame (a bezel) lines the page.
_DARK_FRAME = 0.1
# Share of the inside, print closed away, at least a quarter of the way from
# the surround to paper: a loose guard (the generator's slips under uneven
# light measured 0.69-1.0, the binder taken for the sheet 0.59-0.64). Whether
# print is there is not judged: in the small copy a long slip's characters
# are 4 px and blurred away.
_MIN_PAPER_INSIDE = 0.6


def plausible_sheet(arr: np.ndarray, quad: np.ndarray) -> bool:
    """Whether four corners on ``arr`` (2-D uint8) outline a sheet of paper worth flattening along.

    A convex quadrilateral with corners near square (after perspective) and a
    sheet's proportions, covering a fair share of the frame; its inside paper
    (light once the print is closed away) and its border parting that paper
    from a darker surround along nearly all of its length.
    """
    m = outline_measures(arr, quad)
    return m is not None and _plausible(m)


def _sheet_shaped(m: OutlineMeasures) -> bool:
    """Corners, proportions, size and paper inside of a sheet, whatever its border shows."""
    return (
        _MIN_CORNER_DEG <= m.min_corner and m.max_corner <= _MAX_CORNER_DEG
        and m.aspect >= _MIN_ASPECT and 0.08 <= m.share <= 0.85
        and m.contrast >= _EDGE_CONTRAST and m.paper_inside >= _MIN_PAPER_INSIDE
    )


def _plausible(m: OutlineMeasures) -> bool:
    return _sheet_shaped(m) and min(m.sides) >= _MIN_SIDE_SEPARATED \
        and float(np.mean(m.sides)) >= _MIN_BORDER_SEPARATED


@dataclass
class OutlineMeasures:
    """What :func:`plausible_sheet` judges an outline by."""

    min_corner: float  # degrees
    max_corner: float
    aspect: float  # short side over long side
    share: float  # of the frame
    contrast: float  # paper level inside minus the surround's median
    paper_inside: float  # share of the inside (print closed away) lighter than halfway to the paper
    sides: list[float]  # per side: share of its length where just inside is lighter than just outside


def outline_measures(arr: np.ndarray, quad: np.ndarray) -> OutlineMeasures | None:
    """The measures of an outline, or None when it is no convex quadrilateral inside the frame."""
    import cv2

    q = np.asarray(quad, dtype=np.float64)
    if q.shape != (4, 2) or not cv2.isContourConvex(q.astype(np.float32).reshape(-1, 1, 2)):
        return None
    h, w = arr.shape[:2]
    area = float(cv2.contourArea(q.astype(np.float32)))
    corners = []
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / max(np.linalg.norm(u) * np.linalg.norm(v), 1e-9))
        corners.append(float(np.degrees(np.arccos(np.clip(cos, -1, 1)))))
    tl, tr, br, bl = q
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    aspect = float(min(width, height) / max(width, height, 1e-9))
    region = np.zeros(arr.shape[:2], np.uint8)
    cv2.fillConvexPoly(region, q.astype(np.int32), 255)
    band = max(3, int(0.03 * np.sqrt(area)))
    inner = cv2.erode(region, np.ones((band, band), np.uint8)) > 0
    ring = (cv2.dilate(region, np.ones((2 * band + 1, 2 * band + 1), np.uint8)) > 0) & ~(
        cv2.dilate(region, np.ones((band, band), np.uint8)) > 0)
    if not inner.any() or not ring.any():
        return None
    # Print closed away: bold double-size rows and logos are wider than 7 px here.
    k = max(7, (min(h, w) // 40) | 1)
    paperish = cv2.morphologyEx(arr, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    paper_level = float(np.percentile(paperish[inner], 75))
    surround = float(np.median(arr[ring]))
    contrast = paper_level - surround
    paper_inside = float((paperish[inner] > surround + contrast / 4).mean()) if contrast > 0 else 0.0
    # Along each side: just inside lighter than just outside.
    centre = q.mean(axis=0)
    step = 1.5 * max(2.0, band / 2)
    need = max(_EDGE_CONTRAST / 2, contrast / 4)
    sides = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        normal = np.array([b[1] - a[1], a[0] - b[0]]) / max(float(np.linalg.norm(b - a)), 1e-9)
        if np.dot(centre - (a + b) / 2, normal) < 0:
            normal = -normal  # inwards
        points = a + np.linspace(0.08, 0.92, 25)[:, None] * (b - a)
        pin = np.clip(np.rint(points + step * normal), 0, [w - 1, h - 1]).astype(int)
        pout = np.clip(np.rint(points - step * normal), 0, [w - 1, h - 1]).astype(int)
        diff = paperish[pin[:, 1], pin[:, 0]].astype(float) - arr[pout[:, 1], pout[:, 0]].astype(float)
        sides.append(float((diff >= need).mean()))
    return OutlineMeasures(min(corners), max(corners), aspect, area / (h * w), contrast, paper_inside, sides)


# Share of edge pixels in the frame's outer band above which the surround is a
# pattern rather than a plain table or a page's margin (screenshots stay under 0.08).
_TEXTURE_EDGES = 0.15


def _textured_surround(arr: np.ndarray) -> bool:
    """The band along the photo's frame is covered in edges: a patterned surface."""
    import cv2

    edges = cv2.Canny(arr, 10, 30) > 0
    h, w = edges.shape
    b = max(4, int(0.08 * min(h, w)))
    band = np.ones_like(edges)
    band[b:-b, b:-b] = False
    return float(edges[band].mean()) >= _TEXTURE_EDGES


# A surround's pattern repeats this strongly (autocorrelation at its period) or it is no pattern.
_PATTERN_REPEAT = 0.5
_LONGEST_PERIOD = 0.15  # of the small copy's shorter side


def _pattern_period(arr: np.ndarray) -> int | None:
    """The pixels after which the surround's pattern repeats (a checked cloth's pair of checks), or None.

    Read from the rows and columns along the frame, where the table shows:
    their autocorrelation, averaged, peaks first at the pattern's period.
    """
    h, w = arr.shape
    b = max(4, int(0.08 * min(h, w)))
    longest = max(4, int(_LONGEST_PERIOD * min(h, w)))
    lines = [arr[r, :] for r in (*range(b), *range(h - b, h))] + [arr[:, c] for c in (*range(b), *range(w - b, w))]
    total = np.zeros(longest + 2)
    for line in lines:
        p = line.astype(np.float64) - line.mean()
        energy = float(np.dot(p, p))
        if energy <= 0:
            continue
        n = len(p)
        total += [float(np.dot(p[: n - lag], p[lag:])) * n / ((n - lag) * energy) for lag in range(longest + 2)]
    ac = total / len(lines)
    for lag in range(3, longest + 1):
        if ac[lag] >= _PATTERN_REPEAT and ac[lag] > ac[lag - 1] and ac[lag] >= ac[lag + 1]:
            return lag
    return None


def _untextured(arr: np.ndarray, size: int) -> np.ndarray:
    """The small copy with print closed away, then averaged over ``size`` pixels (a pattern's period)."""
    import cv2

    k = max(9, size | 1)
    closed = cv2.morphologyEx(arr, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    return cv2.blur(closed, (k, k))


def _quad(hull: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """The hull as four corners (top-left, top-right, bottom-right, bottom-left), or None.

    None when the hull is no quadrilateral or touches the frame: a sheet
    running off the photo has no known corners.
    """
    import cv2

    quad = None
    for eps in (0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            break
    if quad is None:
        return None
    h, w = shape[:2]
    margin = 2
    if (quad[:, 0] <= margin).any() or (quad[:, 1] <= margin).any() or (quad[:, 0] >= w - 1 - margin).any() \
            or (quad[:, 1] >= h - 1 - margin).any():
        return None  # the sheet runs off the photo: its true corners are not known
    s_, d = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    ordered = np.array([quad[np.argmin(s_)], quad[np.argmin(d)], quad[np.argmax(s_)], quad[np.argmax(d)]])
    if len({tuple(p) for p in ordered}) != 4:
        return None
    return ordered


# A sheet found by its outline must still be paper on a darker table: this
# much brighter than a band just outside it (a box drawn on a white page is not).
_EDGE_CONTRAST = 10.0


def _edge_sheet(arr: np.ndarray, *, low: int = 10, high: int = 30, close: int = 3) -> np.ndarray | None:
    """The corners of the largest region closed off by edges from the photo's border, or None.

    Canny edges (low thresholds: a white slip on a pale table differs by a
    dozen grey levels) are walls; everything reachable from the border
    without crossing one is table. What is left, when it is one solid
    quadrilateral of sheet size and brighter than the table just around it,
    is the sheet.
    """
    import cv2

    edges = cv2.dilate(cv2.Canny(arr, low, high), np.ones((close, close), np.uint8))
    n, labels = cv2.connectedComponents((edges == 0).astype(np.uint8), connectivity=4)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    enclosed = (~np.isin(labels, border[border > 0])).astype(np.uint8) * 255
    enclosed = cv2.morphologyEx(enclosed, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(enclosed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    biggest = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(biggest)
    hull_area = cv2.contourArea(hull)
    if not 0.08 <= hull_area / arr.size <= 0.85 or cv2.contourArea(biggest) < 0.9 * hull_area:
        return None  # a textured table: edges everywhere, no one solid region
    quad = _quad(hull, arr.shape)
    if quad is None or cv2.contourArea(quad.astype(np.float32)) < 0.9 * hull_area:
        return None
    region = np.zeros_like(arr)
    cv2.fillConvexPoly(region, quad.astype(np.int32), 255)
    band = max(3, int(0.03 * np.sqrt(hull_area)))
    inner = cv2.erode(region, np.ones((band, band), np.uint8))
    ring = cv2.dilate(region, np.ones((2 * band + 1, 2 * band + 1), np.uint8)) - cv2.dilate(
        region, np.ones((band, band), np.uint8))
    if not (inner > 0).any() or not (ring > 0).any():
        return None
    if float(np.median(arr[inner > 0])) - float(np.median(arr[ring > 0])) < _EDGE_CONTRAST:
        return None
    return quad


def flattened(gray: Image.Image, corners: np.ndarray) -> tuple[Image.Image, np.ndarray]:
    """The sheet inside ``corners`` as an upright rectangle, and the 3×3 map back onto ``gray``."""
    import cv2

    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(np.asarray(gray), m, (width, height), flags=cv2.INTER_LINEAR,
                               borderValue=255)
    return Image.fromarray(flat), np.linalg.inv(m)


def _light(arr: np.ndarray) -> np.ndarray:
    """The light falling on the paper: a closing wider than a stroke, blurred."""
    import cv2

    k = max(15, (min(arr.shape) // 40) | 1)
    light = cv2.morphologyEx(arr, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    if k < 31:
        return cv2.GaussianBlur(light, (0, 0), k / 2)
    # The blur is wide and its result smooth: blurred at a quarter of the
    # size and enlarged back it differs by a grey level at most on 99 pixels
    # in 100 (5 at worst), in a tenth of the time (0.2-0.45 s on a 12 MP photo).
    h, w = light.shape
    small = cv2.resize(light, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), k / 8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def even_light(gray: Image.Image) -> Image.Image:
    """The sheet divided by its own lighting."""
    import cv2

    arr = np.asarray(gray)
    return Image.fromarray(cv2.divide(arr, _light(arr), scale=235))


# A scanner lights paper white and evenly: the light on the middle of 40
# scans' paper was 247-255, on 23 photos' paper under a room's lamp 175-228.
_SCANNER_WHITE = 240


def even_room_light(gray: Image.Image) -> Image.Image:
    """A photographed page with its lighting evened out; a scan, already evenly lit, as it is.

    A page with no outline to flatten along (cropped, or filling the frame)
    is lit by the room: grey, shaded and brighter on one side, which no one
    threshold reads. A scan's paper is white already, and dividing it by its
    light only thins its faint print.
    """
    import cv2

    arr = np.asarray(gray)
    light = _light(arr)
    h, w = light.shape
    if float(np.median(light[h // 10 : 9 * h // 10, w // 10 : 9 * w // 10])) >= _SCANNER_WHITE:
        return gray
    return Image.fromarray(cv2.divide(arr, light, scale=235))
