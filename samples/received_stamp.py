"""The receiving office's `ĐẾN` stamp, pressed in the left margin of page 1 beside the title.

An office stamps each paper it receives: a rectangular box about 4.5 x 1.6 cm in blue, violet or
black ink, the receiving body in small bold capitals on top, a large `ĐẾN` on the left and the
dotted `Giờ:` and `Ngày:` lines beside it, which the clerk fills in by hand. On real Prime Minister
decisions it sits in the left margin level with the title and the subject, so OCR finds a block
two lines high sharing their rows. The stamp is the receiver's, not the issuer's: the truth
(fields and page text) stays the same.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date

from samples.handwriting import WIDTH_RATIO, handwritten
from samples.layout import MM, Line, PageLayout, ReceivedStamp, Run, Stroke, text_width

RECEIVING_BODIES = ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "VĂN PHÒNG UBND TỈNH VĨNH PHÚC",
                    "SỞ TƯ PHÁP TỈNH VĨNH PHÚC", "SỞ NỘI VỤ TỈNH VĨNH PHÚC", "UBND HUYỆN TAM DƯƠNG",
                    "VĂN PHÒNG HĐND VÀ UBND HUYỆN YÊN LẠC")
INKS = ((38, 58, 160), (92, 52, 150), (35, 35, 40))  # stamp-pad blue, violet, black
WIDTH, HEIGHT = 45 * MM, 16 * MM
SIZE_SPREAD = 0.05  # stamps of other offices are a little larger or smaller
SMALLEST = 0.9  # of WIDTH: beside a long subject line the office's smaller stamp is used
MAX_TURN = 2.5  # degrees either way
PAGE_EDGE = 3 * MM  # the stamp stays on the paper
GAP = 2 * MM  # between the stamp and the nearest printed line: beside the title, never over it
FARTHEST = 60 * MM  # the stamp's right edge stays in the margin even when nothing is printed beside it
TIME_HEIGHT = (6.5, 8.5)  # points: the clerk writes small to fit the dotted lines


def design(stamp: ReceivedStamp) -> list[Run]:
    """The stamp's printed text, in points from its top left corner: the body on top, `ĐẾN`, and the
    two dotted lines (`Giờ:` above `Ngày:`)."""
    unit = stamp.height / HEIGHT
    pad = 3 * unit
    body_size = min(6.8 * unit, 0.98 * (stamp.width - 2 * pad) / text_width(stamp.body, "bold", 1))
    body = Run(stamp.body, (stamp.width - text_width(stamp.body, "bold", body_size)) / 2, 10 * unit, "bold",
               body_size)
    arrived = Run("ĐẾN", 2 * pad, stamp.height - 9 * unit, "bold", 17 * unit)
    x = arrived.x + text_width("ĐẾN", "bold", arrived.size) + 7 * unit
    runs = [body, arrived]
    for label, baseline in (("Giờ:", 24 * unit), ("Ngày:", 37 * unit)):
        size = 8 * unit
        dots = "." * int((stamp.width - pad - x - text_width(f"{label} ", "regular", size))
                         / text_width(".", "regular", size))
        runs.append(Run(f"{label} {dots}", x, baseline, "regular", size))
    return runs


def pressed(page: PageLayout, rng: random.Random, received_on: date) -> PageLayout:
    """Page 1 with the stamp in the left margin level with its title (a letter's `Kính gửi:`), the
    hour and day written in. Raises ValueError when the page leaves no room beside the title."""
    scale = 1 + rng.uniform(-SIZE_SPREAD, SIZE_SPREAD)
    width, height = WIDTH * scale, HEIGHT * scale
    angle = rng.uniform(-MAX_TURN, MAX_TURN)
    # The turned box reaches this much higher and lower than the square one.
    slack = width / 2 * math.sin(math.radians(abs(angle))) + 1
    anchor = _anchor(page)
    preferred = anchor.runs[0].baseline - anchor.runs[0].size - rng.uniform(1, 4) * MM
    tops = sorted((preferred + step * 0.5 * MM for step in range(-24, 9)), key=lambda top: abs(top - preferred))
    for top in tops:
        room = _room(page, top - slack, top + height + slack) - GAP
        if room - PAGE_EDGE >= SMALLEST * WIDTH:
            shrink = min(1.0, (room - PAGE_EDGE) / width)
            width, height = width * shrink, height * shrink
            right = room - rng.uniform(0, min(6 * MM, room - width - PAGE_EDGE))
            break
    else:
        raise ValueError("no room in the left margin beside the title for a received stamp")
    stamp = ReceivedStamp(right - width, top, width, height, angle, rng.choice(RECEIVING_BODIES),
                          rng.choice(INKS), rng.getrandbits(32))
    return replace(page, received=stamp, strokes=[*page.strokes, *_written_in(stamp, rng, received_on)])


def _anchor(page: PageLayout) -> Line:
    """The title's first line (centred bold 14 pt), else a letter's `Kính gửi:` line."""
    for line in page.lines:
        first = line.runs[0]
        if (first.style == "bold" and first.size == 14) or first.text.startswith("Kính gửi"):
            return line
    raise ValueError("page 1 has neither a title nor `Kính gửi:` to stamp beside")


def _room(page: PageLayout, top: float, bottom: float) -> float:
    """How far right the stamp may reach between `top` and `bottom`: the left end of the printed
    lines, rules and pen strokes there."""
    ends = [FARTHEST]
    for line in page.lines:
        for run in line.runs:
            if run.baseline - 0.8 * run.size < bottom and run.baseline + 0.25 * run.size > top:
                ends.append(run.x)
    ends += [rule.x0 for rule in page.rules if top < rule.y < bottom]
    ends += [min(x for x, _ in stroke) for stroke in page.strokes if any(top < y < bottom for _, y in stroke)]
    return min(ends)


def _written_in(stamp: ReceivedStamp, rng: random.Random, received_on: date) -> list[Stroke]:
    """The hour and day written by hand on the dotted lines, turned with the stamp."""
    _, _, hour_line, day_line = design(stamp)
    minutes = rng.choice(("", "", "15", "30", "45"))
    hour = f"{rng.randint(7, 16)}h{minutes}"
    day = f"{received_on.day}/{received_on.month}/{received_on.year}"
    strokes = []
    for text, line in ((hour, hour_line), (day, day_line)):
        label = line.text.split()[0]
        x = line.x + text_width(f"{label} ", line.style, line.size) + rng.uniform(0, 3)
        room = stamp.width - x + 4  # the pen may run a little over the frame
        height = min(rng.uniform(*TIME_HEIGHT), room / (len(text) * WIDTH_RATIO * 1.25))
        drawn, _ = handwritten(text, x, line.baseline - rng.uniform(0.5, 1.5), height, rng)
        strokes += drawn
    return [[_turned(stamp, x, y) for x, y in stroke] for stroke in strokes]


def _turned(stamp: ReceivedStamp, x: float, y: float) -> tuple[float, float]:
    """A point in the stamp (from its top left corner) on the page, the box turned about its centre
    counter-clockwise as the picture sees it (y runs down)."""
    cx, cy = stamp.width / 2, stamp.height / 2
    cos, sin = math.cos(math.radians(stamp.angle)), math.sin(math.radians(stamp.angle))
    dx, dy = x - cx, y - cy
    return stamp.x + cx + dx * cos + dy * sin, stamp.y + cy - dx * sin + dy * cos
