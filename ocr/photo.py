"""Phone photos of a page: find the sheet on the desk, flatten it, and take the glare off.

A photographed page is a bright quadrilateral on a darker background (desk, cloth, a lap),
seen in perspective and under uneven light. A scan or a rendered page is paper to its edges
(or paper beside an axis-parallel dark band of the scanner bed) and is never flattened.
"""

from __future__ import annotations

from itertools import combinations

import cv2
import numpy as np
from PIL import Image

A4_WIDTH_INCHES = 210 / 25.4
A4_ASPECT = 297 / 210
# Administrative papers are A4 or A5 (both 1:1.414); perspective and a slanted view distort the
# measured side ratio by up to about a fifth, so a ratio this close is taken as exactly A4.
A4_TOLERANCE = 0.25
# The sheet is found on a copy this long; sub-pixel line fits make up for the reduction.
FIND_LONG_SIDE = 1024
# On a photo the sheet leaves background round it. On a scan with a dark bed border paper still
# covers 88% or more of the image; the axis rule below turns away the rest of those.
MAX_PAGE_SHARE = 0.9
MIN_PAGE_SHARE = 0.15
MIN_SIDE = 64  # pixels of the small copy: anything smaller is no photo of a page
# Width of the widest finger-like object over an edge, as a share of the photo's shorter side
# (a fingertip is about 1.6 cm: 6% of a frame holding an A4 page).
FINGER_SHARE = 0.08
MAX_CANDIDATES = 16
# The bright region must fill its quadrilateral: a finger over an edge takes a bite, text does not.
MIN_FILL = 0.85
# Paper must stand out from the desk (grey levels, medians of either side).
MIN_CONTRAST = 35
# A quadrilateral whose sides all run within this of the image axes is a scanner's crop, not a
# photo's perspective, unless the file says it comes from a camera.
AXIS_DEGREES = 1.5
# A corner this close to the image's edge (share of its long side) lies on the frame.
FRAME_MARGIN = 0.01
# Share of the width cut off each side of a flattened sheet (about 1.3 mm of A4's margin).
EDGE_TRIM = 0.006
# Glare: where the paper is this much brighter than the page's usual paper.
GLARE_MARGIN = 20
GLARE_MIN_SHARE = 0.002


def find_page_corners(grey: np.ndarray, from_camera: bool = False) -> np.ndarray | None:
    """The sheet's corners (top left, top right, bottom right, bottom left; pixels of `grey`)
    when `grey` is a photo of a page on a background, else None."""
    factor = min(1.0, FIND_LONG_SIDE / max(grey.shape))
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else grey
    corners = find_sheet(small, from_camera)
    return None if corners is None else corners / factor


def find_sheet(grey: np.ndarray, from_camera: bool = False) -> np.ndarray | None:
    """Corners of the bright sheet in a grey image (see find_page_corners), or None."""
    height, width = grey.shape
    if min(height, width) < MIN_SIDE:
        return None
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Thin bright bits of the background (wood grain, a cable) must not join the sheet.
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / (height * width)
    if not MIN_PAGE_SHARE <= share <= MAX_PAGE_SHARE:
        return None
    # A finger or a pen lying across an edge is narrower than this: opening the sheet with a disc
    # this wide takes it off and only rounds the corners, which the side fits below restore.
    # The print inside is filled in first, or the disc would eat into the margins beside it.
    # The opening runs on a quarter-size copy (a 50-px disc costs 45 ms at full size); the edge
    # it leaves is then the sheet's own wherever the sheet is kept.
    sheet = cv2.drawContours(np.zeros_like(bright), [outline], -1, 255, cv2.FILLED)
    coarse = cv2.resize(sheet, (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    size = int(FINGER_SHARE * min(height, width) / 4) | 1
    coarse = cv2.morphologyEx(coarse, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    kept = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_NEAREST)
    core = cv2.bitwise_and(sheet, cv2.threshold(kept, 127, 255, cv2.THRESH_BINARY)[1])
    contours, _ = cv2.findContours(core, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(outline)
    if len(hull) < 4:
        return None
    corners = largest_quadrilateral(hull.reshape(-1, 2).astype(np.float64))
    quad_area = cv2.contourArea(corners.astype(np.float32))
    if quad_area <= 0 or quad_area / (height * width) > MAX_PAGE_SHARE:
        return None
    if cv2.contourArea(outline) / quad_area < MIN_FILL:
        return None
    corners = refine_corners(outline.reshape(-1, 2).astype(np.float64), corners)
    if not from_camera and (is_axis_parallel(corners) or has_side_on_frame(corners, width, height)):
        return None
    inside = np.zeros_like(grey)
    cv2.fillConvexPoly(inside, corners.round().astype(np.int32), 255)
    grey, inside = grey[::2, ::2], inside[::2, ::2] > 0  # every fourth pixel is plenty for two medians
    if np.median(grey[inside]) - np.median(grey[~inside]) < MIN_CONTRAST:
        return None
    return corners


def largest_quadrilateral(points: np.ndarray) -> np.ndarray:
    """The four hull points spanning the largest area, in order round the hull.

    A finger or a pen over an edge adds a bump to the hull; the page's own corners still span
    the most area.
    """
    contour = points.astype(np.float32).reshape(-1, 1, 2)
    perimeter = cv2.arcLength(contour, True)
    candidates = points
    # Few enough points that trying every four of them stays cheap (16 points: 1,820 sets).
    for tolerance in (0.01, 0.02, 0.04, 0.08):
        simplified = cv2.approxPolyDP(contour, tolerance * perimeter, True).reshape(-1, 2).astype(np.float64)
        if len(simplified) < 4:
            break
        candidates = simplified
        if len(candidates) <= MAX_CANDIDATES:
            break
    best, best_area = None, -1.0
    for chosen in combinations(range(len(candidates)), 4):
        area = polygon_area(candidates[list(chosen)])
        if area > best_area:
            best, best_area = candidates[list(chosen)], area
    return order_corners(np.asarray(best, dtype=np.float64))


def polygon_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def order_corners(points: np.ndarray) -> np.ndarray:
    """Top left, top right, bottom right, bottom left: clockwise round the centre (y runs down),
    from the corner nearest the image's top left."""
    centre = points.mean(axis=0)
    clockwise = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    return np.roll(clockwise, -int(np.argmin(clockwise.sum(axis=1))), axis=0)


def refine_corners(outline: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Corners where lines fitted to the outline's four sides meet.

    Hull corners are rounded by the blur and cut by anything lying over them; a robust line fit
    to the middle of each side is not. A side without enough outline points keeps its hull corners.
    """
    lines = []
    for index in range(4):
        start, end = corners[index], corners[(index + 1) % 4]
        side = side_points(outline, start, end)
        if len(side) < 10:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(side.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], dtype=np.float64), np.array([vx, vy], dtype=np.float64)))
    refined = []
    for index in range(4):
        point = intersect(lines[index - 1], lines[index])
        # A near-parallel pair of lines meets far away: keep the hull's corner then.
        if point is None or np.hypot(*(point - corners[index])) > 0.05 * np.ptp(corners[:, 0]) + 5:
            return corners
        refined.append(point)
    return np.array(refined)


def side_points(outline: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Outline points near the segment start-end, away from its ends."""
    direction = end - start
    length = float(np.hypot(*direction))
    if length == 0:
        return outline[:0]
    unit = direction / length
    relative = outline - start
    along = relative @ unit
    across = np.abs(relative @ np.array([-unit[1], unit[0]]))
    near = (along > 0.1 * length) & (along < 0.9 * length) & (across < max(3.0, 0.02 * length))
    return outline[near]


def intersect(first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    (p, r), (q, s) = first, second
    cross = r[0] * s[1] - r[1] * s[0]
    if abs(cross) < 1e-6:
        return None
    t = ((q - p)[0] * s[1] - (q - p)[1] * s[0]) / cross
    return p + t * r


def has_side_on_frame(corners: np.ndarray, width: int, height: int) -> bool:
    """Whether a side runs along the image's edge: then the frame, not a desk, bounds the bright
    region (part of an unevenly lit page looks like a sheet cut off by the frame)."""
    margin = FRAME_MARGIN * max(width, height)
    for index in range(4):
        ends = np.array([corners[index], corners[(index + 1) % 4]])
        if (ends[:, 0] <= margin).all() or (ends[:, 0] >= width - 1 - margin).all():
            return True
        if (ends[:, 1] <= margin).all() or (ends[:, 1] >= height - 1 - margin).all():
            return True
    return False


def is_axis_parallel(corners: np.ndarray) -> bool:
    for index in range(4):
        dx, dy = corners[(index + 1) % 4] - corners[index]
        angle = np.degrees(np.arctan2(abs(dy), abs(dx)))
        if min(angle, 90 - angle) > AXIS_DEGREES:
            return False
    return True


def has_camera_tag(image: Image.Image) -> bool:
    """The file names a camera (EXIF Make or Model): a hint, scanners rarely write these."""
    try:
        exif = image.getexif()
    except (AttributeError, OSError, ValueError):
        return False
    return bool(exif.get(0x010F) or exif.get(0x0110))


def flatten_page(image: Image.Image, corners: np.ndarray) -> tuple[Image.Image, int]:
    """The sheet cut out and seen straight on, and its dpi taken from A4's width.

    The output keeps the photo's own resolution along the sheet's longer top or bottom side;
    a side ratio near A4's is made exactly A4.
    """
    top, bottom = (float(np.hypot(*(corners[b] - corners[a]))) for a, b in ((0, 1), (3, 2)))
    left, right = (float(np.hypot(*(corners[b] - corners[a]))) for a, b in ((0, 3), (1, 2)))
    width = max(top, bottom)
    aspect = max(left, right) / width
    if abs(aspect / A4_ASPECT - 1) <= A4_TOLERANCE:
        aspect = A4_ASPECT
    elif abs(aspect * A4_ASPECT - 1) <= A4_TOLERANCE:  # landscape
        aspect = 1 / A4_ASPECT
    out_width = int(round(width))
    out_height = int(round(width * aspect))
    # The sheet's very edge goes just outside the output: a sliver of desk along a side would
    # read as a ruled line and mislead the orientation and skew measures.
    margin = EDGE_TRIM * out_width
    target = np.array([[-margin, -margin], [out_width - 1 + margin, -margin],
                       [out_width - 1 + margin, out_height - 1 + margin], [-margin, out_height - 1 + margin]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(np.asarray(image), matrix, (out_width, out_height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    short_side = min(out_width, out_height)
    return Image.fromarray(flat), max(1, int(round(short_side / A4_WIDTH_INCHES)))


def remove_glare(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, bool]:
    """Where light glares off the paper, stretch the washed-out print back to its contrast.

    Glare adds light: paper p and print i both move a share a of the way to white. With the
    page's usual paper level P and the local one p', a = (p' - P) / (255 - P), and the original
    is (v - 255a) / (1 - a). Returns the copy and whether any glare was found.
    """
    scale = 8
    small = cv2.resize(grey, (max(1, grey.shape[1] // scale), max(1, grey.shape[0] // scale)),
                       interpolation=cv2.INTER_AREA)
    size = max(3, int(dpi / scale / 10) | 1)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = cv2.medianBlur(paper, 5).astype(np.float32)
    usual = float(np.median(paper))
    glare = paper > usual + GLARE_MARGIN
    if usual >= 245 or np.mean(glare) < GLARE_MIN_SHARE:
        return grey, False
    share = np.clip((paper - usual) / (255 - usual), 0, 0.9) * glare
    share = cv2.GaussianBlur(share, (0, 0), 2)
    share = cv2.resize(share, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    restored = (grey.astype(np.float32) - 255 * share) / (1 - share)
    return np.clip(restored, 0, 255).astype(np.uint8), True
