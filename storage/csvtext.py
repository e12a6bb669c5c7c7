"""The one CSV writer: exports, progress tables, agency listings.

RFC 4180 (comma, double quotes, CRLF line ends), UTF-8 without a byte order mark; a missing
value is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any


def csv_lines(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The header, then one line per row, as they are written: a large export streams."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    yield _take(buffer)
    for row in rows:
        writer.writerow(row)
        yield _take(buffer)


def csv_text(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    return "".join(csv_lines(columns, rows))


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
