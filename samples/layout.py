"""Places a document spec on A4 pages following Decree 30/2020 (Appendix I), in points.

The layout is the single source of both renderings (raster pages and born-digital PDF) and of the
truth page texts: each page keeps its printed lines in reading order (left header column, right
header column, centre and body, then `Nơi nhận:` before the signature block).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf

from samples.security_print import SecurityPrint
from samples.specs import DocumentSpec, Paragraph, long_date

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")  # Debian fonts-liberation2: covers Vietnamese
STYLES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold-italic": "LiberationSerif-BoldItalic.ttf",
}

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 195 * MM, 20 * MM, 277 * MM  # text area (Decree 30 margins)
CENTRE = (LEFT + RIGHT) / 2
# Header columns: centred cells as in the Decree 30 header table; the widest lines
# ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", the national motto) still leave about 15 mm between them.
HEADER_LEFT, HEADER_RIGHT = 56 * MM, 151 * MM
HEADER_LEFT_WIDTH = 72 * MM
HEADER_BASELINE = TOP + 11  # first header line
MOTTO, SLOGAN = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
SIGNATURE_CENTRE = 150 * MM
BODY_PITCH = 1.25  # line height as a multiple of the font size
PARAGRAPH_GAP = 3.0

Words = list[tuple[str, str]]  # (word, style) pairs
Stroke = list[tuple[float, float]]  # a pen path, in points


@functools.cache
def font(style: str) -> pymupdf.Font:
    return pymupdf.Font(fontfile=str(FONT_DIR / STYLES[style]))


def text_width(text: str, style: str, size: float) -> float:
    return font(style).text_length(text, fontsize=size)


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    baseline: float
    style: str
    size: float


@dataclass
class Line:
    runs: list[Run]

    @property
    def text(self) -> str:
        return " ".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class VerticalRule:
    x: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Seal:
    cx: float
    cy: float
    radius: float
    text: str  # printed around the ring
    seed: int  # ink texture


@dataclass(frozen=True)
class ReceivedStamp:
    """The receiving office's `ĐẾN` stamp (samples/received_stamp.py), pressed in the margin."""

    x: float  # top left corner of the box, before it is turned
    y: float
    width: float
    height: float
    angle: float  # degrees, counter-clockwise: a hand-pressed stamp is never square to the page
    body: str  # the receiving body, on the top line
    ink: tuple[int, int, int]
    seed: int  # ink texture


@dataclass
class PageLayout:
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    vertical_rules: list[VerticalRule] = field(default_factory=list)  # a ruled table's column lines
    strokes: list[Stroke] = field(default_factory=list)  # the handwritten signature
    seal: Seal | None = None
    security: SecurityPrint | None = None  # the pale pattern of a national form's paper
    received: ReceivedStamp | None = None  # not part of the page text: the receiving office's, not the issuer's

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def centred(text: str, cx: float, baseline: float, style: str, size: float) -> Line:
    return Line([Run(text, cx - text_width(text, style, size) / 2, baseline, style, size)])


def wrap(words: Words, width: float, size: float, first_indent: float = 0.0) -> list[Words]:
    """Greedy line breaking."""
    lines: list[Words] = [[]]
    used = first_indent
    for word, style in words:
        advance = text_width(word, style, size)
        space = text_width(" ", style, size) if lines[-1] else 0.0
        if lines[-1] and used + space + advance > width:
            lines.append([])
            used, space = 0.0, 0.0
        lines[-1].append((word, style))
        used += space + advance
    return lines


def words_of(paragraph: Paragraph) -> Words:
    return [(word, style) for text, style in paragraph.segments for word in text.split()]


def place_words(words: Words, x0: float, width: float, size: float, justify: bool) -> list[Run]:
    """Runs for one line, one per word; justified lines spread the leftover width over the gaps."""
    widths = [text_width(word, style, size) for word, style in words]
    spaces = [text_width(" ", style, size) for _, style in words[1:]]
    leftover = width - sum(widths) - sum(spaces)
    extra = leftover / len(spaces) if justify and spaces else 0.0
    runs, x = [], x0
    for index, ((word, style), advance) in enumerate(zip(words, widths)):
        runs.append(Run(word, x, 0.0, style, size))
        x += advance + (spaces[index] + extra if index < len(spaces) else 0.0)
    return runs


class Flow:
    """A cursor running down the pages; starts a new page (numbered at the top) when one is full."""

    def __init__(self) -> None:
        self.pages = [PageLayout()]
        self.y = TOP  # top of the next line box

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    def reserve(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.pages.append(PageLayout())
            # Decree 30: pages from the second on carry their number, centred in the top margin.
            self.page.lines.append(centred(str(len(self.pages)), CENTRE, 12 * MM, "regular", 13))
            self.y = TOP

    def add(self, runs: list[Run], pitch: float) -> float:
        """Places one line of runs (baseline 0) at the cursor; returns its baseline."""
        self.reserve(pitch)
        baseline = self.y + runs[0].size
        self.page.lines.append(Line([replace(run, baseline=baseline) for run in runs]))
        self.y += pitch
        return baseline

    def paragraph(self, paragraph: Paragraph) -> None:
        size, width = paragraph.size, RIGHT - LEFT
        lines = wrap(words_of(paragraph), width, size, paragraph.indent)
        for index, words in enumerate(lines):
            indent = paragraph.indent if index == 0 else 0.0
            if paragraph.align == "center":
                text = " ".join(word for word, _ in words)
                runs = centred(text, CENTRE, 0.0, words[0][1], size).runs
            else:
                justify = paragraph.align == "justify" and index < len(lines) - 1
                runs = place_words(words, LEFT + indent, width - indent, size, justify)
            self.add(runs, size * BODY_PITCH)
        self.y += PARAGRAPH_GAP


def layout_document(spec: DocumentSpec, rng: random.Random) -> list[PageLayout]:
    flow = Flow()
    header(flow, spec)
    title_block(flow, spec)
    recipients(flow, spec.recipients)
    for paragraph in spec.body:
        flow.paragraph(paragraph)
    closing(flow, spec, rng)
    return flow.pages


def header(flow: Flow, spec: DocumentSpec) -> None:
    """The two header columns; the left one goes first into the page text (reading order)."""
    page = flow.page
    rule_left = issuing_body(page, spec)
    slogan_baseline = HEADER_BASELINE + 16
    number_baseline = max(rule_left, slogan_baseline + 4.5) + 20  # number and date share a baseline
    bottom = number_and_letter_subject(page, spec, number_baseline)
    national_motto(page, spec, slogan_baseline, number_baseline)
    flow.y = bottom + 30


def issuing_body(page: PageLayout, spec: DocumentSpec) -> float:
    """Superior body (plain), issuing body (bold) and the short rule under it; returns the rule's y."""
    y = HEADER_BASELINE
    if spec.issuer.superior:
        page.lines.append(centred(spec.issuer.superior, HEADER_LEFT, y, "regular", 12))
        y += 15
    for text in spec.issuer.body:
        page.lines.append(centred(text, HEADER_LEFT, y, "bold", 12))
        y += 15
    half = max(text_width(text, "bold", 12) for text in spec.issuer.body) * 0.2
    page.rules.append(Rule(HEADER_LEFT - half, HEADER_LEFT + half, y - 10))
    return y - 10


def number_and_letter_subject(page: PageLayout, spec: DocumentSpec, baseline: float) -> float:
    """`Số: ...`, the lines under it (`Quyển số: ...` of civil-status papers) and, for letters, the
    `V/v ...` subject wrapped under it; returns the last baseline."""
    if spec.numbered:
        page.lines.append(centred(f"Số: {spec.number}", HEADER_LEFT, baseline, "regular", 13))
    for text in spec.header_extra:
        baseline += 16
        page.lines.append(centred(text, HEADER_LEFT, baseline, "regular", 13))
    if spec.doc_type == "cong_van" and spec.subject:
        baseline += 3
        for words in wrap([(word, "regular") for word in f"V/v {spec.subject}".split()], HEADER_LEFT_WIDTH, 12):
            baseline += 14
            page.lines.append(centred(" ".join(word for word, _ in words), HEADER_LEFT, baseline, "regular", 12))
    return baseline


def national_motto(page: PageLayout, spec: DocumentSpec, slogan_baseline: float, date_baseline: float) -> None:
    page.lines.append(centred(MOTTO, HEADER_RIGHT, HEADER_BASELINE, "bold", 12))
    page.lines.append(centred(SLOGAN, HEADER_RIGHT, slogan_baseline, "bold", 13))
    half = text_width(SLOGAN, "bold", 13) / 2
    page.rules.append(Rule(HEADER_RIGHT - half, HEADER_RIGHT + half, slogan_baseline + 4.5))
    if spec.dated:
        date_line = f"{spec.issuer.place}, {long_date(spec.issue_date)}"
        page.lines.append(centred(date_line, HEADER_RIGHT, date_baseline, "italic", 13))


def title_block(flow: Flow, spec: DocumentSpec) -> None:
    for text in spec.title:
        flow.add(centred(text, CENTRE, 0.0, "bold", 14).runs, 18)
    if spec.subtitle:
        flow.add(centred(spec.subtitle, CENTRE, 0.0, "italic", 13).runs, 17)
    if spec.subject and spec.doc_type != "cong_van":
        words = [(word, "bold") for word in spec.subject.split()]
        widths = []
        for line in wrap(words, 125 * MM, 14):
            text = " ".join(word for word, _ in line)
            widths.append(text_width(text, "bold", 14))
            baseline = flow.add(centred(text, CENTRE, 0.0, "bold", 14).runs, 18)
        half = min(widths) / 4
        flow.page.rules.append(Rule(CENTRE - half, CENTRE + half, baseline + 9))
        flow.y += 8
    flow.y += 10


def recipients(flow: Flow, items: tuple[str, ...]) -> None:
    if not items:
        return
    label = "Kính gửi:"
    x_label = LEFT + 30 * MM
    x_items = x_label + text_width(label, "regular", 14) + 8
    for index, item in enumerate(items):
        runs = [Run(item, x_items, 0.0, "regular", 14)]
        if index == 0:
            runs.insert(0, Run(label, x_label, 0.0, "regular", 14))
        flow.add(runs, 19)
    flow.y += 8


def closing(flow: Flow, spec: DocumentSpec, rng: random.Random) -> None:
    """`Nơi nhận:` on the left, the signature block on the right, kept together on one page."""
    signature_gap = 96.0  # room for the handwritten signature between the title and the name
    authority_lines = [*spec.signing.authority, spec.signing.title]
    height = 10 + len(authority_lines) * 16 + signature_gap + 20
    height = max(height, 10 + 15 + len(spec.distribution) * 13)
    flow.y += 8
    flow.reserve(height)
    top, page = flow.y + 10, flow.page
    if spec.distribution:
        page.lines.append(Line([Run("Nơi nhận:", LEFT, top + 2, "bold-italic", 12)]))
        for index, item in enumerate(spec.distribution, 1):
            page.lines.append(Line([Run(item, LEFT, top + 2 + index * 13, "regular", 11)]))
    baseline = top
    for text in authority_lines:
        page.lines.append(centred(text, SIGNATURE_CENTRE, baseline, "bold", 13))
        baseline += 16
    title_baseline = baseline - 16
    name_baseline = title_baseline + signature_gap
    page.lines.append(centred(spec.printed_signer, SIGNATURE_CENTRE, name_baseline, "bold", 14))
    page.strokes = scribble(rng, SIGNATURE_CENTRE - 20 * MM, title_baseline + 14, 40 * MM, signature_gap - 34)
    seal_text = " ".join(filter(None, [spec.issuer.superior, *spec.issuer.body]))
    # Decree 30: the seal covers the left third of the signature; here its rim also crosses the
    # left end of the title, as on most real papers, and stops short of the name.
    page.seal = Seal(SIGNATURE_CENTRE - 22 * MM, title_baseline + 13 * MM, 16 * MM, seal_text, rng.getrandbits(32))
    flow.y = name_baseline + 10


def scribble(rng: random.Random, x0: float, y0: float, width: float, height: float) -> list[Stroke]:
    """A handwritten-looking signature: a looping stroke through random knots plus an underline flourish."""
    # Knots alternate between high and low and may step back, which makes the loops of a hand.
    knots = [(x0 + width * i / 8 + rng.uniform(-9, 9), y0 + height * (rng.uniform(0.0, 0.45) + 0.5 * (i % 2)))
             for i in range(9)]
    flourish = [(x0 + width * 0.05, y0 + height * 0.95), (x0 + width * 0.5, y0 + height * rng.uniform(0.75, 1.0)),
                (x0 + width * 1.05, y0 + height * rng.uniform(0.4, 0.7))]
    return [catmull_rom(knots), catmull_rom(flourish)]


def catmull_rom(points: Stroke, steps: int = 10) -> Stroke:
    padded = [points[0], *points, points[-1]]
    curve = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        for step in range(steps):
            t = step / steps
            curve.append(tuple(0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t * t
                                      + (3 * b - a - 3 * c + d) * t ** 3) for a, b, c, d in zip(p0, p1, p2, p3)))
    curve.append(points[-1])
    return curve
