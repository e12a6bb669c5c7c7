"""The progress report as one HTML page that opens anywhere offline.

No scripts, no network, no web fonts: inline CSS, and charts drawn here as inline SVG. Every
number on the page comes from the same `ProgressReport` as the JSON and CSV, formatted by the
same cell functions as the terminal table (flows/reports.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from flows.reports import (
    GROUP_LABELS,
    MONTH_HEADERS,
    NO_DENOMINATOR_HINT,
    NO_VALUE,
    STATUS_LABELS,
    STRUCTURE_LABELS,
    TOTAL_LABEL,
    month_cells,
    progress_cells,
    progress_headers,
)
from storage.progress import MonthPoint, ProgressReport, ProgressRow

BAR = "#2e7d32"  # share digitised
TRACK = "#dde3ea"  # the rest of the way to 100%
TARGET = "#c62828"  # interim targets, the 100% line, the target date
LINE = "#1565c0"  # cumulative digitised
GRID = "#e6e6e6"
MUTED = "#666666"

WIDTH = 1030
LABEL_WIDTH, BAR_WIDTH = 300, 560  # bar chart: labels, then bars, then the value
ROW_HEIGHT, BAR_HEIGHT = 26, 16
LABEL_CHARS = 42
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 70, WIDTH - 30, 30, 290  # burn-up plot area
BURN_UP_HEIGHT = 340

CSS = f"""
body {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 20px;
       max-width: {WIDTH + 30}px; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }}
h2 {{ font-size: 17px; margin: 24px 0 6px; }}
.meta {{ color: {MUTED}; margin: 0 0 10px; }}
.headline {{ font-size: 18px; margin: 6px 0; }}
.hint {{ background: #fff8e1; border-left: 4px solid #f9a825; padding: 6px 10px; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #bbb; padding: 3px 6px; }}
th {{ background: #f1f3f5; }}
td.n {{ text-align: right; white-space: nowrap; }}
td[class^="s-"] {{ white-space: nowrap; }}
tfoot td {{ font-weight: bold; background: #f8f9fa; }}
.s-met, .s-on_track {{ color: #2e7d32; }}
.s-behind {{ color: #b26a00; }}
.s-missed {{ color: {TARGET}; }}
.s-no_denominator {{ color: {MUTED}; }}
svg text {{ font-family: inherit; font-size: 12px; fill: #222; }}
"""


def progress_html(report: ProgressReport) -> str:
    return "\n".join([
        "<!doctype html>",
        '<html lang="vi"><head><meta charset="utf-8"><title>Tiến độ số hóa</title>',
        f"<style>{CSS}</style></head><body>",
        report_body(report),
        "</body></html>\n",
    ])


def report_body(report: ProgressReport) -> str:
    """The report without its document around it: what the review desk puts in its own page
    (web/desk/progress.py), styled by CSS served as a file, since the desk allows no inline style."""
    by_label = GROUP_LABELS[report.by]
    total = report.total
    percent = NO_VALUE if total.percent_done is None else f"{total.percent_done}%"
    parts = [
        "<h1>Tiến độ số hóa kết quả giải quyết thủ tục hành chính</h1>",
        f'<p class="meta">Lập lúc {report.generated_at:%Y-%m-%d %H:%M} UTC · số liệu đến ngày '
        f"{report.today.isoformat()} · mốc hoàn thành {report.target_date.isoformat()} · "
        f"{escape(STRUCTURE_LABELS[report.structure])}</p>",
        f'<p class="headline">Đã số hóa <b>{total.digitised}</b> / {total.required} kết quả cần số hóa '
        f'({percent}) · tình trạng: <b class="s-{total.status}">{STATUS_LABELS[total.status]}</b></p>',
    ]
    if not total.required:
        parts.append(f'<p class="hint">{escape(NO_DENOMINATOR_HINT)}</p>')
    parts += [
        f"<h2>Tỷ lệ đã số hóa theo {by_label}</h2>", _bar_chart(report),
        "<h2>Lũy kế kết quả đã số hóa theo tháng</h2>", _burn_up_chart(report),
        f"<h2>Chi tiết theo {by_label}</h2>", _progress_table(report),
        "<h2>Số hóa theo tháng</h2>", _months_table(report.months),
        "<h2>Chỉ số 4.1 ước tính theo năm cấp (kết quả đã cấp có bản điện tử; ≥ 80% đạt điểm tối đa)</h2>",
        _flow_table(report),
    ]
    return "\n".join(parts)


def _bar_chart(report: ProgressReport) -> str:
    """One bar per group (the total first): percent done, the interim target of its level marked."""
    rows = [(TOTAL_LABEL.capitalize(), report.total)] + [(_label(row, report.by), row) for row in report.rows]
    top = 24
    height = top + ROW_HEIGHT * len(rows) + 30
    x0 = LABEL_WIDTH + 10
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img" '
           f'aria-label="Tỷ lệ đã số hóa">']
    for tick in range(0, 101, 25):
        x = x0 + BAR_WIDTH * tick / 100
        svg.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{top + ROW_HEIGHT * len(rows)}" stroke="{GRID}"/>')
        svg.append(f'<text x="{x}" y="{top - 10}" text-anchor="middle">{tick}%</text>')
    for index, (label, row) in enumerate(rows):
        y = top + ROW_HEIGHT * index + (ROW_HEIGHT - BAR_HEIGHT) / 2
        weight = ' font-weight="bold"' if index == 0 else ""
        svg.append(f'<text x="{LABEL_WIDTH}" y="{y + 12}" text-anchor="end"{weight}>'
                   f"<title>{escape(row.group)}</title>{escape(_shorten(label))}</text>")
        if row.percent_done is None:
            svg.append(f'<text x="{x0 + 4}" y="{y + 12}" fill="{MUTED}">{STATUS_LABELS["no_denominator"]}</text>')
            continue
        fill = BAR_WIDTH * min(row.percent_done, 100) / 100
        svg.append(f'<rect x="{x0}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="{TRACK}"/>')
        svg.append(f'<rect x="{x0}" y="{y}" width="{fill:.2f}" height="{BAR_HEIGHT}" fill="{BAR}"/>')
        if row.interim_target is not None:
            x = x0 + BAR_WIDTH * row.interim_target / 100
            svg.append(f'<line x1="{x:.2f}" y1="{y - 3}" x2="{x:.2f}" y2="{y + BAR_HEIGHT + 3}" '
                       f'stroke="{TARGET}" stroke-width="2"><title>chỉ tiêu {row.interim_target}%</title></line>')
        svg.append(f'<text x="{x0 + BAR_WIDTH + 8}" y="{y + 12}">{row.percent_done}% · '
                   f"{STATUS_LABELS[row.status]}</text>")
    legend_y = top + ROW_HEIGHT * len(rows) + 18
    svg += [f'<rect x="{x0}" y="{legend_y - 10}" width="14" height="10" fill="{BAR}"/>',
            f'<text x="{x0 + 20}" y="{legend_y}">đã số hóa</text>']
    if any(row.interim_target is not None for _, row in rows):
        svg += [f'<line x1="{x0 + 110}" y1="{legend_y - 12}" x2="{x0 + 110}" y2="{legend_y + 2}" '
                f'stroke="{TARGET}" stroke-width="2"/>',
                f'<text x="{x0 + 118}" y="{legend_y}">chỉ tiêu tối thiểu của cấp</text>']
    svg.append("</svg>")
    return "\n".join(svg)


def _burn_up_chart(report: ProgressReport) -> str:
    """Cumulative results digitised at each month's end against the required total (the 100%
    line), with the target date and today marked."""
    required = report.total.required
    points = _month_ends(report.months, report.today)
    start = _month_start(min([p for p, _ in points] + [report.today]))
    end = _month_end(max([p for p, _ in points] + [report.today, report.target_date]))
    top_value = max([required] + [v for _, v in points] + [1]) * 1.1
    days = (end - start).days or 1

    def x(day: date) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - start).days / days

    def y(value: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top_value

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{BURN_UP_HEIGHT}" role="img" '
           f'aria-label="Lũy kế kết quả đã số hóa">']
    scale = required or top_value / 1.1
    for quarter in range(5):
        value = scale * quarter / 4
        svg.append(f'<line x1="{PLOT_LEFT}" y1="{y(value):.2f}" x2="{PLOT_RIGHT}" y2="{y(value):.2f}" stroke="{GRID}"/>')
        svg.append(f'<text x="{PLOT_LEFT - 6}" y="{y(value) + 4:.2f}" text-anchor="end">{round(value)}</text>')
    months = _month_starts(start, end)
    step = -(-len(months) // 12)  # at most about twelve month labels
    for index, month in enumerate(months):
        svg.append(f'<line x1="{x(month):.2f}" y1="{PLOT_TOP}" x2="{x(month):.2f}" y2="{PLOT_BOTTOM}" stroke="{GRID}"/>')
        if index % step == 0:
            svg.append(f'<text x="{x(month):.2f}" y="{PLOT_BOTTOM + 16}" text-anchor="middle">{month:%m/%Y}</text>')
    svg.append(f'<line x1="{PLOT_LEFT}" y1="{PLOT_BOTTOM}" x2="{PLOT_RIGHT}" y2="{PLOT_BOTTOM}" stroke="{MUTED}"/>')
    svg.append(f'<text x="{PLOT_LEFT}" y="{PLOT_BOTTOM + 40}">số kết quả đã số hóa (lũy kế) theo tháng số hóa</text>')
    if required:
        svg.append(f'<line x1="{PLOT_LEFT}" y1="{y(required):.2f}" x2="{PLOT_RIGHT}" y2="{y(required):.2f}" '
                   f'stroke="{TARGET}" stroke-width="2"/>')
        svg.append(f'<text x="{PLOT_LEFT + 6}" y="{y(required) - 6:.2f}" fill="{TARGET}">100% = {required} '
                   f"kết quả cần số hóa</text>")
    today_x, target_x = x(report.today), x(report.target_date)
    svg.append(f'<line x1="{today_x:.2f}" y1="{PLOT_TOP}" x2="{today_x:.2f}" y2="{PLOT_BOTTOM}" stroke="{MUTED}" '
               f'stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{today_x:.2f}" y="{PLOT_TOP - 16}" text-anchor="middle" fill="{MUTED}">hôm nay</text>')
    svg.append(f'<line x1="{target_x:.2f}" y1="{PLOT_TOP - 10}" x2="{target_x:.2f}" y2="{PLOT_BOTTOM}" '
               f'stroke="{TARGET}" stroke-width="2"/>')
    anchor = "end" if target_x > PLOT_RIGHT - 60 else "middle"  # keep the label inside the picture
    svg.append(f'<text x="{target_x:.2f}" y="{PLOT_TOP - 16}" text-anchor="{anchor}" fill="{TARGET}">'
               f"mốc {report.target_date.isoformat()}</text>")
    if points:
        line = " ".join(f"{x(day):.2f},{y(value):.2f}" for day, value in [(start, 0)] + points)
        svg.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="3"/>')
        svg += [f'<circle cx="{x(day):.2f}" cy="{y(value):.2f}" r="4" fill="{LINE}"><title>{day.isoformat()}: '
                f"{value}</title></circle>" for day, value in points]
    else:
        svg.append(f'<text x="{PLOT_LEFT + 10}" y="{PLOT_BOTTOM - 10}" fill="{MUTED}">chưa có kết quả nào được '
                   f"số hóa</text>")
    svg.append("</svg>")
    return "\n".join(svg)


def _month_ends(months: list[MonthPoint], today: date) -> list[tuple[date, int]]:
    """(day, cumulative) at the end of every month from the first digitised to the last, the
    months without any carrying the total on; the month still running ends today."""
    if not months:
        return []
    by_month = {point.month: point.cumulative for point in months}
    points, cumulative = [], 0
    for month in _month_starts(date.fromisoformat(months[0].month + "-01"),
                               date.fromisoformat(months[-1].month + "-01")):
        cumulative = by_month.get(f"{month:%Y-%m}", cumulative)
        points.append((min(_month_end(month), max(today, month)), cumulative))
    return points


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _month_starts(first: date, last: date) -> list[date]:
    months, month = [], _month_start(first)
    while month <= last:
        months.append(month)
        month = _month_end(month) + timedelta(days=1)
    return months


def _label(row: ProgressRow, by: str) -> str:
    cells = progress_cells(row, by)
    return cells[1] if cells[1] != NO_VALUE else cells[0]


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _progress_table(report: ProgressReport) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in progress_headers(report.by))
    body = "\n".join(_tr(progress_cells(row, report.by), row.status) for row in report.rows)
    foot = _tr(progress_cells(report.total, report.by, total=True), report.total.status)
    return (f'<table id="progress"><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n'
            f"<tfoot>{foot}</tfoot></table>")


def _tr(cells: list[str], status: str) -> str:
    # group and name read as text; the counts, percent, pace and date line up on the right
    tds = [f"<td>{escape(cell)}</td>" for cell in cells[:2]]
    tds += [f'<td class="n">{escape(cell)}</td>' for cell in cells[2:-1]]
    tds.append(f'<td class="s-{status}">{escape(cells[-1])}</td>')
    return f"<tr>{''.join(tds)}</tr>"


def _months_table(months: list[MonthPoint]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in MONTH_HEADERS.values())
    body = "".join("<tr>" + "".join(f'<td class="n">{escape(c)}</td>' for c in month_cells(m)) + "</tr>"
                   for m in months)
    return f'<table id="months"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _flow_table(report: ProgressReport) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("năm cấp", "đã cấp", "có bản điện tử", "%", "đạt điểm tối đa"))
    body = "".join(
        f'<tr><td>{escape(f.year)}</td><td class="n">{f.issued}</td><td class="n">{f.with_file}</td>'
        f'<td class="n">{NO_VALUE if f.percent is None else f.percent}</td><td>{"có" if f.full_points else "không"}</td></tr>'
        for f in report.flow
    )
    return f'<table id="flow"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
