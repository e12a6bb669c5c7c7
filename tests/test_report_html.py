"""The HTML progress report: self-contained, and its charts drawn as the numbers say.

The screenshot test renders the page in headless Chromium (Debian package `chromium`, installed
by `make test`) and measures the charts in the pixels.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, timezone

import numpy as np
import pytest
from PIL import Image

from flows.report_html import BAR, LINE, TARGET, TRACK, progress_html
from storage.progress import MonthPoint, ProgressReport, ProgressRow

TODAY, TARGET_DATE = date(2025, 10, 1), date(2025, 12, 31)


def row(group: str, required: int, digitised: int, interim: float | None, name: str | None = None) -> ProgressRow:
    percent = round(100 * digitised / required, 2) if required else None
    return ProgressRow(
        group=group, name=name, level="province", basis="register" if required else "none", required=required,
        digitised=digitised, needs_review=0, missing=required - digitised, failed=0, unmatched_records=0, expired=0,
        percent_done=percent, pace_per_day=0.5, projected_completion=None, interim_target=interim,
        status="behind" if required else "no_denominator",
    )


@pytest.fixture
def report() -> ProgressReport:
    """Total 50% (10 of 20), agency A 75% (target 30%), B 25% (target 15%), C without a denominator;
    the burn-up reaches 10 in September, before the target date at the end of December."""
    rows = [row("A", 4, 3, 30.0, "Ủy ban nhân dân xã Hồ Sơn"), row("B", 16, 4, 15.0), row("C", 0, 0, None)]
    total = row("total", 20, 10, None)
    total.level = None
    months = [MonthPoint(month="2025-07", digitised=2, cumulative=2, percent_done=10.0),
              MonthPoint(month="2025-09", digitised=8, cumulative=10, percent_done=50.0)]
    return ProgressReport(generated_at=datetime(2025, 10, 1, 8, tzinfo=timezone.utc), today=TODAY, by="agency",
                          structure="historical", target_date=TARGET_DATE, rows=rows, total=total,
                          months=months, flow=[])


def test_page_is_self_contained_vietnamese_and_escaped(report):
    report.rows[0].name = "Xã <Hồ> & Sơn"
    page = progress_html(report)
    assert page.startswith("<!doctype html>") and '<html lang="vi">' in page and '<meta charset="utf-8">' in page
    assert "<script" not in page.lower() and "@import" not in page and "url(" not in page
    # The only address on the page is the SVG namespace: nothing is fetched.
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "Xã &lt;Hồ&gt; &amp; Sơn" in page and "<Hồ>" not in page
    assert "mốc hoàn thành 2025-12-31" in page and "chưa có số liệu" in page


def test_page_without_a_denominator_says_how_to_get_one(report):
    report.total = row("total", 0, 0, None)
    report.rows = [row("C", 0, 0, None)]
    report.months = []
    page = progress_html(report)
    assert "sohoa register import" in page and "chưa có kết quả nào được số hóa" in page


def _chromium() -> str:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("chromium is not installed (apt-get install chromium, or `make test`)")
    return binary


def _screenshot(page: str, tmp_path) -> np.ndarray:
    html, png = tmp_path / "report.html", tmp_path / "report.png"
    html.write_text(page, encoding="utf-8")
    subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--force-device-scale-factor=1", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={png}", "--window-size=1200,1600", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


def _mask(pixels: np.ndarray, colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return np.abs(pixels - rgb).sum(axis=2) <= 12


def _bands(rows_with: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive pixel rows where something is drawn: (first, last)."""
    bands, start = [], None
    for y, present in enumerate(rows_with):
        if present and start is None:
            start = y
        if not present and start is not None:
            bands.append((start, y - 1))
            start = None
    return bands


@pytest.mark.integration
def test_charts_are_drawn_to_scale(report, tmp_path):
    pixels = _screenshot(progress_html(report), tmp_path)
    bar, track, target, line = (_mask(pixels, c) for c in (BAR, TRACK, TARGET, LINE))

    # Bar chart: total, A and B have a bar (C has none); the share filled is the percent done.
    bands = [b for b in _bands((bar | track).sum(axis=1) > 100) if b[1] - b[0] >= 8]
    assert len(bands) == 3, bands
    for (top, bottom), percent, interim in zip(bands, (50, 75, 25), (None, 30, 15)):
        middle = (top + bottom) // 2
        xs = np.flatnonzero(bar[middle] | track[middle] | target[middle])
        left, right = xs.min(), xs.max()
        filled = bar[middle].sum() / (bar[middle].sum() + track[middle].sum())
        assert abs(filled - percent / 100) < 0.02, (percent, filled)
        marks = np.flatnonzero(target[middle])
        if interim is None:
            assert marks.size == 0
        else:  # the level's interim target is marked where it falls on the bar
            assert abs((marks.mean() - left) / (right - left) - interim / 100) < 0.02

    # Burn-up, below the bars: the blue line climbs to half of the red 100% line, and ends
    # before the red target-date marker.
    below = bands[-1][1] + 40
    blue, red = line[below:], target[below:]
    assert blue.sum() > 200, "the cumulative line is not drawn"
    full_line = red.sum(axis=1).argmax()  # the red row: the 100% line
    target_x = red.sum(axis=0).argmax()  # the red column: the target date
    assert red[full_line].sum() > 600 and red[:, target_x].sum() > 150
    ys, xs = np.nonzero(blue)
    assert xs.max() < target_x
    assert ys.min() > full_line  # cumulative stays under the required total
    height = (ys.max() - ys.min()) / (ys.max() - full_line)
    assert abs(height - 0.5) < 0.05, height
