"""Numbered pages for the desk's long lists (a batch's files, the batches): "Trang 3/25".

Offset paging on a stable order: these lists are bounded by a batch (thousands of files) or by
the batches themselves, so counting past a few thousand rows costs little, and a page number is
what a clerk can say on the phone. The queue, which may hold 100,000 records, pages by keyset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Paging:
    asked: int  # the page number in the address, from 1 (one past the end shows the last page)
    total: int  # items over every page
    size: int
    kept: dict[str, str] = field(default_factory=dict)  # the address's other parameters, kept in the links

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def number(self) -> int:
        return min(self.asked, self.pages)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def shown(self) -> tuple[int, int]:
        """The first and last item of this page, counted from 1 (0, 0 when there are none)."""
        return (self.offset + 1, min(self.offset + self.size, self.total)) if self.total else (0, 0)

    def href(self, number: int) -> str:
        """The query string of page `number`, the other parameters kept (page 1 needs no number)."""
        values = {name: value for name, value in self.kept.items() if value}
        if number > 1:
            values["trang"] = str(number)
        return "?" + urlencode(values) if values else ""
